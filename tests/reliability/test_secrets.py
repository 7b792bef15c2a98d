"""Secrets stay secret: plant an API key, a gateway header and a Chroma token, use them for real (a scripted
OpenAI-compatible server that echoes them back in its replies and errors, as careless gateways do, and the
Chroma server behind the authenticating HTTPS proxy), then search every file and stream the runs wrote.

The runs: ingest, a successful API run, a refused one, a failing one (with and without --debug), an eval
whose LLM judge keeps failing, and `digest doctor`. HOME and TMPDIR point into the test's folder, so files
written there are searched too, as is the Chroma server's own data.
"""

from __future__ import annotations

import json
import secrets
import subprocess
from pathlib import Path

from ..conftest import run_cli
from .conftest import error_body, one_line_error, sentence_reply, write_story

KEY = "sk-planted-" + secrets.token_hex(16)
GATEWAY = "gw-planted-" + secrets.token_hex(12)


def header(server, name: str) -> str | None:
    """The value of header ``name`` in the server's last request (names compared case-insensitively)."""
    return {k.lower(): v for k, v in server.headers[-1].items()}.get(name.lower())


def files_under(*roots: Path) -> list[Path]:
    return [p for root in roots for p in root.rglob("*") if p.is_file() and not p.is_symlink()]


def test_a_planted_key_token_and_header_appear_in_no_file_or_stream(
        scripted_server, chroma_proxy, tls_certificate, tmp_path, tmp_path_factory):
    cert, _ = tls_certificate
    planted = {"API key": KEY, "gateway header": GATEWAY, "Chroma token": chroma_proxy.token}
    story = write_story(tmp_path / "story")
    (tmp_path / "home").mkdir()
    (tmp_path / "tmp").mkdir()
    env = {
        "HOME": str(tmp_path / "home"), "TMPDIR": str(tmp_path / "tmp"),
        "DIGEST_BACKEND": "openai", "DIGEST_API_MODEL": "scripted", "OPENAI_API_KEY": KEY,
        "DIGEST_OPENAI_HEADERS": json.dumps({"X-Gateway-Key": GATEWAY}),
        "DIGEST_CHROMA_URL": chroma_proxy.url, "DIGEST_CHROMA_TOKEN": chroma_proxy.token,
        "DIGEST_CA_BUNDLE": str(cert), "DIGEST_COLLECTION": "secrets",
        "DIGEST_CACHE_DIR": str(tmp_path / "llm-cache"), "DIGEST_API_RETRIES": "0", "DIGEST_API_TIMEOUT": "5",
    }
    streams: dict[str, str] = {}

    def digest(label: str, *args: str, server=None, expect: int | None = 0) -> subprocess.CompletedProcess:
        extra = {"OPENAI_BASE_URL": server.base_url} if server else {}
        result = run_cli(*args, cwd=tmp_path, env={**env, **extra})
        streams[f"{label} stdout"], streams[f"{label} stderr"] = result.stdout, result.stderr
        if expect is not None:
            assert result.returncode == expect, f"{label}: {result.stdout}{result.stderr}"
        return result

    # A model that echoes the key in its first answer (the guard rejects that sentence; the cache keeps it).
    ok = scripted_server([(200, sentence_reply(f"The bridge reopened on Friday, said {KEY}.")), (200, sentence_reply())])
    digest("ingest", "ingest", str(story), "--json", server=ok)
    digest("run", "run", str(story), "--out", str(tmp_path / "out"), "--max-sentences", "2", server=ok)
    assert header(ok, "Authorization") == f"Bearer {KEY}" and header(ok, "X-Gateway-Key") == GATEWAY  # really sent
    assert list((tmp_path / "llm-cache").rglob("*.json")), "the run should have cached its answers"
    assert (tmp_path / "out" / "digest.json").is_file() and (tmp_path / "out" / "report.html").is_file()

    echo = f"Incorrect API key provided: {KEY} (gateway key {GATEWAY})"
    refused = scripted_server([(401, error_body(echo))])
    line = one_line_error(digest("refused", "run", str(story), "--no-cache", "--out", str(tmp_path / "no1"),
                                 server=refused, expect=2).stderr)
    assert "rejected the API key (HTTP 401)" in line

    failing = scripted_server([(500, error_body(echo))])
    line = one_line_error(digest("failing", "run", str(story), "--no-cache", "--out", str(tmp_path / "no2"),
                                 server=failing, expect=2).stderr)
    assert "HTTP 500" in line and "****" in line  # the echoed secrets were there, and were masked
    debug = digest("failing --debug", "--debug", "run", str(story), "--no-cache", "--out", str(tmp_path / "no3"),
                   server=failing, expect=None)
    assert debug.returncode != 0 and "Traceback" in debug.stderr

    digest("eval", "eval", str(tmp_path / "out" / "digest.json"), "--sources", str(story), "--judge", "llm",
           "--json", str(tmp_path / "r.json"), "--md", str(tmp_path / "r.md"), "--html", str(tmp_path / "r.html"),
           server=failing)
    errors = [s["llm"]["error"] for s in json.loads((tmp_path / "r.json").read_text())["sentences"]]
    assert errors and all("****" in e for e in errors)  # the judge's failures are reported, masked

    doctor = digest("doctor", "doctor", server=ok)
    assert "OPENAI_API_KEY ****" in doctor.stdout and "DIGEST_CHROMA_TOKEN ****" in doctor.stdout
    assert "X-Gateway-Key: ****" in doctor.stdout and "passage store: Chroma server https://" in doctor.stdout
    assert header(ok, "X-Gateway-Key") == GATEWAY  # doctor's check of the endpoint sends the gateway's header too

    leaks = []
    for name, text in streams.items():
        leaks += [f"{what} in {name}" for what, value in planted.items() if value in text]
    # Every file under the test's folder (outputs, reports, LLM cache, HOME, TMPDIR) and the Chroma server's data.
    chroma_data = [p for p in tmp_path_factory.getbasetemp().glob("chroma-server*")]
    searched = files_under(tmp_path, *chroma_data)
    assert any(p.name == "chroma.sqlite3" for p in searched)
    for path in searched:
        data = path.read_bytes()
        leaks += [f"{what} in {path}" for what, value in planted.items() if value.encode() in data]
    assert not leaks, leaks
