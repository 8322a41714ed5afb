"""The actor catalogue: every actor's id, Arabic names and aliases, nisba adjectives and metonyms, type,
country and bloc, and persons' dated roles (GDELT/PETRARCH style), read from data/actors.csv, the generated
gazetteer, leaders.csv, institutions.csv and researchers' own CSVs (which win), validated, and compiled into
one trie regex over the matching form. Imports kit.base and kit.arabic.text.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import NamedTuple, Sequence

import pandas as pd

from kit.arabic.text import (
    clitic_regex,
    normalize,
    split_article,
)
from kit.base.blocs import BLOCS
from kit.base.lexicons import Column, LexiconError, data_path, read_table

__all__ = ["ACTOR_TYPES", "Catalogue", "Discovered", "Mention", "default_catalogue"]


ACTOR_TYPES = ("person", "country", "organisation", "bloc", "region")  # a region is a place, not an actor
IDENTITY = ("name_en", "name_ar", "aliases", "nisba", "metonyms", "type", "country", "bloc")
_ID_RE = re.compile(r"^[A-Z0-9_]+$")
_CODE_RE = re.compile(r"^[A-Z][A-Z0-9_]{1,31}$")
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
        guarded = guarded_names()[0]
        bare = {core for core, (_, _, article) in self.forms.items() if article is not True and core not in guarded}
        with_article = {core for core, (_, _, article) in self.forms.items() if article is not False and core not in guarded}
        return clitic_regex(bare, with_article)

    @cached_property
    def guarded_pattern(self) -> re.Pattern | None:
        """The names that are also common words (data/guarded_names.csv), matched apart: only in a frame
        that makes them a state (kit.extract.actors)."""
        names = {core for core in guarded_names()[0] if core in self.forms and self.forms[core][0]}
        return clitic_regex(names, set()) if names else None

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
def guarded_names() -> tuple[frozenset[str], frozenset[str]]:
    """The names of data/guarded_names.csv that are also common words, and the context words that make them
    a state, in the matching form."""
    table = read_table(data_path("guarded_names.csv"), [Column("kind", "choice", required=True, choices=("name", "context")),
                                                        Column("word", required=True), Column("note")])
    return tuple(frozenset(normalize(w) for k, w in zip(table["kind"], table["word"]) if k == kind) for kind in ("name", "context"))


@lru_cache(maxsize=1)
def _not_actors() -> tuple[str, ...]:
    table = read_table(data_path("not_actors.csv"), [Column("phrase", required=True), Column("note")])
    return tuple(table["phrase"])


@lru_cache(maxsize=1)
def default_catalogue() -> Catalogue:
    return Catalogue.load()


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
