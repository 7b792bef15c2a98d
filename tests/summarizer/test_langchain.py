"""LangChain used for real: a LangChain chat model writes the digest, and the store serves LangChain as a retriever."""

from __future__ import annotations

import pytest

from summarizer.backends import from_langchain
from summarizer.config import Settings
from summarizer.ingest import ingest
from summarizer.pipeline import RunOptions, run_digest
from summarizer.stores import open_store
from summarizer.stores.langchain_retriever import as_retriever
from tests.backends.conftest import LlamaServer, llama_server  # noqa: F401 - fixture
from tests.conftest import SEEDS


def test_store_is_a_langchain_retriever_over_our_collection(tmp_path):
    store = open_store(tmp_path / "store")
    ingest([SEEDS], store, max_bytes=5 * 2**20, lock_dir=tmp_path / "store", lock_timeout=30)
    docs = as_retriever(store, k=3).invoke("What might Ukraine have to give up in a deal?")
    assert len(docs) == 3
    assert all(d.metadata["kind"] == "article" and d.metadata["source"].endswith(".txt") for d in docs)
    assert any("give up" in d.page_content for d in docs)  # the passage that answers it, found with our embedder
    # the retriever reads the same collection as the digest: every document is a stored passage
    stored = {p.text for p in store.passages()}
    assert all(d.page_content in stored for d in docs)


@pytest.mark.slow
@pytest.mark.server
def test_any_langchain_chat_model_writes_the_digest(tmp_path, llama_server: LlamaServer):  # noqa: F811
    from langchain_openai import ChatOpenAI

    chat = ChatOpenAI(model="smollm2", base_url=llama_server.base_url, api_key=llama_server.api_key, temperature=0,
                      max_retries=0, timeout=120)
    backend = from_langchain(chat)
    assert backend.model == "smollm2"
    digest = run_digest([SEEDS], Settings(store=tmp_path / "store", no_cache=True),
                        options=RunOptions(max_sentences=2), backend=backend)
    assert digest.backend == "langchain" and digest.model == "smollm2"
    assert digest.sentences and all(s.citations for s in digest.sentences)


def test_from_langchain_refuses_what_is_not_a_chat_model():
    with pytest.raises(TypeError, match="LangChain chat model"):
        from_langchain(object())
