"""The neutrality section of an evaluation: loaded terms (lexicon and near neighbours) and opinion
sentences in a summary, counted per sentence. The terms themselves live in digest_core/loaded.py."""

from __future__ import annotations

from typing import Iterable

from pydantic import BaseModel, Field

from digest_core.loaded import LoadedTerm, is_subjective, loaded_terms, model_terms, prepare_model_terms


class NeutralityReport(BaseModel):
    loaded: list[LoadedTerm] = Field(default_factory=list)
    unattributed: int = 0
    subjective_sentences: list[str] = Field(default_factory=list)
    sentences: int = 0

    @property
    def rate(self) -> float:
        """Unattributed loaded terms per sentence."""
        return self.unattributed / self.sentences if self.sentences else 0.0



def check_neutrality(sentences: Iterable[str], embedder=None) -> NeutralityReport:
    """Loaded terms per sentence: the lexicon, plus (with an embedder) its close neighbours by vector."""
    report = NeutralityReport()
    sentences = list(sentences)
    if embedder is not None:
        prepare_model_terms(sentences, embedder)
    for sentence in sentences:
        report.sentences += 1
        terms = loaded_terms(sentence) + (model_terms(sentence, embedder) if embedder is not None else [])
        report.loaded.extend(terms)
        report.unattributed += sum(not t.attributed for t in terms)
        if is_subjective(sentence):
            report.subjective_sentences.append(sentence)
    return report
