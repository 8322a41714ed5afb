"""Labelling stance by hand: a label file that survives a restart, a queue, agreement with the kit, retraining.

A researcher reads the kit's stance sentences one at a time and gives each a label toward Russia and
toward the West (−1, 0, +1) and its holder. `LabelStore` keeps every label in a CSV beside their corpus
(article_id, sentence_id, the sentence's offsets and text, the labels, when, and the kit's own labels at
that moment): each change rewrites the file into a temporary file that is flushed to disk and renamed over
the old one (`os.replace`), so a kernel killed mid-write leaves the previous file whole, and reopening the
file continues where it stopped. `LabelQueue` orders the sentences still to label — at random with a seed,
or least sure first (the kit's score nearest the ±threshold at which its label would change) — with skip
and undo. `agreement` measures the kit against the researcher's labels with the scorers of
`kit.analysis.validation` (macro-F1 per side with a 95 % bootstrap interval over articles, confusion matrices, the
disagreements). `retrain` refits the learned stance component (`kit.analysis.stance_training`) on the bundled gold
plus these labels, reports cross-validated macro-F1 over the researcher's labels with the bundled model and
with the refitted one, and writes the refitted model beside the labels (never into kit/data);
`apply_model` gives a corpus the learned cues of another model. `LabelSession` ties them together for
`kit.dashboards.labels`. This module imports no widgets.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from kit.analysis.aggregation import gold_sentences
from kit.annotation import Annotated
from kit.arabic.text import normalize_with_offsets
from kit.extract.stance_lexicon import SIDES, THRESHOLD, Actor, Evidence, StanceLexicon
from kit.extract.stance_model import StanceModel, learned_evidence
from kit.extract.stance_scores import score
from kit.io.export import _FORMULA_START, excel_safe

__all__ = ["COLUMNS", "Agreement", "Label", "LabelFileError", "LabelQueue", "LabelSession", "LabelStore", "Retrained",
           "agreement", "apply_model", "candidates", "retrain"]

COLUMNS = ("article_id", "sentence_id", "start", "end", "sentence", "russia", "west", "holder_id", "labelled_at",
           "kit_russia", "kit_west", "kit_holder_id")
_INTEGERS = ("sentence_id", "start", "end", "russia", "west", "kit_russia", "kit_west")
LABELS = (-1, 0, 1)
ORDERS = ("least_sure", "random")
BASES = ("bundled", "seeds", "none")
STALE = 60.0  # seconds after which a temporary file beside the label file is a killed write's


class LabelFileError(ValueError):
    """A label file that cannot be read, with its line."""


class Label(NamedTuple):
    article_id: str
    sentence_id: int
    start: int
    end: int
    sentence: str
    russia: int
    west: int
    holder_id: str  # "" = the author
    labelled_at: str
    kit_russia: int
    kit_west: int
    kit_holder_id: str


# ---------------------------------------------------------------------------------------------------
# The label file


def _restore(value: str) -> str:
    """Undo `kit.io.export`'s formula neutralising: «'=x» was written for «=x»."""
    return value[1:] if value.startswith("'") and value[1:].startswith(_FORMULA_START) else value


def _mode(path: Path) -> int:
    """The permissions of the file being replaced, or those a new file gets (temporary files are 0600)."""
    if path.exists():
        return path.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def atomic_write(path: Path, write) -> None:
    """Write a file through `write(handle)` into a temporary file beside it, flush it to disk and rename it
    over `path`: a process killed at any moment leaves either the old file or the new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = tempfile.NamedTemporaryFile("wb", dir=path.parent, prefix=f".{path.name}.", suffix=".tmp", delete=False)
    try:
        with handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(handle.name, _mode(path))
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise
    if hasattr(os, "O_DIRECTORY"):  # the rename itself reaches the disk
        descriptor = os.open(path.parent, os.O_DIRECTORY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


class LabelStore:
    """The researcher's labels, one row per sentence, in a CSV that is rewritten atomically at every change.

        store = LabelStore("reports/labels/stance_labels.csv")   # reopens what is there
        store.put(label); store.remove(article_id, sentence_id); store.table
    """

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._rows: dict[tuple[str, int], Label] = {}
        self._clean()
        if self.path.exists():
            self._rows = {(r.article_id, r.sentence_id): r for r in self._read()}

    def _clean(self, age: float = STALE) -> None:
        """Delete temporary files a killed process left beside the file (older than `age` seconds: a younger
        one may be another kernel's write in progress)."""
        now = datetime.now().timestamp()
        for stale in self.path.parent.glob(f".{self.path.name}.*.tmp"):
            try:
                if now - stale.stat().st_mtime > age:
                    stale.unlink()
            except FileNotFoundError:
                pass

    def _read(self) -> list[Label]:
        text = self.path.read_text(encoding="utf-8-sig")
        reader = csv.DictReader(io.StringIO(text, newline=""))
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or ())]
        if missing:
            raise LabelFileError(f"{self.path}, line 1: missing column(s) {', '.join(missing)}")
        rows = []
        for row in reader:
            try:
                values = {c: _restore(row[c] or "") for c in COLUMNS}
                values.update({c: int(values[c]) for c in _INTEGERS})
            except ValueError as exc:
                raise LabelFileError(f"{self.path}, line {reader.line_num}: {exc}") from None
            for side in SIDES:
                if values[side] not in LABELS:
                    raise LabelFileError(f"{self.path}, line {reader.line_num}: {side} {values[side]} is not -1, 0 or 1")
            rows.append(Label(**values))
        return rows

    def __len__(self) -> int:
        return len(self._rows)

    def __contains__(self, key) -> bool:
        return tuple(key) in self._rows

    def get(self, article_id: str, sentence_id: int) -> Label | None:
        return self._rows.get((str(article_id), int(sentence_id)))

    @property
    def labels(self) -> list[Label]:
        """The labels in the order they were given."""
        return list(self._rows.values())

    @property
    def table(self) -> pd.DataFrame:
        return pd.DataFrame(self.labels, columns=list(COLUMNS)).astype({c: "int64" for c in _INTEGERS})

    def put(self, label: Label) -> None:
        """Add a label (or replace the sentence's earlier one: the new one goes last) and write the file."""
        rows = dict(self._rows)
        key = (str(label.article_id), int(label.sentence_id))
        rows.pop(key, None)
        rows[key] = label
        self._write(rows)

    def remove(self, article_id: str, sentence_id: int) -> Label | None:
        """Take a sentence's label out (None when it has none) and write the file."""
        rows = dict(self._rows)
        removed = rows.pop((str(article_id), int(sentence_id)), None)
        if removed is not None:
            self._write(rows)
        return removed

    def _write(self, rows: dict) -> None:
        table = excel_safe(pd.DataFrame(list(rows.values()), columns=list(COLUMNS)))
        atomic_write(self.path, lambda handle: handle.write(table.to_csv(index=False).encode("utf-8-sig")))
        self._rows = rows  # only once the file holds them


# ---------------------------------------------------------------------------------------------------
# What to label, and in which order


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


# ---------------------------------------------------------------------------------------------------
# Agreement with the kit


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


# ---------------------------------------------------------------------------------------------------
# Retraining the learned component


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


# ---------------------------------------------------------------------------------------------------
# A labelling session


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
