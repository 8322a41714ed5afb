"""Dashboards: ipywidgets controls wired to plotly FigureWidgets that update in place, with an Export button.

A dashboard holds the state — the annotated corpus, the filters, the rows behind each chart — and
composes the pure chart builders of `kit.charts` and the reader of `kit.reader`. Changing a control
recomputes the rows and updates the existing traces of each FigureWidget (no output is re-rendered).
The Export button writes the chosen chart with its rows through `kit.export.export_chart`. In a notebook a
dashboard displays as its widgets, with a plain-text summary of what the charts show (trace names, bar
counts, totals), which is what nbval compares.
"""

from __future__ import annotations

import html
from pathlib import Path

import ipywidgets as W
import pandas as pd
import plotly.graph_objects as go

from . import charts
from .figures import conflicts
from .reader import article_html, sentence_html
from .stance import StanceLexicon, agreement, score

__all__ = ["ActorsDashboard", "CorpusDashboard", "Dashboard", "FiguresDashboard", "StanceDashboard", "describe_figure", "in_context"]

SEGMENT_CHOICES = (("Body", ("body",)), ("Body and related stories", ("body", "related")), ("Everything", ("body", "related", "tags", "boilerplate")))


def in_context(table: pd.DataFrame, annotated, columns=("source", "title", "published", "month", "segment")) -> pd.DataFrame:
    """A table with its article's source/title/publication month and its sentence's segment joined on."""
    out = table
    articles = annotated.articles.assign(month=annotated.articles["published"].dt.to_period("M").astype("string"))
    wanted = [c for c in columns if c in articles.columns and c not in out.columns]
    if wanted:
        out = out.merge(articles[["article_id", *wanted]], on="article_id", how="left")
    if "segment" in columns and "segment" not in out.columns and "sentence_id" in out.columns:
        out = out.merge(annotated.sentences[["article_id", "sentence_id", "segment"]], on=["article_id", "sentence_id"], how="left")
    return out


def _numbers(values) -> list[float]:
    return [v for v in values or () if isinstance(v, (int, float)) and not isinstance(v, bool)]


def describe_figure(fig) -> str:
    """What a chart shows, in plain deterministic text: title, then per trace its points and total
    (lines without a name, such as network edges, are counted together)."""
    lines = [str(fig.layout.title.text or "")]
    edges = 0
    for trace in fig.data:
        z = getattr(trace, "z", None)
        if z is not None:
            cells = [v for row in z for v in row]
            lines.append(f"  {trace.type}: {len(z)} rows x {len(z[0]) if z else 0} columns, total {sum(cells):g}")
            continue
        if not trace.name and getattr(trace, "mode", None) == "lines":
            edges += 1
            continue
        if "text" in (getattr(trace, "mode", None) or ""):
            lines.append(f"  {trace.name}: {len(trace.x or ())} nodes")
            continue
        x, y = _numbers(getattr(trace, "x", None)), _numbers(getattr(trace, "y", None))
        values = x if getattr(trace, "orientation", None) == "h" or (x and not y) else y
        lines.append(f"  {trace.name or trace.type}: {len(values)} points, total {round(sum(values), 4):g}")
    if edges:
        lines.append(f"  {edges} links")
    return "\n".join(lines)


def update_in_place(widget: go.FigureWidget, figure: go.Figure) -> None:
    """Give the traces and layout of `figure` to the FigureWidget without replacing the widget."""
    with widget.batch_update():
        if len(widget.data) == len(figure.data) and all(a.type == b.type for a, b in zip(widget.data, figure.data)):
            for old, new in zip(widget.data, figure.data):
                old.update(new.to_plotly_json(), overwrite=True)
        else:
            widget.data = []
            widget.add_traces(list(figure.data))
        widget.layout.update(figure.layout.to_plotly_json(), overwrite=True)


class Dashboard:
    """Controls, FigureWidgets and the rows behind them, with a labels toggle and an Export button."""

    name = "dashboard"

    def __init__(self, annotated, labels: str = "en", outdir: str | Path | None = None):
        from .export import default_outdir

        self.annotated = annotated
        self.outdir = Path(outdir) if outdir else default_outdir()
        self.charts: dict[str, go.FigureWidget] = {}
        self.rows: dict[str, pd.DataFrame] = {}
        self.labels = W.ToggleButtons(options=[("English", "en"), ("العربية", "ar")], value=labels, description="Labels")
        self.export_choice = W.Dropdown(description="Chart")
        self.export_button = W.Button(description="Export", icon="download", tooltip="PNG, SVG, PDF, HTML and the rows as CSV, into reports/")
        self.export_log = W.HTML()
        self.export_button.on_click(lambda _: self._export_clicked())

    # subclasses: build controls in __init__, call self._finish(controls, body) and implement refresh()
    def _finish(self, controls: list, body: list) -> None:
        for control in controls + [self.labels]:
            control.observe(lambda _: self.refresh(), names="value")
        self.refresh()
        self.export_choice.options = list(self.charts)
        self.export_choice.value = next(iter(self.charts))
        export_row = W.HBox([self.export_choice, self.export_button, self.export_log])
        self.widget = W.VBox([W.HBox(controls[:3]), W.HBox(controls[3:] + [self.labels]), *self.charts.values(), *body, export_row])

    def refresh(self) -> None:
        raise NotImplementedError

    def _draw(self, name: str, figure: go.Figure, rows: pd.DataFrame) -> None:
        self.rows[name] = rows
        if name in self.charts:
            update_in_place(self.charts[name], figure)
        else:
            self.charts[name] = go.FigureWidget(figure)

    def export(self, chart: str | None = None, formats=None, outdir: str | Path | None = None):
        """Export one chart (the first by default) with the rows behind it; returns a kit.export.Export."""
        from .export import FORMATS, export_chart

        chart = chart or next(iter(self.charts))
        return export_chart(go.Figure(self.charts[chart]), self.rows[chart], f"{self.name}-{chart}", outdir or self.outdir, formats or FORMATS)

    def _export_clicked(self) -> None:
        self.export_log.value = "exporting ..."
        result = self.export(self.export_choice.value)
        written = "".join(f"<li>{fmt}: <code>{html.escape(str(path))}</code></li>" for fmt, path in result.paths.items())
        skipped = "".join(f"<li>{fmt}: {html.escape(why)}</li>" for fmt, why in result.skipped.items())
        self.export_log.value = f"<ul>{written}{skipped}</ul>"

    def summary(self) -> str:
        return "\n".join(f"[{name}] {describe_figure(fig)}" for name, fig in self.charts.items())

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = self.widget._repr_mimebundle_()
        bundle["text/plain"] = f"{type(self).__name__}\n{self.summary()}"
        return bundle


def _segment_picker() -> W.Dropdown:
    return W.Dropdown(options=[(label, value) for label, value in SEGMENT_CHOICES], value=("body",), description="Segments")


def _source_picker(annotated) -> W.Dropdown:
    sources = sorted(annotated.articles["source"].dropna().unique())
    return W.Dropdown(options=[("All sources", None)] + [(s, s) for s in sources], description="Source")


def _article_picker(annotated) -> W.Dropdown:
    options = [(f"{a} · {t}" if isinstance(t, str) else a, a) for a, t in zip(annotated.articles["article_id"], annotated.articles["title"])]
    return W.Dropdown(options=options, description="Article", layout={"width": "600px"})


class CorpusDashboard(Dashboard):
    """What is in the corpus: publication timeline, body versus page furniture, an article reader."""

    name = "corpus"

    def __init__(self, annotated, labels: str = "en", outdir=None):
        super().__init__(annotated, labels, outdir)
        self.source = _source_picker(annotated)
        self.article = _article_picker(annotated)
        self.segments = _segment_picker()
        self.segments.value = SEGMENT_CHOICES[-1][1]
        self.reader = W.HTML()
        self._finish([self.source, self.article, self.segments], [self.reader])

    def refresh(self) -> None:
        articles = self.annotated.articles
        if self.source.value is not None:
            articles = articles[articles["source"] == self.source.value]
        sentences = self.annotated.sentences[self.annotated.sentences["article_id"].isin(articles["article_id"])]
        self._draw("timeline", charts.timeline(articles, self.labels.value), articles.drop(columns=["text"]))
        self._draw("segments", charts.segments_chart(sentences, self.labels.value), sentences)
        self.reader.value = article_html(self.annotated, self.article.value, "segments", self.segments.value)


class ActorsDashboard(Dashboard):
    """Who appears: frequencies by bloc, actor × article, co-occurrence, who said what, a reader."""

    name = "actors"

    def __init__(self, annotated, labels: str = "en", outdir=None):
        super().__init__(annotated, labels, outdir)
        self.mentions = in_context(annotated.mentions, annotated)
        self.source = _source_picker(annotated)
        self.segments = _segment_picker()
        self.article = _article_picker(annotated)
        self.types = W.SelectMultiple(options=["person", "country", "organisation", "bloc"], value=("person", "country", "organisation", "bloc"), description="Types", rows=4)
        self.blocs = W.SelectMultiple(options=list(charts.BLOC_ORDER), value=tuple(charts.BLOC_ORDER), description="Blocs", rows=4)
        self.minimum = W.IntSlider(value=1, min=1, max=20, description="Min mentions")
        self.quotes = W.HTML()
        self.reader = W.HTML()
        self._finish([self.source, self.segments, self.article, self.types, self.blocs, self.minimum], [self.quotes, self.reader])

    def filtered(self) -> pd.DataFrame:
        rows = self.mentions[self.mentions["segment"].isin(self.segments.value)]
        if self.source.value is not None:
            rows = rows[rows["source"] == self.source.value]
        rows = rows[rows["actor_type"].isin(self.types.value) & rows["bloc"].isin(self.blocs.value)]
        counts = rows["actor_id"].value_counts()
        return rows[rows["actor_id"].isin(counts[counts >= self.minimum.value].index)]

    def refresh(self) -> None:
        rows, labels = self.filtered(), self.labels.value
        self._draw("frequencies", charts.actor_bars(rows, labels), rows)
        self._draw("heatmap", charts.actor_heatmap(rows, labels), rows)
        self._draw("network", charts.cooccurrence_network(rows, labels), rows)
        self.quotes.value = self._quotes_table(rows)
        self.reader.value = article_html(self.annotated, self.article.value, "mentions", self.segments.value)

    def _quotes_table(self, mentions: pd.DataFrame) -> str:
        quotes = in_context(self.annotated.quotes, self.annotated)
        quotes = quotes[quotes["segment"].isin(self.segments.value) & quotes["speaker_id"].isin(mentions["actor_id"])]
        if self.source.value is not None:
            quotes = quotes[quotes["source"] == self.source.value]
        rows = "".join(
            f"<tr><td>{html.escape(str(q.speaker_en))}</td><td>{html.escape(str(q.verb))}</td><td dir='rtl'>{html.escape(q.quote[:200])}</td>"
            f"<td>{html.escape(q.article_id)}:{q.start}</td></tr>"
            for q in quotes.itertuples()
        )
        return f"<h4>Who said what ({len(quotes)})</h4><table><tr><th>Speaker</th><th>Verb</th><th>Said</th><th>Where</th></tr>{rows}</table>"


class StanceDashboard(Dashboard):
    """Stance toward Russia and the West: category weights and threshold re-score every sentence at once."""

    name = "stance"

    def __init__(self, annotated, labels: str = "en", outdir=None):
        super().__init__(annotated, labels, outdir)
        defaults = StanceLexicon.default().categories
        self.weights = {c: W.FloatSlider(value=w, min=0, max=2, step=0.1, description=c, continuous_update=False) for c, w in defaults.items()}
        self.threshold = W.FloatSlider(value=0.5, min=0.1, max=3, step=0.1, description="Threshold", continuous_update=False)
        self.by = W.Dropdown(options=[("Article", "article_id"), ("Source", "source"), ("Holder", "holder_id"), ("Month", "month")], description="Group by")
        self.segments = _segment_picker()
        self.sentence = W.Dropdown(description="Sentence", layout={"width": "800px"})
        self.explorer = W.HTML()
        self.agreement = W.HTML()
        self.sentence.observe(lambda _: self._explain(), names="value")
        sliders = W.GridBox(list(self.weights.values()), layout={"grid_template_columns": "repeat(4, 300px)"})
        self._finish([self.by, self.segments, self.threshold], [sliders, self.sentence, self.explorer, self.agreement])
        for slider in self.weights.values():
            slider.observe(lambda _: self.refresh(), names="value")

    def current_weights(self) -> dict[str, float]:
        return {c: s.value for c, s in self.weights.items()}

    def scored(self) -> pd.DataFrame:
        """The stance table re-scored with the current weights and threshold, in context."""
        stance = self.annotated.stance[["article_id", "sentence_id", "holder_id"]]
        rescored = stance.merge(score(self.annotated.cues, stance, self.current_weights(), self.threshold.value), on=["article_id", "sentence_id"])
        rescored = in_context(rescored, self.annotated)
        return rescored[rescored["segment"].isin(self.segments.value)]

    def refresh(self) -> None:
        rows, labels = self.scored(), self.labels.value
        self._draw("by_group", charts.stance_bars(rows, self.by.value, labels), rows)
        self._draw("timeline", charts.stance_timeline(rows, labels), rows)
        options = [(f"{r.article_id}:{r.sentence_id}  Russia {r.russia:+d} · West {r.west:+d}", (r.article_id, r.sentence_id)) for r in rows.itertuples()]
        current = self.sentence.value
        self.sentence.options = options
        values = [value for _, value in options]
        self.sentence.value = current if current in values else (values[0] if values else None)
        self._explain()
        self.agreement.value = self._agreement()

    def _explain(self) -> None:
        if not self.sentence.value:
            self.explorer.value = ""
            return
        article_id, sentence_id = self.sentence.value
        cues = self.annotated.cues[(self.annotated.cues["article_id"] == article_id) & (self.annotated.cues["sentence_id"] == sentence_id)]
        listed = "".join(f"<li>{html.escape(c.pattern)}: {c.category} {c.polarity:+d} → {c.side}{' (negated)' if c.negated else ''}</li>" for c in cues.itertuples())
        self.explorer.value = sentence_html(self.annotated, article_id, sentence_id, "cues") + f"<ul>{listed}</ul>"

    def _agreement(self) -> str:
        return f"<p>{html.escape(agreement(self.annotated, self.current_weights(), self.threshold.value))}</p>"


class FiguresDashboard(Dashboard):
    """Trade and money figures in US dollars, by kind and year, and where sources disagree."""

    name = "figures"

    def __init__(self, annotated, labels: str = "en", outdir=None):
        super().__init__(annotated, labels, outdir)
        self.figures = in_context(annotated.figures, annotated)
        years = self.figures["year"].dropna().astype(int)
        low, high = (int(years.min()), int(years.max())) if len(years) else (2000, 2030)
        self.kinds = W.SelectMultiple(options=sorted(self.figures["kind"].dropna().unique()), description="Kinds", rows=5)
        self.kinds.value = self.kinds.options
        self.years = W.IntRangeSlider(value=(low, high), min=low - 1, max=high + 1, description="Years")
        self.segments = _segment_picker()
        self.tolerance = W.FloatSlider(value=0.02, min=0, max=0.5, step=0.01, description="Tolerance", readout_format=".0%")
        self.table = W.HTML()
        self._finish([self.kinds, self.years, self.segments, self.tolerance], [self.table])

    def filtered(self) -> pd.DataFrame:
        rows = self.figures[self.figures["segment"].isin(self.segments.value) & self.figures["kind"].isin(self.kinds.value)]
        year = rows["year"].astype("Float64")
        return rows[year.between(*self.years.value) | year.isna()]

    def refresh(self) -> None:
        rows, labels = self.filtered(), self.labels.value
        self._draw("usd", charts.figures_chart(rows, labels), rows)
        found = conflicts(rows, self.annotated.articles, tolerance=self.tolerance.value)
        self._draw("conflicts", charts.conflicts_chart(found, labels), found)
        self.table.value = self._table(rows)

    @staticmethod
    def _table(rows: pd.DataFrame) -> str:
        cells = "".join(
            f"<tr><td dir='rtl'>{html.escape(r.surface)}</td><td>{r.value:,.0f} {html.escape(str(r.unit))}</td>"
            f"<td>{'' if pd.isna(r.value_usd) else f'{r.value_usd:,.0f}'}</td><td>{html.escape(str(r.usd_basis))}</td>"
            f"<td>{html.escape(str(r.kind))} {'' if pd.isna(r.year) else r.year}</td><td>{html.escape(r.article_id)}:{r.start}</td></tr>"
            for r in rows.itertuples()
        )
        return f"<table><tr><th>Figure</th><th>Value</th><th>US$</th><th>How</th><th>Kind, year</th><th>Where</th></tr>{cells}</table>"
