"""Explainable checks of what summaries get wrong, each yielding ``Finding``s.

Every check compares the summary sentence with (a) its aligned evidence passages and
(b) the whole of the sources it may use. A finding with ``conflict=True`` means the
evidence says something *else* (another number, the opposite polarity); one with
``conflict=False`` means the sources simply do not back that part of the sentence.
These are the surface checks (numbers, dates and times by value, who-said-it, antonyms); the ones
that need a parse (names, roles, clause polarity, soft word support) are in evals.meaning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from evals.records import Finding
from digest_core.text import STOPWORDS, normalize, stem, words
from evals.lexicon import (
    ANTONYMS, MONTHS, NUMBER_WORDS, RELATIVE_TIME, SCALES, WEEKDAYS,
)


@dataclass(frozen=True)
class Quantity:
    value: float
    kind: str  # number | percent | money | year | decade | day (month * 100 + day) | time (minutes after midnight)
    surface: str
    hedged: str = ""  # "about", "under" (nearly, less than), "over" (more than): compared with a tolerance
    days: float | None = None  # a duration ("three weeks", "21-day"), in days, to compare across units


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
    r"(?P<half>[\s-]+and[\s-]+a[\s-]+half)?"
    r"(?:\s+(?P<scale>hundred|thousand|million|billion|trillion|decades?|dozens?))?"
    r"(?:\s+(?P<scale2>thousand|million|billion|trillion))?"  # "three hundred million"
    r"(?:\s+(?P<pct>percent|per cent))?\b",
    re.I,
)
_CLOCK = re.compile(r"\b(?P<h>\d{1,2})(?::(?P<m>\d\d))?\s*(?P<ap>a\.?\s?m\.?|p\.?\s?m\.?)(?![a-z])|\b(?P<h24>\d{1,2}):(?P<m24>\d\d)\b"
                    r"|\b(?P<word>noon|midday|midnight)\b", re.I)
_HEDGE = re.compile(r"(?:about|around|approximately|roughly|nearly|almost|some|over|more than|less than|fewer than|"
                    r"under|at least|up to|close to|upwards of|just over|just under|an estimated|estimated)\s+$", re.I)
_MONTH_NUMBER = {name: k for k, name in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
     "december"], 1)}
_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
_DAY = re.compile(rf"\b(?P<m1>{_MONTH_RE})\.?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\b"
                  rf"|\b(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m2>{_MONTH_RE})\b", re.I)
_UNIT_DAYS = {"second": 1 / 86400, "minute": 1 / 1440, "hour": 1 / 24, "day": 1.0, "week": 7.0, "fortnight": 14.0,
              "month": 30.44, "year": 365.25, "decade": 3652.5}
_UNIT_AFTER = re.compile(r"[\s-]*(?:-?long\s+)?(?P<u>" + "|".join(_UNIT_DAYS) + r")s?\b", re.I)
# "a week", "an hour and a half", "half a year": durations without a figure, read in the sources only
_INDEFINITE = re.compile(r"\b(?:(?P<a>an?|one)[\s-]+(?P<u1>" + "|".join(_UNIT_DAYS) + r")(?P<half>[\s-]+and[\s-]+a[\s-]+half)?"
                         r"|half[\s-]+an?[\s-]+(?P<u2>" + "|".join(_UNIT_DAYS) + r"))\b", re.I)
_BEFORE_CLOCK = re.compile(r"\b(?P<n>\d{1,2}|a|one|two|three|four|five|ten|fifteen|twenty|thirty)\s+minutes?\s+"
                           r"(?P<way>before|to|after|past)\s+(?P<at>midnight|noon|midday)\b", re.I)
_HALF_DOZEN = re.compile(r"\bhalf\s+a\s+dozen\b", re.I)
_FRACTIONS = {"half": 50.0, "a third": 100 / 3, "one third": 100 / 3, "a quarter": 25.0, "one quarter": 25.0,
              "two thirds": 200 / 3, "two-thirds": 200 / 3, "three quarters": 75.0, "three-quarters": 75.0}
_FRACTION = re.compile(r"\b(" + "|".join(sorted(_FRACTIONS, key=len, reverse=True)) + r")\b", re.I)


_OVER = ("over", "more than", "at least", "upwards of", "just over")
_UNDER = ("nearly", "almost", "less than", "fewer than", "under", "up to", "just under", "close to")


def _hedged(text: str, start: int) -> str:
    """The hedge before a figure: "over" (more than), "under" (nearly, less than), "about", or ""."""
    m = _HEDGE.search(text[max(0, start - 20): start])
    if not m:
        return ""
    word = m.group(0).strip().lower()
    return "over" if word in _OVER else "under" if word in _UNDER else "about"


def _within_hedge(a: "Quantity", b: "Quantity") -> bool:
    """A hedged figure against another: "about 100" covers 90-110, "more than 1,000" covers 1,000-1,250,
    "nearly 100" covers 90-100 (and a little over, as writers use it)."""
    for h, other in ((a, b), (b, a)):
        if not h.hedged or not h.value:
            continue
        ratio = other.value / h.value
        if h.hedged == "over" and 1.0 <= ratio <= 1.25 or h.hedged == "under" and 0.9 <= ratio <= 1.02 \
                or h.hedged == "about" and 0.9 <= ratio <= 1.1:
            return True
    return False


def _duration(text: str, end: int, value: float) -> float | None:
    """Days in "<value> <unit>" when a unit of time follows the figure ("three weeks", "21-day", "3.5-minute")."""
    m = _UNIT_AFTER.match(text, end)
    return value * _UNIT_DAYS[m.group("u").lower()] if m else None


@lru_cache(maxsize=4096)
def quantities(text: str, indefinite: bool = False) -> tuple[Quantity, ...]:
    """Numbers in ``text`` by value and unit: "$5bn" == "5 billion dollars", "3 p.m." == "15:00", "half" == "50%",
    "three weeks" == "21 days", "Nov. 3" == "3 November". ``indefinite`` also reads "a week", "an hour and a
    half" (done for the sources a sentence is checked against, where such a phrase can back "seven days")."""
    text = normalize(text)
    found: list[Quantity] = []
    taken: list[tuple[int, int]] = []  # spans already read as one quantity: not read again by a later pattern

    def read(at: int) -> bool:
        return any(a <= at < b for a, b in taken)

    for m in _BEFORE_CLOCK.finditer(text):  # "one minute before midnight" is 11:59 p.m.
        base = 0 if m.group("at").lower() == "midnight" else 720
        n = int(m.group("n")) if m.group("n").isdigit() else NUMBER_WORDS.get(m.group("n").lower(), 1)
        minutes = (base + (n if m.group("way").lower() in {"after", "past"} else -n)) % 1440
        found.append(Quantity(float(minutes), "time", m.group(0).strip(), _hedged(text, m.start())))
        taken.append(m.span())
    for m in _HALF_DOZEN.finditer(text):
        found.append(Quantity(6.0, "number", m.group(0).strip(), _hedged(text, m.start())))
        taken.append(m.span())
    for m in _DAY.finditer(text):
        month = MONTHS[(m.group("m1") or m.group("m2")).lower()]
        day = int(m.group("d1") or m.group("d2"))
        if 1 <= day <= 31:
            found.append(Quantity(float(_MONTH_NUMBER[month] * 100 + day), "day", m.group(0).strip()))
            taken.append(m.span())
    if indefinite:
        for m in _INDEFINITE.finditer(text):
            unit = (m.group("u1") or m.group("u2")).lower()
            value = 0.5 if m.group("u2") else (1.5 if m.group("half") else 1.0)
            found.append(Quantity(value, "number", m.group(0).strip(), _hedged(text, m.start()),
                                  value * _UNIT_DAYS[unit]))
    for m in _CLOCK.finditer(text):
        if read(m.start()):
            continue
        if m.group("word"):
            minutes = 0 if m.group("word").lower() == "midnight" else 720
        elif m.group("h24"):
            minutes = int(m.group("h24")) * 60 + int(m.group("m24"))
        else:
            hour = int(m.group("h")) % 12 + (12 if m.group("ap").lower().startswith("p") else 0)
            minutes = hour * 60 + int(m.group("m") or 0)
        found.append(Quantity(float(minutes), "time", m.group(0).strip(), _hedged(text, m.start())))
        taken.append(m.span())
    for m in _NUM.finditer(text):
        if read(m.start("num")):
            continue
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
        else:
            kind = "number"
        days = None
        if kind == "number" and re.fullmatch(r"(1[89]|20)\d0", raw) and not scale and text[m.end():m.end() + 1] == "s":
            kind = "decade"  # "the 1880s"
        elif kind == "number" and re.fullmatch(r"(1[89]|20)\d\d", raw) and not scale:
            kind = "year"
        elif kind == "number":
            days = _duration(text, m.end(), value)
        at = m.start("cur") if m.group("cur") else m.start("num")
        found.append(Quantity(value, kind, m.group(0).strip(), _hedged(text, at), days))
    for m in _WORDNUM.finditer(text):
        if read(m.start()):
            continue
        if m.group("w").lower() == "half":
            continue  # a fraction, below
        value = float(NUMBER_WORDS[m.group("w").lower()])
        if m.group("w2"):
            value += NUMBER_WORDS[m.group("w2").lower()]
        if m.group("half"):
            value += 0.5  # "three and a half"
        scale = (m.group("scale") or "").lower()
        if scale:
            # "six decades" is 60 (years), "two dozen" 24
            value *= 12.0 if scale.startswith("dozen") else SCALES.get(scale, 10.0)
        if m.group("scale2"):
            value *= SCALES[m.group("scale2").lower()]
        kind = "percent" if m.group("pct") else "number"
        days = _duration(text, m.end(), value) if kind == "number" and not scale else None
        found.append(Quantity(value, kind, m.group(0).strip(), _hedged(text, m.start()), days))
    for m in _FRACTION.finditer(text):
        if read(m.start()):
            continue
        if re.search(r"and[\s-]+a[\s-]+$", text[max(0, m.start() - 8): m.start()], re.I):
            continue  # "three and a half" was read above
        found.append(Quantity(_FRACTIONS[m.group(1).lower()], "fraction", m.group(0), "about"))
    return tuple(found)


def _same(a: Quantity, b: Quantity) -> bool:
    if a.kind == "fraction" or b.kind == "fraction":
        other = b if a.kind == "fraction" else a
        frac = a if a.kind == "fraction" else b
        return other.kind in {"percent", "fraction"} and abs(other.value - frac.value) <= 5
    if a.kind == "time" or b.kind == "time":
        return a.kind == b.kind and abs(a.value - b.value) <= (30 if a.hedged or b.hedged else 0)
    if a.kind in _CALENDAR or b.kind in _CALENDAR:  # a year, decade or day of the month is exact
        if {a.kind, b.kind} == {"year", "decade"}:
            year, decade = (a, b) if a.kind == "year" else (b, a)
            return year.value // 10 * 10 == decade.value
        return a.kind == b.kind and a.value == b.value
    if (a.kind == "percent") != (b.kind == "percent"):
        return False  # "84 cases" is not "more than 90%"
    if a.days is not None and b.days is not None:  # "three weeks" and "21 days"
        big = max(a.days, b.days)
        return abs(a.days - b.days) / big <= (0.2 if a.hedged or b.hedged else 0.01)
    if a.value == b.value:
        return True
    big = max(abs(a.value), abs(b.value))
    if a.hedged or b.hedged:  # "nearly 100" for 99, "more than 1,000" for 1,200
        return _within_hedge(a, b)
    if _round(a) or _round(b):  # a round figure is read as approximate: "100" for 106
        return big > 0 and abs(a.value - b.value) / big <= 0.1
    # 4.83 million reported as "4.8 million": the figure rounded to fewer significant digits, never for small counts.
    return big >= 1000 and (_rounds_to(a.value, b.value) or _rounds_to(b.value, a.value))


_CALENDAR = {"year", "decade", "day"}
_DATES = _CALENDAR | {"time"}


def _rounds_to(precise: float, rounded: float) -> bool:
    """``rounded`` is ``precise`` given to fewer significant digits (4,832,000 -> 4.8 million)."""
    digits = len(f"{rounded:.6g}".split("e")[0].replace(".", "").replace("-", "").strip("0"))
    if digits < 2 or precise == 0:  # "4 million" is not a rounding of 3.5 million
        return False
    return float(f"{precise:.{digits}g}") == rounded


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


def _round(q: Quantity) -> bool:
    return q.kind in {"number", "money"} and q.value >= 100 and q.value % (10 ** (len(str(int(q.value))) - 1)) == 0


def _matches(q: Quantity, pool: tuple[Quantity, ...]) -> bool:
    return any(_same(q, p) for p in pool)


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
        if _matches(q, in_evidence) or _derived(q, in_unit):
            continue
        if _matches(q, in_source):
            moved = [p for p in in_unit if p.kind == q.kind and q.kind != "number" and not _matches(p, mine)]
            if moved:
                findings.append(Finding(kind="date" if q.kind in _DATES else "number", conflict=True,
                                        check="numbers, dates and times by value", words=[q.surface], evidence=unit[:300],
                                        detail=f"'{q.surface}' where the source sentence it restates says {moved[0].surface}"))
            continue
        kind = "date" if q.kind in _DATES else "number"
        rivals = [p.surface for p in in_evidence if ((p.kind == q.kind) or (q.kind == "number" and p.kind not in _DATES))
                  and not _INDEFINITE.fullmatch(p.surface)]  # "an hour" backs "60 minutes", it does not rival "seven"
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
                                    detail=f"'{q.surface}' is not in the sources; the evidence says {', '.join(rivals[:3])}"))
        else:
            findings.append(Finding(kind=kind, check="numbers, dates and times by value", words=[q.surface], blocking=True,
                                    detail=f"'{q.surface}' does not appear in the sources"))
    return findings


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


_WINDOW = 4  # tokens either side of an antonym: compared only where both texts say the same thing


def _windows(tokens: list[str], hit) -> list[set[str]]:
    """Content stems near every token where ``hit`` is true."""
    return [{stem(w) for w in tokens[max(0, i - _WINDOW): i] + tokens[i + 1: i + _WINDOW + 1]
             if w not in STOPWORDS and len(w) > 1} for i, t in enumerate(tokens) if hit(t)]


def check_antonyms(sentence: str, evidence_unit: str, best_lex: float) -> list[Finding]:
    """An antonym swap ("rose" for "fell") against the source sentence the summary sentence restates.

    Negation itself is read by clause scope in evals.meaning; this is the lexical half of polarity.
    """
    if best_lex < 0.5:
        return []  # not clearly the same statement: comparison would be noise
    s_tok, e_tok = words(sentence), words(evidence_unit)
    s_stems = {stem(w) for w in s_tok if w not in STOPWORDS}
    e_stems = {stem(w) for w in e_tok if w not in STOPWORDS}
    swaps: list[tuple[str, str]] = []
    if _negated_near(s_tok) != _negated_near(e_tok):
        return []  # "did not accept" restating "rejected": the two flips cancel
    for a, b in ANTONYMS:
        sa, sb = stem(a), stem(b)
        if sa not in s_stems or sb not in e_stems or sa in e_stems or sb in s_stems:
            continue
        for wa in _windows(s_tok, lambda t: stem(t) == sa):
            if any(len(wa & wb) >= 2 for wb in _windows(e_tok, lambda t: stem(t) == sb)):
                swaps.append((a, b))
                break
    swaps += _prefix_antonyms(s_tok, e_tok, s_stems, e_stems)
    return [Finding(kind="antonym", conflict=True, check="antonyms", words=[a], evidence=evidence_unit[:300],
                    detail=f"'{a}' where the evidence says '{b}'") for a, b in swaps[:2]]


_NEGATIVE_PREFIXES = ("non", "dis", "un", "in", "il", "im", "ir")
_NEGATORS = {"not", "n't", "never", "no", "without", "cannot", "didn't", "don't", "doesn't", "won't", "wouldn't"}


_NEGATING_VERBS = re.compile(r"^(?:refus|declin|fail|deni|deny|stopp?ed short|rul(?:e|ed|es|ing) out)")


def _negated_near(tokens: list[str]) -> bool:
    """A negation anywhere in the text, including a verb that negates what follows ("refuses to accept")."""
    return any(t in _NEGATORS or t.endswith("n't") or _NEGATING_VERBS.match(t) for t in tokens)


def _prefix_antonyms(s_tok: list[str], e_tok: list[str], s_stems: set[str], e_stems: set[str]) -> list[tuple[str, str]]:
    """"legally" where the evidence says "illegal", "unable" for "able": a negative prefix added or dropped."""
    found: list[tuple[str, str]] = []
    for mine, theirs, mine_stems, their_stems in ((s_tok, e_tok, s_stems, e_stems), (e_tok, s_tok, e_stems, s_stems)):
        for word in set(theirs):
            for prefix in _NEGATIVE_PREFIXES:
                base = word[len(prefix):].lstrip("-")
                if not word.startswith(prefix) or len(base) < 4:
                    continue
                b = stem(base)
                if b in mine_stems and stem(word) not in mine_stems and b not in their_stems:
                    match = next(w for w in mine if stem(w) == b)
                    near_mine = _windows(mine, lambda t: stem(t) == b)
                    near_theirs = _windows(theirs, lambda t: t == word)
                    if any(len(x & y) >= 1 for x in near_mine for y in near_theirs):
                        found.append((match, word) if mine is s_tok else (word, match))
                break
    return found
