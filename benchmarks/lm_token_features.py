"""Do per-token views of the LM signal add anything to the judge? (FRANK validation, cross-validated)

    .venv/bin/python benchmarks/lm_token_features.py /work/shared/benchmarks/frank_valid.jsonl [--cache F.pkl]

The judge uses one LM feature per sentence, the share of its mean token surprisal that reading the
source removes. This script keeps the per-token log-probabilities (with the source excerpt and
alone) of every summary sentence, derives other candidate features from them, and reports, for
each candidate added to the judge, the figures of benchmarks/fit_judge.py's cross-validation
(5 seeds x 5 article-grouped folds; CNN/DM mean, XSum min aggregate). The first pass runs the LM
over the whole file (about as long as `digest bench frank`); it is cached.
"""

from __future__ import annotations

import pickle
import sys
from pathlib import Path

import numpy as np

if __package__ in (None, ""):  # run as a script: the checkout's packages first (benchmarks/__init__.py)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import fit_judge as fj  # noqa: E402
from benchmarks.common import argument_parser, progress_bar  # noqa: E402
from benchmarks.frank import read_jsonl, sentence_scores  # noqa: E402
from evals.judge import BASE_FEATURES, SIGNS  # noqa: E402
from evals.lm import LikelihoodRatio  # noqa: E402
from evals.scorer import Scorer  # noqa: E402


class _Recording(LikelihoodRatio):
    """The shipped signal, also keeping each sentence's token log-probs, keyed by (context, sentence)."""

    def __init__(self) -> None:
        super().__init__()
        self.record: dict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = {}

    def token_logprobs(self, sentences, context):
        pairs = super().token_logprobs(sentences, context)
        for sentence, pair in zip(sentences, pairs):
            self.record[(context, sentence)] = pair
        return pairs


def candidates(w: np.ndarray, a: np.ndarray) -> dict[str, float]:
    """Per-token views: w = log p(token | source excerpt), a = log p(token | "Summary:" alone)."""
    if not len(w):
        return {"share_hi": 0.0, "unexplained": 0.0, "unexplained_hi": 0.0, "worst_given_source": -10.0,
                "worst_gain": 0.0}
    share = (w.mean() - a.mean()) / max(-a.mean(), 0.5)
    hi = a < -2.5  # tokens that are hard to guess without the source: names, numbers, content words
    return {
        "share_hi": float((w[hi] - a[hi]).sum() / max(-a[hi].sum(), 0.5)) if hi.any() else float(share),
        "unexplained": float(np.mean(w < -4.0)),
        "unexplained_hi": float(np.mean(w[hi] < -3.0)) if hi.any() else 0.0,
        "worst_given_source": float((w[1:] if len(w) > 1 else w).min()),
        "worst_gain": float((w - a).min()),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argument_parser(__file__, __doc__)
    ap.add_argument("file", type=Path)
    ap.add_argument("--cache", type=Path, default=Path("/tmp/digest_lm_token_features.pkl"))
    args = ap.parse_args(argv)
    rows = read_jsonl(args.file)
    if args.cache.is_file():
        per, tokens = pickle.loads(args.cache.read_bytes())
    else:
        lm = _Recording()
        scorer = Scorer(lm=lm, cache_size=4)
        with progress_bar() as bar:
            per = sentence_scores(rows, scorer, progress=bar)
        # Map each row's sentences to their records; the LM context is per article (Scorer.lm_context).
        by_sentence: dict[str, list[tuple[np.ndarray, np.ndarray]]] = {}
        for (context, sentence), pair in lm.record.items():
            by_sentence.setdefault(sentence, []).append(pair)
        tokens = {}
        for r in rows:
            items = []
            for s, item in zip(r["summary_sentences"], per[r["id"]]):
                # A sentence text can recur under several articles: take the record whose share is this row's feature.
                pairs = [p for p in by_sentence.get(s, []) if abs(_share(*p) - item["features"].get("lm", 0.0)) < 1e-9]
                items.append(pairs[0] if pairs else (np.zeros(0), np.zeros(0)))
            tokens[r["id"]] = items
        args.cache.write_bytes(pickle.dumps((per, tokens)))
    by_id = {r["id"]: r for r in rows}
    sent_rows = [(rid, i) for rid, items in per.items() for i in range(len(items))]
    feats = []
    for rid, i in sent_rows:
        f = dict(per[rid][i]["features"])
        f.update(candidates(*tokens[rid][i]))
        feats.append(f)
    SIGNS.update(share_hi=1, unexplained=-1, unexplained_hi=-1, worst_given_source=1, worst_gain=1)
    y = np.array([by_id[rid]["factuality"] for rid, _ in sent_rows])
    articles = sorted({r["article"] for r in rows})
    how = {"cnndm": "mean", "bbc": "min"}
    print("judge features | CNN/DM | XSum | all  (bal.acc at training-fold threshold / Pearson / ROC AUC)")
    for extra in ([], ["share_hi"], ["unexplained"], ["unexplained_hi"], ["worst_given_source"], ["worst_gain"]):
        names = BASE_FEATURES + ["lm"] + extra
        X = np.array([[f.get(n, 0.0) for n in names] for f in feats])
        m = fj.cross_validate(rows, by_id, sent_rows, X, y, names, how, articles, 5, 5)
        cells = [f"{m[ds]['balanced_accuracy_train_threshold']:.3f} / {m[ds]['pearson']:.3f} / {m[ds]['roc_auc']:.3f}"
                 for ds in ("cnndm", "bbc", "all")]
        print(f"| 6 + lm{' + ' + extra[0] if extra else ''} | " + " | ".join(cells) + " |", flush=True)
    return 0


def _share(w: np.ndarray, a: np.ndarray) -> float:
    return 0.0 if not len(w) else float((w.mean() - a.mean()) / max(-a.mean(), 0.5))


if __name__ == "__main__":
    sys.exit(main())
