"""Loaded language: value-laden or contested terms, and whether the text attributes them.

A lexicon of loaded terms (written for this project) plus a small scorer of subjective
sentence features (evaluative adverbs, normative modals, rhetorical questions, first
person). A term inside quotation marks, or in a sentence that names who said it, is
attributed: the writer reports it rather than uses it in their own voice.
"""

from __future__ import annotations

import re
from typing import Iterable

from pydantic import BaseModel, Field

from .text import normalize

# Phrases first (matched before single words). Stems end in "*".
LOADED_TERMS: tuple[str, ...] = (
    "proxy war", "meat grinder", "deluding himself", "deluding herself", "deluding themselves", "war to the last",
    "cannon fodder", "puppet regime", "puppet government", "so-called", "war criminal*", "war machine",
    "warmonger*", "fascist*", "nazi*", "neo-nazi*", "terrorist regime", "thug*", "regime", "propaganda",
    "brainwash*", "lie", "lies", "lied", "liar*", "hoax", "sham", "scam", "disastrous", "catastrophic",
    "shameful", "disgraceful", "outrageous", "heroic", "evil", "barbaric", "brutal", "savage*", "monstrous",
    "corrupt", "illegitimate", "criminal", "slaughter*", "butcher*", "massacre*", "genocid*", "invaders",
    "occupiers", "aggressor*", "imperialis*", "radical*", "extremist*", "fanatic*", "lunatic*", "idiot*",
    "stupid", "ridiculous", "absurd", "pathetic", "finally", "effectively beaten", "collapse",
    "humiliat*", "capitulat*", "surrender*", "appease*", "betray*", "blood money", "endless war", "forever war",
    "unprovoked", "illegal war", "so called", "mouthpiece", "regime change", "witch hunt", "cover-up",
)
_SUBJECTIVE = re.compile(
    r"\b(notabl[ey]|clearly|obviously|undoubtedly|of course|shockingly|sadly|unfortunately|fortunately|"
    r"remarkabl[ey]|astonishing(ly)?|alarming(ly)?|I think|I believe|in my (view|opinion)|we must|should have|"
    r"must not|there is (significant|no|little) evidence|the truth is|the fact (is|that))\b",
    re.I,
)
_SPEECH = re.compile(
    r"\b(said|says|told|tells|according to|described|describes|called|calls|claimed|claims|argued|argues|"
    r"wrote|writes|warned|insisted|accused|quoted|referred to|dubbed|labell?ed|termed)\b",
    re.I,
)
_QUOTED = re.compile(r"\"[^\"]{1,400}\"|'[^']{1,200}'")


class LoadedTerm(BaseModel):
    term: str
    text: str  # the words as they appear
    attributed: bool
    sentence: str


class NeutralityReport(BaseModel):
    loaded: list[LoadedTerm] = Field(default_factory=list)
    unattributed: int = 0
    subjective_sentences: list[str] = Field(default_factory=list)
    sentences: int = 0

    @property
    def rate(self) -> float:
        """Unattributed loaded terms per sentence."""
        return self.unattributed / self.sentences if self.sentences else 0.0


def _pattern(term: str) -> re.Pattern[str]:
    body = re.escape(term.rstrip("*")).replace(r"\ ", r"\s+").replace(r"\-", r"[-\s]?")
    tail = r"\w*" if term.endswith("*") else ""
    return re.compile(r"\b" + body + tail + r"\b", re.I)


_PATTERNS = [(t, _pattern(t)) for t in sorted(LOADED_TERMS, key=len, reverse=True)]


def loaded_terms(sentence: str) -> list[LoadedTerm]:
    """Loaded terms in one sentence, each marked attributed (quoted or reported speech) or not."""
    text = normalize(sentence)
    quoted_spans = [m.span() for m in _QUOTED.finditer(text)]
    reported = bool(_SPEECH.search(text))
    found: list[LoadedTerm] = []
    taken: list[tuple[int, int]] = []
    for term, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            span = match.span()
            if any(s < span[1] and span[0] < e for s, e in taken):
                continue  # part of a longer phrase already found
            taken.append(span)
            in_quotes = any(s <= span[0] and span[1] <= e for s, e in quoted_spans)
            found.append(LoadedTerm(term=term.rstrip("*"), text=match.group(0), attributed=in_quotes or reported, sentence=sentence))
    return found


def is_subjective(sentence: str) -> bool:
    """Opinion rather than report: evaluative wording, normative claims, rhetorical questions."""
    text = normalize(sentence)
    if text.endswith("?"):
        return True
    unattributed = [t for t in loaded_terms(text) if not t.attributed]
    return bool(unattributed) or bool(_SUBJECTIVE.search(text))


def check_neutrality(sentences: Iterable[str]) -> NeutralityReport:
    report = NeutralityReport()
    for sentence in sentences:
        report.sentences += 1
        terms = loaded_terms(sentence)
        report.loaded.extend(terms)
        report.unattributed += sum(not t.attributed for t in terms)
        if is_subjective(sentence):
            report.subjective_sentences.append(sentence)
    return report
