"""Story grouping on the NeuS validation clusters: pairwise F1 and adjusted Rand index of `digest stories`.

Every article goes in one folder under a meaningless name, then
`digest ingest`, `digest stories --json`, then pairwise precision/recall/F1 and adjusted Rand index against the
clusters, separately on the even-numbered clusters (where threshold and features were chosen) and on the
odd-numbered ones (held out), beside the plain baseline: MiniLM embeddings of title and lead, single link, at the
threshold best on the even clusters.

    python benchmarks/stories_neus.py ../shared/benchmarks/neus_val.jsonl [--limit N] [--work DIR]
    python benchmarks/stories_neus.py ../shared/benchmarks/neus_val.jsonl --tune    # grid on the even clusters

Both stages run as the CLI a user runs (subprocesses), so their times include start-up and model loading.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from math import comb
from pathlib import Path

import numpy as np

if __package__ in (None, ""):  # run as a script: the checkout's packages first (benchmarks/__init__.py)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import argument_parser, digest_command, print_json, read_jsonl, write_json  # noqa: E402


def write_articles(rows: list[dict], folder: Path) -> dict[str, str]:
    """One file per article, named by a hash (no hint of its cluster); returns file name -> cluster id."""
    folder.mkdir(parents=True, exist_ok=True)
    truth: dict[str, str] = {}
    for row in rows:
        for k, doc in enumerate(row["documents"]):
            name = hashlib.sha256(f"{row['id']}/{k}/salt-7".encode()).hexdigest()[:16] + ".txt"
            title = " ".join(doc.get("title", "").split())
            body = doc["text"].strip()
            (folder / name).write_text((f"Title: {title}\n\n" if title else "") + body + "\n", encoding="utf-8")
            truth[name] = row["id"]
    return truth


def part_of(cluster: str) -> str:
    return "tune" if int(cluster.rsplit("-", 1)[1]) % 2 == 0 else "held-out"


def pair_scores(truth: dict[str, str], predicted: dict[str, str]) -> dict[str, float]:
    """Pairwise precision, recall, F1 and adjusted Rand index over the items of ``truth``."""
    items = sorted(truth)
    t = Counter(truth[i] for i in items)
    p = Counter(predicted[i] for i in items)
    both = Counter((truth[i], predicted[i]) for i in items)
    same_both = sum(comb(c, 2) for c in both.values())
    same_t = sum(comb(c, 2) for c in t.values())
    same_p = sum(comb(c, 2) for c in p.values())
    precision = same_both / same_p if same_p else 1.0
    recall = same_both / same_t if same_t else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    total = comb(len(items), 2)
    expected = same_t * same_p / total if total else 0.0
    top = (same_t + same_p) / 2
    ari = (same_both - expected) / (top - expected) if top != expected else 1.0
    return {"articles": len(items), "clusters": len(t), "precision": round(precision, 4), "recall": round(recall, 4),
            "f1": round(f1, 4), "ari": round(ari, 4)}


def split_scores(truth: dict[str, str], predicted: dict[str, str]) -> dict[str, dict]:
    out = {}
    for part in ("tune", "held-out"):
        sub = {k: v for k, v in truth.items() if part_of(v) == part}
        out[part] = pair_scores(sub, predicted)
    return out


def labels_from_grouping(grouping: dict, names: list[str]) -> dict[str, str]:
    predicted = {n: f"single:{n}" for n in names}
    for story in grouping["stories"]:
        for doc in story["documents"]:
            predicted[doc] = story["id"]
    return predicted


def single_link(vectors: np.ndarray, threshold: float) -> list[int]:
    n = len(vectors)
    parent = list(range(n))

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    sim = vectors @ vectors.T
    for i, j in zip(*np.nonzero(np.triu(sim, 1) >= threshold)):
        parent[find(i)] = find(j)
    return [find(i) for i in range(n)]


def baseline(records, vectors, truth) -> dict:
    """MiniLM of title and lead, single link; the threshold best on the tune part, then the held-out part scored.
    The stored vectors are [headline+lead, headline] side by side: the first half is the headline-and-lead one."""
    names = [r.source for r in records]
    vectors = vectors[:, :384] / np.linalg.norm(vectors[:, :384], axis=1, keepdims=True)
    tune = {k: v for k, v in truth.items() if part_of(v) == "tune"}
    best = None
    for threshold in np.arange(0.50, 0.96, 0.01):
        labels = single_link(vectors, threshold)
        predicted = {n: f"single:{n}" for n in truth}
        predicted.update({n: str(l) for n, l in zip(names, labels)})
        f1 = pair_scores(tune, predicted)["f1"]
        if best is None or f1 > best[0]:
            best = (f1, round(float(threshold), 2), predicted)
    return {"threshold": best[1], **split_scores(truth, best[2])}


def cli(*args: str, env: dict) -> tuple[subprocess.CompletedProcess, float]:
    started = time.perf_counter()
    done = subprocess.run([digest_command(), *args], capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise SystemExit(f"digest {args[0]} failed ({done.returncode}): {done.stderr.strip()[-500:]}")
    return done, time.perf_counter() - started


def tune(store: Path, truth: dict[str, str]) -> None:
    """Grid over the grouping's parameters on the tune part (the whole mixed store is grouped each time)."""
    from summarizer.corpus import sync_articles
    from summarizer.stores import open_store
    from summarizer.stories import GroupingParams, group

    records, vectors, _ = sync_articles(open_store(store))
    records = [r.model_copy(update={"story": None}) for r in records]
    names = [r.source for r in records]
    tune_truth = {k: v for k, v in truth.items() if part_of(v) == "tune"}
    results = []
    for embed_weight, name_weight, floor, threshold in itertools.product(
            (0.5, 0.6), (1.0,), (0.2, 0.3, 0.4), np.arange(-0.3, 0.051, 0.025)):
        params = GroupingParams(threshold=round(float(threshold), 3), floor=floor, embed_weight=embed_weight,
                                name_weight=name_weight)
        groups = group(records, vectors, params)
        predicted = {n: f"single:{n}" for n in truth}  # an article ingest skipped is one on its own
        predicted.update({names[i]: str(g[0]) for g in groups for i in g})
        score = pair_scores(tune_truth, predicted)
        results.append((score["f1"], score["ari"], params))
        print(f"tune F1 {score['f1']:.4f} ARI {score['ari']:.4f}  {params}", flush=True)
    results.sort(key=lambda r: (-r[0], -r[1]))
    print("best:")
    for f1, ari, params in results[:10]:
        print(f"tune F1 {f1:.4f} ARI {ari:.4f}  {params}")
    print("baseline:", json.dumps(baseline(records, vectors, truth)))


def main(argv: list[str] | None = None) -> int:
    parser = argument_parser(__file__, __doc__)
    parser.add_argument("file", type=Path)
    parser.add_argument("--limit", type=int, help="only the first N clusters")
    parser.add_argument("--work", type=Path, help="keep the folder and store here (default: a temporary folder)")
    parser.add_argument("--tune", action="store_true", help="grid over the parameters on the even clusters")
    parser.add_argument("--out", type=Path, help="write the figures as JSON here")
    args = parser.parse_args(argv)

    rows = read_jsonl(args.file)[: args.limit]
    work = args.work or Path(tempfile.mkdtemp(prefix="stories-neus-"))
    folder, store = work / "articles", work / "store"
    if store.exists() and not args.tune:
        shutil.rmtree(store)
    truth = write_articles(rows, folder)
    env = {**os.environ, "ANONYMIZED_TELEMETRY": "False", "DIGEST_QUIET": "1"}
    if not store.exists():
        _, ingest_seconds = cli("ingest", str(folder), "--store", str(store), "--json", env=env)
    else:
        ingest_seconds = None
    if args.tune:
        tune(store, truth)
        return 0
    done, stories_seconds = cli("stories", "--store", str(store), "--json", env=env)
    grouping = json.loads(done.stdout)
    predicted = labels_from_grouping(grouping, sorted(truth))
    # the baseline reads the same stored articles (title and lead, as embedded for the grouping)
    from summarizer.corpus import sync_articles
    from summarizer.stores import open_store

    records, vectors, _ = sync_articles(open_store(store))
    result = {
        "clusters": len(rows), "articles": len(truth), "ingest_seconds": round(ingest_seconds or 0, 1),
        "stories_seconds": round(stories_seconds, 1), "stories": len(grouping["stories"]),
        "unassigned": len(grouping["unassigned"]), "digest": split_scores(truth, predicted),
        "baseline_minilm_single_link": baseline(records, vectors, truth),
    }
    print_json(result)
    if args.out:
        write_json(args.out, result)
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
