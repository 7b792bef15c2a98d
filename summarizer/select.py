"""Stage: select. Which claims the digest states, how many, and why the others were left out.

Salience (how many independent sources carry a claim, how central it is, how early the sources
tell it) comes from the claim grouping (`digest_core.claims`). What this stage adds is the length:
without limits from the user, the digest is as long as the material warrants. A few short
reports of one event carry few distinct facts worth repeating, so the digest gets a few
sentences; a cluster with many facts that several independent sources agree on gets more.
The budget is in words, and a single-source fact pays for its attribution ("according to one
outlet"), so the digest's length is what the reader will read; once written, the sentences are
held to it again (``fit_word_budget``), since the model's wording can run longer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from digest_core.embedding import default_embedder
from digest_core.loaded import loaded_terms, model_terms, prepare_model_terms
from digest_core.nlp import is_statement
from digest_core.syndication import original

from .records import Claim, DigestSentence, LeftOut, SourceSentence

REDUNDANT = 0.80  # two claims this similar (MiniLM cosine) say the same thing twice
BASE_SENTENCES = 3  # what any story gets (tuned on the even-numbered NeuS validation clusters)
MAX_DEFAULT_SENTENCES = 10
WORDS_PER_SENTENCE = 24  # word budget per sentence of the target (tuned with BASE_SENTENCES; NeuS references: ~22 words a sentence)
ATTRIBUTION_WORDS = 4  # ", according to one outlet"
# On top of the grouping's salience: the opening sentences of a report state the event (the editors' summaries
# start there), and of two equally salient claims the shorter leaves room for another fact. Both tuned on the
# even-numbered NeuS validation clusters (ROUGE-L of the selected source sentences: 0.250 -> 0.254).
LEAD_BONUS = 0.2  # / (1 + position of the claim's earliest sentence in its report)
LENGTH_PENALTY = 0.005  # per word
# Loaded words a sentence attributes to someone (quoted, "X called it ...") or that sit next to the lexicon by
# vector still carry the slant into the digest: such a claim yields to a plain one. Tuned on the even NeuS
# clusters: loaded words per 100 in the selection 0.044 -> 0.024 (references 0.066), ROUGE-L 0.2536 -> 0.2545.
LOADED_PENALTY = 1.0  # per loaded word, attributed or not
# How closely the other independent sources echo a claim, even below the grouping's same-fact line: an outlet
# that states a fact in other words, or as part of a longer sentence, still corroborates it. Tuned on the even
# NeuS clusters (ROUGE-L of the selection 0.2545 -> 0.2586; weights 0.5-4 all gave 0.2564-0.2586).
ECHO_WEIGHT = 1.0  # times the mean, over the other independent sources, of their nearest sentence's cosine


@dataclass
class Selection:
    claims: list[Claim]  # in story order
    left_out: list[LeftOut]
    max_words: int
    max_sentences: int
    hard_budget: bool  # the user's --max-words binds every claim; the default one lets corroborated facts through
    ranks: dict[int, float]  # claim id -> the rank it was chosen by (``rank``)
    # a query digest: every retrieved independent source gets a sentence it supports (``claims_for_uncited``)
    cover_sources: bool = False


def target_sentences(claims: list[Claim]) -> int:
    """Sentences the material warrants: one per fact that two or more independent sources carry, at least a base."""
    corroborated = sum(1 for c in claims if c.independent_sources > 1)
    return max(BASE_SENTENCES, min(MAX_DEFAULT_SENTENCES, corroborated))


def cost(claim: Claim) -> int:
    """Words the claim will take in the digest, attribution included."""
    return len(claim.text.split()) + (ATTRIBUTION_WORDS if claim.independent_sources < 2 else 0)


def loaded_words(text: str) -> int:
    """Loaded words in ``text``, attributed or not: the lexicon and its near neighbours by MiniLM vector."""
    return len(loaded_terms(text) + model_terms(text, default_embedder()))


def plainest_wording(claim: Claim) -> str:
    """The claim's representative sentence, unless another source states it with fewer loaded words (attributed
    or not): of the sources' wordings, the digest extracts the plainest. On the even NeuS clusters this took
    the selection's loaded words per 100 from 0.012 to 0 (ROUGE-L 0.2586 -> 0.2614)."""
    return min([claim.text] + [m.text for m in claim.members], key=lambda t: (loaded_words(t), t != claim.text))


def echoes(claims: list[Claim], sentences: list[SourceSentence], vectors: np.ndarray,
           duplicate_of: dict[str, str] | None = None) -> dict[int, float]:
    """Claim id -> how closely the other independent sources echo it (0 with one source).

    For each member sentence: the mean, over the other independent sources, of the cosine of that source's
    nearest sentence; the claim takes its best member's. Copies of one report (``duplicate_of``) echo nothing.
    """
    duplicate_of = duplicate_of or {}
    root = [duplicate_of.get(s.source, s.source) for s in sentences]
    roots = sorted(set(root))
    if len(roots) < 2:
        return {c.id: 0.0 for c in claims}
    index = {(s.source, s.text): i for i, s in enumerate(sentences)}
    rows = {r: np.array([i for i, x in enumerate(root) if x == r]) for r in roots}
    found: dict[int, float] = {}
    for claim in claims:
        best = 0.0
        for member in claim.members:
            i = index.get((member.source, member.text))
            if i is None:
                continue
            others = [float((vectors[rows[r]] @ vectors[i]).max()) for r in roots if r != root[i]]
            best = max(best, sum(others) / len(others))
        found[claim.id] = best
    return found


# A sentence that opens on a word pointing back ("He will visit ...", "That shatters the record", "One such cause is
# ...") leans on the sentence before it in its report, which the digest does not carry: stated alone, it leaves the
# reader asking who or what. Such a claim yields to any other (1.0 outweighs the other terms' spread). On the even
# NeuS clusters, 5 of 327 digest sentences opened on He/That/One such ...; the select stage's ROUGE-L moved 0.2621 ->
# 0.2614 with those, 0.2611 -> 0.2608 with "It" and pronoun speakers added (benchmarks/RESULTS.md, ninth session).
CONTEXT_PENALTY = 1.0
_BACK_REFERENCE = re.compile(
    r"^\W*(?:he|she|they|his|her|their|its|both|neither|such|one such|another such|the same|"
    r"(?:this|that|these|those)(?!\s+(?:week|weekend|month|year|morning|afternoon|evening|night|spring|summer|"
    r"fall|autumn|winter|time)\b))\b", re.I)


# "It" points back ("It has to go through Pennsylvania") unless it stands for what follows: "It is unclear whether",
# "It was not clear how".
_IT = re.compile(r"^\W*it\b", re.I)
_EXPLETIVE_IT = re.compile(r"^\W*it(?:'s|’s| is| was| remains| seems| appears| has been| had been| will be| would be)"
                           r"(?: not)? \w+ (?:that|whether|to|if|how|what|when|why|for)\b", re.I)
# A quotation whose speaker is only a pronoun: "'Trying to shape behaviour isn't science,' he added."
_PRONOUN_SPEAKER = re.compile(r"^\W*[\"“'‘].*[\"”'’]\s*,?\s*(?:he|she|they)\s+\w+", re.I)


# Anywhere in the sentence, a part of a set named before ("Biden leads in both of those states", "the latter").
_PART_OF_BEFORE = re.compile(r"\b(?:(?:both|either|neither|each|all|none|one|two|three|some|most|many)\s+of\s+"
                             r"(?:those|these|them)\b(?!\s+(?:who|which|that|whose|with|in|at|from|on)\b)|"
                             r"the (?:latter|former)\b)", re.I)


def leans_on_context(text: str) -> bool:
    """Whether the sentence opens on a pronoun or a pointing word whose referent is in the sentence before it
    ("He", "Their", "This is", "Those states", "One such", "It has to"; not "This week", not "It is unclear
    whether"), names a part of a set it does not name ("both of those states", "the latter"), or is a quotation
    whose speaker is only "he", "she" or "they"."""
    return bool(_BACK_REFERENCE.match(text) or (_IT.match(text) and not _EXPLETIVE_IT.match(text))
                or _PRONOUN_SPEAKER.match(text) or _PART_OF_BEFORE.search(text))


def rank(claim: Claim, echo: float = 0.0) -> float:
    """Salience, plus bonuses for a report's opening sentences and for the other sources' echo (``echoes``),
    minus a little per word and more per loaded word."""
    first = min((m.position for m in claim.members), default=0)
    return (claim.salience + LEAD_BONUS / (1 + first) + ECHO_WEIGHT * echo - LENGTH_PENALTY * len(claim.text.split())
            - LOADED_PENALTY * loaded_words(claim.text) - CONTEXT_PENALTY * leans_on_context(claim.text))


def choose_claims(claims: list[Claim], claim_vectors: np.ndarray, *, max_sentences: int | None = None,
                  max_words: int | None = None, echo: dict[int, float] | None = None,
                  duplicate_of: dict[str, str] | None = None, cover_sources: bool = False) -> Selection:
    """The most salient claims that fit the sentence and word budgets, skipping repeats; the rest with a reason.

    Claims are taken in order of ``rank`` (salience from ``digest_core.claims.group_claims``, ``echo`` from
    ``echoes``; none given counts as no echo). The first claim is
    always kept, even when it alone is longer than the word budget: a digest is never empty. Without
    ``max_words`` the budget binds single-source facts only: a fact that two or more independent sources
    carry is what the material warrants, and only the sentence count limits those.

    ``cover_sources`` (what a query digest asks: the articles retrieved for a question each have their say) then
    gives every independent source that no chosen claim carries its best-ranked claim that repeats none of the
    chosen ones (see ``cover_every_source``).
    """
    target = max_sentences or target_sentences(claims)
    budget = max_words or WORDS_PER_SENTENCE * target
    chosen: list[int] = []
    left_out: list[LeftOut] = []
    words = 0
    echo = echo or {}
    prepare_model_terms([c.text for c in claims], default_embedder())  # their words in one batch, not one per claim
    ranks = [rank(c, echo.get(c.id, 0.0)) for c in claims]
    order = sorted(range(len(claims)), key=lambda i: -ranks[i])
    for i in order:
        claim = claims[i]
        repeat = next((j for j in chosen if float(claim_vectors[i] @ claim_vectors[j]) >= REDUNDANT), None)
        if repeat is not None:
            left_out.append(LeftOut(claim_id=claim.id, text=claim.text, reason="repeats",
                                    detail=f"says what claim {claims[repeat].id} says"))
            continue
        if len(chosen) >= target:
            left_out.append(LeftOut(claim_id=claim.id, text=claim.text, reason="less_salient",
                                    detail=f"rank {ranks[i]:.2f}; the digest holds {target} sentences"))
            continue
        binds = max_words is not None or claim.independent_sources < 2
        if chosen and binds and words + cost(claim) > budget:
            left_out.append(LeftOut(claim_id=claim.id, text=claim.text, reason="over_word_budget",
                                    detail=f"{cost(claim)} words would exceed the {budget}-word budget"))
            continue
        if not is_statement(claim.text):  # checked last: a parse for the few claims that get this far
            left_out.append(LeftOut(claim_id=claim.id, text=claim.text, reason="not_a_statement",
                                    detail="no finite verb with a subject: a phrase, or a sentence cut short"))
            continue
        chosen.append(i)
        words += cost(claim)
    if cover_sources:
        extra = cover_every_source(claims, claim_vectors, ranks, chosen, left_out, duplicate_of or {},
                                   max_sentences or MAX_DEFAULT_SENTENCES)
        if max_words is None:  # the default budget grows with them; the user's --max-words still binds
            budget += extra
        target = max(target, len(chosen))
    selected = [claims[i] for i in chosen]
    for claim in selected:
        claim.used = True
    # Story order: the event first, as the sources tell it first.
    selected.sort(key=lambda c: min(m.position for m in c.members))
    return Selection(claims=selected, left_out=left_out, max_words=budget, max_sentences=target,
                     hard_budget=max_words is not None, ranks={c.id: r for c, r in zip(claims, ranks)},
                     cover_sources=cover_sources)


def cover_every_source(claims: list[Claim], claim_vectors: np.ndarray, ranks: list[float], chosen: list[int],
                       left_out: list[LeftOut], duplicate_of: dict[str, str], max_sentences: int) -> int:
    """Bring in a claim of each independent source the chosen claims leave out; returns the words added.

    A source's best-ranked claim that repeats no chosen claim is added while the digest has room for another
    sentence (``max_sentences``); once it has none, it takes the place of the lowest-ranked chosen claim whose
    sources all stay cited without it (the top claim always stays). ``chosen`` and ``left_out`` are updated.
    """
    def root(source: str) -> str:
        return original(source, duplicate_of)

    def covered(indexes: list[int]) -> set[str]:
        return {root(s) for i in indexes for s in claims[i].sources}

    everyone = sorted({root(s) for c in claims for s in c.sources})
    added_words = 0
    for source in everyone:
        if source in covered(chosen):
            continue
        candidates = sorted((i for i, c in enumerate(claims) if i not in chosen and source in {root(s) for s in c.sources}
                             and all(float(claim_vectors[i] @ claim_vectors[j]) < REDUNDANT for j in chosen)),
                            key=lambda i: -ranks[i])
        best = next((i for i in candidates if is_statement(claims[i].text)), None)
        if best is None:
            continue
        if len(chosen) >= max_sentences:
            spare = [j for j in chosen[1:] if claims[j].sources
                     and {root(s) for s in claims[j].sources} <= covered([k for k in chosen if k != j])]
            if not spare:
                continue
            drop = min(spare, key=lambda j: ranks[j])
            chosen.remove(drop)
            added_words -= cost(claims[drop])
            left_out.append(LeftOut(claim_id=claims[drop].id, text=claims[drop].text, reason="less_salient",
                                    detail=f"rank {ranks[drop]:.2f}; gave its place to a claim of {source}, "
                                           "which the digest did not cite"))
        chosen.append(best)
        added_words += cost(claims[best])
        left_out[:] = [x for x in left_out if x.claim_id != claims[best].id]
    return added_words


def claims_for_uncited(claims: list[Claim], selection: Selection, cited: set[str],
                       duplicate_of: dict[str, str]) -> list[Claim]:
    """For each independent source the written digest does not cite, a claim in that source's own words.

    Selection counts a source as covered when it is a member of a chosen claim, but the written sentence is
    cited only to the sources that support its wording: an outlet whose version differs (a detail, a hedge, a
    denial) ends up uncited. Its best-ranked claim that repeats no chosen one comes first; failing that, the
    chosen claim it belongs to, told in its own sentence (same claim id: a second version of that fact). The
    returned claims hold only that source's sentences (and its copies'), so the guard checks the sentence against
    it and, failing the model, extracts it from it. ``cited`` holds the cited sources' roots (``duplicate_of``).
    """
    def root(source: str) -> str:
        return original(source, duplicate_of)

    chosen_ids = {c.id for c in selection.claims}
    everyone = sorted({root(s) for c in claims for s in c.sources})
    missing = [s for s in everyone if s not in cited]
    if not missing:
        return []
    vectors = default_embedder().embed([c.text for c in claims])
    chosen_rows = [i for i, c in enumerate(claims) if c.id in chosen_ids]
    out: list[Claim] = []
    for source in missing:
        own = [i for i, c in enumerate(claims) if source in {root(s) for s in c.sources}]
        fresh = [i for i in own if claims[i].id not in chosen_ids
                 and all(float(vectors[i] @ vectors[j]) < REDUNDANT for j in chosen_rows)]
        stated = [i for i in own if claims[i].id in chosen_ids]
        pick = max(fresh or stated, key=lambda i: selection.ranks.get(claims[i].id, 0.0), default=None)
        if pick is None:
            continue
        claim = claims[pick]
        members = [m for m in claim.members if root(m.source) == source]
        version = claim.model_copy(update={
            "members": members, "text": members[0].text, "independent_sources": 1,
            "sources": sorted({m.source for m in members}),
        })
        out.append(version)
        if claim.id not in chosen_ids:
            chosen_rows.append(pick)
            chosen_ids.add(claim.id)
    return out


def fit_word_budget(written: list[DigestSentence], selection: Selection,
                    claims: list[Claim]) -> tuple[list[DigestSentence], list[LeftOut]]:
    """Drop the least salient claims' sentences until the digest fits its word budget (the top claim stays).

    Selection budgets on the claims' source wording; the model's wording, and the both-sides sentences
    of a disagreement, can run longer. Those extra sentences go first (digest.json keeps the disagreement).
    Under the default budget only single-source facts are dropped (see ``choose_claims``).
    """
    salience = selection.ranks
    by_id = {c.id: c for c in claims}
    left_out: list[LeftOut] = []

    def total(sentences: list[DigestSentence]) -> int:
        return sum(len(s.text.split()) for s in sentences)

    while total(written) > selection.max_words:
        ids = list(dict.fromkeys(s.claim_id for s in written if s.claim_id is not None))
        first_of = {i: next(s for s in written if s.claim_id == i) for i in ids}
        extra = [s for s in written if s.claim_id in first_of and s is not first_of[s.claim_id]]
        if extra:  # a disagreement's two quoted versions, least salient claim first
            drop_claim = min({s.claim_id for s in extra}, key=lambda i: salience.get(i, 0.0))
            written = [s for s in written if s.claim_id != drop_claim or s is first_of[drop_claim]]
            continue
        top = max(ids, key=lambda i: salience.get(i, 0.0))
        droppable = [i for i in ids if i != top and (selection.hard_budget or by_id[i].independent_sources < 2)]
        if not droppable:
            break
        drop = min(droppable, key=lambda i: salience.get(i, 0.0))
        words = sum(len(s.text.split()) for s in written if s.claim_id == drop)
        written = [s for s in written if s.claim_id != drop]
        by_id[drop].used = False
        left_out.append(LeftOut(claim_id=drop, text=by_id[drop].text, reason="over_word_budget",
                                detail=f"as written ({words} words) the digest exceeded its {selection.max_words}-word budget"))
    return written, left_out
