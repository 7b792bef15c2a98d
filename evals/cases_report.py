"""Outputs of a cases run: JSON (complete), Markdown (a CI job summary) and JUnit XML (one testcase per case).

Text from the cases is data: Markdown goes through ``escape.markdown``; XML text through
``escape.strip_controls`` (XML 1.0 cannot carry most control characters) and ElementTree's escaping.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from evals.cases import CaseResult, CasesRun
from digest_core.escape import markdown, strip_controls
from evals.records import SentenceScore

MD_SENTENCE_CHARS = 160


def clip(text: str, limit: int) -> str:
    """At most ``limit`` characters, cut at a word boundary, with "…" when something was cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip(" ,;:") + "…"


def to_json(run: CasesRun) -> str:
    return json.dumps(run.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"


def _problems(case: CaseResult) -> list[tuple[SentenceScore, str]]:
    """Each sentence that is not supported, with its findings in one line."""
    out = []
    for s in case.sentences:
        if s.verdict != "supported":
            why = "; ".join(f.explain() for f in s.findings) or "weak alignment with the sources"
            out.append((s, why))
    return out


def _f(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def to_markdown(run: CasesRun, title: str = "Faithfulness") -> str:
    s = run.summary
    threshold = s.get("fail_under")
    lines = [f"## {markdown(title)}", ""]
    verdict = ""
    if threshold is not None:
        verdict = (f"**{len(run.failed)} of {s['cases']} cases under {threshold}**" if run.failed
                   else f"all {s['cases']} cases at or above {threshold}")
    lines += [
        f"{s['cases']} cases, {s['sentences']} sentences: mean faithfulness {_f(s['faithfulness'])}, "
        f"supported {_f(s['supported_ratio'])}" + (f"; {verdict}" if verdict else ""),
        "",
        "| case | faithfulness | supported | unsupported | contradicted | result |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for c in run.cases:
        result = "-" if c.passed is None else ("pass" if c.passed else "**FAIL**")
        lines.append(f"| {markdown(c.id)} | {c.faithfulness:.3f} | {c.counts.get('supported', 0)} | "
                     f"{c.counts.get('unsupported', 0)} | {c.counts.get('contradicted', 0)} | {result} |")
    if run.skipped:
        lines += ["", f"### Skipped rows ({len(run.skipped)})", ""]
        lines += [f"- line {k.line}" + (f" ({markdown(k.id)})" if k.id else "") + f": {markdown(k.reason)}"
                  for k in run.skipped]
    shown = run.failed if threshold is not None else [c for c in run.cases if _problems(c)]
    if shown:
        lines += ["", "### Sentences that are not supported" + (" in failing cases" if threshold is not None else ""), ""]
        for c in shown:
            lines.append(f"**{markdown(c.id)}** (faithfulness {c.faithfulness:.3f})")
            lines.append("")
            for sentence, why in _problems(c):
                lines.append(f"- {sentence.verdict} {sentence.faithfulness:.2f}: "
                             f"{markdown(clip(sentence.text, MD_SENTENCE_CHARS))}  ")
                lines.append(f"  {markdown(why)}")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _xml(text: object) -> str:
    return strip_controls(str(text), one_line=False)


def to_junit(run: CasesRun, suite: str = "digest faithfulness") -> str:
    s = run.summary
    root = ET.Element("testsuites")
    node = ET.SubElement(root, "testsuite", name=suite, tests=str(len(run.cases) + len(run.skipped)),
                         failures=str(len(run.failed)), errors=str(len(run.skipped)), skipped="0",
                         time=f"{s.get('seconds') or 0:.3f}")
    per_case = (s.get("seconds") or 0) / len(run.cases) if run.cases else 0.0
    for c in run.cases:
        case = ET.SubElement(node, "testcase", classname="digest.faithfulness", name=_xml(c.id), time=f"{per_case:.3f}")
        ET.SubElement(case, "properties")
        props = case.find("properties")
        for key, value in (("faithfulness", c.faithfulness), ("supported_ratio", c.supported_ratio)):
            ET.SubElement(props, "property", name=key, value=str(value))
        if c.passed is False:
            failure = ET.SubElement(case, "failure", type="faithfulness",
                                    message=f"faithfulness {c.faithfulness:.3f} is below {s['fail_under']}")
            failure.text = "\n".join(
                f"#{sentence.index + 1} [{sentence.verdict} {sentence.faithfulness:.2f}] {_xml(sentence.text)}"
                f"\n    {_xml(why)}" for sentence, why in _problems(c)) or "no sentence is flagged; the mean is low"
    for k in run.skipped:
        case = ET.SubElement(node, "testcase", classname="digest.faithfulness", name=_xml(k.id or f"line-{k.line}"),
                             time="0")
        ET.SubElement(case, "error", type="unreadable case", message=_xml(f"line {k.line}: {k.reason}"))
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
