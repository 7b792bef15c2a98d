"""Plain-text helpers shared by the evaluator and the digest pipeline.

Sentence splitting is rule-based (no model download): it keeps abbreviations such
as "U.S." and "Gen." and initials inside a sentence, and treats closing quotes and
brackets after a full stop as part of the sentence that ends there.
"""

from __future__ import annotations

import re
from functools import lru_cache
import unicodedata

_TITLES = {
    "mr", "mrs", "ms", "dr", "prof", "gen", "col", "lt", "sgt", "capt", "cmdr", "adm", "maj",
    "sen", "rep", "gov", "pres", "st", "rev", "hon", "no", "fig", "vs", "mt", "ft", "dept", "sens", "reps", "govs",
}
_ABBREVIATIONS = {"jr", "sr", "inc", "corp", "co", "ltd", "etc", "approx", "est", "jan", "feb", "mar", "apr", "jun",
                  "jul", "aug", "sep", "sept", "oct", "nov", "dec", "e.g", "i.e", "a.m", "p.m"}
_OPENERS = {"The", "A", "An", "He", "She", "They", "It", "In", "But", "And", "This", "That", "We", "I", "On", "At",
            "However", "Officials", "Some", "There"}

# A sentence ends at . ! ? (optionally followed by closing quotes/brackets) and whitespace.
_BOUNDARY = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+")
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’\-]*")
_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "—": "-", "–": "-", "\u00a0": " "})


def normalize(text: str) -> str:
    """NFKC, straight quotes and dashes, single spaces."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).replace("\\'", "'")
    return re.sub(r"\s+", " ", text).strip()


def _last_token(chunk: str) -> str | None:
    match = re.search(r"(?:^|\s)\(?([\w.]+)\.[\"'”’)\]]*$", chunk.rstrip())
    return match.group(1).lower() if match else None


# What follows a stop that ends no sentence: a word in lower case, after any dashes ("Sen. Jane Roe (D-Calif.)
# pressed the nominee", "(D-N.Y.) -- all of whom ...", '"Why now?" he asked'). A sentence never starts that way
# in edited news copy.
_LOWER_NEXT = re.compile(r"^(?:[-—–]+\s*)?[a-z]")
_BRAND = re.compile(r"^[a-z]+[A-Z]")  # "iPhone sales fell.": a sentence may start with such a name


def _continues(candidate: str, rest: str) -> bool:
    """True when the full stop ending ``candidate`` belongs to an abbreviation, not a sentence end."""
    if re.search(r"[.?!][\"'”’)\]]*$", candidate) and _LOWER_NEXT.match(rest) and not _BRAND.match(rest):
        return True
    token = _last_token(candidate)
    if token is None:
        return False
    nxt = rest.split(" ", 1)[0]
    if token in _TITLES or re.fullmatch(r"[a-z]", token):
        return True  # "Gen. Zaluzhny", "John F. Kennedy"
    if re.fullmatch(r"(?:[a-z]\.)+[a-z]", token):
        return nxt.strip("\"'“‘(") not in _OPENERS  # "U.S. officials" vs "... in the U.S. The ..."
    if token in _ABBREVIATIONS:
        return not nxt[:1].isupper()
    return False


def split_sentences(text: str) -> list[str]:
    """Split running text into sentences; blank lines and bullets always end a sentence."""
    sentences: list[str] = []
    # "Kosaka.And it goes": scraped text often loses the space after a full stop.
    text = re.sub(r"(?<=[a-z]{2}[.!?])(?=[A-Z][a-z])", " ", text)
    for block in re.split(r"\n\s*\n|\n(?=\s*[•\-*] )", text):
        block = re.sub(r"\s+", " ", block).strip()
        if not block:
            continue
        start = 0
        for match in _BOUNDARY.finditer(block):
            candidate = block[start : match.end()].rstrip()
            if _continues(candidate, block[match.end() :]):
                continue
            sentences.append(candidate.strip())
            start = match.end()
        tail = block[start:].strip()
        if tail:
            sentences.append(tail)
    return sentences


CLOSERS = "\"”’')"


def ends_sentence(text: str, stops: tuple[str, ...] = (".", "!", "?")) -> bool:
    """Whether ``text`` ends a sentence: on one of ``stops``, or on closing quotation marks or brackets right after
    one ('... he said, "we will."'). A headline ending on a quotation ('... toward "the darkest winter"') does not."""
    return text.rstrip().rstrip(CLOSERS).endswith(stops)


def words(text: str) -> list[str]:
    """Lower-cased word tokens (letters, digits, inner apostrophes and hyphens)."""
    return [w.lower() for w in _WORD.findall(normalize(text))]


STOPWORDS = frozenset(
    """a an the and or but if of to in on at by for with from as is are was were be been being has have had do does did
    that this these those it its it's he she they them their his her we our you your i me my not no nor so than then
    there here which who whom whose what when where why how also very more most much many some any all each other such
    into over under about after before between during through up down out off again further once can could would should
    may might will shall must said says say according officials official""".split()
)


def content_words(text: str) -> list[str]:
    return [w for w in words(text) if w not in STOPWORDS and len(w) > 1]


_SUFFIXES = ("ations", "ation", "ments", "ment", "ings", "ing", "edly", "ies", "ied", "ers", "er", "ed", "es", "ly", "s")


@lru_cache(maxsize=65536)  # called for every word of every passage; the vocabulary is small
def stem(word: str) -> str:
    """A crude, fast stem so "approved"/"approves"/"approval" meet; capped at 6 letters.

    Precision matters less than speed and recall here: the stem only decides whether a
    summary word has *some* lexical trace in the evidence.
    """
    word = word.lower().replace("'", "").replace("’", "")
    if word.isdigit() or len(word) <= 3:
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    if len(word) > 4 and word.endswith("e"):
        word = word[:-1]  # "oppose"/"opposed", "approve"/"approval" meet at "oppos"/"approv"
    return word[:6]


def content_stems(text: str) -> list[str]:
    return [stem(w) for w in content_words(text)]


# Attribution frames a summary may wrap around a source's statement. What is checked against the sources is the
# statement inside: "X, according to one outlet." is faithful when a source says X.
_FRAMES = [
    re.compile(r"^\s*accounts differ\s*:\s*", re.I),
    re.compile(r"^\s*(?:one|another|a|some|several|other|two|three) (?:source|report|outlet)s? (?:reports?|says?|said|reported) that\s+", re.I),
    re.compile(r",?\s*according to (?:one|another|a|some|several|two|three|other) (?:source|report|outlet)s?(?=[.!?\"”']*\s*$)", re.I),
]


def reported_content(text: str) -> str:
    """The statement inside an attribution frame, with the quotes the frame put around it removed."""
    inner = text
    for frame in _FRAMES:
        inner = frame.sub("", inner)
    if inner == text:
        return text
    inner = inner.strip()
    if len(inner) > 2 and inner[0] in "\"“" and inner.rstrip(".")[-1:] in "\"”":
        inner = inner.rstrip(".")[1:-1].strip()
    inner = inner[:1].upper() + inner[1:]
    return inner if inner.endswith((".", "!", "?")) else inner + "."
