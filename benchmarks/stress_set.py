"""The judge's stress set: hand-written faithful paraphrases and planted errors, scored and tallied.

The cases live in ``benchmarks/stress/`` (see RESULTS.md for how they were written): one JSON line
per sentence, ``{"id", "cluster", "label": "faithful"|"error", "type", "sentence", "cites": [k, ...]}``,
where ``cites`` are 1-based positions among the cluster's documents (``clusters.jsonl``: NeuS
validation clusters, each document given to the judge as its title, a blank line, its text).

A sentence is *flagged* when the judge does not call it supported, or when it calls its citations
wrong (``citation_supported`` false). Recall per error type is the share of planted errors flagged;
the false-flag rate is the share of faithful sentences flagged.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

from evals.records import SourceText, Summary, SummarySentence

STRESS_DIR = Path(__file__).resolve().parent / "stress"
DEV_PARTS = ("dev-a", "dev-b")
TEST_PARTS = ("test-a", "test-b")
# Written after the judge's changes of the first round; scored once then, inspected in the second round.
FINAL_PARTS = ("final-a", "final-b")
# Written in the second round (NeuS clusters 166-299) by writers who saw neither the judge nor its output;
# scored once, after that round's changes: the figures a user can expect.
FRESH_PARTS = ("fresh-a", "fresh-b")
# Held out in the second round (scored in aggregate only), read and tuned on in the third.
LATER_PARTS = ("later-a", "later-b")
# Written at the start of the third round (NeuS clusters 168-303) by writers who saw neither the judge nor its
# output; scored in aggregate before and after that round's changes, never read case by case.
BLIND_PARTS = ("blind-a", "blind-b")
# Written in the fourth round (NeuS clusters 0-49, none used by the other sets) by writers who saw neither the
# judge nor its output; scored once, after that round's changes.
UNSEEN_PARTS = ("unseen-a", "unseen-b")
# Written in the fifth round (the 23 NeuS validation clusters left with three articles of at least 50 words, 2-58)
# by two new writers who saw neither the judge nor its output; scored in aggregate only.
FIFTH_PARTS = ("fifth-a", "fifth-b")
# Written in the ninth session by two writers who saw neither the judge nor its output, on 24 NeuS validation
# clusters whose articles attribute claims (accused, alleged, argued, believes ...; some already in other parts):
# faithful sentences that keep, reword or rightly drop an attribution, and errors that drop or swap one or state
# a hedged plan as done (benchmarks/stress/BRIEF-attribution.md). "attr-a" was read while building the
# attribution check (evals/attribution.py); "attr-b" is scored in aggregate only.
ATTRIBUTION_PARTS = ("attr-a", "attr-b")
# Written in the same session by a third writer (brief benchmarks/stress/BRIEF-quotes.md) on 14 other NeuS clusters
# rich in quotations: a speaker's quoted words stated in the summary's own voice, against quotations kept, turned
# into reported speech, or facts the article states itself. Scored in aggregate only.
QUOTE_PARTS = ("quote-a",)
# Written in the eleventh session by two writers who saw neither the judge nor its output (brief
# benchmarks/stress/BRIEF-sixth.md), on 22 NeuS validation clusters no other part uses: who is named (a name no
# article holds, as the speaker or elsewhere; a usual alias) and which way a statement goes (a flip by "not", or by
# another word: "for" / "against", "launched" / "held off launching"; a negative restated). Scored in aggregate.
SIXTH_PARTS = ("sixth-a", "sixth-b")
# Written in the twelfth session by two writers who saw neither the judge nor its output (brief
# benchmarks/stress/BRIEF-seventh.md), on 22 NeuS validation clusters no other part uses, drawn at random: how
# summaries compress and combine (facts of two articles merged, a statement cut down, a figure or title in another
# form, an attribution reworded) against a changed number, an added detail, two named parties in each other's roles,
# and a plan or allegation stated as done. "seventh-a" read case by case after its first scoring; "seventh-b" in
# aggregate only.
SEVENTH_PARTS = ("seventh-a", "seventh-b")


@dataclass
class Case:
    id: str
    cluster: str
    label: str
    type: str
    sentence: str
    cites: list[int]


@dataclass
class Outcome:
    case: Case
    flagged: bool
    verdict: str
    citation_supported: bool | None
    faithfulness: float
    findings: list[str] = field(default_factory=list)
    features: dict[str, float] = field(default_factory=dict)


def read_clusters(directory: Path = STRESS_DIR) -> dict[str, list[SourceText]]:
    clusters: dict[str, list[SourceText]] = {}
    for line in (directory / "clusters.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        clusters[row["id"]] = [SourceText(name=f"{row['id']}-{k + 1}.txt", text=f"{d['title']}\n\n{d['text']}")
                               for k, d in enumerate(row["documents"])]
    return clusters


def read_cases(parts: Iterable[str], directory: Path = STRESS_DIR) -> list[Case]:
    cases: list[Case] = []
    for part in parts:
        for line in (directory / f"{part}.jsonl").read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            cases.append(Case(row["id"], row["cluster"], row["label"], row["type"], row["sentence"], list(row["cites"])))
    return cases


def score_cases(cases: Sequence[Case], clusters: dict[str, list[SourceText]], scorer, progress=None) -> list[Outcome]:
    """Each case scored as a one-sentence summary citing its documents, as a user's summary would."""
    outcomes: list[Outcome] = []
    if progress is not None:
        progress.start("stress cases", len(cases))
    for case in cases:
        sources = clusters[case.cluster]
        summary = Summary(sentences=[SummarySentence(index=0, text=case.sentence, citations=case.cites)],
                          sources=[s.name for s in sources], has_citations=True)
        report = scorer.score(summary, sources)
        s = report.sentences[0]
        flagged = s.verdict != "supported" or s.citation_supported is False
        outcomes.append(Outcome(case, flagged, s.verdict, s.citation_supported, s.faithfulness,
                                [f"{f.kind}{'!' if f.conflict else ''}: {f.detail}" for f in s.findings], s.features))
        if progress is not None:
            progress.advance()
    return outcomes


def tally(outcomes: Sequence[Outcome]) -> dict:
    """Recall per error type, false-flag rate overall and per paraphrase type."""
    by_type: dict[tuple[str, str], list[bool]] = defaultdict(list)
    for o in outcomes:
        by_type[(o.case.label, o.case.type)].append(o.flagged)
    errors = [o.flagged for o in outcomes if o.case.label == "error"]
    faithful = [o.flagged for o in outcomes if o.case.label == "faithful"]
    return {
        "errors": len(errors),
        "faithful": len(faithful),
        "recall": round(sum(errors) / len(errors), 4) if errors else None,
        "false_flag_rate": round(sum(faithful) / len(faithful), 4) if faithful else None,
        "recall_by_type": {t: {"caught": sum(v), "of": len(v), "rate": round(sum(v) / len(v), 4)}
                           for (label, t), v in sorted(by_type.items()) if label == "error"},
        "false_flags_by_type": {t: {"flagged": sum(v), "of": len(v), "rate": round(sum(v) / len(v), 4)}
                                for (label, t), v in sorted(by_type.items()) if label == "faithful"},
    }
