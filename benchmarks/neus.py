"""NeuS: digest NeuS clusters offline and compare with the editors' references and the leads.

    digest bench neus FILE [--part all|tune|heldout] [--sample N] [--limit N] [--coverage] [--out F] [--json F] [-q]
    python benchmarks/neus.py FILE ...          # the same command, the same options

For each cluster the articles are written to a scratch folder as text files and digested by the
same pipeline and defaults as `digest run` (one shared backend, one scratch store). Per cluster:

- ROUGE-1/2/L F1 (evals.rouge: lower-cased words, no stemming) of our digest, of lead-3 (the first
  three sentences of the first article) and of the best single-article lead (the first three
  sentences of whichever article scores best against the reference: an oracle no system could pick
  without the reference, shown as a ceiling for lead-style extracts);
- words per digest (ours, the reference, lead-3);
- the evaluator's supported share and faithfulness, for ours and for the reference;
- loaded-word rate: hits of the project's loaded-language check (evals.neutrality: its lexicon plus
  near neighbours by MiniLM vector), attributed or not, per 100 words, for our digest, the sources,
  the reference and lead-3;
- seconds to digest the cluster, and how each sentence was made (generated / rewritten / extracted)
  with why each fallback fired.

Parts: clusters with an even number (``neus-val-0``, ``-2``, ...) are the tuning part, odd ones the held-out
part; ``--sample N`` takes the first N of the part in file order, so a tuning loop always sees the same clusters.
"""

from __future__ import annotations

import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Optional

if __package__ in (None, ""):  # run as a script: the checkout's packages first
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import typer  # noqa: E402

from benchmarks.common import command, read_jsonl, run, write_json, write_jsonl  # noqa: E402
from digest_core.progress import SILENT, Progress  # noqa: E402
from digest_core.text import split_sentences, words  # noqa: E402
from evals import Scorer, SourceText  # noqa: E402
from evals.evaluate import evaluate  # noqa: E402
from evals.neutrality import check_neutrality  # noqa: E402
from evals.rouge import rouge_l, rouge_n  # noqa: E402
from summarizer.cli.common import UserError, bar, friendly, out, settings  # noqa: E402
from summarizer.config import Settings  # noqa: E402
from summarizer.pipeline import RunOptions, build_backend, run_digest  # noqa: E402
from summarizer.render import to_markdown  # noqa: E402
from summarizer.stores import open_store  # noqa: E402

PARTS = ("all", "tune", "heldout")


def cluster_number(cluster_id: str) -> int:
    match = re.search(r"(\d+)$", cluster_id)
    return int(match.group(1)) if match else 0


def pick(rows: list[dict], part: str = "all", sample: int | None = None) -> list[dict]:
    """The clusters of one part (tune: even numbers, heldout: odd), the first ``sample`` of them in file order."""
    if part not in PARTS:
        raise ValueError(f"part must be one of {', '.join(PARTS)}, not {part!r}")
    if part != "all":
        parity = 0 if part == "tune" else 1
        rows = [r for r in rows if cluster_number(r["id"]) % 2 == parity]
    return rows[:sample] if sample else rows


def lead(text: str, n: int = 3) -> str:
    return " ".join(split_sentences(text)[:n])


def loaded_per_100_words(text: str, embedder) -> float:
    """Loaded-language hits (lexicon and its vector neighbours, attributed or not) per 100 words."""
    n_words = len(words(text))
    if not n_words:
        return 0.0
    found = check_neutrality(split_sentences(text), embedder=embedder)
    return 100.0 * len(found.loaded) / n_words


def _rouge(candidate: str, reference: str) -> dict[str, float]:
    return {
        "rouge1": round(rouge_n(candidate, reference, 1), 4),
        "rouge2": round(rouge_n(candidate, reference, 2), 4),
        "rougeL": round(rouge_l(candidate, reference), 4),
    }


def fallback_kind(reason: str | None) -> str | None:
    """The first attempt's failure, in a few words (for counting why fallbacks fired)."""
    if not reason:
        return None
    first = reason.split("; rewrite:")[0].removeprefix("first attempt: ")
    for key, label in (("no usable output", "no usable output"), ("contradicted", "contradicted"),
                       ("unsupported", "unsupported"), ("cited sources do not", "citation not supported"),
                       ("low faithfulness", "low faithfulness"), ("loaded wording", "loaded wording"),
                       ("no verb", "not a sentence"), ("first person", "first person")):
        if key in first:
            return label
    return "other"


def run_neus(
    path: Path,
    settings: Settings,
    *,
    limit: int | None = None,
    part: str = "all",
    sample: int | None = None,
    max_sentences: int | None = None,
    max_words: int | None = None,
    coverage: bool = False,
    out: Path | None = None,
    progress: Progress = SILENT,
) -> dict:
    """Digest the clusters of one part; per-cluster figures to ``out`` (JSON Lines); the summary figures.

    ``progress`` is told once per cluster."""
    rows = pick(read_jsonl(path), part, sample)
    rows = rows[:limit] if limit else rows
    progress.start("NeuS clusters", len(rows))
    scorer = Scorer()
    per_cluster: list[dict] = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="digest-neus-") as scratch_dir:
        scratch = Path(scratch_dir)
        run_settings = settings.model_copy(update={"store": scratch / "store", "chroma_url": None})
        backend = build_backend(run_settings)
        store = open_store(run_settings.store, None, run_settings.collection)
        for row in rows:
            per_cluster.append(_one_cluster(row, scratch, run_settings, store, backend, scorer,
                                            RunOptions(max_sentences=max_sentences, max_words=max_words), coverage))
            progress.advance()
    if out is not None:
        write_jsonl(out, per_cluster, ensure_ascii=False)
    return summarize(per_cluster, part=part, seconds=time.perf_counter() - started)


def _one_cluster(row, scratch, settings, store, backend, scorer, options, coverage) -> dict:
    folder = scratch / row["id"]
    folder.mkdir()
    sources: list[SourceText] = []
    for i, doc in enumerate(row["documents"]):
        name = f"{i:02d}.txt"
        text = f"{doc.get('title', '').strip()}\n\n{doc['text'].strip()}\n"
        (folder / name).write_text(text, encoding="utf-8")
        sources.append(SourceText(name=name, text=text))  # scored against what the digest saw
    mark = time.perf_counter()
    digest = run_digest([folder], settings, options=options, store=store, backend=backend)
    seconds = time.perf_counter() - mark
    reference = row["reference"]["text"]
    ours_text = " ".join(s.text for s in digest.sentences)
    leads = [lead(d["text"]) for d in row["documents"]]
    lead3 = leads[0]
    best_lead = max(leads, key=lambda t: rouge_l(t, reference))
    ours = evaluate(to_markdown(digest), sources, scorer=scorer, coverage=coverage)
    theirs = evaluate("\n".join(split_sentences(reference)), sources, scorer=scorer, coverage=coverage)
    embedder = scorer.embedder
    return {
        "id": row["id"],
        "digest": ours_text,
        "title": digest.title,
        "seconds": round(seconds, 2),
        "words": {"ours": len(words(ours_text)), "reference": len(words(reference)), "lead3": len(words(lead3))},
        "rouge": {"ours": _rouge(ours_text, reference), "lead3": _rouge(lead3, reference),
                  "best_lead": _rouge(best_lead, reference)},
        "supported": {"ours": ours.summary.supported_ratio, "reference": theirs.summary.supported_ratio},
        "faithfulness": {"ours": ours.summary.faithfulness, "reference": theirs.summary.faithfulness},
        "coverage": {"ours": ours.summary.coverage, "reference": theirs.summary.coverage} if coverage else None,
        "loaded_per_100_words": {
            "ours": round(loaded_per_100_words(ours_text, embedder), 3),
            "sources": round(loaded_per_100_words(" ".join(d["text"] for d in row["documents"]), embedder), 3),
            "reference": round(loaded_per_100_words(reference, embedder), 3),
            "lead3": round(loaded_per_100_words(lead3, embedder), 3),
        },
        "origins": dict(Counter(s.origin for s in digest.sentences)),
        "fallbacks": dict(Counter(k for s in digest.sentences if (k := fallback_kind(s.fallback_reason)))),
        "left_out": dict(Counter(c.reason for c in digest.left_out)),
    }


def _mean(values) -> float | None:
    values = [v for v in values if v is not None]
    return round(statistics.fmean(values), 4) if values else None


def summarize(per_cluster: list[dict], *, part: str = "all", seconds: float = 0.0) -> dict:
    def mean_of(section: str, who: str, key: str | None = None) -> float | None:
        return _mean([(c[section][who][key] if key else c[section][who]) for c in per_cluster if c.get(section)])

    origins = Counter()
    fallbacks = Counter()
    for c in per_cluster:
        origins.update(c["origins"])
        fallbacks.update(c["fallbacks"])
    n_sentences = sum(origins.values()) or 1
    return {
        "clusters": len(per_cluster),
        "part": part,
        "seconds": round(seconds, 1),
        "seconds_per_cluster": _mean([c["seconds"] for c in per_cluster]),
        "rouge": {who: {k: mean_of("rouge", who, k) for k in ("rouge1", "rouge2", "rougeL")}
                  for who in ("ours", "lead3", "best_lead")},
        "words": {who: mean_of("words", who) for who in ("ours", "reference", "lead3")},
        "supported": {who: mean_of("supported", who) for who in ("ours", "reference")},
        "faithfulness": {who: mean_of("faithfulness", who) for who in ("ours", "reference")},
        "coverage": {who: mean_of("coverage", who) for who in ("ours", "reference")},
        "loaded_per_100_words": {who: mean_of("loaded_per_100_words", who)
                                 for who in ("ours", "sources", "reference", "lead3")},
        "origins": {k: round(origins[k] / n_sentences, 3) for k in ("generated", "rewritten", "extracted")},
        "fallbacks": dict(fallbacks.most_common()),
    }


def format_summary(result: dict) -> str:
    r = result["rouge"]
    lines = [
        f"NeuS ({result['part']}): {result['clusters']} clusters in {result['seconds']} s "
        f"({result['seconds_per_cluster']} s per cluster to digest)",
        "| figure | our digests | lead-3 | best single-article lead (oracle) | editors' references |",
        "| --- | --- | --- | --- | --- |",
    ]
    for key, label in (("rouge1", "ROUGE-1 F1"), ("rouge2", "ROUGE-2 F1"), ("rougeL", "ROUGE-L F1")):
        lines.append(f"| {label} vs reference | {r['ours'][key]} | {r['lead3'][key]} | {r['best_lead'][key]} | - |")
    w, lo = result["words"], result["loaded_per_100_words"]
    lines.append(f"| words | {w['ours']} | {w['lead3']} | - | {w['reference']} |")
    lines.append(f"| supported share (evaluator) | {result['supported']['ours']} | - | - | {result['supported']['reference']} |")
    lines.append(f"| faithfulness (evaluator) | {result['faithfulness']['ours']} | - | - | {result['faithfulness']['reference']} |")
    if result["coverage"]["ours"] is not None:
        lines.append(f"| coverage (evaluator) | {result['coverage']['ours']} | - | - | {result['coverage']['reference']} |")
    lines.append(f"| loaded words per 100 (sources: {lo['sources']}) | {lo['ours']} | {lo['lead3']} | - | {lo['reference']} |")
    o = result["origins"]
    lines.append(f"sentences: {o['generated']:.0%} generated, {o['rewritten']:.0%} rewritten, {o['extracted']:.0%} extracted")
    if result["fallbacks"]:
        lines.append("why the first attempt failed: " + ", ".join(f"{k} {v}" for k, v in result["fallbacks"].items()))
    return "\n".join(lines)


@friendly
def neus_command(
    file: Path = typer.Argument(..., help="NeuS JSON Lines (documents, reference)"),
    part: str = typer.Option("all", "--part", help="all, tune (even-numbered clusters) or heldout (odd)"),
    sample: Optional[int] = typer.Option(None, "--sample", min=1, help="the first N clusters of the part (fixed)"),
    limit: Optional[int] = typer.Option(None, "--limit", min=1, help="only the first N clusters"),
    max_sentences: Optional[int] = typer.Option(None, "--max-sentences", min=1, max=20, help="as for digest run"),
    max_words: Optional[int] = typer.Option(None, "--max-words", min=10, max=2000, help="as for digest run"),
    coverage: bool = typer.Option(False, "--coverage", help="also score coverage (slower)"),
    out_file: Optional[Path] = typer.Option(None, "--out", help="per-cluster results as JSON Lines"),
    json_out: Optional[Path] = typer.Option(None, "--json", help="the summary figures as JSON"),
    quiet: bool = typer.Option(False, "--quiet", "-q"),
) -> None:
    """Digest NeuS clusters offline; compare with lead-3 and the editors' neutral references."""
    if not file.is_file():
        raise UserError(f"{file}: no such file")
    if part not in PARTS:
        raise UserError(f"--part {part!r}: choose {', '.join(PARTS)}")
    cfg = settings(quiet=quiet or None)
    with bar(cfg.quiet) as progress:
        result = run_neus(file, cfg, limit=limit, part=part, sample=sample, max_sentences=max_sentences,
                          max_words=max_words, coverage=coverage, out=out_file, progress=progress)
    if json_out is not None:
        write_json(json_out, result)
    out.print(format_summary(result), markup=False)  # figures only, no text from the data


COMMAND = command("neus", neus_command)


def main(argv: list[str] | None = None) -> int:
    """``digest bench neus`` itself: one command, one set of options and messages, whichever way it is run."""
    return run(COMMAND, sys.argv[1:] if argv is None else argv)


if __name__ == "__main__":
    sys.exit(main())
