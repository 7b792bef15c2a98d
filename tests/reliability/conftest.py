"""Reliability fixtures: a tiny two-source story (cheap for the local model), and the shared real servers.

`chroma_proxy` puts a real `chroma run` server behind an authenticating HTTPS proxy (tests/auth_proxy.py),
with a self-signed certificate made for the module and a fresh random token and gateway key.

The scripted fault server comes from tests/backends: a real HTTP server on 127.0.0.1 that answers
429/5xx, drops the connection mid-body or sleeps, on purpose.
"""

from __future__ import annotations

import json
import secrets
from pathlib import Path

import pytest

from tests.auth_proxy import AuthProxy, self_signed_certificate
from tests.backends.conftest import chat_body, error_body, scripted_server  # noqa: F401 - fixtures reused

HARBOUR_A = """Harbour bridge reopens after repairs

The Kessel harbour bridge reopened to traffic on Friday after two years of repairs, the city council said.

The repairs cost 40 million euros, according to the council's statement.

Mayor Anna Berg said the bridge would carry about 30,000 vehicles a day.
"""

HARBOUR_B = """Kessel bridge open again

The harbour bridge in Kessel reopened on Friday following two years of repair work, council officials said.

Officials put the cost of the repairs at 40 million euros.

Some residents said the work had taken far longer than promised.
"""


def write_story(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "harbour_a.txt").write_text(HARBOUR_A, encoding="utf-8")
    (folder / "harbour_b.txt").write_text(HARBOUR_B, encoding="utf-8")
    return folder


@pytest.fixture
def story(tmp_path: Path) -> Path:
    return write_story(tmp_path / "story")


def api_env(base_url: str, **extra: str) -> dict[str, str]:
    """Environment for `digest run --backend openai` against a local server; retries stay quick."""
    return {"OPENAI_BASE_URL": base_url, "OPENAI_API_KEY": "test-key", "DIGEST_API_RETRIES": "2",
            "DIGEST_API_TIMEOUT": "5", **extra}


def sentence_reply(text: str = "The Kessel harbour bridge reopened on Friday after two years of repairs.") -> dict:
    return chat_body(json.dumps({"sentence": text}))


def one_line_error(stderr: str) -> str:
    """The error line, after checking it is the only problem report and no traceback was shown."""
    assert "Traceback" not in stderr, stderr
    errors = [line for line in stderr.splitlines() if line.startswith(("error", "unexpected error"))]
    assert len(errors) == 1, stderr
    return errors[0]


@pytest.fixture(scope="module")
def tls_certificate(tmp_path_factory) -> tuple[Path, Path]:
    """(certificate, key) for 127.0.0.1; the certificate is also the CA bundle a client must be given."""
    return self_signed_certificate(tmp_path_factory.mktemp("tls"))


@pytest.fixture(scope="module")
def chroma_proxy(chroma_server, tls_certificate):
    """https://127.0.0.1:PORT in front of the session's Chroma server: `Authorization: Bearer <token>` or
    `X-Api-Key: <gateway key>` gets through, anything else gets 401 (both values random per module)."""
    cert, key = tls_certificate
    proxy = AuthProxy(chroma_server, cert, key, token="tok-" + secrets.token_hex(12),
                      accept_header=("X-Api-Key", "gw-" + secrets.token_hex(12))).start()
    yield proxy
    proxy.stop()

