"""Charts with Arabic labels show names only: no actor id, ISO code, hash article id, English word or month,
and one label for a missing source; checked on the figure objects of every dashboard on the seeds."""

import html
import re

import pandas as pd
import plotly.graph_objects as go
import pytest

import kit
from kit.viz import charts

LATIN = re.compile(r"[A-Za-z]")


def read(text) -> str:
    return html.unescape(re.sub("[\u2066-\u2069]", "", str(text)))


def visible(figure: go.Figure) -> list[str]:
    """Every text a chart shows (not its hover): title, axis titles and category ticks, legend entries, node labels."""
    layout = figure.layout
    texts = [layout.title.text or ""]
    for axis in (layout.xaxis, layout.yaxis):
        texts.append(axis.title.text or "")
        texts += list(axis.ticktext or ())
    texts += [a.text for a in layout.annotations or ()]
    for trace in figure.data:
        if trace.showlegend is not False and trace.name:
            texts.append(trace.name)
        texts += [t for t in (getattr(trace, "text", None) or ()) if isinstance(t, str)]
        for values in (trace.x, trace.y):
            texts += [v for v in values or () if isinstance(v, str) and not re.fullmatch(r"\d{4}-\d\d(-\d\d)?", v)]  # dates are axis positions
    return [read(t) for t in texts if t]


def arabic_charts(annotated) -> dict[str, go.Figure]:
    boards = [kit.CorpusDashboard(annotated, "ar"), kit.SearchDashboard(annotated, "ar", query="العقوبات"), kit.ActorsDashboard(annotated, "ar"),
              kit.FiguresDashboard(annotated, "ar")]
    drawn = {f"{b.name}-{c}": go.Figure(w) for b in boards for c, w in b.charts.items()}
    stance = kit.StanceDashboard(annotated, "ar")
    for by in ("article_id", "source", "holder_id", "month"):
        stance.by.value = by
        drawn[f"stance-by-{by}"] = go.Figure(stance.charts["by_group"])
    drawn["stance-timeline"] = go.Figure(stance.charts["timeline"])
    return drawn


@pytest.fixture(scope="module")
def drawn(annotated):
    return arabic_charts(annotated)


def test_no_chart_of_any_dashboard_shows_latin_text_when_labels_are_arabic(annotated, drawn):
    ids = set(annotated.articles["article_id"]) | set(annotated.mentions["actor_id"].dropna().astype(str))
    for name, figure in drawn.items():
        shown = visible(figure)
        assert shown, name
        assert [t for t in shown if LATIN.search(t)] == [], name  # no RUS_MISHUSTIN, KAZ;RUS, 004_2fa4…, «Nov», «undated»
        assert not [t for t in shown if t in ids], name


def test_articles_are_named_on_the_heatmap_and_the_segments_chart_with_the_id_in_the_hover(annotated, drawn):
    tass = annotated.articles.set_index("article_id").loc["004_2fa40185600453ab"]
    assert tass["source"] == "تاس"
    heat = drawn["actors-heatmap"].data[0]
    assert "تاس · 11 أبريل 2023 · لافروف يبحث العلاقات الثنائية والأجندة…" in map(read, heat.x)
    assert "004_2fa40185600453ab" in heat.customdata[0]
    segments = drawn["corpus-segments"].data[0]
    assert "تاس · 11 أبريل 2023 · لافروف يبحث العلاقات الثنائية والأجندة…" in map(read, segments.y) and "004_2fa40185600453ab" in segments.hovertext
    english = kit.viz.charts.segments_chart(annotated.sentences, "en", articles=annotated.articles).data[0]
    assert "تاس · 2023-04-11 · لافروف يبحث العلاقات الثنائية والأجندة…" in map(read, english.y)


def test_the_conflicts_chart_names_the_countries(annotated):
    found = kit.conflicts(annotated.figures, annotated.articles)
    assert set(found["countries"]) == {"KAZ;RUS"}
    assert [read(y) for y in charts.conflicts_chart(found, "ar").data[0].y] == ["كازاخستان، روسيا · تجارة · 2022"]
    assert [read(y) for y in charts.conflicts_chart(found, "en").data[0].y] == ["Kazakhstan, Russia · Trade · 2022"]


def test_months_are_named_in_the_stance_bars_by_month(annotated, drawn):
    stance = kit.in_context(annotated.stance, annotated)
    assert [read(y) for y in drawn["stance-by-month"].data[0].y] == ["أبريل 2023", "نوفمبر 2023"]
    assert list(charts.stance_bars(stance, "month", "en").data[0].y) == ["Apr 2023", "Nov 2023"]


def test_a_missing_source_has_one_label_in_article_names_and_in_every_chart(annotated, drawn):
    unsourced = annotated.articles[annotated.articles["source"].isna()]
    assert len(unsourced) == 1
    for labels, word in (("en", "(no source)"), ("ar", "(دون مصدر)")):
        name = charts.article_names(annotated.articles, labels)[unsourced["article_id"].iloc[0]]
        assert name.startswith(f"{word} · ")
    assert "(دون مصدر)" in map(read, drawn["stance-by-source"].data[0].y)
    assert "(دون مصدر)" in [read(t.name) for t in drawn["corpus-timeline"].data]
    assert any(read(y).startswith("(دون مصدر) · ") for y in drawn["stance-by-article_id"].data[0].y)


def test_an_undated_article_is_said_in_the_labels_language(annotated):
    undated = annotated.articles.assign(published=annotated.articles["published"].where(annotated.articles["source"].notna()))
    assert charts.timeline(undated, "en").layout.title.text.endswith("(1 undated)")
    assert read(charts.timeline(undated, "ar").layout.title.text).endswith("(1 دون تاريخ)")
    assert pd.isna(undated["published"]).sum() == 1
