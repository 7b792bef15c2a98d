"""JSON Lines, read one way: the cases file of `digest eval --cases` and the benchmarks' data files."""

from __future__ import annotations

import json
from typing import Any, Iterable, Iterator


def json_lines(lines: Iterable[str]) -> Iterator[tuple[int, Any]]:
    """(line number, value) for every line that is not blank, numbered from 1.

    A line that is not JSON gives a ``ValueError`` ("not valid JSON (why)") as its value instead of
    stopping the read, so the caller decides: skip that row, or refuse the whole file."""
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, ValueError(f"not valid JSON ({exc.msg})")
