"""kit.base.lexicons: researchers' data files are validated and every problem names its file and line."""

import pytest

from kit.base.lexicons import Column, LexiconError, data_hash, read_table

COLUMNS = [Column("name", required=True), Column("month", "int", required=True), Column("kind", "choice", choices=("a", "b"))]


def test_comments_are_skipped_and_lines_are_counted(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("# a comment\nname,month,kind,extra\n# another\nيناير,1,a,x\nفبراير,2,,y\n", encoding="utf-8-sig")
    table = read_table(path, COLUMNS)
    assert table["line"].tolist() == [4, 5]
    assert table["extra"].tolist() == ["x", "y"]
    assert table["kind"].tolist() == ["a", None]


@pytest.mark.parametrize(
    "row, message",
    [
        ("مارس,3,a,z,extra", "line 3: expected 4 fields, found 5"),
        ("مارس,three,a,z", "line 3: column 'month' = 'three'"),
        ("مارس,3,c,z", "line 3: column 'kind' = 'c': must be one of a, b"),
        (",3,a,z", "line 3: column 'name' is empty"),
    ],
)
def test_a_malformed_row_is_named_by_file_and_line(tmp_path, row, message):
    path = tmp_path / "mine.csv"
    path.write_text(f"name,month,kind,extra\nيناير,1,a,x\n{row}\n", encoding="utf-8")
    with pytest.raises(LexiconError) as error:
        read_table(path, COLUMNS)
    assert f"{path}, {message}" in str(error.value)


def test_data_hash_changes_when_a_file_changes(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("x\n1\n")
    before = data_hash([path])
    path.write_text("x\n2\n")
    assert data_hash([path]) != before


def test_a_row_left_open_by_a_quotation_mark_is_named_by_its_first_line(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text('name,month,kind,extra\n"يناير,1,a,x\nفبراير,2,b,y\nمارس,3,a,z\n', encoding="utf-8")
    with pytest.raises(LexiconError) as error:
        read_table(path, COLUMNS)
    assert f"{path}, line 2: a quotation mark is left open (the row runs on to the end of the file, line 4)" in str(error.value)


def test_line_separators_inside_a_cell_do_not_end_the_row(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text("name,month,kind,extra\nيناير\u2028كانون الثاني,1,a,x\x85y\nفبراير,2,b,z\n", encoding="utf-8")
    table = read_table(path, COLUMNS)
    assert table["line"].tolist() == [2, 3]
    assert table["name"].tolist() == ["يناير\u2028كانون الثاني", "فبراير"]
