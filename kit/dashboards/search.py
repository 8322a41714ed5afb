"""The search dashboard: a box for words, a phrase or an actor, the keyword-in-context hits per month and
source, and a reader that opens the sentence of a clicked hit. Imports kit.analysis.search and kit.dashboards.base.
"""

from __future__ import annotations

import html

import ipywidgets as W
import pandas as pd

from kit.analysis.search import HIT_COLUMNS, search, search_counts
from kit.dashboards.base import LISTED, Dashboard, on_change, segment_picker
from kit.viz import charts
from kit.viz.reader import article_html
from kit.viz.theme import FONT

__all__ = ["SearchDashboard"]


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
        self.segments = segment_picker()
        self.lines = W.HTML()
        self.hits = W.Dropdown(description="Open", layout={"width": "800px"})
        self.reader = W.HTML()
        self.found, self.message = _no_hits(), ""
        on_change(self.hits, self._read)
        self._finish([self.query, self.segments], [self.lines, self.hits, self.reader])

    def refresh(self) -> None:
        query, labels = self.query.value.strip(), self.labels.value
        key = (query, self.segments.value)
        if key != getattr(self, "_searched", None):
            if query != getattr(self, "_query", None):  # the hits in every segment, once per query
                try:
                    self._every = search(self.annotated, query, segments=None) if query else _no_hits()
                    self.message = ""
                except ValueError as exc:
                    self._every, self.message = _no_hits(), str(exc)
                self._query = query
            segments = self.segments.value  # another segment choice filters the hits instead of searching again
            self.found = self._every[self._every["segment"].isin(list(segments))].reset_index(drop=True) if segments is not None else self._every
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
