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
argument it loads the bundled seed articles.
"""

from __future__ import annotations

import csv
import datetime as dt
import errno
import io
import json
import os
import stat
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, NamedTuple

import numpy as np
import pandas as pd

from kit.arabic.dates import read_published
from kit.arabic.segments import default_segmenter
from kit.base.encodings import Decoded, DecodeError, decode
from kit.base.lexicons import csv_records

__all__ = ["Corpus", "load_corpus", "read_corpus", "corpus_files", "infer_metadata", "metadata_missing", "SEEDS_DIR", "ARTICLE_COLUMNS", "ERROR_COLUMNS"]

SEEDS_DIR = Path(__file__).resolve().parents[2] / "seeds"
ARTICLE_COLUMNS = ["article_id", "title", "source", "published", "url", "path", "n_chars", "text", "encoding"]
ERROR_COLUMNS = ["path", "row", "level", "reason"]
METADATA_FIELDS = ("title", "source", "published", "url")
TABLE_SUFFIXES = (".csv", ".tsv", ".jsonl", ".ndjson", ".parquet")
PROGRESS_MIN_ITEMS = 200
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


class _Log:
    """Collects error rows while loading."""

    def __init__(self) -> None:
        self.rows: list[dict] = []

    def error(self, path, row, reason: str) -> None:
        self.rows.append({"path": str(path), "row": row, "level": "error", "reason": reason})

    def warning(self, path, row, reason: str) -> None:
        self.rows.append({"path": str(path), "row": row, "level": "warning", "reason": reason})

    def frame(self) -> pd.DataFrame:
        frame = pd.DataFrame(self.rows, columns=ERROR_COLUMNS)
        frame = frame.astype({"path": "string[pyarrow]", "row": "Int64", "level": "string[pyarrow]", "reason": "string[pyarrow]"})
        return frame


def _progress(items: list, label: str, progress: bool | None) -> Iterable:
    if progress is False or (progress is None and len(items) < PROGRESS_MIN_ITEMS):
        return items
    from tqdm.auto import tqdm

    return tqdm(items, desc=label, unit="item")


# ---------------------------------------------------------------------------------------------------
# Records: each input yields dicts with at least `text`, plus `path` and `row` for error messages


class NotRegular(OSError):
    """A FIFO, socket or device where a file was expected: reading it could block for ever."""


def file_kind(mode: int) -> str | None:
    """What a stat mode is when it is not a regular file or a folder ("a FIFO", "a socket", ...), else None."""
    kinds = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"))
    return next((name for test, name in kinds if test(mode)), None)


def read_regular(path: Path) -> bytes:
    """The bytes of a regular file; NotRegular for a FIFO, socket or device (opened without blocking, never read)."""
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegular(f"{file_kind(mode) or 'a folder'}, not a regular file")
        with os.fdopen(descriptor, "rb", closefd=False) as handle:
            return handle.read()
    finally:
        os.close(descriptor)


def _decoded(path: Path, log: _Log) -> Decoded | None:
    """The file's text, or None with the reason logged; replaced invalid bytes are logged as a warning."""
    try:
        decoded = decode(read_regular(path), name=str(path))
    except DecodeError as exc:
        log.error(path, None, str(exc))
        return None
    except NotRegular as exc:
        log.warning(path, None, f"{path}: {exc}; not read")
        return None
    except OSError as exc:
        log.error(path, None, f"{path}: cannot read ({exc.strerror or exc})")
        return None
    if decoded.replaced:
        line = decoded.first_replaced_line
        log.warning(path, None, f"{path}, line {line}: {decoded.replaced} invalid UTF-8 byte(s) replaced by U+FFFD (first on line {line})")
    return decoded


MAX_CHARS = 12_000_000  # an article longer than this is refused (an error row), not annotated; $KIT_MAX_CHARS changes it


def max_chars() -> int:
    """The longest article the kit annotates, in characters: $KIT_MAX_CHARS, else MAX_CHARS (news articles
    run to tens of thousands; a multi-megabyte «article» is a dump, and annotating it would take minutes and
    gigabytes)."""
    value = os.environ.get("KIT_MAX_CHARS", "")
    return int(value) if value.strip().isdigit() else MAX_CHARS


def _too_long(length: int, unit: str = "characters") -> str:
    return (f"the article is {length:,} {unit}, over the kit's limit of {max_chars():,} characters; not annotated "
            "(set KIT_MAX_CHARS to annotate longer articles, or split it)")


def _file_record(path: Path, article_id: str, log: _Log) -> dict | None:
    size = path.stat().st_size
    if size > 4 * max_chars():  # more characters than the limit whatever the encoding: never read
        log.error(path, None, f"{path}: {_too_long(size, 'bytes')}")
        return None
    decoded = _decoded(path, log)
    if decoded is None:
        return None
    return {"article_id": article_id, "text": decoded.text, "path": str(path), "encoding": decoded.encoding}


def _folder_records(root: Path, log: _Log, progress: bool | None) -> Iterator[dict]:
    files, unread = _listed_files(root)
    for entry in unread:
        path = root / entry.name
        (log.error if entry.level == "error" else log.warning)(path, None, f"{path}: {entry.reason}")
    for relative in _progress(files, f"reading {root.name}", progress):
        path = root / relative
        if not relative.lower().endswith(".txt"):
            if relative != "metadata.csv":
                log.error(path, None, f"{path}: not a .txt file; a folder corpus is read from its .txt files")
            continue
        record = _file_record(path, relative[: -len(".txt")], log)
        if record is not None:
            yield record


DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab"}


def _delimiter(path: Path, text: str, log: _Log) -> str:
    """The delimiter of a CSV/TSV text: the one that splits its header line into a `text` column (else into
    the most columns); a warning row says so when it is not the default of the file's suffix."""
    default = "\t" if path.suffix.lower() == ".tsv" else ","
    header = next(iter(io.StringIO(text, newline="")), "")
    columns = {}
    for delimiter in DELIMITERS:
        first = next(csv_records(header, delimiter), None)
        fields = [f.strip().lstrip("\ufeff") for f in first.fields] if first and first.fields else []
        columns[delimiter] = ("text" in fields, len(fields), delimiter == default)
    chosen = max(columns, key=columns.get)
    if chosen != default:
        log.warning(path, 1, f"{path}: read with the {DELIMITERS[chosen]} ({chosen!r}) as delimiter, not the {DELIMITERS[default]}: its header line splits into {columns[chosen][1]} columns with it")
    return chosen


def _csv_records(path: Path, text: str, log: _Log) -> Iterator[dict]:
    for line, row in _csv_rows(path, text, log, key="text")[1]:
        yield {**row, "path": str(path), "row": line}


def _csv_rows(path: Path, text: str, log: _Log, *, key: str, missing: str = "") -> tuple[list[str], list[tuple[int, dict]]]:
    """The header of a CSV/TSV text and its rows (first line, dict), read strictly: a malformed row (a
    quotation mark left open, a wrong number of fields) is an error naming its line, and reading goes on
    with the next line. A text without a `key` column has no rows (`missing` ends the error)."""
    records = csv_records(text, _delimiter(path, text, log))
    first = next(records, None)
    if first is None or first.fields is None:
        log.error(path, None if first is None else first.line, f"{path}: the file has no header line" if first is None else f"{path}, line {first.line}: {first.problem}")
        return [], []
    header = [name.strip() for name in first.fields]
    if key not in header:
        log.error(path, 1, f"{path}: no '{key}' column (columns are: {', '.join(header)}){missing}")
        return header, []
    rows = []
    for line, last, fields, problem in records:
        if fields is None:  # e.g. a quotation mark left open, which would swallow the rows after it
            log.error(path, line, f"{path}, line {line}: {problem}")
            continue
        if not any(field.strip() for field in fields):
            continue
        if len(fields) != len(header):
            runs_on = f" (the row runs on to line {last}: is a quotation mark left open?)" if last > line else ""
            log.error(path, line, f"{path}, line {line}: expected {len(header)} fields, found {len(fields)}{runs_on}")
            continue
        rows.append((line, dict(zip(header, fields))))
    return header, rows


def _jsonl_records(path: Path, text: str, log: _Log) -> Iterator[dict]:
    seen_text_field = False
    # JSON Lines are separated by \n only: str.splitlines would also cut at U+2028, U+0085 ... which JSON
    # strings may hold unescaped (and which scraped Arabic text does hold)
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            log.error(path, number, f"{path}, line {number}: not valid JSON ({exc.msg} at column {exc.colno})")
            continue
        if not isinstance(record, dict):
            log.error(path, number, f"{path}, line {number}: expected a JSON object, found {type(record).__name__}")
            continue
        seen_text_field = seen_text_field or "text" in record
        yield {**record, "path": str(path), "row": number}
    if not seen_text_field:
        log.error(path, None, f"{path}: no record has a 'text' field")


def _parquet_records(path: Path, log: _Log) -> Iterator[dict]:
    try:
        frame = pd.read_parquet(path)
    except Exception as exc:  # pyarrow raises several types for corrupt files
        log.error(path, None, f"{path}: not a readable Parquet file ({exc})")
        return
    if "text" not in frame.columns:
        log.error(path, None, f"{path}: no 'text' column (columns are: {', '.join(map(str, frame.columns))})")
        return
    for number, record in enumerate(frame.to_dict("records"), start=1):
        yield {**record, "path": str(path), "row": number}


def _table_records(path: Path, log: _Log) -> Iterator[dict]:
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        yield from _parquet_records(path, log)
        return
    decoded = _decoded(path, log)
    if decoded is None:
        return
    if suffix in (".csv", ".tsv"):
        yield from _csv_records(path, decoded.text, log)
    else:
        yield from _jsonl_records(path, decoded.text, log)


# ---------------------------------------------------------------------------------------------------
# Records → articles


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


def _articles(records: Iterable[dict], log: _Log, base: Path | None = None) -> pd.DataFrame:
    """Article rows from records; `path` is stored relative to `base` so tables do not depend on the machine."""
    rows: list[dict] = []
    first_row: dict[str, object] = {}
    for record in records:
        path, row = record.pop("path"), record.pop("row", None)
        where = f"{path}, row {row}" if row is not None else str(path)
        text = record.get("text")
        problem = _text_problem(text) or _unicode_problem(record) or (_too_long(len(text)) if len(text) > max_chars() else None)
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


def _apply_metadata_file(articles: pd.DataFrame, metadata_path: Path, log: _Log) -> pd.DataFrame:
    """The articles with the non-empty cells of a metadata.csv applied (read as strictly as a corpus CSV)."""
    decoded = _decoded(metadata_path, log)
    if decoded is None:
        return articles
    header, records = _csv_rows(metadata_path, decoded.text, log, key="article_id", missing="; metadata not applied")
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
    headers = [segmenter.header(text) for text in _progress(list(texts), "reading metadata", progress)]
    inferred = pd.DataFrame(headers, columns=list(METADATA_FIELDS)).assign(article_id=corpus.articles["article_id"][missing].to_numpy())
    return Corpus(infer_metadata(corpus.articles, inferred), corpus.errors, corpus.origin)


def read_corpus(path: str | Path | pd.DataFrame | None = None, *, progress: bool | None = None) -> Corpus:
    """`load_corpus` without reading missing metadata from the article texts (annotation does that in the same
    pass over each text; see `metadata_missing` and `infer_metadata`)."""
    log = _Log()
    if isinstance(path, pd.DataFrame):
        if "text" not in path.columns:
            raise ValueError(f"the DataFrame has no 'text' column (columns are: {', '.join(map(str, path.columns))})")
        records = [{**r, "path": "<DataFrame>", "row": i} for i, r in enumerate(path.to_dict("records"), start=1)]
        articles = _articles(_progress(records, "reading rows", progress), log)
        return Corpus(articles, log.frame(), "a DataFrame")
    root = Path(path) if path is not None else SEEDS_DIR
    if not root.exists():
        raise FileNotFoundError(_missing(root))
    if not root.is_dir() and not root.is_file():  # a FIFO, socket or device given as the corpus: never opened
        log.warning(root, None, f"{root}: {file_kind(root.stat().st_mode)}, not a regular file; not read")
        return Corpus(_article_frame([]), log.frame(), str(root))
    if root.is_dir():
        records = _folder_records(root, log, progress)
        metadata_path = root / "metadata.csv"
    elif root.suffix.lower() in TABLE_SUFFIXES:
        records = _progress(list(_table_records(root, log)), f"reading {root.name}", progress)
        metadata_path = root.parent / "metadata.csv"
    elif root.suffix.lower() == ".txt":
        records = [r for r in [_file_record(root, root.stem, log)] if r is not None]
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


def corpus_files(path: str | Path | None = None) -> tuple[Path, list[str], list[str]]:
    """What `load_corpus(path)` depends on: the folder paths are relative to, every file it reads, and the
    entries it lists in `errors` without reading them (hidden files, FIFOs, broken links, loops), as
    "name: reason" (paths relative to the folder, with /)."""
    root = Path(path) if path is not None else SEEDS_DIR
    if not root.exists():
        raise FileNotFoundError(_missing(root))
    if root.is_dir():
        files, unread = _listed_files(root)
        return root, files, [f"{entry.name}: {entry.reason}" for entry in unread]
    siblings = ["metadata.csv"] if (root.parent / "metadata.csv").is_file() and root.name != "metadata.csv" else []
    return root.parent, [root.name, *siblings], []


def _missing(root: Path) -> str:
    """Why a path given to the loader does not exist."""
    if root.is_symlink():
        try:
            root.stat()
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                return f"{root}: a loop of symbolic links"
        return f"{root}: a symbolic link to {os.readlink(root)}, which does not exist"
    return f"{root}: no such file or folder"


class Unread(NamedTuple):
    """An entry of a corpus folder that is listed in `errors` instead of being read."""

    name: str  # relative to the folder, with /
    level: str
    reason: str


def _listed_files(root: Path) -> tuple[list[str], list[Unread]]:
    """Every regular file under a corpus folder in a stable order, and the entries that are not read: hidden
    files and folders (names starting with a dot: .git, .DS_Store, .ipynb_checkpoints), FIFOs, sockets and
    devices, broken symbolic links and links that loop. Links to files and folders are followed, inside and
    outside the folder; a link back to a folder being walked is a loop. Paths are relative to the folder
    (plain strings: a corpus may hold 100,000 files)."""
    found: list[str] = []
    unread: list[Unread] = []
    top = os.stat(root)
    stack: list[tuple[str, str, frozenset]] = [(str(root), "", frozenset({(top.st_dev, top.st_ino)}))]
    while stack:
        folder, prefix, ancestors = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError as exc:
            unread.append(Unread(prefix.rstrip("/"), "error", f"folder cannot be read ({exc.strerror or exc})"))
            continue
        for entry in entries:
            name = prefix + entry.name
            if entry.name.startswith("."):
                unread.append(Unread(name, "warning", f"hidden {'folder' if entry.is_dir() else 'file'}, not read"))
                continue
            if entry.is_file(follow_symlinks=False):  # the common case, known from the listing without a stat
                found.append(name)
                continue
            try:
                info = os.stat(entry.path)  # through links
            except OSError as exc:
                unread.append(Unread(name, "error", _unstatable(entry, exc)))
                continue
            is_folder = stat.S_ISDIR(info.st_mode)
            if is_folder and (info.st_dev, info.st_ino) in ancestors:
                unread.append(Unread(name, "error", f"a symbolic link to {os.readlink(entry.path) if entry.is_symlink() else 'a folder'} that contains it: a loop, not followed"))
            elif is_folder:
                stack.append((entry.path, name + "/", ancestors | {(info.st_dev, info.st_ino)}))
            elif stat.S_ISREG(info.st_mode):
                found.append(name)
            else:
                unread.append(Unread(name, "warning", f"{file_kind(info.st_mode) or 'not a regular file'}, not a regular file; not read"))
    return sorted(found), sorted(unread)


def _unstatable(entry: os.DirEntry, exc: OSError) -> str:
    if not entry.is_symlink():
        return f"cannot be read ({exc.strerror or exc})"
    if exc.errno == errno.ELOOP:
        return f"a loop of symbolic links ({os.readlink(entry.path)})"
    return f"a symbolic link to {os.readlink(entry.path)}, which does not exist"
