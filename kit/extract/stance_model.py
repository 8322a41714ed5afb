"""The learned stance component: where no rule cue fires, a linear model reads the sentence.

One multinomial logistic regression per side (Russia, the West) over TF-IDF character n-grams of the
sentence in the kit's matching form and its pairs of consecutive words, with every actor mention replaced by a token of its side («§R§» for
Russia, «§W§» for the West, «§O§» for any other actor: the model learns «انتقد §W§», not names), plus the
rule scores of the sentence. Its weights, vocabulary and IDF sit in `data/stance_model.npz` (numpy arrays,
no pickle) with the settings they were trained with; `StanceModel.predict` gives per side the probabilities
of −1/0/+1 and the n-grams that drove the label, which the pipeline adds to the `cues` table as one cue of
category `learned` (its weight, like any category's, is a slider). Training (`python -m kit.analysis.stance_training`,
see that module) fits on the seed gold, the validation `dev` gold and tests/training with scikit-learn and writes the file.
This module imports numpy and kit.base.lexicons only.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate, chain
from pathlib import Path
from typing import NamedTuple, Sequence

import numpy as np

from kit.base.lexicons import data_path

__all__ = ["StanceModel", "Prediction", "features_of", "learned_evidence", "model_text", "ngrams", "word_pairs", "MODEL_FILE", "SIDE_TOKENS"]

MODEL_FILE = "stance_model.npz"
SIDE_TOKENS = {"russia": "§R§", "west": "§W§", None: "§O§"}
LABELS = np.array([-1, 0, 1])
WORD_CACHE = 300_000
_WORD_RE = re.compile(r"§[ROW]§|[^\W\d_]+|\d+")
_SIDE_ONLY_RE = re.compile(r"(?:§[ROW]§ ?)+")


def model_text(norm: str, span: tuple[int, int], mentions: Sequence[tuple[int, int, str | None]]) -> str:
    """The sentence norm[span] (matching form) as the model reads it: each mention (start, end, side) inside
    it replaced by its side token."""
    pieces, at = [], span[0]
    for m_start, m_end, side in sorted(mentions):
        if m_start < at or m_end > span[1]:
            continue
        pieces += [norm[at:m_start], f" {SIDE_TOKENS.get(side, SIDE_TOKENS[None])} "]
        at = m_end
    pieces.append(norm[at:span[1]])
    return "".join(pieces)


def ngrams(text: str, low: int = 2, high: int = 4) -> list[str]:
    """Character n-grams of each word padded with spaces (« شر», «شرا» ...), side tokens whole."""
    found = []
    for word in _WORD_RE.findall(text):
        if word.startswith("§"):
            found.append(word)
            continue
        padded = f" {word} "
        for n in range(low, high + 1):
            found.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
    return found


def word_pairs(text: str) -> list[str]:
    """Consecutive words as one feature each («انتقد §W§», «العقوبات §W§»): which word stands next to a side,
    which n-grams of single words cannot tell."""
    return _pairs(_WORD_RE.findall(text))


def _pairs(words: Sequence[str]) -> list[str]:
    return [f"{a} {b}" for a, b in zip(words, words[1:])]


def features_of(text: str, low: int = 2, high: int = 4, pairs: bool = True) -> list[str]:
    """Every feature of a model text: its character n-grams (`ngrams`) and, with `pairs`, its word pairs."""
    return ngrams(text, low, high) + (word_pairs(text) if pairs else [])


class Prediction(NamedTuple):
    probabilities: np.ndarray  # P(−1), P(0), P(+1)
    label: int
    evidence: list[str]  # the n-grams that pushed most toward the label


@dataclass(frozen=True)
class StanceModel:
    names: list[str]  # the n-gram of each feature
    vocabulary: dict[str, int]
    idf: np.ndarray
    coef: dict[str, np.ndarray]  # side → (3, n_features + n_numeric)
    intercept: dict[str, np.ndarray]  # side → (3,)
    settings: dict
    _words: dict = field(default_factory=dict, repr=False, compare=False)  # word → its n-gram indices
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def load(cls, path: str | Path | None = None) -> "StanceModel":
        path = Path(path) if path else data_path(MODEL_FILE)
        with np.load(path) as data:  # numpy refuses object arrays by default: plain arrays only
            names = [str(g) for g in data["vocabulary"]]
            settings = json.loads(str(data["settings"]))
            try:
                return cls(names, {g: i for i, g in enumerate(names)}, data["idf"], {s: data[f"coef_{s}"] for s in ("russia", "west")},
                           {s: data[f"intercept_{s}"] for s in ("russia", "west")}, settings)
            except ValueError as exc:
                raise ValueError(f"{path}: {exc}") from None

    @classmethod
    @lru_cache(maxsize=1)
    def default(cls) -> "StanceModel | None":
        """The bundled model, or None when the kit has none."""
        path = data_path(MODEL_FILE)
        return cls.load(path) if path.is_file() else None

    def features(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Indices and TF-IDF values (sublinear tf, l2-normalised) of a model text's known n-grams."""
        index, values, _, _ = self._tfidf([text])
        return index, values

    def _tfidf(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[int]]:
        """The features of several texts in one array: indices, TF-IDF values, the text of each, and where
        each text's features begin (a sparse matrix's rows)."""
        counts = [self._counts(text) for text in texts]
        lengths = [len(c) for c in counts]
        total = sum(lengths)
        index = np.fromiter(chain.from_iterable(counts), dtype=np.int64, count=total)
        values = (1 + np.log(np.fromiter(chain.from_iterable(c.values() for c in counts), dtype=float, count=total))) * self.idf[index]
        rows = np.repeat(np.arange(len(texts)), lengths)
        values /= np.sqrt(np.bincount(rows, weights=values * values, minlength=len(texts)))[rows]
        return index, values, rows, [0, *accumulate(lengths)]

    def _counts(self, text: str) -> Counter:
        """How often each known n-gram occurs in a text, in the order first seen. A word's n-gram indices are
        looked up once per process (words repeat: most of a corpus is a few thousand)."""
        low, high = self.settings["ngram_range"]
        cache, vocabulary = self._words, self.vocabulary
        if len(cache) > WORD_CACHE:
            cache.clear()
        grams: list[int] = []
        words = _WORD_RE.findall(text)
        for word in words:
            known = cache.get(word)
            if known is None:
                known = cache[word] = [vocabulary[g] for g in ngrams(word, low, high) if g in vocabulary]
            grams += known
        if self.settings.get("word_pairs"):
            grams += [i for i in map(vocabulary.get, _pairs(words)) if i is not None]
        return Counter(grams)

    def numeric(self, scores: dict[str, float]) -> np.ndarray:
        """The rule scores as the model's extra features (clipped to ±3, scaled to ±1)."""
        return np.array([min(3.0, max(-3.0, float(scores.get(name, 0.0)))) / 3 for name in self.settings["numeric"]])

    def predict(self, text: str, scores: dict[str, float], evidence: int = 3) -> dict[str, Prediction]:
        """P(−1), P(0), P(+1) per side, the label (the most probable) and, for −1/+1, the n-grams that pushed
        most toward it rather than toward 0."""
        return self.predict_many([text], [scores], evidence)[0]

    def predict_many(self, texts: Sequence[str], scores: Sequence[dict[str, float]], evidence: int = 3) -> list[dict[str, Prediction]]:
        """`predict` for several texts at once (an article's sentences): their features in one array, one
        product with the weights."""
        all_index, all_values, rows, offsets = self._tfidf(texts)
        # the sparse product: each feature's value times its weights, summed per text
        terms = self._cache["text_weights"][all_index] * all_values[:, None]
        text_logits = np.column_stack([np.bincount(rows, weights=terms[:, k], minlength=len(texts)) for k in range(terms.shape[1])])
        extra = np.array([self.numeric(s) for s in scores]).reshape(len(texts), len(self.settings["numeric"]))
        weights, n_text = self._stacked, len(self.names)
        logits = (text_logits + extra @ weights[:, n_text:].T + self._bias).reshape(-1, 2, 3)
        p = np.exp(logits - logits.max(axis=2, keepdims=True))
        p /= p.sum(axis=2, keepdims=True)
        bests = p.argmax(axis=2).tolist()
        out = []
        for begin, end, probabilities, best_of in zip(offsets, offsets[1:], p, bests):
            index, values, sides = all_index[begin:end], all_values[begin:end], {}
            for row, side in enumerate(("russia", "west")):
                best = best_of[row]
                top: list[str] = []
                if best != 1 and len(index):
                    push = (weights[3 * row + best, index] - weights[3 * row + 1, index]) * values
                    ranked = (self.names[i].strip() for i in index[np.argsort(-push)[: 3 * evidence + 3]])
                    top = [g for g in dict.fromkeys(ranked) if not _SIDE_ONLY_RE.fullmatch(g)][:evidence]  # «§R§» alone says nothing
                sides[side] = Prediction(probabilities[row], int(LABELS[best]), top)
            out.append(sides)
        return out

    @property
    def _stacked(self) -> np.ndarray:
        return self._cache["stacked"]

    @property
    def _bias(self) -> np.ndarray:
        return self._cache["bias"]

    def __post_init__(self):
        width = len(self.names) + len(self.settings["numeric"])
        for side in ("russia", "west"):
            if self.coef[side].shape != (3, width) or self.intercept[side].shape != (3,):
                raise ValueError(f"coef_{side} has shape {self.coef[side].shape}, expected (3, {width})")
        self._cache["stacked"] = np.vstack([self.coef["russia"], self.coef["west"]])
        self._cache["bias"] = np.concatenate([self.intercept["russia"], self.intercept["west"]])
        self._cache["text_weights"] = np.ascontiguousarray(self._cache["stacked"][:, : len(self.names)].T)

    def save(self, path: str | Path) -> None:
        arrays = {f"{kind}_{side}": getattr(self, kind)[side] for kind in ("coef", "intercept") for side in ("russia", "west")}
        np.savez_compressed(path, vocabulary=np.array(self.names, dtype=str), idf=self.idf, settings=np.array(json.dumps(self.settings, ensure_ascii=False)), **arrays)


def rule_scores(evidence, category_weights: dict[str, float]) -> dict[str, float]:
    """The sentence's score per side from its rule cues, with the default category weights."""
    scores = {"russia_score": 0.0, "west_score": 0.0}
    for e in evidence:
        if e.category != "learned":
            scores[f"{e.side}_score"] += e.polarity * e.weight * category_weights.get(e.category, 1.0)
    return scores


def learned_evidence(model: StanceModel, norm: str, sentences: Sequence[tuple[tuple[int, int], Sequence, list]],
                     category_weights: dict[str, float]) -> list[list]:
    """The model's cues for each of an article's `sentences` (span, actors, rule evidence), read together
    (one `predict_many`): a cue for each side the sentence mentions and where it reads −1 or +1 (in "gate"
    mode only in sentences where no rule cue decides either side: rules where a cue decides, the model where
    none does): polarity its label, weight its margin P(label) − P(0), at the first of the n-grams that
    drove it (the sentence when none is found)."""
    from kit.extract.stance_lexicon import THRESHOLD

    gate = model.settings.get("mode") == "gate"
    asked = []  # (number, span, sides, model text, rule scores) of the sentences the model could change
    for number, (span, actors, evidence) in enumerate(sentences):
        scores = rule_scores(evidence, category_weights)
        decided = gate and any(abs(v) >= THRESHOLD for v in scores.values())
        sides = {a.side for a in actors if a.side and not decided}
        if sides:
            asked.append((number, span, sides, model_text(norm, span, [(a.start, a.end, a.side) for a in actors]), scores))
    found: list[list] = [[] for _ in sentences]
    if asked:
        predicted = model.predict_many([a[3] for a in asked], [a[4] for a in asked])
        for (number, span, sides, _, _), guesses in zip(asked, predicted):
            found[number] = _learned_cues(norm, span, sides, guesses)
    return found


def _learned_cues(norm: str, span: tuple[int, int], sides: set[str], predicted: dict[str, Prediction]) -> list:
    from kit.extract.stance_lexicon import Evidence

    found = []
    for side in sorted(sides):
        guess = predicted[side]
        if guess.label == 0 or not guess.evidence:
            continue  # no word of the sentence pushed toward the label (a sentence that is only a name): no cue
        start, end = span
        for gram in guess.evidence:  # the first n-gram, or the word of a pair that is not a side token, found in the sentence
            word = next((w for w in gram.split(" ") if w and not w.startswith("§")), "")
            at = norm.find(word, *span) if word else -1
            if at >= 0:
                start, end = at, at + len(word)
                break
        margin = float(guess.probabilities[guess.label + 1] - guess.probabilities[1])
        found.append(Evidence(start, end, side, "learned: " + " | ".join(guess.evidence), "learned", guess.label, round(margin, 4), False))
    return found
