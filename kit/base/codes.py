"""Integer codes of table columns: one integer per row that groups or orders rows without comparing their text again.

Dashboards and chart builders re-count tables of 100,000 rows on every control change. They factorise each
column once (`pd.factorize`), combine the codes of several columns into one integer per row
(`combine_codes`), and count with numpy on those integers (`np.bincount`, `np.unique`) instead of grouping
strings with pandas each time. A code of -1 is a missing value, which is a value like any other here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["array_codes", "column_codes", "combine_codes", "sort_codes"]


def combine_codes(parts) -> np.ndarray:
    """One integer per row from (codes, number of values) of several columns (code -1: missing), equal for
    rows with equal codes in every column and ordered as the codes are, column by column."""
    combined = None
    for codes, size in parts:
        combined = (0 if combined is None else combined * (size + 1)) + np.asarray(codes, dtype=np.int64) + 1
    return combined


def column_codes(frame: pd.DataFrame, columns: list[str]) -> np.ndarray:
    """One integer per row, equal for rows with equal values in `columns` (a missing value is a value here)."""
    return combine_codes((codes, len(uniques)) for codes, uniques in (pd.factorize(frame[column]) for column in columns))


def array_codes(*codes: np.ndarray) -> np.ndarray:
    """One integer per row, equal for rows equal in every array of non-negative codes."""
    return combine_codes((c, int(c.max()) + 1 if len(c) else 0) for c in codes)


def sort_codes(values: pd.Series) -> tuple[np.ndarray, int]:
    """Integers 0 … n-1 that order rows as `sort_values` orders `values` (categories in their order, text
    as text, missing values last), and n."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes, size = values.cat.codes.to_numpy(), len(values.cat.categories)
    else:
        codes, uniques = pd.factorize(values, sort=True)
        size = len(uniques)
    return np.where(codes < 0, size, codes), size + 1
