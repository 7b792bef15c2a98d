"""The pytest plugin in a real pytest run (pytester, in a subprocess), loaded the way users get it."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest

from evals.testing import FaithfulnessError

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parents[2]
GOOD = "The Port City council voted 7 to 2 on Tuesday to approve a new bridge."
BAD = "The Port City council voted 3 to 6 on Friday to reject the bridge."


@pytest.fixture
def installed_entry_point(tmp_path, monkeypatch):
    """The pytest11 entry point exactly as pyproject.toml declares it, in a dist-info on the path of the
    pytest subprocess: what `pip install` writes, without reinstalling the shared environment."""
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["entry-points"]["pytest11"]
    dist = tmp_path / "site" / "digest_entry_probe-0.0.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: digest-entry-probe\nVersion: 0.0\n", encoding="utf-8")
    (dist / "entry_points.txt").write_text(
        "[pytest11]\n" + "".join(f"{name} = {target}\n" for name, target in declared.items()), encoding="utf-8")
    path = os.pathsep.join(p for p in (str(tmp_path / "site"), str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    monkeypatch.setenv("PYTHONPATH", path)
    return declared


def _tests(pytester, source_paths, body: str):
    paths = ", ".join(f"r'{p}'" for p in source_paths)
    pytester.makepyfile(f"from pathlib import Path\nSOURCES = [Path(p) for p in ({paths},)]\n\n" + body)


def test_entry_point_gives_the_fixture_without_a_conftest_line(pytester, source_paths, installed_entry_point):
    assert list(installed_entry_point.values()) == ["evals.pytest_plugin"]
    _tests(pytester, source_paths, f'''
def test_good(assert_faithful):
    assert_faithful("{GOOD}", SOURCES, 0.5)

def test_bad(assert_faithful):
    assert_faithful("{BAD}", SOURCES, 0.5)
''')
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=1)
    out = result.stdout.str()
    assert FaithfulnessError.__name__ in out
    # the terminal summary names the failing test, the sentence and the finding behind the verdict
    summary = out[out.index("faithfulness: sentences that failed"):]
    assert "test_bad" in summary and "voted 3 to 6" in summary and "number" in summary
    assert "test_good" not in summary


def test_options_set_the_thresholds(pytester, source_paths, installed_entry_point):
    _tests(pytester, source_paths, f'''
def test_default_threshold(assert_faithful):
    assert_faithful("{GOOD}", SOURCES)
''')
    assert pytester.runpytest_subprocess("-p", "no:cacheprovider").ret == 0
    strict = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--faithfulness-min", "0.99")
    strict.assert_outcomes(failed=1)
    assert "< 0.99" in strict.stdout.str()
    covered = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--coverage-min", "0.9")
    covered.assert_outcomes(failed=1)  # one sentence cannot carry what both sources agree on
    assert "coverage" in covered.stdout.str() and "missed:" in covered.stdout.str()
    wrong = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--faithfulness-min", "high")
    assert wrong.ret != 0 and "expected a number between 0 and 1, got 'high'" in wrong.stderr.str()


def test_a_conftest_line_still_works(pytester, source_paths):
    pytester.makeconftest('pytest_plugins = ["evals.pytest_plugin"]')
    _tests(pytester, source_paths, f'''
def test_good(assert_faithful):
    assert_faithful("{GOOD}", SOURCES, 0.5)
''')
    result = pytester.runpytest_inprocess("-q", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
