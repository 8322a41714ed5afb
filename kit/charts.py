"""Charts: pure functions from the kit's tidy rows to plotly figures, in English or in Arabic.

Every builder takes the rows behind the chart — mentions, stance rows, figures, one per observation with
article ids and offsets — aggregates them itself (the plotly.express way) and returns a `go.Figure`, so
the same rows can be exported next to the picture and every bar traced to its sentences. `labels="en"`
gives English names for English reports; `labels="ar"` gives Arabic names wrapped in Unicode bidi
isolates (U+2067 … U+2069) and set in Noto Naskh Arabic, so they render right-to-left and shaped. Article
text is HTML-escaped before it enters a label or hover text. Traces keep a fixed structure (one per bloc,
one per side) so dashboards can update them in place.
"""

from __future__ import annotations

import html
import math
import re
from functools import lru_cache

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from .lexicons import Column, data_path, read_table

__all__ = [
    "actor_bars",
    "actor_heatmap",
    "bidi",
    "conflicts_chart",
    "cooccurrence_network",
    "figures_chart",
    "segments_chart",
    "setup_notebook",
    "stance_bars",
    "stance_timeline",
    "timeline",
]

FONT = "Noto Naskh Arabic, Noto Sans Arabic, DejaVu Sans, Arial, sans-serif"
BLOC_ORDER = ("russia", "west", "china", "central_asia", "turkey", "ukraine", "other")
BLOC_COLORS = {
    "russia": "#c0392b",
    "west": "#2e6db4",
    "china": "#d4a017",
    "central_asia": "#2e8b57",
    "turkey": "#17a2b8",
    "ukraine": "#f1c40f",
    "other": "#8c8c8c",
}
SIDE_COLORS = {"pro_russia": "#c0392b", "anti_russia": "#f1a9a0", "pro_west": "#2e6db4", "anti_west": "#a9c6ea"}
SEGMENT_COLORS = {"body": "#2e6db4", "related": "#d4a017", "tags": "#8e44ad", "boilerplate": "#b0b0b0"}
_ARABIC_RE = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")


def setup_notebook() -> None:
    """Show figures as plotly's JSON bundle: deterministic outputs, rendered by JupyterLab's plotly extension."""
    pio.renderers.default = "plotly_mimetype"


@lru_cache(maxsize=1)
def _words() -> dict[str, dict[str, str]]:
    table = read_table(data_path("chart_labels.csv"), [Column("key", required=True), Column("en", required=True), Column("ar", required=True)])
    return {"en": dict(zip(table["key"], table["en"])), "ar": dict(zip(table["key"], table["ar"]))}


def bidi(text: str) -> str:
    """Arabic text isolated right-to-left (U+2067 … U+2069), so it stays in order inside a chart label."""
    return f"\u2067{text}\u2069" if _ARABIC_RE.search(text or "") else text


def word(key: str, labels: str = "en") -> str:
    """A chart word in the chosen language («Trade» / «تجارة»)."""
    found = _words()[labels].get(key, key)
    return bidi(found) if labels == "ar" else found


def safe(text) -> str:
    """Article text for a chart label: HTML-escaped (articles are untrusted), Arabic isolated."""
    if text is None or (isinstance(text, float) and math.isnan(text)) or text is pd.NA:
        return ""
    return bidi(html.escape(str(text)))


def _layout(fig: go.Figure, title: str, labels: str, **more) -> go.Figure:
    fig.update_layout(
        title=title,
        font={"family": FONT, "size": 13},
        template="plotly_white",
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
        legend={"traceorder": "normal"},
        **more,
    )
    return fig


def _actor_name(row, labels: str) -> str:
    return safe(row["name_ar"]) if labels == "ar" else html.escape(str(row["name_en"]))


# ---------------------------------------------------------------------------------------------------
# Corpus


def timeline(articles: pd.DataFrame, labels: str = "en") -> go.Figure:
    """Articles per publication date, one bar trace per source (undated articles are left out, and said)."""
    dated = articles.dropna(subset=["published"])
    fig = go.Figure()
    for source, rows in dated.groupby(dated["source"].fillna("?"), sort=True):
        counts = rows.groupby(rows["published"].dt.date).size()
        fig.add_bar(x=[str(d) for d in counts.index], y=counts.tolist(), name=safe(source))
    title = word("articles_per_day", labels)
    missing = len(articles) - len(dated)
    if missing:
        title += f" ({missing} undated)"
    return _layout(fig, title, labels, barmode="stack", xaxis_title=word("published", labels), yaxis_title=word("articles", labels))


def segments_chart(sentences: pd.DataFrame, labels: str = "en") -> go.Figure:
    """Characters of each segment per article (body, related stories, tags, boilerplate), stacked."""
    sized = sentences.assign(characters=sentences["end"] - sentences["start"])
    table = sized.pivot_table(index="article_id", columns="segment", values="characters", aggfunc="sum", fill_value=0)
    fig = go.Figure()
    for segment in ("body", "related", "tags", "boilerplate"):
        values = table[segment] if segment in table else pd.Series(0, index=table.index)
        fig.add_bar(y=list(table.index), x=values.tolist(), name=word(segment, labels), orientation="h", marker_color=SEGMENT_COLORS[segment])
    return _layout(fig, word("segments_per_article", labels), labels, barmode="stack", xaxis_title=word("characters", labels))


# ---------------------------------------------------------------------------------------------------
# Actors


def actor_bars(mentions: pd.DataFrame, labels: str = "en", top: int = 20) -> go.Figure:
    """Mentions per actor, the `top` most mentioned, one bar trace per bloc (fixed order, possibly empty)."""
    counts = mentions.groupby(["actor_id", "name_en", "name_ar", "bloc"], dropna=False).size().reset_index(name="mentions")
    counts = counts.sort_values(["mentions", "actor_id"], ascending=[False, True]).head(top)
    order = [_actor_name(row, labels) for _, row in counts.iterrows()]
    fig = go.Figure()
    for bloc in BLOC_ORDER:
        rows = counts[counts["bloc"] == bloc]
        fig.add_bar(
            y=[_actor_name(row, labels) for _, row in rows.iterrows()],
            x=rows["mentions"].tolist(),
            name=word(bloc, labels),
            orientation="h",
            marker_color=BLOC_COLORS[bloc],
            showlegend=True,
        )
    fig.update_yaxes(categoryorder="array", categoryarray=order[::-1])
    return _layout(fig, word("actors_by_bloc", labels), labels, barmode="stack", xaxis_title=word("mentions", labels), height=max(350, 24 * len(order) + 120))


def actor_heatmap(mentions: pd.DataFrame, labels: str = "en", top: int = 15) -> go.Figure:
    """Mentions per actor (rows, the `top` most mentioned) and article (columns)."""
    counts = mentions.groupby(["actor_id", "name_en", "name_ar", "article_id"], dropna=False).size().reset_index(name="mentions")
    leaders = counts.groupby("actor_id")["mentions"].sum().sort_values(ascending=False, kind="stable").head(top).index
    table = counts[counts["actor_id"].isin(leaders)].pivot_table(index="actor_id", columns="article_id", values="mentions", fill_value=0)
    table = table.loc[[a for a in leaders if a in table.index]]
    names = counts.drop_duplicates("actor_id").set_index("actor_id")
    fig = go.Figure(go.Heatmap(
        z=table.to_numpy().tolist(),
        x=[str(c) for c in table.columns],
        y=[_actor_name(names.loc[a], labels) for a in table.index],
        colorscale="Blues",
        hovertemplate="%{y} · %{x}: %{z}<extra></extra>",
    ))
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, word("actor_by_article", labels), labels, height=max(350, 26 * len(table) + 140))


def cooccurrence_network(mentions: pd.DataFrame, labels: str = "en", within: str = "sentence", top: int = 25) -> go.Figure:
    """Actors as nodes on a circle (grouped by bloc) and lines between those named in the same sentence
    (or article); line width follows how often. Deterministic layout, so outputs are stable."""
    keys = ["article_id", "sentence_id"] if within == "sentence" else ["article_id"]
    units = mentions[[*keys, "actor_id"]].drop_duplicates()
    leaders = units["actor_id"].value_counts().sort_index().sort_values(ascending=False, kind="stable").head(top).index
    info = mentions.drop_duplicates("actor_id").set_index("actor_id").loc[list(leaders)]
    info = info.assign(order=info["bloc"].map({b: i for i, b in enumerate(BLOC_ORDER)}).fillna(len(BLOC_ORDER))).sort_values(["order", "actor_id"])
    angle = {a: 2 * math.pi * i / max(1, len(info)) for i, a in enumerate(info.index)}
    position = {a: (round(math.cos(t), 6), round(math.sin(t), 6)) for a, t in angle.items()}
    units = units[units["actor_id"].isin(position)]
    pairs = units.merge(units, on=keys)
    pairs = pairs[pairs["actor_id_x"] < pairs["actor_id_y"]].groupby(["actor_id_x", "actor_id_y"]).size().reset_index(name="count")
    fig = go.Figure()
    strongest = max(1, int(pairs["count"].max())) if len(pairs) else 1
    for pair in pairs.sort_values(["count", "actor_id_x", "actor_id_y"], ascending=[True, True, True]).itertuples():
        (x0, y0), (x1, y1) = position[pair.actor_id_x], position[pair.actor_id_y]
        fig.add_scatter(x=[x0, x1], y=[y0, y1], mode="lines", line={"width": 1 + 6 * pair.count / strongest, "color": "rgba(90,90,90,0.35)"},
                        hoverinfo="skip", showlegend=False)
    for bloc in BLOC_ORDER:
        rows = info[info["bloc"] == bloc]
        fig.add_scatter(
            x=[position[a][0] for a in rows.index],
            y=[position[a][1] for a in rows.index],
            mode="markers+text",
            text=[_actor_name(row, labels) for _, row in rows.iterrows()],
            textposition="top center",
            marker={"size": 14, "color": BLOC_COLORS[bloc]},
            name=word(bloc, labels),
        )
    fig.update_xaxes(visible=False, range=[-1.4, 1.4])
    fig.update_yaxes(visible=False, range=[-1.3, 1.3], scaleanchor="x")
    return _layout(fig, word("cooccurrence", labels), labels, height=600)


# ---------------------------------------------------------------------------------------------------
# Stance


def _group_label(value, by: str, labels: str) -> str:
    if by == "article_id" or by == "month" or by == "holder_id":
        return html.escape(str(value)) if value == value and value is not None else "—"
    return safe(value) or "—"


def stance_bars(stance: pd.DataFrame, by: str = "article_id", labels: str = "en") -> go.Figure:
    """Diverging bars per group (article, source, holder, month): share of its sentences pro and anti
    Russia and the West; anti shares point left. Hover shows how many sentences stand behind each bar."""
    grouped = stance.groupby(stance[by].astype("object").where(stance[by].notna(), "—"), sort=True)
    shares = pd.DataFrame({
        "pro_russia": grouped["russia"].apply(lambda s: (s == 1).mean()),
        "anti_russia": grouped["russia"].apply(lambda s: -(s == -1).mean()),
        "pro_west": grouped["west"].apply(lambda s: (s == 1).mean()),
        "anti_west": grouped["west"].apply(lambda s: -(s == -1).mean()),
        "sentences": grouped.size(),
    })
    names = [_group_label(v, by, labels) for v in shares.index]
    fig = go.Figure()
    for key in ("pro_russia", "anti_russia", "pro_west", "anti_west"):
        fig.add_bar(
            y=names, x=shares[key].round(4).tolist(), name=word(key, labels), orientation="h", marker_color=SIDE_COLORS[key],
            customdata=shares["sentences"].tolist(), hovertemplate="%{y}: %{x:.0%} of %{customdata} sentences<extra>%{fullData.name}</extra>",
        )
    return _layout(fig, word("stance_by", labels), labels, barmode="relative", xaxis_title=word("share_of_sentences", labels),
                   xaxis={"range": [-1, 1], "tickformat": ".0%"}, height=max(350, 40 * len(names) + 140))


def stance_timeline(stance: pd.DataFrame, labels: str = "en") -> go.Figure:
    """Mean Russia and West labels per month, and the balance; marker size follows the number of sentences."""
    dated = stance.dropna(subset=["month"])
    grouped = dated.groupby("month", sort=True)
    summary = pd.DataFrame({"russia": grouped["russia"].mean(), "west": grouped["west"].mean(), "n": grouped.size()})
    summary["balance"] = summary["west"] - summary["russia"]
    fig = go.Figure()
    for key, color in (("russia", BLOC_COLORS["russia"]), ("west", BLOC_COLORS["west"]), ("balance", "#444444")):
        fig.add_scatter(
            x=[str(m) for m in summary.index], y=summary[key].round(4).tolist(), mode="lines+markers", name=word(key if key != "balance" else "balance", labels),
            line={"color": color, "dash": "dot" if key == "balance" else "solid"}, marker={"size": [6 + 2 * math.sqrt(n) for n in summary["n"]]},
            customdata=summary["n"].tolist(), hovertemplate="%{x}: %{y:.2f} (%{customdata} sentences)<extra>%{fullData.name}</extra>",
        )
    return _layout(fig, word("stance_over_time", labels), labels, xaxis_title=word("month", labels), yaxis_title=word("mean_label", labels), yaxis={"range": [-2, 2]})


# ---------------------------------------------------------------------------------------------------
# Figures


def figures_chart(figures: pd.DataFrame, labels: str = "en") -> go.Figure:
    """Money figures in US$ billion by countries and year, one bar trace per kind; hover shows the surface."""
    money = figures.dropna(subset=["value_usd"]).copy()
    money["group"] = money["countries"].fillna("?") + " · " + money["year"].astype("string").fillna("?")
    fig = go.Figure()
    kinds = ("trade", "investment", "aid", "project_value", "energy", "other")
    for kind in kinds:
        rows = money[money["kind"] == kind].sort_values(["group", "article_id", "start"])
        fig.add_bar(
            x=rows["group"].tolist(), y=(rows["value_usd"] / 1e9).round(4).tolist(), name=word(kind, labels),
            customdata=[[safe(s), html.escape(str(a))] for s, a in zip(rows["surface"], rows["article_id"])],
            hovertemplate="%{customdata[0]} (%{customdata[1]}): %{y:.2f}<extra>%{fullData.name}</extra>",
        )
    return _layout(fig, word("figures_usd", labels), labels, barmode="group", yaxis_title=word("usd_billions", labels))


def conflicts_chart(conflicts: pd.DataFrame, labels: str = "en") -> go.Figure:
    """The disagreements of `kit.conflicts`: one row per group, one dot per source's figure (US$ billion)."""
    fig = go.Figure()
    rows = conflicts.copy()
    rows["group"] = rows["countries"] + " · " + rows["kind"].map(lambda k: word(k, labels)) + " · " + rows["year"].astype("string")
    rows["measure"] = rows["value_usd"].where(rows["value_usd"].notna(), rows["value"])
    for source, part in rows.groupby(rows["source"].fillna("?"), sort=True):
        fig.add_scatter(
            x=(part["measure"] / 1e9).round(4).tolist(), y=part["group"].tolist(), mode="markers", name=safe(source), marker={"size": 14},
            customdata=[[safe(s), html.escape(str(a))] for s, a in zip(part["surface"], part["article_id"])],
            hovertemplate="%{customdata[0]} (%{customdata[1]})<extra>%{fullData.name}</extra>",
        )
    return _layout(fig, word("conflicts", labels), labels, xaxis_title=word("usd_billions", labels), height=max(300, 70 * rows["group"].nunique() + 160))
