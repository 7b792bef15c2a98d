"""One settings class: flags override environment (DIGEST_*), which overrides `.env`."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    # env_ignore_empty: `DIGEST_MODEL=` (as in .env.example) means "not set", not an empty path or number
    model_config = SettingsConfigDict(env_prefix="DIGEST_", env_file=".env", extra="ignore", populate_by_name=True,
                                      env_ignore_empty=True)

    store: Path = Field(Path(".digest"), description="embedded Chroma store directory")
    chroma_url: str | None = Field(None, description="use a Chroma server (http://host:port) instead of the embedded store")
    collection: str = Field("digest-passages", description="Chroma collection name")

    backend: Literal["local", "openai"] = "local"
    model: Path | None = Field(None, description="GGUF file for the local backend (default: bundled SmolLM2-135M)")
    llama_threads: int | None = Field(None, description="CPU threads for llama.cpp (default: the cores other processes leave idle)")
    models_dir: Path | None = Field(None, description="folder of extra GGUF files listed by `digest models`")
    api_model: str = Field("gpt-4o-mini", description="model name for the OpenAI-compatible backend")
    openai_api_key: str | None = Field(None, validation_alias=AliasChoices("OPENAI_API_KEY", "DIGEST_OPENAI_API_KEY"))
    openai_base_url: str | None = Field(None, validation_alias=AliasChoices("OPENAI_BASE_URL", "DIGEST_OPENAI_BASE_URL"))
    api_timeout: float = Field(60.0, description="seconds per API request")
    api_retries: int = Field(3, description="retries on 429/5xx/connection errors")
    offline: bool = Field(False, description="refuse anything that needs the network")

    out: Path = Field(Path("digest-out"), description="output folder of `digest run`")
    max_file_mb: float = Field(5.0, description="files larger than this are truncated, with a warning")
    lock_timeout: float = Field(120.0, description="seconds a second writer waits for the embedded store, then gives up")
    seed: int = 0
    temperature: float = 0.0
    cache_dir: Path | None = Field(None, description="LLM response cache (default: <store>/llm-cache)")
    no_cache: bool = False
    cache_max_mb: float = Field(256, gt=0, description="size cap of the LLM cache; least recently used entries go first")
    quiet: bool = False
