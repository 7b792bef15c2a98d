"""The main job, `digest run`: ingest -> retrieve -> claims -> write -> verify -> render."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from evals import SourceText
from digest_core.embedding import default_embedder
from digest_core.loaded import is_subjective, loaded_terms
from digest_core.syndication import find_duplicates

from .backends import Backend, make_backend
from .cache import CachedBackend
from .claims import group_claims, source_sentences
from .config import Settings
from .ingest import ingest
from .records import Claim, Digest, DigestSentence, Document, LeftOut, Passage, SourceInfo, Story
from .compose import Composer
from .select import Selection, choose_claims, echoes
from .stores import PassageStore, open_configured_store
from .synthesis import find_disagreements
from .verify import Guard

QUERY_PASSAGES = 24


@dataclass
class Progress:
    """Callbacks the CLI uses for progress bars; the library never prints."""

    start: Callable[[str, int], None] = lambda label, total: None
    advance: Callable[[], None] = lambda: None
    warn: Callable[[str], None] = lambda message: None


@dataclass
class RunOptions:
    query: str | None = None
    story: "str | Story | None" = None  # with no paths: digest this story of the store (an id, or the record)
    max_sentences: int | None = None  # None: as many as the material warrants (summarizer/select.py)
    max_words: int | None = None  # None: a budget that follows the number of sentences
    mode: str = "claims"  # "claims": one guarded sentence per claim; "abstractive": a capable model writes it all
    seed: int = 0
    report: bool = False  # also score the digest with the full evaluator (report.html)
    timings: dict[str, float] = field(default_factory=dict)


def retrieve(store: PassageStore, documents: list[Document], query: str | None) -> list[Passage]:
    """Article passages of these documents: all of them, or the ones nearest the query."""
    paths = [str(d.path.resolve()) for d in documents]
    if query:
        hits = store.query(query, k=QUERY_PASSAGES, source_paths=paths)
        return [h.passage for h in hits if h.passage.kind == "article"]
    return [p for p in store.passages(paths) if p.kind == "article"]


def _headline(text: str) -> str:
    """One line: no line breaks, no outlet tag after a bar, no closing full stop."""
    text = " ".join(text.split())
    text = re.split(r"\s+\|\s+", text)[0]
    return text.rstrip(" .")


def choose_title(documents: list[Document], claims: list[Claim]) -> str:
    """A one-line neutral headline: the source headline closest to what the digest says, among those with no
    loaded word (attributed or not) and no opinion wording; else the digest's first fact, shortened."""
    titles = [_headline(d.title) for d in documents if d.title]
    titles = [t for t in titles if t and not is_subjective(t) and not loaded_terms(t) and not t.endswith("?")]
    if titles and claims:
        embedder = default_embedder()
        centre = embedder.embed([c.text for c in claims]).mean(axis=0)
        scores = embedder.embed(titles) @ centre
        return titles[int(np.argmax(scores))]
    if claims:
        words = _headline(claims[0].text).split()
        return " ".join(words[:12]).rstrip(",.;:") + ("…" if len(words) > 12 else "")
    return "Digest"


def from_store(store: PassageStore, settings: Settings, options: RunOptions) -> tuple[list[Document], list[Passage]]:
    """No paths: the documents of one story (``options.story``), or what the query retrieves from the whole store."""
    from .corpus import find_stories, get_story, search, story_documents

    if options.story:
        story = options.story
        if isinstance(story, str):
            grouping = find_stories(store, min_size=1, lock_dir=settings.lock_dir,
                                    lock_timeout=settings.lock_timeout)
            story = get_story(grouping, story)
        documents, passages = story_documents(store, story)
        if options.query:  # a question about one story: its passages nearest the question
            passages = retrieve(store, documents, options.query)
    elif options.query:
        # the stories first (only new articles cost anything): the search re-ranks by them
        find_stories(store, lock_dir=settings.lock_dir, lock_timeout=settings.lock_timeout)
        documents, passages = search(store, options.query)
    else:
        raise NothingUsable("give files or folders to digest, or --story ID, or --query TEXT to digest from the store")
    if not passages:
        raise NothingUsable(f"nothing in {store.description} to digest" + (f" for {options.query!r}" if options.query else ""))
    return documents, passages


def build_backend(settings: Settings) -> Backend:
    """The configured backend, behind the on-disk LLM cache unless `no_cache` (a rerun pays only for new prompts)."""
    backend = make_backend(
        settings.backend,
        model_path=settings.model,
        base_url=settings.openai_base_url,
        api_key=settings.api_key(),
        headers=settings.openai_request_headers(),
        ca_bundle=settings.ca_bundle,
        api_model=settings.api_model,
        offline=settings.offline,
        timeout=settings.api_timeout,
        max_retries=settings.api_retries,
        n_threads=settings.llama_threads,
    )
    if settings.no_cache:
        return backend
    return CachedBackend(backend, settings.cache_dir or settings.store / "llm-cache",
                         max_bytes=int(settings.cache_max_mb * 1024 * 1024))


def fit_word_budget(written: list[DigestSentence], selection: Selection,
                    claims: list[Claim]) -> tuple[list[DigestSentence], list[LeftOut]]:
    """Drop the least salient claims' sentences until the digest fits its word budget (the top claim stays).

    Selection budgets on the claims' source wording; the model's wording, and the both-sides sentences
    of a disagreement, can run longer. Those extra sentences go first (digest.json keeps the disagreement).
    Under the default budget only single-source facts are dropped (see ``select.choose_claims``).
    """
    salience = selection.ranks
    by_id = {c.id: c for c in claims}
    left_out: list[LeftOut] = []

    def total(sentences: list[DigestSentence]) -> int:
        return sum(len(s.text.split()) for s in sentences)

    while total(written) > selection.max_words:
        ids = list(dict.fromkeys(s.claim_id for s in written if s.claim_id is not None))
        first_of = {i: next(s for s in written if s.claim_id == i) for i in ids}
        extra = [s for s in written if s.claim_id in first_of and s is not first_of[s.claim_id]]
        if extra:  # a disagreement's two quoted versions, least salient claim first
            drop_claim = min({s.claim_id for s in extra}, key=lambda i: salience.get(i, 0.0))
            written = [s for s in written if s.claim_id != drop_claim or s is first_of[drop_claim]]
            continue
        top = max(ids, key=lambda i: salience.get(i, 0.0))
        droppable = [i for i in ids if i != top and (selection.hard_budget or by_id[i].independent_sources < 2)]
        if not droppable:
            break
        drop = min(droppable, key=lambda i: salience.get(i, 0.0))
        words = sum(len(s.text.split()) for s in written if s.claim_id == drop)
        written = [s for s in written if s.claim_id != drop]
        by_id[drop].used = False
        left_out.append(LeftOut(claim_id=drop, text=by_id[drop].text, reason="over_word_budget",
                                detail=f"as written ({words} words) the digest exceeded its {selection.max_words}-word budget"))
    return written, left_out


class NothingUsable(ValueError):
    """No input file held article text; the CLI exits 1, as `ingest` does for the same files."""


def run_digest(
    paths: Sequence[Path],
    settings: Settings,
    *,
    options: RunOptions | None = None,
    store: PassageStore | None = None,
    backend: Backend | None = None,
    progress: Progress | None = None,
) -> Digest:
    options = options or RunOptions()
    progress = progress or Progress()
    timings: dict[str, float] = {}
    started = time.perf_counter()

    # The backend first: a refused or missing backend should fail before any work is done.
    mark = time.perf_counter()
    backend = backend or build_backend(settings)
    timings["model_load"] = time.perf_counter() - mark

    store = store or open_configured_store(settings)
    if paths:
        result, documents = ingest(
            paths, store, max_bytes=int(settings.max_file_mb * 1024 * 1024), lock_dir=settings.lock_dir,
            lock_timeout=settings.lock_timeout, on_documents=lambda n: progress.start("indexing sources", n),
            on_document=lambda _doc: progress.advance(),
        )
        warnings = [f"skipped {s.path}: {s.reason}" for s in result.skipped] + result.warnings
        if not documents:
            raise NothingUsable("nothing usable to digest: " + ("; ".join(warnings) or "no input files"))
        timings["ingest"] = time.perf_counter() - started - timings["model_load"]
        mark = time.perf_counter()
        passages = retrieve(store, documents, options.query)
    else:
        mark = time.perf_counter()
        documents, passages = from_store(store, settings, options)
        warnings = []
        timings["retrieve"] = time.perf_counter() - mark

    duplicate_of = find_duplicates({d.name: d.article_text() for d in documents})
    sentences, _opinion = source_sentences(passages)
    progress.start("grouping source sentences into claims", 1)  # embedding every source sentence: seconds
    vectors = default_embedder().embed([s.text for s in sentences])
    focus = default_embedder().embed([options.query])[0] if options.query else None
    claims = group_claims(sentences, vectors, duplicate_of, focus)
    claim_vectors = default_embedder().embed([c.text for c in claims])
    selection = choose_claims(claims, claim_vectors, max_sentences=options.max_sentences, max_words=options.max_words,
                              echo=echoes(claims, sentences, vectors, duplicate_of))
    selected = selection.claims
    progress.advance()
    timings["claims"] = time.perf_counter() - mark

    guard = Guard([SourceText(name=d.name, text=d.article_text()) for d in documents])

    disagreements = find_disagreements(selected, duplicate_of, guard.scorer)
    composer = Composer(backend, guard, duplicate_of, seed=options.seed, temperature=settings.temperature,
                        rewrite=settings.rewrites, sentences=sentences)
    mark = time.perf_counter()
    if options.mode == "abstractive":
        progress.start("writing the digest", 1)
        written = composer.abstractive(passages, selection.max_sentences)
        progress.advance()
    else:
        progress.start("writing sentences", len(selected))
        written = composer.from_claims(selected, disagreements, advance=progress.advance)
    timings["write_and_verify"] = time.perf_counter() - mark
    written, over = fit_word_budget(written, selection, claims)
    left_out = selection.left_out + over
    warnings.extend(dict.fromkeys(composer.notes))  # the CLI prints digest.warnings after the run
    stats = getattr(backend, "stats", lambda: {})()
    timings["llm"] = float(stats.get("llm_seconds", 0.0))  # calls that really ran; cache hits cost nothing
    if "cache_hits" in stats:
        timings["llm_cache_hits"] = stats["cache_hits"]
        timings["llm_cache_misses"] = stats["cache_misses"]
    timings["total"] = time.perf_counter() - started

    sources = [
        SourceInfo(
            name=d.name,
            title=d.title,
            path=str(d.path),
            duplicate_of=duplicate_of.get(d.name),
            passages=sum(1 for p in passages if p.source == d.name),
            comments=any(p.kind == "comments" for p in d.parts),
        )
        for d in documents
    ]
    digest = Digest(
        title=choose_title(documents, selected),
        sentences=written,
        sources=sources,
        claims=claims,
        disagreements=disagreements,
        left_out=left_out,
        backend=backend.name,
        model=backend.model,
        query=options.query,
        timings={k: round(v, 3) for k, v in timings.items()},
        warnings=warnings,
    )
    if options.report:  # the full evaluation for report.html, with the guard's scorer (sources already embedded)
        from .report import evaluate_digest

        digest.evaluation = evaluate_digest(digest, guard, progress)
    return digest
