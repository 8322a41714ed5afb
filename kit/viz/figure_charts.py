"""Charts of figures: one bar per reported quantity at the median of its reports with their range
(reports of one quantity are never added up: `figure_groups`), and the conflicts between sources. Imports
kit.extract.figure_lexicon (the kinds), kit.viz.common and kit.viz.theme.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from kit.base.codes import array_codes, combine_codes, sort_codes
from kit.extract.figure_lexicon import MONEY_KINDS
from kit.viz.common import (
    chart_layout,
    countries_label,
    first_positions,
    label_codes,
    largest_groups,
    safe,
    text_labels,
    top_note,
    where_text,
    word,
)

__all__ = ["conflict_labels", "conflicts_chart", "figure_groups", "figures_chart", "quantity_labels"]


def quantity_labels(rows: pd.DataFrame, labels: str = "en") -> pd.Series:
    """Each figure's bar on the figures chart: its countries by name and its year («Kazakhstan, Russia · 2022»)."""
    countries = pd.Series([countries_label(c, labels) for c in rows["countries"]], index=rows.index, dtype="string")
    return countries + " · " + rows["year"].astype("string").fillna(word("no_year", labels))


def conflict_labels(rows: pd.DataFrame, labels: str = "en") -> pd.Series:
    """Each conflicting figure's row on the conflicts chart: countries by name, kind and year
    («Kazakhstan, Russia · Trade · 2022»)."""
    kinds = {kind: word(kind, labels) for kind in rows["kind"].dropna().unique()}
    countries = pd.Series([countries_label(c, labels) for c in rows["countries"]], index=rows.index, dtype="string")
    return countries + " · " + text_labels(rows["kind"]).map(kinds).astype("string") + " · " + rows["year"].astype("string")


def _shared(positions: np.ndarray, keys: np.ndarray, frame: pd.DataFrame, labels: str) -> tuple[np.ndarray, np.ndarray, list]:
    """Rows (at `positions` of `frame`, in display order) of equal `keys` drawn as one point: the first of each,
    how many others share it, and its hover data (surface; article id and how many more)."""
    first, counts = first_positions(keys)
    shown = positions[first]
    surfaces, articles = frame["surface"].iloc[shown].tolist(), frame["article_id"].iloc[shown].tolist()
    return first, counts - 1, [[safe(s), where_text(a, m, labels)] for s, a, m in zip(surfaces, articles, (counts - 1).tolist())]


def _quantities(figures: pd.DataFrame) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """`figure_groups` as positions into `figures` (in group, article and offset order) and its columns
    as arrays, so a chart reads only the first row of each group."""
    money = np.flatnonzero(figures["value_usd"].notna().to_numpy())
    rows = figures[["countries", "kind", "year", "value_usd", "article_id", "start"]].iloc[money]
    group = np.unique(combine_codes([sort_codes(rows[c]) for c in ("countries", "kind", "year")]), return_inverse=True)[1].ravel()
    groups = int(group.max()) + 1 if len(group) else 0
    usd = rows["value_usd"].to_numpy(dtype=float)
    by_value = np.lexsort((usd, group))
    bounds = np.searchsorted(group[by_value], np.arange(groups + 1))
    size, begin, last = np.diff(bounds), bounds[:-1], bounds[1:] - 1
    middle = (usd[by_value[begin + (size - 1) // 2]] + usd[by_value[begin + size // 2]]) / 2 if groups else np.zeros(0)
    article, span = sort_codes(rows["article_id"])[0], max(int(rows["article_id"].nunique()), 1)
    pairs = np.sort(group.astype(np.int64) * span + article)  # each (group, article) once: a group's articles
    articles = np.bincount(pairs[np.r_[True, pairs[1:] != pairs[:-1]]] // span, minlength=groups) if len(pairs) else np.zeros(0, dtype=np.int64)
    order = np.lexsort((rows["start"].to_numpy(), article, group))
    group = group[order]
    low, high = (usd[by_value[begin]], usd[by_value[last]]) if groups else (np.zeros(0), np.zeros(0))
    return money[order], {"group_id": group + 1, "group_reports": size[group], "group_articles": articles[group],
                          "group_median_usd": middle[group], "group_low_usd": low[group], "group_high_usd": high[group]}


def figure_groups(figures: pd.DataFrame) -> pd.DataFrame:
    """The money figures (those with a US-dollar value), each with the group of reports of its quantity —
    same kind, countries and year — and the group's number of reports, articles, median and range in US$:
    the seeds' two reports of the 2022 Kazakhstan–Russia trade (27 and 28.2 bn) are one group, median
    27.6 bn. Rows keep their article, sentence and offsets; in group, article and offset order."""
    positions, found = _quantities(figures)
    return figures.iloc[positions].reset_index(drop=True).assign(**found)


def _report_text(reports: int, low: float, high: float, labels: str) -> str:
    """«2 reports, 27.0–28.2 bn USD» (one report: its value)."""
    if reports == 1:
        return word("one_report", labels).format(low=low)
    return word("reports_range", labels).format(reports=reports, low=low, high=high)


def figures_chart(figures: pd.DataFrame, labels: str = "en", top: int | None = 30) -> go.Figure:
    """Money figures in US$ billion by countries and year, one bar trace per kind. Reports of one quantity
    (`figure_groups`: same kind, countries and year) are never added: each draws one bar at their median,
    the range as an error bar, and the hover and `describe_figure` say «2 reports, 27.0–28.2 bn USD».
    The `top` countries·year groups with the most figures are drawn (the title says so)."""
    positions, found = _quantities(figures)
    group = found["group_id"]
    firsts = np.flatnonzero(np.r_[True, group[1:] != group[:-1]]) if len(group) else np.zeros(0, dtype=np.int64)
    groups = figures.iloc[positions[firsts]][["article_id", "surface", "countries", "kind", "year"]].reset_index(drop=True)
    groups = groups.assign(**{k: v[firsts] for k, v in found.items()})
    place, names = label_codes(groups, ["countries", "year"], lambda r: quantity_labels(r, labels))
    sizes = np.bincount(place, weights=groups["group_reports"].to_numpy(), minlength=len(names))
    kept = largest_groups(sizes, top)[place] if len(groups) else np.zeros(0, dtype=bool)
    groups, place = groups[kept], place[kept]
    fig = go.Figure()
    for name in (*MONEY_KINDS, "energy", "production", "other"):
        mine = (groups["kind"] == name).to_numpy(dtype=bool)
        these, at = groups[mine], place[mine]
        median, low, high = (np.round(these[c].to_numpy(dtype=float) / 1e9, 4) for c in ("group_median_usd", "group_low_usd", "group_high_usd"))
        reports = these["group_reports"].to_numpy()
        said = [_report_text(int(n), lo, hi, labels) for n, lo, hi in zip(reports, low, high)]
        where = [where_text(a, int(n) - 1, labels) for a, n in zip(these["article_id"], reports)]
        fig.add_bar(
            x=names[at].tolist(), y=median.tolist(), name=word(name, labels),
            error_y={"type": "data", "symmetric": False, "array": np.round(high - median, 4).tolist(), "arrayminus": np.round(median - low, 4).tolist(), "visible": bool((high > low).any())},
            customdata=[[safe(s), w, t] for s, w, t in zip(these["surface"], where, said)],
            hovertemplate="%{customdata[2]}<br>%{customdata[0]} (%{customdata[1]})<extra>%{fullData.name}</extra>",
            meta={"points": [f"{x}: {t}" for x, t in zip(names[at].tolist(), said)]},
        )
    title = top_note(word("figures_usd", labels), "top_groups", int(min(len(sizes), top or len(sizes))), len(sizes), labels)
    return chart_layout(fig, title, labels, barmode="group", yaxis_title=word("usd_billions", labels))


def conflicts_chart(conflicts: pd.DataFrame, labels: str = "en", top: int | None = 30) -> go.Figure:
    """The disagreements of `kit.conflicts`: one row per group («Kazakhstan, Russia · Trade · 2022», countries by
    name), one dot per source's figure (US$ billion;
    equal figures of a source share a dot, the hover says how many); the `top` groups with the most figures."""
    group, names = label_codes(conflicts, ["countries", "kind", "year"], lambda r: conflict_labels(r, labels))
    labelled = np.flatnonzero(group >= 0)
    first, sizes = first_positions(group[labelled])  # groups in order of first appearance
    kept = np.zeros(len(names) + 1, dtype=bool)
    kept[group[labelled][first][largest_groups(sizes, top)]] = True
    rows = np.flatnonzero(kept[group])  # a missing label (-1) reads the last, False
    usd = conflicts["value_usd"].to_numpy(dtype=float, na_value=np.nan)
    billions = np.round(np.where(np.isnan(usd), conflicts["value"].to_numpy(dtype=float, na_value=np.nan), usd) / 1e9, 4)
    source, sources = label_codes(conflicts[["source"]].iloc[rows], ["source"], lambda r: text_labels(r["source"], word("no_source", labels)))
    key = array_codes(group[rows], pd.factorize(billions[rows], use_na_sentinel=False)[0])
    fig = go.Figure()
    for code, name in enumerate(sources):
        mine = source == code
        at = rows[mine]
        first, _, hover = _shared(at, key[mine], conflicts, labels)
        fig.add_scatter(
            x=billions[at[first]].tolist(), y=names[group[at[first]]].tolist(), mode="markers", name=safe(name), marker={"size": 14},
            customdata=hover, hovertemplate="%{customdata[0]} (%{customdata[1]})<extra>%{fullData.name}</extra>",
        )
    shown = len(np.unique(group[rows]))
    title = top_note(word("conflicts", labels), "top_groups", shown, len(sizes), labels)
    return chart_layout(fig, title, labels, xaxis_title=word("usd_billions", labels), height=max(300, 70 * shown + 160))
