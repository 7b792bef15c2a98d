from __future__ import annotations

from pathlib import Path

import pytest

from evals import Scorer, SourceText

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def scorer() -> Scorer:
    return Scorer()  # the real MiniLM embedder and the fitted judge


@pytest.fixture(scope="session")
def source_paths() -> list[Path]:
    return [DATA / "harbor_times.txt", DATA / "coastal_post.txt"]


@pytest.fixture(scope="session")
def sources(source_paths: list[Path]) -> list[SourceText]:
    return [SourceText(name=p.name, text=p.read_text(encoding="utf-8")) for p in source_paths]
