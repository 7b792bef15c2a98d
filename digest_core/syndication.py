"""Which documents are copies of the same underlying report (text overlap, not file names)."""

from __future__ import annotations

from digest_core.text import words

SHINGLE = 5
COPY_CONTAINMENT = 0.5  # share of a document's 5-word shingles found in another one


def _shingles(text: str) -> set[tuple[str, ...]]:
    tokens = words(text)
    return {tuple(tokens[i : i + SHINGLE]) for i in range(max(0, len(tokens) - SHINGLE + 1))}


def find_duplicates(texts: dict[str, str]) -> dict[str, str]:
    """Map a document name to the name of the document it copies.

    A document is a copy when most of its shingles appear in another document; of two
    mutual copies the shorter one is the copy. Chains resolve to one canonical document.
    """
    shingles = {name: _shingles(text) for name, text in texts.items()}
    duplicate_of: dict[str, str] = {}
    names = list(texts)
    for a in names:
        best, best_score = None, 0.0
        for b in names:
            if a == b or not shingles[a] or not shingles[b]:
                continue
            containment = len(shingles[a] & shingles[b]) / len(shingles[a])
            reverse = len(shingles[a] & shingles[b]) / len(shingles[b])
            if containment < COPY_CONTAINMENT:
                continue
            # Of two mutual copies, the larger (or, tied, the earlier name) is the original.
            if reverse >= COPY_CONTAINMENT and (len(shingles[a]), b) > (len(shingles[b]), a):
                continue
            if containment > best_score:
                best, best_score = b, containment
        if best is not None:
            duplicate_of[a] = best
    # Resolve chains (a -> b -> c) to the root, guarding against cycles.
    for name in list(duplicate_of):
        seen = {name}
        root = duplicate_of[name]
        while root in duplicate_of and root not in seen:
            seen.add(root)
            root = duplicate_of[root]
        duplicate_of[name] = root if root != name else duplicate_of[name]
    return {k: v for k, v in duplicate_of.items() if k != v}


def original(source: str, duplicate_of: dict[str, str]) -> str:
    """The report ``source`` copies, or ``source`` itself (``find_duplicates``' mapping)."""
    return duplicate_of.get(source, source)


def independent_count(sources: set[str], duplicate_of: dict[str, str]) -> int:
    return len({original(s, duplicate_of) for s in sources})
