"""`digest batch`: a digest of every story in the store, one folder each, an index, resumable.

Layout of ``out``: ``<story id>/`` with digest.md, digest.json, report.html and story.json (written last: the
story's fingerprint, its figures and its time), ``index.json`` and ``index.html`` (rebuilt from every story.json
after each story, so processes writing to the same folder never drop each other's entries).

Resumable: a story whose story.json carries the fingerprint of its current articles is not digested again; every
file is written atomically, so an interruption loses nothing already written. Several processes can share a store
and an output folder: a story being written holds a lock file (``.<id>.lock``, an OS file lock), and others skip it.
Several machines split the work without a coordinator by ``shard`` (K of N): a story belongs to shard
``int(sha1(id)[:8], 16) % N + 1``, the same everywhere because story ids are.

Workers (``workers`` > 1) are processes: with the local backend each loads its own model and gets
``cores // workers`` llama.cpp threads; with the API backend they share the endpoint.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from pydantic import BaseModel, Field

from digest_core.files import write_atomic
from digest_core.locks import LockBusy, acquire
from digest_core.progress import SILENT, Progress
from digest_core.version import SCHEMA_VERSION

from .config import Settings
from .records import Story


@dataclass
class BatchOptions:
    out: Path
    workers: int = 1
    min_size: int = 2
    max_sentences: int | None = None  # None: as `digest run`, what the material warrants
    shard: tuple[int, int] | None = None  # (K, N): this process does shard K of N (1-based)


class StoryResult(BaseModel):
    id: str
    title: str
    size: int
    sources: list[str]
    digest: str | None = None  # its digest.json, relative to the output folder
    faithfulness: float | None = None
    coverage: float | None = None
    seconds: float = 0.0
    fingerprint: str = Field("", exclude=True)
    status: str = Field("written", exclude=True)  # written | unchanged | busy | failed
    error: str | None = Field(None, exclude=True)


class BatchIndex(BaseModel):
    schema_version: str = SCHEMA_VERSION
    stories: list[StoryResult]


def parse_shard(text: str) -> tuple[int, int]:
    try:
        k, n = (int(x) for x in text.split("/"))
    except ValueError:
        raise ValueError(f"--shard {text!r}: give K/N, e.g. 1/4") from None
    if not (n >= 1 and 1 <= k <= n):
        raise ValueError(f"--shard {text!r}: K must be between 1 and N")
    return k, n


def in_shard(story_id: str, shard: tuple[int, int] | None) -> bool:
    if shard is None:
        return True
    k, n = shard
    return int(hashlib.sha1(story_id.encode()).hexdigest()[:8], 16) % n == k - 1


def _done(out: Path, story: Story) -> StoryResult | None:
    """The recorded result when this story's folder already holds a digest of its current articles."""
    try:
        recorded = json.loads((out / story.id / "story.json").read_text())
    except (OSError, ValueError):
        return None
    if recorded.get("fingerprint") != story.fingerprint or not (out / story.id / "digest.json").is_file():
        return None
    return StoryResult(**{**recorded, "status": "unchanged"})


# --- one story, in whichever process runs it ---------------------------------------------------------

_WORKER: dict = {}


def _plain_settings(settings: Settings) -> dict:
    """The settings a worker process rebuilds from: everything but secrets and aliased fields, which it reads from
    the environment and .env as its parent did (a secret never crosses a pipe or lands in a pickle)."""
    from pydantic import SecretStr

    fields = type(settings).model_fields
    return {k: v for k, v in settings.model_dump(mode="json").items()
            if not isinstance(getattr(settings, k), SecretStr) and fields[k].validation_alias is None}


def _init_worker(plain: dict, threads: int | None) -> None:
    if threads:
        os.environ["DIGEST_LLAMA_THREADS"] = str(threads)
    settings = Settings(**plain)
    if threads and settings.llama_threads is None:
        settings = settings.model_copy(update={"llama_threads": threads})
    _WORKER.update(settings=settings, store=None, backend=None)


def _digest_story(story: Story, out: Path, max_sentences: int | None) -> StoryResult:
    from .pipeline import RunOptions, build_backend, run_digest
    from .render import write_digest
    from .stores import open_configured_store

    base = StoryResult(id=story.id, title=story.title, size=story.size, sources=story.documents,
                       fingerprint=story.fingerprint)
    out.mkdir(parents=True, exist_ok=True)
    try:
        held = acquire(out / f".{story.id}.lock", wait=0)
    except LockBusy:
        return base.model_copy(update={"status": "busy"})
    with held:
        if (done := _done(out, story)) is not None:  # another process finished it while we waited
            return done
        started = time.perf_counter()
        try:
            settings = _WORKER["settings"]
            if _WORKER.get("store") is None:
                _WORKER["store"] = open_configured_store(settings)
            if _WORKER.get("backend") is None:
                _WORKER["backend"] = build_backend(settings)
            digest = run_digest([], settings, options=RunOptions(story=story, max_sentences=max_sentences,
                                                                 seed=settings.seed, report=True),
                                store=_WORKER["store"], backend=_WORKER["backend"])
            write_digest(digest, out / story.id)
        except Exception as exc:  # noqa: BLE001 - one story's failure never stops the batch
            message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            return base.model_copy(update={"status": "failed", "error": message[:300]})
        summary = digest.evaluation.summary if digest.evaluation is not None else None
        result = base.model_copy(update={
            "digest": f"{story.id}/digest.json", "seconds": round(time.perf_counter() - started, 2),
            "faithfulness": None if summary is None else round(summary.faithfulness, 4),
            "coverage": None if summary is None or summary.coverage is None else round(summary.coverage, 4)})
        write_atomic(out / story.id / "story.json",
                     json.dumps({**result.model_dump(mode="json"), "fingerprint": story.fingerprint}, indent=2) + "\n")
        return result


# --- the index -----------------------------------------------------------------------------------


def write_index(out: Path) -> BatchIndex:
    """index.json and index.html from every finished story folder (under a lock: processes share the folder)."""
    out.mkdir(parents=True, exist_ok=True)
    with acquire(out / ".index.lock"):
        results = []
        for marker in sorted(out.glob("*/story.json")):
            try:
                results.append(StoryResult(**json.loads(marker.read_text())))
            except (OSError, ValueError):
                continue
        results.sort(key=lambda r: (-r.size, r.id))
        index = BatchIndex(stories=results)
        write_atomic(out / "index.json", json.dumps(index.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n")
        write_atomic(out / "index.html", index_html(index))
    return index


def _figure(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def index_html(index: BatchIndex) -> str:
    """One self-contained page (no script, no request) linking every story's report and digest."""
    rows = []
    for r in index.stories:
        sid = html.escape(r.id)
        rows.append(
            f'<tr><td><a href="{sid}/report.html">{html.escape(r.title)}</a><div class="src">'
            f'{html.escape(", ".join(r.sources))}</div></td><td>{r.size}</td><td>{_figure(r.faithfulness)}</td>'
            f'<td>{_figure(r.coverage)}</td><td>{r.seconds:.1f}</td>'
            f'<td><a href="{sid}/digest.md">md</a> · <a href="{sid}/digest.json">json</a></td></tr>')
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Story digests</title>
<style>
body{{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:70rem;padding:0 1rem;color:#222}}
table{{border-collapse:collapse;width:100%}} th,td{{text-align:left;padding:.45rem .5rem;border-bottom:1px solid #ddd;
vertical-align:top}} th{{font-weight:600;background:#f5f5f5}} td:nth-child(n+2){{white-space:nowrap}}
.src{{color:#666;font-size:12px;margin-top:.2rem}} a{{color:#0645ad}}
</style></head><body>
<h1>Story digests</h1>
<p>{len(index.stories)} stories. Faithfulness: the evaluator's mean score of each digest's sentences against its
sources; coverage: the share of the sources' salient claims the digest carries.</p>
<table><thead><tr><th>Story</th><th>Articles</th><th>Faithfulness</th><th>Coverage</th><th>Seconds</th><th>Files</th>
</tr></thead><tbody>
{chr(10).join(rows)}
</tbody></table></body></html>
"""


# --- the batch -----------------------------------------------------------------------------------


def run_batch(settings: Settings, options: BatchOptions, *, store=None, progress: Progress = SILENT,
              on_result: Callable[[StoryResult], None] | None = None) -> list[StoryResult]:
    """Digest every story (of ``min_size``+ articles, in this shard) whose folder is missing or out of date."""
    from .corpus import find_stories
    from .stores import open_configured_store

    store = store or open_configured_store(settings)
    grouping = find_stories(store, min_size=options.min_size, lock_dir=settings.lock_dir,
                            lock_timeout=settings.lock_timeout, progress=progress)
    mine = [s for s in grouping.stories if in_shard(s.id, options.shard)]
    results: list[StoryResult] = []
    todo: list[Story] = []
    for story in mine:
        done = _done(options.out, story)
        if done is not None:
            results.append(done)
        else:
            todo.append(story)
    progress.start("digesting stories", len(todo))

    def finish(result: StoryResult) -> None:
        results.append(result)
        write_index(options.out)
        if on_result:
            on_result(result)
        progress.advance()

    if options.workers <= 1 or len(todo) <= 1:
        _WORKER.update(settings=settings, store=store, backend=None)
        for story in todo:
            finish(_digest_story(story, options.out, options.max_sentences))
    else:
        import multiprocessing

        threads = None
        if settings.backend == "local" and settings.llama_threads is None:
            threads = max(1, (os.cpu_count() or 2) // options.workers)
        with ProcessPoolExecutor(max_workers=options.workers, mp_context=multiprocessing.get_context("spawn"),
                                 initializer=_init_worker, initargs=(_plain_settings(settings), threads)) as pool:
            futures = [pool.submit(_digest_story, story, options.out, options.max_sentences) for story in todo]
            for future in as_completed(futures):
                finish(future.result())
    write_index(options.out)
    order = {s.id: i for i, s in enumerate(mine)}
    return sorted(results, key=lambda r: order.get(r.id, 0))
