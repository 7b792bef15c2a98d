"""Stage: claims. Split retrieved passages into sentences and group the ones that state the same fact.

A claim is a group of sentences, from one or more sources, that say the same thing.
Its salience combines how many independent sources carry it (copies of one report
count once), how central it is to the cluster (or to the user's query) and how early
the sources place it. Opinion, loaded wording and non-statements are set aside here so
the writer never sees them as facts.
"""

from __future__ import annotations

import numpy as np

from evals.neutrality import is_subjective, loaded_terms
from evals.text import split_sentences

from .records import Claim, Passage, SourceSentence
from .syndication import independent_count

SAME_FACT = 0.69  # cosine between MiniLM vectors of two sentences that state the same fact
REDUNDANT = 0.80  # two selected claims this similar say the same thing twice
MIN_WORDS, MAX_WORDS = 6, 60


def source_sentences(passages: list[Passage]) -> tuple[list[SourceSentence], list[SourceSentence]]:
    """(usable factual sentences, sentences set aside as opinion) from article passages only."""
    usable: list[SourceSentence] = []
    opinion: list[SourceSentence] = []
    positions: dict[str, int] = {}
    for passage in sorted(passages, key=lambda p: (p.source, p.index)):
        if passage.kind != "article":
            continue  # reader comments are never reporting
        for text in split_sentences(passage.text):
            position = positions.get(passage.source, 0)
            positions[passage.source] = position + 1
            n_words = len(text.split())
            if n_words < MIN_WORDS or n_words > MAX_WORDS or text[-1] not in ".\"”’)" or text.endswith("?"):
                continue
            sentence = SourceSentence(
                text=text,
                source=passage.source,
                passage_id=passage.id,
                position=position,
                loaded_terms=[t.text for t in loaded_terms(text) if not t.attributed],
                opinion=is_subjective(text),
            )
            (opinion if sentence.opinion else usable).append(sentence)
    return usable, opinion


def group_claims(
    sentences: list[SourceSentence],
    vectors: np.ndarray,
    duplicate_of: dict[str, str],
    focus: np.ndarray | None = None,
) -> list[Claim]:
    """Greedy leader clustering in reading order; deterministic for a given input."""
    if not sentences:
        return []
    doc_lengths: dict[str, int] = {}
    for s in sentences:
        doc_lengths[s.source] = max(doc_lengths.get(s.source, 0), s.position + 1)
    order = sorted(range(len(sentences)), key=lambda i: (sentences[i].position, sentences[i].source))
    groups: list[list[int]] = []
    leaders: list[int] = []
    for i in order:
        # Join the most similar group whose leader and centre both state the same fact, and that has no
        # sentence of this source yet: one outlet rarely says one fact twice, while neighbouring sentences
        # of one outlet often look alike (this stops chains of loosely related sentences).
        best, best_sim = None, SAME_FACT
        for g, members in enumerate(groups):
            if any(sentences[m].source == sentences[i].source for m in members):
                continue
            centroid = vectors[members].mean(axis=0)
            sim = min(float(vectors[i] @ vectors[leaders[g]]), float(vectors[i] @ centroid / (np.linalg.norm(centroid) + 1e-9)))
            if sim >= best_sim:
                best, best_sim = g, sim
        if best is None:
            groups.append([i])
            leaders.append(i)
        else:
            groups[best].append(i)

    anchor = focus if focus is not None else vectors.mean(axis=0)
    anchor = anchor / (np.linalg.norm(anchor) + 1e-9)
    claims: list[Claim] = []
    for g, members in enumerate(groups):
        member_sentences = [sentences[i] for i in members]
        sources = sorted({s.source for s in member_sentences})
        independent = independent_count(set(sources), duplicate_of)
        centroid = vectors[members].mean(axis=0)
        centrality = float(centroid @ anchor / (np.linalg.norm(centroid) + 1e-9))
        position = float(np.mean([sentences[i].position / max(doc_lengths[sentences[i].source], 1) for i in members]))
        salience = 0.35 * (independent - 1) + centrality + 0.25 * (1.0 - position)
        # Representative: closest to the group centre, preferring plain wording and shorter sentences.
        rep = max(
            members,
            key=lambda i: float(vectors[i] @ centroid) - 0.002 * len(sentences[i].text.split()),
        )
        claims.append(
            Claim(
                id=g,
                text=sentences[rep].text,
                members=sorted(member_sentences, key=lambda s: (s.source, s.position)),
                sources=sources,
                independent_sources=independent,
                salience=round(salience, 4),
            )
        )
    claims.sort(key=lambda c: -c.salience)
    for new_id, claim in enumerate(claims):
        claim.id = new_id
    return claims


def select_claims(claims: list[Claim], claim_vectors: np.ndarray, k: int) -> list[Claim]:
    """Top-k claims by salience, skipping any that repeats one already chosen; returned in story order."""
    chosen: list[int] = []
    for i, _claim in enumerate(claims):
        if len(chosen) >= k:
            break
        if any(float(claim_vectors[i] @ claim_vectors[j]) >= REDUNDANT for j in chosen):
            continue
        chosen.append(i)
    selected = [claims[i] for i in chosen]
    for claim in selected:
        claim.used = True
    # Narrative order: where the sources that carry a claim first tell it.
    return sorted(selected, key=lambda c: min(m.position for m in c.members))
