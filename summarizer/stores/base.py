"""The passage store protocol: the rest of the code never asks which store it has."""

from __future__ import annotations

from typing import Protocol, Sequence

from pydantic import BaseModel

import numpy as np

from digest_core.errors import UserError

from ..records import ArticleRecord, Passage


class StoreError(UserError, RuntimeError):
    """A store problem explained in one line (bad URL, server down, corrupt directory)."""


class Hit(BaseModel):
    passage: Passage
    score: float  # cosine similarity in [-1, 1]


class PassageStore(Protocol):
    description: str

    def document_state(self, source_path: str) -> tuple[str | None, int]:
        """(doc_sha256 stored for this path or None, number of passages stored for it)."""
        ...

    def replace_document(self, source_path: str, passages: Sequence[Passage]) -> int:
        """Make the stored passages of ``source_path`` exactly ``passages``, metadata included (a newer version may
        read another title, date or outlet from the same text); return how many were added (embedded)."""
        ...

    def count(self) -> int: ...

    def passages(self, source_paths: Sequence[str] | None = None) -> list[Passage]:
        """All stored passages, or those of the given documents, in document order."""
        ...

    def query(self, text: str, k: int, source_paths: Sequence[str] | None = None) -> list[Hit]: ...

    def heads(self) -> list[Passage]:
        """The first passage of every stored document."""
        ...

    def article_index(self) -> "ArticleIndex": ...


class ArticleIndex(Protocol):
    """Per-article records beside the passages: what story grouping compares, and the story of each article."""

    def all(self) -> tuple[list[ArticleRecord], np.ndarray]: ...

    def upsert(self, records: Sequence[ArticleRecord], vectors: np.ndarray) -> None: ...

    def set_stories(self, records: Sequence[ArticleRecord]) -> None: ...

    def delete(self, source_paths: Sequence[str]) -> None: ...

    def stories_of(self, source_paths: Sequence[str]) -> dict[str, str | None]: ...

    def members_of(self, story: str) -> list[str]:
        """The source paths of the articles in this story, sorted."""
        ...

    def nearest(self, vector: Sequence[float], k: int) -> list[tuple[str, float]]:
        """The ``k`` articles whose stored vectors are nearest ``vector``: (source path, cosine similarity), best first."""
        ...
