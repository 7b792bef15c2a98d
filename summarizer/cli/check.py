"""What is installed and what the tool writes: models, schema, doctor."""

from __future__ import annotations

import typer

from .common import UserError, app, err, escape, friendly, out, print_json, settings


@app.command()
@friendly
def models(as_json: bool = typer.Option(False, "--json", help="print the list as JSON")) -> None:
    """List the bundled model and the GGUF files in DIGEST_MODELS_DIR, with size and context length."""
    from ..doctor import list_models

    found = list_models(settings())
    if as_json:
        from digest_core.version import SCHEMA_VERSION

        print_json({"schema_version": SCHEMA_VERSION, "models": [
            {"name": m.name, "path": str(m.path), "size_bytes": m.size_bytes, "bundled": m.bundled,
             "context_length": m.context_length, "problem": m.problem} for m in found]})
        return
    width = max(len(m.name) for m in found) + 11
    out.print(f"{'model':<{width}} {'size':>8} {'context':>8}  path")
    for m in found:
        size = f"{m.size_bytes / 2**20:.0f} MiB" if m.size_bytes >= 2**20 else f"{m.size_bytes} B"
        name = m.name + (" (bundled)" if m.bundled else "")
        context = "?" if m.context_length is None else str(m.context_length)
        line = f"{escape(name):<{width}} {size:>8} {context:>8}  {escape(str(m.path))}"
        out.print(line + (f"  [red]{escape(m.problem)}[/red]" if m.problem else ""))


@app.command()
@friendly
def schema(
    document: str = typer.Argument("report", help="report (digest eval --json), cases (digest eval --cases --json) "
                                   "or digest (digest.json)"),
) -> None:
    """Print the JSON Schema of an output document; every JSON the tool writes carries its schema_version."""
    from ..schema import DOCUMENTS, json_schema

    if document not in DOCUMENTS:
        raise UserError(f"schema {document!r}: choose {', '.join(DOCUMENTS)}")
    print_json(json_schema(document))


@app.command()
@friendly
def doctor() -> None:
    """Check the setup (model files and hashes, store, API backend) and say what to fix."""
    from ..doctor import run_checks

    checks = run_checks(settings())
    for check in checks:
        mark = "[green]ok[/green]  " if check.ok else "[red]FAIL[/red]"
        out.print(f"{mark} {escape(check.name)}: {escape(check.detail)}")
        if not check.ok and check.fix:
            out.print(f"      fix: {escape(check.fix)}")
    broken = sum(not c.ok for c in checks)
    if broken:
        err.print(f"[red]{broken} problem{'s' * (broken > 1)} found[/red]")
        raise typer.Exit(1)
    out.print("everything needed is in place")
