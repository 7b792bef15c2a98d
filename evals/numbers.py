"""Number and date checks: every figure by value against the evidence, then the sources; months,
weekdays, relative days and parts of the day the sources do not give.

A finding with ``conflict=True`` means the evidence says something *else* (another number, another
day); one with ``conflict=False`` means the sources simply do not back that figure or day.
"""

from __future__ import annotations

import re
from functools import lru_cache

from digest_core.text import STOPWORDS, normalize, stem, words
from evals.lexicon import MONTHS, RELATIVE_TIME, WEEKDAYS
from evals.quantities import DATES, INDEFINITE, Quantity, hedge_before, matches, quantities
from evals.records import Finding


def _counted(text: str) -> dict[str, set[float]]:
    """The noun right after each figure ("4 million doses" -> doses) and the values given for it."""
    out: dict[str, set[float]] = {}
    norm = normalize(text)
    for q in quantities(text):
        at = norm.find(q.surface)
        if at < 0:
            continue
        after = words(norm[at + len(q.surface): at + len(q.surface) + 40])
        noun = next((w for w in after if w not in STOPWORDS and not w.isdigit()), None)
        if noun:
            out.setdefault(stem(noun), set()).add(q.value)
    return out


def _counted_noun_in(q: Quantity, sentence: str, evidence: str) -> bool:
    """Is the thing counted ("two *speeches*") something the evidence talks about?"""
    nouns = {noun for noun, values in _counted(sentence).items() if q.value in values}
    ev = {stem(w) for w in words(evidence)}
    return bool(nouns) and nouns <= ev


def _counts_same_thing(q: Quantity, sentence: str, evidence: str) -> bool:
    mine = {noun for noun, values in _counted(sentence).items() if q.value in values}
    theirs = _counted(evidence)
    return any(noun in theirs for noun in mine)


def _derived(q: Quantity, unit: tuple[Quantity, ...]) -> bool:
    """``q`` is worked out from two figures of the source sentence it restates: the gap between two larger
    figures ("won by seven points" for "won 50-43", "17 points ahead" for "55% to 38%", "rises by $520" for "from
    $640 to $1,160"), or a share of one in the other ("about 6 percent" for "18,000 of 300,000"). Only within
    that one sentence, between few figures, and for gaps only between figures of 10 or more, where a figure a
    writer got wrong rarely equals one by chance (a sum of small counts often would: "two judges ... six cases" is
    not "eight cases")."""
    if q.value <= 0:
        return False
    same_kind = {"number": {"number", "percent"}, "money": {"money"}, "percent": {"percent"}}.get(q.kind, set())
    for kind in same_kind:
        pool = [p for p in unit if p.kind == kind and not p.hedged and p.value >= 10 and p.value > q.value]
        if not q.hedged and 2 <= len(pool) <= 4 and any(abs(abs(a.value - b.value) - q.value) < 1e-6 * q.value
                                                        for i, a in enumerate(pool) for b in pool[i + 1:]):
            return True
    counts = [p for p in unit if p.kind == "number" and p.value >= 10 and p.days is None]
    if q.kind != "percent" or not 2 <= len(counts) <= 4:
        return False
    slack = 1.0 if q.hedged else 0.5
    return any(abs(100 * small.value / big.value - q.value) <= slack
               for big in counts for small in counts if small.value < big.value)


def check_numbers(sentence: str, evidence: str, source: str, unit: str = "") -> list[Finding]:
    """Figures by value against the evidence, then the sources; ``unit`` is the source sentence the
    sentence restates: a figure found elsewhere in the sources but not there, where that sentence
    gives another of the same kind, is a moved figure ("in 2016" for the "in 2017" it restates)."""
    findings: list[Finding] = []
    in_source, in_evidence = quantities(source, True), quantities(evidence, True)
    mine = quantities(sentence)
    in_unit = quantities(unit, True) if unit else ()
    for q in mine:
        if q.kind == "fraction" and not any(p.kind in {"percent", "fraction"} for p in in_source):
            continue  # "half of them" is a proportion, not a figure to look up
        if _derived(q, in_unit):
            continue
        if matches(q, in_evidence) and not (in_unit and _moved_from(q, in_unit, mine)):
            continue
        if matches(q, in_source):
            moved = [p for p in in_unit if p.kind == q.kind and q.kind != "number" and not matches(p, mine)]
            if moved:
                findings.append(Finding(kind="date" if q.kind in DATES else "number", conflict=True,
                                        check="numbers, dates and times by value", words=[q.surface], evidence=unit[:300],
                                        detail=f"'{q.surface}' where the source sentence it restates says {moved[0].surface}"))
            continue
        kind = "date" if q.kind in DATES else "number"
        rivals = [p.surface for p in in_evidence if ((p.kind == q.kind) or (q.kind == "number" and p.kind not in DATES))
                  and not INDEFINITE.fullmatch(p.surface)]  # "an hour" backs "60 minutes", it does not rival "seven"
        if q.days is not None:  # a duration is rivalled by the evidence's durations ("two weeks" by "a week")
            rivals = [p.surface for p in in_evidence if p.days is not None] or rivals
        if q.kind == "number" and q.value <= 10 and q.days is None and not _counts_same_thing(q, sentence, evidence) \
                and _counted_noun_in(q, sentence, evidence):
            # "two speeches" where the evidence lists the speeches, "a two-part agenda": a small count a writer
            # makes by counting what the sources list. A conflict only when the evidence counts the same thing
            # with another number.
            findings.append(Finding(kind=kind, check="numbers, dates and times by value", words=[q.surface],
                                    detail=f"'{q.surface}' is not written in the sources (a count of what they list?)"))
            continue
        if rivals:
            findings.append(Finding(kind=kind, conflict=True, check="numbers, dates and times by value", words=[q.surface],
                                    evidence=evidence[:300],
                                    detail=f"'{q.surface}' is not in the sources; the evidence says {_said(rivals)}"))
        else:
            findings.append(Finding(kind=kind, check="numbers, dates and times by value", words=[q.surface], blocking=True,
                                    detail=f"'{q.surface}' does not appear in the sources"))
    findings += _indefinite_durations(sentence, evidence, in_source, in_evidence)
    findings += _ordinals(sentence, evidence, source)
    return findings


# Before a duration without a figure, words that make it how long something lasted or took ("for a decade",
# "within a week", "more than a year"); elsewhere "a day" is a rate ("the most cases in one day") or a point in time.
_HOW_LONG_BEFORE = re.compile(r"(?:\bfor|\bwithin|\bover the (?:past|last)|\bin the (?:past|last)|\blast(?:ed|ing|s)?|"
                              r"\btook|\bspent|\bserved)\s+$", re.I)
# After it, words that make it a distance in time from something else ("a year ago", "a day after").
_RELATIVE_AFTER = re.compile(r"\s*(?:ago|after|later|earlier|before|since|from now|on)\b", re.I)


def _indefinite_durations(sentence: str, evidence: str, in_source, in_evidence) -> list[Finding]:
    """A duration the sentence gives without a figure ("for more than a decade", "within a week") where the
    evidence gives another ("more than six years") and no source gives this one. Only a conflict is called: "a
    week" with no duration in the evidence is left to the other checks."""
    durations = [p for p in in_evidence if p.days is not None]
    if not durations:
        return []
    text = normalize(sentence)
    out: list[Finding] = []
    for m in INDEFINITE.finditer(text):
        hedge = hedge_before(text, m.start())
        if _RELATIVE_AFTER.match(text, m.end()) or not (hedge or _HOW_LONG_BEFORE.search(text[: m.start()])):
            continue
        q = next((x for x in quantities(m.group(0), True) if x.days is not None), None)
        if q is None:
            continue
        q = Quantity(q.value, q.kind, m.group(0).strip(), hedge, q.days)
        if matches(q, in_source):
            continue
        out.append(Finding(kind="number", conflict=True, check="numbers, dates and times by value", words=[q.surface],
                           evidence=evidence[:300], detail=f"'{q.surface}' is not in the sources; the evidence says "
                                                           f"{_said(p.surface for p in durations)}"))
    return out


_ORDINAL = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
            "ninth": 9, "tenth": 10, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "5th": 5, "6th": 6, "7th": 7, "8th": 8,
            "9th": 9, "10th": 10}
_ANY_ORDINAL = re.compile(r"\b(?:" + "|".join(_ORDINAL) + r")\b", re.I)
_ORDINAL_NOUN = re.compile(r"\b(" + "|".join(_ORDINAL) + r")\s+(?:straight\s+|consecutive\s+|full\s+)?([a-z]+)", re.I)


@lru_cache(maxsize=256)
def _ordinal_counts(text: str) -> frozenset[tuple[int, str]]:
    """(ordinal, stemmed noun) pairs of a text; memoised, as the whole sources are read for every sentence."""
    if not _ANY_ORDINAL.search(text):
        return frozenset()
    return frozenset((_ORDINAL[m.group(1).lower()], stem(m.group(2).lower()))
                     for m in _ORDINAL_NOUN.finditer(normalize(text)))


def _ordinals(sentence: str, evidence: str, source: str) -> list[Finding]:
    """"its third day" where the evidence has "its second day": an ordinal before a noun that the evidence counts
    with another ordinal, and that no source counts with this one. Only a conflict is called ("the second time" with
    no count in the evidence is left alone)."""
    mine, theirs, everywhere = _ordinal_counts(sentence), _ordinal_counts(evidence), _ordinal_counts(source)
    out: list[Finding] = []
    for value, noun in sorted(mine):
        if (value, noun) in everywhere:
            continue
        rivals = sorted(v for v, n in theirs if n == noun and v != value)
        if rivals:
            word = next(m.group(0) for m in _ORDINAL_NOUN.finditer(normalize(sentence))
                        if _ORDINAL[m.group(1).lower()] == value and stem(m.group(2).lower()) == noun)
            out.append(Finding(kind="number", conflict=True, check="numbers, dates and times by value", words=[word],
                               evidence=evidence[:300],
                               detail=f"'{word}' where the evidence counts it as number {rivals[0]}"))
    return out


def _said(surfaces) -> str:
    """The evidence's figures for a finding: the first three, each once."""
    return ", ".join(list(dict.fromkeys(surfaces))[:3])


def _moved_from(q, in_unit, mine) -> bool:
    """``q`` is not in the source sentence restated, which gives another figure of its kind that the sentence
    does not ("36% of the staff is white" restating "60 percent of the staff is white", 36 percent being
    another sentence's figure)."""
    if q.kind == "number" or matches(q, in_unit):
        return False
    return any(p.kind == q.kind and not matches(p, mine) for p in in_unit)


@lru_cache(maxsize=256)  # called with the whole source text for every sentence
def _time_terms(text: str) -> dict[str, frozenset[str]]:
    tokens = words(text)
    terms: dict[str, set[str]] = {"month": set(), "weekday": set(), "relative": set(), "part of day": set()}
    for i, tok in enumerate(tokens):
        for part in tok.split("-"):  # "all-night"
            if part in _PART_OF_DAY:
                terms["part of day"].add(_PART_OF_DAY[part])
        if tok in {"early", "late"} and i + 1 < len(tokens) and tokens[i + 1] in WEEKDAYS:
            terms["part of day"].add("morning" if tok == "early" else "evening")  # "early Monday", "late Friday"
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


_PART_OF_DAY = {"morning": "morning", "afternoon": "afternoon", "evening": "evening", "night": "evening",
                "tonight": "evening", "overnight": "evening"}


def check_dates(sentence: str, evidence: str, source: str) -> list[Finding]:
    """Months, weekdays, relative days and parts of the day the sources do not give; a conflict when the
    evidence gives another ("Monday evening" for "Monday morning"). A part of the day the sources do not
    mention at all is only noted: "early Monday" does not say which part."""
    findings: list[Finding] = []
    mine, ev, src = _time_terms(sentence), _time_terms(evidence), _time_terms(source)
    for key in mine:
        for term in sorted(mine[key] - src[key] - ev[key]):
            rivals = sorted(ev[key] - mine[key])
            if key == "part of day" and not rivals:
                findings.append(Finding(kind="date", check="dates", words=[term],
                                        detail=f"'{term}' is not given in the sources"))
                continue
            if key == "relative":
                unit = term.split(" ", 1)[-1]
                rivals = [r for r in rivals if r.endswith(unit) or " " not in r]
            if rivals:
                findings.append(Finding(kind="date", conflict=True, check="dates", words=[term], evidence=evidence[:300],
                                        detail=f"'{term}' where the evidence says '{', '.join(rivals)}'"))
            else:
                findings.append(Finding(kind="date", check="dates", words=[term], blocking=True,
                                        detail=f"'{term}' does not appear in the sources"))
    return findings
