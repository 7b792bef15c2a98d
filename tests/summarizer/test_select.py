"""The select stage: how long the digest is, which claims it states, and why the others were left out."""

from __future__ import annotations

import numpy as np
import pytest

from summarizer.select import fit_word_budget
from summarizer.records import Claim, DigestSentence, SourceSentence
from summarizer.select import (choose_claims, claims_for_uncited, echoes, leans_on_context, plainest_wording,
                               target_sentences)


def _claim(i: int, words: int, independent: int, salience: float, position: int = 0) -> Claim:
    text = " ".join(["Officials", "reported", "fact%d" % i] + ["word"] * (words - 4)) + " today."  # a statement
    sources = [f"s{k}.txt" for k in range(independent)]
    members = [SourceSentence(text=text, source=s, position=position) for s in sources]
    return Claim(id=i, text=text, members=members, sources=sources, independent_sources=independent,
                 salience=salience)


def _orthogonal(n: int) -> np.ndarray:
    return np.eye(n, dtype=np.float32)


def test_three_short_reports_with_few_shared_facts_get_a_few_sentences():
    # One fact two outlets share, nine that one outlet each carries: the base of three sentences.
    claims = [_claim(0, 20, 2, 2.0)] + [_claim(i, 15, 1, 1.5 - i / 100) for i in range(1, 10)]
    selection = choose_claims(claims, _orthogonal(10))
    assert target_sentences(claims) == 3 and len(selection.claims) == 3
    words = sum(len(c.text.split()) + (4 if c.independent_sources < 2 else 0) for c in selection.claims)
    assert words <= selection.max_words
    reasons = {o.claim_id: o.reason for o in selection.left_out}
    assert set(reasons) == set(range(3, 10)) and set(reasons.values()) == {"less_salient"}
    assert all(c.used for c in selection.claims) and not any(c.used for c in claims[3:])


def test_many_corroborated_facts_get_a_sentence_each():
    claims = [_claim(i, 30, 2, 3.0 - i / 10) for i in range(8)] + [_claim(8 + i, 30, 1, 1.0) for i in range(4)]
    selection = choose_claims(claims, _orthogonal(12))
    # All eight shared facts, although 8 x 30 words is past the default budget; single-source ones are left out.
    assert sorted(c.id for c in selection.claims) == list(range(8))
    assert {o.reason for o in selection.left_out} == {"less_salient"}


def test_max_words_binds_every_claim_and_says_so():
    claims = [_claim(i, 30, 2, 3.0 - i / 10) for i in range(8)]
    selection = choose_claims(claims, _orthogonal(8), max_words=70)
    assert [c.id for c in selection.claims] == [0, 1]
    over = [o for o in selection.left_out if o.reason == "over_word_budget"]
    assert len(over) == 6 and "70-word budget" in over[0].detail


def test_a_repeat_is_left_out_with_the_claim_it_repeats():
    claims = [_claim(0, 12, 2, 2.0), _claim(1, 12, 2, 1.9), _claim(2, 12, 2, 1.8)]
    vectors = _orthogonal(3)
    vectors[1] = vectors[0]  # claim 1 says what claim 0 says
    selection = choose_claims(claims, vectors)
    assert [c.id for c in selection.claims] == [0, 2]
    assert selection.left_out[0].reason == "repeats" and "claim 0" in selection.left_out[0].detail


def test_story_order_puts_the_event_first():
    claims = [_claim(0, 12, 2, 2.0, position=5), _claim(1, 12, 2, 1.9, position=0), _claim(2, 12, 2, 1.8, position=2)]
    assert [c.id for c in choose_claims(claims, _orthogonal(3)).claims] == [1, 2, 0]


def test_the_most_salient_claim_stays_even_when_longer_than_the_budget():
    claims = [_claim(0, 50, 1, 2.0), _claim(1, 10, 1, 1.0)]
    selection = choose_claims(claims, _orthogonal(2), max_words=20)
    assert [c.id for c in selection.claims] == [0]


def _sentence(claim: Claim, words: int, text: str | None = None) -> DigestSentence:
    return DigestSentence(text=text or " ".join(["w"] * words), citations=[], origin="generated", faithfulness=0.9,
                          claim_id=claim.id)


def test_written_sentences_over_budget_drop_disagreement_quotes_then_least_salient_single_source_claims():
    claims = [_claim(0, 20, 2, 3.0), _claim(1, 20, 1, 2.0), _claim(2, 20, 1, 1.0)]
    selection = choose_claims(claims, _orthogonal(3), max_sentences=3, max_words=100)
    selection.hard_budget = False
    written = [_sentence(claims[0], 30), _sentence(claims[0], 20, "Accounts differ:" + " w" * 18), _sentence(claims[1], 30),
               _sentence(claims[2], 30)]
    kept, left_out = fit_word_budget(written, selection, claims)
    # 110 words: the disagreement's extra sentence goes first, then nothing more (90 <= 100).
    assert [s.claim_id for s in kept] == [0, 1, 2] and not left_out
    selection.max_words = 60
    kept, left_out = fit_word_budget(written, selection, claims)
    assert [s.claim_id for s in kept] == [0, 1]
    assert [(o.claim_id, o.reason) for o in left_out] == [(2, "over_word_budget")] and not claims[2].used
    # A corroborated fact is not dropped for the default budget, only for the user's.
    claims = [_claim(0, 20, 2, 3.0), _claim(1, 20, 2, 2.0)]
    selection = choose_claims(claims, _orthogonal(2))
    selection.max_words = 30
    kept, _ = fit_word_budget([_sentence(claims[0], 30), _sentence(claims[1], 30)], selection, claims)
    assert len(kept) == 2
    selection.hard_budget = True
    kept, _ = fit_word_budget([_sentence(claims[0], 30), _sentence(claims[1], 30)], selection, claims)
    assert [s.claim_id for s in kept] == [0]


def test_a_claim_in_loaded_words_yields_to_a_plain_one():
    loaded = _claim(0, 12, 1, 2.0)
    loaded.text = 'Officials called the vote "a sham" and the council "corrupt" on Monday.'
    plain = _claim(1, 12, 1, 1.9)
    plain.text = "The council approved the budget on Monday after a long debate."
    selection = choose_claims([loaded, plain], _orthogonal(2), max_sentences=1)
    assert [c.id for c in selection.claims] == [1]


@pytest.mark.parametrize("text, leans", [
    ("He will visit a Border Patrol station in McAllen.", True),
    ("That shatters the post-war record of 10.8 percent.", True),
    ("One such cause is playing out in Hong Kong.", True),
    ("Those states have issued varying prohibitions.", True),
    ("This week the Senate returns to the bill.", False),
    ("The president will visit a Border Patrol station in McAllen.", False),
    ("Theresa May will visit Brussels.", False),
    ("Heavy rain closed the roads.", False),
    ("It found that fewer than 10% of infections were among the vaccinated.", True),
    ("It is unclear whether the bill will pass.", False),
    ("'Trying to shape behaviour is not science,' he added.", True),
    ('"We will win," Senator Smith said.', False),
    ("Italy won the cup.", False),
    ("Biden leads in both of those states.", True),
    ("The latter was arrested on Monday.", True),
    ("Many of those who voted were young.", False),
])
def test_a_sentence_opening_on_a_word_that_points_back_is_told_apart(text, leans):
    assert leans_on_context(text) is leans


def test_a_claim_that_leans_on_the_sentence_before_it_yields_to_one_that_stands_alone():
    leaning = _claim(0, 12, 2, 2.0)
    leaning.text = "He " + leaning.text
    claims = [leaning, _claim(1, 12, 2, 1.9), _claim(2, 12, 2, 1.8), _claim(3, 12, 2, 1.7)]
    selection = choose_claims(claims, _orthogonal(4), max_sentences=3)
    assert [c.id for c in selection.claims] == [1, 2, 3]
    assert [o.claim_id for o in selection.left_out] == [0]


def test_a_fact_other_outlets_echo_in_other_words_outranks_one_they_do_not():
    # Two single-source facts of a.txt, equally salient; b.txt says something close to the first (cosine 0.6,
    # under the grouping's same-fact line), nothing like the second.
    echoed = SourceSentence(text="The council approved the new budget on Monday evening.", source="a.txt", position=3)
    alone = SourceSentence(text="The mayor wore a blue tie to the council meeting.", source="a.txt", position=3)
    other = SourceSentence(text="Monday's vote passed the city's spending plan.", source="b.txt", position=5)
    vectors = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.6, 0.0, 0.8]], dtype=np.float32)
    claims = [Claim(id=i, text=s.text, members=[s], sources=["a.txt"], independent_sources=1, salience=1.0)
              for i, s in enumerate([alone, echoed])]
    echo = echoes(claims, [echoed, alone, other], vectors)
    assert echo[1] == pytest.approx(0.6) and echo[0] == pytest.approx(0.0)
    picked = choose_claims(claims, _orthogonal(2), max_sentences=1, echo=echo).claims
    assert [c.id for c in picked] == [1]
    # A copy of a.txt's report echoes nothing: b.txt syndicates a.txt here.
    assert echoes(claims, [echoed, alone, other], vectors, {"b.txt": "a.txt"}) == {0: 0.0, 1: 0.0}


def test_the_plainest_of_the_sources_wordings_is_the_one_extracted():
    loaded = SourceSentence(text="The senator slammed the radical bill on Monday.", source="a.txt", position=0)
    plain = SourceSentence(text="The senator voted against the bill on Monday.", source="b.txt", position=2)
    claim = Claim(id=0, text=loaded.text, members=[loaded, plain], sources=["a.txt", "b.txt"], independent_sources=2,
                  salience=2.0)
    assert plainest_wording(claim) == plain.text
    # With no loaded word to avoid, the representative (nearest the claim's centre) stays.
    other = SourceSentence(text="The senator opposed the bill in a vote on Monday.", source="c.txt", position=1)
    claim = Claim(id=0, text=plain.text, members=[other, plain], sources=["b.txt", "c.txt"], independent_sources=2,
                  salience=2.0)
    assert plainest_wording(claim) == plain.text


def _from(i: int, sources: list[str], salience: float) -> Claim:
    text = f"Officials reported fact{i} " + " ".join(["word"] * 8) + " today."
    members = [SourceSentence(text=text, source=s, position=i) for s in sources]
    return Claim(id=i, text=text, members=members, sources=sources, independent_sources=len(set(sources)),
                 salience=salience)


def test_a_query_digest_gives_every_retrieved_source_its_say():
    # a.txt and b.txt carry the salient facts; c.txt's only fact ranks last: plain selection leaves c.txt out.
    claims = [_from(0, ["a.txt", "b.txt"], 3.0), _from(1, ["a.txt"], 2.0), _from(2, ["b.txt"], 1.9),
              _from(3, ["a.txt"], 1.8), _from(4, ["c.txt"], 0.5), _from(5, ["d.txt"], 0.4)]
    plain = choose_claims([c.model_copy() for c in claims], _orthogonal(6))
    assert {s for c in plain.claims for s in c.sources} == {"a.txt", "b.txt"}

    covered = choose_claims([c.model_copy() for c in claims], _orthogonal(6), cover_sources=True,
                            duplicate_of={"d.txt": "a.txt"})  # d.txt is a copy of a.txt: a.txt already speaks for it
    assert sorted(c.id for c in covered.claims) == [0, 1, 2, 4]
    assert 4 not in {o.claim_id for o in covered.left_out}
    assert covered.max_words >= sum(len(c.text.split()) + 4 * (c.independent_sources < 2) for c in covered.claims)

    # At the user's sentence limit, c.txt's fact takes the place of the lowest-ranked claim whose source stays cited.
    capped = choose_claims([c.model_copy() for c in claims], _orthogonal(6), max_sentences=3, cover_sources=True,
                           duplicate_of={"d.txt": "a.txt"})
    assert sorted(c.id for c in capped.claims) == [0, 1, 4]
    swapped = next(o for o in capped.left_out if o.claim_id == 2)
    assert "c.txt" in swapped.detail


def test_covering_sources_never_repeats_a_chosen_claim():
    claims = [_from(0, ["a.txt"], 3.0), _from(1, ["b.txt"], 1.0)]
    vectors = _orthogonal(2)
    vectors[1] = vectors[0]  # b.txt's only fact says what a.txt's says
    selection = choose_claims(claims, vectors, cover_sources=True)
    assert [c.id for c in selection.claims] == [0]


def _said(i: int, text_by_source: dict[str, str], salience: float) -> Claim:
    members = [SourceSentence(text=t, source=s, position=i) for s, t in text_by_source.items()]
    return Claim(id=i, text=members[0].text, members=members, sources=list(text_by_source),
                 independent_sources=len(text_by_source), salience=salience)


CLOSE = {"a.txt": "The council voted on Tuesday to close the harbour bridge for repairs.",
         "b.txt": "On Tuesday the council voted to shut the harbour bridge for repairs.",
         "c.txt": "The council has not yet decided whether the harbour bridge will close, its chair said."}


def test_an_outlet_left_uncited_gets_a_fact_of_its_own_first():
    # c.txt is a member of the stated claim but, as written, that claim's sentence is cited to a.txt and b.txt only
    claims = [_said(0, CLOSE, 3.0), _said(1, {"c.txt": "The repairs are expected to cost 4 million dollars."}, 1.0)]
    selection = choose_claims([c.model_copy() for c in claims], _orthogonal(2), max_sentences=1, cover_sources=True)
    assert [c.id for c in selection.claims] == [0] and selection.cover_sources
    versions = claims_for_uncited(claims, selection, cited={"a.txt", "b.txt"}, duplicate_of={})
    assert [(v.id, v.sources) for v in versions] == [(1, ["c.txt"])]
    assert claims_for_uncited(claims, selection, cited={"a.txt", "b.txt", "c.txt"}, duplicate_of={}) == []


def test_failing_a_fact_of_its_own_an_outlet_states_the_shared_claim_in_its_own_words():
    claims = [_said(0, {**CLOSE, "d.txt": CLOSE["c.txt"]}, 3.0)]  # d.txt copies c.txt
    selection = choose_claims([c.model_copy() for c in claims], _orthogonal(1), cover_sources=True)
    versions = claims_for_uncited(claims, selection, cited={"a.txt", "b.txt"}, duplicate_of={"d.txt": "c.txt"})
    assert len(versions) == 1
    version = versions[0]
    assert version.id == 0 and version.sources == ["c.txt", "d.txt"] and version.independent_sources == 1
    assert version.text == CLOSE["c.txt"] and {m.source for m in version.members} == {"c.txt", "d.txt"}
    assert len(claims[0].members) == 4  # the claim itself is untouched


def test_a_phrase_or_a_sentence_cut_short_in_its_source_is_no_claim_to_state():
    fragment = _claim(0, 12, 2, 3.0)
    fragment.text = "The House Democrats, led by lead manager Jamie B. Raskin (D-Md."  # the source stops here
    headline = _claim(1, 12, 2, 2.9)
    headline.text = "The Full 60 Minutes Interview with Andrew McCabe."
    fact = _claim(2, 12, 2, 1.0)
    selection = choose_claims([fragment, headline, fact], _orthogonal(3), max_sentences=2)
    assert [c.id for c in selection.claims] == [2]
    assert {o.claim_id: o.reason for o in selection.left_out} == {0: "not_a_statement", 1: "not_a_statement"}


@pytest.mark.parametrize("text, states", [
    ("Four people killed in Texas shooting.", False),
    ("Next stop: the U.S. House of Representatives.", False),
    ("The unusually subdued Trump called the loss a \"learning experience.\"", True),  # parsed as a modifier
    ("Gonsalves, 53, allegedly submitted more than 8,000 fraudulent voter registration applications.", True),
    ("There were 12 arrests on Monday.", True),
])
def test_a_statement_has_a_finite_verb_and_a_subject(text, states):
    from digest_core.nlp import is_statement

    assert is_statement(text) is states
