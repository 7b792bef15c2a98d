"""`digest eval --cases`: many cases through the installed command, and the same cases through ragas."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from tests.conftest import run_cli

GOOD = "The Port City council voted 7 to 2 on Tuesday to approve a new bridge."
BAD = "The Port City council voted 3 to 6 on Friday to reject the bridge."
ELSEWHERE = "The weather in Lisbon was sunny on Monday, and tourists crowded the beaches."


@pytest.fixture(scope="module")
def rows(sources):
    contexts = [s.text for s in sources]
    return [
        {"id": "good", "user_input": "What happened?", "response": GOOD, "retrieved_contexts": contexts},
        {"id": "bad", "user_input": "What happened?", "response": BAD, "retrieved_contexts": contexts},
        # the faithful sentence again, but this case's only source is about something else: the
        # first case's sources must not support it here
        {"id": "other-sources", "summary": GOOD, "sources": [{"name": "lisbon.txt", "text": ELSEWHERE}]},
    ]


def _write_jsonl(path, rows, extra_lines=()):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows) + "".join(extra_lines), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def cases_run(tmp_path_factory, rows):
    """One real run over the file, with every output and a threshold."""
    tmp = tmp_path_factory.mktemp("cases")
    cases = _write_jsonl(tmp / "cases.jsonl", rows, ['{"id": "no-text"}\n', "{broken\n"])
    result = run_cli("eval", "--cases", str(cases), "--json", str(tmp / "r.json"), "--md", str(tmp / "r.md"),
                     "--junit-xml", str(tmp / "r.xml"), "--fail-under", "0.5", cwd=tmp)
    return tmp, result


def test_cases_json_has_one_entry_per_case_and_keeps_sources_apart(cases_run):
    tmp, result = cases_run
    assert result.returncode == 1, result.stderr  # "bad" and "other-sources" are under 0.5
    report = json.loads((tmp / "r.json").read_text(encoding="utf-8"))
    assert report["schema_version"] == "1"
    by_id = {c["id"]: c for c in report["cases"]}
    assert list(by_id) == ["good", "bad", "other-sources"]
    for case in by_id.values():
        assert set(case) >= {"faithfulness", "supported_ratio", "counts", "sentences"}
        assert case["sentences"][0]["verdict"] in ("supported", "unsupported", "contradicted")
    assert by_id["good"]["sentences"][0]["verdict"] == "supported" and by_id["good"]["faithfulness"] >= 0.5
    assert by_id["bad"]["faithfulness"] < 0.5
    assert by_id["other-sources"]["sentences"][0]["verdict"] != "supported"
    assert all(e["source"] == "lisbon.txt" for e in by_id["other-sources"]["sentences"][0]["evidence"])
    assert report["summary"]["failed"] == ["bad", "other-sources"]
    assert [(s["line"], s["id"]) for s in report["skipped"]] == [(4, "no-text"), (5, None)]
    assert "line 4" in result.stderr and "line 5" in result.stderr
    assert "2 of 3 cases under --fail-under 0.5" in result.stderr


def test_cases_junit_has_a_testcase_per_case_and_failures_with_the_sentences(cases_run):
    tmp, _ = cases_run
    suite = ET.parse(tmp / "r.xml").getroot().find("testsuite")
    cases = {c.get("name"): c for c in suite.findall("testcase")}
    assert list(cases) == ["good", "bad", "other-sources", "no-text", "line-5"]
    assert suite.get("failures") == "2" and suite.get("errors") == "2" and suite.get("tests") == "5"
    assert cases["good"].find("failure") is None
    failure = cases["bad"].find("failure")
    assert "below 0.5" in failure.get("message")
    assert BAD in failure.text and "number" in failure.text  # the sentence and the finding behind it
    assert cases["no-text"].find("error") is not None


def test_cases_markdown_is_a_job_summary(cases_run):
    tmp, _ = cases_run
    md = (tmp / "r.md").read_text(encoding="utf-8")
    assert "3 cases, 3 sentences" in md and "2 of 3 cases under 0.5" in md
    assert "| bad | 0.3" in md and "**FAIL**" in md
    assert "Port City council voted 3 to 6" in md


def test_cases_without_a_threshold_exit_0_and_stdin_to_stdout(tmp_path, rows):
    text = "".join(json.dumps(r) + "\n" for r in rows[:2])
    result = _run_with_stdin(tmp_path, text, "eval", "--cases", "-", "--json", "-")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)  # nothing but the JSON on stdout
    assert [c["id"] for c in report["cases"]] == ["good", "bad"]
    assert all(c["passed"] is None for c in report["cases"])


def _run_with_stdin(cwd, text, *args):
    import os
    import subprocess

    from tests.conftest import VENV_BIN

    return subprocess.run([str(VENV_BIN / "digest"), *args], cwd=cwd, input=text, capture_output=True, text=True,
                          timeout=600, env={**os.environ, "ANONYMIZED_TELEMETRY": "False"})


def test_bad_cases_file_is_one_line(tmp_path):
    (tmp_path / "c.csv").write_text("question,contexts_only\nq,x\n", encoding="utf-8")
    for args in (["--cases", "missing.jsonl"], ["--cases", "c.csv"], ["--cases", "c.csv", "--html", "x.html"]):
        result = run_cli("eval", *args, cwd=tmp_path)
        assert result.returncode == 2, (args, result.stderr)
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr, result.stderr


def test_ragas_metric_gives_the_scores_of_cases_offline(cases_run, rows, tmp_path):
    """ragas.evaluate with DigestFaithfulness: no LLM, no network (pytest-socket allows only loopback)."""
    from ragas import EvaluationDataset, evaluate

    from evals.integrations.ragas import DigestFaithfulness

    tmp, _ = cases_run
    expected = {c["id"]: c["faithfulness"] for c in json.loads((tmp / "r.json").read_text(encoding="utf-8"))["cases"]}
    ragas_rows = [{k: r[k] for k in ("user_input", "response", "retrieved_contexts")} for r in rows[:2]]
    dataset = EvaluationDataset.from_list(ragas_rows)
    result = evaluate(dataset, metrics=[DigestFaithfulness()], show_progress=False, raise_exceptions=True)
    scores = result.to_pandas()["digest_faithfulness"].tolist()
    assert scores == [expected["good"], expected["bad"]]
    assert scores[0] > scores[1]

    # the same dataset written by ragas as CSV reads back into --cases with the same scores
    dataset.to_csv(str(tmp_path / "ragas.csv"))
    result = run_cli("eval", "--cases", str(tmp_path / "ragas.csv"), "--json", "-", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert [c["faithfulness"] for c in json.loads(result.stdout)["cases"]] == scores
