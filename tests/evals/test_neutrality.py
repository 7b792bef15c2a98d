"""Loaded language: found, attributed or not, by lexicon and by vector neighbourhood."""

from digest_core.embedding import default_embedder
from digest_core.loaded import is_subjective, loaded_terms
from evals.neutrality import check_neutrality


def test_loaded_terms_in_the_writers_own_voice_are_unattributed():
    terms = loaded_terms("The Biden administration has failed to get new funding to continue the proxy war.")
    assert [(t.text, t.attributed) for t in terms] == [("proxy war", False)]
    assert is_subjective("Russia is run by a fascist regime.")


def test_the_writers_own_first_person_is_opinion_not_report():
    assert is_subjective("Last month, I joined about 15,000 other cyclists on a ride across Iowa.")
    assert is_subjective("We've now purchased enough vaccine for every adult.")
    for sentence in ('"We will rebuild the pier," the mayor said on Monday.',
                     "The US and its allies met in Brussels on Tuesday.",
                     "Veterans of World War I were honoured at the ceremony.",
                     "Officials in the U.S. said the talks would resume."):
        assert not is_subjective(sentence), sentence


def test_a_verdict_as_the_predicate_is_opinion_unless_a_speaker_gives_it():
    for sentence in ("The Florida Senate race is rapidly becoming a clown show.",
                     "The committee's inquiry has turned into a circus.", "The vote was a sham."):
        assert is_subjective(sentence), sentence
    for sentence in ('"The hearing was a farce," the senator said.', "The hearing was a farce, critics said.",
                     "The circus came to town on Friday.", "He once performed with a travelling circus."):
        assert not is_subjective(sentence), sentence


def test_quoted_or_reported_terms_are_attributed():
    quoted = loaded_terms('A close aide told Time that Zelensky was "deluding himself" about the war.')
    assert quoted and all(t.attributed for t in quoted)
    reported = loaded_terms("One commenter called the front line a meat grinder.")
    assert reported and all(t.attributed for t in reported)


def test_apostrophes_are_not_quotation_marks():
    """Two possessives do not make the words between them a quotation; single marks around a quote still do."""
    for sentence in ("Trump's radical agenda drew fire from Biden's allies.",
                     "The senator's shameful vote angered the party's base."):
        terms = loaded_terms(sentence)
        assert terms and not any(t.attributed for t in terms), sentence
    for sentence in ("Critics called the plan 'radical'.", "'This is a radical plan,' she said.",
                     "The council's opponents denounced the 'radical' plan."):
        terms = loaded_terms(sentence)
        assert terms and all(t.attributed for t in terms), sentence


def test_plain_reporting_is_not_flagged():
    for sentence in (
        "Officials said the war has reached a stalemate.",
        "Some of the talks took place last month at a meeting of the Ukraine Defense Contact Group.",
        "Government troops killed 12 people on Tuesday, the ministry said.",
    ):
        assert not loaded_terms(sentence), sentence
        assert not is_subjective(sentence), sentence
    report = check_neutrality(["Officials said the war has reached a stalemate."], embedder=default_embedder())
    assert report.unattributed == 0 and report.rate == 0.0


def test_the_model_finds_loaded_words_the_lexicon_lacks():
    report = check_neutrality(["The shameless attack on the city continued."], embedder=default_embedder())
    flagged = {(t.text, t.method) for t in report.loaded}
    assert ("shameless", "model") in flagged
    assert report.unattributed == 1
    without_model = check_neutrality(["The shameless attack on the city continued."])
    assert without_model.unattributed == 0  # the lexicon alone misses it: the model half is doing the work


def test_lie_as_where_something_is_is_not_loaded():
    assert not loaded_terms("In the mausoleum, his grandfather and his father lie in state.")
    assert not loaded_terms("The hardest decisions lie ahead, the minister said.")
    assert [t.text for t in loaded_terms("He told a lie to the committee.")] == ["lie"]
    assert [t.text for t in loaded_terms("The ads are full of lies about the plan.")] == ["lies"]


def test_the_tabloid_register_is_loaded_and_its_literal_cousins_are_not():
    # contempt, mockery and the blow-by-blow of a fight in the outlet's own voice: opinion, not report
    for sentence in ("Lots of Democrats are in full panic that the senator will get clobbered in November.",
                     "Republicans are promising to do everything they can to obliterate the candidate.",
                     "The horrific shooting was streamed live on Facebook.",
                     "Feminists go nuts after the secretary's statement.",
                     "It's no secret that the president's weekend trips have added costs.",
                     "Surprisingly, the committee approved the bill.",
                     "The good news is that the judge has indicated the plan's backers are likely to prevail.",
                     "If you disagree with the decision, here's how to argue about it."):
        assert is_subjective(sentence), sentence
    assert not is_subjective('"Thank you for your service," the president told the troops.')  # the reader, quoted
    # the same register reported as someone's words is attributed; words with a literal sense in news are not listed
    assert all(t.attributed for t in loaded_terms("The mayor called the attack horrific."))
    for sentence in ("Blasts were reported at a chemical plant flooded by the storm.",
                     "The storm slammed the coast on Tuesday, officials said.",
                     "The agency shredded the documents in 2019."):
        assert not loaded_terms(sentence) and not is_subjective(sentence), sentence
