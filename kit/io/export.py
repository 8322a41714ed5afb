"""Export for reports: charts as PNG/SVG/PDF/HTML with the rows behind them, tables as Parquet and CSV.

Researchers paste charts into papers and open tables in Excel, so `export_chart` writes one chart in every
format under `reports/` with a readable name that never overwrites an earlier export (a new `-2`, `-3`
suffix instead), plus a CSV of the exact rows behind it (article ids and offsets, so each number can be
traced to its sentence). Static formats are drawn by kaleido with a system Chromium found through
`BROWSER_PATH` or the PATH; with no browser the export says so and still writes the self-contained HTML
and the CSV. CSV files are UTF-8 with a BOM (so Excel shows Arabic), list columns are written as JSON and
article text that starts like a spreadsheet formula is neutralised.

Every export is reproducible: beside the files, `NAME.json` records the parameters that produced the chart
(a dashboard's filters, weights, threshold, minimum n, labels), the kit version, a hash of the corpus (its
articles' text and metadata), the hashes of the kit's data files and the time. HTML exports share one copy
of plotly.js per reports folder (`plotly.min.js`) instead of embedding 4.8 MB each.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import warnings
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["Export", "corpus_hash", "data_hashes", "default_outdir", "excel_safe", "export_chart", "find_browser", "write_table"]

STATIC_FORMATS = ("png", "svg", "pdf")
FORMATS = (*STATIC_FORMATS, "html", "csv")
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome", "microsoft-edge", "brave-browser")

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _json_cell(value):
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return value


def _neutralise(value):
    """Article text that starts like a spreadsheet formula ("=HYPERLINK(...)") gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        try:
            float(value)
        except ValueError:
            return "'" + value
    return value


def excel_safe(table: pd.DataFrame) -> pd.DataFrame:
    """A copy for CSV: list/dict cells as JSON, formula-like text neutralised, dates as ISO text."""
    out = table.copy()
    for column in out.columns:
        series = out[column]
        if pd.api.types.is_datetime64_any_dtype(series):
            out[column] = series.dt.strftime("%Y-%m-%d").astype("string")
        elif series.dtype == object or pd.api.types.is_string_dtype(series):
            out[column] = series.map(_json_cell).map(_neutralise)
    return out


def write_table(table: pd.DataFrame, stem: str | Path) -> list[Path]:
    """Write `stem`.parquet and `stem`.csv (UTF-8 with BOM); return both paths."""
    stem = Path(stem)
    stem.parent.mkdir(parents=True, exist_ok=True)
    parquet_path, csv_path = stem.with_suffix(".parquet"), stem.with_suffix(".csv")
    table.to_parquet(parquet_path, index=False)
    excel_safe(table).to_csv(csv_path, index=False, encoding="utf-8-sig")
    return [parquet_path, csv_path]


def default_outdir() -> Path:
    """Where exports go: $KIT_REPORTS when set (the tests set it), else reports/ in the working directory."""
    return Path(os.environ.get("KIT_REPORTS", "reports"))


def corpus_hash(articles: pd.DataFrame) -> str:
    """SHA-256 over every article's id, text and metadata (title, source, published, url), in id order:
    the same corpus gives the same hash wherever it is loaded."""
    columns = [c for c in ("article_id", "text", "title", "source", "published", "url") if c in articles.columns]
    digest = hashlib.sha256()
    for row in articles[columns].sort_values("article_id", kind="stable").itertuples(index=False):
        digest.update(json.dumps([None if pd.isna(v) else str(v) for v in row], ensure_ascii=False).encode("utf-8"))
    return digest.hexdigest()


@lru_cache(maxsize=1)
def data_hashes() -> dict[str, str]:
    """SHA-256 of each of the kit's data files (kit/data): which lexicons, catalogue and model drew a chart."""
    folder = Path(__file__).resolve().parents[1] / "data"
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in sorted(folder.iterdir()) if path.is_file()}


def _jsonable(value):
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (np.integer, np.floating, np.bool_)):
        return value.item()
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def write_provenance(path: Path, *, name: str, parameters: dict | None, corpus: str | None, rows: pd.DataFrame | None, files: dict) -> Path:
    """`NAME.json`: what produced an export, so it can be made again and its numbers checked."""
    from kit import __version__

    record = {
        "name": name, "kit_version": __version__, "written_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "parameters": _jsonable(parameters or {}), "corpus_hash": corpus, "data_files": data_hashes(),
        "rows": None if rows is None else int(len(rows)), "columns": None if rows is None else [str(c) for c in rows.columns],
        "files": {fmt: p.name for fmt, p in files.items()},
    }
    path.write_text(json.dumps(record, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def find_browser() -> str | None:
    """A Chromium-family browser for kaleido: $BROWSER_PATH if it exists, else the first one on the PATH."""
    configured = os.environ.get("BROWSER_PATH")
    if configured and Path(configured).exists():
        return configured
    return next((found for name in BROWSERS if (found := shutil.which(name))), None)


def _slug(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return slug or "chart"


def _free_stem(outdir: Path, name: str, suffixes) -> Path:
    """outdir/name, or name-2, name-3 ... so that no file of this export already exists."""
    base = outdir / _slug(name)
    stem, number = base, 1
    while any(stem.with_suffix(f".{suffix}").exists() for suffix in suffixes):
        number += 1
        stem = base.with_name(f"{base.name}-{number}")
    return stem


@dataclass
class Export:
    """What an export wrote (format → path) and what it could not write (format → why)."""

    paths: dict[str, Path] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)

    def __repr__(self) -> str:
        wrote = ", ".join(f"{fmt}: {path}" for fmt, path in self.paths.items())
        missed = "; ".join(f"{fmt} skipped ({why})" for fmt, why in self.skipped.items())
        return f"Export({wrote}{'; ' + missed if missed else ''})"


def export_chart(fig, rows: pd.DataFrame | None, name: str, outdir: str | Path | None = None, formats=FORMATS,
                 width: int = 1100, height: int | None = None, scale: float = 2, *, parameters: dict | None = None,
                 corpus: str | None = None) -> Export:
    """Write `fig` as PNG, SVG, PDF and HTML (plotly.js shared in the folder), `rows` (the data behind it) as
    CSV, and `NAME.json` with the `parameters` that produced it and the `corpus` hash (`corpus_hash`), under
    `outdir` with names from `name`; nothing is overwritten. Returns what was written and what was not."""
    import plotly.graph_objects as go
    import plotly.io as pio

    figure = go.Figure(fig)
    outdir = Path(outdir) if outdir else default_outdir()
    outdir.mkdir(parents=True, exist_ok=True)
    wanted = [f for f in formats if f in FORMATS and (f != "csv" or rows is not None)]
    stem = _free_stem(outdir, name, [*wanted, "json"])
    result = Export()
    if "csv" in wanted:
        path = stem.with_suffix(".csv")
        excel_safe(rows).to_csv(path, index=False, encoding="utf-8-sig")
        result.paths["csv"] = path
    if "html" in wanted:
        path = stem.with_suffix(".html")
        figure.write_html(path, include_plotlyjs="directory", full_html=True)  # plotly.min.js beside it, once per folder
        result.paths["html"] = path
    static = [f for f in wanted if f in STATIC_FORMATS]
    browser = find_browser() if static else None
    if static and browser is None:
        reason = "no Chromium or Chrome found: install chromium or set BROWSER_PATH; the HTML and CSV were written"
        warnings.warn(f"export of {name!r}: {reason}", stacklevel=2)
        result.skipped.update({f: reason for f in static})
    elif static:
        files = [stem.with_suffix(f".{f}") for f in static]
        size = {"width": width, "height": height or figure.layout.height or 700}
        previous = os.environ.get("BROWSER_PATH")
        os.environ["BROWSER_PATH"] = browser  # the browser found above, for kaleido's choreographer
        try:
            pio.write_images([figure] * len(files), files, format=list(static), scale=scale, **size)
        finally:
            if previous is None:
                del os.environ["BROWSER_PATH"]
            else:
                os.environ["BROWSER_PATH"] = previous
        result.paths.update(zip(static, files))
    result.paths["json"] = write_provenance(stem.with_suffix(".json"), name=name, parameters=parameters, corpus=corpus, rows=rows, files=dict(result.paths))
    return result
