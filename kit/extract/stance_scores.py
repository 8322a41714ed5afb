"""Scores and labels from the evidence: the cues table summed per sentence and side with the category
weights, thresholded into -1 / 0 / +1 (`score`), and the precomputed Scorer a dashboard uses to re-score a
large corpus at once when a weight or the threshold moves. Imports numpy, pandas and
kit.extract.stance_lexicon.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kit.extract.stance_lexicon import SIDES, THRESHOLD, StanceLexicon

__all__ = ["Scorer", "score", "sentence_codes"]


def score(cues: pd.DataFrame, keys: pd.DataFrame | None = None, weights: dict[str, float] | None = None, threshold: float = THRESHOLD) -> pd.DataFrame:
    """Scores and labels per sentence from the evidence table (vectorised, for live re-scoring).

    cues: article_id, sentence_id, side, category, polarity, weight (one row per cue and side).
    keys: the sentences to label (article_id, sentence_id); sentences without evidence score 0. Without
    keys, the sentences that have evidence, in the order they first appear in `cues`.
    weights: category → weight (the defaults of stance_categories.csv for the others).

    A sentence's score for a side is the sum of polarity × weight × category weight of its cues for that
    side, added in table order; the label is +1 at or above `threshold`, -1 at or below `-threshold`.
    Re-scoring the same sentences many times (a dashboard's sliders) is faster with a `Scorer`, which
    gives the same table.
    """
    return Scorer(cues, keys)(weights, threshold)


def sentence_codes(keys: pd.DataFrame, *others: pd.DataFrame) -> tuple[np.ndarray, ...]:
    """Integer codes of (article_id, sentence_id) pairs: for the rows of `keys`, an index into its distinct
    pairs in order of first appearance; for the rows of each table in `others`, the same index, or -1 for
    a pair that is not among `keys`. A missing article id is a value like any other (as in a merge).
    Article ids may be strings or categories (with any categories): each column is factorised once."""
    own_articles, article_values = pd.factorize(keys["article_id"], use_na_sentinel=False)
    article_values = pd.Index(np.asarray(article_values, dtype=object), dtype=object)
    article_codes = [own_articles.astype(np.int64)]
    for table in others:
        codes, values = pd.factorize(table["article_id"], use_na_sentinel=False)
        article_codes.append(np.r_[article_values.get_indexer(np.asarray(values, dtype=object)), -1][codes])
    sentence_ids = [t["sentence_id"].to_numpy(np.int64) for t in (keys, *others)]
    low = min((int(s.min()) for s in sentence_ids if len(s)), default=0)
    span = max((int(s.max()) for s in sentence_ids if len(s)), default=0) - low + 1
    combined = [np.where(a >= 0, a * span + (s - low), -1) for a, s in zip(article_codes, sentence_ids)]
    own, distinct = pd.factorize(combined[0])
    return (own.astype(np.int64), *(np.where(c >= 0, pd.Index(distinct).get_indexer(c), -1).astype(np.int64) for c in combined[1:]))


class Scorer:
    """`score` prepared once, for re-scoring the same sentences with other weights at once.

    The cues are read once: each cue's sentence and side become one integer bin (2 × the sentence's
    position among the distinct keys + the side), its category an index and polarity × weight a number.
    Re-scoring multiplies one array by the current category weights and sums it per bin (`np.bincount`,
    in table order), without grouping strings again.

        scorer = Scorer(annotated.cues, annotated.stance)
        scorer({"partnership": 0.3}, 0.5)                  # the table score(cues, stance, weights, 0.5) gives
        russia, west = scorer.scores({"partnership": 0.3})   # score arrays aligned with the rows of keys
    """

    def __init__(self, cues: pd.DataFrame, keys: pd.DataFrame | None = None):
        present = cues["article_id"].notna().to_numpy()  # cues without an article belong to no sentence
        if keys is None:
            keys = cues.loc[present, ["article_id", "sentence_id"]].drop_duplicates()
        self.keys = keys[["article_id", "sentence_id"]].reset_index(drop=True)
        self.key_code, cue_code = sentence_codes(self.keys, cues[["article_id", "sentence_id"]])
        self.sentences = int(self.key_code.max()) + 1 if len(self.key_code) else 0
        self._distinct = bool(np.array_equal(self.key_code, np.arange(len(self.key_code))))  # each key once, in order
        # for each cue, the (first) row of keys that holds its sentence, or -1
        if self._distinct:
            first = np.arange(len(self.key_code))
        else:  # codes number the keys in order of first appearance: a new code exceeds every earlier one
            running = np.maximum.accumulate(self.key_code) if len(self.key_code) else self.key_code
            first = np.flatnonzero(np.r_[True, running[1:] > running[:-1]]) if len(self.key_code) else self.key_code
        self.cue_keys = np.where(cue_code >= 0, first[np.maximum(cue_code, 0)] if len(first) else -1, -1)
        categories, self.category_names = pd.factorize(cues["category"])  # -1 (no category) is the last slot
        side = np.full(len(cues), -1, dtype=np.int64)
        for number, name in enumerate(SIDES):
            side[(cues["side"] == name).fillna(False).to_numpy(bool)] = number
        rows = np.flatnonzero((cue_code >= 0) & present & (side >= 0))
        # one bin per sentence and side (2 × sentence + side); the cues of a bin are added in table order
        self._bins = cue_code[rows] * len(SIDES) + side[rows]
        self._categories = categories[rows]
        self._base = cues["polarity"].to_numpy(float)[rows] * cues["weight"].to_numpy(float)[rows]  # polarity × weight
        self._buffer: np.ndarray | None = None  # reused by scores(): no fresh allocation for every re-scoring

    def category_weights(self, weights: dict[str, float] | None = None) -> np.ndarray:
        """Weight per category code: `weights`, else the defaults of stance_categories.csv, else 1 (an unknown
        or missing category); the last slot is the missing category."""
        all_weights = {**StanceLexicon.default().categories, **(weights or {})}
        found = [all_weights.get(name) for name in self.category_names]
        values = [float("nan") if value is None else float(value) for value in found]
        return np.array([1.0 if value != value else value for value in values] + [1.0])

    def scores(self, weights: dict[str, float] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Russia and West scores of the rows of `keys` with these category weights."""
        if self._buffer is None:
            self._buffer = np.empty(len(self._base))
        contribution = np.take(self.category_weights(weights), self._categories, out=self._buffer)
        contribution *= self._base  # category weight × polarity × weight, as polarity × weight × category weight
        summed = np.bincount(self._bins, contribution, minlength=len(SIDES) * self.sentences).reshape(-1, len(SIDES))
        if not self._distinct:
            summed = summed[self.key_code]
        return summed[:, 0], summed[:, 1]

    @staticmethod
    def labels(values: np.ndarray, threshold: float = THRESHOLD) -> np.ndarray:
        """+1 for a score at or above the threshold, -1 at or below minus the threshold, else 0."""
        return np.where(values >= threshold, 1, np.where(values <= -threshold, -1, 0))

    def __call__(self, weights: dict[str, float] | None = None, threshold: float = THRESHOLD) -> pd.DataFrame:
        """Scores and labels of the rows of `keys`: the table `score(cues, keys, weights, threshold)` returns."""
        russia, west = self.scores(weights)
        return self.keys.assign(russia_score=russia, west_score=west, russia=self.labels(russia, threshold), west=self.labels(west, threshold))
