"""The passage store as a LangChain retriever: langchain-chroma over our collection, with our embeddings.

    from summarizer.stores.langchain_retriever import as_retriever
    retriever = as_retriever(open_store(Path(".digest")), k=4)
    docs = retriever.invoke("what did the council decide?")   # LangChain Documents, offline

Queries are embedded by the same offline MiniLM model that indexed the passages (nothing is
downloaded), and only article passages are returned unless ``kind=None`` (reader comments are not
reporting). Each Document's metadata carries the passage's ``source``, ``source_path``, ``index``
and ``kind``, as the digest stores them.
"""

from __future__ import annotations

from typing import Any

from langchain_core.embeddings import Embeddings

from digest_core.embedding import default_embedder


class MiniLMEmbeddings(Embeddings):
    """The embedder that indexed the store (all-MiniLM-L6-v2, int8 ONNX, bundled) as LangChain Embeddings."""

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return default_embedder().embed(list(texts)).tolist() if texts else []

    def embed_query(self, text: str) -> list[float]:
        return default_embedder().embed([text])[0].tolist()


def as_vectorstore(store: Any):
    """A ``langchain_chroma.Chroma`` over the store's own client and collection."""
    from langchain_chroma import Chroma

    return Chroma(client=store.client, collection_name=store.collection_name, embedding_function=MiniLMEmbeddings())


def as_retriever(store: Any, k: int = 4, kind: str | None = "article"):
    """A LangChain retriever over the store: the ``k`` passages nearest the query."""
    search: dict[str, Any] = {"k": k}
    if kind is not None:
        search["filter"] = {"kind": kind}
    return as_vectorstore(store).as_retriever(search_kwargs=search)
