"""kit.base.blocs and kit.viz.theme: the blocs, their order and colours come from kit/data/blocs.csv alone,
validated with errors that name the file and line."""

import pytest

from kit.base.blocs import BLOCS, blocs
from kit.base.lexicons import LexiconError, data_path, read_table
from kit.viz import theme


def test_the_theme_and_the_catalogue_take_the_blocs_from_the_file():
    rows = read_table(data_path("blocs.csv"), [])
    assert BLOCS == theme.BLOC_ORDER == tuple(rows["bloc"])
    assert theme.BLOC_COLORS == dict(zip(rows["bloc"], rows["color"]))
    assert theme.SIDE_COLORS["pro_russia"] == theme.BLOC_COLORS["russia"] != theme.SIDE_COLORS["anti_russia"]


def test_every_actor_of_the_catalogue_has_a_bloc_of_the_file():
    for name in ("actors.csv", "leaders.csv", "gazetteer.csv"):
        table = read_table(data_path(name), [])
        assert set(table["bloc"].dropna()) - {""} <= set(BLOCS), name


@pytest.mark.parametrize("rows, says", [
    ("russia,#D55E00,\nrussia,#0072B2,\n", "line 3: bloc 'russia' is listed twice"),
    ("russia,red,\n", "line 2: not a #RRGGBB colour: color 'red'"),
])
def test_a_malformed_blocs_file_names_its_line(tmp_path, rows, says):
    path = tmp_path / "blocs.csv"
    path.write_text("bloc,color,light\n" + rows, encoding="utf-8")
    with pytest.raises(LexiconError, match=says):
        blocs(path)
