"""Who holds a sentence's stance: the speaker of its quote, else the actor a reporting clause names («قال
لافروف إن ...»), else the subject of its main clause within a few words of its start (VSO: «وأكدت وزارة
الخارجية»), after a dateline and a fronted adverbial. Imports kit.base, kit.arabic and kit.extract.stance_lexicon.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Sequence

from kit.arabic.text import (
    LETTER_AFTER,
    LETTER_BEFORE,
    normalize,
    trie_regex,
)
from kit.base.lexicons import Column, data_path, read_table
from kit.extract.quotes import speech_pattern
from kit.extract.stance import reach_end
from kit.extract.stance_lexicon import (
    DATELINE_RE,
    FRONTED_REACH,
    NOT_ARABIC_RE,
    SUBJECT_REACH,
    Actor,
)

__all__ = ["holder_of", "subject_of"]


def holder_of(norm: str, span: tuple[int, int], actors: Sequence[Actor], speaker: str | None, reach: int | None = SUBJECT_REACH,
              previous: str | None = None) -> tuple[str | None, bool]:
    """Whose position the sentence expresses, and whether that holder is speaking: the speaker of its quote;
    else the actor right after a speech or opinion verb («أعرب المسؤولون الروس عن قلقهم»); else its subject,
    the first actor after any fronted adverbial («وقبل وقت قصير من زيارة بوتين، ... توجه الرئيس الفرنسي»), if
    it stands within `reach` words of the main clause's start (None: anywhere). A sentence that opens with
    a speech verb and names no speaker continues the `previous` sentence's holder."""
    if speaker:
        return speaker, True
    reported = _reported_by(norm, span, actors)
    if reported is not None:
        return reported, True
    verb = speech_pattern().pattern.search(norm, *span)
    if verb is not None:
        # the speaker stands before what is said: an actor after «أن»/«إن», a colon or a quotation mark is in it
        said = _SAID_RE.search(norm, verb.end(), span[1])
        limit = min(reach_end(norm, verb.end(), span[1], 4), said.start() if said else span[1])
        after = [a for a in actors if verb.end() <= a.start < span[1]]
        if after and after[0].start < limit:
            return _named(norm, after[0], after[1:], span).actor_id, True
        if previous is not None and verb.start() <= reach_end(norm, span[0], span[1], 2):
            return previous, True  # «وأضاف أن ...», «وأوضح:»: the speaker of the sentence before goes on
    return subject_of(norm, span, actors, reach), False


_SAID_RE = re.compile(r"(?<![^\W\d_])[وفب]?[ا](?:ن|نه|نها)(?![^\W\d_])|[:«“\"]")


@lru_cache(maxsize=1)
def _reported_pattern() -> re.Pattern:
    """«عن X قوله» (data/reported_speech.csv): the words that close a reported attribution."""
    rows = read_table(data_path("reported_speech.csv"), [Column("word", required=True), Column("note")])
    return re.compile(rf"{LETTER_BEFORE}(?:{trie_regex({normalize(w) for w in rows['word']})}){LETTER_AFTER}")


def _reported_by(norm: str, span: tuple[int, int], actors: Sequence[Actor]) -> str | None:
    """The actor of «نقلت وكالة تاس عن لافروف قوله»: named between the last «عن» before the closing word and it."""
    closing = _reported_pattern().search(norm, *span)
    if closing is None:
        return None
    about = [m.end() for m in re.finditer(r"(?<![^\W\d_])عن(?![^\W\d_])", norm[span[0] : closing.start()])]
    if not about:
        return None
    between = [a for a in actors if span[0] + about[-1] <= a.start and a.end <= closing.start()]
    return _named(norm, between[0], between[1:], span).actor_id if between else None


def subject_of(norm: str, span: tuple[int, int], actors: Sequence[Actor], reach: int | None = SUBJECT_REACH) -> str | None:
    """The sentence's subject: its first actor after a dateline and any fronted adverbial, if it stands
    within `reach` words of the main clause's start (None: anywhere); the actor it names (`_named`)."""
    start = _after_dateline(norm, span)
    while fronted_pattern().match(norm, start):
        comma = norm.find("،", start, reach_end(norm, start, span[1], FRONTED_REACH))
        if comma < 0:
            break
        start = comma + 1
    inside = [a for a in actors if start <= a.start < span[1]]
    if not inside:
        return None
    first = inside[0]
    if reach is not None and first.start > reach_end(norm, start, span[1], reach):
        return None  # «يشار إلى أن القاعدة العسكرية الروسية ...»: no actor is the subject; the author speaks
    return _named(norm, first, inside[1:], span).actor_id


@lru_cache(maxsize=1)
def fronted_pattern() -> re.Pattern:
    """The opening of a fronted adverbial (data/fronted.csv), in the matching form."""
    rows = read_table(data_path("fronted.csv"), [Column("word", required=True), Column("kind", "choice", required=True, choices=("preposition", "phrase"))])
    return re.compile(rf"\s*[وف]?\s*(?:{trie_regex({normalize(w) for w in rows['word']})})(?![^\W\d_])")


def _after_dateline(norm: str, span: tuple[int, int]) -> int:
    """Where the sentence's first clause starts, after a dateline (`DATELINE_RE`): a place and date end at
    a slash or dash when they hold a digit, a lone place when the dash is written on it («موسكو- »)."""
    start = NOT_ARABIC_RE.match(norm, span[0], span[1]).end()
    line = DATELINE_RE.match(norm, start, span[1])
    if line is not None and not fronted_pattern().match(norm, start):
        place = line.group("place")
        if any(c.isdigit() for c in place) or (" " not in place and norm[line.end("place") : line.end("place") + 1] in "-–—/"):
            start = NOT_ARABIC_RE.match(norm, line.end(), span[1]).end()
    return start


def _named(norm: str, first: Actor, rest: Sequence[Actor], span: tuple[int, int]) -> Actor:
    """The actor a subject names: after a nisba, the named actor within four words («الرئيس الفرنسي
    إيمانويل ماكرون»، «الفرنسية العملاقة EDF»); after an organisation or country, a person named right after
    it, their title («رئيسة المفوضية الأوروبية أورسولا فون دير لاين», «وزير خارجية روسيا سيرغي لافروف») —
    not one joined to it by «و» («روسيا وبوتين»)."""
    if first.method == "nisba":
        limit = reach_end(norm, first.end, span[1], 4)
        return next((a for a in rest if a.start < limit and a.method != "nisba"), first)
    if first.kind != "person" and rest and rest[0].kind == "person" and rest[0].start <= reach_end(norm, first.end, span[1], 1):
        joined = "،" in norm[first.end : rest[0].start] or norm[rest[0].start - 1 : rest[0].start] == "و"
        return first if joined else rest[0]
    return first
