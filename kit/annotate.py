"""The annotated corpus: a handful of tidy tables joined by article_id / sentence_id.

`annotate(corpus)` runs every layer on every article and returns an `Annotated` with pandas DataFrames:
`articles` (one row per article), `sentences` (one per sentence, with its segment), `mentions` (one per actor
mention), `quotes` (one per attributed statement), `figures` (one per reported number) and `stance` (one per
body sentence that involves Russia or the West). Every span carries offsets into `articles.text`.
Annotation is per article and pure, so it runs the same in one process, in a pool of workers, or on Dask.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .corpus import Corpus, load_corpus
from .segments import default_segmenter

__all__ = ["Annotated", "annotate", "load", "TABLES", "SCHEMAS"]

TABLES = ("articles", "sentences", "mentions", "quotes", "figures", "stance")

# Column → dtype of every table the annotation produces (articles come from kit.corpus).
SCHEMAS: dict[str, dict[str, str]] = {
    "sentences": {
        "article_id": "string",
        "sentence_id": "int64",
        "segment": "string",
        "start": "int64",
        "end": "int64",
        "text": "string",
        "paragraph": "int64",
        "reason": "string",
    },
    "mentions": {
        "article_id": "string",
        "sentence_id": "int64",
        "actor_id": "string",
        "name_en": "string",
        "name_ar": "string",
        "actor_type": "string",
        "country": "string",
        "bloc": "string",
        "role": "string",
        "surface": "string",
        "start": "int64",
        "end": "int64",
        "method": "string",
    },
    "quotes": {
        "article_id": "string",
        "sentence_id": "int64",
        "speaker_id": "string",
        "speaker_en": "string",
        "verb": "string",
        "verb_start": "int64",
        "verb_end": "int64",
        "quote": "string",
        "start": "int64",
        "end": "int64",
        "method": "string",
    },
    "figures": {
        "article_id": "string",
        "sentence_id": "int64",
        "surface": "string",
        "start": "int64",
        "end": "int64",
        "value": "float64",
        "value_high": "float64",
        "unit": "string",
        "qualifier": "string",
        "value_usd": "float64",
        "equivalent_value": "float64",
        "equivalent_unit": "string",
        "kind": "string",
        "year": "Int64",
        "year_basis": "string",
        "countries": "string",
    },
    "stance": {
        "article_id": "string",
        "sentence_id": "int64",
        "holder_id": "string",
        "russia": "int64",
        "west": "int64",
        "russia_score": "float64",
        "west_score": "float64",
        "cues": "object",
    },
}


def empty_table(name: str) -> pd.DataFrame:
    """An empty table with the columns and dtypes of `name`."""
    return pd.DataFrame({column: pd.Series(dtype=dtype) for column, dtype in SCHEMAS[name].items()})


def table_from_rows(name: str, rows: list[tuple]) -> pd.DataFrame:
    """A typed table from row tuples in schema column order."""
    columns = list(SCHEMAS[name])
    frame = pd.DataFrame.from_records(rows, columns=columns) if rows else empty_table(name)
    return frame.astype(SCHEMAS[name])


@dataclass
class Annotated:
    """The annotated corpus: tidy tables joined by article_id and sentence_id."""

    articles: pd.DataFrame
    sentences: pd.DataFrame
    mentions: pd.DataFrame = field(default_factory=lambda: empty_table("mentions"))
    quotes: pd.DataFrame = field(default_factory=lambda: empty_table("quotes"))
    figures: pd.DataFrame = field(default_factory=lambda: empty_table("figures"))
    stance: pd.DataFrame = field(default_factory=lambda: empty_table("stance"))
    errors: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table by name, errors included."""
        return {name: getattr(self, name) for name in TABLES} | {"errors": self.errors}

    def body(self) -> pd.DataFrame:
        """The sentences of the article bodies (what analyses use by default)."""
        return self.sentences[self.sentences["segment"] == "body"]

    def save(self, outdir: str | Path) -> list[Path]:
        """Write every table as Parquet and as CSV (UTF-8 with BOM, for Excel); return the paths."""
        from .export import write_table

        written: list[Path] = []
        for name, table in self.tables.items():
            written.extend(write_table(table, Path(outdir) / name))
        return written

    def __repr__(self) -> str:
        sizes = ", ".join(f"{name}={len(table)}" for name, table in self.tables.items())
        return f"Annotated({sizes})"


def sentence_rows(article_id: str, text: str) -> list[tuple]:
    """Rows of the sentences table for one article."""
    return [
        (article_id, number, s.segment, s.start, s.end, text[s.start : s.end], s.paragraph, s.reason)
        for number, s in enumerate(default_segmenter().sentences(text))
    ]


def annotate(corpus: Corpus | pd.DataFrame | str | Path | None = None) -> Annotated:
    """Annotate a corpus (a Corpus, a path `load_corpus` accepts, or None for the bundled seeds)."""
    if not isinstance(corpus, Corpus):
        corpus = load_corpus(corpus)
    rows: list[tuple] = []
    for article_id, text in zip(corpus.articles["article_id"], corpus.articles["text"]):
        rows.extend(sentence_rows(article_id, text))
    return Annotated(corpus.articles, table_from_rows("sentences", rows), errors=corpus.errors)


def load(path: str | Path | None = None, **options) -> Annotated:
    """`annotate(load_corpus(path))`: with no argument, the bundled seed articles annotated."""
    return annotate(load_corpus(path), **options)
