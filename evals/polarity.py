"""Polarity: negation by the scope of the clause, and antonyms, against the evidence that restates it.

* ``check_clause_polarity``: a clause negated ("did not", "never", "refused to", "denied that") where the
  evidence clause restating it is not, or the reverse, so "don't" and "do not" agree;
* ``check_clause_antonyms``: the same statement with the opposite verb, in either voice;
* ``check_antonyms``: the lexical half, an antonym swap ("rose" for "fell") or a negative prefix added or
  dropped against the source sentence the summary sentence restates.
"""

from __future__ import annotations

import re
from typing import Sequence

from digest_core.text import STOPWORDS, stem, words
from evals.analysis import Analysis, Clause
from evals.lexicon import ANTONYM_PAIRS, ANTONYMS
from evals.names import same_party
from evals.records import Finding
from evals.support import WordSupport, verbs_match


def _restates(c: Clause, e: Clause) -> bool:
    shared = len((c.words & e.words) - {c.verb, e.verb})
    if c.verb in {"be", "have", "do"}:  # "it will not be clear" restates no "be" clause merely by one shared word
        return shared >= 2 and (not (c.agent and e.agent) or same_party(c.agent, e.agent))
    return shared >= 1 or same_party(c.agent, e.agent) or same_party(c.patient, e.patient)



_ANY_NEGATION = re.compile(r"\b(?:not|no|never|neither|nor|without|none|nothing|nobody|unless|cannot)\b|n['’]t\b", re.I)


def _plainly_stated(c: Clause, evidence: Sequence[Analysis]) -> str | None:
    """An evidence passage that holds the negated clause's verb and at least two of its other content words,
    with no negation in the words before the verb: "would not reconsider the membership" against "and 'reconsider' the country's
    membership", where quotation marks kept the parser from reading the evidence's clause."""
    others = c.words - {c.verb}
    if len(others) < 2:
        return None
    for a in evidence:
        lemmas = {w.lemma for w in a.content}
        if c.verb not in lemmas or len(others & lemmas) < 2 or any(e.negated and e.verb == c.verb for e in a.clauses):
            continue
        forms = {w.lower for w in a.content if w.lemma == c.verb}
        lower = a.text.lower()
        spots = [m.start() for f in forms for m in re.finditer(rf"\b{re.escape(f)}\b", lower)]
        if spots and not any(_ANY_NEGATION.search(lower[max(0, at - 40): at]) for at in spots):
            return a.text  # no negation in the words before the verb, wherever the evidence has it
    return None


# Words that carry a negative meaning without "not": a sentence that says "did not" for one of these restates it.
NEGATIVE_MEANING = re.compile(
    r"\b(?:refus\w*|fail\w*|den(?:y|ies|ied|ial)\w*|reject\w*|declin\w*|block\w*|bann?\w*|bar(?:s|red|ring)?|"
    r"prevent\w*|lack\w*|oppos\w*|halt\w*|stop\w*|cancel\w*|avoid\w*|ignor\w*|dismiss\w*|unable|absen\w*|"
    r"miss\w*|against|forbid\w*|prohibit\w*|resist\w*|doubt\w*|disput\w*|withh[eo]ld\w*|omit\w*|exclud\w*|"
    r"neglect\w*|abandon\w*|drop\w*|los[et]\w*|quit\w*|reluctan\w*|unlikely|hardly|barely|rarely|little|few|"
    r"skip\w*|rebuff\w*|spurn\w*|shun\w*|dropp\w*|scrap\w*|revers\w*|overturn\w*|rul\w* out|turn\w* down|"
    r"kept from|keep\w* from|refrain\w*|abstain\w*|fore?go(?:es|ne|ing)?|forwent|h[eo]ld\w* (?:off|back)|put\w* off|"
    r"sh(?:y|ies|ied|ying) away|spar\w*|excus\w*|exempt\w*|free of|clear\w*|innocen\w*|false\w*|untrue|wrong\w*|"
    r"un(?:able|willing|aware|clear|known|sure|likely|fair|lawful|constitutional|successful|happy|acceptable|"
    r"available|founded|supported|true|safe|wanted|welcome)\w*|"
    r"in(?:correct|accurate|valid|effective|sufficient|adequate)\w*|"
    r"dis(?:agree|approv|allow|continu|qualif|satisf|credit|miss|put|avow|own|regard)\w*|none|nonexist\w*)\b", re.I)


def _affirmed(c: Clause, evidence: Sequence[Analysis]) -> str | None:
    """An evidence passage that states most of the negated clause's content, in other words, with no negation and
    no word of negative meaning anywhere in it: "did not think it would undermine national security" against "he
    feared it would undermine U.S. national security". A sentence saying "did not" for the evidence's "refused" or
    "failed" restates it, so any such word in a passage on the same matter keeps this quiet."""
    others = c.words - {c.verb}
    if len(others) < 3:
        return None
    found = None
    for a in evidence:
        lemmas = {w.lemma for w in a.content} | {w.lower for w in a.content}
        shared = others & lemmas
        if len(shared) >= 2 and (_ANY_NEGATION.search(a.text) or NEGATIVE_MEANING.search(a.text)):
            return None  # some passage on the same matter says it negatively: the sentence may restate that one
        if found is None and len(shared) >= 3 and len(shared) >= 0.6 * len(others):
            found = a.text
    return found


def check_clause_antonyms(sentence: Analysis, evidence: Sequence[Analysis]) -> list[Finding]:
    """The same statement with the opposite verb, in either voice: "claims were accepted by judges" where the
    evidence has "judges rejected the claims". The two clauses must share their polarity, the thing done to and
    (when both name one) the doer, so a verb merely used elsewhere in the evidence does not count."""
    ev_clauses = [c for a in evidence for c in a.clauses]
    own_verbs = {c.verb for c in sentence.clauses}
    for c in sentence.clauses:
        for e in ev_clauses:
            if (c.verb, e.verb) not in ANTONYM_PAIRS or c.negated != e.negated or e.verb in own_verbs:
                continue  # a sentence using both verbs ("overturned the ruling that had upheld") is not the swap
            if same_party(c.patient, e.patient) and (not (c.agent and e.agent) or same_party(c.agent, e.agent)) \
                    or _same_intransitive(c, e, ev_clauses):
                return [Finding(kind="antonym", conflict=True, check="opposite verb (dependency clauses)",
                                words=[c.verb], evidence=e.text[:300],
                                detail=f"'{c.verb}' where the evidence restating it says '{e.verb}': \"{e.text[:160]}\"")]
    return []


def _same_intransitive(c: Clause, e: Clause, ev_clauses: Sequence[Clause]) -> bool:
    """Two clauses with no object and the same doer: "deaths gradually fall" where the evidence has "deaths gradually
    rise". Not when the evidence also gives the sentence's own verb for that doer (a rise on one day, a fall on the
    next)."""
    if c.patient or e.patient or not (c.agent and e.agent) or not same_party(c.agent, e.agent):
        return False
    return not any(o.verb == c.verb and same_party(o.agent, c.agent) for o in ev_clauses)


def check_clause_polarity(sentence: Analysis, evidence: Sequence[Analysis], words: WordSupport) -> list[Finding]:
    """A clause negated where the evidence clause restating it is not (or the reverse)."""
    ev_clauses = [c for a in evidence for c in a.clauses]
    for c in sentence.clauses:
        if c.verb in {"be", "have", "do"} and not c.negated:
            continue
        same = [e for e in ev_clauses if verbs_match(c.verb, e.verb, words) and _restates(c, e)]
        if not same and c.negated:
            plain = _plainly_stated(c, evidence)
            how = " where the evidence states it plainly, with no negation before it"
            if plain is None:
                plain = _affirmed(c, evidence)
                how = "; the evidence states the same matter with no negation and no word of negative meaning"
            if plain is not None:
                return [Finding(kind="negation", conflict=True, check="clause polarity", words=[c.text[:120]],
                                evidence=plain[:300],
                                detail=f"the sentence negates '{c.verb}'{how}: \"{plain[:160]}\"")]
        if same and all(e.negated != c.negated for e in same):
            e = same[0]
            said = "negates" if c.negated else "states plainly"
            return [Finding(kind="negation", conflict=True, check="clause polarity", words=[c.text[:120]],
                            evidence=e.text[:300],
                            detail=f"the sentence {said} '{c.verb}' where the evidence "
                                   f"{'states it plainly' if c.negated else 'negates it'}: \"{e.text[:160]}\"")]
    return []


_WINDOW = 4  # tokens either side of an antonym: compared only where both texts say the same thing


def _windows(tokens: list[str], hit) -> list[set[str]]:
    """Content stems near every token where ``hit`` is true."""
    return [{stem(w) for w in tokens[max(0, i - _WINDOW): i] + tokens[i + 1: i + _WINDOW + 1]
             if w not in STOPWORDS and len(w) > 1} for i, t in enumerate(tokens) if hit(t)]


def check_antonyms(sentence: str, evidence_unit: str, best_lex: float) -> list[Finding]:
    """An antonym swap ("rose" for "fell") against the source sentence the summary sentence restates.

    Negation itself is read by clause scope above; this is the lexical half of polarity.
    """
    if best_lex < 0.5:
        return []  # not clearly the same statement: comparison would be noise
    s_tok, e_tok = words(sentence), words(evidence_unit)
    s_stems = {stem(w) for w in s_tok if w not in STOPWORDS}
    e_stems = {stem(w) for w in e_tok if w not in STOPWORDS}
    swaps: list[tuple[str, str]] = []
    if _negated_near(s_tok) != _negated_near(e_tok):
        return []  # "did not accept" restating "rejected": the two flips cancel
    for a, b in ANTONYMS:
        sa, sb = stem(a), stem(b)
        if sa not in s_stems or sb not in e_stems or sa in e_stems or sb in s_stems:
            continue
        for wa in _windows(s_tok, lambda t: stem(t) == sa):
            if any(len(wa & wb) >= 2 for wb in _windows(e_tok, lambda t: stem(t) == sb)):
                swaps.append((a, b))
                break
    swaps += _prefix_antonyms(s_tok, e_tok, s_stems, e_stems)
    swaps += _stance_swaps(s_tok, e_tok)
    return [Finding(kind="antonym", conflict=True, check="antonyms", words=[a], evidence=evidence_unit[:300],
                    detail=f"'{a}' where the evidence says '{b}'") for a, b in swaps[:2]]


_FOR = re.compile(r"\bin (?:favou?r|support) of\b")


def _stances(tokens: list[str]) -> dict[str, set[str]]:
    """Per word standing right before "for" or "against" ("voted for", "argued against"; "in favor of" and "in
    support of" count as "for"): which of the two follows it."""
    toks = _FOR.sub("for", " ".join(tokens)).split()
    out: dict[str, set[str]] = {}
    for i in range(1, len(toks)):
        if toks[i] in {"for", "against"} and toks[i - 1] not in STOPWORDS:
            out.setdefault(stem(toks[i - 1]), set()).add(toks[i])
    return out


def _stance_swaps(s_tok: list[str], e_tok: list[str]) -> list[tuple[str, str]]:
    """"voted for the plan" where the evidence restating it has "would vote against it": the same word, the other
    side. Not when the evidence has both sides after that word."""
    theirs = _stances(e_tok)
    return [(next(iter(side)), next(iter(theirs[word]))) for word, side in _stances(s_tok).items()
            if len(side) == 1 and len(theirs.get(word, ())) == 1 and side != theirs[word]]


_NEGATIVE_PREFIXES = ("non", "dis", "un", "in", "il", "im", "ir")
_NEGATORS = {"not", "n't", "never", "no", "without", "cannot", "didn't", "don't", "doesn't", "won't", "wouldn't"}


_NEGATING_VERBS = re.compile(r"^(?:refus|declin|fail|deni|deny|stopp?ed short|rul(?:e|ed|es|ing) out)")


def _negated_near(tokens: list[str]) -> bool:
    """A negation anywhere in the text, including a verb that negates what follows ("refuses to accept")."""
    return any(t in _NEGATORS or t.endswith("n't") or _NEGATING_VERBS.match(t) for t in tokens)


def _prefix_antonyms(s_tok: list[str], e_tok: list[str], s_stems: set[str], e_stems: set[str]) -> list[tuple[str, str]]:
    """"legally" where the evidence says "illegal", "unable" for "able": a negative prefix added or dropped."""
    found: list[tuple[str, str]] = []
    for mine, theirs, mine_stems, their_stems in ((s_tok, e_tok, s_stems, e_stems), (e_tok, s_tok, e_stems, s_stems)):
        for word in set(theirs):
            for prefix in _NEGATIVE_PREFIXES:
                base = word[len(prefix):].lstrip("-")
                if not word.startswith(prefix) or len(base) < 4:
                    continue
                b = stem(base)
                if b in mine_stems and stem(word) not in mine_stems and b not in their_stems:
                    match = next(w for w in mine if stem(w) == b)
                    near_mine = _windows(mine, lambda t: stem(t) == b)
                    near_theirs = _windows(theirs, lambda t: t == word)
                    if any(len(x & y) >= 1 for x in near_mine for y in near_theirs):
                        found.append((match, word) if mine is s_tok else (word, match))
                break
    return found
