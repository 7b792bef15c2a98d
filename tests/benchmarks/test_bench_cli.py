"""`digest bench`: every module of benchmarks/ is listed and runs by name, the same as its script form."""

from __future__ import annotations

import json
import subprocess
import sys

from benchmarks import catalogue
from benchmarks import NOT_BENCHMARKS
from tests.conftest import ROOT, run_cli

SAMPLE = ROOT / "tests" / "evals" / "data" / "frank_sample.jsonl"


def _benchmark_modules() -> set[str]:
    return {p.stem for p in (ROOT / "benchmarks").glob("*.py") if p.stem != "__init__" and p.stem not in NOT_BENCHMARKS}


def test_only_helpers_are_left_off_the_list():
    for name in NOT_BENCHMARKS:  # a runnable benchmark must never hide among the helpers
        assert "def main(" not in (ROOT / "benchmarks" / f"{name}.py").read_text(encoding="utf-8")


def test_list_names_every_benchmark_with_its_first_docstring_line(tmp_path):
    listed = run_cli("bench", "--list", cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    rows = dict(line.split(None, 1) for line in listed.stdout.splitlines())
    assert set(rows) == _benchmark_modules() == set(catalogue())
    assert rows["frank"].startswith("FRANK: score every summary") and all(rows.values())
    bare = run_cli("bench", cwd=tmp_path)  # no name: the same list
    assert bare.returncode == 0 and bare.stdout == listed.stdout


def test_every_benchmark_has_main_taking_argv():
    import importlib
    import inspect

    for name in _benchmark_modules():
        main = importlib.import_module(f"benchmarks.{name}").main
        assert list(inspect.signature(main).parameters) == ["argv"], name


def test_a_benchmark_runs_by_name_and_as_a_script_with_the_same_output(tmp_path):
    """frank_heldout needs no model: FRANK rows and {id, score} predictions in, figures out."""
    rows = [json.loads(line) for line in SAMPLE.read_text().splitlines()]
    predictions = tmp_path / "pred.jsonl"
    predictions.write_text("".join(json.dumps({"id": r["id"], "score": 0.9 if r["label"] else 0.2}) + "\n" for r in rows))
    args = [str(SAMPLE), str(predictions), "--holdout", "1.0"]
    by_name = run_cli("bench", "frank_heldout", *args, cwd=tmp_path)
    assert by_name.returncode == 0, by_name.stderr
    figures = json.loads(by_name.stdout)
    assert figures["summaries"] == len(rows) and figures["all"]["roc_auc"] == 1.0  # the scores separate the labels
    script = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "frank_heldout.py"), *args], cwd=tmp_path,
                            capture_output=True, text=True, timeout=300)
    assert script.returncode == 0, script.stderr
    assert script.stdout == by_name.stdout
    wrong = run_cli("bench", "frank_heldout", str(SAMPLE), cwd=tmp_path)  # a missing argument: argparse's exit 2
    assert wrong.returncode == 2 and "predictions" in wrong.stderr


def test_an_unknown_benchmark_is_refused(tmp_path):
    result = run_cli("bench", "nope", cwd=tmp_path)
    assert result.returncode == 2 and "nope" in result.stderr and "Traceback" not in result.stderr


def test_frank_script_form_is_the_command(tmp_path):
    """python benchmarks/frank.py is `digest bench frank`: the same one-line refusal of a missing file."""
    script = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "frank.py"), str(tmp_path / "nope.jsonl")],
                            cwd=tmp_path, capture_output=True, text=True, timeout=300)
    command = run_cli("bench", "frank", str(tmp_path / "nope.jsonl"), cwd=tmp_path)
    assert script.returncode == command.returncode == 2
    assert "no such file" in script.stderr and script.stderr == command.stderr
