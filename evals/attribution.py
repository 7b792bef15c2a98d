"""Whose statement it is: a party's assertion the summary states as fact.

A source that writes "Turkey accused Kurdish fighters of violating the truce" vouches for an accusation, not
for the violation. A summary sentence "Kurdish fighters violated the truce" uses the source's words and its
roles, so the other checks pass it; a careful editor does not. The check reads the clauses' frames
(``Clause.frame``, from the dependency parse in evals.clauses): the sentence states a clause in its own right,
with no attribution anywhere in it, that the evidence holds only under a word presenting it as a party's
assertion (accuse, allege, claim, argue, believe, suspect, "allegedly", "the allegation that" ...), and that no
passage of the allowed sources states plainly. A plain "said" is not such a word: news states announcements and
plain facts through it, and summaries drop it.

And a speaker's words: a sentence with no quotation marks and no attribution whose content is, nearly all of it,
inside one quotation of the evidence, and which the allowed sources do not state outside quotation marks, puts
a speaker's words in the summary's own voice ("2020 could be the darkest winter in modern history" from 'Bright
testified that "without better planning, 2020 could be the darkest winter in modern history"').
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Sequence

from evals.analysis import Analysis, Clause
from evals.clauses import CONDITIONS, FRAME_ADVERBS, FRAME_VERBS, HEDGE_ADVERBS, HEDGE_MODALS, HEDGES
from evals.names import same_party
from evals.records import Finding
from evals.roles import SPEECH
from evals.support import WordSupport, verbs_match
from digest_core.text import content_stems

# Verbs whose presence anywhere in the sentence attributes it (or part of it) to someone: the check then stays out.
ATTRIBUTING = SPEECH | FRAME_VERBS | {"suggest", "call", "describe", "quote", "cite", "blame", "testify",
                                      "acknowledge", "concede"}
# How a frame reads in a finding ("the source reports it only as turkey's accusation").
AS_NOUN = {"accuse": "accusation", "allege": "allegation", "claim": "claim", "contend": "contention",
           "argue": "argument", "insist": "insistence", "assert": "assertion", "maintain": "contention",
           "suspect": "suspicion", "believe": "belief", "speculate": "speculation", "charge": "charge",
           "theorize": "theory", "theorise": "theory", "purport": "claim", "allegedly": "an allegation ('allegedly')",
           "reportedly": "a report ('reportedly')", "purportedly": "a claim ('purportedly')",
           "supposedly": "a claim ('supposedly')", "ostensibly": "a claim ('ostensibly')"}
AS_NOUN.update({modal: f"a possibility ('{modal}')" for modal in HEDGE_MODALS})
AS_NOUN.update({"plan": "a plan", "expect": "an expectation", "propose": "a proposal",
                "consider": "an option considered", "hope": "a hope", "want": "a wish", "seek": "an aim", "aim": "an aim", "intend": "an intention",
                "threaten": "a threat", "vow": "a vow", "promise": "a promise", "try": "an attempt",
                "attempt": "an attempt", "prepare": "a preparation", "weigh": "an option weighed",
                "mull": "an option weighed", "likely": "a likelihood", "poised": "a prospect", "set": "a prospect",
                "push": "a push", "urge": "an appeal", "call": "a call"})
# Verbs too light to tell one statement from another by their lemma alone.
LIGHT_VERBS = {"be", "have", "do", "get", "make", "take", "go", "come", "give"}


def _attributed(sentence: Analysis, hedged: bool = True) -> bool:
    """Whether the sentence attributes anything to anyone (``hedged``: or hedges anything, "plans to", "may")."""
    text = f" {sentence.text.lower()} "
    if " according to " in text or any(f" {adverb} " in text.replace(",", " ") for adverb in FRAME_ADVERBS):
        return True
    return any(c.verb in ATTRIBUTING or (c.frame and (hedged or c.frame not in HEDGES | HEDGE_MODALS))
               or (hedged and c.hedge) for c in sentence.clauses)


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


# Hedges that leave even a future in doubt: a sentence that says "will" for these says more than the source.
POSSIBILITY = HEDGE_MODALS | CONDITIONS | HEDGE_ADVERBS | {
    "consider", "weigh", "mull", "propose", "proposal", "want", "hope", "seek", "try", "attempt", "urge", "call",
    "option", "idea", "possibility", "chance", "suggest", "suggestion", "request", "ask", "need", "seem", "appear"}
HOW_SURE = {"if": "a condition ('if')", "unless": "a condition ('unless')", "would": "what would happen ('would')",
            "need": "a need", "ask": "a request", "request": "a request", "demand": "a demand", "bid": "a bid",
            "effort": "an effort", "offer": "an offer", "pledge": "a pledge", "option": "an option",
            "proposal": "a proposal", "suggest": "a suggestion", "recommend": "a recommendation",
            "seem": "an appearance ('seems')", "appear": "an appearance ('appears')", "look": "a prospect ('looks')"}


def _plain(word: str) -> str:
    """A word with its comparative ending off, so "higher" (an adverb to the parser) meets "high"."""
    for ending in ("est", "er"):
        if word.endswith(ending) and len(word) > len(ending) + 2:
            return word[: -len(ending)]
    return word


def _same_statement(mine: Clause, theirs: Clause, words: WordSupport) -> bool:
    """``_restates`` with the verb matched by meaning ("finished" / "ended") and the other words by their plain
    forms."""
    if mine.verb != theirs.verb and not verbs_match(mine.verb, theirs.verb, words):
        return False
    def plain(clause: Clause) -> frozenset[str]:
        return frozenset({theirs.verb} | {_plain(w) for w in clause.words - {clause.verb}})

    return _restates(replace(mine, verb=theirs.verb, words=plain(mine)), replace(theirs, words=plain(theirs)))


def _maybe_same(mine: Clause, theirs: Clause, words: WordSupport) -> bool:
    """A looser ``_same_statement``, for what clears a sentence: the verb by meaning and a party or two other
    words shared ("prosecutors charged the 17-year-old with homicide" / "Rittenhouse was charged with homicide"),
    or, with any verb, the same doer and most of the shorter clause's words ("Russia interfered in the 2016
    election" / "Russia meddled in the 2016 U.S. election": single-word vectors put "meddle" far from "interfere")."""
    mine_words = {_plain(w) for w in mine.words - {mine.verb}}
    their_words = {_plain(w) for w in theirs.words - {theirs.verb}}
    if mine.verb != theirs.verb and not verbs_match(mine.verb, theirs.verb, words):
        shared = len(mine_words & their_words)
        return bool(mine.agent) and same_party(mine.agent, theirs.agent) and shared >= 2 \
            and shared >= 0.5 * min(len(mine_words), len(their_words))
    if _restates(replace(mine, verb=theirs.verb), theirs):
        return True
    return len(mine_words & their_words) >= 2


_ABILITY = re.compile(r"\b(?:can|cannot|can't)\b", re.I)


def _can(clause: Clause) -> bool:
    """An ability the clause states ("the shot can cause"): no statement that it happened. (The modals of
    possibility, "could", "may", "might", are hedges: ``Clause.hedge``.)"""
    return bool(_ABILITY.search(clause.text.split(",")[0]))


def check_certainty(sentence: Analysis, evidence: Sequence[Analysis], sources: Sequence[Analysis],
                    words: WordSupport) -> list[Finding]:
    """How sure: a clause the sentence states as done (or as certain to happen) that the evidence holds only as a
    possibility, a condition, a plan or a proposal ("Trump extended the protections" for "Trump's proposal to extend
    the protections", "Kavanaugh has replaced Kennedy" for "if Kavanaugh replaces Kennedy", "will dismantle" for
    "will likely dismantle"), and that no allowed source states without a hedge. Unlike ``check_attribution`` this
    holds inside reported speech too ("Trump said judges are biased" for "said judges could be biased"); but a
    sentence that hedges any of its clauses, or presents one as a party's assertion ("reportedly"), is left alone."""
    if any(c.hedge or c.frame for c in sentence.clauses):
        return []  # the sentence hedges or attributes: which of its clauses that covers is the parser's guess
    for mine in sentence.clauses:
        if not mine.finite or mine.hedge or mine.frame or mine.negated or mine.verb in LIGHT_VERBS or _can(mine):
            continue
        hedged = [c for a in evidence for c in a.clauses
                  if c.hedge and not c.negated and (not mine.future or c.hedge in POSSIBILITY)
                  and _same_statement(mine, c, words)]
        if not hedged:
            continue
        if any(not c.hedge and not c.negated and not any(h.text in c.text for h in hedged)
               and _maybe_same(mine, c, words) for a in sources for c in a.clauses):
            continue  # a source states it without the hedge (not the clause that holds the hedged one)
        theirs = hedged[0]
        what = HOW_SURE.get(theirs.hedge) or AS_NOUN.get(theirs.hedge) or f"a possibility ('{theirs.hedge}')"
        stated = "as certain" if mine.future else "as done"
        return [Finding(kind="attribution", blocking=True, check="how sure (dependency frames)", words=[mine.verb],
                        evidence=theirs.text[:300],
                        detail=f"'{mine.text}' is stated {stated}; the source has it only as {what}")]
    return []


_QUOTATION = re.compile(r"[\"“]([^\"“”]{1,600})[\"”]")  # pairs marks in order, short quotations too
# Of the sentence's content words, the share inside one quotation of the evidence that makes it the speaker's words,
# and the least number of them.
QUOTED_SHARE = 0.75
QUOTED_WORDS = 4


def _outside_quotes(text: str) -> set[str]:
    return set(content_stems(_QUOTATION.sub(" ", text)))


def check_quoted(sentence: Analysis, text: str, evidence: Sequence[str], source_text: str) -> list[Finding]:
    """A speaker's quoted words stated in the summary's own voice (see the module)."""
    if any(mark in text for mark in ("\"", "“", "”", "``", "''")) or _attributed(sentence, hedged=False):
        return []
    mine = set(content_stems(text))
    if len(mine) < QUOTED_WORDS:
        return []
    for passage in evidence:
        for quote in _QUOTATION.finditer(passage):
            inside = mine & set(content_stems(quote.group(1)))
            if len(inside) < QUOTED_WORDS or len(inside) < QUOTED_SHARE * len(mine):
                continue
            if len(mine & _outside_quotes(source_text)) >= QUOTED_SHARE * len(mine):
                return []  # the sources also say it in their own words
            return [Finding(kind="attribution", blocking=True, check="whose words (quotation marks)",
                            words=sorted(inside), evidence=passage[:300],
                            detail="a speaker's quoted words are stated with no quotation marks and no speaker")]
    return []
