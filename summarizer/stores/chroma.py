"""Chroma-backed passage store: embedded (PersistentClient) or a server (HttpClient), one class.

Vectors always come from our own offline MiniLM embedder, registered as the
collection's embedding function, so Chroma's default (which downloads a model at
first use) is never reached, not even by a query by text.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Sequence
from urllib.parse import urlparse

from evals.embedding import MODEL_ID, default_embedder

from ..records import Passage
from .base import Hit, StoreError

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

_EF_CLASS = None


def _embedding_function():
    """Our embedder wrapped as a Chroma EmbeddingFunction (registered once per process)."""
    global _EF_CLASS
    if _EF_CLASS is None:
        from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
        from chromadb.utils.embedding_functions import register_embedding_function

        class DigestMiniLM(EmbeddingFunction[Documents]):
            def __init__(self) -> None:
                pass

            def __call__(self, input: Documents) -> Embeddings:  # noqa: A002 (Chroma's name)
                return list(default_embedder().embed(list(input)))

            @staticmethod
            def name() -> str:
                return "digest-" + MODEL_ID

            def get_config(self) -> dict:
                return {}

            @staticmethod
            def build_from_config(config: dict) -> "DigestMiniLM":
                return DigestMiniLM()

        try:
            register_embedding_function(DigestMiniLM)
        except ValueError:
            pass  # already registered in this process
        _EF_CLASS = DigestMiniLM
    return _EF_CLASS()


def _client(store_dir: Path | None, url: str | None):
    import chromadb
    from chromadb.config import Settings

    settings = Settings(anonymized_telemetry=False, allow_reset=False)
    if url:
        parsed = urlparse(url if "://" in url else f"http://{url}")
        if not parsed.hostname:
            raise StoreError(f"--chroma-url {url!r} is not a URL like http://127.0.0.1:8000")
        try:
            client = chromadb.HttpClient(
                host=parsed.hostname,
                port=parsed.port or (443 if parsed.scheme == "https" else 8000),
                ssl=parsed.scheme == "https",
                settings=settings,
            )
            client.heartbeat()
        except Exception as exc:  # chromadb raises several types for a refused connection
            raise StoreError(f"cannot reach the Chroma server at {url}: {_first_line(exc)}") from None
        return client
    assert store_dir is not None
    try:
        store_dir.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(store_dir), settings=settings)
    except Exception as exc:
        raise StoreError(f"cannot open the store at {store_dir}: {_first_line(exc)} "
                         "(corrupt? move the folder aside, or pass another --store, and ingest again)") from None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__


def _to_passage(pid: str, text: str, meta: dict) -> Passage:
    return Passage(
        id=pid,
        source=str(meta.get("source", "")),
        source_path=str(meta.get("source_path", "")),
        doc_sha256=str(meta.get("doc_sha256", "")),
        kind=meta.get("kind", "article"),
        index=int(meta.get("index", 0)),
        text=text,
        title=(meta.get("title") or None),
    )


class ChromaStore:
    """A passage store over a Chroma collection (embedded directory or server URL)."""

    def __init__(self, store_dir: Path | None = None, url: str | None = None, collection: str = "digest-passages"):
        self.description = f"Chroma server {url}" if url else f"embedded Chroma at {store_dir}"
        self._client = _client(store_dir, url)
        try:
            self._collection = self._client.get_or_create_collection(
                collection, embedding_function=_embedding_function(), metadata={"hnsw:space": "cosine"}
            )
        except Exception as exc:
            raise StoreError(f"cannot open collection {collection!r} in {self.description}: {_first_line(exc)}") from None

    def _call(self, what: str, fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except StoreError:
            raise
        except Exception as exc:
            raise StoreError(f"{self.description}: {what} failed: {_first_line(exc)}") from None

    def document_state(self, source_path: str) -> tuple[str | None, int]:
        got = self._call("read", self._collection.get, where={"source_path": source_path}, include=["metadatas"])
        metas = got.get("metadatas") or []
        if not metas:
            return None, 0
        shas = {m.get("doc_sha256") for m in metas}
        expected = {m.get("n_passages") for m in metas}
        complete = len(shas) == 1 and expected == {len(metas)}
        return (shas.pop() if complete else None), len(metas)

    def replace_document(self, source_path: str, passages: Sequence[Passage]) -> int:
        existing = self._call("read", self._collection.get, where={"source_path": source_path}, include=[])
        new_ids = {p.id for p in passages}
        stale = [i for i in existing.get("ids", []) if i not in new_ids]
        fresh = [p for p in passages if p.id not in set(existing.get("ids", []))]
        if fresh:
            vectors = default_embedder().embed([p.text for p in fresh])
            self._call(
                "write",
                self._collection.upsert,
                ids=[p.id for p in fresh],
                documents=[p.text for p in fresh],
                embeddings=[v.tolist() for v in vectors],
                metadatas=[p.metadata(len(passages)) for p in fresh],
            )
        if stale:
            # New passages go in before old ones leave, so an interruption never loses a document.
            self._call("delete", self._collection.delete, ids=stale)
        return len(fresh)

    def count(self) -> int:
        return self._call("count", self._collection.count)

    def passages(self, source_paths: Sequence[str] | None = None) -> list[Passage]:
        where = None
        if source_paths:
            where = {"source_path": {"$in": list(source_paths)}}
        got = self._call("read", self._collection.get, where=where, include=["documents", "metadatas"])
        items = [_to_passage(i, d, m) for i, d, m in zip(got["ids"], got["documents"], got["metadatas"])]
        return sorted(items, key=lambda p: (p.source, p.source_path, p.index))

    def query(self, text: str, k: int, source_paths: Sequence[str] | None = None) -> list[Hit]:
        where = {"source_path": {"$in": list(source_paths)}} if source_paths else None
        vector = default_embedder().embed([text])[0].tolist()
        total = self.count()
        if total == 0:
            return []
        got = self._call(
            "query",
            self._collection.query,
            query_embeddings=[vector],
            n_results=min(k, total),
            where=where,
            include=["documents", "metadatas", "distances"],
        )
        return [
            Hit(passage=_to_passage(i, d, m), score=1.0 - float(dist))
            for i, d, m, dist in zip(got["ids"][0], got["documents"][0], got["metadatas"][0], got["distances"][0])
        ]
