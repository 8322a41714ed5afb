"""Stance summed up and held against hand labels: shares per group with their 95 % Wilson interval
(`aggregate`), and agreement of the lexicon with the seeds' hand-labelled sentences (`evaluate`, `agreement`).
Reads the annotated tables; imports kit.base and kit.extract (the stance lexicon and scores).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
import pandas as pd

from kit.base.lexicons import data_path
from kit.extract.stance_lexicon import SIDES, THRESHOLD
from kit.extract.stance_scores import score

__all__ = ["StanceEvaluation", "aggregate", "agreement", "evaluate", "gold_sentences", "wilson"]


@dataclass
class StanceEvaluation:
    """Agreement of the current lexicon with hand labels."""

    macro_f1: dict[str, float]
    confusion: dict[str, pd.DataFrame]
    holder_accuracy: float
    table: pd.DataFrame

    def __repr__(self) -> str:
        f1 = ", ".join(f"{side} macro-F1 {value:.3f}" for side, value in self.macro_f1.items())
        return f"StanceEvaluation({len(self.table)} sentences: {f1}, holder accuracy {self.holder_accuracy:.3f})"


def gold_sentences() -> pd.DataFrame:
    """The hand-labelled seed sentences (data/stance_gold.csv)."""
    return pd.read_csv(data_path("stance_gold.csv"), dtype=str, keep_default_na=False)


def evaluate(annotated, gold: pd.DataFrame | None = None, weights: dict[str, float] | None = None, threshold: float = THRESHOLD) -> StanceEvaluation:
    """Per-target macro-F1 and confusion matrices of the stance labels against gold (article_id, sentence,
    russia, west, holder_id); the default gold is the seeds' hand-labelled file."""
    from sklearn.metrics import confusion_matrix, f1_score

    gold = gold_sentences() if gold is None else gold
    gold = gold.rename(columns={"russia": "russia_gold", "west": "west_gold", "holder_id": "holder_gold"})
    sentences = annotated.sentences[["article_id", "sentence_id", "text"]]
    matched = gold.merge(sentences, left_on=["article_id", "sentence"], right_on=["article_id", "text"], how="left")
    matched = matched.drop_duplicates(["article_id", "sentence"])
    if matched["sentence_id"].isna().any():
        missing = matched.loc[matched["sentence_id"].isna(), "sentence"].str[:60].tolist()
        raise ValueError(f"gold sentences not found in the corpus: {missing}")
    matched = matched.astype({"sentence_id": "int64"})
    predicted = score(annotated.cues, matched[["article_id", "sentence_id"]], weights, threshold)
    holders = annotated.stance[["article_id", "sentence_id", "holder_id"]]
    table = matched.merge(predicted, on=["article_id", "sentence_id"]).merge(holders, on=["article_id", "sentence_id"], how="left")
    labels = [-1, 0, 1]
    f1, confusion = {}, {}
    for side in SIDES:
        truth, guess = table[f"{side}_gold"].astype(int), table[side].astype(int)
        f1[side] = float(f1_score(truth, guess, labels=labels, average="macro", zero_division=0))
        confusion[side] = pd.DataFrame(confusion_matrix(truth, guess, labels=labels), index=[f"gold {v:+d}" for v in labels], columns=[f"kit {v:+d}" for v in labels])
    holder_gold = table["holder_gold"].replace("", None)
    holder_kit = table["holder_id"].astype(object).where(table["holder_id"].notna(), None)
    holder_accuracy = float(np.mean([a == b for a, b in zip(holder_gold, holder_kit)])) if len(table) else 0.0
    columns = ["article_id", "sentence_id", "sentence", "russia_gold", "russia", "west_gold", "west", "holder_gold", "holder_id", "russia_score", "west_score", "note"]
    return StanceEvaluation(f1, confusion, holder_accuracy, table[[c for c in columns if c in table.columns]])


def agreement(annotated, weights: dict[str, float] | None = None, threshold: float = THRESHOLD) -> str:
    """One line on how the current lexicon agrees with the seeds' hand labels (or why it cannot say)."""
    gold = gold_sentences()
    if not gold["article_id"].isin(annotated.articles["article_id"]).all():
        return "Agreement with the hand-labelled seed sentences: not measured, they are not all in this corpus."
    result = evaluate(annotated, weights=weights, threshold=threshold)
    f1 = ", ".join(f"{side} {value:.3f}" for side, value in result.macro_f1.items())
    return f"Agreement with the {len(result.table)} hand-labelled seed sentences: macro-F1 {f1}; holder accuracy {result.holder_accuracy:.3f}"


Z95 = 1.959963984540054  # the normal quantile of a two-sided 95 % interval


def wilson(successes, n, z: float = Z95) -> tuple[np.ndarray, np.ndarray]:
    """The Wilson score interval of a share `successes / n` (arrays; NaN where n is 0): unlike the normal
    approximation it stays inside [0, 1] and is honest for small n (1 of 1 sentences: 0.21–1.00)."""
    k, n = np.asarray(successes, dtype=float), np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = k / n
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    low, high = np.clip(centre - half, 0, 1), np.clip(centre + half, 0, 1)
    return np.where(k == 0, 0.0, low), np.where(k == n, 1.0, high)  # exact at the ends (no rounding residue)


def aggregate(annotated, by: str | Sequence[str] = "article_id", segment: str | None = "body", stance: pd.DataFrame | None = None,
              min_n: int = 1) -> pd.DataFrame:
    """Stance summed up by article_id, source, holder_id or month (or several): sentences, shares of
    sentences pro/anti each side with their 95 % Wilson interval (`pro_russia_low`, `pro_russia_high`, ...),
    mean labels, and balance = west_mean - russia_mean (+2 fully pro-West, -2 fully pro-Russia) with the
    number of sentences behind it. Groups with fewer than `min_n` sentences are left out."""
    by = [by] if isinstance(by, str) else list(by)
    table = annotated.stance if stance is None else stance
    if segment is not None:
        table = table.merge(annotated.sentences.loc[annotated.sentences["segment"] == segment, ["article_id", "sentence_id"]])
    needed = [c for c in by if c not in table.columns]
    if needed:
        articles = annotated.articles.assign(month=annotated.articles["published"].dt.to_period("M").astype("string"))
        table = table.merge(articles[["article_id", *[c for c in needed if c in articles.columns]]], on="article_id", how="left")
    grouped = table.groupby(by, dropna=False)
    out = grouped.agg(
        sentences=("sentence_id", "size"),
        pro_russia=("russia", lambda s: (s == 1).mean()),
        anti_russia=("russia", lambda s: (s == -1).mean()),
        pro_west=("west", lambda s: (s == 1).mean()),
        anti_west=("west", lambda s: (s == -1).mean()),
        russia_mean=("russia", "mean"),
        west_mean=("west", "mean"),
    ).reset_index()
    out["balance"] = out["west_mean"] - out["russia_mean"]
    for share in ("pro_russia", "anti_russia", "pro_west", "anti_west"):
        low, high = wilson(np.rint(out[share] * out["sentences"]), out["sentences"])
        out.insert(out.columns.get_loc(share) + 1, f"{share}_low", low)
        out.insert(out.columns.get_loc(share) + 2, f"{share}_high", high)
    return out[out["sentences"] >= min_n].reset_index(drop=True)
