"""Ingest keeps what an article says about itself: title, date and outlet, in the real embedded store."""

from __future__ import annotations

from pathlib import Path

from summarizer.ingest import ingest
from summarizer.meta import parse_date, take_header
from summarizer.stores import open_store

FRONT_MATTER = """---
title: Employers add 275,000 jobs in February
date: March 8, 2024
source: Example Wire
tags: [economy]
---

WASHINGTON (Reuters) - Employers added 275,000 jobs in February, the Labor Department said on Friday.
"""

HEADER_LINES = """Title: Storm Zed reaches the coast
Published: 2024-09-01T08:00:00Z
Outlet: Daily Example

Storm Zed made landfall on Sunday, forcing 10,000 people from their homes.
"""

DATELINE = """Jobs growth slows in March

LONDON (AP) — Employers added 150,000 jobs in March, fewer than forecast, officials said.
"""


def test_dates_parse_to_iso_and_nonsense_is_not_a_date():
    assert parse_date("March 8, 2024") == "2024-03-08"
    assert parse_date("8 Sept 2024") == "2024-09-08"
    assert parse_date("2024-09-01T08:00:00Z") == "2024-09-01"
    assert parse_date("Mayor said 12 things") is None


def test_text_without_a_header_is_left_alone():
    meta, text = take_header("Source: a reader wrote this in the middle\n\nText.")
    assert meta.outlet == "a reader wrote this in the middle"  # a leading Key: value line is a header
    plain = "The council met on Friday.\nSource: the minutes."
    assert take_header(plain) == (type(meta)(), plain)


def test_a_headline_keeps_its_own_quotation_marks_and_loses_only_a_wrapping_pair():
    def title(line: str) -> str | None:
        return take_header(f"{line}\n\nText.")[0].title

    assert title("Title: Trump suggests Senate use 'nuclear option'") == "Trump suggests Senate use 'nuclear option'"
    assert title("Title: 'Basket of deplorables': Clinton told the truth") == (
        "'Basket of deplorables': Clinton told the truth")
    assert title('title: "Storm Zed reaches the coast"') == "Storm Zed reaches the coast"  # YAML's quoting
    assert title("title: 'Storm Zed reaches the coast'") == "Storm Zed reaches the coast"
    assert title("""title: "'No deal', says minister\"""") == "'No deal', says minister"


def test_ingest_stores_title_date_and_outlet(tmp_path: Path):
    folder = tmp_path / "feed"
    folder.mkdir()
    (folder / "a.md").write_text(FRONT_MATTER)
    (folder / "b.txt").write_text(HEADER_LINES)
    (folder / "2024-04-05-c.txt").write_text(DATELINE)
    store = open_store(tmp_path / "store")
    result, documents = ingest([folder], store)
    assert result.documents == 3
    got = {p.source: p for p in store.passages() if p.index == 0}
    assert (got["a.md"].title, got["a.md"].date, got["a.md"].outlet) == (
        "Employers add 275,000 jobs in February", "2024-03-08", "Example Wire")
    assert (got["b.txt"].title, got["b.txt"].date, got["b.txt"].outlet) == (
        "Storm Zed reaches the coast", "2024-09-01", "Daily Example")
    # the date from the file name, the outlet from the wire dateline
    c = got["2024-04-05-c.txt"]
    assert (c.title, c.date, c.outlet) == ("Jobs growth slows in March", "2024-04-05", "AP")
    # the header lines are metadata, not article text
    assert "Outlet:" not in got["b.txt"].text and "tags:" not in got["a.md"].text
