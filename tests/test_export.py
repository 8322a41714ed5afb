"""kit.io.export: one chart of each notebook's dashboard as PNG/SVG/PDF/HTML plus the rows behind it, traceable."""

import pandas as pd
import pytest

import kit
from kit.io.export import export_chart, find_browser


@pytest.mark.parametrize(
    "dashboard, chart",
    [(kit.CorpusDashboard, "segments"), (kit.ActorsDashboard, "frequencies"), (kit.StanceDashboard, "by_group"), (kit.FiguresDashboard, "usd")],
)
def test_each_notebook_chart_exports_with_rows_that_point_at_real_sentences(annotated, tmp_path, dashboard, chart):
    board = dashboard(annotated, outdir=tmp_path)
    result = board.export(chart)
    formats = {"png", "svg", "pdf", "html", "csv", "json"} if find_browser() else {"html", "csv", "json"}
    assert set(result.paths) == formats
    for path in result.paths.values():
        assert path.stat().st_size > 0 and path.parent == tmp_path
    assert result.paths["png"].read_bytes().startswith(b"\x89PNG") if "png" in result.paths else True
    assert "<svg" in result.paths["svg"].read_text()[:500] if "svg" in result.paths else True
    rows = pd.read_csv(result.paths["csv"], encoding="utf-8-sig")
    assert len(rows) == len(board.rows[chart]) > 0
    texts = annotated.articles.set_index("article_id")["text"]
    sentences = annotated.sentences.set_index(["article_id", "sentence_id"])
    for row in rows.itertuples():
        if "surface" in rows.columns:  # mentions and figures: the exact span
            assert texts[row.article_id][row.start : row.end] == row.surface
        if "sentence_id" in rows.columns:  # every row names a real sentence of a real article
            assert (row.article_id, row.sentence_id) in sentences.index


def test_nothing_is_overwritten(annotated, tmp_path):
    figure = kit.viz.charts.timeline(annotated.articles)
    first = export_chart(figure, annotated.articles.drop(columns=["text"]), "Timeline of articles", tmp_path, formats=("html", "csv"))
    second = export_chart(figure, annotated.articles.drop(columns=["text"]), "Timeline of articles", tmp_path, formats=("html", "csv"))
    assert first.paths["html"].name == "timeline-of-articles.html"
    assert second.paths["html"].name == "timeline-of-articles-2.html"
    assert first.paths["csv"].exists() and second.paths["csv"].exists()


def test_without_a_browser_the_html_and_rows_are_still_written(annotated, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no chromium on this PATH
    monkeypatch.delenv("BROWSER_PATH", raising=False)
    with pytest.warns(UserWarning, match="no Chromium or Chrome found"):
        result = export_chart(kit.viz.charts.timeline(annotated.articles), annotated.articles.drop(columns=["text"]), "timeline", tmp_path)
    assert set(result.paths) == {"html", "csv", "json"}
    assert set(result.skipped) == {"png", "svg", "pdf"} and "BROWSER_PATH" in result.skipped["png"]


def test_article_text_is_escaped_in_html_exports(tmp_path):
    corpus = kit.load_corpus(pd.DataFrame({"text": ['زار بوتين كازاخستان.<script>alert("x")</script> وقال "شراكة".'], "source": ["<b>موقع</b>"]}))
    annotated = kit.annotate(corpus)
    html_page = kit.article_html(annotated, annotated.articles["article_id"].iloc[0], "mentions")
    assert "<script>" not in html_page and "&lt;script&gt;" in html_page
    result = export_chart(kit.viz.charts.timeline(annotated.articles.assign(published=pd.Timestamp("2024-01-01"))), None, "escaped", tmp_path, formats=("html",))
    assert "<b>موقع</b>" not in result.paths["html"].read_text()


def test_an_export_records_its_parameters_and_its_rows_rebuild_the_chart(annotated, tmp_path):
    import json

    from kit.io.export import corpus_hash, data_hashes

    board = kit.StanceDashboard(annotated, outdir=tmp_path)
    board.by.value = "source"
    board.weights["partnership"].value = 0.4
    board.threshold.value = 0.7
    result = board.export("by_group", formats=("html", "csv"))
    record = json.loads(result.paths["json"].read_text(encoding="utf-8"))
    assert record["parameters"]["Group by"] == "source" and record["parameters"]["Threshold"] == 0.7
    assert record["parameters"]["weights"]["partnership"] == 0.4 and record["parameters"]["Min. n"] == 3
    assert record["corpus_hash"] == corpus_hash(annotated.articles) == corpus_hash(annotated.articles.iloc[::-1])
    assert record["data_files"] == data_hashes() and "stance_cues.csv" in record["data_files"] and record["kit_version"] == kit.__version__
    assert record["files"] == {"csv": result.paths["csv"].name, "html": result.paths["html"].name}
    # every row carries its sentence: offsets and text
    rows = pd.read_csv(result.paths["csv"], encoding="utf-8-sig", keep_default_na=False, na_values=[""])
    texts = annotated.articles.set_index("article_id")["text"]
    assert all(texts[a][s:e] == t for a, s, e, t in zip(rows["article_id"], rows["start"], rows["end"], rows["sentence"]))
    # the exported rows give back the chart's numbers exactly
    shares = kit.viz.charts.stance_shares(rows, "source")
    chart = board.charts["by_group"]
    drawn = dict(zip(chart.data[0].y, chart.data[0].x))
    assert {kit.viz.charts.group_label(s, "source", "en"): round(v, 4) for s, v in shares["pro_russia"].items()} == drawn
    # the filters are stated under the exported chart's title
    assert "Group by: source" in result.paths["html"].read_text(encoding="utf-8") and "Threshold: 0.7" in result.paths["html"].read_text(encoding="utf-8")


def test_html_exports_share_one_plotly_js_per_folder(annotated, tmp_path):
    figure = kit.viz.charts.timeline(annotated.articles)
    first = export_chart(figure, None, "one", tmp_path, formats=("html",))
    second = export_chart(figure, None, "two", tmp_path, formats=("html",))
    assert [p.name for p in tmp_path.glob("*.js")] == ["plotly.min.js"]
    for result in (first, second):
        page = result.paths["html"].read_text(encoding="utf-8")
        assert 'src="plotly.min.js"' in page and result.paths["html"].stat().st_size < 200_000


# --- every chart's numbers from its CSV and JSON alone -------------------------------------------------------

WORDS = pd.read_csv(kit.base.lexicons.data_path("chart_labels.csv"), comment="#").set_index("key")  # the charts' words, from the data file
SHARES = ("pro_russia", "anti_russia", "pro_west", "anti_west")


def read(text) -> str:
    """A drawn label as a reader sees it: HTML entities decoded, bidi isolates dropped."""
    import html
    import re

    return html.unescape(re.sub("[\u2066-\u2069]", "", str(text)))


def said(key: str, labels: str) -> str:
    return WORDS.loc[key, labels]


def source_name(source, labels):
    return said("no_source", labels) if pd.isna(source) else source


def drawn_bars(figure, horizontal: bool) -> dict:
    """trace name → {category: value} of a bar chart."""
    return {read(t.name): dict(zip(map(read, t.y if horizontal else t.x), t.x if horizontal else t.y)) for t in figure.data if len(t.x or ())}


def counted(frame: pd.DataFrame, by: list[str], trace: str, category: str, value: str | None = None) -> dict:
    sizes = frame.groupby(by, dropna=False).size() if value is None else frame.groupby(by, dropna=False)[value].sum()
    out: dict = {}
    for (t, c), n in sizes.items():
        out.setdefault(t, {})[c] = int(n)
    return out


def rebuild_timeline(rows, p):
    rows = rows.assign(day=rows["published"].str[:10], name=[source_name(s, p["labels"]) for s in rows["source"]])
    assert rows["name"].nunique() <= p["limits"]["sources"]  # the seeds have fewer sources than drawn apart
    return counted(rows.dropna(subset=["day"]), ["name", "day"], "name", "day"), lambda f: drawn_bars(f, False)


def rebuild_segments(rows, p):
    assert rows["article_id"].nunique() <= p["limits"]["articles"]
    rows = rows.assign(characters=rows["end"] - rows["start"], segment=[said(s, p["labels"]) for s in rows["segment"]])
    return counted(rows, ["segment", "article"], "segment", "article", "characters"), lambda f: {k: {a: n for a, n in v.items() if n} for k, v in drawn_bars(f, True).items() if any(v.values())}


def rebuild_search(rows, p):
    rows = rows.assign(month=rows["published"].str[:7], name=[source_name(s, p["labels"]) for s in rows["source"]])
    return counted(rows, ["name", "month"], "name", "month"), lambda f: drawn_bars(f, False)


def _actor_names(rows, p):
    column = "name_ar" if p["labels"] == "ar" else "name_en"
    return rows.drop_duplicates("actor_id").set_index("actor_id")[column]


def rebuild_frequencies(rows, p):
    counts = rows.groupby(["actor_id", "bloc"]).size().rename("n").reset_index().sort_values(["n", "actor_id"], ascending=[False, True]).head(p["limits"]["actors"])
    names = _actor_names(rows, p)
    expected = {}
    for r in counts.itertuples():
        expected.setdefault(said(r.bloc, p["labels"]), {})[names[r.actor_id]] = int(r.n)
    return expected, lambda f: drawn_bars(f, True)


def rebuild_heatmap(rows, p):
    per_actor = rows.groupby("actor_id").size().rename("n").reset_index().sort_values(["n", "actor_id"], ascending=[False, True])
    leaders = per_actor.head(p["limits"]["actors"])["actor_id"]
    mine = rows[rows["actor_id"].isin(leaders)]
    assert mine["article_id"].nunique() <= p["limits"]["articles"]
    names = _actor_names(rows, p)
    table = mine.groupby(["actor_id", "article"]).size()
    expected = {(names[a], article): int(table.get((a, article), 0)) for a in leaders for article in mine["article"].unique()}

    def drawn(figure):
        heat = figure.data[0]
        return {(read(y), read(x)): z for y, row in zip(heat.y, heat.z) for x, z in zip(heat.x, row)}

    return expected, drawn


def rebuild_network(rows, p):
    units = rows[["article_id", "sentence_id", "actor_id"]].drop_duplicates()
    sentences = units.groupby("actor_id").size().rename("n").reset_index().sort_values(["n", "actor_id"], ascending=[False, True])
    leaders = list(sentences.head(p["limits"]["actors"])["actor_id"])
    names, blocs = _actor_names(rows, p), rows.drop_duplicates("actor_id").set_index("actor_id")["bloc"]
    units = units[units["actor_id"].isin(leaders)]
    pairs = units.merge(units, on=["article_id", "sentence_id"])
    pairs = pairs[pairs["actor_id_x"] < pairs["actor_id_y"]].groupby(["actor_id_x", "actor_id_y"]).size().rename("count").reset_index()
    assert len(pairs) > p["Links"]  # the Links control cuts them
    pairs = pairs.sort_values(["count", "actor_id_x", "actor_id_y"], ascending=[False, True, True]).head(p["Links"])
    strongest = pairs["count"].max()
    links = {frozenset((names[a], names[b])): round(1 + 6 * n / strongest) for a, b, n in zip(pairs["actor_id_x"], pairs["actor_id_y"], pairs["count"])}
    nodes = {}
    for actor in leaders:
        nodes.setdefault(said(blocs[actor], p["labels"]), set()).add(names[actor])

    def drawn(figure):
        markers = [t for t in figure.data if "markers" in t.mode]
        at = {(x, y): read(h) for t in markers for x, y, h in zip(t.x, t.y, t.hovertext)}
        edges = {frozenset((at[(t.x[i], t.y[i])], at[(t.x[i + 1], t.y[i + 1])])): t.line.width for t in figure.data if t.mode == "lines" for i in range(0, len(t.x), 3)}
        return {read(t.name): set(map(read, t.hovertext)) for t in markers if len(t.x)}, edges

    return (nodes, links), drawn


def _relabel(rows, p):
    """Each sentence's labels again from its scores and the recorded threshold."""
    t = p["Threshold"]
    side = lambda s: (s >= t).astype(int) - (s <= -t).astype(int)  # noqa: E731
    assert (side(rows["russia_score"]) == rows["russia"]).all() and (side(rows["west_score"]) == rows["west"]).all()
    return rows.assign(russia=side(rows["russia_score"]), west=side(rows["west_score"]))


def rebuild_by_group(rows, p):
    rows = _relabel(rows, p)
    by = p["Group by"]
    key = rows[by].fillna("—")
    assert (key.groupby(rows["group"]).nunique() == 1).all() and (rows["group"].groupby(key).nunique() == 1).all()  # one bar per group
    n = rows.groupby("group").size()
    if by in ("holder_id", "source"):
        assert n.min() >= p["Min. n"]
    assert len(n) <= p["limits"]["groups"]
    flags = {"pro_russia": rows["russia"] == 1, "anti_russia": rows["russia"] == -1, "pro_west": rows["west"] == 1, "anti_west": rows["west"] == -1}
    expected = {said(k, p["labels"]): {g: round((-1 if k.startswith("anti") else 1) * int(c) / n[g], 4) for g, c in v.groupby(rows["group"]).sum().items()}
                for k, v in flags.items()}

    def drawn(figure):
        ticks = dict(zip(map(read, figure.layout.yaxis.tickvals), map(read, figure.layout.yaxis.ticktext)))
        assert ticks == {g: f"{g} ({m:,})" for g, m in n.items()}  # each bar's n
        return drawn_bars(figure, True)

    return expected, drawn


def rebuild_stance_timeline(rows, p):
    rows = _relabel(rows, p).dropna(subset=["month"])
    months = pd.period_range(rows["month"].min(), rows["month"].max(), freq="M").astype(str)
    means = rows.groupby("month")[["russia", "west"]].mean().reindex(months)
    means["balance"] = means["west"] - means["russia"]
    expected = {said(k, p["labels"]): {m: None if pd.isna(v) else round(float(v), 4) for m, v in means[k].items()} for k in ("russia", "west", "balance")}
    return expected, lambda f: {read(t.name): dict(zip(t.x, t.y)) for t in f.data}


def rebuild_usd(rows, p):
    low, high = p["Years"]
    assert rows["year"].dropna().between(low, high).all() and set(rows["kind"]) <= set(p["Kinds"]) and set(rows["segment"]) <= set(p["Segments"])
    assert (rows.groupby(["countries", "year"])["group"].nunique() == 1).all()
    expected = {}
    for (kind, group), reports in rows.groupby(["kind", "group"]):
        usd = reports["value_usd"].sort_values().to_numpy()
        median, lo, hi = (round(v / 1e9, 4) for v in ((usd[(len(usd) - 1) // 2] + usd[len(usd) // 2]) / 2, usd[0], usd[-1]))
        expected.setdefault(said(kind, p["labels"]), {})[group] = (median, round(hi - median, 4), round(median - lo, 4))
    return expected, lambda f: {read(t.name): {read(x): (y, e, m) for x, y, e, m in zip(t.x, t.y, t.error_y.array, t.error_y.arrayminus)} for t in f.data if len(t.x)}


def rebuild_conflicts(rows, p):
    assert (rows.groupby(["countries", "kind", "year"])["group"].nunique() == 1).all()
    billions = rows["value_usd"].fillna(rows["value"]) / 1e9
    expected = {}
    for source, value, group in zip(rows["source"], billions, rows["group"]):
        expected.setdefault(source_name(source, p["labels"]), set()).add((round(value, 4), group))
    return expected, lambda f: {read(t.name): set(zip(t.x, map(read, t.y))) for t in f.data}


def _stance(by, labels):
    def setup(board):
        board.by.value = by
        board.weights["partnership"].value = 0.4
        board.threshold.value = 0.7
    return setup


def _actors(board):
    board.links.value = 10
    board.minimum.value = 2


REBUILT = [  # dashboard, chart, how it is set up, how its numbers are rebuilt
    (kit.CorpusDashboard, "timeline", None, rebuild_timeline),
    (kit.CorpusDashboard, "segments", None, rebuild_segments),
    (kit.SearchDashboard, "counts", None, rebuild_search),
    (kit.ActorsDashboard, "frequencies", _actors, rebuild_frequencies),
    (kit.ActorsDashboard, "heatmap", _actors, rebuild_heatmap),
    (kit.ActorsDashboard, "network", _actors, rebuild_network),
    *[(kit.StanceDashboard, "by_group", _stance(by, None), rebuild_by_group) for by in ("article_id", "source", "holder_id", "month")],
    (kit.StanceDashboard, "timeline", _stance("source", None), rebuild_stance_timeline),
    (kit.FiguresDashboard, "usd", None, rebuild_usd),
    (kit.FiguresDashboard, "conflicts", None, rebuild_conflicts),
]


@pytest.mark.parametrize("labels", ["en", "ar"])
@pytest.mark.parametrize("dashboard, chart, setup, rebuild", REBUILT,
                         ids=[f"{d.name}-{c}-{i}" for i, (d, c, _, _) in enumerate(REBUILT)])
def test_every_exported_chart_is_rebuilt_from_its_csv_and_json(annotated, tmp_path, dashboard, chart, setup, rebuild, labels):
    import json

    board = dashboard(annotated, outdir=tmp_path, **({"query": "العقوبات"} if dashboard is kit.SearchDashboard else {}))
    if setup:
        setup(board)
    board.labels.value = labels
    result = board.export(chart, formats=("csv",))
    parameters = json.loads(result.paths["json"].read_text(encoding="utf-8"))["parameters"]
    rows = pd.read_csv(result.paths["csv"], encoding="utf-8-sig", keep_default_na=False, na_values=[""], dtype={"article_id": str, "month": str, "published": str})
    assert parameters["labels"] == labels and parameters["chart"] == chart and len(rows) > 0
    # every row names its sentence, with the offsets and text of it
    texts = annotated.articles.set_index("article_id")["text"]
    assert rows[["article_id", "sentence_id", "start", "end", "sentence"]].notna().all().all()
    begin = rows["sentence_start"] if "sentence_start" in rows.columns else rows["start"]
    finish = rows["sentence_end"] if "sentence_end" in rows.columns else rows["end"]
    assert all(texts[a][s:e] == t for a, s, e, t in zip(rows["article_id"], begin, finish, rows["sentence"]))
    assert ((begin <= rows["start"]) & (rows["end"] <= finish)).all()
    expected, drawn = rebuild(rows, parameters)
    assert all(expected) if isinstance(expected, tuple) else expected
    assert drawn(board.charts[chart]) == expected
