"""Whose statement it is: a party's assertion the summary states as fact.

A source that writes "Turkey accused Kurdish fighters of violating the truce" vouches for an accusation, not
for the violation. A summary sentence "Kurdish fighters violated the truce" uses the source's words and its
roles, so the other checks pass it; a careful editor does not. The check reads the clauses' frames
(``Clause.frame``, from the dependency parse in evals.clauses): the sentence states a clause in its own right,
with no attribution anywhere in it, that the evidence holds only under a word presenting it as a party's
assertion (accuse, allege, claim, argue, believe, suspect, "allegedly", "the allegation that" ...), and that no
passage of the allowed sources states plainly. A plain "said" is not such a word: news states announcements and
plain facts through it, and summaries drop it.
"""

from __future__ import annotations

from typing import Sequence

from evals.analysis import Analysis, Clause
from evals.clauses import FRAME_ADVERBS, FRAME_VERBS, HEDGE_MODALS
from evals.records import Finding
from evals.roles import SPEECH

# Verbs whose presence anywhere in the sentence attributes it (or part of it) to someone: the check then stays out.
ATTRIBUTING = SPEECH | FRAME_VERBS | {"accuse", "deny", "suggest", "say", "tell", "report", "call", "describe",
                                      "accord", "quote", "cite", "blame", "testify", "acknowledge", "concede"}
# How a frame reads in a finding ("the source reports it only as turkey's accusation").
AS_NOUN = {"accuse": "accusation", "allege": "allegation", "claim": "claim", "contend": "contention",
           "argue": "argument", "insist": "insistence", "assert": "assertion", "maintain": "contention",
           "suspect": "suspicion", "believe": "belief", "speculate": "speculation", "charge": "charge",
           "theorize": "theory", "theorise": "theory", "purport": "claim", "allegedly": "an allegation ('allegedly')",
           "reportedly": "a report ('reportedly')", "purportedly": "a claim ('purportedly')",
           "supposedly": "a claim ('supposedly')", "ostensibly": "a claim ('ostensibly')"}
AS_NOUN.update({modal: f"a possibility ('{modal}')" for modal in HEDGE_MODALS})
AS_NOUN.update({"plan": "a plan", "expect": "an expectation", "propose": "a proposal", "consider": "an option considered",
                "hope": "a hope", "want": "a wish", "seek": "an aim", "aim": "an aim", "intend": "an intention",
                "threaten": "a threat", "vow": "a vow", "promise": "a promise", "try": "an attempt",
                "attempt": "an attempt", "prepare": "a preparation", "weigh": "an option weighed",
                "mull": "an option weighed", "likely": "a likelihood", "poised": "a prospect", "set": "a prospect",
                "push": "a push", "urge": "an appeal", "call": "a call"})
# Verbs too light to tell one statement from another by their lemma alone.
LIGHT_VERBS = {"be", "have", "do", "get", "make", "take", "go", "come", "give"}


def _attributed(sentence: Analysis) -> bool:
    text = f" {sentence.text.lower()} "
    if " according to " in text or any(f" {adverb} " in text.replace(",", " ") for adverb in FRAME_ADVERBS):
        return True
    return any(c.verb in ATTRIBUTING or c.frame for c in sentence.clauses)


def _restates(mine: Clause, theirs: Clause) -> bool:
    """Whether ``theirs`` is the same statement as ``mine``: the same verb and a party or the content shared."""
    if mine.verb != theirs.verb:
        return False
    shared = (mine.words & theirs.words) - {mine.verb}
    roles = bool(set(mine.agent or mine.controller) & set(theirs.agent or theirs.controller)
                 or set(mine.patient) & set(theirs.patient))
    if mine.verb in LIGHT_VERBS:  # "be" says little: the same party and more of the content
        return roles and len(shared) >= 2
    if roles:
        return True
    rest = theirs.words - {theirs.verb}
    return len(shared) >= max(1, min(2, len(rest)), (len(rest) + 1) // 2)


def check_attribution(sentence: Analysis, evidence: Sequence[Analysis], sources: Sequence[Analysis]) -> list[Finding]:
    """A clause the sentence asserts that the evidence only reports as a party's assertion (see the module)."""
    if _attributed(sentence):
        return []
    for mine in sentence.clauses:
        if mine.embedded_in or mine.frame:
            continue
        framed = [c for a in evidence for c in a.clauses if c.frame and _restates(mine, c)]
        if not framed:
            continue
        if any(not c.frame and _restates(mine, c) for a in sources for c in a.clauses):
            continue  # a source also states it in its own voice
        theirs = framed[0]
        what = AS_NOUN.get(theirs.frame, theirs.frame)
        how = f"as {' '.join(theirs.framer)}'s {what}" if theirs.framer else f"as {what}"
        return [Finding(kind="attribution", blocking=True, check="whose statement (dependency frames)",
                        words=[mine.verb], evidence=theirs.text[:300],
                        detail=f"'{mine.text}' is stated as fact; the source reports it only {how}")]
    return []
