"""The name the package registry knows this project by, and the version installed under it.

`digest` was taken on the registry, so the distribution is `neutral-digest`; the command stays `digest`
and the import packages keep their names. Everything that asks the installed metadata goes through here,
so the name is written once (a test checks it against pyproject.toml).
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

DISTRIBUTION = "neutral-digest"


def installed_version() -> str | None:
    """The installed version, or None when running from a source tree that was never installed."""
    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:
        return None
