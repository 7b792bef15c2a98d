"""The article index: one record per stored article (its story features and its story), beside the passages.

A second Chroma collection, ``<collection>-articles-v<features version>``, in the same embedded directory or on the same server as
the passages, so that the grouping survives between runs and every process sharing the store sees the same one.
Each record's vector is the article's embedding (headline-and-lead and headline alone, side by side); its metadata holds the file's identity, what the
article says about itself, the terms the grouping compares (JSON) and the id of the story it belongs to.
"""

from __future__ import annotations

import hashlib
import json
from typing import Sequence

import numpy as np

from ..records import ArticleRecord


def article_key(source_path: str) -> str:
    return hashlib.sha1(source_path.encode()).hexdigest()[:20]


class ChromaArticleIndex:
    """Article records in a Chroma collection; ``call`` wraps each request with the store's error handling."""

    def __init__(self, client, name: str, call, embedding_function):
        self._call = call
        self._collection = call("open", client.get_or_create_collection, name, embedding_function=embedding_function,
                                metadata={"hnsw:space": "cosine"})

    def all(self) -> tuple[list[ArticleRecord], np.ndarray]:
        got = self._call("read", self._collection.get, include=["metadatas", "embeddings"])
        records = [_record(m) for m in got["metadatas"]]
        vectors = np.asarray(got["embeddings"], dtype=np.float32) if len(records) else np.zeros((0, 768), np.float32)
        return records, vectors

    def upsert(self, records: Sequence[ArticleRecord], vectors: np.ndarray) -> None:
        for start in range(0, len(records), 500):
            part = records[start:start + 500]
            self._call("write", self._collection.upsert, ids=[article_key(r.source_path) for r in part],
                       embeddings=[v.tolist() for v in vectors[start:start + 500]],
                       metadatas=[_meta(r) for r in part])

    def set_stories(self, records: Sequence[ArticleRecord]) -> None:
        """Write each record's ``story`` (metadata only; the vectors stay)."""
        for start in range(0, len(records), 500):
            part = records[start:start + 500]
            self._call("write", self._collection.update, ids=[article_key(r.source_path) for r in part],
                       metadatas=[_meta(r) for r in part])

    def delete(self, source_paths: Sequence[str]) -> None:
        if source_paths:
            self._call("delete", self._collection.delete, ids=[article_key(p) for p in source_paths])

    def stories_of(self, source_paths: Sequence[str]) -> dict[str, str | None]:
        """The story each of these articles belongs to (None: no story, or not grouped yet)."""
        if not source_paths:
            return {}
        got = self._call("read", self._collection.get, ids=[article_key(p) for p in source_paths], include=["metadatas"])
        return {m.get("source_path", ""): (m.get("story") or None) for m in got["metadatas"]}

    def members_of(self, story: str) -> list[str]:
        got = self._call("read", self._collection.get, where={"story": story}, include=["metadatas"])
        return sorted(m.get("source_path", "") for m in got["metadatas"])

    def nearest(self, vector: Sequence[float], k: int) -> list[tuple[str, float]]:
        total = self._call("read", self._collection.count)
        if total == 0 or k <= 0:
            return []
        got = self._call("query", self._collection.query, query_embeddings=[list(map(float, vector))],
                         n_results=min(k, total), include=["metadatas", "distances"])
        return [(m.get("source_path", ""), 1.0 - float(d)) for m, d in zip(got["metadatas"][0], got["distances"][0])]


def _meta(r: ArticleRecord) -> dict:
    return {"source": r.source, "source_path": r.source_path, "doc_sha256": r.doc_sha256, "title": r.title or "",
            "date": r.date or "", "outlet": r.outlet or "", "terms": json.dumps(r.terms), "story": r.story or "",
            "features": r.features}


def _record(m: dict) -> ArticleRecord:
    return ArticleRecord(source=m.get("source", ""), source_path=m.get("source_path", ""),
                         doc_sha256=m.get("doc_sha256", ""), title=m.get("title") or None, date=m.get("date") or None,
                         outlet=m.get("outlet") or None, terms=json.loads(m.get("terms") or "[]"),
                         story=m.get("story") or None, features=str(m.get("features", "")))
