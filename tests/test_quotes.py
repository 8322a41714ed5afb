"""kit.extract.quotes: who said what in the seeds, with speakers resolved to actors and quotes as spans."""

import pytest


def quotes_of(annotated, article_id):
    quotes = annotated.quotes[annotated.quotes["article_id"] == article_id]
    return quotes.merge(annotated.sentences[["article_id", "sentence_id", "segment"]])


def quote_starting(annotated, article_id, words):
    quotes = quotes_of(annotated, article_id)
    found = quotes[quotes["quote"].str.startswith(words)]
    assert len(found) == 1, quotes[["speaker_id", "quote"]].values.tolist()
    return found.iloc[0]


@pytest.mark.parametrize(
    "article_id, words, speaker, method, direct",
    [
        ("000_cea7cba6d4a6a0b3", "يمكننا أن نعتبر زيارتكم", "KAZ_TOKAYEV", "subject", True),  # «وقال توكاييف لماكرون»
        ("000_cea7cba6d4a6a0b3", "الجانبين يعتزمان مناقشة", "KAZ_GOV", "subject", False),  # «وقالت حكومة كازاخستان إن»
        ("000_cea7cba6d4a6a0b3", "الغرب يحاول إبعاد", "RUS_LAVROV", "subject", False),  # «وقال وزير الخارجية الروسي، سيرغي لافروف، ... إن»
        ("002_e6f550ea9df77be0", "كازاخستان \"مستقلة\"", "RUS_PESKOV", "subject", False),  # after the glued tweet signature
        ("002_e6f550ea9df77be0", "لكنه شريكنا الإستراتيجي", "RUS_PESKOV", "previous", True),  # «وأضاف:»
        ("001_911741716f96cebe", "هذا هو الطريق لبلدكم", "FRA_MACRON", "continuation", True),  # paragraph opening with “
        ("001_911741716f96cebe", "أنا لا أقلل", "FRA_MACRON", "participle", True),  # «وأثنى ماكرون ... قائلاً:»
        ("003_187d395c4a0346df", "ستحدد مجالات جديدة", "RUS_PUTIN", "clause subject", False),  # «أشاد بوتين ... و قال إنها»
        ("004_2fa40185600453ab", "كازاخستان هي واحدة من الشركاء", "RUS_MFA", "anaphora", False),  # «كما ذكرت الوزارة»
        ("004_2fa40185600453ab", "بالإضافة إلى المفاوضات مع لافروف", "KAZ_SMADIYAROV", "subject", True),
    ],
)
def test_speakers_of_the_seeds(annotated, article_id, words, speaker, method, direct):
    quote = quote_starting(annotated, article_id, words)
    assert (quote["speaker_id"], quote["method"], bool(quote["direct"])) == (speaker, method, direct)


def test_a_direct_quote_spans_the_sentences_it_covers(annotated):
    quote = quote_starting(annotated, "004_2fa40185600453ab", "في المرحلة الأولى نتحدث")
    assert quote["speaker_id"] == "RUS_PESKOV"
    assert quote["quote"].endswith("بقيمة 260 مليار روبل")
    inside = annotated.sentences.query("article_id == '004_2fa40185600453ab' and start > @quote.start and end <= @quote.end + 2")
    assert len(inside) >= 3  # no second attribution for the sentences inside the quote
    assert not quotes_of(annotated, "004_2fa40185600453ab")["sentence_id"].isin(inside["sentence_id"]).any()


def test_quoted_names_and_scare_quotes_are_not_quotes(annotated):
    assert not annotated.quotes["quote"].isin(["القاهرة الإخبارية", "مستقلة", "تاس"]).any()


def test_quote_and_verb_offsets_point_into_the_text(annotated):
    texts = annotated.articles.set_index("article_id")["text"]
    for row in annotated.quotes.itertuples():
        assert texts[row.article_id][row.start : row.end] == row.quote
    with_verb = annotated.quotes.dropna(subset=["verb"])
    assert len(with_verb) > 0
    for row in with_verb.itertuples():
        assert texts[row.article_id][row.verb_start : row.verb_end] == row.verb


def test_every_body_quote_has_a_speaker(annotated):
    body = annotated.quotes.merge(annotated.body()[["article_id", "sentence_id"]])
    assert len(body) >= 30
    assert body["speaker_id"].notna().all(), body[body["speaker_id"].isna()][["article_id", "quote"]].values.tolist()
