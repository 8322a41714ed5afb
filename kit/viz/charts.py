"""Charts: pure functions from the kit's tidy rows to plotly figures, in English or in Arabic.

Every builder takes the rows behind the chart — mentions, stance rows, figures, one per observation with
article ids and offsets — aggregates them itself (the plotly.express way) and returns a `go.Figure`, so
the same rows can be exported next to the picture and every bar traced to its sentences. `labels="en"`
gives English names for English reports; `labels="ar"` gives Arabic names wrapped in Unicode bidi
isolates (U+2067 … U+2069) and set in Noto Naskh Arabic, so they render right-to-left and shaped. Article
text is HTML-escaped before it enters a label or hover text. Traces keep a fixed structure (one per bloc,
one per side) so dashboards can update them in place.

Charts stay readable on large corpora: a chart grouped by article, source or holder draws only the `top`
largest groups and its title says so («the 30 largest of 100,000 groups»). Each builder that aggregates
is also split in two — the aggregation (`stance_shares`, `segment_characters`, `actor_mentions` ...) and
the drawing from the aggregated table (`stance_share_bars`, `segment_bars`, `actor_count_bars` ...) — so
a dashboard that aggregates faster itself (from precomputed integer codes) draws the same chart.
"""

from __future__ import annotations

import html
import math
import re
from functools import lru_cache
from typing import Callable

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from kit.analysis.aggregation import wilson
from kit.base.codes import array_codes, column_codes, combine_codes, sort_codes
from kit.base.lexicons import Column, data_path, read_table
from kit.extract.figure_lexicon import MONEY_KINDS
from kit.viz.theme import BLOC_COLORS, BLOC_ORDER, FONT, SEGMENT_COLORS, SIDE_COLORS

__all__ = [
    "actor_bars",
    "actor_count_bars",
    "actor_heatmap",
    "actor_matrix_heatmap",
    "actor_mentions",
    "actor_name",
    "article_names",
    "bidi",
    "conflicts_chart",
    "countries_label",
    "cooccurrence_network",
    "cooccurrence_pairs",
    "figure_groups",
    "figures_chart",
    "known_names",
    "month_ticks",
    "network_chart",
    "segment_bars",
    "segment_characters",
    "search_bars",
    "segments_chart",
    "setup_notebook",
    "share_table",
    "stance_bars",
    "stance_month_lines",
    "stance_months",
    "stance_share_bars",
    "stance_shares",
    "stance_timeline",
    "timeline",
]

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


TEMPLATE = "plotly_white"


def _set_template(layout: go.Layout, name: str = TEMPLATE) -> None:
    """layout.template = name, without plotly validating the whole registered template again (a deep copy
    that costs ~40 ms a chart, most of a dashboard update): the registered template's JSON is valid by
    construction and makes the same figure JSON."""
    template = pio.templates[name].to_plotly_json()
    try:
        layout._validate = False
        layout.template = template
    finally:
        layout._validate = True


def _layout(fig: go.Figure, title: str, labels: str, **more) -> go.Figure:
    fig.update_layout(title=title, font={"family": FONT, "size": 13})
    _set_template(fig.layout)
    fig.update_layout(margin={"l": 10, "r": 10, "t": 60, "b": 10}, legend={"traceorder": "normal"}, **more)
    if is_empty(fig):  # say so, rather than leave blank axes after a filter that matches nothing
        fig.add_annotation(text=word("no_rows", labels), showarrow=False, xref="paper", yref="paper", x=0.5, y=0.5, font={"size": 16})
    return fig


def is_empty(fig: go.Figure) -> bool:
    """Whether no trace of the figure has a data point."""
    for trace in fig.data:
        for name in ("x", "y", "z", "values"):
            values = trace[name] if name in trace else None
            if values is not None and len(values):
                return False
    return True


def _largest(sizes: pd.Series | np.ndarray, top: int | None) -> np.ndarray:
    """Which groups (in their display order) are among the `top` largest; a tie goes to the earlier group."""
    values = np.asarray(sizes)
    if top is None or len(values) <= top:
        return np.ones(len(values), dtype=bool)
    if top < 1 or values.dtype.kind not in "iuf" or np.isnan(values).any():
        keep = np.zeros(len(values), dtype=bool)
        keep[np.argsort(-values, kind="stable")[:top]] = True
        return keep
    # the top-th largest size in linear time (a dashboard ranks ~100,000 articles on every update): every
    # larger group is kept, and the earliest of the groups of that size fill the places left
    cutoff = np.partition(values, len(values) - top)[len(values) - top]
    keep = values > cutoff
    keep[np.flatnonzero(values == cutoff)[: top - int(keep.sum())]] = True
    return keep


def _count_axis(largest) -> dict:
    """An axis of counts: whole numbers only (a count of 1 never gets ticks at 0.5)."""
    small = largest is not None and largest == largest and largest <= 6
    return {"tickformat": ",d", "rangemode": "tozero", **({"dtick": 1} if small else {})}


def _note(title: str, key: str, shown: int, total: int, labels: str) -> str:
    """The title, and what was left out when a chart shows only the largest groups («… (the 30 largest of 1,200 groups)»)."""
    return f"{title} ({word(key, labels).format(shown=shown, total=total)})" if shown < total else title


def _text(values: pd.Series, missing: str | None = None) -> pd.Series:
    """A column as plain strings (categories too), missing values as `missing` (or left missing)."""
    text = values.astype(object).where(values.notna(), None).astype("string")
    return text.fillna(missing) if missing is not None else text


def _label_codes(frame: pd.DataFrame, columns: list[str], label: Callable[[pd.DataFrame], pd.Series]) -> tuple[np.ndarray, pd.Index]:
    """Each row's code among the sorted distinct values of a row-wise `label` of `columns` (-1: a missing
    label), and those values; `label` runs on one row per distinct combination of the columns (joining text
    row by row is what makes a chart of 100,000 rows slow)."""
    _, first, inverse = np.unique(column_codes(frame, columns), return_index=True, return_inverse=True)
    codes, names = pd.factorize(label(frame.iloc[first]), sort=True)
    return codes[inverse.ravel()], names


def _firsts(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each distinct key first occurs (in row order) and how many rows have it."""
    _, first, counts = np.unique(keys, return_index=True, return_counts=True)
    order = np.argsort(first, kind="stable")
    return first[order], counts[order]


def _where(first, more: int, labels: str) -> str:
    """An article id for a hover text, with how many more rows share the point."""
    first = html.escape(str(first))
    return word("and_more", labels).format(first=first, more=more) if more else first


# ---------------------------------------------------------------------------------------------------
# Corpus


def timeline(articles: pd.DataFrame, labels: str = "en", top: int | None = 10) -> go.Figure:
    """Articles per publication date, one bar trace per source (undated articles are left out, and said);
    beyond the `top` largest sources the others share one trace."""
    dated = np.flatnonzero(articles["published"].notna().to_numpy())
    source, names = _label_codes(articles[["source"]].iloc[dated], ["source"], lambda rows: _text(rows["source"], word("no_source", labels)))
    day, days = pd.factorize(articles["published"].iloc[dated].dt.normalize(), sort=True)
    counts = np.bincount(source * len(days) + day, minlength=len(names) * len(days)).reshape(len(names), len(days))
    per_source = pd.Series(counts.sum(axis=1))
    kept = _largest(per_source, top)
    fig = go.Figure()

    def add(per_day: np.ndarray, name: str) -> None:
        drawn = np.flatnonzero(per_day)  # the days it has articles on
        fig.add_bar(x=pd.DatetimeIndex(days[drawn]).strftime("%Y-%m-%d").tolist(), y=per_day[drawn].tolist(), name=name)

    for code in np.flatnonzero(kept):
        add(counts[code], safe(names[code]))
    if not kept.all():
        add(counts[~kept].sum(axis=0), word("other_sources", labels))
    title = _note(word("articles_per_day", labels), "top_sources", int(kept.sum()), len(names), labels)
    missing = len(articles) - len(dated)
    if missing:
        title += f" ({missing} undated)"
    span = pd.period_range(days.min(), days.max(), freq="M") if len(days) else []
    ticks = month_ticks(span, labels)
    ticks["tickvals"] = [f"{m}-01" for m in ticks["tickvals"]]  # the first day of each month shown
    return _layout(fig, title, labels, barmode="stack", xaxis_title=word("published", labels), yaxis_title=word("articles", labels),
                   yaxis=_count_axis(counts.sum(axis=0).max() if counts.size else 0), xaxis=ticks)


SEGMENT_ORDER = ("body", "related", "tags", "boilerplate")


def segment_characters(sentences: pd.DataFrame) -> pd.DataFrame:
    """Characters of each segment per article: one row per article (sorted by id), one column per segment."""
    characters = (sentences["end"] - sentences["start"]).rename("characters")
    table = characters.groupby([sentences["article_id"], sentences["segment"]], sort=True, observed=True).sum().unstack("segment", fill_value=0)
    table.columns = table.columns.astype(object)
    return table.reindex(columns=list(SEGMENT_ORDER), fill_value=0)


def segments_chart(sentences: pd.DataFrame, labels: str = "en", top: int | None = 30) -> go.Figure:
    """Characters of each segment per article (body, related stories, tags, boilerplate), stacked; the `top`
    longest articles when there are more."""
    return segment_bars(segment_characters(sentences), labels, top)


def segment_bars(table: pd.DataFrame, labels: str = "en", top: int | None = 30) -> go.Figure:
    """`segments_chart` from its table of characters per article and segment (`segment_characters`)."""
    total = len(table)
    table = table[_largest(table[list(SEGMENT_ORDER)].sum(axis=1), top)]
    fig = go.Figure()
    for segment in SEGMENT_ORDER:
        fig.add_bar(y=[html.escape(str(a)) for a in table.index], x=table[segment].tolist(), name=word(segment, labels), orientation="h", marker_color=SEGMENT_COLORS[segment])
    title = _note(word("segments_per_article", labels), "top_articles", len(table), total, labels)
    return _layout(fig, title, labels, barmode="stack", xaxis_title=word("characters", labels))


# ---------------------------------------------------------------------------------------------------
# Actors


@lru_cache(maxsize=1)
def _catalogue_names() -> dict[str, tuple[str, str]]:
    from kit.extract.catalogue import default_catalogue

    table = default_catalogue().actors
    return dict(zip(table["actor_id"], zip(table["name_en"], table["name_ar"])))


def known_names(mentions: pd.DataFrame) -> dict[str, tuple[str, str]]:
    """actor_id → (English name, Arabic name) of the actors in `mentions`, persons found by title too."""
    rows = mentions.drop_duplicates("actor_id")
    return dict(zip(rows["actor_id"].astype(str), zip(rows["name_en"], rows["name_ar"])))


def actor_name(actor_id, labels: str = "en", names: dict | None = None) -> str:
    """An actor's name for a chart (escaped; Arabic isolated right-to-left): from `names` (`known_names`),
    else the catalogue, else its id."""
    pair = (names or {}).get(str(actor_id)) or _catalogue_names().get(str(actor_id))
    if pair is None or not isinstance(pair[1 if labels == "ar" else 0], str):
        return html.escape(str(actor_id))
    return safe(pair[1]) if labels == "ar" else html.escape(pair[0])


def countries_label(codes, labels: str = "en") -> str:
    """A figure's `countries` («KAZ;RUS») by name: «Kazakhstan, Russia», «كازاخستان، روسيا»."""
    if codes is None or codes != codes or codes == "":
        return word("no_countries", labels)
    return ("، " if labels == "ar" else ", ").join(actor_name(code, labels) for code in str(codes).split(";"))


TITLE_CHARS = 40  # an article's title on a chart is cut after this many characters (the id is in the hover)


def article_names(articles: pd.DataFrame) -> dict[str, str]:
    """article_id → «source · date · title» (plain text, the title cut after TITLE_CHARS characters): how
    charts name an article instead of its id."""
    names = {}
    for row in articles.drop_duplicates("article_id").itertuples(index=False):
        title = getattr(row, "title", None)
        title = "" if pd.isna(title) else str(title)
        title = title if len(title) <= TITLE_CHARS else title[: TITLE_CHARS - 1].rstrip() + "…"
        published = getattr(row, "published", None)
        date = "" if published is None or pd.isna(published) else pd.Timestamp(published).strftime("%Y-%m-%d")
        source = getattr(row, "source", None)
        names[str(row.article_id)] = " · ".join(p for p in ("" if pd.isna(source) else str(source), date, title) if p) or str(row.article_id)
    return names


def month_ticks(months, labels: str = "en") -> dict:
    """Axis ticks for months given as «2023-04»: the month's name and year, in Arabic from CLDR (babel)
    when labels are Arabic («أبريل 2023»); at most about twelve ticks."""
    from babel.dates import format_date

    months = [str(m) for m in months]
    step = max(1, math.ceil(len(months) / 12))
    shown = months[::step]
    locale = "ar" if labels == "ar" else "en"
    text = [format_date(pd.Period(m, freq="M").to_timestamp().date(), "MMM y" if locale == "en" else "MMMM y", locale=locale) for m in shown]
    return {"tickmode": "array", "tickvals": shown, "ticktext": [bidi(t) if labels == "ar" else t for t in text]}


def _actor_names(frame: pd.DataFrame, labels: str) -> list[str]:
    if labels == "ar":
        return [safe(name) for name in frame["name_ar"]]
    return [html.escape(str(name)) for name in frame["name_en"]]


def actor_mentions(mentions: pd.DataFrame) -> pd.DataFrame:
    """Mentions per actor: actor_id, name_en, name_ar, bloc, mentions (in the order of those columns)."""
    return mentions.groupby(["actor_id", "name_en", "name_ar", "bloc"], dropna=False, observed=True).size().reset_index(name="mentions")


def actor_bars(mentions: pd.DataFrame, labels: str = "en", top: int = 20) -> go.Figure:
    """Mentions per actor, the `top` most mentioned, one bar trace per bloc (fixed order, possibly empty)."""
    return actor_count_bars(actor_mentions(mentions), labels, top)


def actor_count_bars(counts: pd.DataFrame, labels: str = "en", top: int = 20) -> go.Figure:
    """`actor_bars` from mentions per actor (`actor_mentions`)."""
    counts = counts.sort_values(["mentions", "actor_id"], ascending=[False, True]).head(top)
    order = _actor_names(counts, labels)
    fig = go.Figure()
    for bloc in BLOC_ORDER:
        rows = counts[counts["bloc"] == bloc]
        fig.add_bar(
            y=_actor_names(rows, labels),
            x=rows["mentions"].tolist(),
            name=word(bloc, labels),
            orientation="h",
            marker_color=BLOC_COLORS[bloc],
            showlegend=True,
        )
    fig.update_yaxes(categoryorder="array", categoryarray=order[::-1])
    return _layout(fig, word("actors_by_bloc", labels), labels, barmode="stack", xaxis_title=word("mentions", labels),
                   xaxis=_count_axis(counts["mentions"].max() if len(counts) else 0), height=max(350, 24 * len(order) + 120))


def actor_heatmap(mentions: pd.DataFrame, labels: str = "en", top: int = 15, top_articles: int | None = 30) -> go.Figure:
    """Mentions per actor (rows, the `top` most mentioned) and article (columns: the `top_articles` that
    mention them most, in article order)."""
    counts = mentions.groupby(["actor_id", "name_en", "name_ar", "article_id"], dropna=False, observed=True).size().reset_index(name="mentions")
    leaders = counts.groupby("actor_id", observed=True)["mentions"].sum().sort_values(ascending=False, kind="stable").head(top).index
    shown = counts[counts["actor_id"].isin(leaders)]
    per_article = shown.groupby("article_id", observed=True)["mentions"].sum()
    columns = per_article.index[_largest(per_article, top_articles)]
    table = shown[shown["article_id"].isin(columns)].pivot_table(index="actor_id", columns="article_id", values="mentions", fill_value=0, observed=True)
    table = table.reindex(index=list(leaders), fill_value=0)
    names = counts.drop_duplicates("actor_id").set_index("actor_id").loc[table.index]
    return actor_matrix_heatmap(table, _actor_names(names, labels), labels, articles=len(per_article))


def actor_matrix_heatmap(table: pd.DataFrame, names: list[str], labels: str = "en", articles: int | None = None) -> go.Figure:
    """`actor_heatmap` from its table: mentions with one row per actor (named `names`) and one column per
    article; `articles` is how many articles there were before the columns were cut."""
    fig = go.Figure(go.Heatmap(
        z=table.to_numpy().tolist(),
        x=[html.escape(str(c)) for c in table.columns],
        y=names,
        colorscale="Blues",
        hovertemplate="%{y} · %{x}: %{z}<extra></extra>",
    ))
    fig.update_yaxes(autorange="reversed")
    title = _note(word("actor_by_article", labels), "top_columns", table.shape[1], articles or table.shape[1], labels)
    return _layout(fig, title, labels, height=max(350, 26 * len(table) + 140))


def cooccurrence_pairs(mentions: pd.DataFrame, within: str = "sentence", top: int = 25) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The `top` actors named in the most sentences (or articles) — name_en, name_ar, bloc by actor_id —
    and how often each pair of them is named together (actor_id_x < actor_id_y, count)."""
    keys = ["article_id", "sentence_id"] if within == "sentence" else ["article_id"]
    units = mentions[[*keys, "actor_id"]].drop_duplicates()
    counts = units["actor_id"].value_counts().sort_index()
    leaders = counts[counts > 0].sort_values(ascending=False, kind="stable").head(top).index
    info = mentions.drop_duplicates("actor_id").set_index("actor_id").loc[list(leaders), ["name_en", "name_ar", "bloc"]]
    units = units[units["actor_id"].isin(leaders)].assign(actor_id=lambda u: _text(u["actor_id"]))
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
    names = dict(zip(info.index, _actor_names(info, labels)))
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
    return _layout(fig, title, labels, height=600)


# ---------------------------------------------------------------------------------------------------
# Stance


def _group_label(value, by: str, labels: str, names: dict | None = None, articles: dict | None = None) -> str:
    """A group's name on a chart: a holder by its name (the author when none), a source by its name (one
    word for a missing one in every chart), an article as «source · date · title» (`articles`, else its
    id), a month as it is."""
    missing = pd.isna(value) or value == "—"
    if missing:
        return word({"holder_id": "author", "source": "no_source"}.get(by, "none"), labels)
    if by == "holder_id":
        return actor_name(value, labels, names)
    if by == "article_id":
        named = (articles or {}).get(str(value))
        return safe(named) if named else html.escape(str(value))
    if by == "month":
        return html.escape(str(value))
    return safe(value)


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
        articles = article_names(stance)
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
    shares = shares[_largest(shares["sentences"], top)]
    groups = _distinct([_group_label(v, by, labels, names, articles) for v in shares.index], shares.index)
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
    title = _note(word("stance_by", labels), "top_groups", len(shares), total, labels)
    if hidden:
        title += f" ({word('under_min_n', labels).format(min_n=min_n, hidden=hidden)})"
    return _layout(fig, title, labels, barmode="group", xaxis_title=word("share_of_sentences", labels),
                   xaxis={"range": [-1.05, 1.05], "tickformat": ".0%"}, yaxis=ticks, height=max(350, 90 * len(groups) + 140))


def _distinct(names: list[str], keys) -> list[str]:
    """Display names made distinct: a name two groups share gets each group's key («Ahmed (NEW_KAZ_AHMED)»)."""
    seen = pd.Series(names).duplicated(keep=False).to_numpy()
    return [f"{n} ({html.escape(str(k))})" if twice else n for n, k, twice in zip(names, keys, seen)]


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
            customdata=[None if pd.isna(n) else int(n) for n in summary["n"]], hovertemplate="%{x}: %{y:.2f} (%{customdata} sentences)<extra>%{fullData.name}</extra>",
        )
    return _layout(fig, word("stance_over_time", labels), labels, xaxis_title=word("month", labels), yaxis_title=word("mean_label", labels), yaxis={"range": [-2, 2]},
                   xaxis=month_ticks(summary.index, labels))


# ---------------------------------------------------------------------------------------------------
# Figures


def _shared(positions: np.ndarray, keys: np.ndarray, frame: pd.DataFrame, labels: str) -> tuple[np.ndarray, np.ndarray, list]:
    """Rows (at `positions` of `frame`, in display order) of equal `keys` drawn as one point: the first of each,
    how many others share it, and its hover data (surface; article id and how many more)."""
    first, counts = _firsts(keys)
    shown = positions[first]
    surfaces, articles = frame["surface"].iloc[shown].tolist(), frame["article_id"].iloc[shown].tolist()
    return first, counts - 1, [[safe(s), _where(a, m, labels)] for s, a, m in zip(surfaces, articles, (counts - 1).tolist())]


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
    place, names = _label_codes(groups, ["countries", "year"], lambda r: pd.Series([countries_label(c, labels) for c in r["countries"]], index=r.index, dtype="string")
                                + " · " + r["year"].astype("string").fillna(word("no_year", labels)))
    sizes = np.bincount(place, weights=groups["group_reports"].to_numpy(), minlength=len(names))
    kept = _largest(sizes, top)[place] if len(groups) else np.zeros(0, dtype=bool)
    groups, place = groups[kept], place[kept]
    fig = go.Figure()
    for name in (*MONEY_KINDS, "energy", "production", "other"):
        mine = (groups["kind"] == name).to_numpy(dtype=bool)
        these, at = groups[mine], place[mine]
        median, low, high = (np.round(these[c].to_numpy(dtype=float) / 1e9, 4) for c in ("group_median_usd", "group_low_usd", "group_high_usd"))
        reports = these["group_reports"].to_numpy()
        said = [_report_text(int(n), lo, hi, labels) for n, lo, hi in zip(reports, low, high)]
        where = [_where(a, int(n) - 1, labels) for a, n in zip(these["article_id"], reports)]
        fig.add_bar(
            x=names[at].tolist(), y=median.tolist(), name=word(name, labels),
            error_y={"type": "data", "symmetric": False, "array": np.round(high - median, 4).tolist(), "arrayminus": np.round(median - low, 4).tolist(), "visible": bool((high > low).any())},
            customdata=[[safe(s), w, t] for s, w, t in zip(these["surface"], where, said)],
            hovertemplate="%{customdata[2]}<br>%{customdata[0]} (%{customdata[1]})<extra>%{fullData.name}</extra>",
            meta={"points": [f"{x}: {t}" for x, t in zip(names[at].tolist(), said)]},
        )
    title = _note(word("figures_usd", labels), "top_groups", int(min(len(sizes), top or len(sizes))), len(sizes), labels)
    return _layout(fig, title, labels, barmode="group", yaxis_title=word("usd_billions", labels))


def conflicts_chart(conflicts: pd.DataFrame, labels: str = "en", top: int | None = 30) -> go.Figure:
    """The disagreements of `kit.conflicts`: one row per group, one dot per source's figure (US$ billion;
    equal figures of a source share a dot, the hover says how many); the `top` groups with the most figures."""
    kinds = {kind: word(kind, labels) for kind in conflicts["kind"].dropna().unique()}
    group, names = _label_codes(conflicts, ["countries", "kind", "year"], lambda r: _text(r["countries"]) + " · " + _text(r["kind"]).map(kinds).astype("string") + " · " + r["year"].astype("string"))
    labelled = np.flatnonzero(group >= 0)
    first, sizes = _firsts(group[labelled])  # groups in order of first appearance
    kept = np.zeros(len(names) + 1, dtype=bool)
    kept[group[labelled][first][_largest(sizes, top)]] = True
    rows = np.flatnonzero(kept[group])  # a missing label (-1) reads the last, False
    usd = conflicts["value_usd"].to_numpy(dtype=float, na_value=np.nan)
    billions = np.round(np.where(np.isnan(usd), conflicts["value"].to_numpy(dtype=float, na_value=np.nan), usd) / 1e9, 4)
    source, sources = _label_codes(conflicts[["source"]].iloc[rows], ["source"], lambda r: _text(r["source"], word("no_source", labels)))
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
    title = _note(word("conflicts", labels), "top_groups", shown, len(sizes), labels)
    return _layout(fig, title, labels, xaxis_title=word("usd_billions", labels), height=max(300, 70 * shown + 160))


# ---------------------------------------------------------------------------------------------------
# Search


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
        title += f" ({undated} undated)"
    return _layout(fig, title, labels, barmode="stack", yaxis_title=word("hits", labels), xaxis={**month_ticks(months, labels), "type": "category"},
                   yaxis=_count_axis(frame.groupby("month")["hits"].sum().max() if len(frame) else 0))

