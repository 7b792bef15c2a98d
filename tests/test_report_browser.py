"""report.html in a real browser: Debian's headless Chromium loads it from a file URL; we click as a user would.

Chromium is an optional test dependency (README: `apt-get install chromium`; CI installs it). Without it
these tests skip with the reason. The report comes from `digest eval --html` on a small summary, which
exercises the same renderer as `digest run` (tests/summarizer/test_run.py checks the run's own report.html).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.browser import Browser, find_chromium

from .conftest import run_cli

DATA = Path(__file__).parent / "evals" / "data"
SUMMARY = ("# Harbour bridge\n\nPort City's council backed a new harbour bridge on Tuesday by a vote of 7 to 2 [1]. "
           "The bridge will cost $310 million [1]. Ferry operators warned the bridge could put them out of business [2]."
           "\n\n## Sources\n[1] harbor_times.txt\n[2] coastal_post.txt\n")
# What each verdict must look like on the page (evals.report._COLOURS, as the browser computes them).
BACKGROUND = {"supported": "rgb(216, 240, 210)", "unsupported": "rgb(251, 231, 181)", "contradicted": "rgb(247, 198, 197)"}

pytestmark = pytest.mark.skipif(find_chromium() is None, reason="chromium not installed (apt-get install chromium; "
                                                                  "optional test dependency, see README)")


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    work = tmp_path_factory.mktemp("report")
    (work / "summary.md").write_text(SUMMARY, encoding="utf-8")
    result = run_cli("eval", str(work / "summary.md"), "--sources", str(DATA / "harbor_times.txt"),
                     "--sources", str(DATA / "coastal_post.txt"), "--html", str(work / "report.html"),
                     "--json", str(work / "report.json"), "--quiet", cwd=work)
    assert result.returncode == 0, result.stderr
    return work / "report.html", json.loads((work / "report.json").read_text())


@pytest.fixture(scope="module")
def browser():
    with Browser() as b:
        b.call("Network.enable")
        yield b


def visible_detail(browser) -> dict | None:
    return browser.js("""(() => { const d = [...document.querySelectorAll('#evidence .detail')]
        .find(x => x.checkVisibility()); if (!d) return null;
        return {id: d.id, text: d.innerText, marks: [...d.querySelectorAll('mark')].map(m => m.textContent)}; })()""")


def test_sentences_are_coloured_by_their_verdict(report, browser, tmp_path):
    page, data = report
    browser.open(page, 1280, 800)
    shown = browser.js("[...document.querySelectorAll('.s')].map(el => ({text: el.firstChild.textContent, "
                       "background: getComputedStyle(el).backgroundColor}))")
    assert [s["text"] for s in shown] == [s["text"] for s in data["sentences"]]
    assert [s["background"] for s in shown] == [BACKGROUND[s["verdict"]] for s in data["sentences"]]
    assert {"supported", "contradicted"} <= {s["verdict"] for s in data["sentences"]}  # colours really differ
    assert browser.js("document.querySelectorAll('svg rect').length") == len(data["sentences"])
    assert visible_detail(browser) is None  # nothing open until the reader asks
    browser.screenshot(tmp_path / "report-1280.png")
    assert (tmp_path / "report-1280.png").stat().st_size > 10_000


def test_clicking_a_sentence_shows_its_passages_with_supporting_words_marked(report, browser, tmp_path):
    page, data = report
    browser.open(page, 1280, 800)
    wrong = next(s for s in data["sentences"] if s["verdict"] == "contradicted")
    browser.click(f"#s{wrong['index']}")
    assert browser.js("document.body.dataset.pinned") == str(wrong["index"])  # set by the click handler only
    detail = visible_detail(browser)
    assert detail is not None and detail["id"] == f"d{wrong['index']}"
    assert "$240 million" in detail["text"]  # the passage that contradicts "$310 million"
    assert "contradicted" in detail["text"]
    marked = {m.lower() for m in detail["marks"]}
    assert {"bridge", "cost"} <= marked
    assert marked <= set(wrong["text"].lower().replace(".", "").split())  # only words the sentence uses
    # Hovering another sentence does not replace a pinned (clicked) one.
    other = next(s for s in data["sentences"] if s["index"] != wrong["index"])
    box = browser.js(f"(() => {{ const r = document.querySelector('#s{other['index']}').getClientRects()[0];"
                     " return [r.left + 5, r.top + r.height / 2]; })()")
    browser.call("Input.dispatchMouseEvent", type="mouseMoved", x=box[0], y=box[1])
    assert visible_detail(browser)["id"] == f"d{wrong['index']}"
    browser.screenshot(tmp_path / "report-clicked.png", full_page=False)


def test_hover_previews_evidence(report, browser):
    page, data = report
    browser.open(page, 1280, 800)
    box = browser.js("(() => { const r = document.querySelector('#s0').getClientRects()[0];"
                     " return [r.left + 5, r.top + r.height / 2]; })()")
    browser.call("Input.dispatchMouseEvent", type="mouseMoved", x=box[0], y=box[1])
    detail = visible_detail(browser)
    assert detail is not None and detail["id"] == "d0"
    assert data["sentences"][0]["evidence"][0]["text"][:40] in detail["text"].replace("\n", " ")


def test_phone_width_reads_without_sideways_scrolling(report, browser, tmp_path):
    page, data = report
    browser.open(page, 390, 844)
    assert browser.js("document.documentElement.scrollWidth") <= 390
    assert browser.js("document.getElementById('evidence').checkVisibility()") is False  # no panel until a tap
    browser.click("#s1")
    sheet = browser.js("(() => { const r = document.getElementById('evidence').getBoundingClientRect();"
                       " return {top: r.top, bottom: r.bottom, width: r.width}; })()")
    assert sheet["width"] <= 390 and 0 < sheet["top"] < 844 and sheet["bottom"] <= 845
    assert visible_detail(browser)["id"] == "d1"
    browser.screenshot(tmp_path / "report-390.png", full_page=False)
    browser.click("#evidence button.close")
    assert browser.js("document.getElementById('evidence').checkVisibility()") is False


def test_page_loads_nothing_from_the_network(report, browser):
    page, _ = report
    browser.open(page, 1280, 800)
    requested = [e["params"]["request"]["url"] for e in browser.drain("Network.requestWillBeSent")]
    assert requested and all(url.startswith("file://") for url in requested), requested
