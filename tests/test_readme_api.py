"""The README's Python API section: every example runs as written, from a folder holding the seeds."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _examples() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## Python API"):]
    section = section[: section.index("\n## ", 1)]
    return re.findall(r"```python\n(.*?)```", section, re.S)


def _env() -> dict[str, str]:
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, "PYTHONPATH": path, "ANONYMIZED_TELEMETRY": "False", "RAGAS_DO_NOT_TRACK": "true"}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    return tmp_path


def test_the_section_has_every_promised_example():
    blocks = _examples()
    joined = "\n".join(blocks)
    for needle in ("score_summary", "score_cases", "DigestFaithfulness", "digest_faithfulness", "assert_faithful",
                   "run_digest", "as_retriever"):
        assert needle in joined, needle
    assert len(blocks) == 6


@pytest.mark.slow
def test_library_examples_run(folder: Path):
    scripts = [b for b in _examples() if "def test_" not in b]
    program = "\n".join(f"print('=== example {k}')\n{b}" for k, b in enumerate(scripts))
    result = subprocess.run([sys.executable, "-c", program], cwd=folder, env=_env(), capture_output=True, text=True,
                            timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    outputs = result.stdout.split("=== example ")[1:]
    assert len(outputs) == len(scripts)
    faithfulness, verdict = outputs[0].split("\n", 1)[1].split()[:2]
    assert 0.0 <= float(faithfulness) <= 1.0 and verdict in ("supported", "unsupported", "contradicted")
    assert "('a'," in outputs[1] and "['b']" in outputs[1]  # the rejected bridge fails, the approved one passes
    assert "digest_faithfulness" in outputs[2]
    assert outputs[3].split("\n", 1)[1].split()[0] != "None"
    assert ".txt" in outputs[4]  # the digest's sentences came out, then the retriever named source files


def test_pytest_example_runs_under_the_plugin(folder: Path):
    (test_file,) = [b for b in _examples() if "def test_" in b]
    (folder / "test_example.py").write_text(test_file, encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "evals.pytest_plugin", "-p", "no:cacheprovider",
                             "test_example.py"], cwd=folder, env=_env(), capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "1 passed" in result.stdout
