"""kit.annotation: the annotated-corpus contract and the command line that writes it."""

import subprocess
import sys

import pandas as pd
import pytest

import kit
from kit.tables import SCHEMAS

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


def test_command_line_takes_edited_cues_and_extra_actors(tmp_path):
    # a researcher's own row for Macron (their English name wins) and a lexicon without the praise cues
    header = "actor_id,name_en,name_ar,aliases,nisba,metonyms,type,country,bloc,role,valid_from,valid_to\n"
    actors = tmp_path / "my_actors.csv"
    actors.write_text(header + "FRA_MACRON,President Macron,إيمانويل ماكرون,ماكرون,,,person,FRA,west,President of France,2017-05-14,\n", encoding="utf-8")
    lexicon = pd.read_csv(kit.base.lexicons.data_path("stance_cues.csv"), comment="#", dtype=str, keep_default_na=False)
    cues = tmp_path / "cues.csv"
    lexicon[lexicon["category"] != "praise"].to_csv(cues, index=False)
    out = tmp_path / "tables"
    subprocess.run([sys.executable, "-m", "kit", "annotate", str(ROOT / "seeds"), "-o", str(out), "--no-progress", "--no-cache",
                    "--cues", str(cues), "--extra-actors", str(actors)], capture_output=True, text=True, check=True)
    found = pd.read_parquet(out / "cues.parquet")
    bundled = kit.load(progress=False)
    assert len(found) and "praise" not in set(found["category"].astype(str)) and "praise" in set(bundled.cues["category"].astype(str))
    mentions = pd.read_parquet(out / "mentions.parquet")
    assert set(mentions.loc[mentions["actor_id"] == "FRA_MACRON", "name_en"]) == {"President Macron"}


def test_command_line_names_a_missing_input(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "kit", "annotate", str(tmp_path / "nowhere"), "-o", str(tmp_path / "o")],
        capture_output=True, text=True,
    )
    assert result.returncode == 2
    assert "nowhere: no such file or folder" in result.stderr


def _assert_same_tables(left: kit.Annotated, right: kit.Annotated) -> None:
    for name in left.tables:
        pd.testing.assert_frame_equal(left.tables[name].reset_index(drop=True), right.tables[name].reset_index(drop=True), obj=name)


def _seed_records() -> pd.DataFrame:
    """The seed articles as a table of records, twice (renamed), so that partitions and chunks hold several articles."""
    corpus = kit.load_corpus()
    records = corpus.articles[["article_id", "text"]].astype(object)
    return pd.concat([records, records.assign(article_id=records["article_id"] + "-copy")], ignore_index=True)


def test_worker_processes_give_the_same_tables_as_one_process(monkeypatch):
    import kit.pipeline

    monkeypatch.setattr(kit.pipeline, "CHUNK_ARTICLES", 3)  # several chunks, so the order of results matters
    corpus = kit.load_corpus(_seed_records())
    one = kit.annotate(corpus, workers=1, cache=False)
    two = kit.annotate(corpus, workers=2, cache=False)
    _assert_same_tables(two, one)
    assert len(two.mentions) == 2 * len(kit.load(cache=False).mentions)


def test_dask_partitions_on_a_distributed_cluster_give_the_same_tables():
    dd = pytest.importorskip("dask.dataframe")
    distributed = pytest.importorskip("distributed")
    records = _seed_records()
    single = kit.annotate(kit.load_corpus(records), cache=False)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster, distributed.Client(cluster) as client:
        assert len(client.scheduler_info()["workers"]) == 2
        on_dask = kit.annotate(dd.from_pandas(records, npartitions=4))
        from_bag = kit.annotate(dd.from_pandas(records, npartitions=3).to_bag(index=False, format="dict"))
    _assert_same_tables(on_dask, single)
    _assert_same_tables(from_bag, single)


def test_dask_records_need_an_article_id():
    dd = pytest.importorskip("dask.dataframe")
    records = _seed_records().drop(columns="article_id")
    with pytest.raises(ValueError, match="article_id"):
        kit.annotate(dd.from_pandas(records, npartitions=2))


def test_annotation_workers_import_kit_without_plotting_libraries():
    """A worker process imports kit.annotation only: the charts and dashboards (plotly, ipywidgets, ~3 s)
    are imported when first used, and every public name of kit still resolves."""
    code = (
        "import sys, kit.annotation\n"
        "print(sorted(m for m in ('plotly', 'ipywidgets') if m in sys.modules))\n"
        "import kit\n"
        "names = [getattr(kit, n) for n in kit.__all__]\n"
        "from kit import StanceDashboard, charts, setup_notebook, article_html\n"
        "print(kit.viz.charts.timeline.__name__, StanceDashboard.__name__, 'plotly' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert result.stdout.split("\n")[:2] == ["[]", "timeline StanceDashboard True"]
