"""Score every sentence of a summary for faithfulness against its sources.

``score_summary`` is the one-call API; ``Scorer`` keeps the embedder, the judge and a
small cache of embedded sources so that many summaries of the same sources, or the
digest's guard checking one sentence at a time, do not re-embed anything.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Sequence

import numpy as np

from digest_core.nlp import warm
from digest_core.progress import Progress
from evals.language import analyse
from evals.attribution import check_attribution, check_certainty, check_quoted
from evals.name_checks import check_attachments, check_names
from evals.names import NameBook
from evals.numbers import check_dates, check_numbers
from evals.polarity import check_antonyms, check_clause_antonyms, check_clause_polarity
from evals.roles import check_parties, check_roles, check_scope, check_speaker
from evals.support import WordSupport, support_findings
from evals.align import Alignment, EmbedderLike, SourceIndex, source_units, top_passages
from evals.judge import Judge, features_from
from evals.parse import load_summary
from evals.records import Evidence, Finding, Report, SentenceScore, SourceText, Summary, SummaryMetrics
from evals.sources import citation_numbering, resolve_names
from digest_core.text import content_stems, reported_content, words


PARSE_CHUNK = 32  # passages parsed before their words are handed to the embedding model (Scorer.parse)

TIED = 0.01  # passages whose alignment scores are this close to the best one's count as tied with it

# The LM signal's source excerpt (see Scorer.lm_context); the fitted LM weights assume these values.
LM_PASSAGES_PER_SENTENCE = 2
LM_CONTEXT_WORDS = 350


@dataclass
class Assessment:
    """One sentence judged against one set of allowed sources."""

    probability: float
    verdict: str
    findings: list[Finding]
    evidence: list[Evidence]
    features: dict[str, float]
    passages: list = field(default_factory=list)  # the picked align.Passage objects, best first

    @property
    def supported(self) -> bool:
        return self.verdict == "supported"


def load_sources(sources: Sequence[SourceText | Path | str]) -> list[SourceText]:
    out: list[SourceText] = []
    for item in sources:
        if isinstance(item, SourceText):
            out.append(item)
        else:
            path = Path(item)
            out.append(SourceText(name=path.name, text=path.read_text(encoding="utf-8")))
    return out


class Scorer:
    def __init__(self, embedder: EmbedderLike | None = None, judge: Judge | None = None,
                 lm: "object | None" = None, cache_size: int = 16, evidence_k: int = 3):
        warm()  # the English pipeline loads in the background while the embedder loads
        if embedder is None:
            from digest_core.embedding import default_embedder

            embedder = default_embedder()
        self.embedder = embedder
        self.judge = judge or Judge()
        self.words = WordSupport(self.embedder)
        self.lm = lm  # optional evals.lm.LikelihoodRatio; off by default for speed
        self.evidence_k = evidence_k
        self._cache: OrderedDict[str, SourceIndex] = OrderedDict()
        self._cache_size = cache_size

    # -- sources -------------------------------------------------------------------------
    def index(self, sources: Sequence[SourceText]) -> SourceIndex:
        key = _key(sources)
        if key in self._cache:
            self._cache.move_to_end(key)
            return self._cache[key]
        built = SourceIndex.build(sources, self.embedder)
        self._cache[key] = built
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return built

    def prefetch(self, texts: Sequence[str], sources: Sequence[SourceText]) -> None:
        """Start the embedding model, in the background, on what judging ``texts`` against ``sources`` embeds
        before anything is parsed: the sources' passages (unless indexed already) and the sentences. The
        caller parses meanwhile; nothing computed changes (see digest_core.embedding.Embedder.prefetch)."""
        prefetch = getattr(self.embedder, "prefetch", None)
        if prefetch is None:
            return
        units = [] if _key(sources) in self._cache else [u for units in source_units(sources) for u in units]
        prefetch(units + [reported_content(t) for t in texts])

    def parse(self, texts: Sequence[str], sources: Sequence[SourceText], words: bool = True) -> None:
        """Parse the sentences (as judged) and the sources' passages, a chunk at a time, and after each chunk
        start embedding, in the background, the words it brings that the checks compare: the model works
        on them while the parser goes on (``prepare`` then finds them ready). Only speed depends on it.
        ``words=False``: parse only (``plan`` embeds the words)."""
        prefetch = getattr(self.embedder, "prefetch", None) if words else None
        units = [u for per_source in source_units(sources) for u in per_source]
        if prefetch is None:  # one batch: the parser is fastest on many texts at once
            analyse([reported_content(t) for t in texts] + units)
            return
        found = analyse([reported_content(t) for t in texts])
        prefetch(self.words.words_for(found))
        for start in range(0, len(units), PARSE_CHUNK):
            prefetch(self.words.words_for((), analyse(units[start: start + PARSE_CHUNK])))

    def prepare(self, texts: Sequence[str], index: SourceIndex) -> None:
        """Before judging ``texts`` one at a time against ``index``'s sources: parse them, and embed every word
        the checks may compare, one batch each, instead of a parse and a model call per sentence."""
        self.words.prepare(analyse([reported_content(t) for t in texts]), index.analyses_of(None))

    def plan(self, texts: Sequence[str], vectors: np.ndarray, index: SourceIndex) -> None:
        """Before judging ``texts`` (their vectors given) against all of ``index``'s sources: embed, in one batch,
        the words the judge will surely compare for them (see ``WordSupport.needs``), and no more. Where most
        sentences restate their evidence (FRANK), far fewer words than ``prepare`` embeds."""
        needed: list[str] = []
        for text, vector in zip(texts, vectors):
            text = reported_content(text)
            alignment = index.align(vector, content_stems(text), None)
            if not alignment.passages:
                continue
            passages = [p for p, _ in top_passages(alignment, self.evidence_k)]
            needed += self.words.needs(analyse([text])[0], index.passage_analyses(passages),
                                       frozenset().union(*(p.stems for p in passages)))
        if needed:
            self.words.vectors(list(dict.fromkeys(needed)))

    def warm_sentences(self, texts: Sequence[str]) -> None:
        """Parse and embed, one batch each, sentences that are about to be judged one at a time
        (``score_sentence``, ``assess``): each call then finds them in the memos. Nothing judged changes."""
        inner = list(dict.fromkeys(reported_content(t) for t in texts))
        if inner:
            analyse(inner)
            self.embedder.embed(inner)

    # -- one sentence ----------------------------------------------------------------------
    def assess(self, text: str, vector: np.ndarray, index: SourceIndex, allowed: set[int] | None,
               whose: bool = True) -> Assessment:
        """``whose=False`` leaves out the checks of whose statement it is (evals.attribution): for coverage, which
        asks whether a fact is told at all, not whether it is told as the sources tell it."""
        text = reported_content(text)  # "X, according to one outlet." is checked as X
        stems = content_stems(text)
        alignment = index.align(vector, stems, allowed)
        if not alignment.passages:
            finding = Finding(kind="citation", detail="no source text to check against", check="citations", blocking=True)
            return Assessment(0.0, "unsupported", [finding], [], {})
        picked = top_passages(alignment, self.evidence_k)
        passages = [p for p, _ in picked]
        evidence_text = " ".join(p.text for p in passages)
        unit_text, unit_lex = _best_unit(alignment)
        source_text = index.text_of(allowed)
        sentence = analyse([text])[0]
        evidence = index.passage_analyses(passages)
        support = self.words.support(sentence, evidence, index.analyses_of(allowed),
                                     frozenset().union(*(p.stems for p in passages)), index.stems_of(allowed))
        findings: list[Finding] = []
        findings += check_numbers(text, evidence_text, source_text, unit_text if unit_lex >= 0.5 else "")
        findings += check_dates(text, evidence_text, source_text)
        best = index.passage_analyses(passages[:1])  # a swapped name or speaker is judged against the passage restated most
        best_book = NameBook.of([passages[0].text], best)
        restated = len(set(stems) & passages[0].stems) / len(set(stems)) if stems else 0.0
        # but a name that a passage tied with it holds is no swap: which of two near-equal passages comes first is chance
        tied = [p for p, score in picked if score >= picked[0][1] - TIED]
        tied_book = best_book if len(tied) == 1 else NameBook.of([p.text for p in tied], index.passage_analyses(tied))
        findings += check_names(sentence, index.book_of(allowed), tied_book, best, passages[0].text, restated)
        findings += check_speaker(sentence, best, best_book)
        if whose:
            findings += check_attribution(sentence, evidence, index.analyses_of(allowed))
            findings += check_certainty(sentence, evidence, index.analyses_of(allowed), self.words)
            findings += check_quoted(sentence, text, [p.text for p in passages], source_text)
        findings += check_roles(sentence, evidence, self.words)
        findings += check_parties(sentence, evidence, self.words)
        findings += check_scope(sentence, evidence, self.words)
        findings += check_attachments(sentence, evidence, self.words)
        findings += check_clause_polarity(sentence, evidence, self.words)
        if not any(f.kind == "negation" for f in findings):  # the negated opposite restates ("did not accept")
            findings += check_clause_antonyms(sentence, evidence)
        findings += check_antonyms(text, unit_text, unit_lex)
        findings += support_findings(support, sentence)
        values = features_from(float(alignment.sims.max()), float(alignment.lex.max()), support.novel_share, findings)
        values.update(_local_features(text, picked[0][0].text, evidence_text, index.names_of(allowed)))
        values["soft_lex"] = support.evidence_share
        probability = self.judge.probability(values)
        verdict = self.judge.verdict(probability, findings, False)
        evidence_out = [Evidence(source=index.sources[p.source].name, text=p.text, score=round(s, 4)) for p, s in picked]
        return Assessment(probability, verdict, findings, evidence_out, values, passages)

    # -- the optional LM signal ------------------------------------------------------------
    def lm_context(self, index: SourceIndex, assessments: Sequence[Assessment]) -> str:
        """One source excerpt for a group of sentences: their best passages, in source order.

        The LM reads it once (its KV cache is reused for every sentence of the group), so it
        is shared by all sentences judged against the same sources, e.g. all the summaries of
        one FRANK article. Units are taken best-first (each sentence's top LM_PASSAGES_PER_SENTENCE
        passages, by rank) until LM_CONTEXT_WORDS words, then put back in source order.
        """
        units = {(p.source, p.first): p.text for p in index.passages if p.first == p.last}
        ranked: list[tuple[int, int]] = []
        for rank in range(LM_PASSAGES_PER_SENTENCE):
            for a in assessments:
                if rank < len(a.passages):
                    p = a.passages[rank]
                    ranked += [(p.source, u) for u in range(p.first, p.last + 1) if (p.source, u) not in ranked]
        chosen, budget = [], LM_CONTEXT_WORDS
        for key in ranked:
            n = len(units.get(key, "").split())
            if n and (n <= budget or not chosen):
                chosen.append(key)
                budget -= n
        return "\n".join(units[k] for k in sorted(chosen))

    def with_lm(self, texts: Sequence[str], assessments: Sequence[Assessment], context: str) -> list[Assessment]:
        """The assessments re-judged with the LM feature, computed against ``context`` in one batched pass."""
        if self.lm is None:
            return list(assessments)
        todo = [k for k, a in enumerate(assessments) if a.passages]
        values = self.lm.score_many([texts[k] for k in todo], context) if todo else []  # type: ignore[attr-defined]
        out = list(assessments)
        for k, lm_value in zip(todo, values):
            out[k] = self._rejudged(assessments[k], lm_value)
        return out

    def _rejudged(self, assessment: Assessment, lm_value: float) -> Assessment:
        values = dict(assessment.features)
        values["lm"] = lm_value
        if "lm" not in self.judge.models:  # only while fitting those weights (benchmarks/fit_judge.py --lm)
            return replace(assessment, features=values)
        probability = self.judge.probability(values)
        verdict = self.judge.verdict(probability, assessment.findings, True)
        return replace(assessment, probability=probability, verdict=verdict, features=values)

    def score_sentence(self, text: str, sources: Sequence[SourceText], cited: list[str] | None = None,
                       whose: bool = True) -> SentenceScore:
        """Check one sentence; with ``cited`` names, also whether those sources alone support it. ``whose``: see
        ``assess``."""
        index = self.index(list(sources))
        vector = self.embedder.embed([reported_content(text)])[0]
        overall = self.assess(text, vector, index, None, whose)
        if self.lm is not None:
            overall = self.with_lm([text], [overall], self.lm_context(index, [overall]))[0]
        citation_supported = None
        if cited is not None:
            allowed = resolve_names(cited, index.sources)
            citation_supported = bool(allowed) and self.assess(text, vector, index, allowed, whose).supported
        return SentenceScore(index=0, text=text, verdict=overall.verdict, faithfulness=round(overall.probability, 4),
                             evidence=overall.evidence, citation_supported=citation_supported,
                             findings=overall.findings, features=_rounded(overall.features))

    def corroborates(self, text: str, vector: np.ndarray, index: SourceIndex, allowed: set[int],
                     whose: bool = True) -> bool:
        """Whether the sources ``allowed`` on their own state ``text`` surely enough to be added as corroborating it
        (a digest's extra citations, coverage's count of independent sources): the judge's corroboration bar, above
        its verdict cut. ``whose``: see ``assess``."""
        assessment = self.assess(text, vector, index, allowed, whose)
        return self.judge.corroborates(assessment.verdict, assessment.probability)

    def supporting(self, text: str, sources: Sequence[SourceText], names: Sequence[str]) -> list[str]:
        """Those of ``names`` whose source on its own states ``text`` at the corroboration bar (the digest adds them
        as citations), without judging the sentence against all the sources again for every name (a digest asks
        this of every source for every sentence)."""
        index = self.index(list(sources))
        vector = self.embedder.embed([reported_content(text)])[0]
        return [name for name in names
                if (allowed := resolve_names([name], index.sources)) and self.corroborates(text, vector, index, allowed)]

    # -- a whole summary -------------------------------------------------------------------
    def score(self, summary: Summary | str | Path, sources: Sequence[SourceText | Path | str],
              progress: "Progress | None" = None) -> Report:
        """``progress``: any object with ``start(label, total)`` and ``advance()`` (a progress bar), told per sentence."""
        parsed = load_summary(summary)
        source_list = load_sources(sources)
        texts = [s.text for s in parsed.sentences]
        # The parser reads the sentences and the sources' passages while the embedding model works on them.
        self.prefetch(texts, source_list)
        self.parse(texts, source_list)
        index = self.index(source_list)
        vectors = self.embedder.embed([reported_content(t) for t in texts]) if texts else np.zeros((0, 384), np.float32)
        numbering = citation_numbering(parsed, source_list)
        if progress is not None:
            progress.start("judging sentences", len(parsed.sentences))
        scores: list[SentenceScore] = []
        precise = total_cites = recalled = 0
        self.prepare(texts, index)
        overalls = [self.assess(sentence.text, vector, index, None) for sentence, vector in zip(parsed.sentences, vectors)]
        if self.lm is not None:
            context = self.lm_context(index, overalls)
            overalls = self.with_lm(texts, overalls, context)
        for sentence, vector, overall in zip(parsed.sentences, vectors, overalls):
            findings = list(overall.findings)
            citation_supported = None
            if parsed.has_citations:
                targets = {numbering[c] for c in sentence.citations if numbering.get(c) is not None}
                for c in sentence.citations:
                    if numbering.get(c) is None:
                        findings.append(Finding(kind="citation", detail=f"[{c}] does not name a known source"))
                joint = bool(targets) and self.assess(sentence.text, vector, index, targets).supported
                citation_supported = joint if sentence.citations else False
                recalled += joint
                for c in sentence.citations:
                    total_cites += 1
                    precise += self._citation_precise(sentence.text, vector, index, numbering.get(c), targets, joint)
            scores.append(SentenceScore(
                index=sentence.index, text=sentence.text, citations=sentence.citations, verdict=overall.verdict,  # type: ignore[arg-type]
                faithfulness=round(overall.probability, 4), evidence=overall.evidence,
                citation_supported=citation_supported, findings=findings, features=_rounded(overall.features)))
            if progress is not None:
                progress.advance()
        metrics = _metrics(scores, parsed.has_citations, precise, total_cites, recalled)
        return Report(sentences=scores, summary=metrics, sources=[s.name for s in source_list], judge=self.judge.name)

    def _citation_precise(self, text: str, vector: np.ndarray, index: SourceIndex, target: int | None,
                          targets: set[int], joint: bool) -> bool:
        """ALCE: precise when the source alone supports the sentence, or the others cannot without it."""
        if target is None:
            return False
        if self.assess(text, vector, index, {target}).supported:
            return True
        rest = targets - {target}
        return joint and not (rest and self.assess(text, vector, index, rest).supported)


def _key(sources: Sequence[SourceText]) -> str:
    return hashlib.sha256("\x00".join(f"{s.name}\x01{s.text}" for s in sources).encode()).hexdigest()


def _bigrams(stems: list[str]) -> set[tuple[str, str]]:
    return set(zip(stems, stems[1:]))


def _local_features(text: str, passage: str, evidence: str, names: frozenset[str]) -> dict[str, float]:
    """Signals of recombination: words that exist in the sources but not together.

    ``bigram``: share of the sentence's adjacent content-word pairs found in the evidence.
    ``ent_local``: share of the sentence's names (as the sources capitalise them) that the best
    passage mentions; an entity pulled from another part of the article lowers it.
    """
    stems = content_stems(text)
    pairs = _bigrams(stems)
    bigram = len(pairs & _bigrams(content_stems(evidence))) / len(pairs) if pairs else 1.0
    mine = {w for w in words(text) if w in names}
    local = set(words(passage))
    ent_local = len({w for w in mine if w in local}) / len(mine) if mine else 1.0
    return {"bigram": bigram, "ent_local": ent_local}


def _best_unit(alignment: Alignment) -> tuple[str, float]:
    """The single source sentence the summary sentence most plainly restates."""
    best, best_key = "", (-1.0, -1.0)
    for p, lex, sim in zip(alignment.passages, alignment.lex, alignment.sims):
        if p.first == p.last and (float(lex), float(sim)) > best_key:
            best, best_key = p.text, (float(lex), float(sim))
    return best, max(best_key[0], 0.0)


def _metrics(scores: list[SentenceScore], cited: bool, precise: int, total: int, recalled: int) -> SummaryMetrics:
    counts = {v: sum(1 for s in scores if s.verdict == v) for v in ("supported", "unsupported", "contradicted")}
    n = len(scores)
    return SummaryMetrics(
        faithfulness=round(float(np.mean([s.faithfulness for s in scores])), 4) if n else 0.0,
        supported_ratio=round(counts["supported"] / n, 4) if n else 0.0,
        citation_precision=(round(precise / total, 4) if total else 0.0) if cited else None,
        citation_recall=round(recalled / n, 4) if cited and n else None,
        counts=counts,
    )


def _rounded(values: dict[str, float]) -> dict[str, float]:
    return {k: round(float(v), 4) for k, v in values.items()}


_DEFAULT: Scorer | None = None


def default_scorer() -> Scorer:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Scorer()
    return _DEFAULT


def score_summary(summary: Summary | str | Path, sources: Sequence[SourceText | Path | str], *,
                  scorer: Scorer | None = None) -> Report:
    """Score each sentence of ``summary`` (Summary, Markdown/plain text, or a .json/.md/.txt Path)."""
    return (scorer or default_scorer()).score(summary, sources)
