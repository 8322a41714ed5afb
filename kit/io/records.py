"""Reading corpus inputs into records, one dict per article with at least `text` and the `path` and `row`
an error names: a folder of .txt files (listed without following links out of it, unreadable entries
reported), a .csv / .tsv (delimiter sniffed), .jsonl or .parquet table; bytes decoded with the encoding they
declare or that fits (kit.base.encodings), articles beyond MAX_CHARS refused with an error row. A new input
format is a new *_records function here. Imports kit.base.
"""

from __future__ import annotations

import errno
import io
import json
import os
import stat
from pathlib import Path
from typing import Iterable, Iterator, NamedTuple

import pandas as pd

from kit.base.encodings import Decoded, DecodeError, decode
from kit.base.lexicons import csv_records

__all__ = ["ERROR_COLUMNS", "MAX_CHARS", "SEEDS_DIR", "NotRegular", "corpus_files", "file_kind", "max_chars", "read_regular"]

SEEDS_DIR = Path(__file__).resolve().parents[2] / "seeds"
ERROR_COLUMNS = ["path", "row", "level", "reason"]
TABLE_SUFFIXES = (".csv", ".tsv", ".jsonl", ".ndjson", ".parquet")
PROGRESS_MIN_ITEMS = 200


class Log:
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


def progress_items(items: list, label: str, progress: bool | None) -> Iterable:
    if progress is False or (progress is None and len(items) < PROGRESS_MIN_ITEMS):
        return items
    from tqdm.auto import tqdm

    return tqdm(items, desc=label, unit="item")


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


def read_decoded(path: Path, log: Log) -> Decoded | None:
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


def too_long(length: int, unit: str = "characters") -> str:
    return (f"the article is {length:,} {unit}, over the kit's limit of {max_chars():,} characters; not annotated "
            "(set KIT_MAX_CHARS to annotate longer articles, or split it)")


def file_record(path: Path, article_id: str, log: Log) -> dict | None:
    size = path.stat().st_size
    if size > 4 * max_chars():  # more characters than the limit whatever the encoding: never read
        log.error(path, None, f"{path}: {too_long(size, 'bytes')}")
        return None
    decoded = read_decoded(path, log)
    if decoded is None:
        return None
    return {"article_id": article_id, "text": decoded.text, "path": str(path), "encoding": decoded.encoding}


def folder_records(root: Path, log: Log, progress: bool | None) -> Iterator[dict]:
    files, unread = _listed_files(root)
    for entry in unread:
        path = root / entry.name
        (log.error if entry.level == "error" else log.warning)(path, None, f"{path}: {entry.reason}")
    for relative in progress_items(files, f"reading {root.name}", progress):
        path = root / relative
        if not relative.lower().endswith(".txt"):
            if relative != "metadata.csv":
                log.error(path, None, f"{path}: not a .txt file; a folder corpus is read from its .txt files")
            continue
        record = file_record(path, relative[: -len(".txt")], log)
        if record is not None:
            yield record


DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab"}


def _delimiter(path: Path, text: str, log: Log) -> str:
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


def _csv_records(path: Path, text: str, log: Log) -> Iterator[dict]:
    for line, row in csv_rows(path, text, log, key="text")[1]:
        yield {**row, "path": str(path), "row": line}


def csv_rows(path: Path, text: str, log: Log, *, key: str, missing: str = "") -> tuple[list[str], list[tuple[int, dict]]]:
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


def _jsonl_records(path: Path, text: str, log: Log) -> Iterator[dict]:
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


def _parquet_records(path: Path, log: Log) -> Iterator[dict]:
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


def table_records(path: Path, log: Log) -> Iterator[dict]:
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        yield from _parquet_records(path, log)
        return
    decoded = read_decoded(path, log)
    if decoded is None:
        return
    if suffix in (".csv", ".tsv"):
        yield from _csv_records(path, decoded.text, log)
    else:
        yield from _jsonl_records(path, decoded.text, log)


def corpus_files(path: str | Path | None = None) -> tuple[Path, list[str], list[str]]:
    """What `load_corpus(path)` depends on: the folder paths are relative to, every file it reads, and the
    entries it lists in `errors` without reading them (hidden files, FIFOs, broken links, loops), as
    "name: reason" (paths relative to the folder, with /)."""
    root = Path(path) if path is not None else SEEDS_DIR
    if not root.exists():
        raise FileNotFoundError(missing_reason(root))
    if root.is_dir():
        files, unread = _listed_files(root)
        return root, files, [f"{entry.name}: {entry.reason}" for entry in unread]
    siblings = ["metadata.csv"] if (root.parent / "metadata.csv").is_file() and root.name != "metadata.csv" else []
    return root.parent, [root.name, *siblings], []


def missing_reason(root: Path) -> str:
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
