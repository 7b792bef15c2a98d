"""Stage: render, the HTML part. The digest scored by the full evaluator, shown as report.html.

The evaluator (evals.evaluate) scores the digest's own Markdown exactly as `digest eval` would, with
the guard's scorer, so the sources' passages are not embedded a second time. What only the digest
knows (source titles, copies, claims per source, corroboration of each sentence, disagreements) is
passed to the one HTML renderer (evals.report.to_html) as plain data.
"""

from __future__ import annotations

import time
from pathlib import Path

from evals.evaluate import evaluate
from evals.records import Report
from evals.report import to_html

from .credentials import redact
from .records import Digest
from .render import to_markdown, write_atomic


def evaluate_digest(digest: Digest, guard, progress=None) -> Report:
    """The full evaluation of ``digest`` against the guard's sources; adds ``timings['report']``."""
    mark = time.perf_counter()
    report = evaluate(to_markdown(digest), guard.sources, scorer=guard.scorer, progress=progress)
    seconds = time.perf_counter() - mark
    digest.timings["report"] = round(seconds, 3)
    if "total" in digest.timings:
        digest.timings["total"] = round(digest.timings["total"] + seconds, 3)
    return report


def sources_panel(digest: Digest, report: Report) -> dict:
    """Plain data for the report's sources panel and per-sentence corroboration."""
    claims = {c.id: c for c in digest.claims}
    rows = []
    for source in digest.sources:
        own = [c for c in digest.claims if source.name in c.sources]
        rows.append({
            "name": source.name,
            "title": source.title,
            "duplicate_of": source.duplicate_of,
            "comments": source.comments,
            "claims": len(own),
            "corroborated": sum(c.independent_sources >= 2 for c in own),
        })
    by_text = {s.text: s for s in digest.sentences}
    corroboration = []
    for scored in report.sentences:
        written = by_text.get(scored.text) or next((s for s in digest.sentences if scored.text in s.text), None)
        claim = claims.get(written.claim_id) if written and written.claim_id is not None else None
        corroboration.append(claim.independent_sources if claim else None)
    notes = [f"Sources disagree on {d.topic}: " + " / ".join(f"{c.source}: “{c.quote}”" for c in d.statements)
             for d in digest.disagreements]
    return {"sources": rows, "sentence_sources": corroboration, "notes": notes}


def write_report_html(digest: Digest, report: Report, out_dir: Path) -> Path:
    path = Path(out_dir) / "report.html"
    write_atomic(path, redact(to_html(report, title=digest.title, sources_panel=sources_panel(digest, report))))
    return path
