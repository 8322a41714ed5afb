"""Actors: who appears in an article, in which role, on whose side. `find_mentions` runs the passes in order:
the catalogue's trie regex over the matching form (kit.extract.catalogue: proclitics و ف ب ك ل, the article ال
and the fused لل allowed around each form, the whole word tried before a stripped variant — بوتين keeps its ب —
and the longest form winning, so قاسم جومارت توكاييف is one mention), states named by a common word only in a
state's frame («في مالي», data/guarded_names.csv), the words around each mention
(kit.extract.mention_context), transliteration variants (kit.extract.variants), camel-tools' morphology when its
database is installed (stems and lemmas of words no rule matched: الأوزبك → أوزبكي), then title phrases that
discover people and resolve unnamed office holders (kit.extract.titles). Imports kit.base, kit.arabic and those
modules.
"""

from __future__ import annotations

import datetime as dt
import re

from kit.arabic.text import (
    Normalized,
    clitic_match_core,
    split_article,
)
from kit.extract.catalogue import Catalogue, Discovered, Mention, guarded_names
from kit.extract.mention_context import mentions_in_context
from kit.extract.titles import (
    Finder,
    Titles,
    assign_ids,
    discovered_pass,
    namesakes,
    titles_pass,
    unnamed_pass,
)
from kit.extract.variants import variant_pass

__all__ = ["find_mentions"]


def _morphology_pass(finder: Finder, morphology) -> list[Mention]:
    found = []
    forms = finder.catalogue.forms
    for token in re.finditer(r"[\u0621-\u064a]{3,}", finder.norm):
        if finder.covering(token.start(), token.end()) is not None:
            continue
        for split in morphology.splits(token.group()):
            hit = None
            for candidate in (token.group()[split.prefix_length :], split.lemma):
                _, core = split_article(candidate)
                hit = forms.get(candidate) or forms.get(core)
                if hit and hit[0]:
                    break
            if hit and hit[0]:
                found.append(Mention(token.start() + split.prefix_length, token.end(), hit[0], "morphology"))
                break
    return found


_PREVIOUS_WORD_RE = re.compile(r"([^\W\d_]+)[^\w]*$")


def _guarded_pass(norm: str, catalogue: Catalogue, mentions: list[Mention]) -> list[Mention]:
    """Names that are also common words (data/guarded_names.csv), kept only in a state's frame: after a
    context word («في مالي»), with ب or ل fused («بمالي»), or joined by و to a country («النيجر ومالي»،
    «مالي وبوركينا فاسو»); «الوضع المالي» stays a word."""
    pattern = catalogue.guarded_pattern
    if pattern is None:
        return []
    contexts = guarded_names()[1]
    countries = None  # the country mentions, looked up at the first guarded name (most articles have none)
    found = []
    for match in pattern.finditer(norm):
        if countries is None:
            countries = [m for m in mentions if catalogue.info(m.actor_id).get("actor_type") == "country"]
        core, start, end = clitic_match_core(match)
        clitics = norm[match.start() : start]
        previous = _PREVIOUS_WORD_RE.search(norm, max(0, match.start() - 30), match.start())
        word = previous.group(1) if previous else ""
        if word[:1] in ("و", "ف") and word[1:] in contexts:  # «وفي مالي»: the conjunction before the context word
            word = word[1:]
        joined = (clitics.startswith("و") and any(0 <= match.start() - m.end <= 1 for m in countries)) or any(
            norm.startswith("و", m.start - 1) and 0 <= m.start - 1 - end <= 1 for m in countries)
        if word in contexts or clitics[-1:] in ("ب", "ل") or joined:
            found.append(Mention(start, end, catalogue.forms[core][0], "name"))
    return found


def find_mentions(
    normalized: Normalized, text: str, catalogue: Catalogue, published: dt.date | None = None, morphology=None,
    origins: list | None = None,
) -> tuple[list[Mention], list[Discovered]]:
    """All actor mentions of `text` (offsets in its matching form `normalized`), and the people discovered by
    title. A list given as `origins` receives the nisbas read as an origin and left out («الشركات الروسية»,
    «البنك المركزي الأوزبكي»): not the country acting, but still the country a figure of theirs is about."""
    norm = normalized.text
    finder = Finder(normalized, text, catalogue, published, morphology)
    for match in catalogue.pattern.finditer(norm):
        core, start, end = clitic_match_core(match)
        hit = catalogue.forms.get(core)
        if hit is not None and hit[0]:
            finder.mentions.append(Mention(start, end, hit[0], hit[1]))
    finder.mentions.extend(_guarded_pass(norm, catalogue, finder.mentions))
    finder.mentions = mentions_in_context(norm, finder.mentions, catalogue, origins)
    finder._index()
    finder.mentions.extend(variant_pass(finder))
    finder._index()
    if morphology is not None:
        finder.mentions.extend(_morphology_pass(finder, morphology))
        finder._index()
    roles, unnamed = titles_pass(finder, Titles.default())
    assign_ids(list(finder.discovered.values()))
    namesakes(finder)
    finder.mentions.extend(discovered_pass(finder))
    finder.mentions.extend(roles)
    finder.mentions.extend(unnamed_pass(finder, unnamed))
    finder.mentions.sort()
    return finder.mentions, list(finder.discovered.values())




