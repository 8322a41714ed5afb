"""What every dashboard shares: the Dashboard base class (controls, FigureWidgets updated in place, the
labels toggle and the Export button), the rows behind each chart assembled when exported (LazyRows), the
segment, source and article pickers, and `setup_notebook` with the one-time garbage-collector freeze. Imports
ipywidgets, plotly, kit.viz and kit.dashboards.index.
"""

from __future__ import annotations

import gc
import html
from functools import lru_cache
from pathlib import Path
from typing import Callable

import ipywidgets as W
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from kit.dashboards.index import CorpusIndex
from kit.viz import charts
from kit.viz.describe import describe_figure

__all__ = ["ArticlePicker", "Dashboard", "LazyRows", "freeze_imported", "setup_notebook", "update_in_place"]

SEGMENT_CHOICES = (("Body", ("body",)), ("Body and related stories", ("body", "related")), ("Everything", ("body", "related", "tags", "boilerplate")))
TOP = 30  # groups drawn by a chart grouped by article, source or holder
LISTED = 200  # rows listed in a dashboard's HTML tables
ARTICLES = 300  # articles listed in an article picker (any other can be opened by its id)
MIN_N = 3  # by holder or source, the stance chart hides groups with fewer sentences (a control)
MIN_N_GROUPS = ("holder_id", "source")
LINKS = 40  # the co-occurrence network draws the strongest links (a control)


def setup_notebook() -> None:
    """Set a notebook up for the kit's charts and dashboards: figures shown as plotly's JSON bundle
    (deterministic outputs, rendered by JupyterLab's plotly extension), and the objects the plotting and
    widget libraries build at import frozen out of the garbage collector's sight (`freeze_imported`) while
    that is cheap, before a corpus is loaded. Without it the first dashboard does the freezing."""
    charts.setup_notebook()
    freeze_imported()


@lru_cache(maxsize=1)
def freeze_imported() -> None:
    """Move every object alive now out of the cyclic garbage collector's sight (`gc.freeze`): mostly what
    importing plotly's FigureWidget, ipywidgets and nbformat built (~240,000 objects, jsonschema's URI
    grammar among them), which live as long as the process. Otherwise every full collection walks them
    all, a ~200 ms pause in whichever widget update it lands on. Objects made later are collected as usual; a
    frozen object that loses its last reference is still freed. Runs once per process: in `setup_notebook`,
    else when the first dashboard is made."""
    import plotly.graph_objs._figurewidget  # noqa: F401  (plotly.io → nbformat → jsonschema → rfc3987_syntax)

    gc.collect()
    gc.freeze()


def _same(a, b) -> bool:
    """Equal plotly JSON values (dicts, lists, tuples and arrays of numbers or strings)."""
    if isinstance(a, dict) or isinstance(b, dict):
        return isinstance(a, dict) and isinstance(b, dict) and a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple, np.ndarray)) or isinstance(b, (list, tuple, np.ndarray)):
        try:
            return len(a) == len(b) and bool(np.array_equal(np.asarray(a, dtype=object), np.asarray(b, dtype=object)))
        except TypeError:
            return False
    return type(a) is type(b) and a == b


def _changes(new: dict, old: dict | None) -> dict:
    """The properties of `new` that differ from `old` (all of them without `old`); a property `old` set and
    `new` does not is None, which resets it (e.g. the note of an empty chart once rows match again)."""
    if old is None:
        return dict(new)
    changed = {k: v for k, v in new.items() if k not in old or not _same(v, old[k])}
    return changed | {k: None for k in old.keys() - new.keys()}


def update_in_place(widget: go.FigureWidget, figure: go.Figure) -> None:
    """Give the traces and layout of `figure` to the FigureWidget without replacing the widget. Only the
    properties that changed since the last update are sent: plotly validates every property it is given,
    and re-validating the unchanged layout template alone would cost more than the rest of an update."""
    data = [trace.to_plotly_json() for trace in figure.data]
    layout = figure.layout.to_plotly_json()
    last = getattr(widget, "_kit_last", None)
    with widget.batch_update():
        if len(widget.data) == len(figure.data) and all(a.type == b.type for a, b in zip(widget.data, figure.data)):
            for index, (old, new) in enumerate(zip(widget.data, data)):
                changed = _changes(new, last[0][index] if last and index < len(last[0]) else None)
                if changed:
                    old.update(changed, overwrite=True)
        else:
            widget.data = []
            widget.add_traces(list(figure.data))
        if last is None and "template" in layout and widget.layout.template.to_plotly_json() == layout["template"]:
            last = ([], {"template": layout["template"]})
        changed = _changes(layout, last[1] if last else None)
        if changed:
            widget.layout.update(changed, overwrite=True)
    widget._kit_last = (data, layout)


class LazyRows(dict):
    """The rows behind each chart by name. A dashboard stores how to assemble them (a function) and they
    are assembled when first asked for — by an export — not at every update of a control."""

    def __getitem__(self, name: str) -> pd.DataFrame:
        value = super().__getitem__(name)
        if callable(value):
            value = value()
            super().__setitem__(name, value)
        return value

    def get(self, name, default=None):
        return self[name] if name in self else default

    def values(self):
        return [self[name] for name in self]

    def items(self):
        return [(name, self[name]) for name in self]


def replace_options(dropdown: W.Dropdown, options: list) -> None:
    """New options for a dropdown, keeping its value when it is still offered (else the first). Observers
    registered with `on_change` are not told: the caller refreshes what depends on the value itself."""
    current = dropdown.value
    values = [value for _, value in options]
    dropdown._kit_quiet = True
    try:
        dropdown.options = options
        dropdown.value = current if current in values else (values[0] if values else None)
    finally:
        dropdown._kit_quiet = False


def on_change(dropdown: W.Dropdown, handler: Callable[[], None]) -> None:
    """Call `handler` when the dropdown's value changes, except while `replace_options` updates it."""
    dropdown.observe(lambda _: None if getattr(dropdown, "_kit_quiet", False) else handler(), names="value")


def _article_options(index: CorpusIndex, positions) -> list[tuple[str, str]]:
    positions = np.asarray(positions, dtype=np.int64)
    ids, titles = index.ids.to_numpy()[positions], index.titles[positions]
    return [(f"{a} · {t}" if isinstance(t, str) else str(a), a) for a, t in zip(ids, titles)]


def _control_values(controls) -> dict:
    """Label → value of the controls (inside boxes too) that have a label."""
    values = {}
    for control in controls:
        if isinstance(control, W.Box):
            values.update(_control_values(control.children))
        elif getattr(control, "description", "") and hasattr(control, "value"):
            values[control.description] = control.value
    return values


def _shown(value) -> str:
    return ", ".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value)


def _with_sentences(rows: pd.DataFrame, sentences: pd.DataFrame) -> pd.DataFrame:
    """Rows that name a sentence, with its offsets and text (`sentence_start`, `sentence_end`, `sentence`;
    `start`/`end` too when the rows have no span of their own), so each exported row is traceable."""
    if not {"article_id", "sentence_id"} <= set(rows.columns) or "sentence" in rows.columns:
        return rows
    own = sentences[["article_id", "sentence_id", "start", "end", "text"]].rename(columns={"start": "sentence_start", "end": "sentence_end", "text": "sentence"})
    out = rows.assign(article_id=rows["article_id"].astype("string")).merge(own.astype({"article_id": "string"}), on=["article_id", "sentence_id"], how="left")
    if "start" not in out.columns:
        out = out.assign(start=out["sentence_start"], end=out["sentence_end"])
    return out


class Dashboard:
    """Controls, FigureWidgets and the rows behind them, with a labels toggle and an Export button."""

    name = "dashboard"
    limits: dict[str, dict[str, int]] = {}  # chart → the cuts it draws under (the largest groups ...), recorded with an export

    def __init__(self, annotated, labels: str = "en", outdir: str | Path | None = None):
        from kit.io.export import default_outdir

        freeze_imported()
        self.annotated = annotated
        self.outdir = Path(outdir) if outdir else default_outdir()
        self.charts: dict[str, go.FigureWidget] = {}
        self.rows: LazyRows = LazyRows()
        self.labels = W.ToggleButtons(options=[("English", "en"), ("العربية", "ar")], value=labels, description="Labels")
        self.export_choice = W.Dropdown(description="Chart")
        self.export_button = W.Button(description="Export", icon="download", tooltip="PNG, SVG, PDF, HTML and the rows as CSV, into reports/")
        self.export_log = W.HTML()
        self.export_button.on_click(lambda _: self._export_clicked())

    # subclasses: build controls in __init__, call self._finish(controls, body) and implement refresh();
    # `quiet` controls are laid out with the others but have handlers of their own (an article picker)
    def _finish(self, controls: list, body: list, quiet: tuple = ()) -> None:
        self._controls = controls
        for control in controls + [self.labels]:
            if control not in quiet:
                control.observe(lambda _: self.refresh(), names="value")
        self.refresh()
        self.export_choice.options = list(self.charts)
        self.export_choice.value = next(iter(self.charts))
        export_row = W.HBox([self.export_choice, self.export_button, self.export_log])
        self.widget = W.VBox([W.HBox(controls[:3]), W.HBox(controls[3:] + [self.labels]), *self.charts.values(), *body, export_row])

    def refresh(self) -> None:
        raise NotImplementedError

    def _draw(self, name: str, figure: go.Figure, rows: pd.DataFrame | Callable[[], pd.DataFrame]) -> None:
        """Show `figure` as chart `name`; `rows` are the rows behind it, or a function that assembles them."""
        self.rows[name] = rows
        if name in self.charts:
            update_in_place(self.charts[name], figure)
        else:
            self.charts[name] = widget = go.FigureWidget(figure)
            widget._kit_last = ([trace.to_plotly_json() for trace in figure.data], figure.layout.to_plotly_json())

    def article_names(self, labels: str) -> dict[str, str]:
        """article_id → «source · date · title» in the labels' language, once per language (`charts.article_names`)."""
        names = self.__dict__.setdefault("_article_names", {})
        if labels not in names:
            articles = self.annotated.articles
            names[labels] = charts.article_names(articles[[c for c in ("article_id", "source", "published", "title") if c in articles.columns]], labels)
        return names[labels]

    def parameters(self) -> dict:
        """The value of every control (by its label) and the labels language: what the charts show now."""
        return {**_control_values(self._controls), "labels": self.labels.value}

    def export(self, chart: str | None = None, formats=None, outdir: str | Path | None = None):
        """Export one chart (the first by default) with the rows behind it — each with its sentence's offsets
        and text, and its article as the charts name it (`article`) — and its parameters (the chart's `limits` too) (`NAME.json`, the active filters also under the title); returns a
        kit.io.export.Export."""
        from kit.io.export import FORMATS, corpus_hash, export_chart

        chart = chart or next(iter(self.charts))
        parameters = self.parameters()
        figure = go.Figure(self.charts[chart])
        shown = " · ".join(f"{k}: {_shown(v)}" for k, v in parameters.items() if k != "weights")
        figure.update_layout(title_text=f"{figure.layout.title.text or ''}<br><sup>{html.escape(shown)}</sup>")
        if getattr(self, "_corpus_hash", None) is None:
            self._corpus_hash = corpus_hash(self.annotated.articles)
        rows = _with_sentences(self.rows[chart], self.annotated.sentences)
        if "article_id" in rows.columns and "article" not in rows.columns:  # the article as the charts name it
            rows = rows.assign(article=rows["article_id"].astype("string").map(self.article_names(parameters["labels"])))
        limits = self.limits.get(chart, {})
        return export_chart(figure, rows, f"{self.name}-{chart}", outdir or self.outdir, formats or FORMATS,
                            parameters={"chart": chart, **parameters, **({"limits": limits} if limits else {})}, corpus=self._corpus_hash)

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


def segment_picker() -> W.Dropdown:
    return W.Dropdown(options=[(label, value) for label, value in SEGMENT_CHOICES], value=("body",), description="Segments")


def source_picker(index: CorpusIndex) -> W.Dropdown:
    sources = sorted(index.articles["source"].dropna().unique())
    return W.Dropdown(options=[("All sources", None)] + [(s, s) for s in sources], description="Source")


class ArticlePicker:
    """An article dropdown that lists a bounded number of articles (those of the current view), and a box
    in which any article id can be typed to open it."""

    def __init__(self, index: CorpusIndex, description: str = "Article"):
        self.index = index
        self.dropdown = W.Dropdown(description=description, layout={"width": "600px"})
        self.find = W.Text(placeholder="any article id", description="Open", continuous_update=False, layout={"width": "320px"})
        self.find.observe(lambda _: self._open(self.find.value.strip()), names="value")
        self.widget = W.HBox([self.dropdown, self.find])

    @property
    def value(self):
        return self.dropdown.value

    def offer(self, positions) -> None:
        """List the articles at `positions` (at most ARTICLES), keeping the current one if it is still listed
        (observers are not told: the dashboard refreshes what depends on the article itself)."""
        replace_options(self.dropdown, _article_options(self.index, list(positions)[:ARTICLES]))

    def _open(self, article_id: str) -> None:
        position = self.index.position(article_id) if article_id else -1
        if position < 0:
            self.find.description = "Open" if not article_id else "Not found"
            return
        self.find.description = "Open"
        if article_id not in [value for _, value in self.dropdown.options]:
            replace_options(self.dropdown, _article_options(self.index, [position]) + list(self.dropdown.options))
        self.dropdown.value = article_id
