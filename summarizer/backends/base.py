"""The one interface every text-generation backend offers, and what they share.

A backend turns chat messages into text. Two things sit on top of `complete` and are the same
for every backend, so they live here: schema-constrained structured output (`structured_output`)
and scrubbing chat-template control strings out of untrusted text (`sanitize_untrusted`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar, runtime_checkable

from pydantic import BaseModel, ValidationError

from digest_core.errors import UserError
from digest_core import llama_runtime

Message = dict[str, str]  # {"role": "system"|"user"|"assistant", "content": "..."}
M = TypeVar("M", bound=BaseModel)


# --------------------------------------------------------------------------------------- errors
class BackendError(UserError):
    """Base of every backend failure. str(err) is one line a user can act on."""


class BackendUnavailable(BackendError):
    """The model server cannot be reached, or kept failing (5xx/429) after every retry."""


class AuthError(BackendError):
    """No API key, or the server rejected it (HTTP 401/403)."""


class ModelFileError(BackendError, llama_runtime.ModelFileError):
    """The model file is missing, unreadable, or not a GGUF file."""


class ContextTooSmall(BackendError):
    """Prompt plus requested output does not fit the model's context window."""


# --------------------------------------------------------------------------------------- records
@dataclass(frozen=True, slots=True)
class Completion:
    text: str
    prompt_tokens: int
    completion_tokens: int
    seconds: float  # wall time of the call, as the caller waited for it
    finish_reason: str | None = None  # "stop" or "length" (ran into max_tokens): callers detect truncation


# --------------------------------------------------------------------------------------- protocol
@runtime_checkable
class Backend(Protocol):
    name: str  # "llamacpp" | "openai"
    model: str  # model file stem or API model id, for logs and reports
    context_length: int  # tokens of prompt + output the model accepts

    def complete(
        self,
        messages: list[Message],
        *,
        max_tokens: int,
        temperature: float = 0.0,
        seed: int = 0,
        json_schema: dict[str, Any] | None = None,
        stop: list[str] | None = None,
    ) -> Completion: ...

    def structured(
        self,
        messages: list[Message],
        model_cls: type[M],
        *,
        max_tokens: int = 256,
        temperature: float = 0.0,
        seed: int = 0,
        repair: bool = True,
    ) -> M | None: ...

    def count_tokens(self, text: str) -> int: ...

    def stats(self) -> dict[str, float | int]:
        """What the backend has cost so far: llm_seconds, calls, prompt_tokens, completion_tokens, load_seconds
        (a wrapper may add its own keys, e.g. the cache's hits and misses)."""
        ...


# --------------------------------------------------------------------------------------- structured
def parse_structured(text: str, model_cls: type[M]) -> tuple[M | None, str | None]:
    """Validate `text` as `model_cls`; return (object, None) or (None, one-line reason)."""
    try:
        return model_cls.model_validate_json(text.strip()), None
    except ValidationError as err:
        first = err.errors()[0] if err.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ())) or "output"
        return None, f"{where}: {first.get('msg', str(err))}"[:300]
    except ValueError as err:  # pragma: no cover - pydantic reports bad JSON as ValidationError
        return None, str(err)[:300]


def structured_output(
    backend: Backend,
    messages: list[Message],
    model_cls: type[M],
    *,
    max_tokens: int = 256,
    temperature: float = 0.0,
    seed: int = 0,
    repair: bool = True,
) -> M | None:
    """Ask for JSON matching `model_cls`'s schema; one retry that shows the model its error (unless not ``repair``).

    The schema constrains decoding where the backend can (llama.cpp grammar), but a grammar does
    not stop a small model from running into max_tokens mid-string, and remote servers may ignore
    the schema, so the result is always validated. Malformed output is an expected outcome for a
    135M model, hence None rather than an exception; transport errors still raise BackendError.
    """
    schema = model_cls.model_json_schema()
    convo = list(messages)
    for attempt in range(2 if repair else 1):
        out = backend.complete(convo, max_tokens=max_tokens, temperature=temperature, seed=seed + attempt,
                               json_schema=schema)
        obj, problem = parse_structured(out.text, model_cls)
        if obj is not None:
            return obj
        if out.finish_reason == "length":
            problem = f"the answer was cut off at {max_tokens} tokens; be shorter ({problem})"
        convo = convo + [
            {"role": "assistant", "content": out.text},
            {"role": "user", "content": f"That answer was not valid: {problem}. "
                                        f"Reply again with only JSON matching this schema: {json.dumps(schema)}"},
        ]
    return None


class UsageMixin:
    """Counts what a backend's calls cost; benchmarks and the run's timings read them through `stats()`."""

    load_seconds = 0.0  # model load (local backends); class defaults, set per instance as calls are counted
    llm_seconds = 0.0
    calls = 0
    prompt_tokens_total = 0
    completion_tokens_total = 0

    def _counted(self, result: Completion) -> Completion:
        self.llm_seconds += result.seconds
        self.calls += 1
        self.prompt_tokens_total += result.prompt_tokens
        self.completion_tokens_total += result.completion_tokens
        return result

    def stats(self) -> dict[str, float | int]:
        return {"load_seconds": self.load_seconds, "llm_seconds": self.llm_seconds, "calls": self.calls,
                "prompt_tokens": self.prompt_tokens_total, "completion_tokens": self.completion_tokens_total}


class StructuredMixin(UsageMixin):
    """Gives a backend class `structured` on top of its own `complete`, and the usage counters."""

    def structured(self, messages: list[Message], model_cls: type[M], *, max_tokens: int = 256,
                   temperature: float = 0.0, seed: int = 0, repair: bool = True) -> M | None:
        return structured_output(self, messages, model_cls, max_tokens=max_tokens,  # type: ignore[arg-type]
                                 temperature=temperature, seed=seed, repair=repair)


# --------------------------------------------------------------------------------------- sanitising
# Control strings of the common chat templates. llama.cpp tokenizes the *rendered* template with
# special-token parsing on, so a news article containing "<|im_end|>" would otherwise end the user
# turn and let the article speak as the assistant or the system.
_GENERIC_SPECIALS = re.compile(
    r"<\|[^<>|\s]{1,40}\|>"  # ChatML / Llama-3 / Phi: <|im_start|>, <|eot_id|>, <|endoftext|>
    r"|\[/?INST\]|<</?SYS>>"  # Llama-2 / Mistral
    r"|</?s>"  # sentencepiece BOS/EOS as text
    r"|<(?:start|end)_of_turn>|<(?:bos|eos|pad|unk)>",  # Gemma
    re.IGNORECASE,
)


def sanitize_untrusted(text: str, extra_specials: tuple[str, ...] | list[str] = ()) -> str:
    """Remove chat-template control strings from text that came from a source article.

    `extra_specials` are the loaded model's own control tokens (backends pass them). Each hit is
    replaced by a space so neighbouring words stay apart, and the scrub repeats until nothing
    changes so that "<|im_<|x|>end|>" cannot reassemble into a token.
    """
    extras = sorted((s for s in extra_specials if s), key=len, reverse=True)
    while True:
        cleaned = _GENERIC_SPECIALS.sub(" ", text)
        for token in extras:
            cleaned = cleaned.replace(token, " ")
        if cleaned == text:
            return cleaned
        text = cleaned


def sanitize_messages(messages: list[Message], extra_specials: tuple[str, ...] | list[str] = ()) -> list[Message]:
    return [{**m, "content": sanitize_untrusted(str(m.get("content", "")), extra_specials)} for m in messages]
