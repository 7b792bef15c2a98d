"""`digest bench NAME`: every benchmark in benchmarks/ by its module name (``digest bench --list``).

FRANK and NeuS have their options here, as every other command does; any other NAME runs
``benchmarks.NAME.main(args)`` with the arguments as given (``digest bench NAME --help`` is its own).
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import click
import typer
from typer.core import TyperGroup

from .common import UserError, app, bar, escape, friendly, lm_scorer, out, print_json, settings


class _Benchmarks(TyperGroup):
    """The commands defined here, then one per module of the ``benchmarks`` package, found when asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        from benchmarks import catalogue

        defined = list(super().list_commands(ctx))
        return defined + [name for name in catalogue() if name not in defined]

    def get_command(self, ctx: click.Context, name: str) -> Optional[click.Command]:
        found = super().get_command(ctx, name)
        if found is not None:
            return found
        from benchmarks import catalogue

        described = catalogue()
        if name not in described:
            return None
        return click.Command(name, callback=friendly(lambda args: _run_script(name, args)), help=described[name],
                             params=[click.Argument(["args"], nargs=-1, type=click.UNPROCESSED)],
                             context_settings={"ignore_unknown_options": True}, add_help_option=False)


def _run_script(name: str, args: tuple[str, ...]) -> None:
    from benchmarks import run

    raise typer.Exit(run(name, list(args)))


bench_app = typer.Typer(cls=_Benchmarks, invoke_without_command=True,
                        help="Benchmarks: FRANK and NeuS with human labels, and every script of benchmarks/ by name.")
app.add_typer(bench_app, name="bench")


@bench_app.callback()
def bench_list(
    ctx: typer.Context,
    list_them: bool = typer.Option(False, "--list", help="list the benchmarks, one line each, and exit"),
) -> None:
    """Benchmarks: FRANK and NeuS with human labels, and every script of benchmarks/ by name (--list)."""
    if ctx.invoked_subcommand is not None and not list_them:
        return
    from benchmarks import catalogue

    described = catalogue()
    width = max(map(len, described))
    for name, line in described.items():
        out.print(f"{name:<{width}}  {line}", markup=False)
    raise typer.Exit(0)


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
    from benchmarks.common import write_json
    from benchmarks.neus import PARTS, format_summary, run_neus

    if not file.is_file():
        raise UserError(f"{file}: no such file")
    if part not in PARTS:
        raise UserError(f"--part {part!r}: choose {', '.join(PARTS)}")
    cfg = settings(quiet=quiet or None)
    with bar(cfg.quiet) as progress:
        result = run_neus(file, cfg, limit=limit, part=part, sample=sample, max_sentences=max_sentences,
                          max_words=max_words, coverage=coverage, out=out_file, progress=progress)
    if json_out is not None:
        write_json(json_out, result)
    out.print(format_summary(result), markup=False)  # figures only, no text from the data


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
    from benchmarks.frank import FrankFormatError, format_table, read_jsonl, run_frank

    if not file.is_file():
        raise UserError(f"{file}: no such file")
    if aggregate not in (None, "mean", "min", "geo"):
        raise UserError(f"--aggregate {aggregate!r}: choose mean, min or geo")
    try:
        rows = read_jsonl(file)  # checked before the models load
    except FrankFormatError as exc:
        raise UserError(str(exc)) from None
    scorer = lm_scorer() if lm else None
    with bar(quiet) as progress:
        result = run_frank(file, out_file, progress=progress, scorer=scorer, how=aggregate, rows=rows)
    if as_json:
        print_json(result)
        return
    out.print(f"{result['summaries']} summaries in {result['seconds']} s; aggregate={result['aggregate']}; "
              f"lm={result['lm']}; bal.acc (fixed thr) uses the threshold stored from FRANK validation")
    out.print("\n".join(escape(line, markup=False) for line in format_table(result).splitlines()), markup=False)
