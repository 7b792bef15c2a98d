"""A learned pair scorer for story grouping, measured on the tune half of NeuS validation only (issue 14).

The question: does a small logistic regression over cheap pair features, used as the similarity of the same
average-link clustering, group better than `digest stories`' hand-set mix (0.5 MiniLM + 0.5 TF-IDF, then CSLS)?

Pairs: among each article's ``--neighbours`` nearest others (by the current raw similarity, over the whole mixed
store), both articles in a tune cluster; label: same cluster. Features per pair (all from the stored article
records, nothing new analysed): the current raw mix and its CSLS correction; the cosines of the headline+lead
embedding, of the headline embedding and of the TF-IDF terms, each also CSLS-corrected (3 neighbours); the TF-IDF
cosine of names alone and of numbers and dates alone; the rank of j among i's neighbours and of i among j's
(log, capped at 50; their min and max). The similarity is the model's log-odds; pairs whose raw mix is below the
floor get -20 (the floor that keeps tiny stores right); the threshold is the best on the fitting clusters.

Reported for each feature set: the tune F1 and ARI with the model fitted and the threshold chosen on all tune
clusters (in-sample), and a two-fold cross-validation inside tune (clusters split by id mod 4: fit and threshold on
one fold, F1 on the other), beside the current grouping scored on the same folds. The held-out half is never
scored here.

    python benchmarks/stories_pairs.py ../shared/benchmarks/neus_val.jsonl --work DIR

``--work`` is a folder `stories_neus.py --work` left (its store is read; ingest first if it has none). Dense
matrices over every article: fine for NeuS validation (917 articles), not for a large store.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

if __package__ in (None, ""):  # run as a script: the checkout's packages first (benchmarks/__init__.py)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import argument_parser, emit, read_jsonl  # noqa: E402
from benchmarks.stories_neus import pair_scores, write_articles  # noqa: E402

LOW = -20.0  # the log-odds given to a pair below the floor
FEATURE_SETS = {
    "csls_mix (the current similarity, refitted)": ["csls_mix"],
    "mix parts": ["csls_mix", "mix", "lead", "head", "terms", "names", "numbers", "rank_min", "rank_max"],
    "mix parts + CSLS of each": ["csls_mix", "mix", "lead", "head", "terms", "names", "numbers", "rank_min", "rank_max",
                                 "csls_lead", "csls_head", "csls_terms"],
    "CSLS of each + names + numbers": ["csls_mix", "csls_lead", "csls_head", "csls_terms", "numbers", "names"],
}


def csls(sim: np.ndarray, k: int = 3) -> np.ndarray:
    m = sim.copy()
    np.fill_diagonal(m, -np.inf)
    hub = np.sort(m, axis=1)[:, -k:].mean(axis=1)
    np.fill_diagonal(m, 0.0)
    return 2 * m - hub[:, None] - hub[None, :]


def pair_features(records, vectors) -> dict[str, np.ndarray]:
    from summarizer.stories import GroupingParams, Similarity, term_matrix

    n = len(records)
    everyone = np.arange(n)
    current = Similarity(records, vectors, GroupingParams())
    mix = current.raw(everyone, everyone).astype(np.float64)
    halves = [vectors[:, :384], vectors[:, 384:]]
    lead, head = (h / np.linalg.norm(h, axis=1, keepdims=True) for h in halves)

    def cosine_of(prefix: str | None) -> np.ndarray:
        recs = records if prefix is None else [
            r.model_copy(update={"terms": [t for t in r.terms if t.startswith(prefix)]}) for r in records]
        m = term_matrix(recs, 1.0)
        return (m @ m.T).toarray()

    f = {"mix": mix, "csls_mix": csls(mix), "lead": lead @ lead.T, "head": head @ head.T, "terms": cosine_of(None),
         "names": cosine_of("n:"), "numbers": cosine_of("#:")}
    for name in ("lead", "head", "terms"):
        f["csls_" + name] = csls(f[name])
    ranked = mix.copy()
    np.fill_diagonal(ranked, -np.inf)
    order = np.argsort(-ranked, axis=1)
    rank = np.empty_like(order)
    rank[everyone[:, None], order] = everyone[None, :]
    log_rank = np.log1p(np.minimum(rank, 50))
    f["rank_min"], f["rank_max"] = np.minimum(log_rank, log_rank.T), np.maximum(log_rank, log_rank.T)
    return f


def fit(X: np.ndarray, y: np.ndarray, l2: float = 1.0) -> tuple[np.ndarray, float]:
    """L2-regularised logistic regression on standardised features; weights returned on the raw scale."""
    mu, sd = X.mean(axis=0), X.std(axis=0) + 1e-9
    Z = (X - mu) / sd

    def loss(theta):
        w, b = theta[:-1], theta[-1]
        z = Z @ w + b
        g = (1 / (1 + np.exp(-z)) - y) / len(y)
        value = np.mean(np.logaddexp(0, z) - y * z) + l2 * (w @ w) / len(y)
        return value, np.concatenate([Z.T @ g + 2 * l2 * w / len(y), [g.sum()]])

    theta = minimize(loss, np.zeros(X.shape[1] + 1), jac=True, method="L-BFGS-B").x
    w = theta[:-1] / sd
    return w, float(theta[-1] - (mu / sd) @ theta[:-1])


def cluster(sim: np.ndarray, threshold: float) -> list[list[int]]:
    """The grouping's own clustering (components of the pairs above threshold, then average link) on ``sim``."""
    from summarizer.stories import _components, average_link

    n = len(sim)
    edges = [(int(i), int(j)) for i, j in np.argwhere(np.triu(sim >= threshold, 1))]
    out = []
    for comp in _components(n, edges, []):
        if len(comp) == 1:
            out.append(comp)
            continue
        m = np.array(comp)
        start = [[i] for i in range(len(comp))]
        out.extend([[comp[i] for i in g] for g in average_link(sim[np.ix_(m, m)], start, [False] * len(comp),
                                                                  threshold)])
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argument_parser(__file__, __doc__)
    parser.add_argument("file", type=Path)
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--neighbours", type=int, default=20, help="pairs: each article's this many nearest")
    parser.add_argument("--floors", default="0.2,0.15", help="raw-mix floors to try (0.2 is the current one)")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)

    from summarizer.corpus import sync_articles
    from summarizer.stores import open_store

    truth = write_articles(read_jsonl(args.file), args.work / "articles")
    records, vectors, _ = sync_articles(open_store(args.work / "store"))
    names = [r.source for r in records]
    n = len(names)
    cluster_no = np.array([int(truth[x].rsplit("-", 1)[1]) for x in names])
    tune = cluster_no % 2 == 0
    same = cluster_no[:, None] == cluster_no[None, :]
    f = pair_features(records, vectors)

    def score(groups, fold: int | None) -> dict:
        keep = {k: v for k, v in truth.items() if int(v.rsplit("-", 1)[1]) % (2 if fold is None else 4) ==
                (0 if fold is None else fold)}
        predicted = {x: f"single:{x}" for x in truth}
        predicted.update({names[i]: str(g[0]) for g in groups for i in g})
        return pair_scores(keep, predicted)

    near = np.argsort(-np.where(np.eye(n, dtype=bool), -np.inf, f["mix"]), axis=1)[:, :args.neighbours]
    candidate = np.zeros((n, n), bool)
    candidate[np.arange(n)[:, None], near] = True
    candidate |= candidate.T
    thresholds = np.arange(-3.0, 2.001, 0.125)

    def fitted(features: list[str], rows: np.ndarray, floor: float) -> tuple[np.ndarray, dict, float]:
        pairs = np.argwhere(np.triu(candidate & rows[:, None] & rows[None, :], 1))
        X = np.stack([f[k][pairs[:, 0], pairs[:, 1]] for k in features], axis=1)
        w, b = fit(X, same[pairs[:, 0], pairs[:, 1]].astype(float))
        sim = sum(wk * f[k] for wk, k in zip(w, features)) + b
        sim[f["mix"] < floor] = LOW
        return sim, dict(zip(features, np.round(w, 3).tolist())), round(b, 3)

    def best(sim: np.ndarray, fold: int | None) -> tuple[float, dict]:
        found = [(t, score(cluster(sim, t), fold)) for t in thresholds]
        return max(found, key=lambda x: (x[1]["f1"], x[1]["ari"], -abs(x[0])))

    current = f["csls_mix"].copy()
    current[f["mix"] < 0.2] = -1.0
    result = {"current": {"tune": score(cluster(current, -0.1), None),
                          "fold0": score(cluster(current, -0.1), 0)["f1"],
                          "fold2": score(cluster(current, -0.1), 2)["f1"]}, "scorers": []}
    print(f"current grouping: tune F1 {result['current']['tune']['f1']} ARI {result['current']['tune']['ari']}; "
          f"folds {result['current']['fold0']} / {result['current']['fold2']}", flush=True)
    for floor in [float(x) for x in args.floors.split(",")]:
        for label, features in FEATURE_SETS.items():
            cv = {}
            for fold in (0, 2):
                sim, _, _ = fitted(features, tune & (cluster_no % 4 == fold), floor)
                threshold, _ = best(sim, fold)
                cv[f"fold{2 - fold}"] = score(cluster(sim, threshold), 2 - fold)["f1"]
            sim, weights, bias = fitted(features, tune, floor)
            threshold, tuned = best(sim, None)
            row = {"features": label, "floor": floor, "threshold": float(threshold), "tune": tuned,
                   "cv": cv, "cv_mean": round((cv["fold0"] + cv["fold2"]) / 2, 4), "weights": weights, "bias": bias}
            result["scorers"].append(row)
            print(f"floor {floor} {label}: tune F1 {tuned['f1']} ARI {tuned['ari']} (threshold {threshold}); "
                  f"cross-validated F1 fold0 {cv['fold0']} fold2 {cv['fold2']} mean {row['cv_mean']}", flush=True)
    return emit(result, args.out)


if __name__ == "__main__":
    sys.exit(main())
