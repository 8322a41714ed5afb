"""The figures dashboard: the trade and money figures the articles report, filtered by kind, year,
segment and source, one bar per reported quantity (never adding conflicting reports) and the conflicts table.
Imports kit.analysis.conflicts and kit.dashboards.base.
"""

from __future__ import annotations

import html

import ipywidgets as W
import pandas as pd

from kit.analysis.conflicts import conflicts
from kit.dashboards.base import LISTED, SEGMENT_CHOICES, TOP, Dashboard, segment_picker
from kit.dashboards.index import CorpusIndex, in_context_rows
from kit.viz import charts

__all__ = ["FiguresDashboard"]


def _named(rows: pd.DataFrame, label, labels: str) -> pd.DataFrame:
    """The rows behind a figures chart with the name of the bar or row each is drawn in (`group`, as text)."""
    return rows.assign(group=[charts.plain(name) for name in label(rows, labels)])


class FiguresDashboard(Dashboard):
    """Trade and money figures in US dollars, by kind and year, and where sources disagree."""

    name = "figures"
    limits = {"usd": {"groups": TOP}, "conflicts": {"groups": TOP}}

    def __init__(self, annotated, labels: str = "en", outdir=None):
        super().__init__(annotated, labels, outdir)
        index = CorpusIndex(annotated)
        article = index.article_of(annotated.figures)
        self.figures = in_context_rows(annotated.figures, index, article, index.sentence_of(annotated.figures, article), None)
        years = self.figures["year"].dropna().astype(int)
        low, high = (int(years.min()), int(years.max())) if len(years) else (2000, 2030)
        self.kinds = W.SelectMultiple(options=sorted(self.figures["kind"].dropna().unique()), description="Kinds", rows=5)
        self.kinds.value = self.kinds.options
        self.years = W.IntRangeSlider(value=(low, high), min=low - 1, max=high + 1, description="Years")
        self.segments = segment_picker()
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
            self._draw("usd", charts.figures_chart(rows, labels, TOP), lambda: _named(charts.figure_groups(rows), charts.quantity_labels, labels))
            self._drawn = key
        compared = (*key[:3], self.tolerance.value)
        if compared != getattr(self, "_compared", None):  # the labels toggle only redraws
            self._found, self._compared = conflicts(rows, self.annotated.articles, tolerance=self.tolerance.value), compared
        found = self._found
        self._draw("conflicts", charts.conflicts_chart(found, labels, TOP), lambda: _named(found, charts.conflict_labels, labels))
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
