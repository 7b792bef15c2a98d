"""A shared Chroma server behind https and credentials: a real `chroma run` behind an authenticating TLS proxy
(tests/auth_proxy.py), used through the real CLI. The right token or header works end to end; a missing or
wrong one, or a certificate the client was not told to trust, is one line and exit 2, and nothing is read
from or written to the server (never a silently empty store)."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest

from summarizer.stores import ChromaStore, StoreError

from ..conftest import run_cli
from .conftest import one_line_error, write_story


def env_for(proxy, cert, collection: str, **extra: str) -> dict[str, str]:
    return {"DIGEST_CHROMA_URL": proxy.url, "DIGEST_CA_BUNDLE": str(cert), "DIGEST_COLLECTION": collection,
            "DIGEST_CHROMA_TOKEN": "", "DIGEST_CHROMA_HEADERS": "", **extra}


def stored_sources(chroma_server: str, collection: str) -> set[str]:
    """What the server behind the proxy holds, read directly (no proxy)."""
    return {p.source for p in ChromaStore(url=chroma_server, collection=collection).passages()}


def collections(chroma_server: str) -> set[str]:
    import chromadb

    address = urlsplit(chroma_server)
    client = chromadb.HttpClient(host=address.hostname, port=address.port)
    return {c.name for c in client.list_collections()}


def test_the_right_token_over_https_ingests_and_runs(chroma_proxy, chroma_server, tls_certificate, tmp_path):
    cert, _ = tls_certificate
    story = write_story(tmp_path / "story")
    env = env_for(chroma_proxy, cert, "auth-token", DIGEST_CHROMA_TOKEN=chroma_proxy.token)
    before = chroma_proxy.forwarded
    ingest = run_cli("ingest", str(story), "--json", cwd=tmp_path, env=env)
    assert ingest.returncode == 0, ingest.stderr
    assert json.loads(ingest.stdout)["documents"] == 2
    assert chroma_proxy.forwarded > before  # it really went through the proxy
    assert stored_sources(chroma_server, "auth-token") == {"harbour_a.txt", "harbour_b.txt"}

    run = run_cli("run", str(story), "--out", str(tmp_path / "out"), "--max-sentences", "1", "--quiet",
                  cwd=tmp_path, env=env)
    assert run.returncode == 0, run.stderr
    digest = json.loads((tmp_path / "out" / "digest.json").read_text())
    assert digest["sentences"] and digest["sentences"][0]["citations"]
    assert not (tmp_path / ".digest" / "chroma.sqlite3").exists()  # no embedded store on the side


def test_custom_headers_are_sent_instead_of_a_token(chroma_proxy, chroma_server, tls_certificate, tmp_path):
    cert, _ = tls_certificate
    story = write_story(tmp_path / "story")
    name, value = chroma_proxy.accept_header
    env = env_for(chroma_proxy, cert, "auth-headers", DIGEST_CHROMA_HEADERS=json.dumps({name: value}))
    result = run_cli("ingest", str(story), "--json", cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    assert stored_sources(chroma_server, "auth-headers") == {"harbour_a.txt", "harbour_b.txt"}
    doctor = run_cli("doctor", cwd=tmp_path, env={**env, "DIGEST_BACKEND": "local"})
    assert "passage store: Chroma server https://" in doctor.stdout and "2 passages" in doctor.stdout
    assert value not in doctor.stdout + doctor.stderr and "X-Api-Key: ****" in doctor.stdout


@pytest.mark.parametrize("credentials, expected", [
    ({}, "wants credentials (HTTP 401); set DIGEST_CHROMA_TOKEN"),
    ({"DIGEST_CHROMA_TOKEN": "tok-wrong-0123456789abcdef"}, "refused the credentials (HTTP 401)"),
    ({"DIGEST_CHROMA_HEADERS": '{"X-Api-Key": "gw-wrong-0123456789abcdef"}'}, "refused the credentials (HTTP 401)"),
], ids=["missing", "wrong-token", "wrong-header"])
def test_missing_or_wrong_credentials_are_one_line_and_touch_nothing(
        chroma_proxy, chroma_server, tls_certificate, tmp_path, credentials, expected):
    cert, _ = tls_certificate
    story = write_story(tmp_path / "story")
    collection = "auth-refused"
    env = env_for(chroma_proxy, cert, collection, **credentials)
    before = chroma_proxy.forwarded
    for args in (["ingest", str(story), "--json"], ["run", str(story), "--out", str(tmp_path / "out")]):
        result = run_cli(*args, cwd=tmp_path, env=env)
        assert result.returncode == 2, result.stdout + result.stderr
        line = one_line_error(result.stderr)
        assert expected in line and chroma_proxy.url in line
        assert result.stdout == ""  # not even an empty JSON result
        for value in credentials.values():
            assert "wrong-0123456789abcdef" not in result.stderr and value not in result.stderr
    assert chroma_proxy.forwarded == before  # nothing reached the server
    assert not (tmp_path / "out").exists()
    assert collection not in collections(chroma_server)  # not even created


def test_a_certificate_nobody_said_to_trust_is_named(chroma_proxy, tls_certificate, tmp_path):
    story = write_story(tmp_path / "story")
    env = {"DIGEST_CHROMA_URL": chroma_proxy.url, "DIGEST_CHROMA_TOKEN": chroma_proxy.token, "DIGEST_CA_BUNDLE": ""}
    before = chroma_proxy.forwarded
    result = run_cli("ingest", str(story), cwd=tmp_path, env=env)
    assert result.returncode == 2
    line = one_line_error(result.stderr)
    assert "TLS certificate is not trusted" in line and "DIGEST_CA_BUNDLE" in line
    assert chroma_proxy.forwarded == before
    assert chroma_proxy.token not in result.stderr


def test_unusable_header_settings_are_named_without_their_value(chroma_proxy, tls_certificate, tmp_path):
    cert, _ = tls_certificate
    story = write_story(tmp_path / "story")
    for raw, expected in (('{"X-Api-Key": gw-secret-not-json}', "DIGEST_CHROMA_HEADERS is not valid JSON"),
                          ('["gw-secret-in-a-list"]', "DIGEST_CHROMA_HEADERS must be a JSON object"),
                          ('{"X-Api-Key": "gw-secret\\r\\nX-Injected: 1"}', "must be a string on one line")):
        result = run_cli("ingest", str(story), cwd=tmp_path, env=env_for(chroma_proxy, cert, "auth-bad",
                                                                           DIGEST_CHROMA_HEADERS=raw))
        assert result.returncode == 2
        line = one_line_error(result.stderr)
        assert expected in line and "gw-secret" not in result.stderr


def test_credentials_in_the_url_are_refused_and_never_shown(chroma_proxy, tmp_path):
    story = write_story(tmp_path / "story")
    url = chroma_proxy.url.replace("https://", "https://admin:pw-in-url-0123456789@")
    result = run_cli("ingest", str(story), "--chroma-url", url, cwd=tmp_path)
    assert result.returncode == 2
    assert "must not contain a user name or password" in one_line_error(result.stderr)
    assert "pw-in-url-0123456789" not in result.stderr + result.stdout


def test_credentials_revoked_after_opening_fail_every_call_instead_of_reading_nothing(
        chroma_proxy, tls_certificate, tmp_path):
    cert, _ = tls_certificate
    store = ChromaStore(url=chroma_proxy.url, collection="auth-revoked", ca_bundle=cert,
                        headers={"Authorization": f"Bearer {chroma_proxy.token}"})
    assert store.count() == 0
    token, chroma_proxy.token = chroma_proxy.token, "tok-rotated"  # the server side rotates the token
    try:
        for call in (store.count, store.passages, lambda: store.document_state("/x.txt")):
            with pytest.raises(StoreError, match=r"refused \(HTTP 401\); check DIGEST_CHROMA_TOKEN"):
                call()
    finally:
        chroma_proxy.token = token
