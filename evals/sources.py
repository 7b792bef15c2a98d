"""What the Python API accepts as sources, turned into ``SourceText``: as the CLI takes them, and raw text too.

- a ``SourceText``, or a mapping ``{"name": ..., "text": ...}``;
- a ``Path`` (or a ``str`` naming an existing path): a file is read as UTF-8; a folder gives its
  ``.txt`` and ``.md`` files (recursively, sorted by path), as ``digest eval --sources`` would;
- any other ``str`` is the source's text itself, named ``source N``.

A ``Path`` that does not exist is a ``FileNotFoundError`` naming it; a folder without usable files a
``ValueError``. (``evals.scorer.load_sources`` reads every ``str`` as a file path; this is the
user-facing reading that ``evals.score_summary``, ``evals.evaluate`` and ``assert_faithful`` use.)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable, Mapping

from evals.records import SourceText

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
