"""pytest plugin: a shared scorer and an ``assert_faithful`` fixture for other projects' tests.

Enable it with ``pytest_plugins = ["evals.pytest_plugin"]`` in a conftest.py, then::

    def test_my_summary(assert_faithful):
        assert_faithful(summary_text, [Path("a.txt")], min_faithfulness=0.6)
"""

from __future__ import annotations

from functools import partial
from typing import Callable

import pytest

from evals.scorer import Scorer
from evals.testing import assert_faithful as _assert_faithful


@pytest.fixture(scope="session")
def faithfulness_scorer() -> Scorer:
    """One scorer per session: the embedder loads once and sources are embedded once."""
    return Scorer()


@pytest.fixture
def assert_faithful(faithfulness_scorer: Scorer) -> Callable:
    return partial(_assert_faithful, scorer=faithfulness_scorer)
