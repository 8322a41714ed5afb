"""kit.viz.charts: builders from tidy rows, English and Arabic labels, stable trace structure."""

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

import kit
from kit.viz import charts


def test_arabic_labels_are_bidi_isolated_and_english_labels_are_english(annotated):
    mentions = annotated.mentions.merge(annotated.body()[["article_id", "sentence_id"]])
    arabic = charts.actor_bars(mentions, labels="ar")
    english = charts.actor_bars(mentions, labels="en")
    russia_ar = [y for y in arabic.data[0].y]
    assert "\u2067روسيا\u2069" in russia_ar
    assert "Russia" in english.data[0].y
    assert "Noto Naskh Arabic" in arabic.layout.font.family
    assert arabic.layout.title.text == "\u2067إشارات الفاعلين حسب المعسكر\u2069"


def test_traces_keep_their_structure_whatever_the_filter(annotated):
    mentions = annotated.mentions
    full = charts.actor_bars(mentions)
    russians = charts.actor_bars(mentions[mentions["bloc"] == "russia"])
    assert [t.name for t in full.data] == [t.name for t in russians.data] == [charts.word(b) for b in charts.BLOC_ORDER]
    assert sum(len(t.x) for t in russians.data[1:]) == 0


def test_bars_count_the_rows_they_are_given(annotated):
    mentions = annotated.mentions.merge(annotated.body()[["article_id", "sentence_id"]])
    figure = charts.actor_bars(mentions, top=1000)
    assert sum(sum(t.x) for t in figure.data) == len(mentions)
    stance = kit.in_context(annotated.stance, annotated)
    bars = charts.stance_bars(stance, "article_id")
    assert bars.data[0].customdata.tolist() if hasattr(bars.data[0].customdata, "tolist") else list(bars.data[0].customdata) == stance.groupby("article_id").size().tolist()


def test_article_text_in_labels_is_escaped():
    assert charts.safe('<img src=x onerror="alert(1)">') == "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"
    assert charts.safe("موقع <24>") == "\u2067موقع &lt;24&gt;\u2069"


def test_charts_of_many_groups_draw_the_largest_and_say_so(annotated):
    stance = kit.in_context(annotated.stance, annotated)
    shares = charts.stance_shares(stance, "holder_id")
    for labels, note in (("en", "(the 10 largest of {} groups)"), ("ar", "(\u2067أكبر 10 من {} مجموعة\u2069)")):
        figure = charts.stance_bars(stance, "holder_id", labels, top=10)
        assert figure.layout.title.text.endswith(note.format(len(shares)))
        assert all(len(trace.y) == 10 for trace in figure.data)
        assert sorted(figure.data[0].customdata, reverse=True) == sorted(shares["sentences"], reverse=True)[:10]
    assert charts.stance_bars(stance, "holder_id", top=None).layout.title.text == charts.word("stance_by")
    segments = charts.segments_chart(annotated.sentences, top=2)
    longest = (annotated.sentences["end"] - annotated.sentences["start"]).groupby(annotated.sentences["article_id"].astype(str)).sum().nlargest(2)
    assert set(segments.data[0].y) == set(longest.index) and segments.layout.title.text.endswith("(the 2 longest of 5 articles)")
    heatmap = charts.actor_heatmap(annotated.mentions, top_articles=3)
    assert len(heatmap.data[0].x) == 3 and "the 3 of 5 articles that mention them most" in heatmap.layout.title.text


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 6), max_size=40) | st.lists(st.floats(-3, 3) | st.just(float("nan")), max_size=40), st.integers(0, 45) | st.none())
def test_the_largest_groups_are_those_a_stable_sort_puts_first(sizes, top):
    values = np.array(sizes, dtype=np.int64 if all(isinstance(v, int) for v in sizes) else float)
    expected = np.ones(len(values), dtype=bool)
    if top is not None and len(values) > top:  # the definition: the first `top` of a stable sort, largest first
        expected[:] = False
        expected[np.argsort(-values, kind="stable")[:top]] = True
    assert charts.largest_groups(values, top).tolist() == expected.tolist()
    assert charts.largest_groups(pd.Series(values), top).tolist() == expected.tolist()


def test_stance_shares_are_the_shares_of_each_group(annotated):
    stance = kit.in_context(annotated.stance, annotated)
    for by in ("article_id", "source", "holder_id", "month"):
        shares = charts.stance_shares(stance, by)
        key = stance[by].astype("object").where(stance[by].notna(), "—")
        grouped = stance.groupby(key, sort=True)
        assert list(shares.index) == list(grouped.size().index)
        assert shares["pro_russia"].tolist() == grouped["russia"].apply(lambda s: (s == 1).mean()).tolist()
        assert shares["anti_west"].tolist() == grouped["west"].apply(lambda s: -(s == -1).mean()).tolist()
        assert shares["sentences"].sum() == len(stance)


def test_a_timeline_of_many_sources_keeps_the_largest_and_the_rest_together(annotated):
    articles = annotated.articles
    figure = charts.timeline(articles, top=2)
    assert len(figure.data) == 3 and figure.data[-1].name == "Other sources"
    assert sum(sum(trace.y) for trace in figure.data) == articles["published"].notna().sum()
    assert "(the 2 largest of 5 sources; the others together)" in figure.layout.title.text


def test_repeated_figures_share_a_bar_and_the_hover_says_how_many(annotated):
    once = annotated.figures
    twice = pd.concat([once, once.assign(article_id=once["article_id"].astype(str) + "#copy")], ignore_index=True)
    single, double = charts.figures_chart(once), charts.figures_chart(twice)
    assert [list(t.y) for t in single.data] == [list(t.y) for t in double.data]
    reports = {row[2] for trace in double.data for row in trace.customdata}
    assert reports == {"4 reports, 27.0–28.2 bn USD", "2 reports, 3.5–3.5 bn USD", "2 reports, 3.0–3.0 bn USD"}
    assert all("and 1 more" in str(row[1]) for trace in single.data for row in trace.customdata if row[2].startswith("2 reports"))
    articles = pd.concat([annotated.articles, annotated.articles.assign(article_id=annotated.articles["article_id"] + "#copy")])
    found = kit.conflicts(twice, articles)
    dots = charts.conflicts_chart(found, "ar")
    assert sum(len(t.x) for t in dots.data) == sum(len(t.x) for t in charts.conflicts_chart(kit.conflicts(once, annotated.articles), "ar").data)
    assert any("\u2067" in str(row[1]) and "1" in str(row[1]) for trace in dots.data for row in trace.customdata)


def test_two_reports_of_the_seed_trade_are_one_bar_at_their_median_never_their_sum(annotated):
    # 003 «27 مليار دولار» and 004 «28.2 مليار دولار»: Kazakhstan–Russia trade in 2022
    figure = charts.figures_chart(annotated.figures)
    trade = next(t for t in figure.data if t.name == "Trade")
    assert list(trade.x) == ["Kazakhstan, Russia · 2022"] and list(trade.y) == [27.6]
    assert (trade.error_y.arrayminus, trade.error_y.array) == ((0.6,), (0.6,))
    assert "Kazakhstan, Russia · 2022: 2 reports, 27.0–28.2 bn USD" in kit.describe_figure(figure)
    arabic = next(t for t in charts.figures_chart(annotated.figures, "ar").data if len(t.y))
    assert "\u2067كازاخستان\u2069، \u2067روسيا\u2069 · 2022" in [*arabic.x, *(t.x[0] for t in charts.figures_chart(annotated.figures, "ar").data if len(t.x))]
    assert "55.2" not in kit.describe_figure(figure)
    rows = charts.figure_groups(annotated.figures)
    pair = rows[rows["kind"] == "trade"]
    assert pair["surface"].tolist() == ["27 مليار دولار", "28.2 مليار دولار"]
    assert pair["group_reports"].tolist() == [2, 2] and pair["group_articles"].tolist() == [2, 2] and pair["group_id"].nunique() == 1
    assert pair[["group_low_usd", "group_median_usd", "group_high_usd"]].iloc[0].tolist() == [27e9, 27.6e9, 28.2e9]
    texts = dict(zip(annotated.articles["article_id"], annotated.articles["text"]))
    assert all(texts[a][s:e] == surface for a, s, e, surface in zip(rows["article_id"], rows["start"], rows["end"], rows["surface"]))


def test_different_quantities_stay_apart_and_a_group_of_many_reports_draws_one_median(annotated):
    money = annotated.figures.dropna(subset=["value_usd"])
    first = money.iloc[[0]]
    # value k billion reported once in each of 30 articles: one quantity, median 15.5, range 1-30
    many = pd.concat([first.assign(value_usd=k * 1e9, article_id=f"copy-{k}") for k in range(1, 31)], ignore_index=True)
    figure = charts.figures_chart(many)
    drawn = [(x, y) for trace in figure.data for x, y in zip(trace.x, trace.y)]
    assert len(drawn) == 1 and drawn[0][1] == 15.5
    bar = next(t for t in figure.data if len(t.y))
    assert (bar.error_y.arrayminus, bar.error_y.array) == ((14.5,), (14.5,))
    assert bar.customdata[0][2] == "30 reports, 1.0–30.0 bn USD"
    # the same values a year apart each, or of another kind: 30 quantities, 30 bars, nothing merged
    apart = many.assign(year=pd.array(range(1990, 2020), dtype=many["year"].dtype))
    assert sorted(y for t in charts.figures_chart(apart, top=None).data for y in t.y) == [float(k) for k in range(1, 31)]
    kinds = pd.concat([first.assign(kind=kind, value_usd=1e9 * (i + 1)) for i, kind in enumerate(["trade", "investment", "loan"])], ignore_index=True)
    assert sorted(y for t in charts.figures_chart(kinds).data for y in t.y) == [1.0, 2.0, 3.0]


def test_the_network_draws_each_pair_once_between_its_two_actors_thicker_when_named_together_more(annotated):
    mentions = annotated.mentions.merge(annotated.body()[["article_id", "sentence_id"]])
    info, pairs = charts.cooccurrence_pairs(mentions)
    figure = charts.network_chart(info, pairs, links=None)
    nodes = {(x, y): name for trace in figure.data if trace.name for x, y, name in zip(trace.x, trace.y, trace.hovertext)}
    names = dict(zip(info.index, charts.actor_labels(info, "en")))
    drawn = {}
    for trace in (t for t in figure.data if not t.name):
        assert list(trace.x[2::3]) == list(trace.y[2::3]) == [None] * (len(trace.x) // 3)
        for i in range(0, len(trace.x), 3):
            ends = frozenset(nodes[(trace.x[i + k], trace.y[i + k])] for k in (0, 1))
            assert ends not in drawn
            drawn[ends] = trace.line.width
    assert len(pairs) > 20
    assert drawn.keys() == {frozenset((names[a], names[b])) for a, b in zip(pairs["actor_id_x"], pairs["actor_id_y"])}
    width = {frozenset((names[a], names[b])): n for a, b, n in zip(pairs["actor_id_x"], pairs["actor_id_y"], pairs["count"])}
    by_count = sorted(drawn, key=width.get)
    assert [drawn[e] for e in by_count] == sorted(drawn[e] for e in by_count)
    assert drawn[by_count[0]] == 1 < drawn[by_count[-1]] == 7
    assert kit.describe_figure(figure).endswith(f"{len(pairs)} links")


def test_the_figures_charts_depend_on_the_rows_not_on_their_order_or_index(annotated):
    # the seed figures twice (the copies in other articles): bars share values, conflicts have sources
    once = annotated.figures
    twice = pd.concat([once, once.assign(article_id=once["article_id"].astype(str) + "#copy")])  # index 0..n twice
    articles = pd.concat([annotated.articles, annotated.articles.assign(article_id=annotated.articles["article_id"] + "#copy")])
    shuffled = twice.sample(frac=1.0, random_state=3)
    assert charts.figures_chart(shuffled, "ar") == charts.figures_chart(twice.reset_index(drop=True), "ar")
    found = kit.conflicts(twice, articles)
    assert found.equals(kit.conflicts(twice.reset_index(drop=True), articles))
    assert len(found) and found.index.equals(pd.RangeIndex(len(found)))
    assert (found.groupby("conflict_id")["article_id"].nunique() > 1).all()
    assert charts.conflicts_chart(found.set_axis([7] * len(found))) == charts.conflicts_chart(found)


def test_charts_carry_the_whole_plotly_white_template(annotated):
    import plotly.io as pio

    figure = charts.timeline(annotated.articles)
    assert figure.to_plotly_json()["layout"]["template"] == pio.templates["plotly_white"].to_plotly_json()
    assert figure.layout.title.text == charts.word("articles_per_day") and figure.layout.margin.l == 10


def test_a_chart_with_no_rows_says_so_in_its_language(annotated):
    nobody = annotated.mentions.iloc[0:0]
    for labels in ("en", "ar"):
        note = charts.actor_bars(nobody, labels=labels).layout.annotations
        assert [a.text for a in note] == [charts.word("no_rows", labels)]
    assert not charts.actor_bars(annotated.mentions).layout.annotations
    assert charts.word("no_rows", "ar").startswith("\u2067لا توجد")


def test_stance_shares_carry_their_wilson_interval_and_groups_under_min_n_are_hidden_and_counted(annotated):
    stance = kit.in_context(annotated.stance, annotated)
    shares = charts.stance_shares(stance, "holder_id")
    # a share of 1 of 1 sentences is not 100 % sure: its 95 % Wilson interval is 0.21-1.00
    lone = pd.DataFrame({"pro_russia": [1], "anti_russia": [0], "pro_west": [0], "anti_west": [1]}, index=["X"])
    one = charts.share_table(lone, pd.Series([1], index=["X"]))
    assert round(one.loc["X", "pro_russia_low"], 3) == 0.207 and one.loc["X", "pro_russia_high"] == 1.0
    assert (one.loc["X", "anti_west"], one.loc["X", "anti_west_low"], round(one.loc["X", "anti_west_high"], 3)) == (-1.0, -1.0, -0.207)
    assert (shares["pro_russia_low"] <= shares["pro_russia"]).all() and (shares["pro_russia"] <= shares["pro_russia_high"]).all()
    small = int((shares["sentences"] < 3).sum())
    assert 0 < small < len(shares)
    figure = charts.stance_bars(stance, "holder_id", top=None, min_n=3)
    assert len(figure.data[0].y) == len(shares) - small
    assert figure.layout.title.text.endswith(f"(groups under 3 sentences hidden: {small})")
    kept = shares[shares["sentences"] >= 3]
    assert list(figure.layout.yaxis.ticktext) == [f"{name} ({n})" for name, n in zip(figure.data[0].y, kept["sentences"])]
    bar = figure.data[0]  # pro-Russia: the error bar spans the Wilson interval
    assert np.allclose(np.array(bar.x) - np.array(bar.error_x.arrayminus), kept["pro_russia_low"].round(4), atol=1e-4)
    assert np.allclose(np.array(bar.x) + np.array(bar.error_x.array), kept["pro_russia_high"].round(4), atol=1e-4)
    assert "95 % interval" in bar.hovertext[0]
    board = kit.StanceDashboard(annotated)
    board.by.value = "holder_id"
    assert "hidden" in board.charts["by_group"].layout.title.text
    board.min_n.value = 1
    assert "hidden" not in board.charts["by_group"].layout.title.text


def test_holders_and_countries_are_named_never_ids_and_a_missing_source_has_one_label(annotated):
    stance = kit.in_context(annotated.stance, annotated)
    names = charts.known_names(annotated.mentions)
    for labels, author, putin in (("en", "Author (no actor)", "Vladimir Putin"), ("ar", "\u2067الكاتب (دون فاعل)\u2069", "\u2067فلاديمير بوتين\u2069")):
        shown = list(charts.stance_bars(stance, "holder_id", labels, top=None, names=names).data[0].y)
        assert author in shown and putin in shown
        assert not [y for y in shown if "_" in y or y.isupper()]  # no RUS_PUTIN, no KAZ
    assert charts.countries_label("KAZ;RUS") == "Kazakhstan, Russia" and charts.countries_label(None) == "(no country)"
    # one word for a missing source, in the stance bars, the timeline and the conflicts chart
    unsourced = annotated.articles.assign(source=None)
    assert "(no source)" in charts.stance_bars(stance.assign(source=None), "source").data[0].y
    assert [t.name for t in charts.timeline(unsourced).data] == ["(no source)"]
    twice = pd.concat([annotated.figures, annotated.figures.assign(article_id=annotated.figures["article_id"].astype(str) + "#copy")])
    articles = pd.concat([unsourced, unsourced.assign(article_id=unsourced["article_id"] + "#copy")])
    assert {t.name for t in charts.conflicts_chart(kit.conflicts(twice, articles)).data} == {"(no source)"}


def test_counts_have_whole_ticks_and_the_monthly_line_breaks_over_empty_months(annotated):
    stance = kit.in_context(annotated.stance, annotated)
    line = charts.stance_timeline(stance).data[0]
    # the seeds: Lavrov's talks (April 2023) and the November 2023 visits, nothing in between
    assert list(line.x) == [f"2023-{m:02d}" for m in range(4, 12)]
    assert line.y[0] is not None and line.y[-1] is not None and set(line.y[1:-1]) == {None}
    few = annotated.mentions[annotated.mentions["actor_id"] == "FRA"].head(2)
    assert charts.actor_bars(few).layout.xaxis.dtick == 1 and charts.actor_bars(few).layout.xaxis.tickformat == ",d"
    assert charts.timeline(annotated.articles).layout.yaxis.dtick == 1


def test_the_network_draws_the_strongest_links_and_only_labels_that_do_not_overlap(annotated):
    mentions = annotated.mentions.merge(annotated.body()[["article_id", "sentence_id"]])
    info, pairs = charts.cooccurrence_pairs(mentions)
    figure = charts.network_chart(info, pairs, links=10)
    drawn = sum(len(t.x) // 3 for t in figure.data if not t.name)
    assert drawn == 10 and figure.layout.title.text.endswith(f"(the 10 strongest of {len(pairs)} links)")
    widths = [t.line.width for t in figure.data if not t.name]
    assert max(widths) == 7  # the strongest pair keeps the widest line
    labelled = [(x, y, text, where) for t in figure.data if t.name for x, y, text, where in zip(t.x, t.y, t.text, t.textposition) if text]
    hovered = [h for t in figure.data if t.name for h in t.hovertext]
    assert len(hovered) == len(info) and 0 < len(labelled) <= len(info)  # every name in the hover
    boxes = []
    for x, y, text, where in labelled:  # the label boxes the chart placed never overlap
        vertical, side = where.split()
        width, height = charts.LABEL_PX[0] * len(text) / charts.NETWORK_PX, charts.LABEL_PX[1] / charts.NETWORK_PX
        left = x if side == "right" else x - width if side == "left" else x - width / 2
        bottom = y + 0.04 if vertical == "top" else y - 0.04 - height
        boxes.append((left, bottom, left + width, bottom + height))
    assert all(a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1] for i, a in enumerate(boxes) for b in boxes[i + 1:])
    most = info.index[0]  # the most named actor is always labelled
    assert charts.actor_labels(info.loc[[most]], "en")[0] in [text for _, _, text, _ in labelled]


def test_articles_are_named_by_source_date_and_title_and_months_by_name(annotated):
    stance = kit.in_context(annotated.stance, annotated)
    bars = charts.stance_bars(stance, "article_id", "en", top=None).data[0]
    shown = [y.strip("\u2067\u2069") for y in bars.y]  # Arabic titles are isolated right-to-left
    first = annotated.articles.sort_values("article_id").iloc[0]
    assert shown[0] == f"{first['source']} · {first['published']:%Y-%m-%d} · ماكرون يدعو من أستانا إلى تعزيز الشراكة…"
    assert not set(shown) & set(annotated.articles["article_id"])
    assert all(len(y.rsplit(" · ", 1)[-1]) <= charts.TITLE_CHARS for y in shown)  # titles cut
    assert {h.rsplit(" · ", 1)[1] for h in bars.hovertext} == set(stance["article_id"])  # the id in the hover
    english = charts.stance_timeline(stance, "en").layout.xaxis
    arabic = charts.stance_timeline(stance, "ar").layout.xaxis
    assert english.ticktext[0] == "Apr 2023" and arabic.ticktext[0] == "\u2067أبريل 2023\u2069"
    assert list(arabic.tickvals) == list(english.tickvals) == [f"2023-{m:02d}" for m in range(4, 12)]
