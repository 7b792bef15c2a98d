"""Stage: split. Cut each part of a cleaned document into passages of whole sentences.

Passages never cross a paragraph boundary unless paragraphs are short, and never cut
a sentence, so every passage can be quoted as evidence as it stands.
"""

from __future__ import annotations

import hashlib

from digest_core.text import ends_sentence, split_sentences

from .records import Document, Passage

MAX_CHARS = 700
_SENTENCE_END = (".", "!", "?", ":", ";")


def _pack(paragraphs: list[str], max_chars: int) -> list[str]:
    chunks: list[str] = []
    current = ""
    for para in paragraphs:
        sentences = split_sentences(para) if len(para) > max_chars else [para]
        for sentence in sentences:
            # A paragraph that ends no sentence (a long headline, a sub-head) closes its passage: joined to the
            # next paragraph with a space it would run into that paragraph's first sentence.
            unfinished = current and not ends_sentence(current, _SENTENCE_END)
            if current and (unfinished or len(current) + 1 + len(sentence) > max_chars):
                chunks.append(current)
                current = sentence
            else:
                current = f"{current} {sentence}".strip() if current else sentence
        # Close the chunk at a paragraph end once it is reasonably full.
        if len(current) > max_chars // 2:
            chunks.append(current)
            current = ""
    if current:
        chunks.append(current)
    return chunks


def passage_id(doc_sha256: str, kind: str, index: int, text: str) -> str:
    """Stable id from content: the same file ingested twice yields the same ids."""
    digest = hashlib.sha256(f"{doc_sha256}|{kind}|{index}|{text}".encode()).hexdigest()
    return f"{doc_sha256[:12]}-{kind[:3]}-{index:04d}-{digest[:8]}"


def split_document(doc: Document, max_chars: int = MAX_CHARS) -> list[Passage]:
    passages: list[Passage] = []
    for part in doc.parts:
        paragraphs = [p.strip() for p in part.text.split("\n\n") if p.strip()]
        for chunk in _pack(paragraphs, max_chars):
            index = len(passages)
            passages.append(
                Passage(
                    id=passage_id(doc.sha256, part.kind, index, chunk),
                    source=doc.name,
                    source_path=str(doc.path.resolve()),
                    doc_sha256=doc.sha256,
                    kind=part.kind,
                    index=index,
                    text=chunk,
                    title=doc.title,
                    date=doc.date,
                    outlet=doc.outlet,
                )
            )
    return passages
