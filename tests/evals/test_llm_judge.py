"""`digest eval --judge llm`: the backend's verdict and reason per sentence, combined with ours.

The CLI tests use the real bundled model (in-process, and behind a real llama.cpp server). The
combination rules are checked with small judges written against the public `JsonLLM` protocol,
as any user of `evals` would write one: they fix the LLM's answer so the rules can be seen.
"""

from __future__ import annotations

import json

import pytest

from evals import score_summary
from evals.llm_judge import JsonLLM, apply_llm_judge
from tests.backends.conftest import LlamaServer, free_port, llama_server  # noqa: F401 - fixture
from tests.conftest import run_cli

VERDICTS = {"supported", "unsupported", "contradicted"}
SUMMARY = ("Port City's council backed a new harbour bridge on Tuesday by a vote of 7 to 2 [1]. "
           "The bridge will cost $310 million [1].\n\n## Sources\n[1] harbor_times.txt\n[2] coastal_post.txt\n")


@pytest.fixture
def summary_file(tmp_path):
    path = tmp_path / "summary.md"
    path.write_text(SUMMARY, encoding="utf-8")
    return path


def _eval(tmp_path, summary_file, source_paths, *extra, env=None, name="r"):
    return run_cli("eval", str(summary_file), *(a for p in source_paths for a in ("--sources", str(p))),
                   "--json", str(tmp_path / f"{name}.json"), "--md", str(tmp_path / f"{name}.md"), *extra,
                   cwd=tmp_path, env={"OPENAI_BASE_URL": "", "OPENAI_API_KEY": "", **(env or {})}, timeout=900)


def _report(tmp_path, name="r") -> dict:
    return json.loads((tmp_path / f"{name}.json").read_text(encoding="utf-8"))


def _assert_verdicts_and_reasons(report: dict) -> None:
    for sentence in report["sentences"]:
        judgement = sentence["llm"]
        assert judgement is not None
        # The grammar-constrained answer of the real model: a verdict and a reason, or an explicit error.
        if judgement["error"] is None:
            assert judgement["verdict"] in VERDICTS and judgement["reason"].strip()
        else:
            assert judgement["verdict"] is None and judgement["error"].strip()


@pytest.mark.slow
def test_local_llm_judge_adds_a_verdict_and_reason_per_sentence_and_cannot_lift_a_contradiction(
        tmp_path, summary_file, source_paths):
    offline = _eval(tmp_path, summary_file, source_paths, name="offline")
    assert offline.returncode == 0, offline.stderr
    result = _eval(tmp_path, summary_file, source_paths, "--judge", "llm", "--backend", "local")
    assert result.returncode == 0, result.stderr
    before, after = _report(tmp_path, "offline"), _report(tmp_path)
    _assert_verdicts_and_reasons(after)
    assert after["llm_judge"]["judged"] + after["llm_judge"]["errors"] == 2
    assert after["llm_judge"]["model"].startswith("llamacpp:SmolLM2-135M")
    assert before["sentences"][1]["llm"] is None  # the offline report is unchanged in content
    # The $310 million sentence contradicts the source: whatever the LLM said, it stays contradicted
    # and its score does not rise.
    assert after["sentences"][1]["verdict"] == "contradicted"
    assert after["sentences"][1]["faithfulness"] <= before["sentences"][1]["faithfulness"]
    markdown = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert "| LLM verdict | LLM reason or error |" in markdown
    assert "LLM judge llamacpp:SmolLM2" in result.stdout


@pytest.mark.slow
@pytest.mark.server
def test_llm_judge_through_an_openai_compatible_server(tmp_path, summary_file, source_paths,
                                                       llama_server: LlamaServer):  # noqa: F811
    result = _eval(tmp_path, summary_file, source_paths, "--judge", "llm", "--backend", "openai",
                   env={"OPENAI_BASE_URL": llama_server.base_url, "OPENAI_API_KEY": llama_server.api_key})
    assert result.returncode == 0, result.stderr
    report = _report(tmp_path)
    _assert_verdicts_and_reasons(report)
    assert report["llm_judge"]["judged"] >= 1  # the grammar makes the 135M model answer in shape


def test_unreachable_llm_judge_reports_an_error_per_sentence_and_keeps_the_offline_scores(
        tmp_path, summary_file, source_paths):
    url = f"http://127.0.0.1:{free_port()}/v1"
    offline = _eval(tmp_path, summary_file, source_paths, name="offline")
    result = _eval(tmp_path, summary_file, source_paths, "--judge", "llm", "--backend", "openai",
                   env={"OPENAI_BASE_URL": url, "DIGEST_API_RETRIES": "0"})
    assert offline.returncode == 0 and result.returncode == 0, result.stderr
    before, after = _report(tmp_path, "offline"), _report(tmp_path)
    for old, new in zip(before["sentences"], after["sentences"]):
        assert new["llm"]["verdict"] is None and "cannot reach" in new["llm"]["error"] and url in new["llm"]["error"]
        assert (new["verdict"], new["faithfulness"]) == (old["verdict"], old["faithfulness"])
    warnings = [line for line in result.stderr.splitlines() if "LLM judge" in line]
    assert len(warnings) == 1 and "2 of 2 sentences" in warnings[0]
    assert "Traceback" not in result.stderr


def test_unknown_judge_is_a_one_line_error(tmp_path, summary_file, source_paths):
    result = _eval(tmp_path, summary_file, source_paths, "--judge", "gpt")
    assert result.returncode == 2 and result.stderr.strip().splitlines() == [
        "error: --judge must be offline or llm, not 'gpt'"]


# ----------------------------------------------------------------- combination rules (library)
class Always:
    """A judge that always gives the same answer, written against the public protocol."""

    def __init__(self, answer):
        self.answer = answer

    def judge(self, evidence: str, sentence: str):
        assert evidence.strip() and sentence.strip()  # it is asked about real evidence
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer


def test_always_is_a_json_llm():
    assert isinstance(Always(None), JsonLLM)


def test_a_contradicted_vote_lowers_a_supported_sentence_but_a_supported_vote_never_lifts_a_flagged_one(
        scorer, source_paths):
    base = score_summary(SUMMARY, source_paths, scorer=scorer)
    assert [s.verdict for s in base.sentences] == ["supported", "contradicted"]

    lowered = apply_llm_judge(score_summary(SUMMARY, source_paths, scorer=scorer),
                              Always({"verdict": "contradicted", "reason": "wrong date"}), weight=0.5)
    first = lowered.sentences[0]
    assert first.faithfulness < base.sentences[0].faithfulness and first.verdict == "unsupported"
    assert first.llm.reason == "wrong date" and lowered.summary.counts["supported"] == 0

    lifted = apply_llm_judge(score_summary(SUMMARY, source_paths, scorer=scorer),
                             Always({"verdict": "supported", "reason": "fine"}), weight=1.0)
    assert lifted.sentences[1].verdict == "contradicted"
    assert lifted.sentences[1].faithfulness == base.sentences[1].faithfulness


@pytest.mark.parametrize("answer, error", [
    (None, "no valid JSON verdict"),
    ({"verdict": "maybe", "reason": "?"}, "unknown verdict"),
    (ConnectionError("server went away"), "ConnectionError: server went away"),
])
def test_judge_failures_become_explicit_errors_never_a_crash(scorer, source_paths, answer, error):
    report = apply_llm_judge(score_summary(SUMMARY, source_paths, scorer=scorer), Always(answer))
    base = score_summary(SUMMARY, source_paths, scorer=scorer)
    for sentence, old in zip(report.sentences, base.sentences):
        assert error in sentence.llm.error and sentence.llm.verdict is None
        assert sentence.faithfulness == old.faithfulness  # a failed LLM call leaves our score alone
    assert report.llm_judge["errors"] == 2 and report.llm_judge["agreement_with_offline"] is None
