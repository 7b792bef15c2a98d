"""The judge as a LangSmith evaluator, with LangSmith's own Run and Example records (offline)."""

from __future__ import annotations

import datetime
import uuid

from langchain_core.documents import Document
from langsmith.evaluation import EvaluationResult
from langsmith.schemas import Example, Run

from evals.cases import Case, score_case
from evals.integrations.langchain import DigestFaithfulnessEvaluator, digest_faithfulness

GOOD = "The Port City council voted 7 to 2 on Tuesday to approve a new bridge."
BAD = "The Port City council voted 3 to 6 on Friday to reject the bridge."


def _run(output: str) -> Run:
    return Run(id=uuid.uuid4(), name="summarise", run_type="chain", start_time=datetime.datetime.now(datetime.UTC),
               inputs={"question": "What did the council decide?"}, outputs={"output": output})


def test_run_evaluator_scores_the_run_against_the_example_documents(scorer, sources):
    documents = [Document(page_content=s.text, metadata={"source": s.name}) for s in sources]
    example = Example(id=uuid.uuid4(), dataset_id=uuid.uuid4(), inputs={"context": documents})
    evaluator = DigestFaithfulnessEvaluator(scorer=scorer)
    good, bad = evaluator.evaluate_run(_run(GOOD), example), evaluator.evaluate_run(_run(BAD), example)
    assert isinstance(good, EvaluationResult) and good.key == "digest_faithfulness"
    assert good.score == score_case(Case(id="x", response=GOOD, sources=sources), scorer).summary.faithfulness
    assert good.score > 0.5 > bad.score
    assert "contradicted" in bad.comment and "voted 3 to 6" in bad.comment and "number" in bad.comment
    assert good.comment == "every sentence is supported"


def test_function_evaluator_reads_ragas_names_and_says_what_is_missing(scorer, sources):
    contexts = [s.text for s in sources]
    result = digest_faithfulness({"retrieved_contexts": contexts}, {"response": BAD}, scorer=scorer)
    assert result["key"] == "digest_faithfulness" and result["score"] < 0.5
    missing = digest_faithfulness({}, {"response": BAD}, scorer=scorer)
    assert missing["score"] is None and "retrieved_contexts" in missing["comment"]
