"""Quotes: who said what, with the speaker resolved to an actor and the quoted text as a span.

A speech verb from `data/speech_verbs.csv` (قال، أكد، أشار، أضاف، أعلن، وصف، صرح، أفادت، ذكرت ...) opens an
attribution. The speaker is the first actor named between the verb and what was said — a person before an
organisation before a country: «وقال وزير الخارجية الروسي، سيرغي لافروف، ... إن» → Lavrov, «وقال توكاييف
لماكرون» → Tokayev, «وقالت حكومة كازاخستان إن» → the government. A verb with no subject («وأضاف:») keeps the
previous speaker, a participle («قائلاً:») takes the person named before it, and a paragraph that opens
with a quotation mark continues the last quote. What was said is the span between quotation marks « » “ ”
" " when the verb is followed by a colon or a mark (direct), otherwise the clause after إن / أن (indirect).
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple, Sequence

import numpy as np

from kit.arabic.clauses import goes_on_re, reported_that_re
from kit.arabic.text import (
    LETTER_AFTER,
    LETTER_BEFORE,
    Normalized,
    normalize,
    trie_regex,
)
from kit.base.lexicons import Column, data_path, read_table

__all__ = ["Quote", "SpokenBy", "find_quotes", "speech_pattern"]

_OPENERS = {"«": "»", "“": "”", "„": "“", '"': '"'}
_PREFERENCE = {"person": 0, "organisation": 1, "country": 2, "bloc": 3}


class SpokenBy(NamedTuple):
    """A mention as the quote finder sees it (original offsets)."""

    start: int
    end: int
    actor_id: str
    actor_type: str
    name_en: str
    name_ar: str


class Quote(NamedTuple):
    sentence: int
    speaker: SpokenBy | None
    verb: tuple[int, int] | None
    start: int
    end: int
    method: str
    direct: bool


@dataclass(frozen=True)
class SpeechVerbs:
    pattern: re.Pattern
    participles: frozenset[str]
    anaphor: re.Pattern  # «الوزارة» right after a verb
    nouns: dict[str, tuple[str, str]]  # anaphor → (actor_type, start of the actor's Arabic name)


@lru_cache(maxsize=1)
def speech_pattern() -> SpeechVerbs:
    rows = read_table(
        data_path("speech_verbs.csv"),
        [Column("verb", required=True), Column("kind", "choice", choices=("verb", "participle"))],
    )
    forms = {normalize(verb) for verb in rows["verb"]}
    participles = {normalize(verb) for verb, kind in zip(rows["verb"], rows["kind"]) if kind == "participle"}
    pattern = re.compile(rf"{LETTER_BEFORE}(?:كما\s+)?[وف]?(?P<verb>{trie_regex(forms)}){LETTER_AFTER}")
    anaphora = read_table(
        data_path("anaphora.csv"),
        [Column("word", required=True), Column("actor_type", required=True), Column("name_starts", required=True)],
    )
    nouns = {normalize(w): (t, normalize(n)) for w, t, n in zip(anaphora["word"], anaphora["actor_type"], anaphora["name_starts"])}
    anaphor = re.compile(rf"\s*[وف]?(?P<noun>{trie_regex(nouns)}){LETTER_AFTER}")
    return SpeechVerbs(pattern, frozenset(participles), anaphor, nouns)


def _quote_pairs(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Closed quotation-mark pairs in text[start:end] as (opening mark, closing mark) offsets.

    Linear in the length of the text: the next occurrence of each mark is searched once and kept until
    it is passed, and a closing mark found missing stays missing further on (a 20 MB one-line article
    with a stray « is not read again for every later mark)."""
    pairs: list[tuple[int, int]] = []
    position = start
    next_at = {mark: text.find(mark, start, end) for mark in _OPENERS}
    unclosed: set[str] = set()  # closing marks that do not occur after some position ≤ the current one
    while True:
        for mark, at in next_at.items():
            if 0 <= at < position:
                next_at[mark] = text.find(mark, position, end)
        candidates = [(at, mark) for mark, at in next_at.items() if at >= 0]
        if not candidates:
            return pairs
        open_at, mark = min(candidates)
        closer = _OPENERS[mark]
        close_at = -1 if closer in unclosed else text.find(closer, open_at + 1, end)
        if close_at < 0:
            unclosed.add(closer)
            position = open_at + 1
            continue
        pairs.append((open_at, close_at))
        position = close_at + 1


def _inner(text: str, open_at: int, close_at: int) -> tuple[int, int]:
    start, end = open_at + 1, close_at
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _clause(text: str, start: int, end: int) -> tuple[int, int]:
    """An indirect-speech clause without surrounding spaces and trailing commas/stops."""
    while start < end and (text[start].isspace() or text[start] in ":،,"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ".،,؛"):
        end -= 1
    return start, end


def _norm_span(normalized: Normalized, start: int, end: int) -> tuple[int, int]:
    low, high = np.searchsorted(normalized.index, [start, end]).tolist()
    return low, high


class _Names:
    """Mention spans sorted by start, for «is this pair of marks around a name?» without a pass over all."""

    def __init__(self, mentions: Sequence[SpokenBy]):
        self.spans = [(m.start, m.end) for m in mentions]
        self.starts = [m.start for m in mentions]
        self.longest = max((end - start for start, end in self.spans), default=0)

    def around(self, pair: tuple[int, int]) -> bool:
        """«قناة "القاهرة الإخبارية"»: marks around an actor's name are not a quote."""
        # a covering name ends at pair[1] - 1 or later, so it starts at pair[1] - 1 - longest or later
        low = bisect.bisect_left(self.starts, pair[1] - 1 - self.longest)
        high = bisect.bisect_right(self.starts, pair[0] + 2)
        return any(end >= pair[1] - 1 for _, end in self.spans[low:high])


class _Salience:
    """Who a definite noun right after the verb refers back to («كما ذكرت الوزارة»): the most salient
    matching actor so far — most mentions and quotes, the latest on a tie — as a reader would resolve it.

    Mentions are grouped once by anaphor noun and actor, so each lookup costs a few bisections instead of
    a pass over every earlier mention (which made long articles quadratic)."""

    def __init__(self, verbs: SpeechVerbs, mentions: Sequence[SpokenBy]):
        self.verbs = verbs
        self.mentions = mentions
        self.groups: dict[tuple[str, str], dict[str, tuple[list[int], list[int]]]] = {}
        self.speakers: Counter = Counter()
        self.counted = 0  # quotes already added to `speakers`

    def _group(self, key: tuple[str, str]) -> dict[str, tuple[list[int], list[int]]]:
        """actor_id → (starts, indices into mentions) of the mentions of type key[0] whose name starts with key[1]."""
        group = self.groups.get(key)
        if group is None:
            actor_type, name_starts = key
            group = {}
            names: dict[str, bool] = {}
            for index, m in enumerate(self.mentions):
                if m.actor_type != actor_type:
                    continue
                if m.name_ar not in names:
                    names[m.name_ar] = normalize(m.name_ar).startswith(name_starts)
                if names[m.name_ar]:
                    starts, indices = group.setdefault(m.actor_id, ([], []))
                    starts.append(m.start)
                    indices.append(index)
            self.groups[key] = group
        return group

    def resolve(self, normalized: Normalized, position: int, before: int, found: Sequence[Quote]) -> SpokenBy | None:
        match = self.verbs.anaphor.match(normalized.text, position)
        if match is None:
            return None
        for quote in found[self.counted :]:
            if quote.speaker is not None:
                self.speakers[quote.speaker.actor_id] += 1
        self.counted = len(found)
        best: tuple[int, int] | None = None  # (salience, index of the actor's latest mention)
        for actor_id, (starts, indices) in self._group(self.verbs.nouns[match.group("noun")]).items():
            count = bisect.bisect_left(starts, before)
            if count:
                candidate = (count + self.speakers[actor_id], indices[count - 1])
                best = candidate if best is None or candidate > best else best
        return self.mentions[best[1]] if best is not None else None


def _best_speaker(candidates: Sequence[SpokenBy]) -> SpokenBy | None:
    if not candidates:
        return None
    return min(candidates, key=lambda m: (_PREFERENCE.get(m.actor_type, 9), m.start))


def find_quotes(
    text: str,
    normalized: Normalized,
    sentences: Sequence[tuple[int, int, int]],
    mentions: Sequence[SpokenBy],
) -> list[Quote]:
    """Attributed statements of one article. `sentences` are (start, end, paragraph) in original offsets."""
    finder = _QuoteFinder(text, normalized, sentences, mentions)
    for number, (s_start, s_end, paragraph) in enumerate(sentences):
        if s_end > finder.covered_until:  # else inside a quote already attributed
            finder.sentence(number, s_start, s_end, paragraph)
    return finder.found


class _QuoteFinder:
    """The state of one article's quotes: the quotation-mark pairs per paragraph, the speech verbs, the
    speaker last attributed (for «وأضاف:») and how far the quotes found so far reach."""

    def __init__(self, text: str, normalized: Normalized, sentences: Sequence[tuple[int, int, int]], mentions: Sequence[SpokenBy]):
        self.text, self.normalized, self.mentions = text, normalized, mentions
        self.verbs = speech_pattern()
        self.found: list[Quote] = []
        self.last_speaker: SpokenBy | None = None
        self.covered_until = -1
        bounds: dict[int, tuple[int, int]] = {}
        for start, end, paragraph in sentences:
            low, high = bounds.get(paragraph, (start, end))
            bounds[paragraph] = (min(low, start), max(high, end))
        self.pairs = {paragraph: [p for p in _quote_pairs(text, low, high) if p[1] - p[0] > 1] for paragraph, (low, high) in bounds.items()}
        # pairs do not overlap, so their starts and ends are both sorted: the pairs around a sentence by bisection
        self.pair_starts = {paragraph: [p[0] for p in pairs] for paragraph, pairs in self.pairs.items()}
        self.pair_ends = {paragraph: [p[1] for p in pairs] for paragraph, pairs in self.pairs.items()}
        self.names = _Names(mentions)
        self.salience = _Salience(self.verbs, mentions)
        self.verb_spans = []
        for match in self.verbs.pattern.finditer(normalized.text):
            v_start, v_end = normalized.span(match.start("verb"), match.end("verb"))
            self.verb_spans.append((v_start, v_end, match.group("verb")))
        self.verb_starts = [v[0] for v in self.verb_spans]
        self.mention_starts = [m.start for m in mentions]

    def sentence(self, number: int, s_start: int, s_end: int, paragraph: int) -> None:
        # the pairs of the paragraph that overlap the sentence (a quote may span several sentences)
        ends, starts = self.pair_ends[paragraph], self.pair_starts[paragraph]
        pairs = self.pairs[paragraph][bisect.bisect_right(ends, s_start) : bisect.bisect_left(starts, s_end)]
        in_sentence = self.verb_spans[bisect.bisect_left(self.verb_starts, s_start) : bisect.bisect_left(self.verb_starts, s_end)]
        if not in_sentence:
            self._continuation(number, s_start, s_end, pairs)
            return
        sentence_speaker: SpokenBy | None = None
        in_range = self.mentions[bisect.bisect_left(self.mention_starts, s_start) : bisect.bisect_left(self.mention_starts, s_end)]
        outside_quotes = [m for m in in_range if not any(a < m.start < b for a, b in pairs)]
        for index, (v_start, v_end, verb) in enumerate(in_sentence):
            limit = in_sentence[index + 1][0] if index + 1 < len(in_sentence) else s_end
            quote = self._statement(number, s_start, (v_start, v_end, verb), limit, pairs, outside_quotes, sentence_speaker)
            if quote is None:
                continue
            self.found.append(quote)
            if quote.speaker is not None:
                self.last_speaker = sentence_speaker = quote.speaker

    def _continuation(self, number: int, s_start: int, s_end: int, pairs: list[tuple[int, int]]) -> None:
        """A sentence without a speech verb that goes on with the last speaker's statement."""
        opening = next((p for p in pairs if p[0] == s_start), None)
        if opening and self.last_speaker is not None:  # «“هذا هو الطريق لبلدكم ...”» after Macron's quote
            q_start, q_end = _inner(self.text, *opening)
            self.found.append(Quote(number, self.last_speaker, None, q_start, q_end, "continuation", True))
            self.covered_until = max(self.covered_until, opening[1])
        elif (self.last_speaker is not None and self.found and self.found[-1].sentence == number - 1
              and goes_on_re().match(self.normalized.text, *_norm_span(self.normalized, s_start, s_end))):
            q_start, q_end = _clause(self.text, s_start, s_end)  # «إنها ضمانة بأن ...» goes on with the statement
            self.found.append(Quote(number, self.last_speaker, None, q_start, q_end, "continuation", False))

    def _statement(self, number: int, s_start: int, verb_span: tuple[int, int, str], limit: int, pairs: list[tuple[int, int]],
                   outside_quotes: list[SpokenBy], sentence_speaker: SpokenBy | None) -> Quote | None:
        """The statement a speech verb introduces, up to the next verb of its sentence (`limit`), or None."""
        v_start, v_end, verb = verb_span
        text, normalized = self.text, self.normalized
        quoted = [p for p in pairs if p[0] >= v_end and p[0] < limit]
        n_start, n_end = np.searchsorted(normalized.index, [v_end, limit]).tolist()
        complementizer = reported_that_re().search(normalized.text, n_start, n_end)
        comp_at = normalized.span(complementizer.start(), complementizer.end()) if complementizer else None
        colon = text.find(":", v_end, limit)
        marks = [x for x in (quoted[0][0] if quoted else -1, colon, comp_at[0] if comp_at else -1) if x >= 0]
        window_end = min(marks) if marks else limit
        before = [m for m in outside_quotes if s_start <= m.start < v_start and m.actor_type == "person"]
        speaker, method = self._speaker(verb, v_start, v_end, window_end, n_start, before, outside_quotes, sentence_speaker)
        direct_pair = next((p for p in quoted if not self.names.around(p)), None)
        if direct_pair is not None and comp_at is not None and direct_pair[0] > comp_at[0]:
            # indirect unless the mark follows the complementizer at once: «أنه "في المرحلة الأولى ..."»
            direct_pair = direct_pair if not text[comp_at[1] : direct_pair[0]].strip() else None
        if direct_pair is not None and len(text[direct_pair[0] + 1 : direct_pair[1]].split()) >= 2:
            q_start, q_end = _inner(text, *direct_pair)
            direct = True
            self.covered_until = max(self.covered_until, direct_pair[1])
        elif comp_at is not None:
            q_start, q_end = _clause(text, comp_at[1], limit)
            direct = False
        else:
            earlier = [p for p in pairs if p[1] < v_start and p[0] >= s_start]
            if not earlier or speaker is None:
                return None  # «وأضاف لافروف في البرنامج السياسي» with nothing said
            q_start, q_end = _inner(text, *earlier[-1])  # «“...”، قال بيسكوف»
            direct = True
        return Quote(number, speaker, (v_start, v_end), q_start, q_end, method, direct) if q_end > q_start else None

    def _speaker(self, verb: str, v_start: int, v_end: int, window_end: int, n_start: int, before: list[SpokenBy],
                 outside_quotes: list[SpokenBy], sentence_speaker: SpokenBy | None) -> tuple[SpokenBy | None, str]:
        """Who says what a speech verb introduces, and by which rule."""
        if verb in self.verbs.participles:
            return sentence_speaker or (before[-1] if before else None) or self.last_speaker, "participle"
        speaker = _best_speaker([m for m in outside_quotes if v_end <= m.start < window_end])
        if speaker is not None:
            return speaker, "subject"
        speaker = self.salience.resolve(self.normalized, n_start, v_start, self.found)
        if speaker is not None:
            return speaker, "anaphora"
        if before:
            return before[-1], "clause subject"  # «أشاد بوتين ... و قال إنها»
        return self.last_speaker, "previous"  # «وأضاف:»
