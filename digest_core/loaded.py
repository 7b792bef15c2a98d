"""Loaded language: value-laden or contested terms, and whether the text attributes them.

A lexicon of loaded terms (written for this project) plus a small scorer of subjective
sentence features (evaluative adverbs, normative modals, rhetorical questions, first
person). A term inside quotation marks, or in a sentence that names who said it, is
attributed: the writer reports it rather than uses it in their own voice.

Shared: the digest uses it to choose plain wording and set opinion aside; the evaluator's
neutrality section (evals/neutrality.py) counts it in any summary.
"""

from __future__ import annotations

import re

from pydantic import BaseModel

from digest_core.text import STOPWORDS, normalize

# Phrases first (matched before single words). Stems end in "*".
LOADED_TERMS: tuple[str, ...] = (
    "proxy war", "meat grinder", "deluding himself", "deluding herself", "deluding themselves", "war to the last",
    "cannon fodder", "puppet regime", "puppet government", "so-called", "war criminal*", "war machine",
    "warmonger*", "fascist*", "nazi*", "neo-nazi*", "terrorist regime", "thug*", "regime", "propaganda",
    "brainwash*", "lie", "lies", "lied", "liar*", "hoax", "sham", "scam", "disastrous", "catastrophic",
    "shameful", "disgraceful", "outrageous", "heroic", "evil", "barbaric", "brutal", "savage*", "monstrous",
    "corrupt", "illegitimate", "criminal", "slaughter*", "butcher*", "massacre*", "genocid*", "invaders",
    "occupiers", "aggressor*", "imperialis*", "radical*", "extremist*", "fanatic*", "lunatic*", "idiot*",
    "stupid", "ridiculous", "absurd", "pathetic", "finally", "effectively beaten", "collapse",
    "humiliat*", "capitulat*", "surrender*", "appease*", "betray*", "blood money", "endless war", "forever war",
    "unprovoked", "illegal war", "so called", "mouthpiece", "regime change", "witch hunt", "cover-up",
    # The tabloid register of political news: contempt, mockery and the blow-by-blow of a fight, in the outlet's
    # own voice. Only words with no literal sense in news ("slam", "blast", "shred", "gut" have one: storms slam
    # coasts, bombs blast, documents are shredded; "reckless" is also a charge) are listed.
    "go nuts", "goes nuts", "went nuts", "going nuts", "freak out", "freaks out", "freaked out", "freaking out",
    "fever pitch", "full panic", "fake news", "hit piece", "unhinged", "deranged", "derangement", "tirade*", "rant",
    "rants", "ranted", "screed*", "diatribe*", "bombshell*", "scathing", "blistering", "eviscerat*", "lambast*",
    "obliterat*", "clobber*", "trounc*", "debacle*", "fiasco*", "shambles", "horrific", "horrendous", "heinous",
    "vile", "despicable", "abhorrent", "appalling", "atrocious", "egregious", "reprehensible", "deplorable",
    "sinister", "nefarious", "insane", "crazy", "moronic", "sleaz*", "smear*", "slimy", "sickening", "disgusting",
    "nauseating", "ugliest", "nastiest", "vicious", "draconian", "gloves-off", "gloves off",
)
_SUBJECTIVE = re.compile(
    r"\b(notabl[ey]|clearly|obviously|undoubtedly|of course|shockingly|sadly|unfortunately|fortunately|"
    r"remarkabl[ey]|astonishing(ly)?|alarming(ly)?|I think|I believe|in my (view|opinion)|we must|should have|"
    r"must not|there is (significant|no|little) evidence|the truth is|the fact (is|that)|"
    r"(it'?s|it is) no secret|make no mistake|needless to say|ironically|predictably|conveniently|thankfully|"
    r"mercifully|laughabl[ey]|surprisingly|the (?:good|bad) news is)\b",
    re.I,
)
_SPEECH = re.compile(
    r"\b(said|says|told|tells|according to|described|describes|called|calls|claimed|claims|argued|argues|"
    r"wrote|writes|warned|insisted|accused|quoted|referred to|dubbed|labell?ed|termed)\b",
    re.I,
)
# A quotation in double marks, or in single marks that open after a space or bracket and close before one or a
# punctuation mark: an apostrophe ("Trump's radical agenda and Biden's allies") opens and closes nothing.
_QUOTED = re.compile(r"\"[^\"]{1,400}\"|(?:^|(?<=[\s(\[]))'[^'\s][^']{0,199}?(?<=\S)'(?=[\s,.;:!?)\]]|$)")
# First-person words, outside quotation marks the writer's own (or a speaker's whose quotation marks were lost):
# "US" in capitals, "U.S." and "World War I" are not.
_FIRST_PERSON = re.compile(r"\b(?:[Ww]e|[Uu]s|[Oo]urs?|[Oo]urselves|[Mm]e|[Mm]y|[Mm]yself)\b"
                           r"|(?<!War )\bI\b(?:'(?:m|ve|ll|d)\b|(?=\s+[a-z]))")
# A quotation in double marks, or in single marks as some outlets quote ("'We will not back down,' he added."):
# a straight mark before a capital, closed after punctuation, so that apostrophes are not taken for marks.
_QUOTATION = re.compile(r"\"[^\"]*\"|(?:^|(?<=\s))'[A-Z0-9].*?[,.!?]'(?=\s|$)")


class LoadedTerm(BaseModel):
    term: str
    text: str  # the words as they appear
    attributed: bool
    sentence: str
    method: str = "lexicon"  # "lexicon", or "model": a word whose vector sits next to a lexicon term


def _pattern(term: str) -> re.Pattern[str]:
    body = re.escape(term.rstrip("*")).replace(r"\ ", r"\s+").replace(r"\-", r"[-\s]?")
    tail = r"\w*" if term.endswith("*") else ""
    return re.compile(r"\b" + body + tail + r"\b", re.I)


_PATTERNS = [(t, _pattern(t)) for t in sorted(LOADED_TERMS, key=len, reverse=True)]
# Senses of a lexicon word that carry no judgement: "lie"/"lies" before a place or direction is where something is
# ("lie in state", "the answer lies in ...", "challenges lie ahead"), not a falsehood.
_NEUTRAL_SENSE = {
    "lie": re.compile(r"\s+(?:in|on|at|ahead|behind|beneath|below|within|between|under|near|across|outside|inside|"
                      r"along|beyond|off|north|south|east|west)\b", re.I),
}
_NEUTRAL_SENSE["lies"] = _NEUTRAL_SENSE["lie"]


def loaded_terms(sentence: str) -> list[LoadedTerm]:
    """Loaded terms in one sentence, each marked attributed (quoted or reported speech) or not."""
    text = normalize(sentence)
    quoted_spans = [m.span() for m in _QUOTED.finditer(text)]
    reported = bool(_SPEECH.search(text))
    found: list[LoadedTerm] = []
    taken: list[tuple[int, int]] = []
    for term, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            span = match.span()
            if any(s < span[1] and span[0] < e for s, e in taken):
                continue  # part of a longer phrase already found
            neutral = _NEUTRAL_SENSE.get(term)
            if neutral is not None and neutral.match(text, span[1]):
                continue
            taken.append(span)
            in_quotes = any(s <= span[0] and span[1] <= e for s, e in quoted_spans)
            found.append(LoadedTerm(term=term.rstrip("*"), text=match.group(0), attributed=in_quotes or reported, sentence=sentence))
    return found


NEAR_LEXICON = 0.8  # MiniLM cosine between a single word and a lexicon term that makes the word suspect


class _NearLexicon:
    """The model half of the check: words the lexicon misses but whose vectors sit next to a lexicon term.

    Single-word MiniLM vectors separate poorly below ~0.8 ("war" is 0.74 from "illegal war"),
    so only very close neighbours are flagged ("shameless" ~ "shameful", "butchery" ~ "butcher").
    """

    def __init__(self, embedder) -> None:
        self.embedder = embedder
        self.terms = [t.rstrip("*") for t in LOADED_TERMS]
        self.vectors = embedder.embed(self.terms)
        self.cache: dict[str, tuple[float, str]] = {}

    def nearest(self, words: list[str]) -> dict[str, tuple[float, str]]:
        new = [w for w in dict.fromkeys(words) if w not in self.cache]
        if new:
            sims = self.embedder.embed(new) @ self.vectors.T
            for word, row in zip(new, sims):
                best = int(row.argmax())
                self.cache[word] = (float(row[best]), self.terms[best])
        return {w: self.cache[w] for w in words}


def model_terms(sentence: str, embedder) -> list[LoadedTerm]:
    """Loaded words the lexicon does not list, found by vector similarity to it."""
    near = _near(embedder)
    text = normalize(sentence)
    quoted = " ".join(m.group(0) for m in _QUOTED.finditer(text)).lower()
    reported = bool(_SPEECH.search(text))
    listed = {t.text.lower() for t in loaded_terms(text)}
    candidates = [w for w in _candidates(text) if w not in listed]
    found = []
    for word, (sim, term) in near.nearest(candidates).items():
        if sim >= NEAR_LEXICON:
            found.append(LoadedTerm(term=term, text=word, attributed=reported or word in quoted, sentence=sentence,
                                    method="model"))
    return found


_NEAR: _NearLexicon | None = None


def _near(embedder) -> _NearLexicon:
    global _NEAR
    if _NEAR is None or _NEAR.embedder is not embedder:
        _NEAR = _NearLexicon(embedder)
    return _NEAR


def _candidates(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z][a-z\-]{3,}", text.lower()) if w not in _NEUTRAL and w not in STOPWORDS]


def prepare_model_terms(sentences: list[str], embedder) -> None:
    """Embed the candidate words of all ``sentences`` in one batch, instead of a call per sentence."""
    _near(embedder).nearest(_all_candidates(sentences))


def model_term_texts(sentences: list[str]) -> list[str]:
    """What the model half of the check embeds for these sentences: the lexicon's terms and the candidate words
    (for an embedder's ``prefetch``)."""
    return [t.rstrip("*") for t in LOADED_TERMS] + _all_candidates(sentences)


def _all_candidates(sentences: list[str]) -> list[str]:
    return [w for s in sentences for w in _candidates(normalize(s))]

# Plain words that sit close to some lexicon entry but are the ordinary vocabulary of news.
_NEUTRAL = {"war", "wars", "government", "regimes", "killed", "killing", "military", "soldiers", "troops", "said",
            "attack", "attacks", "crime", "crimes", "violence", "invasion", "occupation", "surrendered"}


def first_person(sentence: str) -> bool:
    """"I", "we", "our" outside quotation marks: the writer speaking ("Last month, I joined 15,000 cyclists"), or a
    speaker's words with the quotation marks and the speaker gone ("We've now purchased enough vaccine"). A report,
    and a digest, speak of people in the third person."""
    return bool(_FIRST_PERSON.search(_QUOTATION.sub(" ", normalize(sentence)).replace("U.S.", "")))


_SECOND_PERSON = re.compile(r"\b(?:[Yy]ou|[Yy]our|[Yy]ours|[Yy]ourself|[Yy]ourselves)\b")


def addresses_reader(sentence: str) -> bool:
    """"you", "your" outside quotation marks: the writer advising or addressing the reader ("If you disagree with
    the decision, here's how to argue about it"), which a report, and a digest, do not do."""
    return bool(_SECOND_PERSON.search(_QUOTATION.sub(" ", normalize(sentence))))


# A verdict as the predicate: "the race is rapidly becoming a clown show", "the hearing was a farce". Outside
# quotation marks and with no speaker only: a speaker's verdict ("was a farce, critics said") is reported.
_VERDICT = re.compile(
    r"\b(?:is|are|was|were|be|been|becomes?|became|becoming|turned into|turns? into|turning into)\s+(?:\w+ly\s+)?"
    r"(?:a|an|the|nothing but a|little more than a)\s+(?:[\w-]+\s+){0,2}?(?:farce|circus|clown show|sideshow|fiasco|"
    r"debacle|sham|travesty|disgrace|charade|shambles|laughingstock|dumpster fire|shitshow|clown car|joke)\b", re.I)


def is_subjective(sentence: str) -> bool:
    """Opinion rather than report: evaluative wording, normative claims, rhetorical questions, the writer's own
    first person, the reader addressed, a verdict as the predicate."""
    text = normalize(sentence)
    if text.endswith("?"):
        return True
    unattributed = [t for t in loaded_terms(text) if not t.attributed]
    if unattributed or _SUBJECTIVE.search(text):
        return True
    unquoted = _QUOTATION.sub(" ", text)  # the writer's own words, once for the three checks below
    return bool(_FIRST_PERSON.search(unquoted.replace("U.S.", "")) or _SECOND_PERSON.search(unquoted)
                or (_VERDICT.search(unquoted) and not _SPEECH.search(text)))


# A headline's genre label: the outlet marks the piece as opinion or analysis, not report.
_OPINION_LABEL = re.compile(r"^\s*(?:opinion|analysis|commentary|editorial|op-ed|column|perspective|viewpoint)\s*"
                            r"(?:[:|\u2014\u2013]|-\s)", re.I)


def labelled_opinion(title: str) -> bool:
    """The headline carries a genre label of opinion or analysis ("OPINION: ...", "Analysis | ...")."""
    return bool(_OPINION_LABEL.match(title))


# Headlines of explainers, guides and lists: they announce a piece ("How Moore could win", "6 takeaways from the
# debate", "Here's where Trump wants to cut"), not the event.
_EXPLAINER = re.compile(r"^\W*(?:(?:how|why|what|where|who|here'?s|here is|inside|explained|everything)\b|"
                        r"\d+\s+(?:\w+\s+){0,2}(?:takeaways|things|ways|reasons|questions|lessons|facts|moments|"
                        r"winners|losers|traditions|tips|signs|myths)\b)", re.I)


def plain_headline(title: str) -> bool:
    """A headline fit to stand as a digest's or a story's neutral title: not labelled opinion or analysis, not an
    explainer's or a list's, not a question, no loaded word (attributed or not) and no opinion wording."""
    return bool(title.strip()) and not labelled_opinion(title) and not _EXPLAINER.match(title) \
        and not is_subjective(title) and not loaded_terms(title)
