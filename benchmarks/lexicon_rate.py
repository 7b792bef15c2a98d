"""Share of words from a bias lexicon you supply, in our NeuS digests, the references, the sources and lead-3.

Usage: .venv/bin/python benchmarks/lexicon_rate.py NEUS.jsonl RESULTS.jsonl --lexicon WORDS.txt [--json F]

RESULTS.jsonl is what `digest bench neus ... --out RESULTS.jsonl` writes (one line per cluster, with our digest's
text). WORDS.txt is one word (lemma) a line, such as the bias lexicon of Recasens, Danescu-Niculescu-Mizil and
Jurafsky (2013) that the NeuS authors measure framing bias with. No lexicon ships with this repository (its licence
is not ours to grant), so this script only reads the file you give it.

The rate is words in the lexicon over all words, per text, averaged over clusters (a cluster's sources: the mean
over its articles). Words are matched as the NeuS authors' metric prepares them: "U.S." read as "USA", lower case,
punctuation removed, split on white space; a word also matches through its plural ("-s", "-es", "-ies" to "-y"),
as a noun lemmatiser would. The project's own loaded-word check (`evals.neutrality`, the figure in `digest bench
neus`) is a different, narrower list; this script is for comparing with figures published against the lexicon.
"""

from __future__ import annotations

import re
import statistics
import sys
from collections import Counter
from pathlib import Path

if __package__ in (None, ""):  # run as a script: the checkout's packages first (benchmarks/__init__.py)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import argument_parser, emit, read_jsonl  # noqa: E402
from benchmarks.neus import lead  # noqa: E402


def read_lexicon(path: Path) -> frozenset[str]:
    return frozenset(w.strip().lower() for w in path.read_text(encoding="utf-8").splitlines() if w.strip())


def tokens(text: str) -> list[str]:
    text = re.sub(r"[^\w\s]", "", text.replace("U.S.", "USA").lower())
    return text.split()


def in_lexicon(word: str, lexicon: frozenset[str]) -> bool:
    if word in lexicon:
        return True
    if word.endswith("ies") and word[:-3] + "y" in lexicon:
        return True
    return (word.endswith("es") and word[:-2] in lexicon) or (word.endswith("s") and word[:-1] in lexicon)


def rate(text: str, lexicon: frozenset[str]) -> tuple[float, list[str]]:
    """(share of the text's words in the lexicon, those words)."""
    words = tokens(text)
    hits = [w for w in words if in_lexicon(w, lexicon)]
    return (len(hits) / len(words) if words else 0.0), hits


def measure(clusters: list[dict], digests: list[dict], lexicon: frozenset[str]) -> dict:
    by_id = {c["id"]: c for c in clusters}
    rates: dict[str, list[float]] = {"ours": [], "reference": [], "sources": [], "lead3": []}
    ours_words: Counter[str] = Counter()
    for row in digests:
        cluster = by_id[row["id"]]
        ours, hits = rate(row["digest"], lexicon)
        ours_words.update(hits)
        rates["ours"].append(ours)
        rates["reference"].append(rate(cluster["reference"]["text"], lexicon)[0])
        articles = [d["text"] for d in cluster["documents"] if d["text"].strip()]
        rates["sources"].append(statistics.fmean(rate(t, lexicon)[0] for t in articles) if articles else 0.0)
        rates["lead3"].append(rate(lead(cluster["documents"][0]["text"]), lexicon)[0])
    return {"clusters": len(digests), "lexicon_words": len(lexicon),
            "rate": {who: round(statistics.fmean(v), 4) if v else None for who, v in rates.items()},
            "ours_most_common": ours_words.most_common(15)}


def main(argv: list[str] | None = None) -> int:
    parser = argument_parser(__file__, __doc__)
    parser.add_argument("neus", type=Path)
    parser.add_argument("results", type=Path)
    parser.add_argument("--lexicon", type=Path, required=True)
    parser.add_argument("--json", type=Path, help="write the figures as JSON here")
    args = parser.parse_args(argv)
    for path in (args.neus, args.results, args.lexicon):
        if not path.is_file():
            print(f"{path}: no such file", file=sys.stderr)
            return 2
    result = measure(read_jsonl(args.neus), read_jsonl(args.results), read_lexicon(args.lexicon))
    return emit(result, args.json)


if __name__ == "__main__":
    sys.exit(main())
