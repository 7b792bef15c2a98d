"""Render a Report as JSON, a Markdown table, or one self-contained HTML page (no network)."""

from __future__ import annotations

import html
import re
from functools import cache
from importlib import resources
from pathlib import Path

from jinja2 import Environment, FunctionLoader, StrictUndefined, Template
from markupsafe import Markup

from digest_core.escape import markdown
from digest_core.files import write_atomic  # noqa: F401 - re-exported for callers of evals.report
from digest_core.text import STOPWORDS, content_stems, stem
from evals.records import Report, SentenceScore, SourceRow, SourcesPanel

_COLOURS = {"supported": "#d8f0d2", "unsupported": "#fbe7b5", "contradicted": "#f7c6c5"}
_BARS = {"supported": "#4c9a3f", "unsupported": "#d49a12", "contradicted": "#c0392b"}


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
        findings = "; ".join(f.explain() for f in s.findings)
        cells = [str(s.index + 1), markdown(s.text), s.verdict, f"{s.faithfulness:.2f}", cited, markdown(ev),
                 markdown(findings)]  # data is escaped: no live HTML, links or table breaks from a source
        lines.append("| " + " | ".join(cells) + " |")
    from evals.report_extras import markdown_sections

    return "\n".join(lines) + "\n" + markdown_sections(report)


# --- HTML: one self-contained page (inline CSS, JS and SVG; nothing fetched) ------------------------------
# The page, its style and its script are files in evals/templates (package data), filled in by Jinja2.

_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’\-]*")


def _escape(value: object) -> object:
    # html.escape's entities (&quot; and &#x27;), as the page has always had them, not markupsafe's
    # (&#34;, &#39;): readers of the page match sentences by html.escape(text). Markup passes unchanged.
    return value if isinstance(value, Markup) or not isinstance(value, str) else Markup(html.escape(value))


def _template_source(name: str) -> str:
    return resources.files("evals").joinpath("templates", name).read_text(encoding="utf-8")


@cache
def _page() -> Template:
    env = Environment(loader=FunctionLoader(_template_source), autoescape=True, finalize=_escape,
                      keep_trailing_newline=True, undefined=StrictUndefined)
    return env.get_template("report.html.j2")


def highlight(passage: str, sentence: str) -> Markup:
    """``passage`` as HTML with its content words that also occur in ``sentence`` wrapped in <mark>."""
    wanted = set(content_stems(sentence))
    out, last = [], 0
    for match in _TOKEN.finditer(passage):
        word = match.group(0).lower()
        if word in STOPWORDS or len(word) < 2 or stem(word) not in wanted:
            continue
        out += [html.escape(passage[last:match.start()]), f"<mark>{html.escape(match.group(0))}</mark>"]
        last = match.end()
    out.append(html.escape(passage[last:]))
    return Markup("".join(out))


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _chart(sentences: list[SentenceScore]) -> Markup:
    """Inline SVG bars, one per sentence, height = faithfulness; a dashed line at 0.5."""
    n = max(len(sentences), 1)
    width, height, top = 600, 90, 6
    bar = width / n
    rects = []
    for i, s in enumerate(sentences):
        h = max(s.faithfulness * (height - top), 1.5)
        rects.append(
            f'<rect x="{i * bar + bar * 0.12:.1f}" y="{height - h:.1f}" width="{bar * 0.76:.1f}" height="{h:.1f}" '
            f'rx="2" fill="{_BARS[s.verdict]}" data-i="{s.index}"><title>sentence {s.index + 1}: {s.verdict}, '
            f'faithfulness {s.faithfulness:.2f}</title></rect>'
        )
    mid = height - 0.5 * (height - top)
    return Markup(f'<svg viewBox="0 0 {width} {height}" preserveAspectRatio="none" role="img" '
                  f'aria-label="faithfulness of each sentence, 0 to 1">'
                  f'<line x1="0" x2="{width}" y1="{mid:.1f}" y2="{mid:.1f}" stroke="#9aa4ad" stroke-dasharray="4 4" '
                  f'vector-effect="non-scaling-stroke"/>{"".join(rects)}</svg>')


def _metrics(report: Report) -> list[tuple[str, str]]:
    m = report.summary
    cards = [("faithfulness", f"{m.faithfulness:.2f}"), ("supported", f"{m.supported_ratio:.0%}"),
             ("citation precision", _pct(m.citation_precision)), ("citation recall", _pct(m.citation_recall))]
    if m.coverage is not None:
        cards.append(("coverage", f"{m.coverage:.2f}"))
    if report.neutrality is not None:
        cards.append(("loaded terms unattributed", str(report.neutrality.unattributed)))
    return cards + [("sentences", str(len(report.sentences)))]


def _source_rows(report: Report, panel: SourcesPanel) -> list[dict]:
    """The sources table: the caller's rows when given, else the report's source names; with the
    sentences each source gives evidence for, and its coverage."""
    by_source = report.coverage.by_source if report.coverage is not None else {}
    cited_by = {name: 0 for name in report.sources}
    for s in report.sentences:
        for name in {e.source for e in s.evidence}:
            cited_by[name] = cited_by.get(name, 0) + 1
    rows = panel.sources or [SourceRow(name=name) for name in report.sources]
    return [{**row.model_dump(), "evidence_for": _plural(cited_by.get(row.name, 0), "sentence"),
             "coverage": "-" if by_source.get(row.name) is None else f"{by_source[row.name]:.0%}"} for row in rows]


def to_html(report: Report, title: str = "Faithfulness report",
            sources_panel: SourcesPanel | dict | None = None) -> str:
    """One self-contained page: metrics, chart, sentences coloured by verdict, evidence on click, sources.

    ``sources_panel`` (optional, a ``SourcesPanel`` or the same as plain data) adds what only the caller
    knows: ``sources`` rows with ``name``, ``title``, ``duplicate_of``, ``claims``, ``corroborated``,
    ``comments``; ``sentence_sources``, the independent sources behind each sentence; ``notes``, lines
    shown under the table.
    """
    panel = SourcesPanel.model_validate(sources_panel or {})
    corroboration = panel.sentence_sources
    details = [{"s": s, "highlighted": [highlight(e.text, s.text) for e in s.evidence],
                "sources": (None if s.index >= len(corroboration) or corroboration[s.index] is None
                            else _plural(corroboration[s.index], "independent source"))}
               for s in report.sentences]
    rows = _source_rows(report, panel)
    has_claims = any(row["claims"] is not None for row in rows)
    head = ["#", "source", "notes"] + (["claims", "corroborated"] if has_claims else []) + ["evidence for", "coverage"]
    return _page().render(
        title=title, colours=_COLOURS, bars=_BARS, counts=report.summary.counts, metrics=_metrics(report),
        chart=_chart(report.sentences), sentences=report.sentences, details=details, source_head=head,
        source_rows=rows, has_claims=has_claims, notes=panel.notes, neutrality=report.neutrality,
        coverage=report.coverage, judge=report.judge, plural=_plural,
    )


def write_report(report: Report, path: str | Path, fmt: str | None = None, *, title: str = "Faithfulness report",
                 sources_panel: SourcesPanel | dict | None = None) -> Path:
    """Write ``report`` as json, md or html (chosen from the suffix unless ``fmt`` is given)."""
    target = Path(path)
    return write_atomic(target, render_report(report, fmt or target.suffix.lstrip(".") or "json", title=title,
                                              sources_panel=sources_panel))


def render_report(report: Report, fmt: str, *, title: str = "Faithfulness report",
                  sources_panel: SourcesPanel | dict | None = None) -> str:
    """``report`` as the text of a json, md or html file."""
    kind = fmt.lower()
    render = {"json": report.to_json, "md": lambda: to_markdown(report), "markdown": lambda: to_markdown(report),
              "html": lambda: to_html(report, title=title, sources_panel=sources_panel)}
    if kind not in render:
        raise ValueError(f"unknown report format {kind!r}: use json, md or html")
    return render[kind]()
