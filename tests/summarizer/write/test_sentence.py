"""The write stage's tidying of the model's answer: one whole sentence."""

from summarizer.write.sentence import tidy


def test_the_first_sentence_is_kept_whole_past_an_abbreviation():
    answer = "The whistleblower said officials on Feb. 15 threatened to fire her. She was moved to another job."
    assert tidy(answer) == "The whistleblower said officials on Feb. 15 threatened to fire her."


def test_markers_and_wrapping_quotes_go():
    assert tidy('"Officials met in Kyiv on Monday [1] to discuss aid"') == "Officials met in Kyiv on Monday to discuss aid."
