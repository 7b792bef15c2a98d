"""The least pipeline overhead `digest run seeds/` could have with this design (issue 16's speed target).

Usage: .venv/bin/python benchmarks/overhead_floor.py [--runs 3]

Issue 16 asks for a seeds digest whose pipeline overhead is at most 15 % (`run_seeds.py` counts it as
``(wall - llama.cpp - model load) / wall``). Part of that overhead is fixed cost that no amount of work on the
pipeline removes while it uses its components: starting Python, importing the command line, Chroma and
llama-cpp-python, loading spaCy's English pipeline and the MiniLM embedder, and one call of each (their first call
sets up state). This script measures that floor in fresh processes that do exactly that and nothing else, then one
real `run_seeds.py` run for the llama.cpp seconds of the same machine state, and prints the overhead the digest
would have if every other step of the pipeline took no time at all.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: the checkout's packages first (benchmarks/__init__.py)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import argument_parser  # noqa: E402
from benchmarks.run_seeds import one_run  # noqa: E402

# What a `digest run` process cannot skip before its own work: the imports, and the two analysers warmed up.
FIXED_COST = """
import summarizer.cli, chromadb, llama_cpp
from digest_core.nlp import pipeline
pipeline()("Warm up the parser.")
from digest_core.embedding import default_embedder
default_embedder().embed(["warm up the embedder"])
"""


def fixed_cost_seconds() -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", FIXED_COST], check=True, env={**os.environ, "PYTHONPATH": str(
        Path(__file__).resolve().parents[1])})
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argument_parser(__file__, __doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    fixed = statistics.median(fixed_cost_seconds() for _ in range(args.runs))
    seeds = one_run(None)
    llm, load = seeds["llm_s"], seeds["model_load_s"]
    best_wall = fixed + load + llm
    print(f"fixed cost (Python, imports, spaCy and MiniLM loaded and warmed), median of {args.runs}: {fixed:.2f} s")
    print("seeds run: " + ", ".join(f"{k}={v}" for k, v in seeds.items()))
    print(f"if the pipeline's own work took no time: wall {best_wall:.2f} s, "
          f"overhead {100 * fixed / best_wall:.1f} % of wall (target: at most 15 %)")
    print(f"load average at the end: {os.getloadavg()[0]:.2f} (figures are only meaningful on a quiet machine)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
