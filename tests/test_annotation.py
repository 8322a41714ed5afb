"""kit.annotation: the annotated-corpus contract and the command line that writes it."""

import subprocess
import sys

import pandas as pd

import kit
from kit.annotation import SCHEMAS

from .conftest import ROOT, SEED_IDS


def test_load_returns_every_table_with_its_schema(annotated):
    assert sorted(annotated.articles["article_id"]) == SEED_IDS
    for name, schema in SCHEMAS.items():
        table = getattr(annotated, name)
        assert list(table.columns) == list(schema), name
        assert {column: str(dtype) for column, dtype in table.dtypes.items()} == schema, name


def test_sentence_offsets_index_the_article_text(annotated):
    texts = annotated.articles.set_index("article_id")["text"]
    for row in annotated.sentences.itertuples():
        assert texts[row.article_id][row.start : row.end] == row.text
    ids = annotated.sentences.groupby("article_id")["sentence_id"].agg(list)
    assert all(list(range(len(v))) == v for v in ids)
    assert set(annotated.sentences["segment"]) == set(kit.SEGMENTS)


def test_command_line_writes_parquet_and_excel_csv(tmp_path):
    out = tmp_path / "tables"
    result = subprocess.run(
        [sys.executable, "-m", "kit", "annotate", str(ROOT / "seeds"), "-o", str(out), "--no-progress"],
        capture_output=True, text=True, check=True,
    )
    assert "wrote" in result.stdout
    for name in kit.TABLES + ("errors",):
        assert (out / f"{name}.parquet").is_file() and (out / f"{name}.csv").is_file()
    raw = (out / "sentences.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel opens the CSV as UTF-8 and shows Arabic
    from_csv = pd.read_csv(out / "sentences.csv", encoding="utf-8-sig")
    from_parquet = pd.read_parquet(out / "sentences.parquet")
    assert len(from_csv) == len(from_parquet) > 100
    assert from_csv["text"].tolist() == from_parquet["text"].tolist()


def test_command_line_names_a_missing_input(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "kit", "annotate", str(tmp_path / "nowhere"), "-o", str(tmp_path / "o")],
        capture_output=True, text=True,
    )
    assert result.returncode == 2
    assert "nowhere: no such file or folder" in result.stderr
