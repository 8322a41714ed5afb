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
gold file, `aggregate` sums up by article, source, holder or month (both in kit.analysis.aggregation).
This module finds the evidence of one sentence; the lexicon is kit.extract.stance_lexicon, the holder
kit.extract.holders, the scores kit.extract.stance_scores. Imports kit.base, kit.arabic and those modules.
"""

from __future__ import annotations

from itertools import islice
from typing import NamedTuple, Sequence

from kit.arabic.clauses import complementizers, stance_clause_breaks
from kit.arabic.text import (
    TOKEN_RE,
    clause_around,
    clitic_match_core,
)
from kit.extract.stance_lexicon import (
    AGENT_REACH,
    NEGATION_REACH,
    SIDES,
    Actor,
    Cue,
    Evidence,
    StanceLexicon,
)

__all__ = ["cue_matches", "sentence_evidence"]


def _clause_breaks(norm: str, span: tuple[int, int]) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in stance_clause_breaks().finditer(norm, *span)]


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
        words += len(TOKEN_RE.findall(norm, counted, match.start()))
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
    between = TOKEN_RE.findall(norm, nearest.end, cue_start)
    if len(between) >= NEGATION_REACH or any(not word.isalpha() or word in complementizers() for word in between):
        return None  # «لن تخذلنا وأن ما اتفقنا عليه»: a new clause after أن is not negated
    if any(0 < nearest.words_before - m.words_before <= 2 for m in negators[:-1]):
        return None
    return nearest


def _temporal(norm: str, modifiers: Sequence[_Modifier], clause_start: int, cue_start: int, category: str) -> bool:
    """«قبل وقت قصير من زيارة بوتين»: a visit that only dates something else."""
    for m in modifiers:
        if m.kind == "temporal" and m.category in (None, category) and clause_start <= m.start and m.end <= cue_start:
            if len(TOKEN_RE.findall(norm, m.end, cue_start)) < 4:
                return True
    return False


_OTHER_SIDE = {"russia": "west", "west": "russia"}


def _alleged(modifiers: Sequence[_Modifier], clause: tuple[int, int], cue_start: int) -> bool:
    """«اتهمت واشنطن موسكو بدعم الانفصاليين»: the cue is part of what its clause accuses someone of."""
    return any(m.kind == "allegation" and clause[0] <= m.start and m.end <= cue_start for m in modifiers)


def _segment_of(norm: str, clause: tuple[int, int], position: int) -> tuple[int, int]:
    """The comma-delimited phrase of the clause that holds `position`."""
    start = norm.rfind("،", clause[0], position) + 1 or clause[0]
    end = norm.find("،", position, clause[1])
    return max(start, clause[0]), end if end >= 0 else clause[1]


def _destination(norm: str, actor: Actor) -> bool:
    """«وكانت إلى روسيا»، «لأستانا»: the actor is where a visit goes."""
    return norm[max(0, actor.start - 4) : actor.start].endswith("الي ") or norm.startswith("ل", actor.start)


def reach_end(norm: str, start: int, end: int, words: int) -> int:
    """Where the first `words` words after `start` end (`start` when there are none before `end`)."""
    limit = start
    for token in islice(TOKEN_RE.finditer(norm, start, end), words):
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
        limit = reach_end(norm, end, clause[1], AGENT_REACH)
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
    negated: dict[int, str] = {}  # start of each cue governed by a negator → the negator's kind
    governors: list[_Modifier] = []  # each negator governs only the nearest cue after it
    for start, end, _ in found:
        governor = _governor(norm, modifiers, clause_around(breaks, span, start)[0], start)
        if governor is not None and governor not in governors:
            governors.append(governor)
            negated[start] = governor.kind
    evidence = []
    for start, end, cues in found:
        if any(g.start < end and start < g.end and g.kind == "refusal" for g in governors):
            continue  # «رفضت» that negates «الاعتراف» is not a refusal cue of its own
        clause = clause_around(breaks, span, start)
        weight_factor = factor if contrast and start > contrast.start() else 1.0
        for cue in cues:
            if cue.category == "engagement" and _temporal(norm, modifiers, clause[0], start, cue.category):
                continue
            polarity, negator = cue.polarity, negated.get(start)
            refused_sanctions = negator == "refusal" and cue.category == "sanctions"
            if negator is not None and not refused_sanctions:
                if cue.when_negated == "cancel":
                    continue
                if not (negator == "refusal" and polarity < 0):
                    polarity = -polarity  # rejecting threats or sanctions is still against who makes them
            if cue.category != "accusation" and _alleged(modifiers, clause, start):
                continue  # what someone is accused of: the accusation is the cue
            if cue.target == "between":  # «التوتر بين موسكو وواشنطن»: every side named with it
                sides = _sides_between(clause, span, actors)
            else:
                sides = [_target(cue, start, end, clause, span, actors, holder_side, speaker_side, norm, polarity)]
            if refused_sanctions:  # «رفض الانضمام إلى العقوبات ضد روسيا»: against the side that imposes them
                sides, polarity = [_OTHER_SIDE.get(side) for side in sides], -1
            for side in sides:
                if side is not None:
                    evidence.append(Evidence(start, end, side, cue.pattern, cue.category, polarity, cue.weight * weight_factor, start in negated))
    return evidence


