"""The OpenAI-compatible backend against a real llama.cpp server and a scripted faulty server."""

from __future__ import annotations

import time
from typing import Literal

import pytest
from pydantic import BaseModel

from summarizer.backends import AuthError, BackendError, BackendUnavailable, make_backend
from summarizer.backends.openai_compat import OpenAICompatBackend, resolve_schema_mode

from .conftest import chat_body, error_body, free_port

pytestmark = pytest.mark.allow_hosts(["127.0.0.1"])  # pytest-socket: loopback only, whatever a test tries

HELLO = [{"role": "user", "content": "Say hello."}]


class Verdict(BaseModel):
    verdict: Literal["supported", "unsupported", "contradicted"]
    reason: str


def fast(base_url: str, **kw) -> OpenAICompatBackend:
    """A backend with millisecond backoff, so retry tests take no time."""
    kw.setdefault("max_retries", 3)
    return OpenAICompatBackend(base_url=base_url, api_key="k", backoff_base=0.01, timeout=5, **kw)


# ------------------------------------------------------------------ real llama.cpp server
@pytest.mark.slow
@pytest.mark.server
def test_complete_through_a_real_llama_cpp_server(llama_server):
    backend = OpenAICompatBackend(base_url=llama_server.base_url, api_key=llama_server.api_key, model="smollm2")
    out = backend.complete(HELLO, max_tokens=12)
    assert out.text.strip()
    assert out.prompt_tokens > 0 and 0 < out.completion_tokens <= 12
    again = backend.complete(HELLO, max_tokens=12)
    assert again.text == out.text  # temperature 0 and a fixed seed through the server too


@pytest.mark.slow
@pytest.mark.server
def test_structured_output_through_a_real_llama_cpp_server(llama_server):
    backend = make_backend("openai", base_url=llama_server.base_url, api_key=llama_server.api_key, api_model="smollm2")
    assert backend.schema_mode == "json_object+schema"  # the form llama.cpp's server turns into a grammar
    messages = [
        {"role": "system", "content": 'Reply with JSON {"verdict": "supported|unsupported|contradicted", "reason": "..."}'},
        {"role": "user", "content": "Evidence: The council approved the budget.\nSentence: The council approved it."},
    ]
    result = backend.structured(messages, Verdict, max_tokens=60)
    assert isinstance(result, Verdict)


@pytest.mark.slow
@pytest.mark.server
def test_wrong_key_is_an_auth_error_without_retries(llama_server):
    backend = fast(llama_server.base_url)  # key "k"; the server wants another
    start = time.monotonic()
    with pytest.raises(AuthError, match="HTTP 401") as err:
        backend.complete(HELLO, max_tokens=4)
    assert llama_server.base_url in str(err.value)
    assert time.monotonic() - start < 5


def test_missing_server_is_unavailable_and_names_the_url():
    url = f"http://127.0.0.1:{free_port()}/v1"  # nothing listens there
    start = time.monotonic()
    with pytest.raises(BackendUnavailable, match="cannot reach") as err:
        OpenAICompatBackend(base_url=url, api_key="k", max_retries=3, backoff_base=1.0).complete(HELLO, max_tokens=4)
    # a refused connection on this machine is not retried: no server will appear during the backoff
    assert url in str(err.value) and "after 1 attempt)" in str(err.value) and "refused" in str(err.value)
    assert time.monotonic() - start < 5.0  # three retries would back off 1 + 2 + 4 s


# ------------------------------------------------------------------ scripted faults
def test_429_then_500_then_success_is_retried(scripted_server):
    server = scripted_server([(429, error_body("slow down")), (500, error_body("oops")), (200, chat_body("finally"))])
    out = fast(server.base_url).complete(HELLO, max_tokens=4)
    assert out.text == "finally"
    assert len(server.requests) == 3
    assert out.prompt_tokens == 5 and out.completion_tokens == 3


def test_persistent_500_gives_a_clear_error_after_the_retries(scripted_server):
    server = scripted_server([(500, error_body("model crashed"))])
    with pytest.raises(BackendUnavailable) as err:
        fast(server.base_url, max_retries=2).complete(HELLO, max_tokens=4)
    message = str(err.value)
    assert "HTTP 500" in message and "after 3 attempts" in message and server.base_url in message
    assert "\n" not in message
    assert len(server.requests) == 3


def test_backoff_grows_exponentially(scripted_server):
    server = scripted_server([(503, error_body("busy"))])
    start = time.monotonic()
    with pytest.raises(BackendUnavailable):
        OpenAICompatBackend(base_url=server.base_url, api_key="k", backoff_base=0.1, max_retries=3).complete(
            HELLO, max_tokens=4)
    assert time.monotonic() - start >= 0.1 + 0.2 + 0.4
    assert len(server.requests) == 4


def test_connection_dropped_mid_response_is_retried(scripted_server):
    server = scripted_server(["drop", (200, chat_body("recovered"))])
    assert fast(server.base_url).complete(HELLO, max_tokens=4).text == "recovered"
    assert len(server.requests) == 2


def test_connection_always_dropped_is_unavailable(scripted_server):
    server = scripted_server(["drop"])
    with pytest.raises(BackendUnavailable, match="cannot reach") as err:
        fast(server.base_url, max_retries=1).complete(HELLO, max_tokens=4)
    assert server.base_url in str(err.value)
    assert len(server.requests) == 2


def test_timeout_is_unavailable_and_says_how_long(scripted_server):
    server = scripted_server([("sleep", 2.0)])
    backend = OpenAICompatBackend(base_url=server.base_url, api_key="k", timeout=0.3, max_retries=0)
    with pytest.raises(BackendUnavailable, match=r"did not answer within 0\.3 s"):
        backend.complete(HELLO, max_tokens=4)


def test_scripted_401_is_an_auth_error(scripted_server):
    server = scripted_server([(401, error_body("bad key"))])
    with pytest.raises(AuthError, match="HTTP 401"):
        fast(server.base_url).complete(HELLO, max_tokens=4)
    assert len(server.requests) == 1  # a wrong key does not get better by retrying


def test_400_context_overflow_is_context_too_small(scripted_server):
    from summarizer.backends import ContextTooSmall

    server = scripted_server([(400, error_body("Requested tokens (5000) exceed context window of 2048"))])
    with pytest.raises(ContextTooSmall, match="exceed context window"):
        fast(server.base_url).complete(HELLO, max_tokens=4)


def test_structured_retries_once_with_the_validation_error(scripted_server):
    server = scripted_server([(200, chat_body('{"verdict": "maybe", "reason": "x"}')),
                              (200, chat_body('{"verdict": "supported", "reason": "stated"}'))])
    result = fast(server.base_url).structured(HELLO, Verdict, max_tokens=40)
    assert result == Verdict(verdict="supported", reason="stated")
    assert len(server.requests) == 2
    sent_schema = server.requests[0]["response_format"]
    assert sent_schema["type"] == "json_object" and sent_schema["schema"]["properties"]["verdict"]
    retry_messages = server.requests[1]["messages"]
    assert retry_messages[-2] == {"role": "assistant", "content": '{"verdict": "maybe", "reason": "x"}'}
    assert "verdict" in retry_messages[-1]["content"] and "not valid" in retry_messages[-1]["content"]


def test_structured_gives_none_after_two_malformed_answers(scripted_server):
    server = scripted_server([(200, chat_body("I think it is supported."))])
    assert fast(server.base_url).structured(HELLO, Verdict, max_tokens=40) is None
    assert len(server.requests) == 2


def test_untrusted_control_tokens_are_not_sent(scripted_server):
    server = scripted_server([(200, chat_body("ok"))])
    fast(server.base_url).complete([{"role": "user", "content": "a<|im_end|>b [INST] c"}], max_tokens=4)
    sent = server.requests[0]["messages"][0]["content"]
    assert "<|im_end|>" not in sent and "[INST]" not in sent and sent.split() == ["a", "b", "c"]


# ------------------------------------------------------------------ configuration
def test_missing_key_for_a_remote_url_is_an_auth_error(monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with pytest.raises(AuthError, match="OPENAI_API_KEY is not set"):
        OpenAICompatBackend(base_url="https://api.example.com/v1")


def test_local_server_needs_no_key(monkeypatch, scripted_server):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    server = scripted_server([(200, chat_body("ok"))])
    assert OpenAICompatBackend(base_url=server.base_url).complete(HELLO, max_tokens=4).text == "ok"


def test_offline_forbids_the_api_backend():
    with pytest.raises(BackendError, match="--offline/DIGEST_OFFLINE=1 forbids it"):
        make_backend("openai", base_url="http://127.0.0.1:9/v1", offline=True)


def test_schema_mode_is_chosen_by_host():
    assert resolve_schema_mode("https://api.openai.com/v1", "auto") == "json_schema"
    assert resolve_schema_mode("http://127.0.0.1:8080/v1", "auto") == "json_object+schema"
    assert resolve_schema_mode("https://api.openai.com/v1", "json_object") == "json_object"


def test_json_schema_mode_sends_openai_structured_outputs(scripted_server):
    server = scripted_server([(200, chat_body('{"verdict": "supported", "reason": "r"}'))])
    fast(server.base_url, schema_mode="json_schema").structured(HELLO, Verdict, max_tokens=40)
    fmt = server.requests[0]["response_format"]
    assert fmt["type"] == "json_schema" and fmt["json_schema"]["name"] == "Verdict"
    assert fmt["json_schema"]["schema"]["required"] == ["verdict", "reason"]


@pytest.mark.slow
@pytest.mark.server
def test_langchain_chat_model_talks_to_the_same_server(llama_server):
    backend = OpenAICompatBackend(base_url=llama_server.base_url, api_key=llama_server.api_key, model="smollm2")
    chat = backend.as_langchain_chat_model()
    reply = chat.invoke("Say hello.", max_tokens=8)
    assert reply.content == backend.complete(HELLO, max_tokens=8).text
