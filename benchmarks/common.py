"""What every benchmark shares: the checkout's paths, the progress bar, and one way to write results.

Progress goes to stderr (the command line's own bar, a ``digest_core.progress.Progress``), figures
to stdout (a table or JSON), and a file of results (``--out``/``--json FILE``) is written atomically,
so a run cut short never leaves half a file where a whole one was.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]  # the checkout: seeds/, benchmarks/stress/
SEEDS = ROOT / "seeds"


def progress_bar(quiet: bool = False):
    """The command line's progress bar on stderr (use it as a context manager); silent when quiet or not a TTY."""
    from summarizer.cli.common import bar

    return bar(quiet)


def llama_threads() -> int | None:
    """The user's llama.cpp thread count (``DIGEST_LLAMA_THREADS``, through the settings), for the LM signal."""
    from summarizer.config import Settings

    return Settings().llama_threads


def digest_command() -> str:
    """The `digest` command installed beside this Python (benchmarks that time it as a user runs it)."""
    return str(Path(sys.executable).parent / "digest")


def write_text(path: str | Path, text: str) -> Path:
    """Write a result file atomically (a temporary file, then a rename)."""
    from digest_core.files import write_atomic

    return write_atomic(path, text)


def write_json(path: str | Path, data: Any, indent: int = 2) -> Path:
    """Figures as JSON in a file, atomically, with a final newline."""
    return write_text(path, json.dumps(data, indent=indent) + "\n")


def write_jsonl(path: str | Path, rows, ensure_ascii: bool = True) -> Path:
    """One JSON object a line, atomically."""
    return write_text(path, "".join(json.dumps(row, ensure_ascii=ensure_ascii) + "\n" for row in rows))


def print_json(data: Any, indent: int = 2) -> None:
    """Figures as JSON on stdout."""
    print(json.dumps(data, indent=indent))


def emit(data: Any, path: str | Path | None = None) -> int:
    """A benchmark's figures: JSON on stdout, and in ``path`` too when given (atomically); the exit status 0."""
    print_json(data)
    if path:
        write_json(path, data)
    return 0


def read_jsonl(path: str | Path) -> list[dict]:
    """The rows of a JSON Lines data file (NeuS, FRANK), blank lines skipped."""
    with Path(path).open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def command(name: str, function):
    """A benchmark's command-line command, with typer options like the other `digest` commands. A module that
    defines ``COMMAND = command(...)`` gets it as `digest bench NAME` and, through ``run``, as its script form."""
    import typer

    app = typer.Typer(add_completion=False)
    app.command(name)(function)
    made = typer.main.get_command(app)
    made.name = name
    return made


def run(made, argv: list[str]) -> int:
    """Run a ``command`` with ``argv`` in this process; its exit code."""
    try:
        made.main(args=argv, prog_name=f"digest bench {made.name}")
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return 0


def argument_parser(script: str, doc: str | None) -> argparse.ArgumentParser:
    """A benchmark's argument parser: named as `digest bench NAME`, described by its docstring's first paragraph."""
    return argparse.ArgumentParser(prog=f"digest bench {Path(script).stem}",
                                   description=(doc or "").split("\n\n")[0].strip(),
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
