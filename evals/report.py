"""Render a Report as JSON, a Markdown table, or one self-contained HTML page (no network)."""

from __future__ import annotations

import html
import os
import tempfile
from pathlib import Path

from evals.records import Report, SentenceScore

_COLOURS = {"supported": "#d8f0d2", "unsupported": "#fbe7b5", "contradicted": "#f7c6c5"}
_BARS = {"supported": "#4c9a3f", "unsupported": "#d49a12", "contradicted": "#c0392b"}


def write_atomic(path: str | Path, text: str) -> Path:
    """Write via a temp file in the same directory and os.replace, so readers never see half a file."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def to_markdown(report: Report) -> str:
    m = report.summary
    lines = [
        f"**Faithfulness** {m.faithfulness:.2f} · **supported** {m.supported_ratio:.0%} · "
        f"**citation precision** {_pct(m.citation_precision)} · **citation recall** {_pct(m.citation_recall)} · "
        + ", ".join(f"{k}: {v}" for k, v in m.counts.items()),
        "",
        "| # | sentence | verdict | faithfulness | cited ok | best evidence | findings |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for s in report.sentences:
        ev = f"{s.evidence[0].source}: {s.evidence[0].text[:120]}" if s.evidence else ""
        cited = "-" if s.citation_supported is None else ("yes" if s.citation_supported else "no")
        findings = "; ".join(f"{f.kind}: {f.detail}" for f in s.findings)
        cells = [str(s.index + 1), s.text, s.verdict, f"{s.faithfulness:.2f}", cited, ev, findings]
        lines.append("| " + " | ".join(c.replace("|", "\\|").replace("\n", " ") for c in cells) + " |")
    from evals.report_extras import markdown_sections

    return "\n".join(lines) + "\n" + markdown_sections(report)


def _chart(sentences: list[SentenceScore]) -> str:
    """Inline SVG bars, one per sentence, height = faithfulness."""
    width, height, gap = max(12 * len(sentences), 120), 80, 2
    bar = width / max(len(sentences), 1)
    rects = []
    for i, s in enumerate(sentences):
        h = max(s.faithfulness * (height - 10), 1)
        rects.append(
            f'<rect x="{i * bar + gap / 2:.1f}" y="{height - h:.1f}" width="{max(bar - gap, 1):.1f}" height="{h:.1f}" '
            f'fill="{_BARS[s.verdict]}"><title>#{s.index + 1} {s.verdict} {s.faithfulness:.2f}</title></rect>'
        )
    return (f'<svg viewBox="0 0 {width} {height}" width="100%" height="{height}" role="img" '
            f'aria-label="faithfulness per sentence">{"".join(rects)}</svg>')


def _sentence_html(s: SentenceScore) -> str:
    esc = html.escape
    evidence = "".join(
        f"<li><b>{esc(e.source)}</b> <span class=score>{e.score:.2f}</span><br>{esc(e.text)}</li>" for e in s.evidence
    )
    findings = "".join(f"<li class={'conflict' if f.conflict else 'missing'}><b>{esc(f.kind)}</b>: {esc(f.detail)}</li>"
                       for f in s.findings)
    cites = "".join(f"[{c}]" for c in s.citations)
    cited = "" if s.citation_supported is None else (" · citations support it" if s.citation_supported
                                                     else " · <b>citations do not support it</b>")
    return (
        f'<details class="s {s.verdict}" id="s{s.index}"><summary>{esc(s.text)} <sup>{cites}</sup></summary>'
        f'<div class=detail><p>{s.verdict} · faithfulness {s.faithfulness:.2f}{cited}</p>'
        f'{"<ul class=findings>" + findings + "</ul>" if findings else ""}<p>Evidence:</p><ol>{evidence}</ol></div></details>'
    )


def to_html(report: Report, title: str = "Faithfulness report") -> str:
    m = report.summary
    css = "".join(f".s.{k}{{background:{v}}}" for k, v in _COLOURS.items())
    metrics = (f"<div class=metrics><span>faithfulness <b>{m.faithfulness:.2f}</b></span>"
               f"<span>supported <b>{m.supported_ratio:.0%}</b></span>"
               f"<span>citation precision <b>{_pct(m.citation_precision)}</b></span>"
               f"<span>citation recall <b>{_pct(m.citation_recall)}</b></span>"
               + "".join(f"<span>{html.escape(k)} <b>{v}</b></span>" for k, v in m.counts.items()) + "</div>")
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>
body{{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}}
.metrics span{{display:inline-block;margin:0 1.2rem .5rem 0}}
details.s{{border-radius:4px;padding:.3rem .5rem;margin:.3rem 0;cursor:pointer}}
details.s summary{{list-style:none}} details.s[open]{{outline:1px solid #999}}
.detail{{font-size:13px;cursor:auto}} .score{{color:#555}} li.conflict{{color:#8b1a1a}}
{css}
</style></head><body>
<h1>{html.escape(title)}</h1>
{metrics}
{_chart(report.sentences)}
<p style="font-size:12px;color:#555">Click a sentence to see its evidence and findings. Green supported, amber unsupported, red contradicted.</p>
{"".join(_sentence_html(s) for s in report.sentences)}
<p style="font-size:12px;color:#777">Sources: {html.escape(", ".join(report.sources))} · judge: {html.escape(report.judge)}</p>
</body></html>
"""


def write_report(report: Report, path: str | Path, fmt: str | None = None) -> Path:
    """Write ``report`` as json, md or html (chosen from the suffix unless ``fmt`` is given)."""
    target = Path(path)
    kind = (fmt or target.suffix.lstrip(".") or "json").lower()
    render = {"json": report.to_json, "md": lambda: to_markdown(report), "markdown": lambda: to_markdown(report),
              "html": lambda: to_html(report)}
    if kind not in render:
        raise ValueError(f"unknown report format {kind!r}: use json, md or html")
    return write_atomic(target, render[kind]())
