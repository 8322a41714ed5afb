"""The corpus index a dashboard builds once: integer codes for every row's article, sentence, segment,
source and actor, so a control change filters with boolean arrays and aggregates with np.bincount instead of
grouping strings again. Imports numpy, pandas and kit.base.codes.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd

__all__ = ["CorpusIndex"]


def factorize_codes(values: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Codes (-1 for a missing value) and the values by code (plain Python objects): a categorical column's
    own codes and categories, else the distinct values in order of first appearance."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.cat.codes.to_numpy().astype(np.int64), pd.Index(np.asarray(values.cat.categories, dtype=object), dtype=object)
    codes, uniques = pd.factorize(values)
    return codes.astype(np.int64, copy=False), pd.Index(np.asarray(uniques, dtype=object), dtype=object)


def codes_in(index: pd.Index, values: pd.Series) -> np.ndarray:
    """The position of each value in `index` (-1 when missing or not there), factorising the column once."""
    codes, uniques = factorize_codes(values)
    return np.r_[index.get_indexer(uniques), -1][codes]


def first_of(codes: np.ndarray, groups: int) -> np.ndarray:
    """The first row of each code 0 .. groups - 1 (len(codes) for a code that does not occur)."""
    first = np.full(groups, len(codes), dtype=np.int64)
    valid = np.flatnonzero(codes >= 0)
    np.minimum.at(first, codes[valid], valid)
    return first


def sorted_groups(values: pd.Series) -> tuple[np.ndarray, list]:
    """Codes of `values` numbered in sorted order of the values (as Python objects, as `groupby(sort=True)`
    sorts them), a missing value being the group «—»; and the values by code."""
    codes, uniques = factorize_codes(values)
    names = [*uniques.astype(object), "—"]
    codes = np.where(codes < 0, len(names) - 1, codes)
    order = sorted(range(len(names)), key=names.__getitem__)
    rank = np.empty(len(names), dtype=np.int64)
    rank[order] = np.arange(len(names))
    return rank[codes], [names[i] for i in order]


def allowed_codes(names, chosen) -> np.ndarray:
    """For each code of `names` whether its value is among `chosen`, and False for code -1 (the last slot)."""
    chosen = set(chosen)
    return np.array([name in chosen for name in names] + [False], dtype=bool)


def code_slices(codes: np.ndarray, groups: int) -> tuple[np.ndarray, np.ndarray]:
    """Row positions ordered by code, and where each code's rows begin: order[bounds[k]:bounds[k + 1]] are
    the rows of code k (code -1 is left out)."""
    order = np.argsort(codes, kind="stable")
    return order, np.searchsorted(codes[order], np.arange(groups + 1))


def take_rows(table: pd.DataFrame, positions: np.ndarray) -> pd.DataFrame:
    """`table.iloc[positions]` for a few ascending positions, taken from the slice they span: Arrow joins all
    of a string column's chunks before it takes from them, which costs ~20 ms on a 1M-row table."""
    return table.iloc[positions[0] : positions[-1] + 1].iloc[positions - positions[0]] if len(positions) else table.iloc[:0]


class CorpusIndex:
    """Integer codes of an annotated corpus, computed once: where each row of a table belongs (its article as a
    position in `articles`, its sentence as a position in `sentences`), the segment of each sentence and the
    source and month of each article; and each article's rows of any table, found without a full scan."""

    def __init__(self, annotated):
        self.annotated = annotated
        self.articles = annotated.articles.drop_duplicates("article_id").reset_index(drop=True)
        self.ids = pd.Index(np.asarray(self.articles["article_id"], dtype=object), dtype=object)
        self.titles = self.articles["title"].to_numpy(dtype=object, na_value=None)
        self.source, self.sources = factorize_codes(self.articles["source"])
        self.month_values = self.articles["published"].dt.to_period("M").astype("string")
        self.month, self.months = factorize_codes(self.month_values)
        sentences = annotated.sentences
        self.sentence_article = self.article_of(sentences)
        sentence_ids = sentences["sentence_id"].to_numpy(np.int64)
        self.span = int(sentence_ids.max()) + 1 if len(sentence_ids) else 1
        key = self.sentence_article * self.span + sentence_ids
        self._sentence_order = np.argsort(key, kind="stable")
        self._sentence_keys = key[self._sentence_order]
        # where each article's sentences begin in key order: sentence n of an article is usually right there + n
        self._article_start = np.searchsorted(self._sentence_keys, np.arange(len(self.articles) + 1) * self.span)
        self.segment, self.segments = factorize_codes(sentences["segment"])
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
        return codes_in(self.ids, table["article_id"])

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
        return allowed_codes(self.segments, chosen)

    def source_code(self, source) -> int:
        """The code of a source name (-2, matching nothing, when it is not there)."""
        found = self.sources.get_indexer([source])[0] if source is not None else -2
        return int(found) if found >= 0 else -2

    def add(self, name: str, table: pd.DataFrame, articles: np.ndarray) -> None:
        """Index the rows of a table by article, from each row's article position when it is known already."""
        self._by_article[name] = (table, *code_slices(articles, len(self.articles)))

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


def in_context_rows(table: pd.DataFrame, index: CorpusIndex, article: np.ndarray, sentence: np.ndarray | None, mask: np.ndarray | None) -> pd.DataFrame:
    """`in_context(table[mask])`, from positions instead of merges."""
    if mask is not None:
        table, article = table[mask], article[mask]
        sentence = sentence[mask] if sentence is not None else None
    context = {k: v for k, v in index.context(article, sentence).items() if k not in table.columns}
    return table.reset_index(drop=True).assign(**{k: pd.Series(v) for k, v in context.items()})
