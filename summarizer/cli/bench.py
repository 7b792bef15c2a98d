"""`digest bench NAME`: every benchmark in benchmarks/ by its module name (``digest bench --list``).

The benchmarks sit above the library and this command line: they are loaded by name when asked for,
as plugins are, so nothing here imports them. A module with a ``COMMAND`` (FRANK, NeuS) brings its
own typer options; any other NAME runs ``benchmarks.NAME.main(args)`` with the arguments as given
(``digest bench NAME --help`` is its own).
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Optional

import click
import typer
from typer.core import TyperGroup

from .common import UserError, app, friendly, out


class _Benchmarks(TyperGroup):
    """The commands defined here, then one per module of the ``benchmarks`` package, found when asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        defined = list(super().list_commands(ctx))
        return defined + [name for name in _benchmarks().catalogue() if name not in defined]

    def get_command(self, ctx: click.Context, name: str) -> Optional[click.Command]:
        found = super().get_command(ctx, name)
        if found is not None:
            return found
        described = _benchmarks().catalogue()
        if name not in described:
            return None
        own = getattr(importlib.import_module(f"benchmarks.{name}"), "COMMAND", None)
        if own is not None:
            return own
        return click.Command(name, callback=friendly(lambda args: _run_script(name, args)), help=described[name],
                             params=[click.Argument(["args"], nargs=-1, type=click.UNPROCESSED)],
                             context_settings={"ignore_unknown_options": True}, add_help_option=False)


def _benchmarks() -> ModuleType:
    """The `benchmarks` package, loaded by name: it sits above the library and is absent from some installs."""
    try:
        return importlib.import_module("benchmarks")
    except ImportError:
        raise UserError("the benchmarks are not installed here; run `digest bench` from a checkout "
                        "(pip install -e .)") from None


def _run_script(name: str, args: tuple[str, ...]) -> None:
    raise typer.Exit(_benchmarks().run(name, list(args)))


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
    described = _benchmarks().catalogue()
    width = max(map(len, described))
    for name, line in described.items():
        out.print(f"{name:<{width}}  {line}", markup=False)
    raise typer.Exit(0)
