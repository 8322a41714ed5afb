"""The validation corpus (tests/validation) and its scorer (kit.analysis.validation).

The corpus: every gold span points into its article, the test split is frozen by SHA-256 hashes, the corpus
has the size and spread the guidelines promise. The scorer: a perfect prediction scores 1.0 and one known
error costs exactly what it should; `kit.validate` and `python -m kit validate` run on a researcher's own
gold folder.
"""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import kit
from kit.analysis import gold as g
from kit.analysis import scoring as sc

FOLDER = g.VALIDATION_DIR
GOLD = g.read_gold(FOLDER)


# --- the corpus ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", list(g.GOLD_FILES))
def test_every_gold_span_points_into_its_article(name):
    frame = getattr(GOLD, name)
    span_column = g.GOLD_FILES[name][1]
    assert len(frame) > 0
    for row in frame.itertuples():
        assert GOLD.texts[row.article_id][row.start:row.end] == getattr(row, span_column), (name, row.line)


def test_a_wrong_offset_is_an_error_naming_the_file_and_line(tmp_path):
    folder = _copy_folder(tmp_path, ["metadata.csv", "gold_stance.csv", "gold_actors.csv", "gold_figures.csv", "gold_quotes.csv"])
    rows = list(csv.reader(open(folder / "gold_actors.csv", encoding="utf-8")))
    header = rows[0]
    rows[3][header.index("end")] = str(int(rows[3][header.index("end")]) + 1)
    with open(folder / "gold_actors.csv", "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    with pytest.raises(g.GoldError, match=r"gold_actors\.csv, line 4: text\["):
        g.read_gold(folder)


def _copy_folder(tmp_path: Path, names: list[str]) -> Path:
    import shutil

    folder = tmp_path / "gold"
    shutil.copytree(FOLDER / "articles", folder / "articles")
    for name in names:
        shutil.copy(FOLDER / name, folder / name)
    return folder


def test_the_test_split_is_frozen_by_its_hashes():
    split = pd.read_csv(FOLDER / "split.csv", dtype=str, keep_default_na=False)
    test = split[split["split"] == "test"]
    assert len(test) >= 20
    for row in test.itertuples():
        assert g.text_hash(GOLD.texts[row.article_id]) == row.sha256_text, f"{row.article_id}: the article text changed"
        assert g.gold_hash(GOLD, row.article_id) == row.sha256_gold, f"{row.article_id}: its gold rows changed"


def test_the_split_covers_every_article_once_and_keeps_outlets_and_stories_apart():
    split = pd.read_csv(FOLDER / "split.csv", dtype=str, keep_default_na=False)
    assert sorted(split["article_id"]) == sorted(GOLD.metadata["article_id"])
    assert set(split["split"]) == {"dev", "test"}
    meta = GOLD.metadata.merge(split, on="article_id")
    outlets = meta.groupby("source")["split"].agg(set)
    assert sum(s == {"test"} for s in outlets) >= 3, "at least three outlets appear only in test"
    stories = meta[meta["story"] != ""].groupby("story")["split"].agg(set)
    assert all(len(s) == 1 for s in stories), "an article's sister reports from other outlets stay in its split"
    assert 0.28 <= (split["split"] == "test").mean() <= 0.40


def test_the_corpus_has_the_size_and_spread_the_guidelines_promise():
    meta = GOLD.metadata
    assert len(meta) >= 60 and meta["source"].nunique() >= 15
    years = pd.to_datetime(meta["published"]).dt.year
    assert years.between(2008, 2026).all()
    stories = meta[meta["story"] != ""].groupby("story")["source"].nunique()
    assert (stories >= 2).sum() >= 3
    assert len(GOLD.stance) >= 300 and len(GOLD.figures) >= 120
    assert (~GOLD.actors["type"].isin(g.NOT_ACTORS)).sum() >= 300
    assert set(GOLD.actors["type"]) >= {"person", "country", "organisation", "region"}
    for side in g.SIDES:
        assert set(GOLD.stance[side]) == {-1, 0, 1}


# --- the scorer -------------------------------------------------------------------------------------------

def _perfect(gold: g.Gold) -> dict[str, pd.DataFrame]:
    """What a kit that agrees with every gold row would predict, in the frames `predictions` returns."""
    actors = gold.actors[~gold.actors["type"].isin(g.NOT_ACTORS)]
    stance = gold.stance.assign(holder_id=gold.stance["holder_id"], evidence="")
    return {
        "actors": actors.assign(actor_type=actors["type"])[["article_id", "start", "end", "actor_id", "actor_type"]],
        "figures": gold.figures.assign(year=gold.figures["year"].astype("Float64"))[["article_id", "start", "end", "surface", "value", "year", "kind"]],
        "quotes": gold.quotes[["article_id", "start", "end", "speaker_id"]],
        "stance": stance[["article_id", "start", "end", "russia", "west", "holder_id", "evidence"]],
    }


def _table(gold, predicted, articles):
    scores = sc.score_all(gold, predicted, articles, known=set())
    return sc.measures(scores, articles, "x", n_boot=50).set_index("measure")["value"], scores


def test_a_perfect_prediction_scores_one_everywhere():
    articles = list(GOLD.metadata["article_id"])
    table, scores = _table(GOLD, _perfect(GOLD), articles)
    assert (table == 1.0).all(), table[table != 1.0]
    assert all(len(s.errors) == 0 for s in scores.values())


def test_one_missed_actor_costs_exactly_one_in_recall():
    articles = list(GOLD.metadata["article_id"])
    predicted = _perfect(GOLD)
    n = len(predicted["actors"])
    predicted["actors"] = predicted["actors"].iloc[1:]
    table, scores = _table(GOLD, predicted, articles)
    assert table["actors precision"] == 1.0
    assert table["actors recall"] == pytest.approx((n - 1) / n)
    assert table["actors F1"] == pytest.approx(2 * (n - 1) / (2 * (n - 1) + 1))
    assert list(scores["actors"].errors["problem"]) == ["missed"]


def test_a_wrong_id_on_the_right_span_is_one_miss_and_one_spurious_mention():
    articles = list(GOLD.metadata["article_id"])
    predicted = _perfect(GOLD)
    n = len(predicted["actors"])
    predicted["actors"] = predicted["actors"].copy()
    predicted["actors"].iloc[0, predicted["actors"].columns.get_loc("actor_id")] = "SOMEONE_ELSE"
    table, scores = _table(GOLD, predicted, articles)
    assert table["actors precision"] == pytest.approx((n - 1) / n)
    assert table["actors recall"] == pytest.approx((n - 1) / n)
    assert sorted(scores["actors"].errors["problem"]) == ["missed", "spurious"]


def test_one_wrong_stance_label_costs_what_scikit_learn_says():
    from sklearn.metrics import f1_score

    articles = list(GOLD.metadata["article_id"])
    predicted = _perfect(GOLD)
    stance = predicted["stance"].copy()
    first = stance.index[stance["russia"] == 1][0]
    stance.loc[first, "russia"] = -1
    predicted["stance"] = stance
    table, scores = _table(GOLD, predicted, articles)
    expected = f1_score(GOLD.stance["russia"], stance["russia"], labels=[-1, 0, 1], average="macro", zero_division=0)
    assert table["stance russia macro-F1"] == pytest.approx(expected)
    assert table["stance west macro-F1"] == 1.0
    assert scores["stance"].confusion["russia"].loc["gold +1", "kit -1"] == 1
    assert list(scores["stance"].errors["problem"]) == ["wrong russia"]


def test_a_wrong_figure_year_costs_year_accuracy_only():
    articles = list(GOLD.metadata["article_id"])
    predicted = _perfect(GOLD)
    figures = predicted["figures"].copy()
    has_year = figures.index[figures["year"].notna()][0]
    figures.loc[has_year, "year"] = figures.loc[has_year, "year"] + 1
    predicted["figures"] = figures
    table, _ = _table(GOLD, predicted, articles)
    n = len(figures)
    assert table["figures F1"] == 1.0 and table["figures kind accuracy"] == 1.0
    assert table["figures year accuracy"] == pytest.approx((n - 1) / n)


def test_bootstrap_intervals_hold_the_value_and_narrow_with_more_articles():
    articles = list(GOLD.metadata["article_id"])
    predicted = _perfect(GOLD)
    predicted["actors"] = predicted["actors"].iloc[::2]
    scores = sc.score_all(GOLD, predicted, articles, known=set())
    table = sc.measures(scores, articles, "x", n_boot=400).set_index("measure")
    row = table.loc["actors recall"]
    assert row.low <= row.value <= row.high and row.high - row.low > 0
    few = articles[:10]
    narrow = sc.measures(sc.score_all(GOLD, predicted, few, known=set()), few, "x", n_boot=400).set_index("measure").loc["actors recall"]
    assert (row.high - row.low) < (narrow.high - narrow.low)


# --- validate on a researcher's own gold folder --------------------------------------------------------------

LAVROV = "004_2fa40185600453ab"


def _own_gold(tmp_path: Path) -> Path:
    """A one-article gold folder written by reading the seed article on Lavrov's talks with Nurtleu."""
    text = open(kit.io.records.SEEDS_DIR / f"{LAVROV}.txt", encoding="utf-8", newline="").read()
    folder = tmp_path / "own"
    (folder / "articles").mkdir(parents=True)
    (folder / "articles" / f"{LAVROV}.txt").write_text(text, encoding="utf-8", newline="")
    pd.DataFrame([{"article_id": LAVROV, "title": "لافروف يبحث العلاقات الثنائية", "source": "تاس", "published": "2023-04-11", "url": ""}]).to_csv(folder / "metadata.csv", index=False)

    def span(surface, after=0):
        start = text.index(surface, after)
        return start, start + len(surface)

    actors = []
    for surface, actor_id, kind in [("سيرغي لافروف", "RUS_LAVROV", "person"), ("مراد نورتلو", "KAZ_NURTLEU", "person"), ("الروسي", "RUS", "country")]:
        start, end = span(surface)
        actors.append({"article_id": LAVROV, "start": start, "end": end, "surface": surface, "actor_id": actor_id, "name_en": "", "name_ar": "", "type": kind})
    pd.DataFrame(actors).to_csv(folder / "gold_actors.csv", index=False)
    sentence = "وأكدت وزارة الخارجية الروسية أن موسكو تقدر تقديراً عالياً مثل هذه الخطوة من قبل الأصدقاء الكازاخستانيين."
    start, end = span(sentence)
    pd.DataFrame([{"article_id": LAVROV, "start": start, "end": end, "sentence": sentence, "russia": 1, "west": 0, "holder_id": "RUS_MFA"}]).to_csv(folder / "gold_stance.csv", index=False)
    return folder


def test_validate_scores_a_researchers_own_gold_and_writes_the_disagreements(tmp_path):
    folder = _own_gold(tmp_path)
    result = kit.validate(None, folder, errors_dir=tmp_path / "errors", n_boot=100)
    assert list(result.articles) == ["all"]
    assert result.value("all", "actors recall") == 1.0      # the three mentions are the kit's bread and butter
    assert "stance russia macro-F1" in set(result.table["measure"])
    assert (tmp_path / "errors" / "measures.csv").is_file()
    for path in (tmp_path / "errors").glob("errors-*.csv"):
        errors = pd.read_csv(path, encoding="utf-8-sig", keep_default_na=False)
        text = open(folder / "articles" / f"{LAVROV}.txt", encoding="utf-8", newline="").read()
        assert all(text[r.start:r.end] == r.surface for r in errors.itertuples())


def test_the_command_line_prints_the_table(tmp_path):
    folder = _own_gold(tmp_path)
    done = subprocess.run([sys.executable, "-m", "kit", "validate", str(folder), "--errors-dir", str(tmp_path / "e"), "--bootstrap", "50"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "actors recall" in done.stdout and "1.000" in done.stdout


def test_a_gold_folder_without_metadata_is_a_clear_error(tmp_path):
    done = subprocess.run([sys.executable, "-m", "kit", "validate", str(tmp_path)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "metadata.csv: no such file" in done.stderr


def test_the_training_folder_is_valid_gold_and_shares_no_article_with_the_validation_corpus():
    from kit.analysis.gold import read_gold, text_hash
    from kit.analysis.stance_training import TRAINING_DIR

    training, validation = read_gold(TRAINING_DIR), read_gold()  # every offset checked on reading
    assert len(training.texts) >= 70 and len(training.stance) >= 400
    assert {text_hash(t) for t in training.texts.values()}.isdisjoint(text_hash(t) for t in validation.texts.values())
    urls = lambda gold: set(gold.metadata["url"].dropna()) - {""}  # noqa: E731
    assert urls(training).isdisjoint(urls(validation))
    assert set(training.texts).isdisjoint(validation.texts)
