"""The command line: parse, call the library, print. No logic of its own.

One module per group of commands, each registering on the one ``app`` of ``common``: the digest
(ingest, run, stories, batch), ``eval``, what is installed (models, schema, doctor) and ``bench``.
Their order of import is the order ``digest --help`` lists them in.
"""

from __future__ import annotations

import sys

from . import digest, evaluate, check, bench  # noqa: F401,I001 - registers the commands, in this order
from .common import UserError, app

__all__ = ["UserError", "app", "main", "with_json_defaults"]


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


def main(argv: list[str] | None = None) -> None:
    """The `digest` command; ``argv`` in place of the process's arguments."""
    app(args=with_json_defaults(sys.argv[1:] if argv is None else list(argv)))
