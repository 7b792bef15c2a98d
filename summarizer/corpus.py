"""The store as a corpus: keep the article index in step with the passages, find the stories, fetch one.

``find_stories`` is what `digest stories`, `digest run --story` and `digest batch` call. It analyses only the
articles it has not seen (or whose file changed), groups incrementally, and writes each article's story back to the
store, so every process that shares the store (embedded, or a Chroma server) reads the same stories.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import numpy as np

from .ingest import store_lock
from .records import ArticleRecord, Story, StoryGrouping
from .stores import PassageStore
from .stories import FEATURES, GroupingParams, article_records, group, story_id, to_grouping


class UnknownStory(LookupError):
    """No story with that id in the store."""


def sync_articles(store: PassageStore, *, on_count: Callable[[int], None] | None = None
                  ) -> tuple[list[ArticleRecord], np.ndarray, object]:
    """All article records of the store, sorted by path, analysing the new and changed ones; the index too."""
    index = store.article_index()
    heads = {h.source_path: h for h in store.heads() if h.kind == "article"}
    stored, vectors = index.all()
    keep = [i for i, r in enumerate(stored)
            if r.source_path in heads and heads[r.source_path].doc_sha256 == r.doc_sha256 and r.features == FEATURES]
    known = {stored[i].source_path for i in keep}
    gone = [r.source_path for r in stored if r.source_path not in heads]
    todo = [heads[p] for p in sorted(heads) if p not in known]
    if on_count:
        on_count(len(todo))
    fresh, fresh_vectors = article_records(todo)
    if fresh:
        index.upsert(fresh, fresh_vectors)
    index.delete(gone)
    records = [stored[i] for i in keep] + fresh
    all_vectors = np.concatenate([vectors[keep] if len(keep) else np.zeros((0, fresh_vectors.shape[1] if len(fresh)
                                  else 384), np.float32), fresh_vectors])
    order = sorted(range(len(records)), key=lambda i: records[i].source_path)
    return [records[i] for i in order], all_vectors[order], index


def find_stories(store: PassageStore, *, params: GroupingParams = GroupingParams(), min_size: int = 2,
                 lock_dir: Path | None = None, lock_timeout: float = 120.0,
                 progress: Callable[[str, int], None] | None = None, advance: Callable[[], None] | None = None
                 ) -> StoryGrouping:
    with store_lock(lock_dir, lock_timeout):
        records, vectors, index = sync_articles(store, on_count=(lambda n: progress("analysing new articles", n))
                                                if progress else None)
        groups = group(records, vectors, params, progress=progress, advance=advance)
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
