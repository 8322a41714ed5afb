"""Dashboards: ipywidgets controls wired to plotly FigureWidgets that update in place, with an Export button.

A dashboard holds the state — the annotated corpus, the filters, the rows behind each chart — and
composes the pure chart builders of `kit.viz.charts` and the reader of `kit.viz.reader`. Changing a control
recomputes the rows and updates the existing traces of each FigureWidget (no output is re-rendered).
The Export button writes the chosen chart with its rows through `kit.io.export.export_chart`. In a notebook a
dashboard displays as its widgets, with a plain-text summary of what the charts show (trace names, bar
counts, totals), which is what nbval compares.

Dashboards stay responsive on large corpora (100,000 articles, millions of sentences and mentions): at
construction each table row gets integer codes — its article, sentence, segment, source, actor — so a
control change filters with boolean arrays and aggregates with `np.bincount`, never grouping strings
again; stance is re-scored with a precomputed `kit.extract.stance.Scorer`. Charts grouped by article, source or
holder draw the largest groups only (and say so), pickers list a bounded number of articles (any other
can be opened by its id), and the rows behind a chart are assembled only when they are exported.
The first dashboard made in a process freezes the objects alive at that moment out of the garbage
collector's sight (see `freeze_imported`), so a full collection does not pause a widget update for ~200 ms;
importing the kit or this module changes nothing.
"""

from __future__ import annotations

import gc
import html
from pathlib import Path
from types import SimpleNamespace
from typing import Callable

import ipywidgets as W
import numpy as np
import pandas as pd
import plotly.graph_objects as go
import scipy.sparse

from kit.analysis.aggregation import agreement, gold_sentences
from kit.analysis.conflicts import conflicts
from kit.analysis.search import HIT_COLUMNS, search, search_counts
from kit.base.codes import combine_codes
from kit.extract.stance import Scorer, StanceLexicon
from kit.viz import charts
from kit.viz.describe import describe_figure
from kit.viz.reader import article_html, sentence_html
from kit.viz.theme import BLOC_ORDER, FONT


_FROZEN: list[bool] = []


def freeze_imported() -> None:
    """Move every object alive now out of the cyclic garbage collector's sight (`gc.freeze`): mostly what
    importing plotly's FigureWidget, ipywidgets and nbformat built (~240,000 objects, jsonschema's URI
    grammar among them), which live as long as the process. Otherwise every full collection walks them
    all, a ~200 ms pause in whichever widget update it lands on (and a few per cent of the annotation
    workers' time, which import kit too). Objects made later are collected as usual; a frozen object that
    loses its last reference is still freed. Runs once per process, when the first dashboard is made."""
    if _FROZEN:
        return
    _FROZEN.append(True)
    import plotly.graph_objs._figurewidget  # noqa: F401  (plotly.io → nbformat → jsonschema → rfc3987_syntax)

    gc.collect()
    gc.freeze()


__all__ = ["ActorsDashboard", "CorpusDashboard", "Dashboard", "FiguresDashboard", "SearchDashboard", "StanceDashboard"]

SEGMENT_CHOICES = (("Body", ("body",)), ("Body and related stories", ("body", "related")), ("Everything", ("body", "related", "tags", "boilerplate")))
TOP = 30  # groups drawn by a chart grouped by article, source or holder
LISTED = 200  # rows listed in a dashboard's HTML tables
ARTICLES = 300  # articles listed in an article picker (any other can be opened by its id)
MIN_N = 3  # by holder or source, the stance chart hides groups with fewer sentences (a control)
MIN_N_GROUPS = ("holder_id", "source")
LINKS = 40  # the co-occurrence network draws the strongest links (a control)
_HASH_BASE = 1_000_003  # of the digest that groups sentences naming the same actors (ActorsDashboard)


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


# ---------------------------------------------------------------------------------------------------
# Integer codes for fast filtering and lookup


def _factorize(values: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Codes (-1 for a missing value) and the values by code (plain Python objects): a categorical column's
    own codes and categories, else the distinct values in order of first appearance."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.cat.codes.to_numpy().astype(np.int64), pd.Index(np.asarray(values.cat.categories, dtype=object), dtype=object)
    codes, uniques = pd.factorize(values)
    return codes.astype(np.int64, copy=False), pd.Index(np.asarray(uniques, dtype=object), dtype=object)


def _codes_in(index: pd.Index, values: pd.Series) -> np.ndarray:
    """The position of each value in `index` (-1 when missing or not there), factorising the column once."""
    codes, uniques = _factorize(values)
    return np.r_[index.get_indexer(uniques), -1][codes]


def _first_of(codes: np.ndarray, groups: int) -> np.ndarray:
    """The first row of each code 0 .. groups - 1 (len(codes) for a code that does not occur)."""
    first = np.full(groups, len(codes), dtype=np.int64)
    valid = np.flatnonzero(codes >= 0)
    np.minimum.at(first, codes[valid], valid)
    return first


def _sorted_groups(values: pd.Series) -> tuple[np.ndarray, list]:
    """Codes of `values` numbered in sorted order of the values (as Python objects, as `groupby(sort=True)`
    sorts them), a missing value being the group «—»; and the values by code."""
    codes, uniques = _factorize(values)
    names = [*uniques.astype(object), "—"]
    codes = np.where(codes < 0, len(names) - 1, codes)
    order = sorted(range(len(names)), key=names.__getitem__)
    rank = np.empty(len(names), dtype=np.int64)
    rank[order] = np.arange(len(names))
    return rank[codes], [names[i] for i in order]


def _allowed(names, chosen) -> np.ndarray:
    """For each code of `names` whether its value is among `chosen`, and False for code -1 (the last slot)."""
    chosen = set(chosen)
    return np.array([name in chosen for name in names] + [False], dtype=bool)


def _slices(codes: np.ndarray, groups: int) -> tuple[np.ndarray, np.ndarray]:
    """Row positions ordered by code, and where each code's rows begin: order[bounds[k]:bounds[k + 1]] are
    the rows of code k (code -1 is left out)."""
    order = np.argsort(codes, kind="stable")
    return order, np.searchsorted(codes[order], np.arange(groups + 1))


def _take(table: pd.DataFrame, positions: np.ndarray) -> pd.DataFrame:
    """`table.iloc[positions]` for a few ascending positions, taken from the slice they span: Arrow joins all
    of a string column's chunks before it takes from them, which costs ~20 ms on a 1M-row table."""
    return table.iloc[positions[0] : positions[-1] + 1].iloc[positions - positions[0]] if len(positions) else table.iloc[:0]


def _replace_options(dropdown: W.Dropdown, options: list) -> None:
    """New options for a dropdown, keeping its value when it is still offered (else the first). Observers
    registered with `_on_change` are not told: the caller refreshes what depends on the value itself."""
    current = dropdown.value
    values = [value for _, value in options]
    dropdown._kit_quiet = True
    try:
        dropdown.options = options
        dropdown.value = current if current in values else (values[0] if values else None)
    finally:
        dropdown._kit_quiet = False


def _on_change(dropdown: W.Dropdown, handler: Callable[[], None]) -> None:
    """Call `handler` when the dropdown's value changes, except while `_replace_options` updates it."""
    dropdown.observe(lambda _: None if getattr(dropdown, "_kit_quiet", False) else handler(), names="value")


class CorpusIndex:
    """Integer codes of an annotated corpus, computed once: where each row of a table belongs (its article as a
    position in `articles`, its sentence as a position in `sentences`), the segment of each sentence and the
    source and month of each article; and each article's rows of any table, found without a full scan."""

    def __init__(self, annotated):
        self.annotated = annotated
        self.articles = annotated.articles.drop_duplicates("article_id").reset_index(drop=True)
        self.ids = pd.Index(np.asarray(self.articles["article_id"], dtype=object), dtype=object)
        self.titles = self.articles["title"].to_numpy(dtype=object, na_value=None)
        self.source, self.sources = _factorize(self.articles["source"])
        self.month_values = self.articles["published"].dt.to_period("M").astype("string")
        self.month, self.months = _factorize(self.month_values)
        sentences = annotated.sentences
        self.sentence_article = self.article_of(sentences)
        sentence_ids = sentences["sentence_id"].to_numpy(np.int64)
        self.span = int(sentence_ids.max()) + 1 if len(sentence_ids) else 1
        key = self.sentence_article * self.span + sentence_ids
        self._sentence_order = np.argsort(key, kind="stable")
        self._sentence_keys = key[self._sentence_order]
        # where each article's sentences begin in key order: sentence n of an article is usually right there + n
        self._article_start = np.searchsorted(self._sentence_keys, np.arange(len(self.articles) + 1) * self.span)
        self.segment, self.segments = _factorize(sentences["segment"])
        self._by_article: dict[str, tuple] = {}
        self._article_rank: np.ndarray | None = None

    @property
    def article_rank(self) -> np.ndarray:
        """Each article's place in article id order."""
        if self._article_rank is None:
            order = np.argsort(self.articles["article_id"].to_numpy(dtype=object), kind="stable")
            self._article_rank = np.empty(len(order), dtype=np.int64)
            self._article_rank[order] = np.arange(len(order))
        return self._article_rank

    def article_of(self, table: pd.DataFrame) -> np.ndarray:
        """Each row's article as a position in `articles` (-1 when it is not there)."""
        return _codes_in(self.ids, table["article_id"])

    def sentence_of(self, table: pd.DataFrame, article: np.ndarray | None = None) -> np.ndarray:
        """Each row's sentence as a position in `sentences` (-1 when it is not there)."""
        article = self.article_of(table) if article is None else article
        sentence_ids = table["sentence_id"].to_numpy(np.int64)
        if not len(self._sentence_keys):
            return np.full(len(sentence_ids), -1, dtype=np.int64)
        key = article * self.span + sentence_ids
        last = len(self._sentence_keys) - 1
        found = np.minimum(np.r_[self._article_start, 0][article] + sentence_ids, last)  # sentences numbered 0, 1, 2 ...
        guessed = found >= 0
        guessed &= self._sentence_keys[np.maximum(found, 0)] == key
        if not guessed.all():  # otherwise, a binary search
            wrong = np.flatnonzero(~guessed)
            found[wrong] = np.minimum(np.searchsorted(self._sentence_keys, key[wrong]), last)
        valid = (article >= 0) & (sentence_ids >= 0) & (sentence_ids < self.span)
        valid &= self._sentence_keys[np.maximum(found, 0)] == key
        return np.where(valid, self._sentence_order[np.maximum(found, 0)], -1)

    def segment_of(self, sentence: np.ndarray) -> np.ndarray:
        """The segment code of sentence positions (-1 for -1)."""
        return np.where(sentence >= 0, np.r_[self.segment, -1][sentence], -1)

    def segment_filter(self, chosen) -> np.ndarray:
        """Whether each segment code (and -1, last) is among `chosen`."""
        return _allowed(self.segments, chosen)

    def source_code(self, source) -> int:
        """The code of a source name (-2, matching nothing, when it is not there)."""
        found = self.sources.get_indexer([source])[0] if source is not None else -2
        return int(found) if found >= 0 else -2

    def add(self, name: str, table: pd.DataFrame, articles: np.ndarray) -> None:
        """Index the rows of a table by article, from each row's article position when it is known already."""
        self._by_article[name] = (table, *_slices(articles, len(self.articles)))

    def rows(self, name: str, position: int) -> pd.DataFrame:
        """The rows of table `name` (sentences, mentions, cues, figures ...) of the article at `position`."""
        if name not in self._by_article:
            table = getattr(self.annotated, name)
            self.add(name, table, self.sentence_article if name == "sentences" else self.article_of(table))
        table, order, bounds = self._by_article[name]
        rows = order[bounds[position] : bounds[position + 1]]
        if len(rows) and rows[-1] - rows[0] == len(rows) - 1:  # tables come in article order: a slice, no gather
            return table.iloc[rows[0] : rows[-1] + 1]
        return table.iloc[rows]

    def position(self, article_id) -> int:
        """The position of an article id in `articles` (-1 when it is not there)."""
        return int(self.ids.get_indexer([article_id])[0]) if article_id is not None else -1

    def view(self, article_id, tables=("sentences", "mentions", "cues", "figures")) -> SimpleNamespace:
        """One article with its rows of `tables`, shaped like an Annotated, for the reader (kit.viz.reader)."""
        position = self.position(article_id)
        view = SimpleNamespace(articles=self.articles.iloc[position : position + 1] if position >= 0 else self.articles.iloc[:0])
        for name in tables:
            setattr(view, name, self.rows(name, position) if position >= 0 else getattr(self.annotated, name).iloc[:0])
        return view

    def context(self, article: np.ndarray, sentence: np.ndarray | None, columns=("source", "title", "published", "month", "segment")) -> dict[str, pd.api.extensions.ExtensionArray]:
        """The columns `in_context` joins on, taken by position (missing where the position is -1)."""
        out = {}
        for column in columns:
            if column == "segment" and sentence is not None:
                out[column] = self.annotated.sentences["segment"].array.take(sentence, allow_fill=True)
            elif column == "month":
                out[column] = self.month_values.array.take(article, allow_fill=True)
            elif column in self.articles.columns and column != "segment":
                out[column] = self.articles[column].array.take(article, allow_fill=True)
        return out


def _in_context_rows(table: pd.DataFrame, index: CorpusIndex, article: np.ndarray, sentence: np.ndarray | None, mask: np.ndarray | None) -> pd.DataFrame:
    """`in_context(table[mask])`, from positions instead of merges."""
    if mask is not None:
        table, article = table[mask], article[mask]
        sentence = sentence[mask] if sentence is not None else None
    context = {k: v for k, v in index.context(article, sentence).items() if k not in table.columns}
    return table.reset_index(drop=True).assign(**{k: pd.Series(v) for k, v in context.items()})


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


# ---------------------------------------------------------------------------------------------------
# Dashboards


class Dashboard:
    """Controls, FigureWidgets and the rows behind them, with a labels toggle and an Export button."""

    name = "dashboard"

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

    def parameters(self) -> dict:
        """The value of every control (by its label) and the labels language: what the charts show now."""
        return {**_control_values(self._controls), "labels": self.labels.value}

    def export(self, chart: str | None = None, formats=None, outdir: str | Path | None = None):
        """Export one chart (the first by default) with the rows behind it — each with its sentence's offsets
        and text — and its parameters (`NAME.json`, the active filters also under the title); returns a
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
        return export_chart(figure, rows, f"{self.name}-{chart}", outdir or self.outdir, formats or FORMATS,
                            parameters={"chart": chart, **parameters}, corpus=self._corpus_hash)

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


def _source_picker(index: CorpusIndex) -> W.Dropdown:
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
        _replace_options(self.dropdown, _article_options(self.index, list(positions)[:ARTICLES]))

    def _open(self, article_id: str) -> None:
        position = self.index.position(article_id) if article_id else -1
        if position < 0:
            self.find.description = "Open" if not article_id else "Not found"
            return
        self.find.description = "Open"
        if article_id not in [value for _, value in self.dropdown.options]:
            _replace_options(self.dropdown, _article_options(self.index, [position]) + list(self.dropdown.options))
        self.dropdown.value = article_id


class CorpusDashboard(Dashboard):
    """What is in the corpus: publication timeline, body versus page furniture, an article reader."""

    name = "corpus"

    def __init__(self, annotated, labels: str = "en", outdir=None):
        super().__init__(annotated, labels, outdir)
        self.index = index = CorpusIndex(annotated)
        self.metadata = index.articles.drop(columns=["text"])  # what the timeline needs, without the texts
        self.characters = charts.segment_characters(annotated.sentences)  # characters per article and segment, once
        self._character_article = index.ids.get_indexer(np.asarray(self.characters.index, dtype=object))
        self.source = _source_picker(index)
        self.picker = ArticlePicker(index)
        self.article = self.picker.dropdown
        self.segments = _segment_picker()
        self.segments.value = SEGMENT_CHOICES[-1][1]
        self.reader = W.HTML()
        _on_change(self.article, self._read)
        self._finish([self.source, self.picker.widget, self.segments], [self.reader], quiet=(self.picker.widget,))

    def refresh(self) -> None:
        index, labels = self.index, self.labels.value
        if (self.source.value, labels) == getattr(self, "_drawn", None):  # the segments change only the reader
            self._read()
            return
        self._drawn = (self.source.value, labels)
        if self.source.value is None:
            chosen, articles, characters = np.arange(len(index.articles)), self.metadata, self.characters
        else:
            chosen = np.flatnonzero(index.source == index.source_code(self.source.value))
            keep = np.zeros(len(index.articles) + 1, dtype=bool)
            keep[chosen] = True
            articles, characters = self.metadata.iloc[chosen], self.characters[keep[self._character_article]]
        self._draw("timeline", charts.timeline(articles, labels), articles)
        self._draw("segments", charts.segment_bars(characters, labels, TOP), lambda: self._sentences(chosen))
        self.picker.offer(chosen)
        self._read()

    def _sentences(self, articles: np.ndarray) -> pd.DataFrame:
        keep = np.zeros(len(self.index.articles) + 1, dtype=bool)
        keep[articles] = True
        return self.annotated.sentences[keep[self.index.sentence_article]]

    def _read(self) -> None:
        article = self.article.value
        self.reader.value = article_html(self.index.view(article, ("sentences",)), article, "segments", self.segments.value) if article is not None else ""


def _no_hits() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in HIT_COLUMNS})


class SearchDashboard(Dashboard):
    """Search with context: a box for words, a phrase or an actor (`kit.analysis.search.search`), the hits per month
    and source, keyword-in-context lines (left context, hit, right context, source, date, segment), and a
    list of the hits that opens the reader at the hit, marked. The rows behind the chart are the hits with
    their offsets (Export writes them as CSV)."""

    name = "search"

    def __init__(self, annotated, labels: str = "en", outdir=None, query: str = ""):
        super().__init__(annotated, labels, outdir)
        self.query = W.Text(value=query, placeholder="words, a phrase or an actor: العقوبات الغربية · بوتين · Vladimir Putin",
                            description="Search", continuous_update=False, layout={"width": "520px"})
        self.segments = _segment_picker()
        self.lines = W.HTML()
        self.hits = W.Dropdown(description="Open", layout={"width": "800px"})
        self.reader = W.HTML()
        self.found, self.message = _no_hits(), ""
        _on_change(self.hits, self._read)
        self._finish([self.query, self.segments], [self.lines, self.hits, self.reader])

    def refresh(self) -> None:
        query, labels = self.query.value.strip(), self.labels.value
        key = (query, self.segments.value)
        if key != getattr(self, "_searched", None):
            try:
                self.found = search(self.annotated, query, segments=self.segments.value) if query else _no_hits()
                self.message = ""
            except ValueError as exc:
                self.found, self.message = _no_hits(), str(exc)
            self._searched = key
            self.lines.value = self._lines()
            self.hits.options = [(self._line_text(r), i) for i, r in enumerate(self.found.iloc[:LISTED].itertuples())]
        self._draw("counts", charts.search_bars(search_counts(self.found), labels), self.found)

    def _line_text(self, r) -> str:
        date = "" if pd.isna(r.published) else f"{pd.Timestamp(r.published):%Y-%m-%d}"
        return f"{r.source if isinstance(r.source, str) else '(no source)'} · {date} · …{r.left[-40:]} [{r.hit}] {r.right[:40]}…"

    def _lines(self) -> str:
        if self.message:
            return f"<p>{html.escape(self.message)}</p>"
        rows = self.found.iloc[:LISTED]
        cells = "".join(
            f"<tr><td style='text-align:left'>{html.escape(r.left)}</td><td><b style='background:#E69F0033'>{html.escape(r.hit)}</b></td>"
            f"<td style='text-align:right'>{html.escape(r.right)}</td><td>{html.escape(r.source) if isinstance(r.source, str) else '(no source)'}</td>"
            f"<td>{'' if pd.isna(r.published) else f'{pd.Timestamp(r.published):%Y-%m-%d}'}</td><td>{html.escape(str(r.segment))}</td></tr>"
            for r in rows.itertuples()
        )
        shown = f"The first {LISTED:,} of {len(self.found):,} hits." if len(self.found) > LISTED else f"{len(self.found):,} hits."
        return (f"<p>{shown}</p><table dir='rtl' lang='ar' style='font-family: {FONT}'><tr><th>before</th><th>hit</th><th>after</th>"
                f"<th>source</th><th>date</th><th>segment</th></tr>{cells}</table>")

    def _read(self) -> None:
        at = self.hits.value
        if at is None or self.found is None or at >= len(self.found):
            self.reader.value = ""
            return
        hit = self.found.iloc[at]
        self.reader.value = article_html(self.annotated, hit["article_id"], marks=[(int(hit["start"]), int(hit["end"]))])


class ActorsDashboard(Dashboard):
    """Who appears: frequencies by bloc, actor × article, co-occurrence, who said what, a reader."""

    name = "actors"

    def __init__(self, annotated, labels: str = "en", outdir=None):
        super().__init__(annotated, labels, outdir)
        self.index = index = CorpusIndex(annotated)
        self._codes(annotated.mentions)
        self.source = _source_picker(index)
        self.segments = _segment_picker()
        self.min_n = W.BoundedIntText(value=MIN_N, min=1, max=100_000, description="Min. n", layout={"width": "160px"},
                                      tooltip="By holder or source: hide groups with fewer sentences")
        self.picker = ArticlePicker(index)
        self.article = self.picker.dropdown
        # regions (places) are a type of their own, off by default: select them to count attention to places
        self.types = W.SelectMultiple(options=["person", "country", "organisation", "bloc", "region"], value=("person", "country", "organisation", "bloc"), description="Types", rows=5)
        self.blocs = W.SelectMultiple(options=list(BLOC_ORDER), value=tuple(BLOC_ORDER), description="Blocs", rows=4)
        self.minimum = W.IntSlider(value=1, min=1, max=20, description="Min mentions")
        self.quotes = W.HTML()
        self.reader = W.HTML()
        _on_change(self.article, self._read)
        self.links = W.IntSlider(value=LINKS, min=5, max=300, step=5, description="Links", continuous_update=False)
        self._finish([self.source, self.segments, self.picker.widget, self.types, self.blocs, self.minimum, self.links], [self.quotes, self.reader], quiet=(self.picker.widget,))

    def _codes(self, mentions: pd.DataFrame) -> None:
        """Integer codes of every mention, once: actor, (actor, names, bloc), type, bloc, article, sentence,
        segment, source; and each (sentence, actor) pair's first mention, for the co-occurrence network."""
        index = self.index
        self.article_code = index.article_of(mentions)
        index.add("mentions", mentions, self.article_code)
        self.sentence_code = index.sentence_of(mentions, self.article_code)
        self.segment_code = index.segment_of(self.sentence_code)
        self.source_code = np.r_[index.source, -1][self.article_code]
        self.type_code, self.type_names = _factorize(mentions["actor_type"])
        self.actor_code, self.actor_ids = _factorize(mentions["actor_id"])
        self.bloc_code, self.bloc_names = _factorize(mentions["bloc"])
        names = [_factorize(mentions[c]) for c in ("name_en", "name_ar")]
        # an actor with its names and bloc, as actor_bars groups them (a missing value is a value here);
        # usually an actor has one spelling and bloc, and the actor's code is the ident's (no hashing)
        parts = [(self.actor_code, len(self.actor_ids)), *((codes, len(values)) for codes, values in names), (self.bloc_code, len(self.bloc_names))]
        actor = np.where(self.actor_code >= 0, self.actor_code, len(self.actor_ids))
        first_of_actor = _first_of(actor, len(self.actor_ids) + 1)[actor]
        variants = np.zeros(len(mentions), dtype=bool)
        for codes, _ in parts[1:]:
            variants |= codes != codes[first_of_actor]
        if variants.any():
            ident = pd.factorize(combine_codes(parts))[0].astype(np.int64)
        else:
            ident = actor
        first = _first_of(ident, int(ident.max()) + 1 if len(ident) else 0)
        first = np.sort(first[first < len(mentions)])  # each ident's first mention, in table order
        dense = np.full(int(ident.max()) + 1 if len(ident) else 0, -1)
        dense[ident[first]] = np.arange(len(first))
        self.ident_code = dense[ident]  # numbered in order of first appearance
        self.idents = mentions.iloc[first][["actor_id", "name_en", "name_ar", "bloc"]].reset_index(drop=True)  # by code
        self.ident_actor = self.actor_code[first]
        # ident codes in the order groupby sorts them, and each actor's place in actor id order (ties go by it)
        self.ident_sorted = self.idents.sort_values(["actor_id", "name_en", "name_ar", "bloc"], na_position="last", kind="stable").index.to_numpy()
        self.actor_rank = np.empty(len(self.actor_ids), dtype=np.int64)
        first_actor = self.idents.drop_duplicates("actor_id").dropna(subset=["actor_id"])
        order = first_actor.sort_values("actor_id", kind="stable").index.to_numpy()
        self.actor_rank[self.ident_actor[order]] = np.arange(len(order))
        # each (sentence, actor) pair once, by sentence (a stable sort is quick: mentions come in sentence order);
        # an actor named both as a place and otherwise in one sentence («آسيا الوسطى» and «دول آسيا الوسطى») is
        # represented by the other mention, so that leaving places out keeps the sentence
        pair = np.where((self.sentence_code >= 0) & (self.actor_code >= 0), self.sentence_code * max(len(self.actor_ids), 1) + self.actor_code, -1)
        place = (mentions["actor_type"] == "region").to_numpy(dtype=bool, na_value=False)
        order = np.lexsort((place, pair)) if place.any() else np.argsort(pair, kind="stable")
        ordered = pair[order]
        self.unit_rows = order[np.r_[True, ordered[1:] != ordered[:-1]] & (ordered >= 0)] if len(order) else order
        self._cells()
        # quotes: segment, source and speaker as codes
        quotes = self.annotated.quotes
        self.quote_article = index.article_of(quotes)
        self.quote_segment = index.segment_of(index.sentence_of(quotes, self.quote_article))
        self.quote_source = np.r_[index.source, -1][self.quote_article]
        self.quote_speaker = _codes_in(self.actor_ids, quotes["speaker_id"])

    def _cells(self) -> None:
        """Cells: mentions that every filter treats alike (same segment, source, type and actor with its names
        and bloc), with how many mentions each holds and its first. A filter change then counts a few hundred
        cells instead of millions of mentions: per article for the heatmap and the picker, and per distinct
        sentence (the same cells named together) for the network."""
        combined = combine_codes([(self.segment_code, len(self.index.segments)), (self.source_code, len(self.index.sources)),
                                         (self.type_code, len(self.type_names)), (self.ident_code, len(self.idents))])
        valid = np.flatnonzero(self.actor_code >= 0)
        self.cell_code = np.full(len(combined), -1, dtype=np.int64)
        self.cell_code[valid] = pd.factorize(combined[valid])[0]
        cells = int(self.cell_code.max()) + 1 if len(valid) else 0
        self.cell_first = _first_of(self.cell_code, cells)
        self.cell_size = np.bincount(self.cell_code[valid], minlength=cells)
        self.cell_segment, self.cell_source, self.cell_type, self.cell_ident, self.cell_actor, self.cell_bloc = (
            codes[self.cell_first] for codes in (self.segment_code, self.source_code, self.type_code, self.ident_code, self.actor_code, self.bloc_code))
        placed = valid[self.article_code[valid] >= 0]
        self.article_cells = scipy.sparse.csr_array(  # mentions per article (row) and cell (column)
            (np.ones(len(placed)), (self.article_code[placed], self.cell_code[placed])), shape=(len(self.index.articles), cells))
        self.article_cells.sum_duplicates()
        self._sentence_kinds()

    def _sentence_kinds(self) -> None:
        """Sentences that name the same cells (one per (sentence, actor) pair, as `unit_rows`), counted together:
        `kind_cells[kind_start[k]:kind_start[k + 1]]` are the cells of kind k, named in `kind_size[k]` sentences."""
        units = self.unit_rows
        cells, sentences = self.cell_code[units], self.sentence_code[units]
        starts = np.flatnonzero(np.r_[True, sentences[1:] != sentences[:-1]]) if len(units) else np.zeros(0, dtype=np.int64)
        lengths = np.diff(np.r_[starts, len(units)])
        place = np.arange(len(units)) - np.repeat(starts, lengths)
        # a polynomial hash of each sentence's cells (in actor order), checked cell by cell below
        terms = (cells.astype(np.uint64) + np.uint64(1)) * np.power(np.uint64(_HASH_BASE), place.astype(np.uint64))
        digest = np.add.reduceat(terms, starts) if len(units) else np.zeros(0, dtype=np.uint64)
        kind, digests = pd.factorize(digest ^ lengths.astype(np.uint64))
        first = _first_of(kind, len(digests))  # each kind's first sentence
        sentence_of_unit = np.repeat(np.arange(len(starts)), lengths)
        same = lengths[first][kind] == lengths
        same = same[sentence_of_unit] & (cells == cells[np.minimum(starts[first][kind][sentence_of_unit] + place, len(units) - 1)])
        if not same.all():  # a hash collision: every sentence is its own kind
            kind, first = np.arange(len(starts)), np.arange(len(starts))
        self.kind_size = np.bincount(kind, minlength=len(first))
        self.kind_start = np.r_[0, np.cumsum(lengths[first])]
        self.kind_cells = cells[np.repeat(starts[first] - self.kind_start[:-1], lengths[first]) + np.arange(self.kind_start[-1])]

    @property
    def mentions(self) -> pd.DataFrame:
        """Every mention with its article's source/title/month and its sentence's segment (assembled when asked for)."""
        return _in_context_rows(self.annotated.mentions, self.index, self.article_code, self.sentence_code, None)

    def kept_cells(self) -> np.ndarray:
        """Which cells the controls keep."""
        keep = self.index.segment_filter(self.segments.value)[self.cell_segment]
        if self.source.value is not None:
            keep &= self.cell_source == self.index.source_code(self.source.value)
        keep &= _allowed(self.type_names, self.types.value)[self.cell_type] & _allowed(self.bloc_names, self.blocs.value)[self.cell_bloc]
        counts = self._per_actor(keep)
        return keep & (counts >= self.minimum.value)[self.cell_actor]

    def mask(self) -> np.ndarray:
        """Which mentions the controls keep."""
        return np.r_[self.kept_cells(), False][self.cell_code]

    def filtered(self, mask: np.ndarray | None = None) -> pd.DataFrame:
        """The mentions the controls keep, in context (the rows behind the charts)."""
        return _in_context_rows(self.annotated.mentions, self.index, self.article_code, self.sentence_code, self.mask() if mask is None else mask)

    def refresh(self) -> None:
        filters = (self.segments.value, self.source.value, self.types.value, self.blocs.value, self.minimum.value)
        changed = filters != getattr(self, "_filters", None)
        if changed:  # the labels toggle only redraws: the counts behind the charts are kept
            self._counted, self._filters = self._count(), filters
        counted, labels = self._counted, self.labels.value
        self._draw("frequencies", charts.actor_count_bars(counted.counts, labels), counted.rows)
        self._draw("heatmap", charts.actor_matrix_heatmap(counted.matrix, charts._actor_names(counted.matrix_names, labels), labels, articles=counted.articles), counted.rows)
        self._draw("network", charts.network_chart(counted.nodes, counted.pairs, labels, links=self.links.value), counted.rows)
        if changed:
            self.quotes.value = self._quotes_table(counted.per_actor > 0)
            self.picker.offer(counted.offered)
            self._read()

    def _per_actor(self, kept: np.ndarray, by: str = "actor") -> np.ndarray:
        """Kept mentions per actor (`by="ident"`: per actor with its names and bloc)."""
        codes, groups = (self.cell_actor, len(self.actor_ids)) if by == "actor" else (self.cell_ident, len(self.idents))
        return np.bincount(codes[kept], weights=self.cell_size[kept], minlength=groups).astype(np.int64)

    def _count(self) -> SimpleNamespace:
        """What the charts show under the current filters: mentions per actor, the actor × article table and
        the co-occurrence pairs (the rows behind them are assembled on export)."""
        kept = self.kept_cells()
        per_ident, per_actor = self._per_actor(kept, by="ident"), self._per_actor(kept)
        counts = self.idents.iloc[self.ident_sorted].assign(mentions=per_ident[self.ident_sorted])
        counts = counts[counts["mentions"] > 0].reset_index(drop=True)
        leaders = self._leaders(per_actor, 15)
        rank = self._ranks(leaders, kept)
        per_article = self.article_cells @ np.c_[rank >= 0, kept].astype(float)  # mentions of the leaders, of any kept actor
        matrix, matrix_names, articles = self._heatmap(leaders, rank, per_article[:, 0], per_ident)
        nodes, pairs = self._network(kept)
        rows = lambda: self.filtered(np.r_[kept, False][self.cell_code])  # noqa: E731 (assembled on export)
        return SimpleNamespace(per_actor=per_actor, counts=counts, matrix=matrix, matrix_names=matrix_names, articles=articles, nodes=nodes, pairs=pairs,
                               offered=self._articles(per_article[:, 1]), rows=rows)

    def _leaders(self, counts: np.ndarray, top: int) -> np.ndarray:
        """Actor codes of the `top` largest counts; ties by actor id."""
        present = np.flatnonzero(counts > 0)
        return present[np.lexsort((self.actor_rank[present], -counts[present]))][:top]

    def _names(self, actors: np.ndarray, present_idents: np.ndarray) -> pd.DataFrame:
        """name_en, name_ar, bloc of each actor: its first name variant among `present_idents` (sorted order)."""
        sorted_present = self.ident_sorted[present_idents[self.ident_sorted]]
        first = pd.Series(sorted_present, index=self.ident_actor[sorted_present]).groupby(level=0).first()
        return self.idents.iloc[first.reindex(actors).to_numpy()].set_index("actor_id")

    def _ranks(self, leaders: np.ndarray, kept: np.ndarray) -> np.ndarray:
        """Each cell's leader rank (0 for the first of `leaders` ...), -1 when it is not kept or not a leader's."""
        rank = np.full(len(self.actor_ids), -1)
        rank[leaders] = np.arange(len(leaders))
        return np.where(kept, rank[self.cell_actor], -1)

    def _heatmap(self, leaders: np.ndarray, rank: np.ndarray, totals: np.ndarray, per_ident: np.ndarray) -> tuple[pd.DataFrame, pd.DataFrame, int]:
        """The heatmap's mentions table (`leaders` × the articles with most of their mentions, `totals`), the
        actors' names, and how many articles name any of them."""
        present = np.flatnonzero(totals > 0)
        present = present[np.argsort(self.index.article_rank[present], kind="stable")]  # in article id order
        columns = present[np.flatnonzero(charts._largest(totals[present], TOP))]
        leader_of_cell = np.zeros((len(rank), len(leaders)))
        leader_of_cell[np.flatnonzero(rank >= 0), rank[rank >= 0]] = 1
        matrix = (self.article_cells[columns] @ leader_of_cell).T
        table = pd.DataFrame(matrix, index=pd.Index(self.actor_ids[leaders], name="actor_id"),
                             columns=pd.Index(self.index.ids[columns], name="article_id"))
        return table, self._names(leaders, per_ident > 0), len(present)

    def _network(self, kept: np.ndarray, top: int = 25) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The network's actors (the `top` named in most sentences) and how many sentences name each pair."""
        kinds = np.repeat(np.arange(len(self.kind_size)), np.diff(self.kind_start))
        named = kept[self.kind_cells]
        sentences = np.bincount(self.cell_actor[self.kind_cells[named]], weights=self.kind_size[kinds[named]], minlength=len(self.actor_ids))
        leaders = self._leaders(sentences.astype(np.int64), top)
        rank = self._ranks(leaders, kept)[self.kind_cells]
        chosen = rank >= 0
        kinds, bits = kinds[chosen], np.left_shift(np.int64(1), rank[chosen].astype(np.int64))
        starts = np.flatnonzero(np.r_[True, kinds[1:] != kinds[:-1]]) if len(kinds) else np.zeros(0, dtype=np.int64)
        together = np.bitwise_or.reduceat(bits, starts) if len(kinds) else np.zeros(0, dtype=np.int64)
        times = self.kind_size[kinds[starts]]
        two = (together & (together - 1)) != 0  # kinds of sentence that name two or more of them
        sets, which = np.unique(together[two], return_inverse=True)
        times = np.bincount(which.ravel(), weights=times[two], minlength=len(sets)).astype(np.int64)
        named = (sets[:, None] >> np.arange(len(leaders))) & 1  # which leaders each distinct set names
        together_counts = named.T @ (named * times[:, None])  # sentences naming leaders i and j
        ids = [str(a) for a in self.actor_ids[leaders]]
        found = [(*sorted((ids[i], ids[j])), int(together_counts[i, j])) for i, j in zip(*np.triu_indices(len(ids), 1)) if together_counts[i, j]]
        pairs = pd.DataFrame(found, columns=["actor_id_x", "actor_id_y", "count"]).sort_values(["actor_id_x", "actor_id_y"], ignore_index=True)
        return self._first_names(leaders, kept), pairs

    def _first_names(self, actors: np.ndarray, kept: np.ndarray) -> pd.DataFrame:
        """name_en, name_ar, bloc of each actor from its first kept mention (as drop_duplicates("actor_id"))."""
        first = np.full(len(self.actor_ids), len(self.actor_code), dtype=np.int64)
        np.minimum.at(first, self.cell_actor[kept], self.cell_first[kept])
        return self.idents.iloc[self.ident_code[first[actors]]].set_index("actor_id")[["name_en", "name_ar", "bloc"]]

    def _articles(self, per_article: np.ndarray) -> np.ndarray:
        """Article positions for the picker: those with the most kept mentions, in table order."""
        present = np.flatnonzero(per_article > 0)
        return present[charts._largest(per_article[present], ARTICLES)]

    def _quotes_table(self, actors: np.ndarray) -> str:
        keep = self.index.segment_filter(self.segments.value)[self.quote_segment] & np.r_[actors, False][self.quote_speaker]
        if self.source.value is not None:
            keep &= self.quote_source == self.index.source_code(self.source.value)
        chosen = np.flatnonzero(keep)
        quotes = _take(self.annotated.quotes, chosen[:LISTED])
        rows = "".join(
            f"<tr><td>{html.escape(str(q.speaker_en))}</td><td>{html.escape(str(q.verb))}</td><td dir='rtl'>{html.escape(q.quote[:200])}</td>"
            f"<td>{html.escape(q.article_id)}:{q.start}</td></tr>"
            for q in quotes.itertuples()
        )
        shown = f", the first {LISTED:,}" if len(chosen) > LISTED else ""
        return f"<h4>Who said what ({len(chosen)}{shown})</h4><table><tr><th>Speaker</th><th>Verb</th><th>Said</th><th>Where</th></tr>{rows}</table>"

    def _read(self) -> None:
        article, segments = self.article.value, self.segments.value
        if (article, segments) != getattr(self, "_shown", None):  # the other filters do not change the reader
            self.reader.value = article_html(self.index.view(article, ("sentences", "mentions")), article, "mentions", segments) if article is not None else ""
            self._shown = (article, segments)


def _outcomes(russia: np.ndarray, west: np.ndarray, threshold: float) -> np.ndarray:
    """Both labels of each sentence as one number, 3 × (Russia label + 1) + (West label + 1), labelled as
    Scorer.labels labels (+1 at or above the threshold, -1 at or below minus it)."""
    if threshold <= 0:  # both bounds could hold: Scorer.labels gives +1
        return ((Scorer.labels(russia, threshold) + 1) * 3 + Scorer.labels(west, threshold) + 1).astype(np.int8)
    outcome = np.add(russia > -threshold, russia >= threshold, dtype=np.int8)
    outcome *= 3
    outcome += west > -threshold
    outcome += west >= threshold
    return outcome


def _tally(codes10: np.ndarray, outcome: np.ndarray, groups: int) -> np.ndarray:
    """Sentences per group and outcome from one bincount: a (groups, 3, 3) table by Russia label + 1 and West
    label + 1. `codes10` is 10 × each row's group code; `outcome` 0-8 (`_outcomes`), or 9 to leave a row out."""
    return np.bincount(codes10 + outcome, minlength=groups * 10).reshape(groups, 10)[:, :9].reshape(groups, 3, 3)


def _share_counts(table: np.ndarray, names) -> tuple[pd.DataFrame, pd.Series]:
    """Sentences pro and anti each side, and in all, per group of a `_tally` table."""
    index = pd.Index(list(names), dtype=object)
    counts = pd.DataFrame({
        "pro_russia": table[:, 2, :].sum(axis=1), "anti_russia": table[:, 0, :].sum(axis=1),
        "pro_west": table[:, :, 2].sum(axis=1), "anti_west": table[:, :, 0].sum(axis=1),
    }, index=index)
    return counts, pd.Series(table.sum(axis=(1, 2)), index=index)


class StanceDashboard(Dashboard):
    """Stance toward Russia and the West: category weights and threshold re-score every sentence at once.

    At construction the cues are prepared for re-scoring (`kit.extract.stance.Scorer`) and every stance sentence
    gets integer codes (its segment, article, source, holder and month); an update re-scores with one
    bincount, counts labels per group and month with one more each, and redraws the largest groups."""

    name = "stance"

    def __init__(self, annotated, labels: str = "en", outdir=None):
        super().__init__(annotated, labels, outdir)
        self.index = index = CorpusIndex(annotated)
        self.keys = annotated.stance[["article_id", "sentence_id", "holder_id"]].reset_index(drop=True)
        self.names = charts.known_names(annotated.mentions)  # holders by name on the charts
        self.article_names = charts.article_names(index.articles)  # articles as «source · date · title»
        self.scorer = Scorer(annotated.cues, self.keys)
        self.article_code = index.article_of(self.keys)
        self.sentence_code = index.sentence_of(self.keys, self.article_code)
        self.segment_code = index.segment_of(self.sentence_code)
        self._groups: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._masks: dict[tuple, np.ndarray] = {}
        self._agreements: dict[tuple, str] = {}
        self._by_article = _slices(self.article_code, len(index.articles))
        index.add("stance", annotated.stance, self.article_code)
        # a cue's article through its sentence of the stance table (every cue has one), for the explorer
        index.add("cues", annotated.cues, np.r_[self.article_code, -1][self.scorer.cue_keys])
        self._articles_by_id = np.argsort(index.article_rank, kind="stable")  # article positions in id order
        self._gold = self._gold_view()
        self._explained = None
        self.defaults = defaults = StanceLexicon.default().categories  # the category weights the sliders start from
        self.weights = {c: W.FloatSlider(value=w, min=0, max=2, step=0.1, description=c, continuous_update=False) for c, w in defaults.items()}
        self.threshold = W.FloatSlider(value=0.5, min=0.1, max=3, step=0.1, description="Threshold", continuous_update=False)
        self.by = W.Dropdown(options=[("Article", "article_id"), ("Source", "source"), ("Holder", "holder_id"), ("Month", "month")], description="Group by")
        self.segments = _segment_picker()
        self.min_n = W.BoundedIntText(value=MIN_N, min=1, max=100_000, description="Min. n", layout={"width": "160px"},
                                      tooltip="By holder or source: hide groups with fewer sentences")
        self.picker = ArticlePicker(index)
        self.article = self.picker.dropdown
        self.sentence = W.Dropdown(description="Sentence", layout={"width": "800px"})
        self.explorer = W.HTML()
        self.agreement = W.HTML()
        _on_change(self.article, self._offer_sentences)
        _on_change(self.sentence, self._explain)
        sliders = W.GridBox(list(self.weights.values()), layout={"grid_template_columns": "repeat(4, 300px)"})
        self._finish([self.by, self.segments, self.threshold, self.min_n], [sliders, self.picker.widget, self.sentence, self.explorer, self.agreement])
        for slider in self.weights.values():
            slider.observe(lambda _: self.refresh(), names="value")

    def current_weights(self) -> dict[str, float]:
        return {c: s.value for c, s in self.weights.items()}

    def parameters(self) -> dict:
        return {**super().parameters(), "weights": self.current_weights()}

    def _gold_view(self) -> SimpleNamespace:
        """The articles of the hand-labelled gold sentences, for measuring agreement without the whole corpus."""
        positions = [p for p in (self.index.position(a) for a in gold_sentences()["article_id"].unique()) if p >= 0]
        view = SimpleNamespace(articles=self.index.articles.iloc[positions])
        for name in ("sentences", "cues", "stance"):
            parts = [self.index.rows(name, p) for p in positions]
            setattr(view, name, pd.concat(parts) if parts else getattr(self.annotated, name).iloc[:0])
        return view

    def _group(self, by: str) -> tuple[np.ndarray, np.ndarray]:
        """Each stance row's group as 10 × a code (codes numbered in sorted order of the values, «—» for
        none; ten slots per group for `_tally`) and the values by code."""
        if by not in self._groups:
            if by == "article_id" and (self.article_code >= 0).all():  # the articles' own order, no strings grouped again
                order = self._articles_by_id
                used = np.zeros(len(order), dtype=bool)
                used[self.article_code] = True
                order = order[used[order]]
                rank = np.full(len(used), -1)
                rank[order] = np.arange(len(order))
                codes, names = rank[self.article_code], [*self.index.articles["article_id"].to_numpy(dtype=object)[order], "—"]
            elif by in self.keys.columns:
                codes, names = _sorted_groups(self.keys[by])
            else:  # a column of the article (source, month): codes per article, then per row
                codes, names = _sorted_groups(self.index.month_values if by == "month" else self.index.articles[by])
                codes = np.r_[codes, names.index("—")][self.article_code]
            self._groups[by] = (codes * 10, np.array(names, dtype=object))
        return self._groups[by]

    def labelled(self, scores: tuple[np.ndarray, np.ndarray] | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Russia and West scores and labels of every stance row with the current weights and threshold."""
        russia_score, west_score = self.scorer.scores(self.current_weights()) if scores is None else scores
        threshold = self.threshold.value
        return russia_score, west_score, Scorer.labels(russia_score, threshold), Scorer.labels(west_score, threshold)

    def scored(self, labelled=None, mask: np.ndarray | None = None) -> pd.DataFrame:
        """The stance table re-scored with the current weights and threshold, in context (the rows in the
        chosen segments, or those of `mask`)."""
        russia_score, west_score, russia, west = self.labelled() if labelled is None else labelled
        table = self.keys.assign(russia_score=russia_score, west_score=west_score, russia=russia, west=west)
        return _in_context_rows(table, self.index, self.article_code, self.sentence_code, self._segment_mask() if mask is None else mask)

    def _segment_mask(self) -> np.ndarray:
        chosen = tuple(self.segments.value)
        if chosen not in self._masks:
            self._masks[chosen] = self.index.segment_filter(chosen)[self.segment_code]
        return self._masks[chosen]

    def refresh(self) -> None:
        scores = self.scorer.scores(self.current_weights())
        threshold, labels, by = self.threshold.value, self.labels.value, self.by.value
        outcome = _outcomes(*scores, threshold)
        mask = self._segment_mask()
        kept = np.where(mask, outcome, np.int8(9))
        codes10, names = self._group(by)
        table = _tally(codes10, kept, len(names))
        sentences = table.sum(axis=(1, 2))
        min_n = self.min_n.value if by in MIN_N_GROUPS else 1
        present = np.flatnonzero(sentences >= min_n)
        hidden = int(np.count_nonzero(sentences)) - len(present)
        shown = present[charts._largest(sentences[present], TOP)]
        shares = charts.share_table(*_share_counts(table[shown], names[shown]))
        in_shown = np.zeros(len(names), dtype=bool)
        in_shown[shown] = True
        self._draw("by_group", charts.stance_share_bars(shares, by, labels, None, total=len(present), min_n=min_n, hidden=hidden, names=self.names, articles=self.article_names),
                   lambda: self.scored(self.labelled(scores), mask & in_shown[codes10 // 10]))
        month10, months = self._group("month")
        per_month = _tally(month10, kept, len(months))
        dated = np.flatnonzero(per_month.sum(axis=(1, 2)) * (months != "—"))
        counts, n = _share_counts(per_month[dated], months[dated])
        summary = pd.DataFrame({"russia": (counts["pro_russia"] - counts["anti_russia"]) / n, "west": (counts["pro_west"] - counts["anti_west"]) / n, "n": n})
        self._draw("timeline", charts.stance_month_lines(summary.rename_axis("month"), labels), lambda: self.scored(self.labelled(scores), mask))
        self._labels = (outcome, mask)
        self.picker.offer(self._articles(mask, names[shown] if by == "article_id" else None))
        self._offer_sentences()
        self.agreement.value = self._agreement()

    def _articles(self, mask: np.ndarray, shown=None) -> np.ndarray:
        """Articles for the sentence picker: grouped by article, those of the chart's bars; else the ARTICLES
        with the most stance sentences in view; in article id order."""
        if shown is not None:
            positions = self.index.ids.get_indexer(np.asarray(shown, dtype=object))
            return positions[positions >= 0]
        articles = len(self.index.articles)
        per_article = np.bincount(np.where(mask & (self.article_code >= 0), self.article_code, articles), minlength=articles + 1)[:-1]
        ordered = self._articles_by_id[per_article[self._articles_by_id] > 0]
        return ordered[charts._largest(per_article[ordered], ARTICLES)]

    def _offer_sentences(self) -> None:
        """The stance sentences of the chosen article (in the chosen segments), with their labels."""
        article = self.article.value
        options = []
        if article is not None and hasattr(self, "_labels"):
            outcome, mask = self._labels
            order, bounds = self._by_article
            position = self.index.position(article)
            rows = order[bounds[position] : bounds[position + 1]] if position >= 0 else np.zeros(0, dtype=np.int64)
            rows = rows[mask[rows]]
            sentence_ids = self.keys["sentence_id"].to_numpy()[rows]
            russia, west = outcome[rows] // 3 - 1, outcome[rows] % 3 - 1
            options = [(f"{article}:{s}  Russia {int(r):+d} · West {int(w):+d}", (article, int(s))) for s, r, w in zip(sentence_ids, russia, west)]
        _replace_options(self.sentence, options)
        self._explain()

    def _explain(self) -> None:
        """The chosen sentence with its cues marked and listed (redrawn only when another sentence is chosen)."""
        if self.sentence.value == self._explained:
            return
        self._explained = self.sentence.value
        if not self.sentence.value:
            self.explorer.value = ""
            return
        article_id, sentence_id = self.sentence.value
        view = self.index.view(article_id, ("sentences", "cues"))
        cues = view.cues[view.cues["sentence_id"] == sentence_id]
        listed = "".join(f"<li>{html.escape(c.pattern)}: {c.category} {c.polarity:+d} → {c.side}{' (negated)' if c.negated else ''}</li>" for c in cues.itertuples())
        self.explorer.value = sentence_html(view, article_id, sentence_id, "cues") + f"<ul>{listed}</ul>"

    def _agreement(self) -> str:
        """Agreement with the hand labels, measured on the gold articles only (once per weights and threshold)."""
        key = (tuple(self.current_weights().items()), self.threshold.value)
        if key not in self._agreements:
            self._agreements[key] = f"<p>{html.escape(agreement(self._gold, self.current_weights(), self.threshold.value))}</p>"
        return self._agreements[key]


class FiguresDashboard(Dashboard):
    """Trade and money figures in US dollars, by kind and year, and where sources disagree."""

    name = "figures"

    def __init__(self, annotated, labels: str = "en", outdir=None):
        super().__init__(annotated, labels, outdir)
        index = CorpusIndex(annotated)
        article = index.article_of(annotated.figures)
        self.figures = _in_context_rows(annotated.figures, index, article, index.sentence_of(annotated.figures, article), None)
        years = self.figures["year"].dropna().astype(int)
        low, high = (int(years.min()), int(years.max())) if len(years) else (2000, 2030)
        self.kinds = W.SelectMultiple(options=sorted(self.figures["kind"].dropna().unique()), description="Kinds", rows=5)
        self.kinds.value = self.kinds.options
        self.years = W.IntRangeSlider(value=(low, high), min=low - 1, max=high + 1, description="Years")
        self.segments = _segment_picker()
        self.tolerance = W.FloatSlider(value=0.02, min=0, max=0.5, step=0.01, description="Tolerance", readout_format=".0%")
        self.table = W.HTML()
        self.why = W.HTML()  # what the other filters leave each control to change
        self._finish([self.kinds, self.years, self.segments, self.tolerance], [self.why, self.table])

    def filtered(self) -> pd.DataFrame:
        rows = self.figures[self.figures["segment"].isin(self.segments.value) & self.figures["kind"].isin(self.kinds.value)]
        year = rows["year"].astype("Float64")
        return rows[year.between(*self.years.value) | year.isna()]

    def refresh(self) -> None:
        rows, labels = self.filtered(), self.labels.value
        key = (self.kinds.value, self.years.value, self.segments.value, labels)
        if key != getattr(self, "_drawn", None):  # the tolerance changes only the conflicts
            self._draw("usd", charts.figures_chart(rows, labels, TOP), lambda: charts.figure_groups(rows))
            self._drawn = key
        compared = (*key[:3], self.tolerance.value)
        if compared != getattr(self, "_compared", None):  # the labels toggle only redraws
            self._found, self._compared = conflicts(rows, self.annotated.articles, tolerance=self.tolerance.value), compared
        self._draw("conflicts", charts.conflicts_chart(self._found, labels, TOP), self._found)
        if key[:3] != getattr(self, "_listed", None):  # the table lists the filtered figures, whatever the labels and tolerance
            self.table.value, self._listed = self._table(rows), key[:3]
            self.why.value = self._why()

    def _why(self) -> str:
        """Which kinds and segments hold figures under the other filters: a control that cannot change
        anything says so («no figures outside the body under these kinds and years») instead of looking dead."""
        year = self.figures["year"].astype("Float64")
        in_years = (year.between(*self.years.value) | year.isna()).to_numpy(dtype=bool)
        by_kind = self.figures[in_years & self.figures["segment"].isin(self.segments.value).to_numpy()]["kind"].value_counts()
        by_segment = self.figures[in_years & self.figures["kind"].isin(self.kinds.value).to_numpy()]["segment"].value_counts()
        kinds = ", ".join(f"{html.escape(str(k))} {n}" for k, n in by_kind.items() if n) or "none"
        segments = ", ".join(f"{html.escape(str(k))} {n}" for k, n in by_segment.items() if n) or "none"
        outside = int(by_segment.drop("body", errors="ignore").sum())
        note = "" if outside else " No figure outside the body under these kinds and years: the Segments choice changes nothing here."
        chosen = next((label for label, values in SEGMENT_CHOICES if tuple(values) == tuple(self.segments.value)), ", ".join(self.segments.value))
        low, high = self.years.value
        return (f"<p>Segments «{html.escape(chosen)}», years {low}–{high}, {len(self.kinds.value)} kinds. Figures by kind under these "
                f"segments and years: {kinds}. By segment under these kinds and years: {segments}.{note}</p>")

    @staticmethod
    def _table(rows: pd.DataFrame) -> str:
        cells = "".join(
            f"<tr><td dir='rtl'>{html.escape(r.surface)}</td><td>{r.value:,.0f} {html.escape(str(r.unit))}</td>"
            f"<td>{'' if pd.isna(r.value_usd) else f'{r.value_usd:,.0f}'}</td><td>{html.escape(str(r.usd_basis))}</td>"
            f"<td>{html.escape(str(r.kind))} {'' if pd.isna(r.year) else r.year}</td><td>{html.escape(r.article_id)}:{r.start}</td></tr>"
            for r in rows.iloc[:LISTED].itertuples()
        )
        shown = f"<p>The first {LISTED:,} of {len(rows):,} figures.</p>" if len(rows) > LISTED else ""
        return f"{shown}<table><tr><th>Figure</th><th>Value</th><th>US$</th><th>How</th><th>Kind, year</th><th>Where</th></tr>{cells}</table>"
