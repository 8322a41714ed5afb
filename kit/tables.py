"""The table contract: the names, columns and dtypes of every table annotation produces (SCHEMAS), the
`Annotated` corpus that holds them, their Arrow form and its conversion to pandas, and `in_context`, which
joins an article's metadata and a sentence's segment onto any table. What viz, dashboards and analysis
build on. Imports pandas, pyarrow and kit.io.corpus (the metadata fields) only.
"""

from __future__ import annotations

from collections import namedtuple
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import pandas as pd
import pyarrow as pa

from kit.io.corpus import METADATA_FIELDS

__all__ = ["TABLES", "SCHEMAS", "CueRow", "FigureRow", "HolderRow", "MentionRow", "QuoteRow", "SentenceRow", "Annotated", "arrow_schema", "arrow_table", "concat_tables", "empty_table", "in_context", "table_from_rows", "to_arrow", "to_pandas"]


TABLES = ("articles", "sentences", "mentions", "quotes", "figures", "stance", "cues")


# Column → dtype of every table the annotation produces (articles come from kit.io.corpus). Columns that repeat
# a few values (ids, names, labels) are categorical: at 100,000 articles the mentions table alone has ~8M rows.
SCHEMAS: dict[str, dict[str, str]] = {
    "sentences": {
        "article_id": "category",
        "sentence_id": "int64",
        "segment": "category",
        "start": "int64",
        "end": "int64",
        "text": "string",
        "paragraph": "int64",
        "reason": "category",
    },
    "mentions": {
        "article_id": "category",
        "sentence_id": "int64",
        "actor_id": "category",
        "name_en": "category",
        "name_ar": "category",
        "actor_type": "category",
        "country": "category",
        "bloc": "category",
        "role": "category",
        "surface": "string",
        "start": "int64",
        "end": "int64",
        "method": "category",
    },
    "quotes": {
        "article_id": "category",
        "sentence_id": "int64",
        "speaker_id": "category",
        "speaker_en": "category",
        "verb": "category",
        "verb_start": "Int64",
        "verb_end": "Int64",
        "quote": "string",
        "start": "int64",
        "end": "int64",
        "method": "category",
        "direct": "bool",
    },
    "figures": {
        "article_id": "category",
        "sentence_id": "int64",
        "surface": "string",
        "start": "int64",
        "end": "int64",
        "value": "float64",
        "value_high": "float64",
        "unit": "category",
        "qualifier": "category",
        "value_usd": "float64",
        "usd_basis": "category",
        "equivalent_value": "float64",
        "equivalent_unit": "category",
        "kind": "category",
        "year": "Int64",
        "year_basis": "category",
        "countries": "category",
        "flag": "string",
    },
    "stance": {
        "article_id": "category",
        "sentence_id": "int64",
        "holder_id": "category",
        "russia": "int64",
        "west": "int64",
        "russia_score": "float64",
        "west_score": "float64",
    },
    "cues": {
        "article_id": "category",
        "sentence_id": "int64",
        "side": "category",
        "pattern": "category",
        "category": "category",
        "polarity": "int64",
        "weight": "float64",
        "negated": "bool",
        "start": "int64",
        "end": "int64",
    },
}


# Sentences that involve Russia or the West, with their holder: the keys of the stance table.
HOLDER_COLUMNS = ("article_id", "sentence_id", "holder_id")

# One row type per table, its fields in the schema's column order: the pipeline builds rows and reads them
# back by name (`row.start`), and a row is still a tuple, which is what `arrow_table` turns into columns.
SentenceRow = namedtuple("SentenceRow", SCHEMAS["sentences"])
MentionRow = namedtuple("MentionRow", SCHEMAS["mentions"])
QuoteRow = namedtuple("QuoteRow", SCHEMAS["quotes"])
FigureRow = namedtuple("FigureRow", SCHEMAS["figures"])
CueRow = namedtuple("CueRow", SCHEMAS["cues"])
HolderRow = namedtuple("HolderRow", HOLDER_COLUMNS)


def empty_table(name: str) -> pd.DataFrame:
    """An empty table with the columns and dtypes of `name`."""
    return pd.DataFrame({column: pd.Series(dtype=dtype) for column, dtype in SCHEMAS[name].items()})


def table_from_rows(name: str, rows: list[tuple]) -> pd.DataFrame:
    """A typed table from row tuples in schema column order."""
    return to_pandas(name, arrow_table(name, rows))


@dataclass
class Annotated:
    """The annotated corpus: tidy tables joined by article_id and sentence_id."""

    articles: pd.DataFrame
    sentences: pd.DataFrame
    mentions: pd.DataFrame = field(default_factory=lambda: empty_table("mentions"))
    quotes: pd.DataFrame = field(default_factory=lambda: empty_table("quotes"))
    figures: pd.DataFrame = field(default_factory=lambda: empty_table("figures"))
    stance: pd.DataFrame = field(default_factory=lambda: empty_table("stance"))
    cues: pd.DataFrame = field(default_factory=lambda: empty_table("cues"))
    errors: pd.DataFrame = field(default_factory=pd.DataFrame)

    @classmethod
    def stored(cls, entry) -> "Annotated":
        """The annotated corpus of a cache entry (kit.io.cache.Entry); each table is read when first used."""
        annotated = cls.__new__(cls)
        annotated.__dict__["_unread"] = {name: entry for name in (*TABLES, "errors") if name in entry.tables}
        annotated.__dict__["_rows"] = entry.rows
        return annotated

    def __getattr__(self, name: str):
        # only called for attributes not set yet: the tables of a cache entry not read so far
        unread = self.__dict__.get("_unread", {})
        if name not in unread:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        table = unread[name].read(name, to_pandas)
        setattr(self, name, table)  # a copy of this object shares `_unread` and reads its own tables
        return table

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table by name, errors included."""
        return {name: getattr(self, name) for name in TABLES} | {"errors": self.errors}

    def rows(self) -> dict[str, int]:
        """The number of rows of every table (without reading the tables of a cache entry)."""
        unread = self.__dict__.get("_unread", {})
        return {name: self._rows[name] if name in unread and name not in self.__dict__ else len(getattr(self, name)) for name in (*TABLES, "errors")}

    def body(self) -> pd.DataFrame:
        """The sentences of the article bodies (what analyses use by default)."""
        return self.sentences[self.sentences["segment"] == "body"]

    def save(self, outdir: str | Path) -> list[Path]:
        """Write every table as Parquet and as CSV (UTF-8 with BOM, for Excel); return the paths."""
        from kit.io.export import write_table

        written: list[Path] = []
        for name, table in self.tables.items():
            written.extend(write_table(table, Path(outdir) / name))
        return written

    def __repr__(self) -> str:
        sizes = ", ".join(f"{name}={rows}" for name, rows in self.rows().items())
        return f"Annotated({sizes})"


def columns_of(rows: list[tuple], row_type: type, names: Sequence[str]) -> dict[str, tuple]:
    """The columns `names` of rows of `row_type`, by name (empty columns when there are no rows)."""
    columns = list(zip(*rows)) if rows else [()] * len(row_type._fields)
    return {name: columns[row_type._fields.index(name)] for name in names}


def arrow_table(name: str, rows: list[tuple]) -> pa.Table:
    """One table of the annotation, as Arrow, from its rows (tuples in schema column order)."""
    schema = arrow_schema(name)
    columns = list(zip(*rows)) if rows else [()] * len(schema)
    arrays = [
        pa.array(values, type=pa.large_string()).dictionary_encode() if pa.types.is_dictionary(field.type) else pa.array(values, type=field.type)
        for field, values in zip(schema, columns)
    ]
    return pa.Table.from_arrays(arrays, schema=schema)


# Metadata annotation read from the pages of articles that lacked it (merged into the articles table).
INFERRED = "inferred"
INFERRED_SCHEMA = pa.schema([("article_id", pa.large_string())] + [(f, pa.timestamp("ns") if f == "published" else pa.large_string()) for f in METADATA_FIELDS])
_ARROW_TYPES = {
    "string": pa.large_string(),
    "category": pa.dictionary(pa.int32(), pa.large_string()),
    "int64": pa.int64(),
    "Int64": pa.int64(),
    "float64": pa.float64(),
    "bool": pa.bool_(),
}


def arrow_schema(name: str) -> pa.Schema:
    """The Arrow types of a table of the annotation: one fixed type per column, so that chunks concatenate."""
    return pa.schema([(column, _ARROW_TYPES[dtype]) for column, dtype in SCHEMAS[name].items()])


def to_arrow(name: str, frame: pd.DataFrame) -> pa.Table:
    """A table of the annotation as Arrow."""
    table = pa.Table.from_pandas(frame, schema=arrow_schema(name), preserve_index=False)
    return table.replace_schema_metadata(None)


def concat_tables(name: str, tables: list[pa.Table]) -> pa.Table:
    if not tables:
        return INFERRED_SCHEMA.empty_table() if name == INFERRED else arrow_table(name, [])
    if len(tables) == 1:
        return tables[0]
    # one dictionary per category column instead of one per chunk: smaller Parquet, faster to_pandas
    return pa.concat_tables(tables, promote_options="permissive").unify_dictionaries()


ARROW_STRINGS = {pa.string(): pd.StringDtype("pyarrow"), pa.large_string(): pd.StringDtype("pyarrow")}


def to_pandas(name: str, table: pa.Table) -> pd.DataFrame:
    """A pandas table in the kit's schema from its Arrow form (strings stay Arrow-backed)."""
    frame = table.to_pandas(types_mapper=ARROW_STRINGS.get, split_blocks=True)
    schema = SCHEMAS.get(name)
    if schema is None:
        return frame
    frame = frame.astype(schema)
    for column in frame.columns[frame.dtypes == "category"]:  # the same category order however the chunks came
        categories = frame[column].cat.categories
        if not categories.is_monotonic_increasing:
            frame[column] = frame[column].cat.reorder_categories(sorted(categories))
    return frame


def in_context(table: pd.DataFrame, annotated, columns=("source", "title", "published", "month", "segment")) -> pd.DataFrame:
    """A table with its article's source/title/publication month and its sentence's segment joined on."""
    out = table
    articles = annotated.articles.assign(month=annotated.articles["published"].dt.to_period("M").astype("string"))
    wanted = [c for c in columns if c in articles.columns and c not in out.columns]
    if wanted:
        out = out.merge(articles[["article_id", *wanted]], on="article_id", how="left")
    if "segment" in columns and "segment" not in out.columns and "sentence_id" in out.columns:
        out = out.merge(annotated.sentences[["article_id", "sentence_id", "segment"]], on=["article_id", "sentence_id"], how="left")
    return out
