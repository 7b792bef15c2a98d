"""evals.score_summary takes sources as the CLI does (files, folders) and as text."""

from __future__ import annotations

import pytest

from evals import score_summary
from evals.sources import as_sources

GOOD = "The Port City council voted 7 to 2 on Tuesday to approve a new bridge."


def test_raw_text_files_and_folders_are_sources(scorer, source_paths, sources):
    folder = source_paths[0].parent
    from_text = score_summary(GOOD, [s.text for s in sources], scorer=scorer)
    from_paths = score_summary(GOOD, [str(p) for p in source_paths], scorer=scorer)
    assert from_text.summary.faithfulness == from_paths.summary.faithfulness
    assert from_text.sources == ["source 1", "source 2"]
    assert {"harbor_times.txt", "coastal_post.txt"} <= set(score_summary(GOOD, folder, scorer=scorer).sources)
    assert from_paths.sentences[0].verdict == "supported"


def test_a_missing_path_and_an_empty_folder_are_named(tmp_path):
    with pytest.raises(FileNotFoundError, match="nowhere.txt"):
        as_sources([tmp_path / "nowhere.txt"])
    with pytest.raises(ValueError, match="no .txt or .md file"):
        as_sources([tmp_path])
