"""One settings class: flags override environment (DIGEST_*), which overrides `.env`."""

from __future__ import annotations

from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from .credentials import SettingError, parse_headers, remember


class Settings(BaseSettings):
    # env_ignore_empty: `DIGEST_MODEL=` (as in .env.example) means "not set", not an empty path or number
    model_config = SettingsConfigDict(env_prefix="DIGEST_", env_file=".env", extra="ignore", populate_by_name=True,
                                      env_ignore_empty=True)

    store: Path = Field(Path(".digest"), description="embedded Chroma store directory")
    chroma_url: str | None = Field(None, description="use a Chroma server (https://host:port or http://host:port) "
                                                     "instead of the embedded store")
    # Secrets are SecretStr: shown as '**********' by repr() and str(), registered for redaction.
    chroma_token: SecretStr | None = Field(None, description="sent to the Chroma server as Authorization: Bearer <token>")
    chroma_headers: SecretStr | None = Field(None, description='extra headers for the Chroma server, a JSON object '
                                                               '({"X-Api-Key": "..."})')
    collection: str = Field("digest-passages", description="Chroma collection name")

    backend: Literal["local", "openai"] = "local"
    model: Path | None = Field(None, description="GGUF file for the local backend (default: bundled SmolLM2-135M)")
    llama_threads: int | None = Field(None, description="CPU threads for llama.cpp (default: the cores other processes leave idle)")
    models_dir: Path | None = Field(None, description="folder of extra GGUF files listed by `digest models`")
    api_model: str = Field("gpt-4o-mini", description="model name for the OpenAI-compatible backend")
    openai_api_key: SecretStr | None = Field(None, validation_alias=AliasChoices("OPENAI_API_KEY", "DIGEST_OPENAI_API_KEY"))
    openai_base_url: str | None = Field(None, validation_alias=AliasChoices("OPENAI_BASE_URL", "DIGEST_OPENAI_BASE_URL"))
    openai_headers: SecretStr | None = Field(None, description="extra headers for the OpenAI-compatible endpoint, "
                                                               "a JSON object (gateways that need them)")
    ca_bundle: Path | None = Field(None, description="PEM file of the certificate authorities trusted for https to "
                                                     "the Chroma server and the API endpoint (default: certifi's)")
    api_timeout: float = Field(60.0, description="seconds per API request")
    api_retries: int = Field(3, description="retries on 429/5xx/connection errors")
    offline: bool = Field(False, description="refuse anything that needs the network")

    out: Path = Field(Path("digest-out"), description="output folder of `digest run`")
    max_file_mb: float = Field(5.0, description="files larger than this are truncated, with a warning")
    lock_timeout: float = Field(120.0, description="seconds a second writer waits for the embedded store, then gives up")
    seed: int = 0
    temperature: float = 0.0
    rewrite: bool | None = Field(None, description="rewrite a sentence that fails its check once, naming the failure, "
                                                   "before extracting a source sentence, and ask again for an answer "
                                                   "that is not the JSON asked for (default: off for the bundled "
                                                   "135M model, whose second attempts were never used when measured; "
                                                   "on for others)")
    cache_dir: Path | None = Field(None, description="LLM response cache (default: <store>/llm-cache)")
    no_cache: bool = False
    cache_max_mb: float = Field(256, gt=0, description="size cap of the LLM cache; least recently used entries go first")
    quiet: bool = False

    def model_post_init(self, _context) -> None:
        remember(self.api_key(), _secret(self.chroma_token), _secret(self.chroma_headers), _secret(self.openai_headers),
                 *(_url_password(u) for u in (self.chroma_url, self.openai_base_url)))
        for raw in (self.chroma_headers, self.openai_headers):
            try:
                remember(*parse_headers(_secret(raw), "headers").values())
            except SettingError:
                pass  # reported, with the setting's name, when the headers are used (check_credentials)

    @property
    def rewrites(self) -> bool:
        """Whether the guard asks the model for a second attempt (see ``rewrite``)."""
        if self.rewrite is not None:
            return self.rewrite
        return not (self.backend == "local" and self.model is None)

    @property
    def lock_dir(self) -> Path | None:
        """Where processes sharing the embedded store take their file locks; none for a Chroma server."""
        return None if self.chroma_url else self.store

    def api_key(self) -> str | None:
        return _secret(self.openai_api_key)

    def chroma_request_headers(self) -> dict[str, str]:
        """Headers for every request to the Chroma server: the token as a bearer token, then DIGEST_CHROMA_HEADERS
        (which may replace it)."""
        token = _secret(self.chroma_token)
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        headers.update(parse_headers(_secret(self.chroma_headers), "DIGEST_CHROMA_HEADERS"))
        return headers

    def openai_request_headers(self) -> dict[str, str]:
        """Extra headers for every request to the OpenAI-compatible endpoint (DIGEST_OPENAI_HEADERS)."""
        return parse_headers(_secret(self.openai_headers), "DIGEST_OPENAI_HEADERS")

    def check_credentials(self) -> None:
        """Fail now, in one line naming the setting, if a header setting or the CA bundle is unusable."""
        self.chroma_request_headers()
        self.openai_request_headers()
        if self.ca_bundle is not None and not self.ca_bundle.is_file():
            raise SettingError(f"DIGEST_CA_BUNDLE {self.ca_bundle} is not a file (a PEM file of certificate authorities)")


def _secret(value: SecretStr | None) -> str | None:
    return value.get_secret_value() if value is not None else None


def _url_password(url: str | None) -> str | None:
    try:
        return urlsplit(url).password if url else None
    except ValueError:
        return None
