import json

from evals.parse import load_summary, parse_digest_json, parse_text


def test_markdown_markers_before_and_after_full_stop_resolve_through_sources():
    summary = parse_text(
        "# Harbour bridge\n\n"
        "The council approved the bridge on Tuesday [1]. It will cost $240 million.[1][2] "
        "Ferry operators object [1, 2]. Environmental groups asked for protection.\n\n"
        "## Sources\n[1] harbor_times.txt\n- [2] coastal_post.txt\n"
    )
    assert [s.text for s in summary.sentences] == [
        "The council approved the bridge on Tuesday.",
        "It will cost $240 million.",
        "Ferry operators object.",
        "Environmental groups asked for protection.",
    ]
    assert [s.citations for s in summary.sentences] == [[1], [1, 2], [1, 2], []]
    assert summary.sources == ["harbor_times.txt", "coastal_post.txt"]
    assert summary.has_citations and summary.title == "Harbour bridge"


def test_colon_style_source_lines_and_abbreviations_stay_in_one_sentence():
    summary = parse_text("Gen. Smith met U.S. officials in Washington [1]. Talks ended [2].\n\nSources:\n[1]: a.txt\n[2]: b.txt\n")
    assert [s.text for s in summary.sentences] == ["Gen. Smith met U.S. officials in Washington.", "Talks ended."]
    assert summary.sources == ["a.txt", "b.txt"]


def test_plain_text_without_markers_has_no_citations():
    summary = load_summary("The council approved a bridge. It will open in 2027.")
    assert not summary.has_citations
    assert len(summary.sentences) == 2 and all(s.citations == [] for s in summary.sentences)


def test_digest_json_maps_source_names_to_numbers(tmp_path):
    data = {
        "title": "Bridge",
        "sentences": [
            {"text": "The council approved the bridge.", "citations": [{"source": "b.txt", "quote": "..."}]},
            {"text": "It costs $240 million.", "citations": [{"source": "a.txt"}, {"source": "b.txt"}]},
        ],
        "sources": [{"name": "a.txt", "title": "A"}, {"name": "b.txt"}],
    }
    path = tmp_path / "digest.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    summary = load_summary(path)
    assert summary == parse_digest_json(data)
    assert [s.citations for s in summary.sentences] == [[2], [1, 2]]
    assert summary.sources == ["a.txt", "b.txt"] and summary.title == "Bridge"
