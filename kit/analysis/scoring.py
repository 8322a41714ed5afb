"""Scoring annotation against gold on plain frames: the annotated tables as spans with the fields the
gold has (`predictions`), span matching by overlap with the identity each layer needs, stance macro-F1 and
holder accuracy, and every measure with a 95 % bootstrap interval over articles. Imports numpy, pandas and
kit.analysis.gold; the kit's catalogue and stance scores lazily.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from kit.analysis.gold import LABELS, NOT_ACTORS, SIDES, Gold

__all__ = ["MEASURES", "Scores", "measures", "predictions", "rules_alone", "score_all", "score_spans", "score_stance"]


def rules_alone(annotated) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The stance table and the cues table without the learned component: its `learned` cues left out and
    every sentence re-scored from the rule cues alone (holders unchanged)."""
    from kit.extract.stance_scores import score

    cues = annotated.cues[annotated.cues["category"].astype(str) != "learned"]
    stance = annotated.stance.drop(columns=["russia", "west", "russia_score", "west_score"])
    labels = score(cues, stance[["article_id", "sentence_id"]])
    return stance.merge(labels, on=["article_id", "sentence_id"], how="left"), cues


def predictions(annotated, segment: str | None = "body", rules_only: bool = False) -> dict[str, pd.DataFrame]:
    """The kit's answers as frames comparable with the gold: actor mentions, figures and quotes in sentences
    of `segment`, and every sentence with its stance labels and holder (0/0 when the kit has no stance row);
    `rules_only`: the stance labels of the rules alone (`rules_alone`)."""
    sentences = annotated.sentences[["article_id", "sentence_id", "segment", "start", "end", "text"]].astype({"article_id": "string"})
    keep = sentences if segment is None else sentences[sentences["segment"].astype("string") == segment]
    keys = keep[["article_id", "sentence_id"]]

    def within(table: pd.DataFrame) -> pd.DataFrame:
        return table.astype({"article_id": "string"}).merge(keys, on=["article_id", "sentence_id"])

    mentions = within(annotated.mentions)
    mentions = mentions[mentions["actor_type"].astype("string") != "region"] if "actor_type" in mentions else mentions
    stance, cues = rules_alone(annotated) if rules_only else (annotated.stance, annotated.cues)
    stance, cues = stance.astype({"article_id": "string"}), cues.astype({"article_id": "string"})
    evidence = (cues.assign(cue=cues["side"].astype(str) + ":" + cues["pattern"].astype(str) + "(" + cues["polarity"].astype(str) + ")")
                .groupby(["article_id", "sentence_id"])["cue"].agg(" ".join).rename("evidence").reset_index())
    labelled = (sentences.merge(stance[["article_id", "sentence_id", "russia", "west", "holder_id"]], on=["article_id", "sentence_id"], how="left")
                .merge(evidence, on=["article_id", "sentence_id"], how="left"))
    labelled[["russia", "west"]] = labelled[["russia", "west"]].fillna(0).astype("int64")
    labelled["holder_id"] = labelled["holder_id"].astype("string").fillna("")
    figures = within(annotated.figures)
    return {"actors": mentions.astype({"actor_id": "string"}), "figures": figures, "quotes": within(annotated.quotes).astype({"speaker_id": "string"}),
            "stance": labelled}


class Scores(NamedTuple):
    """Per-article counts a measure is computed from, and the disagreements."""

    counts: dict[str, pd.DataFrame]   # measure name → one row per article: the columns its formula needs
    errors: pd.DataFrame
    confusion: dict[str, pd.DataFrame]


def _overlap(a_start, a_end, b_start, b_end) -> int:
    return max(0, min(a_end, b_end) - max(a_start, b_start))


def _match(gold: pd.DataFrame, predicted: pd.DataFrame, same) -> list[tuple[int | None, int | None]]:
    """One-to-one pairs (gold row, predicted row) of one article: spans that overlap and `same(g, p)` holds,
    largest overlap first; unmatched rows pair with None."""
    candidates = []
    for gi, g in gold.iterrows():
        for pi, p in predicted.iterrows():
            size = _overlap(g["start"], g["end"], p["start"], p["end"])
            if size > 0 and same(g, p):
                candidates.append((-size, gi, pi))
    used_g, used_p, pairs = set(), set(), []
    for _, gi, pi in sorted(candidates):
        if gi not in used_g and pi not in used_p:
            used_g.add(gi), used_p.add(pi), pairs.append((gi, pi))
    pairs += [(gi, None) for gi in gold.index if gi not in used_g]
    pairs += [(None, pi) for pi in predicted.index if pi not in used_p]
    return pairs


def most_overlapping(rows: pd.DataFrame, start: int, end: int):
    """The row of `rows` (start, end columns) whose span overlaps [start, end) most, or None."""
    if not len(rows):
        return None
    overlap = np.clip(np.minimum(rows["end"].to_numpy(), end) - np.maximum(rows["start"].to_numpy(), start), 0, None)
    return rows.iloc[int(np.argmax(overlap))] if overlap.max() > 0 else None


def _by_article(frame: pd.DataFrame, article_id: str) -> pd.DataFrame:
    return frame[frame["article_id"] == article_id]


def _prf_counts(rows: list[dict], articles: list[str], bucket: str | None = None) -> pd.DataFrame:
    table = pd.DataFrame(rows, columns=["article_id", "bucket", "outcome"])
    if bucket is not None:
        table = table[table["bucket"] == bucket]
    counts = pd.crosstab(table["article_id"], table["outcome"]).reindex(index=articles, columns=["tp", "fp", "fn"], fill_value=0)
    return counts.fillna(0).astype("int64")


def score_spans(gold: pd.DataFrame, predicted: pd.DataFrame, articles: list[str], *, identity: str, texts: dict[str, str],
                same=None, bucket_of=None, attributes: dict | None = None) -> Scores:
    """Span detection P/R/F per article (a predicted span counts when it overlaps a gold span and `same` holds),
    optionally per bucket (persons / others), and accuracy of `attributes` (name → (gold column, predicted
    column, equal function)) on the matched pairs."""
    same = same or (lambda g, p: True)
    bucket_of = bucket_of or (lambda g, p: "all")
    attributes = attributes or {}
    outcomes, errors, agree = [], [], {name: [] for name in attributes}
    for article_id in articles:
        g_rows, p_rows = _by_article(gold, article_id), _by_article(predicted, article_id)
        text = texts[article_id]
        for gi, pi in _match(g_rows, p_rows, same):
            g = gold.loc[gi] if gi is not None else None
            p = predicted.loc[pi] if pi is not None else None
            outcome = "tp" if g is not None and p is not None else ("fn" if p is None else "fp")
            outcomes.append({"article_id": article_id, "bucket": bucket_of(g, p), "outcome": outcome})
            span = g if g is not None else p
            row = {"article_id": article_id, "start": int(span["start"]), "end": int(span["end"]), "surface": text[int(span["start"]):int(span["end"])],
                   "gold": "" if g is None else str(g[identity[0]]), "predicted": "" if p is None else str(p[identity[1]]),
                   "problem": {"fn": "missed", "fp": "spurious", "tp": ""}[outcome]}
            for name, (g_col, p_col, equal) in attributes.items():
                if outcome == "tp":
                    ok = bool(equal(g[g_col], p[p_col]))
                    agree[name].append({"article_id": article_id, "correct": int(ok), "total": 1})
                    if not ok:
                        errors.append({**row, "problem": f"wrong {name}", "gold": str(g[g_col]), "predicted": str(p[p_col])})
            if outcome != "tp":
                errors.append(row)
    table = pd.DataFrame(outcomes, columns=["article_id", "bucket", "outcome"])
    counts = {"all": _prf_counts(outcomes, articles)}
    for bucket in sorted(set(table["bucket"])):
        if bucket != "all":
            counts[bucket] = _prf_counts(outcomes, articles, bucket)
    for name, rows in agree.items():
        frame = pd.DataFrame(rows, columns=["article_id", "correct", "total"]).groupby("article_id")[["correct", "total"]].sum()
        counts[name] = frame.reindex(articles, fill_value=0)
    return Scores(counts, pd.DataFrame(errors), {})


def score_stance(gold: pd.DataFrame, sentences: pd.DataFrame, articles: list[str], *, holder_equal=None) -> Scores:
    """Stance per gold sentence: the kit sentence that overlaps it most gives the predicted labels (0/0 when
    none); per-article confusion counts for each side, and holder agreement."""
    holder_equal = holder_equal or (lambda g, p, row: g == p)
    counts = {side: [] for side in SIDES}
    holders, errors = [], []
    for article_id in articles:
        kit_rows = _by_article(sentences, article_id)
        for g in _by_article(gold, article_id).itertuples():
            p = most_overlapping(kit_rows, g.start, g.end)
            guess = {side: 0 if p is None else int(p[side]) for side in SIDES}
            holder = "" if p is None else str(p["holder_id"])
            for side in SIDES:
                counts[side].append({"article_id": article_id, "gold": int(getattr(g, side)), "kit": guess[side]})
            right_holder = bool(holder_equal(g.holder_id, holder, g))
            holders.append({"article_id": article_id, "correct": int(right_holder), "total": 1})
            wrong = [side for side in SIDES if guess[side] != getattr(g, side)] + ([] if right_holder else ["holder"])
            if wrong:
                errors.append({"article_id": article_id, "start": g.start, "end": g.end, "surface": g.sentence,
                               "problem": "wrong " + "+".join(wrong),
                               "gold": f"russia {g.russia:+d} west {g.west:+d} holder {g.holder_id or '-'}",
                               "predicted": f"russia {guess['russia']:+d} west {guess['west']:+d} holder {holder or '-'}",
                               "evidence": "" if p is None or pd.isna(p.get("evidence")) else p["evidence"]})
    out, confusion = {}, {}
    for side in SIDES:
        frame = pd.DataFrame(counts[side], columns=["article_id", "gold", "kit"])
        cells = [f"{a}|{b}" for a in LABELS for b in LABELS]
        cross = (frame.assign(cell=frame["gold"].astype(str) + "|" + frame["kit"].astype(str))
                 .pipe(lambda f: pd.crosstab(f["article_id"], f["cell"])).reindex(index=articles, columns=cells, fill_value=0))
        out[side] = cross.fillna(0).astype("int64")
        confusion[side] = pd.DataFrame(cross.sum().to_numpy().reshape(3, 3), index=[f"gold {v:+d}" for v in LABELS], columns=[f"kit {v:+d}" for v in LABELS])
    out["holder"] = pd.DataFrame(holders, columns=["article_id", "correct", "total"]).groupby("article_id")[["correct", "total"]].sum().reindex(articles, fill_value=0)
    return Scores(out, pd.DataFrame(errors), confusion)


def macro_f1_cells(cells: np.ndarray) -> np.ndarray:
    """Macro-F1 over the three labels from flattened 3×3 confusion counts (…, 9), as scikit-learn's
    `f1_score(labels=[-1, 0, 1], average="macro", zero_division=0)`: a label's F1 is 0 when undefined."""
    m = cells.reshape(*cells.shape[:-1], 3, 3).astype(float)
    tp = np.diagonal(m, axis1=-2, axis2=-1)
    both = m.sum(axis=-1) + m.sum(axis=-2)
    with np.errstate(invalid="ignore", divide="ignore"):
        f1 = np.where(both > 0, 2 * tp / both, 0.0)
    return f1.mean(axis=-1)


def _f1(c: np.ndarray) -> np.ndarray:
    tp, fp, fn = c[..., 0], c[..., 1], c[..., 2]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(2 * tp + fp + fn > 0, 2 * tp / (2 * tp + fp + fn), np.nan)


def _precision(c):
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(c[..., 0] + c[..., 1] > 0, c[..., 0] / (c[..., 0] + c[..., 1]), np.nan)


def _recall(c):
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(c[..., 0] + c[..., 2] > 0, c[..., 0] / (c[..., 0] + c[..., 2]), np.nan)


def _accuracy(c):
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(c[..., 1] > 0, c[..., 0] / c[..., 1], np.nan)


def _measure(name: str, counts: pd.DataFrame, formula, n: int, weights: np.ndarray) -> dict:
    """The measure on all articles and its 95 % percentile bootstrap interval (articles resampled)."""
    matrix = counts.to_numpy(dtype=float)
    value = float(formula(matrix.sum(axis=0)))
    resampled = formula(weights @ matrix)
    resampled = resampled[~np.isnan(resampled)]
    low, high = (np.percentile(resampled, [2.5, 97.5]) if len(resampled) else (np.nan, np.nan))
    return {"measure": name, "value": value, "low": float(low), "high": float(high), "n": int(n)}


def catalogue_ids() -> set[str]:
    from kit.extract.catalogue import default_catalogue

    return set(default_catalogue().actors["actor_id"].astype(str))


def _same_actor(known: set[str]):
    """A gold actor and a kit mention agree when their ids are equal, or when the gold person is not in the
    catalogue and the kit found a person of its own (a provisional NEW_ id)."""
    def same(g, p) -> bool:
        if g["actor_id"] == p["actor_id"]:
            return True
        return g["type"] == "person" and g["actor_id"] not in known and str(p["actor_id"]).startswith("NEW_")
    return same


def _same_value(gold_value, kit_value) -> bool:
    return bool(pd.notna(kit_value) and abs(float(kit_value) - float(gold_value)) <= 0.005 * max(abs(float(gold_value)), 1e-9))


def _same_year(gold_year, kit_year) -> bool:
    if pd.isna(gold_year):
        return pd.isna(kit_year)
    return pd.notna(kit_year) and int(gold_year) == int(kit_year)


def _same_speaker(known: set[str]):
    """A quote's speaker: equal ids, or a person the catalogue lacks whom the kit found itself (NEW_)."""
    def same(gold_id, kit_id) -> bool:
        kit_id = "" if pd.isna(kit_id) else str(kit_id)
        return gold_id == kit_id or (kit_id.startswith("NEW_") and bool(gold_id) and gold_id not in known)
    return same


def _holder_equal(gold: Gold, predicted: dict, known: set[str]):
    """Holder agreement: equal ids (empty = no holder), or a person the catalogue lacks whom the kit found as a
    NEW_ person mentioned at the same place as the gold holder in that article."""
    mentions = predicted["actors"]
    def equal(g_id, p_id, row) -> bool:
        if g_id == p_id:
            return True
        if not (p_id.startswith("NEW_") and g_id and g_id not in known):
            return False
        spans_g = gold.actors[(gold.actors["article_id"] == row.article_id) & (gold.actors["actor_id"] == g_id)]
        spans_p = mentions[(mentions["article_id"] == row.article_id) & (mentions["actor_id"] == p_id)]
        return any(_overlap(a.start, a.end, b.start, b.end) for a in spans_g.itertuples() for b in spans_p.itertuples())
    return equal


def score_all(gold: Gold, predicted: dict, articles: list[str], known: set[str] | None = None,
              scored: dict[str, list[str]] | None = None) -> dict[str, Scores]:
    """Every layer's per-article counts and disagreements, for the given articles (`scored`: layer → the
    articles that layer is scored on, when not all of them; the others count zero)."""
    known = catalogue_ids() if known is None else known
    scored = scored or {}
    on = lambda layer: scored.get(layer, articles)  # noqa: E731
    actors_gold = gold.actors[~gold.actors["type"].isin(NOT_ACTORS)]
    group = lambda g, p: "persons" if (g is not None and g["type"] == "person") or (g is None and p["actor_type"] == "person") else "others"
    kit_figures = predicted["figures"].assign(year=predicted["figures"]["year"].astype("Float64"))
    scores = {
        "stance": score_stance(gold.stance, predicted["stance"], on("stance"), holder_equal=_holder_equal(gold, predicted, known)),
        "actors": score_spans(actors_gold, predicted["actors"], on("actors"), identity=("actor_id", "actor_id"), texts=gold.texts,
                              same=_same_actor(known), bucket_of=group),
        "figures": score_spans(gold.figures, kit_figures, on("figures"), identity=("surface", "surface"), texts=gold.texts,
                               attributes={"value": ("value", "value", _same_value), "year": ("year", "year", _same_year),
                                           "kind": ("kind", "kind", lambda a, b: str(a) == str(b))}),
        "quotes": score_spans(gold.quotes, predicted["quotes"], on("quotes"), identity=("speaker_id", "speaker_id"), texts=gold.texts,
                              attributes={"speaker": ("speaker_id", "speaker_id", _same_speaker(known))}),
    }
    scores = {layer: result._replace(counts={key: counts.reindex(articles, fill_value=0) for key, counts in result.counts.items()})
              for layer, result in scores.items() if len(getattr(gold, layer)) and on(layer)}  # a layer without gold has no measures
    return scores


MEASURES = [  # (name, layer, counts key, formula)
    ("stance russia macro-F1", "stance", "russia", macro_f1_cells),
    ("stance west macro-F1", "stance", "west", macro_f1_cells),
    ("stance holder accuracy", "stance", "holder", _accuracy),
    ("actors precision", "actors", "all", _precision),
    ("actors recall", "actors", "all", _recall),
    ("actors F1", "actors", "all", _f1),
    ("actors F1, persons", "actors", "persons", _f1),
    ("actors F1, others", "actors", "others", _f1),
    ("figures precision", "figures", "all", _precision),
    ("figures recall", "figures", "all", _recall),
    ("figures F1", "figures", "all", _f1),
    ("figures value accuracy", "figures", "value", _accuracy),
    ("figures year accuracy", "figures", "year", _accuracy),
    ("figures kind accuracy", "figures", "kind", _accuracy),
    ("quotes F1", "quotes", "all", _f1),
    ("quotes speaker accuracy", "quotes", "speaker", _accuracy),
]


def _n(layer: str, key: str, counts: pd.DataFrame) -> int:
    total = counts.to_numpy().sum(axis=0)
    if layer == "stance" and key in SIDES:
        return int(total.sum())
    if key in ("all", "persons", "others"):
        return int(total[0] + total[2])  # gold items
    return int(total[1])


def measures(scores: dict[str, Scores], articles: list[str], split: str, *, n_boot: int = 1000, seed: int = 0) -> pd.DataFrame:
    """The table of measures of one split, with bootstrap intervals over its articles."""
    rng = np.random.default_rng(seed)
    weights = rng.multinomial(len(articles), [1 / len(articles)] * len(articles), size=n_boot).astype(float) if articles else np.zeros((0, 0))
    rows = []
    for name, layer, key, formula in MEASURES:
        counts = scores[layer].counts.get(key) if layer in scores else None
        if counts is None or not len(articles):
            continue
        rows.append({"split": split, **_measure(name, counts, formula, _n(layer, key, counts), weights)})
    return pd.DataFrame(rows)
