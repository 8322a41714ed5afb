"""Charts of stance: shares of sentences pro and anti Russia and the West per article, source, holder or
month, with n and the 95 % Wilson interval and a minimum n, and the monthly line that breaks over empty months.
Imports kit.analysis.aggregation (the interval), kit.viz.common and kit.viz.theme.
"""

from __future__ import annotations

import html
import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from kit.analysis.aggregation import wilson
from kit.viz.common import (
    article_names,
    chart_layout,
    distinct_names,
    group_label,
    largest_groups,
    month_ticks,
    top_note,
    word,
)
from kit.viz.theme import BLOC_COLORS, SIDE_COLORS

__all__ = ["STANCE_SHARES", "share_table", "stance_bars", "stance_month_lines", "stance_months", "stance_share_bars", "stance_shares", "stance_timeline"]

STANCE_SHARES = ("pro_russia", "anti_russia", "pro_west", "anti_west")


def stance_shares(stance: pd.DataFrame, by: str = "article_id") -> pd.DataFrame:
    """Per group of `by` (sorted; a missing value is the group «—»): the share of its sentences pro and anti
    Russia and the West (anti shares negative) and its number of sentences."""
    key = stance[by].astype("object").where(stance[by].notna(), "—")
    flags = pd.DataFrame({
        "pro_russia": stance["russia"] == 1, "anti_russia": stance["russia"] == -1, "pro_west": stance["west"] == 1, "anti_west": stance["west"] == -1,
    })
    grouped = flags.groupby(key, sort=True, observed=True)
    return share_table(grouped.sum(), grouped.size())


def share_table(counts: pd.DataFrame, sentences: pd.Series) -> pd.DataFrame:
    """`stance_shares` from the number of sentences pro_russia, anti_russia, pro_west, anti_west and in all, per
    group: each share with its 95 % Wilson interval (`pro_russia_low`, `pro_russia_high`, ...; anti shares
    and their bounds negative)."""
    shares = pd.DataFrame(index=counts.index)
    for key in STANCE_SHARES:
        sign = -1 if key.startswith("anti") else 1
        low, high = wilson(counts[key].to_numpy(), sentences.to_numpy())
        shares[key] = sign * counts[key] / sentences
        shares[f"{key}_low"], shares[f"{key}_high"] = (low, high) if sign > 0 else (-high, -low)
    shares["sentences"] = sentences
    return shares


def stance_bars(stance: pd.DataFrame, by: str = "article_id", labels: str = "en", top: int | None = 30, min_n: int = 1,
                names: dict | None = None, articles: dict | None = None) -> go.Figure:
    """Bars per group (article, source, holder, month): share of its sentences pro and anti Russia and the
    West, each with its 95 % Wilson interval; anti shares point left. Each group is labelled with its number
    of sentences; groups under `min_n` sentences are hidden (the title says how many). With more than `top`
    groups, the `top` with the most sentences (the title says so)."""
    if by == "article_id" and articles is None and {"source", "title"} <= set(stance.columns):
        articles = article_names(stance, labels)
    return stance_share_bars(stance_shares(stance, by), by, labels, top, min_n=min_n, names=names, articles=articles)


def stance_share_bars(shares: pd.DataFrame, by: str = "article_id", labels: str = "en", top: int | None = 30, total: int | None = None,
                      *, min_n: int = 1, hidden: int = 0, names: dict | None = None, articles: dict | None = None) -> go.Figure:
    """`stance_bars` from its shares per group (`stance_shares`); `total` is the number of groups when the
    caller has already kept only the largest (default: all of `shares`), `hidden` how many groups under
    `min_n` sentences the caller has already left out."""
    small = (shares["sentences"] < min_n).to_numpy()
    hidden += int(small.sum())
    shares = shares[~small]
    total = len(shares) if total is None else total
    shares = shares[largest_groups(shares["sentences"], top)]
    groups = distinct_names([group_label(v, by, labels, names, articles) for v in shares.index], shares.index)
    ticks = {"tickmode": "array", "tickvals": groups, "ticktext": [f"{name} ({n:,})" for name, n in zip(groups, shares["sentences"])]}  # each group's n
    interval = word("share_interval", labels)
    fig = go.Figure()
    for key in STANCE_SHARES:
        share, low, high = (shares[c].to_numpy(dtype=float) for c in (key, f"{key}_low", f"{key}_high"))
        fig.add_bar(
            y=groups, x=np.round(share, 4).tolist(), name=word(key, labels), orientation="h", marker_color=SIDE_COLORS[key],
            error_x={"type": "data", "symmetric": False, "array": np.round(high - share, 4).tolist(), "arrayminus": np.round(share - low, 4).tolist(), "thickness": 1},
            customdata=shares["sentences"].tolist(),
            hovertext=[interval.format(share=abs(s), n=n, low=min(abs(a), abs(b)), high=max(abs(a), abs(b))) + (f" · {html.escape(str(g))}" if by == "article_id" else "")
                       for s, n, a, b, g in zip(share, shares["sentences"], low, high, shares.index)],
            hovertemplate="%{y}: %{hovertext}<extra>%{fullData.name}</extra>",
        )
    title = top_note(word("stance_by", labels), "top_groups", len(shares), total, labels)
    if hidden:
        title += f" ({word('under_min_n', labels).format(min_n=min_n, hidden=hidden)})"
    return chart_layout(fig, title, labels, barmode="group", xaxis_title=word("share_of_sentences", labels),
                   xaxis={"range": [-1.05, 1.05], "tickformat": ".0%"}, yaxis=ticks, height=max(350, 90 * len(groups) + 140))


def stance_months(stance: pd.DataFrame) -> pd.DataFrame:
    """Mean Russia and West labels and number of sentences (n) per month, in month order."""
    dated = stance.dropna(subset=["month"])
    grouped = dated.groupby("month", sort=True, observed=True)
    return pd.DataFrame({"russia": grouped["russia"].mean(), "west": grouped["west"].mean(), "n": grouped.size()})


def stance_timeline(stance: pd.DataFrame, labels: str = "en") -> go.Figure:
    """Mean Russia and West labels per month, and the balance; marker size follows the number of sentences."""
    return stance_month_lines(stance_months(stance), labels)


def stance_month_lines(summary: pd.DataFrame, labels: str = "en") -> go.Figure:
    """`stance_timeline` from its means per month (`stance_months`); a month without sentences is a gap in
    the lines, never a straight line across it."""
    summary = summary.assign(balance=summary["west"] - summary["russia"])
    if len(summary):
        months = pd.PeriodIndex([str(m) for m in summary.index], freq="M")
        every = pd.period_range(months.min(), months.max(), freq="M")
        summary = summary.set_axis(months).reindex(every).set_axis(every.astype(str))
    fig = go.Figure()
    for key, color in (("russia", BLOC_COLORS["russia"]), ("west", BLOC_COLORS["west"]), ("balance", "#444444")):
        fig.add_scatter(
            x=[str(m) for m in summary.index], y=[None if pd.isna(v) else round(float(v), 4) for v in summary[key]], mode="lines+markers", name=word(key, labels),
            line={"color": color, "dash": "dot" if key == "balance" else "solid"}, marker={"size": [0 if pd.isna(n) else 6 + 2 * math.sqrt(n) for n in summary["n"]]},
            customdata=[None if pd.isna(n) else int(n) for n in summary["n"]], hovertemplate=f"%{{x}}: %{{y:.2f}} ({word('n_sentences', labels)})<extra>%{{fullData.name}}</extra>",
        )
    return chart_layout(fig, word("stance_over_time", labels), labels, xaxis_title=word("month", labels), yaxis_title=word("mean_label", labels), yaxis={"range": [-2, 2]},
                   xaxis=month_ticks(summary.index, labels))
