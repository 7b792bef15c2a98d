"""Story grouping against store size: how `digest stories` and the plain baseline fare as more stories crowd a store.

Reads a store that `stories_neus.py --work DIR` filled (all NeuS validation articles ingested), draws K clusters at
random from each half (tune and held-out), groups only their articles (the library's `group`, default parameters,
as `digest stories` groups a store holding just those articles), and scores the held-out half's articles. The
baseline is `stories_neus.py`'s (MiniLM of headline and lead, single link), its threshold chosen on the drawn tune
clusters. Means over ``--seeds`` draws.

    python benchmarks/stories_neus.py ../shared/benchmarks/neus_val.jsonl --work DIR     # once, to fill DIR/store
    python benchmarks/stories_by_size.py ../shared/benchmarks/neus_val.jsonl --work DIR --sizes 10,25,50,100,160
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import numpy as np

if __package__ in (None, ""):  # run as a script: the checkout's packages first (benchmarks/__init__.py)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import argument_parser, print_json, read_jsonl, write_json  # noqa: E402
from benchmarks.stories_neus import pair_scores, part_of, single_link, write_articles  # noqa: E402


def draw(records, vectors, truth: dict[str, str], per_half: int, seed: int) -> dict:
    from summarizer.stories import group

    names = [r.source for r in records]
    clusters = sorted({truth[n] for n in names})
    rnd = random.Random(seed)
    chosen: set[str] = set()
    for part in ("tune", "held-out"):
        pool = [c for c in clusters if part_of(c) == part]
        chosen |= set(rnd.sample(pool, min(per_half, len(pool))))
    idx = [i for i, n in enumerate(names) if truth[n] in chosen]
    drawn = {names[i]: truth[names[i]] for i in idx}
    tune = {k: v for k, v in drawn.items() if part_of(v) == "tune"}
    held = {k: v for k, v in drawn.items() if part_of(v) != "tune"}
    groups = group([records[i] for i in idx], vectors[idx])
    ours = pair_scores(held, {names[idx[j]]: str(g[0]) for g in groups for j in g})
    plain = vectors[idx, :384] / np.linalg.norm(vectors[idx, :384], axis=1, keepdims=True)
    best = None
    for threshold in np.arange(0.50, 0.96, 0.01):
        labels = {names[idx[j]]: str(label) for j, label in enumerate(single_link(plain, threshold))}
        f1 = pair_scores(tune, labels)["f1"]
        if best is None or f1 > best[0]:
            best = (f1, labels)
    return {"ours": ours, "baseline": pair_scores(held, best[1]), "articles": len(idx)}


def main(argv: list[str] | None = None) -> int:
    parser = argument_parser(__file__, __doc__)
    parser.add_argument("file", type=Path)
    parser.add_argument("--work", type=Path, required=True, help="a stories_neus.py --work folder (its store)")
    parser.add_argument("--sizes", default="10,25,50,100,160", help="clusters drawn from each half")
    parser.add_argument("--seeds", type=int, default=5, help="draws per size (one when a size takes a whole half)")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)

    from summarizer.corpus import sync_articles
    from summarizer.stores import open_store

    truth = write_articles(read_jsonl(args.file), args.work / "articles")
    records, vectors, _ = sync_articles(open_store(args.work / "store"))
    records = [r.model_copy(update={"story": None}) for r in records]  # group afresh, as on a new store
    halves = min(sum(1 for c in set(truth.values()) if part_of(c) == p) for p in ("tune", "held-out"))
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        draws = [draw(records, vectors, truth, size, seed) for seed in range(1 if size >= halves else args.seeds)]
        row = {"clusters_per_half": size, "draws": len(draws),
               "articles": round(float(np.mean([d["articles"] for d in draws])), 1)}
        for who in ("ours", "baseline"):
            for key in ("f1", "ari"):
                values = [d[who][key] for d in draws]
                row[f"{who}_{key}"] = round(float(np.mean(values)), 3)
                row[f"{who}_{key}_range"] = [round(min(values), 3), round(max(values), 3)]
        rows.append(row)
        print(f"{size} clusters per half ({row['articles']} articles, {len(draws)} draws): held-out F1 / ARI "
              f"ours {row['ours_f1']:.3f} / {row['ours_ari']:.3f}, baseline {row['baseline_f1']:.3f} / "
              f"{row['baseline_ari']:.3f}", file=sys.stderr, flush=True)
    print_json({"sizes": rows})
    if args.out:
        write_json(args.out, {"sizes": rows})
    return 0


if __name__ == "__main__":
    sys.exit(main())
