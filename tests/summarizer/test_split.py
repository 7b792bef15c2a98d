"""Splitting: passages of whole sentences, where a line that ends no sentence never runs into the next one."""

from pathlib import Path

from digest_core.text import split_sentences
from summarizer.records import Document, Part
from summarizer.split import split_document


def test_a_paragraph_without_a_stop_closes_its_passage():
    text = ("Cave rescue resumes as divers return for the last eight boys and their coach\n\n"
            "Divers resumed the operation on Tuesday. Four boys were freed on Monday.")
    doc = Document(name="a.txt", path=Path("a.txt"), sha256="0" * 64, parts=[Part(kind="article", text=text)])
    sentences = [s for p in split_document(doc) for s in split_sentences(p.text)]
    assert "Divers resumed the operation on Tuesday." in sentences


def test_a_headline_ending_on_a_quotation_closes_its_passage_too():
    text = ('Whistleblower warns the country is heading toward "the darkest winter in modern history"\n\n'
            'Dr. Rick Bright testified on Thursday. "We must act now," he said.\n\nThe hearing ended at noon.')
    doc = Document(name="a.txt", path=Path("a.txt"), sha256="0" * 64, parts=[Part(kind="article", text=text)])
    passages = [p.text for p in split_document(doc)]
    assert passages[0].endswith('modern history"')
    # a quotation that ends its sentence still lets the next paragraph join the passage
    assert passages[1] == 'Dr. Rick Bright testified on Thursday. "We must act now," he said. The hearing ended at noon.'


def test_short_finished_paragraphs_still_share_a_passage():
    text = "Divers resumed the operation on Tuesday.\n\nFour boys were freed on Monday."
    doc = Document(name="a.txt", path=Path("a.txt"), sha256="0" * 64, parts=[Part(kind="article", text=text)])
    assert [p.text for p in split_document(doc)] == ["Divers resumed the operation on Tuesday. Four boys were freed on Monday."]


def test_a_full_stop_before_a_word_in_lower_case_ends_no_sentence():
    text = ("In a hearing today, Sen. Jane Roe (D-Calif.) pressed the nominee on her views. Sens. Al Poe (D-N.J.) and "
            "Bo Ray (I-Vt.) -- both of whom wrote bills -- stayed silent. Prices rose 3.5 percent. iPhone sales fell.")
    assert split_sentences(text) == [
        "In a hearing today, Sen. Jane Roe (D-Calif.) pressed the nominee on her views.",
        "Sens. Al Poe (D-N.J.) and Bo Ray (I-Vt.) -- both of whom wrote bills -- stayed silent.",
        "Prices rose 3.5 percent.",
        "iPhone sales fell.",
    ]


def test_a_quoted_question_or_exclamation_before_its_speaker_stays_one_sentence():
    text = ('"Why now?" he asked, as the vote was called. "Stop!" shouted an officer. Is it over? '
            "Nobody knows. What? iPhone sales fell.")
    assert split_sentences(text) == [
        '"Why now?" he asked, as the vote was called.',
        '"Stop!" shouted an officer.',
        "Is it over?",
        "Nobody knows.",
        "What?",
        "iPhone sales fell.",
    ]
