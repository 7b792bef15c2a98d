"""Stages load -> clean -> split -> index, as one call: `ingest(paths, store)`."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Iterator, Sequence

from digest_core.progress import SILENT, Progress

from digest_core.locks import LockBusy, acquire

from .clean import clean
from .load import load_paths
from .records import Document, IngestResult, Passage, Skipped
from .split import split_document
from .stores import PassageStore, StoreError


@contextlib.contextmanager
def store_lock(store_dir: Path | None, timeout: float = 120.0) -> Iterator[None]:
    """One writer at a time on an embedded store; a second process waits, then gives up clearly."""
    if store_dir is None:
        yield
        return
    store_dir.mkdir(parents=True, exist_ok=True)
    try:
        held = acquire(store_dir / "ingest.lock", wait=timeout)
    except LockBusy:
        raise StoreError(f"{store_dir} is being written by another digest process (waited {timeout:g} s, "
                         "DIGEST_LOCK_TIMEOUT); try again when it has finished") from None
    with held:
        yield


# Cleaned text kept per document (about 15,000 words, several long features). The byte limit on
# reading bounds memory; this bounds time, because embedding is the slow step (~80 passages/s on
# 2 cores), and a 5 MB text file would otherwise mean minutes of embedding for one "article".
MAX_TEXT_CHARS = 100_000


def cap_text(doc: Document, max_chars: int, warnings: list[str]) -> Document:
    """The document cut at a paragraph boundary after ``max_chars`` characters, with a warning."""
    total = sum(len(p.text) for p in doc.parts)
    if total <= max_chars:
        return doc
    parts, room = [], max_chars
    for part in doc.parts:
        if room <= 0:
            break
        text = part.text[:room]
        if len(part.text) > room and "\n\n" in text:
            text = text[: text.rindex("\n\n")]
        parts.append(part.model_copy(update={"text": text}))
        room -= len(text) + 2
    warnings.append(f"{doc.path}: {total:,} characters of text after cleaning; kept the first {max_chars:,} "
                    "(the per-document limit)")
    return doc.model_copy(update={"parts": [p for p in parts if p.text.strip()]})


def why_no_text(doc: Document) -> str:
    """The reason a document with no article text is skipped, with what cleaning found instead."""
    if any(p.kind == "comments" for p in doc.parts):
        return "only a reader-comment thread, no article text"
    if doc.removed:
        first = " ".join(doc.removed[0].split())
        first = first if len(first) <= 60 else first[:59] + "…"
        n = len(doc.removed)
        return (f"no article text left after cleaning: {n} line{'s' * (n != 1)} removed as page furniture "
                f"or markup (first: {first!r})")
    return "no article text"


def prepare(
    paths: Sequence[Path], max_bytes: int, max_chars: int = MAX_TEXT_CHARS
) -> tuple[list[Document], list[Passage], list[Skipped], list[str]]:
    """Load, clean and split; documents left with no text become `Skipped` entries."""
    loaded = load_paths(paths, max_bytes=max_bytes)
    documents: list[Document] = []
    passages: list[Passage] = []
    skipped = list(loaded.skipped)
    warnings = list(loaded.warnings)
    for raw in loaded.documents:
        doc = clean(raw)
        if not any(p.kind == "article" for p in doc.parts):
            skipped.append(Skipped(path=str(raw.path), reason=why_no_text(doc)))
            continue
        doc = cap_text(doc, max_chars, warnings)
        documents.append(doc)
        passages.extend(split_document(doc))
    return documents, passages, skipped, warnings


def ingest(
    paths: Sequence[Path],
    store: PassageStore,
    *,
    max_bytes: int = 5 * 1024 * 1024,
    lock_dir: Path | None = None,
    lock_timeout: float = 120.0,
    progress: Progress = SILENT,
) -> tuple[IngestResult, list[Document]]:
    """Load, clean, split and index ``paths``; ``progress`` counts the documents indexed."""
    documents, passages, skipped, warnings = prepare(paths, max_bytes)
    progress.start("indexing documents", len(documents))
    added = 0
    with store_lock(lock_dir, lock_timeout):
        for doc in documents:
            doc_passages = [p for p in passages if p.source_path == str(doc.path.resolve())]
            # one read: an unchanged document adds nothing, but what this version reads from it (title, date,
            # outlet) replaces what an older one stored
            added += store.replace_document(str(doc.path.resolve()), doc_passages)
            progress.advance()
        total = store.count()
    result = IngestResult(
        documents=len(documents), chunks_added=added, chunks_total=total, skipped=skipped, warnings=warnings
    )
    return result, documents
