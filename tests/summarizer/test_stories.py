"""Story grouping with the real embedded store: similar events stay apart, copies stay together, ids are stable,
new articles extend or add stories without regrouping the old ones; and `digest stories` as a user runs it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from summarizer.corpus import _article_vector, find_stories, search
from summarizer.ingest import ingest
from summarizer.stores import open_store

from ..conftest import run_cli
from .corpus_data import FEED, LATER, STORIES, UNASSIGNED, write_feed


@pytest.fixture(scope="module")
def grouped(tmp_path_factory):
    work = tmp_path_factory.mktemp("stories")
    feed = write_feed(work / "feed")
    store = open_store(work / "store")
    ingest([feed], store)
    return work, store, find_stories(store)


def test_similar_events_stay_apart_and_copies_stay_together(grouped):
    _, _, grouping = grouped
    assert {frozenset(s.documents) for s in grouping.stories} == {frozenset(s) for s in STORIES}
    assert set(grouping.unassigned) == UNASSIGNED
    for story in grouping.stories:
        assert story.size == len(story.documents) and story.title
        assert story.title in {FEED[d].splitlines()[0].removeprefix("Title: ") for d in story.documents}


def test_ids_stay_the_same_while_the_articles_do(grouped):
    _, store, grouping = grouped
    again = find_stories(store)
    assert [(s.id, s.documents) for s in again.stories] == [(s.id, s.documents) for s in grouping.stories]


def test_new_articles_extend_or_add_stories_and_the_rest_is_kept(tmp_path: Path):
    feed = write_feed(tmp_path / "feed")
    store = open_store(tmp_path / "store")
    ingest([feed], store)
    before = {frozenset(s.documents): s.id for s in find_stories(store).stories}
    ingest([write_feed(tmp_path / "later", LATER)], store)
    after = {frozenset(s.documents): s.id for s in find_stories(store).stories}
    bruno = frozenset({"f04.txt", "f05.txt"})
    assert bruno | {"g01.txt"} in after  # extended: a new id, since its articles changed
    assert frozenset({"f11.txt", "g02.txt"}) in after  # the brief that stood alone now has company
    for members, sid in before.items():
        if members != bruno:
            assert after[members] == sid  # untouched stories keep their id
    assert after[bruno | {"g01.txt"}] != before[bruno]


def test_a_query_retrieves_the_right_story_only(grouped):
    _, store, _ = grouped
    documents, passages = search(store, "How many jobs did employers add in March?")
    assert {d.name for d in documents} == {"f06.txt", "f07.txt"}
    assert {p.source for p in passages} == {"f06.txt", "f07.txt"}
    documents, _ = search(store, "Which storm flooded the Santa Mira harbour?")
    assert {d.name for d in documents} == {"f04.txt", "f05.txt"}


def test_a_query_answers_with_the_whole_story_even_its_articles_not_retrieved(grouped):
    _, store, _ = grouped
    # one passage retrieved: the best article's story brings its other articles, in full, and nothing else
    documents, passages = search(store, "Storm Alma made landfall near Port Vell", k=1)
    assert {d.name for d in documents} == {"f01.txt", "f02.txt", "f03.txt"}
    assert {p.source for p in passages} == {"f01.txt", "f02.txt", "f03.txt"}
    assert all(p.kind == "article" for p in passages)


def test_the_article_index_finds_articles_by_what_they_are_about(grouped):
    _, store, _ = grouped
    # the query as the index stores articles: a headline finds its own article first, then its story's
    found = store.article_index().nearest(_article_vector("Alma knocks out power across Vell province"), 3)
    names = [Path(path).name for path, _ in found]
    scores = [score for _, score in found]
    assert len(found) == 3 and names[0] == "f03.txt"
    assert set(names[1:]) == {"f01.txt", "f02.txt"}
    assert scores == sorted(scores, reverse=True) and 0.5 < scores[0] <= 1.0001


def test_stories_command_prints_the_documented_json(grouped):
    work, _, grouping = grouped
    done = run_cli("stories", "--store", str(work / "store"), "--json", cwd=work)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert set(data) == {"schema_version", "stories", "unassigned"}
    assert all(set(s) == {"id", "title", "documents", "size"} for s in data["stories"])
    assert [s["id"] for s in data["stories"]] == [s.id for s in grouping.stories]
    bigger = run_cli("stories", "--store", str(work / "store"), "--json", "--min-size", "3", cwd=work)
    data3 = json.loads(bigger.stdout)
    assert all(s["size"] >= 3 for s in data3["stories"]) and "f04.txt" in data3["unassigned"]


def test_stories_on_a_chroma_server(chroma_server, tmp_path: Path):
    feed = write_feed(tmp_path / "feed")
    env = {"DIGEST_COLLECTION": "stories-server"}
    done = run_cli("ingest", str(feed), "--chroma-url", chroma_server, "--quiet", cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    done = run_cli("stories", "--chroma-url", chroma_server, "--json", cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert {frozenset(s["documents"]) for s in data["stories"]} == {frozenset(s) for s in STORIES}
    assert not (tmp_path / ".digest").exists()
    # a question over the server: its passages and its article index both answer through HTTP
    store = open_store(url=chroma_server, collection="stories-server")
    nearest = store.article_index().nearest(_article_vector("Storm Bruno floods Santa Mira harbour"), 1)
    assert [Path(path).name for path, _ in nearest] == ["f04.txt"]
    documents, _ = search(store, "Which storm flooded the Santa Mira harbour?")
    assert {d.name for d in documents} == {"f04.txt", "f05.txt"}


def test_unknown_story_is_one_line(grouped):
    work, _, _ = grouped
    done = run_cli("run", "--story", "s000000000", "--store", str(work / "store"), cwd=work)
    assert done.returncode == 2 and "no story 's000000000'" in done.stderr and "Traceback" not in done.stderr


def test_run_digests_a_story_and_a_question_from_the_store(grouped):
    work, _, grouping = grouped
    march = next(s for s in grouping.stories if "f06.txt" in s.documents)
    env = {"DIGEST_LLAMA_THREADS": "1"}
    done = run_cli("run", "--story", march.id, "--store", str(work / "store"), "--out", str(work / "story-out"),
                   "--max-sentences", "2", "--offline", "--quiet", cwd=work, env=env)
    assert done.returncode == 0, done.stderr
    digest = json.loads((work / "story-out" / "digest.json").read_text())
    assert {s["name"] for s in digest["sources"]} == set(march.documents)
    done = run_cli("run", "--query", "Which storm flooded the Santa Mira harbour?", "--store", str(work / "store"),
                   "--out", str(work / "query-out"), "--max-sentences", "2", "--offline", "--quiet", cwd=work, env=env)
    assert done.returncode == 0, done.stderr
    digest = json.loads((work / "query-out" / "digest.json").read_text())
    cited = {c["source"] for s in digest["sentences"] for c in s["citations"]}
    assert digest["query"] and cited and cited <= {"f04.txt", "f05.txt"}
    assert {s["name"] for s in digest["sources"]} <= {"f04.txt", "f05.txt"}
    # every retrieved report has its say in a query digest, even at two sentences
    assert cited == {s["name"] for s in digest["sources"]}, digest["sentences"]


def test_a_story_title_is_the_plainest_headline_even_when_an_opinion_piece_sits_nearest_the_centre():
    import numpy as np

    from summarizer.records import ArticleRecord
    from summarizer.stories import neutral_title

    def records(*titles: str) -> list[ArticleRecord]:
        return [ArticleRecord(source=f"{i}.txt", source_path=f"/feed/{i}.txt", doc_sha256=str(i), title=t)
                for i, t in enumerate(titles)]

    # the first headline sits at the centre of the story's vectors, the others off it
    vectors = np.array([[1.0, 0.0], [0.6, 0.8], [0.6, -0.8]])
    assert neutral_title(records("OPINION: The council's budget is not entirely wrong",
                                 "Council passes budget after a long night",
                                 "Council budget passes as lies are exposed"), vectors) == (
        "Council passes budget after a long night")
    # no headline is plain: the one without loaded words, whatever its label
    assert neutral_title(records("Council budget passes as lies are exposed",
                                 "Analysis: council passes budget after a long night",
                                 "The council's shameful budget passes"), vectors) == (
        "Analysis: council passes budget after a long night")


def test_explainer_and_list_headlines_are_no_neutral_title():
    from digest_core.loaded import plain_headline

    for title in ("How Roy Moore Could Actually Win the Senate Primary", "6 Takeaways From the Nevada Debate",
                  "Here's where the White House wants to cut", "10 Weird Holiday Traditions Around the World",
                  "OPINION: The budget is not entirely wrong", "Who won the debate?"):
        assert not plain_headline(title), title
    for title in ("3 killed in Texas shooting", "U.S. Economy Added 136,000 Jobs in September",
                  "Howard Schultz weighs independent run"):
        assert plain_headline(title), title
