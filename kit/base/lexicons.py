"""Editable data files: read a CSV from `kit/data/` (or a researcher's own), validate it, name the bad line.

Every piece of linguistic knowledge the kit uses — actors, stance cues, currencies, exchange rates, month
names, segment markers, letter folding — is a small CSV a researcher can open in Excel and edit without
touching code. `read_table` reads one such file (UTF-8 with or without BOM, `#` comment lines allowed),
checks each row against a list of `Column`s and raises one `LexiconError` that names the file and the line
of every malformed row. `data_hash` fingerprints the data files so caches know when a lexicon changed.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Callable, Iterable, Iterator, NamedTuple, Sequence

import pandas as pd

from kit.base.encodings import DecodeError, decode

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
MAX_REPORTED = 25


class LexiconError(ValueError):
    """A data file is malformed; the message names the file and the line of each problem."""


@dataclass(frozen=True)
class Column:
    """One column of a data file: its name, type and whether it may be empty.

    kind is one of: str, int, float, date (YYYY-MM-DD), regex (compiled to check), bool (0/1/true/false),
    choice (one of `choices`), list (`|`-separated strings).
    """

    name: str
    kind: str = "str"
    required: bool = False
    choices: tuple[str, ...] = ()


def data_path(name: str) -> Path:
    """Path of a bundled data file, e.g. data_path('actors.csv')."""
    return DATA_DIR / name


class CsvRecord(NamedTuple):
    """One record of a CSV text: the lines it spans, and its fields or why it could not be read."""

    line: int  # its first line
    last_line: int  # its last line: a quoted cell may run over several lines
    fields: list[str] | None
    problem: str | None = None


def csv_records(text: str, delimiter: str = ",", skip_comments: bool = False) -> Iterator[CsvRecord]:
    """The records of a CSV text with their line numbers (strict csv, so malformed rows are found).

    Lines end at \n, \r\n or \r as in csv and spreadsheets (not at U+2028 or U+0085, which str.splitlines
    would also cut at and which a cell of Arabic text may hold). A malformed record — a quotation mark left
    open, text after a closing mark — comes with `fields` None and the `problem`, and reading starts again
    at the line after its first line, so a quotation mark left open does not swallow the rows after it.
    `skip_comments` skips empty lines and lines starting with #.
    """
    restart: tuple[int, int] | None = (0, 1)  # (offset, line number) to read from
    while restart is not None:
        restart = yield from _records_from(text, *restart, delimiter=delimiter, skip_comments=skip_comments)


def _records_from(text: str, offset: int, first_number: int, *, delimiter: str, skip_comments: bool):
    """csv_records from `offset` (the start of line `first_number`) up to the first malformed record;
    returns where to start again after it (None at the end of the text)."""
    consumed: list[tuple[int, int]] = []  # (number, offset of the end) of the lines csv has read so far

    def numbered() -> Iterator[str]:
        buffer = io.StringIO(text, newline="")
        buffer.seek(offset)
        end = offset
        for number, line in enumerate(buffer, start=first_number):
            end += len(line)
            if skip_comments and (not line.strip() or line.lstrip().startswith("#")):
                continue
            consumed.append((number, end))
            yield line

    reader = csv.reader(numbered(), delimiter=delimiter, strict=True)
    while True:
        used = len(consumed)
        try:
            fields = next(reader)
        except StopIteration:
            return None
        except csv.Error as exc:
            if not consumed:
                yield CsvRecord(first_number, first_number, None, f"not readable as CSV ({exc})")
                return None
            first, after = consumed[used] if len(consumed) > used else consumed[-1]
            last = consumed[-1][0]
            if "end of data" in str(exc):
                problem = f"a quotation mark is left open (the row runs on to the end of the file, line {last})"
            elif last > first:  # a quoted cell that ran over lines until csv gave up
                problem = f"a quotation mark is left open (the row runs on to line {last}, where csv stops: {exc})"
            else:
                problem = f"not readable as CSV ({exc})"
            yield CsvRecord(first, last, None, problem)
            return (after, first + 1) if after < len(text) else None
        yield CsvRecord(consumed[used][0], consumed[-1][0], fields)


def _read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise LexiconError(f"{path}: cannot read ({exc.strerror or exc})") from None
    try:
        decoded = decode(raw, name=str(path))
    except DecodeError as exc:
        raise LexiconError(str(exc)) from None
    if decoded.replaced:
        raise LexiconError(
            f"{path}, line {decoded.first_replaced_line}: {decoded.replaced} byte(s) that are not valid UTF-8; save the file as UTF-8"
        )
    return decoded.text


def _convert(value: str, column: Column):
    """Return the typed value or raise ValueError with a short reason."""
    kind = column.kind
    if kind in ("str",):
        return value
    if kind == "int":
        return int(value)
    if kind == "float":
        number = float(value)
        if number != number:  # NaN
            raise ValueError("not a number")
        return number
    if kind == "date":
        return date.fromisoformat(value)
    if kind == "regex":
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"invalid regular expression ({exc})") from None
        return value
    if kind == "bool":
        lowered = value.lower()
        if lowered in ("1", "true", "yes"):
            return True
        if lowered in ("0", "false", "no"):
            return False
        raise ValueError("expected 1/0 or true/false")
    if kind == "choice":
        if value not in column.choices:
            raise ValueError(f"must be one of {', '.join(column.choices)}")
        return value
    if kind == "list":
        return tuple(part.strip() for part in value.split("|") if part.strip())
    raise AssertionError(f"unknown column kind {kind}")


def read_table(
    path: str | Path,
    columns: Sequence[Column],
    *,
    row_check: Callable[[dict], str | None] | None = None,
) -> pd.DataFrame:
    """Read and validate one data file; return its rows as a DataFrame with a `line` column.

    Extra columns the schema does not know are kept as strings (researchers may annotate their files).
    Missing optional columns are added empty. `row_check(row)` may return a reason to reject a row.
    """
    path = Path(path)
    records = csv_records(_read_text(path), skip_comments=True)
    header = _header(path, next(records, None), columns)
    known = {column.name for column in columns}
    problems: list[str] = []
    rows: list[dict] = []
    for line, last, fields, problem in records:
        if fields is None:
            problems.append(f"{path}, line {line}: {problem}")
        elif len(fields) != len(header):
            runs_on = f" (the row runs on to line {last}: is a quotation mark left open?)" if last > line else ""
            problems.append(f"{path}, line {line}: expected {len(header)} fields, found {len(fields)}{runs_on}")
        else:
            rows.append(_row(path, line, dict(zip(header, (value.strip() for value in fields))), columns, known, row_check, problems))
    if problems:
        shown = problems[:MAX_REPORTED]
        more = f"\n... and {len(problems) - len(shown)} more" if len(problems) > len(shown) else ""
        raise LexiconError("\n".join(shown) + more)
    names = ["line"] + [c.name for c in columns] + [n for n in header if n not in known]
    # object dtype keeps None for empty cells (pandas would turn them into NaN inside string columns)
    return pd.DataFrame(rows, columns=names, dtype=object)


def _header(path: Path, first: CsvRecord | None, columns: Sequence[Column]) -> list[str]:
    """The column names of a data file's header record, which must hold every required column."""
    if first is None:
        raise LexiconError(f"{path}: the file has no header line")
    if first.fields is None:
        raise LexiconError(f"{path}, line {first.line}: {first.problem}")
    header = [name.strip() for name in first.fields]
    missing = [c.name for c in columns if c.required and c.name not in header]
    if missing:
        raise LexiconError(f"{path}, line {first.line}: header lacks required column(s) {', '.join(missing)}")
    return header


def _row(path: Path, line: int, raw: dict[str, str], columns: Sequence[Column], known: set[str],
         row_check: Callable[[dict], str | None] | None, problems: list[str]) -> dict:
    """One record converted by the schema; what is wrong with it is appended to `problems`."""
    row: dict = {"line": line}
    problems_before = len(problems)
    for column in columns:
        value = raw.get(column.name, "")
        if value == "":
            if column.required:
                problems.append(f"{path}, line {line}: column '{column.name}' is empty")
            row[column.name] = () if column.kind == "list" else None
            continue
        try:
            row[column.name] = _convert(value, column)
        except ValueError as exc:
            problems.append(f"{path}, line {line}: column '{column.name}' = {value!r}: {exc}")
    row.update((name, value) for name, value in raw.items() if name not in known)
    if row_check is not None and len(problems) == problems_before:
        reason = row_check(row)
        if reason:
            problems.append(f"{path}, line {line}: {reason}")
    return row


def file_hash(path: str | Path) -> str:
    """Short content hash of one file."""
    return hashlib.blake2b(Path(path).read_bytes(), digest_size=12).hexdigest()


def data_hash(paths: Iterable[str | Path] | None = None) -> str:
    """Fingerprint of the data files (all bundled ones by default): changes when any of them is edited."""
    if paths is None:
        paths = sorted(DATA_DIR.glob("*.csv")) + sorted(DATA_DIR.glob("*.json")) + sorted(DATA_DIR.glob("*.npz"))
    digest = hashlib.blake2b(digest_size=12)
    for path in paths:
        digest.update(Path(path).name.encode())
        digest.update(file_hash(path).encode())
    return digest.hexdigest()
