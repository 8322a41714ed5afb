"""The annotation cache: annotated tables stored as Parquet, under a key of everything they depend on.

An entry's key hashes the input's content (every article's text and metadata; for `kit.load(path)` also
every input file's bytes), the kit's version and source code, and every data file annotation reads (the
bundled `kit/data` files, your extra actor and cue files, the morphology database). Editing a lexicon
changes the key and re-annotates; touching, moving or reopening the corpus does not. Entries are written
chunk by chunk into a temporary folder while the corpus is annotated (`EntryWriter`) and renamed into
place, so an interrupted run never leaves half an entry (and the staging folder of a process that was
killed before it could remove it is deleted by the next write: `sweep_abandoned`). Each entry's `manifest.json` records the size,
SHA-256 and row count of every Parquet file, checked when the entry is opened (and Parquet's page
checksums when a table is read): a corrupt or truncated entry is reported with a warning, deleted and
rebuilt, never loaded. Tables are read on first use, so reopening a large corpus is quick and a notebook
pays only for the tables it shows. Parquet and JSON only — no pickle. The cache lives in `$KIT_CACHE`,
else `$XDG_CACHE_HOME/arabic-news-kit`, else `~/.cache/arabic-news-kit`; deleting that folder is safe.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
import time
import uuid
import warnings
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from kit.io.records import read_regular

__all__ = ["cache_root", "code_hash", "articles_key", "input_key", "key_of", "open_entry", "Entry", "EntryWriter", "CacheWarning"]

FORMAT = 2
# A file whose modification time is this close to when its hash was recorded may still be changing within
# the clock's resolution ("racy" in git's words), so its hash is not reused next time.
RACY_SECONDS = 2.0


class CacheWarning(UserWarning):
    """The cache could not be used (corrupt entry, unwritable folder); the kit re-annotates instead."""


def cache_root() -> Path:
    """The folder of the cache (not created here)."""
    if os.environ.get("KIT_CACHE"):
        return Path(os.environ["KIT_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "arabic-news-kit"


def _digest(*parts: str | bytes) -> str:
    digest = hashlib.blake2b(digest_size=16)
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()


# What annotation reads: the offset-keeping Arabic layer, the extractors and the data-file readers below
# them, the corpus reader and the pipeline. Editing anything else (a chart, a dashboard, the reader, an
# export, validation) does not re-annotate a cached corpus; editing one of these does, even without a
# version bump. Paths are relative to the kit package; a folder counts with every module in it.
ANNOTATION_SOURCES = ("base", "arabic", "extract", "io/records.py", "io/corpus.py", "tables.py", "pipeline.py", "annotation.py")
NOT_ANNOTATION = frozenset({"extract/gazetteer.py"})  # builds gazetteer.csv; annotation reads the CSV


@lru_cache(maxsize=1)
def code_hash() -> str:
    """Hash of the source annotation runs (ANNOTATION_SOURCES, less NOT_ANNOTATION), by relative path."""
    package = Path(__file__).resolve().parents[1]
    paths = []
    for source in ANNOTATION_SOURCES:
        path = package / source
        paths += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    named = [(path.relative_to(package).as_posix(), path) for path in paths]
    return _digest(*(part for name, path in named if name not in NOT_ANNOTATION for part in (name, path.read_bytes())))


def key_of(*parts: str) -> str:
    """The key of an entry from the hashes it depends on."""
    from kit import __version__
    from kit.io.records import max_chars

    return _digest(f"format {FORMAT}", __version__, code_hash(), f"max_chars {max_chars()}", *parts)  # the limit decides what is read


def articles_key(articles: pd.DataFrame, errors: pd.DataFrame) -> str:
    """Hash of a corpus's content: every column of every article (text, metadata) and its error list."""
    digest = hashlib.blake2b(digest_size=16)
    for frame in (articles, errors):
        digest.update(json.dumps([[str(c), str(t)] for c, t in frame.dtypes.items()]).encode())
        digest.update(pd.util.hash_pandas_object(frame.astype("string"), index=False).to_numpy().tobytes())
    return digest.hexdigest()


# ---------------------------------------------------------------------------------------------------
# Input files: content hashes, reused for files whose size and modification time did not change


def _index_path(root: Path) -> Path:
    return cache_root() / "inputs" / f"{_digest(str(root.resolve()))}.json"


def _read_index(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def input_key(root: Path, names: Iterable[str]) -> str:
    """Hash of the content of the files `names` (paths relative to `root`) and of their names.

    The hash of each file is kept in a small index beside the cache, keyed by its size and modification
    time, so reopening a corpus of 100,000 files stats them instead of reading them (as git does).
    """
    index_path = _index_path(root)
    known = _read_index(index_path)
    now = time.time()
    fresh: dict[str, list] = {}
    parts: list[str] = []
    for name in names:
        path = os.path.join(root, name)
        try:
            stat = os.stat(path)
            entry = known.get(name)
            if entry and entry[0] == stat.st_size and entry[1] == stat.st_mtime_ns and entry[2]:
                content = entry[2]
            else:
                content = hashlib.blake2b(read_regular(Path(path)), digest_size=16).hexdigest()
        except OSError as exc:  # gone, unreadable, a FIFO: the loader lists it in errors; its state is the key
            parts += [name, f"unreadable: {type(exc).__name__} {exc.errno}"]
            continue
        racy = now - stat.st_mtime_ns / 1e9 < RACY_SECONDS
        fresh[name] = [stat.st_size, stat.st_mtime_ns, None if racy else content]
        parts += [name, content]
    if fresh != known:
        _write_json(index_path, fresh)
    return _digest(*parts)


def _write_json(path: Path, data) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}")
        temporary.write_text(json.dumps(data), encoding="utf-8")
        os.replace(temporary, path)
    except OSError as exc:
        warnings.warn(f"cannot write the cache index {path}: {exc}", CacheWarning, stacklevel=3)


def read_alias(name: str) -> str | None:
    """The entry key an input key points to (see `write_alias`)."""
    try:
        return json.loads((cache_root() / "aliases" / f"{name}.json").read_text(encoding="utf-8"))["entry"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write_alias(name: str, entry: str) -> None:
    """Point the key of some input files at the entry of the corpus they load into (one copy on disk)."""
    _write_json(cache_root() / "aliases" / f"{name}.json", {"entry": entry})


# ---------------------------------------------------------------------------------------------------
# Entries


def _entry_dir(key: str) -> Path:
    return cache_root() / "entries" / key


STAGING_PREFIX = ".tmp-"
ABANDONED_AFTER = 24 * 3600.0  # seconds without a write after which another machine's staging folder is abandoned
_HOST = hashlib.blake2b(socket.gethostname().encode(), digest_size=4).hexdigest()


def sweep_abandoned(entries: Path) -> list[Path]:
    """Delete staging folders that no process will finish: those of a process of this machine that is gone
    (killed, crashed, out of memory: it could not clean up), and any other not written to for a day (another
    machine's, or one named before staging folders carried their writer). Returns what was deleted."""
    swept = []
    for folder in entries.glob(f"{STAGING_PREFIX}*") if entries.is_dir() else ():
        parts = folder.name[len(STAGING_PREFIX) :].split("-")
        ours = len(parts) == 4 and parts[1] == _HOST and parts[2].isdigit()
        if (ours and not _alive(int(parts[2]))) or (not ours and _idle_seconds(folder) > ABANDONED_AFTER):
            shutil.rmtree(folder, ignore_errors=True)
            swept.append(folder)
    return swept


def _alive(pid: int) -> bool:
    if os.name != "posix":  # signal 0 asks "does it exist?" only on POSIX
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists, owned by someone else
        return True
    return True


def _idle_seconds(folder: Path) -> float:
    try:
        return time.time() - max(path.stat().st_mtime for path in [folder, *folder.iterdir()])
    except OSError:
        return 0.0


class EntryWriter:
    """Writes an entry table by table as the tables arrive, so a large corpus is never held in memory whole.

    `append(tables)` adds rows to each named table; rows are buffered and written as one Parquet row group
    per ROW_GROUP_ROWS rows, with one dictionary per category column (smaller files, faster reads).
    `commit(description)` closes the files, writes the manifest, renames the folder into place and returns
    the Entry (its files were just hashed, so they are not checked again);
    `abort()` (or an exception inside a `with` block) removes everything written so far."""

    ROW_GROUP_ROWS = 1 << 20

    def __init__(self, key: str):
        self.final = _entry_dir(key)
        sweep_abandoned(self.final.parent)
        self.staging = self.final.parent / f"{STAGING_PREFIX}{key}-{_HOST}-{os.getpid()}-{uuid.uuid4().hex}"
        self.staging.mkdir(parents=True)
        self._writers: dict[str, pq.ParquetWriter] = {}
        self._buffers: dict[str, list[pa.Table]] = {}
        self._rows: dict[str, int] = {}

    def __enter__(self) -> "EntryWriter":
        return self

    def __exit__(self, kind, value, traceback) -> None:
        if kind is not None:
            self.abort()

    def append(self, tables: dict[str, pa.Table]) -> None:
        for name, table in tables.items():
            buffer = self._buffers.setdefault(name, [])
            buffer.append(table)
            self._rows[name] = self._rows.get(name, 0) + table.num_rows
            if sum(part.num_rows for part in buffer) >= self.ROW_GROUP_ROWS:
                self._flush(name)

    def _flush(self, name: str) -> None:
        buffer = self._buffers.pop(name, [])
        if not buffer:
            return
        table = pa.concat_tables(buffer, promote_options="permissive").unify_dictionaries() if len(buffer) > 1 else buffer[0]
        writer = self._writers.get(name)
        if writer is None:
            writer = self._writers[name] = pq.ParquetWriter(
                self.staging / f"{name}.parquet", table.schema, compression="zstd", compression_level=1, write_page_checksum=True
            )
        writer.write_table(table, row_group_size=max(table.num_rows, 1))

    def commit(self, description: dict | None = None) -> "Entry":
        for name in list(self._buffers):
            self._flush(name)
        manifest = {"format": FORMAT, "created": time.strftime("%Y-%m-%dT%H:%M:%S"), "description": description or {}, "tables": {}}
        for name, writer in self._writers.items():
            writer.close()
            path = self.staging / f"{name}.parquet"
            manifest["tables"][name] = {"file": path.name, "bytes": path.stat().st_size, "sha256": _file_sha256(path), "rows": self._rows[name]}
        self._writers.clear()
        (self.staging / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
        if self.final.exists() and not (self.final / "manifest.json").is_file():
            shutil.rmtree(self.final)  # a folder without its manifest is not an entry (it was tampered with)
        try:
            os.replace(self.staging, self.final)
        except OSError:  # another process stored the same entry first
            if not (self.final / "manifest.json").is_file():
                raise
            shutil.rmtree(self.staging, ignore_errors=True)
        return Entry(self.final, manifest["tables"])  # the same tables under the same key, whoever stored them

    def abort(self) -> None:
        for writer in self._writers.values():
            try:
                writer.close()
            except (OSError, pa.ArrowException):
                pass
        self._writers.clear()
        shutil.rmtree(self.staging, ignore_errors=True)


def warn_unwritable(folder: Path, exc: Exception) -> None:
    warnings.warn(f"cannot write the annotation cache under {folder}: {exc}", CacheWarning, stacklevel=4)


class Entry:
    """A stored entry whose files were checked against its manifest; tables are read when asked for."""

    def __init__(self, folder: Path, tables: dict[str, dict]):
        self.folder, self.tables = folder, tables

    @property
    def rows(self) -> dict[str, int]:
        return {name: info["rows"] for name, info in self.tables.items()}

    def read(self, name: str, convert: Callable[[str, pa.Table], object] | None = None) -> object:
        """One table (through `convert(name, table)` if given). Its bytes were checked when the entry was
        opened; a file changed since then is an error (the entry is deleted: load the corpus again)."""
        info = self.tables[name]
        path = self.folder / info["file"]
        try:
            table = pq.read_table(path, page_checksum_verification=True)
            if table.num_rows != info["rows"]:
                raise ValueError(f"{table.num_rows} rows, the manifest says {info['rows']}")
        except (OSError, ValueError, pa.ArrowException) as exc:
            shutil.rmtree(self.folder, ignore_errors=True)
            raise RuntimeError(f"the cached table {path} changed after it was opened ({exc}); the entry is deleted, load the corpus again") from exc
        return convert(name, table) if convert else table


def open_entry(key: str) -> Entry | None:
    """The entry stored under `key`, or None if there is none. Every file's size and SHA-256 are checked
    against the manifest (the files are compressed, so this reads a fraction of what the tables hold in
    memory); a damaged entry is deleted with a warning and None returned, so the corpus is re-annotated."""
    entry = _entry_dir(key)
    manifest_path = entry / "manifest.json"
    if not manifest_path.is_file():
        return None
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        if manifest.get("format") != FORMAT:
            raise ValueError(f"format {manifest.get('format')!r}, expected {FORMAT}")
        tables = manifest["tables"]
        with ThreadPoolExecutor(max_workers=2) as pool:  # hashlib releases the GIL on large buffers
            list(pool.map(lambda info: _check_file(entry / info["file"], info), tables.values()))
        return Entry(entry, tables)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        warnings.warn(f"the cached annotation in {entry} is damaged ({exc}); it is deleted and the corpus re-annotated", CacheWarning, stacklevel=3)
        shutil.rmtree(entry, ignore_errors=True)
        return None


def _file_sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _check_file(path: Path, info: dict) -> None:
    size = path.stat().st_size
    if size != info["bytes"]:
        raise ValueError(f"{path.name} has {size} bytes, the manifest says {info['bytes']}")
    if _file_sha256(path) != info["sha256"]:
        raise ValueError(f"{path.name} does not have the SHA-256 the manifest records")
