"""Typed records that flow one way through the pipeline.

load -> clean -> split -> index -> retrieve -> claims -> write -> verify -> render.
Each stage takes and returns these models; nothing downstream reaches back upstream.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from digest_core import claims
from digest_core.claims import SourceSentence  # noqa: F401 - shared record, re-exported for the pipeline
from digest_core.version import SCHEMA_VERSION
from evals.records import Report  # the digest's own evaluation, kept as the evaluator's typed record

PartKind = Literal["article", "comments"]


class Claim(claims.Claim):
    """A claim as the digest sees it: the shared grouping's record, plus whether the digest states it."""

    used: bool = False


class RawDocument(BaseModel):
    """A file as read from disk, decoded to text (stage: load)."""

    path: Path
    name: str
    format: Literal["text", "markdown", "html"]
    text: str
    sha256: str
    warnings: list[str] = Field(default_factory=list)


class Part(BaseModel):
    """A labelled part of a cleaned document: the article itself or a reader-comment thread."""

    kind: PartKind
    text: str


class Document(BaseModel):
    """A cleaned document (stage: clean)."""

    name: str
    path: Path
    sha256: str
    title: str | None = None
    date: str | None = None  # YYYY-MM-DD, where the page, a header line or the file name gives it
    outlet: str | None = None  # where the page, a header line or a wire dateline gives it
    parts: list[Part]
    removed: list[str] = Field(default_factory=list, description="boilerplate lines dropped, for --debug and tests")

    def article_text(self) -> str:
        return "\n\n".join(p.text for p in self.parts if p.kind == "article")


class Passage(BaseModel):
    """A chunk of one part of one document, the unit stored in the index (stage: split)."""

    id: str
    source: str  # document file name
    source_path: str
    doc_sha256: str
    kind: PartKind
    index: int
    text: str
    title: str | None = None
    date: str | None = None
    outlet: str | None = None

    def metadata(self, n_passages: int) -> dict[str, str | int]:
        return {
            "source": self.source,
            "source_path": self.source_path,
            "doc_sha256": self.doc_sha256,
            "kind": self.kind,
            "index": self.index,
            "title": self.title or "",
            "date": self.date or "",
            "outlet": self.outlet or "",
            "n_passages": n_passages,
        }


class Skipped(BaseModel):
    path: str
    reason: str


class IngestResult(BaseModel):
    """What `digest ingest --json` prints."""

    schema_version: str = SCHEMA_VERSION
    documents: int
    chunks_added: int
    chunks_total: int
    skipped: list[Skipped] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)


# --- stage: group (articles -> stories) -------------------------------------------------------------


class ArticleRecord(BaseModel):
    """One stored article as the grouping sees it: identity, what it says about itself, its terms, its story."""

    source: str  # file name
    source_path: str
    doc_sha256: str
    title: str | None = None
    date: str | None = None
    outlet: str | None = None
    lead: str = ""  # title and first passage, what is embedded and analysed (not stored again)
    terms: list[str] = Field(default_factory=list)  # names ("n:..."), numbers ("#:..."), content lemmas
    story: str | None = None
    features: str = ""  # version of the feature extraction that made ``terms``


class Story(BaseModel):
    id: str
    title: str
    documents: list[str]  # file names
    paths: list[str] = Field(default_factory=list, exclude=True)  # the store's keys, for `run --story` and batch
    size: int
    fingerprint: str = Field("", exclude=True)  # changes when any member's content changes (batch resumes by it)


class StoryGrouping(BaseModel):
    """What `digest stories --json` prints."""

    schema_version: str = SCHEMA_VERSION
    stories: list[Story]
    unassigned: list[str] = Field(default_factory=list)


# --- digest stages: retrieve -> claims -> write -> verify -> render ---------------------------------


class Citation(BaseModel):
    source: str
    passage_id: str
    quote: str


class DigestSentence(BaseModel):
    text: str
    citations: list[Citation]
    origin: Literal["generated", "rewritten", "extracted"]
    faithfulness: float
    verdict: str = "supported"
    claim_id: int | None = None
    # Why the model's sentence was not used as written: the guard's finding on the first attempt (for
    # rewritten and extracted sentences) and on the rewrite (extracted), or "no usable output".
    fallback_reason: str | None = None


class LeftOut(BaseModel):
    """A claim the digest does not state, and why (stage: select, or the word budget after writing)."""

    claim_id: int
    text: str
    reason: Literal["repeats", "less_salient", "over_word_budget", "not_a_statement"]
    detail: str = ""


class SourceInfo(BaseModel):
    name: str
    title: str | None = None
    path: str
    duplicate_of: str | None = None
    passages: int = 0
    comments: bool = False


class Disagreement(BaseModel):
    topic: str
    detail: str = ""  # what differs, in the evaluator's words
    claim_id: int | None = None
    statements: list[Citation]


class Digest(BaseModel):
    schema_version: str = SCHEMA_VERSION  # the output contract's version (`digest schema digest`)
    title: str
    sentences: list[DigestSentence]
    sources: list[SourceInfo]
    claims: list[Claim] = Field(default_factory=list)
    disagreements: list[Disagreement] = Field(default_factory=list)
    left_out: list[LeftOut] = Field(default_factory=list, description="claims not in the digest, and why")
    backend: str
    model: str
    query: str | None = None
    timings: dict[str, float] = Field(default_factory=dict)
    warnings: list[str] = Field(default_factory=list)
    # The evaluator's full report on this digest (faithfulness, neutrality, coverage), rendered as report.html;
    # not part of digest.json, whose shape is a contract.
    evaluation: Report | None = Field(None, exclude=True, repr=False)
