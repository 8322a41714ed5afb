"""kit.lexicons: researchers' data files are validated and every problem names its file and line."""

import pytest

from kit.lexicons import Column, LexiconError, data_hash, read_table

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
