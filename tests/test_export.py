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
