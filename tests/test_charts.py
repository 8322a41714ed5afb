"""kit.charts: builders from tidy rows, English and Arabic labels, stable trace structure."""

import kit
from kit import charts


def test_arabic_labels_are_bidi_isolated_and_english_labels_are_english(annotated):
    mentions = annotated.mentions.merge(annotated.body()[["article_id", "sentence_id"]])
    arabic = charts.actor_bars(mentions, labels="ar")
    english = charts.actor_bars(mentions, labels="en")
    russia_ar = [y for y in arabic.data[0].y]
    assert "\u2067روسيا\u2069" in russia_ar
    assert "Russia" in english.data[0].y
    assert "Noto Naskh Arabic" in arabic.layout.font.family
    assert arabic.layout.title.text == "\u2067إشارات الفاعلين حسب المعسكر\u2069"


def test_traces_keep_their_structure_whatever_the_filter(annotated):
    mentions = annotated.mentions
    full = charts.actor_bars(mentions)
    russians = charts.actor_bars(mentions[mentions["bloc"] == "russia"])
    assert [t.name for t in full.data] == [t.name for t in russians.data] == [charts.word(b) for b in charts.BLOC_ORDER]
    assert sum(len(t.x) for t in russians.data[1:]) == 0


def test_bars_count_the_rows_they_are_given(annotated):
    mentions = annotated.mentions.merge(annotated.body()[["article_id", "sentence_id"]])
    figure = charts.actor_bars(mentions, top=1000)
    assert sum(sum(t.x) for t in figure.data) == len(mentions)
    stance = kit.widgets.in_context(annotated.stance, annotated)
    bars = charts.stance_bars(stance, "article_id")
    assert bars.data[0].customdata.tolist() if hasattr(bars.data[0].customdata, "tolist") else list(bars.data[0].customdata) == stance.groupby("article_id").size().tolist()


def test_article_text_in_labels_is_escaped():
    assert charts.safe('<img src=x onerror="alert(1)">') == "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"
    assert charts.safe("موقع <24>") == "\u2067موقع &lt;24&gt;\u2069"
