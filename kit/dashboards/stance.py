"""The stance dashboard: sentence stance toward Russia and the West re-scored live from the cue weights and
threshold sliders (a precomputed Scorer), shares per article, source, holder or month with their 95 % intervals,
and the evidence of a sentence. Imports kit.extract.stance, kit.analysis.aggregation and kit.dashboards.base.
"""

from __future__ import annotations

import html
from types import SimpleNamespace

import ipywidgets as W
import numpy as np
import pandas as pd

from kit.analysis.aggregation import agreement, gold_sentences
from kit.dashboards.base import (
    ARTICLES,
    MIN_N,
    MIN_N_GROUPS,
    TOP,
    ArticlePicker,
    Dashboard,
    on_change,
    replace_options,
    segment_picker,
)
from kit.dashboards.index import (
    CorpusIndex,
    code_slices,
    in_context_rows,
    sorted_groups,
)
from kit.extract.stance_lexicon import StanceLexicon
from kit.extract.stance_scores import Scorer
from kit.viz import charts
from kit.viz.common import distinct_names, group_label
from kit.viz.reader import sentence_html

__all__ = ["StanceDashboard"]


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

    At construction the cues are prepared for re-scoring (`kit.extract.stance_scores.Scorer`) and every stance sentence
    gets integer codes (its segment, article, source, holder and month); an update re-scores with one
    bincount, counts labels per group and month with one more each, and redraws the largest groups."""

    name = "stance"
    limits = {"by_group": {"groups": TOP}}

    def __init__(self, annotated, labels: str = "en", outdir=None):
        super().__init__(annotated, labels, outdir)
        self.index = index = CorpusIndex(annotated)
        self.keys = annotated.stance[["article_id", "sentence_id", "holder_id"]].reset_index(drop=True)
        self.names = charts.known_names(annotated.mentions)  # holders by name on the charts
        self.scorer = Scorer(annotated.cues, self.keys)
        self.article_code = index.article_of(self.keys)
        self.sentence_code = index.sentence_of(self.keys, self.article_code)
        self.segment_code = index.segment_of(self.sentence_code)
        self._groups: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._masks: dict[tuple, np.ndarray] = {}
        self._agreements: dict[tuple, str] = {}
        self._by_article = code_slices(self.article_code, len(index.articles))
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
        self.segments = segment_picker()
        self.min_n = W.BoundedIntText(value=MIN_N, min=1, max=100_000, description="Min. n", layout={"width": "160px"},
                                      tooltip="By holder or source: hide groups with fewer sentences")
        self.picker = ArticlePicker(index)
        self.article = self.picker.dropdown
        self.sentence = W.Dropdown(description="Sentence", layout={"width": "800px"})
        self.explorer = W.HTML()
        self.agreement = W.HTML()
        on_change(self.article, self._offer_sentences)
        on_change(self.sentence, self._explain)
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
                codes, names = sorted_groups(self.keys[by])
            else:  # a column of the article (source, month): codes per article, then per row
                codes, names = sorted_groups(self.index.month_values if by == "month" else self.index.articles[by])
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
        return in_context_rows(table, self.index, self.article_code, self.sentence_code, self._segment_mask() if mask is None else mask)

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
        shown = present[charts.largest_groups(sentences[present], TOP)]
        shares = charts.share_table(*_share_counts(table[shown], names[shown]))
        in_shown = np.zeros(len(names), dtype=bool)
        in_shown[shown] = True
        self._draw("by_group", charts.stance_share_bars(shares, by, labels, None, total=len(present), min_n=min_n, hidden=hidden, names=self.names, articles=self.article_names(labels)),
                   lambda: self._named(self.scored(self.labelled(scores), mask & in_shown[codes10 // 10]), by, labels))
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

    def _named(self, rows: pd.DataFrame, by: str, labels: str) -> pd.DataFrame:
        """Stance rows with the name of the bar each is counted in (`group`, as text), as the chart names it."""
        key = rows[by].astype(object).where(rows[by].notna(), "—")
        values = pd.unique(key)
        names = distinct_names([group_label(v, by, labels, self.names, self.article_names(labels)) for v in values], values)
        return rows.assign(group=key.map(dict(zip(values, map(charts.plain, names)))))

    def _articles(self, mask: np.ndarray, shown=None) -> np.ndarray:
        """Articles for the sentence picker: grouped by article, those of the chart's bars; else the ARTICLES
        with the most stance sentences in view; in article id order."""
        if shown is not None:
            positions = self.index.ids.get_indexer(np.asarray(shown, dtype=object))
            return positions[positions >= 0]
        articles = len(self.index.articles)
        per_article = np.bincount(np.where(mask & (self.article_code >= 0), self.article_code, articles), minlength=articles + 1)[:-1]
        ordered = self._articles_by_id[per_article[self._articles_by_id] > 0]
        return ordered[charts.largest_groups(per_article[ordered], ARTICLES)]

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
        replace_options(self.sentence, options)
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
