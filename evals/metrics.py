"""Agreement statistics between a metric's scores and human judgements (no scikit-learn needed)."""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np
from scipy import stats


def _clean(scores: Sequence[float | None], truth: Sequence[float]) -> tuple[np.ndarray, np.ndarray]:
    pairs = [(float(s), float(t)) for s, t in zip(scores, truth) if s is not None and not math.isnan(float(s))]
    if not pairs:
        return np.zeros(0), np.zeros(0)
    a = np.array(pairs)
    return a[:, 0], a[:, 1]


def balanced_accuracy_at(scores: Sequence[float | None], labels: Sequence[int], threshold: float) -> float:
    s, y = _clean(scores, labels)
    if len(s) == 0 or y.min() == y.max():
        return float("nan")
    pred = s >= threshold
    tpr = float(np.mean(pred[y == 1]))
    tnr = float(np.mean(~pred[y == 0]))
    return (tpr + tnr) / 2


def best_balanced_accuracy(scores: Sequence[float | None], labels: Sequence[int]) -> tuple[float, float]:
    """(balanced accuracy, threshold) at the threshold that maximises it on these very scores."""
    s, y = _clean(scores, labels)
    if len(s) == 0 or y.min() == y.max():
        return float("nan"), float("nan")
    best = (-1.0, 0.0)
    candidates = np.unique(s)
    for t in candidates:
        b = balanced_accuracy_at(s, y.astype(int), float(t))
        if b > best[0]:
            best = (b, float(t))
    return best


def roc_auc(scores: Sequence[float | None], labels: Sequence[int]) -> float:
    s, y = _clean(scores, labels)
    pos, neg = int((y == 1).sum()), int((y == 0).sum())
    if pos == 0 or neg == 0:
        return float("nan")
    ranks = stats.rankdata(s)  # ties get average ranks: the Mann-Whitney form of the AUC
    return float((ranks[y == 1].sum() - pos * (pos + 1) / 2) / (pos * neg))


def pearson(scores: Sequence[float | None], truth: Sequence[float]) -> float:
    s, t = _clean(scores, truth)
    if len(s) < 3 or s.std() == 0 or t.std() == 0:
        return float("nan")
    return float(stats.pearsonr(s, t)[0])


def spearman(scores: Sequence[float | None], truth: Sequence[float]) -> float:
    s, t = _clean(scores, truth)
    if len(s) < 3 or s.std() == 0 or t.std() == 0:
        return float("nan")
    return float(stats.spearmanr(s, t)[0])


def summarize(scores: Sequence[float | None], labels: Sequence[int], factuality: Sequence[float],
              threshold: float | None = None) -> dict[str, float | None]:
    bacc, best_t = best_balanced_accuracy(scores, labels)
    out: dict[str, float | None] = {
        "n": float(len(_clean(scores, labels)[0])),
        "balanced_accuracy": bacc,
        "best_threshold": best_t,
        "pearson": pearson(scores, factuality),
        "spearman": spearman(scores, factuality),
        "roc_auc": roc_auc(scores, labels),
    }
    if threshold is not None:
        out["balanced_accuracy_fixed"] = balanced_accuracy_at(scores, labels, threshold)
        out["fixed_threshold"] = threshold
    return out
