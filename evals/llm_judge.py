"""An optional LLM judge, combined with the offline judge rather than replacing it.

The evaluator stays standalone: it only needs something with
``judge(evidence, sentence) -> {"verdict": ..., "reason": ...} | None`` (``JsonLLM``). The digest's
CLI builds one from its configured backend and the ``judge_sentence`` prompt; anyone else can
pass their own. ``None`` means the model gave no valid JSON (after the caller's one retry); an
exception means the model could not be asked (server down, refused). Both become an explicit
error on that sentence, and the sentence keeps its offline score.

How the two judges combine, per sentence with a verdict from the LLM:

* probability: ``(1 - weight) * offline + weight * LLM_PROBABILITY[llm verdict]``;
* the LLM can only *lower* a sentence the offline checks flagged (offline verdict not
  "supported"): its probability becomes ``min(offline, combined)`` and its verdict is unchanged;
* a sentence the offline judge found supported becomes "unsupported" when the combined
  probability drops below 0.5, more likely unfaithful than not (e.g. the LLM says "contradicted").
  The offline judge's own cut is lower (a weak alignment alone must not flag a paraphrase), but an
  LLM vote against the sentence is a reading of its meaning, so the even-odds cut applies.
  The LLM never makes a sentence "contradicted" by itself: that verdict is kept for sentences
  where a check found an explicit conflict a reader can verify.
"""

from __future__ import annotations

import time
from typing import Any, Protocol, runtime_checkable

from evals.records import LLMJudgement, LLMJudgeSection, Report, SentenceScore

VERDICTS = ("supported", "unsupported", "contradicted")
# How much support each LLM verdict means, as a probability that the sentence is faithful.
LLM_PROBABILITY = {"supported": 1.0, "unsupported": 0.2, "contradicted": 0.0}
DEFAULT_WEIGHT = 0.3  # a 135M model is a weak judge; the offline judge keeps most of the say
MAX_EVIDENCE_CHARS = 2000


@runtime_checkable
class JsonLLM(Protocol):
    """Anything that can judge one sentence against evidence and answer with a small JSON object."""

    def judge(self, evidence: str, sentence: str) -> dict[str, Any] | None: ...


def _one_line(text: object, limit: int = 240) -> str:
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def evidence_text(sentence: SentenceScore) -> str:
    """The best evidence the offline aligner found, best first, as the LLM will read it."""
    text = "\n".join(e.text for e in sentence.evidence)
    return text[:MAX_EVIDENCE_CHARS]


def ask(llm: JsonLLM, evidence: str, sentence: str, model: str = "") -> LLMJudgement:
    """One LLM verdict; never raises for model or server trouble."""
    if not evidence.strip():
        return LLMJudgement(error="no evidence to judge against", model=model)
    try:
        answer = llm.judge(evidence, sentence)
    except Exception as exc:  # noqa: BLE001 - reported on the sentence, never a crash
        return LLMJudgement(error=_one_line(f"{type(exc).__name__}: {exc}"), model=model)
    if answer is None:
        return LLMJudgement(error="the model gave no valid JSON verdict (after one retry)", model=model)
    verdict = str(answer.get("verdict", "")).strip().lower() if isinstance(answer, dict) else ""
    if verdict not in VERDICTS:
        return LLMJudgement(error=_one_line(f"unknown verdict in {answer!r}"), model=model)
    reason = _one_line(answer.get("reason") or "", 400)
    return LLMJudgement(verdict=verdict, reason=reason, model=model)  # type: ignore[arg-type]


def combine(sentence: SentenceScore, judgement: LLMJudgement, weight: float, threshold: float) -> None:
    """Fold the LLM's verdict into ``sentence`` (in place), by the rules in the module docstring."""
    sentence.llm = judgement
    if judgement.verdict is None:
        return
    offline = sentence.faithfulness
    llm_p = LLM_PROBABILITY[judgement.verdict]
    combined = (1.0 - weight) * offline + weight * llm_p
    sentence.features["offline_faithfulness"] = round(offline, 4)
    sentence.features["llm_judge"] = llm_p
    if sentence.verdict != "supported":
        sentence.faithfulness = round(min(offline, combined), 4)
        return
    sentence.faithfulness = round(combined, 4)
    if combined < threshold:
        sentence.verdict = "unsupported"


def _refresh_summary(report: Report) -> None:
    scores = report.sentences
    counts = {v: sum(1 for s in scores if s.verdict == v) for v in VERDICTS}
    n = len(scores)
    report.summary.counts = {**report.summary.counts, **counts}
    report.summary.faithfulness = round(sum(s.faithfulness for s in scores) / n, 4) if n else 0.0
    report.summary.supported_ratio = round(counts["supported"] / n, 4) if n else 0.0


def default_threshold() -> float:
    return 0.5


def apply_llm_judge(report: Report, llm: JsonLLM, *, model: str = "", weight: float = DEFAULT_WEIGHT,
                    threshold: float | None = None) -> Report:
    """Ask ``llm`` about every sentence of ``report`` and combine its verdicts with the offline ones.

    Adds ``sentence.llm`` (verdict and reason, or error) to each sentence and a ``report.llm_judge``
    section; the summary metrics are recomputed from the combined sentence scores.
    """
    if not 0.0 <= weight <= 1.0:
        raise ValueError(f"LLM judge weight must be in [0, 1], got {weight}")
    threshold = default_threshold() if threshold is None else threshold
    started = time.perf_counter()
    offline_verdicts = [s.verdict for s in report.sentences]
    for sentence in report.sentences:
        judgement = ask(llm, evidence_text(sentence), sentence.text, model)
        combine(sentence, judgement, weight, threshold)
    _refresh_summary(report)
    judged = [(s.llm.verdict, v) for s, v in zip(report.sentences, offline_verdicts) if s.llm and s.llm.verdict]
    errors = [s.llm.error for s in report.sentences if s.llm and s.llm.error]
    report.llm_judge = LLMJudgeSection(
        model=model,
        weight=weight,
        judged=len(judged),
        errors=len(errors),
        first_error=errors[0] if errors else None,
        agreement_with_offline=round(sum(a == b for a, b in judged) / len(judged), 4) if judged else None,
        seconds=round(time.perf_counter() - started, 3),
        rule="probability (1-w)*offline + w*llm; the LLM can only lower sentences the offline checks flagged",
    )
    report.judge = f"{report.judge} + llm({model}, weight {weight})"
    return report
