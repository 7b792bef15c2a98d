"""LangChain both ways: a LangChain chat model over any Backend, and any LangChain chat model as a Backend.

``from_langchain(chat_model)`` lets any LangChain chat model write the digest from Python;
``BackendChatModel`` hands our backends to code that wants LangChain's interfaces. Nothing in the
pipeline imports this module unless asked, so LangChain never sits on the hot path.
"""

from __future__ import annotations

import time
from typing import Any

from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult

from .base import (Backend, BackendError, BackendUnavailable, Completion, UsageMixin, sanitize_messages,
                   structured_output)

_ROLES = {"human": "user", "ai": "assistant", "system": "system"}


class BackendChatModel(BaseChatModel):
    backend: Any  # a Backend; typed Any because pydantic cannot validate a Protocol
    max_tokens: int = 256

    @property
    def _llm_type(self) -> str:
        return f"digest-{self.backend.name}"

    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None, run_manager: Any = None,
                  **kwargs: Any) -> ChatResult:
        backend: Backend = self.backend
        convo = [{"role": _ROLES.get(m.type, "user"), "content": str(m.content)} for m in messages]
        out = backend.complete(convo, max_tokens=kwargs.get("max_tokens", self.max_tokens), stop=stop)
        message = AIMessage(content=out.text, usage_metadata={
            "input_tokens": out.prompt_tokens, "output_tokens": out.completion_tokens,
            "total_tokens": out.prompt_tokens + out.completion_tokens})
        return ChatResult(generations=[ChatGeneration(message=message)])


def chat_openai(*, model: str, base_url: str, api_key: str, timeout: float, max_retries: int, openai_proper: bool,
                headers: dict[str, str] | None = None, ca_bundle: Any = None) -> Any:
    """ChatOpenAI for this endpoint. langchain-openai always sends `max_completion_tokens`, which
    llama.cpp's server ignores (it then generates until EOS); other servers get `max_tokens` back."""
    from langchain_openai import ChatOpenAI

    class CompatChatOpenAI(ChatOpenAI):
        def _get_request_payload(self, input_: Any, *, stop: list[str] | None = None, **kwargs: Any) -> dict:
            payload = super()._get_request_payload(input_, stop=stop, **kwargs)
            if "max_completion_tokens" in payload:
                payload["max_tokens"] = payload.pop("max_completion_tokens")
            return payload

    cls = ChatOpenAI if openai_proper else CompatChatOpenAI
    extra: dict[str, Any] = {"default_headers": headers} if headers else {}
    if ca_bundle is not None:
        import ssl

        import httpx

        extra["http_client"] = httpx.Client(verify=ssl.create_default_context(cafile=str(ca_bundle)))
    return cls(model=model, base_url=base_url, api_key=api_key, temperature=0, timeout=timeout,
               max_retries=max_retries, seed=0, **extra)


class LangChainBackend(UsageMixin):
    """Any LangChain chat model as a digest Backend: ``run_digest(..., backend=from_langchain(chat_model))``.

    Untrusted text is sanitised as for every backend; JSON answers are validated (and retried once)
    by ``structured_output``, since a generic chat model cannot be given a decoding grammar. Token
    counts are estimated from characters (about 3.5 per token in English news text) rather than with
    a tokenizer that might have to be downloaded: the estimate is used only to fit prompts.
    """

    name = "langchain"

    def __init__(self, chat_model: BaseChatModel, *, context_length: int = 8192, model: str | None = None):
        self.chat_model = chat_model
        self.context_length = context_length
        self.model = model or str(getattr(chat_model, "model_name", None) or getattr(chat_model, "model", None)
                                  or type(chat_model).__name__)

    def complete(self, messages: list[dict[str, str]], *, max_tokens: int, temperature: float = 0.0, seed: int = 0,
                 json_schema: dict[str, Any] | None = None, stop: list[str] | None = None) -> Completion:
        from langchain_core.messages import HumanMessage, SystemMessage

        kinds = {"system": SystemMessage, "assistant": AIMessage}
        convo = [kinds.get(m["role"], HumanMessage)(content=m["content"]) for m in sanitize_messages(messages)]
        start = time.perf_counter()
        try:
            reply = self.chat_model.invoke(convo, stop=stop, max_tokens=max_tokens)
        except TypeError:  # a chat model that takes no max_tokens at call time
            reply = self.chat_model.invoke(convo, stop=stop)
        except BackendError:
            raise
        except Exception as exc:  # noqa: BLE001 - any provider's failure becomes one line a user can act on
            raise BackendUnavailable(f"LangChain chat model {self.model}: {type(exc).__name__}: "
                                     f"{str(exc).strip().splitlines()[0] if str(exc).strip() else 'failed'}") from None
        text = reply.content if isinstance(reply.content, str) else "".join(
            part.get("text", "") if isinstance(part, dict) else str(part) for part in reply.content)
        usage = getattr(reply, "usage_metadata", None) or {}
        meta = getattr(reply, "response_metadata", None) or {}
        return self._counted(Completion(text=text, prompt_tokens=int(usage.get("input_tokens", 0)),
                                        completion_tokens=int(usage.get("output_tokens", 0)),
                                        seconds=time.perf_counter() - start,
                                        finish_reason=meta.get("finish_reason") or meta.get("stop_reason")))

    def structured(self, messages: list[dict[str, str]], model_cls: type, *, max_tokens: int = 256,
                   temperature: float = 0.0, seed: int = 0, repair: bool = True):
        return structured_output(self, messages, model_cls, max_tokens=max_tokens, temperature=temperature, seed=seed,
                                 repair=repair)

    def count_tokens(self, text: str) -> int:
        return int(len(text) / 3.5) + 1


def from_langchain(chat_model: BaseChatModel, *, context_length: int = 8192, model: str | None = None) -> LangChainBackend:
    """A digest Backend over any LangChain chat model (ChatOpenAI, ChatAnthropic, ChatOllama, ...)."""
    if not isinstance(chat_model, BaseChatModel):
        raise TypeError(f"from_langchain expects a LangChain chat model, got {type(chat_model).__name__}")
    return LangChainBackend(chat_model, context_length=context_length, model=model)
