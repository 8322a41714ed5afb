"""The researcher's label file: one CSV row per labelled sentence (its offsets and text, the labels toward
Russia and the West, the holder, when, and the kit's own labels at that moment), rewritten into a temporary
file that is flushed and renamed over the old one (os.replace) on every change, so a kernel killed mid-write
leaves the previous file whole and reopening continues where it stopped. Formulas are neutralised for
Excel. Imports pandas and kit.io.export.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from kit.extract.stance_lexicon import SIDES
from kit.io.export import FORMULA_START, excel_safe

__all__ = ["COLUMNS", "Label", "LabelFileError", "LabelStore", "atomic_write"]
LABELS = (-1, 0, 1)
COLUMNS = ("article_id", "sentence_id", "start", "end", "sentence", "russia", "west", "holder_id", "labelled_at",
           "kit_russia", "kit_west", "kit_holder_id")


_INTEGERS = ("sentence_id", "start", "end", "russia", "west", "kit_russia", "kit_west")
STALE = 60.0  # seconds after which a temporary file beside the label file is a killed write's


class LabelFileError(ValueError):
    """A label file that cannot be read, with its line."""


class Label(NamedTuple):
    article_id: str
    sentence_id: int
    start: int
    end: int
    sentence: str
    russia: int
    west: int
    holder_id: str  # "" = the author
    labelled_at: str
    kit_russia: int
    kit_west: int
    kit_holder_id: str


def _restore(value: str) -> str:
    """Undo `kit.io.export`'s formula neutralising: «'=x» was written for «=x»."""
    return value[1:] if value.startswith("'") and value[1:].startswith(FORMULA_START) else value


def _mode(path: Path) -> int:
    """The permissions of the file being replaced, or those a new file gets (temporary files are 0600)."""
    if path.exists():
        return path.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def atomic_write(path: Path, write) -> None:
    """Write a file through `write(handle)` into a temporary file beside it, flush it to disk and rename it
    over `path`: a process killed at any moment leaves either the old file or the new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = tempfile.NamedTemporaryFile("wb", dir=path.parent, prefix=f".{path.name}.", suffix=".tmp", delete=False)
    try:
        with handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(handle.name, _mode(path))
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise
    if hasattr(os, "O_DIRECTORY"):  # the rename itself reaches the disk
        descriptor = os.open(path.parent, os.O_DIRECTORY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


class LabelStore:
    """The researcher's labels, one row per sentence, in a CSV that is rewritten atomically at every change.

        store = LabelStore("reports/labels/stance_labels.csv")   # reopens what is there
        store.put(label); store.remove(article_id, sentence_id); store.table
    """

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._rows: dict[tuple[str, int], Label] = {}
        self._clean()
        if self.path.exists():
            self._rows = {(r.article_id, r.sentence_id): r for r in self._read()}

    def _clean(self, age: float = STALE) -> None:
        """Delete temporary files a killed process left beside the file (older than `age` seconds: a younger
        one may be another kernel's write in progress)."""
        now = datetime.now().timestamp()
        for stale in self.path.parent.glob(f".{self.path.name}.*.tmp"):
            try:
                if now - stale.stat().st_mtime > age:
                    stale.unlink()
            except FileNotFoundError:
                pass

    def _read(self) -> list[Label]:
        text = self.path.read_text(encoding="utf-8-sig")
        reader = csv.DictReader(io.StringIO(text, newline=""))
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or ())]
        if missing:
            raise LabelFileError(f"{self.path}, line 1: missing column(s) {', '.join(missing)}")
        rows = []
        for row in reader:
            try:
                values = {c: _restore(row[c] or "") for c in COLUMNS}
                values.update({c: int(values[c]) for c in _INTEGERS})
            except ValueError as exc:
                raise LabelFileError(f"{self.path}, line {reader.line_num}: {exc}") from None
            for side in SIDES:
                if values[side] not in LABELS:
                    raise LabelFileError(f"{self.path}, line {reader.line_num}: {side} {values[side]} is not -1, 0 or 1")
            rows.append(Label(**values))
        return rows

    def __len__(self) -> int:
        return len(self._rows)

    def __contains__(self, key) -> bool:
        return tuple(key) in self._rows

    def get(self, article_id: str, sentence_id: int) -> Label | None:
        return self._rows.get((str(article_id), int(sentence_id)))

    @property
    def labels(self) -> list[Label]:
        """The labels in the order they were given."""
        return list(self._rows.values())

    @property
    def table(self) -> pd.DataFrame:
        return pd.DataFrame(self.labels, columns=list(COLUMNS)).astype({c: "int64" for c in _INTEGERS})

    def put(self, label: Label) -> None:
        """Add a label (or replace the sentence's earlier one: the new one goes last) and write the file."""
        rows = dict(self._rows)
        key = (str(label.article_id), int(label.sentence_id))
        rows.pop(key, None)
        rows[key] = label
        self._write(rows)

    def remove(self, article_id: str, sentence_id: int) -> Label | None:
        """Take a sentence's label out (None when it has none) and write the file."""
        rows = dict(self._rows)
        removed = rows.pop((str(article_id), int(sentence_id)), None)
        if removed is not None:
            self._write(rows)
        return removed

    def _write(self, rows: dict) -> None:
        table = excel_safe(pd.DataFrame(list(rows.values()), columns=list(COLUMNS)))
        atomic_write(self.path, lambda handle: handle.write(table.to_csv(index=False).encode("utf-8-sig")))
        self._rows = rows  # only once the file holds them
