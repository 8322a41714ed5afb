"""kit.analysis.search: keyword-in-context hits matched in the matching form, with clitics; actors by name; the dashboard."""

import pandas as pd
import pytest

import kit
from kit.analysis.search import search, search_counts


def _corpus(*texts, **columns):
    return kit.annotate(kit.load_corpus(pd.DataFrame({"text": list(texts), **columns})), progress=False)


def test_a_word_is_found_with_its_proclitics_article_and_pronoun_suffixes():
    text = ("فرضت واشنطن عقوبات جديدة. ورفضت موسكو العقوبات الغربية، وقالت إن بالعقوبات لن تتغير سياستها. "
            "وأكدت أن شراكتنا مع الصين قوية، وأن للعقوبات حدوداً. ولا علاقة للعقوبة الفردية بذلك.")
    annotated = _corpus(text, source=["موقع"], published=["2024-03-05"])
    hits = search(annotated, "العقوبات")
    assert hits["hit"].tolist() == ["عقوبات", "العقوبات", "بالعقوبات", "للعقوبات"]  # not «للعقوبة»: another word
    assert all(text[s:e] == h for s, e, h in zip(hits["start"], hits["end"], hits["hit"]))
    assert hits["left"].iloc[1].endswith("ورفضت موسكو") and hits["right"].iloc[1].startswith("الغربية")
    assert hits["source"].tolist() == ["موقع"] * 4 and hits["segment"].tolist() == ["body"] * 4
    assert search(annotated, "شراكة")["hit"].tolist() == ["شراكتنا"]
    assert search(annotated, "العقوبات الغربية")["hit"].tolist() == ["العقوبات الغربية"]
    # spelling variants of the matching form: hamza on alef, ى/ي, ة/ه
    assert search(annotated, "اكدت")["hit"].tolist() == ["وأكدت"]
    counts = search_counts(hits)
    assert counts[["source", "month", "hits"]].values.tolist() == [["موقع", "2024-03", 4]]


def test_an_actor_is_found_by_its_name_in_every_spelling_the_actor_layer_knows(annotated):
    hits = search(annotated, "Vladimir Putin")
    mentions = annotated.mentions.merge(annotated.sentences[annotated.sentences["segment"] == "body"][["article_id", "sentence_id"]])
    putin = mentions[mentions["actor_id"] == "RUS_PUTIN"]
    assert len(hits) == len(putin) > 5 and set(hits["match"]) == {"actor"}
    assert set(hits["hit"]) == set(putin["surface"]) and "بوتين" in set(hits["hit"])
    assert len(search(annotated, "RUS_PUTIN")) == len(hits)
    texts = annotated.articles.set_index("article_id")["text"]
    assert all(texts[a][s:e] == h for a, s, e, h in zip(hits["article_id"], hits["start"], hits["end"], hits["hit"]))
    assert len(search(annotated, "Vladimir Putin", segments=None)) >= len(hits)
    with pytest.raises(ValueError, match="no actor"):
        search(annotated, "Nobody Atall", actor=True)
    with pytest.raises(ValueError, match="empty"):
        search(annotated, "   ", actor=False)


def test_the_search_dashboard_lists_counts_opens_and_exports_the_hits(annotated, tmp_path):
    board = kit.SearchDashboard(annotated, outdir=tmp_path, query="العقوبات")
    found = board.found
    assert len(found) == len(search(annotated, "العقوبات")) > 3
    assert sum(sum(t.y) for t in board.charts["counts"].data) == len(found)
    assert board.lines.value.count("<tr>") == len(found) + 1
    board.hits.value = 2
    hit = found.iloc[2]
    assert f">{hit['hit']}</mark>" in board.reader.value  # the reader marks the hit
    result = board.export("counts", formats=("csv",))
    rows = pd.read_csv(result.paths["csv"], encoding="utf-8-sig")
    assert rows[["article_id", "start", "end", "hit"]].values.tolist() == found[["article_id", "start", "end", "hit"]].values.tolist()
    assert "sentence" in rows.columns
    board.query.value = "Vladimir Putin"
    assert set(board.found["match"]) == {"actor"}
    board.labels.value = "ar"
    assert board.charts["counts"].layout.title.text == "\u2067النتائج حسب الشهر والمصدر\u2069"


def test_article_text_is_escaped_in_the_hit_lines():
    annotated = _corpus('قال <script>alert("x")</script> إن العقوبات الغربية فشلت.')
    board = kit.SearchDashboard(annotated, query="العقوبات")
    assert "<script>" not in board.lines.value and "&lt;script&gt;" in board.lines.value
