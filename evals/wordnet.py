"""Synonyms and more general words from WordNet 3.0, for soft word support.

The table (evals/data/wordnet.tsv.gz, built by scripts/build_wordnet.py; WordNet's licence is
evals/data/WORDNET-LICENSE.txt) gives each one-word lemma the synsets of its three most frequent senses and the
synsets those link to: "similar to" adjectives and verb groups. A sentence's word is stated by an evidence word
when one of its senses is one of the evidence word's or linked from it ("died" / "perished", "untrue" / "false",
"exaggerate" / "overstate"). Hypernyms are left out: with them ("hospital" stated by any "institution") the tuned
stress set lost as many planted errors as it gained faithful sentences.
"""

from __future__ import annotations

import gzip
import threading
from importlib.resources import files
from typing import Iterable

_lock = threading.Lock()
_lines: dict[str, str] | None = None  # lemma -> the rest of its line, parsed when asked for
_parsed: dict[str, tuple[frozenset[str], frozenset[str]]] = {}
_NONE: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset())


def _entry(word: str) -> tuple[frozenset[str], frozenset[str]]:
    global _lines
    if _lines is None:
        with _lock:
            if _lines is None:
                raw = gzip.decompress((files("evals") / "data" / "wordnet.tsv.gz").read_bytes()).decode("utf-8")
                _lines = dict(line.split("\t", 1) for line in raw.splitlines())
    found = _parsed.get(word)
    if found is None:
        rest = _lines.get(word)
        if rest is None:
            return _NONE
        own, near = rest.split("\t")
        found = _parsed[word] = (frozenset(own.split(",")), frozenset(near.split(",")) if near else frozenset())
    return found


def senses(word: str) -> frozenset[str]:
    return _entry(word)[0]


class Stated:
    """What a set of words states, sense by sense: their own senses and the more general ones they imply."""

    def __init__(self, words: Iterable[str]):
        self.by_sense: dict[str, str] = {}
        for word in sorted(set(words)):
            own, near = _entry(word)
            for sense in own | near:
                self.by_sense.setdefault(sense, word)

    def match(self, word: str) -> str | None:
        """A word of the set that states ``word`` (the same sense, or a kind of it), or None."""
        for sense in sorted(senses(word)):
            if sense in self.by_sense and self.by_sense[sense] != word:
                return self.by_sense[sense]
        return None
