"""The judge as a ragas metric: ``ragas.evaluate(dataset, metrics=[DigestFaithfulness()])``.

No LLM, no embeddings from ragas, no network: the metric scores ``response`` against
``retrieved_contexts`` with our offline judge, through ``evals.cases.score_case``, the function
``digest eval --cases`` uses, so a case gets exactly the same score both ways. ragas 0.4.3's
``evaluate`` accepts only its legacy ``Metric`` classes, so this is a ``SingleTurnMetric``.
"""

from __future__ import annotations

import os
import threading
import typing as t
from dataclasses import dataclass, field

os.environ.setdefault("RAGAS_DO_NOT_TRACK", "true")  # ragas posts usage analytics unless told not to

from ragas.metrics.base import MetricOutputType, MetricType, SingleTurnMetric  # noqa: E402

from evals.cases import case_from_row, score_case  # noqa: E402
from evals.records import Report  # noqa: E402

if t.TYPE_CHECKING:
    from ragas.dataset_schema import SingleTurnSample
    from ragas.run_config import RunConfig

    from evals.scorer import Scorer


@dataclass
class DigestFaithfulness(SingleTurnMetric):
    """Mean per-sentence faithfulness of ``response`` given ``retrieved_contexts``, in [0, 1].

    ``scorer``: an ``evals.Scorer`` to share (the default one is created on first use).
    ``last_reports``: the full per-sentence report of every sample scored, by response text,
    for anyone who wants to know why a score is low.
    """

    name: str = "digest_faithfulness"
    _required_columns: t.Dict[MetricType, t.Set[str]] = field(
        default_factory=lambda: {MetricType.SINGLE_TURN: {"response", "retrieved_contexts", "user_input:optional"}})
    output_type: MetricOutputType = MetricOutputType.CONTINUOUS
    scorer: "Scorer | None" = field(default=None, repr=False)
    reports: dict[str, Report] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def init(self, run_config: "RunConfig") -> None:
        pass  # nothing to connect to; the scorer loads on first use

    def score_sample(self, sample: "SingleTurnSample") -> float:
        case = case_from_row({"response": sample.response, "retrieved_contexts": sample.retrieved_contexts,
                              "user_input": sample.user_input}, "sample")
        with self._lock:  # ragas may run samples concurrently; the scorer is not thread-safe
            if self.scorer is None:
                from evals.scorer import default_scorer

                self.scorer = default_scorer()
            report = score_case(case, self.scorer)
        self.reports[case.response] = report
        return report.summary.faithfulness

    async def _single_turn_ascore(self, sample: "SingleTurnSample", callbacks: t.Any) -> float:
        return self.score_sample(sample)
