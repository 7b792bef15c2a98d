"""Alignment: find the source passages that best support a summary sentence.

A passage is one source sentence or two adjacent ones (summaries often fuse two).
Each source is split and embedded once per ``SourceIndex``; scoring many summaries
of the same sources (FRANK has five per article) reuses the vectors.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, Sequence

import numpy as np

from evals.records import SourceText
import re

from digest_core.text import STOPWORDS, content_stems, normalize, split_sentences, words

# Long "sentences" (CNN/DM photo captions run together without full stops) are cut into
# windows so one passage stays within the embedder's 128 tokens and lexical recall means something.
_WINDOW_WORDS = 45


class EmbedderLike(Protocol):
    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


@dataclass(frozen=True)
class Passage:
    source: int  # position in SourceIndex.sources
    first: int  # first unit (sentence) index within the source
    last: int
    text: str
    stems: frozenset[str]


@dataclass
class Alignment:
    """How one summary sentence lines up with the passages it may use."""

    sims: np.ndarray  # cosine per passage
    lex: np.ndarray  # share of the sentence's content stems found in each passage
    combined: np.ndarray
    passages: list[Passage]


def _units(text: str) -> list[str]:
    units: list[str] = []
    for sentence in split_sentences(text):
        tokens = sentence.split()
        if len(tokens) <= _WINDOW_WORDS * 1.5:
            units.append(sentence)
            continue
        step = _WINDOW_WORDS
        for start in range(0, len(tokens), step):
            chunk = tokens[start : start + step]
            if len(chunk) >= 5 or start == 0:
                units.append(" ".join(chunk))
    return units


@dataclass
class SourceIndex:
    """Embedded passages of a fixed list of sources."""

    sources: list[SourceText]
    passages: list[Passage] = field(default_factory=list)
    vectors: np.ndarray = field(default_factory=lambda: np.zeros((0, 384), np.float32))
    source_stems: list[frozenset[str]] = field(default_factory=list)
    source_words: list[frozenset[str]] = field(default_factory=list)
    # Words the source writes capitalised mid-sentence: its names, usable even when a
    # summary is all lower case (many system outputs in FRANK are).
    source_names: list[frozenset[str]] = field(default_factory=list)
    units: list[list[str]] = field(default_factory=list)  # each source's sentences (windows), in order
    _books: dict = field(default_factory=dict)
    _analyses: dict = field(default_factory=dict)

    @classmethod
    def build(cls, sources: Sequence[SourceText], embedder: EmbedderLike) -> "SourceIndex":
        index = cls(sources=list(sources))
        unit_texts: list[str] = []
        unit_keys: list[tuple[int, int]] = []
        per_source: list[list[str]] = []
        for s_id, (source, units) in enumerate(zip(index.sources, source_units(index.sources))):
            per_source.append(units)
            index.units.append(units)
            unit_texts.extend(units)
            unit_keys.extend((s_id, u) for u in range(len(units)))
            index.source_stems.append(frozenset(content_stems(source.text)))
            index.source_words.append(frozenset(words(source.text)))
            index.source_names.append(frozenset(_names(source.text)))
        unit_vecs = embedder.embed(unit_texts) if unit_texts else np.zeros((0, 384), np.float32)
        lengths = np.array([max(len(t.split()), 1) for t in unit_texts], dtype=np.float32)
        passages: list[Passage] = []
        vecs: list[np.ndarray] = []
        row = 0
        for s_id, units in enumerate(per_source):
            stems = [frozenset(content_stems(u)) for u in units]
            for u, text in enumerate(units):
                passages.append(Passage(s_id, u, u, text, stems[u]))
                vecs.append(unit_vecs[row + u])
                if u + 1 < len(units):
                    # Mean pooling is (nearly) additive over tokens, so a length-weighted sum of the
                    # two sentence vectors approximates the pair's vector without a second model pass.
                    a, b = row + u, row + u + 1
                    pair = unit_vecs[a] * lengths[a] + unit_vecs[b] * lengths[b]
                    vecs.append(pair / max(float(np.linalg.norm(pair)), 1e-9))
                    passages.append(Passage(s_id, u, u + 1, f"{text} {units[u + 1]}", stems[u] | stems[u + 1]))
            row += len(units)
        index.passages = passages
        index.vectors = np.stack(vecs).astype(np.float32) if vecs else np.zeros((0, 384), np.float32)
        return index

    def mask(self, allowed: set[int] | None) -> np.ndarray:
        if allowed is None:
            return np.ones(len(self.passages), dtype=bool)
        return np.array([p.source in allowed for p in self.passages], dtype=bool)

    def align(self, vector: np.ndarray, stems: list[str], allowed: set[int] | None = None) -> Alignment:
        """Score every allowed passage for one summary sentence (vector already embedded)."""
        keep = self.mask(allowed)
        passages = [p for p, k in zip(self.passages, keep) if k]
        if not passages:
            empty = np.zeros(0, dtype=np.float32)
            return Alignment(empty, empty, empty, [])
        sims = self.vectors[keep] @ vector
        unique = set(stems)
        if unique:
            lex = np.array([len(unique & p.stems) / len(unique) for p in passages], dtype=np.float32)
        else:
            lex = np.ones(len(passages), dtype=np.float32)
        # Pairs get a small handicap so a single sentence that says it all is preferred as evidence.
        pair_penalty = np.array([0.02 if p.last > p.first else 0.0 for p in passages], dtype=np.float32)
        combined = 0.5 * sims + 0.5 * lex - pair_penalty
        return Alignment(sims, lex, combined, passages)

    def stems_of(self, allowed: set[int] | None) -> frozenset[str]:
        ids = range(len(self.sources)) if allowed is None else allowed
        return frozenset().union(*(self.source_stems[i] for i in ids)) if ids else frozenset()

    def words_of(self, allowed: set[int] | None) -> frozenset[str]:
        ids = range(len(self.sources)) if allowed is None else allowed
        return frozenset().union(*(self.source_words[i] for i in ids)) if ids else frozenset()

    def names_of(self, allowed: set[int] | None) -> frozenset[str]:
        ids = range(len(self.sources)) if allowed is None else allowed
        return frozenset().union(*(self.source_names[i] for i in ids)) if ids else frozenset()

    def analyses_of(self, allowed: set[int] | None) -> list:
        """The linguistic analysis of every unit of the allowed sources (spaCy runs once per unit, memoised)."""
        from evals.language import analyse

        key = None if allowed is None else frozenset(allowed)
        if key not in self._analyses:  # asked for every sentence judged: build the list once per source set
            ids = range(len(self.sources)) if allowed is None else sorted(allowed)
            self._analyses[key] = analyse([u for i in ids for u in self.units[i]])
        return self._analyses[key]

    def passage_analyses(self, passages: Sequence[Passage]) -> list:
        from evals.language import analyse

        return analyse([u for p in passages for u in self.units[p.source][p.first: p.last + 1]])

    def book_of(self, allowed: set[int] | None):
        """The names the allowed sources hold (evals.names.NameBook), built once per source set."""
        from evals.names import NameBook

        key = None if allowed is None else frozenset(allowed)
        if key not in self._books:
            ids = range(len(self.sources)) if allowed is None else sorted(allowed)
            texts = [self.sources[i].text for i in ids]
            self._books[key] = NameBook.of(texts, self.analyses_of(allowed))
        return self._books[key]

    def text_of(self, allowed: set[int] | None) -> str:
        ids = range(len(self.sources)) if allowed is None else sorted(allowed)
        return "\n\n".join(self.sources[i].text for i in ids)


def source_units(sources: Sequence[SourceText]) -> list[list[str]]:
    """Each source's sentences (long ones cut into windows), in order: what a SourceIndex embeds and parses."""
    return [_units(normalize_keep_lines(source.text)) for source in sources]


def _names(text: str) -> set[str]:
    found = re.findall(r"(?<=[a-z,;:] )([A-Z][a-z][\w'-]*)", normalize(text))
    return {w.lower() for w in found} - STOPWORDS


# A wire dateline opening a paragraph: "SEOUL, South Korea —", "WASHINGTON (Reuters) -", "(CNN) -". It says where
# the report was filed, not where what the sentence states happened, so it is not read as part of that sentence.
_DATELINE = re.compile(r"^\s*(?:[A-Z][A-Z.'’-]{2,}(?:\s+[A-Z][A-Z.'’-]+){0,3}(?:,\s+[A-Z][A-Za-z.]+(?:\s+[A-Z][A-Za-z.]+){0,2})?"
                       r"\s*(?:\([A-Za-z][\w .&'-]{0,30}\))?|\([A-Za-z][\w .&'-]{0,30}\))\s*[—–-]{1,2}\s+(?=[A-Z\"“‘'])")


def normalize_keep_lines(text: str) -> str:
    """normalize() per paragraph, keeping blank lines (they end sentences); a paragraph's wire dateline is left out."""
    return "\n\n".join(normalize(_DATELINE.sub("", p, count=1)) for p in text.split("\n\n") if p.strip())


def top_passages(alignment: Alignment, k: int = 3) -> list[tuple[Passage, float]]:
    """Best k passages by combined score, skipping ones that overlap a better pick."""
    picked: list[tuple[Passage, float]] = []
    for i in np.argsort(-alignment.combined):
        p = alignment.passages[int(i)]
        if any(q.source == p.source and not (p.last < q.first or p.first > q.last) for q, _ in picked):
            continue
        picked.append((p, float(alignment.combined[int(i)])))
        if len(picked) == k:
            break
    return picked
