"""Labelling stance by hand: a label file that survives a restart, a queue, agreement with the kit, retraining.

A researcher reads the kit's stance sentences one at a time and gives each a label toward Russia and
toward the West (−1, 0, +1) and its holder. `LabelStore` keeps every label in a CSV beside their corpus
(article_id, sentence_id, the sentence's offsets and text, the labels, when, and the kit's own labels at
that moment): each change rewrites the file into a temporary file that is flushed to disk and renamed over
the old one (`os.replace`), so a kernel killed mid-write leaves the previous file whole, and reopening the
file continues where it stopped. `LabelQueue` orders the sentences still to label — at random with a seed,
or least sure first (the kit's score nearest the ±threshold at which its label would change) — with skip
and undo. `agreement` measures the kit against the researcher's labels with the scorers of
`kit.analysis.scoring` (macro-F1 per side with a 95 % bootstrap interval over articles, confusion matrices, the
disagreements). `retrain` refits the learned stance component (`kit.analysis.stance_training`) on the bundled gold
plus these labels, reports cross-validated macro-F1 over the researcher's labels with the bundled model and
with the refitted one, and writes the refitted model beside the labels (never into kit/data);
`apply_model` gives a corpus the learned cues of another model. `LabelSession` ties them together for
`kit.dashboards.labels`. The label file is kit.analysis.label_store, retraining kit.analysis.retraining; this
module holds the queue, agreement and the session. It imports no widgets.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from kit.analysis.label_store import COLUMNS, LABELS, Label, LabelFileError, LabelStore
from kit.analysis.retraining import Retrained, apply_model, model_path, retrain
from kit.extract.stance_lexicon import SIDES, THRESHOLD
from kit.extract.stance_model import StanceModel
from kit.tables import Annotated

__all__ = ["COLUMNS", "Agreement", "Label", "LabelFileError", "LabelQueue", "LabelSession", "LabelStore", "Retrained",
           "agreement", "apply_model", "candidates", "model_path", "retrain"]

ORDERS = ("least_sure", "random")


def candidates(annotated, *, segments=("body",)) -> pd.DataFrame:
    """The sentences to label: every stance sentence in `segments`, with its offsets and text, the kit's
    labels, scores and holder, in corpus order."""
    sentences = annotated.sentences[["article_id", "sentence_id", "segment", "start", "end", "text"]]
    if segments is not None:
        sentences = sentences[sentences["segment"].isin(list(segments))]
    stance = annotated.stance[["article_id", "sentence_id", "russia", "west", "holder_id", "russia_score", "west_score"]]
    table = stance.astype({"article_id": str}).merge(sentences.astype({"article_id": str}), on=["article_id", "sentence_id"])
    table["holder_id"] = table["holder_id"].astype(object).where(table["holder_id"].notna(), "").astype(str)
    return table.reset_index(drop=True)


def sureness(table: pd.DataFrame, threshold: float = THRESHOLD) -> np.ndarray:
    """How far each sentence is from a change of the kit's label: per side the distance of its score to the
    nearer of −threshold and +threshold, the smaller side's (the learned model's margin is part of the score)."""
    distances = [np.abs(np.abs(table[f"{side}_score"].to_numpy(float)) - threshold) for side in SIDES]
    return np.minimum(*distances)


class LabelQueue:
    """The order in which sentences come up: least sure first (ties in a random order of `seed`) or random
    with `seed`. Labelled sentences are left out; a skipped one goes to the end; `back` puts one in front."""

    def __init__(self, table: pd.DataFrame, *, order: str = "least_sure", seed: int = 0, done=(), threshold: float = THRESHOLD):
        if order not in ORDERS:
            raise ValueError(f"order must be one of {', '.join(ORDERS)}, not {order!r}")
        keys = list(zip(table["article_id"].astype(str), table["sentence_id"].astype(int)))
        shuffled = np.random.default_rng(seed).permutation(len(keys))
        ranking = np.lexsort((shuffled, sureness(table, threshold))) if order == "least_sure" else shuffled
        done = set(done)
        self.order = [keys[i] for i in ranking if keys[i] not in done]

    def __len__(self) -> int:
        return len(self.order)

    def peek(self):
        return self.order[0] if self.order else None

    def take(self, key) -> None:
        """The sentence was labelled: it leaves the queue."""
        if key in self.order:
            self.order.remove(key)

    def skip(self, key) -> None:
        self.take(key)
        self.order.append(key)

    def back(self, key) -> None:
        self.take(key)
        self.order.insert(0, key)


@dataclass
class Agreement:
    """The kit against the researcher's labels: `table` (measure, value, low, high, n) as `kit.analysis.validation`
    gives it, the confusion matrix per side (rows the researcher, columns the kit) and every disagreement."""

    labels: int
    articles: int
    table: pd.DataFrame
    confusion: dict[str, pd.DataFrame]
    disagreements: pd.DataFrame

    def value(self, measure: str) -> tuple[float, float, float]:
        row = self.table[self.table["measure"] == measure]
        return tuple(float(row[c].iloc[0]) for c in ("value", "low", "high")) if len(row) else (np.nan, np.nan, np.nan)

    def __str__(self) -> str:
        if not self.labels:
            return "No labels yet."
        parts = [f"{side} macro-F1 {v:.3f} [{lo:.3f}, {hi:.3f}]" for side in SIDES for v, lo, hi in [self.value(f"stance {side} macro-F1")]]
        holder = self.value("stance holder accuracy")[0]
        return (f"Agreement with your {self.labels} labels ({self.articles} articles): " + ", ".join(parts)
                + f"; holder accuracy {holder:.3f}; {len(self.disagreements)} disagreements")


def _kit_rows(annotated_or_table, articles) -> pd.DataFrame:
    """The kit's stance sentences of `articles` as `kit.analysis.scoring.score_stance` reads them."""
    table = annotated_or_table if isinstance(annotated_or_table, pd.DataFrame) else candidates(annotated_or_table, segments=None)
    return table[table["article_id"].isin(list(articles))]


def agreement(labels: pd.DataFrame, kit: pd.DataFrame | Annotated, *, n_boot: int = 1000, seed: int = 0) -> Agreement:
    """Macro-F1 per side and holder accuracy of the kit's labels (an annotated corpus, or a `candidates`
    table) against the researcher's `labels` (a `LabelStore.table`), with 95 % bootstrap intervals over
    articles, confusion matrices and the disagreements (kit.analysis.validation's scorers)."""
    from kit.analysis.scoring import measures, score_stance

    articles = list(dict.fromkeys(labels["article_id"].astype(str)))
    if not len(labels):
        empty = pd.DataFrame(columns=["article_id", "sentence_id", "start", "end", "surface", "problem", "gold", "predicted"])
        return Agreement(0, 0, pd.DataFrame(columns=["split", "measure", "value", "low", "high", "n"]), {}, empty)
    gold = labels.assign(article_id=labels["article_id"].astype(str))
    scores = score_stance(gold, _kit_rows(kit, articles), articles)
    table = measures({"stance": scores}, articles, "labels", n_boot=n_boot, seed=seed)
    errors = scores.errors
    if len(errors):  # the sentence_id of each disagreement, to open it
        errors = errors.merge(gold[["article_id", "start", "end", "sentence_id"]], on=["article_id", "start", "end"], how="left")
    confusion = {side: m.rename(index=lambda s: s.replace("gold", "you")) for side, m in scores.confusion.items()}
    return Agreement(len(labels), len(articles), table, confusion, errors)


class Item(NamedTuple):
    """The sentence in front of the researcher, with what the dashboard shows around it."""

    key: tuple[str, int]
    row: pd.Series  # its candidates row: offsets, text, the kit's labels and holder
    article: pd.Series  # title, source, published ...
    previous: str
    following: str
    cues: pd.DataFrame  # the kit's evidence in the sentence (offsets into the article)
    holders: list[tuple[str, str]]  # (label, holder_id) choices: the actors of the sentence, then the author
    label: Label | None  # the researcher's earlier label, when it has one


class LabelSession:
    """A researcher labelling one annotated corpus into one label file: the current sentence, save, skip,
    undo (of this session's last save or skip; after a restart, of the file's last label), agreement,
    retrain and apply."""

    def __init__(self, annotated, *, path: str | Path, order: str = "least_sure", seed: int = 0, segments=("body",)):
        self.annotated = annotated
        self.store = LabelStore(path)
        self.segments = segments
        self.table = candidates(annotated, segments=None)  # every stance sentence; the queue offers those of `segments`
        self._positions = {k: i for i, k in enumerate(zip(self.table["article_id"], self.table["sentence_id"].astype(int)))}
        offered = self.table if segments is None else self.table[self.table["segment"].isin(list(segments))]
        self.queue = LabelQueue(offered, order=order, seed=seed, done=[(label.article_id, label.sentence_id) for label in self.store.labels])
        self.history: list[tuple[str, tuple[str, int]]] = []
        self._articles = annotated.articles.drop_duplicates("article_id").assign(article_id=lambda a: a["article_id"].astype(str)).set_index("article_id")
        self._rows = {name: getattr(annotated, name).groupby("article_id", observed=True, sort=False).indices for name in ("sentences", "cues", "mentions")}
        self.current = self.queue.peek()
        self.retrained: Retrained | None = None

    @property
    def path(self) -> Path:
        return self.store.path

    @property
    def remaining(self) -> int:
        return len(self.queue)

    def _of(self, name: str, article_id: str) -> pd.DataFrame:
        table = getattr(self.annotated, name)
        return table.iloc[self._rows[name].get(article_id, [])]

    def item(self, key=None) -> Item | None:
        key = key or self.current
        if key is None or key not in self._positions:
            return None
        row = self.table.iloc[self._positions[key]]
        article_id, sentence_id = key
        sentences = self._of("sentences", article_id).set_index("sentence_id")["text"]
        cues = self._of("cues", article_id)
        mentions = self._of("mentions", article_id)
        mentions = mentions[(mentions["sentence_id"] == sentence_id) & (mentions["actor_type"].astype(str) != "region")]
        holders = [(f"{m.name_en} ({m.actor_id})", str(m.actor_id)) for m in mentions.drop_duplicates("actor_id").itertuples()]
        if row["holder_id"] and row["holder_id"] not in [h for _, h in holders]:
            holders.insert(0, (str(row["holder_id"]), str(row["holder_id"])))
        holders.append(("the author", ""))
        return Item(key, row, self._articles.loc[article_id], str(sentences.get(sentence_id - 1, "")), str(sentences.get(sentence_id + 1, "")),
                    cues[cues["sentence_id"] == sentence_id], holders, self.store.get(article_id, sentence_id))

    def save(self, russia: int, west: int, holder_id: str | None = None, *, key=None) -> Label:
        """Write the researcher's label of the current sentence (or of `key`) and move to the next."""
        key = key or self.current
        if key is None:
            raise ValueError("nothing to label: every sentence has a label")
        if russia not in LABELS or west not in LABELS:
            raise ValueError(f"labels are -1, 0 or 1, not {russia!r} / {west!r}")
        row = self.table.iloc[self._positions[key]]
        holder_id = row["holder_id"] if holder_id is None else holder_id
        label = Label(key[0], key[1], int(row["start"]), int(row["end"]), str(row["text"]), int(russia), int(west), str(holder_id or ""),
                      datetime.now(timezone.utc).isoformat(timespec="seconds"), int(row["russia"]), int(row["west"]), str(row["holder_id"]))
        self.store.put(label)
        self.queue.take(key)
        self.history.append(("label", key))
        self.current = self.queue.peek()
        return label

    def skip(self) -> None:
        if self.current is None:
            return
        self.queue.skip(self.current)
        self.history.append(("skip", self.current))
        self.current = self.queue.peek()

    def open(self, key) -> None:
        """Show a given sentence (a disagreement, say) to label it again."""
        key = (str(key[0]), int(key[1]))
        if key in self._positions:
            self.current = key

    def undo(self) -> tuple[str, tuple[str, int]] | None:
        """Take back this session's last save (its label is removed from the file) or skip; with nothing done
        in this session, the file's last label. The sentence comes up again."""
        if self.history:
            action, key = self.history.pop()
        elif len(self.store):
            last = self.store.labels[-1]
            action, key = "label", (last.article_id, last.sentence_id)
        else:
            return None
        if action == "label":
            self.store.remove(*key)
        if key in self._positions:
            self.queue.back(key)
        self.current = self.queue.peek()
        return action, key

    def agreement(self, *, n_boot: int = 1000, seed: int = 0) -> Agreement:
        return agreement(self.store.table, self.table, n_boot=n_boot, seed=seed)

    def retrain(self, *, base: str = "bundled", folds: int = 5, seed: int = 0) -> Retrained:
        """Refit the learned component with this file's labels; the model goes beside the file."""
        self.retrained = retrain(self.store.table, self.annotated, path=model_path(self.path), base=base, folds=folds, seed=seed)
        return self.retrained

    def apply(self, model: StanceModel | str | Path | None = None) -> Annotated:
        """Give this session's corpus the learned cues of the refitted model (or another): the kit's labels,
        the queue's order of the sentences still to label and the agreement follow."""
        model = model or (self.retrained.model if self.retrained else None)
        if model is None:
            raise ValueError("no refitted model: retrain first, or give one")
        self.annotated = apply_model(self.annotated, model)
        self.table = candidates(self.annotated, segments=None)
        self._rows["cues"] = self.annotated.cues.groupby("article_id", observed=True, sort=False).indices
        return self.annotated
