"""Per-sentence faithfulness evaluator for any summary of a set of sources.

Stands alone: it imports nothing from ``summarizer``; the digest's guard imports it.
"""

from evals.records import Evidence, Finding, Report, SentenceScore, SourceText, Summary, SummaryMetrics, SummarySentence
from evals.scorer import Scorer, default_scorer
from evals.sources import as_sources


def score_summary(summary, sources, *, scorer: Scorer | None = None) -> Report:
    """Score each sentence of ``summary`` (a Summary, Markdown/plain text, or a .json/.md/.txt Path)
    against ``sources``: SourceText, {name, text}, file or folder paths (Path or str), or raw text."""
    return (scorer or default_scorer()).score(summary, as_sources(sources))


__all__ = [
    "Evidence", "Finding", "Report", "Scorer", "SentenceScore", "SourceText", "Summary", "SummaryMetrics",
    "SummarySentence", "as_sources", "score_summary",
]
