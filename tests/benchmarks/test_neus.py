"""`digest bench neus`: the parts and samples it reads, and the figures it computes."""

from __future__ import annotations

import json

import pytest

from digest_core.embedding import default_embedder
from evals.rouge import rouge_l, rouge_n
from benchmarks.neus import fallback_kind, format_summary, lead, loaded_per_100_words, pick, summarize

from ..conftest import run_cli


def _rows(n: int) -> list[dict]:
    return [{"id": f"neus-val-{i}", "documents": [], "reference": {"text": ""}} for i in range(n)]


def test_parts_split_by_parity_and_a_sample_is_always_the_same_clusters():
    rows = _rows(10)
    assert [r["id"] for r in pick(rows, "tune")] == [f"neus-val-{i}" for i in (0, 2, 4, 6, 8)]
    assert [r["id"] for r in pick(rows, "heldout", 2)] == ["neus-val-1", "neus-val-3"]
    assert pick(rows, "heldout", 2) == pick(list(rows), "heldout", 2)
    assert len(pick(rows)) == 10
    with pytest.raises(ValueError):
        pick(rows, "test")


def test_rouge_n_counts_clipped_overlap():
    reference = "the cat sat on the mat"
    assert rouge_n(reference, reference, 1) == 1.0 == rouge_n(reference, reference, 2)
    # "the the the": unigram overlap clipped at the reference's two "the" -> P 2/3, R 2/6.
    assert rouge_n("the the the", reference, 1) == pytest.approx(2 * (2 / 3) * (2 / 6) / (2 / 3 + 2 / 6))
    assert rouge_n("cat sat", reference, 2) == pytest.approx(2 * 1.0 * 0.2 / 1.2)
    assert rouge_n("dog", reference, 1) == 0.0
    assert rouge_l("the cat on", reference) == pytest.approx(2 * 1.0 * 0.5 / 1.5)


def test_lead_is_the_first_three_sentences():
    text = "The vote passed. The mayor spoke. Protesters left. The council adjourned."
    assert lead(text) == "The vote passed. The mayor spoke. Protesters left."


def test_loaded_words_are_counted_per_hundred_words():
    embedder = default_embedder()
    assert loaded_per_100_words("The council approved the budget on Tuesday after a long debate.", embedder) == 0.0
    rate = loaded_per_100_words("The corrupt regime staged a sham vote.", embedder)
    assert rate == pytest.approx(100 * 3 / 7)  # corrupt, regime, sham


def test_fallback_reasons_are_named_by_the_first_attempt():
    assert fallback_kind(None) is None
    assert fallback_kind("first attempt: no usable output") == "no usable output"
    assert fallback_kind("first attempt: unsupported: 'Paris' is in no source; rewrite: low faithfulness 0.6") == "unsupported"
    assert fallback_kind("first attempt: low faithfulness 0.55") == "low faithfulness"


def test_summary_averages_clusters_and_shares_origins():
    cluster = {
        "seconds": 2.0,
        "words": {"ours": 60, "reference": 64, "lead3": 70},
        "rouge": {who: {"rouge1": 0.4, "rouge2": 0.2, "rougeL": 0.3} for who in ("ours", "lead3", "best_lead")},
        "supported": {"ours": 1.0, "reference": 0.5},
        "faithfulness": {"ours": 0.9, "reference": 0.4},
        "coverage": None,
        "loaded_per_100_words": {"ours": 0.0, "sources": 1.0, "reference": 0.5, "lead3": 2.0},
        "origins": {"generated": 1, "extracted": 3},
        "fallbacks": {"unsupported": 2},
    }
    other = json.loads(json.dumps(cluster))
    other["words"]["ours"] = 80
    result = summarize([cluster, other], part="heldout", seconds=5)
    assert result["words"]["ours"] == 70 and result["origins"] == {"generated": 0.25, "rewritten": 0.0, "extracted": 0.75}
    assert result["fallbacks"] == {"unsupported": 4} and result["coverage"]["ours"] is None
    table = format_summary(result)
    assert "NeuS (heldout): 2 clusters" in table and "| ROUGE-L F1 vs reference | 0.3 | 0.3 | 0.3 | - |" in table


def test_bad_part_is_one_line(tmp_path):
    data = tmp_path / "neus.jsonl"
    data.write_text(json.dumps(_rows(1)[0]) + "\n")
    result = run_cli("bench", "neus", str(data), "--part", "test", cwd=tmp_path)
    assert result.returncode != 0 and "--part" in result.stderr and "Traceback" not in result.stderr


def test_lexicon_rate_counts_words_of_the_given_lexicon_through_their_plurals(tmp_path):
    from benchmarks.lexicon_rate import main, measure, rate

    lexicon = frozenset({"claim", "policy", "usa"})
    share, hits = rate("Officials' claims about U.S. policies were new.", lexicon)
    assert hits == ["claims", "usa", "policies"] and share == 3 / 7
    clusters = [{"id": "c1", "reference": {"text": "A claim."},
                 "documents": [{"text": "No match here at all."}, {"text": "Policy talk. More talk."}, {"text": " "}]}]
    result = measure(clusters, [{"id": "c1", "digest": "The claim, the policy."}], lexicon)
    assert result["rate"] == {"ours": 0.5, "reference": 0.5, "sources": 0.125, "lead3": 0.0}
    (tmp_path / "n.jsonl").write_text("")
    assert main([str(tmp_path / "n.jsonl"), str(tmp_path / "n.jsonl"), "--lexicon", str(tmp_path / "none.txt")]) == 2
