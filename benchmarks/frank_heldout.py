"""FRANK figures on the articles kept out of the judge's fit, from `digest bench frank --out` predictions.

    .venv/bin/digest bench frank /work/shared/benchmarks/frank_valid.jsonl --out /tmp/frank_pred.jsonl --json -q
    .venv/bin/python benchmarks/frank_heldout.py /work/shared/benchmarks/frank_valid.jsonl /tmp/frank_pred.jsonl

The held-out articles are those `benchmarks/fit_judge.py --holdout 0.3` kept out (the first 30 % by a hash of the
article text); balanced accuracy is given at the best threshold on these rows and at the judge's stored
per-dataset threshold (`frank_thresholds`, fitted without them), beside Pearson, Spearman and ROC AUC.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script: the checkout's packages first (benchmarks/__init__.py)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import argument_parser, print_json  # noqa: E402
from benchmarks.fit_judge import _bucket  # noqa: E402
from benchmarks.frank import read_jsonl  # noqa: E402
from evals.judge import load_models  # noqa: E402
from evals.metrics import summarize  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argument_parser(__file__, __doc__)
    ap.add_argument("file", type=Path, help="FRANK JSON Lines (frank_valid.jsonl)")
    ap.add_argument("predictions", type=Path, help="{id, score} JSON Lines written by `digest bench frank --out`")
    ap.add_argument("--holdout", type=float, default=0.3)
    ap.add_argument("--model", default="lm", help="whose stored thresholds to use: lm (bench frank's default) or base")
    args = ap.parse_args(argv)
    rows = [r for r in read_jsonl(args.file) if _bucket(r["article"]) < args.holdout]
    scores = {p["id"]: p["score"] for p in map(json.loads, args.predictions.read_text(encoding="utf-8").splitlines())}
    thresholds = load_models()[args.model].frank_thresholds
    out = {"articles": len({r["article"] for r in rows}), "summaries": len(rows)}
    for ds in ("cnndm", "bbc", "all"):
        sel = [r for r in rows if (ds == "all" or r["dataset"] == ds) and r["id"] in scores]
        out[ds] = {k: (round(v, 3) if isinstance(v, float) else v) for k, v in summarize(
            [scores[r["id"]] for r in sel], [r["label"] for r in sel], [r["factuality"] for r in sel],
            threshold=thresholds.get(ds)).items()}
    print_json(out, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
