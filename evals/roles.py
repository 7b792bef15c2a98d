"""Role checks: who did what to whom, and who said it, from dependency roles (passive turned active),
against the evidence clauses with the same or an equivalent verb.
"""

from __future__ import annotations

from typing import Sequence

from evals.analysis import Analysis, Clause, Name
from evals.names import COARSE, NameBook, same_party
from evals.records import Finding
from evals.support import WordSupport, verbs_match

PARTY_VERB_MATCH = 0.75  # stricter when a differing doer alone would make the sentence contradicted


def check_roles(sentence: Analysis, evidence: Sequence[Analysis], words: WordSupport) -> list[Finding]:
    """Who did what to whom: a clause whose doer and done-to are the evidence's, exchanged."""
    ev_clauses = [c for a in evidence for c in a.clauses]
    for c in sentence.clauses:
        if not (c.agent and c.patient) or same_party(c.agent, c.patient):
            continue
        same = [e for e in ev_clauses if verbs_match(c.verb, e.verb, words)]
        if any(same_party(e.agent, c.agent) and same_party(e.patient, c.patient) for e in same):
            continue
        for e in same:
            if same_party(e.agent, c.patient) and same_party(e.patient, c.agent):
                return [Finding(kind="role", conflict=True, check="who did what (dependency roles)",
                                words=[" ".join(c.agent), c.verb, " ".join(c.patient)], evidence=e.text[:300],
                                detail=f"the sentence has {' '.join(c.agent)} {c.verb} {' '.join(c.patient)}; "
                                       f"the evidence has {' '.join(e.agent)} {e.verb} {' '.join(e.patient)}")]
    return _exchanged_parties(sentence, ev_clauses, words) or _doer_made_object(sentence, ev_clauses) \
        or _doer_made_target(sentence, ev_clauses) or _other_made_doer(sentence, ev_clauses)


# Actions done with each other, not one to the other: either party may be the subject.
SYMMETRIC = {"meet", "marry", "tie", "join", "agree", "talk", "speak", "negotiate", "debate", "face", "play", "share",
             "split", "partner", "merge", "date", "divorce", "hug", "fight", "clash", "compete", "battle", "resemble",
             "match", "equal", "contact", "call", "visit", "accompany", "greet", "embrace", "discuss", "trade", "swap"}


def _doer_made_object(sentence: Analysis, ev_clauses: Sequence[Clause]) -> list[Finding]:
    """The one who does it, in the evidence, is the one done to in the sentence, with the same verb: "the
    Democrat beat Mark Harris" where the evidence has "Harris beat the Democrat" (the other party named
    another way, so the exchange above cannot pair it)."""
    for c in sentence.clauses:
        if "patient" not in c.named or not c.agent or c.verb in SYMMETRIC or c.verb in SPEECH or c.negated:
            continue
        same = [e for e in ev_clauses if e.verb == c.verb and not e.negated]
        if any(same_party(e.patient, c.patient) or same_party(e.agent, c.agent) for e in same):
            continue
        for e in same:
            if "agent" in e.named and same_party(e.agent, c.patient) and e.patient:
                return [Finding(kind="role", conflict=True, check="who did what to whom (dependency roles)",
                                words=[" ".join(c.patient), c.verb], evidence=e.text[:300],
                                detail=f"the sentence has {' '.join(c.patient)} as the one {c.verb} acts on; the "
                                       f"evidence has {' '.join(e.agent)} doing it, to {' '.join(e.patient)}")]
    return []


def _doer_made_target(sentence: Analysis, ev_clauses: Sequence[Clause]) -> list[Finding]:
    """The evidence's doer made the one the same action is aimed at: "Biden threatened legal action against the
    governors" where the evidence has "the governors threatened legal action" (and no one doing it to them)."""
    for c in sentence.clauses:
        if not (c.agent and c.patient and c.targets) or c.verb in SYMMETRIC or c.verb in SPEECH or c.negated:
            continue
        same = [e for e in ev_clauses if e.verb == c.verb and not e.negated and same_party(e.patient, c.patient)]
        if not same or any(same_party(e.agent, c.agent) for e in same):
            continue
        for e in same:
            if e.agent and any(same_party(e.agent, t) for t in c.targets) \
                    and not any(same_party(e.agent, t) for t in e.targets):
                return [Finding(kind="role", conflict=True, check="who did what to whom (dependency roles)",
                                words=[" ".join(c.agent), c.verb], evidence=e.text[:300],
                                detail=f"the sentence has {' '.join(c.agent)} doing '{c.verb}' to "
                                       f"{' '.join(e.agent)}; the evidence has {' '.join(e.agent)} doing it")]
    return []


def _other_made_doer(sentence: Analysis, ev_clauses: Sequence[Clause]) -> list[Finding]:
    """The one the action is done to or aimed at, in the evidence, made its doer, with the same verb and the same
    thing done, the evidence's doer gone from the sentence: "Anwar used a taser on a carjacking attempt" where the
    evidence has "the two girls used a taser on Anwar"."""
    for c in sentence.clauses:
        if not (c.agent and c.patient) or c.verb in SYMMETRIC or c.verb in SPEECH or c.negated or c.embedded_in:
            continue
        same = [e for e in ev_clauses if e.verb == c.verb and not e.negated and e.agent and e.patient
                and same_party(e.patient, c.patient)]
        if not same or any(same_party(e.agent, c.agent) for e in same):
            continue
        for e in same:
            if any(same_party(c.agent, other) for other in e.others) \
                    and not any(same_party(e.agent, p) for p in (c.patient,) + c.others) \
                    and not set(e.agent) & _sentence_words(sentence):
                return [Finding(kind="role", conflict=True, check="who did what to whom (dependency roles)",
                                words=[" ".join(c.agent), c.verb], evidence=e.text[:300],
                                detail=f"the sentence has {' '.join(c.agent)} doing '{c.verb}'; the evidence has "
                                       f"{' '.join(e.agent)} doing it, to {' '.join(c.agent)}")]
    return []


def _sentence_words(sentence: Analysis) -> set[str]:
    """Every clause's content words and role fillers: whether the sentence mentions a party anywhere."""
    out: set[str] = set()
    for c in sentence.clauses:
        out |= set(c.words) | set(c.agent) | set(c.patient) | {w for o in c.others for w in o}
    return out - {"the", "of", "and", "a", "an"}


def _exchanged_parties(sentence: Analysis, ev_clauses: Sequence[Clause], words: WordSupport) -> list[Finding]:
    """The doer and another party of the same action exchanged, where the other party is an indirect object, a
    preposition's object or the owner of the thing done to: "A used a taser on B" for "B used a taser on A",
    "A rejected B's analysis" for "B rejected A's analysis"."""
    for c in sentence.clauses:
        if not c.agent:
            continue
        mine = (c.patient,) + c.others
        for e in ev_clauses:
            if not e.agent or same_party(c.agent, e.agent) or not verbs_match(c.verb, e.verb, words):
                continue
            theirs = (e.patient,) + e.others
            if any(same_party(c.agent, p) for p in theirs) and any(same_party(e.agent, p) for p in mine) \
                    and not any(same_party(c.agent, p) for p in mine):
                return [Finding(kind="role", conflict=True, check="who did what to whom (dependency roles)",
                                words=[" ".join(c.agent), c.verb], evidence=e.text[:300],
                                detail=f"the sentence has {' '.join(c.agent)} as the doer of '{c.verb}'; the evidence "
                                       f"has {' '.join(e.agent)} doing it, to or with {' '.join(c.agent)}")]
    return []


def _kinds_clash(a: str, b: str, speech: bool) -> bool:
    """Two role fillers a writer could confuse: names of the same kind (a person for a person, a party for a
    party). A description ("the Kentucky Republican", NORP, for McConnell) is another way of naming, not a
    rival, and so is an institution speaking for a person ("the White House said" for "Biden said")."""
    if not a or not b:
        return False
    if "NORP" in (a, b):
        return a == b  # Democrats for Republicans
    ca, cb = COARSE.get(a), COARSE.get(b)
    if "PROPN" in (a, b):  # a proper noun the NER did not label: any kind but a place, which the parse
        return "place" not in (ca, cb)  # takes for the doer in "Hawaii Rep. Tulsi Gabbard said"
    if ca is None or cb is None:
        return False
    return ca == cb or (not speech and {ca, cb} == {"person", "group"})


def _named_aside(sentence: Analysis, party: tuple[str, ...], kind: str) -> bool:
    """The sentence names ``party`` but not as any clause's doer or done-to, where the parse took an unlabelled
    proper-noun run for the doer: a title before the name ("Senate Majority Leader Chuck Schumer, D-N.Y., said")."""
    if kind != "PROPN" or not any(same_party(n.words, party) for n in sentence.names):
        return False
    return not any(same_party(r, party) for c in sentence.clauses for r in (c.agent, c.patient))


def check_parties(sentence: Analysis, evidence: Sequence[Analysis], words: WordSupport) -> list[Finding]:
    """A named doer or done-to that is not the one the evidence gives for the same action:
    "Trump has tested negative" where the evidence says "Pence has tested negative"."""
    ev_clauses = [c for a in evidence for c in a.clauses]
    for c in sentence.clauses:
        if c.verb in {"be", "have", "do", "say", "tell"} and not (c.words - {c.verb}):
            continue
        if c.verb == "be" or (c.verb == "take" and c.patient == ("place",)):
            continue  # "X is the first to ...", "took place": a copula or an idiom says who is what, not who did it
        same = [e for e in ev_clauses if verbs_match(c.verb, e.verb, words, PARTY_VERB_MATCH)]
        for role in ("agent", "patient"):
            mine = getattr(c, role)
            if role not in c.named or any(same_party(mine, getattr(e, role)) for e in same):
                continue
            if role == "patient" and c.verb in SPEECH:
                continue  # the audience ("told Fox News" / "told Fox's America's Newsroom") is named many ways
            other = "patient" if role == "agent" else "agent"
            for e in same:
                theirs = getattr(e, role)
                names = c.words & e.words - set(mine) - set(theirs) - {c.verb, e.verb}
                anchored = same_party(getattr(c, other), getattr(e, other)) or len(names) >= 2
                speech = role == "agent" and c.verb in SPEECH
                if role in e.named and anchored and not same_party(mine, theirs) \
                        and _kinds_clash(c.kind(role), e.kind(role), speech) \
                        and not _named_aside(sentence, theirs, c.kind(role)):
                    return [Finding(kind="attribution" if speech else "role", conflict=True,
                                    check="who said it (dependency roles)" if speech else "who did what (dependency roles)",
                                    words=[" ".join(mine), c.verb], evidence=e.text[:300],
                                    detail=f"the sentence has {' '.join(mine)} as the {'doer' if role == 'agent' else 'object'} "
                                           f"of '{c.verb}'; the evidence has {' '.join(theirs)}")]
    return []


def check_scope(sentence: Analysis, evidence: Sequence[Analysis], words: WordSupport) -> list[Finding]:
    """The whole group where the evidence has a part of it, for the same action: "the team has been freed" where the
    evidence has "freed three more members of the team". Not when some evidence clause does it to the group itself,
    nor when the sentence counts what it acts on or only reports the clause under another word."""
    ev_clauses = [c for a in evidence for c in a.clauses]
    for c in sentence.clauses:
        if not c.patient or c.whole or c.counted or c.negated or c.embedded_in:
            continue  # a counted thing, or a clause the sentence does not assert ("working towards recreating")
        same = [e for e in ev_clauses if verbs_match(c.verb, e.verb, words) and not e.negated]
        if any(same_party(c.patient, e.patient) for e in same):
            continue
        for e in same:
            if e.whole and same_party(c.patient, e.whole) and (
                    not (c.agent and e.agent) or same_party(c.agent, e.agent)):
                return [Finding(kind="number", check="a part made the whole (dependency roles)", blocking=True,
                                words=[" ".join(c.patient), c.verb], evidence=e.text[:300],
                                detail=f"the sentence has all of {' '.join(c.patient)} as what '{c.verb}' acts on; "
                                       f"the evidence has a part of it: \"{e.text[:160]}\"")]
    return []


SPEECH = {"say", "tell", "state", "announce", "claim", "argue", "warn", "insist", "add", "write", "tweet", "deny",
          "admit", "report", "note", "explain", "accord"}


def check_speaker(sentence: Analysis, evidence: Sequence[Analysis], evidence_book: NameBook) -> list[Finding]:
    """Who said it: a named speaker the evidence does not name at all, where the evidence gives another speaker."""
    theirs = [c.agent for a in evidence for c in a.clauses if c.verb in SPEECH and "agent" in c.named]
    if not theirs:
        return []
    for c in sentence.clauses:
        if c.verb not in SPEECH or "agent" not in c.named or c.kind("agent") == "NORP":
            continue
        name = Name(" ".join(c.agent), "PERSON", c.agent)
        if any(same_party(c.agent, t) for t in theirs) or evidence_book.knows(name):
            continue
        return [Finding(kind="attribution", conflict=True, check="who said it (dependency roles)",
                        words=[" ".join(c.agent)], evidence=" / ".join(" ".join(t) for t in theirs)[:300],
                        detail=f"attributed to {' '.join(c.agent)}; the evidence quotes {' '.join(theirs[0])}")]
    return []

