"""Quantities: numbers, amounts, dates and times read by value and unit, and compared as a reader would.

"$5bn" == "5 billion dollars", "3 p.m." == "15:00", "half" == "50%", "three weeks" == "21 days",
"Nov. 3" == "3 November"; a hedged figure ("about 100", "more than 1,000") covers a range, a round
one is read as approximate, and a precise one rounded to fewer digits still matches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from digest_core.text import normalize
from evals.lexicon import MONTHS, NUMBER_WORDS, SCALES


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
INDEFINITE = re.compile(r"\b(?:(?P<a>an?|one)[\s-]+(?P<u1>" + "|".join(_UNIT_DAYS) + r")(?P<half>[\s-]+and[\s-]+a[\s-]+half)?"
                         r"|half[\s-]+an?[\s-]+(?P<u2>" + "|".join(_UNIT_DAYS) + r"))\b", re.I)
_BEFORE_CLOCK = re.compile(r"\b(?P<n>\d{1,2}|a|one|two|three|four|five|ten|fifteen|twenty|thirty)\s+minutes?\s+"
                           r"(?P<way>before|to|after|past)\s+(?P<at>midnight|noon|midday)\b", re.I)
_HALF_DOZEN = re.compile(r"\bhalf\s+a\s+dozen\b", re.I)
_FRACTIONS = {"half": 50.0, "a third": 100 / 3, "one third": 100 / 3, "a quarter": 25.0, "one quarter": 25.0,
              "two thirds": 200 / 3, "two-thirds": 200 / 3, "three quarters": 75.0, "three-quarters": 75.0}
_FRACTION = re.compile(r"\b(" + "|".join(sorted(_FRACTIONS, key=len, reverse=True)) + r")\b", re.I)
_DENOMINATORS = {"half": 2, "halves": 2, "third": 3, "quarter": 4, "fourth": 4, "fifth": 5, "sixth": 6,
                 "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10}
_SMALL = "|".join(k for k in sorted(NUMBER_WORDS, key=len, reverse=True) if 1 <= NUMBER_WORDS[k] <= 20) + "|one"
_COUNT = rf"(?:\d{{1,4}}|{_SMALL})"
# "two-thirds of", "three fifths", "a fifth of": numerator and denominator in words (the bare "a third" of
# _FRACTIONS aside, "a/one" + ordinal counts only before "of": "a third term" is an ordinal).
_WORD_FRACTION = re.compile(rf"\b(?P<n>{_SMALL})[\s-]+(?P<d>halves|(?:{'|'.join(_DENOMINATORS)})s)\b"
                            rf"|\b(?P<a>a|one)[\s-]+(?P<d1>{'|'.join(_DENOMINATORS)})(?=\s+of\b)", re.I)
# "nine in ten", "one out of five", "3 in 10": a proportion, not two counts.
_RATIO = re.compile(rf"\b(?P<n>{_COUNT})\s+(?:in|out\s+of)\s+(?P<d>{_COUNT})\b(?!\s*(?:%|percent|per\s+cent))", re.I)


def _count(word: str) -> float:
    return float(word) if word.isdigit() else float(NUMBER_WORDS.get(word.lower(), 1))  # "one" is the only other


def _proportions(text: str) -> list[tuple[Quantity, tuple[int, int]]]:
    """Proportions written as words ("two-thirds", "a fifth of") or as a ratio ("nine in ten"): a share in
    percent, read as a whole so that neither of its numbers is taken for a count."""
    found = []
    for m in _WORD_FRACTION.finditer(text):
        if m.group("d1"):
            value = 100.0 / _DENOMINATORS[m.group("d1").lower()]
        else:
            d = m.group("d").lower()
            value = 100.0 * _count(m.group("n")) / _DENOMINATORS["half" if d == "halves" else d[:-1]]
        found.append((Quantity(value, "fraction", m.group(0), "about"), m.span()))
    for m in _RATIO.finditer(text):
        n, d = _count(m.group("n")), _count(m.group("d"))
        if 0 < n < d and d in {2, 3, 4, 5, 6, 7, 8, 9, 10, 20, 100, 1000}:
            found.append((Quantity(100.0 * n / d, "fraction", m.group(0), "about"), m.span()))
    return found


_OVER = ("over", "more than", "at least", "upwards of", "just over")
_UNDER = ("nearly", "almost", "less than", "fewer than", "under", "up to", "just under", "close to")


def hedge_before(text: str, start: int) -> str:
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
        found.append(Quantity(float(minutes), "time", m.group(0).strip(), hedge_before(text, m.start())))
        taken.append(m.span())
    for m in _HALF_DOZEN.finditer(text):
        found.append(Quantity(6.0, "number", m.group(0).strip(), hedge_before(text, m.start())))
        taken.append(m.span())
    for m in _DAY.finditer(text):
        month = MONTHS[(m.group("m1") or m.group("m2")).lower()]
        day = int(m.group("d1") or m.group("d2"))
        if 1 <= day <= 31:
            found.append(Quantity(float(_MONTH_NUMBER[month] * 100 + day), "day", m.group(0).strip()))
            taken.append(m.span())
    if indefinite:
        for m in INDEFINITE.finditer(text):
            unit = (m.group("u1") or m.group("u2")).lower()
            value = 0.5 if m.group("u2") else (1.5 if m.group("half") else 1.0)
            found.append(Quantity(value, "number", m.group(0).strip(), hedge_before(text, m.start()),
                                  value * _UNIT_DAYS[unit]))
    for quantity, span in _proportions(text):
        if not read(span[0]):
            found.append(quantity)
            taken.append(span)
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
        found.append(Quantity(float(minutes), "time", m.group(0).strip(), hedge_before(text, m.start())))
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
        found.append(Quantity(value, kind, m.group(0).strip(), hedge_before(text, at), days))
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
        found.append(Quantity(value, kind, m.group(0).strip(), hedge_before(text, m.start()), days))
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
DATES = _CALENDAR | {"time"}


def _rounds_to(precise: float, rounded: float) -> bool:
    """``rounded`` is ``precise`` given to fewer significant digits (4,832,000 -> 4.8 million)."""
    digits = len(f"{rounded:.6g}".split("e")[0].replace(".", "").replace("-", "").strip("0"))
    if digits < 2 or precise == 0:  # "4 million" is not a rounding of 3.5 million
        return False
    return float(f"{precise:.{digits}g}") == rounded


def _round(q: Quantity) -> bool:
    return q.kind in {"number", "money"} and q.value >= 100 and q.value % (10 ** (len(str(int(q.value))) - 1)) == 0


def matches(q: Quantity, pool: tuple[Quantity, ...]) -> bool:
    return any(_same(q, p) for p in pool)
