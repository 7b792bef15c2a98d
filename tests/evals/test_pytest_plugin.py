import pytest

from evals.testing import FaithfulnessError

pytest_plugins = ["pytester"]


def test_plugin_fixture_passes_a_faithful_summary_and_fails_a_wrong_one(pytester, source_paths):
    pytester.makeconftest('pytest_plugins = ["evals.pytest_plugin"]')
    paths = ", ".join(f"r'{p}'" for p in source_paths)
    pytester.makepyfile(f"""
        from pathlib import Path
        SOURCES = [Path(p) for p in ({paths},)]

        def test_good(assert_faithful):
            assert_faithful("The Port City council voted 7 to 2 on Tuesday to approve a new bridge.", SOURCES, 0.5)

        def test_bad(assert_faithful):
            assert_faithful("The Port City council voted 3 to 6 on Friday to reject the bridge.", SOURCES, 0.5)
    """)
    result = pytester.runpytest_inprocess("-q", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=1)
    assert FaithfulnessError.__name__ in result.stdout.str()
