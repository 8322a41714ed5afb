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

from .lexicons import Column, data_path, read_table
from .text import LETTER_AFTER, LETTER_BEFORE, Normalized, normalize, trie_regex

__all__ = ["Quote", "SpokenBy", "find_quotes", "speech_pattern"]

_OPENERS = {"«": "»", "“": "”", "„": "“", '"': '"'}
# إن / أن / بأن / أنه ... in the matching form (hamza on alef is gone: ان), and «إلى أن» (الي ان)
_COMPLEMENTIZER_RE = re.compile(r"(?<!\w)(?:ب?ان(?:ه|ها|هم)?|الي\s+ان(?:ه|ها)?)(?!\w)")
_PREFERENCE = {"person": 0, "organisation": 1, "country": 2, "bloc": 3}
# A sentence that opens with «إنها / إنه / وإن» right after a quote goes on with what was being said.
_CONTINUES_RE = re.compile(r"\s*و?ان(?:ه|ها|هم|نا)?(?![^\W\d_])")


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
    """Closed quotation-mark pairs in text[start:end] as (opening mark, closing mark) offsets."""
    pairs: list[tuple[int, int]] = []
    position = start
    while True:
        candidates = [(at, mark) for mark in _OPENERS if (at := text.find(mark, position, end)) >= 0]
        if not candidates:
            return pairs
        open_at, mark = min(candidates)
        close_at = text.find(_OPENERS[mark], open_at + 1, end)
        if close_at < 0:
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


def _is_quoted_name(pair: tuple[int, int], names: Sequence[tuple[int, int]]) -> bool:
    """«قناة "القاهرة الإخبارية"»: marks around an actor's name are not a quote."""
    return any(start <= pair[0] + 2 and end >= pair[1] - 1 for start, end in names)


def _anaphor(
    verbs: SpeechVerbs, normalized: Normalized, position: int, mentions: Sequence[SpokenBy], before: int, speakers: Sequence[SpokenBy]
) -> SpokenBy | None:
    """The actor a definite noun right after the verb refers back to («كما ذكرت الوزارة»): the most salient
    matching actor so far — most mentions and quotes, the latest on a tie — as a reader would resolve it."""
    match = verbs.anaphor.match(normalized.text, position)
    if match is None:
        return None
    actor_type, name_starts = verbs.nouns[match.group("noun")]
    earlier = [m for m in mentions if m.start < before and m.actor_type == actor_type and normalize(m.name_ar).startswith(name_starts)]
    if not earlier:
        return None
    counts = Counter(m.actor_id for m in earlier) + Counter(s.actor_id for s in speakers)
    return max(reversed(earlier), key=lambda m: counts[m.actor_id])


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
    verbs = speech_pattern()
    found: list[Quote] = []
    last_speaker: SpokenBy | None = None
    covered_until = -1
    paragraph_pairs: dict[int, list[tuple[int, int]]] = {}
    paragraph_bounds: dict[int, tuple[int, int]] = {}
    for start, end, paragraph in sentences:
        low, high = paragraph_bounds.get(paragraph, (start, end))
        paragraph_bounds[paragraph] = (min(low, start), max(high, end))
    for paragraph, (low, high) in paragraph_bounds.items():
        paragraph_pairs[paragraph] = _quote_pairs(text, low, high)

    verb_spans = []
    for match in verbs.pattern.finditer(normalized.text):
        v_start, v_end = normalized.span(match.start("verb"), match.end("verb"))
        verb_spans.append((v_start, v_end, match.group("verb")))

    verb_starts = [v[0] for v in verb_spans]
    mention_starts = [m.start for m in mentions]
    for number, (s_start, s_end, paragraph) in enumerate(sentences):
        if s_end <= covered_until:
            continue  # inside a quote already attributed
        pairs = [p for p in paragraph_pairs[paragraph] if p[1] - p[0] > 1]
        in_sentence = verb_spans[bisect.bisect_left(verb_starts, s_start) : bisect.bisect_left(verb_starts, s_end)]
        if not in_sentence:
            opening = next((p for p in pairs if p[0] == s_start), None)
            if opening and last_speaker is not None:  # «“هذا هو الطريق لبلدكم ...”» after Macron's quote
                q_start, q_end = _inner(text, *opening)
                found.append(Quote(number, last_speaker, None, q_start, q_end, "continuation", True))
                covered_until = max(covered_until, opening[1])
            elif last_speaker is not None and found and found[-1].sentence == number - 1 and _CONTINUES_RE.match(normalized.text, *_norm_span(normalized, s_start, s_end)):
                q_start, q_end = _clause(text, s_start, s_end)  # «إنها ضمانة بأن ...» goes on with the statement
                found.append(Quote(number, last_speaker, None, q_start, q_end, "continuation", False))
            continue
        sentence_speaker: SpokenBy | None = None
        in_range = mentions[bisect.bisect_left(mention_starts, s_start) : bisect.bisect_left(mention_starts, s_end)]
        outside_quotes = [m for m in in_range if not any(a < m.start < b for a, b in pairs)]
        for index, (v_start, v_end, verb) in enumerate(in_sentence):
            limit = in_sentence[index + 1][0] if index + 1 < len(in_sentence) else s_end
            quoted = [p for p in pairs if p[0] >= v_end and p[0] < limit]
            n_start, n_end = np.searchsorted(normalized.index, [v_end, limit]).tolist()
            complementizer = _COMPLEMENTIZER_RE.search(normalized.text, n_start, n_end)
            comp_at = normalized.span(complementizer.start(), complementizer.end()) if complementizer else None
            colon = text.find(":", v_end, limit)
            marks = [x for x in (quoted[0][0] if quoted else -1, colon, comp_at[0] if comp_at else -1) if x >= 0]
            window_end = min(marks) if marks else limit
            before = [m for m in outside_quotes if s_start <= m.start < v_start and m.actor_type == "person"]
            if verb in verbs.participles:
                speaker = sentence_speaker or (before[-1] if before else None) or last_speaker
                method = "participle"
            else:
                speaker = _best_speaker([m for m in outside_quotes if v_end <= m.start < window_end])
                method = "subject"
                if speaker is None:
                    speakers = [q.speaker for q in found if q.speaker is not None]
                    speaker, method = _anaphor(verbs, normalized, n_start, mentions, v_start, speakers), "anaphora"
                if speaker is None and before:
                    speaker, method = before[-1], "clause subject"  # «أشاد بوتين ... و قال إنها»
                if speaker is None:
                    speaker, method = last_speaker, "previous"  # «وأضاف:»
            names = [(m.start, m.end) for m in mentions]
            direct_pair = next((p for p in quoted if not _is_quoted_name(p, names)), None)
            if direct_pair is not None and comp_at is not None and direct_pair[0] > comp_at[0]:
                # indirect unless the mark follows the complementizer at once: «أنه "في المرحلة الأولى ..."»
                direct_pair = direct_pair if not text[comp_at[1] : direct_pair[0]].strip() else None
            if direct_pair is not None and len(text[direct_pair[0] + 1 : direct_pair[1]].split()) >= 2:
                q_start, q_end = _inner(text, *direct_pair)
                direct = True
                covered_until = max(covered_until, direct_pair[1])
            elif comp_at is not None:
                q_start, q_end = _clause(text, comp_at[1], limit)
                direct = False
            else:
                earlier = [p for p in pairs if p[1] < v_start and p[0] >= s_start]
                if not earlier or speaker is None:
                    continue  # «وأضاف لافروف في البرنامج السياسي» with nothing said
                q_start, q_end = _inner(text, *earlier[-1])  # «“...”، قال بيسكوف»
                direct = True
            if q_end <= q_start:
                continue
            found.append(Quote(number, speaker, (v_start, v_end), q_start, q_end, method, direct))
            if speaker is not None:
                last_speaker = sentence_speaker = speaker
    return found
