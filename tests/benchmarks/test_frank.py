import json
from pathlib import Path

import pytest

from benchmarks.frank import format_table, run_frank

SAMPLE = Path(__file__).resolve().parents[1] / "evals" / "data" / "frank_sample.jsonl"


def test_run_frank_scores_every_summary_and_compares_with_peers(scorer, tmp_path):
    out = tmp_path / "scores.jsonl"
    result = run_frank(SAMPLE, out, scorer=scorer)
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert [line["id"] for line in lines] == [json.loads(r)["id"] for r in SAMPLE.read_text().splitlines()]
    scores = {line["id"]: line["score"] for line in lines}
    # Hand-made pairs: the faithful summary of each article outscores its planted-error twin.
    assert scores["cnndm-a1-good"] > scores["cnndm-a1-bad"]
    assert scores["bbc-a2-good"] > scores["bbc-a2-bad"]
    assert scores["cnndm-a1-good"] > scores["cnndm-a1-half"]
    cnndm = result["datasets"]["cnndm"]
    assert set(cnndm) == {"digest", "FactCC", "Rouge L"}
    assert cnndm["digest"]["n"] == 3 and cnndm["Rouge L"]["n"] == 2  # missing peer scores are skipped, not zeroed
    assert 0.0 <= cnndm["digest"]["roc_auc"] <= 1.0
    assert "balanced_accuracy_fixed" in result["datasets"]["bbc"]["digest"]
    assert "| **digest** |" in format_table(result)


def test_cli_bench_frank_prints_each_dataset_beside_its_peers(tmp_path):
    from typer.testing import CliRunner

    from summarizer.cli import app

    out = tmp_path / "pred.jsonl"
    result = CliRunner().invoke(app, ["bench", "frank", str(SAMPLE), "--out", str(out), "--no-lm", "--quiet"])
    assert result.exit_code == 0, result.output
    for heading in ("### cnndm", "### bbc", "### all"):
        assert heading in result.output
    assert "| FactCC |" in result.output and "| **digest** |" in result.output
    assert len(out.read_text().splitlines()) == len(SAMPLE.read_text().splitlines())
    missing = CliRunner().invoke(app, ["bench", "frank", str(tmp_path / "nope.jsonl"), "--no-lm"])
    assert missing.exit_code != 0 and "no such file" in missing.output


def test_stored_aggregate_and_thresholds_are_used_per_dataset(scorer):
    model = scorer.judge.model(False)
    result = run_frank(SAMPLE, None, scorer=scorer)
    for ds in ("cnndm", "bbc"):
        assert result["datasets"][ds]["digest"]["fixed_threshold"] == model.frank_thresholds[ds]
        assert f"{ds}: {model.aggregate_by_dataset.get(ds, model.aggregate)}" in result["aggregate"]


@pytest.mark.slow
def test_run_frank_with_the_lm_signal_keeps_faithful_summaries_ahead():
    pytest.importorskip("llama_cpp")
    from evals.lm import LikelihoodRatio
    from evals.scorer import Scorer

    scorer = Scorer(lm=LikelihoodRatio(n_threads=1))
    lm_model = scorer.judge.model(True)
    result = run_frank(SAMPLE, None, scorer=scorer)
    assert result["lm"] is True
    for ds in ("cnndm", "bbc"):
        assert result["datasets"][ds]["digest"]["fixed_threshold"] == lm_model.frank_thresholds[ds]
    per = {r["id"]: r for r in map(json.loads, SAMPLE.read_text().splitlines())}
    from benchmarks.frank import aggregate, sentence_scores

    items = sentence_scores(list(per.values()), scorer)
    assert all("lm" in s["features"] for v in items.values() for s in v)
    mean = {rid: aggregate([s["p"] for s in v], "mean") for rid, v in items.items()}
    assert mean["cnndm-a1-good"] > mean["cnndm-a1-bad"]
    assert mean["bbc-a2-good"] > mean["bbc-a2-bad"]


@pytest.mark.parametrize("bad_line, says", [
    ("not json", "line 3: not valid JSON"),
    ('{"id": "x", "dataset": "cnndm", "summary_sentences": ["A."], "factuality": 1, "label": 1}', "line 3: field 'article'"),
    ('["a list"]', "line 3: expected a JSON object"),
])
def test_a_bad_line_is_named_and_nothing_is_scored(tmp_path, bad_line, says):
    from tests.conftest import run_cli

    rows = SAMPLE.read_text().splitlines()[:2]
    bad = tmp_path / "bad.jsonl"
    bad.write_text("\n".join(rows + [bad_line]) + "\n")
    out = tmp_path / "scores.jsonl"
    result = run_cli("bench", "frank", str(bad), "--no-lm", "-q", "--out", str(out), cwd=tmp_path)
    assert result.returncode != 0
    message = result.stderr.strip() + result.stdout.strip()
    assert len(message.splitlines()) == 1 and "Traceback" not in message
    assert str(bad) in message and says in message and "nothing scored" in message
    assert not out.exists()
