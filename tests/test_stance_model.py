"""kit.extract.stance_model and kit.analysis.stance_training: the learned stance component reads what scikit-learn fitted,
from a numpy file (no pickle), and the pipeline adds its cue where the rules leave a side undecided."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

import kit
from kit.analysis import stance_training
from kit.analysis.aggregation import gold_sentences
from kit.arabic.text import normalize
from kit.extract.stance_model import SIDE_TOKENS, StanceModel, model_text, ngrams


@pytest.fixture(scope="module")
def seeds():
    return kit.load(progress=False)


@pytest.fixture(scope="module")
def table(seeds):
    return stance_training.training_set(seeds, gold_sentences().astype({"russia": int, "west": int}))


def test_mentions_become_side_tokens_so_the_model_reads_roles_not_names():
    sentence = "انتقد لافروف سياسة واشنطن تجاه كازاخستان"
    norm = normalize(sentence)
    mentions = [(norm.index("لافروف"), norm.index("لافروف") + 6, "russia"), (norm.index("واشنطن"), norm.index("واشنطن") + 6, "west"),
                (norm.index("كازاخستان"), len(norm), None)]
    text = model_text(norm, (0, len(norm)), mentions)
    assert text.split() == ["انتقد", SIDE_TOKENS["russia"], "سياسه", SIDE_TOKENS["west"], "تجاه", SIDE_TOKENS[None]]
    assert SIDE_TOKENS["west"] in ngrams(text) and " ان" in ngrams(text) and "سيا" in ngrams(text)


def test_the_numpy_model_gives_the_probabilities_scikit_learn_gives(table, tmp_path):
    from scipy.sparse import csr_matrix, hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    model = stance_training.fit(table)
    path = tmp_path / "model.npz"
    model.save(path)
    assert b"pickle" not in path.read_bytes()[:200]
    loaded = StanceModel.load(path)
    # the same fit done directly with scikit-learn
    def pairs(text):  # consecutive words (side tokens whole), written here apart from the kit's own
        words = re.findall(r"§[ROW]§|[^\W\d_]+|\d+", text)
        return [f"{a} {b}" for a, b in zip(words, words[1:])]

    assert stance_training.WORD_PAIRS
    vectorizer = TfidfVectorizer(analyzer=lambda t: ngrams(t, *stance_training.NGRAM_RANGE) + pairs(t), sublinear_tf=True, min_df=2)
    words = vectorizer.fit_transform(table["text"])
    features = hstack([words, csr_matrix(np.clip(table[stance_training.NUMERIC].to_numpy(float), -3, 3) / 3)]).tocsr()
    for side in ("russia", "west"):
        reference = LogisticRegression(C=stance_training.C, class_weight="balanced", max_iter=5000).fit(features, table[side])
        expected = reference.predict_proba(features[:20])
        for i in range(20):
            row = table.iloc[i]
            got = loaded.predict(row["text"], {n: row[n] for n in stance_training.NUMERIC})[side].probabilities
            assert got == pytest.approx(expected[i][[list(reference.classes_).index(c) for c in (-1, 0, 1)]], abs=1e-6)


def test_a_malformed_model_file_is_refused_with_its_name(table, tmp_path):
    model = stance_training.fit(table)
    model.coef["west"] = model.coef["west"][:, :-5]
    path = tmp_path / "broken.npz"
    model.save(path)
    with pytest.raises(ValueError, match=r"broken\.npz: coef_west has shape"):
        StanceModel.load(path)


def test_cross_validation_reports_rules_model_and_both(table):
    report = stance_training.cross_validate(table, folds=3)
    assert {"rules", "model", "gate", "add"} <= set(report["mode"])
    assert report[["russia", "west"]].apply(lambda c: c.between(0, 1)).all().all()
    rules = report[report["mode"] == "rules"].iloc[0]
    assert rules["mean"] > 0.9  # the rules were written from these sentences


def test_the_learned_cue_fires_only_where_no_rule_cue_decides(seeds, table, tmp_path, monkeypatch):
    """With a model that always reads −1 for the West, only the West-mentioning sentences whose rule score
    stays under the threshold get a learned cue, and the cue's offsets point into the article."""
    model = stance_training.fit(table)
    n = len(model.names)
    model.coef["west"][:] = 0.0
    model.intercept["west"][:] = [5.0, 0.0, -5.0]
    model.coef["russia"][:] = 0.0
    model.intercept["russia"][:] = [0.0, 5.0, 0.0]
    path = tmp_path / "always_anti_west.npz"
    model.save(path)
    from kit import pipeline

    resources = pipeline.Resources.default()
    resources.model = StanceModel.load(path)
    text = kit.load_corpus().articles.set_index("article_id").loc["002_e6f550ea9df77be0", "text"]
    rows = pipeline.annotate_article("002_e6f550ea9df77be0", text, pd.Timestamp("2023-11-12"), resources)
    learned = [c for c in rows["cues"] if c[4] == "learned"]
    assert learned and all(c[2] == "west" and c[5] == -1 for c in learned)
    rules = {}
    for c in rows["cues"]:
        if c[4] != "learned" and c[2] == "west":
            rules[c[1]] = rules.get(c[1], 0.0) + c[5] * c[6] * kit.StanceLexicon.default().categories[c[4]]
    assert all(abs(rules.get(c[1], 0.0)) < 0.5 for c in learned)
    assert all(text[c[8]:c[9]] for c in learned)
    assert n == len(model.names)


def test_an_article_read_at_once_gives_what_each_sentence_read_alone_gives(table):
    """predict_many (how the pipeline calls the model, one article's sentences together) keeps every
    sentence's features to itself: the same probabilities, labels and n-grams as one predict per sentence."""
    model = StanceModel.default()
    rows = table.head(40)
    texts, scores = rows["text"].tolist(), [{n: r[n] for n in stance_training.NUMERIC} for _, r in rows.iterrows()]
    together = model.predict_many(texts, scores)
    labels = set()
    for text, score, batched in zip(texts, scores, together):
        alone = model.predict(text, score)
        for side in ("russia", "west"):
            assert batched[side].probabilities == pytest.approx(alone[side].probabilities, abs=1e-12)
            assert (batched[side].label, batched[side].evidence) == (alone[side].label, alone[side].evidence)
            labels.add(batched[side].label)
    assert labels == {-1, 0, 1}  # the sentences read cover every label
    assert model.predict_many([], []) == []
