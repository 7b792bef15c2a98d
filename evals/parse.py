"""Turn a summary (digest.json, Markdown or plain text with [n] markers) into a ``Summary``.

Markers may sit before or after the full stop ("... rose [1]." / "... rose.[1][2]" /
"... rose [1, 2]."). They are resolved through a trailing "## Sources" list of
"[n] name", "- [n] name" or "[n]: name" lines. A summary without any marker is
scored against all sources and its citation metrics are "not applicable".
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from digest_core.escape import unmarkdown
from evals.records import Summary, SummarySentence
from digest_core.text import split_sentences

_MARKER = r"\[\d+(?:\s*[,;]\s*\d+)*\]"
_MARKER_RUN = re.compile(rf"(?:\s*{_MARKER})+")
# A run of markers right after sentence-final punctuation: move it before the punctuation
# so the splitter (which ends sentences at ". ") keeps markers with their own sentence.
_AFTER_STOP = re.compile(rf"([.!?])([\"'”’)]*)((?:\s*{_MARKER})+)")
_SOURCES_HEADING = re.compile(r"^\s*(?:#{1,6}\s*)?(?:\*\*)?(sources|references|citations)(?:\*\*)?\s*:?\s*$", re.I | re.M)
_SOURCE_LINE = re.compile(r"^\s*(?:[-*+]\s*)?\[(\d+)\]\s*:?\s*(.+?)\s*$")
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")


def _numbers(marker_run: str) -> list[int]:
    return [int(n) for n in re.findall(r"\d+", marker_run)]


def _source_name(raw: str) -> str:
    raw = unmarkdown(_LINK.sub(r"\1", raw).strip().strip("`*_").strip())
    # "file.txt — Some title" / "file.txt (title)": keep the file name when one is visible.
    match = re.match(r"^(\S+\.(?:txt|md|html?|json))\b", raw)
    return match.group(1) if match else raw


def _split_sources(text: str) -> tuple[str, list[str]]:
    """Body text and the numbered source names from a trailing Sources section."""
    heading = None
    for heading in _SOURCES_HEADING.finditer(text):
        pass  # the last such heading wins: a "Sources" word earlier in the body is not the list
    if heading is None:
        return text, []
    body, tail = text[: heading.start()], text[heading.end() :]
    numbered: dict[int, str] = {}
    for line in tail.splitlines():
        match = _SOURCE_LINE.match(line)
        if match:
            numbered[int(match.group(1))] = _source_name(match.group(2))
    if not numbered:
        return text, []
    top = max(numbered)
    return body, [numbered.get(i, f"[{i}]") for i in range(1, top + 1)]


def _clean_block(text: str) -> str:
    lines = []
    for line in text.splitlines():
        if re.match(r"^\s*#{1,6}\s", line):
            continue  # headings are titles, not claims
        if re.match(r"^\s*(?:-{3,}|\*{3,}|_{3,})\s*$", line):
            continue
        line = re.sub(r"^\s*(?:[-*+]|\d+[.)])\s+", "", line)  # bullets and numbered items
        line = re.sub(r"(\*\*|__)(.+?)\1", r"\2", line)
        lines.append(line)
    return "\n".join(lines)


def parse_text(text: str) -> Summary:
    """Parse Markdown or plain text with optional [n] citation markers."""
    title_match = re.match(r"^\s*#\s+(.+)$", text, re.M)
    title = unmarkdown(title_match.group(1).strip()) if title_match else None
    body, names = _split_sources(text)
    body = _AFTER_STOP.sub(lambda m: f"{m.group(3)}{m.group(1)}{m.group(2)}", _clean_block(body))
    sentences: list[SummarySentence] = []
    any_marker = False
    for raw in split_sentences(body):
        cites: list[int] = []
        for run in _MARKER_RUN.findall(raw):
            cites.extend(n for n in _numbers(run) if n not in cites)
        # Markers are read first, escapes after: an escaped \[2\] is the writer's text, not a citation.
        clean = unmarkdown(re.sub(r"\s+([.!?,;:])", r"\1", _MARKER_RUN.sub("", raw)).strip())
        if not re.search(r"[A-Za-z0-9]", clean):
            continue
        any_marker = any_marker or bool(cites)
        sentences.append(SummarySentence(index=len(sentences), text=clean, citations=cites))
    return Summary(sentences=sentences, sources=names, has_citations=any_marker, title=title)


def parse_digest_json(data: dict[str, Any]) -> Summary:
    """Parse the digest's own JSON: citations name sources by file name."""
    names = [str(s.get("name") if isinstance(s, dict) else s) for s in data.get("sources", [])]
    sentences: list[SummarySentence] = []
    for item in data.get("sentences", []):
        text = item.get("text", "") if isinstance(item, dict) else str(item)
        cites: list[int] = []
        for cite in (item.get("citations", []) if isinstance(item, dict) else []):
            if isinstance(cite, int):
                number = cite
            else:
                name = str(cite.get("source") if isinstance(cite, dict) else cite)
                if name not in names:
                    names.append(name)  # cited but not listed: keep it so it is reported, not lost
                number = names.index(name) + 1
            if number not in cites:
                cites.append(number)
        sentences.append(SummarySentence(index=len(sentences), text=text.strip(), citations=cites))
    has = any(s.citations for s in sentences)
    return Summary(sentences=sentences, sources=names, has_citations=has, title=data.get("title"))


def load_summary(summary: Summary | str | Path) -> Summary:
    """Accept a Summary, a Path to .json/.md/.txt, or the text itself."""
    if isinstance(summary, Summary):
        return summary
    if isinstance(summary, Path):
        raw = summary.read_text(encoding="utf-8")
        if summary.suffix.lower() == ".json":
            return parse_digest_json(json.loads(raw))
        return parse_text(raw)
    stripped = summary.lstrip()
    if stripped.startswith("{"):
        try:
            return parse_digest_json(json.loads(stripped))
        except json.JSONDecodeError:
            pass
    return parse_text(summary)
