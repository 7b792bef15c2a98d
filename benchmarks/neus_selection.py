"""The select stage alone on NeuS: ROUGE of the chosen source sentences against the editors' references, no LLM.

Usage: .venv/bin/python benchmarks/neus_selection.py NEUS.jsonl [--part tune|heldout|all] [--sample N]

What `digest run` would state if every sentence were extracted (claims grouped from the articles'
sentences, chosen and ordered by summarizer/select.py, single-source facts attributed), beside
lead-3. It runs in a few minutes on 2 cores, where `digest bench neus` takes about 20 s a cluster,
so selection and length were tuned with it on the tuning part (even-numbered clusters); the full
pipeline's figures come from `digest bench neus`. The articles go through the pipeline's own
stages (files written as `digest bench neus` writes them, then load, clean, split, claims,
select); what is not applied is the model's rewording and the guard (every sentence is extracted).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
from pathlib import Path

if __package__ in (None, ""):  # run as a script: the checkout's packages first (benchmarks/__init__.py)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import argument_parser, read_jsonl  # noqa: E402
from benchmarks.neus import lead, pick  # noqa: E402
from digest_core.embedding import default_embedder  # noqa: E402
from digest_core.syndication import find_duplicates  # noqa: E402
from digest_core.text import words  # noqa: E402
from evals.rouge import rouge_l, rouge_n  # noqa: E402
from summarizer.claims import group_claims, source_sentences  # noqa: E402
from summarizer.clean import clean  # noqa: E402
from summarizer.load import load_paths  # noqa: E402
from summarizer.select import choose_claims, echoes, plainest_wording  # noqa: E402
from summarizer.split import split_document  # noqa: E402
from summarizer.write.synthesis import attribute  # noqa: E402


def selected_text(row: dict, embedder) -> str:
    with tempfile.TemporaryDirectory(prefix="neus-selection-") as scratch:
        folder = Path(scratch)
        for i, doc in enumerate(row["documents"]):  # as `digest bench neus` writes them
            (folder / f"{i:02d}.txt").write_text(f"{doc.get('title', '').strip()}\n\n{doc['text'].strip()}\n",
                                                 encoding="utf-8")
        documents = [clean(raw) for raw in load_paths([folder]).documents]
    duplicate_of = find_duplicates({d.name: d.article_text() for d in documents})
    usable, _opinion = source_sentences([p for d in documents for p in split_document(d)])
    if not usable:
        return ""
    vectors = embedder.embed([s.text for s in usable])
    claims = group_claims(usable, vectors, duplicate_of)
    selection = choose_claims(claims, embedder.embed([c.text for c in claims]),
                              echo=echoes(claims, usable, vectors, duplicate_of))
    return " ".join(attribute(plainest_wording(c), c.independent_sources) for c in selection.claims)


def main(argv: list[str] | None = None) -> int:
    parser = argument_parser(__file__, __doc__)
    parser.add_argument("file", type=Path)
    parser.add_argument("--part", default="tune", choices=("tune", "heldout", "all"))
    parser.add_argument("--sample", type=int, default=None)
    args = parser.parse_args(argv)
    rows = pick(read_jsonl(args.file), args.part, args.sample)
    embedder = default_embedder()
    figures: dict[str, list[dict[str, float]]] = {"selection": [], "lead-3": []}
    for row in rows:
        reference = row["reference"]["text"]
        for name, text in (("selection", selected_text(row, embedder)), ("lead-3", lead(row["documents"][0]["text"]))):
            figures[name].append({"rouge1": rouge_n(text, reference, 1), "rouge2": rouge_n(text, reference, 2),
                                  "rougeL": rouge_l(text, reference), "words": len(words(text))})
    print(f"NeuS {args.part}: {len(rows)} clusters; reference "
          f"{statistics.fmean(len(words(r['reference']['text'])) for r in rows):.1f} words")
    for name, rows_ in figures.items():
        means = {k: statistics.fmean(r[k] for r in rows_) for k in ("rouge1", "rouge2", "rougeL", "words")}
        print(f"{name:10s} ROUGE-1 {means['rouge1']:.4f}  ROUGE-2 {means['rouge2']:.4f}  ROUGE-L {means['rougeL']:.4f}"
              f"  words {means['words']:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
