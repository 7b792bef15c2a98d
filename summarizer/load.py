"""Stage: load. Find the files under the given paths and decode them to text.

Never raises for a bad file: every problem becomes a `Skipped` entry or a warning
that names the file, so one unreadable page does not stop a folder of them.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from .records import RawDocument, Skipped

FORMATS = {".txt": "text", ".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html"}


@dataclass
class LoadResult:
    documents: list[RawDocument] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def iter_files(paths: Iterable[Path], result: LoadResult) -> list[Path]:
    """Expand folders (recursively, sorted, links followed once) into files; record missing paths."""
    found: list[Path] = []
    seen_dirs: set[Path] = set()
    for path in paths:
        path = Path(path)
        if not path.exists():
            result.skipped.append(Skipped(path=str(path), reason="no such file or folder"))
            continue
        if path.is_file():
            found.append(path)
            continue
        for root, dirs, files in os.walk(path, followlinks=True):
            real = Path(root).resolve()
            if real in seen_dirs:  # a symlink loop or a folder reached twice
                result.warnings.append(f"{root}: folder already visited (symlink loop?), skipped")
                dirs[:] = []
                continue
            seen_dirs.add(real)
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            found.extend(Path(root) / f for f in sorted(files) if not f.startswith("."))
    return found


def decode(data: bytes, name: str, warnings: list[str]) -> str | None:
    """UTF-8 first (with or without BOM), then UTF-16 by BOM, then cp1252, then latin-1 with a warning."""
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None  # binary content behind a text extension
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    for encoding in ("cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        warnings.append(f"{name}: not valid UTF-8, decoded as {encoding}")
        return text
    return None


def _looks_binary(text: str) -> bool:
    if not text:
        return False
    # C1 controls (U+0080-U+009F) are what undecodable bytes become under the latin-1 fallback.
    control = sum(1 for ch in text[:8192] if (ord(ch) < 32 and ch not in "\n\r\t\f") or 0x7F <= ord(ch) <= 0x9F)
    return control / min(len(text), 8192) > 0.05


def load_paths(paths: Iterable[Path], max_bytes: int = 5 * 1024 * 1024) -> LoadResult:
    result = LoadResult()
    for path in iter_files(paths, result):
        fmt = FORMATS.get(path.suffix.lower())
        if fmt is None:
            result.skipped.append(Skipped(path=str(path), reason=f"unsupported file type '{path.suffix or 'none'}'"))
            continue
        try:
            size = path.stat().st_size
            with path.open("rb") as handle:
                data = handle.read(max_bytes + 1)
        except OSError as exc:
            result.skipped.append(Skipped(path=str(path), reason=f"cannot read: {exc.strerror or exc}"))
            continue
        doc_warnings: list[str] = []
        if len(data) > max_bytes:
            data = data[:max_bytes]
            doc_warnings.append(
                f"{path}: {size / 2**20:.1f} MB is over the {max_bytes / 2**20:.3g} MB file size limit (DIGEST_MAX_FILE_MB); "
                f"read the first {max_bytes / 2**20:.3g} MB only"
            )
        text = decode(data, str(path), doc_warnings)
        if text is None or _looks_binary(text):
            result.skipped.append(Skipped(path=str(path), reason="binary or undecodable content"))
            continue
        if not text.strip():
            result.skipped.append(Skipped(path=str(path), reason="empty file"))
            continue
        result.warnings.extend(doc_warnings)
        result.documents.append(
            RawDocument(
                path=path,
                name=path.name,
                format=fmt,
                text=text,
                sha256=hashlib.sha256(data).hexdigest(),
                warnings=doc_warnings,
            )
        )
    return result
