"""How much an NLI cross-encoder (ONNX) would add to the judge on the stress set: a measurement, not a dependency.

    .venv/bin/python benchmarks/nli_probe.py --model-dir DIR --parts unseen [--judged /tmp/stress-unseen.json]

DIR holds an ONNX sequence-pair classifier and its ``tokenizer.json`` (found anywhere under DIR). For each case the
six source passages (a sentence and the next) nearest the sentence by MiniLM are paired with it as premise and
hypothesis; the figures are the model's probability of its contradiction class (``--contradiction-index``) against
the nearest passage (``top``) and the highest over the six (``max``). Printed: ROC AUC of each against the faithful
sentences, per planted-error type; and, given a stress_judge output (``--judged``), what the default judge's flags
become when a sentence is also flagged at ``top`` above each threshold (false flags and caught errors per type).

No NLI model ships with the project (see benchmarks/RESULTS.md: the one measured has no stated licence).
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

if __package__ in (None, ""):  # run as a script: the checkout's packages first (benchmarks/__init__.py)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from benchmarks.common import argument_parser, print_json  # noqa: E402
from benchmarks.stress_judge import parts_of  # noqa: E402
from benchmarks.stress_set import read_cases, read_clusters  # noqa: E402
from digest_core.text import split_sentences  # noqa: E402

NEAREST = 6
THRESHOLDS = (0.9, 0.95, 0.98, 0.99)


class PairClassifier:
    def __init__(self, folder: Path, max_tokens: int):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        model = next(iter(sorted(folder.rglob("*.onnx"))), None)
        vocab = next(iter(sorted(folder.rglob("tokenizer.json"))), None)
        if model is None or vocab is None:
            raise SystemExit(f"{folder}: no .onnx model or tokenizer.json under it; nothing was measured")
        self.session = ort.InferenceSession(str(model))
        self.inputs = {i.name for i in self.session.get_inputs()}
        shape = self.session.get_inputs()[0].shape[1]
        self.length = shape if isinstance(shape, int) else max_tokens
        self.tokenizer = Tokenizer.from_file(str(vocab))
        self.tokenizer.enable_truncation(self.length, strategy="only_first")
        self.tokenizer.enable_padding(length=self.length)

    def probabilities(self, pairs: list[tuple[str, str]], batch: int = 16) -> np.ndarray:
        rows = []
        for start in range(0, len(pairs), batch):
            encoded = self.tokenizer.encode_batch(pairs[start:start + batch])
            feed = {"input_ids": np.array([e.ids for e in encoded], dtype=np.int64),
                    "attention_mask": np.array([e.attention_mask for e in encoded], dtype=np.int64)}
            if "token_type_ids" in self.inputs:
                feed["token_type_ids"] = np.array([e.type_ids for e in encoded], dtype=np.int64)
            logits = self.session.run(None, {k: v for k, v in feed.items() if k in self.inputs})[0]
            exp = np.exp(logits - logits.max(axis=1, keepdims=True))
            rows.append(exp / exp.sum(axis=1, keepdims=True))
        return np.concatenate(rows)


def auc(positive: list[float], negative: list[float]) -> float | None:
    if not positive or not negative:
        return None
    p, n = np.array(positive)[:, None], np.array(negative)[None, :]
    return round(float((p > n).mean() + 0.5 * (p == n).mean()), 3)


def main(argv: list[str] | None = None) -> int:
    parser = argument_parser(__file__, __doc__)
    parser.add_argument("--model-dir", type=Path, required=True)
    parser.add_argument("--parts", default="unseen")
    parser.add_argument("--contradiction-index", type=int, default=1)
    parser.add_argument("--max-tokens", type=int, default=160)
    parser.add_argument("--judged", type=Path, help="stress_judge.py --out file of the same parts")
    args = parser.parse_args(argv)
    from digest_core.embedding import default_embedder

    model, embedder = PairClassifier(args.model_dir, args.max_tokens), default_embedder()
    clusters = read_clusters()
    passages = {cid: [(" ".join(s[j:j + 2])) for doc in docs for s in [split_sentences(doc.text)] for j in range(len(s))]
                for cid, docs in clusters.items()}
    scores: dict[str, dict[str, float]] = {}
    cases = read_cases(parts_of(args.parts))
    for case in cases:
        texts = passages[case.cluster]
        vectors = embedder.embed(texts + [case.sentence])
        nearest = np.argsort(-(vectors[:-1] @ vectors[-1]))[:NEAREST]
        p = model.probabilities([(texts[k], case.sentence) for k in nearest])[:, args.contradiction_index]
        scores[case.id] = {"top": float(p[0]), "max": float(p.max())}
    faithful = [c for c in cases if c.label == "faithful"]
    types = sorted({c.type for c in cases if c.label == "error"})
    report: dict = {"parts": args.parts, "cases": len(cases), "auc": {}}
    for feature in ("top", "max"):
        negative = [scores[c.id][feature] for c in faithful]
        report["auc"][feature] = {t: auc([scores[c.id][feature] for c in cases if c.type == t and c.label == "error"],
                                         negative) for t in types}
    if args.judged:
        flagged = {o["id"]: o["flagged"] for o in json.loads(args.judged.read_text(encoding="utf-8"))["outcomes"]}
        combined = {}
        for threshold in (None, *THRESHOLDS):
            caught: dict[str, list[int]] = defaultdict(lambda: [0, 0])
            false_flags = 0
            for c in cases:
                hit = flagged[c.id] or (threshold is not None and scores[c.id]["top"] > threshold)
                if c.label == "faithful":
                    false_flags += hit
                else:
                    caught[c.type][0] += hit
                    caught[c.type][1] += 1
            combined["judge alone" if threshold is None else f"judge or top > {threshold}"] = {
                "false_flags": f"{false_flags}/{len(faithful)}", **{t: f"{a}/{b}" for t, (a, b) in sorted(caught.items())}}
        report["combined"] = combined
    print_json(report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
