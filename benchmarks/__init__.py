"""The benchmarks: one module per benchmark, each with ``main(argv) -> int``.

Each runs two ways with the same options and output: ``digest bench NAME [args]`` (the installed
command; ``digest bench --list`` names them all) and ``python benchmarks/NAME.py [args]`` from a
checkout (each script's first lines put the checkout on ``sys.path``, so ``benchmarks.common`` and
the other benchmarks are package imports either way; ``python -m benchmarks.NAME`` works too).
Progress bars go to stderr, results to stdout, files are written atomically (``benchmarks.common``).
"""

from __future__ import annotations

import ast
import importlib
from functools import lru_cache
from pathlib import Path

HERE = Path(__file__).resolve().parent
NOT_BENCHMARKS = {"common", "stress_set"}  # shared helpers and the stress set's reader, not runnable


@lru_cache(maxsize=1)
def catalogue() -> dict[str, str]:
    """Benchmark name -> the first line of its module docstring, read without importing it."""
    found = {}
    for path in sorted(HERE.glob("*.py")):
        name = path.stem
        if name.startswith("_") or name in NOT_BENCHMARKS:
            continue
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
        found[name] = doc.strip().splitlines()[0] if doc.strip() else ""
    return found


def run(name: str, argv: list[str]) -> int:
    """Run benchmark ``name`` with ``argv``; its exit code."""
    module = importlib.import_module(f"benchmarks.{name}")
    return int(module.main(argv) or 0)
