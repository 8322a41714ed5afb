"""What every chart shares: labels in English or Arabic (data/chart_labels.csv; Arabic wrapped in bidi
isolates so it renders right-to-left and shaped), HTML-escaping of article text, the template and layout, the
largest-groups cut with its note («the 30 largest of 100,000 groups»), and the names of actors, countries
(CLDR), articles («source · date · title») and months a chart shows instead of ids. Imports plotly, pandas,
kit.base, kit.extract (the catalogue's names) and kit.viz.theme.
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

from kit.base.codes import column_codes
from kit.base.lexicons import Column, data_path, read_table
from kit.viz.theme import FONT

__all__ = ["actor_labels", "group_label", "largest_groups", "TEMPLATE", "TITLE_CHARS", "actor_name", "article_names", "bidi", "countries_label", "is_empty", "known_names", "month_name", "month_ticks", "plain", "safe", "setup_notebook", "word"]

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


def plain(label: str) -> str:
    """A chart label as text to read (in a CSV): HTML entities decoded, bidi isolates removed."""
    return html.unescape(re.sub("[\u2066-\u2069]", "", str(label)))


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


def chart_layout(fig: go.Figure, title: str, labels: str, **more) -> go.Figure:
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


def largest_groups(sizes: pd.Series | np.ndarray, top: int | None) -> np.ndarray:
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


def count_axis(largest) -> dict:
    """An axis of counts: whole numbers only (a count of 1 never gets ticks at 0.5)."""
    small = largest is not None and largest == largest and largest <= 6
    return {"tickformat": ",d", "rangemode": "tozero", **({"dtick": 1} if small else {})}


def top_note(title: str, key: str, shown: int, total: int, labels: str) -> str:
    """The title, and what was left out when a chart shows only the largest groups («… (the 30 largest of 1,200 groups)»)."""
    return f"{title} ({word(key, labels).format(shown=shown, total=total)})" if shown < total else title


def text_labels(values: pd.Series, missing: str | None = None) -> pd.Series:
    """A column as plain strings (categories too), missing values as `missing` (or left missing)."""
    text = values.astype(object).where(values.notna(), None).astype("string")
    return text.fillna(missing) if missing is not None else text


def label_codes(frame: pd.DataFrame, columns: list[str], label: Callable[[pd.DataFrame], pd.Series]) -> tuple[np.ndarray, pd.Index]:
    """Each row's code among the sorted distinct values of a row-wise `label` of `columns` (-1: a missing
    label), and those values; `label` runs on one row per distinct combination of the columns (joining text
    row by row is what makes a chart of 100,000 rows slow)."""
    _, first, inverse = np.unique(column_codes(frame, columns), return_index=True, return_inverse=True)
    codes, names = pd.factorize(label(frame.iloc[first]), sort=True)
    return codes[inverse.ravel()], names


def first_positions(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each distinct key first occurs (in row order) and how many rows have it."""
    _, first, counts = np.unique(keys, return_index=True, return_counts=True)
    order = np.argsort(first, kind="stable")
    return first[order], counts[order]


def where_text(first, more: int, labels: str) -> str:
    """An article id for a hover text, with how many more rows share the point."""
    first = html.escape(str(first))
    return word("and_more", labels).format(first=first, more=more) if more else first


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


def _day(day: pd.Timestamp, labels: str) -> str:
    """A date for an article's name: «2023-11-10», in Arabic by its CLDR month name («10 نوفمبر 2023»)."""
    if labels != "ar":
        return day.strftime("%Y-%m-%d")
    from babel.dates import format_date

    return format_date(day.date(), "d MMMM y", locale="ar")


def article_names(articles: pd.DataFrame, labels: str = "en") -> dict[str, str]:
    """article_id → «source · date · title» (plain text, the title cut after TITLE_CHARS characters): how
    charts name an article instead of its id (dates with Arabic month names when labels are Arabic); a missing source is named as every chart names it («(no source)»)."""
    articles = articles.drop_duplicates("article_id")
    column = lambda name: articles[name].astype(object) if name in articles.columns else pd.Series([None] * len(articles), index=articles.index, dtype=object)
    title = column("title").where(column("title").notna(), "").astype(str)
    long = title.str.len() > TITLE_CHARS
    title = title.where(~long, title.str[: TITLE_CHARS - 1].str.rstrip() + "…")
    published = column("published")
    days = {day: _day(pd.Timestamp(day), labels) for day in pd.unique(published[published.notna()])}  # articles share dates
    date = published.map(lambda day: days.get(day, "") if day is not None and not pd.isna(day) else "")
    source = column("source").where(column("source").notna(), _words()[labels]["no_source"]).astype(str)
    parts = zip(source.tolist(), date.tolist(), title.tolist())
    return {str(a): " · ".join(p for p in row if p) for a, row in zip(articles["article_id"].tolist(), parts)}


def month_ticks(months, labels: str = "en") -> dict:
    """Axis ticks for months given as «2023-04»: the month's name and year, in Arabic from CLDR (babel)
    when labels are Arabic («أبريل 2023»); at most about twelve ticks."""
    months = [str(m) for m in months]
    step = max(1, math.ceil(len(months) / 12))
    shown = months[::step]
    return {"tickmode": "array", "tickvals": shown, "ticktext": [month_name(m, labels) for m in shown]}


def month_name(month, labels: str = "en") -> str:
    """A month given as «2023-04» by its name and year from CLDR (babel): «Apr 2023», «أبريل 2023» (isolated
    right-to-left)."""
    from babel.dates import format_date

    day = pd.Period(str(month), freq="M").to_timestamp().date()
    return bidi(format_date(day, "MMMM y", locale="ar")) if labels == "ar" else format_date(day, "MMM y", locale="en")


def actor_labels(frame: pd.DataFrame, labels: str) -> list[str]:
    if labels == "ar":
        return [safe(name) for name in frame["name_ar"]]
    return [html.escape(str(name)) for name in frame["name_en"]]


def group_label(value, by: str, labels: str, names: dict | None = None, articles: dict | None = None) -> str:
    """A group's name on a chart: a holder by its name (the author when none), a source by its name (one
    word for a missing one in every chart), an article as «source · date · title» (`articles`, else its
    id), a month by its name («Nov 2023», «نوفمبر 2023»)."""
    missing = pd.isna(value) or value == "—"
    if missing:
        return word({"holder_id": "author", "source": "no_source"}.get(by, "none"), labels)
    if by == "holder_id":
        return actor_name(value, labels, names)
    if by == "article_id":
        named = (articles or {}).get(str(value))
        return safe(named) if named else html.escape(str(value))
    if by == "month":
        try:
            return month_name(value, labels)
        except ValueError:  # not a month: as it is
            return html.escape(str(value))
    return safe(value)


def distinct_names(names: list[str], keys) -> list[str]:
    """Display names made distinct: a name two groups share gets each group's key («Ahmed (NEW_KAZ_AHMED)»)."""
    seen = pd.Series(names).duplicated(keep=False).to_numpy()
    return [f"{n} ({html.escape(str(k))})" if twice else n for n, k, twice in zip(names, keys, seen)]
