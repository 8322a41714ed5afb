"""Training the learned stance component (`kit.extract.stance_model`) on hand-labelled sentences.

    python -m kit.analysis.stance_training                 # seeds' gold + validation dev gold → kit/data/stance_model.npz
    python -m kit.analysis.stance_training --report-only   # cross-validation only, nothing written

The training sentences are the kit's own sentences that the gold sentences fall on, read as the model
reads them at annotation time (mentions replaced by side tokens, the rule scores beside), so training and
annotation see the same inputs. Five-fold cross-validation grouped by article picks how the model joins
the rules — `gate` (the model only where the rule cues leave a side under the threshold) or `add` (its
cue added to theirs) — and its category weight, by out-of-fold macro-F1; the final model is fitted on every
training sentence. `kit.analysis.labelling.retrain` refits it with a researcher's own labels added.
This module sits above the pipeline: it imports kit.annotation, kit.analysis.validation and scikit-learn.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from kit.analysis.aggregation import gold_sentences
from kit.arabic.text import normalize_with_offsets
from kit.base.lexicons import data_path
from kit.extract.stance_lexicon import SIDES, THRESHOLD
from kit.extract.stance_model import MODEL_FILE, StanceModel, features_of, model_text
from kit.extract.stance_scores import score

NGRAM_RANGE = (2, 4)
WORD_PAIRS = True  # consecutive words as features too («انتقد §W§»): +0.01 out-of-fold macro-F1 over n-grams alone
NUMERIC = ["russia_score", "west_score"]
C = 8.0
WEIGHTS = (0.6, 1.0, 1.5, 2.0, 3.0, 5.0, 8.0)
TIE = 0.002  # out-of-fold macro-F1 differences smaller than this are noise


def sentence_inputs(annotated) -> pd.DataFrame:
    """Every stance sentence of an annotated corpus as the model reads it: article_id, sentence_id, start,
    end, text (model text) and the rule scores (the `learned` cues left out)."""
    cues = annotated.cues[annotated.cues["category"].astype(str) != "learned"]
    keys = annotated.stance[["article_id", "sentence_id"]]
    rules = score(cues, keys)
    sentences = annotated.sentences.merge(keys)
    mentions = annotated.mentions
    texts = annotated.articles.set_index("article_id")["text"]
    rows = []
    for article_id, own in sentences.groupby("article_id", observed=True, sort=False):
        text = texts[article_id]
        normalized = normalize_with_offsets(text)
        theirs = mentions[mentions["article_id"] == article_id]
        m_start = np.searchsorted(normalized.index, theirs["start"].to_numpy())
        m_end = np.searchsorted(normalized.index, theirs["end"].to_numpy())
        side = [b if b in SIDES else None for b in theirs["bloc"].astype(str)]
        spans = list(zip(m_start.tolist(), m_end.tolist(), side))
        for s in own.itertuples():
            span = tuple(np.searchsorted(normalized.index, [s.start, s.end]).tolist())
            rows.append({"article_id": str(article_id), "sentence_id": s.sentence_id, "start": s.start, "end": s.end,
                         "text": model_text(normalized.text, span, spans), "sided": {x for a, b, x in spans if span[0] <= a < span[1] and x}})
    frame = pd.DataFrame(rows)
    return frame.merge(rules.astype({"article_id": str})[["article_id", "sentence_id", *NUMERIC]], on=["article_id", "sentence_id"])


def training_set(seed_annotated, seed_gold: pd.DataFrame, dev_annotated=None, dev_gold: pd.DataFrame | None = None, *, more=()) -> pd.DataFrame:
    """Gold labels joined to the model inputs of the kit sentences they fall on (seed gold by sentence text,
    validation gold — and each (annotated, gold) pair of `more` — by offsets); a gold sentence the kit has
    no stance row for is left out (nothing to read)."""
    parts = []
    inputs = sentence_inputs(seed_annotated)
    sentences = seed_annotated.sentences.astype({"article_id": str})
    labelled = seed_gold.merge(sentences[["article_id", "sentence_id", "text"]], left_on=["article_id", "sentence"], right_on=["article_id", "text"])
    parts.append(labelled[["article_id", "sentence_id", "russia", "west"]].merge(inputs, on=["article_id", "sentence_id"]))
    pairs = ([(dev_annotated, dev_gold)] if dev_annotated is not None else []) + list(more)
    parts.extend(labelled_inputs(sentence_inputs(annotated), gold) for annotated, gold in pairs)
    table = pd.concat(parts, ignore_index=True).drop_duplicates(["article_id", "sentence_id"])
    return table.astype({"russia": int, "west": int})


def labelled_inputs(inputs: pd.DataFrame, gold: pd.DataFrame) -> pd.DataFrame:
    """Labels given by offsets (article_id, start, end, russia, west) joined to the model inputs of the kit
    sentence each overlaps most; a label that overlaps no stance sentence is left out."""
    from kit.analysis.scoring import most_overlapping

    rows = []
    for article_id, labels in gold.groupby("article_id", sort=False):
        own = inputs[inputs["article_id"] == str(article_id)]
        for g in labels.itertuples():
            hit = most_overlapping(own, g.start, g.end)
            if hit is not None:
                rows.append({**hit.to_dict(), "russia": int(g.russia), "west": int(g.west)})
    return pd.DataFrame(rows, columns=[*inputs.columns, "russia", "west"])


def fit(table: pd.DataFrame) -> StanceModel:
    """Logistic regression per side over TF-IDF n-grams and the rule scores."""
    from scipy.sparse import csr_matrix, hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = TfidfVectorizer(analyzer=lambda t: features_of(t, *NGRAM_RANGE, pairs=WORD_PAIRS), sublinear_tf=True, min_df=2)
    words = vectorizer.fit_transform(table["text"])
    numeric = np.clip(table[NUMERIC].to_numpy(float), -3, 3) / 3
    features = hstack([words, csr_matrix(numeric)]).tocsr()
    coef, intercept = {}, {}
    for side in SIDES:
        labels = table[side].to_numpy()
        model = LogisticRegression(C=C, class_weight="balanced", max_iter=5000)
        model.fit(features, labels)
        full = np.zeros((3, features.shape[1]))
        bias = np.full(3, -30.0)  # a label absent from training is never predicted
        for row, label in enumerate(model.classes_):
            full[int(label) + 1] = model.coef_[row] if len(model.classes_) > 2 else (model.coef_[0] if label == model.classes_[1] else -model.coef_[0])
            bias[int(label) + 1] = model.intercept_[row] if len(model.classes_) > 2 else (model.intercept_[0] if label == model.classes_[1] else -model.intercept_[0])
        coef[side], intercept[side] = full, bias
    names = [g for g, _ in sorted(vectorizer.vocabulary_.items(), key=lambda kv: kv[1])]
    settings = {"ngram_range": list(NGRAM_RANGE), "word_pairs": WORD_PAIRS, "numeric": NUMERIC, "C": C, "sentences": int(len(table)), "mode": "gate", "weight": 1.0}
    return StanceModel(names, {g: i for i, g in enumerate(names)}, vectorizer.idf_, coef, intercept, settings)


def _labels(values, threshold=THRESHOLD):
    return np.where(values >= threshold, 1, np.where(values <= -threshold, -1, 0))


def combine(table: pd.DataFrame, predicted: dict[str, np.ndarray], margins: dict[str, np.ndarray], mode: str, weight: float) -> dict[str, np.ndarray]:
    """Labels per side of rules + model (the model's label, margin per row), as the pipeline computes them."""
    out = {}
    decided = np.maximum(np.abs(table["russia_score"].to_numpy(float)), np.abs(table["west_score"].to_numpy(float))) >= THRESHOLD
    for side in SIDES:
        rules = table[f"{side}_score"].to_numpy(float)
        mentioned = np.array([side in s for s in table["sided"]])
        cue = np.where(mentioned, predicted[side] * margins[side] * weight, 0.0)
        if mode == "rules":
            cue = 0 * cue
        elif mode == "model":
            out[side] = np.where(mentioned, predicted[side], 0)
            continue
        elif mode == "gate":  # a sentence where a rule cue decides either side is the rules' alone
            cue = np.where(decided, 0.0, cue)
        out[side] = _labels(rules + cue)
    return out


def predict_into(model: StanceModel, table: pd.DataFrame, rows, predicted: dict[str, np.ndarray], margins: dict[str, np.ndarray]) -> None:
    """The model's label and margin P(label) − P(0) per side for the given rows of `table`, written into
    `predicted` and `margins` (arrays aligned with the table), as `combine` takes them."""
    for i in rows:
        row = table.iloc[i]
        guess = model.predict(row["text"], {n: row[n] for n in NUMERIC})
        for side in SIDES:
            predicted[side][i] = guess[side].label
            margins[side][i] = guess[side].probabilities[guess[side].label + 1] - guess[side].probabilities[1] if guess[side].evidence else 0.0


def _macro(gold, guess) -> float:
    from sklearn.metrics import f1_score

    return float(f1_score(gold, guess, labels=[-1, 0, 1], average="macro", zero_division=0))


def cross_validate(table: pd.DataFrame, folds: int = 5, seed: int = 0) -> pd.DataFrame:
    """Out-of-fold macro-F1 per side of rules alone, the model alone, and each way of joining them."""
    from sklearn.model_selection import GroupKFold

    predicted = {side: np.zeros(len(table), dtype=int) for side in SIDES}
    margins = {side: np.zeros(len(table)) for side in SIDES}
    for train, held in GroupKFold(n_splits=folds).split(table, groups=table["article_id"]):
        predict_into(fit(table.iloc[train]), table, held, predicted, margins)
    rows = []
    for mode, weight in [("rules", 0.0), ("model", 1.0), *[(m, w) for m in ("gate", "add") for w in WEIGHTS]]:
        labels = combine(table, predicted, margins, mode, weight)
        f1 = {side: _macro(table[side], labels[side]) for side in SIDES}
        rows.append({"mode": mode, "weight": weight, **f1, "mean": (f1["russia"] + f1["west"]) / 2})
    return pd.DataFrame(rows)


TRAINING_DIR = Path(__file__).resolve().parents[2] / "tests" / "training"  # hand-labelled, for training only


def _gold_of(folder=None, split: str | None = "dev"):
    """A gold folder's articles annotated, and its stance gold: the validation `dev` split by default, or
    every article of a training folder (`split=None`)."""
    from kit.analysis.gold import VALIDATION_DIR, gold_corpus, read_gold
    from kit.annotation import annotate

    gold = read_gold(folder or VALIDATION_DIR)
    chosen = set(gold.split["article_id"] if split is None else gold.split.loc[gold.split["split"] == split, "article_id"])
    corpus = gold_corpus(gold)
    corpus.articles = corpus.articles[corpus.articles["article_id"].isin(chosen)].reset_index(drop=True)
    return annotate(corpus, progress=False), gold.stance[gold.stance["article_id"].isin(chosen)]


def default_extra() -> list[str]:
    """The training folders used by default: tests/training beside the validation corpus, when present."""
    return [str(TRAINING_DIR)] if (TRAINING_DIR / "metadata.csv").is_file() else []


def bundled_table(extra=None) -> pd.DataFrame:
    """The bundled model's training sentences: the seeds' gold, the validation dev gold (when the validation
    folder is there: a source checkout) and the gold of each `extra` training folder (default: `default_extra`)."""
    from kit.analysis.gold import VALIDATION_DIR
    from kit.annotation import load

    seeds, seed_gold = load(progress=False), gold_sentences().astype({"russia": int, "west": int})
    if not (VALIDATION_DIR / "gold_stance.csv").is_file():
        return training_set(seeds, seed_gold)
    extra = default_extra() if extra is None else extra
    return training_set(seeds, seed_gold, *_gold_of(), more=[_gold_of(folder, None) for folder in extra])


def main(argv=None) -> int:

    parser = argparse.ArgumentParser(description="train the learned stance component")
    parser.add_argument("--report-only", action="store_true", help="cross-validate only; do not write the model")
    parser.add_argument("-o", "--output", default=str(data_path(MODEL_FILE)))
    parser.add_argument("--extra", action="append", metavar="FOLDER",
                        help=f"a gold folder of training articles (default: {TRAINING_DIR.name}/ beside the validation corpus, when present)")
    args = parser.parse_args(argv)
    extra = default_extra() if args.extra is None else args.extra
    table = bundled_table(extra)
    report = cross_validate(table)
    print(f"{len(table)} training sentences (seed gold + validation dev{''.join(' + ' + Path(f).name for f in extra)}); five-fold cross-validation by article:")
    print(report.round(3).to_string(index=False))
    # The kit joins by `gate`: where a rule cue decides, the rules alone speak, so a researcher's edit of a cue
    # acts exactly where it fires and the model never overrides it; `add` is printed for comparison.
    joined = report[report["mode"] == "gate"]
    # the lightest weight within TIE of the best: a heavier learned cue overrides more sentences for no measured gain
    best = joined[joined["mean"] >= joined["mean"].max() - TIE].sort_values("weight", kind="stable").iloc[0]
    print(f"join: gate with weight {best['weight']} (out-of-fold mean macro-F1 {best['mean']:.3f}; best add: "
          f"{report[report['mode'] == 'add']['mean'].max():.3f})")
    if args.report_only:
        return 0
    model = fit(table)
    model.settings.update({"mode": str(best["mode"]), "weight": float(best["weight"]), "cross_validation": report.round(4).to_dict("records")})
    model.save(args.output)
    print(f"wrote {args.output}: {len(model.names)} n-grams; set the 'learned' weight in stance_categories.csv to {best['weight']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
