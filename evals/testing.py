"""Assert on faithfulness from any project's tests.

    from evals.testing import assert_faithful
    assert_faithful(my_summary_markdown, [Path("a.txt"), Path("b.txt")], min_faithfulness=0.6)
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from evals.records import Report, SourceText, Summary
from evals.scorer import Scorer, score_summary


class FaithfulnessError(AssertionError):
    """Raised with a per-sentence explanation of what failed."""


def assert_faithful(summary: Summary | str | Path, sources: Sequence[SourceText | Path | str], min_faithfulness: float = 0.6,
                    *, allow_contradicted: bool = False, min_supported_ratio: float | None = None,
                    scorer: Scorer | None = None) -> Report:
    """Fail unless the summary's mean faithfulness reaches ``min_faithfulness`` (and, by default,
    no sentence is contradicted). Returns the report so tests can assert more."""
    report = score_summary(summary, sources, scorer=scorer)
    problems: list[str] = []
    if report.summary.faithfulness < min_faithfulness:
        problems.append(f"faithfulness {report.summary.faithfulness:.2f} < {min_faithfulness:.2f}")
    if min_supported_ratio is not None and report.summary.supported_ratio < min_supported_ratio:
        problems.append(f"supported ratio {report.summary.supported_ratio:.2f} < {min_supported_ratio:.2f}")
    contradicted = [s for s in report.sentences if s.verdict == "contradicted"]
    if contradicted and not allow_contradicted:
        problems.append(f"{len(contradicted)} contradicted sentence(s)")
    if problems:
        lines = [f"summary is not faithful enough: {'; '.join(problems)}"]
        for s in report.sentences:
            if s.verdict != "supported":
                why = "; ".join(f.explain() for f in s.findings) or "weak alignment"
                lines.append(f"  #{s.index + 1} [{s.verdict} {s.faithfulness:.2f}] {s.text}\n      {why}")
        raise FaithfulnessError("\n".join(lines))
    return report
