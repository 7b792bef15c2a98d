"""Name checks: every name, wherever it stands in the sentence, must be in the sources in some usual
form (evals.names.NameBook); a name the sources hold but not where they say this, with another name
in its place, is a swap; and so is a name hung on another predicate than the evidence's.
"""

from __future__ import annotations

from typing import Sequence

from digest_core.text import stem
from evals.analysis import Analysis, Name
from evals.names import COARSE, NameBook, same_party
from evals.records import Finding
from evals.support import VERB_MATCH, WordSupport, same_family


def _coarse(name: Name) -> str:
    return COARSE.get(name.label, "any")


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
        kind = COARSE.get(label)
        if kind is None or label == "NORP":
            continue
        if not any(same_party(name, n) for n in (m.words for an in evidence for m in an.names)):
            continue  # a name the evidence does not hold is the name checks' business
        if any(same_party(name, n) and _heads_match(head, h, words) for n, h, _, _ in ev):
            continue
        for other, h, p, other_label in ev:
            if p == prep and COARSE.get(other_label) == kind and other_label != "NORP" \
                    and _heads_match(head, h, words) and not any(same_party(other, m) for m in mine):
                text = " ".join(name).title()
                return [Finding(kind="entity", conflict=True, check="names by attachment", words=[text],
                                detail=f"'{head} {prep} {text}': the evidence has '{h} {p} {' '.join(other).title()}'")]
    return []


def _heads_match(a: str, b: str, words: WordSupport) -> bool:
    return a == b or stem(a) == stem(b) or same_family(a, {b}) or words.similar(a, b) >= VERB_MATCH
