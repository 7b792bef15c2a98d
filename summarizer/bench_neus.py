"""`digest bench neus FILE`: digest every NeuS cluster offline and compare with the editors' references.

For each cluster the articles are written to a scratch folder as text files, digested by the
same pipeline as `digest run` (one shared backend, one scratch store), and both our digest and
the editor-written neutral reference are scored the same way by the evaluator: faithfulness,
loaded language, coverage of the sources' salient claims; plus ROUGE-L of ours against the reference.
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Callable

from evals import Scorer, SourceText
from evals.evaluate import evaluate
from evals.rouge import rouge_l
from evals.text import split_sentences

from .config import Settings
from .pipeline import RunOptions, build_backend, run_digest
from .render import to_markdown, write_atomic
from .stores import open_store


def _mean(values: list[float]) -> float | None:
    values = [v for v in values if v is not None]
    return round(statistics.fmean(values), 4) if values else None


def run_neus(
    path: Path,
    settings: Settings,
    *,
    limit: int | None = None,
    max_sentences: int = 4,
    out: Path | None = None,
    on_cluster: Callable[[int, int], None] | None = None,
) -> dict:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = rows[:limit] if limit else rows
    scorer = Scorer()
    per_cluster: list[dict] = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="digest-neus-") as scratch_dir:
        scratch = Path(scratch_dir)
        run_settings = settings.model_copy(update={"store": scratch / "store", "chroma_url": None})
        backend = build_backend(run_settings)
        store = open_store(run_settings.store, None, run_settings.collection)
        for n, row in enumerate(rows):
            folder = scratch / row["id"]
            folder.mkdir()
            sources: list[SourceText] = []
            for i, doc in enumerate(row["documents"]):
                name = f"{i:02d}.txt"
                text = f"{doc.get('title', '').strip()}\n\n{doc['text'].strip()}\n"
                (folder / name).write_text(text, encoding="utf-8")
                # Scored against what the digest saw: the headline and the text.
                sources.append(SourceText(name=name, text=text))
            digest = run_digest([folder], run_settings, options=RunOptions(max_sentences=max_sentences),
                                store=store, backend=backend)
            ours = evaluate(to_markdown(digest), sources, scorer=scorer)
            reference_text = row["reference"]["text"]
            theirs = evaluate("\n".join(split_sentences(reference_text)), sources, scorer=scorer)
            our_text = " ".join(s.text for s in digest.sentences)
            per_cluster.append({
                "id": row["id"],
                "digest": our_text,
                "ours": _figures(ours),
                "reference": _figures(theirs),
                "rouge_l": round(rouge_l(our_text, reference_text), 4),
            })
            if on_cluster:
                on_cluster(n + 1, len(rows))
    if out is not None:
        write_atomic(out, "".join(json.dumps(c, ensure_ascii=False) + "\n" for c in per_cluster))
    summary = {
        "clusters": len(per_cluster),
        "seconds": round(time.perf_counter() - started, 1),
        "ours": {k: _mean([c["ours"][k] for c in per_cluster]) for k in _FIGURES},
        "reference": {k: _mean([c["reference"][k] for c in per_cluster]) for k in _FIGURES},
        "rouge_l": _mean([c["rouge_l"] for c in per_cluster]),
    }
    return summary


_FIGURES = ("faithfulness", "supported_ratio", "loaded_rate", "coverage")


def _figures(report) -> dict[str, float | None]:
    return {
        "faithfulness": report.summary.faithfulness,
        "supported_ratio": report.summary.supported_ratio,
        "loaded_rate": report.neutrality["rate"],
        "coverage": report.summary.coverage,
    }


def format_summary(result: dict) -> str:
    lines = [
        f"NeuS: {result['clusters']} clusters in {result['seconds']} s",
        "| figure | our digests | editors' references |",
        "| --- | --- | --- |",
    ]
    for key in _FIGURES:
        lines.append(f"| {key} | {result['ours'][key]} | {result['reference'][key]} |")
    lines.append(f"| ROUGE-L F1 vs reference | {result['rouge_l']} | - |")
    return "\n".join(lines)
