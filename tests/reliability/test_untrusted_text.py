"""Text from sources, summaries and models is data, in every output, through the real CLI.

Sources carry markup as scraped text does: an HTML page whose visible text holds an encoded <img onerror> tag
and "[sic]", a text file with raw tags, a script, entities and an ANSI colour sequence, and a Markdown brief that
is a headline and one standfirst. The digest is written over the API backend against a scripted server that
answers nonsense, so every sentence is the guard's extract of a source sentence: the source text itself reaches
digest.md, digest.json, report.html and the terminal. Markdown is checked with a real CommonMark renderer that
lets raw HTML through, as wikis and notebook viewers do.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from ..conftest import run_cli
from .conftest import api_env, chat_body

PAGE = """<!doctype html><html><head><title>Kessel bridge reopens</title></head><body>
<article><h1>Kessel bridge reopens</h1>
<p>The Kessel harbour bridge reopened to traffic on Friday after two years of repairs, the city council said.</p>
<p>A council engineer wrote that the new railings were tested with the label &lt;img src=x onerror=alert(1)&gt; [sic] still on them.</p>
<p>The repairs cost 40 million euros, according to the council's statement.</p>
</article></body></html>
"""
TEXT = """Kessel bridge open again

The harbour bridge in Kessel reopened on Friday following two years of repair work, council officials said.<script>alert("x")</script>

Officials put the cost of the repairs at <b onmouseover="alert(1)">40 million euros</b> &amp; thanked residents.

Residents called the new lights \x1b[31mbright red\x1b[0m at night, the officials said.
"""
BRIEF = """# Ferry service to resume

Ferries will run again between Kessel and the islands from Monday, the port authority said
"""
FURNITURE = "Advertisement\n\nRead more: the best bridges of Europe\n"
DIGEST_TAGS = {"h1", "h2", "p"}  # the layout of digest.md; any other element came from the data
REPORT_TAGS = {"p", "strong", "table", "thead", "tbody", "tr", "th", "td"}  # the layout of `digest eval --md`


class Tags(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__()
        self.found: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.found.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.found.append(tag)


def render(markdown: str) -> str:
    return MarkdownIt("commonmark", {"html": True}).enable("table").render(markdown)


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    folder = tmp_path / "sources"
    folder.mkdir()
    (folder / "kessel_page.html").write_text(PAGE, encoding="utf-8")
    (folder / "kessel_text.txt").write_text(TEXT, encoding="utf-8")
    (folder / "ferry_brief.md").write_text(BRIEF, encoding="utf-8")
    (folder / "furniture.txt").write_text(FURNITURE, encoding="utf-8")
    return folder


def test_ingest_keeps_a_one_sentence_brief_and_says_why_it_skips(sources, tmp_path):
    result = run_cli("ingest", str(sources), "--json", "--store", str(tmp_path / "store"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["documents"] == 3  # the page, the text file and the one-sentence brief
    assert [s["path"].endswith("furniture.txt") for s in data["skipped"]] == [True]
    assert "removed as page furniture" in data["skipped"][0]["reason"]
    assert "Advertisement" in data["skipped"][0]["reason"]


def test_markup_from_sources_is_text_in_every_output(sources, tmp_path, scripted_server):
    server = scripted_server([(200, chat_body("not a sentence at all"))])
    # A budget that keeps every source sentence (the default length would leave some out): this test is about
    # what happens to the text that is used, so all of it must be.
    run = run_cli("run", str(sources), "--backend", "openai", "--api-model", "scripted", "--no-cache",
                  "--max-sentences", "10", "--max-words", "1000",
                  "--store", str(tmp_path / "store"), "--out", str(tmp_path / "out"), cwd=tmp_path,
                  env=api_env(server.base_url))
    assert run.returncode == 0, run.stderr
    out = tmp_path / "out"
    digest = json.loads((out / "digest.json").read_text())
    texts = [s["text"] for s in digest["sentences"]]
    # JSON carries the source text as it was: the encoded tag of the page is text there, and it was used.
    assert any("<img src=x onerror=alert(1)> [sic]" in t for t in texts), texts
    assert any("Ferries will run again" in t for t in texts), texts  # the brief became a digest sentence
    assert not any("alert(\"x\")" in t or "onmouseover" in t for t in texts)  # raw tags were cleaned away

    markdown = (out / "digest.md").read_text()
    page = render(markdown)
    assert set(Tags(page).found) <= DIGEST_TAGS, Tags(page).found
    assert "&lt;img src=x onerror=alert(1)&gt; [sic]" in page
    assert "\x1b" not in markdown
    html = (out / "report.html").read_text()
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html

    # The evaluator reads the escaped Markdown back to the very sentences that were written.
    evaluated = run_cli("eval", str(out / "digest.md"), "--sources", str(sources), "--json", str(tmp_path / "r.json"),
                        "--md", str(tmp_path / "r.md"), cwd=tmp_path)
    assert evaluated.returncode == 0, evaluated.stderr
    report = json.loads((tmp_path / "r.json").read_text())
    assert [s["text"] for s in report["sentences"]] == [t.replace("\x1b[31m", "").replace("\x1b[0m", "") for t in texts]
    eval_page = render((tmp_path / "r.md").read_text())
    assert set(Tags(eval_page).found) <= REPORT_TAGS, Tags(eval_page).found
    assert "&lt;img src=x onerror=alert(1)&gt;" in eval_page
    assert "\x1b" not in evaluated.stdout  # the ANSI sequence of the text file never reaches the terminal
    assert any("\x1b[31m" in t for t in texts)  # ...though digest.json keeps it, as the source had it


def test_the_terminal_prints_a_scored_sentence_as_written(sources, tmp_path):
    summary = tmp_path / "summary.md"
    summary.write_text("The Kessel bridge reopened on Friday [sic] [1].\n\n"
                       "The repairs cost [bold red]40 million euros[/bold red] \x1b]8;;https://evil.example\x07"
                       "\x1b[2Jin all [1].\n\n## Sources\n\n[1] kessel_page.html\n", encoding="utf-8")
    result = run_cli("eval", str(summary), "--sources", str(sources), "--no-coverage", cwd=tmp_path,
                     env={"COLUMNS": "250"})  # wide enough that the table does not wrap the sentences
    assert result.returncode == 0, result.stderr
    assert "reopened on Friday [sic]" in result.stdout
    assert "[bold red]40 million euros[/bold red]" in result.stdout
    assert "\x1b" not in result.stdout and "evil.example" not in result.stdout
