"""kit.io.cache: annotated tables reopened from Parquet, re-annotated exactly when an input or a data file changes,
and a damaged entry detected, rebuilt with a warning and never loaded."""

import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

import kit
from kit.io import cache
from kit.io.cache import CacheWarning
from kit.pipeline import Options

from .conftest import SEEDS

LAVROV_SENTENCE = "وقال وزير الخارجية الروسي سيرغي لافروف إن العلاقات مع كازاخستان تتطور.\n"


@pytest.fixture
def cache_dir(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("KIT_CACHE", str(folder))
    return folder


@pytest.fixture
def corpus_dir(tmp_path) -> Path:
    folder = tmp_path / "corpus"
    shutil.copytree(SEEDS, folder)
    return folder


def entries(cache_dir: Path) -> list[Path]:
    return sorted(p for p in (cache_dir / "entries").iterdir() if not p.name.startswith("."))


def assert_same_tables(left: kit.Annotated, right: kit.Annotated) -> None:
    for name in left.tables:
        pd.testing.assert_frame_equal(left.tables[name], right.tables[name], obj=name)


def test_reopening_reads_the_stored_tables_and_they_equal_a_fresh_annotation(cache_dir, corpus_dir):
    first = kit.load(corpus_dir)
    [entry] = entries(cache_dir)
    manifest = (entry / "manifest.json").stat().st_mtime_ns
    reopened = kit.load(corpus_dir)
    assert entries(cache_dir) == [entry] and (entry / "manifest.json").stat().st_mtime_ns == manifest
    assert_same_tables(reopened, first)
    assert_same_tables(reopened, kit.load(corpus_dir, cache=False))
    assert len(reopened.mentions) > 400


def test_touching_a_file_does_not_reannotate_but_editing_it_does(cache_dir, corpus_dir):
    kit.load(corpus_dir)
    article = corpus_dir / "002_e6f550ea9df77be0.txt"
    os.utime(article, ns=(article.stat().st_atime_ns, article.stat().st_mtime_ns + 10**9))
    kit.load(corpus_dir)
    assert len(entries(cache_dir)) == 1
    before = kit.load(corpus_dir).mentions
    article.write_text(article.read_text(encoding="utf-8") + LAVROV_SENTENCE, encoding="utf-8")
    after = kit.load(corpus_dir).mentions
    assert len(entries(cache_dir)) == 2
    lavrov = lambda m: ((m["article_id"] == article.stem) & (m["actor_id"] == "RUS_LAVROV")).sum()
    assert lavrov(after) == lavrov(before) + 1


def test_a_new_file_in_the_folder_is_a_new_corpus(cache_dir, corpus_dir):
    before = kit.load(corpus_dir)
    (corpus_dir / "005_new.txt").write_text(LAVROV_SENTENCE * 2, encoding="utf-8")
    after = kit.load(corpus_dir)
    assert len(after.articles) == len(before.articles) + 1 and "005_new" in set(after.articles["article_id"])


def test_editing_a_lexicon_reannotates(cache_dir, corpus_dir, tmp_path):
    actors = tmp_path / "my_actors.csv"
    shutil.copy(Path(kit.__file__).parent / "data" / "actors.csv", actors)
    kit.load(corpus_dir, extra_actors=[actors])
    kit.load(corpus_dir, extra_actors=[actors])
    assert len(entries(cache_dir)) == 1
    header = actors.read_text(encoding="utf-8").splitlines()
    columns = next(line for line in header if line and not line.startswith("#")).split(",")
    row = {c: "" for c in columns} | {"actor_id": "KAZ_TOKAYEV_RESIDENCE", "name_en": "Akorda", "name_ar": "أقوردا", "type": "organisation", "country": "KAZ", "bloc": "central_asia"}
    with actors.open("a", encoding="utf-8") as handle:
        handle.write(",".join(row[c] for c in columns) + "\n")
    kit.load(corpus_dir, extra_actors=[actors])
    assert len(entries(cache_dir)) == 2


def test_the_key_covers_every_bundled_data_file(tmp_path, monkeypatch):
    import kit.base.lexicons

    copy = tmp_path / "data"
    shutil.copytree(kit.base.lexicons.DATA_DIR, copy)
    monkeypatch.setattr(kit.base.lexicons, "DATA_DIR", copy)
    unchanged = Options.of().key()
    for name in ("fx_rates.csv", "stance_cues.csv", "actors.csv"):
        with (copy / name).open("a", encoding="utf-8") as handle:
            handle.write("# edited\n")
        edited = Options.of().key()
        assert edited != unchanged, name
        unchanged = edited


@pytest.mark.parametrize("damage", ["truncate", "flip", "manifest"])
def test_a_damaged_entry_is_rebuilt_with_a_warning(cache_dir, corpus_dir, damage):
    fresh = kit.load(corpus_dir)
    [entry] = entries(cache_dir)
    target = entry / "sentences.parquet"
    data = bytearray(target.read_bytes())
    if damage == "truncate":
        target.write_bytes(data[: len(data) // 2])
    elif damage == "flip":  # same size: only Parquet's page checksums can tell
        for offset in range(len(data) // 3, len(data) // 3 + 64):
            data[offset] ^= 0xFF
        target.write_bytes(data)
    else:
        (entry / "manifest.json").write_text("{not json", encoding="utf-8")
    with pytest.warns(CacheWarning, match="damaged"):
        rebuilt = kit.load(corpus_dir)
    assert_same_tables(rebuilt, fresh)
    reopened = kit.load(corpus_dir)  # the rebuilt entry is whole again
    assert_same_tables(reopened, fresh)


def test_annotating_a_corpus_object_is_cached_by_its_content(cache_dir):
    corpus = kit.load_corpus(SEEDS)
    first = kit.annotate(corpus)
    assert len(entries(cache_dir)) == 1
    assert_same_tables(kit.annotate(kit.load_corpus(SEEDS)), first)
    edited = kit.load_corpus(SEEDS)
    edited.articles.loc[0, "text"] = edited.articles.loc[0, "text"] + "\n" + LAVROV_SENTENCE
    kit.annotate(edited)
    assert len(entries(cache_dir)) == 2


def test_an_unwritable_cache_warns_and_annotates(tmp_path, monkeypatch, corpus_dir):
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    monkeypatch.setenv("KIT_CACHE", str(blocker))
    with pytest.warns(CacheWarning, match="cannot write"):
        annotated = kit.load(corpus_dir)
    assert len(annotated.articles) == 5


def test_the_cache_holds_parquet_and_json_only(cache_dir, corpus_dir):
    kit.load(corpus_dir)
    suffixes = {p.suffix for p in cache_dir.rglob("*") if p.is_file()}
    assert suffixes == {".parquet", ".json"}
    sources = "".join(p.read_text(encoding="utf-8") for p in Path(kit.__file__).parent.rglob("*.py"))
    assert "pickle" not in sources.replace("no pickle", "").replace("No pickle", "")


def test_reopened_tables_are_read_on_first_use(cache_dir, corpus_dir):
    fresh = kit.load(corpus_dir)
    reopened = kit.load(corpus_dir)
    assert "mentions" not in vars(reopened) and repr(reopened) == repr(fresh)
    pd.testing.assert_frame_equal(reopened.mentions, fresh.mentions)
    assert "mentions" in vars(reopened) and "stance" not in vars(reopened)


def test_a_table_changed_after_opening_is_an_error_naming_it(cache_dir, corpus_dir):
    kit.load(corpus_dir)
    reopened = kit.load(corpus_dir)
    [entry] = entries(cache_dir)
    (entry / "stance.parquet").write_bytes(b"PAR1 not a table PAR1")
    with pytest.raises(RuntimeError, match="stance.parquet"):
        reopened.stance
    assert not entry.exists()
    assert len(kit.load(corpus_dir).stance) > 100  # annotated again


def test_a_corpus_is_written_chunk_by_chunk_and_reads_back_whole(cache_dir, corpus_dir, monkeypatch):
    import pyarrow.parquet as pq

    import kit.pipeline

    monkeypatch.setattr(kit.pipeline, "CHUNK_ARTICLES", 1)
    monkeypatch.setattr(cache.EntryWriter, "ROW_GROUP_ROWS", 50)
    streamed = kit.load(corpus_dir, workers=1)
    [entry] = entries(cache_dir)
    assert pq.ParquetFile(entry / "mentions.parquet").metadata.num_row_groups > 3
    assert_same_tables(streamed, kit.load(corpus_dir, cache=False))


def test_an_interrupted_annotation_leaves_no_entry(cache_dir, corpus_dir, monkeypatch):
    import kit.pipeline

    real = kit.pipeline.annotate_chunk
    calls = []

    def fails_on_the_third_chunk(chunk, options):
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(chunk, options)

    monkeypatch.setattr(kit.pipeline, "CHUNK_ARTICLES", 1)
    monkeypatch.setattr(kit.pipeline, "annotate_chunk", fails_on_the_third_chunk)
    with pytest.raises(KeyboardInterrupt):
        kit.load(corpus_dir, workers=1)
    assert not (cache_dir / "entries").exists() or not any((cache_dir / "entries").iterdir())


def test_a_killed_writers_staging_folder_is_deleted_by_the_next_write(cache_dir, corpus_dir):
    """A process killed while it writes an entry cannot remove its staging folder (os._exit skips every
    clean-up, as SIGKILL or the OOM killer would); the next write deletes it, and only what is abandoned."""
    import subprocess
    import sys
    import time

    script = (
        "import os, pyarrow as pa; from kit.io import cache\n"
        "writer = cache.EntryWriter('0' * 32)\n"
        "writer.append({'sentences': pa.table({'text': ['وقال لافروف']})}); writer._flush('sentences')\n"
        "os._exit(9)\n"
    )
    killed = subprocess.run([sys.executable, "-c", script], env={**os.environ, "PYTHONPATH": str(Path(kit.__file__).parent.parent)})
    assert killed.returncode == 9
    entries_dir = cache_dir / "entries"
    [left] = entries_dir.glob(".tmp-*")
    assert (left / "sentences.parquet").is_file()
    other_machine = entries_dir / f".tmp-{'1' * 32}-ffffffff-123-{'2' * 32}"
    other_machine.mkdir()
    idle_for_two_days = entries_dir / f".tmp-{'3' * 32}-ffffffff-123-{'4' * 32}"
    idle_for_two_days.mkdir()
    os.utime(idle_for_two_days, (time.time() - 2 * 86400,) * 2)
    with cache.EntryWriter("5" * 32) as running:  # this process is alive: its own folder stays
        kit.load(corpus_dir, workers=1)
        assert running.staging.is_dir()
        running.abort()
    assert not left.exists() and not idle_for_two_days.exists()
    assert other_machine.is_dir()
    assert len(entries(cache_dir)) == 1


def test_the_cache_key_follows_the_annotation_code_not_the_charts(tmp_path, monkeypatch):
    package = tmp_path / "kit"
    shutil.copytree(Path(kit.__file__).parent, package, ignore=shutil.ignore_patterns("data", "__pycache__"))
    monkeypatch.setattr(cache, "__file__", str(package / "io" / "cache.py"))

    def key() -> str:
        cache.code_hash.cache_clear()
        return cache.code_hash()

    def edit(module: str) -> None:
        path = package / module
        path.write_text(path.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")

    before = key()
    for module in ("viz/charts.py", "viz/reader.py", "viz/theme.py", "dashboards/base.py", "dashboards/stance.py", "io/export.py", "analysis/validation.py", "__main__.py"):
        edit(module)
        assert key() == before, module  # drawing, exporting, scoring: the cached tables stay
    for module in ("extract/figures.py", "arabic/text.py", "base/lexicons.py", "io/records.py", "io/corpus.py", "pipeline.py", "annotation.py"):
        edit(module)
        assert key() != before, module  # what annotation runs: re-annotate
        before = key()
    cache.code_hash.cache_clear()
