"""Reports of one quantity that disagree: figures with the same countries, kind, year and unit class in
different articles whose values differ by more than a tolerance. Reads the figures table; imports kit.base and
kit.extract.figure_lexicon (its kinds).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kit.base.codes import combine_codes, sort_codes
from kit.extract.figure_lexicon import PERCENT_KINDS

__all__ = ["conflicts"]


def conflicts(figures: pd.DataFrame, articles: pd.DataFrame | None = None, tolerance: float = 0.02) -> pd.DataFrame:
    """Figures that measure the same thing (same countries, kind, year and unit class) in different
    articles and disagree by more than `tolerance` (relative to the smallest value): one row per figure,
    with conflict_id, spread and each figure's article and source. Counts and percentages are compared
    as given, money in US dollars. (Rows are handled as positions; only the flagged ones are read.)"""
    if articles is not None and "source" not in figures.columns:
        figures = figures.merge(articles[["article_id", "source"]], on="article_id", how="left")
    usd = figures["value_usd"].to_numpy(dtype=float, na_value=np.nan)
    measure = np.where(np.isnan(usd), figures["value"].to_numpy(dtype=float, na_value=np.nan), usd)
    usable = figures["countries"].notna() & figures["year"].notna() & (figures["countries"] != "") & ~figures["kind"].isin(PERCENT_KINDS)
    at = np.flatnonzero(usable.to_numpy(dtype=bool) & ~np.isnan(measure))
    keys = ["countries", "kind", "year", "unit_class"]
    unit_class, classes = _unit_classes(figures["unit"], figures["value_usd"])
    group = _groups_in_order(figures[keys[:-1]].iloc[at], unit_class[at], len(classes))
    article, ids = pd.factorize(figures["article_id"].iloc[at])
    groups, span, measure = int(group.max()) + 1 if len(group) else 0, max(len(ids), 1), measure[at]
    pairs = np.sort(group * span + article)  # each (group, article) once: how many articles a group has
    articles = np.bincount(pairs[np.r_[True, pairs[1:] != pairs[:-1]]] // span, minlength=groups) if len(pairs) else np.zeros(0, dtype=np.int64)
    by_measure = np.lexsort((measure, group))
    bounds = np.searchsorted(group[by_measure], np.arange(groups + 1))
    low, high = measure[by_measure[bounds[:-1]]], measure[by_measure[bounds[1:] - 1]]
    with np.errstate(divide="ignore", invalid="ignore"):
        spread = np.where(low != 0, (high - low) / low, np.nan)
    flagged = (articles > 1) & (spread > tolerance)
    conflict_id = np.cumsum(flagged)  # 1, 2, ... in key order
    rows = np.flatnonzero(flagged[group]) if len(group) else np.zeros(0, dtype=np.int64)
    rows = rows[np.lexsort((measure[rows], conflict_id[group[rows]]))]
    taken = at[rows]
    found = {"conflict_id": conflict_id[group[rows]], "spread": spread[group[rows]],
             "unit_class": pd.Series(np.array([*classes, np.nan], dtype=object)[unit_class[taken]], dtype=pd.Series(["USD"]).dtype)}
    if "source" not in figures.columns:
        found["source"] = pd.Series(pd.NA, index=range(len(taken)), dtype=object)
    columns = ["conflict_id", *keys, "spread", "article_id", "source", "sentence_id", "surface", "value", "unit", "value_usd", "qualifier", "year_basis", "start", "end"]
    return pd.DataFrame({c: found[c] if c in found else figures[c].iloc[taken].reset_index(drop=True) for c in columns if c in found or c in figures.columns})


def _unit_classes(units: pd.Series, value_usd: pd.Series) -> tuple[np.ndarray, list[str]]:
    """What each figure's value is compared in, as a code into the sorted class names (a missing unit:
    len(names)): "USD" when it has a dollar value, else its unit."""
    unit, seen = pd.factorize(units)
    names = sorted({"USD", *map(str, seen)})
    place = np.array([*(names.index(str(u)) for u in seen), len(names)], dtype=np.int64)
    return np.where(value_usd.notna().to_numpy(), names.index("USD"), place[unit]), names


def _groups_in_order(table: pd.DataFrame, unit_class: np.ndarray, classes: int) -> np.ndarray:
    """Each row's group of equal columns and unit class, numbered as a sorted groupby numbers them
    (missing values last)."""
    combined = combine_codes([*(sort_codes(table[column]) for column in table.columns), (unit_class, classes + 1)])
    return np.unique(combined, return_inverse=True)[1].ravel()
