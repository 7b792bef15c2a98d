"""The store as a corpus: keep the article index in step with the passages, find the stories, fetch one.

``find_stories`` is what `digest stories`, `digest run --story` and `digest batch` call. It analyses only the
articles it has not seen (or whose file changed), groups incrementally, and writes each article's story back to the
store, so every process that shares the store (embedded, or a Chroma server) reads the same stories.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from digest_core.errors import UserError
from digest_core.progress import SILENT, Progress

from .ingest import store_lock
from .records import ArticleRecord, Document, Part, Passage, Story, StoryGrouping
from .stores import PassageStore
from .stories import FEATURES, GroupingParams, article_records, group, story_id, to_grouping


class UnknownStory(UserError, LookupError):
    """No story with that id in the store."""


def sync_articles(store: PassageStore, *, progress: Progress = SILENT
                  ) -> tuple[list[ArticleRecord], np.ndarray, object]:
    """All article records of the store, sorted by path, analysing the new and changed ones; the index too."""
    index = store.article_index()
    heads = {h.source_path: h for h in store.heads() if h.kind == "article"}
    stored, vectors = index.all()
    keep = [i for i, r in enumerate(stored) if r.source_path in heads and r.features == FEATURES
            and _same_head(r, heads[r.source_path])]
    known = {stored[i].source_path for i in keep}
    gone = [r.source_path for r in stored if r.source_path not in heads]
    todo = [heads[p] for p in sorted(heads) if p not in known]
    progress.start("analysing new articles", len(todo))
    fresh, fresh_vectors = article_records(todo)
    if fresh:
        index.upsert(fresh, fresh_vectors)
    index.delete(gone)
    records = [stored[i] for i in keep] + fresh
    all_vectors = np.concatenate([vectors[keep] if len(keep) else np.zeros((0, 768), np.float32), fresh_vectors])
    order = sorted(range(len(records)), key=lambda i: records[i].source_path)
    return [records[i] for i in order], all_vectors[order], index


def _same_head(record: ArticleRecord, head: Passage) -> bool:
    """The record was made from this text and what the store now says about it (a newer version of the tool may
    read another title, date or outlet from the same file: the record is made again)."""
    return (record.doc_sha256, record.title, record.date, record.outlet) == (head.doc_sha256, head.title, head.date,
                                                                           head.outlet)


def find_stories(store: PassageStore, *, params: GroupingParams = GroupingParams(), min_size: int = 2,
                 lock_dir: Path | None = None, lock_timeout: float = 120.0,
                 progress: Progress = SILENT) -> StoryGrouping:
    with store_lock(lock_dir, lock_timeout):
        records, vectors, index = sync_articles(store, progress=progress)
        groups = group(records, vectors, params, progress=progress)
        changed: list[ArticleRecord] = []
        for g in groups:
            sid = story_id([records[i].source_path for i in g]) if len(g) >= 2 else None
            for i in g:
                if records[i].story != sid:
                    records[i] = records[i].model_copy(update={"story": sid})
                    changed.append(records[i])
        if changed:
            index.set_stories(changed)
    return to_grouping(records, vectors, groups, min_size=min_size)


def get_story(grouping: StoryGrouping, story: str) -> Story:
    for s in grouping.stories:
        if s.id == story:
            return s
    raise UnknownStory(f"no story {story!r} in the store; `digest stories` lists them")


# --- documents from the store: a story, or what a query retrieves ------------------------------------

SEARCH_PASSAGES = 40  # nearest passages Chroma returns for a query, before re-ranking
SEARCH_ARTICLES = 20  # nearest articles (headline and lead) Chroma returns from the article index
ARTICLE_WEIGHT = 2.0  # of the article's similarity (mean of its headline+lead and headline cosines) in its score
SEARCH_MARGIN = 0.25  # documents scoring this far below the best one are not about the same thing
SEARCH_DOCUMENTS = 8
# The three above were chosen on the even-numbered NeuS validation clusters (benchmarks/query_neus.py --part tune):
# the article's similarity lifted the right-story share there from 0.875 to 0.927 (see benchmarks/RESULTS.md).


def documents_from_passages(passages: list[Passage]) -> list[Document]:
    """Documents rebuilt from stored passages (article text = those passages, in order), in path order."""
    by_path: dict[str, list[Passage]] = {}
    for p in passages:
        by_path.setdefault(p.source_path, []).append(p)
    documents = []
    for path in sorted(by_path):
        parts = sorted(by_path[path], key=lambda p: p.index)
        first = parts[0]
        documents.append(Document(
            name=first.source, path=Path(path), sha256=first.doc_sha256, title=first.title, date=first.date,
            outlet=first.outlet, parts=[Part(kind=kind, text="\n\n".join(p.text for p in parts if p.kind == kind))
                                        for kind in ("article", "comments") if any(p.kind == kind for p in parts)]))
    return documents


def story_documents(store: PassageStore, story: Story) -> tuple[list[Document], list[Passage]]:
    passages = store.passages(story.paths)
    return documents_from_passages(passages), [p for p in passages if p.kind == "article"]


def _article_vector(query: str) -> np.ndarray:
    """The query as the article index stores articles ([headline+lead, headline] side by side): its cosine with
    an article is the mean of the query's cosines with the article's headline-and-lead and its headline."""
    from digest_core.embedding import default_embedder

    from .stories import TITLE_SHARE

    q = default_embedder().embed([query])[0]
    return np.concatenate([np.sqrt(1 - TITLE_SHARE) * q, np.sqrt(TITLE_SHARE) * q])


def search(store: PassageStore, query: str, *, k: int = SEARCH_PASSAGES, articles: int = SEARCH_ARTICLES,
           article_weight: float = ARTICLE_WEIGHT, margin: float = SEARCH_MARGIN,
           max_documents: int = SEARCH_DOCUMENTS) -> tuple[list[Document], list[Passage]]:
    """The articles that answer ``query``: Chroma's nearest passages and nearest articles, re-ranked by document
    and by story.

    A document scores its best passage's similarity to the query plus ``article_weight`` times its article's
    (headline and lead: what the article is about; a query is usually a headline or a question about one event).
    A document found by one search and not the other takes the lowest score that search returned. When the best
    document belongs to a story (the grouping stored by `digest stories`), the answer is that story: all of its
    articles (the retrieved ones first, with their retrieved passages; the others whole, since the grouping found
    them to report the same event in other words) and no other document, since an article about a similar event
    (last month's figures, another storm) answers another question. Otherwise documents within ``margin`` of the
    best are kept (a relative cut), with their retrieved passages (whole, if only the article search found them).
    At most ``max_documents``; only the passages returned are digested, and so cited.
    """
    hits = [h for h in store.query(query, k=k) if h.passage.kind == "article"]
    index = store.article_index()
    nearest = dict(index.nearest(_article_vector(query), articles)) if articles > 0 and article_weight else {}
    per_doc: dict[str, list] = {}
    for h in hits:
        per_doc.setdefault(h.passage.source_path, []).append(h)
    passage_score = {path: max(h.score for h in doc_hits) for path, doc_hits in per_doc.items()}
    candidates = set(passage_score) | set(nearest)
    if not candidates:
        return [], []
    passage_floor = min(passage_score.values(), default=0.0)
    article_floor = min(nearest.values(), default=0.0)
    scores = {path: passage_score.get(path, passage_floor) + article_weight * nearest.get(path, article_floor)
              for path in candidates}
    ranked = sorted(scores, key=lambda p: (-scores[p], p))
    story_of = index.stories_of(ranked)
    lead = story_of.get(ranked[0])
    if lead:
        kept = [p for p in ranked if story_of.get(p) == lead]
        room = max(max_documents - len(kept), 0)
        kept += [p for p in index.members_of(lead) if p not in scores][:room]
    else:
        kept = [p for p in ranked if scores[p] >= scores[ranked[0]] - margin]
    kept = kept[:max_documents]
    whole = [p for p in kept if p not in per_doc]
    found = [h.passage for p in kept for h in per_doc.get(p, [])]
    found += [p for p in store.passages(whole) if p.kind == "article"] if whole else []
    passages = sorted(found, key=lambda p: (p.source_path, p.index))
    return documents_from_passages(passages), passages
