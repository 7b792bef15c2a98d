"""Stage: write (and verify). The chosen claims become the digest's sentences, each checked and cited.

The one entry point is ``write_and_verify``. Inside: ``compose`` (per claim, or the abstractive
draft), ``sentence`` (the model's one sentence for a claim), ``verify`` (the guard: the evaluator's
check, the rewrite, the extracted fallback), ``synthesis`` (attribution and disagreements) and
``budget`` (the one token budget every prompt here is fitted to). Only ``verify`` and ``synthesis``
import the evaluator.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

from digest_core.progress import SILENT, Progress
from digest_core.syndication import original

from ..backends import Backend
from ..records import Claim, Disagreement, DigestSentence, LeftOut, Passage, SourceSentence
from ..select import Selection, claims_for_uncited, fit_word_budget
from .compose import Composer
from .synthesis import find_disagreements
from .verify import Guard

__all__ = ["Guard", "Written", "cover_uncited", "write_and_verify"]


@dataclass
class Written:
    sentences: list[DigestSentence]  # in digest order, fitted to the selection's word budget
    disagreements: list[Disagreement]
    left_out: list[LeftOut]  # every claim the digest does not state: the selection's, then the word budget's
    notes: list[str]  # context reductions and the like, once each (the run's warnings)
    seconds: float  # writing and checking, the disagreement search not included (timings["write_and_verify"])


def write_and_verify(
    selection: Selection, claims: list[Claim], *, backend: Backend, guard: Guard, duplicate_of: dict[str, str],
    sentences: list[SourceSentence], passages: list[Passage], mode: str = "claims", seed: int = 0,
    temperature: float = 0.0, rewrite: bool = True, progress: Progress = SILENT,
) -> Written:
    """One guarded sentence per selected claim ("claims"), or a capable model's whole draft, every sentence
    guarded ("abstractive"); then the digest held to its word budget. ``claims`` are all the story's claims
    (one dropped for the budget is marked unused); ``sentences`` the source sentences (what quotes cite)."""
    disagreements = find_disagreements(selection.claims, duplicate_of, guard.scorer)
    composer = Composer(backend, guard, duplicate_of, seed=seed, temperature=temperature, rewrite=rewrite,
                        sentences=sentences)
    mark = time.perf_counter()
    if mode == "abstractive":
        progress.start("writing the digest", 1)
        written = composer.abstractive(passages, selection.max_sentences)
        progress.advance()
    else:
        progress.start("writing sentences", len(selection.claims))
        written = composer.from_claims(selection.claims, disagreements, progress)
        if selection.cover_sources:
            written, selection = cover_uncited(written, selection, claims, composer, duplicate_of, progress)
    seconds = time.perf_counter() - mark
    written, over = fit_word_budget(written, selection, claims)
    return Written(sentences=written, disagreements=disagreements, left_out=selection.left_out + over,
                   notes=list(dict.fromkeys(composer.notes)), seconds=seconds)


def cover_uncited(written: list[DigestSentence], selection: Selection, claims: list[Claim], composer: Composer,
                  duplicate_of: dict[str, str], progress: Progress = SILENT) -> tuple[list[DigestSentence], Selection]:
    """A query digest: each retrieved independent source the written sentences leave uncited gets one sentence
    of its own (``select.claims_for_uncited``), kept only if it does cite that source. Returns the sentences, in
    story order (a second version of a fact right after the first), and the selection they now make: those claims
    no longer left out, and the default word budget grown by their words."""
    cited = {original(c.source, duplicate_of) for s in written for c in s.citations}
    versions = claims_for_uncited(claims, selection, cited, duplicate_of)
    if not versions:
        return written, selection
    progress.start("a sentence for each uncited source", len(versions))
    by_id = {c.id: c for c in claims}
    stated = {c.id for c in selection.claims}
    added_words = 0
    for version in versions:
        wanted = original(version.sources[0], duplicate_of)
        added = [s for s in composer.from_claims([version], [], progress)
                 if wanted in {original(c.source, duplicate_of) for c in s.citations}]
        if not added:
            continue
        if version.id not in stated:
            by_id[version.id].used = True
            stated.add(version.id)
        added_words += sum(len(s.text.split()) for s in added)
        written = written + added
    position = {c.id: min(m.position for m in c.members) for c in claims}
    order = {id(s): i for i, s in enumerate(written)}
    written = sorted(written, key=lambda s: (position.get(s.claim_id, 0) if s.claim_id is not None else 0,
                                             order[id(s)]))
    return written, replace(selection, left_out=[x for x in selection.left_out if x.claim_id not in stated],
                            max_words=selection.max_words + (0 if selection.hard_budget else added_words))
