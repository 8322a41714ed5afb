"""kit.viz.reader: an article as right-to-left HTML, sentences tinted by segment, mentions, cues or figures
marked at their offsets, and every piece of article text escaped."""

from html.parser import HTMLParser

import pandas as pd

import kit
from kit.viz.reader import article_html, sentence_html


class Marks(HTMLParser):
    """The text of every <mark> and the direction of the outer block."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.marks, self.dir, self._open = [], None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.dir is None and tag == "div":
            self.dir = attrs.get("dir")
        if tag == "mark":
            self._open = [attrs.get("title"), ""]

    def handle_data(self, data):
        if self._open is not None:
            self._open[1] += data

    def handle_endtag(self, tag):
        if tag == "mark" and self._open is not None:
            self.marks.append(tuple(self._open))
            self._open = None


def parsed(html: str) -> Marks:
    marks = Marks()
    marks.feed(html)
    return marks


def test_mentions_are_marked_at_their_offsets_right_to_left(annotated):
    article_id = annotated.articles["article_id"].iloc[0]
    page = parsed(article_html(annotated, article_id, highlight="mentions"))
    assert page.dir == "rtl"
    mentions = annotated.mentions[annotated.mentions["article_id"] == article_id]
    surfaces = set(mentions["surface"].astype(str))
    assert page.marks and {text for _, text in page.marks} <= surfaces
    assert all(title.split(" · ")[0] in set(mentions["actor_id"].astype(str)) for title, _ in page.marks)


def test_a_sentence_shows_its_cues_and_only_its_own(annotated):
    cue = annotated.cues.iloc[0]
    sentence = annotated.sentences[(annotated.sentences["article_id"] == cue["article_id"]) & (annotated.sentences["sentence_id"] == cue["sentence_id"])].iloc[0]
    page = parsed(sentence_html(annotated, cue["article_id"], int(cue["sentence_id"])))
    own = annotated.cues[(annotated.cues["article_id"] == cue["article_id"]) & (annotated.cues["sentence_id"] == cue["sentence_id"])]
    text = annotated.articles.set_index("article_id").loc[cue["article_id"], "text"]
    assert {t for _, t in page.marks} <= {text[r.start : r.end] for r in own.itertuples()}
    assert all(sentence["start"] <= r.start and r.end <= sentence["end"] for r in own.itertuples())


def test_the_segments_shown_can_be_limited(annotated):
    article_id = annotated.sentences.loc[annotated.sentences["segment"] != "body", "article_id"].iloc[0]
    everything = article_html(annotated, article_id)
    body = article_html(annotated, article_id, segments=["body"])
    assert len(body) < len(everything)
    assert 'title="related' not in body and 'title="tags' not in body


def test_article_text_is_escaped(tmp_path):
    corpus = kit.load_corpus(pd.DataFrame({"article_id": ["x"], "title": ["<b>عنوان</b>"],
                                           "text": ["<script>alert(1)</script> قال لافروف إن روسيا شريك."]}))
    annotated = kit.annotate(corpus, cache=False)
    html = article_html(annotated, "x", highlight="mentions")
    assert "<script>" not in html and "&lt;script&gt;" in html and "<b>" not in html
