"""Report sections for the optional judges (LLM judge, ragas), as Markdown and one-line summaries.

Kept apart from report.py so that the core renderer does not need to know about them: it calls
``markdown_sections`` and gets nothing back when neither ran.
"""

from __future__ import annotations

from digest_core.escape import markdown
from evals.records import Report


def _cell(text: object) -> str:
    return markdown(text)  # model answers and error messages are data: escaped, one line


def summary_lines(report: Report) -> list[str]:
    """One line per optional judge that ran, for the CLI and the top of the Markdown report."""
    lines = []
    llm = report.llm_judge
    if llm is not None:
        agree = llm.agreement_with_offline
        lines.append(f"LLM judge {llm.model} (weight {llm.weight}): {llm.judged} judged, {llm.errors} errors"
                     + ("" if agree is None else f", agrees with offline on {agree:.0%}"))
    ragas = report.ragas
    if ragas is not None:
        value = "n/a" if ragas.faithfulness is None else f"{ragas.faithfulness:.3f}"
        served = ragas.served_models
        model = served[0] if len(served) == 1 else ragas.model
        lines.append(f"ragas faithfulness {value} ({ragas.scored} scored, {ragas.errors} errors, "
                     f"model {model}, {ragas.seconds:.1f} s)")
    return lines


def markdown_sections(report: Report) -> str:
    """A table of the optional judges' per-sentence answers; empty when neither ran."""
    llm, ragas = report.llm_judge is not None, report.ragas is not None
    if not llm and not ragas:
        return ""
    header = ["#", "ours"]
    if llm:
        header += ["LLM verdict", "LLM reason or error"]
    if ragas:
        header += ["ragas", "ragas error"]
    lines = ["", "### Other judges", ""] + [f"- {markdown(line)}" for line in summary_lines(report)] + [""]
    lines += ["| " + " | ".join(header) + " |", "| " + " | ".join("---" for _ in header) + " |"]
    for s in report.sentences:
        cells = [str(s.index + 1), f"{s.verdict} {s.faithfulness:.2f}"]
        if llm:
            j = s.llm
            cells += [(j.verdict or "error") if j else "-", (j.reason or j.error or "") if j else ""]
        if ragas:
            r = s.ragas
            cells += ["-" if r is None else ("error" if r.score is None else f"{r.score:.2f}"),
                      (r.error or "") if r else ""]
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return "\n".join(lines) + "\n"
