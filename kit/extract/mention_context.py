"""The words around a mention that change what it is (data/mention_context.csv): a nisba that names
where a company, a bank, goods or a currency come from («الشركات الروسية», «دولار أمريكي») is an origin, not the
state acting; a dateline, a byline or a photo credit is not a mention. Imports kit.base, kit.arabic and
kit.extract.catalogue.
"""

from __future__ import annotations

import re
from functools import lru_cache

from kit.arabic.text import (
    clitic_regex,
    split_article,
)
from kit.base.lexicons import Column, data_path, read_table
from kit.extract.catalogue import Catalogue, Mention

__all__ = []


@lru_cache(maxsize=1)
def _context_words() -> dict[str, re.Pattern]:
    """role → a pattern that matches a whole word of that role (with proclitics; ال optional)."""
    roles = ("origin", "states", "place", "direction")
    table = read_table(data_path("mention_context.csv"), [Column("word", required=True), Column("role", "choice", required=True, choices=roles), Column("note")])
    words = {role: set(table.loc[table["role"] == role, "word"]) for role in roles}
    units = read_table(data_path("units.csv"), [Column("name", required=True), Column("unit", required=True), Column("dimension", required=True), Column("countries", "list")])
    words["origin"] |= {name for name, dimension in zip(units["name"], units["dimension"]) if dimension == "money" and len(name) > 2}
    patterns = {}
    for role, found in words.items():
        cores = {split_article(w)[1] for w in found}
        patterns[role] = clitic_regex(cores, cores)
    return patterns


# Matched on the reversed text before a mention (an anchored match, not a search back from the end)
_BEFORE_REVERSED_RE = re.compile(r"\s+([^\W\d_]+)(?:\s+([^\W\d_]+)(?:\s+([^\W\d_]+))?)?")


# A dateline or byline: a capital at a line's start or after «- » or a date, followed by a date, a dash or
# a slash («موسكو - سبوتنيك.»، «واشنطن 16 مايو 2018 /»، «أحمد جودة - القاهرة - طلبت»): where the story
# was filed, not the state acting.
_DATELINE_BEFORE_RE = re.compile(r"(?:^|\n|[-–—]\s*|\d\s+)[ \t]*$")
_DATELINE_AFTER_RE = re.compile(r"[ \t]*(?:\d|[-–—/(])")


def _words_before(norm: str, start: int) -> list[tuple[int, str]]:
    """The one to three words right before `start` (white space between, no punctuation), as (offset, word),
    farthest first."""
    found = _BEFORE_REVERSED_RE.match(norm[max(0, start - 60) : start][::-1])
    if found is None:
        return []
    return [(start - found.end(i), found.group(i)[::-1]) for i in (3, 2, 1) if found.group(i)]


def _of_origin(before: list[tuple[int, str]], origin: re.Pattern) -> bool:
    """A word (or two) of origin right before the nisba, or before it across words with ال: «الشركات الروسية»,
    «شركة النفط المركزية الصينية», «صندوق التنمية الروسي القرغيزي» (not «شركة أرامكو والحكومة الروسية»)."""
    words = [w for _, w in before]
    for i in range(len(words) - 1, -1, -1):
        if origin.fullmatch(words[i]) or (i > 0 and origin.fullmatch(f"{words[i - 1]} {words[i]}")):
            return True
        if not words[i].startswith("ال") or len(words[i]) <= 3:  # «الي» is إلى in the matching form
            return False
    return False


def _describes(norm: str, organisation: Mention, nisba: Mention) -> bool:
    """The nisba follows the organisation with only quotes and ال-adjectives between: its origin."""
    if organisation.end > nisba.start or nisba.start - organisation.end > 40:
        return False
    between = re.sub(r"[\s\"«»“”'()]+", " ", norm[organisation.end : nisba.start]).split()
    return all(w.startswith("ال") and len(w) > 3 for w in between)


_CREDIT_RE = re.compile(r"(?:\d\s*\(\s*|\(\s*تصوير[^()]*)$")


def _credit(norm: str, mention: Mention) -> bool:
    """An agency in brackets after a dateline's date, or in a photo credit: the source, not an actor."""
    return bool(_CREDIT_RE.search(norm, max(0, mention.start - 60), mention.start))


def _dateline(norm: str, mention: Mention) -> bool:
    return bool(_DATELINE_AFTER_RE.match(norm, mention.end) and _DATELINE_BEFORE_RE.search(norm, max(0, mention.start - 20), mention.start))


def mentions_in_context(norm: str, mentions: list[Mention], catalogue: Catalogue, origins: list | None = None) -> list[Mention]:
    """Mentions as the word before them reads them: a nisba of origin («الشركات الروسية») is dropped; a region
    after a word for its states («دول آسيا الوسطى») becomes the states acting together (method `states`)."""
    words = _context_words()
    kept = []
    organisation = None  # the last organisation mention: a nisba right after it is its origin
    for mention in mentions:
        if mention.method == "nisba" and organisation is not None and _describes(norm, organisation, mention):
            if origins is not None:
                origins.append(mention)
            continue  # «شركة بوينج الأمريكية», «وكالة "كابار" الحكومية القرغيزية»
        if catalogue.info(mention.actor_id)["actor_type"] == "organisation":
            organisation = mention
        actor_type = catalogue.info(mention.actor_id)["actor_type"]
        if actor_type == "organisation" and _credit(norm, mention):
            continue  # «بكين 15 مايو 2023 (شينخوا)», «(تصوير ألكسندر نيمينوف / وكالة الصحافة الفرنسية)»
        if mention.method not in ("nisba", "metonym") and actor_type not in ("region", "bloc"):
            kept.append(mention)
            continue
        before = _words_before(norm, mention.start)
        if mention.method == "nisba" and before and _of_origin(before, words["origin"]):
            if origins is not None:
                origins.append(mention)
            continue  # «الشركات الروسية», «العلامة التجارية الفرنسية»
        if mention.method == "metonym" and ((before and words["place"].fullmatch(before[-1][1])) or _dateline(norm, mention)):
            continue  # «ميناء باكو», «في وسط موسكو»: the city; «موسكو - سبوتنيك»: a dateline
        if actor_type == "bloc" and mention.method == "name" and before and words["direction"].fullmatch(before[-1][1]):
            continue  # «إلى جنوب أوروبا»: a part of the continent, a place
        if catalogue.info(mention.actor_id)["actor_type"] == "region":
            if before and (hit := words["states"].fullmatch(before[-1][1])):
                mention = mention._replace(start=before[-1][0] + hit.start(hit.lastgroup), method="states")
        kept.append(mention)
    return kept
