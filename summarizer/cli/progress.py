"""The one progress bar the command line draws, for every command and every benchmark.

It implements ``digest_core.progress.Progress`` (start, advance, warn), so it is passed as it is
wherever the library takes ``progress=``. It draws on the console it is given (stderr), only when
that is a terminal and the user did not ask for quiet; warnings are printed either way.
"""

from __future__ import annotations

from rich.console import Console

from digest_core.escape import terminal as escape  # data in a console line: no markup, no control sequences


class Bar:
    """A rich progress bar, one phase at a time: ``start`` replaces the previous phase's bar."""

    def __init__(self, console: Console, quiet: bool = False, *, transient: bool = True):
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        self.console = console
        self.enabled = not quiet and console.is_terminal
        self.progress = Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                                 TimeElapsedColumn(), console=console, transient=transient, disable=not self.enabled)
        self.task = None

    def __enter__(self) -> "Bar":
        self.progress.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        self.progress.__exit__(*exc)

    def start(self, label: str, total: int) -> None:
        if self.task is not None:
            self.progress.remove_task(self.task)
        self.task = self.progress.add_task(label, total=total)

    def advance(self, steps: int = 1) -> None:
        if self.task is not None:
            self.progress.advance(self.task, steps)

    def warn(self, message: str) -> None:
        self.console.print(f"[yellow]warning[/yellow] {escape(message)}")
