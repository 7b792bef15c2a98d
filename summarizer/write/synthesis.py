"""Cross-source synthesis for the digest: attribution of single-source facts, and disagreements.

A fact that only one independent source carries is marked as that source's; where two
independent sources state the same fact differently (another number, date, name, or a
negation), the digest says so with both citations instead of silently picking one.
"""

from __future__ import annotations

import re

from evals import Scorer, SourceText

from ..records import Citation, Claim, Disagreement, SourceSentence

# Dates and names are left out: one source adding a date or a name the other lacks is extra detail, not a
# disagreement, and the checks cannot always tell the two apart.
CONFLICT_KINDS = {"number", "negation", "antonym"}
# "Outlet", not "source": in news writing "according to one source" reads as an unnamed informant inside a
# report, where what is meant is one of the reports the digest was made from.
ATTRIBUTION = "according to one outlet"


def attribute(text: str, independent_sources: int) -> str:
    """Mark a single-source fact as that source's, unless the sentence already names who says it.

    The attribution goes at the end ("..., according to one outlet.") so the sentence's own
    opening, proper noun or not, stays as written.
    """
    if independent_sources > 1:
        return text
    if re.search(r"\b(according to|said|says|reported|reports|told|cited|citing)\b", text, re.I):
        return text
    match = re.match(r"^(.*?)([.!?]?)([\"”’)]*)\s*$", text, re.S)
    body, stop, closing = match.group(1), match.group(2) or ".", match.group(3)
    if closing:  # a sentence ending inside quotes keeps them: ... "wait out the West," according to one outlet.
        return f"{body}{closing}, {ATTRIBUTION}{stop}"
    return f"{body}, {ATTRIBUTION}{stop}"


def _roots(members: list[SourceSentence], duplicate_of: dict[str, str]) -> list[SourceSentence]:
    """One member per independent source (copies of one report speak once)."""
    seen: dict[str, SourceSentence] = {}
    for member in members:
        seen.setdefault(duplicate_of.get(member.source, member.source), member)
    return list(seen.values())


def find_disagreements(claims: list[Claim], duplicate_of: dict[str, str], scorer: Scorer) -> list[Disagreement]:
    """Pairs of independent sources whose sentences on one fact conflict, per the evaluator's checks."""
    found: list[Disagreement] = []
    for claim in claims:
        members = _roots(claim.members, duplicate_of)
        for i, first in enumerate(members):
            for second in members[i + 1 :]:
                score = scorer.score_sentence(first.text, [SourceText(name=second.source, text=second.text)])
                conflicts = [f for f in score.findings if f.conflict and f.kind in CONFLICT_KINDS]
                if not conflicts:
                    continue
                found.append(
                    Disagreement(
                        topic=claim.text,
                        detail=conflicts[0].detail,
                        claim_id=claim.id,
                        statements=[
                            Citation(source=first.source, passage_id=first.passage_id, quote=first.text),
                            Citation(source=second.source, passage_id=second.passage_id, quote=second.text),
                        ],
                    )
                )
                break  # one disagreement per claim is enough to flag it
            else:
                continue
            break
    return found


def disagreement_sentences(disagreement: Disagreement) -> list[tuple[str, Citation]]:
    """Both versions side by side, each quoted in its own sentence that cites only its own source."""
    first, second = disagreement.statements[:2]
    return [
        (f'Accounts differ: one outlet reports that "{_clip(first.quote)}".', first),
        (f'Another outlet reports that "{_clip(second.quote)}".', second),
    ]


def _clip(quote: str) -> str:
    return quote.rstrip(".").strip('"“”')
