"""The command line: parse, call the library, print. No logic of its own."""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path
from typing import Callable, Optional

import typer
from rich.console import Console

from .config import Settings

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Neutral, cited digests of news clusters, and a faithfulness evaluator.")
bench_app = typer.Typer(no_args_is_help=True, help="Benchmarks with human labels (FRANK, NeuS).")
app.add_typer(bench_app, name="bench")
err = Console(stderr=True, highlight=False)
out = Console(highlight=False)

_STATE = {"debug": False}


class UserError(Exception):
    """Anything the user can fix; printed as one line, never a traceback."""


def _known_errors() -> tuple[type[BaseException], ...]:
    from evals.embedding import EmbeddingModelError

    from .stores import StoreError

    errors: list[type[BaseException]] = [UserError, StoreError, EmbeddingModelError, OSError]
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
            err.print(f"[red]{prefix}:[/red] {message}" + ("" if known else " (rerun with --debug for details)"))
            raise typer.Exit(2)

    return wrapper


@app.callback()
def main_options(
    debug: bool = typer.Option(False, "--debug", help="show tracebacks"),
) -> None:
    _STATE["debug"] = debug


def settings(**overrides) -> Settings:
    return Settings(**{k: v for k, v in overrides.items() if v is not None})


def report_problems(skipped, warnings) -> None:
    for item in skipped:
        err.print(f"[yellow]skipped[/yellow] {item.path}: {item.reason}")
    for warning in warnings:
        err.print(f"[yellow]warning[/yellow] {warning}")


@app.command()
@friendly
def ingest(
    paths: list[Path] = typer.Argument(..., help="files or folders (.txt, .md, .html)"),
    store: Optional[Path] = typer.Option(None, "--store", help="embedded store directory [default: .digest]"),
    chroma_url: Optional[str] = typer.Option(None, "--chroma-url", help="Chroma server URL, e.g. http://127.0.0.1:8000"),
    as_json: bool = typer.Option(False, "--json", help="print the result as JSON"),
    quiet: bool = typer.Option(False, "--quiet", "-q"),
) -> None:
    """Clean, split and index documents into the passage store."""
    from .ingest import ingest as run_ingest
    from .stores import open_store

    cfg = settings(store=store, chroma_url=chroma_url, quiet=quiet or None)
    passage_store = open_store(cfg.store, cfg.chroma_url, cfg.collection)
    result, _ = run_ingest(
        paths,
        passage_store,
        max_bytes=int(cfg.max_file_mb * 1024 * 1024),
        lock_dir=None if cfg.chroma_url else cfg.store,
    )
    report_problems(result.skipped, result.warnings)
    if as_json:
        print(json.dumps(result.model_dump(mode="json"), indent=2))
    elif not cfg.quiet:
        out.print(
            f"{result.documents} documents, {result.chunks_added} passages added, "
            f"{result.chunks_total} in {passage_store.description}"
        )
    if result.documents == 0:
        err.print("[red]error:[/red] nothing usable to ingest")
        raise typer.Exit(1)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
