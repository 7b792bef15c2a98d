"""`digest eval --ragas`: ragas Faithfulness beside ours, through a real llama.cpp server.

With SmolLM2-135M ragas usually fails to produce statements or valid JSON; what a user must see
is then an explicit error per sentence, never NaN and never a crash.
"""

from __future__ import annotations

import json
import math

import pytest

from tests.backends.conftest import LlamaServer, free_port, llama_server  # noqa: F401 - fixture
from tests.conftest import run_cli

pytestmark = [pytest.mark.slow, pytest.mark.server]

SUMMARY = ("Port City's council backed a new harbour bridge on Tuesday by a vote of 7 to 2 [1]. "
           "The bridge will cost $310 million [1].\n\n## Sources\n[1] harbor_times.txt\n[2] coastal_post.txt\n")


def _no_nan(text: str) -> dict:
    def refuse(constant: str) -> float:
        raise AssertionError(f"report contains {constant}")

    return json.loads(text, parse_constant=refuse)


@pytest.fixture
def summary_file(tmp_path):
    path = tmp_path / "summary.md"
    path.write_text(SUMMARY, encoding="utf-8")
    return path


def _eval(tmp_path, summary_file, source_paths, *extra, env=None):
    return run_cli("eval", str(summary_file), *(a for p in source_paths for a in ("--sources", str(p))),
                   "--json", str(tmp_path / "r.json"), "--md", str(tmp_path / "r.md"), *extra,
                   cwd=tmp_path, env={"OPENAI_BASE_URL": "", "OPENAI_API_KEY": "", **(env or {})}, timeout=900)


def test_ragas_section_has_a_score_or_an_explicit_error_per_sentence(
        tmp_path, summary_file, source_paths, llama_server: LlamaServer):  # noqa: F811
    result = _eval(tmp_path, summary_file, source_paths, "--ragas",
                   env={"OPENAI_BASE_URL": llama_server.base_url, "OPENAI_API_KEY": llama_server.api_key})
    assert result.returncode == 0, result.stderr
    report = _no_nan((tmp_path / "r.json").read_text(encoding="utf-8"))
    section = report["ragas"]
    assert len(section["sentences"]) == len(report["sentences"]) == 2
    scored = []
    for sentence, entry in zip(report["sentences"], section["sentences"]):
        assert sentence["ragas"] == entry  # the same result on the sentence and in the section
        if entry["score"] is None:
            assert isinstance(entry["error"], str) and entry["error"].strip()
        else:
            assert 0.0 <= entry["score"] <= 1.0 and entry["error"] is None
            scored.append(entry["score"])
    assert section["errors"] == 2 - len(scored)
    if scored:
        assert math.isclose(section["faithfulness"], sum(scored) / len(scored), abs_tol=1e-3)
    else:
        assert section["faithfulness"] is None
    assert section["served_models"] == ["SmolLM2-135M-Instruct.Q4_1.gguf"]
    # Ours is still there, unchanged in shape, and both appear side by side for a reader.
    assert report["summary"]["counts"]["contradicted"] == 1
    assert "ragas faithfulness" in result.stdout
    markdown = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert "ragas faithfulness" in markdown and "| ragas | ragas error |" in markdown
    if section["errors"]:
        assert "ragas could not score" in result.stderr


def test_ragas_with_the_local_backend_and_no_endpoint_is_a_one_line_error(tmp_path, summary_file, source_paths):
    result = _eval(tmp_path, summary_file, source_paths, "--ragas", "--backend", "local")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "OpenAI-compatible endpoint" in lines[0] and "llama_cpp.server" in lines[0]
    assert not (tmp_path / "r.json").exists()  # nothing half-done was written


def test_ragas_against_an_unreachable_endpoint_is_a_one_line_error(tmp_path, summary_file, source_paths):
    url = f"http://127.0.0.1:{free_port()}/v1"  # nothing listens there
    result = _eval(tmp_path, summary_file, source_paths, "--ragas", env={"OPENAI_BASE_URL": url})
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "cannot reach" in lines[0] and url in lines[0]
    assert "Traceback" not in result.stderr


def test_ragas_with_a_wrong_key_is_a_one_line_error(tmp_path, summary_file, source_paths,
                                                   llama_server: LlamaServer):  # noqa: F811
    result = _eval(tmp_path, summary_file, source_paths, "--ragas",
                   env={"OPENAI_BASE_URL": llama_server.base_url, "OPENAI_API_KEY": "wrong"})
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "rejected the API key" in lines[0]
