"""Stage: render. digest.md and digest.json, each written atomically (temp file, then rename)."""

from __future__ import annotations

import json
from pathlib import Path

from digest_core.escape import markdown
from digest_core.files import write_atomic

from .credentials import redact
from .records import Digest
from .report import cited_numbers, source_numbers, write_report_html

__all__ = ["to_json", "to_markdown", "write_digest"]


def to_markdown(digest: Digest) -> str:
    """digest.md: titles, sentences and file names are data, escaped (digest_core.escape); only the [n] markers
    and the layout are Markdown. digest.json keeps every text as it was."""
    numbers = source_numbers(digest)
    lines = [f"# {markdown(digest.title)}", ""]
    for sentence in digest.sentences:
        markers = "".join(f"[{n}]" for n in cited_numbers(sentence, numbers))
        lines.append(f"{markdown(sentence.text)} {markers}".rstrip())
    lines += ["", "## Sources", ""]
    for source in digest.sources:
        note = f" (copy of {markdown(source.duplicate_of)})" if source.duplicate_of else ""
        lines.append(f"[{numbers[source.name]}] {markdown(source.name)}{note}")
    return "\n".join(lines) + "\n"


def to_json(digest: Digest) -> str:
    return json.dumps(digest.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"


def write_digest(digest: Digest, out_dir: Path) -> dict[str, Path]:
    """digest.json, digest.md and report.html; a secret that reached any text (an echoed key) is masked."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {"markdown": out_dir / "digest.md", "json": out_dir / "digest.json"}
    write_atomic(paths["json"], redact(to_json(digest)))
    write_atomic(paths["markdown"], redact(to_markdown(digest)))
    if digest.evaluation is not None:  # digest run: the evaluator's report on this digest, as one HTML page
        paths["report"] = write_report_html(digest, digest.evaluation, out_dir)
    return paths
