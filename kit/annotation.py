"""Loading and annotating a corpus, and the cache around it: `load(path)` reopens a corpus annotated before
(files, data files and kit unchanged) or reads it, annotates it (kit.pipeline) and stores it chunk by chunk
(kit.io.cache). `annotate(corpus)` runs every layer on every article and returns an `Annotated` (kit.tables) with pandas DataFrames:
`articles` (one row per article), `sentences` (one per sentence, with its segment), `mentions` (one per actor
mention), `quotes` (one per attributed statement), `figures` (one per reported number) and `stance` (one per
body sentence that involves Russia or the West). Every span carries offsets into `articles.text`.
Imports kit.io, kit.pipeline and kit.tables.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pyarrow as pa

from kit.io import cache as cache_store
from kit.io.cache import CacheWarning
from kit.io.corpus import Corpus, read_corpus
from kit.io.records import corpus_files
from kit.io.workers import auto_workers
from kit.pipeline import (
    Options,
    annotate_dask,
    annotated_of,
    annotation_tables,
    corpus_tables,
    is_dask,
    with_metadata,
)
from kit.tables import INFERRED, Annotated

__all__ = ["annotate", "load"]


def _stored(key: str) -> Annotated | None:
    """The Annotated stored in the cache under `key` (its tables are read on first use)."""
    entry = cache_store.open_entry(key)
    if entry is None or not {"articles", "errors"} <= entry.tables.keys():
        return None
    return Annotated.stored(entry)


def annotate(
    corpus: Corpus | pd.DataFrame | str | Path | None = None,
    *,
    extra_actors=(),
    use_morphology: bool | None = None,
    cues=None,
    workers: int | None = None,
    progress: bool | None = None,
    cache: bool = True,
) -> Annotated:
    """Annotate a corpus: a Corpus, anything `load_corpus` accepts (None: the bundled seeds), or a Dask
    DataFrame / Bag of records (see `annotate_dask`).

    extra_actors: your own actor CSVs (same columns as kit/data/actors.csv), added to the catalogue.
    use_morphology: None uses camel-tools' analyser when its database is installed, False never, True requires it.
    cues: an edited copy of kit/data/stance_cues.csv to use instead of the bundled stance lexicon.
    workers: processes to annotate with; None uses every core for corpora of 2,000 articles or more.
    progress: show a progress bar (None: only for corpora of 200 articles or more).
    cache: reuse the stored annotation of the same articles with the same data files (see `kit.io.cache`).
    """
    if is_dask(corpus):
        return annotate_dask(corpus, extra_actors=extra_actors, use_morphology=use_morphology, cues=cues)
    if not isinstance(corpus, Corpus):
        corpus = read_corpus(corpus, progress=progress)  # the metadata missing is read from the pages while annotating
    options = Options.of(extra_actors, use_morphology, cues)
    return _annotate_cached(corpus, options, auto_workers(workers, len(corpus)), progress, cache)[0]


def _annotate_cached(corpus: Corpus, options: Options, workers: int, progress, cache: bool) -> tuple[Annotated, str | None]:
    """The annotated corpus and the key of its cache entry (None when it is not cached). A cached corpus is
    written to its entry chunk by chunk while it is annotated, and returned from there (read on first use)."""
    key = cache_store.key_of(options.key(), cache_store.articles_key(corpus.articles, corpus.errors)) if cache else None
    stored = _stored(key) if key else None
    if stored is not None:
        return stored, key
    if key is not None and len(corpus) and _storable(corpus):  # no articles: no tables to store
        try:
            with cache_store.EntryWriter(key) as writer:
                inferred = annotation_tables(corpus.articles, options, workers, progress, sink=writer.append)[INFERRED]
                corpus = with_metadata(corpus, inferred)
                writer.append(corpus_tables(corpus))
                return Annotated.stored(writer.commit({"origin": corpus.origin, "articles": len(corpus)})), key
        except (OSError, pa.ArrowException) as exc:
            cache_store.warn_unwritable(cache_store.cache_root(), exc)
    tables = annotation_tables(corpus.articles, options, workers, progress)
    return annotated_of(tables, with_metadata(corpus, tables.pop(INFERRED))), None


def _storable(corpus: Corpus) -> bool:
    """Whether the articles table can be stored as Parquet (a metadata column that mixes lists and numbers
    cannot); warns when it cannot."""
    try:
        pa.Table.from_pandas(corpus.articles.drop(columns=["text"]), preserve_index=False)
        pa.Table.from_pandas(corpus.errors, preserve_index=False)
    except pa.ArrowException as exc:
        warnings.warn(f"the articles table cannot be stored as Parquet ({exc}); this corpus is not cached", CacheWarning, stacklevel=4)
        return False
    return True


def load(
    path: str | Path | None = None,
    *,
    extra_actors=(),
    use_morphology: bool | None = None,
    cues=None,
    workers: int | None = None,
    progress: bool | None = None,
    cache: bool = True,
) -> Annotated:
    """Load and annotate a corpus (see `load_corpus` for the inputs; no argument: the bundled seed articles).

    With `cache` (the default), a corpus whose files, data files and kit are unchanged is reopened from the
    cache without reading its files again; the other options are those of `annotate`.
    """
    options = Options.of(extra_actors, use_morphology, cues)
    if not cache:
        corpus = read_corpus(path, progress=progress)
        return _annotate_cached(corpus, options, auto_workers(workers, len(corpus)), progress, False)[0]
    root, files, hidden = corpus_files(path)  # hidden files are listed in errors: their names count
    alias = cache_store.key_of(options.key(), "files", cache_store.input_key(root, files), "hidden", *hidden)
    entry = cache_store.read_alias(alias)
    stored = _stored(entry) if entry else None
    if stored is not None:
        return stored
    corpus = read_corpus(path, progress=progress)
    annotated, key = _annotate_cached(corpus, options, auto_workers(workers, len(corpus)), progress, True)
    if key is not None and cache_store.read_alias(alias) != key:
        cache_store.write_alias(alias, key)
    return annotated


# ---------------------------------------------------------------------------------------------------
# Dask: the same per-article annotation on partitions, for corpora beyond one machine


