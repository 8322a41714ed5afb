"""Hand gold for validation: a gold folder's articles, metadata, the four gold files (actors, figures,
stance, quotes, every row with character offsets into its article) and its split, read and checked — an
offset that does not match its surface is a GoldError naming the file and line — and the corpus of a gold
folder. Imports pandas; kit.io.corpus lazily.
"""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path
from typing import NamedTuple

import pandas as pd

__all__ = ["GOLD_FILES", "VALIDATION_DIR", "Gold", "GoldError", "gold_corpus", "gold_hash", "read_gold", "text_hash"]


VALIDATION_DIR = Path(__file__).resolve().parents[2] / "tests" / "validation"
LABELS = (-1, 0, 1)
SIDES = ("russia", "west")
ACTOR_TYPES = ("person", "country", "organisation", "bloc", "region")
NOT_ACTORS = ("region",)


# file name → (columns it must have, the column that holds the span's text)
GOLD_FILES: dict[str, tuple[tuple[str, ...], str]] = {
    "actors": (("article_id", "start", "end", "surface", "actor_id", "name_en", "name_ar", "type"), "surface"),
    "figures": (("article_id", "start", "end", "surface", "value", "unit", "kind", "countries", "year"), "surface"),
    "stance": (("article_id", "start", "end", "sentence", "russia", "west", "holder_id"), "sentence"),
    "quotes": (("article_id", "start", "end", "quote", "speaker_id"), "quote"),
}


class GoldError(ValueError):
    """A gold file that cannot be used, with the file and line that say why."""


class Gold(NamedTuple):
    folder: Path
    metadata: pd.DataFrame
    texts: dict[str, str]
    actors: pd.DataFrame
    figures: pd.DataFrame
    stance: pd.DataFrame
    quotes: pd.DataFrame
    split: pd.DataFrame  # article_id, split, layers (the layers scored on the article)


def _read_text(path: Path) -> str:
    with open(path, encoding="utf-8", newline="") as handle:
        return handle.read()


def _read_csv(path: Path) -> pd.DataFrame:
    """A UTF-8 CSV (a BOM is allowed, Excel writes one) read strictly, every cell as text, with `line` = its line."""
    text = _read_text(path).lstrip("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
        rows = []
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                raise GoldError(f"{path}, line {reader.line_num}: {len(row)} fields, the header has {len(header)}")
            rows.append([*row, reader.line_num])
    except csv.Error as exc:
        raise GoldError(f"{path}, line {reader.line_num}: {exc}") from None
    except StopIteration:
        raise GoldError(f"{path}: empty file") from None
    return pd.DataFrame(rows, columns=[*header, "line"], dtype=object)


def _integer(path: Path, frame: pd.DataFrame, column: str, allowed=None, empty_ok: bool = False) -> pd.Series:
    values = []
    for raw, line in zip(frame[column], frame["line"]):
        raw = (raw or "").strip()
        if not raw and empty_ok:
            values.append(pd.NA)
            continue
        try:
            value = int(raw)
        except ValueError:
            raise GoldError(f"{path}, line {line}: {column} {raw!r} is not an integer") from None
        if allowed is not None and value not in allowed:
            raise GoldError(f"{path}, line {line}: {column} {value} is not one of {sorted(allowed)}")
        values.append(value)
    return pd.Series(values, index=frame.index, dtype="Int64")


def _gold_file(folder: Path, name: str, texts: dict[str, str]) -> pd.DataFrame:
    columns, span_column = GOLD_FILES[name]
    path = folder / f"gold_{name}.csv"
    if not path.is_file():
        return pd.DataFrame(columns=[*columns, "line"])
    frame = _read_csv(path)
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise GoldError(f"{path}, line 1: missing column(s) {', '.join(missing)}")
    frame["start"] = _integer(path, frame, "start").astype("int64")
    frame["end"] = _integer(path, frame, "end").astype("int64")
    for row in frame.itertuples():
        text = texts.get(row.article_id)
        if text is None:
            raise GoldError(f"{path}, line {row.line}: no article '{row.article_id}' in {folder / 'articles'}")
        if text[row.start:row.end] != getattr(row, span_column):
            raise GoldError(f"{path}, line {row.line}: text[{row.start}:{row.end}] is {text[row.start:row.end]!r}, not {getattr(row, span_column)!r}")
    if name == "stance":
        for side in SIDES:
            frame[side] = _integer(path, frame, side, allowed=set(LABELS)).astype("int64")
    if name == "figures":
        frame["year"] = _integer(path, frame, "year", empty_ok=True)
        frame["value"] = pd.to_numeric(frame["value"], errors="coerce")
        bad = frame["value"].isna()
        if bad.any():
            raise GoldError(f"{path}, line {frame.loc[bad, 'line'].iloc[0]}: value is not a number")
    if name == "actors":
        bad = ~frame["type"].isin(ACTOR_TYPES)
        if bad.any():
            raise GoldError(f"{path}, line {frame.loc[bad, 'line'].iloc[0]}: type {frame.loc[bad, 'type'].iloc[0]!r} is not one of {', '.join(ACTOR_TYPES)}")
    for column in ("actor_id", "holder_id", "speaker_id"):
        if column in frame.columns:
            frame[column] = frame[column].fillna("").str.strip()
    return frame


def read_gold(folder: str | Path = VALIDATION_DIR) -> Gold:
    """The gold of a folder, every offset checked (`GoldError` names the file and line of the first problem)."""
    folder = Path(folder)
    metadata_path = folder / "metadata.csv"
    if not metadata_path.is_file():
        raise GoldError(f"{metadata_path}: no such file (a gold folder holds metadata.csv, articles/ and gold_*.csv)")
    metadata = _read_csv(metadata_path)
    if "article_id" not in metadata.columns:
        raise GoldError(f"{metadata_path}, line 1: no 'article_id' column")
    texts = {}
    for article_id, line in zip(metadata["article_id"], metadata["line"]):
        path = folder / "articles" / f"{article_id}.txt"
        if not path.is_file():
            raise GoldError(f"{metadata_path}, line {line}: no file {path}")
        texts[article_id] = _read_text(path)
    tables = {name: _gold_file(folder, name, texts) for name in GOLD_FILES}
    split_path = folder / "split.csv"
    if split_path.is_file():
        split = _read_csv(split_path)[lambda f: f["article_id"].isin(texts)]
    else:
        split = pd.DataFrame({"article_id": list(texts), "split": "all"})
    if "layers" in split.columns:
        unknown = {name for cell in split["layers"] for name in str(cell).split()} - set(GOLD_FILES)
        if unknown:
            raise GoldError(f"{split_path}: layers {', '.join(sorted(unknown))} are not among {', '.join(GOLD_FILES)}")
        split = split.assign(layers=split["layers"].fillna("").map(lambda cell: " ".join(str(cell).split())))
    else:
        split = split.assign(layers=" ".join(GOLD_FILES))
    return Gold(folder, metadata, texts, split=split[["article_id", "split", "layers"]].reset_index(drop=True), **tables)


def text_hash(text: str) -> str:
    """SHA-256 of an article's text as UTF-8."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def gold_hash(gold: Gold, article_id: str) -> str:
    """SHA-256 over an article's rows in every gold file (file by file, in file order, cells joined by tabs)."""
    digest = hashlib.sha256()
    for name in GOLD_FILES:
        frame = getattr(gold, name)
        columns = [c for c in frame.columns if c != "line"]
        digest.update(f"#{name}\n".encode())
        for row in frame.loc[frame["article_id"] == article_id, columns].itertuples(index=False):
            digest.update(("\t".join("" if pd.isna(v) else str(v) for v in row) + "\n").encode("utf-8"))
    return digest.hexdigest()


def gold_corpus(gold: Gold):
    """The gold folder's articles as a `kit.Corpus` (texts from articles/, metadata from metadata.csv)."""
    from kit.io.corpus import load_corpus

    frame = gold.metadata.drop(columns=["line"]).assign(text=[gold.texts[a] for a in gold.metadata["article_id"]])
    keep = [c for c in ("article_id", "title", "source", "published", "url", "text") if c in frame.columns]
    frame = frame[keep].replace({"": None})
    return load_corpus(frame, progress=False)
