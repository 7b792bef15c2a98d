"""Passage stores behind one protocol; `open_store` picks embedded or server from the settings."""

from __future__ import annotations

from pathlib import Path

from .base import Hit, PassageStore, StoreError
from .chroma import ChromaStore


def open_store(store_dir: Path | None = None, url: str | None = None, collection: str = "digest-passages") -> PassageStore:
    return ChromaStore(store_dir=None if url else (store_dir or Path(".digest")), url=url, collection=collection)


__all__ = ["ChromaStore", "Hit", "PassageStore", "StoreError", "open_store"]
