"""The digest commands: ingest, run, stories, batch."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from .common import UserError, app, bar, err, escape, friendly, out, print_json, report_problems, settings


@app.command()
@friendly
def ingest(
    paths: list[Path] = typer.Argument(..., help="files or folders (.txt, .md, .html)"),
    store: Optional[Path] = typer.Option(None, "--store", help="embedded store directory", show_default=".digest"),
    chroma_url: Optional[str] = typer.Option(None, "--chroma-url", help="Chroma server URL, e.g. http://127.0.0.1:8000 or "
                                             "https://chroma.example (token: DIGEST_CHROMA_TOKEN)"),
    as_json: bool = typer.Option(False, "--json", help="print the result as JSON"),
    quiet: bool = typer.Option(False, "--quiet", "-q"),
) -> None:
    """Clean, split and index documents into the passage store."""
    from ..ingest import ingest as run_ingest
    from ..stores import open_configured_store

    cfg = settings(store=store, chroma_url=chroma_url, quiet=quiet or None)
    passage_store = open_configured_store(cfg)
    with bar(cfg.quiet or as_json) as progress:
        result, _ = run_ingest(
            paths,
            passage_store,
            max_bytes=int(cfg.max_file_mb * 1024 * 1024),
            lock_dir=cfg.lock_dir,
            lock_timeout=cfg.lock_timeout,
            progress=progress,
        )
    report_problems(result.skipped, result.warnings)
    if as_json:
        print_json(result.model_dump(mode="json"))
    elif not cfg.quiet:
        out.print(
            f"{result.documents} documents, {result.chunks_added} passages added, "
            f"{result.chunks_total} in {escape(passage_store.description)}"
        )
    if result.documents == 0:
        err.print("[red]error:[/red] nothing usable to ingest")
        raise typer.Exit(1)


@app.command()
@friendly
def run(
    paths: Optional[list[Path]] = typer.Argument(None, help="files or folders with articles about one story; none: "
                                                 "work on the store (--story or --query)"),
    out_dir: Optional[Path] = typer.Option(None, "--out", help="output folder", show_default="./digest-out"),
    query: Optional[str] = typer.Option(None, "--query", help="focus the digest on this question; with no paths, "
                                        "digest what it retrieves from the whole store"),
    story: Optional[str] = typer.Option(None, "--story", help="with no paths: digest this story (digest stories)"),
    max_sentences: Optional[int] = typer.Option(None, "--max-sentences", min=1, max=40,
                                                 help="at most this many sentences (default: what the material warrants)"),
    max_words: Optional[int] = typer.Option(None, "--max-words", min=10, max=2000, help="at most about this many words"),
    mode: str = typer.Option("claims", "--mode", help="claims (default: one checked sentence per claim, safe for "
                             "small models) or abstractive (a capable model writes the digest with \\[n] markers)"),
    backend: Optional[str] = typer.Option(None, "--backend", help="local (llama.cpp, default) or openai"),
    model: Optional[Path] = typer.Option(None, "--model", help="GGUF file for the local backend"),
    api_model: Optional[str] = typer.Option(None, "--api-model", help="model name for the API backend"),
    offline: bool = typer.Option(False, "--offline", help="refuse anything that needs the network"),
    store: Optional[Path] = typer.Option(None, "--store", help="embedded store directory", show_default=".digest"),
    chroma_url: Optional[str] = typer.Option(None, "--chroma-url", help="Chroma server URL"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="no progress, no summary line"),
    no_cache: bool = typer.Option(False, "--no-cache", help="call the model even for prompts answered before"),
) -> None:
    """Write a short neutral digest in which every sentence cites its sources."""
    if mode not in ("claims", "abstractive"):
        raise UserError(f"--mode {mode!r}: choose claims or abstractive")
    from ..corpus import UnknownStory
    from ..pipeline import NothingUsable, RunOptions, run_digest
    from ..render import write_digest

    if paths and story:
        raise UserError("--story digests a story of the store: give it without paths")

    cfg = settings(
        out=out_dir, backend=backend, model=model, api_model=api_model, offline=offline or None,
        store=store, chroma_url=chroma_url, quiet=quiet or None, no_cache=no_cache or None,
    )
    with bar(cfg.quiet) as progress:
        try:
            options = RunOptions(query=query, story=story, max_sentences=max_sentences, max_words=max_words,
                                 seed=cfg.seed, mode=mode, report=True)
            digest = run_digest(paths or [], cfg, options=options, progress=progress)
        except UnknownStory as exc:
            raise UserError(str(exc)) from None
        except NothingUsable as exc:  # bad input, not a failure of the tool: exit 1, as `ingest` does
            err.print(f"[red]error:[/red] {escape(str(exc))}")
            raise typer.Exit(1)
        except ValueError as exc:
            raise UserError(str(exc)) from None
    for warning in digest.warnings:
        err.print(f"[yellow]warning[/yellow] {escape(warning)}")
    written = write_digest(digest, cfg.out)
    if not cfg.quiet:
        origins = {o: sum(s.origin == o for s in digest.sentences) for o in ("generated", "rewritten", "extracted")}
        out.print(
            f"{len(digest.sentences)} sentences ({origins['generated']} generated, {origins['rewritten']} rewritten, "
            f"{origins['extracted']} extracted) from {len(digest.sources)} sources in {digest.timings.get('total', 0):.1f}s"
        )
        out.print("wrote " + ", ".join(escape(str(p)) for p in written.values()))


@app.command()
@friendly
def stories(
    store: Optional[Path] = typer.Option(None, "--store", help="embedded store directory", show_default=".digest"),
    chroma_url: Optional[str] = typer.Option(None, "--chroma-url", help="Chroma server URL"),
    as_json: bool = typer.Option(False, "--json", help="print the stories as JSON"),
    min_size: int = typer.Option(2, "--min-size", min=1, help="smaller groups are listed as unassigned"),
    quiet: bool = typer.Option(False, "--quiet", "-q"),
) -> None:
    """Group every article in the store into stories (articles about the same event)."""
    from ..corpus import find_stories
    from ..stores import open_configured_store

    cfg = settings(store=store, chroma_url=chroma_url, quiet=quiet or None)
    with bar(cfg.quiet or as_json) as progress:
        grouping = find_stories(open_configured_store(cfg), min_size=min_size,
                                lock_dir=cfg.lock_dir, lock_timeout=cfg.lock_timeout,
                                progress=progress)
    if as_json:
        print_json(grouping.model_dump(mode="json"))
        return
    for story in grouping.stories:
        out.print(f"{story.id}  {story.size:>3}  {escape(story.title)}")
    out.print(f"{len(grouping.stories)} stories of {min_size}+ articles, {len(grouping.unassigned)} articles unassigned")


@app.command()
@friendly
def batch(
    out_dir: Path = typer.Option(..., "--out", help="output folder: one folder per story, index.json, index.html"),
    store: Optional[Path] = typer.Option(None, "--store", help="embedded store directory", show_default=".digest"),
    chroma_url: Optional[str] = typer.Option(None, "--chroma-url", help="Chroma server URL"),
    workers: int = typer.Option(1, "--workers", min=1, max=64, help="stories digested at once (processes)"),
    min_size: int = typer.Option(2, "--min-size", min=1, help="digest stories of at least this many articles"),
    shard: Optional[str] = typer.Option(None, "--shard", help="K/N: only the stories of shard K of N (several "
                                        "machines sharing a store and endpoint)"),
    max_sentences: Optional[int] = typer.Option(None, "--max-sentences", min=1, max=40,
                                                 help="at most this many sentences per digest (default: as digest run)"),
    backend: Optional[str] = typer.Option(None, "--backend", help="local (llama.cpp, default) or openai"),
    model: Optional[Path] = typer.Option(None, "--model", help="GGUF file for the local backend"),
    api_model: Optional[str] = typer.Option(None, "--api-model", help="model name for the API backend"),
    offline: bool = typer.Option(False, "--offline", help="refuse anything that needs the network"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="no progress, no per-story lines"),
    no_cache: bool = typer.Option(False, "--no-cache", help="call the model even for prompts answered before"),
) -> None:
    """A digest of every story in the store, resumable: stories whose articles did not change are skipped."""
    from ..batch import BatchOptions, parse_shard, run_batch

    try:
        shard_k_n = parse_shard(shard) if shard else None
    except ValueError as exc:
        raise UserError(str(exc)) from None
    cfg = settings(backend=backend, model=model, api_model=api_model, offline=offline or None, store=store,
                   chroma_url=chroma_url, quiet=quiet or None, no_cache=no_cache or None)

    def failed(result) -> None:
        if result.status == "failed":
            err.print(f"[yellow]warning[/yellow] story {escape(result.id)} skipped: {escape(result.error or '')}")

    with bar(cfg.quiet) as progress:
        results = run_batch(cfg, BatchOptions(out=out_dir, workers=workers, min_size=min_size,
                                              max_sentences=max_sentences, shard=shard_k_n),
                            progress=progress, on_result=failed)
    if not cfg.quiet:
        for r in results:
            figures = "" if r.faithfulness is None else f"faithfulness {r.faithfulness:.2f}  "
            out.print(f"{r.status:<9} {r.id}  {r.size:>3} articles  {figures}{r.seconds:6.1f}s  {escape(r.title)}")
        counts = {s: sum(r.status == s for r in results) for s in ("written", "unchanged", "busy", "failed")}
        out.print(f"{len(results)} stories: " + ", ".join(f"{n} {s}" for s, n in counts.items() if n)
                  + f"; index at {escape(str(out_dir / 'index.html'))}")
