"""The write stage's tidying of the model's answer: one whole sentence."""

from summarizer.write.sentence import tidy


def test_the_first_sentence_is_kept_whole_past_an_abbreviation():
    answer = "The whistleblower said officials on Feb. 15 threatened to fire her. She was moved to another job."
    assert tidy(answer) == "The whistleblower said officials on Feb. 15 threatened to fire her."


def test_markers_and_wrapping_quotes_go():
    assert tidy('"Officials met in Kyiv on Monday [1] to discuss aid"') == "Officials met in Kyiv on Monday to discuss aid."


def test_a_sentence_cut_off_mid_thought_is_no_sentence_but_one_ending_on_it_is():
    from summarizer.write.sentence import cut_off

    assert cut_off("Saudi Arabia")
    assert cut_off("The Justice Department has declared that New York, Seattle, and Portland are")
    assert cut_off("Officials said Putin believes he can.")
    assert cut_off("Sanders criticized President Donald Trump and Walmart over what they called.")  # the quote lost
    assert cut_off("The package funds several programs, including.")
    assert not cut_off("The package funds several programs, including school meals.")
    assert cut_off("The protest drew people from Team Save America wearing.")  # the object lost
    assert not cut_off("He left the room smiling.")
    assert not cut_off("The court was urged to uphold it.")
    assert not cut_off("The Senate confirmed Amy Coney Barrett on Monday.")


def test_a_label_before_the_answer_goes_and_a_quotation_keeps_its_marks():
    assert tidy("SENTENCE: The ferry resumed service on Monday.") == "The ferry resumed service on Monday."
    assert tidy("Answer: the ferry resumed service on Monday") == "The ferry resumed service on Monday."
    quoted = '"We will rebuild the pier," the mayor said.'
    assert tidy(quoted) == quoted  # a quotation at the start is not a wrapper


def test_a_sentence_that_says_the_same_words_twice_is_the_model_looping():
    from summarizer.write.sentence import repeats_itself

    looping = ("The House passed a spending package that includes increasing the age for buying tobacco products, "
               "while also increasing the minimum age for buying tobacco products.")
    source = "The package also raises the minimum age for buying tobacco products to 21."
    assert repeats_itself(looping, [source])
    assert not repeats_itself(source, [source])
    # a repetition the source itself makes is not the model's
    chant = "Protesters chanted 'no justice, no peace' and 'no justice, no peace' again outside the court."
    assert not repeats_itself(chant, [chant])
    # a tautology is three words said twice: it says nothing
    assert repeats_itself("The county with the most votes has the most votes.",
                          ["Broward County has the most votes left to count."])
