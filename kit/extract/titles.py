"""Titles: discovery of people the catalogue lacks and resolution of unnamed office holders. A title phrase
(data/titles.csv) followed or preceded by something that looks like a name — no common word, verb,
preposition or proclitic + common word of data/not_names.csv — gives a provisional id with the title as role
and the country from the nisba; «الزعيم الروسي» resolves to the person who held the role on the article's date,
«السابق/الراحل» to the one earlier holder. Holds the per-article finder state the passes share. Imports
kit.base, kit.arabic and kit.extract.catalogue.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from kit.arabic.text import (
    TOKEN_RE,
    Normalized,
    clitic_match_core,
    clitic_regex,
    normalize,
    split_article,
)
from kit.base.lexicons import Column, data_path, read_table
from kit.extract.catalogue import Catalogue, Discovered, Mention

__all__ = ["Titles"]




_SEPARATORS = {"،", ",", "-", "–", "—", ":"}


@dataclass(frozen=True)
class Titles:
    """Title phrases, the words that link or stop them, compiled once."""

    resolve: dict[str, str | None]
    pattern: re.Pattern
    link: frozenset[str]  # continue a title: «لدى» in «السفير الروسي لدى كازاخستان»
    opening: frozenset[str]  # continue it until its country is named: «في» in «غرفة التجارة في الاتحاد الروسي»
    stop: frozenset[str]
    not_names: frozenset[str] = frozenset()  # words no name is made of (data/not_names.csv)
    former: frozenset[str] = frozenset()  # «السابق», «الراحل»: the title names an earlier holder
    maqsura: frozenset[str] = frozenset()  # list words written with ى: «على» is not the name «علي» (both علي here)
    plural_endings: tuple[str, ...] = ()  # a third name word with one is a common noun (data/plural_endings.csv)

    @classmethod
    @lru_cache(maxsize=1)
    def default(cls) -> "Titles":
        titles = read_table(data_path("titles.csv"), [Column("title", required=True), Column("role_en"), Column("resolve")])
        resolve: dict[str, str | None] = {}
        title_words: set[str] = set()
        for title, pattern in zip(titles["title"], titles["resolve"]):
            _, core = split_article(title)
            resolve[core] = pattern
            title_words.update(normalize(title).split())
        breaks = read_table(
            data_path("name_breaks.csv"),
            [Column("word", required=True), Column("kind", "choice", required=True, choices=("link", "opening", "stop", "former"))],
        )
        kinds = {kind: {normalize(w) for w, k in zip(breaks["word"], breaks["kind"]) if k == kind} for kind in ("link", "opening", "stop", "former")}
        link, opening, stop = kinds["link"] | title_words, kinds["opening"], kinds["stop"]
        verbs = read_table(data_path("speech_verbs.csv"), [Column("verb", required=True), Column("kind")])["verb"]
        stop |= {normalize(prefix + verb) for verb in verbs for prefix in ("", "و", "ف")}
        from kit.arabic.dates import month_names

        stop |= set(month_names())
        kinds_of_word = ("preposition", "negation", "pronoun", "particle", "verb", "noun", "adjective")
        not_names = read_table(data_path("not_names.csv"), [Column("word", required=True), Column("kind", "choice", required=True, choices=kinds_of_word)])
        return cls(resolve, clitic_regex(set(resolve), set(resolve)), frozenset(link), frozenset(opening), frozenset(stop),
                   frozenset(normalize(w) for w in not_names["word"]), frozenset(kinds["former"]),
                   frozenset(normalize(w) for w in (*breaks["word"], *not_names["word"]) if w.endswith("ى")),
                   tuple(read_table(data_path("plural_endings.csv"), [Column("ending", required=True), Column("note")])["ending"]))


def _translit(name: str, scheme: str) -> str:
    return _mapper(scheme)(name)


@lru_cache(maxsize=2)
def _mapper(scheme: str):
    from camel_tools.utils.charmap import CharMapper

    return CharMapper.builtin_mapper(scheme)


class Finder:
    """State for one article: the mentions found so far and helpers to read the words around them."""

    def __init__(self, normalized: Normalized, text: str, catalogue: Catalogue, when: dt.date | None, morphology=None):
        self.morphology = morphology
        self.normalized = normalized
        self.text = text
        self.norm = normalized.text
        self.catalogue = catalogue
        self.when = when
        self.mentions: list[Mention] = []
        self.discovered: dict[str, Discovered] = {}

    def _index(self) -> None:
        self.mentions.sort()
        self._starts = [m.start for m in self.mentions]

    def covering(self, start: int, end: int) -> Mention | None:
        """A mention overlapping norm[start:end], if any."""
        i = bisect.bisect_right(self._starts, end - 1) - 1
        while i >= 0 and self.mentions[i].end > start:
            if self.mentions[i].start < end:
                return self.mentions[i]
            i -= 1
        return None

    def tokens_after(self, position: int, limit: int = 14) -> list[re.Match]:
        found = []
        for token in TOKEN_RE.finditer(self.norm, position):
            found.append(token)
            if len(found) == limit:
                break
        return found

    def tokens_before(self, position: int, limit: int = 5) -> list[re.Match]:
        window_start = max(0, position - 120)
        return list(TOKEN_RE.finditer(self.norm, window_start, position))[-limit:][::-1]

    def has_article(self, token: re.Match) -> bool:
        """The word carries ال (plain alef, in the original spelling: «ألكسندر» does not)."""
        start, end = self.normalized.span(token.start(), token.end())
        return bool(_ARTICLE_RE.match(self.text, start, end))

    def is_person(self, mention: Mention | None) -> bool:
        return mention is not None and self.catalogue.is_person(mention.actor_id)

    def name_like(self, token: re.Match, titles: Titles) -> bool:
        word = token.group()
        if word in titles.maqsura and self.text[slice(*self.normalized.span(token.start(), token.end()))].endswith("ي"):
            return self.covering(token.start(), token.end()) is None  # «علي خان اسمايلوف», not «على»
        return (
            len(word) >= 2
            and word.isalpha()
            and not self.has_article(token)
            and word not in titles.stop
            and word not in titles.link
            and word not in titles.opening
            and not common_word(word, titles.not_names)
            and not (self.morphology is not None and _analysed_common(self.morphology, word))
            and self.covering(token.start(), token.end()) is None
        )


_PROCLITICS = "وفبلك"
_ARABIC_WORD_RE = re.compile(r"[\u0621-\u064a\u0671-\u06d3]+")


def common_word(word: str, not_names: frozenset[str]) -> bool:
    """A word of `not_names`, bare or behind one proclitic («بفعالية» = ب + فعالية), or a non-Arabic word
    («Загрузка» of a page's loading banner)."""
    if not _ARABIC_WORD_RE.fullmatch(word):
        return True
    return word in not_names or (word[0] in _PROCLITICS and len(word) > 3 and word[1:] in not_names)


@lru_cache(maxsize=50_000)
def _analysed_common(morphology, word: str) -> bool:
    """camel-tools knows the word and no analysis makes it a proper noun: every analysis is a verb or a
    function word, or a common word behind a proclitic («بتطوير»). A word it does not know may be a name."""
    splits = morphology.splits(word)
    if not splits or any(split.pos == "noun_prop" for split in splits):
        return False
    return all(split.pos.startswith(("verb", "prep", "part", "conj", "pron")) or split.prefix_length > 0 for split in splits)


# ال after optional proclitics, or the fused لل, in the original spelling (a plain alef: not «ألكسندر»)
_ARTICLE_RE = re.compile(r"[وف]?[بك]?ال|[وف]?لل")


def _complement(finder: Finder, start: int, end: int, titles: Titles) -> tuple[int, Mention | None]:
    """End of the words that continue a title («لوزارة الخارجية الكازاخستانية»), and the first actor in it.

    Stop words end it before the article test: إلى is الي in the matching form. Trailing link words are
    given back («وزير الخارجية الروسي في مؤتمر صحفي» ends at الروسي), so a name must follow the title."""
    actor = finder.covering(start, end)
    actor = actor if actor is not None and not finder.is_person(actor) else None
    position = kept = end
    bracket = False  # «نائب رئيس شركة النفط الأذربيجانية (سوكار) إلشاد نصيروف»: the acronym continues it
    for token in finder.tokens_after(end, limit=10):
        if token.start() < position:
            continue  # inside an actor name already read
        mention = finder.covering(token.start(), token.end())
        word = token.group()
        if mention is not None and not finder.is_person(mention):
            actor = actor or mention
            position = kept = max(token.end(), mention.end)
        elif word == "(" and not bracket:
            bracket, position = True, token.end()
        elif word == ")" and bracket:
            bracket, position, kept = False, token.end(), token.end()
        elif word in titles.stop:
            break
        elif word in titles.link or (word in titles.opening and actor is None):
            position = token.end()
        elif finder.has_article(token) and len(word) > 3:
            position = kept = token.end()
        else:
            break
    return kept, actor


def _name_after(finder: Finder, position: int, titles: Titles) -> tuple[list[re.Match], Mention | None]:
    tokens = finder.tokens_after(position, limit=5)
    if tokens and (tokens[0].group() in _SEPARATORS or tokens[0].group() == ")"):
        tokens = tokens[1:]  # «الناطق الرسمي - أيبيك سمادياروف», «(الرئيس الأمريكي) دونالد ترامب»
    for token in tokens[:3]:  # «الرئيس الروسي دميتري مدفيديف»: the surname is known, the first name is not
        mention = finder.covering(token.start(), token.end())
        if finder.is_person(mention):
            return [], mention
        if not finder.name_like(token, titles):
            break
    return _name_tokens(tokens, finder, titles), None


def _namesake(finder: Finder, position: int, person: Mention, actor: Mention | None, titles: Titles) -> list[re.Match]:
    """The name of another person than the catalogue's `person`: a first name the catalogue does not give
    before a surname it knows, after a title of another country («وزير الاقتصاد الأذربيجاني ميكائيل جباروف»
    is not Kyrgyzstan's Japarov). Empty when the title names no country or the person's own."""
    if actor is None or finder.catalogue.info(person.actor_id)["country"] == finder.catalogue.info(actor.actor_id)["country"]:
        return []
    first = [t for t in finder.tokens_after(position, limit=3) if t.end() <= person.start]
    if not first or not all(finder.name_like(t, titles) for t in first):
        return []
    surname = [t for t in TOKEN_RE.finditer(finder.norm, person.start, person.end)]
    return first + surname if surname and len(first) + len(surname) <= 3 else []


def namesakes(finder: Finder) -> None:
    """Mentions of a surname that a discovered person took from a catalogue namesake become that person's."""
    replaced = {(p.namesake, form): p.actor_id for p in finder.discovered.values() if p.namesake for form in p.forms}
    if replaced:
        finder.mentions = [m._replace(actor_id=replaced[key], method="title") if (key := (m.actor_id, finder.norm[m.start:m.end])) in replaced else m
                           for m in finder.mentions]


def _name_before(finder: Finder, position: int, titles: Titles) -> tuple[list[re.Match], Mention | None, bool]:
    """What stands right before a title: (name tokens of an apposition after a comma, a person mention,
    whether a comma separates them). «ألكسندر شيفتسوف، نائب مجلس الأمن الروسي» gives the name; «قاسم جومارت
    توكاييف رئيس كازاخستان» gives the person without a comma."""
    tokens = finder.tokens_before(position, limit=5)  # nearest first
    if not tokens:
        return [], None, False
    person = finder.covering(tokens[0].start(), tokens[0].end())
    if finder.is_person(person):
        return [], person, False
    if tokens[0].group() not in ("،", ","):
        return [], None, False
    tokens = tokens[1:]
    if tokens:
        person = finder.covering(tokens[0].start(), tokens[0].end())
        if finder.is_person(person):
            return [], person, True
    return _name_tokens(tokens, finder, titles)[::-1], None, True


def _holds(finder: Finder, person: Mention, pattern: str | None) -> bool:
    """Whether `person` held the title's role at the article's date (True when the title has no pattern)."""
    if not pattern:
        return True
    role = finder.catalogue.role_at(person.actor_id, finder.when)
    return bool(role and re.search(pattern, role))


def _name_tokens(tokens: list[re.Match], finder: Finder, titles: Titles) -> list[re.Match]:
    """Up to three name-like tokens; a third that is a sound plural («سيرغي لافروف محادثات») is not a name."""
    name: list[re.Match] = []
    for token in tokens[:3]:
        if not finder.name_like(token, titles):
            break
        name.append(token)
    if len(name) == 3 and name[2].group().endswith(titles.plural_endings):
        name.pop()
    return name


def _discover(finder: Finder, name: list[re.Match], role: tuple[int, int], actor: Mention | None, title: str = "") -> None:
    """Record a person found by title; spellings sharing a surname in one article are one person."""
    name_ar = finder.norm[name[0].start() : name[-1].end()]
    surname = name[-1].group()
    country = bloc = None
    if actor is not None:
        info = finder.catalogue.info(actor.actor_id)
        country, bloc = info["country"], info["bloc"]
    known = finder.discovered.get(surname)
    if known is not None:
        known.forms = tuple(dict.fromkeys((*known.forms, name_ar)))
        if known.country is None and country is not None:
            known.country, known.bloc, known.role_span = country, bloc or "other", role
        return
    finder.discovered[surname] = Discovered("", name_ar, _translit(name_ar, "ar2hsb"), country, bloc or "other", "", (name_ar, surname), role, title)


def assign_ids(discovered: list[Discovered]) -> None:
    """Provisional ids from the country and a transliteration of the name: NEW_KAZ_AYBYKSMADYARWF."""
    for person in discovered:
        safe = re.sub(r"[^A-Za-z0-9]", "", _translit(person.name_ar, "ar2safebw")).upper()
        person.actor_id = f"NEW_{person.country or 'UNK'}_{safe}"


def titles_pass(finder: Finder, titles: Titles) -> tuple[list[Mention], list[tuple]]:
    """Mentions of office holders named only by their title, and the titles that named no one yet
    (start, title end, end, title, actor, role pattern) for `unnamed_pass`."""
    resolved: list[Mention] = []
    unnamed: list[tuple] = []
    finder._index()
    last_end = 0
    for match in titles.pattern.finditer(finder.norm):
        core, start, end = clitic_match_core(match)
        if start < last_end or finder.covering(start, start + 1) is not None:
            continue  # inside the previous title, or a word of an actor's name («رئيس» in an organisation)
        complement_end, actor = _complement(finder, start, end, titles)
        last_end = complement_end
        role = (start, complement_end)
        pattern = _role_pattern(finder, titles.resolve.get(core), actor, end, complement_end)
        after, person_after = _name_after(finder, complement_end, titles)
        before, person_before, comma = _name_before(finder, start, titles)
        if person_after is not None:
            if (name := _namesake(finder, complement_end, person_after, actor, titles)):
                _discover(finder, name, role, actor, core)
                finder.discovered[name[-1].group()].namesake = person_after.actor_id
            continue  # «الرئيس الروسي فلاديمير بوتين»: the title describes the person named after it
        if person_before is not None and (comma or _holds(finder, person_before, pattern)):
            continue  # «بوريطة، وزير الخارجية» / «توكاييف رئيس كازاخستان» (not «التقى بوتين الرئيس الفرنسي»)
        if len(after) >= 2:
            _discover(finder, after, role, actor, core)
        elif len(before) >= 2:
            _discover(finder, before, role, actor, core)
        elif actor is not None and actor.method == "nisba" and not finder.norm.startswith("ال", actor.start):
            continue  # «أول زيارة لرئيس روسي»: an indefinite title names no one
        elif any(token.group() in titles.former for token in finder.tokens_after(end) if token.end() <= complement_end):
            holders = finder.catalogue.former_holders(pattern, finder.when) if pattern else []
            if len(holders) == 1:  # «الرئيس الروسي السابق», «الرئيس الراحل»: an earlier holder, if only one
                resolved.append(Mention(start, complement_end, holders[0], "role"))
        else:
            holders = finder.catalogue.holders(pattern, finder.when) if pattern else []
            if len(holders) == 1:
                resolved.append(Mention(start, complement_end, holders[0], "role"))
            else:
                unnamed.append((start, end, complement_end, core, actor, titles.resolve.get(core)))
    return resolved, unnamed


def _role_pattern(finder: Finder, pattern: str | None, actor: Mention | None, end: int, complement_end: int) -> str | None:
    """The title's role pattern with its country (the first actor of the title: «وزير الخارجية الروسي» →
    Foreign Minister of Russia) and its host (the next one: «سفير روسيا لدى أوزبكستان» → Ambassador of Russia
    to Uzbekistan); None when the title does not name them."""
    if not pattern or "{country}" not in pattern:
        return pattern
    if actor is None:
        return None
    info = finder.catalogue.info(actor.actor_id)
    if actor.start < end and info["actor_type"] == "organisation" and info["country"] in finder.catalogue._info:
        info = finder.catalogue.info(info["country"])  # «رئيس الحكومة الروسية»: the title's words are in RUS_GOV
    pattern = pattern.replace("{country}", re.escape(info["name_en"]))
    if "{host}" in pattern:
        hosts = [m for m in _actors_within(finder, end, complement_end) if m.actor_id != actor.actor_id]
        pattern = pattern.replace("{host}", re.escape(finder.catalogue.info(hosts[0].actor_id)["name_en"])) if hosts else None
    return pattern


def _actors_within(finder: Finder, start: int, end: int) -> list[Mention]:
    """The mentions of actors that are not persons starting in norm[start:end]."""
    i = bisect.bisect_left(finder._starts, start)
    found = []
    while i < len(finder.mentions) and finder.mentions[i].start < end:
        if not finder.is_person(finder.mentions[i]):
            found.append(finder.mentions[i])
        i += 1
    return found


def _definite(norm: str, start: int) -> bool:
    """The word at `start` carries the article (after proclitics: «والرئيس», «للرئيس»)."""
    word_start = start
    while word_start > 0 and norm[word_start - 1].isalpha():
        word_start -= 1
    return bool(_ARTICLE_RE.match(norm, word_start))


def unnamed_pass(finder: Finder, unnamed: list[tuple]) -> list[Mention]:
    """Titles that named no one, read as the person the article introduced with that title («أوليغ
    مالغينوف، سفير روسيا» … «وقال السفير») when only one has it, else as the nearest person named before
    whose role at the article's date is the title's («التقى الرئيس شي جين بينغ» … «واستعرض الرئيس»)."""
    found = []
    persons = sorted(m for m in finder.mentions if finder.is_person(m))
    for start, title_end, end, title, actor, pattern in unnamed:
        country = finder.catalogue.info(actor.actor_id)["country"] if actor is not None else None
        same = [p for p in finder.discovered.values() if p.title == title and (country is None or p.country == country)]
        if len(same) == 1:
            found.append(Mention(start, end, same[0].actor_id, "title"))
            continue
        if actor is not None or not pattern or "{host}" in pattern or end > title_end or not _definite(finder.norm, start):
            continue  # only a bare «الرئيس» refers back («رئيس وزراء …», «الرئيس السوري» do not)
        role = re.compile(pattern.replace("{country}", ".+"))
        i = bisect.bisect_left([p.start for p in persons], start) - 1
        while i >= 0 and not ((held := finder.catalogue.role_at(persons[i].actor_id, finder.when)) and role.search(held)):
            i -= 1
        if i >= 0:
            found.append(Mention(start, end, persons[i].actor_id, "role"))
    return found


def discovered_pass(finder: Finder) -> list[Mention]:
    if not finder.discovered:
        return []
    by_form = {form: person for person in finder.discovered.values() for form in person.forms}
    pattern = clitic_regex(set(by_form), set())
    found = []
    for match in pattern.finditer(finder.norm):
        core, start, end = clitic_match_core(match)
        person = by_form.get(core)
        if person is not None and finder.covering(start, end) is None:
            found.append(Mention(start, end, person.actor_id, "title"))
    return found
