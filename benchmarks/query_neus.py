"""Retrieval on the NeuS validation clusters: each cluster's reference headline as the query over one mixed store.

Every article is in one store under a meaningless name; for each cluster, its reference headline is the query
over the whole mixed store.

Two figures per cluster, averaged over the held-out (odd-numbered) clusters, or with ``--part tune`` over the
even-numbered ones (where the search and the citations are tuned):
* retrieval, every cluster of the part: `summarizer.corpus.search` (what `digest run --query` digests): the share of
  retrieved articles that belong to the cluster, and the share of the cluster's articles retrieved;
* digests, the first ``--digests`` clusters of the part: `digest run --query "<headline>"` as a user runs it (bundled
  model, offline): the share of cited sources that belong to the cluster, and the share of its articles cited.

    python benchmarks/query_neus.py ../shared/benchmarks/neus_val.jsonl --work DIR [--digests 12]

``--work`` may be the folder `stories_neus.py --work` left (its store is reused: the articles and names are the same).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: the checkout's packages first (benchmarks/__init__.py)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import argument_parser, digest_command, emit, read_jsonl  # noqa: E402
from benchmarks.stories_neus import part_of, write_articles  # noqa: E402


def shares(got: set[str], cluster: set[str]) -> tuple[float, float]:
    precision = len(got & cluster) / len(got) if got else 0.0
    recall = len(got & cluster) / len(cluster) if cluster else 0.0
    return precision, recall


def mean(values: list[float]) -> float:
    return round(sum(values) / len(values), 4) if values else 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argument_parser(__file__, __doc__)
    parser.add_argument("file", type=Path)
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--digests", type=int, default=12, help="how many held-out clusters get a full digest")
    parser.add_argument("--max-sentences", type=int, default=6)
    parser.add_argument("--part", choices=("held-out", "tune"), default="held-out",
                        help="which clusters are queried: the held-out (odd) ones, or the tuning (even) ones")
    parser.add_argument("--out", type=Path, help="write the figures as JSON here")
    args = parser.parse_args(argv)
    rows = read_jsonl(args.file)
    truth = write_articles(rows, args.work / "articles")
    store_dir = args.work / "store"
    env = {**os.environ, "ANONYMIZED_TELEMETRY": "False", "DIGEST_QUIET": "1"}
    digest = digest_command()
    if not store_dir.exists():
        subprocess.run([digest, "ingest", str(args.work / "articles"), "--store", str(store_dir), "-q"], check=True,
                       env=env)

    from summarizer.corpus import find_stories, search
    from summarizer.stores import open_store

    store = open_store(store_dir)
    find_stories(store)
    members: dict[str, set[str]] = {}
    for name, cluster in truth.items():
        members.setdefault(cluster, set()).add(name)
    held = [r for r in rows if part_of(r["id"]) == args.part]
    retrieval_p, retrieval_r = [], []
    started = time.perf_counter()
    for row in held:
        documents, _ = search(store, row["reference"]["title"])
        p, r = shares({d.name for d in documents}, members[row["id"]])
        retrieval_p.append(p)
        retrieval_r.append(r)
    search_seconds = time.perf_counter() - started
    digest_p, digest_r, given_p, given_r, per_digest = [], [], [], [], []
    for row in held[: args.digests]:
        out = args.work / "query-digests" / row["id"]
        t0 = time.perf_counter()
        done = subprocess.run([digest, "run", "--query", row["reference"]["title"], "--store", str(store_dir),
                               "--out", str(out), "--max-sentences", str(args.max_sentences), "--offline", "-q"],
                              capture_output=True, text=True, env=env)
        if done.returncode != 0:
            print(f"{row['id']}: digest run failed: {done.stderr.strip()[-300:]}", file=sys.stderr)
            continue
        data = json.loads((out / "digest.json").read_text())
        cited = {c["source"] for s in data["sentences"] for c in s["citations"]}
        p, r = shares(cited, members[row["id"]])
        given = shares({s["name"] for s in data["sources"]}, members[row["id"]])
        given_p.append(given[0])
        given_r.append(given[1])
        digest_p.append(p)
        digest_r.append(r)
        per_digest.append(round(time.perf_counter() - t0, 1))
    result = {
        "part": args.part, "clusters": len(held),
        "retrieval": {"right_story_share": mean(retrieval_p), "cluster_retrieved_share": mean(retrieval_r),
                      "seconds_per_query": round(search_seconds / max(len(held), 1), 3)},
        "digests": {"clusters": len(digest_p), "cited_right_story_share": mean(digest_p),
                    "cluster_cited_share": mean(digest_r),
                    "retrieved_right_story_share": mean(given_p), "cluster_retrieved_share": mean(given_r),
                    "seconds_per_digest": mean(per_digest)},
    }
    return emit(result, args.out)


if __name__ == "__main__":
    sys.exit(main())
