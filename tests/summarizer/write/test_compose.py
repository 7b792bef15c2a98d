"""Citations of a written sentence: every digested source that supports it, as the evaluator judges, not only
the sources whose sentences formed the claim; a source that does not support it is never cited."""

from __future__ import annotations

from evals import SourceText
from digest_core.claims import sentences_of
from summarizer.records import Claim
from summarizer.write.compose import Composer
from summarizer.write.verify import Guard

FIRST = (
    "The Brookvale council approved a new budget on Tuesday after a six-hour debate. "
    "The mayor said the vote showed broad support for public education."
)
# the same fact inside a longer sentence, which the claim grouping does not pair with FIRST's sentence
SECOND = (
    "After six hours of debate on Tuesday, the Brookvale council approved a new budget, and members then "
    "turned to the long-delayed repair of the harbour bridge. The bridge has been closed since March."
)
OTHER = (
    "A storm closed the port of Santa Mira on Friday. Ferries to the islands were cancelled for two days."
)


def _composer() -> tuple[Composer, Claim]:
    texts = {"first.txt": FIRST, "second.txt": SECOND, "other.txt": OTHER}
    usable, _ = sentences_of([(name, f"{name}-p0", text) for name, text in texts.items()])
    member = next(s for s in usable if s.source == "first.txt" and "approved" in s.text)
    claim = Claim(id=0, text=member.text, members=[member], sources=["first.txt"], independent_sources=1,
                  salience=1.0)
    guard = Guard([SourceText(name=n, text=t) for n, t in texts.items()])
    return Composer(backend=None, guard=guard, duplicate_of={}, sentences=usable), claim  # type: ignore[arg-type]


def test_a_source_outside_the_claim_that_supports_the_sentence_is_cited_with_its_own_sentence():
    composer, claim = _composer()
    text = "The Brookvale council approved a new budget on Tuesday."
    others = [s.name for s in composer.guard.sources if s.name not in claim.sources]
    supporting = composer.guard.supporting_sources(text, claim, others)
    assert "first.txt" in supporting and "second.txt" in supporting
    assert "other.txt" not in supporting
    extra = composer.corroborating(text, claim, supporting)
    assert [c.source for c in extra] == ["second.txt"]
    assert "approved a new budget" in extra[0].quote and extra[0].quote in SECOND
    assert extra[0].passage_id == "second.txt-p0"


def test_without_other_sources_only_the_claims_own_are_candidates():
    composer, claim = _composer()
    text = "The Brookvale council approved a new budget on Tuesday."
    assert composer.guard.supporting_sources(text, claim) == ["first.txt"]


def test_a_query_digest_gives_an_outlet_its_own_sentence_when_the_shared_one_is_not_its_wording():
    """The bundled model writes c.txt's version; the guard keeps it only if c.txt supports it (else extracts)."""
    from summarizer.backends import make_backend
    from summarizer.records import Citation, DigestSentence, SourceSentence
    from summarizer.select import choose_claims
    from summarizer.write import cover_uncited

    import numpy as np

    texts = {"a.txt": "The council voted on Tuesday to close the harbour bridge for repairs.",
             "b.txt": "On Tuesday the council voted to shut the harbour bridge for repairs.",
             "c.txt": "The council has not yet decided whether the harbour bridge will close, its chair said."}
    members = [SourceSentence(text=t, source=s, passage_id=f"{s}-p0", position=0) for s, t in texts.items()]
    claim = Claim(id=0, text=members[0].text, members=members, sources=list(texts), independent_sources=3,
                  salience=2.0)
    selection = choose_claims([claim], np.eye(1, dtype=np.float32), max_sentences=1, cover_sources=True)
    guard = Guard([SourceText(name=n, text=t) for n, t in texts.items()])
    composer = Composer(backend=make_backend("local", n_threads=1), guard=guard, duplicate_of={}, sentences=members)
    shared = DigestSentence(text="The council voted on Tuesday to close the harbour bridge for repairs.",
                            citations=[Citation(source=s, passage_id=f"{s}-p0", quote=texts[s]) for s in ("a.txt", "b.txt")],
                            origin="generated", faithfulness=1.0, verdict="supported", claim_id=0)
    budget = selection.max_words
    written, covered = cover_uncited([shared], selection, [claim], composer, {})
    assert written[0] is shared and len(written) == 2
    version = written[1]
    assert version.claim_id == 0 and [c.source for c in version.citations] == ["c.txt"]
    assert guard.supporting_sources(version.text, claim) == ["c.txt"] or version.origin == "extracted"
    assert covered.max_words == budget + len(version.text.split())
