"""The distribution's registry name, written once (digest_core.distribution) and looked up by that name; the
command and the import packages keep theirs. Checked without reinstalling the shared environment."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

from digest_core.distribution import DISTRIBUTION

from ..conftest import run_cli

ROOT = Path(__file__).resolve().parents[2]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def test_pyproject_names_the_distribution_the_code_looks_up_and_keeps_the_command():
    assert PROJECT["name"] == DISTRIBUTION != "digest"  # `digest` is someone else's on the registry
    assert PROJECT["scripts"] == {"digest": "summarizer.cli:main"}


def test_version_is_read_from_the_metadata_installed_under_that_name(tmp_path):
    # What `pip install` writes for this project, on the path ahead of the shared environment's own install;
    # the version is one no real install has, so only a lookup by this name can print it.
    dist = tmp_path / "site" / f"{DISTRIBUTION.replace('-', '_')}-9.9.9.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {DISTRIBUTION}\nVersion: 9.9.9\n", encoding="utf-8")
    path = os.pathsep.join(p for p in (str(tmp_path / "site"), str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    result = run_cli("--version", cwd=tmp_path, env={"PYTHONPATH": path})
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("digest 9.9.9 (output schema_version ")
