"""What every command shares: the app, the two consoles, one-line errors, settings from flags, the progress bar."""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path
from typing import Callable

import typer
from rich.console import Console

from digest_core.errors import UserError
from digest_core.escape import terminal as escape  # data in a console line: no markup, no control sequences

from ..config import Settings
from ..credentials import RedactingStream, redact
from .progress import Bar

__all__ = ["UserError", "app", "err", "out", "escape", "friendly", "settings", "print_json", "report_problems",
           "bar", "write_output", "lm_scorer"]


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
# Everything printed goes through RedactingStream: a secret that reached a message is shown as ****.
# soft_wrap: one message, one line (no wrapping at 80 columns in pipes).
err = Console(file=RedactingStream("stderr"), highlight=False, soft_wrap=True)
out = Console(file=RedactingStream("stdout"), highlight=False, soft_wrap=True)

_STATE = {"debug": False}


# Every error a user can fix derives from UserError (digest_core/errors.py); an OSError names its file.
_KNOWN_ERRORS = (UserError, OSError)


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
            known = isinstance(exc, _KNOWN_ERRORS)
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




def bar(quiet: bool) -> Bar:
    """The progress bar of a command, on stderr; silent when quiet or not a terminal."""
    return Bar(err, quiet)


def write_output(path: Path, text: str) -> None:
    """``-`` is stdout; anything else is written atomically. Secrets are masked either way."""
    from digest_core.files import write_atomic

    if str(path) == "-":
        sys.stdout.write(redact(text))
        sys.stdout.flush()
    else:
        write_atomic(path, redact(text))


def lm_scorer():
    """The offline scorer with the SmolLM2 likelihood-ratio feature (fitted weights required)."""
    try:
        from evals.lm import LikelihoodRatio
        from evals.scorer import Scorer

        scorer = Scorer(lm=LikelihoodRatio(n_threads=settings().llama_threads))
        scorer.judge.model(True)  # fails here, before any scoring, when the LM weights are missing
    except (ImportError, FileNotFoundError, RuntimeError) as exc:
        raise UserError(f"--lm: {exc}") from None
    return scorer
