"""What the stance rules know: the sides, targets, modifiers and reaches, the cue, evidence and actor
records, and the StanceLexicon read from kit/data (stance_cues.csv, stance_modifiers.csv, stance_categories.csv,
verb_inflections.csv), each cue generalised over its inflections (pronoun suffixes, dual and plural, verb
forms). Imports kit.base, kit.arabic and kit.extract.quotes (the speech verbs).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from kit.arabic.text import (
    LETTER_AFTER,
    LETTER_BEFORE,
    clitic_regex,
    enclitics,
    normalize,
    split_article,
    trie_regex,
    with_enclitics,
    with_noun_endings,
)
from kit.base.lexicons import Column, data_path, read_table

__all__ = ["SIDES", "THRESHOLD", "Actor", "Cue", "Evidence", "StanceLexicon", "cue_variants", "verb_forms"]


SIDES = ("russia", "west")
TARGETS = ("near", "after", "before", "agent", "object", "between", "russia", "west", "opponent")
MODIFIERS = ("negation", "refusal", "contrast", "temporal", "still", "allegation")
THRESHOLD = 0.5
NEGATION_REACH = 4  # words between a negator and the cue it governs («ثنيها عن الحفاظ على علاقات»)
AGENT_REACH = 4  # words after a cue in which its actor is looked for
SUBJECT_REACH = 4  # words from the start of the main clause within which its subject stands (VSO: «وأكدت وزارة الخارجية»)




FRONTED_REACH = 20  # words a fronted adverbial may run before its comma («وفي اجتماع مع توكاييف، أثنى ماكرون»)


# A dateline before the first clause: words without Arabic letters («date 2025-11-07»), or a place and date
# up to a slash or dash («أستانا 6 سبتمبر 2013 /وصل», «موسكو- تجدد»)
NOT_ARABIC_RE = re.compile(r"(?:\s*[^\s\u0600-\u06ff]+(?=\s))*\s*")
DATELINE_RE = re.compile(r"(?P<place>[^\s/\-–—]+(?:\s+[^\s/\-–—]+){0,5}?)\s*[/\-–—]\s*")


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
        if form == pattern:  # a noun, not a verb's inflected form: «تهديدا»، «حليفتين»
            found += with_noun_endings(core)[1:]
        words = core.split(" ")
        if len(words) > 1:
            if had_article:
                found += [" ".join([w, *words[1:]]) for w in with_enclitics(words[0])[1:]]
            if words[-1].startswith("ال") and len(words[-1]) > 5:
                found += [" ".join([*words[:-1], w]) for w in with_enclitics(words[-1][2:])[1:]]
    return list(dict.fromkeys(found))
