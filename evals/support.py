"""Soft word support: which of a sentence's content words the evidence or the sources hold, in any form.

A word is supported when the evidence holds it, its lemma, a word of its family or a close
equivalent (MiniLM vectors of the two words, cosine >= SOFT_MATCH); exact copying is one way of
being supported, not the only one. Words with no equivalent anywhere in the sources are findings,
and an added phrase (most of one constituent's words new) is a blocking one. The same vectors tell
whether two verbs name the same action (``verbs_match``), for the role and polarity checks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from digest_core.text import stem
from evals.analysis import Analysis
from evals.lexicon import ANTONYM_PAIRS
from evals.records import Finding

SOFT_MATCH = 0.6  # cosine of two single-word MiniLM vectors: buy/purchase .87, hurt/injured .67, start/initiated .41
VERB_MATCH = 0.62  # two verbs taken for the same action when comparing roles and polarity
# Verbs of saying and other frame words: a summary may report with any of them.
FRAME_LEMMAS = {"say", "tell", "report", "state", "add", "note", "write", "explain", "claim", "describe", "call",
                "accord", "according", "also", "reportedly", "allegedly", "recently", "currently", "now", "still",
                "already", "later", "earlier", "then", "just", "even", "really", "actually", "well", "make", "take",
                "get", "give", "go", "come", "thing", "way", "people", "time", "year", "day", "week", "month"}


@dataclass
class Support:
    """How the sentence's content words line up with the evidence and the sources."""

    in_evidence: list[str] = field(default_factory=list)
    soft: list[tuple[str, str]] = field(default_factory=list)  # (sentence word, evidence word it matched)
    elsewhere: list[str] = field(default_factory=list)  # in the sources, not in the evidence passages
    novel: list[str] = field(default_factory=list)  # nowhere in the sources, even softly

    @property
    def total(self) -> int:
        return len(self.in_evidence) + len(self.soft) + len(self.elsewhere) + len(self.novel)

    @property
    def evidence_share(self) -> float:
        return (len(self.in_evidence) + len(self.soft)) / self.total if self.total else 1.0

    @property
    def novel_share(self) -> float:
        return len(self.novel) / self.total if self.total else 0.0


class WordSupport:
    """Soft word alignment with one vector per distinct word (the embedder memoises them)."""

    def __init__(self, embedder) -> None:
        self.embedder = embedder
        self._similar: dict[tuple[str, str], float] = {}

    def vectors(self, words: Sequence[str]) -> np.ndarray:
        return self.embedder.embed(list(words)) if words else np.zeros((0, 384), np.float32)

    def prepare(self, sentences: Sequence[Analysis], sources: Sequence[Analysis] = ()) -> None:
        """Embed, in one batch, every word the checks may compare when these sentences are judged against
        these sources: verbs of clauses and content lemmas, and the sources' content words as written (the
        evidence side of ``support``); later lookups come from the embedder's memo instead of a model call
        per sentence. Only speed depends on it: a word's vector is the same in any batch."""
        words = self.words_for(sentences, sources)
        if words:
            self.vectors(words)

    @staticmethod
    def words_for(sentences: Sequence[Analysis], sources: Sequence[Analysis] = ()) -> list[str]:
        """The words ``prepare`` embeds for these analyses, sorted."""
        both = [*sentences, *sources]
        return sorted({c.verb for a in both for c in a.clauses} | {w.lemma for a in both for w in a.content}
                      | {w.lower for a in sources for w in a.content})

    def similar(self, a: str, b: str) -> float:
        if a == b:
            return 1.0
        key = (a, b) if a < b else (b, a)
        if key not in self._similar:
            if len(self._similar) > 200_000:
                self._similar.clear()
            va, vb = self.vectors([a, b])
            self._similar[key] = float(va @ vb)
        return self._similar[key]

    def needs(self, sentence: Analysis, evidence: Sequence[Analysis], evidence_stems: frozenset[str]) -> list[str]:
        """The words ``support`` will surely embed for this sentence and evidence (those of the sentence the
        evidence does not hold as written, and the evidence's words), and those the role, polarity and
        attachment checks compare (verbs and the heads of names); the sources' whole vocabulary, read only
        when a word is found nowhere in the evidence, is not among them."""
        _in_evidence, pending, ev_words = self._split(sentence, evidence, evidence_stems)
        both = [sentence, *evidence]
        return ([w.lemma for w in pending] + sorted(ev_words) if pending else []) \
            + sorted({c.verb for a in both for c in a.clauses} | {head for a in both for _, head, _, _ in a.attachments})

    @staticmethod
    def _split(sentence: Analysis, evidence: Sequence[Analysis], evidence_stems: frozenset[str]):
        """(content words of the sentence the evidence holds as written, those it does not, the evidence's words)."""
        words = [w for w in sentence.content if w.lemma not in FRAME_LEMMAS and w.lower not in FRAME_LEMMAS]
        words = list({w.lemma: w for w in words}.values())
        ev_words = {w.lemma for a in evidence for w in a.content} | {w.lower for a in evidence for w in a.content}
        held, pending = [], []
        for w in words:
            if w.lemma in ev_words or w.lower in ev_words or stem(w.lower) in evidence_stems \
                    or same_family(w.lemma, ev_words):
                held.append(w)
            else:
                pending.append(w)
        return held, pending, ev_words

    def support(self, sentence: Analysis, evidence: Sequence[Analysis], sources: Sequence[Analysis],
                evidence_stems: frozenset[str], source_stems: frozenset[str]) -> Support:
        held, pending, ev_words = self._split(sentence, evidence, evidence_stems)
        src_words = {w.lemma for a in sources for w in a.content} | {w.lower for a in sources for w in a.content}
        out = Support(in_evidence=[w.lower for w in held])
        if not pending:
            return out
        ev_list = sorted(ev_words)
        mine = self.vectors([w.lemma for w in pending])
        ev_sims = mine @ self.vectors(ev_list).T if ev_list else np.zeros((len(pending), 0))
        rest: list[int] = []
        for k, w in enumerate(pending):
            row = ev_sims[k]
            best = int(np.argmax(row)) if row.size else -1
            if best >= 0 and row[best] >= SOFT_MATCH and (w.lemma, ev_list[best]) not in ANTONYM_PAIRS:
                out.soft.append((w.lower, ev_list[best]))
            elif w.lemma in src_words or w.lower in src_words or stem(w.lower) in source_stems \
                    or same_family(w.lemma, src_words):
                out.elsewhere.append(w.lower)
            else:
                rest.append(k)
        if rest:  # words the evidence lacks: one comparison with the whole sources' vocabulary
            src_list = sorted(src_words)
            sims = mine[rest] @ self.vectors(src_list).T if src_list else np.zeros((len(rest), 0))
            for row, k in zip(sims, rest):
                (out.elsewhere if row.size and float(row.max()) >= SOFT_MATCH else out.novel).append(pending[k].lower)
        return out


# Endings that make a word of the same family: chair / chairman, lead / leader, elect / election.
DERIVATIONS = ("man", "woman", "men", "women", "person", "er", "ers", "or", "ors", "ion", "ions", "ation", "ment",
               "ments", "ance", "ence", "al", "ship", "ist", "ists", "ity", "ness", "ive", "ing")


def same_family(lemma: str, vocabulary: set[str]) -> bool:
    """``lemma`` and a word of ``vocabulary`` are one stem of at least four letters plus a derivational ending."""
    if len(lemma) < 4:
        return False
    for word in vocabulary:
        if len(word) > len(lemma) and word.startswith(lemma) and word[len(lemma):] in DERIVATIONS:
            return True
        if len(lemma) > len(word) >= 4 and lemma.startswith(word) and lemma[len(word):] in DERIVATIONS:
            return True
    return False


# An added phrase: at least this many content words with no equivalent anywhere in the sources, making up at
# least this share of one constituent's content words. A reworded sentence scatters its new words (a synonym
# here, a plainer verb there); an added cause, consequence or detail brings them as one phrase.
ADDED_PHRASE_WORDS = 3
ADDED_PHRASE_SHARE = 0.6


def support_findings(support: Support, sentence: Analysis | None = None) -> list[Finding]:
    if not support.novel:
        return []
    findings = [Finding(kind="unsupported_content", check="soft word alignment", words=support.novel,
                        detail=f"{len(support.novel)} of {support.total} content words have no equivalent in the "
                               f"sources: " + ", ".join(support.novel[:8]))]
    added = added_phrase(support, sentence) if sentence is not None else None
    if added is not None:
        text, words = added
        findings.append(Finding(kind="unsupported_content", check="added phrase (soft word alignment by constituent)",
                                words=words, blocking=True,
                                detail=f"the phrase '{text}' adds what no source says: no equivalent for "
                                       + ", ".join(words)))
    return findings


def added_phrase(support: Support, sentence: Analysis) -> tuple[str, list[str]] | None:
    """The first constituent most of whose content words (and at least three) the sources hold in no form."""
    novel = set(support.novel)
    if len(novel) < ADDED_PHRASE_WORDS:
        return None
    for text, words in sentence.phrases:
        missing = [w for w in words if w in novel]
        if len(missing) >= ADDED_PHRASE_WORDS and len(missing) / len(words) >= ADDED_PHRASE_SHARE:
            return text, missing
    return None


def verbs_match(a: str, b: str, words: WordSupport, at_least: float = VERB_MATCH) -> bool:
    if a == b:
        return True
    if (a, b) in ANTONYM_PAIRS or a in {"be", "have", "do"} or b in {"be", "have", "do"}:
        return False
    return words.similar(a, b) >= at_least
