"""Cross-source behaviour on small documents written for these tests."""

from __future__ import annotations

from evals import Scorer
from digest_core.claims import sentences_of
from digest_core.embedding import default_embedder
from digest_core.syndication import find_duplicates, independent_count
from summarizer.claims import group_claims
from summarizer.select import choose_claims
from summarizer.write.synthesis import attribute, disagreement_sentences, find_disagreements

ORIGINAL = (
    "The city council of Brookvale approved a new budget on Tuesday after a six-hour debate. "
    "The budget raises spending on schools by 4 percent, the council said. "
    "Twelve members voted in favour and three voted against the plan. "
    "The mayor said the vote showed broad support for public education."
)
COPY = "Via the Brookvale Herald: " + ORIGINAL + " Readers can follow updates on our site."
REWRITE = (
    "Brookvale's council passed its budget on Tuesday following a long debate. "
    "Spending on schools will rise by 4 percent under the plan, according to the council. "
    "Nine members voted in favour and three voted against the plan. "
    "The budget is a disastrous giveaway to the teachers unions and a shameful waste of money."
)


def _claims(texts: dict[str, str]):
    duplicates = find_duplicates(texts)
    usable, opinion = sentences_of([(name, f"{name}-p0", text) for name, text in texts.items()])
    vectors = default_embedder().embed([s.text for s in usable])
    claims = group_claims(usable, vectors, duplicates)
    return duplicates, usable, opinion, claims


def test_copies_are_detected_by_text_overlap_not_names():
    texts = {"a.txt": ORIGINAL, "zz-copy.txt": COPY, "b.txt": REWRITE}
    duplicates = find_duplicates(texts)
    assert duplicates == {"a.txt": "zz-copy.txt"} or duplicates == {"zz-copy.txt": "a.txt"}
    assert "b.txt" not in duplicates
    assert independent_count({"a.txt", "zz-copy.txt"}, duplicates) == 1
    assert independent_count({"a.txt", "zz-copy.txt", "b.txt"}, duplicates) == 2


def test_corroboration_counts_copies_once_and_ranks_corroborated_claims_first():
    duplicates, _, _, claims = _claims({"a.txt": ORIGINAL, "copy.txt": COPY, "b.txt": REWRITE})
    schools = next(c for c in claims if "4 percent" in c.text)
    assert set(schools.sources) == {"a.txt", "copy.txt", "b.txt"}
    assert schools.independent_sources == 2
    mayor = next(c for c in claims if "mayor" in c.text)
    assert mayor.independent_sources == 1  # only the original (and its copy) report it
    assert claims.index(schools) < claims.index(mayor)
    vectors = default_embedder().embed([c.text for c in claims])
    chosen = choose_claims(claims, vectors, max_sentences=2).claims
    assert all(c.independent_sources == 2 for c in chosen)


def test_loaded_opinion_is_set_aside_not_used_as_fact():
    _, usable, opinion, claims = _claims({"a.txt": ORIGINAL, "b.txt": REWRITE})
    assert any("disastrous" in s.text for s in opinion)
    assert not any("disastrous" in s.text for s in usable)
    assert not any("disastrous" in m.text for c in claims for m in c.members)


def test_a_piece_of_a_longer_quotation_is_no_fact_to_state():
    speech = ('The mayor spoke at the harbour on Monday. "We will rebuild the pier. We owe it to the fishermen," '
              'the mayor said. "This is a town that does not give up," she added.')
    usable, _ = sentences_of([("a.txt", "a.txt-p0", speech)])
    kept = [s.text for s in usable]
    assert "The mayor spoke at the harbour on Monday." in kept
    assert '"This is a town that does not give up," she added.' in kept  # a whole quotation, with its speaker
    assert not any("rebuild" in t or "fishermen" in t for t in kept), kept  # its halves name no speaker


def test_a_piece_of_a_quotation_in_single_marks_is_no_fact_to_state_either():
    speech = ("The senator posted the video on Monday. 'Most masks sold over the counter do not work. They do not stop "
              "infection,' the senator said in the video. 'We will not back down,' he added. "
              "He called the ban ‘a disaster,’ and left. The players' union said it would appeal.")
    usable, _ = sentences_of([("a.txt", "a.txt-p0", speech)])
    kept = [s.text for s in usable]
    assert not any("masks" in t or "infection" in t for t in kept), kept  # its halves name no speaker
    for whole in ("'We will not back down,' he added.", "He called the ban ‘a disaster,’ and left.",
                  "The players' union said it would appeal.", "The senator posted the video on Monday."):
        assert whole in kept, (whole, kept)


def test_a_headline_ending_on_a_quotation_is_no_fact_to_state():
    text = ('Whistleblower warns the country is heading toward "the darkest winter in modern history"\n\n'
            'Dr. Rick Bright testified to a House panel on Thursday morning.')
    usable, _ = sentences_of([("a.txt", "a.txt-p0", text)])
    assert [s.text for s in usable] == ["Dr. Rick Bright testified to a House panel on Thursday morning."]


def test_single_source_fact_is_attributed():
    assert attribute("The mayor praised the vote.", 1) == "The mayor praised the vote, according to one outlet."
    assert attribute("Lots of voters stayed home.", 1) == "Lots of voters stayed home, according to one outlet."
    assert attribute('He said it was "a test."', 1) == 'He said it was "a test."'  # already attributed
    assert attribute('The plan is called "Zero"', 1) == 'The plan is called "Zero", according to one outlet.'
    assert attribute("The mayor praised the vote, the council said.", 1) == "The mayor praised the vote, the council said."
    assert attribute("The mayor praised the vote.", 2) == "The mayor praised the vote."


def test_sources_that_disagree_on_a_number_are_reported_with_both_citations():
    duplicates, _, _, claims = _claims({"a.txt": ORIGINAL, "b.txt": REWRITE})
    found = find_disagreements(claims, duplicates, Scorer())
    vote = [d for d in found if "voted" in d.topic]
    assert vote, [d.topic for d in found]
    sources = {c.source for c in vote[0].statements}
    assert sources == {"a.txt", "b.txt"}
    (first, cite_first), (second, cite_second) = disagreement_sentences(vote[0])
    assert {cite_first.source, cite_second.source} == {"a.txt", "b.txt"}
    both = {first: cite_first.source, second: cite_second.source}
    assert any("Twelve members" in text and source == "a.txt" for text, source in both.items())
    assert any("Nine members" in text and source == "b.txt" for text, source in both.items())
    # Claims where the sources agree are not reported as disagreements.
    assert not [d for d in found if "4 percent" in d.topic]
