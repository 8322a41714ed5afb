"""kit.arabic.text: matching form built on camel-tools, offsets that always point back into the original text."""

import re

import numpy as np
import pytest
from camel_tools.tokenizers.word import simple_word_tokenize
from hypothesis import given, settings
from hypothesis import strategies as st

from kit.arabic import text as T

from .conftest import SEED_IDS

# Arabic letters, diacritics, tatweel, Persian letters and digits, presentation forms, Latin, punctuation
ARABISH = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0x0600, max_codepoint=0x06FF),
        st.characters(min_codepoint=0xFB50, max_codepoint=0xFDFF),
        st.characters(min_codepoint=0xFE70, max_codepoint=0xFEFF),
        st.sampled_from(list(" \n\t.,؟!؛«»\"'()-–…%$€₽0123456789abcXYZ\u200f\u200c\u00a0")),
    ),
    max_size=200,
)


@pytest.mark.parametrize("article_id", SEED_IDS)
def test_matching_form_is_camel_tools_chain_plus_folding(seed_texts, article_id):
    text = seed_texts[article_id]
    expected = T.camel_normalize(text).translate(T._FOLD)
    assert T.normalize(text) == expected
    assert T.normalize_with_offsets(text).text == expected


@pytest.mark.parametrize("article_id", SEED_IDS)
def test_every_token_and_sentence_of_every_seed_points_back_into_the_text(seed_texts, article_id):
    text = seed_texts[article_id]
    tokens = T.tokenize(text)
    assert [t.surface for t in tokens] == simple_word_tokenize(text)
    for token in tokens:
        assert text[token.start : token.end] == token.surface
    sentences = T.split_sentences(text)
    assert len(sentences) > 10
    for sentence in sentences:
        assert text[sentence.start : sentence.end] == sentence.surface
    # in order, not overlapping, and no word of the article left outside every sentence
    ends = [0] + [s.end for s in sentences]
    starts = [s.start for s in sentences] + [len(text)]
    assert all(end <= start for end, start in zip(ends, starts))
    left_out = [text[end:start] for end, start in zip(ends, starts) if re.search(r"\w", text[end:start])]
    assert not left_out


def test_folding_of_the_seed_forms():
    # seed 002's tag line writes آسیا with a Persian yeh; seed 004 dates in Arabic-Indic digits
    assert T.normalize("آسیا الوسطى") == "اسيا الوسطي"
    assert T.normalize("١١ أبريل ٢٠٢٣") == "11 ابريل 2023"
    assert T.normalize("٢٨٫٢ و١٬٥٠٠ و۱۲") == "28.2 و1,500 و12"
    assert T.normalize("سور الكريملِن") == "سور الكريملن"
    assert T.normalize("كـبـيـر إكليلاً قيادة") == "كبير اكليلا قياده"
    assert T.normalize("ﻻ ﷲ") == "لا الله"  # presentation forms expand (camel-tools' NFKC)


def test_span_covers_trailing_diacritics_and_expanded_characters():
    text = "قال مراراً، ﻻ بد"
    normalized = T.normalize_with_offsets(text)
    start = normalized.text.index("مرارا")
    assert text[slice(*normalized.span(start, start + 5))] == "مراراً"
    lam_alef = normalized.text.index("لا")
    assert text[slice(*normalized.span(lam_alef, lam_alef + 2))] == "ﻻ"
    assert text[slice(*normalized.span(lam_alef, lam_alef + 1))] == "ﻻ"


@settings(max_examples=300, deadline=None)
@given(ARABISH)
def test_offsets_hold_for_any_text(text):
    normalized = T.normalize_with_offsets(text)
    assert normalized.text == T.normalize(text)
    assert len(normalized.index) == len(normalized.text)
    assert np.all(np.diff(normalized.index) >= 0)
    for i, char in enumerate(normalized.text):
        start, end = normalized.span(i, i + 1)
        assert char in T.normalize(text[start:end])
    for span in T.split_sentences(text) + T.tokenize(text):
        assert text[span.start : span.end] == span.surface


@pytest.mark.parametrize(
    "text, expected",
    [
        ("بلغت 28.2 مليار دولار. وقال لافروف", ["بلغت 28.2 مليار دولار.", "وقال لافروف"]),
        ("التقى د. محمد بالوزير. ثم غادر", ["التقى د. محمد بالوزير.", "ثم غادر"]),
        ("مع الولايات المتحدة.. وترامب يفهم", ["مع الولايات المتحدة..", "وترامب يفهم"]),
        ("هل ستنضم؟ لا؛ ليس الآن!\nسطر جديد", ["هل ستنضم؟", "لا؛", "ليس الآن!", "سطر جديد"]),
        ('وأضاف: "لكنه شريكنا الإستراتيجي". وتابع', ['وأضاف: "لكنه شريكنا الإستراتيجي".', "وتابع"]),
        ("موقع 24.ae و https://t.co/zWsn6TNl3w هنا", ["موقع 24.ae و https://t.co/zWsn6TNl3w هنا"]),
    ],
)
def test_sentence_boundaries(text, expected):
    assert [s.surface for s in T.split_sentences(text)] == expected


def test_a_run_without_sentence_punctuation_is_cut_at_commas_or_spaces(seed_texts):
    """A scraped page with no . ! ? ؟ ؛ … or line break would be one sentence; past MAX_SENTENCE characters
    it is cut (at a comma, else a space), so that per-sentence rules stay linear on it."""
    text = " ".join(seed_texts["004_2fa40185600453ab"].translate({ord(c): " " for c in ".!?؟؛…\n"}).split()) * 40
    sentences = T.split_sentences(text)
    assert len(sentences) > len(text) // T.MAX_SENTENCE
    for sentence in sentences:
        assert text[sentence.start : sentence.end] == sentence.surface
        assert len(sentence.surface) <= T.MAX_SENTENCE
    cut = [s.surface for s in sentences[:-1]]
    assert all(s.endswith("،") for s in cut) or all(" " not in text[s.end - 1 : s.end] for s in sentences[:-1])
    assert " ".join(s.surface for s in sentences).split() == text.split()  # nothing lost, no word split
    glued = "ب" * (3 * T.MAX_SENTENCE)  # no space at all: cut at the limit
    assert [len(s.surface) for s in T.split_sentences(glued)] == [T.MAX_SENTENCE] * 3
