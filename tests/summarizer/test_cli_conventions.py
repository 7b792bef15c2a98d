"""CLI conventions across commands: --version, digest schema, help text, one-line errors for bad values."""

from __future__ import annotations

import json

import jsonschema
import pytest

from tests.conftest import run_cli


def _one_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in stderr, stderr
    return lines[0]


def test_version(tmp_path):
    result = run_cli("--version", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.startswith("digest ") and "schema_version 1" in result.stdout


def test_schema_describes_what_eval_writes(tmp_path, source_paths_for_cli):
    schema = run_cli("schema", "report", cwd=tmp_path)
    assert schema.returncode == 0, schema.stderr
    summary = tmp_path / "s.md"
    summary.write_text("The Port City council voted 7 to 2 on Tuesday to approve a new bridge.\n", encoding="utf-8")
    result = run_cli("eval", str(summary), *(a for p in source_paths_for_cli for a in ("--sources", str(p))),
                     "--json", "-", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["schema_version"] == "1" and report["neutrality"]["rate"] >= 0 and "missed" in report["coverage"]
    jsonschema.validate(report, json.loads(schema.stdout))  # typed sections: the schema holds what is written
    with pytest.raises(jsonschema.ValidationError):  # and nothing untyped
        jsonschema.validate({**report, "extra": 1}, json.loads(schema.stdout))
    for name in ("cases", "digest"):
        assert "schema_version" in json.loads(run_cli("schema", name, cwd=tmp_path).stdout)["properties"]
    assert "choose report, cases, digest" in _one_line(run_cli("schema", "nope", cwd=tmp_path).stderr)


def test_json_alone_prints_json_for_eval_as_for_every_command(tmp_path, source_paths_for_cli):
    """--json means JSON on stdout everywhere; eval also takes a file after it (--json FILE)."""
    summary = tmp_path / "s.md"
    summary.write_text("The Port City council voted 7 to 2 on Tuesday to approve a new bridge.\n", encoding="utf-8")
    sources = [a for p in source_paths_for_cli for a in ("--sources", str(p))]
    last = run_cli("eval", str(summary), *sources, "--no-coverage", "--json", cwd=tmp_path)
    between = run_cli("eval", str(summary), "--json", *sources, "--no-coverage", cwd=tmp_path)
    to_file = run_cli("eval", str(summary), *sources, "--no-coverage", "--json", "r.json", cwd=tmp_path)
    for result in (last, between, to_file):
        assert result.returncode == 0, result.stderr
    assert json.loads(last.stdout)["sentences"] == json.loads(between.stdout)["sentences"]
    assert json.loads((tmp_path / "r.json").read_text())["sentences"] == json.loads(last.stdout)["sentences"]
    assert json.loads(run_cli("models", "--json", cwd=tmp_path).stdout)["schema_version"] == "1"


@pytest.fixture
def source_paths_for_cli():
    from pathlib import Path

    data = Path(__file__).resolve().parents[1] / "evals" / "data"
    return [data / "harbor_times.txt", data / "coastal_post.txt"]


def test_help_shows_brackets_defaults_and_no_bool_metavar(tmp_path):
    env = {"COLUMNS": "200"}
    run_help = run_cli("run", "--help", cwd=tmp_path, env=env).stdout
    assert "[n] markers" in run_help  # not swallowed as markup
    assert "[default: (./digest-out)]" in run_help and "[default: (.digest)]" in run_help
    assert "<bool>" not in run_help and "<bool>" not in run_cli("ingest", "--help", cwd=tmp_path, env=env).stdout
    assert "[default: (the one stored with the judge)]" in run_cli("bench", "frank", "--help", cwd=tmp_path, env=env).stdout


@pytest.mark.parametrize("args, env, expected", [
    (["run", "x", "--backend", "foo"], {}, ["--backend", "'local' or 'openai'"]),
    (["models"], {"DIGEST_BACKEND": "foo"}, ["DIGEST_BACKEND", "'local' or 'openai'"]),
    (["models"], {"DIGEST_QUIET": "maybe"}, ["DIGEST_QUIET", "use 1 or 0"]),
    (["models"], {"DIGEST_API_TIMEOUT": "soon"}, ["DIGEST_API_TIMEOUT", "use a number"]),
])
def test_a_bad_value_names_the_setting_and_what_to_write(tmp_path, args, env, expected):
    result = run_cli(*args, cwd=tmp_path, env=env)
    assert result.returncode == 2
    line = _one_line(result.stderr)
    assert all(e in line for e in expected), line
