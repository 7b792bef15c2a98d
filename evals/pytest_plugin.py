"""pytest plugin: an ``assert_faithful`` fixture for any project's tests, and a summary of failing sentences.

Installed with the package, it registers itself through the ``pytest11`` entry point (no conftest
line needed)::

    def test_my_summary(assert_faithful):
        assert_faithful(summary_text, [Path("a.txt")])              # threshold from --faithfulness-min
        assert_faithful(summary_text, sources, min_faithfulness=0.7, min_coverage=0.5)

``--faithfulness-min X`` (default 0.6) is the threshold when a test gives none; ``--coverage-min X``
also requires the summary to carry that share of the sources' salient claims. The scorer loads once
per session, on first use; nothing is imported from the judge until a test asks for the fixture.
"""

from __future__ import annotations

from typing import Callable

import pytest

DEFAULT_MIN = 0.6
_FAILURES = pytest.StashKey[list]()


def _fraction(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise pytest.UsageError(f"expected a number between 0 and 1, got {value!r}") from None
    if not 0.0 <= number <= 1.0:
        raise pytest.UsageError(f"expected a number between 0 and 1, got {value!r}")
    return number


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("faithfulness", "faithfulness of summaries (digest's evals)")
    group.addoption("--faithfulness-min", type=_fraction, default=None, metavar="X",
                    help=f"assert_faithful's threshold when a test gives none (default {DEFAULT_MIN})")
    group.addoption("--coverage-min", type=_fraction, default=None, metavar="X",
                    help="assert_faithful also fails when coverage of the sources' salient claims is below X")


def pytest_configure(config: pytest.Config) -> None:
    config.stash[_FAILURES] = []


@pytest.fixture(scope="session")
def faithfulness_scorer():
    """One scorer per session: the embedder loads once and sources are embedded once."""
    from evals.scorer import Scorer

    return Scorer()


@pytest.fixture
def assert_faithful(request: pytest.FixtureRequest, faithfulness_scorer) -> Callable:
    from evals.testing import FaithfulnessError, assert_faithful as check

    config = request.config
    default_min = config.getoption("--faithfulness-min")
    default_coverage = config.getoption("--coverage-min")

    def run(summary, sources, min_faithfulness: float | None = None, *, min_coverage: float | None = None, **kwargs):
        try:
            return check(summary, sources, DEFAULT_MIN if min_faithfulness is None and default_min is None
                         else (min_faithfulness if min_faithfulness is not None else default_min),
                         min_coverage=min_coverage if min_coverage is not None else default_coverage,
                         scorer=faithfulness_scorer, **kwargs)
        except FaithfulnessError as exc:
            config.stash[_FAILURES].append((request.node.nodeid, str(exc)))
            raise

    return run


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    failures = config.stash.get(_FAILURES, [])
    if not failures:
        return
    terminalreporter.section("faithfulness: sentences that failed", sep="=", red=True, bold=True)
    for nodeid, message in failures:
        terminalreporter.write_line(nodeid, red=True, bold=True)
        for line in message.splitlines():
            terminalreporter.write_line("  " + line)


