"""The records of the linguistic layer: what a careful reader sees in one text.

``evals.language.analyse`` fills them from spaCy's parse; the checks read only these records,
never the parse itself, so they can be built and compared without the pipeline.
"""

from __future__ import annotations

from dataclasses import dataclass

# The parts of speech whose words carry the content of a text (for soft alignment and clause words).
CONTENT_POS = {"NOUN", "VERB", "ADJ", "ADV"}


@dataclass(frozen=True)
class Name:
    text: str  # as written
    label: str  # spaCy's label, or PROPN for a proper-noun run the NER missed
    words: tuple[str, ...]  # normalised: lower case, no titles, determiners, possessives or dots


@dataclass(frozen=True)
class Clause:
    verb: str  # lemma
    negated: bool
    agent: tuple[str, ...]  # normalised words of the doer ("" when none)
    patient: tuple[str, ...]  # of the thing done to
    words: frozenset[str]  # content lemmas of the clause, for telling which clauses restate which
    text: str
    named: frozenset[str] = frozenset()  # which of agent / patient are names (not common nouns)
    kinds: tuple[tuple[str, str], ...] = ()  # (role, the name's NER label or PROPN) for the named roles
    # Other parties of the action: the indirect object, objects of its prepositions ("used a taser on X",
    # "wrote to X"), and whose the thing done to is ("rejected X's analysis", "vetoed two of X's picks").
    others: tuple[tuple[str, ...], ...] = ()
    # Those of ``others`` the action is aimed at or taken from ("threatened action against X", "wrote to X",
    # "requested it from X"), not done together with, for or about ("reached a deal with X", "X's picks").
    targets: tuple[tuple[str, ...], ...] = ()
    # The word this clause is stated under, when it is not asserted in its own right: the nearest verb or noun
    # that takes it as its content ("said that ...", "wants to ...", "accused X of ...", "claims that ..."), "" when
    # asserted. ``frame``: the first word up that chain presenting it as a party's assertion rather than a fact
    # ("accuse", "allege", "believe", "allegedly"), "" when none does; ``framer``: who asserts it, when named.
    embedded_in: str = ""
    frame: str = ""
    framer: tuple[str, ...] = ()
    # The doer a clause with no subject of its own takes from the word it hangs from: "Moore was accused of
    # [touching]" (Moore), "he claimed [to have won]" (he); () when it has a subject or none is found.
    controller: tuple[str, ...] = ()
    # When the thing done to is a part of a group named after "of" ("freed three members of the team", "some of the
    # votes"): the group's words. A sentence with the group itself in that place says more than the clause does.
    whole: tuple[str, ...] = ()
    # Whether the thing done to is counted or quantified ("tens of thousand copies", "some votes", "three boys").
    counted: bool = False
    # How sure the text is that it happens: ``hedge`` is the first word on the clause or up its chain that makes
    # it a possibility, a condition, a plan or a proposal rather than a fact ("could", "would", "if", "likely",
    # "plans to", "the proposal to", "called for X to"), "" when none does; ``future``: stated as certain to happen
    # ("will", "is going to"), not as done.
    hedge: str = ""
    future: bool = False
    # Whether the clause is a finite statement ("charged", "has replaced", "will send"), not an infinitive, a
    # participle or gerund ("to end the shutdown", "inducing someone"), or a clause of time to come ("before
    # schools can reopen", "until it passes").
    finite: bool = False

    def kind(self, role: str) -> str:
        return dict(self.kinds).get(role, "")


@dataclass(frozen=True)
class Word:
    lower: str
    lemma: str
    pos: str


@dataclass(frozen=True)
class Analysis:
    text: str
    names: tuple[Name, ...]
    clauses: tuple[Clause, ...]
    content: tuple[Word, ...]
    # Constituents that could carry a claim of their own (a clause, a prepositional or adverbial phrase, an
    # object): their text and their content words, lower case, for telling an added phrase from a reworded word.
    phrases: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # Where a name hangs as the object of a preposition: (its words, the lemma the preposition hangs from, the
    # preposition, the name's NER label), e.g. "treatment for the poisoning in Germany" gives
    # (("germany",), "poisoning", "in", "GPE"). A name moved to another predicate of the same passage changes
    # this, not the names.
    attachments: tuple[tuple[tuple[str, ...], str, str, str], ...] = ()
    # Whether it states something: a finite verb with a subject (``digest_core.nlp.is_statement``).
    states: bool = True
