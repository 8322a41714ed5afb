"""Validation against hand-labelled gold: how good the annotation is on articles it was not written from.

A gold folder holds `articles/*.txt`, `metadata.csv` (article_id, title, source, published, url, ...), four
gold files written by reading the articles (`gold_actors.csv`, `gold_figures.csv`, `gold_stance.csv`,
`gold_quotes.csv`, every row with character offsets into its article; a missing file is a layer not
scored) and, optionally, `split.csv` (article_id, split, and an optional `layers` column: the layers scored
on that article, space-separated, empty for none — a folder whose gold covers some layers on some articles
only, such as tests/training: actors on 30 articles, stance gold kept for training). `validate(corpus, folder)` scores an annotated corpus against it, per split: stance
macro-F1 per side with confusion matrices and holder accuracy, actors P/R/F (persons and the rest apart),
figures P/R/F with value, year and kind accuracy, quote detection and speaker accuracy — each with a 95 %
bootstrap interval over articles — and lists every disagreement for review. The gold is read by
kit.analysis.gold; the scorers (kit.analysis.scoring) work on plain frames (gold and predicted spans), so
they can be tested without the kit. This module runs them per split and writes the disagreements; it
imports kit.annotation lazily, to annotate the corpus of a gold folder.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from kit.analysis.gold import (
    GOLD_FILES,
    SIDES,
    VALIDATION_DIR,
    GoldError,
    gold_corpus,
    read_gold,
)
from kit.analysis.scoring import (
    catalogue_ids,
    macro_f1_cells,
    measures,
    predictions,
    rules_alone,
    score_all,
    score_stance,
)

__all__ = ["Validation", "stance_ablation", "validate"]


@dataclass
class Validation:
    """The measures per split (`table`: split, measure, value, low, high, n), the stance confusion matrices
    per split and side, and every disagreement (`errors`: one frame per layer)."""

    table: pd.DataFrame
    confusion: dict[tuple[str, str], pd.DataFrame]
    errors: dict[str, pd.DataFrame]
    articles: dict[str, int] = field(default_factory=dict)
    corpus: object = field(default=None, repr=False)  # the annotated corpus that was scored

    def value(self, split: str, measure: str) -> float:
        row = self.table[(self.table["split"] == split) & (self.table["measure"] == measure)]
        return float(row["value"].iloc[0]) if len(row) else float("nan")

    def __str__(self) -> str:
        splits = list(dict.fromkeys(self.table["split"]))
        width = max(len(m) for m in self.table["measure"]) + 2
        lines = ["".ljust(width) + "".join(f"{s} ({self.articles.get(s, 0)} articles)".ljust(34) for s in splits)]
        for measure in dict.fromkeys(self.table["measure"]):
            cells = []
            for split in splits:
                row = self.table[(self.table["split"] == split) & (self.table["measure"] == measure)]
                if not len(row) or np.isnan(row["value"].iloc[0]):
                    cells.append("—".ljust(34))
                    continue
                r = row.iloc[0]
                cells.append(f"{r.value:.3f} [{r.low:.3f}, {r.high:.3f}] n={r.n}".ljust(34))
            lines.append(measure.ljust(width) + "".join(cells))
        for (split, side), matrix in self.confusion.items():
            lines += ["", f"{split}: stance toward {side} (rows gold, columns kit)", matrix.to_string()]
        return "\n".join(lines)


def validate(corpus=None, gold_folder: str | Path = VALIDATION_DIR, *, errors_dir: str | Path | None = "reports/validation",
             n_boot: int = 1000, seed: int = 0, progress: bool | None = False, rules_only: bool = False) -> Validation:
    """Score an annotated corpus (default: the gold folder's own articles, annotated now) against the gold of
    `gold_folder`, per split, and write every disagreement to `errors_dir/errors-LAYER.csv` (None: do not write).
    `rules_only`: stance from the rule cues alone, without the learned component (how the rules transfer)."""
    gold = read_gold(gold_folder)
    wanted = list(gold.split.loc[gold.split["layers"] != "", "article_id"])  # the articles some layer is scored on
    if corpus is None:
        from kit.annotation import annotate

        corpus = gold_corpus(gold)
        corpus.articles = corpus.articles[corpus.articles["article_id"].isin(wanted)].reset_index(drop=True)
        corpus = annotate(corpus, progress=progress)
    predicted = predictions(corpus, rules_only=rules_only)
    present = set(corpus.articles["article_id"].astype(str))
    absent = [a for a in wanted if a not in present]
    if absent:
        raise GoldError(f"{gold.folder}: {len(absent)} gold article(s) are not in the corpus, e.g. {absent[:3]}")
    tables, confusion, errors, sizes = [], {}, {}, {}
    known = catalogue_ids()
    for split, rows in gold.split[gold.split["layers"] != ""].groupby("split", sort=False):
        articles = list(rows["article_id"])
        sizes[split] = len(articles)
        scored = {layer: [a for a, cell in zip(rows["article_id"], rows["layers"]) if layer in cell.split()] for layer in GOLD_FILES}
        scores = score_all(gold, predicted, articles, known, scored)
        tables.append(measures(scores, articles, split, n_boot=n_boot, seed=seed))
        for side in SIDES if "stance" in scores else ():
            confusion[(split, side)] = scores["stance"].confusion[side]
        for layer, result in scores.items():
            if len(result.errors):
                errors.setdefault(layer, []).append(result.errors.assign(split=split))
    errors = {layer: _with_sentences(pd.concat(frames, ignore_index=True), corpus) for layer, frames in errors.items()}
    order = {"dev": 0, "test": 1}
    table = pd.concat(tables, ignore_index=True)
    table = table.sort_values("split", key=lambda s: s.map(order).fillna(2), kind="stable").reset_index(drop=True)
    result = Validation(table, dict(sorted(confusion.items(), key=lambda kv: order.get(kv[0][0], 2))), errors, sizes, corpus)
    if errors_dir is not None:
        _write_errors(result, Path(errors_dir))
    return result


def stance_ablation(corpus, gold_folder: str | Path = VALIDATION_DIR) -> pd.DataFrame:
    """Stance macro-F1 per split and side of the rules alone (the `learned` cues left out), the learned
    model alone (its label for every side a sentence mentions), and the two joined as the kit joins them."""
    from kit.analysis.stance_training import sentence_inputs
    from kit.extract.stance_model import StanceModel
    from kit.extract.stance_scores import score

    gold = read_gold(gold_folder)
    base = predictions(corpus)["stance"]
    keys = corpus.stance[["article_id", "sentence_id"]]
    rules = rules_alone(corpus)[0].astype({"article_id": "string"})
    variants = {"rules": rules, "rules + model": score(corpus.cues, keys).astype({"article_id": "string"})}
    model = StanceModel.default()
    if model is not None:
        inputs = sentence_inputs(corpus)
        labels = [model.predict(r.text, {"russia_score": r.russia_score, "west_score": r.west_score}) for r in inputs.itertuples()]
        variants["model"] = inputs[["article_id", "sentence_id"]].assign(
            russia=[p["russia"].label if "russia" in s else 0 for p, s in zip(labels, inputs["sided"])],
            west=[p["west"].label if "west" in s else 0 for p, s in zip(labels, inputs["sided"])]).astype({"article_id": "string"})
    rows = []
    for name, labelled in variants.items():
        sentences = base.drop(columns=["russia", "west"]).merge(labelled[["article_id", "sentence_id", "russia", "west"]], on=["article_id", "sentence_id"], how="left")
        sentences[["russia", "west"]] = sentences[["russia", "west"]].fillna(0).astype("int64")
        for split, chosen in gold.split.groupby("split", sort=False):
            articles = list(chosen["article_id"])
            counts = score_stance(gold.stance, sentences, articles).counts
            rows.append({"split": split, "variant": name, **{side: float(macro_f1_cells(counts[side].to_numpy().sum(axis=0))) for side in SIDES}})
    return pd.DataFrame(rows)


def _with_sentences(errors: pd.DataFrame, corpus) -> pd.DataFrame:
    """Each disagreement with the kit sentence that holds its start (id and text), for review."""
    sentences = corpus.sentences[["article_id", "sentence_id", "start", "end", "text"]].astype({"article_id": "string"})
    out = []
    for article_id, rows in errors.groupby("article_id", sort=False):
        own = sentences[sentences["article_id"] == article_id].sort_values("start")
        index = np.searchsorted(own["start"].to_numpy(), rows["start"].to_numpy(), side="right") - 1
        index = np.clip(index, 0, max(len(own) - 1, 0))
        found = own.iloc[index] if len(own) else None
        out.append(rows.assign(sentence_id=found["sentence_id"].to_numpy() if found is not None else -1,
                               sentence=found["text"].to_numpy() if found is not None else ""))
    frame = pd.concat(out, ignore_index=True)
    columns = ["split", "article_id", "sentence_id", "start", "end", "surface", "problem", "gold", "predicted", "evidence", "sentence"]
    return frame.reindex(columns=columns)


def _write_errors(result: Validation, folder: Path) -> None:
    from kit.io.export import excel_safe

    folder.mkdir(parents=True, exist_ok=True)
    for layer, frame in result.errors.items():
        excel_safe(frame).to_csv(folder / f"errors-{layer}.csv", index=False, encoding="utf-8-sig")
    result.table.to_csv(folder / "measures.csv", index=False, encoding="utf-8-sig")
