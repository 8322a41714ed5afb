"""The actors dashboard: who is named, how often, with whom and where, filtered by source, segment, bloc,
type and months; sentences that name the same actors are grouped by a digest so the co-occurrence network and
counts update without regrouping strings. Imports kit.dashboards.base and kit.viz.
"""

from __future__ import annotations

import html
from types import SimpleNamespace

import ipywidgets as W
import numpy as np
import pandas as pd
import scipy.sparse

from kit.base.codes import combine_codes
from kit.dashboards.base import (
    ARTICLES,
    LINKS,
    LISTED,
    MIN_N,
    TOP,
    ArticlePicker,
    Dashboard,
    on_change,
    segment_picker,
    source_picker,
)
from kit.dashboards.index import (
    CorpusIndex,
    allowed_codes,
    codes_in,
    factorize_codes,
    first_of,
    in_context_rows,
    take_rows,
)
from kit.viz import charts
from kit.viz.reader import article_html
from kit.viz.theme import BLOC_ORDER

__all__ = ["ActorsDashboard"]

_HASH_BASE = 1_000_003  # of the digest that groups sentences naming the same actors (ActorsDashboard)
BARS, HEATMAP_ACTORS, NETWORK_ACTORS = 20, 15, 25  # actors drawn: the most mentioned, in the most sentences


class ActorsDashboard(Dashboard):
    """Who appears: frequencies by bloc, actor × article, co-occurrence, who said what, a reader."""

    name = "actors"
    limits = {"frequencies": {"actors": BARS}, "heatmap": {"actors": HEATMAP_ACTORS, "articles": TOP}, "network": {"actors": NETWORK_ACTORS}}

    def __init__(self, annotated, labels: str = "en", outdir=None):
        super().__init__(annotated, labels, outdir)
        self.index = index = CorpusIndex(annotated)
        self._codes(annotated.mentions)
        self.source = source_picker(index)
        self.segments = segment_picker()
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
        on_change(self.article, self._read)
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
        self.type_code, self.type_names = factorize_codes(mentions["actor_type"])
        self.actor_code, self.actor_ids = factorize_codes(mentions["actor_id"])
        self.bloc_code, self.bloc_names = factorize_codes(mentions["bloc"])
        names = [factorize_codes(mentions[c]) for c in ("name_en", "name_ar")]
        # an actor with its names and bloc, as actor_bars groups them (a missing value is a value here);
        # usually an actor has one spelling and bloc, and the actor's code is the ident's (no hashing)
        parts = [(self.actor_code, len(self.actor_ids)), *((codes, len(values)) for codes, values in names), (self.bloc_code, len(self.bloc_names))]
        actor = np.where(self.actor_code >= 0, self.actor_code, len(self.actor_ids))
        first_of_actor = first_of(actor, len(self.actor_ids) + 1)[actor]
        variants = np.zeros(len(mentions), dtype=bool)
        for codes, _ in parts[1:]:
            variants |= codes != codes[first_of_actor]
        if variants.any():
            ident = pd.factorize(combine_codes(parts))[0].astype(np.int64)
        else:
            ident = actor
        first = first_of(ident, int(ident.max()) + 1 if len(ident) else 0)
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
        self.quote_speaker = codes_in(self.actor_ids, quotes["speaker_id"])

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
        self.cell_first = first_of(self.cell_code, cells)
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
        first = first_of(kind, len(digests))  # each kind's first sentence
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
        return in_context_rows(self.annotated.mentions, self.index, self.article_code, self.sentence_code, None)

    def kept_cells(self) -> np.ndarray:
        """Which cells the controls keep."""
        keep = self.index.segment_filter(self.segments.value)[self.cell_segment]
        if self.source.value is not None:
            keep &= self.cell_source == self.index.source_code(self.source.value)
        keep &= allowed_codes(self.type_names, self.types.value)[self.cell_type] & allowed_codes(self.bloc_names, self.blocs.value)[self.cell_bloc]
        counts = self._per_actor(keep)
        return keep & (counts >= self.minimum.value)[self.cell_actor]

    def mask(self) -> np.ndarray:
        """Which mentions the controls keep."""
        return np.r_[self.kept_cells(), False][self.cell_code]

    def filtered(self, mask: np.ndarray | None = None) -> pd.DataFrame:
        """The mentions the controls keep, in context (the rows behind the charts)."""
        return in_context_rows(self.annotated.mentions, self.index, self.article_code, self.sentence_code, self.mask() if mask is None else mask)

    def refresh(self) -> None:
        filters = (self.segments.value, self.source.value, self.types.value, self.blocs.value, self.minimum.value)
        changed = filters != getattr(self, "_filters", None)
        if changed:  # the labels toggle only redraws: the counts behind the charts are kept
            self._counted, self._filters = self._count(), filters
        counted, labels = self._counted, self.labels.value
        self._draw("frequencies", charts.actor_count_bars(counted.counts, labels, BARS), counted.rows)
        self._draw("heatmap", charts.actor_matrix_heatmap(counted.matrix, charts.actor_labels(counted.matrix_names, labels), labels, articles=counted.articles,
                                                                article_names=self.article_names(labels)), counted.rows)
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
        leaders = self._leaders(per_actor, HEATMAP_ACTORS)
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
        columns = present[np.flatnonzero(charts.largest_groups(totals[present], TOP))]
        leader_of_cell = np.zeros((len(rank), len(leaders)))
        leader_of_cell[np.flatnonzero(rank >= 0), rank[rank >= 0]] = 1
        matrix = (self.article_cells[columns] @ leader_of_cell).T
        table = pd.DataFrame(matrix, index=pd.Index(self.actor_ids[leaders], name="actor_id"),
                             columns=pd.Index(self.index.ids[columns], name="article_id"))
        return table, self._names(leaders, per_ident > 0), len(present)

    def _network(self, kept: np.ndarray, top: int = NETWORK_ACTORS) -> tuple[pd.DataFrame, pd.DataFrame]:
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
        return present[charts.largest_groups(per_article[present], ARTICLES)]

    def _quotes_table(self, actors: np.ndarray) -> str:
        keep = self.index.segment_filter(self.segments.value)[self.quote_segment] & np.r_[actors, False][self.quote_speaker]
        if self.source.value is not None:
            keep &= self.quote_source == self.index.source_code(self.source.value)
        chosen = np.flatnonzero(keep)
        quotes = take_rows(self.annotated.quotes, chosen[:LISTED])
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
