"""The full evaluation of one summary: faithfulness per sentence, neutrality, and coverage.

`score_summary` answers "does the summary say only what the sources say?"; this adds
"does it say it neutrally?" and "does it carry what the sources agree matters?".
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from digest_core.loaded import model_term_texts
from digest_core.progress import Progress

from .coverage import prefetch as prefetch_coverage, score_coverage
from .neutrality import check_neutrality
from .parse import load_summary
from .records import CoverageSection, LoadedTermEntry, NeutralitySection, Report, SourceText
from .scorer import Scorer, default_scorer
from .sources import as_sources


def evaluate(
    summary,
    sources: Sequence[SourceText | Path | str],
    *,
    scorer: Scorer | None = None,
    coverage: bool = True,
    neutrality: bool = True,
    progress: Progress | None = None,
) -> Report:
    """``progress`` (optional): an object with ``start(label, total)`` and ``advance()``, e.g. a progress bar."""
    scorer = scorer or default_scorer()
    source_list = as_sources(sources)
    parsed = load_summary(summary)
    texts = [s.text for s in parsed.sentences]
    # The embedding model runs in the background, on what it can embed before anything is parsed, in the order
    # it is needed (the summary's sources and sentences, and the words the parser finds in them; then the
    # neutrality lexicon; then the sentences coverage groups into claims), while this thread parses and judges.
    # Nothing computed changes, only when.
    scorer.prefetch(texts, source_list)
    prefetch = getattr(scorer.embedder, "prefetch", None)
    if prefetch is not None and neutrality:
        prefetch(model_term_texts(texts), priority=1)
    if coverage:
        prefetch_coverage(source_list, scorer, priority=2)
    report = scorer.score(parsed, source_list, progress=progress)
    texts = [s.text for s in report.sentences]
    if neutrality:
        found = check_neutrality(texts, embedder=scorer.embedder)
        report.neutrality = NeutralitySection(
            loaded_terms=[LoadedTermEntry(**t.model_dump()) for t in found.loaded],
            unattributed=found.unattributed,
            rate=round(found.rate, 4),
            subjective_sentences=found.subjective_sentences,
        )
    if coverage:
        if progress is not None:
            progress.start("checking coverage", 1)
        result = score_coverage(texts, source_list, scorer)
        if progress is not None:
            progress.advance()
        report.summary.coverage = result.coverage
        report.coverage = CoverageSection.model_validate(result.model_dump(exclude={"coverage"}))
    return report
