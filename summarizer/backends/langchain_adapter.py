"""A LangChain chat model over any Backend, for code that wants LangChain's interfaces.

Optional: nothing in the pipeline imports this, so LangChain never sits on the hot path.
"""

from __future__ import annotations

from typing import Any

from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult

from .base import Backend

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
