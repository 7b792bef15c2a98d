"""Backend fixtures: the bundled model in-process, a real llama.cpp server, and a scriptable HTTP
server on 127.0.0.1 for faults (429, 500, dropped connections) that a real server will not produce
on demand."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from digest_core.llama_runtime import bundled_model_path
from summarizer.backends.llamacpp import LlamaCppBackend
from tests.conftest import stop_process

SERVER_KEY = "test-key"  # the llama.cpp server below requires it, so a wrong key gets a real 401


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def local_backend() -> LlamaCppBackend:
    return LlamaCppBackend()  # the bundled SmolLM2-135M


@dataclass
class LlamaServer:
    base_url: str  # ends in /v1, as OpenAI clients expect
    api_key: str
    proc: subprocess.Popen


@pytest.fixture(scope="session")
def llama_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LlamaServer]:
    """`python -m llama_cpp.server` with the bundled model, for the whole session."""
    port = free_port()
    log_path = tmp_path_factory.mktemp("llama-server") / "server.log"
    log = open(log_path, "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "llama_cpp.server", "--model", str(bundled_model_path()), "--host", "127.0.0.1",
         "--port", str(port), "--n_ctx", "2048", "--seed", "0", "--api_key", SERVER_KEY, "--verbose", "False"],
        stdout=log, stderr=subprocess.STDOUT,
    )
    try:
        _wait_ready(f"http://127.0.0.1:{port}/v1/models", proc, log_path)
        yield LlamaServer(base_url=f"http://127.0.0.1:{port}/v1", api_key=SERVER_KEY, proc=proc)
    finally:
        stop_process(proc)
        log.close()


def _wait_ready(url: str, proc: subprocess.Popen, log_path: Path, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {SERVER_KEY}"})
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"llama.cpp server exited ({proc.returncode}): {log_path.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(request, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} not ready within {timeout:.0f}s: {log_path.read_text()[-2000:]}")


# ------------------------------------------------------------------------------ scripted server
# A step is one of:
#   (status, json_body)      -> reply with that status and body
#   "drop"                   -> send headers promising a body, half of it, then close the socket
#   ("sleep", seconds)       -> answer 200 only after sleeping (for timeouts)
def chat_body(content: str, finish_reason: str = "stop") -> dict:
    return {"id": "x", "object": "chat.completion", "created": 0, "model": "scripted",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content},
                         "finish_reason": finish_reason}],
            "usage": {"prompt_tokens": 5, "completion_tokens": 3, "total_tokens": 8}}


def error_body(message: str) -> dict:
    return {"error": {"message": message, "type": "server_error", "code": None}}


@dataclass
class ScriptedServer:
    base_url: str
    steps: list
    requests: list[dict] = field(default_factory=list)  # JSON bodies received, in order
    headers: list[dict] = field(default_factory=list)  # the HTTP headers of each request, in order
    models: list[str] = field(default_factory=lambda: ["scripted"])  # what GET /v1/models lists


@pytest.fixture
def scripted_server() -> Iterator[callable]:
    servers: list[ThreadingHTTPServer] = []

    def start(steps: list, repeat_last: bool = True) -> ScriptedServer:
        state = ScriptedServer(base_url="", steps=list(steps))

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:  # keep pytest output clean
                pass

            def do_GET(self) -> None:  # noqa: N802 - /v1/models, for `digest doctor`
                state.headers.append(dict(self.headers.items()))
                payload = json.dumps({"object": "list", "data": [{"id": m, "object": "model"} for m in state.models]})
                self.send_response(200 if self.path.rstrip("/").endswith("/models") else 404)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload.encode())

            def do_POST(self) -> None:  # noqa: N802 - http.server naming
                length = int(self.headers.get("Content-Length", 0))
                state.headers.append(dict(self.headers.items()))
                state.requests.append(json.loads(self.rfile.read(length) or b"{}"))
                index = len(state.requests) - 1
                step = state.steps[min(index, len(state.steps) - 1)] if repeat_last else state.steps[index]
                if step == "drop":
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", "400")
                    self.end_headers()
                    self.wfile.write(b'{"id": "x", "object": "chat.comp')
                    self.wfile.flush()
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                if isinstance(step, tuple) and step[0] == "sleep":
                    time.sleep(step[1])
                    step = (200, chat_body("late"))
                status, body = step
                payload = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        state.base_url = f"http://127.0.0.1:{server.server_address[1]}/v1"
        return state

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()
