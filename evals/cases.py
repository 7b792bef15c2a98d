"""Dataset-scale evaluation: many (summary, sources) cases, one scorer, one model load.

A cases file is JSON Lines (or CSV, or a JSON list) with one case per row. ragas' column names are
read as they are: ``response`` (the summary), ``retrieved_contexts`` (a list of source texts) and
``user_input`` (kept, not scored); ragas' older names ``answer``/``contexts``/``question`` too. Our
own names are ``summary`` and ``sources`` (``[{"name": ..., "text": ...}]`` or plain strings). An
optional ``id`` names the case; otherwise it is ``line-N``.

Every case is scored against its own sources only (the scorer's source index is keyed by their
content), so nothing from one case can support a sentence of another. ``score_case`` is the one
function behind ``digest eval --cases`` and ``evals.integrations.ragas.DigestFaithfulness``: the same
case gets the same score both ways.
"""

from __future__ import annotations

import ast
import csv
import io
import json
import time
from pathlib import Path
from typing import Any, Iterable, Sequence

from pydantic import BaseModel, Field

from digest_core.errors import UserError
from digest_core.progress import Progress
from digest_core.version import SCHEMA_VERSION
from evals.jsonl import json_lines
from evals.records import Report, SentenceScore, SourceText
from evals.scorer import Scorer, default_scorer


RESPONSE_KEYS = ("response", "summary", "answer")
CONTEXT_KEYS = ("retrieved_contexts", "sources", "contexts")


class CaseFormatError(UserError, ValueError):
    """The cases file as a whole cannot be read; str() is one line naming the file."""


class Case(BaseModel):
    id: str
    response: str
    sources: list[SourceText]
    user_input: str | None = None


class SkippedCase(BaseModel):
    line: int
    id: str | None = None
    reason: str


class CaseResult(BaseModel):
    id: str
    faithfulness: float
    supported_ratio: float
    counts: dict[str, int]
    sentences: list[SentenceScore]
    passed: bool | None = None  # None when no threshold was given

    @classmethod
    def of(cls, case_id: str, report: Report, fail_under: float | None) -> "CaseResult":
        m = report.summary
        return cls(id=case_id, faithfulness=m.faithfulness, supported_ratio=m.supported_ratio, counts=m.counts,
                   sentences=list(report.sentences),
                   passed=None if fail_under is None else m.faithfulness >= fail_under)


class CasesSummary(BaseModel):
    """Figures over all cases; mapping access (``summary["cases"]``) reads the same fields."""

    cases: int
    skipped: int
    sentences: int
    faithfulness: float | None  # mean of the cases' faithfulness; None without cases
    supported_ratio: float | None  # supported sentences over all sentences
    counts: dict[str, int]
    fail_under: float | None
    failed: list[str]  # ids of the cases under fail_under
    seconds: float
    seconds_per_case: float | None
    sentences_per_second: float | None

    def __getitem__(self, key: str):
        return getattr(self, key)

    def get(self, key: str, default=None):
        return getattr(self, key, default)


class CasesRun(BaseModel):
    schema_version: str = SCHEMA_VERSION
    cases: list[CaseResult]
    skipped: list[SkippedCase] = Field(default_factory=list)
    summary: CasesSummary | None = None

    @property
    def failed(self) -> list[CaseResult]:
        return [c for c in self.cases if c.passed is False]


# -- reading -------------------------------------------------------------------------------------
def _contexts(value: Any) -> list[SourceText]:
    """retrieved_contexts / sources as a list of SourceText; CSV cells hold a JSON or Python list."""
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            try:
                value = json.loads(text)
            except json.JSONDecodeError:
                try:
                    value = ast.literal_eval(text)  # pandas' to_csv writes Python reprs of lists
                except (ValueError, SyntaxError):
                    value = [value]
        else:
            value = [value] if text else []
    if not isinstance(value, list):
        raise ValueError("sources must be a list")
    out: list[SourceText] = []
    for k, item in enumerate(value, 1):
        if isinstance(item, dict):
            if not isinstance(item.get("text"), str):
                raise ValueError(f"source {k} has no text")
            out.append(SourceText(name=str(item.get("name") or f"context {k}"), text=item["text"]))
        elif isinstance(item, str):
            out.append(SourceText(name=f"context {k}", text=item))
        else:
            raise ValueError(f"source {k} is neither text nor {{name, text}}")
    return out


def case_from_row(row: dict[str, Any], default_id: str) -> Case:
    """One row in ragas' or our column names -> Case; ValueError names what is missing."""
    response = next((row[k] for k in RESPONSE_KEYS if row.get(k) not in (None, "")), None)
    if not isinstance(response, str) or not response.strip():
        raise ValueError("no response (or summary) text")
    raw = next((row[k] for k in CONTEXT_KEYS if row.get(k) not in (None, "")), None)
    if raw is None:
        raise ValueError("no retrieved_contexts (or sources)")
    sources = [s for s in _contexts(raw) if s.text.strip()]
    if not sources:
        raise ValueError("retrieved_contexts (or sources) holds no text")
    case_id = row.get("id")
    question = row.get("user_input") or row.get("question")
    return Case(id=str(case_id) if case_id not in (None, "") else default_id, response=response, sources=sources,
                user_input=str(question) if question else None)


def _rows(text: str, name: str, fmt: str | None) -> Iterable[tuple[int, Any]]:
    stripped = text.lstrip()
    if fmt is None:
        fmt = "csv" if name.lower().endswith(".csv") else ("json" if stripped.startswith("[") else "jsonl")
        if fmt == "jsonl" and stripped and not stripped.startswith("{"):
            fmt = "csv"
    if fmt == "json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CaseFormatError(f"{name}: not valid JSON ({exc.msg} at line {exc.lineno})") from None
        if not isinstance(data, list):
            raise CaseFormatError(f"{name}: a JSON cases file holds a list of cases")
        yield from enumerate(data, 1)
    elif fmt == "csv":
        reader = csv.DictReader(io.StringIO(text))
        if not reader.fieldnames or not set(reader.fieldnames) & {*RESPONSE_KEYS}:
            raise CaseFormatError(f"{name}: a CSV cases file needs a header with a response (or summary) column")
        for row in reader:
            yield reader.line_num, row
    else:
        yield from json_lines(text.splitlines())


def read_cases(text: str, name: str = "cases", fmt: str | None = None) -> tuple[list[Case], list[SkippedCase]]:
    """Parse a cases file's text. Rows that cannot be used are returned as skipped, with the reason."""
    cases: list[Case] = []
    skipped: list[SkippedCase] = []
    for number, row in _rows(text, name, fmt):
        if isinstance(row, Exception):
            skipped.append(SkippedCase(line=number, reason=str(row)))
            continue
        if not isinstance(row, dict):
            skipped.append(SkippedCase(line=number, reason="not an object with named fields"))
            continue
        try:
            cases.append(case_from_row(row, f"line-{number}"))
        except ValueError as exc:
            skipped.append(SkippedCase(line=number, id=str(row["id"]) if row.get("id") is not None else None,
                                       reason=str(exc).splitlines()[0]))
    return cases, skipped


def load_cases(path: str | Path, fmt: str | None = None) -> tuple[list[Case], list[SkippedCase]]:
    """Read a cases file (``-`` is stdin)."""
    import sys

    if str(path) == "-":
        return read_cases(sys.stdin.read(), "stdin", fmt)
    p = Path(path)
    if not p.is_file():
        raise CaseFormatError(f"{p}: no such cases file")
    try:
        text = p.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise CaseFormatError(f"{p}: not UTF-8 text") from None
    return read_cases(text, str(p), fmt)


# -- scoring -------------------------------------------------------------------------------------
def score_case(case: Case, scorer: Scorer | None = None) -> Report:
    """The judge's report for one case: the response's sentences against that case's sources only."""
    return (scorer or default_scorer()).score(case.response, case.sources)


def score_cases(cases: Sequence[Case], *, scorer: Scorer | None = None, fail_under: float | None = None,
                skipped: Sequence[SkippedCase] = (), progress: Progress | None = None) -> CasesRun:
    """Score every case with one scorer; ``progress`` is told once per case."""
    scorer = scorer or default_scorer()
    started = time.perf_counter()
    if progress is not None:
        progress.start("scoring cases", len(cases))
    results: list[CaseResult] = []
    for case in cases:
        results.append(CaseResult.of(case.id, score_case(case, scorer), fail_under))
        if progress is not None:
            progress.advance()
    seconds = time.perf_counter() - started
    run = CasesRun(cases=results, skipped=list(skipped))
    n = len(results)
    sentences = sum(len(c.sentences) for c in results)
    counts = {v: sum(c.counts.get(v, 0) for c in results) for v in ("supported", "unsupported", "contradicted")}
    run.summary = CasesSummary(
        cases=n, skipped=len(run.skipped), sentences=sentences,
        faithfulness=round(sum(c.faithfulness for c in results) / n, 4) if n else None,
        supported_ratio=round(counts["supported"] / sentences, 4) if sentences else None,
        counts=counts, fail_under=fail_under, failed=[c.id for c in run.failed], seconds=round(seconds, 3),
        seconds_per_case=round(seconds / n, 4) if n else None,
        sentences_per_second=round(sentences / seconds, 2) if seconds > 0 else None,
    )
    return run
