"""Assert on faithfulness from any project's tests.

    from evals.testing import assert_faithful
    assert_faithful(my_summary_markdown, [Path("a.txt"), Path("b.txt")], min_faithfulness=0.6)
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from evals.records import Report, SourceText, Summary
from evals.scorer import Scorer
from evals.sources import as_sources


class FaithfulnessError(AssertionError):
    """Raised with a per-sentence explanation of what failed."""


def assert_faithful(summary: Summary | str | Path, sources: Sequence[SourceText | Path | str], min_faithfulness: float = 0.6,
                    *, allow_contradicted: bool = False, min_supported_ratio: float | None = None,
                    min_coverage: float | None = None, scorer: Scorer | None = None) -> Report:
    """Fail unless the summary's mean faithfulness reaches ``min_faithfulness`` (and, by default,
    no sentence is contradicted; with ``min_coverage``, unless it carries that share of the sources'
    salient claims). Returns the report so tests can assert more."""
    if min_coverage is None:
        from evals.scorer import default_scorer

        report = (scorer or default_scorer()).score(summary, as_sources(sources))
    else:
        from evals.evaluate import evaluate

        report = evaluate(summary, sources, scorer=scorer, coverage=True, neutrality=False)
    problems: list[str] = []
    covered = report.summary.coverage
    if min_coverage is not None and (covered is None or covered < min_coverage):
        missed = report.coverage.missed if report.coverage else []
        problems.append(f"coverage {covered if covered is None else f'{covered:.2f}'} < {min_coverage:.2f}"
                        + (f" ({len(missed)} salient claim(s) missed)" if missed else ""))
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
        if min_coverage is not None:
            for item in report.coverage.missed if report.coverage else []:
                lines.append(f"  missed: {item.text}")
        raise FaithfulnessError("\n".join(lines))
    return report
