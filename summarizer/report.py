"""Stage: render, the HTML part. The digest scored by the full evaluator, shown as report.html.

The evaluator (evals.evaluate) scores the digest's own sentences and citations, handed over as the
evaluator's ``Summary`` record (nothing is rendered to Markdown and read back), with the guard's
scorer, so the sources' passages are not embedded a second time. What only the digest knows (source
titles, copies, claims per source, corroboration of each sentence, disagreements) goes to the one
HTML renderer (evals.report.to_html) as its ``SourcesPanel``.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

from digest_core.escape import strip_controls
from digest_core.files import write_atomic
from digest_core.text import split_sentences
from evals.evaluate import evaluate
from evals.records import Report, SourceRow, SourcesPanel, Summary, SummarySentence
from evals.report import to_html

from .credentials import redact
from .records import Digest, DigestSentence


def source_numbers(digest: Digest) -> dict[str, int]:
    """[n] numbers in the order sources are listed."""
    return {source.name: i + 1 for i, source in enumerate(digest.sources)}


def cited_numbers(sentence: DigestSentence, numbers: dict[str, int]) -> list[int]:
    """The [n] numbers a digest sentence cites, in order, each once."""
    return sorted({numbers[c.source] for c in sentence.citations if c.source in numbers})


def _shown(text: str) -> str:
    return re.sub(r"\s+", " ", strip_controls(text)).strip()


def as_summary(digest: Digest) -> Summary:
    """The digest as the evaluator's record, citing by [n] number as digest.md lists the sources.

    The text is what digest.md shows a reader (terminal escapes and control characters dropped, white
    space as single spaces). The evaluator scores sentences as its splitter cuts them, so a digest
    sentence that holds two (an extracted passage can) is scored as two, its citations on the last,
    exactly as when the evaluator read digest.md back.
    """
    numbers = source_numbers(digest)
    sentences: list[SummarySentence] = []
    for written in digest.sentences:
        cited = cited_numbers(written, numbers)
        pieces = split_sentences(_shown(written.text))
        for k, piece in enumerate(pieces):
            sentences.append(SummarySentence(index=len(sentences), text=piece,
                                             citations=cited if k == len(pieces) - 1 else []))
    return Summary(sentences=sentences, sources=list(numbers), has_citations=any(s.citations for s in sentences),
                   title=_shown(digest.title))


def evaluate_digest(digest: Digest, guard, progress=None) -> Report:
    """The full evaluation of ``digest`` against the guard's sources; adds ``timings['report']``."""
    mark = time.perf_counter()
    report = evaluate(as_summary(digest), guard.sources, scorer=guard.scorer, progress=progress)
    seconds = time.perf_counter() - mark
    digest.timings["report"] = round(seconds, 3)
    if "total" in digest.timings:
        digest.timings["total"] = round(digest.timings["total"] + seconds, 3)
    return report


def sources_panel(digest: Digest, report: Report) -> SourcesPanel:
    """The report's sources panel and per-sentence corroboration, from what the digest knows."""
    claims = {c.id: c for c in digest.claims}
    rows = []
    for source in digest.sources:
        own = [c for c in digest.claims if source.name in c.sources]
        rows.append(SourceRow(name=source.name, title=source.title, duplicate_of=source.duplicate_of,
                              comments=source.comments, claims=len(own),
                              corroborated=sum(c.independent_sources >= 2 for c in own)))
    by_text = {s.text: s for s in digest.sentences}
    corroboration = []
    for scored in report.sentences:
        written = by_text.get(scored.text) or next((s for s in digest.sentences if scored.text in s.text), None)
        claim = claims.get(written.claim_id) if written and written.claim_id is not None else None
        corroboration.append(claim.independent_sources if claim else None)
    notes = [f"Sources disagree on {d.topic}: " + " / ".join(f"{c.source}: “{c.quote}”" for c in d.statements)
             for d in digest.disagreements]
    return SourcesPanel(sources=rows, sentence_sources=corroboration, notes=notes)


def write_report_html(digest: Digest, report: Report, out_dir: Path) -> Path:
    path = Path(out_dir) / "report.html"
    write_atomic(path, redact(to_html(report, title=digest.title, sources_panel=sources_panel(digest, report))))
    return path
