"""Neutral wording of extracted sentences: the source's emphasis goes, quotations and facts stay."""

from __future__ import annotations

from evals import SourceText
from summarizer.neutral import strip_emphasis
from summarizer.write.verify import Guard, guarded_sentence

from .test_run import _seed_claims


def test_intensifiers_go_outside_quotes_only():
    assert strip_emphasis("Talks were deeply divided, officials said.") == "Talks were divided, officials said."
    assert strip_emphasis("Extremely tense talks ended.") == "Tense talks ended."
    assert strip_emphasis('He called it "very bad" on Monday.') == 'He called it "very bad" on Monday.'


def test_quantities_and_identities_are_not_emphasis():
    for text in ("Very few people came.", "It was the very first vote.", "At the very end, nine voted no."):
        assert strip_emphasis(text) == text


def test_an_extracted_seed_sentence_loses_its_emphasis_and_stays_supported():
    docs, duplicates, claims = _seed_claims()
    claim = next(c for c in claims if "very broad outlines" in c.text)
    guard = Guard([SourceText(name=d.name, text=d.article_text()) for d in docs])
    text, origin, score, why = guarded_sentence(claim, guard, lambda p, r: None)
    assert origin == "extracted" and why == "first attempt: no usable output"
    assert "very" not in text.split() and "broad outlines of what Ukraine might need to give up" in text
    assert score.verdict == "supported"


def test_a_connective_pointing_to_the_sentence_before_goes():
    from summarizer.neutral import strip_connective
    from summarizer.write.sentence import tidy

    assert strip_connective("But some Americans see oppression in the health rules.") == (
        "Some Americans see oppression in the health rules.")
    assert strip_connective("However, the court disagreed with the ruling.") == "The court disagreed with the ruling."
    for text in ("Still images show the damage to the port.", "So far, 12 people have died.",
                 "Instead of voting, they left the chamber.", "Andrew Cuomo resigned on Tuesday."):
        assert strip_connective(text) == text
    assert tidy("But now Moore has decided to run for the Senate again") == "Now Moore has decided to run for the Senate again."


def test_a_wire_dateline_is_not_part_of_the_sentence():
    from summarizer.meta import strip_dateline

    assert strip_dateline("WASHINGTON — The House passed the bill on Friday.") == "The House passed the bill on Friday."
    assert strip_dateline("SEOUL, South Korea — Kim never missed the April visit.") == "Kim never missed the April visit."
    assert strip_dateline("LONDON (Reuters) - Prices rose 3 percent in May.") == "Prices rose 3 percent in May."
    assert strip_dateline("Washington (CNN)The Supreme Court let the ruling stand.") == "The Supreme Court let the ruling stand."
    assert strip_dateline("(CNN) - Patience is in short supply across the country.") == (
        "Patience is in short supply across the country.")
    for text in ("NATO - the alliance - met in Brussels.", "The House passed the bill.", "U.S. officials met on Friday.",
                 "WASHINGTON — Yes."):
        assert strip_dateline(text) == text
