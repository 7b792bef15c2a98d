"""Explainable checks of what summaries get wrong, each yielding ``Finding``s.

Every check compares the summary sentence with (a) its aligned evidence passages and
(b) the whole of the sources it may use. A finding with ``conflict=True`` means the
evidence says something *else* (another number, the opposite polarity); one with
``conflict=False`` means the sources simply do not back that part of the sentence.
Rules only: no parser or NER model is installed, and none may be downloaded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from evals.records import Finding
from evals.text import STOPWORDS, content_stems, content_words, normalize, stem, words
from evals.lexicon import (
    ANTONYMS, MONTHS, NEGATIONS, NUMBER_WORDS, RELATIVE_TIME, SCALES, SPEECH_VERBS, WEEKDAYS,
)


@dataclass(frozen=True)
class Quantity:
    value: float
    kind: str  # number | percent | money | year
    surface: str


_NUM = re.compile(
    r"(?P<cur>[$£€])?\s?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?:\s*(?P<pct>%|percent\b|per cent\b))?"
    r"(?:\s*-?\s*(?P<scale>thousand|million|billion|trillion|bn|m|k)\b)?"
    r"(?:\s*(?P<pct2>%|percent\b|per cent\b))?"
    r"(?:\s+(?P<cur2>dollars|pounds|euros)\b)?",
    re.I,
)
_WORDNUM = re.compile(
    r"\b(?P<w>" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")"
    r"(?:[\s-]+(?P<w2>" + "|".join(k for k in NUMBER_WORDS if NUMBER_WORDS[k] < 10) + r"))?"
    r"(?:\s+(?P<scale>hundred|thousand|million|billion|trillion))?"
    r"(?:\s+(?P<pct>percent|per cent))?\b",
    re.I,
)


@lru_cache(maxsize=4096)
def quantities(text: str) -> tuple[Quantity, ...]:
    """Numbers in ``text`` with scale words and currency folded in ("$5bn" == "5 billion dollars")."""
    text = normalize(text)
    found: list[Quantity] = []
    for m in _NUM.finditer(text):
        if re.match(r"\d{1,2}:\d\d", text[m.start("num"):]):
            continue  # clock times are compared as dates/times, not amounts
        raw = m.group("num").replace(",", "")
        value = float(raw)
        scale = (m.group("scale") or "").lower()
        if scale == "m" and not m.group("cur"):
            scale = ""  # "5 m" is more often metres than millions
        value *= SCALES.get(scale, 1.0)
        if m.group("pct") or m.group("pct2"):
            kind = "percent"
        elif m.group("cur") or m.group("cur2"):
            kind = "money"
        elif re.fullmatch(r"(1[89]|20)\d\d", raw) and not scale:
            kind = "year"
        else:
            kind = "number"
        found.append(Quantity(value, kind, m.group(0).strip()))
    for m in _WORDNUM.finditer(text):
        value = float(NUMBER_WORDS[m.group("w").lower()])
        if m.group("w2"):
            value += NUMBER_WORDS[m.group("w2").lower()]
        if m.group("scale"):
            value *= SCALES[m.group("scale").lower()]
        kind = "percent" if m.group("pct") else "number"
        found.append(Quantity(value, kind, m.group(0).strip()))
    return tuple(found)


def _same(a: float, b: float) -> bool:
    if a == b:
        return True
    big = max(abs(a), abs(b))
    # 4.8 million reported as "almost 5 million": allow rounding, never for small counts.
    return big >= 20 and abs(a - b) / big <= 0.05


def _matches(q: Quantity, pool: tuple[Quantity, ...]) -> bool:
    return any(_same(q.value, p.value) or (q.kind == "money" and _same(q.value, p.value)) for p in pool)


def check_numbers(sentence: str, evidence: str, source: str) -> list[Finding]:
    findings: list[Finding] = []
    in_source, in_evidence = quantities(source), quantities(evidence)
    for q in quantities(sentence):
        if _matches(q, in_evidence) or _matches(q, in_source):
            continue
        kind = "date" if q.kind == "year" else "number"
        rivals = [p.surface for p in in_evidence if (p.kind == q.kind) or (q.kind == "number" and p.kind != "year")]
        if rivals:
            findings.append(Finding(kind=kind, conflict=True,
                                    detail=f"'{q.surface}' is not in the sources; the evidence says {', '.join(rivals[:3])}"))
        else:
            findings.append(Finding(kind=kind, detail=f"'{q.surface}' does not appear in the sources"))
    return findings


@lru_cache(maxsize=256)  # called with the whole source text for every sentence
def _time_terms(text: str) -> dict[str, frozenset[str]]:
    tokens = words(text)
    terms: dict[str, set[str]] = {"month": set(), "weekday": set(), "relative": set()}
    for i, tok in enumerate(tokens):
        if tok in MONTHS and not (tok == "may" and not re.search(r"\bMay\b", text)):
            terms["month"].add(MONTHS[tok])
        if tok in WEEKDAYS:
            terms["weekday"].add(tok)
        if tok in RELATIVE_TIME:
            terms["relative"].add(RELATIVE_TIME[tok])
        if tok in {"last", "next", "past", "previous", "coming", "this"} and i + 1 < len(tokens):
            unit = tokens[i + 1]
            if unit in {"week", "month", "year", "weekend", "season", "decade", "century", "spring", "summer",
                        "autumn", "winter", "fall"}:
                direction = {"last": "past", "past": "past", "previous": "past", "next": "future",
                             "coming": "future", "this": "present"}[tok]
                terms["relative"].add(f"{direction} {unit}")
    return {k: frozenset(v) for k, v in terms.items()}


def check_dates(sentence: str, evidence: str, source: str) -> list[Finding]:
    findings: list[Finding] = []
    mine, ev, src = _time_terms(sentence), _time_terms(evidence), _time_terms(source)
    for key in mine:
        for term in sorted(mine[key] - src[key] - ev[key]):
            rivals = sorted(ev[key] - mine[key])
            if key == "relative":
                unit = term.split(" ", 1)[-1]
                rivals = [r for r in rivals if r.endswith(unit) or " " not in r]
            if rivals:
                findings.append(Finding(kind="date", conflict=True,
                                        detail=f"'{term}' where the evidence says '{', '.join(rivals)}'"))
            else:
                findings.append(Finding(kind="date", detail=f"'{term}' does not appear in the sources"))
    return findings


_CAP = re.compile(r"\b[A-Z][a-zA-Z'’.\-]*[a-zA-Z]|\b[A-Z]{2,}\b")
_NOT_NAMES = {"i", "mr", "mrs", "ms", "dr", "st", "the", "a", "an"}


def entities(text: str) -> set[str]:
    """Lower-cased tokens of capitalised words that are names, not sentence openers or calendar words."""
    text = normalize(text)
    names: set[str] = set()
    for sent_start, chunk in _sentences_with_starts(text):
        for m in _CAP.finditer(chunk):
            token = m.group(0).rstrip(".").lower().replace("’", "'")
            token = re.sub(r"'s$", "", token)
            at_start = m.start() == sent_start or chunk[: m.start()].strip() in {"", '"', "'", "("}
            if at_start and (token in STOPWORDS or token in _COMMON_OPENERS):
                continue
            if at_start and not re.match(r"\s+[A-Z]", chunk[m.end():]):
                continue  # "Work on the bridge ...": a capital only because the sentence starts there
            if token in _NOT_NAMES or token in MONTHS or token in WEEKDAYS or token in STOPWORDS:
                continue
            names.add(token)
    return names


_COMMON_OPENERS = {"after", "before", "while", "although", "despite", "since", "following", "police", "officials",
                   "experts", "critics", "residents", "researchers", "scientists", "authorities", "two", "three",
                   "several", "many", "both", "one", "now", "meanwhile", "yesterday", "today", "last", "earlier"}


def _sentences_with_starts(text: str) -> list[tuple[int, str]]:
    return [(0, part) for part in re.split(r"(?<=[.!?])\s+", text)]


def _known(token: str, vocabulary: frozenset[str]) -> bool:
    if token in vocabulary:
        return True
    parts = re.split(r"[-.']", token)
    if len(parts) > 1 and all(p in vocabulary for p in parts if p):
        return True
    # "Russian" vs "Russia", "Obama's": a shared 5-letter prefix counts as the same name.
    return len(token) >= 5 and any(v.startswith(token[:5]) and len(v) >= 5 for v in vocabulary)


def check_entities(sentence: str, passage: str, source_words: frozenset[str]) -> list[Finding]:
    """Names missing from the sources, and names swapped relative to the best-aligned passage."""
    findings: list[Finding] = []
    mine = entities(sentence)
    missing = sorted(t for t in mine if not _known(t, source_words))
    for token in missing:
        findings.append(Finding(kind="entity", detail=f"'{token}' is not named in the sources"))
    # Swap: the sentence restates the passage closely apart from its names, names someone the
    # passage does not, and the passage names someone the sentence leaves out.
    ev_words = frozenset(words(passage))
    absent = sorted(t for t in mine if t not in missing and not _known(t, ev_words))
    extra = sorted(entities(passage) - mine - set(words(sentence)))
    rest = {stem(w) for w in content_words(sentence) if w not in mine}
    ev_stems = {stem(w) for w in content_words(passage)}
    restated = len(rest & ev_stems) / len(rest) if rest else 0.0
    if absent and extra and len(absent) <= 2 and len(extra) <= 2 and restated >= 0.75:
        findings.append(Finding(kind="entity", conflict=True,
                                detail=f"names {', '.join(absent)} where the evidence names {', '.join(extra[:3])}"))
    return findings


_SPEAKER_AFTER = re.compile(r"\b(?:" + "|".join(SPEECH_VERBS) + r")\s+((?:[A-Z][\w'’\-]+\s?){1,3})")
_SPEAKER_BEFORE = re.compile(r"((?:[A-Z][\w'’\-]+\s){1,3})(?:" + "|".join(SPEECH_VERBS) + r")\b")
_ACCORDING = re.compile(r"\b[Aa]ccording to (?:the )?((?:[A-Z][\w'’\-]+\s?){1,3})")


def speakers(text: str) -> set[str]:
    found: set[str] = set()
    for pattern in (_SPEAKER_AFTER, _SPEAKER_BEFORE, _ACCORDING):
        for m in pattern.finditer(normalize(text)):
            for token in words(m.group(1)):
                if token not in STOPWORDS and token not in _COMMON_OPENERS and token not in {"he", "she", "they"}:
                    found.add(token)
    return found


def check_attribution(sentence: str, evidence_unit: str) -> list[Finding]:
    """Who said it: the sentence's speaker must be the evidence's speaker when the evidence has one."""
    mine, theirs = speakers(sentence), speakers(evidence_unit)
    if mine and theirs and not (mine & theirs) and not (mine & set(words(evidence_unit)) - STOPWORDS):
        return [Finding(kind="attribution", conflict=True,
                        detail=f"attributed to {', '.join(sorted(mine))}; the evidence quotes {', '.join(sorted(theirs))}")]
    return []


_SCOPE = 4  # tokens after a negation cue that it governs ("did not approve the budget")
_WINDOW = 4  # tokens either side of an antonym: compared only where both texts say the same thing
_NEG_VERBS = {"fail", "failed", "fails", "refused", "refuses", "refuse", "denied", "denies"}


def _is_cue(token: str) -> bool:
    return token in NEGATIONS or token.endswith("n't") or token in _NEG_VERBS


def _content(tokens: list[str]) -> set[str]:
    return {stem(w) for w in tokens if w not in STOPWORDS and len(w) > 1 and not _is_cue(w)}


def _windows(tokens: list[str], hit, before: int = _WINDOW, after: int = _WINDOW) -> list[tuple[str, set[str]]]:
    """(token, content stems near it) for every token where ``hit`` is true."""
    return [(t, _content(tokens[max(0, i - before): i] + tokens[i + 1: i + after + 1]))
            for i, t in enumerate(tokens) if hit(t)]


def negated(text: str) -> bool:
    return any(_is_cue(t) for t in words(text))


def _restated(window: set[str], other: set[str]) -> set[str]:
    """Stems the other text shares with a cue's window, when it clearly restates that stretch."""
    shared = window & other
    return shared if len(shared) >= min(2, len(window)) and len(shared) >= 0.5 * len(window) else set()


def check_polarity(sentence: str, evidence_unit: str, best_lex: float) -> list[Finding]:
    """Negation flips and antonym swaps, compared locally against the source sentence it restates."""
    if best_lex < 0.5:
        return []  # not clearly the same statement: polarity comparison would be noise
    s_tok, e_tok = words(sentence), words(evidence_unit)
    s_stems = {stem(w) for w in s_tok if w not in STOPWORDS}
    e_stems = {stem(w) for w in e_tok if w not in STOPWORDS}
    s_neg, e_neg = _windows(s_tok, _is_cue, 0, _SCOPE), _windows(e_tok, _is_cue, 0, _SCOPE)
    flips: list[str] = []
    for cue, window in s_neg:
        shared = _restated(window, e_stems)
        if shared and not any(w & shared for _, w in e_neg):
            flips.append(f"the sentence says '{cue}' where the evidence states it plainly: \"{evidence_unit[:160]}\"")
    for cue, window in e_neg:
        shared = _restated(window, s_stems)
        if shared and not any(w & shared for _, w in s_neg):
            flips.append(f"the sentence drops the '{cue}' of the evidence: \"{evidence_unit[:160]}\"")
    swaps: list[tuple[str, str]] = []
    for a, b in ANTONYMS:
        sa, sb = stem(a), stem(b)
        if sa not in s_stems or sb not in e_stems or sa in e_stems or sb in s_stems:
            continue
        for _, wa in _windows(s_tok, lambda t: stem(t) == sa):
            if any(len(wa & wb) >= 2 for _, wb in _windows(e_tok, lambda t: stem(t) == sb)):
                swaps.append((a, b))
                break
    if flips and swaps:
        return []  # "did not rise" restating "fell": two flips cancel
    findings = [Finding(kind="negation", conflict=True, detail=d) for d in flips[:1]]
    findings += [Finding(kind="antonym", conflict=True, detail=f"'{a}' where the evidence says '{b}'") for a, b in swaps[:2]]
    return findings


def check_unsupported(sentence: str, evidence: str, source_stems: frozenset[str]) -> tuple[list[Finding], float]:
    """Content words with no trace in the sources; returns findings and the unsupported share."""
    stems_here = content_stems(sentence)
    if not stems_here:
        return [], 0.0
    ev = set(content_stems(evidence))
    surface = {stem(w): w for w in content_words(sentence)}
    novel = [surface.get(w, w) for w in dict.fromkeys(stems_here) if w not in source_stems and w not in ev]
    share = len(novel) / len(set(stems_here))
    findings = []
    if novel:
        findings.append(Finding(kind="unsupported_content",
                                detail=f"{len(novel)} of {len(set(stems_here))} content words have no trace in the sources: "
                                       + ", ".join(novel[:8])))
    return findings, share
