"""The output contract as JSON Schema: ``digest schema [report|cases|digest]``.

Every JSON document the tool writes carries ``schema_version`` (``evals.records.SCHEMA_VERSION``);
the schema of each is generated from the pydantic models that write it, so they cannot drift apart.
"""

from __future__ import annotations

from typing import Any, Callable

from digest_core.version import SCHEMA_VERSION


def _report() -> type:
    from evals.records import Report

    return Report


def _cases() -> type:
    from evals.cases import CasesRun

    return CasesRun


def _digest() -> type:
    from summarizer.records import Digest

    return Digest


DOCUMENTS: dict[str, tuple[str, Callable[[], type]]] = {
    "report": ("digest eval --json: the evaluation of one summary", _report),
    "cases": ("digest eval --cases --json: the evaluation of many cases", _cases),
    "digest": ("digest.json, written by digest run", _digest),
}


def json_schema(name: str) -> dict[str, Any]:
    """The JSON Schema of one output document; KeyError names the choices."""
    if name not in DOCUMENTS:
        raise KeyError(f"unknown document {name!r}; choose {', '.join(DOCUMENTS)}")
    title, model = DOCUMENTS[name]
    schema = model().model_json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["description"] = f"{title} (schema_version {SCHEMA_VERSION})"
    return schema
