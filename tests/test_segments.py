"""kit.arabic.segments: body versus related stories, tags and boilerplate, on the seeds' own page furniture."""

from pathlib import Path

import pandas as pd
import pytest

import kit
from kit.arabic.segments import Segmenter


def segments_of(annotated, article_id: str) -> pd.DataFrame:
    return annotated.sentences[annotated.sentences["article_id"] == article_id]


def test_every_hand_picked_body_sentence_is_a_body_sentence(annotated):
    gold = pd.read_csv(kit.base.lexicons.data_path("stance_gold.csv"), dtype=str, keep_default_na=False)  # hand-labelled, independent of the segmenter
    body = annotated.body()
    found = gold.merge(body, left_on=["article_id", "sentence"], right_on=["article_id", "text"], how="left")
    missing = found[found["sentence_id"].isna()]
    assert missing.empty, missing[["article_id", "sentence"]].to_string()


@pytest.mark.parametrize(
    "article_id, words",
    [
        ("000_cea7cba6d4a6a0b3", ["بوريطة", "المغرب", "فارهيلي", "ترامب"]),  # Moroccan story, related list
        ("002_e6f550ea9df77be0", ["زيلينسكي", "ترامب", "منظمة التعاون والأمن"]),  # story after إقرأ أيضاً
        ("003_187d395c4a0346df", ["كورسك", "ماريوبول", "اللواء 810"]),  # Kursk story after إقرأ أيضاً
    ],
)
def test_unrelated_stories_at_the_end_are_not_body(annotated, article_id, words):
    sentences = segments_of(annotated, article_id)
    for word in words:
        holding = sentences[sentences["text"].str.contains(word, regex=False)]
        assert len(holding) > 0, word
        assert (holding["segment"] != "body").all(), word


def test_page_furniture_labels(annotated):
    s = annotated.sentences
    by_text = lambda a, t: s[(s["article_id"] == a) & (s["text"] == t)]["segment"].tolist()  # noqa: E731
    assert by_text("004_2fa40185600453ab", "Ru En") == ["boilerplate"]
    assert by_text("004_2fa40185600453ab", "١١ أبريل ٢٠٢٣") == ["boilerplate"]
    assert by_text("004_2fa40185600453ab", 'مجموعة الرؤية الاستراتيجية "روسيا – العالم الإسلامي"') == ["boilerplate"]
    assert by_text("001_911741716f96cebe", "[ad_1]") == ["boilerplate"]
    assert by_text("003_187d395c4a0346df", "تابع أحدث الأخبار عبر تطبيق") == ["boilerplate"]
    # seed 001 repeats its title: counted once
    assert by_text("001_911741716f96cebe", "ماكرون يزور كازاخستان في جولة استراتيجية بآسيا الوسطى") == ["body", "boilerplate"]
    tags = s[s["text"].str.startswith("كلمات دلالية")]
    assert sorted(tags["article_id"].str[:3]) == ["000", "002", "003"] and (tags["segment"] == "tags").all()


def test_tweet_signature_glued_to_a_sentence_is_cut_off(annotated):
    s = segments_of(annotated, "002_e6f550ea9df77be0")
    signature = s[s["text"] == "— 24.ae (@20fourMedia) November 1, 2023"]
    assert signature["segment"].tolist() == ["boilerplate"]
    peskov = s[s["text"].str.startswith("وقال بيسكوف إن كازاخستان")]
    assert peskov["segment"].tolist() == ["body"]
    assert peskov["start"].iloc[0] == signature["end"].iloc[0]


def test_reasons_explain_the_labels(annotated):
    s = annotated.sentences.set_index(["article_id", "sentence_id"])
    assert s.loc[("004_2fa40185600453ab", 1), "reason"] == "title"
    assert s.loc[("001_911741716f96cebe", 1), "reason"] == "repeat of line 0"
    related = annotated.sentences.query("segment == 'related'")["reason"]
    assert (related.str.startswith("after ") | related.str.startswith("headline linked by line ") | (related == "read_also")).all()


def test_researchers_can_supply_their_own_rules(tmp_path):
    rules = tmp_path / "segments.csv"
    rules.write_text("name,pattern,action,segment,note\nmore,^للمزيد,ends_body,boilerplate,\n", encoding="utf-8")
    text = "عنوان\nنص الخبر الأول.\nللمزيد\nخبر آخر لا علاقة له."
    labels = [s.segment for s in Segmenter(rules).sentences(text)]
    assert labels == ["body", "body", "boilerplate", "related"]


def test_a_bad_rule_names_its_line(tmp_path):
    from kit.base.lexicons import LexiconError

    rules = tmp_path / "segments.csv"
    rules.write_text("name,pattern,action,segment,note\nok,^x,label,tags,\nbad,^(unclosed,label,tags,\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"segments.csv, line 3: column 'pattern'.*invalid regular expression"):
        Segmenter(rules)



SEED_004 = Path(__file__).resolve().parents[1] / "seeds" / "004_2fa40185600453ab.txt"
LINKED = "لافروف: روسيا مستعدة لبناء محطة نووية بكازاخستان في إطار التعاون بين البلدين"  # seed 002's related story


def _labels(text: str) -> list[tuple[str, str]]:
    return [(text[s.start : s.end], s.segment) for s in Segmenter().sentences(text)]


@pytest.mark.parametrize("marker", ["إقرأ أيضاً", "اقرأ أيضا", "اقرأ ايضا", "إقرأ أيضا", "شاهد أيضا", "طالع أيضاً", "اقرأ المزيد"])
@pytest.mark.parametrize("same_line", [False, True])
def test_an_inline_read_also_marks_only_itself_and_its_headline(marker, same_line):
    text = SEED_004.read_text(encoding="utf-8")
    at = text.index("وأشار سابقاً السكرتير الصحفي")  # a body paragraph in the middle of seed 004
    link = f"{marker}: {LINKED}\n" if same_line else f"{marker}:\n{LINKED}\n"
    linked = _labels(text[:at] + link + text[at:])
    inserted = [(t, seg) for t, seg in linked if t in link]
    assert inserted and all(seg == "related" for _, seg in inserted), inserted
    assert [x for x in linked if x[0] not in link] == _labels(text)  # every sentence of the article keeps its label
    assert next(seg for t, seg in linked if t.startswith("وأشار سابقاً")) == "body"  # the paragraph after the link


def test_a_read_also_after_the_source_line_still_ends_the_body(annotated):
    # seeds 002 and 003: «المصدر: ...» then «إقرأ أيضاً:» and a whole unrelated story
    s = annotated.sentences
    marker = s[s["text"].str.startswith("إقرأ أيضاً")]
    assert sorted(marker["article_id"].str[:3]) == ["000", "002", "003"] and (marker["segment"] == "related").all()


def test_a_line_that_is_only_a_time_is_boilerplate():
    # dev d18: «• 2021-12-20» then «• 13:57» under the headline
    text = (Path(__file__).resolve().parent / "validation" / "articles" / "d18_awalan.txt").read_text(encoding="utf-8")
    labels = [(text[s.start : s.end], s.segment, s.reason) for s in Segmenter().sentences(text)][:3]
    assert [(t, seg) for t, seg, _ in labels[1:]] == [("• 2021-12-20", "boilerplate"), ("• 13:57", "boilerplate")]
    assert labels[2][2] == "time_line"
    assert [s.segment for s in Segmenter().sentences("عنوان الخبر\nتنطلق الأعمال الساعة 10:30 صباحا.")] == ["body", "body"]
