"""Charts of who the actors are: mentions per actor coloured by bloc, an actor-by-article heatmap, and the
co-occurrence network that labels only the nodes it can place without overlap and draws the strongest links.
Imports kit.viz.common and kit.viz.theme.
"""

from __future__ import annotations

import html
import math

import pandas as pd
import plotly.graph_objects as go

from kit.viz.common import (
    actor_labels,
    article_names,
    chart_layout,
    count_axis,
    distinct_names,
    largest_groups,
    safe,
    text_labels,
    top_note,
    word,
)
from kit.viz.theme import BLOC_COLORS, BLOC_ORDER

__all__ = ["LABEL_PX", "NETWORK_PX", "actor_bars", "actor_count_bars", "actor_heatmap", "actor_matrix_heatmap", "actor_mentions", "cooccurrence_network", "cooccurrence_pairs", "network_chart"]


def actor_mentions(mentions: pd.DataFrame) -> pd.DataFrame:
    """Mentions per actor: actor_id, name_en, name_ar, bloc, mentions (in the order of those columns)."""
    return mentions.groupby(["actor_id", "name_en", "name_ar", "bloc"], dropna=False, observed=True).size().reset_index(name="mentions")


def actor_bars(mentions: pd.DataFrame, labels: str = "en", top: int = 20) -> go.Figure:
    """Mentions per actor, the `top` most mentioned, one bar trace per bloc (fixed order, possibly empty)."""
    return actor_count_bars(actor_mentions(mentions), labels, top)


def actor_count_bars(counts: pd.DataFrame, labels: str = "en", top: int = 20) -> go.Figure:
    """`actor_bars` from mentions per actor (`actor_mentions`)."""
    counts = counts.sort_values(["mentions", "actor_id"], ascending=[False, True]).head(top)
    order = actor_labels(counts, labels)
    fig = go.Figure()
    for bloc in BLOC_ORDER:
        rows = counts[counts["bloc"] == bloc]
        fig.add_bar(
            y=actor_labels(rows, labels),
            x=rows["mentions"].tolist(),
            name=word(bloc, labels),
            orientation="h",
            marker_color=BLOC_COLORS[bloc],
            showlegend=True,
        )
    fig.update_yaxes(categoryorder="array", categoryarray=order[::-1])
    return chart_layout(fig, word("actors_by_bloc", labels), labels, barmode="stack", xaxis_title=word("mentions", labels),
                   xaxis=count_axis(counts["mentions"].max() if len(counts) else 0), height=max(350, 24 * len(order) + 120))


def actor_heatmap(mentions: pd.DataFrame, labels: str = "en", top: int = 15, top_articles: int | None = 30) -> go.Figure:
    """Mentions per actor (rows, the `top` most mentioned) and article (columns: the `top_articles` that
    mention them most, in article order; named «source · date · title» when the mentions carry their
    article's source, published and title, as `in_context` gives them)."""
    counts = mentions.groupby(["actor_id", "name_en", "name_ar", "article_id"], dropna=False, observed=True).size().reset_index(name="mentions")
    leaders = counts.groupby("actor_id", observed=True)["mentions"].sum().sort_values(ascending=False, kind="stable").head(top).index
    shown = counts[counts["actor_id"].isin(leaders)]
    per_article = shown.groupby("article_id", observed=True)["mentions"].sum()
    columns = per_article.index[largest_groups(per_article, top_articles)]
    table = shown[shown["article_id"].isin(columns)].pivot_table(index="actor_id", columns="article_id", values="mentions", fill_value=0, observed=True)
    table = table.reindex(index=list(leaders), fill_value=0)
    names = counts.drop_duplicates("actor_id").set_index("actor_id").loc[table.index]
    named = article_names(mentions, labels) if {"source", "published", "title"} <= set(mentions.columns) else None
    return actor_matrix_heatmap(table, actor_labels(names, labels), labels, articles=len(per_article), article_names=named)


def actor_matrix_heatmap(table: pd.DataFrame, names: list[str], labels: str = "en", articles: int | None = None,
                         article_names: dict | None = None) -> go.Figure:
    """`actor_heatmap` from its table: mentions with one row per actor (named `names`) and one column per
    article (named by `article_names`, «source · date · title», the id in the hover); `articles` is how
    many articles there were before the columns were cut."""
    ids = [str(c) for c in table.columns]
    columns = distinct_names([safe(article_names[a]) if article_names and a in article_names else html.escape(a) for a in ids], ids)
    fig = go.Figure(go.Heatmap(
        z=table.to_numpy().tolist(),
        x=columns,
        y=names,
        colorscale="Blues",
        customdata=[[html.escape(a) for a in ids]] * len(table),
        hovertemplate="%{y} · %{x} (%{customdata}): %{z}<extra></extra>",
    ))
    fig.update_yaxes(autorange="reversed")
    title = top_note(word("actor_by_article", labels), "top_columns", table.shape[1], articles or table.shape[1], labels)
    return chart_layout(fig, title, labels, height=max(350, 26 * len(table) + 140))


def cooccurrence_pairs(mentions: pd.DataFrame, within: str = "sentence", top: int = 25) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The `top` actors named in the most sentences (or articles) — name_en, name_ar, bloc by actor_id —
    and how often each pair of them is named together (actor_id_x < actor_id_y, count)."""
    keys = ["article_id", "sentence_id"] if within == "sentence" else ["article_id"]
    units = mentions[[*keys, "actor_id"]].drop_duplicates()
    counts = units["actor_id"].value_counts().sort_index()
    leaders = counts[counts > 0].sort_values(ascending=False, kind="stable").head(top).index
    info = mentions.drop_duplicates("actor_id").set_index("actor_id").loc[list(leaders), ["name_en", "name_ar", "bloc"]]
    units = units[units["actor_id"].isin(leaders)].assign(actor_id=lambda u: text_labels(u["actor_id"]))
    pairs = units.merge(units, on=keys)
    pairs = pairs[pairs["actor_id_x"] < pairs["actor_id_y"]].groupby(["actor_id_x", "actor_id_y"]).size().reset_index(name="count")
    return info, pairs


def cooccurrence_network(mentions: pd.DataFrame, labels: str = "en", within: str = "sentence", top: int = 25) -> go.Figure:
    """Actors as nodes on a circle (grouped by bloc) and lines between those named in the same sentence
    (or article); line width follows how often. Deterministic layout, so outputs are stable."""
    return network_chart(*cooccurrence_pairs(mentions, within, top), labels)


LABEL_PX = (7.0, 18.0)  # a node label's width per character and its height, in pixels at the chart's font size
NETWORK_PX = 208  # pixels per unit of the network's coordinates (600 px tall, y from -1.3 to 1.3)


def _label_places(position: dict, names: dict, order: list) -> dict:
    """Where each node's label goes (a plotly textposition pointing away from the circle's centre), for the
    nodes whose label fits without overlapping one placed before — in `order`, the most named first; the
    others keep their name in the hover only."""
    placed, places = [], {}
    for actor in order:
        x, y = position[actor]
        width, height = LABEL_PX[0] * len(names[actor]) / NETWORK_PX, LABEL_PX[1] / NETWORK_PX
        side = "right" if x > 0.3 else "left" if x < -0.3 else "center"
        vertical = "top" if y >= 0 else "bottom"
        left = x if side == "right" else x - width if side == "left" else x - width / 2
        bottom = y + 0.04 if vertical == "top" else y - 0.04 - height
        box = (left, bottom, left + width, bottom + height)
        if all(box[2] <= b[0] or b[2] <= box[0] or box[3] <= b[1] or b[3] <= box[1] for b in placed):
            placed.append(box)
            places[actor] = f"{vertical} {side}"
    return places


def network_chart(info: pd.DataFrame, pairs: pd.DataFrame, labels: str = "en", links: int | None = 40) -> go.Figure:
    """`cooccurrence_network` from its actors and pairs (`cooccurrence_pairs`; actors most named first): the
    `links` strongest links (the title says how many there are), and a name on each node whose label fits
    without overlapping another (every name is in the hover)."""
    importance = list(info.index)
    info = info.assign(order=info["bloc"].astype(object).map({b: i for i, b in enumerate(BLOC_ORDER)}).fillna(len(BLOC_ORDER))).sort_values(["order", "actor_id"])
    angle = {a: 2 * math.pi * i / max(1, len(info)) for i, a in enumerate(info.index)}
    position = {a: (round(math.cos(t), 6), round(math.sin(t), 6)) for a, t in angle.items()}
    names = dict(zip(info.index, actor_labels(info, labels)))
    places = _label_places(position, {a: html.unescape(n) for a, n in names.items()}, importance)
    fig = go.Figure()
    total = len(pairs)
    if links is not None and total > links:
        pairs = pairs.sort_values(["count", "actor_id_x", "actor_id_y"], ascending=[False, True, True], kind="stable").head(links)
    strongest = max(1, int(pairs["count"].max())) if len(pairs) else 1
    # one line trace per width (1 to 7 px, by how often a pair is named together), its links separated by None
    lines = pairs.sort_values(["count", "actor_id_x", "actor_id_y"]).assign(width=lambda p: (1 + 6 * p["count"] / strongest).round().astype(int))
    for width, group in lines.groupby("width", sort=True):
        ends = [(position[x], position[y]) for x, y in zip(group["actor_id_x"], group["actor_id_y"])]
        fig.add_scatter(x=[v for a, b in ends for v in (a[0], b[0], None)], y=[v for a, b in ends for v in (a[1], b[1], None)], mode="lines",
                        line={"width": int(width), "color": "rgba(90,90,90,0.35)"}, hoverinfo="skip", showlegend=False)
    for bloc in BLOC_ORDER:
        rows = info[info["bloc"] == bloc]
        fig.add_scatter(
            x=[position[a][0] for a in rows.index],
            y=[position[a][1] for a in rows.index],
            mode="markers+text",
            text=[names[a] if a in places else "" for a in rows.index],
            textposition=[places.get(a, "top center") for a in rows.index],
            hovertext=[names[a] for a in rows.index], hoverinfo="text",
            marker={"size": 14, "color": BLOC_COLORS[bloc]},
            name=word(bloc, labels),
        )
    fig.update_xaxes(visible=False, range=[-1.4, 1.4])
    fig.update_yaxes(visible=False, range=[-1.3, 1.3], scaleanchor="x")
    title = word("cooccurrence", labels)
    if links is not None and total > links:
        title += f" ({word('strongest_links', labels).format(shown=links, total=total)})"
    return chart_layout(fig, title, labels, height=600)
