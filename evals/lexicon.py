"""Hand-written word lists used by the checks (kept apart so they can grow without touching logic)."""

from __future__ import annotations

from importlib.resources import files


def _data_lines(name: str) -> list[str]:
    """The entries of a word list in evals/data/: one a line; blank lines and # comments skipped."""
    text = (files("evals") / "data" / name).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]

NUMBER_WORDS: dict[str, int] = {
    # "one" is left out on purpose: "one of the", "no one" would flood the number check.
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12, "half": 0.5, "pair": 2,
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
# (word, antonym) pairs, in a data file so the list can grow without touching code.
_PAIRS = [tuple(line.split()) for line in _data_lines("antonyms.txt")]
ANTONYMS: list[tuple[str, str]] = _PAIRS + [(b, a) for a, b in _PAIRS]
ANTONYM_PAIRS = {(a, b) for a, b in ANTONYMS}  # for membership tests

# Names that stand for one another in news copy: a country's short and long names, its people and
# its government's usual metonyms; institutions and their everyday names. Compared after the same
# normalisation as names (lower case, no dots), so "U.S." is "us".
NAME_ALIASES: list[set[str]] = [{part.strip() for part in line.split(",")} for line in _data_lines("name_aliases.txt")]
# US states and their AP abbreviations ("R-W.Va.", "D-Calif."): one alias group each.
US_STATES = {
    "alabama": "ala", "arizona": "ariz", "arkansas": "ark", "california": "calif", "colorado": "colo",
    "connecticut": "conn", "delaware": "del", "florida": "fla", "georgia": "ga", "illinois": "ill", "indiana": "ind",
    "kansas": "kan", "kentucky": "ky", "louisiana": "la", "maryland": "md", "massachusetts": "mass", "michigan": "mich",
    "minnesota": "minn", "mississippi": "miss", "missouri": "mo", "montana": "mont", "nebraska": "neb", "nevada": "nev",
    "new hampshire": "nh", "new jersey": "nj", "new mexico": "nm", "new york": "ny", "north carolina": "nc",
    "north dakota": "nd", "oklahoma": "okla", "oregon": "ore", "pennsylvania": "pa", "rhode island": "ri",
    "south carolina": "sc", "south dakota": "sd", "tennessee": "tenn", "texas": "tex", "vermont": "vt",
    "virginia": "va", "washington state": "wash", "west virginia": "wva", "wisconsin": "wis", "wyoming": "wyo",
}
# Postal codes, as in "(R-TX)", where they cannot be read as an English word or a title ("in", "or", "me", "ms", ...).
US_POSTAL = {
    "alaska": "ak", "arizona": "az", "arkansas": "ar", "california": "ca", "connecticut": "ct", "florida": "fl",
    "georgia": "ga", "iowa": "ia", "illinois": "il", "kansas": "ks", "kentucky": "ky", "louisiana": "la",
    "maryland": "md", "michigan": "mi", "minnesota": "mn", "missouri": "mo", "montana": "mt", "nevada": "nv",
    "new hampshire": "nh", "new jersey": "nj", "new mexico": "nm", "new york": "ny", "north carolina": "nc",
    "north dakota": "nd", "pennsylvania": "pa", "rhode island": "ri", "south carolina": "sc", "south dakota": "sd",
    "tennessee": "tn", "texas": "tx", "utah": "ut", "vermont": "vt", "virginia": "va", "washington state": "wa",
    "west virginia": "wv", "wisconsin": "wi", "wyoming": "wy",
}
# States by their usual nicknames.
STATE_NICKNAMES = {
    "new york": "empire state",    "california": "golden state", "texas": "lone star state", "florida": "sunshine state",
    "kentucky": "bluegrass state", "pennsylvania": "keystone state", "georgia": "peach state",
    "michigan": "great lakes state", "new jersey": "garden state", "virginia": "old dominion",
    "massachusetts": "bay state", "illinois": "prairie state", "ohio": "buckeye state", "arizona": "grand canyon state",
}
NAME_ALIASES += [{state, abbr} | ({US_POSTAL[state]} if state in US_POSTAL else set())
                 | ({STATE_NICKNAMES[state]} if state in STATE_NICKNAMES else set()) for state, abbr in US_STATES.items()]
NAME_ALIASES += [{state, nickname} for state, nickname in STATE_NICKNAMES.items() if state not in US_STATES]
NAME_ALIASES += [{state, code} for state, code in US_POSTAL.items() if state not in US_STATES]
