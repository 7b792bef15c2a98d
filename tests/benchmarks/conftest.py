from __future__ import annotations

import pytest

from evals import Scorer


@pytest.fixture(scope="session")
def scorer() -> Scorer:
    return Scorer()  # the real MiniLM embedder and the fitted judge
