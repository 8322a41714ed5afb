"""Charts of what is in a corpus: articles per month and source (`timeline`), body versus page furniture
per article (`segment_characters`, `segment_bars`), and search hits per month and source (`search_bars`).
Imports kit.viz.common and kit.viz.theme.
"""

from __future__ import annotations

import html

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from kit.viz.common import (
    article_names,
    chart_layout,
    count_axis,
    distinct_names,
    label_codes,
    largest_groups,
    month_ticks,
    safe,
    text_labels,
    top_note,
    word,
)
from kit.viz.theme import SEGMENT_COLORS

__all__ = ["SEGMENT_ORDER", "search_bars", "segment_bars", "segment_characters", "segments_chart", "timeline"]


def timeline(articles: pd.DataFrame, labels: str = "en", top: int | None = 10) -> go.Figure:
    """Articles per publication date, one bar trace per source (undated articles are left out, and said);
    beyond the `top` largest sources the others share one trace."""
    dated = np.flatnonzero(articles["published"].notna().to_numpy())
    source, names = label_codes(articles[["source"]].iloc[dated], ["source"], lambda rows: text_labels(rows["source"], word("no_source", labels)))
    day, days = pd.factorize(articles["published"].iloc[dated].dt.normalize(), sort=True)
    counts = np.bincount(source * len(days) + day, minlength=len(names) * len(days)).reshape(len(names), len(days))
    per_source = pd.Series(counts.sum(axis=1))
    kept = largest_groups(per_source, top)
    fig = go.Figure()

    def add(per_day: np.ndarray, name: str) -> None:
        drawn = np.flatnonzero(per_day)  # the days it has articles on
        fig.add_bar(x=pd.DatetimeIndex(days[drawn]).strftime("%Y-%m-%d").tolist(), y=per_day[drawn].tolist(), name=name)

    for code in np.flatnonzero(kept):
        add(counts[code], safe(names[code]))
    if not kept.all():
        add(counts[~kept].sum(axis=0), word("other_sources", labels))
    title = top_note(word("articles_per_day", labels), "top_sources", int(kept.sum()), len(names), labels)
    missing = len(articles) - len(dated)
    if missing:
        title += f" ({word('undated', labels).format(n=missing)})"
    span = pd.period_range(days.min(), days.max(), freq="M") if len(days) else []
    ticks = month_ticks(span, labels)
    ticks["tickvals"] = [f"{m}-01" for m in ticks["tickvals"]]  # the first day of each month shown
    if len(span):  # from the first month's first day to the last month's end: every month's tick is on the axis
        ticks["range"] = [f"{span[0]}-01", f"{span[-1] + 1}-01"]
    return chart_layout(fig, title, labels, barmode="stack", xaxis_title=word("published", labels), yaxis_title=word("articles", labels),
                   yaxis=count_axis(counts.sum(axis=0).max() if counts.size else 0), xaxis=ticks)


SEGMENT_ORDER = ("body", "related", "tags", "boilerplate")


def segment_characters(sentences: pd.DataFrame) -> pd.DataFrame:
    """Characters of each segment per article: one row per article (sorted by id), one column per segment."""
    characters = (sentences["end"] - sentences["start"]).rename("characters")
    table = characters.groupby([sentences["article_id"], sentences["segment"]], sort=True, observed=True).sum().unstack("segment", fill_value=0)
    table.columns = table.columns.astype(object)
    return table.reindex(columns=list(SEGMENT_ORDER), fill_value=0)


def segments_chart(sentences: pd.DataFrame, labels: str = "en", top: int | None = 30, articles: pd.DataFrame | None = None) -> go.Figure:
    """Characters of each segment per article (body, related stories, tags, boilerplate), stacked; the `top`
    longest articles when there are more; each article as «source · date · title» when `articles` (its
    metadata) is given, else by its id."""
    return segment_bars(segment_characters(sentences), labels, top, None if articles is None else article_names(articles, labels))


def segment_bars(table: pd.DataFrame, labels: str = "en", top: int | None = 30, articles: dict | None = None) -> go.Figure:
    """`segments_chart` from its table of characters per article and segment (`segment_characters`);
    `articles` names them (`article_names`: «source · date · title», the id in the hover)."""
    total = len(table)
    table = table[largest_groups(table[list(SEGMENT_ORDER)].sum(axis=1), top)]
    ids = [str(a) for a in table.index]
    names = distinct_names([safe(articles[a]) if articles and a in articles else html.escape(a) for a in ids], ids)
    fig = go.Figure()
    for segment in SEGMENT_ORDER:
        fig.add_bar(y=names, x=table[segment].tolist(), name=word(segment, labels), orientation="h", marker_color=SEGMENT_COLORS[segment],
                    hovertext=[html.escape(a) for a in ids], hovertemplate="%{y} (%{hovertext}): %{x:,}<extra>%{fullData.name}</extra>")
    title = top_note(word("segments_per_article", labels), "top_articles", len(table), total, labels)
    return chart_layout(fig, title, labels, barmode="stack", xaxis_title=word("characters", labels))


def search_bars(counts: pd.DataFrame, labels: str = "en", top: int | None = 10) -> go.Figure:
    """Hits of a search per month (`kit.analysis.search.search_counts`), one bar trace per source (the `top` sources
    with the most hits; the others together), months in order and by name."""
    source = counts["source"].astype("object").where(counts["source"].notna(), None)
    names = [word("no_source", labels) if s is None else safe(s) for s in source]
    per_source = pd.Series(counts["hits"].to_numpy(), index=names).groupby(level=0, sort=False).sum().sort_values(ascending=False, kind="stable")
    kept = set(per_source.index[:top] if top is not None else per_source.index)
    dated = counts["month"].notna().to_numpy()
    months = sorted(set(counts.loc[dated, "month"].astype(str)))
    fig = go.Figure()
    frame = pd.DataFrame({"name": [n if n in kept else word("other_sources", labels) for n in names], "month": counts["month"].astype("string"), "hits": counts["hits"]})[dated]
    for name in [*[n for n in per_source.index if n in kept], *([word("other_sources", labels)] if len(kept) < len(per_source) else [])]:
        mine = frame[frame["name"] == name].groupby("month")["hits"].sum()
        fig.add_bar(x=mine.index.tolist(), y=mine.tolist(), name=name)
    title = word("search_hits", labels)
    undated = int(counts.loc[~dated, "hits"].sum())
    if undated:
        title += f" ({word('undated', labels).format(n=undated)})"
    return chart_layout(fig, title, labels, barmode="stack", yaxis_title=word("hits", labels), xaxis={**month_ticks(months, labels), "type": "category"},
                   yaxis=count_axis(frame.groupby("month")["hits"].sum().max() if len(frame) else 0))
