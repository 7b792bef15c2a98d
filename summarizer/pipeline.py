"""The main job, `digest run`, as a sequence of stages, each with typed records in and out.

load -> clean -> split -> index (``ingest``) -> retrieve -> group claims -> select -> write and verify
(``summarizer.write``) -> the Digest record, which `render` writes out. ``run_digest`` only calls them in turn.
"""

from __future__ import annotations

import contextlib
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Sequence

import numpy as np

from digest_core.embedding import default_embedder
from digest_core.loaded import plain_headline
from digest_core.errors import UserError
from digest_core.progress import SILENT, Progress
from digest_core.syndication import find_duplicates

from .backends import Backend, make_backend
from .cache import CachedBackend
from .claims import group_claims, source_sentences
from .config import Settings
from .ingest import ingest
from .records import Claim, Digest, Document, Passage, SourceInfo, SourceSentence, Story
from .select import Selection, choose_claims, echoes
from .stores import PassageStore, open_configured_store
from .write import Guard, Written, write_and_verify

QUERY_PASSAGES = 24


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


class NothingUsable(UserError, ValueError):
    """No input file held article text; the CLI exits 1, as `ingest` does for the same files."""


# --- the records between stages -----------------------------------------------------------------------


@dataclass
class Indexed:
    """Stages load -> clean -> split -> index: the documents of the given files, now in the store."""

    documents: list[Document]
    warnings: list[str]  # files skipped or cut, reported with the digest


@dataclass
class Material:
    """Stage retrieve: the documents digested and the article passages the digest may draw on."""

    documents: list[Document]
    passages: list[Passage]
    warnings: list[str]


@dataclass
class ClaimGroups:
    """Stage group claims: the sources' factual sentences, embedded, and the claims they group into."""

    sentences: list[SourceSentence]
    vectors: np.ndarray  # one row per sentence
    claims: list[Claim]
    duplicate_of: dict[str, str]  # a copy of another report -> that report (copies count as one source)


class Stopwatch:
    """Seconds per stage, under the keys digest.json's ``timings`` has always had (benchmarks/run_seeds.py and
    the tests read them)."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.timings: dict[str, float] = {}

    @contextlib.contextmanager
    def __call__(self, key: str | None) -> Iterator[None]:
        """Time the block under ``key``; None times nothing (a stage with no key of its own on this path)."""
        mark = time.perf_counter()
        yield
        if key:
            self.timings[key] = time.perf_counter() - mark

    def total(self) -> dict[str, float]:
        self.timings["total"] = time.perf_counter() - self.started
        return self.timings


# --- the stages ------------------------------------------------------------------------------------


def index_files(paths: Sequence[Path], store: PassageStore, settings: Settings, progress: Progress) -> Indexed:
    """Stages load -> clean -> split -> index of the given files; none usable is the user's error."""
    result, documents = ingest(paths, store, max_bytes=int(settings.max_file_mb * 1024 * 1024),
                               lock_dir=settings.lock_dir, lock_timeout=settings.lock_timeout, progress=progress)
    warnings = [f"skipped {s.path}: {s.reason}" for s in result.skipped] + result.warnings
    if not documents:
        raise NothingUsable("nothing usable to digest: " + ("; ".join(warnings) or "no input files"))
    return Indexed(documents, warnings)


def retrieve(store: PassageStore, documents: list[Document], query: str | None) -> list[Passage]:
    """Article passages of these documents: all of them, or the ones nearest the query."""
    paths = [str(d.path.resolve()) for d in documents]
    if query:
        hits = store.query(query, k=QUERY_PASSAGES, source_paths=paths)
        return [h.passage for h in hits if h.passage.kind == "article"]
    return [p for p in store.passages(paths) if p.kind == "article"]


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


def retrieve_material(store: PassageStore, indexed: Indexed | None, settings: Settings,
                      options: RunOptions) -> Material:
    """Stage retrieve: the indexed files' passages (those nearest the query, with one), or with no files,
    a story's or a query's documents from the store."""
    if indexed is None:
        return Material(*from_store(store, settings, options), warnings=[])
    return Material(indexed.documents, retrieve(store, indexed.documents, options.query), indexed.warnings)


def group_into_claims(material: Material, query: str | None) -> ClaimGroups:
    """Stage group claims: the passages' factual sentences grouped by the fact they state (a query focuses it)."""
    duplicate_of = find_duplicates({d.name: d.article_text() for d in material.documents})
    sentences, _opinion = source_sentences(material.passages)
    vectors = default_embedder().embed([s.text for s in sentences])
    focus = default_embedder().embed([query])[0] if query else None
    return ClaimGroups(sentences, vectors, group_claims(sentences, vectors, duplicate_of, focus), duplicate_of)


def select_for_digest(grouped: ClaimGroups, options: RunOptions) -> Selection:
    """Stage select: the claims the digest states, within the user's limits or what the material warrants."""
    claim_vectors = default_embedder().embed([c.text for c in grouped.claims])
    echo = echoes(grouped.claims, grouped.sentences, grouped.vectors, grouped.duplicate_of)
    return choose_claims(grouped.claims, claim_vectors, max_sentences=options.max_sentences,
                         max_words=options.max_words, echo=echo, duplicate_of=grouped.duplicate_of,
                         cover_sources=bool(options.query))


def llm_timings(backend: Backend) -> dict[str, float]:
    """The model's own seconds: calls that really ran (cache hits cost nothing), and the cache's counts."""
    stats = backend.stats()
    timings = {"llm": float(stats.get("llm_seconds", 0.0))}
    if "cache_hits" in stats:
        timings["llm_cache_hits"] = stats["cache_hits"]
        timings["llm_cache_misses"] = stats["cache_misses"]
    return timings


def assemble(material: Material, grouped: ClaimGroups, selection: Selection, written: Written, backend: Backend,
             query: str | None, timings: dict[str, float]) -> Digest:
    """The Digest record: the written sentences, their sources, every claim and what was left out."""
    documents, passages = material.documents, material.passages
    sources = [
        SourceInfo(
            name=d.name,
            title=d.title,
            path=str(d.path),
            duplicate_of=grouped.duplicate_of.get(d.name),
            passages=sum(1 for p in passages if p.source == d.name),
            comments=any(p.kind == "comments" for p in d.parts),
        )
        for d in documents
    ]
    return Digest(
        title=choose_title(documents, selection.claims),
        sentences=written.sentences,
        sources=sources,
        claims=grouped.claims,
        disagreements=written.disagreements,
        left_out=written.left_out,
        backend=backend.name,
        model=backend.model,
        query=query,
        timings={k: round(v, 3) for k, v in timings.items()},
        warnings=material.warnings + written.notes,  # the CLI prints digest.warnings after the run
    )


def _headline(text: str) -> str:
    """One line: no line breaks, no outlet tag after a bar, no closing full stop."""
    text = " ".join(text.split())
    text = re.split(r"\s+\|\s+", text)[0]
    return text.rstrip(" .")


def choose_title(documents: list[Document], claims: list[Claim]) -> str:
    """A one-line neutral headline: the source headline closest to what the digest says, among those fit for it
    (``plain_headline``: no opinion label, explainer or list form, question, loaded word or opinion wording); else
    the digest's first fact, shortened."""
    titles = [_headline(d.title) for d in documents if d.title]
    titles = [t for t in titles if plain_headline(t)]
    if titles and claims:
        embedder = default_embedder()
        centre = embedder.embed([c.text for c in claims]).mean(axis=0)
        scores = embedder.embed(titles) @ centre
        return titles[int(np.argmax(scores))]
    if claims:
        words = _headline(claims[0].text).split()
        return " ".join(words[:12]).rstrip(",.;:") + ("…" if len(words) > 12 else "")
    return "Digest"


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


def run_digest(
    paths: Sequence[Path],
    settings: Settings,
    *,
    options: RunOptions | None = None,
    store: PassageStore | None = None,
    backend: Backend | None = None,
    progress: Progress = SILENT,
) -> Digest:
    """A digest of ``paths`` (none: a story of the store, or what a query retrieves from it), stage by stage."""
    options = options or RunOptions()
    clock = Stopwatch()
    with clock("model_load"):  # the backend first: a refused or missing backend fails before any work is done
        backend = backend or build_backend(settings)
    with clock("ingest" if paths else None):
        store = store or open_configured_store(settings)
        indexed = index_files(paths, store, settings, progress) if paths else None
    with clock("claims"):  # retrieval included, as the timings have always counted it
        with clock(None if paths else "retrieve"):
            material = retrieve_material(store, indexed, settings, options)
        progress.start("grouping source sentences into claims", 1)  # embedding every source sentence: seconds
        grouped = group_into_claims(material, options.query)
        selection = select_for_digest(grouped, options)
        progress.advance()
    guard = Guard.of_documents(material.documents)
    written = write_and_verify(selection, grouped.claims, backend=backend, guard=guard,
                               duplicate_of=grouped.duplicate_of, sentences=grouped.sentences,
                               passages=material.passages, mode=options.mode, seed=options.seed,
                               temperature=settings.temperature, rewrite=settings.rewrites, progress=progress)
    clock.timings["write_and_verify"] = written.seconds
    clock.timings.update(llm_timings(backend))
    digest = assemble(material, grouped, selection, written, backend, options.query, clock.total())
    if options.report:  # the full evaluation for report.html, with the guard's scorer (sources already embedded)
        from .report import evaluate_digest

        digest.evaluation = evaluate_digest(digest, guard, progress)
    return digest
