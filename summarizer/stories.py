"""Stage: group. Every article in the store -> stories (articles about the same event).

Two articles are about the same event when they say the same specific things, not when they share a topic: the
similarity of a pair mixes MiniLM embeddings (of the headline with the lead, and of the headline alone: what it is
about) with a TF-IDF cosine over its names, numbers, dates and content lemmas (who, how many, when: what tells two
jobs reports or two storms apart), with IDF taken over the whole store, so that a name every article carries
("Trump") counts for little and a rare one for much. That raw similarity is then corrected for crowded topics
(a pair must stand out from each article's nearest neighbours, see ``Similarity``). Articles dated more than
``max_days`` apart are never the same story.

Stories are formed by average-link agglomeration with a threshold (a new member must be close to the story as a
whole, not to one of its members, which stops the chaining that single link suffers). Only pairs above the
threshold can end up together, so the work splits into the connected components of that sparse graph.

Incremental: stories of two or more articles already in the store stay as they are; new articles (and articles
that belonged to no story) join them or form new ones, and two existing stories are never merged. A story's id is a
hash of its members' paths, so it stays the same while its articles do.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Sequence

import numpy as np

from digest_core.embedding import default_embedder
from digest_core.progress import SILENT, Progress

from .records import ArticleRecord, Passage, Story, StoryGrouping

FEATURES = "2"  # bump when the features change: stored records are analysed again (a new side collection)
TITLE_SHARE = 0.5  # of the embedding similarity that comes from the headline alone (the rest: headline + lead)
LEAD_CHARS = 600
NUMBER_LABELS = {"CARDINAL", "MONEY", "PERCENT", "QUANTITY", "ORDINAL"}
CONTENT_POS = {"NOUN", "VERB", "ADJ"}


@dataclass(frozen=True)
class GroupingParams:
    """Chosen on the even-numbered NeuS validation clusters (benchmarks/stories_neus.py --tune)."""

    threshold: float = -0.1  # on the hub-corrected similarity (see Similarity)
    floor: float = 0.2  # and never below this raw similarity (a small store has no neighbourhood to correct by)
    embed_weight: float = 0.5  # the rest is the TF-IDF cosine of terms
    name_weight: float = 1.0  # names, numbers and dates count this much more than other words
    max_days: int = 7
    neighbours: int = 3  # the hub correction's neighbourhood


# --- features ------------------------------------------------------------------------------------


def lead_text(head: Passage) -> str:
    title = (head.title or "").strip()
    text = head.text[:LEAD_CHARS]
    if title and not text.startswith(title):
        return f"{title}. {text}" if title[-1:].isalnum() else f"{title} {text}"
    return text


def analyse_terms(texts: Sequence[str]) -> list[list[str]]:
    """Per text: its names (``n:`` + each normalised word), numbers and dates (``#:``) and content lemmas."""
    from digest_core.nlp import NAME_LABELS, name_words, pipeline

    nlp = pipeline()
    out: list[list[str]] = []
    for doc in nlp.pipe(list(texts), batch_size=64):
        terms: list[str] = []
        in_entity: set[int] = set()
        for ent in doc.ents:
            if ent.label_ in NAME_LABELS:
                terms.extend("n:" + w for w in name_words(t.text for t in ent))
            elif ent.label_ in NUMBER_LABELS or ent.label_ == "DATE":
                terms.extend("#:" + t.lower_.replace(",", "") for t in ent if t.like_num or t.is_alpha and t.lower_
                             not in ("the", "a", "an", "about", "more", "than", "of", "some", "last", "this", "next"))
            else:
                continue
            in_entity.update(range(ent.start, ent.end))
        for tok in doc:
            if tok.i in in_entity:
                continue
            if tok.like_num and any(c.isdigit() for c in tok.text):
                terms.append("#:" + tok.text.replace(",", ""))
            elif tok.pos_ in CONTENT_POS and tok.is_alpha and not tok.is_stop and len(tok) > 2:
                terms.append(tok.lemma_.lower())
        out.append(terms)
    return out


def article_records(heads: Sequence[Passage]) -> tuple[list[ArticleRecord], np.ndarray]:
    """Records with terms, and their embeddings, for the first passages of documents."""
    leads = [lead_text(h) for h in heads]
    vectors = np.zeros((0, 768), np.float32)
    if leads:
        # [sqrt(1-t) lead, sqrt(t) headline]: the dot product of two such vectors is exactly the weighted mean
        # of their lead and headline cosines, so one stored vector carries both
        embed = default_embedder().embed
        headlines = [h.title or lead for h, lead in zip(heads, leads)]
        vectors = np.hstack([math.sqrt(1 - TITLE_SHARE) * embed(leads), math.sqrt(TITLE_SHARE) * embed(headlines)])
    terms = analyse_terms(leads) if leads else []
    records = [ArticleRecord(source=h.source, source_path=h.source_path, doc_sha256=h.doc_sha256, title=h.title,
                             date=h.date, outlet=h.outlet, lead=lead, terms=t, features=FEATURES)
               for h, lead, t in zip(heads, leads, terms)]
    return records, vectors


# --- similarity ----------------------------------------------------------------------------------


def term_matrix(records: Sequence[ArticleRecord], name_weight: float):
    """Rows: L2-normalised TF-IDF vectors (sublinear tf, smooth idf over these records) as a sparse matrix."""
    from scipy.sparse import csr_matrix

    vocab: dict[str, int] = {}
    counts = [Counter(r.terms) for r in records]
    df: Counter = Counter()
    for c in counts:
        df.update(c.keys())
    n = len(records)
    rows, cols, vals = [], [], []
    for i, c in enumerate(counts):
        for term, tf in c.items():
            j = vocab.setdefault(term, len(vocab))
            weight = (1 + math.log(tf)) * (math.log((n + 1) / (df[term] + 1)) + 1)
            if term.startswith(("n:", "#:")):
                weight *= name_weight
            rows.append(i)
            cols.append(j)
            vals.append(weight)
    matrix = csr_matrix((vals, (rows, cols)), shape=(n, max(len(vocab), 1)), dtype=np.float32)
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    from scipy.sparse import diags

    return diags(1.0 / norms) @ matrix


def _days(records: Sequence[ArticleRecord]) -> np.ndarray:
    out = np.full(len(records), np.nan)
    for i, r in enumerate(records):
        try:
            out[i] = date.fromisoformat(r.date).toordinal() if r.date else np.nan
        except ValueError:
            pass
    return out


class Similarity:
    """Pairwise similarity of articles, corrected for crowded neighbourhoods.

    Raw: ``embed_weight`` x embedding cosine + the rest x term cosine. In a week of news, dozens of articles
    share a topic (an impeachment, a pandemic) and sit close to each other without sharing an event; a
    fixed threshold on the raw value either splits quiet stories or merges crowded topics. So the value used is
    hub-corrected (CSLS, Conneau et al. 2018): ``2 raw(i, j) - r_i - r_j``, where ``r_i`` is the mean raw
    similarity of article i to its ``neighbours`` nearest others: a pair must stand out from what surrounds it.
    """

    def __init__(self, records: Sequence[ArticleRecord], vectors: np.ndarray, params: GroupingParams,
                 rows_per_block: int = 1024):
        self.params = params
        self.vectors = np.asarray(vectors, dtype=np.float32)
        self.terms = term_matrix(records, params.name_weight)
        self.days = _days(records)
        self.rows_per_block = rows_per_block
        self.hub = self._hubness()

    def raw(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        a = self.params.embed_weight
        sim = a * (self.vectors[rows] @ self.vectors[cols].T)
        sim += (1 - a) * (self.terms[rows] @ self.terms[cols].T).toarray()
        gap = np.abs(self.days[rows][:, None] - self.days[cols][None, :])
        sim[gap > self.params.max_days] = -1.0  # NaN (no date) compares False: undated articles are not gated
        return sim

    def _hubness(self) -> np.ndarray:
        n, k = len(self.vectors), self.params.neighbours
        hub = np.zeros(n)
        everyone = np.arange(n)
        for start in range(0, n, self.rows_per_block):
            rows = everyone[start:start + self.rows_per_block]
            sim = self.raw(rows, everyone)
            sim[np.arange(len(rows)), rows] = -np.inf  # not its own neighbour
            top = min(k, n - 1)
            if top > 0:
                hub[rows] = np.sort(sim, axis=1)[:, -top:].mean(axis=1)
        return hub

    def block(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        raw = self.raw(rows, cols)
        sim = 2 * raw - self.hub[rows][:, None] - self.hub[cols][None, :]
        sim[raw < self.params.floor] = -1.0
        return sim

    def edges(self, threshold: float) -> list[tuple[int, int]]:
        """Pairs i < j with similarity at least ``threshold``, computed a block of rows at a time."""
        n = len(self.vectors)
        everyone = np.arange(n)
        found: list[tuple[int, int]] = []
        for start in range(0, n, self.rows_per_block):
            rows = everyone[start:start + self.rows_per_block]
            sim = self.block(rows, everyone)
            i, j = np.nonzero(sim >= threshold)
            found.extend((int(rows[a]), int(b)) for a, b in zip(i, j) if rows[a] < b)
        return found


# --- clustering ----------------------------------------------------------------------------------


def _components(n: int, edges: Sequence[tuple[int, int]], fixed: Sequence[Sequence[int]]) -> list[list[int]]:
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    links = list(edges) + [(g[0], m) for g in fixed for m in g[1:]]
    for a, b in links:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, list[int]] = {}
    for i in range(n):
        groups.setdefault(find(i), []).append(i)
    return list(groups.values())


def average_link(sim: np.ndarray, start: list[list[int]], frozen: list[bool], threshold: float) -> list[list[int]]:
    """Merge the closest pair of groups (mean pairwise similarity) while it reaches ``threshold``;
    two frozen groups (existing stories) are never merged with each other. Ties go to the lower index."""
    k = len(start)
    onehot = np.zeros((k, sim.shape[0]))
    for g, members in enumerate(start):
        onehot[g, members] = 1.0
    sums = onehot @ sim @ onehot.T
    sizes = onehot.sum(axis=1)
    alive = np.ones(k, dtype=bool)
    is_frozen = np.array(frozen, dtype=bool)
    groups = [list(g) for g in start]
    while alive.sum() > 1:
        mean = sums / np.outer(sizes, sizes)
        blocked = ~np.outer(alive, alive) | np.outer(is_frozen, is_frozen) | np.eye(k, dtype=bool)
        mean[blocked] = -np.inf
        flat = int(np.argmax(mean))
        a, b = divmod(flat, k)
        if mean[a, b] < threshold:
            break
        a, b = min(a, b), max(a, b)
        groups[a] += groups[b]
        sums[a, :] += sums[b, :]
        sums[:, a] += sums[:, b]
        sizes[a] += sizes[b]
        is_frozen[a] |= is_frozen[b]
        alive[b] = False
    return [sorted(groups[g]) for g in range(k) if alive[g]]


def story_id(paths: Sequence[str]) -> str:
    return "s" + hashlib.sha1("\n".join(sorted(paths)).encode()).hexdigest()[:11]


def fingerprint(records: Sequence[ArticleRecord]) -> str:
    return hashlib.sha1("\n".join(sorted(f"{r.source_path}|{r.doc_sha256}" for r in records)).encode()).hexdigest()[:16]


def neutral_title(records: Sequence[ArticleRecord], vectors: np.ndarray) -> str:
    """The member headline nearest the story's centre among the plainest: a headline fit for a neutral title
    (``plain_headline``: no opinion label, question, loaded or opinion wording) if any, else the one with the
    fewest loaded words and no opinion label or wording."""
    from digest_core.loaded import is_subjective, labelled_opinion, loaded_terms, plain_headline

    titled = [(i, r.title) for i, r in enumerate(records) if r.title]
    if not titled:
        words = records[0].lead.split() if records[0].lead else [records[0].source]
        return " ".join(words[:12]) + ("…" if len(words) > 12 else "")
    centre = vectors.mean(axis=0)

    def rank(item: tuple[int, str]) -> tuple:
        i, title = item
        plain = plain_headline(title)
        reads_as_report = plain or not (labelled_opinion(title) or is_subjective(title))
        return plain, reads_as_report, -len(loaded_terms(title)), float(vectors[i] @ centre), title

    return max(titled, key=rank)[1]


def group(records: Sequence[ArticleRecord], vectors: np.ndarray, params: GroupingParams = GroupingParams(),
          *, progress: Progress = SILENT) -> list[list[int]]:
    """Groups of record indexes. Records whose ``story`` is shared by two or more of them are existing stories:
    kept together, and never merged with another existing story; everyone else is grouped afresh."""
    existing: dict[str, list[int]] = {}
    for i, r in enumerate(records):
        if r.story:
            existing.setdefault(r.story, []).append(i)
    fixed = [g for g in existing.values() if len(g) >= 2]
    in_fixed = {i for g in fixed for i in g}
    sim = Similarity(records, vectors, params)
    edges = sim.edges(params.threshold)
    components = _components(len(records), edges, fixed)
    progress.start("grouping stories", len(components))
    out: list[list[int]] = []
    for comp in components:
        if len(comp) == 1:
            out.append(comp)
        else:
            members = np.array(comp)
            local = {g: x for x, g in enumerate(comp)}
            kept = [[local[i] for i in g] for g in fixed if g[0] in local]
            fresh = [[local[i]] for i in comp if i not in in_fixed]
            start, frozen = kept + fresh, [True] * len(kept) + [False] * len(fresh)
            block = sim.block(members, members)
            out.extend([comp[i] for i in g] for g in average_link(block, start, frozen, params.threshold))
        progress.advance()
    return out


def to_grouping(records: Sequence[ArticleRecord], vectors: np.ndarray, groups: Sequence[Sequence[int]],
                min_size: int = 2) -> StoryGrouping:
    """Stories (at least ``min_size`` articles, biggest first) and the rest as unassigned file names."""
    stories: list[Story] = []
    unassigned: list[str] = []
    for g in groups:
        members = sorted(g, key=lambda i: (records[i].date or "", records[i].source, records[i].source_path))
        if len(members) < min_size:
            unassigned.extend(records[i].source for i in members)
            continue
        chosen = [records[i] for i in members]
        stories.append(Story(id=story_id([r.source_path for r in chosen]),
                             title=neutral_title(chosen, vectors[members]),
                             documents=[r.source for r in chosen], paths=[r.source_path for r in chosen],
                             size=len(chosen), fingerprint=fingerprint(chosen)))
    stories.sort(key=lambda s: (-s.size, s.id))
    return StoryGrouping(stories=stories, unassigned=sorted(unassigned))
