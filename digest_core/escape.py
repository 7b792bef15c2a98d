"""One rule for every output: text from sources, summaries and models is data, never markup.

- Markdown (digest.md, ``digest eval --md``): ``markdown(text)`` makes the text inert. HTML cannot
  come alive (``<`` and ``>`` become ``&lt;``/``&gt;``, an ``&`` that would start an entity becomes
  ``&amp;``), and Markdown syntax from the data (links, images, emphasis, code, table pipes, a
  heading or list marker at the start of a line, and ``[n]`` that would read as a citation) is
  backslash-escaped. ``unmarkdown`` is its exact inverse (and CommonMark's reading of escapes and
  entities), so a summary read back from Markdown is scored on the words that were written.
- Terminal: ``terminal(text)`` drops control characters, ANSI/OSC escape sequences and bidi
  overrides, and escapes rich markup, so "[sic]" prints as written.
- HTML keeps ``html.escape``; JSON carries the text as it was, so nothing is lost.
"""

from __future__ import annotations

import html.entities
import re

# Escape sequences a terminal acts on: OSC strings (hyperlinks, window titles, clipboard writes) and
# DCS/APC/PM/SOS strings only when terminated (an unterminated introducer loses just its ESC below),
# CSI sequences (colours, cursor moves, screen clears), other two-byte escapes, and their 8-bit forms.
_SEQUENCE = re.compile(
    r"\x1b\][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)"
    r"|\x1b[P^_X][^\x1b\x9c]*(?:\x1b\\|\x9c)"
    r"|\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x9b[0-?]*[ -/]*[@-~]"
    r"|\x9d[^\x07\x1b\x9c]*(?:\x07|\x9c)"
    r"|\x1b[ -/]*[0-~]"
)
# C0 and C1 controls except tab and newline; bidi embeddings/overrides/isolates, which reorder what
# is shown ("Trojan source"); line and paragraph separators.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
_NEWLINES = re.compile(r"[ \t]*[\r\n\t]+[ \t]*")

_ENTITY = r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"
_ENTITY_START = re.compile(_ENTITY)
_MD_PUNCT = re.compile(r"[\\`*\[\]|~]")
_MD_UNDERSCORE = re.compile(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")  # inside a word, _ is never emphasis
_MD_UNESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])|(" + _ENTITY + ")")


def strip_controls(text: str, one_line: bool = True) -> str:
    """``text`` without terminal escape sequences and control characters; one line unless told."""
    text = _CONTROL.sub("", _SEQUENCE.sub("", str(text)).replace("\r\n", "\n"))
    return _NEWLINES.sub(" ", text).strip() if one_line else text


def terminal(text: object, markup: bool = True) -> str:
    """Data for a rich console line: controls dropped, newlines folded, rich markup escaped."""
    plain = strip_controls(str(text))
    if not markup:
        return plain
    from rich.markup import escape

    return escape(plain)


def markdown(text: object) -> str:
    """Data as inline Markdown on one line: renders as the same characters, never as HTML or syntax."""
    text = strip_controls(str(text))
    text = _MD_PUNCT.sub(r"\\\g<0>", text)  # backslashes first, so the ones added below are not doubled
    text = _ENTITY_START.sub(lambda m: "&amp;" + m.group(0)[1:], text)
    text = text.replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_UNDERSCORE.sub(r"\\_", text)
    text = re.sub(r"^(\s*\d+)([.)])", r"\1\\\2", text)  # "1. " would start a numbered list
    return re.sub(r"^(\s*)([#+=-])", r"\1\\\2", text)  # a heading, list item or setext underline


def _entity(ref: str) -> str:
    body = ref[1:-1]
    if body.startswith(("#x", "#X")):
        code = int(body[2:], 16)
    elif body.startswith("#"):
        code = int(body[1:])
    else:
        return html.entities.html5.get(body + ";", ref)  # an unknown name stays as written
    return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"


def unmarkdown(text: str) -> str:
    """Read Markdown escapes and entities back into characters (the inverse of ``markdown``)."""
    return _MD_UNESCAPE.sub(lambda m: m.group(1) if m.group(1) is not None else _entity(m.group(2)), text)
