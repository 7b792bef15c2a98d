"""Stage: render. digest.md and digest.json, each written atomically (temp file, then rename)."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from .records import Digest


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that readers see the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.fchmod(fd, 0o666 & ~_umask())  # mkstemp makes 0600; the result should be as readable as any new file
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def source_numbers(digest: Digest) -> dict[str, int]:
    """[n] numbers in the order sources are listed."""
    return {source.name: i + 1 for i, source in enumerate(digest.sources)}


def to_markdown(digest: Digest) -> str:
    numbers = source_numbers(digest)
    lines = [f"# {digest.title}", ""]
    for sentence in digest.sentences:
        cited = sorted({numbers[c.source] for c in sentence.citations if c.source in numbers})
        markers = "".join(f"[{n}]" for n in cited)
        lines.append(f"{sentence.text} {markers}".rstrip())
    lines += ["", "## Sources", ""]
    for source in digest.sources:
        note = f" (copy of {source.duplicate_of})" if source.duplicate_of else ""
        lines.append(f"[{numbers[source.name]}] {source.name}{note}")
    return "\n".join(lines) + "\n"


def to_json(digest: Digest) -> str:
    return json.dumps(digest.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"


def write_digest(digest: Digest, out_dir: Path) -> dict[str, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {"markdown": out_dir / "digest.md", "json": out_dir / "digest.json"}
    write_atomic(paths["json"], to_json(digest))
    write_atomic(paths["markdown"], to_markdown(digest))
    if digest.evaluation is not None:  # digest run: the evaluator's report on this digest, as one HTML page
        from .report import write_report_html

        paths["report"] = write_report_html(digest, digest.evaluation, out_dir)
    return paths
