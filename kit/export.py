"""Export for reports: tables as Parquet + Excel-friendly CSV, charts as PNG/SVG/PDF/HTML with their rows.

Researchers paste charts into papers and open tables in Excel, so every export is a file with a readable
name under `reports/` that never overwrites an earlier one. `write_table` writes a DataFrame as Parquet and
as CSV in UTF-8 with a BOM (so Excel shows Arabic), with list columns as JSON and spreadsheet formulas in
article text neutralised.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["excel_safe", "write_table"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _json_cell(value):
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return value


def _neutralise(value):
    """Article text that starts like a spreadsheet formula ("=HYPERLINK(...)") gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
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
