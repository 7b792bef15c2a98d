"""The linguistic layer: names, roles and polarity as a careful reader sees them.

What the rest of the evaluator gets from here, per text (``analyse``, records in evals.analysis):
* ``names``: every name (entities, and runs of proper nouns the NER missed) with its words
  normalised: no titles, determiners, possessives or dots ("Sen. Bernie Sanders's" -> bernie sanders);
  read in evals.names;
* ``clauses``: per verb, its lemma, the agent and the patient (passive voice turned active:
  "B was sued by A" is sue(A, B)) and its polarity by scope ("did not", "never", "refused to", "denied that");
  read in evals.clauses;
* ``content``: the content words with lemma and part of speech, for soft alignment.
And ``core_statement``: a sentence's main clause without its details. The spaCy pipeline itself is
loaded by digest_core.nlp.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from typing import Sequence

from digest_core.nlp import pipeline, states
from evals.analysis import CONTENT_POS, Analysis, Name, Word
from evals.clauses import clause_of
from evals.names import doc_names

MEMO = 20000


_memo: OrderedDict[str, Analysis] = OrderedDict()
_memo_lock = threading.Lock()


def analyse(texts: Sequence[str]) -> list[Analysis]:
    """The analysis of each text; recent texts come from a bounded memo (sources are re-read often)."""
    with _memo_lock:
        todo = [t for t in dict.fromkeys(texts) if t not in _memo]
    done: dict[str, Analysis] = {}
    if todo:
        nlp = pipeline()
        done = {t: _analysis(_name_not_verb(doc, nlp)) for t, doc in zip(todo, nlp.pipe(todo, batch_size=64))}
        with _memo_lock:
            _memo.update(done)
            while len(_memo) > MEMO:
                _memo.popitem(last=False)
    with _memo_lock:
        return [done[t] if t in done else _memo[t] for t in texts]


def _name_not_verb(doc, nlp):
    """The small English model reads some sentence-opening surnames as a verb ("Trump extended temporary
    protections ...": "Trump" the root, "extended" an adjective), and the clause checks then find no doer. When the
    first word, capitalised, is taken for the root verb in its base form (an imperative, which news does not open
    with), the sentence is parsed again with "He" in its place; if "He" is then a subject, that parse is kept, with
    the original words and the name as a person."""
    first = doc[0] if len(doc) > 2 else None
    if first is None or not (first.pos_ == "VERB" and first.tag_ == "VB" and first.dep_ == "ROOT" and first.is_title
                             and first.is_alpha):  # a base form: "Passing the resolution was ..." is a gerund
        return doc
    again = nlp("He" + doc.text[len(first.text):])
    if len(again) != len(doc) or again[0].dep_ not in {"nsubj", "nsubjpass"}:
        return doc
    from spacy.tokens import Doc

    ents = ["B-PERSON"] + ["O"] * (len(doc) - 1)
    for ent in again.ents:
        for k, tok in enumerate(ent):
            ents[tok.i] = ("B-" if k == 0 else "I-") + ent.label_
    return Doc(nlp.vocab, words=[t.text for t in doc], spaces=[bool(t.whitespace_) for t in doc],
               heads=[t.head.i for t in again], deps=[t.dep_ for t in again],
               pos=["PROPN"] + [t.pos_ for t in again[1:]], tags=["NNP"] + [t.tag_ for t in again[1:]],
               lemmas=[first.text] + [t.lemma_ for t in again[1:]], ents=ents)


def _analysis(doc) -> Analysis:
    names = doc_names(doc)
    token_name: dict[int, Name] = {}
    for span, name in names:
        for tok in span:
            token_name[tok.i] = name
    clauses = tuple(c for tok in doc if tok.pos_ in {"VERB", "AUX"} and (c := clause_of(tok, token_name)) is not None)
    content = tuple(Word(t.lower_, t.lemma_.lower(), t.pos_) for t in doc
                    if t.pos_ in CONTENT_POS and t.is_alpha and not t.is_stop and len(t) > 1)
    phrases = tuple((doc[t.left_edge.i: t.right_edge.i + 1].text,
                     tuple(w.lower_ for w in t.subtree if w.pos_ in CONTENT_POS | {"PROPN", "NUM"} and not w.is_stop))
                    for t in doc if t.dep_ in PHRASE_DEPS)
    attachments = tuple(a for span, name in names if (a := _attachment(span, name)) is not None)
    return Analysis(doc.text, tuple(n for _, n in names), clauses, content, phrases, attachments, states(doc))


def _attachment(span, name: Name) -> tuple[tuple[str, ...], str, str, str] | None:
    root = span.root
    if root.dep_ == "pobj" and root.head.dep_ == "prep" and root.head.head is not root.head:
        return name.words, root.head.head.lemma_.lower(), root.head.lower_, name.label  # "treated in Germany"
    return None


# Dependencies that head a constituent able to state something of its own.
PHRASE_DEPS = {"advcl", "relcl", "conj", "xcomp", "ccomp", "acl", "prep", "appos", "npadvmod", "pcomp", "agent",
               "dobj", "attr"}


# -- the core of a statement -------------------------------------------------------------

_SPEECH = {"say", "tell", "report", "announce", "state", "add", "write", "note", "claim", "argue", "warn", "insist"}
_VERB_KEEP = {"nsubj", "nsubjpass", "dobj", "aux", "auxpass", "neg", "dative", "attr", "acomp", "xcomp", "prt",
              "agent", "oprd", "ccomp", "pobj", "expl", "csubj"}
_NOUN_DROP = {"relcl", "acl", "appos", "advcl", "parataxis", "punct", "cc", "conj", "prep", "npadvmod"}
_CORE_MEMO: OrderedDict[str, str] = OrderedDict()


def core_statement(text: str) -> str:
    """The main clause of a sentence without its details: who did what to whom, no time, place,
    reason, relative clauses or appositions ("The Supreme Court on Monday denied an appeal from
    Republicans challenging ..." -> "The Supreme Court denied an appeal"). Reported speech is
    read for what was said. The text itself when the core would say too little to stand alone."""
    return core_statements([text])[0]


def core_statements(texts: Sequence[str]) -> list[str]:
    """``core_statement`` of each text; the texts not seen recently are parsed together, in one batch
    (spaCy parses a text the same alone or in a batch, and a batch costs far less than one call per text)."""
    todo = [t for t in dict.fromkeys(texts) if t not in _CORE_MEMO]
    done = {t: _core_of(doc, t) for t, doc in zip(todo, pipeline().pipe(todo, batch_size=64))} if todo else {}
    out = [done[t] if t in done else _CORE_MEMO[t] for t in texts]
    _CORE_MEMO.update(done)
    while len(_CORE_MEMO) > MEMO:
        _CORE_MEMO.popitem(last=False)
    return out


def _core_of(doc, text: str) -> str:
    sent = max(doc.sents, key=len)
    root = sent.root
    said = [c for c in root.children if c.dep_ == "ccomp"]
    if root.lemma_.lower() in _SPEECH and said:
        root = said[0]
    keep: set[int] = set()

    def add(tok, verbal: bool) -> None:
        keep.add(tok.i)
        for child in tok.children:
            if verbal and child.dep_ not in _VERB_KEEP:
                continue
            if not verbal and child.dep_ in _NOUN_DROP and not (child.dep_ == "prep" and child.lower_ == "of"):
                continue
            add(child, child.pos_ in {"VERB", "AUX"} and child.dep_ in {"xcomp", "ccomp"})

    add(root, True)
    words = [t for t in doc if t.i in keep]
    content = [t for t in words if t.pos_ in {"NOUN", "PROPN", "VERB", "ADJ", "NUM"} and not t.is_stop]
    core = " ".join(t.text for t in words) if len(content) >= 3 else text
    return re.sub(r"\s+([,.;:'’])", r"\1", core).strip()
