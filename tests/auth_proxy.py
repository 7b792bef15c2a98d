"""A small authenticating HTTPS proxy in front of a real server, as a shared deployment puts one in front of
`chroma run`: TLS with a self-signed certificate made at test time, and a token or header checked on every
request. Requests without the right credentials get 401 and never reach the server."""

from __future__ import annotations

import http.client
import json
import shutil
import ssl
import subprocess
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

_HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
               "transfer-encoding", "upgrade", "host", "content-length"}


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """(certificate, key) for 127.0.0.1 and localhost, valid for two days, made with the openssl CLI."""
    openssl = shutil.which("openssl")
    if openssl is None:
        raise RuntimeError("the openssl command is needed to make a test certificate (apt-get install openssl)")
    folder.mkdir(parents=True, exist_ok=True)
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
                   check=True, capture_output=True)
    return cert, key


@dataclass
class AuthProxy:
    """Forwards to ``upstream`` (http://host:port) the requests that carry ``Authorization: Bearer <token>``
    or the header ``accept_header`` = (name, value); answers 401 to the rest."""

    upstream: str
    cert: Path
    key: Path
    token: str | None = None
    accept_header: tuple[str, str] | None = None
    url: str = ""
    forwarded: int = 0
    refused: list[str] = field(default_factory=list)  # "METHOD path" of each refused request
    _server: ThreadingHTTPServer | None = None

    def allowed(self, headers) -> bool:
        if self.token and headers.get("Authorization") == f"Bearer {self.token}":
            return True
        return bool(self.accept_header and headers.get(self.accept_header[0]) == self.accept_header[1])

    def start(self) -> "AuthProxy":
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert, self.key)
        target = urlsplit(self.upstream)
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def _reply(self, status: int, body: bytes, headers: list[tuple[str, str]]) -> None:
                self.send_response(status)
                for name, value in headers:
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)

            def _forward(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                if not proxy.allowed(self.headers):
                    proxy.refused.append(f"{self.command} {self.path}")
                    message = json.dumps({"error": "Unauthorized", "message": "missing or wrong credentials"})
                    self._reply(401, message.encode(), [("Content-Type", "application/json"),
                                                        ("WWW-Authenticate", 'Bearer realm="chroma"')])
                    return
                credentials = {"authorization", (proxy.accept_header or ("", ""))[0].lower()}
                headers = {k: v for k, v in self.headers.items()
                           if k.lower() not in _HOP_BY_HOP and k.lower() not in credentials}
                upstream = http.client.HTTPConnection(target.hostname, target.port, timeout=60)
                try:
                    upstream.request(self.command, self.path, body=body, headers=headers)
                    response = upstream.getresponse()
                    payload = response.read()
                    kept = [(k, v) for k, v in response.getheaders() if k.lower() not in _HOP_BY_HOP]
                finally:
                    upstream.close()
                proxy.forwarded += 1
                self._reply(response.status, payload, kept)

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _forward  # noqa: N815

        class TLSServer(ThreadingHTTPServer):
            daemon_threads = True

            def finish_request(self, request, client_address):  # the handshake runs in the handler's thread
                try:
                    request = context.wrap_socket(request, server_side=True)
                except (ssl.SSLError, OSError):
                    return  # a client that does not trust the certificate hangs up here
                super().finish_request(request, client_address)

            def handle_error(self, request, client_address) -> None:
                pass  # a client that goes away mid-request is not the test's business

        self._server = TLSServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        self.url = f"https://127.0.0.1:{self._server.server_address[1]}"
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
