"""One progress protocol for every long stage (ingest, grouping, scoring, digesting, benchmarks).

The library never prints: a stage reports to a ``Progress`` it is handed, and the CLI draws bars
from it. ``SILENT`` is the default, for library callers and tests.
"""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    def start(self, label: str, total: int) -> None:
        """A new phase of ``total`` steps begins."""

    def advance(self, steps: int = 1) -> None:
        """``steps`` more steps of the current phase are done."""

    def warn(self, message: str) -> None:
        """Something was skipped or degraded; one line, naming the file or item."""


class Silent:
    """A Progress that reports nothing."""

    def start(self, label: str, total: int) -> None:
        pass

    def advance(self, steps: int = 1) -> None:
        pass

    def warn(self, message: str) -> None:
        pass


SILENT: Progress = Silent()
