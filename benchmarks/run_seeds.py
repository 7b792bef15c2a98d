"""Benchmark `digest run seeds/` with the default (bundled) model: wall time, llama.cpp time, peak RSS.

Usage: .venv/bin/python benchmarks/run_seeds.py [--runs 3] [--threads N]

Each run is a fresh process with a fresh store and the LLM cache off, so every figure
includes ingest, embedding, model load and every LLM call. Targets (issue 3, 2-core machine):
under 60 s end to end, pipeline overhead (wall - llama.cpp - model load) under 15 % of wall,
peak RSS under 2 GB.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: the checkout's packages first (benchmarks/__init__.py)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import SEEDS, argument_parser, digest_command  # noqa: E402


def one_run(threads: int | None) -> dict:
    with tempfile.TemporaryDirectory(prefix="digest-bench-") as scratch:
        env = {**os.environ, "DIGEST_NO_CACHE": "1", "DIGEST_STORE": f"{scratch}/store"}
        if threads:
            env["DIGEST_LLAMA_THREADS"] = str(threads)
        command = [digest_command(), "run", str(SEEDS), "--out", f"{scratch}/out", "-q"]
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        started = time.perf_counter()
        subprocess.run(command, check=True, env=env, cwd=scratch)
        wall = time.perf_counter() - started
        peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        timings = json.loads(Path(scratch, "out", "digest.json").read_text())["timings"]
    llm, load = timings.get("llm", 0.0), timings.get("model_load", 0.0)
    return {
        "wall_s": round(wall, 2),
        "llm_s": round(llm, 2),
        "model_load_s": round(load, 2),
        "overhead_pct": round(100 * (wall - llm - load) / wall, 1),
        # ru_maxrss of children is the largest child so far; a larger earlier run would mask this one.
        "peak_rss_mb": round(max(peak_kb, before) / 1024, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argument_parser(__file__, __doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--threads", type=int, default=None, help="DIGEST_LLAMA_THREADS for the runs")
    args = parser.parse_args(argv)
    runs = [one_run(args.threads) for _ in range(args.runs)]
    for i, run in enumerate(runs, 1):
        print(f"run {i}: " + ", ".join(f"{k}={v}" for k, v in run.items()))
    median = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    print("median: " + ", ".join(f"{k}={v}" for k, v in median.items()))
    print(f"load average at the end: {os.getloadavg()[0]:.2f} (figures are only meaningful on a quiet machine)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
