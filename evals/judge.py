"""Combine alignment and checks into a calibrated probability that a sentence is faithful.

The judge is a logistic regression over a handful of explainable features. Its weights
are fitted on FRANK validation by ``benchmarks/fit_judge.py`` and stored in
``evals/judge_weights.json``; the defaults below are hand-set fall-backs used only when
that file is missing. Verdicts (documented in RESULTS.md too):

* ``contradicted``: a check found a conflict with the evidence (another number, date or time,
  negation by clause, antonym, a name or a doer/object the evidence gives otherwise, speaker);
* ``unsupported``: a blocking finding (a name, figure or date the sources hold in no usual form),
  or ``faithfulness`` below the model's ``threshold``: 0.05 since the fifth round (0.1 before), chosen on
  the tuned halves of the stress set (benchmarks/stress/, 976 sentences): going from 0.1 to 0.05 cleared 8 of
  their 27 false flags on faithful paraphrases for one planted error missed. The probability is calibrated on FRANK, whose near-extractive summaries reward word
  overlap; a paraphrase scores low on it without being wrong, so only very weak alignment flags;
* ``supported``: otherwise.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field, replace
from pathlib import Path

from evals.records import Finding, Verdict

WEIGHTS_FILE = Path(__file__).with_name("judge_weights.json")

# Order matters: it is the column order of the fitted weight vectors.
BASE_FEATURES = ["sim", "lex", "novel", "entity_missing", "fact_missing", "conflict"]
LM_FEATURES = BASE_FEATURES + ["lm"]


@dataclass
class LogisticModel:
    features: list[str]
    mean: list[float]
    scale: list[float]
    weights: list[float]
    bias: float
    threshold: float = 0.5
    # The bar a source's own support must reach to be added as corroborating a sentence nobody cited it for (the
    # digest's extra citations, coverage's count of independent sources): above ``threshold``, since sources on one
    # story share words without saying the same thing. None: ``threshold``.
    corroboration_threshold: float | None = None
    # How a FRANK summary score is made from its sentences, and the summary-level thresholds
    # chosen on FRANK validation (applied unchanged to the held-out test split).
    aggregate: str = "mean"
    # Per FRANK dataset, the aggregate chosen by cross-validation when it differs (e.g. {"bbc": "min"}).
    aggregate_by_dataset: dict[str, str] = field(default_factory=dict)
    # A detected conflict (checks.py) caps the probability: FRANK cannot tell us how much an
    # explicit contradiction should weigh (such checks fire rarely there), and capping was
    # neutral on FRANK in cross-validation (benchmarks/RESULTS.md), while a "contradicted"
    # sentence that still scored 0.8 would read as nonsense.
    conflict_cap: float = 0.3
    # A blocking finding (a name, figure or word the sources hold in no form) caps it below the
    # threshold too: the verdict is "unsupported", and the score must not say otherwise.
    blocking_cap: float = 0.45
    frank_thresholds: dict[str, float] = field(default_factory=dict)
    # Sign each weight must have (+1 more faithful as the feature grows, -1 less); the fitter enforces it.
    notes: dict[str, str] = field(default_factory=dict)

    def probability(self, values: dict[str, float]) -> float:
        z = self.bias
        for name, mu, sd, w in zip(self.features, self.mean, self.scale, self.weights):
            z += w * (values.get(name, mu) - mu) / (sd or 1.0)
        p = 1.0 / (1.0 + math.exp(-max(min(z, 30.0), -30.0)))
        if values.get("conflict", 0.0) > 0:
            return min(p, self.conflict_cap)
        return min(p, self.blocking_cap) if values.get("blocking", 0.0) > 0 else p

    @property
    def corroboration_bar(self) -> float:
        """The probability a source's own support must reach to corroborate: the corroboration threshold, never
        below the verdict cut."""
        return self.threshold if self.corroboration_threshold is None else max(self.threshold,
                                                                                self.corroboration_threshold)

    def to_dict(self) -> dict:
        return {"features": self.features, "mean": self.mean, "scale": self.scale, "weights": self.weights,
                "bias": self.bias, "threshold": self.threshold, "corroboration_threshold": self.corroboration_threshold,
                "aggregate": self.aggregate,
                "aggregate_by_dataset": self.aggregate_by_dataset,
                "conflict_cap": self.conflict_cap, "blocking_cap": self.blocking_cap,
                "frank_thresholds": self.frank_thresholds, "notes": self.notes}


SIGNS = {"bigram": 1, "ent_local": 1, "sim": 1, "lex": 1, "novel": -1, "entity_missing": -1, "fact_missing": -1, "conflict": -1, "lm": 1}

_FALLBACK = LogisticModel(
    features=BASE_FEATURES,
    mean=[0.6, 0.7, 0.1, 0.2, 0.1, 0.1],
    scale=[0.15, 0.25, 0.15, 0.5, 0.3, 0.3],
    weights=[1.0, 0.8, -0.6, -0.5, -0.4, -0.8],
    bias=0.5,
    threshold=0.5,
    notes={"source": "hand-set fall-back; run benchmarks/fit_judge.py"},
)


def load_models(path: Path = WEIGHTS_FILE) -> dict[str, LogisticModel]:
    if not path.is_file():
        return {"base": _FALLBACK}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {name: LogisticModel(**spec) for name, spec in data.items()}


def features_from(sim: float, lex: float, novel: float, findings: list[Finding]) -> dict[str, float]:
    """The judge's inputs; counts are capped so one odd sentence cannot dominate."""
    entity_missing = sum(1 for f in findings if f.kind == "entity" and not f.conflict)
    fact_missing = sum(1 for f in findings if f.kind in {"number", "date"} and not f.conflict)
    conflict = sum(1 for f in findings if f.conflict)
    return {
        "sim": sim,
        "lex": lex,
        "novel": novel,
        "entity_missing": float(min(entity_missing, 3)),
        "fact_missing": float(min(fact_missing, 2)),
        "conflict": float(min(conflict, 2)),
        "blocking": float(min(sum(1 for f in findings if f.blocking), 2)),
    }


@dataclass
class Judge:
    models: dict[str, LogisticModel] = field(default_factory=load_models)

    @classmethod
    def strict(cls) -> "Judge":
        """The judge a digest's guard uses: its verdict cut is the corroboration bar, so what a digest states and
        the sources it cites must be surer than what the evaluator's verdict merely lets pass."""
        return cls(models={name: replace(m, threshold=m.corroboration_bar) for name, m in load_models().items()})

    def model(self, use_lm: bool) -> LogisticModel:
        if use_lm:
            if "lm" not in self.models:
                # Unfitted weights would make the score meaningless; say so instead of ignoring the signal.
                raise RuntimeError("the judge has no weights for the LM signal: run benchmarks/fit_judge.py --lm")
            return self.models["lm"]
        return self.models["base"]

    def probability(self, values: dict[str, float]) -> float:
        return self.model("lm" in values).probability(values)

    def verdict(self, probability: float, findings: list[Finding], use_lm: bool = False) -> Verdict:
        if any(f.conflict for f in findings):
            return "contradicted"
        if any(f.blocking for f in findings):
            return "unsupported"
        return "supported" if probability >= self.model(use_lm).threshold else "unsupported"

    def corroborates(self, verdict: Verdict, probability: float, use_lm: bool = False) -> bool:
        """Whether a judgement of a sentence against one source says, surely enough, that the source states it."""
        return verdict == "supported" and probability >= self.model(use_lm).corroboration_bar

    @property
    def name(self) -> str:
        base = self.models["base"]
        return f"logistic({', '.join(base.features)}); {base.notes.get('source', '')}".strip()
