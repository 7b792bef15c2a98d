"""A party's assertion, or a plan, that a summary states as fact (evals/attribution.py), with the real spaCy
pipeline, MiniLM vectors and the fitted judge. The sources are written for these tests."""

from __future__ import annotations

import pytest

from evals import SourceText
from evals.language import analyse
from benchmarks.stress_set import ATTRIBUTION_PARTS, read_cases, read_clusters, score_cases, tally

WIRE = SourceText(name="wire.txt", text=(
    "Turkey accused Kurdish fighters of violating the ceasefire near the border town on Sunday. "
    "Investigators believe the fire at the grain depot was set deliberately. "
    "There are allegations that the harbour master took bribes from two shipping firms. "
    "The bakery chain said it will close ten of its stores in March. "
    "The city council plans to demolish the old stadium next year. "
    "Police could not find the weapon used in the robbery. "
    "Spain will not be worried by the friendly defeat, insists Gerard Pique."))

PLAIN = SourceText(name="plain.txt", text=(
    "Fighting flared near the border town on Sunday. "
    "Investigators have not said how the depot fire began. "
    "Two shipping firms paid the harbour master, court records show."))


def findings(scorer, text: str, sources=(WIRE,)) -> list:
    return [f for f in scorer.score_sentence(text, list(sources)).findings if f.check.startswith("whose statement")]


@pytest.mark.parametrize("text, frame", [
    ("Kurdish fighters violated the ceasefire near the border town on Sunday.", "accusation"),
    ("The fire at the grain depot was set deliberately.", "belief"),
    ("The harbour master took bribes from two shipping firms.", "allegation"),
    ("The city council demolished the old stadium.", "plan"),
])
def test_what_a_source_only_reports_as_a_partys_assertion_or_a_plan_is_not_supported_as_fact(scorer, text, frame):
    score = scorer.score_sentence(text, [WIRE])
    (finding,) = [f for f in score.findings if f.check.startswith("whose statement")]
    assert score.verdict == "unsupported" and finding.blocking and frame in finding.detail


@pytest.mark.parametrize("text", [
    "Turkey says Kurdish fighters broke the ceasefire near the border town on Sunday.",
    "Kurdish fighters allegedly violated the ceasefire near the border town on Sunday.",
    "Investigators suspect the fire at the grain depot was set on purpose.",
    "The harbour master is alleged to have taken bribes from two shipping firms.",
    "The city council intends to demolish the old stadium next year.",
    # a plain "said" of a party's own announcement may go
    "The bakery chain will close ten of its stores in March.",
    # "could not find" is not a possibility
    "Police did not find the weapon used in the robbery.",
    # a frame verb after the statement, used as a speech tag
    "Spain will not be worried by the friendly defeat.",
    # a plan restated with "would": still not stated as done
    "The city council would demolish the old stadium next year.",
])
def test_an_attribution_kept_reworded_or_rightly_dropped_is_not_flagged(scorer, text):
    assert findings(scorer, text) == []


def test_a_statement_another_source_makes_in_its_own_voice_needs_no_attribution(scorer):
    text = "Two shipping firms paid the harbour master."
    assert findings(scorer, text, (WIRE, PLAIN)) == []
    assert findings(scorer, "The harbour master took bribes from two shipping firms.", (WIRE, PLAIN))


def test_clauses_carry_the_frame_they_are_stated_under_and_the_doer_they_take_from_it():
    (analysis,) = analyse(["Turkey accused Kurdish fighters of violating the ceasefire on Sunday."])
    violate = next(c for c in analysis.clauses if c.verb == "violate")
    assert (violate.embedded_in, violate.frame, violate.framer, violate.controller) == (
        "accuse", "accuse", ("turkey",), ("fighter",))
    (analysis,) = analyse(["The bakery chain said it will close ten of its stores in March."])
    close = next(c for c in analysis.clauses if c.verb == "close")
    assert (close.embedded_in, close.frame) == ("say", "")


def test_the_attribution_set_read_while_building_the_check_is_scored_as_recorded(scorer):
    """attr-a (benchmarks/stress/attr-a.jsonl, read while building the check): the check finds some of the
    dropped attributions and flags no faithful sentence that the rest of the judge let pass. The held-out attr-b
    is scored by benchmarks/stress_judge.py --parts attr-b only (RESULTS.md)."""
    outcomes = score_cases(read_cases(ATTRIBUTION_PARTS[:1]), read_clusters(), scorer)
    result = tally(outcomes)
    assert result["recall_by_type"]["attribution_dropped"]["caught"] >= 4
    assert not [o.case.id for o in outcomes if o.case.label == "faithful"
                and any("is stated as fact; the source reports it only" in f for f in o.findings)]
    assert result["false_flags_by_type"]["fact_restated"]["flagged"] <= 1


QUOTES = SourceText(name="hearing.txt", text=(
    'Dr. Lena Ortiz told the committee on Thursday that "without a national plan, this could be the hardest winter '
    'the country has faced in a century." The committee adjourned without a vote. '
    'Ortiz was moved to a smaller post in May, the agency said.'))


@pytest.mark.parametrize("text, flagged", [
    # the speaker's words in the digest's own voice
    ("This could be the hardest winter the country has faced in a century.", True),
    ("The country faces its hardest winter in a century without a national plan.", True),
    # with the speaker, quoted or reported
    ('Ortiz said "this could be the hardest winter the country has faced in a century."', False),
    ("Ortiz told the committee this could be the hardest winter in a century without a national plan.", False),
    # what the article states itself
    ("The committee adjourned on Thursday without a vote.", False),
])
def test_a_speakers_quoted_words_stated_in_the_summarys_own_voice_are_unsupported(scorer, text, flagged):
    found = [f for f in scorer.score_sentence(text, [QUOTES]).findings if f.check.startswith("whose words")]
    assert bool(found) is flagged
    if flagged:
        assert found[0].blocking and "quoted words" in found[0].detail


COUNCIL = SourceText(name="council.txt", text=(
    "Senate leaders on Tuesday unveiled a proposal to raise the state minimum wage to $15 an hour. "
    "The museum will close its east wing if the strike by its guards continues. "
    "The city council will likely approve the new budget next week. "
    "The finance minister said the fuel tax could rise again next year. "
    "The governor signed an order that aims to cut emissions from state buildings."))


@pytest.mark.parametrize("text, how", [
    ("Senate leaders raised the state minimum wage to $15 an hour.", "a proposal"),
    ("The museum closed its east wing as the strike by its guards continued.", "a condition ('if')"),
    ("The city council will approve the new budget next week.", "a likelihood"),
    ("The finance minister said the fuel tax will rise again next year.", "a possibility ('could')"),
])
def test_a_proposal_a_condition_or_a_likelihood_stated_as_done_or_certain_is_unsupported(scorer, text, how):
    score = scorer.score_sentence(text, [COUNCIL])
    (finding,) = [f for f in score.findings if f.check.startswith("how sure")]
    assert score.verdict == "unsupported" and finding.blocking and finding.detail.endswith(how), finding.detail


@pytest.mark.parametrize("text", [
    "Senate leaders proposed raising the state minimum wage to $15 an hour.",
    "The museum may close its east wing if the guards' strike goes on.",
    "The city council is expected to approve the new budget next week.",
    "The finance minister said the fuel tax might rise again next year.",
    # an infinitive of purpose is no statement that the thing was done
    "The governor signed an order to cut emissions from state buildings.",
    # a sentence that hedges, wherever the parser hangs the hedge
    "The council appears ready and will likely approve the new budget next week.",
    "The vote was reportedly delayed, and the city council will approve the new budget next week.",
])
def test_a_hedge_kept_or_reworded_is_not_flagged_as_certainty(scorer, text):
    assert [f.detail for f in scorer.score_sentence(text, [COUNCIL]).findings if f.check.startswith("how sure")] == []


def test_a_source_that_states_it_plainly_clears_what_another_only_proposes(scorer):
    plain = SourceText(name="vote.txt", text="Lawmakers raised the state minimum wage to $15 an hour on Friday.")
    text = "Senate leaders raised the state minimum wage to $15 an hour."
    assert [f for f in scorer.score_sentence(text, [COUNCIL]).findings if f.check.startswith("how sure")]
    assert not [f for f in scorer.score_sentence(text, [COUNCIL, plain]).findings if f.check.startswith("how sure")]


def test_clauses_carry_how_sure_their_text_is():
    (analysis,) = analyse(["Democrats rejected the proposal to extend the program, which will likely expire in May."])
    hedges = {c.verb: (c.hedge, c.future, c.finite) for c in analysis.clauses}
    assert hedges["reject"] == ("", False, True)
    assert hedges["extend"] == ("proposal", False, False)
    assert hedges["expire"] == ("likely", True, True)


def test_the_same_doer_stating_it_in_other_words_clears_an_attempt(scorer):
    sought = SourceText(name="sought.txt", text="Investigators say Russia sought to interfere in the 2016 vote.")
    plain = SourceText(name="plain.txt", text="Russia meddled in the 2016 vote, the committee found.")
    text = "Russia interfered in the 2016 vote."

    def how_sure(sources):
        return [f for f in scorer.score_sentence(text, sources).findings if f.check.startswith("how sure")]

    assert how_sure([sought]) and not how_sure([sought, plain])
