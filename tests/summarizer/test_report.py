"""The digest's own evaluation (report.html): the evaluator is handed the digest as records, and scores
exactly what it scored when it read digest.md back."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from evals import SourceText
from evals.evaluate import evaluate
from evals.parse import parse_text
from summarizer.records import Citation, Digest, DigestSentence, SourceInfo
from summarizer.render import to_markdown, write_digest
from summarizer.report import as_summary, evaluate_digest
from summarizer.write.verify import Guard

ROOT = Path(__file__).resolve().parents[2]

BRIDGE = ("The Kessel bridge reopened on Friday after three months of repairs. "
          "The repairs cost 40 million euros, the city said.")
FERRY = ("Ferries to the islands will run again from Monday, the port authority said. "
         "The Kessel bridge reopened on Friday.")


def _cite(source: str) -> Citation:
    return Citation(source=source, passage_id=f"{source}-p0", quote="")


def _sentence(text: str, *sources: str) -> DigestSentence:
    return DigestSentence(text=text, citations=[_cite(s) for s in sources], origin="extracted", faithfulness=1.0)


def _digest(sentences: list[DigestSentence], names: list[str], copies: dict[str, str] | None = None) -> Digest:
    copies = copies or {}
    return Digest(title="Kessel *bridge* <reopens>", sentences=sentences, backend="test", model="none",
                  sources=[SourceInfo(name=n, path=f"/data/{n}", duplicate_of=copies.get(n)) for n in names])


def test_the_records_are_what_digest_md_reads_back_as():
    names = ["kessel.txt", "ferry.md", "copy.html"]
    sentences = [
        _sentence("The Kessel bridge reopened on Friday.", "kessel.txt", "ferry.md"),
        _sentence("Repairs cost 40 million euros [sic], the city said.", "kessel.txt"),
        _sentence("A <img src=x onerror=alert(1)> tag, `code`, *stars*, a | pipe & &amp; an entity.", "copy.html"),
        _sentence("# Not a heading: ferries run\tagain from\nMonday, \x1b[31mthe port\x1b[0m said.", "ferry.md",
                  "kessel.txt"),
        _sentence("No source is cited for this sentence."),
        _sentence("A source that is not listed is not a citation.", "elsewhere.txt"),
    ]
    digest = _digest(sentences, names, copies={"copy.html": "kessel.txt"})
    assert as_summary(digest) == parse_text(to_markdown(digest))
    assert as_summary(digest).sentences[3].citations == [1, 2]  # numbered as digest.md lists the sources


def test_a_digest_sentence_holding_two_is_scored_as_two_as_before():
    # an extracted passage can hold two sentences; the evaluator scores what its splitter cuts
    digest = _digest([_sentence("The bridge reopened on Friday. Ferries run again from Monday.", "kessel.txt")],
                     ["kessel.txt"])
    assert [(s.text, s.citations) for s in as_summary(digest).sentences] == [
        ("The bridge reopened on Friday.", []), ("Ferries run again from Monday.", [1])]
    assert as_summary(digest) == parse_text(to_markdown(digest))


def test_the_digest_is_scored_as_digest_eval_scores_its_markdown():
    sources = [SourceText(name="kessel.txt", text=BRIDGE), SourceText(name="ferry.txt", text=FERRY)]
    digest = _digest([
        _sentence("The Kessel bridge reopened on Friday after three months of repairs.", "kessel.txt", "ferry.txt"),
        _sentence("The repairs cost 50 million euros.", "kessel.txt"),
        _sentence("Ferries to the islands will run again from Monday.", "kessel.txt"),
    ], ["kessel.txt", "ferry.txt"])
    guard = Guard(sources)
    report = evaluate_digest(digest, guard)
    assert report.to_json() == evaluate(to_markdown(digest), sources, scorer=guard.scorer).to_json()
    assert [s.verdict for s in report.sentences][1] != "supported"  # the scores are real: a wrong figure is caught
    assert digest.timings["report"] > 0


def test_write_digest_writes_the_report_page_beside_the_digest(tmp_path):
    sources = [SourceText(name="kessel.txt", text=BRIDGE)]
    digest = _digest([_sentence("The Kessel bridge reopened on Friday.", "kessel.txt")], ["kessel.txt"])
    digest.evaluation = evaluate_digest(digest, Guard(sources))
    paths = write_digest(digest, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["digest.json", "digest.md", "report.html"]
    page = paths["report"].read_text(encoding="utf-8")
    assert "Kessel *bridge* &lt;reopens&gt;" in page and 'id="s0"' in page


def test_the_report_does_not_import_the_markdown_renderer():
    # render -> report, never back: the evaluation no longer goes through digest.md
    code = "import sys, summarizer.report; print('summarizer.render' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                         env={"PYTHONPATH": str(ROOT), "PATH": ""}, check=True)
    assert out.stdout.strip() == "False"
