"""Batch cost: wall-clock seconds per story of `digest batch` with 1 and with 2 workers, local backend.

The backend is the bundled SmolLM2-135M; the stories are the first N NeuS validation clusters put in one folder
under meaningless names.

    python benchmarks/batch_cost.py ../shared/benchmarks/neus_val.jsonl --limit 6 [--max-sentences 4]

Each run starts from an empty output folder with --no-cache (no LLM answer reused between the runs); times are
the whole command (start-up, grouping, model loading in each worker, digests, index).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: the checkout's packages first (benchmarks/__init__.py)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import argument_parser, digest_command, print_json, read_jsonl  # noqa: E402
from benchmarks.stories_neus import write_articles  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argument_parser(__file__, __doc__)
    parser.add_argument("file", type=Path)
    parser.add_argument("--limit", type=int, default=6)
    parser.add_argument("--max-sentences", type=int, default=4)
    parser.add_argument("--workers", default="1,2")
    args = parser.parse_args(argv)
    rows = read_jsonl(args.file)[: args.limit]
    work = Path(tempfile.mkdtemp(prefix="batch-cost-"))
    write_articles(rows, work / "articles")
    digest = digest_command()
    env = {**os.environ, "ANONYMIZED_TELEMETRY": "False"}
    subprocess.run([digest, "ingest", str(work / "articles"), "--store", str(work / "store"), "-q"], check=True, env=env)
    figures = {"clusters": len(rows), "cores": os.cpu_count(), "runs": []}
    for workers in (int(w) for w in args.workers.split(",")):
        started = time.perf_counter()
        done = subprocess.run([digest, "batch", "--store", str(work / "store"), "--out", str(work / f"out-{workers}"),
                               "--workers", str(workers), "--max-sentences", str(args.max_sentences), "--no-cache",
                               "--offline", "-q"], capture_output=True, text=True, env=env)
        seconds = time.perf_counter() - started
        if done.returncode != 0:
            raise SystemExit(f"digest batch failed: {done.stderr.strip()[-400:]}")
        index = json.loads((work / f"out-{workers}" / "index.json").read_text())
        n = len(index["stories"])
        figures["runs"].append({"workers": workers, "stories": n, "seconds": round(seconds, 1),
                                "seconds_per_story": round(seconds / max(n, 1), 1),
                                "mean_story_seconds": round(sum(s["seconds"] for s in index["stories"]) / max(n, 1), 1)})
    print_json(figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
