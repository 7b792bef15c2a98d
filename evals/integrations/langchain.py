"""The judge as a LangChain / LangSmith evaluator.

LangChain 1.x no longer ships ``StringEvaluator`` (it moved to ``langchain-classic``); custom
evaluators today are LangSmith's: a ``RunEvaluator`` (``evaluate_run(run, example)``) or a plain
function ``(inputs, outputs, reference_outputs) -> {"key", "score", "comment"}``. Both are here,
offline: they score with ``evals.cases.score_case``, the function behind ``digest eval --cases``.

Where the texts are looked up (first found wins, ragas' names first):

- the summary: ``outputs["response"]``, ``["summary"]``, ``["answer"]`` or ``["output"]``;
- the sources: ``retrieved_contexts``, ``sources``, ``contexts`` or ``context`` in the outputs, then
  in the example's inputs, then in its reference outputs (a list of strings, of ``{name, text}``,
  or of LangChain ``Document`` objects, whose ``source`` metadata names them).
"""

from __future__ import annotations

from typing import Any, Mapping

from langsmith.evaluation import EvaluationResult, RunEvaluator

from evals.cases import CONTEXT_KEYS, case_from_row, score_case
from evals.records import Report

KEY = "digest_faithfulness"
_RESPONSE_KEYS = ("response", "summary", "answer", "output")
_SOURCE_KEYS = (*CONTEXT_KEYS, "context")


def _sources(value: Any) -> Any:
    """LangChain Documents become {name, text}; anything else is left for case_from_row to read."""
    if isinstance(value, (list, tuple)):
        out = []
        for k, item in enumerate(value, 1):
            if hasattr(item, "page_content"):
                meta = getattr(item, "metadata", None) or {}
                out.append({"name": str(meta.get("source") or meta.get("source_path") or f"context {k}"),
                            "text": item.page_content})
            else:
                out.append(item)
        return out
    return value


def _first(keys: tuple[str, ...], *places: Mapping[str, Any] | None) -> Any:
    for place in places:
        for key in keys:
            if place and place.get(key) not in (None, "", []):
                return place[key]
    return None


def explain(report: Report, limit: int = 5) -> str:
    """The sentences that are not supported, each with the findings behind its verdict."""
    lines = []
    for s in report.sentences:
        if s.verdict != "supported":
            why = "; ".join(f.explain() for f in s.findings) or "weak alignment"
            lines.append(f"#{s.index + 1} {s.verdict} {s.faithfulness:.2f}: {s.text} ({why})")
    more = len(lines) - limit
    return "\n".join(lines[:limit] + ([f"and {more} more"] if more > 0 else [])) or "every sentence is supported"


def digest_faithfulness(inputs: Mapping[str, Any] | None = None, outputs: Mapping[str, Any] | None = None,
                        reference_outputs: Mapping[str, Any] | None = None, *, scorer=None) -> dict[str, Any]:
    """LangSmith's function-evaluator form: ``evaluate(target, data=..., evaluators=[digest_faithfulness])``."""
    response = _first(_RESPONSE_KEYS, outputs)
    if response is None and isinstance(outputs, str):
        response = outputs
    sources = _sources(_first(_SOURCE_KEYS, outputs, inputs, reference_outputs))
    try:
        case = case_from_row({"response": response, "retrieved_contexts": sources}, "run")
    except ValueError as exc:
        return {"key": KEY, "score": None, "comment": f"not scored: {exc}"}
    report = score_case(case, scorer)
    return {"key": KEY, "score": report.summary.faithfulness, "comment": explain(report)}


class DigestFaithfulnessEvaluator(RunEvaluator):
    """A LangSmith ``RunEvaluator``: the run's summary against the sources it (or its example) carries."""

    def __init__(self, scorer=None):
        self.scorer = scorer

    def evaluate_run(self, run, example=None, evaluator_run_id=None) -> EvaluationResult:
        result = digest_faithfulness(getattr(example, "inputs", None) or run.inputs, run.outputs,
                                     getattr(example, "outputs", None), scorer=self.scorer)
        return EvaluationResult(**result)
