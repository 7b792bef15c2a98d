"""One rule for every output: text is data. Markdown is checked with a real CommonMark renderer (markdown-it-py,
raw HTML allowed, as wikis and notebook viewers allow it): escaped data renders as exactly its own characters
and never as a tag, link, image or emphasis; the parser reads it back unchanged. Terminal text loses control
sequences and keeps its brackets."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser

import pytest
from markdown_it import MarkdownIt
from rich.console import Console

from digest_core.escape import markdown, strip_controls, terminal, unmarkdown
from evals.parse import parse_text

NASTY = [
    '<img src=x onerror="alert(1)">The council met.',
    "<script>alert('x')</script> and <b onmouseover=alert(1)>a quote</b>",
    "He called it a “disaster” [sic] and cited [2] and [1, 3].",
    "![pixel](https://tracker.example/p.png) and [click](javascript:alert(1)) and <https://example.com>",
    "*stars* _under_ snake_case `code` ~~gone~~ a|b \\ back\\slash \\[",
    "# not a heading",
    "1. not a list",
    "- not a bullet either",
    "AT&T said &amp; meant &lt;b&gt; &#60;i&#62; &notanentity",
    "Rates > 5% and < 7%",
    "<!-- hidden --> <?php echo 1; ?> <![CDATA[x]]>",
]


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append(tag)

    def handle_comment(self, data):
        self.tags.append("!--")

    def handle_pi(self, data):
        self.tags.append("?")

    def unknown_decl(self, data):
        self.tags.append("![")

    def handle_data(self, data):
        self.text.append(data)


def rendered(md: str) -> _Collect:
    parser = _Collect()
    parser.feed(MarkdownIt("commonmark", {"html": True}).enable("table").render(md))
    return parser


@pytest.mark.parametrize("text", NASTY)
def test_escaped_markdown_renders_as_the_same_characters_and_nothing_else(text):
    page = rendered(markdown(text))
    assert page.tags == ["p"]  # no img, script, b, a, em, code, h1, ol, ul, comment...
    assert "".join(page.text).strip() == text


@pytest.mark.parametrize("text", NASTY)
def test_the_parser_reads_escaped_markdown_back_unchanged(text):
    assert unmarkdown(markdown(text)) == text
    summary = parse_text(f"# {markdown(text)}\n\n{markdown(text)} [2]\n\n## Sources\n\n[1] a.txt\n[2] b.txt\n")
    assert summary.title == text
    # (the parser has always closed up a space before punctuation, where a marker was removed)
    assert " ".join(s.text for s in summary.sentences) == re.sub(r"\s+([.!?,;:])", r"\1", text)
    assert {n for s in summary.sentences for n in s.citations} == {2}  # "[1]" or "[2]" in the data cite nothing


def test_a_table_cell_stays_one_cell():
    row = "| 1 | " + markdown("a | b\nc <td>x</td>") + " |"
    page = rendered("| # | sentence |\n| --- | --- |\n" + row)
    assert page.tags.count("td") == 2 and "a | b c <td>x</td>" in "".join(page.text)


def test_terminal_text_drops_control_sequences_and_keeps_brackets():
    raw = ("\x1b[2J\x1b[31m[bold red]red[/bold red]\x1b[0m [sic] \x1b]8;;https://evil.example\x07link\x1b]8;;\x07"
           " \x1b]52;c;aGVsbG8=\x1b\\ \u202eexe.txt\x07\x08\r\nnext")
    assert strip_controls(raw) == "[bold red]red[/bold red] [sic] link  exe.txt next"
    console = Console(file=io.StringIO(), force_terminal=True, color_system=None, width=200)
    console.print(terminal(raw))
    printed = console.file.getvalue()
    assert printed.strip() == "[bold red]red[/bold red] [sic] link  exe.txt next"
    assert "\x1b" not in printed and "\u202e" not in printed
