"""Typed records that flow through the evaluator: parse -> align -> check -> judge -> report.

The JSON shape of ``Report`` is a public contract (issue 5): other tools read
``sentences[*].verdict`` and ``summary.citation_precision``; extra keys may be
added, existing ones must not change meaning.
"""

from __future__ import annotations

import json
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from digest_core.version import SCHEMA_VERSION

Verdict = Literal["supported", "unsupported", "contradicted"]
FindingKind = Literal[
    "number", "date", "entity", "negation", "antonym", "unsupported_content", "attribution", "citation", "role"
]


class SourceText(BaseModel):
    """One source document as plain, already-cleaned text; ``name`` is what citations point at."""

    name: str
    text: str


class SummarySentence(BaseModel):
    index: int
    text: str
    # 1-based positions in Summary.sources, as the reader sees them ("[2]").
    citations: list[int] = Field(default_factory=list)


class Summary(BaseModel):
    sentences: list[SummarySentence]
    sources: list[str] = Field(default_factory=list)
    has_citations: bool = False
    title: str | None = None

    def cited_names(self, sentence: SummarySentence) -> list[str]:
        """Source names a sentence cites; numbers that point nowhere are dropped (reported by the scorer)."""
        return [self.sources[c - 1] for c in sentence.citations if 1 <= c <= len(self.sources)]


class Evidence(BaseModel):
    source: str
    text: str
    score: float


class Finding(BaseModel):
    kind: FindingKind
    detail: str
    # True when the evidence says something else (drives "contradicted");
    # False when the evidence merely lacks support (drives "unsupported").
    conflict: bool = False
    # True when this finding alone makes the sentence unsupported (a name, number, date or content
    # word the sources do not hold in any form), whatever the overall probability.
    blocking: bool = False
    check: str = ""  # the check that fired
    words: list[str] = Field(default_factory=list)  # the sentence's words it is about
    evidence: str | None = None  # the source text it compared them with

    def explain(self) -> str:
        """One line for people: kind, what it found, and which check fired."""
        return f"{self.kind}: {self.detail}" + (f" [{self.check}]" if self.check else "")


class LLMJudgement(BaseModel):
    """An optional LLM judge's answer for one sentence (evals.llm_judge); ``error`` set when it gave none."""

    verdict: Verdict | None = None
    reason: str | None = None
    error: str | None = None
    model: str = ""


class RagasScore(BaseModel):
    """ragas Faithfulness of one sentence (evals.ragas_faithfulness); ``score`` is None exactly when ``error`` is set."""

    score: float | None = None
    error: str | None = None
    seconds: float | None = None


# A summary sentence (index, text, citations as written) with the evaluator's judgement of it. (A comment,
# not a docstring: a docstring would become a description in `digest schema`.)
class SentenceScore(SummarySentence):
    verdict: Verdict
    faithfulness: float
    evidence: list[Evidence] = Field(default_factory=list)
    # Do the sentence's own cited sources support it? None when it cites nothing.
    citation_supported: bool | None = None
    findings: list[Finding] = Field(default_factory=list)
    features: dict[str, float] = Field(default_factory=dict)
    # Present only when the optional judges ran (digest eval --judge llm / --ragas).
    llm: LLMJudgement | None = None
    ragas: RagasScore | None = None


class SummaryMetrics(BaseModel):
    faithfulness: float
    supported_ratio: float
    citation_precision: float | None = None
    citation_recall: float | None = None
    counts: dict[str, int] = Field(default_factory=dict)
    coverage: float | None = None  # share of the sources' salient claims the summary carries (evals.coverage)


class Section(BaseModel):
    """A typed report section. Also readable as a mapping (``section["key"]``, ``.get``), as it was
    when sections were plain dicts, so code written against the JSON reads the objects the same way."""

    model_config = ConfigDict(extra="forbid")

    def __getitem__(self, key: str):
        if key not in type(self).model_fields:
            raise KeyError(key)
        return getattr(self, key)

    def get(self, key: str, default=None):
        return getattr(self, key) if key in type(self).model_fields else default


class LoadedTermEntry(Section):
    term: str
    text: str
    attributed: bool
    sentence: str
    method: str = "lexicon"


class NeutralitySection(Section):
    loaded_terms: list[LoadedTermEntry] = Field(default_factory=list)
    unattributed: int = 0
    rate: float = 0.0  # unattributed loaded terms per sentence
    subjective_sentences: list[str] = Field(default_factory=list)


class ClaimEntry(Section):
    text: str
    sources: list[str]
    independent_sources: int
    score: float
    by: str | None = None  # the summary text that carries it


class CoverageSection(Section):
    covered: list[ClaimEntry] = Field(default_factory=list)
    missed: list[ClaimEntry] = Field(default_factory=list)
    by_source: dict[str, float | None] = Field(default_factory=dict)
    salient_rule: str = ""


class LLMJudgeSection(Section):
    model: str
    weight: float
    judged: int = Field(description="sentences the LLM gave a verdict for")
    errors: int
    first_error: str | None = None
    agreement_with_offline: float | None = Field(
        None, description="share of the judged sentences on which the LLM's verdict is the offline judge's")
    seconds: float
    rule: str = ""


class RagasSection(Section):
    metric: str
    faithfulness: float | None = None
    scored: int
    errors: int
    model: str
    served_models: list[str] = Field(default_factory=list)
    base_url: str
    seconds: float
    sentences: list[RagasScore] = Field(default_factory=list)


class SourceRow(BaseModel):
    """One row of the HTML report's sources table, as the caller knows the source (only ``name`` needed)."""

    name: str
    title: str | None = None
    duplicate_of: str | None = None
    comments: bool = False
    claims: int | None = None  # claims the source holds; shown (with ``corroborated``) when any row has it
    corroborated: int | None = None


class SourcesPanel(BaseModel):
    """What only the caller of ``evals.report.to_html`` knows about the sources (a digest does): the
    table's rows, how many independent sources stand behind each sentence (by sentence index), and
    notes under the table."""

    sources: list[SourceRow] = Field(default_factory=list)
    sentence_sources: list[int | None] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)


class Report(BaseModel):
    # Every section is typed (issue 15): no untyped extras. Assignment is validated, so a section
    # assigned as a dict becomes its model (and a wrong key fails where it is made).
    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    schema_version: str = SCHEMA_VERSION
    sentences: list[SentenceScore]
    summary: SummaryMetrics
    sources: list[str] = Field(default_factory=list)
    judge: str = ""
    neutrality: NeutralitySection | None = None
    coverage: CoverageSection | None = None
    llm_judge: LLMJudgeSection | None = None
    ragas: RagasSection | None = None

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.model_dump(mode="json"), indent=indent, ensure_ascii=False)
