"""`digest eval --cases` on FRANK validation, beside the raw MiniLM time of embedding the same sentences.

    .venv/bin/python benchmarks/cases_frank.py /work/shared/benchmarks/frank_valid.jsonl [--limit N] [--lm]

1. Converts FRANK rows to cases in ragas' column names (``response``: the summary's sentences joined;
   ``retrieved_contexts``: [the article]; ``id``) and writes them next to the results (``--work``).
2. Runs the installed ``digest eval --cases FILE --json OUT -q`` as a user would, and reads its own
   timing (``summary.seconds``: scoring only, after the models load) and the process wall time.
3. The floor: the bundled MiniLM (int8 ONNX) embedding every distinct sentence the judge must read
   once (summary sentences and article sentences), batched 64 at a time, sorted by length, with no
   memo; nothing else. Scoring cannot be faster than embedding its inputs on this machine.

Prints one JSON object: cases, sentences, seconds per case, sentences per second, the floor and
the ratio, with the load average when it ran (the machine is shared).
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

from benchmarks.common import argument_parser, digest_command, print_json, read_jsonl, write_jsonl  # noqa: E402


def to_cases(frank: Path, out: Path, limit: int | None) -> int:
    rows = read_jsonl(frank)
    rows = rows[:limit] if limit else rows
    write_jsonl(out, ({"id": row["id"], "user_input": "Summarise the article.",
                       "response": " ".join(row["summary_sentences"]), "retrieved_contexts": [row["article"]]}
                      for row in rows))
    return len(rows)


def embedding_floor(report: dict, cases: Path) -> tuple[float, int]:
    """Seconds to embed every distinct sentence the judge reads, raw, in batches of 64 sorted by length."""
    from digest_core.embedding import Embedder
    from digest_core.text import split_sentences

    texts: set[str] = set()
    for case in report["cases"]:
        texts.update(s["text"] for s in case["sentences"])
    for line in cases.read_text(encoding="utf-8").splitlines():
        for context in json.loads(line)["retrieved_contexts"]:
            texts.update(split_sentences(context))
    ordered = sorted(texts, key=len)
    embedder = Embedder()
    embedder._embed_batch(["warm up"])  # noqa: SLF001 - the raw ONNX call, without the memo
    started = time.perf_counter()
    for k in range(0, len(ordered), 64):
        embedder._embed_batch(ordered[k:k + 64])  # noqa: SLF001
    return time.perf_counter() - started, len(ordered)


def main(argv: list[str] | None = None) -> int:
    ap = argument_parser(__file__, __doc__)
    ap.add_argument("frank", type=Path)
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--lm", action="store_true", help="pass --lm to digest eval")
    ap.add_argument("--work", type=Path, default=Path("/tmp/cases_frank"))
    args = ap.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    cases, report_path = args.work / "cases.jsonl", args.work / "report.json"
    n = to_cases(args.frank, cases, args.limit)
    digest = digest_command()
    started = time.perf_counter()
    subprocess.run([str(digest), "eval", "--cases", str(cases), "--json", str(report_path), "-q",
                    *(["--lm"] if args.lm else [])], check=True, env={**os.environ, "ANONYMIZED_TELEMETRY": "False"})
    wall = time.perf_counter() - started
    report = json.loads(report_path.read_text(encoding="utf-8"))
    floor, distinct = embedding_floor(report, cases)
    s = report["summary"]
    print_json({
        "cases": n, "sentences": s["sentences"], "lm": args.lm,
        "scoring_seconds": s["seconds"], "process_wall_seconds": round(wall, 1),
        "seconds_per_case": s["seconds_per_case"], "sentences_per_second": s["sentences_per_second"],
        "floor_distinct_sentences": distinct, "floor_embedding_seconds": round(floor, 2),
        "ratio_to_floor": round(s["seconds"] / floor, 2),
        "load_average_1min": round(os.getloadavg()[0], 2),
    })
    return 0


if __name__ == "__main__":
    sys.exit(main())
