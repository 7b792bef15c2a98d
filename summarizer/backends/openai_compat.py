"""Any OpenAI-compatible chat endpoint: api.openai.com, llama.cpp's server, vLLM, Ollama, ...

Retries are our own loop (the client's are switched off) so that the backoff base is a parameter:
tests run with milliseconds, users with seconds.
"""

from __future__ import annotations

import math
import os
import re
import time
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlparse

from ..credentials import redact, redact_url, remember
from .base import (
    AuthError,
    BackendError,
    BackendUnavailable,
    Completion,
    ContextTooSmall,
    Message,
    StructuredMixin,
    sanitize_messages,
)

if TYPE_CHECKING:
    import openai

SchemaMode = Literal["auto", "json_schema", "json_object+schema", "json_object"]
OPENAI_URL = "https://api.openai.com/v1"
DEFAULT_API_MODEL = "gpt-4o-mini"
_LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "0.0.0.0"}
_NO_KEY = "sk-no-key-required"  # local servers ignore the key, but the client insists on one


def is_local_url(url: str) -> bool:
    host = (urlparse(url).hostname or "").lower()
    return host in _LOCAL_HOSTS or host.endswith(".localhost")


def is_openai_proper(url: str) -> bool:
    return (urlparse(url).hostname or "").lower() == "api.openai.com"


def resolve_schema_mode(base_url: str, mode: SchemaMode) -> SchemaMode:
    """OpenAI proper takes `json_schema`; llama-cpp-python's server answers that with HTTP 500 and
    instead enforces a grammar for `{"type": "json_object", "schema": ...}` (PLATFORM.md)."""
    if mode != "auto":
        return mode
    return "json_schema" if is_openai_proper(base_url) else "json_object+schema"


def _one_line(text: object, limit: int = 200) -> str:
    """Server-provided text for a message: one line, short, and without our secrets (a gateway may echo them)."""
    line = redact(" ".join(str(text).split()))
    return line if len(line) <= limit else line[: limit - 1] + "…"


class OpenAICompatBackend(StructuredMixin):
    name = "openai"

    def __init__(self, *, base_url: str | None = None, api_key: str | None = None, model: str | None = None,
                 timeout: float = 60.0, max_retries: int = 3, backoff_base: float = 1.0, max_backoff: float = 20.0,
                 schema_mode: SchemaMode = "auto", context_length: int = 8192, headers: dict[str, str] | None = None,
                 ca_bundle: str | os.PathLike[str] | None = None) -> None:
        import openai  # imported when a client is made: `digest eval` never pays for it
        self.base_url = (base_url or os.environ.get("OPENAI_BASE_URL") or OPENAI_URL).rstrip("/")
        self.shown_url = redact_url(self.base_url)  # what messages, the cache and reports may show
        key = api_key or os.environ.get("OPENAI_API_KEY")
        self.headers = dict(headers or {})
        remember(key, *self.headers.values())
        if not key:
            if not is_local_url(self.base_url):
                raise AuthError(f"OPENAI_API_KEY is not set; export it or pass an API key for {self.shown_url}")
            key = _NO_KEY
        self.model = model or DEFAULT_API_MODEL
        self.timeout = timeout
        self.max_retries = max_retries
        self.backoff_base = backoff_base
        self.max_backoff = max_backoff
        self.schema_mode = resolve_schema_mode(self.base_url, schema_mode)
        self.context_length = context_length  # the API does not report it; the caller knows the model
        self._api_key = key
        self.ca_bundle = ca_bundle
        http_client = None
        if ca_bundle is not None:
            import ssl

            http_client = openai.DefaultHttpxClient(verify=ssl.create_default_context(cafile=str(ca_bundle)))
        self._client = openai.OpenAI(base_url=self.base_url, api_key=key, timeout=timeout, max_retries=0,
                                     default_headers=self.headers or None, http_client=http_client)

    def count_tokens(self, text: str) -> int:
        # No tokenizer for a remote model offline. English BPE averages ~4 bytes/token; dividing by 3
        # over-counts on purpose so prompts fitted with it still fit.
        return math.ceil(len(text.encode("utf-8")) / 3)

    def _response_format(self, schema: dict[str, Any]) -> dict[str, Any]:
        if self.schema_mode == "json_schema":
            name = re.sub(r"[^A-Za-z0-9_-]", "_", str(schema.get("title", "output")))[:64] or "output"
            return {"type": "json_schema", "json_schema": {"name": name, "schema": schema, "strict": False}}
        if self.schema_mode == "json_object+schema":
            return {"type": "json_object", "schema": schema}
        return {"type": "json_object"}

    def complete(self, messages: list[Message], *, max_tokens: int, temperature: float = 0.0, seed: int = 0,
                 json_schema: dict[str, Any] | None = None, stop: list[str] | None = None) -> Completion:
        kwargs: dict[str, Any] = {
            "model": self.model, "messages": sanitize_messages(messages), "max_tokens": max_tokens,
            "temperature": temperature, "seed": seed,
        }
        if stop:
            kwargs["stop"] = stop
        if json_schema is not None:
            kwargs["response_format"] = self._response_format(json_schema)
        start = time.perf_counter()
        response = self._create_with_retries(kwargs)
        seconds = time.perf_counter() - start
        if not response.choices:
            raise BackendError(f"the model server at {self.shown_url} returned no choices")
        choice = response.choices[0]
        usage = response.usage
        result = Completion(text=choice.message.content or "",
                            prompt_tokens=getattr(usage, "prompt_tokens", 0) or 0,
                            completion_tokens=getattr(usage, "completion_tokens", 0) or 0,
                            seconds=seconds, finish_reason=choice.finish_reason)
        return self._counted(result)

    def _create_with_retries(self, kwargs: dict[str, Any]) -> Any:
        import openai  # imported when a client is made: `digest eval` never pays for it
        attempts = self.max_retries + 1
        for attempt in range(attempts):
            try:
                return self._client.chat.completions.create(**kwargs)
            except (openai.APIConnectionError, openai.RateLimitError, openai.InternalServerError) as err:
                if attempt + 1 >= attempts or self._nothing_listening(err):
                    raise self._give_up(err, attempt + 1) from None
                time.sleep(self._delay(err, attempt))
            except openai.APIStatusError as err:
                raise self._refused(err) from None
            except openai.APIError as err:  # e.g. a 200 whose body is not a chat completion
                raise BackendError(f"bad response from the model server at {self.shown_url}: "
                                   f"{_one_line(err.message)}") from None
        raise AssertionError("unreachable")  # pragma: no cover

    def _nothing_listening(self, err: Exception) -> bool:
        """A refused connection on this machine: no server runs there, and none will start while we back off."""
        import openai
        if not isinstance(err, openai.APIConnectionError) or isinstance(err, openai.APITimeoutError):
            return False
        host = (urlparse(self.base_url).hostname or "").lower()
        if host not in ("localhost", "127.0.0.1", "::1") and not host.startswith("127."):
            return False  # a remote endpoint may be restarting behind its load balancer: retry
        seen: BaseException | None = err
        for _ in range(8):  # httpx wraps the socket error; walk the chain a few links
            if seen is None:
                break
            if isinstance(seen, ConnectionRefusedError) or "connection refused" in str(seen).lower():
                return True
            seen = seen.__cause__ or seen.__context__
        return False

    def _delay(self, err: Exception, attempt: int) -> float:
        delay = self.backoff_base * (2**attempt)
        response = getattr(err, "response", None)
        retry_after = response.headers.get("retry-after") if response is not None else None
        if retry_after:
            try:
                delay = max(delay, float(retry_after))  # the server knows when it will have capacity
            except ValueError:
                pass  # an HTTP date; the exponential delay will do
        return min(delay, self.max_backoff)

    def _give_up(self, err: Exception, attempts: int) -> BackendError:
        import openai  # imported when a client is made: `digest eval` never pays for it
        tries = f"after {attempts} attempt{'s' if attempts != 1 else ''}"
        if isinstance(err, openai.APITimeoutError):
            return BackendUnavailable(f"the model server at {self.shown_url} did not answer within "
                                      f"{self.timeout:g} s ({tries})")
        if isinstance(err, openai.APIConnectionError):
            cause = err.__cause__ or err
            return BackendUnavailable(f"cannot reach the model server at {self.shown_url} ({tries}): "
                                      f"{_one_line(type(cause).__name__ + ': ' + str(cause), 120)}")
        if isinstance(err, openai.RateLimitError):
            return BackendUnavailable(f"the model server at {self.shown_url} is rate-limiting requests "
                                      f"(HTTP 429 {tries}); wait and try again")
        status = getattr(err, "status_code", "5xx")
        return BackendUnavailable(f"the model server at {self.shown_url} keeps failing (HTTP {status} {tries}): "
                                  f"{_one_line(getattr(err, 'message', err), 120)}")

    def _refused(self, err: "openai.APIStatusError") -> BackendError:
        code = err.status_code
        if code in (401, 403):
            hint = "check OPENAI_API_KEY" if self._api_key != _NO_KEY else "the server wants an API key"
            if self.headers:
                hint += " and DIGEST_OPENAI_HEADERS"
            return AuthError(f"the model server at {self.shown_url} rejected the API key (HTTP {code}); {hint}")
        detail = _one_line(err.message)
        if code == 400 and "context" in detail.lower():
            return ContextTooSmall(f"the prompt does not fit model {self.model} at {self.shown_url}: {detail}")
        if code == 404:
            return BackendError(f"HTTP 404 from {self.shown_url}: wrong base URL or unknown model '{self.model}'")
        return BackendError(f"the model server at {self.shown_url} refused the request (HTTP {code}): {detail}")

    def as_langchain_chat_model(self) -> Any:
        from .langchain_adapter import chat_openai  # lazy: LangChain stays off the hot path

        return chat_openai(model=self.model, base_url=self.base_url, api_key=self._api_key, timeout=self.timeout,
                           max_retries=self.max_retries, openai_proper=is_openai_proper(self.base_url),
                           headers=self.headers, ca_bundle=self.ca_bundle)
