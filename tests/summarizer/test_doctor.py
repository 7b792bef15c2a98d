"""`digest models` and `digest doctor` as a user runs them: real model files, a real local HTTP endpoint."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from digest_core.llama_runtime import bundled_model_path

from ..conftest import run_cli

CLEAN = {"DIGEST_BACKEND": "local", "DIGEST_MODELS_DIR": "", "DIGEST_MODEL": "", "DIGEST_CHROMA_URL": ""}


@pytest.fixture
def models_dir(tmp_path):
    folder = tmp_path / "models"
    folder.mkdir()
    (folder / "bigger.gguf").symlink_to(bundled_model_path())  # a real GGUF under another name
    (folder / "broken.gguf").write_bytes(b"<html>not a model</html>")
    return folder


@pytest.fixture
def models_endpoint():
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            body = json.dumps({"object": "list", "data": [{"id": "served-model", "object": "model"}]}).encode()
            self.send_response(200 if self.path == "/v1/models" else 404)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()


def test_models_lists_bundled_and_folder_models_with_size_and_context(models_dir, tmp_path):
    result = run_cli("models", "--json", cwd=tmp_path, env={**CLEAN, "DIGEST_MODELS_DIR": str(models_dir)})
    assert result.returncode == 0, result.stderr
    listed = json.loads(result.stdout)
    assert listed["schema_version"]  # every JSON the tool prints carries the output contract's version
    found = {m["name"]: m for m in listed["models"]}
    bundled = next(m for m in found.values() if m["bundled"])
    assert "SmolLM2" in bundled["name"] and bundled["context_length"] == 8192 and bundled["size_bytes"] > 50 * 2**20
    assert found["bigger.gguf"]["context_length"] == 8192 and found["bigger.gguf"]["problem"] is None
    assert "not a GGUF" in found["broken.gguf"]["problem"]
    table = run_cli("models", cwd=tmp_path, env={**CLEAN, "DIGEST_MODELS_DIR": str(models_dir)})
    assert "bigger.gguf" in table.stdout and "MiB" in table.stdout and "8192" in table.stdout


def test_doctor_passes_on_a_working_setup(tmp_path):
    result = run_cli("doctor", cwd=tmp_path, env=CLEAN)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "embedding model" in result.stdout and "sha256" in result.stdout and "FAIL" not in result.stdout


def test_doctor_names_a_broken_model_file_and_the_fix(models_dir, tmp_path):
    result = run_cli("doctor", cwd=tmp_path, env={**CLEAN, "DIGEST_MODELS_DIR": str(models_dir)})
    assert result.returncode == 1
    assert "FAIL model broken.gguf" in result.stdout and "fix:" in result.stdout
    assert "bigger.gguf" in result.stdout and "context 8192" in result.stdout


def test_doctor_checks_the_api_backend_when_configured(models_endpoint, tmp_path):
    api = {**CLEAN, "DIGEST_BACKEND": "openai", "OPENAI_BASE_URL": models_endpoint, "OPENAI_API_KEY": "k"}
    ok = run_cli("doctor", cwd=tmp_path, env={**api, "DIGEST_API_MODEL": "served-model"})
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "served-model" in ok.stdout
    wrong_model = run_cli("doctor", cwd=tmp_path, env={**api, "DIGEST_API_MODEL": "gpt-4o-mini"})
    assert wrong_model.returncode == 1 and "DIGEST_API_MODEL" in wrong_model.stdout
    down = run_cli("doctor", cwd=tmp_path, env={**api, "OPENAI_BASE_URL": "http://127.0.0.1:9/v1"})
    assert down.returncode == 1 and "cannot reach" in down.stdout


def test_doctor_masks_credentials_and_fails_them_over_plain_http(tmp_path):
    key = "sk-doctor-0123456789abcdef0123"
    env = {**CLEAN, "OPENAI_API_KEY": key, "DIGEST_OPENAI_HEADERS": '{"X-Gateway-Key": "gw-doctor-0123456789"}'}
    safe = run_cli("doctor", cwd=tmp_path, env={**env, "OPENAI_BASE_URL": "https://llm.example/v1"})
    assert safe.returncode == 0, safe.stdout + safe.stderr
    assert "ok   API credentials: OPENAI_API_KEY ****0123, DIGEST_OPENAI_HEADERS X-Gateway-Key: ****" in safe.stdout
    plain = run_cli("doctor", cwd=tmp_path, env={**env, "OPENAI_BASE_URL": "http://10.1.2.3:8000/v1"})
    assert plain.returncode == 1
    assert "FAIL API credentials" in plain.stdout and "over plain http" in plain.stdout and "use an https URL" in plain.stdout
    for result in (safe, plain):
        assert key not in result.stdout + result.stderr and "gw-doctor-0123456789" not in result.stdout + result.stderr

