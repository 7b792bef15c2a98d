"""Names: found in a parse, normalised, and asked of the sources in any usual form.

``doc_names`` reads every name of a text (entities, and runs of proper nouns the NER missed) with
its words normalised (digest_core.nlp.name_words); ``NameBook`` answers whether a set of texts names
someone, written there this way or another usual way (aliases, acronyms, surnames, ordinals);
``same_party`` whether two role fillers name the same party.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Sequence

from digest_core.nlp import NAME_LABELS, POSSESSIVE, TITLES, name_words
from digest_core.text import STOPWORDS
from evals.analysis import Name
from evals.lexicon import MONTHS, NAME_ALIASES, WEEKDAYS

if TYPE_CHECKING:
    from evals.analysis import Analysis

# The coarse kind of thing an NER label names: two names of one kind are names a writer could swap.
COARSE = {"PERSON": "person", "ORG": "group", "GPE": "place", "LOC": "place", "NORP": "group", "FAC": "place"}


def doc_names(doc) -> list[tuple[object, Name]]:
    """Every name of a parsed text, with the span it stands at: its entities, and runs of proper nouns the NER missed."""
    found: list[tuple[object, Name]] = []
    covered: set[int] = set()
    for ent in doc.ents:
        if ent.label_ not in NAME_LABELS:
            continue
        label, end = ent.label_, ent.end
        while end - 1 > ent.start and doc[end - 1].is_lower and doc[end - 1].is_alpha:
            end -= 1  # the small NER runs on at times: "the Architect of the Capitol carried"
        ent = doc[ent.start:end]
        words = name_words(t.text for t in ent)
        if not any(ch.isupper() for ch in ent.text) or len("".join(name_words(t.text for t in ent))) < 2:
            continue  # "coronavirus pandemic": the small NER tags common phrases at times; names are capitalised
        if words and not all(w in MONTHS or w in WEEKDAYS for w in words):
            found.append((ent, Name(ent.text, label, words)))
        covered.update(range(ent.start, ent.end))
    run: list = []
    for tok in list(doc) + [None]:
        if tok is not None and tok.pos_ == "PROPN" and tok.i not in covered and tok.ent_type_ not in {"DATE", "TIME"}:
            run.append(tok)
            continue
        if run:
            span = doc[run[0].i: run[-1].i + 1]
            words = name_words(t.text for t in span)
            if words and len("".join(words)) >= 2 and not all(w in MONTHS or w in WEEKDAYS or w in TITLES for w in words):
                found.append((span, Name(span.text, "PROPN", words)))
            run = []
    return found


_SOURCE_WORD = re.compile(r"[^\W_](?:[\w'’.\-]*[^\W_])?")  # letters of any script: "Barré" is one word


def plain_words(text: str) -> list[str]:
    """Lower-case words with dots, hyphens and possessives dropped ("U.S." -> us, "al-Ayn" -> al ayn)."""
    out = []
    for raw in _SOURCE_WORD.findall(text):
        word = POSSESSIVE.sub("", raw.lower()).replace(".", "")
        out.extend(w for w in re.split(r"[-‐–]", word) if w)
    return out


@lru_cache(maxsize=4096)  # NameBook.of reads the same passages for many sentences
def written_as_names(text: str) -> frozenset[str]:
    """The plain forms of the words a text writes as an acronym ("EPA", "U.S.") or with a capital that is not a
    common word's ("Nasa", not a sentence's opening "On"): what initials may stand for."""
    out: set[str] = set()
    for raw in _SOURCE_WORD.findall(text):
        letters = [c for c in raw if c.isalpha()]
        shouted = len(letters) >= 2 and all(c.isupper() for c in letters)
        if not shouted and not (raw[:1].isupper() and len(letters) >= 3):
            continue
        word = POSSESSIVE.sub("", raw.lower()).replace(".", "")
        if shouted or word not in STOPWORDS:
            out.update(w for w in re.split(r"[-‐–]", word) if w)
    return frozenset(out)


def canonical(words: Sequence[str]) -> list[str]:
    """Words with every alias phrase replaced by its group ("united states congress" -> @0 congress)."""
    out: list[str] = []
    i = 0
    while i < len(words):
        for n in (4, 3, 2, 1):
            gid = _ALIAS_INDEX.get(" ".join(words[i: i + n])) if i + n <= len(words) else None
            if gid is not None:
                out.append(f"@{gid}")
                i += n
                break
        else:
            out.append(words[i])
            i += 1
    return out


_ORDINAL_WORDS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"]
_ORDINAL_DIGITS = ["1st", "2nd", "3rd", "4th", "5th", "6th", "7th", "8th", "9th", "10th"]
ORDINALS = {**dict(zip(_ORDINAL_WORDS, _ORDINAL_DIGITS)), **dict(zip(_ORDINAL_DIGITS, _ORDINAL_WORDS))}


def alias_group(words: tuple[str, ...]) -> int | None:
    return _ALIAS_INDEX.get(" ".join(words))


_ALIAS_INDEX: dict[str, int] = {}
for _gid, _group in enumerate(NAME_ALIASES):
    for _surface in _group:
        _ALIAS_INDEX[" ".join(plain_words(_surface))] = _gid


def acronym(words: tuple[str, ...]) -> str:
    return "".join(w[0] for w in words if w not in {"of", "and", "for", "the", "on", "in"})


@dataclass
class NameBook:
    """What a set of texts names, for asking whether a name (in any usual form) is among them."""

    text: str  # " word word ... " for word-bounded phrase look-ups
    words: frozenset[str]
    aliases: frozenset[int]
    acronyms: frozenset[str]
    people: tuple[tuple[str, ...], ...]  # multi-word names, for surname and first-name checks
    initials: frozenset[str] = frozenset()  # words written as an acronym or a name (``written_as_names``)

    @classmethod
    def of(cls, texts: Sequence[str], analyses: Sequence[Analysis]) -> "NameBook":
        seq = [w for t in texts for w in plain_words(t) + ["|"]]
        padded = " " + " ".join(seq) + " " + " ".join(canonical(seq)) + " "
        aliases: set[int] = set()
        for n in range(1, 5):
            for i in range(len(seq) - n + 1):
                gid = _ALIAS_INDEX.get(" ".join(seq[i: i + n]))
                if gid is not None:
                    aliases.add(gid)
        multi = tuple({n.words for a in analyses for n in a.names if len(n.words) > 1})
        acronyms = {acronym(words) for words in multi if len(words) > 1}
        for words in multi:  # "USCIS" for "US Citizenship and Immigration Services", "LA" for "Los Angeles County"
            acronyms.add("".join(w if len(w) <= 2 else w[0] for w in words if w not in {"of", "and", "the", "for"}))
            acronyms.update(acronym(words[i:j]) for i in range(len(words)) for j in range(i + 2, len(words) + 1))
        initials = frozenset().union(*(written_as_names(t) for t in texts))
        return cls(padded, frozenset(seq), frozenset(aliases), frozenset(acronyms), multi, initials)

    def has_phrase(self, words: tuple[str, ...]) -> bool:
        return f" {' '.join(words)} " in self.text or f" {' '.join(canonical(words))} " in self.text

    def knows(self, name: Name) -> bool:
        """Is this name in the texts, written there this way or another usual way?"""
        words = name.words
        if not words:
            return True
        if self.has_phrase(words):
            return True
        gid = alias_group(words)
        if gid is not None and gid in self.aliases:
            return True
        if len(words) > 1 and words[-1] in {"s", "administration", "government", "officials"}:
            return self.knows(Name(name.text, name.label, words[:-1]))
        ordinal = tuple(ORDINALS.get(w, w) for w in words)
        if ordinal != words and self.has_phrase(ordinal):
            return True  # "the Second Circuit" where the source writes "the 2nd Circuit" (or the reverse)
        if len(words) == 1 and "&" in words[0]:
            words = (words[0].replace("&", ""),)  # "J&J" for "Johnson & Johnson"
        if len(words) > 1 and all(w in self.words or w in self.acronyms for w in words) \
                and any(w in self.acronyms for w in words) and any(w in self.words for w in words):
            return True  # "L.A. County" where the source writes "Los Angeles County"
        if len(words) == 1:
            word = words[0]
            if word in self.acronyms:
                return True  # EPA where the source spells out Environmental Protection Agency
            if len(word) >= 5 and any(len(w) >= 5 and w[:5] == word[:5] for w in self.words):
                return True  # Russian / Russia
            return False
        if acronym(words) in self.initials:
            return True  # Environmental Protection Agency where the source writes EPA (not "on" for Oleg Nikolenko)
        # A person named in full where the source uses the surname (or the reverse): the
        # surname is there, and no source person has that surname with another first name.
        surname, first = words[-1], words[0]
        if surname in self.words and all(w in self.words or len(w) <= 2 for w in words[1:-1]):
            others = [p for p in self.people if p[-1] == surname and not _same_first(p[0], first)]
            if not others or first in self.words or any(p[-1] == surname and _same_first(p[0], first) for p in self.people):
                return True
        if all(w in self.words or w.startswith("@") and int(w[1:]) in self.aliases
               for w in canonical(words)) and len(words) <= 4:
            return True
        # A title the tagger took into a lower-case name ("first minister alex salmond" where the source has "Mr
        # Salmond, who served as first minister"): the words up to the last title word, all in the sources, go.
        cut = max((i + 1 for i, w in enumerate(words[:-2]) if w in TITLES), default=0)
        if cut and all(w in self.words for w in words[:cut]) and self.knows(Name(name.text, name.label, words[cut:])):
            return True
        return self._spelled_out(words)

    def _spelled_out(self, words: tuple[str, ...]) -> bool:
        """The name is the texts' acronyms spelled out, with words they hold between: "National Collegiate
        Athletic Association Football Championship Subdivision" where the texts write "NCAA FCS"."""
        reach = {0: False}  # position reached -> whether an acronym was used to get there
        for i in range(len(words)):
            if i not in reach:
                continue
            for j in range(i + 1, len(words) + 1):
                piece = words[i:j]
                if len(piece) == 1 and piece[0] in self.words:
                    reach[j] = reach.get(j, False) or reach[i]
                elif len(piece) >= 2 and len(acronym(piece)) >= 2 and acronym(piece) in self.initials:
                    reach[j] = True
        return reach.get(len(words), False)

    def rival(self, name: Name) -> tuple[str, ...] | None:
        """A person the texts name with the same surname but another first name (a swapped first name)."""
        if len(name.words) not in (2, 3) or name.label not in {"PERSON", "PROPN"} or "and" in name.words:
            return None
        for p in self.people:
            if len(p) in (2, 3) and p[-1] == name.words[-1] and not _same_first(p[0], name.words[0]):
                if not any(q[-1] == p[-1] and _same_first(q[0], name.words[0]) for q in self.people):
                    return p
        return None


def _same_first(a: str, b: str) -> bool:
    """Rob / Robert, Ken / Kenneth: a short form is the start of the long one."""
    return a == b or (min(len(a), len(b)) >= 3 and (a.startswith(b) or b.startswith(a)))


def _acronym_of_run(short: str, words: tuple[str, ...]) -> bool:
    """``short`` is the initials of ``words`` or of a run of two or more of them."""
    return len(short) >= 2 and any(acronym(words[i:j]) == short for i in range(len(words))
                                   for j in range(i + 2, len(words) + 1))


def same_party(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Two role fillers' words name the same party: a shared word, initials, or one alias group."""
    if not a or not b:
        return False
    if a == b or a[-1] == b[-1] or bool(set(a) & set(b) - {"of", "the", "and"}):
        return True
    if (len(a) == 1 and len(b) > 1 and _acronym_of_run(a[0], b)) or (len(b) == 1 and len(a) > 1 and _acronym_of_run(b[0], a)):
        return True  # RBG / Ruth Bader Ginsburg; HHS / Department of Health and Human Services
    ga, gb = alias_group(a), alias_group(b)
    return ga is not None and ga == gb

