"""Score the judge on the stress set: recall per planted-error type and false flags on faithful paraphrases.

    .venv/bin/python benchmarks/stress_judge.py --parts dev [--lm] [--out /tmp/stress.json] [--show]
    .venv/bin/python benchmarks/stress_judge.py --parts test          # the untouched half: report it, do not tune on it

``--parts`` takes ``dev``, ``test``, ``final``, ``fresh``, ``later``, ``blind``, ``seen`` (dev+test+final),
``tuned`` (all but blind), ``attribution`` (attr-a, attr-b), ``quotes`` (quote-a), ``sixth`` (sixth-a, sixth-b), ``seventh`` (seventh-a, seventh-b),
``all`` or a comma-separated list of part names in benchmarks/stress/.
``--coverage`` also scores the coverage cases (a complete paraphrased summary, and the same summary without
its two main facts). ``--show`` prints every miss and false flag with its findings (use it on dev only).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: the checkout's packages first (benchmarks/__init__.py)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import argument_parser, llama_threads, print_json, write_json  # noqa: E402
from evals.scorer import Scorer  # noqa: E402
from benchmarks.stress_set import BLIND_PARTS, DEV_PARTS, FINAL_PARTS, FRESH_PARTS, LATER_PARTS, STRESS_DIR, TEST_PARTS, UNSEEN_PARTS, FIFTH_PARTS, ATTRIBUTION_PARTS, QUOTE_PARTS, SIXTH_PARTS, SEVENTH_PARTS, read_cases, read_clusters, score_cases, tally  # noqa: E402


def parts_of(spec: str) -> list[str]:
    named = {"dev": list(DEV_PARTS), "test": list(TEST_PARTS), "final": list(FINAL_PARTS), "fresh": list(FRESH_PARTS),
             "later": list(LATER_PARTS), "blind": list(BLIND_PARTS), "unseen": list(UNSEEN_PARTS), "fifth": list(FIFTH_PARTS),
             "attribution": list(ATTRIBUTION_PARTS), "quotes": list(QUOTE_PARTS), "sixth": list(SIXTH_PARTS),
             "seventh": list(SEVENTH_PARTS),
             "seen": list(DEV_PARTS + TEST_PARTS + FINAL_PARTS), "tuned": list(DEV_PARTS + TEST_PARTS + FINAL_PARTS + FRESH_PARTS + LATER_PARTS),
             "all": list(DEV_PARTS + TEST_PARTS + FINAL_PARTS + FRESH_PARTS + LATER_PARTS + BLIND_PARTS + UNSEEN_PARTS + FIFTH_PARTS
                         + ATTRIBUTION_PARTS + QUOTE_PARTS + SIXTH_PARTS + SEVENTH_PARTS)}
    return named.get(spec) or spec.split(",")


def coverage_cases(parts: list[str], clusters, scorer) -> list[dict]:
    from evals.coverage import score_coverage

    rows = []
    for part in parts:
        path = STRESS_DIR / f"{part}-coverage.jsonl"
        if not path.is_file():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            case = json.loads(line)
            sentences = [s["sentence"] for s in case["summary"]]
            reduced = [s for k, s in enumerate(sentences) if k not in case["main"]]
            full = score_coverage(sentences, clusters[case["cluster"]], scorer)
            cut = score_coverage(reduced, clusters[case["cluster"]], scorer)
            removed = [sentences[k] for k in case["main"]]
            named = _named(removed, [m.text for m in cut.missed], scorer)
            # The other reading of "names them": a claim the removed sentence carried in the complete summary is
            # in the missed list of the reduced one.
            missed_now = {m.text for m in cut.missed}
            carried = sum(1 for r in removed if any(c.by and (r in c.by or c.by in r) and c.text in missed_now
                                                    for c in full.covered))
            rows.append({"id": case["id"], "complete": full.coverage, "without_two_main": cut.coverage,
                         "drop": round((full.coverage or 0) - (cut.coverage or 0), 4), "removed_named": named,
                         "removed_named_as_carried": carried,
                         "salient": len(full.covered) + len(full.missed)})
    return rows


def _named(removed: list[str], missed: list[str], scorer) -> int:
    """How many removed sentences the missed list names: a missed claim whose core fact the removed sentence states."""
    from evals.language import core_statement

    count = 0
    for sentence in removed:
        if any(scorer.score_sentence(core_statement(claim), [_as_source(sentence)]).verdict == "supported"
               for claim in missed):
            count += 1
    return count


def _as_source(text: str):
    from evals.records import SourceText

    return SourceText(name="s", text=text)


def main(argv: list[str] | None = None) -> int:
    ap = argument_parser(__file__, __doc__)
    ap.add_argument("--parts", default="dev")
    ap.add_argument("--lm", action="store_true", help="add the SmolLM2 likelihood signal (as digest eval --lm)")
    ap.add_argument("--coverage", action="store_true")
    ap.add_argument("--show", action="store_true")
    ap.add_argument("--out", type=Path)
    args = ap.parse_args(argv)
    parts = parts_of(args.parts)
    lm = None
    if args.lm:
        from evals.lm import LikelihoodRatio

        lm = LikelihoodRatio(n_threads=llama_threads())
    scorer = Scorer(lm=lm)
    clusters = read_clusters()
    cases = read_cases(parts)
    started = time.perf_counter()
    outcomes = score_cases(cases, clusters, scorer)
    result = {"parts": parts, "lm": args.lm, "seconds": round(time.perf_counter() - started, 1), **tally(outcomes)}
    if args.coverage:
        result["coverage"] = coverage_cases(parts, clusters, scorer)
    print_json(result, indent=1)
    if args.show:
        for o in outcomes:
            wrong = o.flagged != (o.case.label == "error")
            if wrong:
                tag = "MISS" if o.case.label == "error" else "FALSE FLAG"
                print(f"\n{tag} {o.case.id} [{o.case.type}] {o.verdict} {o.faithfulness:.2f} cites_ok={o.citation_supported}\n"
                      f"  {o.case.sentence}\n  " + "\n  ".join(o.findings))
    if args.out:
        write_json(args.out, {**result, "outcomes": [
            {"id": o.case.id, "label": o.case.label, "type": o.case.type, "flagged": o.flagged, "verdict": o.verdict,
             "citation_supported": o.citation_supported, "faithfulness": o.faithfulness, "findings": o.findings,
             "features": o.features}
            for o in outcomes]}, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
