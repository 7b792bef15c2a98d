"""What an article says about itself: title, date and outlet (part of stage: clean).

Read from where text and files usually carry them, never guessed from the story:
* a front-matter block (``---`` ... ``---``) or leading ``Key: value`` lines (Title, Date/Published, Source/Outlet/
  Publisher/Site), which are taken out of the text;
* a wire dateline at the start of the first paragraph: "WASHINGTON (Reuters) -" gives the outlet;
* an ISO date in the file name ("2024-03-08-jobs.txt");
* for HTML, the page's metadata as trafilatura reads it (date, site name).
Dates are normalised to ISO (YYYY-MM-DD); anything that does not parse as a date is not kept as one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_MONTHS = {m: i + 1 for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
     "december"])}
_MONTHS.update({m[:3]: n for m, n in list(_MONTHS.items())})
_MONTHS["sept"] = 9

_KEYS = {
    "title": "title", "headline": "title",
    "date": "date", "published": "date", "published_at": "date", "pubdate": "date", "publication date": "date",
    "source": "outlet", "outlet": "outlet", "publisher": "outlet", "site": "outlet", "sitename": "outlet",
    "publication": "outlet",
}
_KEY_LINE = re.compile(r"^\s*([A-Za-z][A-Za-z _]{1,20}?)\s*:\s*(\S.{0,200}?)\s*$")
_ISO = re.compile(r"(?<!\d)((?:19|20)\d\d)-(\d\d)-(\d\d)(?!\d)")
_MDY = re.compile(r"\b([A-Za-z]{3,9})\.? (\d{1,2}),? ((?:19|20)\d\d)\b")
_DMY = re.compile(r"\b(\d{1,2}) ([A-Za-z]{3,9})\.?,? ((?:19|20)\d\d)\b")
# "WASHINGTON (Reuters) -", "LONDON, March 8 (AP) —": the agency in brackets after a capitalised place.
_DATELINE = re.compile(r"^\s*[A-Z][A-Z .,'’-]{1,40}(?:,\s*[A-Za-z]{3,9}\.? \d{1,2})?\s*\(([A-Z][\w .&'-]{1,30})\)\s*[-—–]")


@dataclass
class Meta:
    title: str | None = None
    date: str | None = None  # ISO YYYY-MM-DD
    outlet: str | None = None


def parse_date(text: str | None) -> str | None:
    """The first date in ``text`` as YYYY-MM-DD, or None."""
    if not text:
        return None
    for pattern, order in ((_ISO, "ymd"), (_MDY, "mdy"), (_DMY, "dmy")):
        found = pattern.search(text)
        if not found:
            continue
        a, b, c = found.groups()
        try:
            if order == "ymd":
                year, month, day = int(a), int(b), int(c)
            elif order == "mdy":
                year, month, day = int(c), _MONTHS[a.lower()], int(b)
            else:
                year, month, day = int(c), _MONTHS[b.lower()], int(a)
        except KeyError:
            continue
        if 1 <= month <= 12 and 1 <= day <= 31:
            return f"{year:04d}-{month:02d}-{day:02d}"
    return None


def unquote(value: str) -> str:
    """A header value without the pair of quotation marks YAML may wrap it in (``title: "..."``), and only that
    pair: a headline that opens or closes on a quotation of its own (``'Basket of deplorables': ...``,
    ``... use 'nuclear option'``) keeps its marks."""
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'" and value[0] not in value[1:-1]:
        return value[1:-1].strip()
    return value


def take_header(text: str) -> tuple[Meta, str]:
    """Metadata from a front-matter block or leading ``Key: value`` lines, and the text without them."""
    meta = Meta()
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    start = 0
    while start < len(lines) and not lines[start].strip():
        start += 1
    fenced = start < len(lines) and lines[start].strip() == "---"
    i = start + 1 if fenced else start
    taken = 0
    while i < len(lines):
        line = lines[i]
        if fenced and line.strip() == "---":
            i += 1
            break
        found = _KEY_LINE.match(line)
        key = _KEYS.get(found.group(1).strip().lower()) if found else None
        if key is None:
            if fenced and (found or not line.strip()):  # other front-matter keys are dropped with the block
                i += 1
                continue
            if fenced:  # not front matter after all
                return Meta(), text
            break
        value = unquote(found.group(2).strip())
        if key == "date":
            meta.date = parse_date(value) or meta.date
        elif value:
            setattr(meta, key, value)
        taken += 1
        i += 1
    if not taken:
        return Meta(), text
    return meta, "\n".join(lines[i:])


def dateline_outlet(body: str) -> str | None:
    found = _DATELINE.match(body)
    return found.group(1).strip() if found else None


# The whole dateline, with or without an agency, as a digest drops it from an extracted sentence: "WASHINGTON —",
# "SEOUL, South Korea —", "LONDON (Reuters) -", "Washington (CNN)". It says where the report was filed, not what
# happened, and reads as page furniture inside a digest. The agency alone opens some pages: "(CNN) - ...".
_OPENING_DATELINE = re.compile(
    r"^(?:[A-Z][A-Z.'-]{2,}(?:[ ,]+[A-Z][A-Za-z.'-]*){0,3}\s*(?:\([A-Za-z. ]{2,20}\))?\s*[—–-]{1,2}\s+"
    r"|(?:[A-Z][A-Za-z.'-]+(?:[ ,]+[A-Z][A-Za-z.'-]*){0,3}\s*)?\((?:AP|Reuters|CNN|AFP|UPI|Bloomberg|dpa)\)\s*"
    r"[—–-]{0,2}\s*)"
)


def strip_dateline(text: str) -> str:
    """``text`` without a wire report's opening dateline, when a sentence (capitalised, several words) follows it."""
    match = _OPENING_DATELINE.match(text)
    if not match:
        return text
    rest = text[match.end():]
    return rest if rest[:1].isupper() and len(rest.split()) >= 4 else text


def merge(*metas: Meta) -> Meta:
    """The first value given for each field."""
    out = Meta()
    for field in ("title", "date", "outlet"):
        setattr(out, field, next((getattr(m, field) for m in metas if getattr(m, field)), None))
    return out
