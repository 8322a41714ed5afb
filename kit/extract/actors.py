"""Actors: who appears in the articles, in which role, on whose side.

The catalogue (`data/actors.csv`, plus researchers' own CSVs) gives each actor an id, Arabic names and
aliases, nisba adjectives and metonyms, a type, a country and a bloc, and gives persons their dated roles
(GDELT/PETRARCH style). `find_mentions` finds every reference in an article with one compiled trie regex
over the matching form: proclitics (و ف ب ك ل), the article ال and the fused لل are allowed around each
form, the whole word is tried before a stripped variant (بوتين keeps its ب) and the longest form wins
(قاسم جومارت توكاييف is one mention). Title phrases (`data/titles.csv`) discover people the catalogue lacks
(«الناطق الرسمي لوزارة الخارجية الكازاخستانية - أيبيك سمادياروف» → a provisional id, the title as role, the
country from the nisba; a candidate must look like a name: no common word, verb, preposition or proclitic +
common word of `data/not_names.csv`) and resolve unnamed office holders («الزعيم الروسي» → Putin) through the
dated roles: «السابق/الراحل» to the one earlier holder, an ambassador only with his host country, a bare
«الرئيس» or «السفير» to the person the article introduced with that title. State institutions are generated
for every country (`data/institutions.csv`: «الجيش الروسي» → RUS_ARMY).
When camel-tools' morphology database is installed, words no rule matched are analysed and their stems
and lemmas looked up as well (الأوزبك → أوزبكي).
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import NamedTuple, Sequence

import pandas as pd

from kit.arabic.text import (
    Normalized,
    clitic_match_core,
    clitic_regex,
    normalize,
    split_article,
)
from kit.base.blocs import BLOCS
from kit.base.lexicons import Column, LexiconError, data_path, read_table

__all__ = [
    "ACTOR_TYPES",
    "BLOCS",
    "Catalogue",
    "Mention",
    "find_mentions",
]

ACTOR_TYPES = ("person", "country", "organisation", "bloc", "region")  # a region is a place, not an actor
IDENTITY = ("name_en", "name_ar", "aliases", "nisba", "metonyms", "type", "country", "bloc")
_ID_RE = re.compile(r"^[A-Z0-9_]+$")
_CODE_RE = re.compile(r"^[A-Z][A-Z0-9_]{1,31}$")
_TOKEN_RE = re.compile(r"[^\W\d_]+|\d+|[^\w\s]")
_SEPARATORS = {"،", ",", "-", "–", "—", ":"}

ACTOR_COLUMNS = [
    Column("actor_id", required=True),
    Column("name_en"),
    Column("name_ar"),
    Column("aliases", "list"),
    Column("nisba", "list"),
    Column("metonyms", "list"),
    Column("type", "choice", choices=ACTOR_TYPES),
    Column("country"),
    Column("bloc", "choice", choices=BLOCS),
    Column("role"),
    Column("valid_from", "date"),
    Column("valid_to", "date"),
]


def _check_actor_row(row: dict) -> str | None:
    if not _ID_RE.match(row["actor_id"]):
        return f"actor_id {row['actor_id']!r} must be upper-case letters, digits and _"
    identity = [name for name in IDENTITY if row[name]]
    if row["name_en"]:
        missing = [name for name in ("name_ar", "type", "country", "bloc") if not row[name]]
        if missing:
            return f"actor {row['actor_id']} lacks {', '.join(missing)}"
        if not _CODE_RE.match(row["country"]):
            return f"country {row['country']!r} must be an ISO 3166 alpha-3 code or a bloc code such as EU"
    elif identity:
        return f"a row without name_en is a role row and carries only actor_id, role, valid_from, valid_to (found {', '.join(identity)})"
    elif not row["role"]:
        return "a role row needs a role"
    if row["valid_from"] and row["valid_to"] and row["valid_from"] > row["valid_to"]:
        return "valid_from is after valid_to"
    return None


class Mention(NamedTuple):
    """A mention in matching-form offsets (converted to original offsets by the caller)."""

    start: int
    end: int
    actor_id: str
    method: str
    role: str | None = None


@dataclass
class Discovered:
    """A person found through a title phrase, not in the catalogue."""

    actor_id: str
    name_ar: str
    name_en: str
    country: str | None
    bloc: str
    role: str
    forms: tuple[str, ...]
    role_span: tuple[int, int] = (0, 0)  # the title phrase, in matching-form offsets
    title: str = ""  # the title word(s) that introduced the person («سفير»), for later unnamed uses of it
    namesake: str = ""  # a catalogue person of another country sharing the surname («جباروف»), replaced here


@dataclass
class Catalogue:
    """Actors, their dated roles, and the matching forms that name them."""

    actors: pd.DataFrame
    roles: pd.DataFrame
    sources: list[Path] = field(default_factory=list)

    # ---- loading -----------------------------------------------------------------------------------
    @classmethod
    def load(cls, path: str | Path | None = None, extra: Sequence[str | Path] | str | Path = ()) -> "Catalogue":
        """The bundled catalogue (or `path`), plus researchers' own CSVs in `extra` (same columns).

        The bundled catalogue is the generated gazetteer of every country (`gazetteer.csv`, see
        kit.extract.gazetteer), then `leaders.csv` (office holders 1991-2026, breakaway territories, regional
        organisations, each row with its source), then the hand rows of `actors.csv`. A row of a later file whose actor_id is already
        known replaces that actor (hand rows replace generated ones; `extra` replaces both); role rows are
        added. A malformed row raises LexiconError naming its file and line.
        """
        extra = [extra] if isinstance(extra, (str, Path)) else list(extra)
        bundled = [data_path("gazetteer.csv"), data_path("leaders.csv"), data_path("actors.csv")] if not path else [Path(path)]
        sources = bundled + [Path(p) for p in extra]
        frames = []
        for source in sources:
            table = read_table(source, ACTOR_COLUMNS, row_check=_check_actor_row)
            table["file"] = str(source)
            frames.append(table)
        rows = pd.concat(frames, ignore_index=True)
        is_identity = rows["name_en"].notna()
        identities = rows[is_identity]
        duplicated = identities[identities.duplicated(["actor_id", "file"], keep=False)]
        if len(duplicated):
            first = duplicated.iloc[1]
            raise LexiconError(f"{first['file']}, line {first['line']}: actor {first['actor_id']} is defined twice in this file")
        actors = identities.drop_duplicates("actor_id", keep="last").set_index("actor_id", drop=False)
        orphans = rows[~is_identity & ~rows["actor_id"].isin(actors.index)]
        if len(orphans):
            first = orphans.iloc[0]
            raise LexiconError(f"{first['file']}, line {first['line']}: role row for unknown actor {first['actor_id']}")
        roles = rows[rows["role"].notna()][["actor_id", "role", "valid_from", "valid_to"]].reset_index(drop=True)
        actors = actors[["actor_id", *IDENTITY]].copy()
        generated = _institutions(actors)
        known = generated.index.isin(actors.index)  # a hand row (KAZ_GOV) keeps its forms and gains the generated ones
        for actor_id, forms in zip(generated.index[known], generated["aliases"][known] + generated["name_ar"][known].map(lambda n: (n,))):
            hand = actors.at[actor_id, "aliases"]
            actors.at[actor_id, "aliases"] = tuple(dict.fromkeys((*hand, *(f for f in forms if f != actors.at[actor_id, "name_ar"]))))
        generated = generated[~known]  # first, so that a hand row's forms win over a generated one's
        return cls(pd.concat([generated, actors]) if len(generated) else actors, roles, sources)

    # ---- matching forms ----------------------------------------------------------------------------
    @cached_property
    def forms(self) -> dict[str, tuple[str, str, bool]]:
        """Lookup core → (actor_id, method, article); article is True (written with ال), False (never), or None
        (either way, nisba adjectives); actor_id '' marks a phrase that is not an actor."""
        endings = [""] + list(_nisba_endings())
        forms: dict[str, tuple[str, str, bool]] = {}

        def add(written: str, actor_id: str, method: str, optional_article: bool = False) -> None:
            has_article, core = split_article(written)
            core = " ".join(core.split())
            forms[core] = (actor_id, method, None if optional_article else has_article)

        for actor in self.actors.itertuples():
            for written in (actor.name_ar, *actor.aliases):
                add(written, actor.actor_id, "name")
            for written in (actor.name_ar, *actor.aliases):  # «الولاياتالمتحدة»: the space lost in copying
                joined = "".join(split_article(written)[1].split())
                if len(joined) >= JOINED_MIN and joined != split_article(written)[1] and joined not in forms:
                    add(written.replace(" ", ""), actor.actor_id, "name")
            for written in actor.metonyms:
                add(written, actor.actor_id, "metonym")
            for stem in actor.nisba:  # روسي → روسي، روسية، روسيون ... each with or without ال
                for ending in endings:
                    if ending == "ا" and normalize(stem + ending) in forms:
                        continue  # «روسيا» is Russia's name, not روسي + the accusative ا of «صينيًا»
                    add(stem + ending, actor.actor_id, "nisba", optional_article=True)
        for phrase in _not_actors():
            add(phrase, "", "none")
        return forms

    @cached_property
    def variants(self) -> dict[str, str]:
        """Skeletons of persons' names (see `skeleton`) → their id, for spellings the catalogue lacks."""
        return _variant_index(self)

    @cached_property
    def variant_prefixes(self) -> frozenset[str]:
        """The skeletons of the first one, two ... words of `variants`: a run that is not one starts no name."""
        return frozenset(" ".join(key.split()[:k]) for key in self.variants for k in range(1, len(key.split()) + 1))

    @cached_property
    def pattern(self) -> re.Pattern:
        bare = {core for core, (_, _, article) in self.forms.items() if article is not True}
        with_article = {core for core, (_, _, article) in self.forms.items() if article is not False}
        return clitic_regex(bare, with_article)

    # ---- roles -------------------------------------------------------------------------------------
    def role_at(self, actor_id: str, when: dt.date | None) -> str | None:
        """The role a person held on `when` (the current role when the date is unknown)."""
        rows = self._roles_by_actor.get(actor_id)
        if not rows:
            return None
        for role, start, end in rows:
            if when is None:
                if end is None:
                    return role
            elif (start is None or start <= when) and (end is None or when < end):
                return role
        return rows[0][0] if when is None else None

    def holders(self, resolve: str, when: dt.date | None) -> list[str]:
        """Persons whose role on `when` matches the regular expression `resolve` (memoised per pattern and date)."""
        key = (resolve, when)
        if key not in self._holders:
            pattern, candidates = self._candidates(resolve)
            if when is None:  # no date: only offices still held count (a former president is not «الرئيس»)
                held = lambda a: next((role for role, _, end in self._roles_by_actor.get(a, ()) if end is None), None)
            else:
                held = lambda a: self.role_at(a, when)
            self._holders[key] = [a for a in candidates if (role := held(a)) and pattern.search(role)]
        return self._holders[key]

    def former_holders(self, resolve: str, when: dt.date | None) -> list[str]:
        """Persons who held a role matching `resolve` that ended by `when` and do not hold it on `when`:
        «الرئيس الروسي السابق» is never the incumbent."""
        pattern, candidates = self._candidates(resolve)
        current = set(self.holders(resolve, when))
        return [a for a in candidates if a not in current and any(
            end is not None and (when is None or end <= when) and role and pattern.search(role) for role, _, end in self._roles_by_actor[a])]

    def _candidates(self, resolve: str) -> tuple[re.Pattern, list[str]]:
        """The compiled pattern, and the persons who held a matching role at some time (memoised)."""
        if resolve not in self._holders:
            pattern = re.compile(resolve)
            self._holders[resolve] = pattern, [a for a, rows in self._roles_by_actor.items() if any(role and pattern.search(role) for role, _, _ in rows)]
        return self._holders[resolve]

    @cached_property
    def _holders(self) -> dict:
        return {}

    @cached_property
    def _roles_by_actor(self) -> dict[str, list[tuple]]:
        grouped: dict[str, list[tuple]] = {}
        for row in self.roles.itertuples():
            grouped.setdefault(row.actor_id, []).append((row.role, row.valid_from, row.valid_to))
        return grouped

    def info(self, actor_id: str) -> dict:
        """name_en, name_ar, actor_type, country and bloc of an actor (a dict lookup: this is on the hot path)."""
        return self._info[actor_id]

    def is_person(self, actor_id: str) -> bool:
        found = self._info.get(actor_id)
        return found is not None and found["actor_type"] == "person"

    @cached_property
    def _info(self) -> dict[str, dict]:
        return {
            row.actor_id: {"name_en": row.name_en, "name_ar": row.name_ar, "actor_type": row.type, "country": row.country, "bloc": row.bloc}
            for row in self.actors.itertuples()
        }


def _institutions(actors: pd.DataFrame) -> pd.DataFrame:
    """The state institutions of data/institutions.csv for every country: «الحكومة الأفغانية» → AFG_GOV."""
    table = read_table(data_path("institutions.csv"), [Column("suffix", required=True), Column("name_en", required=True), Column("with_name"),
                                                       Column("with_nisba"), Column("gender", "choice", required=True, choices=("m", "f"))])
    rows = []
    kinds = list(table.itertuples())
    for country in actors[actors["type"] == "country"].itertuples():
        if not country.nisba:
            continue  # the countries the news names by adjective; fewer forms keep the compiled pattern small
        names = [n for n in (country.name_ar, *country.aliases) if not n.startswith("ال") or n.startswith(("الاتحاد", "الجمهورية"))]
        for kind in kinds:
            actor_id = f"{country.actor_id}_{kind.suffix}"
            if not _ID_RE.match(actor_id):
                continue
            ending = "ة" if kind.gender == "f" else ""
            forms = [f"{kind.with_name} {n}" for n in names if kind.with_name]
            forms += [f"{kind.with_nisba} ال{stem}{ending}" for stem in country.nisba if kind.with_nisba]
            if forms:
                rows.append({"actor_id": actor_id, "name_en": kind.name_en.replace("{country}", country.name_en), "name_ar": forms[0],
                             "aliases": tuple(forms[1:]), "nisba": (), "metonyms": (), "type": "organisation", "country": country.country, "bloc": country.bloc})
    return pd.DataFrame(rows, columns=["actor_id", *IDENTITY]).set_index("actor_id", drop=False)


@lru_cache(maxsize=1)
def _nisba_endings() -> tuple[str, ...]:
    table = read_table(data_path("nisba_endings.csv"), [Column("ending", required=True), Column("note")])
    return tuple(table["ending"])


@lru_cache(maxsize=1)
def _not_actors() -> tuple[str, ...]:
    table = read_table(data_path("not_actors.csv"), [Column("phrase", required=True), Column("note")])
    return tuple(table["phrase"])


@lru_cache(maxsize=1)
def default_catalogue() -> Catalogue:
    return Catalogue.load()


# ---------------------------------------------------------------------------------------------------
# Titles: discovery of unknown people and resolution of unnamed office holders


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
                   frozenset(normalize(w) for w in (*breaks["word"], *not_names["word"]) if w.endswith("ى")))


def _translit(name: str, scheme: str) -> str:
    return _mapper(scheme)(name)


@lru_cache(maxsize=2)
def _mapper(scheme: str):
    from camel_tools.utils.charmap import CharMapper

    return CharMapper.builtin_mapper(scheme)


class _Finder:
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
        for token in _TOKEN_RE.finditer(self.norm, position):
            found.append(token)
            if len(found) == limit:
                break
        return found

    def tokens_before(self, position: int, limit: int = 5) -> list[re.Match]:
        window_start = max(0, position - 120)
        return list(_TOKEN_RE.finditer(self.norm, window_start, position))[-limit:][::-1]

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
            and not _common_word(word, titles.not_names)
            and not (self.morphology is not None and _analysed_common(self.morphology, word))
            and self.covering(token.start(), token.end()) is None
        )


_PROCLITICS = "وفبلك"
_ARABIC_WORD_RE = re.compile(r"[\u0621-\u064a\u0671-\u06d3]+")


def _common_word(word: str, not_names: frozenset[str]) -> bool:
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


def _complement(finder: _Finder, start: int, end: int, titles: Titles) -> tuple[int, Mention | None]:
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


def _name_after(finder: _Finder, position: int, titles: Titles) -> tuple[list[re.Match], Mention | None]:
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


def _namesake(finder: _Finder, position: int, person: Mention, actor: Mention | None, titles: Titles) -> list[re.Match]:
    """The name of another person than the catalogue's `person`: a first name the catalogue does not give
    before a surname it knows, after a title of another country («وزير الاقتصاد الأذربيجاني ميكائيل جباروف»
    is not Kyrgyzstan's Japarov). Empty when the title names no country or the person's own."""
    if actor is None or finder.catalogue.info(person.actor_id)["country"] == finder.catalogue.info(actor.actor_id)["country"]:
        return []
    first = [t for t in finder.tokens_after(position, limit=3) if t.end() <= person.start]
    if not first or not all(finder.name_like(t, titles) for t in first):
        return []
    surname = [t for t in _TOKEN_RE.finditer(finder.norm, person.start, person.end)]
    return first + surname if surname and len(first) + len(surname) <= 3 else []


def _namesakes(finder: _Finder) -> None:
    """Mentions of a surname that a discovered person took from a catalogue namesake become that person's."""
    replaced = {(p.namesake, form): p.actor_id for p in finder.discovered.values() if p.namesake for form in p.forms}
    if replaced:
        finder.mentions = [m._replace(actor_id=replaced[key], method="title") if (key := (m.actor_id, finder.norm[m.start:m.end])) in replaced else m
                           for m in finder.mentions]


def _name_before(finder: _Finder, position: int, titles: Titles) -> tuple[list[re.Match], Mention | None, bool]:
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


def _holds(finder: _Finder, person: Mention, pattern: str | None) -> bool:
    """Whether `person` held the title's role at the article's date (True when the title has no pattern)."""
    if not pattern:
        return True
    role = finder.catalogue.role_at(person.actor_id, finder.when)
    return bool(role and re.search(pattern, role))


def _name_tokens(tokens: list[re.Match], finder: _Finder, titles: Titles) -> list[re.Match]:
    """Up to three name-like tokens; a third that is a sound plural («سيرغي لافروف محادثات») is not a name."""
    name: list[re.Match] = []
    for token in tokens[:3]:
        if not finder.name_like(token, titles):
            break
        name.append(token)
    if len(name) == 3 and name[2].group().endswith(("ات", "ون", "ين")):
        name.pop()
    return name


def _discover(finder: _Finder, name: list[re.Match], role: tuple[int, int], actor: Mention | None, title: str = "") -> None:
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


def _assign_ids(discovered: list[Discovered]) -> None:
    """Provisional ids from the country and a transliteration of the name: NEW_KAZ_AYBYKSMADYARWF."""
    for person in discovered:
        safe = re.sub(r"[^A-Za-z0-9]", "", _translit(person.name_ar, "ar2safebw")).upper()
        person.actor_id = f"NEW_{person.country or 'UNK'}_{safe}"


def _titles_pass(finder: _Finder, titles: Titles) -> tuple[list[Mention], list[tuple]]:
    """Mentions of office holders named only by their title, and the titles that named no one yet
    (start, title end, end, title, actor, role pattern) for `_unnamed_pass`."""
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


def _role_pattern(finder: _Finder, pattern: str | None, actor: Mention | None, end: int, complement_end: int) -> str | None:
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


def _actors_within(finder: _Finder, start: int, end: int) -> list[Mention]:
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


def _unnamed_pass(finder: _Finder, unnamed: list[tuple]) -> list[Mention]:
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


def _discovered_pass(finder: _Finder) -> list[Mention]:
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


def _morphology_pass(finder: _Finder, morphology) -> list[Mention]:
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


def find_mentions(
    normalized: Normalized, text: str, catalogue: Catalogue, published: dt.date | None = None, morphology=None,
    origins: list | None = None,
) -> tuple[list[Mention], list[Discovered]]:
    """All actor mentions of `text` (offsets in its matching form `normalized`), and the people discovered by
    title. A list given as `origins` receives the nisbas read as an origin and left out («الشركات الروسية»,
    «البنك المركزي الأوزبكي»): not the country acting, but still the country a figure of theirs is about."""
    norm = normalized.text
    finder = _Finder(normalized, text, catalogue, published, morphology)
    for match in catalogue.pattern.finditer(norm):
        core, start, end = clitic_match_core(match)
        hit = catalogue.forms.get(core)
        if hit is not None and hit[0]:
            finder.mentions.append(Mention(start, end, hit[0], hit[1]))
    finder.mentions = _in_context(norm, finder.mentions, catalogue, origins)
    finder._index()
    finder.mentions.extend(_variant_pass(finder))
    finder._index()
    if morphology is not None:
        finder.mentions.extend(_morphology_pass(finder, morphology))
        finder._index()
    roles, unnamed = _titles_pass(finder, Titles.default())
    _assign_ids(list(finder.discovered.values()))
    _namesakes(finder)
    finder.mentions.extend(_discovered_pass(finder))
    finder.mentions.extend(roles)
    finder.mentions.extend(_unnamed_pass(finder, unnamed))
    finder.mentions.sort()
    return finder.mentions, list(finder.discovered.values())


# ---------------------------------------------------------------------------------------------------
# Transliteration variants of persons' names (data/name_skeleton.csv)

JOINED_MIN = 9  # letters a name written without its spaces needs to be matched that way («الأممالمتحدة»)
SKELETON_MIN = 4  # letters a one-word skeleton needs («بوتين» → بتن is too short: exact forms only)


@lru_cache(maxsize=1)
def _skeleton_rules() -> tuple[tuple[tuple[str, str], ...], dict[int, str]]:
    table = read_table(data_path("name_skeleton.csv"), [Column("kind", "choice", required=True, choices=("sequence", "letter")), Column("from", required=True), Column("to"), Column("note")])
    sequences = tuple((a, b or "") for k, a, b in zip(table["kind"], table["from"], table["to"]) if k == "sequence")
    letters = {ord(a): b or "" for k, a, b in zip(table["kind"], table["from"], table["to"]) if k == "letter"}
    return sequences, letters


def skeleton(name: str) -> str:
    """The transliteration skeleton of a name in matching form: «ميرضيائيف» and «ميرزيوييف» → «مرزف»."""
    sequences, letters = _skeleton_rules()
    for a, b in sequences:
        name = name.replace(a, b)
    return re.sub(r"(.)\1+", r"\1", " ".join(w.translate(letters) for w in name.split()))


def _variant_index(catalogue: "Catalogue") -> dict[str, str]:
    """skeleton → person id for every person's name and alias whose skeleton belongs to that person alone
    and is long enough (SKELETON_MIN letters, one word of three or more)."""
    owners: dict[str, set[str]] = {}
    for actor in catalogue.actors.itertuples():
        for written in (actor.name_ar, *actor.aliases):
            key = skeleton(split_article(written)[1])
            owners.setdefault(key, set()).add(actor.actor_id if actor.type == "person" else "")
    return {key: next(iter(ids)) for key, ids in owners.items()
            if len(ids) == 1 and "" not in ids and len(key.replace(" ", "")) >= SKELETON_MIN and max(len(w) for w in key.split()) >= 3}


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


def _variant_pass(finder: "_Finder") -> list[Mention]:
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
        if finder.covering(words[i].start(), words[i].end()) is not None or _common_word(words[i].group(), Titles.default().not_names):
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


# ---------------------------------------------------------------------------------------------------
# The word before a mention (data/mention_context.csv)


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


def _in_context(norm: str, mentions: list[Mention], catalogue: Catalogue, origins: list | None = None) -> list[Mention]:
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


