"""The corpus dashboard: what is in the corpus — publication timeline, body versus page furniture per
article and source, and an article reader. Imports kit.dashboards.base and kit.viz.
"""

from __future__ import annotations

import ipywidgets as W
import numpy as np
import pandas as pd

from kit.dashboards.base import (
    SEGMENT_CHOICES,
    TOP,
    ArticlePicker,
    Dashboard,
    on_change,
    segment_picker,
    source_picker,
)
from kit.dashboards.index import CorpusIndex, in_context_rows
from kit.viz import charts
from kit.viz.reader import article_html

__all__ = ["CorpusDashboard"]

TIMELINE_SOURCES = 10  # sources the timeline draws apart (the others together)


class CorpusDashboard(Dashboard):
    """What is in the corpus: publication timeline, body versus page furniture, an article reader."""

    name = "corpus"
    limits = {"timeline": {"sources": TIMELINE_SOURCES}, "segments": {"articles": TOP}}

    def __init__(self, annotated, labels: str = "en", outdir=None):
        super().__init__(annotated, labels, outdir)
        self.index = index = CorpusIndex(annotated)
        self.metadata = index.articles.drop(columns=["text"])  # what the timeline needs, without the texts
        self.characters = charts.segment_characters(annotated.sentences)  # characters per article and segment, once
        self._character_article = index.ids.get_indexer(np.asarray(self.characters.index, dtype=object))
        self.source = source_picker(index)
        self.picker = ArticlePicker(index)
        self.article = self.picker.dropdown
        self.segments = segment_picker()
        self.segments.value = SEGMENT_CHOICES[-1][1]
        self.reader = W.HTML()
        on_change(self.article, self._read)
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
        self._draw("timeline", charts.timeline(articles, labels, TIMELINE_SOURCES), lambda: self._first_sentences(articles))
        self._draw("segments", charts.segment_bars(characters, labels, TOP, self.article_names(labels)), lambda: self._sentences(chosen))
        self.picker.offer(chosen)
        self._read()

    def _sentences(self, articles: np.ndarray) -> pd.DataFrame:
        """The sentences of the articles at `articles`, with their article's source, title and date."""
        keep = np.zeros(len(self.index.articles) + 1, dtype=bool)
        keep[articles] = True
        return in_context_rows(self.annotated.sentences, self.index, self.index.sentence_article, None, keep[self.index.sentence_article])

    def _first_sentences(self, articles: pd.DataFrame) -> pd.DataFrame:
        """The articles behind the timeline, one row each, with their first sentence (id, offsets, text)."""
        sentences = self.annotated.sentences
        first = sentences.sort_values(["article_id", "sentence_id"]).drop_duplicates("article_id")[["article_id", "sentence_id", "start", "end", "text"]]
        first = first.rename(columns={"text": "sentence"}).astype({"article_id": "string"})
        return articles.astype({"article_id": "string"}).merge(first, on="article_id", how="left")

    def _read(self) -> None:
        article = self.article.value
        self.reader.value = article_html(self.index.view(article, ("sentences",)), article, "segments", self.segments.value) if article is not None else ""
