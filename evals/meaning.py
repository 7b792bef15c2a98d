"""Checks that read a sentence as a careful editor does, on top of the linguistic layer.

* ``WordSupport``: soft alignment of content words. A word is supported when the evidence holds
  it, its lemma, or a close equivalent (MiniLM vectors of the two words, cosine >= SOFT_MATCH);
  exact copying is one way of being supported, not the only one.
* ``check_names``: every name, wherever it stands in the sentence, must be in the sources in some
  usual form (evals.language.NameBook); a name the sources hold but not where they say this, with
  another name in its place, is a swap.
* ``check_roles``: who did what to whom, from dependency roles (passive turned active), against the
  evidence clauses with the same or an equivalent verb.
* ``check_clause_polarity``: negation by the scope of the clause ("did not", "never", "refused to",
  "denied that"), against the evidence clause that restates it, so "don't" and "do not" agree.
Every finding names the words, the evidence and the check that fired.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from evals.language import Analysis, Clause, Name, NameBook, acronym, alias_group
from evals.lexicon import ANTONYMS
from evals.records import Finding
from digest_core.text import stem

SOFT_MATCH = 0.6  # cosine of two single-word MiniLM vectors: buy/purchase .87, hurt/injured .67, start/initiated .41
VERB_MATCH = 0.62  # two verbs taken for the same action when comparing roles and polarity
PARTY_VERB_MATCH = 0.75  # stricter when a differing doer alone would make the sentence contradicted
# Verbs of saying and other frame words: a summary may report with any of them.
FRAME_LEMMAS = {"say", "tell", "report", "state", "add", "note", "write", "explain", "claim", "describe", "call",
                "accord", "according", "also", "reportedly", "allegedly", "recently", "currently", "now", "still",
                "already", "later", "earlier", "then", "just", "even", "really", "actually", "well", "make", "take",
                "get", "give", "go", "come", "thing", "way", "people", "time", "year", "day", "week", "month"}
_ANTONYM_PAIRS = {(a, b) for a, b in ANTONYMS}
_COARSE = {"PERSON": "person", "ORG": "group", "GPE": "place", "LOC": "place", "NORP": "group", "FAC": "place"}


@dataclass
class Support:
    """How the sentence's content words line up with the evidence and the sources."""

    in_evidence: list[str] = field(default_factory=list)
    soft: list[tuple[str, str]] = field(default_factory=list)  # (sentence word, evidence word it matched)
    elsewhere: list[str] = field(default_factory=list)  # in the sources, not in the evidence passages
    novel: list[str] = field(default_factory=list)  # nowhere in the sources, even softly

    @property
    def total(self) -> int:
        return len(self.in_evidence) + len(self.soft) + len(self.elsewhere) + len(self.novel)

    @property
    def evidence_share(self) -> float:
        return (len(self.in_evidence) + len(self.soft)) / self.total if self.total else 1.0

    @property
    def novel_share(self) -> float:
        return len(self.novel) / self.total if self.total else 0.0


class WordSupport:
    """Soft word alignment with one vector per distinct word (the embedder memoises them)."""

    def __init__(self, embedder) -> None:
        self.embedder = embedder
        self._similar: dict[tuple[str, str], float] = {}

    def vectors(self, words: Sequence[str]) -> np.ndarray:
        return self.embedder.embed(list(words)) if words else np.zeros((0, 384), np.float32)

    def prepare(self, analyses: Sequence[Analysis]) -> None:
        """Embed, in one batch, every word the checks may compare for these analyses (verbs of clauses and
        content lemmas); later lookups come from the embedder's memo instead of one model call per word."""
        words = {c.verb for a in analyses for c in a.clauses} | {w.lemma for a in analyses for w in a.content}
        if words:
            self.vectors(sorted(words))

    def similar(self, a: str, b: str) -> float:
        if a == b:
            return 1.0
        key = (a, b) if a < b else (b, a)
        if key not in self._similar:
            if len(self._similar) > 200_000:
                self._similar.clear()
            va, vb = self.vectors([a, b])
            self._similar[key] = float(va @ vb)
        return self._similar[key]

    def support(self, sentence: Analysis, evidence: Sequence[Analysis], sources: Sequence[Analysis],
                evidence_stems: frozenset[str], source_stems: frozenset[str]) -> Support:
        words = [w for w in sentence.content if w.lemma not in FRAME_LEMMAS and w.lower not in FRAME_LEMMAS]
        words = list({w.lemma: w for w in words}.values())
        ev_words = {w.lemma for a in evidence for w in a.content} | {w.lower for a in evidence for w in a.content}
        src_words = {w.lemma for a in sources for w in a.content} | {w.lower for a in sources for w in a.content}
        out = Support()
        pending = []
        for w in words:
            if w.lemma in ev_words or w.lower in ev_words or stem(w.lower) in evidence_stems \
                    or same_family(w.lemma, ev_words):
                out.in_evidence.append(w.lower)
            else:
                pending.append(w)
        if not pending:
            return out
        ev_list = sorted(ev_words)
        mine = self.vectors([w.lemma for w in pending])
        ev_sims = mine @ self.vectors(ev_list).T if ev_list else np.zeros((len(pending), 0))
        rest: list[int] = []
        for k, w in enumerate(pending):
            row = ev_sims[k]
            best = int(np.argmax(row)) if row.size else -1
            if best >= 0 and row[best] >= SOFT_MATCH and (w.lemma, ev_list[best]) not in _ANTONYM_PAIRS:
                out.soft.append((w.lower, ev_list[best]))
            elif w.lemma in src_words or w.lower in src_words or stem(w.lower) in source_stems \
                    or same_family(w.lemma, src_words):
                out.elsewhere.append(w.lower)
            else:
                rest.append(k)
        if rest:  # words the evidence lacks: one comparison with the whole sources' vocabulary
            src_list = sorted(src_words)
            sims = mine[rest] @ self.vectors(src_list).T if src_list else np.zeros((len(rest), 0))
            for row, k in zip(sims, rest):
                (out.elsewhere if row.size and float(row.max()) >= SOFT_MATCH else out.novel).append(pending[k].lower)
        return out


# Endings that make a word of the same family: chair / chairman, lead / leader, elect / election.
DERIVATIONS = ("man", "woman", "men", "women", "person", "er", "ers", "or", "ors", "ion", "ions", "ation", "ment",
               "ments", "ance", "ence", "al", "ship", "ist", "ists", "ity", "ness", "ive", "ing")


def same_family(lemma: str, vocabulary: set[str]) -> bool:
    """``lemma`` and a word of ``vocabulary`` are one stem of at least four letters plus a derivational ending."""
    if len(lemma) < 4:
        return False
    for word in vocabulary:
        if len(word) > len(lemma) and word.startswith(lemma) and word[len(lemma):] in DERIVATIONS:
            return True
        if len(lemma) > len(word) >= 4 and lemma.startswith(word) and lemma[len(word):] in DERIVATIONS:
            return True
    return False


# An added phrase: at least this many content words with no equivalent anywhere in the sources, making up at
# least this share of one constituent's content words. A reworded sentence scatters its new words (a synonym
# here, a plainer verb there); an added cause, consequence or detail brings them as one phrase.
ADDED_PHRASE_WORDS = 3
ADDED_PHRASE_SHARE = 0.6


def support_findings(support: Support, sentence: Analysis | None = None) -> list[Finding]:
    if not support.novel:
        return []
    findings = [Finding(kind="unsupported_content", check="soft word alignment", words=support.novel,
                        detail=f"{len(support.novel)} of {support.total} content words have no equivalent in the "
                               f"sources: " + ", ".join(support.novel[:8]))]
    added = added_phrase(support, sentence) if sentence is not None else None
    if added is not None:
        text, words = added
        findings.append(Finding(kind="unsupported_content", check="added phrase (soft word alignment by constituent)",
                                words=words, blocking=True,
                                detail=f"the phrase '{text}' adds what no source says: no equivalent for "
                                       + ", ".join(words)))
    return findings


def added_phrase(support: Support, sentence: Analysis) -> tuple[str, list[str]] | None:
    """The first constituent most of whose content words (and at least three) the sources hold in no form."""
    novel = set(support.novel)
    if len(novel) < ADDED_PHRASE_WORDS:
        return None
    for text, words in sentence.phrases:
        missing = [w for w in words if w in novel]
        if len(missing) >= ADDED_PHRASE_WORDS and len(missing) / len(words) >= ADDED_PHRASE_SHARE:
            return text, missing
    return None


def _coarse(name: Name) -> str:
    return _COARSE.get(name.label, "any")


def _compatible(a: Name, b: Name) -> bool:
    """Two names a writer could swap: both recognised by the NER as the same kind of thing."""
    if "NORP" in (a.label, b.label) or "PROPN" in (a.label, b.label):
        return False  # descriptions ("Democrat") and unrecognised proper nouns are too loose to call a swap
    return _coarse(a) == _coarse(b) != "any"


def check_names(sentence: Analysis, sources: NameBook, evidence: NameBook, evidence_analyses: Sequence[Analysis],
                evidence_text: str, restated: float) -> list[Finding]:
    """Names absent from the sources, and names the sources hold but not for this statement."""
    findings: list[Finding] = []
    mine = NameBook.of([sentence.text], [sentence])
    for name in sentence.names:
        if not sources.knows(name):
            findings.append(Finding(kind="entity", check="names", words=[name.text], blocking=True,
                                    detail=f"'{name.text}' is not named in the sources (in any usual form)"))
            continue
        rival = sources.rival(name)
        if rival is not None and not sources.has_phrase(name.words):
            findings.append(Finding(kind="entity", conflict=True, check="names", words=[name.text],
                                    detail=f"'{name.text}': the sources name {' '.join(rival).title()}"))
            continue
        if evidence.knows(name) or restated < 0.6:
            continue
        others = [n for a in evidence_analyses for n in a.names if not mine.knows(n) and _compatible(n, name)
                  and not any(n.words[-1:] == m.words[-1:] for m in sentence.names)]  # Ginsburg / Ruth Bader Ginsburg
        if others:
            other = others[0]
            findings.append(Finding(kind="entity", conflict=True, check="names in the evidence", words=[name.text],
                                    evidence=evidence_text[:300],
                                    detail=f"names '{name.text}' where the evidence for this statement names '{other.text}'"))
    return findings


def check_attachments(sentence: Analysis, evidence: Sequence[Analysis], words: WordSupport) -> list[Finding]:
    """A name hung on the wrong predicate: the sentence has "treated ... in Russia" where the evidence has
    "treatment ... in Germany" (and Russia only elsewhere). Both names are in the sources, often in the same
    passage, so the name checks cannot see it; the preposition and what it hangs from can."""
    ev = [a for an in evidence for a in an.attachments]
    mine = [n.words for n in sentence.names]
    for name, head, prep, label in sentence.attachments:
        kind = _COARSE.get(label)
        if kind is None or label == "NORP":
            continue
        if not any(_same_party(name, n) for n in (m.words for an in evidence for m in an.names)):
            continue  # a name the evidence does not hold is the name checks' business
        if any(_same_party(name, n) and _heads_match(head, h, words) for n, h, _, _ in ev):
            continue
        for other, h, p, other_label in ev:
            if p == prep and _COARSE.get(other_label) == kind and other_label != "NORP" \
                    and _heads_match(head, h, words) and not any(_same_party(other, m) for m in mine):
                text = " ".join(name).title()
                return [Finding(kind="entity", conflict=True, check="names by attachment", words=[text],
                                detail=f"'{head} {prep} {text}': the evidence has '{h} {p} {' '.join(other).title()}'")]
    return []


def _heads_match(a: str, b: str, words: WordSupport) -> bool:
    return a == b or stem(a) == stem(b) or same_family(a, {b}) or words.similar(a, b) >= VERB_MATCH


def _acronym_of_run(short: str, words: tuple[str, ...]) -> bool:
    """``short`` is the initials of ``words`` or of a run of two or more of them."""
    return len(short) >= 2 and any(acronym(words[i:j]) == short for i in range(len(words))
                                   for j in range(i + 2, len(words) + 1))


def _same_party(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    if not a or not b:
        return False
    if a == b or a[-1] == b[-1] or bool(set(a) & set(b) - {"of", "the", "and"}):
        return True
    if (len(a) == 1 and len(b) > 1 and _acronym_of_run(a[0], b)) or (len(b) == 1 and len(a) > 1 and _acronym_of_run(b[0], a)):
        return True  # RBG / Ruth Bader Ginsburg; HHS / Department of Health and Human Services
    ga, gb = alias_group(a), alias_group(b)
    return ga is not None and ga == gb


def _verbs_match(a: str, b: str, words: WordSupport, at_least: float = VERB_MATCH) -> bool:
    if a == b:
        return True
    if (a, b) in _ANTONYM_PAIRS or a in {"be", "have", "do"} or b in {"be", "have", "do"}:
        return False
    return words.similar(a, b) >= at_least


def _restates(c: Clause, e: Clause) -> bool:
    shared = len((c.words & e.words) - {c.verb, e.verb})
    if c.verb in {"be", "have", "do"}:  # "it will not be clear" restates no "be" clause merely by one shared word
        return shared >= 2 and (not (c.agent and e.agent) or _same_party(c.agent, e.agent))
    return shared >= 1 or _same_party(c.agent, e.agent) or _same_party(c.patient, e.patient)


def check_roles(sentence: Analysis, evidence: Sequence[Analysis], words: WordSupport) -> list[Finding]:
    """Who did what to whom: a clause whose doer and done-to are the evidence's, exchanged."""
    ev_clauses = [c for a in evidence for c in a.clauses]
    for c in sentence.clauses:
        if not (c.agent and c.patient) or _same_party(c.agent, c.patient):
            continue
        same = [e for e in ev_clauses if _verbs_match(c.verb, e.verb, words)]
        if any(_same_party(e.agent, c.agent) and _same_party(e.patient, c.patient) for e in same):
            continue
        for e in same:
            if _same_party(e.agent, c.patient) and _same_party(e.patient, c.agent):
                return [Finding(kind="role", conflict=True, check="who did what (dependency roles)",
                                words=[" ".join(c.agent), c.verb, " ".join(c.patient)], evidence=e.text[:300],
                                detail=f"the sentence has {' '.join(c.agent)} {c.verb} {' '.join(c.patient)}; "
                                       f"the evidence has {' '.join(e.agent)} {e.verb} {' '.join(e.patient)}")]
    return _exchanged_parties(sentence, ev_clauses, words) or _doer_made_object(sentence, ev_clauses)


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
        if any(_same_party(e.patient, c.patient) or _same_party(e.agent, c.agent) for e in same):
            continue
        for e in same:
            if "agent" in e.named and _same_party(e.agent, c.patient) and e.patient:
                return [Finding(kind="role", conflict=True, check="who did what to whom (dependency roles)",
                                words=[" ".join(c.patient), c.verb], evidence=e.text[:300],
                                detail=f"the sentence has {' '.join(c.patient)} as the one {c.verb} acts on; the "
                                       f"evidence has {' '.join(e.agent)} doing it, to {' '.join(e.patient)}")]
    return []


def _exchanged_parties(sentence: Analysis, ev_clauses: Sequence[Clause], words: WordSupport) -> list[Finding]:
    """The doer and another party of the same action exchanged, where the other party is an indirect object, a
    preposition's object or the owner of the thing done to: "A used a taser on B" for "B used a taser on A",
    "A rejected B's analysis" for "B rejected A's analysis"."""
    for c in sentence.clauses:
        if not c.agent:
            continue
        mine = (c.patient,) + c.others
        for e in ev_clauses:
            if not e.agent or _same_party(c.agent, e.agent) or not _verbs_match(c.verb, e.verb, words):
                continue
            theirs = (e.patient,) + e.others
            if any(_same_party(c.agent, p) for p in theirs) and any(_same_party(e.agent, p) for p in mine) \
                    and not any(_same_party(c.agent, p) for p in mine):
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
    ca, cb = _COARSE.get(a), _COARSE.get(b)
    if "PROPN" in (a, b):  # a proper noun the NER did not label: any kind but a place, which the parse
        return "place" not in (ca, cb)  # takes for the doer in "Hawaii Rep. Tulsi Gabbard said"
    if ca is None or cb is None:
        return False
    return ca == cb or (not speech and {ca, cb} == {"person", "group"})


def _named_aside(sentence: Analysis, party: tuple[str, ...], kind: str) -> bool:
    """The sentence names ``party`` but not as any clause's doer or done-to, where the parse took an unlabelled
    proper-noun run for the doer: a title before the name ("Senate Majority Leader Chuck Schumer, D-N.Y., said")."""
    if kind != "PROPN" or not any(_same_party(n.words, party) for n in sentence.names):
        return False
    return not any(_same_party(r, party) for c in sentence.clauses for r in (c.agent, c.patient))


def check_parties(sentence: Analysis, evidence: Sequence[Analysis], words: WordSupport) -> list[Finding]:
    """A named doer or done-to that is not the one the evidence gives for the same action:
    "Trump has tested negative" where the evidence says "Pence has tested negative"."""
    ev_clauses = [c for a in evidence for c in a.clauses]
    for c in sentence.clauses:
        if c.verb in {"be", "have", "do", "say", "tell"} and not (c.words - {c.verb}):
            continue
        if c.verb == "be" or (c.verb == "take" and c.patient == ("place",)):
            continue  # "X is the first to ...", "took place": a copula or an idiom says who is what, not who did it
        same = [e for e in ev_clauses if _verbs_match(c.verb, e.verb, words, PARTY_VERB_MATCH)]
        for role in ("agent", "patient"):
            mine = getattr(c, role)
            if role not in c.named or any(_same_party(mine, getattr(e, role)) for e in same):
                continue
            if role == "patient" and c.verb in SPEECH:
                continue  # the audience ("told Fox News" / "told Fox's America's Newsroom") is named many ways
            other = "patient" if role == "agent" else "agent"
            for e in same:
                theirs = getattr(e, role)
                names = c.words & e.words - set(mine) - set(theirs) - {c.verb, e.verb}
                anchored = _same_party(getattr(c, other), getattr(e, other)) or len(names) >= 2
                speech = role == "agent" and c.verb in SPEECH
                if role in e.named and anchored and not _same_party(mine, theirs) \
                        and _kinds_clash(c.kind(role), e.kind(role), speech) \
                        and not _named_aside(sentence, theirs, c.kind(role)):
                    return [Finding(kind="attribution" if speech else "role", conflict=True,
                                    check="who said it (dependency roles)" if speech else "who did what (dependency roles)",
                                    words=[" ".join(mine), c.verb], evidence=e.text[:300],
                                    detail=f"the sentence has {' '.join(mine)} as the {'doer' if role == 'agent' else 'object'} "
                                           f"of '{c.verb}'; the evidence has {' '.join(theirs)}")]
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
        if any(_same_party(c.agent, t) for t in theirs) or evidence_book.knows(name):
            continue
        return [Finding(kind="attribution", conflict=True, check="who said it (dependency roles)",
                        words=[" ".join(c.agent)], evidence=" / ".join(" ".join(t) for t in theirs)[:300],
                        detail=f"attributed to {' '.join(c.agent)}; the evidence quotes {' '.join(theirs[0])}")]
    return []


_ANY_NEGATION = re.compile(r"\b(?:not|no|never|neither|nor|without|none|nothing|nobody|unless|cannot)\b|n['’]t\b", re.I)


def _plainly_stated(c: Clause, evidence: Sequence[Analysis]) -> str | None:
    """An evidence passage that holds the negated clause's verb and at least two of its other content words,
    with no negation in the words before the verb: "would not reconsider the membership" against "and 'reconsider' the country's
    membership", where quotation marks kept the parser from reading the evidence's clause."""
    others = c.words - {c.verb}
    if len(others) < 2:
        return None
    for a in evidence:
        lemmas = {w.lemma for w in a.content}
        if c.verb not in lemmas or len(others & lemmas) < 2 or any(e.negated and e.verb == c.verb for e in a.clauses):
            continue
        forms = {w.lower for w in a.content if w.lemma == c.verb}
        lower = a.text.lower()
        spots = [m.start() for f in forms for m in re.finditer(rf"\b{re.escape(f)}\b", lower)]
        if spots and not any(_ANY_NEGATION.search(lower[max(0, at - 40): at]) for at in spots):
            return a.text  # no negation in the words before the verb, wherever the evidence has it
    return None


# Words that carry a negative meaning without "not": a sentence that says "did not" for one of these restates it.
NEGATIVE_MEANING = re.compile(
    r"\b(?:refus\w*|fail\w*|den(?:y|ies|ied|ial)\w*|reject\w*|declin\w*|block\w*|bann?\w*|bar(?:s|red|ring)?|"
    r"prevent\w*|lack\w*|oppos\w*|halt\w*|stop\w*|cancel\w*|avoid\w*|ignor\w*|dismiss\w*|unable|absen\w*|"
    r"miss\w*|against|forbid\w*|prohibit\w*|resist\w*|doubt\w*|disput\w*|withh[eo]ld\w*|omit\w*|exclud\w*|"
    r"neglect\w*|abandon\w*|drop\w*|los[et]\w*|quit\w*|reluctan\w*|unlikely|hardly|barely|rarely|little|few|"
    r"skip\w*|rebuff\w*|spurn\w*|shun\w*|dropp\w*|scrap\w*|revers\w*|overturn\w*|rul\w* out|turn\w* down|"
    r"kept from|keep\w* from|spar\w*|excus\w*|exempt\w*|free of|clear\w*|innocen\w*|false\w*|untrue|wrong\w*|"
    r"un(?:able|willing|aware|clear|known|sure|likely|fair|lawful|constitutional|successful|happy|acceptable|"
    r"available|founded|supported|true|safe|wanted|welcome)\w*|"
    r"in(?:correct|accurate|valid|effective|sufficient|adequate)\w*|"
    r"dis(?:agree|approv|allow|continu|qualif|satisf|credit|miss|put|avow|own|regard)\w*|none|nonexist\w*)\b", re.I)


def _affirmed(c: Clause, evidence: Sequence[Analysis]) -> str | None:
    """An evidence passage that states most of the negated clause's content, in other words, with no negation and
    no word of negative meaning anywhere in it: "did not think it would undermine national security" against "he
    feared it would undermine U.S. national security". A sentence saying "did not" for the evidence's "refused" or
    "failed" restates it, so any such word in a passage on the same matter keeps this quiet."""
    others = c.words - {c.verb}
    if len(others) < 3:
        return None
    found = None
    for a in evidence:
        lemmas = {w.lemma for w in a.content} | {w.lower for w in a.content}
        shared = others & lemmas
        if len(shared) >= 2 and (_ANY_NEGATION.search(a.text) or NEGATIVE_MEANING.search(a.text)):
            return None  # some passage on the same matter says it negatively: the sentence may restate that one
        if found is None and len(shared) >= 3 and len(shared) >= 0.6 * len(others):
            found = a.text
    return found


def check_clause_antonyms(sentence: Analysis, evidence: Sequence[Analysis]) -> list[Finding]:
    """The same statement with the opposite verb, in either voice: "claims were accepted by judges" where the
    evidence has "judges rejected the claims". The two clauses must share their polarity, the thing done to and
    (when both name one) the doer, so a verb merely used elsewhere in the evidence does not count."""
    ev_clauses = [c for a in evidence for c in a.clauses]
    own_verbs = {c.verb for c in sentence.clauses}
    for c in sentence.clauses:
        for e in ev_clauses:
            if (c.verb, e.verb) not in _ANTONYM_PAIRS or c.negated != e.negated or e.verb in own_verbs:
                continue  # a sentence using both verbs ("overturned the ruling that had upheld") is not the swap
            if _same_party(c.patient, e.patient) and (not (c.agent and e.agent) or _same_party(c.agent, e.agent)):
                return [Finding(kind="antonym", conflict=True, check="opposite verb (dependency clauses)",
                                words=[c.verb], evidence=e.text[:300],
                                detail=f"'{c.verb}' where the evidence restating it says '{e.verb}': \"{e.text[:160]}\"")]
    return []


def check_clause_polarity(sentence: Analysis, evidence: Sequence[Analysis], words: WordSupport) -> list[Finding]:
    """A clause negated where the evidence clause restating it is not (or the reverse)."""
    ev_clauses = [c for a in evidence for c in a.clauses]
    for c in sentence.clauses:
        if c.verb in {"be", "have", "do"} and not c.negated:
            continue
        same = [e for e in ev_clauses if _verbs_match(c.verb, e.verb, words) and _restates(c, e)]
        if not same and c.negated:
            plain = _plainly_stated(c, evidence)
            how = " where the evidence states it plainly, with no negation before it"
            if plain is None:
                plain = _affirmed(c, evidence)
                how = "; the evidence states the same matter with no negation and no word of negative meaning"
            if plain is not None:
                return [Finding(kind="negation", conflict=True, check="clause polarity", words=[c.text[:120]],
                                evidence=plain[:300],
                                detail=f"the sentence negates '{c.verb}'{how}: \"{plain[:160]}\"")]
        if same and all(e.negated != c.negated for e in same):
            e = same[0]
            said = "negates" if c.negated else "states plainly"
            return [Finding(kind="negation", conflict=True, check="clause polarity", words=[c.text[:120]],
                            evidence=e.text[:300],
                            detail=f"the sentence {said} '{c.verb}' where the evidence "
                                   f"{'states it plainly' if c.negated else 'negates it'}: \"{e.text[:160]}\"")]
    return []
