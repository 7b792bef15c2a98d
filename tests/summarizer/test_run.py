"""`digest run` end to end with the real bundled model, and through a real OpenAI-compatible server."""

from __future__ import annotations

import html
import json
import shutil

import pytest

from evals import SourceText
from summarizer.claims import group_claims, source_sentences
from summarizer.clean import clean
from summarizer.load import load_paths
from summarizer.split import split_document
from digest_core.syndication import find_duplicates
from summarizer.write.verify import Guard, guarded_sentence
from tests.browser import Browser, find_chromium
from tests.backends.conftest import llama_server  # noqa: F401 - session fixture: python -m llama_cpp.server

from ..conftest import SEEDS, run_cli

COMMENT_ONLY = ["meat grinder", "fascists", "last Ukrainian", "panopticon", "hexbear", "Russia takes all of Ukraine"]
CHROME = ["Read Next", "fedilink", "arrow-up", "About the author", "olor sit amet", "@NBCNews", "t.co/", "follow him"]


@pytest.fixture(scope="module")
def seeds_run(tmp_path_factory):
    work = tmp_path_factory.mktemp("run")
    result = run_cli("run", str(SEEDS), "--out", str(work / "out"), "--quiet", cwd=work)
    assert result.returncode == 0, result.stderr
    return work / "out"


def test_run_writes_a_cited_digest_of_the_seeds(seeds_run):
    markdown = (seeds_run / "digest.md").read_text()
    digest = json.loads((seeds_run / "digest.json").read_text())
    names = {s["name"] for s in digest["sources"]}
    assert names == {p.name for p in SEEDS.iterdir()}
    assert 3 <= len(digest["sentences"]) <= 12
    for sentence in digest["sentences"]:
        assert sentence["citations"], sentence
        assert all(c["source"] in names and c["quote"] for c in sentence["citations"])
        assert sentence["origin"] in {"generated", "rewritten", "extracted"}
        assert 0.0 <= sentence["faithfulness"] <= 1.0
    assert digest["backend"] == "llamacpp" and "SmolLM2" in digest["model"]
    assert {"total", "llm", "model_load"} <= set(digest["timings"])
    # Markdown: every digest line carries [n] markers that resolve through ## Sources.
    body, sources = markdown.split("## Sources")
    lines = [l for l in body.splitlines()[1:] if l.strip()]
    assert len(lines) == len(digest["sentences"]) and all("[" in l for l in lines)
    for n in range(1, len(names) + 1):
        assert f"[{n}]" in sources


def test_eval_suite_gates_the_digest_of_the_seeds(seeds_run, tmp_path):
    """The CI eval gate: digest the seeds, then score the digest with --fail-under."""
    report = tmp_path / "eval.json"
    result = run_cli("eval", str(seeds_run / "digest.json"), "--sources", str(SEEDS), "--json", str(report),
                     "--fail-under", "0.7", "--fail-under-coverage", "0.8", "--quiet", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    data = json.loads(report.read_text())
    assert data["summary"]["supported_ratio"] >= 0.9
    assert data["summary"]["citation_precision"] >= 0.9
    assert data["neutrality"]["unattributed"] == 0
    # The same gate fails a summary that contradicts the sources.
    bad = tmp_path / "bad.md"
    bad.write_text("# Bad\n\nRussia has a limited supply of troops, officials said [1].\n"
                   "The talks took place in Paris last year [1].\n\n## Sources\n[1] 002_004267367ffada76.txt\n")
    failing = run_cli("eval", str(bad), "--sources", str(SEEDS), "--fail-under", "0.7", "--quiet", cwd=tmp_path)
    assert failing.returncode == 1, failing.stdout + failing.stderr


def test_digest_has_no_chrome_and_no_reader_comments(seeds_run):
    text = (seeds_run / "digest.md").read_text() + json.dumps(
        [s["text"] for s in json.loads((seeds_run / "digest.json").read_text())["sentences"]]
    )
    for marker in COMMENT_ONLY + CHROME:
        assert marker.lower() not in text.lower(), marker


def test_repost_is_linked_to_the_original_report(seeds_run):
    digest = json.loads((seeds_run / "digest.json").read_text())
    links = {s["name"][:3]: s["duplicate_of"] for s in digest["sources"]}
    assert {links["001"], links["002"]} - {None} in ({"002_004267367ffada76.txt"}, {"001_d2692e86a73d5c36.txt"})
    assert links["000"] is None and links["003"] is None and links["004"] is None


def test_run_writes_a_self_contained_report_next_to_the_digest(seeds_run, tmp_path):
    page = (seeds_run / "report.html").read_text(encoding="utf-8")
    digest = json.loads((seeds_run / "digest.json").read_text())
    assert "report.html" not in json.dumps(digest) and "evaluation" not in digest  # digest.json keeps its shape
    assert digest["timings"]["report"] > 0
    assert page.count('class="s ') == len(digest["sentences"]) == page.count("<rect ")
    for sentence in digest["sentences"]:
        assert html.escape(sentence["text"]) in page
    for source in digest["sources"]:
        assert html.escape(source["name"]) in page
    copies = [s for s in digest["sources"] if s["duplicate_of"]]
    assert copies and all(f"copy of {c['duplicate_of']}" in page for c in copies)
    for external in ("<script src", "<link", 'src="http', 'href="http', "url(", "@import"):
        assert external not in page, external  # nothing fetched (article text itself may mention URLs)
    assert sorted(p.name for p in seeds_run.iterdir()) == ["digest.json", "digest.md", "report.html"]  # no temp files
    chromium = find_chromium()
    if chromium is None:
        pytest.skip("chromium not installed: the page was checked as text only")
    with Browser(chromium) as browser:
        browser.open(seeds_run / "report.html", 1280, 900)
        assert browser.js("document.querySelectorAll('.s').length") == len(digest["sentences"])
        browser.click("#s0")
        shown = browser.js("document.querySelector('#d0').checkVisibility() && document.querySelector('#d0').innerText")
        assert shown and "match" in shown
        browser.screenshot(tmp_path / "seeds-report.png")


def test_run_is_reproducible(seeds_run, tmp_path):
    again = run_cli("run", str(SEEDS), "--out", str(tmp_path / "out"), "--quiet", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    first = [s["text"] for s in json.loads((seeds_run / "digest.json").read_text())["sentences"]]
    second = [s["text"] for s in json.loads((tmp_path / "out" / "digest.json").read_text())["sentences"]]
    assert first == second


def _seed_claims():
    docs = [clean(r) for r in load_paths([SEEDS]).documents]
    duplicates = find_duplicates({d.name: d.article_text() for d in docs})
    passages = [p for d in docs for p in split_document(d)]
    sentences, _ = source_sentences(passages)
    from digest_core.embedding import default_embedder

    vectors = default_embedder().embed([s.text for s in sentences])
    claims = group_claims(sentences, vectors, duplicates)
    return docs, duplicates, claims


PLANTED = "Some of the talks took place last year in Paris at a meeting of more than 90 nations."


def _planted_writer():
    """A seeds claim, its guard, and a writer that always answers with a planted unfaithful sentence."""
    docs, duplicates, claims = _seed_claims()
    claim = next(c for c in claims if "Contact Group" in c.text)
    guard = Guard([SourceText(name=d.name, text=d.article_text()) for d in docs])
    attempts: list[tuple[str | None, str | None]] = []

    def write(previous, reason):
        attempts.append((previous, reason))
        return PLANTED

    return claim, guard, write, attempts


def test_guard_replaces_a_planted_unfaithful_sentence():
    claim, guard, write, attempts = _planted_writer()

    text, origin, score, why = guarded_sentence(claim, guard, write)
    assert origin == "extracted" and text != PLANTED
    # Why the fallback fired is kept: both attempts' findings (the planted sentence names Paris, which no source does).
    assert why.startswith("first attempt: ") and "; rewrite: " in why
    assert text in {m.text for m in claim.members}
    assert score.verdict == "supported"
    # The rewrite was asked for once, and was told why the first attempt failed.
    assert len(attempts) == 2 and attempts[1][0] == PLANTED and attempts[1][1]
    # ... in words the model can use: no scores or word counts, which a small model copies into its answer.
    assert "content words have no equivalent" not in attempts[1][1] and "faithfulness 0" not in attempts[1][1]


def test_guard_without_rewrite_extracts_after_one_attempt():
    claim, guard, write, attempts = _planted_writer()

    text, origin, score, why = guarded_sentence(claim, guard, write, rewrite=False)
    assert len(attempts) == 1  # no second call to the model
    assert origin == "extracted" and text in {m.text for m in claim.members} and score.verdict == "supported"
    assert why.startswith("first attempt: ") and "rewrite" not in why


def test_rewrite_is_off_for_the_bundled_model_only(tmp_path):
    from summarizer.config import Settings

    assert Settings(_env_file=None).rewrites is False  # the bundled 135M model never fixed a sentence when measured
    assert Settings(_env_file=None, model=tmp_path / "bigger.gguf").rewrites is True
    assert Settings(_env_file=None, backend="openai").rewrites is True
    assert Settings(_env_file=None, rewrite=True).rewrites is True


def test_guard_keeps_a_faithful_paraphrase():
    docs, duplicates, claims = _seed_claims()
    claim = next(c for c in claims if "Contact Group" in c.text)
    guard = Guard([SourceText(name=d.name, text=d.article_text()) for d in docs])
    faithful = "Some of the talks took place last month at a meeting of the Ukraine Defense Contact Group."
    text, origin, _, why = guarded_sentence(claim, guard, lambda p, r: faithful)
    assert (text, origin, why) == (faithful, "generated", None)



def test_guard_refuses_a_phrase_with_no_verb():
    docs, duplicates, claims = _seed_claims()
    claim = next(c for c in claims if "Contact Group" in c.text)
    guard = Guard([SourceText(name=d.name, text=d.article_text()) for d in docs])
    phrase = "The Ukraine Defense Contact Group of more than 50 nations."  # every word is in the sources
    text, origin, _, why = guarded_sentence(claim, guard, lambda p, r: phrase, rewrite=False)
    assert origin == "extracted" and text != phrase and "no verb" in why


def test_a_statement_needs_a_finite_verb_and_a_subject():
    from summarizer.write.verify import has_verb

    for fragment in ("The House Democrats, led by lead manager Jamie B. Raskin (D-Md.), according to one outlet.",
                     "The wisdom of the American people.", "Four people killed in Texas shooting."):
        assert not has_verb(fragment), fragment
    for sentence in ("The bill, passed on Monday, takes effect in May.", "Trump, speaking on Monday, defended the plan.",
                     "Officials said the talks resumed, according to one outlet.", "There were 12 arrests."):
        assert has_verb(sentence), sentence


def test_guard_refuses_a_speakers_words_stripped_of_quotation_marks_and_speaker():
    docs, duplicates, claims = _seed_claims()
    claim = next(c for c in claims if "Contact Group" in c.text)
    guard = Guard([SourceText(name=d.name, text=d.article_text()) for d in docs])
    spoken = "We held some of the talks last month at a meeting of the Ukraine Defense Contact Group."
    text, origin, _, why = guarded_sentence(claim, guard, lambda p, r: spoken, rewrite=False)
    assert origin == "extracted" and "first person" in why
    third = "Some of the talks took place last month at a meeting of the Ukraine Defense Contact Group."
    assert guarded_sentence(claim, guard, lambda p, r: third)[1] == "generated"


def test_run_through_an_openai_compatible_server(llama_server, tmp_path):  # noqa: F811
    result = run_cli(
        "run", str(SEEDS), "--backend", "openai", "--api-model", "smollm2", "--out", str(tmp_path / "out"), "--quiet",
        cwd=tmp_path, env={"OPENAI_BASE_URL": llama_server.base_url, "OPENAI_API_KEY": llama_server.api_key},
    )
    assert result.returncode == 0, result.stderr
    digest = json.loads((tmp_path / "out" / "digest.json").read_text())
    assert digest["backend"] == "openai" and digest["model"] == "smollm2"
    assert digest["sentences"] and all(s["citations"] for s in digest["sentences"])


def test_offline_refuses_the_api_backend(tmp_path):
    result = run_cli("run", str(SEEDS), "--backend", "openai", "--offline", cwd=tmp_path,
                     env={"OPENAI_API_KEY": "x", "OPENAI_BASE_URL": "http://127.0.0.1:9/v1"})
    assert result.returncode == 2
    assert "offline" in result.stderr.lower() and "Traceback" not in result.stderr
    assert not (tmp_path / "digest-out").exists()


def test_missing_input_is_one_line(tmp_path):
    result = run_cli("run", str(tmp_path / "nope"), cwd=tmp_path)
    # nothing usable is bad input: exit 1, as `digest ingest nope` (README, "When things go wrong")
    assert result.returncode == 1 and "nope" in result.stderr and "Traceback" not in result.stderr
