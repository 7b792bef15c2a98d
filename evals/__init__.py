"""Per-sentence faithfulness evaluator for any summary of a set of sources.

Stands alone: it imports nothing from ``summarizer``; the digest's guard imports it.
"""

from evals.records import Evidence, Finding, Report, SentenceScore, SourceText, Summary, SummaryMetrics, SummarySentence
from evals.scorer import Scorer, score_summary

__all__ = [
    "Evidence", "Finding", "Report", "Scorer", "SentenceScore", "SourceText", "Summary", "SummaryMetrics",
    "SummarySentence", "score_summary",
]
