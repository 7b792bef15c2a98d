import json

import pytest

from evals import score_summary
from evals.report import to_html, to_markdown, write_report
from evals.testing import FaithfulnessError, assert_faithful

TEXT = ("Port City's council backed a new harbour bridge on Tuesday by a vote of 7 to 2 [1]. "
        "The bridge will cost $310 million [1].\n\n## Sources\n[1] harbor_times.txt\n[2] coastal_post.txt\n")


@pytest.fixture(scope="module")
def report(scorer, source_paths):
    return score_summary(TEXT, source_paths, scorer=scorer)


def test_html_is_self_contained_and_coloured_by_verdict(report):
    page = to_html(report)
    assert "<svg" in page and page.count("<rect") == 2
    assert 'class="s supported"' in page and 'class="s contradicted"' in page
    assert "http://" not in page and "https://" not in page and "<script src" not in page
    assert "$240 million" in page  # the evidence behind the contradiction is on the page


def test_markdown_has_one_row_per_sentence(report):
    md = to_markdown(report)
    assert md.count("\n| 1 |") == 1 and md.count("\n| 2 |") == 1
    assert "contradicted" in md


def test_write_report_writes_each_format_atomically(report, tmp_path):
    for name in ("r.json", "r.md", "r.html"):
        path = write_report(report, tmp_path / name)
        assert path.read_text(encoding="utf-8")
    assert json.loads((tmp_path / "r.json").read_text())["summary"]["counts"]["contradicted"] == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.html", "r.json", "r.md"]  # no temp files left


def test_assert_faithful_passes_faithful_and_explains_failures(scorer, source_paths):
    good = "Port City's council backed a new harbour bridge on Tuesday by a vote of 7 to 2."
    assert assert_faithful(good, source_paths, min_faithfulness=0.5, scorer=scorer).summary.supported_ratio == 1.0
    with pytest.raises(FaithfulnessError, match=r"\$310 million"):
        assert_faithful(TEXT, source_paths, min_faithfulness=0.5, scorer=scorer)


def test_markdown_report_shows_markup_in_a_sentence_as_text(scorer, source_paths):
    from markdown_it import MarkdownIt

    text = ("Port City's council backed a new harbour bridge <img src=x onerror=alert(1)> [sic] by a vote of 7 to 2 [1]."
            "\n\n## Sources\n[1] harbor_times.txt\n")
    report = score_summary(text, source_paths, scorer=scorer)
    assert "<img src=x onerror=alert(1)> [sic]" in report.sentences[0].text  # JSON keeps the text as it was
    page = MarkdownIt("commonmark", {"html": True}).enable("table").render(to_markdown(report))
    assert "<img" not in page and "&lt;img src=x onerror=alert(1)&gt; [sic]" in page
    assert page.count("<tr>") == 2  # the header and one sentence: nothing in the data broke the table
