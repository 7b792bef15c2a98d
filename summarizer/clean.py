"""Stage: clean. Turn a raw page into article text plus, separately, any reader-comment thread.

Plain text and Markdown are cleaned line by line with rules for the furniture that
news pages and their reposts carry (related-article links, author boxes, filler,
embedded posts, forum chrome). HTML first goes through trafilatura, a real
boilerplate extractor that also separates comments, and then through the same rules.
Scraped text and Markdown often carry stray HTML (tags, scripts, entities): it is
removed from them as the extractor removes it from HTML, before those rules run.
"""

from __future__ import annotations

import html
import re

from digest_core.text import normalize

from .meta import Meta, dateline_outlet, merge, parse_date, take_header
from .records import Document, Part, RawDocument

_PROMO = re.compile(
    r"^\s*(read next|read more|related( articles?| stories)?|also read|recommended( for you)?|more from|"
    r"watch|listen|sign up|subscribe|advertisement|sponsored|share (this|on)|click here|follow us|"
    r"newsletter|trending|most read|you may also like|see also)\b.*$",
    re.I,
)
_SHORT_LINK = re.compile(r"(?:https?://)?(?:t\.co|bit\.ly|ow\.ly|buff\.ly|tinyurl\.com|goo\.gl|dlvr\.it|trib\.al)/\S+", re.I)
_PIC_LINK = re.compile(r"\bpic\.twitter\.com/\S+", re.I)
# "— NBC News (@NBCNews) November 4, 2023": the signature line of an embedded post.
_EMBED_SIGNATURE = re.compile(r"^\s*[—–-]{1,2}\s*.{1,80}\(@\w{1,30}\)\s+\w+\.? \d{1,2}, \d{4}\s*$")
_VIA = re.compile(r"^\s*via\s+[\w .@]{2,40}:\s*$", re.I)
_AUTHOR_LINE = re.compile(r"^\s*(about the author|author|written by|by)\s*:?\s*[\w .'-]{0,60}$", re.I)
_AUTHOR_BIO = re.compile(r"\bfollow (him|her|them|me|us) on\b|\bis (a|an|the) [\w ]{0,40}(editor|reporter|correspondent|writer|columnist) (of|at|for)\b", re.I)
_LOREM = {
    "lorem", "ipsum", "dolor", "amet", "consectetur", "adipiscing", "elit", "sed", "pellentesque", "habitasse",
    "platea", "dictumst", "etiam", "molestie", "bibendum", "venenatis", "tellus", "augue", "ligula", "pulvinar",
    "scelerisque", "quis", "nisi", "risus", "olor", "tempor", "incididunt", "labore", "dolore", "magna", "aliqua",
}
# Forum/aggregator chrome: vote arrows, "link", "fedilink", language tags, ages, edit markers.
_CHROME_TOKEN = re.compile(
    r"^\s*(link|fedilink|permalink|reply|report|share|save|hide|context|parent|source|arrow-up|arrow-down|"
    r"upvote|downvote|English|·|•|\d{1,6}|edit(-\d+)?|edited|\d+\s+(second|minute|hour|day|week|month|year)s?\s+ago|"
    r"(load|show|view) more( comments| replies)?|\d+ (comments?|replies|points?))\s*$",
    re.I,
)
# A commenter line: "• name [pronouns]@instance", "name@instance.tld", "u/name".
_COMMENTER = re.compile(r"^\s*[•*\-]?\s*(\S{1,40})(\s*\[[^\]]{1,30}\])?\s*(@[\w.-]+\.\w{2,})?\s*$")
_COMMENTS_HEADING = re.compile(r"^\s*(\d+\s+)?(comments?|reader comments|join the discussion|leave a (comment|reply)|responses?)\s*:?\s*$", re.I)


# Stray HTML in text and Markdown files. Elements whose content is code or chrome go whole; other tags go
# and leave their text; block-level tags become line breaks so paragraphs stay apart. A "<" that does not
# start a tag ("a < b", "<3") is text and stays.
_DROPPED_ELEMENTS = re.compile(
    r"<(script|style|noscript|template|iframe|object|svg|math|head|title|textarea|select|button)\b[^>]*>.*?</\1\s*>",
    re.I | re.S)
_COMMENT = re.compile(r"<!--.*?(?:-->|$)|<!\[CDATA\[.*?\]\]>|<![A-Za-z][^>]*>|<\?[^>]*\?>", re.S)
_ATTRIBUTE = r"""(?:\s+[^\s"'<>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'<>=`]+))?)*"""
_TAG = re.compile(rf"</?([A-Za-z][A-Za-z0-9:-]*){_ATTRIBUTE}\s*/?>")
_BLOCK_TAGS = {"p", "div", "br", "hr", "li", "ul", "ol", "dl", "dt", "dd", "tr", "table", "thead", "tbody",
               "blockquote", "section", "article", "header", "footer", "aside", "nav", "figure", "figcaption",
               "h1", "h2", "h3", "h4", "h5", "h6", "pre", "main", "form", "fieldset", "address", "details", "summary"}
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def strip_markup(text: str) -> tuple[str, list[str]]:
    """Text or Markdown without HTML tags, scripts, comments and entities; returns (text, what was removed).

    Entities are decoded once, then tags are removed once more: feeds often carry HTML encoded as entities
    ("&lt;p&gt;"), which is markup too. Decoded text is never decoded again ("&amp;lt;" stays "&lt;").
    """
    removed: list[str] = []

    def drop(match: re.Match) -> str:
        removed.append(" ".join(match.group(0).split())[:200])
        return " "

    def tag(match: re.Match) -> str:
        removed.append(match.group(0)[:200])
        name = match.group(1).lower()
        if name == "br":
            return "\n"
        return "\n\n" if name in _BLOCK_TAGS else ""

    text = _TAG.sub(tag, _COMMENT.sub(drop, _DROPPED_ELEMENTS.sub(drop, text)))
    text = _ENTITY.sub(lambda m: html.unescape(m.group(0)).replace("\u00a0", " "), text)  # &nbsp; is a space
    if "<" in text:
        text = _TAG.sub(tag, _COMMENT.sub(drop, _DROPPED_ELEMENTS.sub(drop, text)))
    if removed:
        text = re.sub(r"[ \t]{2,}", " ", text)  # the space a removed tag leaves between words
    return text, removed


def _is_lorem(line: str) -> bool:
    tokens = re.findall(r"[a-z]+", line.lower())
    return len(tokens) >= 4 and sum(t in _LOREM for t in tokens) >= 3


HEADLINE_WORDS = 30


def _is_heading(line: str, max_words: int = 16) -> bool:
    stripped = line.strip().lstrip("#").strip()
    return bool(stripped) and not re.search(r"[.!?:;\"”’)]$", stripped) and len(stripped.split()) <= max_words


def _comment_start(lines: list[str]) -> int | None:
    """Index of the first line of a comment thread, or None.

    A thread starts at an explicit "Comments" heading, or at a commenter line followed
    within a few lines by at least two chrome tokens (the shape every forum shares).
    """
    for i, line in enumerate(lines):
        if _COMMENTS_HEADING.match(line):
            return i
        if line.strip() and _COMMENTER.match(line) and ("@" in line or line.strip().startswith(("•", "*", "-"))):
            window = lines[i + 1 : i + 8]
            if sum(1 for w in window if w.strip() and _CHROME_TOKEN.match(w)) >= 2:
                return i
    return None


def _comments_text(lines: list[str]) -> str:
    """Comment bodies, one paragraph per comment, each prefixed with its author."""
    comments: list[list[str]] = []
    author = None
    body: list[str] = []
    for j, line in enumerate(lines):
        if not line.strip() or _CHROME_TOKEN.match(line) or _COMMENTS_HEADING.match(line):
            continue
        window = lines[j + 1 : j + 8]
        if _COMMENTER.match(line) and sum(1 for w in window if w.strip() and _CHROME_TOKEN.match(w)) >= 2:
            if body:
                comments.append([author or "reader", " ".join(body)])
            author = _COMMENTER.match(line).group(1).lstrip("•*- ")
            body = []
            continue
        body.append(line.strip())
    if body:
        comments.append([author or "reader", " ".join(body)])
    return "\n\n".join(f"{who}: {text}" for who, text in comments)


def clean_text(text: str) -> tuple[str | None, str, str, list[str]]:
    """Return (title, article text, comments text, removed lines) for plain text or Markdown."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    start = _comment_start(lines)
    comments = _comments_text(lines[start:]) if start is not None else ""
    if start is not None:
        lines = lines[:start]

    removed: list[str] = []
    kept: list[str] = []
    drop_rest = False
    for i, line in enumerate(lines):
        if drop_rest:
            if line.strip():
                removed.append(line.strip())
            continue
        raw = line
        line = _PIC_LINK.sub("", _SHORT_LINK.sub("", line)).rstrip()
        nxt = next((l for l in lines[i + 1 :] if l.strip()), "")
        if re.match(r"^\s*about the author\s*$", line, re.I):
            drop_rest = True
            removed.append(line.strip())
            continue
        if (
            _PROMO.match(line)
            or _EMBED_SIGNATURE.match(line)
            or _VIA.match(line)
            or _is_lorem(line)
            or (_AUTHOR_LINE.match(line) and len(line.split()) <= 6 and not line.strip().endswith("."))
            or _AUTHOR_BIO.search(line) and len(line) < 300
            or _EMBED_SIGNATURE.match(nxt)  # the text of an embedded post sits just above its signature
        ):
            removed.append(raw.strip())
            continue
        kept.append(line)

    paragraphs: list[str] = []
    seen: set[str] = set()
    # A long line ending a sentence is a paragraph of its own (files with one paragraph per line);
    # shorter lines are hard-wrapped text and are joined.
    joined = re.sub(r"(?m)^(.{120,}[.!?\"”’])[ \t]*\n(?=\S)", "\\1\n\n", "\n".join(kept))
    for block in re.split(r"\n\s*\n", joined):
        # Lines within a block are joined unless the block is a list or a heading sits on its own line.
        for para in re.split(r"\n(?=\s*(?:[#*•\-]|\d+\.)\s)", block):
            para = re.sub(r"[ \t]*\n[ \t]*", " ", para).strip()
            if not para:
                continue
            key = normalize(para).lower()
            if key in seen:  # pages that repeat a paragraph (pull quotes, teaser boxes)
                removed.append(para)
                continue
            seen.add(key)
            paragraphs.append(para)

    title = None
    # The first line may be a long headline ("More boys freed from Thailand cave, but rescuers face 'war with water
    # and time' to get to others": 17 words); further down, a line that long without a stop is a statement.
    if paragraphs and _is_heading(paragraphs[0], max_words=HEADLINE_WORDS):
        title = paragraphs.pop(0).lstrip("#").strip()
    body: list[str] = []
    heads: list[str] = []
    for para in paragraphs:
        if _is_heading(para):
            heads.append(para)  # sub-heads and stray teaser headlines are not statements...
            continue
        body.append(para.lstrip("#").strip())
    if not body:
        # ...unless nothing else is left: a headline with a standfirst, or a one-line brief without a final
        # stop, is the article. A file that is one such line is kept too (as its own title). Each line gets
        # the full stop headlines go without, so that it reads (and is used) as the sentence it is.
        lines = [h.lstrip("#").strip() for h in heads] or ([title] if title else [])
        body = [line + "." if line[-1:].isalnum() else line for line in lines]
    else:
        removed.extend(heads)
    return title, "\n\n".join(body), comments, removed


def clean_html(html: str, page: Meta | None = None) -> tuple[str | None, str, str, list[str]]:
    """``page``, when given, is filled with the page's own date and site name."""
    import trafilatura

    extracted = trafilatura.bare_extraction(
        html, include_comments=True, include_tables=False, with_metadata=True, favor_precision=True
    )
    if extracted is None:
        return None, "", "", []
    get = extracted.get if isinstance(extracted, dict) else lambda k: getattr(extracted, k, None)
    title_meta = get("title")
    if page is not None:
        page.date = parse_date(get("date"))
        page.outlet = get("sitename") or None
    title, body, comments_inline, removed = clean_text(get("text") or "")
    comments = (get("comments") or "").strip()
    if comments_inline:
        comments = (comments + "\n\n" + comments_inline).strip()
    if body and title and not title_meta:
        body = title + "\n\n" + body if not _is_heading(title) else body
    return title_meta or title, body, comments, removed


def clean(raw: RawDocument) -> Document:
    given = Meta()  # what the page or the file's header lines say about the article
    if raw.format == "html":
        title, body, comments, removed = clean_html(raw.text, given)
    else:
        given, text = take_header(raw.text)
        text, markup = strip_markup(text)
        title, body, comments, removed = clean_text(text)
        removed = markup + removed
    meta = merge(given, Meta(title=title, date=parse_date(raw.name), outlet=dateline_outlet(body)))
    parts = [Part(kind="article", text=body)] if body.strip() else []
    if comments.strip():
        parts.append(Part(kind="comments", text=comments))
    return Document(name=raw.name, path=raw.path, sha256=raw.sha256, title=meta.title, date=meta.date,
                    outlet=meta.outlet, parts=parts, removed=removed)
