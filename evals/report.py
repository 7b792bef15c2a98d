"""Render a Report as JSON, a Markdown table, or one self-contained HTML page (no network)."""

from __future__ import annotations

import html
import re
from pathlib import Path

from digest_core.files import write_atomic  # noqa: F401 - re-exported for callers of evals.report
from digest_core.escape import markdown
from evals.records import Report, SentenceScore
from digest_core.text import STOPWORDS, content_stems, stem

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

_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’\-]*")
_CSS = """
:root{--ink:#1d232a;--muted:#5b6670;--line:#d9dee3;--panel:#f6f7f9;--accent:#2b5fab}
*{box-sizing:border-box}
body{font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);margin:0;background:#fff}
header,main,section.wide{max-width:76rem;margin:0 auto;padding:0 1.25rem}
header{padding-top:1.5rem}
h1{font-size:1.6rem;line-height:1.25;margin:.2rem 0 .8rem}
h2{font-size:1.05rem;margin:1.6rem 0 .6rem;text-transform:uppercase;letter-spacing:.04em;color:var(--muted)}
.kicker{color:var(--muted);font-size:.85rem;margin:0}
.metrics{display:grid;grid-template-columns:repeat(auto-fit,minmax(8.5rem,1fr));gap:.6rem;margin:.4rem 0 1rem}
.metric{background:var(--panel);border-radius:8px;padding:.5rem .75rem}
.metric b{display:block;font-size:1.35rem;line-height:1.2}
.metric span{font-size:.8rem;color:var(--muted)}
.chart{background:var(--panel);border-radius:8px;padding:.5rem .75rem}
.chart svg{display:block;width:100%;height:90px}
.legend{font-size:.82rem;color:var(--muted);margin:.5rem 0 0}
.legend i{display:inline-block;width:.8rem;height:.8rem;border-radius:2px;margin:0 .3rem 0 .8rem;vertical-align:-1px}
main{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:1.5rem;align-items:start}
.digest ol{list-style:none;padding:0;margin:0}
.s{display:block;font-size:1.05rem;line-height:1.55;border-radius:6px;padding:.45rem .7rem;margin:0 0 .45rem;
 cursor:pointer;border-left:5px solid transparent}
.s:hover,.s:focus{outline:2px solid var(--accent);outline-offset:1px}
.s.selected{outline:2px solid var(--ink)}
.s.supported{border-left-color:#4c9a3f}.s.unsupported{border-left-color:#d49a12}.s.contradicted{border-left-color:#c0392b}
.s sup{font-size:.7rem;color:var(--muted);margin-left:.1rem;white-space:nowrap}
#evidence{position:sticky;top:1rem;background:var(--panel);border-radius:10px;padding:.9rem 1rem;max-height:calc(100vh - 2rem);overflow:auto}
#evidence .hint{color:var(--muted);margin:0}
#evidence button.close{display:none}
.detail h3{font-size:1rem;margin:0 0 .4rem;line-height:1.4}
.verdict{display:inline-block;border-radius:999px;padding:0 .55rem;font-size:.8rem;font-weight:600;color:#fff}
.meta{font-size:.85rem;color:var(--muted);margin:.3rem 0 .6rem}
.passages{list-style:none;padding:0;margin:0}
.passages li{background:#fff;border:1px solid var(--line);border-radius:8px;padding:.5rem .65rem;margin:.5rem 0;font-size:.92rem}
.passages .src{font-size:.8rem;color:var(--muted);display:flex;justify-content:space-between;gap:.5rem}
mark{background:#ffe58a;border-radius:2px;padding:0 .08rem}
.findings{padding-left:1.1rem;font-size:.88rem;margin:.3rem 0}
.findings .conflict{color:#9b1c1c}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{text-align:left;padding:.4rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}
th{font-size:.78rem;color:var(--muted);text-transform:uppercase;letter-spacing:.03em}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.tag{display:inline-block;font-size:.75rem;border-radius:4px;padding:0 .35rem;background:#e7ebf0;margin:.1rem .2rem 0 0}
.tag.dup{background:#fde2c8}
.lists{display:grid;grid-template-columns:repeat(auto-fit,minmax(18rem,1fr));gap:1.25rem}
.lists ul{padding-left:1.1rem;margin:.3rem 0} .lists li{margin:.25rem 0;font-size:.92rem}
.foot{color:var(--muted);font-size:.8rem;margin:2rem auto 2rem}
.scroll{overflow-x:auto}
@media (max-width:760px){
 body{font-size:15px}
 header,main,section.wide{padding:0 .8rem}
 h1{font-size:1.3rem}
 main{display:block}
 .metric b{font-size:1.15rem}
 #evidence{position:fixed;left:0;right:0;bottom:0;top:auto;max-height:62vh;border-radius:14px 14px 0 0;
   box-shadow:0 -6px 24px rgba(0,0,0,.18);z-index:5;display:none;padding-top:2.2rem}
 body.open #evidence{display:block}
 #evidence button.close{display:block;position:absolute;top:.4rem;right:.6rem;font:inherit;font-size:.9rem;
   border:1px solid var(--line);background:#fff;border-radius:6px;padding:.1rem .6rem}
 .detail h3{display:none}
}
"""
_JS = """
(function(){
  var panel=document.getElementById('evidence'), narrow=window.matchMedia('(max-width:760px)');
  function show(i,pin){
    var d=document.getElementById('d'+i); if(!d) return;
    panel.querySelectorAll('.detail').forEach(function(x){x.hidden=x!==d;});
    panel.querySelector('.hint').hidden=true;
    document.querySelectorAll('.s.selected').forEach(function(x){x.classList.remove('selected');});
    document.getElementById('s'+i).classList.add('selected');
    document.body.dataset.selected=i;
    if(pin){document.body.classList.add('open');document.body.dataset.pinned=i;
      if(narrow.matches){var el=document.getElementById('s'+i);window.scrollTo(0,el.getBoundingClientRect().top+window.scrollY-8);}}
  }
  document.querySelectorAll('.s').forEach(function(el){
    var i=el.dataset.i;
    el.addEventListener('click',function(){show(i,true);});
    el.addEventListener('mouseenter',function(){if(!document.body.dataset.pinned)show(i,false);});
    el.addEventListener('focus',function(){show(i,false);});
    el.addEventListener('keydown',function(e){if(e.key==='Enter'||e.key===' '){e.preventDefault();show(i,true);}});
  });
  panel.querySelector('button.close').addEventListener('click',function(){
    document.body.classList.remove('open'); delete document.body.dataset.pinned;
  });
  document.addEventListener('keydown',function(e){if(e.key==='Escape'){document.body.classList.remove('open');}});
})();
"""


def highlight(passage: str, sentence: str) -> str:
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
    return "".join(out)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _chart(sentences: list[SentenceScore]) -> str:
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
    return (f'<svg viewBox="0 0 {width} {height}" preserveAspectRatio="none" role="img" '
            f'aria-label="faithfulness of each sentence, 0 to 1">'
            f'<line x1="0" x2="{width}" y1="{mid:.1f}" y2="{mid:.1f}" stroke="#9aa4ad" stroke-dasharray="4 4" '
            f'vector-effect="non-scaling-stroke"/>{"".join(rects)}</svg>')


def _detail_html(s: SentenceScore, corroboration: int | None) -> str:
    esc = html.escape
    passages = "".join(
        f'<li><div class=src><b>{esc(e.source)}</b><span>match {e.score:.2f}</span></div>{highlight(e.text, s.text)}</li>'
        for e in s.evidence
    ) or "<li>No source passage is close to this sentence.</li>"
    findings = "".join(
        f"<li class={'conflict' if f.conflict else 'missing'}><b>{esc(f.kind)}</b>: {esc(f.detail)}"
        + (f" <small>({esc(f.check)})</small>" if f.check else "")
        + (f"<br><small>evidence: {esc(f.evidence[:200])}</small>" if f.evidence else "") + "</li>"
        for f in s.findings)
    cited = ("" if s.citation_supported is None else
             " · its citations support it" if s.citation_supported else " · <b>its citations do not support it</b>")
    sources = "" if corroboration is None else f" · {_plural(corroboration, 'independent source')}"
    return (
        f'<div class=detail id="d{s.index}" data-verdict="{s.verdict}" hidden>'
        f'<h3>{s.index + 1}. {esc(s.text)}</h3>'
        f'<span class=verdict style="background:{_BARS[s.verdict]}">{s.verdict}</span>'
        f'<p class=meta>faithfulness {s.faithfulness:.2f}{cited}{sources}</p>'
        f'{"<ul class=findings>" + findings + "</ul>" if findings else ""}'
        f'<ul class=passages>{passages}</ul></div>'
    )


def _metrics_html(report: Report) -> str:
    m = report.summary
    neutrality = getattr(report, "neutrality", None) or {}
    cards = [("faithfulness", f"{m.faithfulness:.2f}"), ("supported", f"{m.supported_ratio:.0%}"),
             ("citation precision", _pct(m.citation_precision)), ("citation recall", _pct(m.citation_recall))]
    if m.coverage is not None:
        cards.append(("coverage", f"{m.coverage:.2f}"))
    if neutrality:
        cards.append(("loaded terms unattributed", str(neutrality.get("unattributed", 0))))
    cards.append(("sentences", str(len(report.sentences))))
    return "<div class=metrics>" + "".join(
        f"<div class=metric><b>{html.escape(v)}</b><span>{html.escape(k)}</span></div>" for k, v in cards) + "</div>"


def _sources_html(report: Report, panel: dict | None) -> str:
    """The sources table: the digest's own data when given, else what the report knows."""
    esc = html.escape
    by_source = (getattr(report, "coverage", None) or {}).get("by_source", {})
    cited_by = {name: 0 for name in report.sources}
    for s in report.sentences:
        for name in {e.source for e in s.evidence}:
            cited_by[name] = cited_by.get(name, 0) + 1
    rows = (panel or {}).get("sources") or [{"name": name} for name in report.sources]
    has_claims = any("claims" in r for r in rows)
    head = ["#", "source", "notes"] + (["claims", "corroborated"] if has_claims else []) + ["evidence for", "coverage"]
    body = []
    for i, row in enumerate(rows, 1):
        name = row["name"]
        tags = []
        if row.get("duplicate_of"):
            tags.append(f'<span class="tag dup">copy of {esc(row["duplicate_of"])}</span>')
        if row.get("comments"):
            tags.append("<span class=tag>reader comments kept apart</span>")
        title = f"<br><span class=meta>{esc(row['title'])}</span>" if row.get("title") else ""
        cov = by_source.get(name)
        cells = [str(i), f"<b>{esc(name)}</b>{title}", "".join(tags) or "-"]
        if has_claims:
            cells += [f"<td class=num>{row.get('claims', '-')}", f"<td class=num>{row.get('corroborated', '-')}"]
        cells += [f"<td class=num>{_plural(cited_by.get(name, 0), 'sentence')}", f"<td class=num>{'-' if cov is None else f'{cov:.0%}'}"]
        body.append("<tr>" + "".join(c if c.startswith("<td") else f"<td>{c}" for c in cells) + "</tr>")
    notes = (panel or {}).get("notes") or []
    return (
        "<h2>Sources</h2><div class=scroll><table><thead><tr>" + "".join(f"<th>{h}</th>" for h in head)
        + "</tr></thead><tbody>" + "".join(body) + "</tbody></table></div>"
        + ("<ul>" + "".join(f"<li>{esc(n)}</li>" for n in notes) + "</ul>" if notes else "")
    )


def _findings_html(report: Report) -> str:
    esc = html.escape
    neutrality = getattr(report, "neutrality", None) or {}
    coverage = getattr(report, "coverage", None) or {}
    terms = neutrality.get("loaded_terms", [])
    loaded = "".join(
        f"<li><b>{esc(t['text'])}</b> ({'attributed' if t['attributed'] else 'in the summary’s own voice'}): "
        f"{esc(t['sentence'])}</li>" for t in terms) or "<li>No loaded terms.</li>"
    subjective = "".join(f"<li>{esc(s)}</li>" for s in neutrality.get("subjective_sentences", []))
    parts = [f"<div><h2>Neutrality</h2><ul>{loaded}</ul>"
             + (f"<p class=meta>Sentences that read as opinion:</p><ul>{subjective}</ul>" if subjective else "")
             + "</div>"] if neutrality else []
    if coverage:
        missed = "".join(f"<li>{esc(c['text'])} <span class=meta>({_plural(len(c['sources']), 'source')})</span></li>"
                         for c in coverage.get("missed", []))
        parts.append(f"<div><h2>Coverage</h2><p class=meta>{len(coverage.get('covered', []))} of "
                     f"{len(coverage.get('covered', [])) + len(coverage.get('missed', []))} salient claims carried "
                     f"({esc(coverage.get('salient_rule', ''))}).</p>"
                     + (f"<p class=meta>Left out:</p><ul>{missed}</ul>" if missed else "") + "</div>")
    return f"<div class=lists>{''.join(parts)}</div>" if parts else ""


def to_html(report: Report, title: str = "Faithfulness report", sources_panel: dict | None = None) -> str:
    """One self-contained page: metrics, chart, sentences coloured by verdict, evidence on click, sources.

    ``sources_panel`` (optional, plain data) adds what only the caller knows: ``sources`` rows with
    ``name``, ``title``, ``duplicate_of``, ``claims``, ``corroborated``, ``comments``; ``sentence_sources``,
    the independent sources behind each sentence; ``notes``, lines shown under the table.
    """
    esc = html.escape
    colours = "".join(f".s.{k}{{background:{v}}}" for k, v in _COLOURS.items())
    legend = "".join(f'<i style="background:{_BARS[k]}"></i>{k} {report.summary.counts.get(k, 0)}' for k in _BARS)
    corroboration = (sources_panel or {}).get("sentence_sources") or []
    sentences = "".join(
        f'<li class="s {s.verdict}" id="s{s.index}" data-i="{s.index}" data-verdict="{s.verdict}" tabindex="0" '
        f'role="button">{esc(s.text)}<sup>{"".join(f"[{c}]" for c in s.citations)}</sup></li>'
        for s in report.sentences
    )
    details = "".join(_detail_html(s, corroboration[s.index] if s.index < len(corroboration) else None)
                      for s in report.sentences)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>{esc(title)}</title><style>{_CSS}{colours}</style></head><body>
<header><p class=kicker>Faithfulness report</p><h1>{esc(title)}</h1>
{_metrics_html(report)}
<div class=chart>{_chart(report.sentences)}<p class=legend>Faithfulness per sentence (dashed line 0.5):{legend}</p></div>
</header>
<main><section class=digest><h2>Summary</h2><ol>{sentences}</ol>
<p class="legend">Hover over or click a sentence to see the source passages behind it; highlighted words also occur in the sentence.</p></section>
<aside id=evidence aria-live=polite><button class=close type=button>close</button>
<p class=hint>Select a sentence to see its evidence.</p>{details}</aside></main>
<section class=wide>{_sources_html(report, sources_panel)}{_findings_html(report)}
<p class=foot>Written offline by digest's evaluator; this page loads nothing from the network.
Judge: {esc(report.judge)}</p></section>
<script>{_JS}</script>
</body></html>
"""


def write_report(report: Report, path: str | Path, fmt: str | None = None, *, title: str = "Faithfulness report",
                 sources_panel: dict | None = None) -> Path:
    """Write ``report`` as json, md or html (chosen from the suffix unless ``fmt`` is given)."""
    target = Path(path)
    return write_atomic(target, render_report(report, fmt or target.suffix.lstrip(".") or "json", title=title,
                                              sources_panel=sources_panel))


def render_report(report: Report, fmt: str, *, title: str = "Faithfulness report",
                  sources_panel: dict | None = None) -> str:
    """``report`` as the text of a json, md or html file."""
    kind = fmt.lower()
    render = {"json": report.to_json, "md": lambda: to_markdown(report), "markdown": lambda: to_markdown(report),
              "html": lambda: to_html(report, title=title, sources_panel=sources_panel)}
    if kind not in render:
        raise ValueError(f"unknown report format {kind!r}: use json, md or html")
    return render[kind]()
