"""Corpus loading: a folder of .txt files, or a .csv / .jsonl / .parquet table, into an `articles` table.

`load_corpus(path)` reads every input into one row per article (article_id, title, source, published, url,
path relative to the corpus folder, n_chars, text, encoding, plus any extra metadata columns the input has) and puts everything it could
not read into `errors` (path, row, level, reason) — nothing is dropped silently. Missing metadata is read
from the page itself (the first body line is the title, `المصدر:` lines give source and url, `تاريخ النشر:`
or a date line gives the publication date, see `kit.arabic.segments`), and a `metadata.csv` beside the corpus
overrides both (read as strictly as a corpus CSV; columns the kit computes — text, path, n_chars, encoding —
are refused with a warning). A published value that is not a plausible date (before 1800, more than a year ahead,
"today") is left empty with a warning row; a Hijri date is converted to Gregorian and its text kept in a
`published_raw` column (present when some date was converted; see `kit.arabic.dates.read_published`). With no
argument it loads the bundled seed articles. The inputs are read into records by kit.io.records; this module
turns records into the articles table. Imports kit.base, kit.arabic (dates, segments) and kit.io.records.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import numpy as np
import pandas as pd

from kit.arabic.dates import read_published
from kit.arabic.segments import default_segmenter
from kit.io.records import (
    ERROR_COLUMNS,
    SEEDS_DIR,
    TABLE_SUFFIXES,
    Log,
    csv_rows,
    file_kind,
    file_record,
    folder_records,
    max_chars,
    missing_reason,
    progress_items,
    read_decoded,
    table_records,
    too_long,
)

__all__ = ["Corpus", "load_corpus", "read_corpus", "infer_metadata", "metadata_missing", "SEEDS_DIR", "ARTICLE_COLUMNS", "ERROR_COLUMNS"]

ARTICLE_COLUMNS = ["article_id", "title", "source", "published", "url", "path", "n_chars", "text", "encoding"]
METADATA_FIELDS = ("title", "source", "published", "url")
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # an article in a CSV cell may exceed csv's 128 kB default


@dataclass
class Corpus:
    """Articles (one row each) and the inputs that could not be read (`errors`)."""

    articles: pd.DataFrame
    errors: pd.DataFrame
    origin: str = ""

    def __len__(self) -> int:
        return len(self.articles)

    def __repr__(self) -> str:
        problems = (self.errors["level"] == "error").sum() if len(self.errors) else 0
        return f"Corpus({len(self.articles)} articles, {problems} unreadable inputs) from {self.origin}"


def _clean(value) -> str | None:
    """A metadata value as stripped text, or None for empty / missing values."""
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and value != value):
        return None
    text = str(value).strip()
    return text or None


def _text_problem(text) -> str | None:
    """Why a record's `text` is not an article's text (None when it is one)."""
    if isinstance(text, str):
        return None if text.strip() else "empty or missing text"
    if text is None or text is pd.NA or (isinstance(text, float) and text != text):
        return "empty or missing text"
    kinds = ((bool, "true/false"), ((int, float, np.number), "a number"), ((list, tuple, np.ndarray), "a list"), (dict, "an object"), ((dt.date, np.datetime64), "a date"))
    kind = next((name for types, name in kinds if isinstance(text, types)), type(text).__name__)
    return f"text is {kind}, not a string"


def _unicode_problem(record: dict) -> str | None:
    """Why a record's strings cannot be stored as UTF-8: a lone surrogate such as JSON's "\\ud800"."""
    for field, value in record.items():
        for part, where in ((str(field), "the name of a field"), (value, f"field {str(field)!r}")):
            if isinstance(part, str):
                try:
                    part.encode("utf-8")
                except UnicodeEncodeError as exc:
                    return f"{where} holds {part[exc.start]!r}, half of a UTF-16 surrogate pair, which is not a character (the record is not valid Unicode)"
    return None


def _shown(value) -> str:
    """A metadata value as quoted in a warning."""
    return repr(value.isoformat() if isinstance(value, (dt.date, pd.Timestamp)) else str(value).strip() if isinstance(value, str) else value)


def _articles(records: Iterable[dict], log: Log, base: Path | None = None) -> pd.DataFrame:
    """Article rows from records; `path` is stored relative to `base` so tables do not depend on the machine."""
    rows: list[dict] = []
    first_row: dict[str, object] = {}
    for record in records:
        path, row = record.pop("path"), record.pop("row", None)
        where = f"{path}, row {row}" if row is not None else str(path)
        text = record.get("text")
        problem = _text_problem(text) or _unicode_problem(record) or (too_long(len(text)) if len(text) > max_chars() else None)
        if problem:
            log.error(path, row, f"{where}: {problem}")
            continue
        text = text.lstrip("\ufeff")
        article_id = _clean(record.get("article_id")) or (f"{Path(path).stem}:{row}" if row is not None else Path(path).stem)
        if article_id in first_row:
            log.error(path, row, f"{where}: duplicate article_id '{article_id}' (first at {first_row[article_id]})")
            continue
        first_row[article_id] = row if row is not None else path
        article = {key: value for key, value in record.items() if key not in ("text", "article_id")}
        for field in METADATA_FIELDS:  # what is missing is inferred from the text later (see infer_metadata)
            given = article.get(field)
            if field == "published":
                published = read_published(given)
                if published.problem:
                    log.warning(path, row, f"{where}: published date {_shown(given)} {published.problem}; kept as NaT (read from the text if it gives one)")
                if published.raw is not None and published.date is not None:
                    article["published_raw"] = published.raw
                article[field] = published.date
            else:
                article[field] = _clean(given)
        shown_path = os.path.relpath(path, base) if base is not None else str(path)
        article.update(article_id=article_id, text=text, path=shown_path, n_chars=len(text))
        article.setdefault("encoding", "utf-8")
        rows.append(article)
    return _article_frame(rows)


def _article_frame(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    for column in ARTICLE_COLUMNS:
        if column not in frame.columns:
            frame[column] = pd.Series(dtype="object")
    extras = [c for c in frame.columns if c not in ARTICLE_COLUMNS]
    frame = frame[ARTICLE_COLUMNS + extras]
    frame["published"] = pd.to_datetime(frame["published"]).astype("datetime64[ns]")
    frame["n_chars"] = frame["n_chars"].astype("int64")
    for column in ("article_id", "title", "source", "url", "path", "text", "encoding", "published_raw"):
        if column in frame.columns:
            frame[column] = frame[column].astype("string")
    return frame.reset_index(drop=True)


# Columns of the articles table the loader computes: a metadata.csv cannot overwrite them.
COMPUTED_COLUMNS = ("article_id", "text", "path", "n_chars", "encoding", "published_raw")


def _apply_metadata_file(articles: pd.DataFrame, metadata_path: Path, log: Log) -> pd.DataFrame:
    """The articles with the non-empty cells of a metadata.csv applied (read as strictly as a corpus CSV)."""
    decoded = read_decoded(metadata_path, log)
    if decoded is None:
        return articles
    header, records = csv_rows(metadata_path, decoded.text, log, key="article_id", missing="; metadata not applied")
    refused = [field for field in header if field in COMPUTED_COLUMNS[1:]]
    for field in refused:
        log.warning(metadata_path, 1, f"{metadata_path}, line 1: column '{field}' would overwrite what the kit reads from the article; ignored")
    articles = articles.set_index("article_id", drop=False)
    for line, record in records:
        article_id = record.pop("article_id").strip()
        if article_id not in articles.index:
            log.warning(metadata_path, line, f"{metadata_path}, line {line}: no article with id '{article_id}'")
            continue
        for field, value in record.items():
            if field in refused or not field or _clean(value) is None:
                continue
            if field == "published":
                published = read_published(value)
                if published.date is None:
                    log.warning(metadata_path, line, f"{metadata_path}, line {line}: published date {_shown(value)} {published.problem}; not applied")
                    continue
                articles.loc[article_id, "published"] = published.date
                if published.raw is not None:
                    _set_text(articles, article_id, "published_raw", published.raw)
            else:
                _set_text(articles, article_id, field, value.strip())
    return articles.reset_index(drop=True)


def _set_text(articles: pd.DataFrame, article_id: str, field: str, value: str) -> None:
    """articles[field] of one article set to a text value; a column that holds other types becomes text."""
    if field not in articles.columns or articles[field].dtype != "string":
        articles[field] = articles[field].astype("string") if field in articles.columns else pd.Series(pd.NA, index=articles.index, dtype="string")
    articles.loc[article_id, field] = value


def load_corpus(path: str | Path | pd.DataFrame | None = None, *, progress: bool | None = None) -> Corpus:
    """Load a corpus: a folder of .txt files, a .csv/.tsv/.jsonl/.parquet file with a `text` column, a
    single .txt file, or a DataFrame with a `text` column. No argument loads the bundled seed articles.

    A `metadata.csv` (article_id, title, source, published, url, ...) beside the corpus overrides what is
    inferred from the text; its non-empty cells win.
    """
    corpus = read_corpus(path, progress=progress)
    missing = metadata_missing(corpus.articles)
    segmenter = default_segmenter()
    texts = corpus.articles["text"][missing]
    headers = [segmenter.header(text) for text in progress_items(list(texts), "reading metadata", progress)]
    inferred = pd.DataFrame(headers, columns=list(METADATA_FIELDS)).assign(article_id=corpus.articles["article_id"][missing].to_numpy())
    return Corpus(infer_metadata(corpus.articles, inferred), corpus.errors, corpus.origin)


def read_corpus(path: str | Path | pd.DataFrame | None = None, *, progress: bool | None = None) -> Corpus:
    """`load_corpus` without reading missing metadata from the article texts (annotation does that in the same
    pass over each text; see `metadata_missing` and `infer_metadata`)."""
    log = Log()
    if isinstance(path, pd.DataFrame):
        if "text" not in path.columns:
            raise ValueError(f"the DataFrame has no 'text' column (columns are: {', '.join(map(str, path.columns))})")
        records = [{**r, "path": "<DataFrame>", "row": i} for i, r in enumerate(path.to_dict("records"), start=1)]
        articles = _articles(progress_items(records, "reading rows", progress), log)
        return Corpus(articles, log.frame(), "a DataFrame")
    root = Path(path) if path is not None else SEEDS_DIR
    if not root.exists():
        raise FileNotFoundError(missing_reason(root))
    if not root.is_dir() and not root.is_file():  # a FIFO, socket or device given as the corpus: never opened
        log.warning(root, None, f"{root}: {file_kind(root.stat().st_mode)}, not a regular file; not read")
        return Corpus(_article_frame([]), log.frame(), str(root))
    if root.is_dir():
        records = folder_records(root, log, progress)
        metadata_path = root / "metadata.csv"
    elif root.suffix.lower() in TABLE_SUFFIXES:
        records = progress_items(list(table_records(root, log)), f"reading {root.name}", progress)
        metadata_path = root.parent / "metadata.csv"
    elif root.suffix.lower() == ".txt":
        records = [r for r in [file_record(root, root.stem, log)] if r is not None]
        metadata_path = root.parent / "metadata.csv"
    else:
        raise ValueError(f"{root}: unsupported input; give a folder of .txt files or a {', '.join(TABLE_SUFFIXES)} file")
    articles = _articles(records, log, root if root.is_dir() else root.parent)
    if metadata_path.is_file() and metadata_path != root:
        articles = _apply_metadata_file(articles, metadata_path, log)
    elif not root.is_dir() and metadata_path != root and os.path.lexists(metadata_path):  # a folder's own entries are listed by _listed_files
        log.warning(metadata_path, None, f"{metadata_path}: not a regular file (or a broken link); metadata not applied")
    return Corpus(articles, log.frame(), str(root))


def metadata_missing(articles: pd.DataFrame) -> np.ndarray:
    """Which articles lack a title, source, url or publication date (to be read from their text)."""
    return articles[list(METADATA_FIELDS)].isna().any(axis=1).to_numpy()


def infer_metadata(articles: pd.DataFrame, inferred: pd.DataFrame) -> pd.DataFrame:
    """Articles with their missing title/source/url/published filled from `inferred` (article_id + those
    fields, as `Segmenter.header` reads them from the page); given values are kept."""
    if inferred.empty:
        return articles
    found = inferred.set_index("article_id").reindex(articles["article_id"])
    filled = articles.copy()
    for field in METADATA_FIELDS:
        values = found[field].to_numpy()
        if field == "published":
            values = pd.to_datetime(pd.Series(values, dtype="object")).astype("datetime64[ns]").to_numpy()
        filled[field] = articles[field].where(articles[field].notna(), pd.Series(values, index=articles.index).astype(articles[field].dtype))
    return filled


