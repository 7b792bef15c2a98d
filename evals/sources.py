"""What the Python API accepts as sources, turned into ``SourceText``: as the CLI takes them, and raw text too.

- a ``SourceText``, or a mapping ``{"name": ..., "text": ...}``;
- a ``Path`` (or a ``str`` naming an existing path): a file is read as UTF-8; a folder gives its
  ``.txt`` and ``.md`` files (recursively, sorted by path), as ``digest eval --sources`` would;
- any other ``str`` is the source's text itself, named ``source N``.

A ``Path`` that does not exist is a ``FileNotFoundError`` naming it; a folder without usable files a
``ValueError``. (``evals.scorer.load_sources`` reads every ``str`` as a file path; this is the
user-facing reading that ``evals.score_summary``, ``evals.evaluate`` and ``assert_faithful`` use.)

And which of the sources a summary's citation names (``resolve_names``, ``citation_numbering``), for the scorer.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable, Mapping

from evals.records import SourceText, Summary

FOLDER_SUFFIXES = (".txt", ".md")
_MAX_PATH = 4096


def _from_path(path: Path) -> list[SourceText]:
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in FOLDER_SUFFIXES)
        if not files:
            raise ValueError(f"{path}: a folder with no {' or '.join(FOLDER_SUFFIXES)} file")
        return [SourceText(name=p.name, text=p.read_text(encoding="utf-8", errors="replace")) for p in files]
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such source file or folder")
    return [SourceText(name=path.name, text=path.read_text(encoding="utf-8", errors="replace"))]


def _names_a_path(text: str) -> bool:
    return len(text) < _MAX_PATH and "\n" not in text and Path(text).exists()


def as_sources(sources: Iterable[Any] | str | Path) -> list[SourceText]:
    """Every accepted form of sources as a list of SourceText, in the order given."""
    if isinstance(sources, (str, Path, SourceText)) or isinstance(sources, Mapping):
        sources = [sources]
    out: list[SourceText] = []
    for item in sources:
        if isinstance(item, SourceText):
            out.append(item)
        elif isinstance(item, Mapping):
            out.append(SourceText(name=str(item.get("name") or f"source {len(out) + 1}"), text=str(item["text"])))
        elif isinstance(item, Path):
            out.extend(_from_path(item))
        elif isinstance(item, str):
            out.extend(_from_path(Path(item)) if _names_a_path(item)
                       else [SourceText(name=f"source {len(out) + 1}", text=item)])
        else:
            raise TypeError(f"a source is a SourceText, a path, text or {{name, text}}, not {type(item).__name__}")
    return out


# -- which source a citation names (the scorer's citation checks) ------------------------------

def resolve_names(names: list[str], sources: list[SourceText]) -> set[int]:
    """The positions in ``sources`` of the sources ``names`` cite (``find_source``); unknown names are left out."""
    found: set[int] = set()
    for name in names:
        i = find_source(name, sources)
        if i is not None:
            found.add(i)
    return found


def find_source(name: str, sources: list[SourceText]) -> int | None:
    """Match a cited name to a source: exact, then file name, then stem, then stem ignoring case."""
    candidates = [
        lambda s: s.name == name,
        lambda s: Path(s.name).name == Path(name).name,
        lambda s: Path(s.name).stem == Path(name).stem,
        # case-insensitive stem; no substring matching: "a.txt" must not claim "data.txt"
        lambda s: Path(s.name).stem.lower() == Path(name).stem.lower(),
    ]
    for test in candidates:
        for i, source in enumerate(sources):
            if test(source):
                return i
    return None


def citation_numbering(summary: Summary, sources: list[SourceText]) -> dict[int, int | None]:
    """Citation number -> position in ``sources``. Without a Sources list, [n] means the n-th source given."""
    numbers = {c for s in summary.sentences for c in s.citations}
    if summary.sources:
        return {n: (find_source(summary.sources[n - 1], sources) if 1 <= n <= len(summary.sources) else None) for n in numbers}
    return {n: (n - 1 if 1 <= n <= len(sources) else None) for n in numbers}
