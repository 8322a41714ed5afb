"""Stance toward Russia and the West: sentence-level, rule-based, with its evidence, re-scored live.

Each sentence gets two labels in {-1, 0, +1}, `russia` and `west`, from the cues of `data/stance_cues.csv`
that fire in it (partnership, praise, agreements, visits ... +1; criticism, accusations, distancing,
refusal, sanctions, conflict, pressure ... -1). A cue's target side comes from the actors around it (its
`target` rule: the nearest Russia/West actor, the one who acts, a fixed side, or the holder's opponent);
a negation or refusal word right before it flips or cancels it («رفضت الاعتراف بضم روسيا» is against
Russia, «لم تفرض عقوبات» is no sanction); cues after «لكن» weigh more. The holder is the speaker of the
sentence's quote, else its subject actor. Every cue that fired is kept as evidence with its offsets (the
`cues` table), so a label can be explained and re-scored at once when a researcher changes the weight of
a category or the threshold (`score`). `evaluate` measures the current lexicon against the hand-labelled
gold file, `aggregate` sums up by article, source, holder or month.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import NamedTuple, Sequence

import numpy as np
import pandas as pd

from kit.arabic.text import (
    LETTER_AFTER,
    LETTER_BEFORE,
    clause_around,
    clitic_match_core,
    clitic_regex,
    enclitics,
    normalize,
    split_article,
    trie_regex,
    with_enclitics,
)
from kit.base.lexicons import Column, data_path, read_table
from kit.extract.quotes import speech_pattern

__all__ = ["Scorer", "StanceLexicon", "score", "SIDES"]

SIDES = ("russia", "west")
TARGETS = ("near", "after", "before", "agent", "object", "between", "russia", "west", "opponent")
MODIFIERS = ("negation", "refusal", "contrast", "temporal", "still")
THRESHOLD = 0.5
NEGATION_REACH = 4  # words between a negator and the cue it governs («ثنيها عن الحفاظ على علاقات»)
AGENT_REACH = 4  # words after a cue in which its actor is looked for
SUBJECT_REACH = 4  # words from the start of the main clause within which its subject stands (VSO: «وأكدت وزارة الخارجية»)
_TOKEN_RE = re.compile(r"[^\W\d_]+|\d+|[^\w\s]")
# A clause ends at ؛, at a comma that opens a new coordinated clause («، وقال إن» — not «، ومع الدول
# الغربية», which continues the phrase before it) and at a relative pronoun («المنطقة التي تتمتع فيها روسيا»).
_CLAUSE_BREAK_RE = re.compile(
    r"[؛;.!?؟]|[،,]\s*(?:و(?!(?:مع|الي|علي|في|من|عن|ب)\s)(?=\S)|ف(?!ي\s)(?=\S)|فيما|بينما|في\s+حين)"
    r"|(?<![^\W\d_])[وف]?(?:التي|الذي|الذين|اللذين|اللتين|اللواتي)(?![^\W\d_])"
)
_COMPLEMENTIZERS = frozenset({"ان", "وان", "بان", "لان", "فان"})  # أن / إن in the matching form, which open a new clause
FRONTED_REACH = 20  # words a fronted adverbial may run before its comma («وفي اجتماع مع توكاييف، أثنى ماكرون»)
# A dateline before the first clause: words without Arabic letters («date 2025-11-07»), or a place and date
# up to a slash or dash («أستانا 6 سبتمبر 2013 /وصل», «موسكو- تجدد»)
_NOT_ARABIC_RE = re.compile(r"(?:\s*[^\s\u0600-\u06ff]+(?=\s))*\s*")
_DATELINE_RE = re.compile(r"(?P<place>[^\s/\-–—]+(?:\s+[^\s/\-–—]+){0,5}?)\s*[/\-–—]\s*")


class Cue(NamedTuple):
    pattern: str
    category: str
    polarity: int
    weight: float
    target: str
    when_negated: str


class Evidence(NamedTuple):
    """A cue that fired for one side, in matching-form offsets of its text."""

    start: int
    end: int
    side: str
    pattern: str
    category: str
    polarity: int
    weight: float
    negated: bool


class Actor(NamedTuple):
    """A mention as stance reads it (matching-form offsets)."""

    start: int
    end: int
    actor_id: str
    side: str | None  # russia, west or None
    method: str = "name"
    kind: str = ""  # the actor type: person, country, organisation, bloc


@dataclass
class StanceLexicon:
    """The cue lexicon, modifiers and category weights, compiled."""

    cues: dict[str, list[Cue]]
    pattern: re.Pattern
    modifiers: dict[str, tuple[str, float, str | None]]  # word → (kind, factor, category it affects)
    contrast: re.Pattern
    modifier_pattern: re.Pattern  # negation, refusal and temporal words, with a proclitic and a pronoun suffix
    categories: dict[str, float]
    source: Path

    @classmethod
    def load(cls, path: str | Path | None = None) -> "StanceLexicon":
        """The bundled cue lexicon, or a researcher's edited copy; a malformed row names its line."""
        categories = read_table(
            data_path("stance_categories.csv"),
            [Column("category", required=True), Column("weight", "float", required=True), Column("description")],
        )
        names = tuple(categories["category"])
        source = Path(path) if path else data_path("stance_cues.csv")
        rows = read_table(
            source,
            [
                Column("pattern", required=True),
                Column("category", "choice", required=True, choices=names),
                Column("polarity", "int", required=True),
                Column("weight", "float", required=True),
                Column("target", "choice", required=True, choices=TARGETS),
                Column("when_negated", "choice", choices=("flip", "cancel")),
                Column("note"),
            ],
            row_check=_cue_row_problem,
        )
        cues: dict[str, list[Cue]] = {}
        for row in rows.itertuples():
            cue = Cue(row.pattern, row.category, int(row.polarity), float(row.weight), row.target, row.when_negated or "flip")
            for variant in cue_variants(row.pattern):
                known = cues.setdefault(variant, [])
                # «ضغوط» and «الضغوط», or «أشاد»+ه and «الإشادة», are one cue, not two
                if all(k[1:] != cue[1:] for k in known):
                    known.append(cue)
        modifiers_table = read_table(
            data_path("stance_modifiers.csv"),
            [Column("word", required=True), Column("kind", "choice", required=True, choices=MODIFIERS), Column("factor", "float"), Column("category", "choice", choices=names)],
        )
        modifiers = {
            normalize(w): (k, f or 1.0, c)
            for w, k, f, c in zip(modifiers_table["word"], modifiers_table["kind"], modifiers_table["factor"], modifiers_table["category"])
        }
        contrast_words = [w for w, (kind, _, _) in modifiers.items() if kind == "contrast"]
        contrast = re.compile(rf"{LETTER_BEFORE}[وف]?(?P<word>{trie_regex(contrast_words)}){LETTER_AFTER}")
        governing = [w for w, (kind, _, _) in modifiers.items() if kind != "contrast"]
        suffixes = "|".join(enclitics())
        modifier_pattern = re.compile(rf"{LETTER_BEFORE}[وفلب]?(?P<word>{trie_regex(governing)})(?:{suffixes})?{LETTER_AFTER}")
        return cls(cues, clitic_regex(set(cues), set(cues)), modifiers, contrast, modifier_pattern, dict(zip(names, categories["weight"])), source)

    @classmethod
    @lru_cache(maxsize=1)
    def default(cls) -> "StanceLexicon":
        return cls.load()


def _cue_row_problem(row) -> str | None:
    """Why a row of the cue lexicon cannot be used, or None."""
    if row["polarity"] not in (-1, 1):
        return "polarity must be 1 or -1"
    try:
        verb_forms(row["pattern"])
    except ValueError as exc:
        return str(exc)
    return None


@lru_cache(maxsize=1)
def _verb_affixes() -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    """The past suffixes and the present (prefix, suffix) pairs of data/verb_inflections.csv."""
    rows = read_table(data_path("verb_inflections.csv"), [Column("stem", "choice", required=True, choices=("past", "present")),
                                                          Column("prefix"), Column("suffix"), Column("note")])
    past = tuple(dict.fromkeys(normalize(s or "") for t, s in zip(rows["stem"], rows["suffix"]) if t == "past"))
    present = tuple(dict.fromkeys((normalize(p or ""), normalize(s or "")) for t, p, s in zip(rows["stem"], rows["prefix"], rows["suffix"]) if t == "present"))
    return past, present


def verb_forms(pattern: str) -> list[str]:
    """A cue pattern's written forms: a first word written «PAST/PRESENT» («اتهم/يتهم واشنطن») is a verb,
    inflected by data/verb_inflections.csv (اتهمت، اتهموا، تتهم، يتهمون ...); any other pattern is itself."""
    first, _, rest = pattern.strip().partition(" ")
    if "/" not in first:
        return [pattern]
    past_stem, _, present_stem = (normalize(part.strip()) for part in first.partition("/"))
    if not past_stem or not present_stem.startswith("ي") or len(present_stem) < 3:
        raise ValueError(f"verb cue {pattern!r}: write it as PAST/PRESENT, the present with its ي («اتهم/يتهم»)")
    past, present = _verb_affixes()
    forms = [past_stem + suffix for suffix in past] + [prefix + present_stem[1:] + suffix for prefix, suffix in present]
    return [f"{form} {rest}".strip() for form in dict.fromkeys(forms)]


def cue_variants(pattern: str) -> list[str]:
    """Every matching-form core a cue pattern stands for: its verb forms (`verb_forms`), each with its pronoun
    suffixes (data/enclitics.csv); in a phrase, a first word written with ال also with a suffix instead
    («الشراكة الاستراتيجية» → «شراكتنا الاستراتيجية»), and so a last word written with ال («تعزيز العلاقات» →
    «تعزيز علاقاتها»)."""
    found = []
    for form in verb_forms(pattern):
        had_article, core = split_article(form)
        found += with_enclitics(core)
        words = core.split(" ")
        if len(words) > 1:
            if had_article:
                found += [" ".join([w, *words[1:]]) for w in with_enclitics(words[0])[1:]]
            if words[-1].startswith("ال") and len(words[-1]) > 5:
                found += [" ".join([*words[:-1], w]) for w in with_enclitics(words[-1][2:])[1:]]
    return list(dict.fromkeys(found))


# ---------------------------------------------------------------------------------------------------
# Evidence for one sentence


def _clause_breaks(norm: str, span: tuple[int, int]) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _CLAUSE_BREAK_RE.finditer(norm, *span)]


class _Modifier(NamedTuple):
    start: int
    end: int
    kind: str
    category: str | None
    words_before: int  # position in the sentence, counted in words


def _modifiers(lexicon: StanceLexicon, norm: str, span: tuple[int, int]) -> list[_Modifier]:
    """The negation, refusal and temporal words of a sentence («لرفضها» is ل + رفض + ها), found once."""
    found = []
    words, counted = 0, span[0]
    for match in lexicon.modifier_pattern.finditer(norm, *span):
        kind, _, category = lexicon.modifiers[match.group("word")]
        words += len(_TOKEN_RE.findall(norm, counted, match.start()))
        counted = match.start()
        found.append(_Modifier(match.start(), match.end(), kind, category, words))
    return found


def _governor(norm: str, modifiers: Sequence[_Modifier], clause_start: int, cue_start: int) -> _Modifier | None:
    """The negation or refusal word governing a cue: up to four words before it in its clause, with no
    punctuation between. A negated negator cancels out: «لا نرفض التواصل» is not a refusal of dialogue."""
    negators = [m for m in modifiers if m.kind in ("negation", "refusal") and clause_start <= m.start and m.end <= cue_start]
    if not negators:
        return None
    nearest = negators[-1]
    between = _TOKEN_RE.findall(norm, nearest.end, cue_start)
    if len(between) >= NEGATION_REACH or any(not word.isalpha() or word in _COMPLEMENTIZERS for word in between):
        return None  # «لن تخذلنا وأن ما اتفقنا عليه»: a new clause after أن is not negated
    if any(0 < nearest.words_before - m.words_before <= 2 for m in negators[:-1]):
        return None
    return nearest


def _temporal(norm: str, modifiers: Sequence[_Modifier], clause_start: int, cue_start: int, category: str) -> bool:
    """«قبل وقت قصير من زيارة بوتين»: a visit that only dates something else."""
    for m in modifiers:
        if m.kind == "temporal" and m.category in (None, category) and clause_start <= m.start and m.end <= cue_start:
            if len(_TOKEN_RE.findall(norm, m.end, cue_start)) < 4:
                return True
    return False


def _segment_of(norm: str, clause: tuple[int, int], position: int) -> tuple[int, int]:
    """The comma-delimited phrase of the clause that holds `position`."""
    start = norm.rfind("،", clause[0], position) + 1 or clause[0]
    end = norm.find("،", position, clause[1])
    return max(start, clause[0]), end if end >= 0 else clause[1]


def _destination(norm: str, actor: Actor) -> bool:
    """«وكانت إلى روسيا»، «لأستانا»: the actor is where a visit goes."""
    return norm[max(0, actor.start - 4) : actor.start].endswith("الي ") or norm.startswith("ل", actor.start)


def _reach(norm: str, start: int, end: int, words: int) -> int:
    """Where the first `words` words after `start` end (`start` when there are none before `end`)."""
    limit = start
    for token in islice(_TOKEN_RE.finditer(norm, start, end), words):
        limit = token.end()
    return limit


def _target(cue: Cue, start: int, end: int, clause: tuple[int, int], span: tuple[int, int], actors: Sequence[Actor],
            holder_side: str | None, speaker_side: str | None, norm: str, polarity: int) -> str | None:
    """The side a cue counts for, by its target rule (see data/stance_cues.csv).

    A positive cue looks for its actor in its own comma phrase, then takes the holder's side; a negative
    cue looks in its clause, then in the whole sentence, and never hits the speaker's own side."""
    if cue.target in SIDES or cue.target == "opponent":
        side = cue.target if cue.target in SIDES else {"russia": "west", "west": "russia"}.get(holder_side, "russia")
        # «العقوبات ضد طهران», «ضم جورجيا للاتحاد الأوروبي»: a cue of what is done to Russia or to the holder's
        # opponent, aimed at another state named after it, with that side named nowhere in the sentence, is about
        # that state (the fixed West cues name the West's own measures: «العقوبات أحادية الجانب» on anyone)
        if cue.target != "west" and not any(a.side == side for a in actors) \
                and any(a.side is None and a.kind == "country" and a.start >= end for a in actors):
            return None
        return side
    sided = [a for a in actors if a.side and not (polarity < 0 and a.side == speaker_side)]
    if cue.target == "object":  # the critic is not the target: «اتهمت روسيا الولايات المتحدة» is against the West
        aimed = [a for a in sided if a.side != holder_side]
        for scope in (clause, span):
            within = [a for a in aimed if scope[0] <= a.start < scope[1]]
            after, before = [a for a in within if a.start >= end], [a for a in within if a.end <= start]
            if after or before:
                return (after[0] if after else before[-1]).side
        # aimed at neither side: a hostile act still counts against whoever does it («يهددون جورجيا»)
        return holder_side if cue.category == "conflict" else None
    scope = clause if polarity < 0 or cue.target == "agent" else _segment_of(norm, clause, start)
    within = [a for a in sided if scope[0] <= a.start < scope[1]]
    if not within and polarity < 0:
        within = sided  # «تحاول الولايات المتحدة ... دعم المشاعر، ونشر الأكاذيب، والتلاعب»: one subject
    after = [a for a in within if a.start >= end]
    before = [a for a in within if a.end <= start]
    if cue.target == "agent":
        limit = _reach(norm, end, clause[1], AGENT_REACH)
        close = [a for a in after if a.start < limit]
        chosen = close[0] if close else (before[-1] if before else None)
        if chosen is None and holder_side is None:
            chosen = next((a for a in after if _destination(norm, a)), None)
        return chosen.side if chosen else holder_side
    if cue.target == "after":
        chosen = after[0] if after else (before[-1] if before else None)
    elif cue.target == "before":
        chosen = before[-1] if before else (after[0] if after else None)
    else:
        chosen = min(within, key=lambda a: (a.start - end if a.start >= end else start - a.end, a.start < start)) if within else None
    if chosen is not None:
        return chosen.side
    return holder_side if polarity > 0 else None  # «وأضاف: لكنه شريكنا الإستراتيجي» (Peskov)


def _sides_between(clause: tuple[int, int], span: tuple[int, int], actors: Sequence[Actor]) -> list[str]:
    """The Russia/West sides named in the clause (else in the sentence), each once, in order."""
    for scope in (clause, span):
        sides = list(dict.fromkeys(a.side for a in actors if a.side and scope[0] <= a.start < scope[1]))
        if sides:
            return sides
    return []


def cue_matches(lexicon: StanceLexicon, norm: str, start: int, end: int) -> list[tuple[int, int, list[Cue]]]:
    """(start, end, cues) of every cue word in norm[start:end], in order (one pass of the compiled lexicon)."""
    found = []
    for match in lexicon.pattern.finditer(norm, start, end):
        core, cue_start, cue_end = clitic_match_core(match)
        found.append((cue_start, cue_end, lexicon.cues.get(core, [])))
    return found


def sentence_evidence(
    norm: str, span: tuple[int, int], actors: Sequence[Actor], holder_side: str | None, speaker_side: str | None,
    lexicon: StanceLexicon, found: list | None = None,
) -> list[Evidence]:
    """Every cue that fires in norm[span] and the side it counts for (`found`: its cue matches, if known)."""
    if found is None:
        found = cue_matches(lexicon, norm, *span)
    if not found:
        return []
    contrast = lexicon.contrast.search(norm, *span)
    factor = lexicon.modifiers[contrast.group("word")][1] if contrast else 1.0
    breaks = _clause_breaks(norm, span)
    modifiers = _modifiers(lexicon, norm, span)
    negated: set[int] = set()  # starts of cues governed by a negator
    governors: list[_Modifier] = []  # each negator governs only the nearest cue after it
    for start, end, _ in found:
        governor = _governor(norm, modifiers, clause_around(breaks, span, start)[0], start)
        if governor is not None and governor not in governors:
            governors.append(governor)
            negated.add(start)
    evidence = []
    for start, end, cues in found:
        if any(g.start < end and start < g.end and g.kind == "refusal" for g in governors):
            continue  # «رفضت» that negates «الاعتراف» is not a refusal cue of its own
        clause = clause_around(breaks, span, start)
        weight_factor = factor if contrast and start > contrast.start() else 1.0
        for cue in cues:
            if cue.category == "engagement" and _temporal(norm, modifiers, clause[0], start, cue.category):
                continue
            polarity = cue.polarity
            if start in negated:
                if cue.when_negated == "cancel":
                    continue
                polarity = -polarity
            if cue.target == "between":  # «التوتر بين موسكو وواشنطن»: every side named with it
                sides = _sides_between(clause, span, actors)
            else:
                sides = [_target(cue, start, end, clause, span, actors, holder_side, speaker_side, norm, polarity)]
            for side in sides:
                if side is not None:
                    evidence.append(Evidence(start, end, side, cue.pattern, cue.category, polarity, cue.weight * weight_factor, start in negated))
    return evidence


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
        limit = min(_reach(norm, verb.end(), span[1], 4), said.start() if said else span[1])
        after = [a for a in actors if verb.end() <= a.start < span[1]]
        if after and after[0].start < limit:
            return _named(norm, after[0], after[1:], span).actor_id, True
        if previous is not None and verb.start() <= _reach(norm, span[0], span[1], 2):
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
        comma = norm.find("،", start, _reach(norm, start, span[1], FRONTED_REACH))
        if comma < 0:
            break
        start = comma + 1
    inside = [a for a in actors if start <= a.start < span[1]]
    if not inside:
        return None
    first = inside[0]
    if reach is not None and first.start > _reach(norm, start, span[1], reach):
        return None  # «يشار إلى أن القاعدة العسكرية الروسية ...»: no actor is the subject; the author speaks
    return _named(norm, first, inside[1:], span).actor_id


@lru_cache(maxsize=1)
def fronted_pattern() -> re.Pattern:
    """The opening of a fronted adverbial (data/fronted.csv), in the matching form."""
    rows = read_table(data_path("fronted.csv"), [Column("word", required=True), Column("kind", "choice", required=True, choices=("preposition", "phrase"))])
    return re.compile(rf"\s*[وف]?\s*(?:{trie_regex({normalize(w) for w in rows['word']})})(?![^\W\d_])")


def _after_dateline(norm: str, span: tuple[int, int]) -> int:
    """Where the sentence's first clause starts, after a dateline (`_DATELINE_RE`): a place and date end at
    a slash or dash when they hold a digit, a lone place when the dash is written on it («موسكو- »)."""
    start = _NOT_ARABIC_RE.match(norm, span[0], span[1]).end()
    line = _DATELINE_RE.match(norm, start, span[1])
    if line is not None and not fronted_pattern().match(norm, start):
        place = line.group("place")
        if any(c.isdigit() for c in place) or (" " not in place and norm[line.end("place") : line.end("place") + 1] in "-–—/"):
            start = _NOT_ARABIC_RE.match(norm, line.end(), span[1]).end()
    return start


def _named(norm: str, first: Actor, rest: Sequence[Actor], span: tuple[int, int]) -> Actor:
    """The actor a subject names: after a nisba, the named actor within four words («الرئيس الفرنسي
    إيمانويل ماكرون»، «الفرنسية العملاقة EDF»); after an organisation or country, a person named right after
    it, their title («رئيسة المفوضية الأوروبية أورسولا فون دير لاين», «وزير خارجية روسيا سيرغي لافروف») —
    not one joined to it by «و» («روسيا وبوتين»)."""
    if first.method == "nisba":
        limit = _reach(norm, first.end, span[1], 4)
        return next((a for a in rest if a.start < limit and a.method != "nisba"), first)
    if first.kind != "person" and rest and rest[0].kind == "person" and rest[0].start <= _reach(norm, first.end, span[1], 1):
        joined = "،" in norm[first.end : rest[0].start] or norm[rest[0].start - 1 : rest[0].start] == "و"
        return first if joined else rest[0]
    return first


# ---------------------------------------------------------------------------------------------------
# Scores, labels, evaluation, aggregation


def score(cues: pd.DataFrame, keys: pd.DataFrame | None = None, weights: dict[str, float] | None = None, threshold: float = THRESHOLD) -> pd.DataFrame:
    """Scores and labels per sentence from the evidence table (vectorised, for live re-scoring).

    cues: article_id, sentence_id, side, category, polarity, weight (one row per cue and side).
    keys: the sentences to label (article_id, sentence_id); sentences without evidence score 0. Without
    keys, the sentences that have evidence, in the order they first appear in `cues`.
    weights: category → weight (the defaults of stance_categories.csv for the others).

    A sentence's score for a side is the sum of polarity × weight × category weight of its cues for that
    side, added in table order; the label is +1 at or above `threshold`, -1 at or below `-threshold`.
    Re-scoring the same sentences many times (a dashboard's sliders) is faster with a `Scorer`, which
    gives the same table.
    """
    return Scorer(cues, keys)(weights, threshold)


def sentence_codes(keys: pd.DataFrame, *others: pd.DataFrame) -> tuple[np.ndarray, ...]:
    """Integer codes of (article_id, sentence_id) pairs: for the rows of `keys`, an index into its distinct
    pairs in order of first appearance; for the rows of each table in `others`, the same index, or -1 for
    a pair that is not among `keys`. A missing article id is a value like any other (as in a merge).
    Article ids may be strings or categories (with any categories): each column is factorised once."""
    own_articles, article_values = pd.factorize(keys["article_id"], use_na_sentinel=False)
    article_values = pd.Index(np.asarray(article_values, dtype=object), dtype=object)
    article_codes = [own_articles.astype(np.int64)]
    for table in others:
        codes, values = pd.factorize(table["article_id"], use_na_sentinel=False)
        article_codes.append(np.r_[article_values.get_indexer(np.asarray(values, dtype=object)), -1][codes])
    sentence_ids = [t["sentence_id"].to_numpy(np.int64) for t in (keys, *others)]
    low = min((int(s.min()) for s in sentence_ids if len(s)), default=0)
    span = max((int(s.max()) for s in sentence_ids if len(s)), default=0) - low + 1
    combined = [np.where(a >= 0, a * span + (s - low), -1) for a, s in zip(article_codes, sentence_ids)]
    own, distinct = pd.factorize(combined[0])
    return (own.astype(np.int64), *(np.where(c >= 0, pd.Index(distinct).get_indexer(c), -1).astype(np.int64) for c in combined[1:]))


class Scorer:
    """`score` prepared once, for re-scoring the same sentences with other weights at once.

    The cues are read once: each cue's sentence and side become one integer bin (2 × the sentence's
    position among the distinct keys + the side), its category an index and polarity × weight a number.
    Re-scoring multiplies one array by the current category weights and sums it per bin (`np.bincount`,
    in table order), without grouping strings again.

        scorer = Scorer(annotated.cues, annotated.stance)
        scorer({"partnership": 0.3}, 0.5)                  # the table score(cues, stance, weights, 0.5) gives
        russia, west = scorer.scores({"partnership": 0.3})   # score arrays aligned with the rows of keys
    """

    def __init__(self, cues: pd.DataFrame, keys: pd.DataFrame | None = None):
        present = cues["article_id"].notna().to_numpy()  # cues without an article belong to no sentence
        if keys is None:
            keys = cues.loc[present, ["article_id", "sentence_id"]].drop_duplicates()
        self.keys = keys[["article_id", "sentence_id"]].reset_index(drop=True)
        self.key_code, cue_code = sentence_codes(self.keys, cues[["article_id", "sentence_id"]])
        self.sentences = int(self.key_code.max()) + 1 if len(self.key_code) else 0
        self._distinct = bool(np.array_equal(self.key_code, np.arange(len(self.key_code))))  # each key once, in order
        # for each cue, the (first) row of keys that holds its sentence, or -1
        if self._distinct:
            first = np.arange(len(self.key_code))
        else:  # codes number the keys in order of first appearance: a new code exceeds every earlier one
            running = np.maximum.accumulate(self.key_code) if len(self.key_code) else self.key_code
            first = np.flatnonzero(np.r_[True, running[1:] > running[:-1]]) if len(self.key_code) else self.key_code
        self.cue_keys = np.where(cue_code >= 0, first[np.maximum(cue_code, 0)] if len(first) else -1, -1)
        categories, self.category_names = pd.factorize(cues["category"])  # -1 (no category) is the last slot
        side = np.full(len(cues), -1, dtype=np.int64)
        for number, name in enumerate(SIDES):
            side[(cues["side"] == name).fillna(False).to_numpy(bool)] = number
        rows = np.flatnonzero((cue_code >= 0) & present & (side >= 0))
        # one bin per sentence and side (2 × sentence + side); the cues of a bin are added in table order
        self._bins = cue_code[rows] * len(SIDES) + side[rows]
        self._categories = categories[rows]
        self._base = cues["polarity"].to_numpy(float)[rows] * cues["weight"].to_numpy(float)[rows]  # polarity × weight
        self._buffer: np.ndarray | None = None  # reused by scores(): no fresh allocation for every re-scoring

    def category_weights(self, weights: dict[str, float] | None = None) -> np.ndarray:
        """Weight per category code: `weights`, else the defaults of stance_categories.csv, else 1 (an unknown
        or missing category); the last slot is the missing category."""
        all_weights = {**StanceLexicon.default().categories, **(weights or {})}
        found = [all_weights.get(name) for name in self.category_names]
        values = [float("nan") if value is None else float(value) for value in found]
        return np.array([1.0 if value != value else value for value in values] + [1.0])

    def scores(self, weights: dict[str, float] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Russia and West scores of the rows of `keys` with these category weights."""
        if self._buffer is None:
            self._buffer = np.empty(len(self._base))
        contribution = np.take(self.category_weights(weights), self._categories, out=self._buffer)
        contribution *= self._base  # category weight × polarity × weight, as polarity × weight × category weight
        summed = np.bincount(self._bins, contribution, minlength=len(SIDES) * self.sentences).reshape(-1, len(SIDES))
        if not self._distinct:
            summed = summed[self.key_code]
        return summed[:, 0], summed[:, 1]

    @staticmethod
    def labels(values: np.ndarray, threshold: float = THRESHOLD) -> np.ndarray:
        """+1 for a score at or above the threshold, -1 at or below minus the threshold, else 0."""
        return np.where(values >= threshold, 1, np.where(values <= -threshold, -1, 0))

    def __call__(self, weights: dict[str, float] | None = None, threshold: float = THRESHOLD) -> pd.DataFrame:
        """Scores and labels of the rows of `keys`: the table `score(cues, keys, weights, threshold)` returns."""
        russia, west = self.scores(weights)
        return self.keys.assign(russia_score=russia, west_score=west, russia=self.labels(russia, threshold), west=self.labels(west, threshold))


