"""Throughput of the default offline judge in summary sentences per second.

    .venv/bin/python benchmarks/eval_throughput.py [--summaries 40]

Scores several multi-sentence summaries of the seed articles, sources embedded once
(the realistic case: one digest's sources, many sentences), and prints sentences/s,
both with the source embedding counted and without it.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: the checkout's packages first (benchmarks/__init__.py)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import SEEDS, argument_parser  # noqa: E402
from evals import Scorer, SourceText  # noqa: E402
from digest_core.text import split_sentences  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argument_parser(__file__, __doc__)
    ap.add_argument("--summaries", type=int, default=40)
    args = ap.parse_args(argv)
    sources = [SourceText(name=p.name, text=p.read_text(encoding="utf-8")) for p in sorted(SEEDS.glob("*.txt"))]
    pool = [s for src in sources for s in split_sentences(src.text) if len(s.split()) > 6]
    scorer = Scorer()
    scorer.embedder.embed(["warm up"])
    t0 = time.perf_counter()
    scorer.index(sources)
    t_index = time.perf_counter() - t0
    n = 0
    t1, c1 = time.perf_counter(), time.process_time()
    for k in range(args.summaries):
        # Summaries built from lightly edited source sentences: realistic lengths and vocabulary.
        sentences = [pool[(k * 7 + j * 13) % len(pool)].replace(" the ", " a ", 1) for j in range(6)]
        report = scorer.score(" ".join(sentences), sources)
        n += len(report.sentences)
    t_score, c_score = time.perf_counter() - t1, time.process_time() - c1
    print(f"sources: {len(sources)} files, {len(scorer.index(sources).passages)} passages, indexed in {t_index:.2f} s")
    print(f"scored {n} sentences in {t_score:.2f} s: {n / t_score:.1f} sentences/s (sources already embedded)")
    print(f"including indexing once: {n / (t_score + t_index):.1f} sentences/s")
    # CPU time is what the 2-core budget is about; wall time also counts other jobs' load.
    print(f"CPU time for scoring: {c_score:.2f} s over both cores: {n / c_score:.1f} sentences per CPU-second, "
          f"load average now {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
