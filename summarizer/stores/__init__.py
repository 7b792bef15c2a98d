"""Passage stores behind one protocol; `open_store` picks embedded or server from the settings."""

from __future__ import annotations

from pathlib import Path

from .base import Hit, PassageStore, StoreError
from .chroma import ChromaStore


def open_store(store_dir: Path | None = None, url: str | None = None, collection: str = "digest-passages", *,
               headers: dict[str, str] | None = None, ca_bundle: Path | None = None) -> PassageStore:
    return ChromaStore(store_dir=None if url else (store_dir or Path(".digest")), url=url, collection=collection,
                       headers=headers, ca_bundle=ca_bundle)


def open_configured_store(settings) -> PassageStore:
    """The store the settings name, with the server's credentials (DIGEST_CHROMA_TOKEN/HEADERS, DIGEST_CA_BUNDLE)."""
    return open_store(settings.store, settings.chroma_url, settings.collection,
                      headers=settings.chroma_request_headers() if settings.chroma_url else None,
                      ca_bundle=settings.ca_bundle)


__all__ = ["ChromaStore", "Hit", "PassageStore", "StoreError", "open_configured_store", "open_store"]
