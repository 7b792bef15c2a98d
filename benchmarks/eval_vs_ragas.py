"""Throughput of our offline scorer vs ragas Faithfulness on the same summary sentences.

    .venv/bin/python benchmarks/eval_vs_ragas.py [--summaries 4] [--sentences 5] [--threads 2]

Both judge the same sentences (summaries of lightly edited seed-article sentences, as in
eval_throughput.py). ragas runs through the local backend served by `python -m llama_cpp.server`
(the bundled SmolLM2-135M), which this script starts on 127.0.0.1 and stops; each sentence is
one ragas sample, with the passages our aligner retrieved for it as `retrieved_contexts`.
Prints sentences/s for both, the ratio, and how many sentences ragas could score at all.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from pathlib import Path

if __package__ in (None, ""):  # run as a script: the checkout's packages first (benchmarks/__init__.py)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import SEEDS, argument_parser, write_json  # noqa: E402
from evals import Scorer, SourceText  # noqa: E402
from evals.ragas_faithfulness import RagasConfig, score_sentences  # noqa: E402
from digest_core.text import split_sentences  # noqa: E402
from digest_core.llama_runtime import bundled_model_path  # noqa: E402


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(threads: int, n_ctx: int) -> tuple[subprocess.Popen, str, Path]:
    port = free_port()
    log = Path(tempfile.mkstemp(prefix="llama-server-", suffix=".log")[1])
    proc = subprocess.Popen(
        [sys.executable, "-m", "llama_cpp.server", "--model", str(bundled_model_path()), "--host", "127.0.0.1",
         "--port", str(port), "--n_ctx", str(n_ctx), "--n_threads", str(threads), "--seed", "0", "--verbose", "False"],
        stdout=log.open("w"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/v1"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"llama.cpp server exited: {log.read_text()[-1500:]}")
        try:
            with urllib.request.urlopen(f"{url}/models", timeout=2):
                return proc, url, log
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("llama.cpp server did not start within 120 s")


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def summaries(sources: list[SourceText], count: int, length: int) -> list[str]:
    pool = [s for src in sources for s in split_sentences(src.text) if len(s.split()) > 6]
    return [" ".join(pool[(k * 7 + j * 13) % len(pool)].replace(" the ", " a ", 1) for j in range(length))
            for k in range(count)]


def main(argv: list[str] | None = None) -> int:
    ap = argument_parser(__file__, __doc__)
    ap.add_argument("--summaries", type=int, default=4)
    ap.add_argument("--sentences", type=int, default=5, help="sentences per summary")
    ap.add_argument("--threads", type=int, default=os.cpu_count() or 2, help="llama.cpp server threads")
    ap.add_argument("--max-tokens", type=int, default=1024, help="ragas max_tokens per call (ragas default 1024)")
    ap.add_argument("--ours-repeat", type=int, default=10,
                    help="score the summaries this many times for a stable offline timing (ragas runs once)")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    args = ap.parse_args(argv)

    sources = [SourceText(name=p.name, text=p.read_text(encoding="utf-8")) for p in sorted(SEEDS.glob("*.txt"))]
    texts = summaries(sources, args.summaries, args.sentences)
    scorer = Scorer()
    scorer.embedder.embed(["warm up"])
    t0 = time.perf_counter()
    scorer.index(sources)
    t_index = time.perf_counter() - t0
    t1 = time.perf_counter()
    for _ in range(max(args.ours_repeat, 1)):
        reports = [scorer.score(text, sources) for text in texts]
    t_ours = (time.perf_counter() - t1) / max(args.ours_repeat, 1)  # seconds for one pass
    sentences = [s for r in reports for s in r.sentences]
    n = len(sentences)

    proc, url, log = start_server(args.threads, 4096)
    try:
        config = RagasConfig(base_url=url, model="local", max_tokens=args.max_tokens, timeout=600)
        t2 = time.perf_counter()
        scores = score_sentences([(s.text, [e.text for e in s.evidence]) for s in sentences], config)
        t_ragas = time.perf_counter() - t2
    finally:
        stop_server(proc)
        log.unlink(missing_ok=True)

    scored = [s.score for s in scores if s.score is not None]
    kinds = Counter((s.error or "").split(":")[0] for s in scores if s.error)
    ours_rate, ragas_rate = n / t_ours, n / t_ragas
    figures = {
        "sentences": n, "summaries": len(texts), "ours_repeat": args.ours_repeat, "server_threads": args.threads, "ragas_max_tokens": args.max_tokens,
        "ours_seconds": round(t_ours, 3), "ours_index_seconds": round(t_index, 3),
        "ours_sentences_per_s": round(ours_rate, 2),
        "ours_sentences_per_s_with_index": round(n / (t_ours + t_index), 2),
        "ragas_seconds": round(t_ragas, 3), "ragas_sentences_per_s": round(ragas_rate, 3),
        "speedup": round(ours_rate / ragas_rate, 1),
        "ragas_scored": len(scored), "ragas_errors": dict(kinds),
        "ragas_mean_of_scored": round(sum(scored) / len(scored), 4) if scored else None,
        "ours_mean_faithfulness": round(sum(s.faithfulness for s in sentences) / n, 4),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }
    print(f"{n} sentences ({len(texts)} summaries x {args.sentences}) of {len(sources)} seed articles")
    print(f"ours (offline judge, mean of {args.ours_repeat} passes): {t_ours:.2f} s, {ours_rate:.1f} sentences/s "
          f"({n / (t_ours + t_index):.1f} with the {t_index:.2f} s source indexing)")
    print(f"ragas Faithfulness via llama_cpp.server (SmolLM2-135M, {args.threads} threads): {t_ragas:.1f} s, "
          f"{ragas_rate:.3f} sentences/s; scored {len(scored)}/{n}, errors {dict(kinds)}")
    print(f"ours is {ours_rate / ragas_rate:.0f}x faster; load average {figures['load_average']}")
    if args.json:
        write_json(args.json, figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
