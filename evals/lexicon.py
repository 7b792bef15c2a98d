"""Hand-written word lists used by the checks (kept apart so they can grow without touching logic)."""

from __future__ import annotations

NUMBER_WORDS: dict[str, int] = {
    # "one" is left out on purpose: "one of the", "no one" would flood the number check.
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12, "half": 0.5,
}
SCALES: dict[str, float] = {
    "": 1.0, "hundred": 1e2, "thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "billion": 1e9, "bn": 1e9,
    "trillion": 1e12,
}
MONTHS: dict[str, str] = {
    "january": "january", "jan": "january", "february": "february", "feb": "february", "march": "march",
    "april": "april", "apr": "april", "may": "may", "june": "june", "july": "july", "august": "august",
    "aug": "august", "september": "september", "sept": "september", "sep": "september", "october": "october",
    "oct": "october", "november": "november", "nov": "november", "december": "december", "dec": "december",
}
WEEKDAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
RELATIVE_TIME: dict[str, str] = {
    "yesterday": "yesterday", "today": "today", "tonight": "today", "tomorrow": "tomorrow",
    "overnight": "today",
}
NEGATIONS = {"not", "no", "never", "neither", "nor", "nobody", "none", "nothing", "without", "cannot", "nowhere"}
SPEECH_VERBS = ["said", "says", "told", "stated", "claimed", "argued", "warned", "announced", "added",
                "insisted", "admitted", "denied", "wrote", "tweeted"]
# (word, antonym) in both directions; checked on crude stems, so list base forms.
_PAIRS = [
    ("increase", "decrease"), ("increase", "cut"), ("rise", "fall"), ("rise", "drop"), ("rose", "fell"),
    ("grow", "shrink"), ("gain", "loss"), ("win", "lose"), ("won", "lost"), ("accept", "reject"),
    ("approve", "reject"), ("more", "less"), ("more", "fewer"), ("higher", "lower"), ("above", "below"),
    ("support", "oppose"), ("allow", "ban"), ("allow", "forbid"), ("allow", "prohibit"), ("legal", "illegal"),
    ("guilty", "innocent"), ("acquit", "convict"), ("before", "after"), ("open", "close"), ("start", "end"),
    ("begin", "end"), ("hire", "fire"), ("buy", "sell"), ("bought", "sold"), ("import", "export"),
    ("strengthen", "weaken"), ("raise", "lower"), ("expand", "reduce"), ("success", "failure"),
    ("succeed", "fail"), ("victory", "defeat"), ("best", "worst"), ("largest", "smallest"),
    ("highest", "lowest"), ("first", "last"), ("alive", "dead"), ("survive", "die"), ("agree", "disagree"),
    ("praise", "criticise"), ("praise", "criticize"), ("majority", "minority"), ("increase", "reduce"),
    ("up", "down"), ("arrive", "depart"), ("include", "exclude"), ("male", "female"), ("wife", "husband"),
    ("older", "younger"), ("north", "south"), ("east", "west"), ("boost", "cut"), ("release", "arrest"),
]
ANTONYMS: list[tuple[str, str]] = _PAIRS + [(b, a) for a, b in _PAIRS]
