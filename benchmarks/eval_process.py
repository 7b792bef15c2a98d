"""Wall time of one whole `digest eval` process on a 24-sentence summary of the seeds, and the NLP start-up.

What the English pipeline adds to start-up is measured alone beside it.

    .venv/bin/python benchmarks/eval_process.py [--runs 3]

The summary is 24 sentences taken from the seeds (every second usable sentence), each citing its own
article, written to a temporary Markdown file with a Sources list; the command timed is
`digest eval SUMMARY --sources seeds/ --json OUT` (faithfulness, citations, neutrality and coverage).
"""

from __future__ import annotations

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
from digest_core.text import split_sentences  # noqa: E402


def summary_file(folder: Path) -> tuple[Path, int]:
    seeds = sorted(SEEDS.glob("*.txt"))
    lines, k = [], 0
    for n, path in enumerate(seeds, 1):
        for sentence in split_sentences(path.read_text(encoding="utf-8")):
            if len(sentence.split()) >= 8 and sentence.endswith("."):
                k += 1
                if k % 2 == 0 and len(lines) < 24:
                    lines.append(f"{sentence} [{n}]")
    out = folder / "summary.md"
    out.write_text("# Seeds\n\n" + "\n".join(lines) + "\n\n## Sources\n\n"
                   + "\n".join(f"[{n}] {p.name}" for n, p in enumerate(seeds, 1)) + "\n", encoding="utf-8")
    return out, len(lines)


CPU: list[float] = []  # user + system seconds of each timed process (less sensitive to a busy machine than wall time)


def timed(cmd: list[str]) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return wall


def main(argv: list[str] | None = None) -> int:
    ap = argument_parser(__file__, __doc__)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args(argv)
    digest = digest_command()
    with tempfile.TemporaryDirectory() as tmp:
        summary, n = summary_file(Path(tmp))
        walls = [timed([digest, "eval", str(summary), "--sources", str(SEEDS), "--json", f"{tmp}/r.json"])
                 for _ in range(args.runs)]
    load = "import time; t = time.perf_counter(); from digest_core.nlp import pipeline; pipeline(); print(time.perf_counter() - t)"
    spacy = [float(subprocess.run([sys.executable, "-c", load], check=True, capture_output=True, text=True).stdout)
             for _ in range(args.runs)]
    print(f"digest eval, {n} sentences x 5 seed articles: wall {statistics.median(walls):.2f} s median of {args.runs} "
          f"({', '.join(f'{w:.2f}' for w in walls)})")
    print(f"CPU time (user + system) {statistics.median(CPU):.2f} s median; load average at the end "
          f"{os.getloadavg()[0]:.1f}")
    print(f"English pipeline import + load alone: {statistics.median(spacy):.2f} s median "
          f"(overlapped with the embedding model's load in digest eval)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
