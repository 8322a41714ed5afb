"""Retraining the learned stance component on the bundled gold plus a researcher's labels: cross-validated
macro-F1 over their labels with the bundled model and the refitted one, the refitted model written beside the
labels (never into kit/data; numpy arrays, no pickle), and `apply_model`, which gives a corpus the learned cues of
another model. Imports kit.extract, kit.analysis.stance_training and kit.analysis.scoring.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from kit.analysis.aggregation import gold_sentences
from kit.arabic.text import normalize_with_offsets
from kit.extract.stance_lexicon import SIDES, Actor, Evidence, StanceLexicon
from kit.extract.stance_model import StanceModel, learned_evidence
from kit.extract.stance_scores import score
from kit.tables import Annotated

__all__ = ["Retrained", "apply_model", "model_path", "retrain"]
BASES = ("bundled", "seeds", "none")


@dataclass
class Retrained:
    """A refit of the learned component: the model, where it was written, and macro-F1 per side over the
    researcher's labels by k-fold cross-validation — `before` with the bundled model, `after` with the model
    refitted on the bundled gold plus the other folds' labels (measure, value, low, high, n)."""

    model: StanceModel
    path: Path
    before: pd.DataFrame
    after: pd.DataFrame
    labels: int
    base_sentences: int
    folds: int
    left_out: int = 0  # labels on sentences the kit has no stance row for
    settings: dict = field(default_factory=dict)

    def __str__(self) -> str:
        lines = [f"Retrained on {self.base_sentences} bundled gold sentences + your {self.labels} labels; "
                 f"{self.folds}-fold cross-validation over your labels (by article):"]
        for side in SIDES:
            name = f"stance {side} macro-F1"
            b, a = (t[t["measure"] == name].iloc[0] for t in (self.before, self.after))
            lines.append(f"  {side:<7} before {b.value:.3f} [{b.low:.3f}, {b.high:.3f}]   after {a.value:.3f} [{a.low:.3f}, {a.high:.3f}]")
        if self.left_out:
            lines.append(f"  ({self.left_out} labels are on sentences the kit has no stance row for: left out)")
        lines.append(f"Model written to {self.path}")
        return "\n".join(lines)


@lru_cache(maxsize=2)
def _base_table(base: str) -> pd.DataFrame:
    """The training sentences of `base`: the bundled model's (`kit.analysis.stance_training.bundled_table`) or the
    seeds' gold only."""
    from kit.analysis.stance_training import bundled_table, training_set
    from kit.annotation import load

    if base == "none":
        return pd.DataFrame()
    if base == "bundled":
        return bundled_table()
    return training_set(load(progress=False), gold_sentences().astype({"russia": int, "west": int}))


def _researcher_table(labels: pd.DataFrame, annotated) -> pd.DataFrame:
    """The researcher's labels joined to the model inputs of their sentences (only their articles are read)."""
    from kit.analysis.stance_training import labelled_inputs, sentence_inputs

    articles = set(labels["article_id"].astype(str))
    view = Annotated(**{name: _of_articles(getattr(annotated, name), articles) for name in ("articles", "sentences", "mentions", "stance", "cues")})
    return labelled_inputs(sentence_inputs(view), labels.astype({"article_id": str})).reset_index(drop=True)


def _of_articles(table: pd.DataFrame, articles: set[str]) -> pd.DataFrame:
    return table[table["article_id"].astype(str).isin(articles)]


def _folds(table: pd.DataFrame, folds: int, seed: int):
    """k-fold splits of the researcher's labels, grouped by article when there are two articles or more."""
    from sklearn.model_selection import GroupKFold, KFold

    groups = table["article_id"].nunique()
    if groups >= 2:
        k = min(folds, groups)
        return k, list(GroupKFold(n_splits=k).split(table, groups=table["article_id"]))
    k = min(folds, len(table))
    return k, list(KFold(n_splits=k, shuffle=True, random_state=seed).split(table))


def _scored(table: pd.DataFrame, predicted: dict, margins: dict, settings: dict, weight: float, n_boot: int, seed: int) -> pd.DataFrame:
    """Macro-F1 per side (with bootstrap intervals over articles) of rules + model labels on the table."""
    from kit.analysis.scoring import measures, score_stance
    from kit.analysis.stance_training import combine

    labelled = combine(table, predicted, margins, settings.get("mode", "gate"), weight)
    kit_rows = table[["article_id", "sentence_id", "start", "end"]].assign(**labelled, holder_id="")
    articles = list(dict.fromkeys(table["article_id"]))
    scores = score_stance(table.assign(sentence="", holder_id=""), kit_rows, articles)
    found = measures({"stance": scores}, articles, "cross-validation", n_boot=n_boot, seed=seed)
    return found[found["measure"].str.endswith("macro-F1")].reset_index(drop=True)


def model_path(labels_path: str | Path) -> Path:
    """Where the refitted model of a label file goes: beside it, `<name>.stance_model.npz`."""
    labels_path = Path(labels_path)
    return labels_path.with_name(labels_path.stem + ".stance_model.npz")


def _save_model(model: StanceModel, path: Path) -> None:
    from kit.base.lexicons import data_path

    if path.resolve().parent == data_path("stance_model.npz").resolve().parent:
        raise ValueError(f"{path}: the refitted model is not written into the kit's own data folder")
    temporary = path.with_name(f".{path.stem}.{os.getpid()}.tmp.npz")  # np.savez wants the .npz suffix
    try:
        model.save(temporary)
        with open(temporary, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def retrain(labels: pd.DataFrame, annotated, *, path: str | Path, base: str = "bundled", folds: int = 5, seed: int = 0,
            n_boot: int = 1000) -> Retrained:
    """Refit the learned stance component on the bundled gold (`base`: "bundled" = the seeds' gold and the
    validation dev gold, as the bundled model; "seeds"; "none") plus the researcher's `labels` over their
    `annotated` corpus; report macro-F1 over their labels by `folds`-fold cross-validation (grouped by
    article) before (the bundled model) and after (refitted without the held-out fold); write the model
    fitted on everything to `path` (a .npz) and return it all."""
    from kit.analysis.stance_training import fit, predict_into

    if base not in BASES:
        raise ValueError(f"base must be one of {', '.join(BASES)}, not {base!r}")
    mine = _researcher_table(labels, annotated)
    if len(mine) < 2:
        raise ValueError(f"retraining needs two labelled stance sentences or more, there are {len(mine)}")
    shared = ["article_id", "sentence_id", "text"]
    base_table = _base_table(base)
    if len(base_table):  # a seed sentence the researcher labelled counts with their label
        base_table = base_table.merge(mine[shared], on=shared, how="left", indicator=True)
        base_table = base_table[base_table["_merge"] == "left_only"].drop(columns="_merge")
    bundled = StanceModel.default()
    settings = dict(bundled.settings) if bundled is not None else {"mode": "gate"}
    weight = StanceLexicon.default().categories.get("learned", settings.get("weight", 1.0))
    k, splits = _folds(mine, folds, seed)
    empty = lambda: ({s: np.zeros(len(mine), dtype=int) for s in SIDES}, {s: np.zeros(len(mine)) for s in SIDES})  # noqa: E731
    before, after = empty(), empty()
    if bundled is not None:
        predict_into(bundled, mine, range(len(mine)), *before)
    for train, held in splits:
        predict_into(fit(pd.concat([base_table, mine.iloc[train]], ignore_index=True)), mine, held, *after)
    model = fit(pd.concat([base_table, mine], ignore_index=True))
    model.settings.update({"mode": settings.get("mode", "gate"), "weight": float(weight), "base": base, "labels": int(len(mine)),
                           "base_sentences": int(len(base_table))})
    path = Path(path)
    _save_model(model, path)
    return Retrained(model, path, _scored(mine, *before, settings, weight, n_boot, seed), _scored(mine, *after, settings, weight, n_boot, seed),
                     len(mine), len(base_table), k, len(labels) - len(mine), model.settings)


def apply_model(annotated, model: StanceModel | str | Path) -> Annotated:
    """The corpus with the learned cues of `model` (a StanceModel or a .npz path) in place of its own, and
    its stance labels re-scored: the cues the pipeline would have found with that model (same sentences,
    same gate, same offsets)."""
    model = model if isinstance(model, StanceModel) else StanceModel.load(model)
    categories = StanceLexicon.default().categories
    cues = annotated.cues
    rules = cues[cues["category"].astype(str) != "learned"]
    texts = annotated.articles.drop_duplicates("article_id").set_index("article_id")["text"]
    sentence_rows = annotated.sentences.groupby("article_id", observed=True, sort=False).indices
    mention_rows = annotated.mentions.groupby("article_id", observed=True, sort=False).indices
    rule_rows = rules.groupby(["article_id", "sentence_id"], observed=True, sort=False).indices
    learned = []
    for article_id, own in annotated.stance.groupby("article_id", observed=True, sort=False):
        text = texts[article_id]
        normalized = normalize_with_offsets(text)
        sentences = annotated.sentences.iloc[sentence_rows.get(article_id, [])].set_index("sentence_id")
        mentions = annotated.mentions.iloc[mention_rows.get(article_id, [])]
        mentions = mentions[mentions["actor_type"].astype(str) != "region"]
        starts = np.searchsorted(normalized.index, mentions["start"].to_numpy()).tolist()
        ends = np.searchsorted(normalized.index, mentions["end"].to_numpy()).tolist()
        actors = [Actor(a, b, str(m.actor_id), m.bloc if m.bloc in SIDES else None, str(m.method)) for a, b, m in zip(starts, ends, mentions.itertuples())]
        asked, numbers = [], []  # the article's sentences the model may read, read together as the pipeline does
        for sentence_id in own["sentence_id"]:
            row = sentences.loc[sentence_id]
            span = tuple(np.searchsorted(normalized.index, [row["start"], row["end"]]).tolist())
            inside = [a for a in actors if span[0] <= a.start < span[1]]
            if not any(a.side for a in inside):
                continue
            theirs = rules.iloc[rule_rows.get((article_id, sentence_id), [])]
            asked.append((span, inside, [Evidence(0, 0, c.side, c.pattern, c.category, c.polarity, c.weight, c.negated) for c in theirs.itertuples()]))
            numbers.append(sentence_id)
        for sentence_id, found in zip(numbers, learned_evidence(model, normalized.text, asked, categories) if asked else []):
            for e in found:
                (b,), (f,) = normalized.spans([e.start], [e.end])
                learned.append((article_id, sentence_id, e.side, e.pattern, e.category, e.polarity, e.weight, e.negated, int(b), int(f)))
    categorical = [c for c in cues.columns if isinstance(cues[c].dtype, pd.CategoricalDtype)]
    new = pd.DataFrame(learned, columns=list(cues.columns))
    combined = pd.concat([rules.astype({c: object for c in categorical}), new], ignore_index=True)
    combined = combined.astype({**dict(cues.dtypes), **{c: "category" for c in categorical}})
    keys = annotated.stance[["article_id", "sentence_id", "holder_id"]]
    stance = keys.merge(score(combined, keys), on=["article_id", "sentence_id"])[list(annotated.stance.columns)]
    return Annotated(articles=annotated.articles, sentences=annotated.sentences, mentions=annotated.mentions, quotes=annotated.quotes,
                     figures=annotated.figures, stance=stance.astype(dict(annotated.stance.dtypes)), cues=combined, errors=annotated.errors)
