"""Clauses and their roles: per verb, who did what to whom, and whether the clause is negated.

Each verb's lemma, its agent and patient (passive voice turned active: "B was sued by A" is
sue(A, B)), its other parties, and its polarity by scope ("did not", "never", "refused to",
"denied that"). Read from spaCy's dependency parse by ``evals.language.analyse``.
"""

from __future__ import annotations

from digest_core.nlp import name_words
from evals.analysis import CONTENT_POS, Clause, Name
from evals.lexicon import MONTHS, WEEKDAYS

# Verbs that negate the clause they govern: "refused to approve", "denied that it approved".
NEG_VERBS = {"deny", "refuse", "fail", "decline", "reject"}
# Verbs whose negation is the negation of the verb they govern: "did not appear to object" does not say he objected.
RAISING_VERBS = {"appear", "seem", "manage", "bother", "dare"}
# Adjectives before "to": "unlikely to continue" negates "continue"; "not likely to", "not able to" do too.
NEGATIVE_ADJECTIVES = {"unlikely", "unable", "unwilling"}
MODAL_ADJECTIVES = {"likely", "able", "willing", "certain", "sure", "set", "poised", "expected"}
# Verbs of holding back: what they govern is not done ("avoided naming", "refrained from criticizing", "is holding off
# on launching", "shied away from endorsing"). A time limit makes it a delay, not an abstention ("put off approving
# the merger until the autumn"), and is left alone.
ABSTAIN_VERBS = {"refrain", "abstain", "avoid", "resist", "forgo", "forego"}
ABSTAIN_PHRASES = {("hold", "off"), ("hold", "back"), ("put", "off"), ("shy", "away"), ("back", "away")}
_TIME_LIMITS = {"until", "till", "pending"}


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
        if child.dep_ == "preconj" and child.lower_ == "neither":
            return True  # "neither confirmed nor denied"
        if child.lower_ == "longer" and any(g.lower_ == "no" for g in child.children):
            return True  # "no longer allowed"
        if child.dep_ in {"nsubj", "dobj", "nsubjpass"} and any(
                g.lower_ in {"no", "nothing", "none", "nobody"} if g.dep_ == "det" else g.lower_ in {"nothing", "none", "nobody"}
                for g in child.subtree if g.dep_ == "det" or g is child):  # a bare "no" is an answer: "voted no"
            if any(g.lower_ in {"but", "except", "other"} for g in child.subtree):
                continue  # "shows nothing but normal processing" says "shows only normal processing"
            return True
        if child.dep_ in {"nsubj", "nsubjpass"} and any(g.dep_ == "preconj" and g.lower_ == "neither"
                                                        for g in child.children):
            return True  # "neither the name nor its plans have been revealed"
    return False


def _abstention(tok):
    """The verb of holding back that governs ``tok`` (see ``ABSTAIN_VERBS``), or None."""
    head = tok.head
    if head is tok:
        return None
    if tok.dep_ == "pcomp" and head.lower_ in {"from", "on"}:  # "refrained from criticizing", "held off on launching"
        head = head.head
        if head.dep_ in {"advmod", "prt"} and head.lower_ in {"back", "away", "off"} and head.head is not head:
            head = head.head  # "held back from cutting": "from" hangs on "back"
    elif tok.dep_ == "advcl" and tok.tag_ == "VBG" and tok.i > 0 and tok.doc[tok.i - 1].dep_ == "prt":
        pass  # "put off approving": the gerund right after the particle
    elif tok.dep_ != "xcomp":
        return None
    if head.pos_ != "VERB":
        return None
    lemma = head.lemma_.lower()
    if lemma not in ABSTAIN_VERBS and not any(
            (lemma, c.lower_) in ABSTAIN_PHRASES for c in head.children if c.dep_ in {"prt", "advmod"}):
        return None
    if any(c.lower_ in _TIME_LIMITS for c in [*tok.children, *head.children]):
        return None
    return head


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
    abstaining = _abstention(tok)
    if abstaining is not None:
        own = own != (not _own_negation(abstaining))
    if tok.dep_ == "xcomp" and head is not tok:
        if head.pos_ in {"VERB", "AUX"} and head.lemma_.lower() in RAISING_VERBS:
            own = own != negated(head)
        elif head.pos_ == "ADJ" and head.lower_ in NEGATIVE_ADJECTIVES | MODAL_ADJECTIVES:
            flip = head.lower_ in NEGATIVE_ADJECTIVES
            if _own_negation(head) or (head.dep_ == "acomp" and head.head is not head and negated(head.head)):
                flip = not flip
            own = own != flip
    if tok.dep_ == "conj" and head is not tok and _shares_polarity(tok, head):
        own = own or negated(head)  # "hasn't spoken to him or invited him": not invited either
    return own


def _coordinated(tok) -> bool:
    """A noun joined to another by "and" / "or": a relative clause after "Brian and Charlotte Smith, who" may be
    about both, so its pronoun is not taken for the last one."""
    return tok.dep_ == "conj" or any(c.dep_ == "conj" for c in tok.children)


# Verb forms a coordination under one helper shares; the past tense and participle of most verbs are one word, which
# the tagger may label either way.
_FORMS = {"VB": "base", "VBP": "base", "VBD": "past", "VBN": "past", "VBZ": "s", "VBG": "ing"}


def _shares_polarity(conjunct, first) -> bool:
    """A verb joined by "or" / "nor" to a negated one, with no subject, helper or negation of its own, is under the
    same negation: "did not decide or make any rulings"."""
    if any(c.dep_ in {"nsubj", "nsubjpass", "aux", "auxpass", "neg"} for c in conjunct.children):
        return False
    if _FORMS.get(conjunct.tag_) != _FORMS.get(first.tag_):
        return False  # verbs under one helper share its form ("hasn't spoken ... or invited"); "disciplined ... or ibe" is a misparse
    return any(c.dep_ in {"cc", "preconj"} and c.lower_ in {"or", "nor"} for c in first.children) \
        and first.pos_ in {"VERB", "AUX"}


def clause_of(tok, token_name: dict[int, Name]) -> Clause | None:
    """The clause a verb heads, with its roles and polarity; None for a helping verb."""
    if tok.pos_ == "AUX" and tok.dep_ != "ROOT" and not (
            tok.dep_ in {"ccomp", "advcl", "relcl", "conj"} and any(c.dep_ == "nsubj" for c in tok.children)):
        return None  # a helping verb; a copula heading a clause of its own ("that X was not in contact") counts
    agent: tuple[str, ...] = ()
    patient: tuple[str, ...] = ()
    whole: tuple[str, ...] = ()
    counted = False
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
        if tok.dep_ == "relcl" and filler.lower_ in RELATIVE_PRONOUNS and tok.head is not tok \
                and not _coordinated(tok.head):
            filler = tok.head  # "the committee that investigated Trump": the committee investigated him
        words, label = _phrase(filler, token_name)
        if role == "agent":
            agent = words
        else:
            patient = words
            whole = _whole_of(filler, token_name)
            counted = filler.like_num or filler.lemma_.lower() in PARTITIVES or any(
                ch.dep_ in {"nummod", "quantmod"} or ch.like_num or ch.lower_ in QUANTIFIERS for ch in filler.children)
        if label:
            named.add(role)
            kinds.append((role, label))
    if not agent and tok.dep_ == "acl" and tok.head.pos_ == "NOUN":  # "X's reluctance to confront Y": X does it
        for child in tok.head.children:
            if child.dep_ == "poss" and not _is_time(child):  # "Tuesday's decision overturning ...": no doer
                agent = _phrase(child, token_name)[0]
    parties = _other_parties(tok, token_name)
    others = tuple(p for p, _ in parties if p)
    targets = tuple(p for p, how in parties if p and how in TARGET_PREPOSITIONS)
    words = frozenset(t.lemma_.lower() for t in tok.subtree if t.pos_ in CONTENT_POS | {"PROPN", "NUM"} and not t.is_stop)
    span = list(tok.subtree)
    text = tok.doc[span[0].i: span[-1].i + 1].text if span else tok.text
    embedded_in, frame, framer = _frame_of(tok, token_name)
    controller = () if agent else _controller(tok, token_name)
    hedge, future = _hedge_of(tok)
    return Clause(tok.lemma_.lower(), negated(tok), agent, patient, words, text, frozenset(named), tuple(kinds), others,
                  targets, embedded_in, frame, framer, controller, whole, counted, hedge, future, _finite(tok))


# Nouns and quantifiers that name a part of the group after their "of": "members of the team", "some of the votes";
# and the words that count or quantify a thing ("three boys", "some votes"): a counted thing is no whole group.
PARTITIVES = {"member", "some", "part", "portion", "half", "most", "many", "several", "few", "majority", "minority",
              "fraction", "share", "handful", "dozen", "dozens", "hundreds", "thousands", "one", "two", "three", "four",
              "five", "six", "seven", "eight", "nine", "ten", "percent", "%", "third", "quarter", "rest", "number"}
QUANTIFIERS = {"some", "many", "several", "few", "most", "all", "both", "each", "every", "no", "more", "fewer", "less"}


def _whole_of(filler, token_name: dict[int, Name]) -> tuple[str, ...]:
    """The group a part of which ``filler`` names ("three members of the team" -> team), or ()."""
    if not (filler.lemma_.lower() in PARTITIVES or filler.like_num):
        return ()
    for child in filler.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            for grand in child.children:
                if grand.dep_ == "pobj":
                    return _phrase(grand, token_name)[0]
    return ()


# Words that present what they govern as a party's assertion, not as a fact the text vouches for: an accusation,
# an allegation, a claim, an argument, a belief or a suspicion. A plain "said" is not among them: news states an
# announcement or a plain fact through it, and a summary may drop it.
FRAME_VERBS = {"accuse", "allege", "claim", "contend", "argue", "insist", "assert", "maintain", "suspect", "believe",
               "speculate", "charge", "theorize", "theorise", "purport"}
# Of those, the ones news also uses after the statement as a plain speech tag, like "said": "Spain will not worry,
# insists Pique". There they do not frame.
TAG_VERBS = {"argue", "insist", "assert", "maintain", "contend", "believe"}
FRAME_NOUNS = {"allegation", "accusation", "claim", "charge", "suspicion", "belief", "speculation", "assertion",
               "contention", "argument", "rumor", "rumour", "theory"}
FRAME_ADVERBS = {"allegedly", "reportedly", "purportedly", "supposedly", "ostensibly"}
# Words that present what they govern as a plan, a hope, an attempt or a likelihood, not as done or certain:
# "plans to close", "is expected to rule", "tried to take", "is likely to pass"; and the modal verbs of possibility.
HEDGES = {"plan", "expect", "propose", "consider", "hope", "want", "seek", "aim", "intend", "threaten", "vow",
          "promise", "try", "attempt", "prepare", "weigh", "mull", "likely", "poised", "set", "push", "urge", "call"}
HEDGE_MODALS = {"may", "might", "could", "should"}
# How a clause hangs from the word it is the content of.
_EMBEDDING = {"ccomp", "xcomp", "csubj", "csubjpass"}


def _governor(tok):
    """The verb or noun whose content the clause headed by ``tok`` is ("said [that it left]", "accused X [of
    leaving]", "the claim [that it left]"), or None when it is asserted in its own right."""
    if tok.head is tok:
        return None
    if tok.dep_ in _EMBEDDING:
        return tok.head
    if tok.dep_ == "pcomp" and tok.head.dep_ in {"prep", "agent"} and tok.head.head is not tok.head:
        return tok.head.head  # "accused them of [violating the truce]"
    if tok.dep_ in {"acl", "ccomp"} and tok.head.pos_ == "NOUN" and any(
            c.dep_ == "mark" and c.lower_ == "that" for c in tok.children):
        return tok.head  # "allegations [that he lied]"
    if tok.dep_ == "conj":
        return _governor(tok.head)  # "claimed that he lied and [cheated]"
    return None


def _controller(tok, token_name: dict[int, Name]) -> tuple[str, ...]:
    """The doer of a clause without a subject, from the verb it hangs from: its object for "accused X of
    [doing]" (or its passive subject, "X was accused of"), its subject for "X claimed [to have done]" unless it has
    an object ("urged X to [do]")."""
    governor = _governor(tok) if tok.dep_ in {"xcomp", "pcomp"} else None
    if governor is None or governor.pos_ not in {"VERB", "AUX"}:
        return ()
    roles = {c.dep_: c for c in governor.children if c.dep_ in {"nsubj", "nsubjpass", "dobj"}}
    if tok.dep_ == "pcomp":
        filler = roles.get("dobj") or roles.get("nsubjpass")
    else:
        filler = roles.get("dobj") or roles.get("nsubj") or roles.get("nsubjpass")
    return _phrase(filler, token_name)[0] if filler is not None else ()


def _frame_of(tok, token_name: dict[int, Name]) -> tuple[str, str, tuple[str, ...]]:
    """(the word the clause is stated under, the first word up its chain that frames it as a party's assertion, who
    asserts it): see ``Clause.embedded_in``."""
    governor = _governor(tok)
    if governor is None and tok.head is not tok and any(c.dep_ == "aux" and c.tag_ == "TO" for c in tok.children):
        governor = tok.head  # "signed an order [to shore up defences]": a purpose, not a statement
    embedded_in = governor.lemma_.lower() if governor is not None else ""
    current, seen = tok, 0
    while current is not None and seen < 6:
        seen += 1
        if any(c.dep_ == "advmod" and c.lower_ in FRAME_ADVERBS for c in current.children):
            return embedded_in, next(c.lower_ for c in current.children if c.lower_ in FRAME_ADVERBS), ()
        modal = next((c.lower_ for c in current.children if c.dep_ == "aux" and c.lower_ in HEDGE_MODALS), "")
        if modal and not _own_negation(current):  # "could not find" says it was not found
            return embedded_in, modal, ()
        if current is not tok and (current.is_lower or current.is_sent_start):  # not a word of a title in capitals
            lemma = current.lemma_.lower()
            if lemma in HEDGES:
                return embedded_in, lemma, ()
            if (current.pos_ in {"VERB", "AUX"} and lemma in FRAME_VERBS and not (lemma in TAG_VERBS and current.i > tok.i)
                    or current.pos_ == "NOUN" and lemma in FRAME_NOUNS):
                framer = next((_phrase(c, token_name)[0] for c in current.children if c.dep_ == "nsubj"), ())
                return embedded_in, lemma, framer
        if current.pos_ in {"VERB", "AUX"} or current is tok:
            current = _governor(current)
        else:  # a noun the clause's preposition hung from: "accused by [women] of touching": up to its verb
            current = next((t for t in current.ancestors if t.pos_ in {"VERB", "AUX"}), None)
    return embedded_in, "", ()


# What makes a statement less than a fact, besides HEDGES and HEDGE_MODALS: "would" (a proposal's effect, a
# condition's consequence), a condition ("if", "unless"), an adverb of likelihood, and the nouns whose content is
# only proposed, sought or needed ("the proposal to extend", "a bid to block", "legislation is needed to clarify").
CONDITIONAL_MODALS = {"would"}
CONDITIONS = {"if", "unless"}
HEDGE_ADVERBS = {"likely", "probably", "possibly", "perhaps", "potentially", "maybe", "conceivably"}
HEDGE_NOUNS = {"proposal", "plan", "bid", "effort", "attempt", "push", "call", "offer", "threat", "promise", "pledge",
               "vow", "option", "intention", "aim", "goal", "hope", "need", "idea", "prospect", "possibility", "chance",
               "request", "demand", "suggestion", "campaign"}
HEDGE_GOVERNORS = HEDGES | {"need", "ask", "demand", "request", "suggest", "recommend", "seem", "appear", "look"}
FUTURE_AUX = {"will", "shall", "'ll", "wo"}
FINITE_TAGS = {"VBD", "VBZ", "VBP", "MD"}
NOT_YET = {"before", "until", "till", "whether", "once", "unless", "if"}


def _going_to(tok) -> bool:
    """The clause is the infinitive of "going to" ("is going to [dismantle]")."""
    return tok.head is not tok and tok.head.lemma_ == "go" and tok.head.tag_ == "VBG" and any(
        c.dep_ == "aux" and c.tag_ == "TO" for c in tok.children)


def _finite(tok) -> bool:
    """See ``Clause.finite``."""
    if any(c.dep_ == "mark" and c.lower_ in NOT_YET for c in tok.children):
        return False
    auxiliaries = [c for c in tok.children if c.dep_ in {"aux", "auxpass"}]
    if any(c.tag_ == "TO" for c in auxiliaries):  # an infinitive, unless it is "is going to [happen]"
        return _going_to(tok) and _finite(tok.head)
    return tok.tag_ in FINITE_TAGS or any(c.tag_ in FINITE_TAGS for c in auxiliaries)


def _hedge_of(tok) -> tuple[str, bool]:
    """(the word that hedges the clause headed by ``tok``, whether it is stated as to happen): see ``Clause.hedge``.
    A negated modal is no hedge ("could not find" says it was not found)."""
    future = any(c.dep_ == "aux" and c.lower_ in FUTURE_AUX for c in tok.children) or _going_to(tok)
    current, seen = tok, 0
    while current is not None and seen < 6:
        seen += 1
        for child in current.children:
            if child.dep_ == "advmod" and child.lower_ in HEDGE_ADVERBS:
                return child.lower_, future
            if child.dep_ == "aux" and child.lower_ in HEDGE_MODALS | CONDITIONAL_MODALS and not _own_negation(current):
                return child.lower_, future
            if child.dep_ == "mark" and child.lower_ in CONDITIONS:
                return child.lower_, future
        if current is not tok and (current.is_lower or current.is_sent_start):
            lemma = current.lemma_.lower()
            if current.pos_ in {"VERB", "AUX", "ADJ"} and lemma in HEDGE_GOVERNORS or current.pos_ == "NOUN" and lemma in HEDGE_NOUNS:
                return lemma, future
        if current.pos_ in {"VERB", "AUX"} or current is tok:
            governor = _governor(current)
            if governor is None and current.head is not current and any(
                    c.dep_ == "aux" and c.tag_ == "TO" for c in current.children):
                governor = current.head  # "the proposal [to extend]", "called for X [to exercise]"
                if governor.pos_ == "ADP" and governor.head is not governor:
                    governor = governor.head
            current = governor
        else:
            current = None
    return "", future


# A possessive that dates a thing rather than owning it: "Tuesday's decision", "last year's vote".
TIME_WORDS = WEEKDAYS | set(MONTHS) | {"today", "yesterday", "tomorrow", "day", "week", "month", "year", "decade",
                                       "weekend", "morning", "evening", "night", "season", "quarter"}


def _is_time(tok) -> bool:
    return tok.ent_type_ in {"DATE", "TIME"} or tok.lower_ in TIME_WORDS or tok.lemma_.lower() in TIME_WORDS


# How a party the action is aimed at or taken from hangs from it ("to" also for an indirect object).
TARGET_PREPOSITIONS = {"to", "against", "on", "from", "at", "toward", "towards", "into", "upon"}
RELATIVE_PRONOUNS = {"that", "which", "who", "whom"}
# Any other party: a target, or one the action is done with, for or over.
PARTY_PREPOSITIONS = TARGET_PREPOSITIONS | {"with", "for", "over"}


def _other_parties(tok, token_name: dict[int, Name]) -> list[tuple[tuple[str, ...], str]]:
    """Each other party of the action, with how it is attached: its preposition, "to" for an indirect object,
    "of" for the owner of the thing done to."""
    out: list[tuple[tuple[str, ...], str]] = []
    for child in tok.children:
        if child.dep_ == "dative" and child.pos_ != "ADP":
            out.append((_phrase(child, token_name)[0], "to"))
        elif child.dep_ in {"prep", "dative"} and child.lower_ in PARTY_PREPOSITIONS:
            out += [(_phrase(g, token_name)[0], child.lower_) for g in child.children if g.dep_ == "pobj"]
        elif child.dep_ in {"dobj", "nsubjpass"}:
            for inner in child.subtree:
                if inner.dep_ == "poss" and inner.pos_ != "PRON":
                    out.append((_phrase(inner, token_name)[0], "of"))
            for prep in child.children:  # the parse often hangs "on X" from the object: "used [a gun on X]"
                if prep.dep_ == "prep" and prep.lower_ in PARTY_PREPOSITIONS:
                    out += [(_phrase(g, token_name)[0], prep.lower_) for g in prep.children if g.dep_ == "pobj"]
    return out
