"""FRANK: score every summary of a FRANK-format JSON Lines file against its article, beside the peers.

    digest bench frank FILE [--out SCORES.jsonl] [--no-lm] [--aggregate mean|min|geo] [--json] [-q]
    python benchmarks/frank.py FILE ...          # the same command, the same options

Each summary sentence is judged against the article alone; the summary's score is the
aggregate (mean by default, as stored with the judge) of its sentences' faithfulness.
Articles are embedded once and reused for all their summaries. Figures are reported per
dataset, both at the best threshold on the file itself and at the threshold fixed on
FRANK validation (the only honest one for the held-out test split), beside the peers.
"""

from __future__ import annotations

import math
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any, Optional

if __package__ in (None, ""):  # run as a script: the checkout's packages first
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

import typer  # noqa: E402

from benchmarks.common import command, llama_threads, run, write_jsonl  # noqa: E402
from digest_core.errors import UserError  # noqa: E402
from digest_core.progress import SILENT, Progress  # noqa: E402
from digest_core.version import SCHEMA_VERSION  # noqa: E402
from evals.align import source_units  # noqa: E402
from evals.jsonl import json_lines  # noqa: E402
from evals.metrics import summarize  # noqa: E402
from evals.records import SourceText  # noqa: E402
from evals.scorer import Scorer  # noqa: E402
from summarizer.cli.common import bar, escape, friendly, lm_scorer, out, print_json  # noqa: E402


REQUIRED = {"id": str, "dataset": str, "article": str, "summary_sentences": list, "factuality": (int, float), "label": (int, float)}


class FrankFormatError(UserError, ValueError):
    """A line of the benchmark file that cannot be scored; the message names the file and line."""


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """The rows of a FRANK-format file, each checked for the fields the benchmark needs."""
    rows = []
    try:
        with path.open(encoding="utf-8") as handle:
            for number, row in json_lines(handle):
                if isinstance(row, ValueError):  # not JSON
                    raise FrankFormatError(f"{path} line {number}: {row}; nothing scored")
                if not isinstance(row, dict):
                    raise FrankFormatError(f"{path} line {number}: expected a JSON object; nothing scored")
                for field, kind in REQUIRED.items():
                    if not isinstance(row.get(field), kind):
                        raise FrankFormatError(f"{path} line {number}: field {field!r} missing or of the wrong type; nothing scored")
                rows.append(row)
    except UnicodeDecodeError:
        raise FrankFormatError(f"{path}: not UTF-8 text; nothing scored") from None
    ids = [r["id"] for r in rows]
    if len(set(ids)) != len(ids):
        raise FrankFormatError(f"{path}: repeated ids; nothing scored")
    return rows


def aggregate(values: list[float], how: str) -> float:
    if not values:
        return 0.0
    if how == "min":
        return float(min(values))
    if how == "geo":
        return float(np.exp(np.mean(np.log(np.clip(values, 1e-6, 1.0)))))
    return float(np.mean(values))


def sentence_scores(rows: list[dict[str, Any]], scorer: Scorer, progress: Progress = SILENT) -> dict[str, list[dict]]:
    """id -> per-sentence {"p", "features"}; rows sharing an article share its embedded index.

    ``progress`` is told once per summary."""
    by_article: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_article[row["article"]].append(row)
    results: dict[str, list[dict]] = {}
    progress.start("FRANK summaries", len(rows))
    groups = list(by_article.items())
    for k, (article, group) in enumerate(groups):
        sources = [SourceText(name="article", text=article)]
        texts = [s for row in group for s in row["summary_sentences"]]
        # This article's passages and sentences, then (after the words the parser finds in them) the next
        # article's, embed in the background while this one is parsed and judged: the parser and the judge
        # keep one core busy, the model the other.
        for ahead, (later, later_group) in enumerate(groups[k: k + 2]):
            _prefetch(scorer, later, later_group, priority=ahead)
        scorer.parse(texts, sources, words=False)
        index = scorer.index(sources)
        vectors = scorer.embedder.embed(texts)
        scorer.plan(texts, vectors, index)  # the words the checks will compare, embedded in one batch
        judged = [scorer.assess(text, vector, index, None) for text, vector in zip(texts, vectors)]
        if scorer.lm is not None:
            _settle(scorer)  # llama.cpp takes every core next: nothing else may run beside it
            # One excerpt per article (its summaries' best passages): the LM reads it once.
            context = scorer.lm_context(index, judged)
            judged = scorer.with_lm(texts, judged, context)
        cursor = 0
        for row in group:
            items = []
            for a in judged[cursor : cursor + len(row["summary_sentences"])]:
                items.append({"p": a.probability, "features": a.features, "verdict": a.verdict})
            cursor += len(row["summary_sentences"])
            results[row["id"]] = items
            progress.advance()
    return results


def _prefetch(scorer: Scorer, article: str, group: list[dict[str, Any]], priority: int) -> None:
    """Start embedding an article's passages and its summaries' sentences (as ``sentence_scores`` embeds them)."""
    prefetch = getattr(scorer.embedder, "prefetch", None)
    if prefetch is not None:
        units = source_units([SourceText(name="article", text=article)])
        prefetch([u for us in units for u in us] + [s for row in group for s in row["summary_sentences"]],
                 priority=priority)


def _settle(scorer: Scorer) -> None:
    wait = getattr(scorer.embedder, "wait", None)
    if wait is not None:
        wait()


def evaluate(rows: list[dict[str, Any]], scores: dict[str, float], thresholds: dict[str, float]) -> dict[str, Any]:
    """Per dataset (and all together): our figures and every peer's, same rows."""
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[row["dataset"]].append(row)
    groups["all"] = list(rows)  # last, after the per-dataset tables
    table: dict[str, Any] = {}
    for name, group in groups.items():
        labels = [int(r["label"]) for r in group]
        fact = [float(r["factuality"]) for r in group]
        entry = {"digest": summarize([scores[r["id"]] for r in group], labels, fact, thresholds.get(name))}
        peers = sorted({p for r in group for p in (r.get("peers") or {})})
        for peer in peers:
            entry[peer] = summarize([(r.get("peers") or {}).get(peer) for r in group], labels, fact)
        table[name] = entry
    return table


def run_frank(path: str | Path, out: str | Path | None = None, progress: Progress = SILENT, *,
              use_lm: bool = False, scorer: Scorer | None = None, how: str | None = None,
              rows: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Score a FRANK-format JSONL file; write {"id","score"} lines to ``out``; return the figures.

    ``rows``: the file's rows when the caller has already read (and so checked) them."""
    started = time.perf_counter()
    if rows is None:
        rows = read_jsonl(Path(path))
    if scorer is None:
        lm = None
        if use_lm:
            from evals.lm import LikelihoodRatio

            lm = LikelihoodRatio(n_threads=llama_threads())
        scorer = Scorer(lm=lm, cache_size=4)
    model = scorer.judge.model(scorer.lm is not None)
    per_sentence = sentence_scores(rows, scorer, progress)
    hows = {r["id"]: how or model.aggregate_by_dataset.get(r["dataset"], model.aggregate) for r in rows}
    scores = {rid: aggregate([s["p"] for s in items], hows[rid]) for rid, items in per_sentence.items()}
    how = how or ", ".join(f"{ds}: {model.aggregate_by_dataset.get(ds, model.aggregate)}"
                           for ds in sorted({r["dataset"] for r in rows}))
    if out is not None:
        write_jsonl(out, ({"id": r["id"], "score": round(scores[r["id"]], 6)} for r in rows))
    figures = evaluate(rows, scores, model.frank_thresholds)
    return {"schema_version": SCHEMA_VERSION, "file": str(path), "summaries": len(rows), "aggregate": how,
            "judge": scorer.judge.name,
            "lm": scorer.lm is not None, "seconds": round(time.perf_counter() - started, 1), "datasets": figures}


def format_table(result: dict[str, Any]) -> str:
    """Markdown: balanced accuracy (best / fixed threshold), Pearson, Spearman, ROC AUC per dataset."""
    lines = []
    for name, entry in result["datasets"].items():
        lines += [f"\n### {name}", "", "| metric | bal.acc (best thr) | bal.acc (fixed thr) | Pearson | Spearman | ROC AUC | n |",
                  "| --- | --- | --- | --- | --- | --- | --- |"]
        for metric, m in entry.items():
            fixed = _fmt(m.get("balanced_accuracy_fixed"))
            lines.append(f"| {'**digest**' if metric == 'digest' else metric} | {_fmt(m['balanced_accuracy'])} | {fixed} | "
                         f"{_fmt(m['pearson'])} | {_fmt(m['spearman'])} | {_fmt(m['roc_auc'])} | {int(m['n'])} |")
    return "\n".join(lines)


def _fmt(value: float | None) -> str:
    return "-" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:.3f}"


@friendly
def frank_command(
    file: Path = typer.Argument(..., help="FRANK JSON Lines (article, summary_sentences, factuality, label, peers)"),
    out_file: Optional[Path] = typer.Option(None, "--out", help="write {id, score} JSON Lines here"),
    lm: bool = typer.Option(True, "--lm/--no-lm", help="include the SmolLM2 likelihood-ratio signal (default on)"),
    aggregate: Optional[str] = typer.Option(None, "--aggregate", help="mean, min or geo over sentences",
                                            show_default="the one stored with the judge"),
    as_json: bool = typer.Option(False, "--json", help="print the figures as JSON"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="no progress bar"),
) -> None:
    """Score every FRANK summary; per dataset, balanced accuracy, Pearson, Spearman and ROC AUC beside each peer."""
    if not file.is_file():
        raise UserError(f"{file}: no such file")
    if aggregate not in (None, "mean", "min", "geo"):
        raise UserError(f"--aggregate {aggregate!r}: choose mean, min or geo")
    try:
        rows = read_jsonl(file)  # checked before the models load
    except FrankFormatError as exc:
        raise UserError(str(exc)) from None
    scorer = lm_scorer() if lm else None
    with bar(quiet) as progress:
        result = run_frank(file, out_file, progress=progress, scorer=scorer, how=aggregate, rows=rows)
    if as_json:
        print_json(result)
        return
    out.print(f"{result['summaries']} summaries in {result['seconds']} s; aggregate={result['aggregate']}; "
              f"lm={result['lm']}; bal.acc (fixed thr) uses the threshold stored from FRANK validation")
    out.print("\n".join(escape(line, markup=False) for line in format_table(result).splitlines()), markup=False)


COMMAND = command("frank", frank_command)


def main(argv: list[str] | None = None) -> int:
    """``digest bench frank`` itself: one command, one set of options and messages, whichever way it is run."""
    return run(COMMAND, sys.argv[1:] if argv is None else argv)


if __name__ == "__main__":
    sys.exit(main())
