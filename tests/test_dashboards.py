"""kit.dashboards: dashboards re-score and re-aggregate from precomputed codes, with the same results as the
row-by-row builders, bounded charts and pickers on a large corpus, and charts that change when a control moves."""

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

import kit
from kit.dashboards.base import ARTICLES, LISTED, TOP
from kit.extract.stance_scores import score
from kit.tables import in_context
from kit.viz import charts


def tiled(annotated: kit.Annotated, copies: int) -> kit.Annotated:
    """`copies` copies of every table, article ids f"{id}#{k}", publication dates shifted by k weeks."""
    base = annotated.articles
    code = {a: i for i, a in enumerate(base["article_id"])}
    ids = np.array([f"{a}#{k}" for k in range(copies) for a in base["article_id"]], dtype=object)

    def grow(table: pd.DataFrame, dates: bool = False) -> pd.DataFrame:
        k = np.repeat(np.arange(copies), len(table))
        out = table.iloc[np.tile(np.arange(len(table)), copies)].reset_index(drop=True)
        new_ids = ids[k * len(base) + np.tile(table["article_id"].astype(object).map(code).to_numpy(int), copies)]
        categorical = isinstance(table["article_id"].dtype, pd.CategoricalDtype)
        out["article_id"] = pd.Categorical(new_ids) if categorical else pd.array(new_ids, dtype=table["article_id"].dtype)
        if dates:
            out["published"] = out["published"] + pd.to_timedelta(7 * k, unit="D")
        return out.astype({c: t for c, t in table.dtypes.items() if c != "article_id"})

    return kit.Annotated(**{name: grow(getattr(annotated, name), name == "articles") for name in kit.TABLES}, errors=annotated.errors)


@pytest.fixture(scope="module")
def large(annotated) -> kit.Annotated:
    return tiled(annotated, 400)  # 2,000 articles


def json_of(figure) -> dict:
    """A chart as plotly JSON, without the random trace ids a FigureWidget adds."""
    data = go.Figure(figure).to_plotly_json()
    return {"data": [{k: v for k, v in trace.items() if k != "uid"} for trace in data["data"]], "layout": data["layout"]}


def same(got: pd.DataFrame, expected: pd.DataFrame) -> None:
    """Equal tables, values exactly; a column may be categorical on one side (a merge makes it plain)."""
    pd.testing.assert_frame_equal(got, expected, check_exact=True, check_dtype=False, check_categorical=False)


def reference_scored(annotated, weights, threshold, segments=("body",)) -> pd.DataFrame:
    """What StanceDashboard.scored() computed before it had a fast path: score(), merges, a segment filter."""
    stance = annotated.stance[["article_id", "sentence_id", "holder_id"]]
    rescored = in_context(stance.merge(score(annotated.cues, stance, weights, threshold), on=["article_id", "sentence_id"]), annotated)
    return rescored[rescored["segment"].isin(segments)].reset_index(drop=True)


@pytest.mark.parametrize("weights, threshold", [
    ({}, 0.5), ({}, 1.0), ({"praise": 0.5}, 0.5),  # scores right at the threshold count
    ({"partnership": 0.3, "criticism": 1.7}, 0.5), ({"partnership": 0.0}, 1.2), ({c: 2.0 for c in ("praise", "sanctions")}, 0.1),
])
def test_fast_rescoring_equals_score_in_context(annotated, weights, threshold):
    board = kit.StanceDashboard(annotated)
    for category, value in weights.items():
        board.weights[category].value = value
    board.threshold.value = threshold
    expected = reference_scored(annotated, board.current_weights(), threshold)
    same(board.scored(), expected)
    assert json_of(board.charts["by_group"]) == json_of(charts.stance_bars(expected, "article_id"))
    assert json_of(board.charts["timeline"]) == json_of(charts.stance_timeline(expected))
    board.segments.value = ("body", "related")
    board.by.value = "holder_id"
    expected = reference_scored(annotated, board.current_weights(), threshold, ("body", "related"))
    same(board.scored(), expected)
    assert json_of(board.charts["by_group"]) == json_of(charts.stance_bars(expected, "holder_id", min_n=board.min_n.value, names=board.names))


def test_seed_dashboards_draw_what_the_row_builders_draw(annotated):
    """On the seeds nothing is cut, so each dashboard chart equals the chart builder applied to its rows."""
    stance = kit.StanceDashboard(annotated, "ar")
    body = reference_scored(annotated, None, 0.5)
    assert json_of(stance.charts["by_group"]) == json_of(charts.stance_bars(body, "article_id", "ar"))
    assert json_of(stance.charts["timeline"]) == json_of(charts.stance_timeline(body, "ar"))
    stance.by.value = "source"
    assert json_of(stance.charts["by_group"]) == json_of(charts.stance_bars(body, "source", "ar", min_n=3))
    actors = kit.ActorsDashboard(annotated)
    rows = in_context(annotated.mentions, annotated)
    rows = rows[(rows["segment"] == "body") & (rows["actor_type"] != "region")]  # places are off by default
    assert len(actors.rows["frequencies"]) == len(rows)
    assert json_of(actors.charts["frequencies"]) == json_of(charts.actor_bars(rows))
    assert json_of(actors.charts["heatmap"]) == json_of(charts.actor_heatmap(rows))
    assert json_of(actors.charts["network"]) == json_of(charts.cooccurrence_network(rows))
    corpus = kit.CorpusDashboard(annotated)
    assert json_of(corpus.charts["segments"]) == json_of(charts.segments_chart(annotated.sentences, articles=annotated.articles))
    assert json_of(corpus.charts["timeline"]) == json_of(charts.timeline(annotated.articles))


def test_a_weight_change_rescores_and_redraws_in_place(annotated):
    board = kit.StanceDashboard(annotated)
    widget = board.charts["by_group"]
    before = [list(trace.x) for trace in widget.data]
    summary = board.summary()
    peskov = annotated.sentences[annotated.sentences["text"] == 'وأضاف: "لكنه شريكنا الإستراتيجي".'][["article_id", "sentence_id"]].iloc[0]
    label = board.scored().set_index(["article_id", "sentence_id"]).loc[(peskov["article_id"], peskov["sentence_id"]), "russia"]
    assert label == 1
    board.weights["partnership"].value = 0.0
    assert board.charts["by_group"] is widget  # the same FigureWidget, updated in place
    assert [list(trace.x) for trace in widget.data] != before
    assert board.summary() != summary
    assert board.scored().set_index(["article_id", "sentence_id"]).loc[(peskov["article_id"], peskov["sentence_id"]), "russia"] == 0
    board.weights["partnership"].value = 1.0
    assert [list(trace.x) for trace in widget.data] == before


def test_stance_dashboard_on_a_large_corpus_keeps_charts_and_pickers_bounded(large):
    board = kit.StanceDashboard(large)
    bars = board.charts["by_group"]
    assert all(len(trace.y) == TOP for trace in bars.data)
    assert bars.layout.title.text == f"Stance toward Russia and the West (the {TOP} largest of 2,000 groups)"
    assert len(board.article.options) == TOP
    shown = {value for _, value in board.article.options}
    assert {hover.rsplit(" · ", 1)[1] for hover in bars.data[0].hovertext} == shown  # the picker lists the articles of the bars
    assert not shown & set(bars.data[0].y)  # which the bars name by source, date and title, not by id
    article = board.article.value
    assert 0 < len(board.sentence.options) <= (large.stance["article_id"] == article).sum()
    assert {value[0] for _, value in board.sentence.options} == {article}
    rows = board.rows["by_group"]  # the rows behind the bars: only the groups drawn
    assert set(rows["article_id"]) == shown
    assert len(rows) == sum(bars.data[0].customdata)
    board.by.value = "source"
    assert len(board.charts["by_group"].data[0].y) == 5
    assert len(board.article.options) <= ARTICLES
    board.by.value = "month"
    months = board.charts["timeline"].data[0].x
    assert list(months) == sorted(months) and len(months) > 12
    # the explorer reads the article's rows through the index: the same HTML as over the whole corpus
    board.article.value = board.article.options[-1][1]
    marked = 0
    for _, (article_id, sentence_id) in board.sentence.options:
        board.sentence.value = (article_id, sentence_id)
        expected = kit.sentence_html(large, article_id, sentence_id, "cues")
        assert board.explorer.value.startswith(expected)
        marked += "<mark" in expected
    assert marked > 0


def test_any_article_can_be_opened_by_its_id(large):
    board = kit.StanceDashboard(large)
    wanted = large.articles["article_id"].iloc[-1]
    assert wanted not in {value for _, value in board.article.options}
    board.picker.find.value = wanted
    assert board.article.value == wanted
    assert board.sentence.value[0] == wanted
    board.picker.find.value = "no such article"
    assert board.picker.find.description == "Not found" and board.article.value == wanted


def test_a_weight_change_on_a_large_corpus_equals_score(large):
    board = kit.StanceDashboard(large)
    board.weights["partnership"].value = 0.3
    board.threshold.value = 0.8
    expected = reference_scored(large, board.current_weights(), 0.8)
    same(board.scored(), expected)
    shares = charts.stance_shares(expected, "article_id")
    top = shares[charts.largest_groups(shares["sentences"], TOP)]
    assert list(board.charts["by_group"].data[0].x) == top["pro_russia"].round(4).tolist()


@pytest.mark.parametrize("digest_base", [1_000_003, 1], ids=["digest", "colliding digest"])
def test_every_actors_control_on_a_large_corpus_draws_what_the_row_builders_draw(large, monkeypatch, digest_base):
    """The dashboard counts cells and kinds of sentence, not rows; the charts must not change. With base 1 the
    sentence digest is a plain sum, sentences naming different actors collide, and the exact check must catch it."""
    monkeypatch.setattr(kit.dashboards.actors, "_HASH_BASE", digest_base)
    board = kit.ActorsDashboard(large)
    reference = in_context(large.mentions, large)
    settings = [
        {"source": "تاس", "segments": ("body", "related")},
        {"types": ("person", "organisation"), "minimum": 4},
        {"source": None, "types": ("person", "country", "organisation", "bloc"), "segments": ("body", "related", "tags", "boilerplate"), "blocs": ("russia", "west"), "minimum": 1},
    ]
    for setting in settings:
        for control, value in setting.items():
            getattr(board, control).value = value
        rows = reference[reference["segment"].isin(board.segments.value) & reference["actor_type"].isin(board.types.value) & reference["bloc"].isin(board.blocs.value)]
        rows = rows[rows["source"] == board.source.value] if board.source.value else rows
        counts = rows["actor_id"].value_counts()
        rows = rows[rows["actor_id"].isin(counts[counts >= board.minimum.value].index)].reset_index(drop=True)
        assert 0 < len(rows) < len(reference)
        same(board.filtered(), rows)
        for name, builder in [("frequencies", charts.actor_bars), ("heatmap", charts.actor_heatmap), ("network", charts.cooccurrence_network)]:
            assert json_of(board.charts[name]) == json_of(builder(rows)), (setting, name)
        per_article = rows["article_id"].value_counts()
        assert set(board.article.options[i][1] for i in range(len(board.article.options))) <= set(per_article.index)


def test_actors_dashboard_on_a_large_corpus_equals_the_row_builders(large):
    board = kit.ActorsDashboard(large)
    board.minimum.value = 3
    board.blocs.value = ("russia", "west", "central_asia")
    rows = board.filtered()
    reference = in_context(large.mentions, large)
    reference = reference[(reference["segment"] == "body") & reference["bloc"].isin(board.blocs.value) & (reference["actor_type"] != "region")]
    counts = reference["actor_id"].value_counts()
    reference = reference[reference["actor_id"].isin(counts[counts >= 3].index)].reset_index(drop=True)
    same(rows, reference)
    assert json_of(board.charts["frequencies"]) == json_of(charts.actor_bars(rows))
    assert json_of(board.charts["network"]) == json_of(charts.cooccurrence_network(rows))
    heatmap = board.charts["heatmap"]
    assert json_of(heatmap) == json_of(charts.actor_heatmap(rows))
    assert len(heatmap.data[0].x) == TOP and f"the {TOP} of 2,000 articles" in heatmap.layout.title.text
    assert len(board.article.options) == ARTICLES
    assert "Who said what" in board.quotes.value and board.quotes.value.count("<tr>") == LISTED + 1


def test_corpus_and_figures_dashboards_on_a_large_corpus_are_bounded(large):
    corpus = kit.CorpusDashboard(large)
    segments = corpus.charts["segments"]
    assert all(len(trace.y) == TOP for trace in segments.data)
    assert f"the {TOP} longest of 2,000 articles" in segments.layout.title.text
    assert len(corpus.article.options) == ARTICLES
    corpus.source.value = "تاس"
    assert len(corpus.charts["timeline"].data) == 1 and all(a.split("#")[0] == "004_2fa40185600453ab" for _, a in corpus.article.options)
    assert len(corpus.rows["segments"]) == (large.sentences["article_id"].str.startswith("004_")).sum()
    figures = kit.FiguresDashboard(large)
    drawn = sum(len(trace.x) for trace in figures.charts["usd"].data)
    assert 0 < drawn <= 5  # 400 copies of each figure share a bar
    assert all(len(trace.x) == 1 for trace in figures.charts["conflicts"].data)
    assert "and 399 more" in str(figures.charts["conflicts"].data[0].customdata)
    assert figures.table.value.count("<tr>") == LISTED + 1
    behind = figures.rows["usd"]  # the money figures behind the bars, each with its group of reports
    assert len(behind) == figures.filtered()["value_usd"].notna().sum() < len(figures.filtered())
    assert (behind.groupby("group_id")["group_reports"].first() == behind.groupby("group_id").size()).all()


def test_a_filter_that_matches_nothing_shows_a_note_that_goes_when_rows_match_again(annotated):
    dashboard = kit.FiguresDashboard(annotated)
    usd = dashboard.charts["usd"]
    assert not usd.layout.annotations
    dashboard.years.value = (dashboard.years.min, dashboard.years.min)  # a year before every figure
    assert [a.text for a in usd.layout.annotations] == [kit.viz.charts.word("no_rows")]
    dashboard.years.value = (dashboard.years.min, dashboard.years.max)
    assert not usd.layout.annotations and sum(len(t.x) for t in usd.data) > 0


def test_the_figures_table_lists_the_filtered_figures_whatever_the_tolerance_and_labels(annotated):
    dashboard = kit.FiguresDashboard(annotated)
    every = dashboard.table.value
    assert every.count("<tr>") == len(dashboard.filtered()) + 1 > 1
    dashboard.years.value = (dashboard.years.min, dashboard.years.min)  # a year before every figure
    assert dashboard.table.value.count("<tr>") == 1
    dashboard.tolerance.value, dashboard.labels.value = 0.3, "ar"
    assert dashboard.table.value.count("<tr>") == 1
    dashboard.years.value = (dashboard.years.min, dashboard.years.max)
    assert dashboard.table.value == every


def test_what_the_imports_built_is_frozen_out_of_the_collector_and_new_garbage_is_still_collected():
    import gc
    import sys
    import weakref

    tracked = {id(o) for o in gc.get_objects()}
    # plotly's renderers import nbformat, which imports jsonschema (and its URI grammar): alive for good
    assert gc.get_freeze_count() > 0
    assert all(id(vars(sys.modules[name])) not in tracked for name in ("nbformat", "jsonschema", "plotly.io._renderers"))

    class Node:
        pass

    node = Node()
    node.cycle = node  # garbage only the cyclic collector can free
    gone = weakref.ref(node)
    del node
    gc.collect()
    assert gone() is None


def test_the_corpus_reader_follows_the_segments_and_the_charts_follow_source_and_labels(annotated):
    board = kit.CorpusDashboard(annotated)
    board.article.value = next(a for _, a in board.article.options if a.startswith("000_"))  # ends with a related story
    drawn = {name: json_of(widget) for name, widget in board.charts.items()}
    assert board.segments.value == ("body", "related", "tags", "boilerplate") and 'title="related' in board.reader.value
    board.segments.value = ("body",)
    assert 'title="related' not in board.reader.value and 'title="body' in board.reader.value
    assert {name: json_of(widget) for name, widget in board.charts.items()} == drawn
    board.labels.value = "ar"
    assert json_of(board.charts["timeline"]) == json_of(charts.timeline(annotated.articles, "ar")) != drawn["timeline"]
    board.source.value = "تاس"
    assert json_of(board.charts["timeline"]) == json_of(charts.timeline(annotated.articles[annotated.articles["source"] == "تاس"], "ar"))


def test_the_figures_dashboard_says_what_the_other_filters_leave_a_control_to_change(annotated):
    board = kit.FiguresDashboard(annotated)
    assert "trade 2" in board.why.value and "By segment under these kinds and years: body 5" in board.why.value
    board.kinds.value = ("trade",)  # the seeds' two trade figures are both in the body
    assert "body 2" in board.why.value and "the Segments choice changes nothing here" in board.why.value
