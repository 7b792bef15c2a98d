"""Coverage on small documents written for these tests: covered, missed and imbalanced summaries."""

from __future__ import annotations

import pytest

from evals import Scorer, SourceText
from evals.coverage import score_coverage

A = SourceText(name="a.txt", text=(
    "The Riverton dam failed on Sunday night after three days of heavy rain. "
    "About 2,000 residents were evacuated from the valley below the dam, officials said. "
    "No deaths have been reported so far, the county sheriff said. "
    "The state governor declared an emergency in Riverton County on Monday. "
    "Engineers had warned in 2019 that the dam's spillway was too small."
))
B = SourceText(name="b.txt", text=(
    "Heavy rain caused the Riverton dam to fail late on Sunday. "
    "Officials said around 2,000 people living below the dam were evacuated. "
    "The county sheriff said nobody had died. "
    "The governor declared a state of emergency for the county on Monday. "
    "Local farmers fear their harvest is ruined by the flood."
))
C = SourceText(name="c.txt", text=(
    "The Riverton dam gave way on Sunday night following days of rain. "
    "Roughly 2,000 residents had to leave their homes, according to officials. "
    "The governor announced an emergency declaration on Monday. "
    "Insurance companies expect claims worth millions of dollars."
))
SOURCES = [A, B, C]


@pytest.fixture(scope="module")
def scorer():
    return Scorer()


def test_full_summary_covers_the_corroborated_facts(scorer):
    summary = [
        "The Riverton dam failed on Sunday night after heavy rain.",
        "About 2,000 residents were evacuated, officials said.",
        "No deaths have been reported, the sheriff said.",
        "The governor declared an emergency in the county on Monday.",
    ]
    report = score_coverage(summary, SOURCES, scorer)
    assert report.coverage is not None and report.coverage >= 0.75, [c.text for c in report.missed]
    assert "two independent" in report.salient_rule


def test_a_dropped_main_fact_scores_lower_and_is_named(scorer):
    full = [
        "The Riverton dam failed on Sunday night after heavy rain.",
        "About 2,000 residents were evacuated, officials said.",
        "No deaths have been reported, the sheriff said.",
        "The governor declared an emergency in the county on Monday.",
    ]
    dropped = [s for s in full if "2,000" not in s]
    complete = score_coverage(full, SOURCES, scorer)
    partial = score_coverage(dropped, SOURCES, scorer)
    assert partial.coverage < complete.coverage
    assert any("2,000" in c.text for c in partial.missed)
    assert not any("2,000" in c.text for c in partial.covered)
    missed = next(c for c in partial.missed if "2,000" in c.text)
    assert missed.independent_sources >= 2 and {"a.txt", "b.txt"} <= set(missed.sources)


def test_summary_of_one_outlet_shows_the_imbalance(scorer):
    only_b_unique = ["Local farmers fear their harvest is ruined by the flood.",
                     "The county sheriff said nobody had died."]
    report = score_coverage(only_b_unique, SOURCES, scorer)
    assert report.by_source["b.txt"] > report.by_source["c.txt"]
    assert report.coverage < 0.5


def test_no_salient_claim_is_invented_from_single_source_details(scorer):
    report = score_coverage(["The dam failed."], SOURCES, scorer)
    everything = [c.text for c in report.covered + report.missed]
    assert not any("Insurance" in t or "farmers" in t or "2019" in t for t in everything)
