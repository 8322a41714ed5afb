"""Transliteration variants of persons' names: a skeleton of each name (data/name_skeleton.csv: ق/ك/غ/ج,
long vowels, ي/ى, ة/ه, تش/ش, doubled letters) matches spellings the catalogue lacks («ميرضيائيف» and «ميرزيوييف»
→ «مرزف»), guarded so that short names match only exactly. Imports kit.base, kit.arabic and
kit.extract.catalogue.
"""

from __future__ import annotations

import re

from kit.extract.catalogue import Mention, skeleton
from kit.extract.titles import Finder, Titles, common_word

__all__: list[str] = []


_WORD_RE = re.compile(r"[^\W\d_]+")


_WORD_SKELETONS: dict[str, str] = {}  # word → skeleton, memoised across articles (words repeat)


def _word_skeleton(word: str) -> str:
    found = _WORD_SKELETONS.get(word)
    if found is None:
        if len(_WORD_SKELETONS) > 200_000:
            _WORD_SKELETONS.clear()
        found = _WORD_SKELETONS[word] = skeleton(word)
    return found


_STARTS: dict[str, bool] = {}  # word → whether its skeleton starts a name of the catalogue (memoised)


def _starting(words: list[re.Match], prefixes: frozenset[str]) -> list[int]:
    """Positions of the words whose skeleton starts some person's name (is a one-word prefix)."""
    if len(_STARTS) > 200_000:
        _STARTS.clear()
    found = []
    for i, match in enumerate(words):
        word = match.group()
        starts = _STARTS.get(word)
        if starts is None:
            starts = _STARTS[word] = _word_skeleton(word) in prefixes
        if starts:
            found.append(i)
    return found


def variant_pass(finder: "Finder") -> list[Mention]:
    """Persons written in a spelling the catalogue lacks, found by skeleton: the longest run of up to three
    words not inside another mention and not written with ال. A one-word variant is kept only for a person
    the article names otherwise too: a surname alone refers to someone already introduced, and a common
    word can share a surname's skeleton («مقارنة» and «ماكرون» are both مكرن)."""
    index, prefixes = finder.catalogue.variants, finder.catalogue.variant_prefixes
    if not index:
        return []
    words = list(_WORD_RE.finditer(finder.norm))
    found: list[Mention] = []
    for i in _starting(words, prefixes):
        if found and words[i].start() < found[-1].end:
            continue
        if finder.covering(words[i].start(), words[i].end()) is not None or common_word(words[i].group(), Titles.default().not_names):
            continue
        best, key = None, ""
        for n in (1, 2, 3):  # the longest run whose skeleton is a name; stop when none starts like it
            if i + n > len(words) or (n > 1 and finder.norm[words[i + n - 2].end() : words[i + n - 1].start()].strip()):
                break
            key = f"{key} {_word_skeleton(words[i + n - 1].group())}".strip()
            if key not in prefixes:
                break
            if key in index:
                best = (n, index[key])
        if best is None:
            continue
        n, hit = best
        run = words[i : i + n]
        if any(finder.covering(m.start(), m.end()) is not None for m in run[1:]) or finder.has_article(run[0]):
            continue
        found.append(Mention(run[0].start(), run[-1].end(), hit, "variant" if n > 1 else "variant surname"))
    named = {m.actor_id for m in finder.mentions} | {m.actor_id for m in found if m.method == "variant"}
    return [m._replace(method="variant") for m in found if m.method == "variant" or m.actor_id in named]
