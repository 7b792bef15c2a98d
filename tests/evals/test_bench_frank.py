import json
from pathlib import Path

from evals.bench_frank import format_table, run_frank

SAMPLE = Path(__file__).parent / "data" / "frank_sample.jsonl"


def test_run_frank_scores_every_summary_and_compares_with_peers(scorer, tmp_path):
    out = tmp_path / "scores.jsonl"
    result = run_frank(SAMPLE, out, progress=False, scorer=scorer)
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
