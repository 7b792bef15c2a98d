"""Behaviour a user of the evaluator would notice, on a hand-written two-source story."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evals import Report, score_summary

FAITHFUL = [
    "Port City's council backed a new harbour bridge on Tuesday by a vote of 7 to 2 [1].",
    "The bridge is projected to cost $240 million and should open in 2027 [1].",
    "Mayor Elena Ruiz said it would shorten commutes for many north shore residents [1].",
    "Ferry operators warned that the bridge could put them out of business [2].",
    "In a public consultation, 62% of respondents backed the bridge [2].",
    "Environmental groups did not oppose the project but asked for the seagrass beds to be protected [2].",
]

# (sentence, finding kinds of which at least one must be reported)
PLANTED = {
    "number": ("The council voted 7 to 2 on Tuesday to approve the bridge, which will cost $310 million [1].", {"number"}),
    "entity swap": ("Councillor Tom Becker voted against the plan, arguing the money should have gone to buses [1].", {"entity"}),
    "negation": ("Mayor Elena Ruiz said the bridge would not cut commuting times for residents of the north shore [1].", {"negation"}),
    "antonym": ("In a public consultation, 62 percent of respondents opposed the bridge [2].", {"antonym"}),
    "unsupported addition": ("The bridge will also carry a new light-rail line paid for by a federal grant [1].", {"unsupported_content"}),
    "time shift": ("Construction on the bridge began last month [1].", {"date"}),
    "weekday": ("The council voted on Friday to approve the bridge [1].", {"date"}),
    "attribution": ("Councillor David Okafor said the bridge was the most important decision the council had made in a decade [1].", {"attribution", "entity"}),
    "invented name": ("Engineer Sofia Lindqvist designed the bridge for the council [1].", {"entity", "unsupported_content"}),
}

SOURCES_MD = "\n\n## Sources\n[1] harbor_times.txt\n[2] coastal_post.txt\n"


@pytest.fixture(scope="module")
def faithful_report(scorer, source_paths) -> Report:
    return score_summary(" ".join(FAITHFUL) + SOURCES_MD, source_paths, scorer=scorer)


def test_faithful_paraphrases_are_supported_by_their_citations(faithful_report):
    for sentence in faithful_report.sentences:
        assert sentence.verdict == "supported", (sentence.text, sentence.faithfulness, sentence.findings)
        assert sentence.citation_supported is True, sentence.text
        assert not any(f.conflict for f in sentence.findings), sentence.findings
    metrics = faithful_report.summary
    assert metrics.supported_ratio == 1.0 and metrics.faithfulness >= 0.7
    assert metrics.citation_recall == 1.0 and metrics.citation_precision == 1.0
    assert metrics.counts == {"supported": len(FAITHFUL), "unsupported": 0, "contradicted": 0}


def test_evidence_points_at_the_cited_passage(faithful_report):
    first = faithful_report.sentences[0]
    assert first.evidence[0].source == "harbor_times.txt"
    assert "7 to 2" in first.evidence[0].text
    assert first.evidence[0].score >= first.evidence[-1].score


@pytest.mark.parametrize("error", sorted(PLANTED))
def test_planted_error_is_flagged(scorer, source_paths, error):
    sentence, kinds = PLANTED[error]
    report = score_summary(sentence + SOURCES_MD, source_paths, scorer=scorer)
    (scored,) = report.sentences
    assert scored.verdict != "supported", (scored.faithfulness, scored.findings)
    assert scored.citation_supported is False
    assert kinds & {f.kind for f in scored.findings}, scored.findings


@pytest.mark.parametrize("error", ["number", "negation", "antonym", "time shift", "weekday", "entity swap"])
def test_conflicting_errors_are_contradicted_and_score_below_faithful(scorer, source_paths, faithful_report, error):
    report = score_summary(PLANTED[error][0] + SOURCES_MD, source_paths, scorer=scorer)
    (scored,) = report.sentences
    assert scored.verdict == "contradicted"
    assert scored.faithfulness < min(s.faithfulness for s in faithful_report.sentences)


def test_wrong_citation_is_caught_while_the_sentence_itself_is_supported(scorer, source_paths):
    text = "Harbour Ferries carries about 12,000 passengers a day [1]." + SOURCES_MD
    report = score_summary(text, source_paths, scorer=scorer)
    (scored,) = report.sentences
    assert scored.verdict == "supported"  # true of the sources taken together ...
    assert scored.citation_supported is False  # ... but not of the source it cites
    assert report.summary.citation_precision == 0.0 and report.summary.citation_recall == 0.0


def test_redundant_citation_lowers_precision_not_recall(scorer, source_paths):
    text = "The bridge is projected to cost $240 million and should open in 2027 [1][2]." + SOURCES_MD
    report = score_summary(text, source_paths, scorer=scorer)
    assert report.summary.citation_recall == 1.0
    assert report.summary.citation_precision == 0.5


def test_uncited_summary_reports_citation_metrics_as_not_applicable(scorer, sources):
    report = score_summary(" ".join(s.split(" [")[0] + "." for s in FAITHFUL), sources, scorer=scorer)
    assert len(report.sentences) == len(FAITHFUL)
    assert report.summary.citation_precision is None and report.summary.citation_recall is None
    assert all(s.citation_supported is None for s in report.sentences)
    assert report.summary.supported_ratio == 1.0


def test_report_json_has_the_documented_shape(faithful_report):
    data = json.loads(faithful_report.to_json())
    sentence = data["sentences"][0]
    assert {"index", "text", "citations", "verdict", "faithfulness", "evidence", "citation_supported"} <= set(sentence)
    assert {"source", "text", "score"} <= set(sentence["evidence"][0])
    assert {"faithfulness", "supported_ratio", "citation_precision", "citation_recall", "counts"} <= set(data["summary"])
    assert 0.0 <= sentence["faithfulness"] <= 1.0


def test_score_sentence_checks_one_sentence_against_cited_sources(scorer, sources):
    good = scorer.score_sentence("Ferry operators fear the bridge could put them out of business.", sources,
                                 cited=["coastal_post.txt"])
    assert good.verdict == "supported" and good.citation_supported is True
    wrong = scorer.score_sentence("Ferry operators fear the bridge could put them out of business.", sources,
                                  cited=["harbor_times.txt"])
    assert wrong.citation_supported is False
    bad = scorer.score_sentence("The bridge will cost $90 million.", sources)
    assert bad.verdict == "contradicted" and bad.citation_supported is None


def test_digest_json_input_is_scored(scorer, source_paths, tmp_path: Path):
    digest = {
        "title": "Bridge",
        "sentences": [
            {"text": FAITHFUL[0].split(" [")[0], "citations": [{"source": "harbor_times.txt"}]},
            {"text": PLANTED["antonym"][0].split(" [")[0], "citations": [{"source": "coastal_post.txt"}]},
        ],
        "sources": [{"name": "harbor_times.txt"}, {"name": "coastal_post.txt"}],
    }
    path = tmp_path / "digest.json"
    path.write_text(json.dumps(digest), encoding="utf-8")
    report = score_summary(path, source_paths, scorer=scorer)
    assert [s.verdict for s in report.sentences] == ["supported", "contradicted"]
    assert report.summary.citation_recall == 0.5


def test_an_attribution_frame_is_checked_as_the_statement_inside_it():
    from evals import Scorer, SourceText

    scorer = Scorer()
    sources = [SourceText(name="a.txt", text="Twelve members voted in favour and three voted against the plan.")]
    framed = scorer.score_sentence("Twelve members voted in favour, according to one source.", sources, cited=["a.txt"])
    assert framed.verdict == "supported" and framed.citation_supported
    quoted = scorer.score_sentence('Accounts differ: one source reports that "twelve members voted in favour".', sources)
    assert quoted.verdict == "supported"
    # The frame does not launder a false statement.
    wrong = scorer.score_sentence("Nine members voted in favour, according to one source.", sources)
    assert wrong.verdict != "supported"


def test_a_margin_worked_out_from_the_restated_sentence_is_not_a_wrong_figure(scorer):
    from evals.records import SourceText

    game = SourceText(name="game.txt", text="Yale hosted Harvard on Saturday and beat them 50-43 in double overtime. "
                                            "The stadium held 30,000 fans.")
    right = scorer.score_sentence("On Saturday, Yale beat Harvard by seven points in double overtime.", [game])
    assert not any(f.kind == "number" for f in right.findings), [f.detail for f in right.findings]
    wrong = scorer.score_sentence("On Saturday, Yale beat Harvard by nine points in double overtime.", [game])
    assert any(f.kind == "number" for f in wrong.findings) and wrong.verdict != "supported"


@pytest.mark.parametrize("text, source", [
    ("The poll put the mayor 17 points ahead of her rival.", "The poll put the mayor at 55% and her rival at 38%."),
    ("The faulty update reached about 6 percent of the firm's customers.",
     "The faulty update reached 18,000 of the firm's 300,000 customers."),
    ("HHS sent more than a dozen workers to the two bases.",
     "The Department of Health and Human Services sent more than a dozen workers to the two bases."),
    ("The Vermont senator denied ever saying that a woman could not win.",
     "Sanders, a senator from Vermont, denied ever saying that a woman could not win."),
    ("The Fed cut its key interest rate to near zero on Sunday.",
     "The Federal Reserve cut its key interest rate to near zero on Sunday."),
])
def test_figures_worked_out_and_usual_short_names_are_not_errors(scorer, text, source):
    from evals.records import SourceText

    result = scorer.score_sentence(text, [SourceText(name="s.txt", text=source)])
    assert not any(f.conflict or f.blocking for f in result.findings), [f.detail for f in result.findings]


@pytest.mark.parametrize("text, source", [
    ("The poll put the mayor 21 points ahead of her rival.", "The poll put the mayor at 55% and her rival at 38%."),
    ("The faulty update reached about 9 percent of the firm's customers.",
     "The faulty update reached 18,000 of the firm's 300,000 customers."),
])
def test_figures_that_no_working_gives_are_still_wrong(scorer, text, source):
    from evals.records import SourceText

    result = scorer.score_sentence(text, [SourceText(name="s.txt", text=source)])
    assert any(f.kind == "number" for f in result.findings) and result.verdict != "supported"


def test_supporting_names_the_sources_each_of_which_supports_the_sentence_alone(scorer, sources):
    names = [s.name for s in sources]
    for text in (PLANTED["antonym"][0].split(" [")[0], "The council approved the bridge.", "Ferries may lose business."):
        expected = [n for n in names if scorer.score_sentence(text, sources, cited=[n]).citation_supported]
        assert scorer.supporting(text, sources, names) == expected
    assert scorer.supporting("The council approved the bridge.", sources, ["no-such-source.txt"]) == []


def test_planning_a_batch_embeds_the_words_the_judge_compares_and_not_the_whole_vocabulary(sources):
    """FRANK's path: one model batch before judging; judging then embeds at most the sources' vocabulary, which
    it reads only for a word found nowhere in the evidence."""
    from digest_core.embedding import Embedder
    from evals.scorer import Scorer

    class Counting(Embedder):
        """Records every text the model is run on."""

        def __init__(self) -> None:
            super().__init__()
            self.computed: list[str] = []

        def _compute(self, texts):
            self.computed += texts
            return super()._compute(texts)

    embedder = Counting()
    scorer = Scorer(embedder=embedder)
    texts = [s.rstrip(" [12].") + "." for s in FAITHFUL[:3]]
    index = scorer.index(sources)
    vectors = scorer.embedder.embed(texts)
    scorer.parse(texts, sources, words=False)
    before = len(embedder.computed)
    scorer.plan(texts, vectors, index)
    planned = embedder.computed[before:]
    judged = [scorer.assess(t, v, index, None) for t, v in zip(texts, vectors)]
    assert all(a.verdict == "supported" for a in judged)
    vocabulary = {w.lemma for a in index.analyses_of(None) for w in a.content} \
        | {w.lower for a in index.analyses_of(None) for w in a.content}
    assert set(embedder.computed[before + len(planned):]) <= vocabulary  # nothing but the sources' words on demand
    assert planned and len(set(planned) & vocabulary) < len(vocabulary)  # planned: not every word of the sources


def test_the_digest_guard_judges_at_the_corroboration_bar_above_the_evaluators_cut():
    from evals.judge import Judge

    evaluator, guard = Judge(), Judge.strict()
    cut = evaluator.model(False).threshold
    bar = evaluator.model(False).corroboration_threshold
    assert bar is not None and bar > cut
    between = (cut + bar) / 2  # weak alignment: the evaluator lets it pass, the guard does not
    assert evaluator.verdict(between, []) == "supported"
    assert guard.verdict(between, []) == "unsupported"
    assert not evaluator.corroborates("supported", between) and evaluator.corroborates("supported", bar)
