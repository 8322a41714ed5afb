"""Arabic text layer: camel-tools normalisation and tokenisation that keep character offsets.

Everything the kit reports points back into the original article text, so every operation here pairs a
camel-tools function with an offset map. `normalize` gives the *matching form* of a string — camel-tools'
`normalize_unicode`, `dediac_ar` and alef / alef-maksura / teh-marbuta normalisation, then the folding
table in `data/folding.csv` (Persian letters, tatweel, Arabic-Indic and Persian digits, ٫ ٬, invisible
marks). `normalize_with_offsets` returns the same string together with the original position of each of
its characters, so a match found in the matching form maps back to `text[start:end]`. `tokenize` aligns
camel-tools' `simple_word_tokenize` tokens to their offsets and `split_sentences` cuts text at . ! ? ؟ ؛
and line breaks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

import numpy as np
from camel_tools.tokenizers.word import simple_word_tokenize
from camel_tools.utils.dediac import dediac_ar
from camel_tools.utils.normalize import (
    normalize_alef_ar,
    normalize_alef_maksura_ar,
    normalize_teh_marbuta_ar,
    normalize_unicode,
)

from kit.base.lexicons import Column, data_path, read_table

__all__ = [
    "Normalized",
    "Span",
    "camel_normalize",
    "dediac_ar",
    "normalize",
    "normalize_alef_ar",
    "normalize_alef_maksura_ar",
    "normalize_teh_marbuta_ar",
    "normalize_unicode",
    "normalize_with_offsets",
    "simple_word_tokenize",
    "split_sentences",
    "tokenize",
]


class Span(NamedTuple):
    """A piece of text with its offsets: text[start:end] == surface."""

    start: int
    end: int
    surface: str


# --------------------------------------------------------------------------------------------------
# The matching form


def camel_normalize(s: str) -> str:
    """camel-tools' own normalisation chain: NFKC, dediacritise, alef, alef maksura, teh marbuta."""
    s = normalize_unicode(s)
    s = dediac_ar(s)
    s = normalize_alef_ar(s)
    s = normalize_alef_maksura_ar(s)
    return normalize_teh_marbuta_ar(s)


def _folding_table() -> dict[int, str]:
    rows = read_table(
        data_path("folding.csv"),
        [Column("codepoint", "str", required=True), Column("replacement"), Column("note")],
        row_check=lambda r: None if re.fullmatch(r"U\+[0-9A-Fa-f]{4,6}", r["codepoint"]) else "codepoint must look like U+06CC",
    )
    return {int(cp[2:], 16): (rep or "") for cp, rep in zip(rows["codepoint"], rows["replacement"])}


_FOLD = _folding_table()
_SEP = "\x00"


def _build_tables():
    """Map every BMP character through camel_normalize + folding, once, in one vectorised pass."""
    codepoints = [cp for cp in range(1, 0x10000) if not 0xD800 <= cp <= 0xDFFF]
    joined = _SEP.join(chr(cp) for cp in codepoints)
    mapped = camel_normalize(joined).translate(_FOLD).split(_SEP)
    assert len(mapped) == len(codepoints), "a normaliser merged characters across the separator"
    size = 0x110000
    single = np.arange(size, dtype=np.uint32)  # identity outside the BMP
    length = np.ones(size, dtype=np.uint8)
    multi_offset = np.zeros(size, dtype=np.uint32)
    multi_chars: list[int] = [0]
    translate: dict[int, str] = {}
    for cp, out in zip(codepoints, mapped):
        if out == chr(cp):
            continue
        translate[cp] = out
        length[cp] = len(out)
        if len(out) == 1:
            single[cp] = ord(out)
        elif len(out) > 1:
            multi_offset[cp] = len(multi_chars)
            multi_chars.extend(ord(c) for c in out)
    return single, length, multi_offset, np.array(multi_chars, dtype=np.uint32), translate


_SINGLE, _LENGTH, _MULTI_OFFSET, _MULTI_CHARS, _TRANSLATE = _build_tables()


def normalize(s: str) -> str:
    """The matching form of a string (same characters as normalize_with_offsets(s).text)."""
    return s.translate(_TRANSLATE)


@dataclass(frozen=True)
class Normalized:
    """Matching form of a text plus, for each of its characters, the offset it came from."""

    text: str
    index: np.ndarray  # index[i] = offset in the original text of self.text[i]
    source_length: int

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original (start, end) of the matching-form slice [start:end]; end covers trailing diacritics."""
        original_start = int(self.index[start])
        last = int(self.index[end - 1]) + 1
        following = int(self.index[end]) if end < len(self.index) else self.source_length
        return original_start, max(last, following)

    def spans(self, starts, ends) -> tuple[np.ndarray, np.ndarray]:
        """Vectorised `span` for many slices."""
        starts = np.asarray(starts, dtype=np.int64)
        ends = np.asarray(ends, dtype=np.int64)
        padded = self._padded()
        return padded[starts], np.maximum(padded[ends - 1] + 1, padded[ends])

    def _padded(self) -> np.ndarray:
        """index with the text length appended (made once: spans is called several times per article)."""
        padded = self.__dict__.get("_padded_index")
        if padded is None:
            padded = np.append(self.index, self.source_length)
            object.__setattr__(self, "_padded_index", padded)
        return padded


def normalize_with_offsets(text: str) -> Normalized:
    """Matching form of `text` with an offset map back into `text` (vectorised with numpy)."""
    codepoints = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    lengths = _LENGTH[codepoints]
    if (lengths == 1).all():
        out = _SINGLE[codepoints]
        index = np.arange(len(codepoints), dtype=np.int64)
    else:
        index = np.repeat(np.arange(len(codepoints), dtype=np.int64), lengths)
        repeated = codepoints[index]
        first = np.repeat(np.cumsum(lengths, dtype=np.int64) - lengths, lengths)
        within = np.arange(len(index), dtype=np.int64) - first
        multi = _MULTI_CHARS[_MULTI_OFFSET[repeated] + within * (_LENGTH[repeated] > 1)]
        out = np.where(_LENGTH[repeated] > 1, multi, _SINGLE[repeated])
    norm = out.astype("<u4").tobytes().decode("utf-32-le", "surrogatepass")
    return Normalized(norm, index, len(text))


# --------------------------------------------------------------------------------------------------
# Tokens and sentences


def tokenize(text: str) -> list[Span]:
    """camel-tools' simple_word_tokenize, each token with its offsets into `text`."""
    spans = []
    position = 0
    for token in simple_word_tokenize(text):
        start = text.find(token, position)
        position = start + len(token)
        spans.append(Span(start, position, token))
    return spans


TOKEN_RE = re.compile(r"[^\W\d_]+|\d+|[^\w\s]")  # a word, a number or one mark of the matching form
_LINE_RE = re.compile(r"[^\n\r\u2028\u2029\x85]+")
_INITIAL_RE = re.compile(r"(?:^|\s)\w$")  # "د." (Dr.) or "J." — an initial, not a sentence end
_HAS_WORD_RE = re.compile(r"\w")
# No real sentence is this long (the seeds' longest has 308 characters); longer runs without sentence
# punctuation are cut (see _cut_long), so that per-sentence rules do not turn quadratic on them.
MAX_SENTENCE = 2000


class Punctuation(NamedTuple):
    """The marks of data/punctuation.csv: those that end a sentence, and the closing marks that may follow."""

    sentence_end: str
    closing: str


@lru_cache(maxsize=1)
def punctuation() -> Punctuation:
    table = read_table(data_path("punctuation.csv"), [Column("mark", required=True), Column("role", "choice", required=True, choices=Punctuation._fields), Column("name")],
                       row_check=lambda row: None if len(row["mark"]) == 1 else "a mark is one character")
    return Punctuation(*("".join(table.loc[table["role"] == role, "mark"]) for role in Punctuation._fields))


def mark_class(marks: str) -> str:
    """A regular-expression character class of `marks`: «[.!?]»."""
    return "[" + "".join(re.escape(mark) for mark in marks) + "]"


@lru_cache(maxsize=1)
def _sentence_end_re() -> re.Pattern:
    """A run of terminal punctuation, then closing quotes/brackets, then whitespace or the end of the line:
    "28.2" and "24.ae" do not end sentences because no space follows the dot."""
    marks = punctuation()
    return re.compile(rf"{mark_class(marks.sentence_end)}+{mark_class(marks.closing)}*(?=\s|$)")


def _trimmed(text: str, start: int, end: int) -> Span | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end or not _HAS_WORD_RE.search(text, start, end):
        return None
    return Span(start, end, text[start:end])


def _cut_long(text: str, start: int, end: int) -> list[Span]:
    """text[start:end] as one sentence, or, when it is longer than MAX_SENTENCE characters (a scraped page
    with no sentence punctuation), as pieces cut after the last comma, else the last white space, in the
    second half of each MAX_SENTENCE window — so that rules applied per sentence stay linear."""
    spans: list[Span] = []
    while end - start > MAX_SENTENCE:
        low, limit = start + MAX_SENTENCE // 2, start + MAX_SENTENCE
        cut = max(text.rfind("،", low, limit), text.rfind(",", low, limit)) + 1
        if cut <= 0:
            cut = next((i + 1 for i in range(limit - 1, low - 1, -1) if text[i].isspace()), limit)
        span = _trimmed(text, start, cut)
        if span:
            spans.append(span)
        start = cut
    span = _trimmed(text, start, end)
    if span:
        spans.append(span)
    return spans


def _line_sentences(text: str, start: int, end: int) -> list[Span]:
    spans = []
    piece_start = start
    for match in _sentence_end_re().finditer(text, start, end):
        if match.group() == "." and _INITIAL_RE.search(text, max(start, match.start() - 3), match.start()):
            continue
        spans.extend(_cut_long(text, piece_start, match.end()))
        piece_start = match.end()
    spans.extend(_cut_long(text, piece_start, end))
    return spans


def clause_around(breaks: list[tuple[int, int]], span: tuple[int, int], position: int) -> tuple[int, int]:
    """The stretch of span between the clause breaks (start, end) that surround `position`."""
    start, end = span
    for brk_start, brk_end in breaks:
        if brk_end <= position:
            start = brk_end
        elif brk_start >= position:
            return start, brk_start
    return start, end


def lines(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of each non-empty line of text[start:end]."""
    end = len(text) if end is None else end
    return [(m.start(), m.end()) for m in _LINE_RE.finditer(text, start, end)]


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Sentences of text[start:end], cut at . ! ? ؟ ؛ … and line breaks, with offsets into `text`; a run of
    more than MAX_SENTENCE characters without any is cut at a comma or a space."""
    spans = []
    for line_start, line_end in lines(text, start, end):
        spans.extend(_line_sentences(text, line_start, line_end))
    return spans


# --------------------------------------------------------------------------------------------------
# Lexicon patterns


# Word boundaries that refuse letters only, so a word glued to a number still counts («2023وقال بيسكوف»).
LETTER_BEFORE = r"(?<![^\W\d_])"
LETTER_AFTER = r"(?![^\W\d_])"


def trie_regex(words) -> str:
    """A regular expression matching any of `words` as a character trie, longest alternative first.

    One trie-shaped pattern stays fast with thousands of words (the regex engine only follows the branch
    of the next character), and its greedy optional groups make the longest word win. A space inside a
    word matches any run of white space.
    """
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict) -> str:
        branches = [(r"\s+" if char == " " else re.escape(char)) + build(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(trie)


def split_article(written: str) -> tuple[bool, str]:
    """Whether a lexicon form is written with the article ال, and its matching-form core without it.

    The article is spelled with a plain alef, so «الكرملين» → (True, "كرملين") but «ألكسندر», whose
    matching form also starts with ال, → (False, "الكسندر")."""
    written = written.strip()
    norm = normalize(written).lower()
    if written.startswith("ال") and len(norm) > 3:
        return True, norm[2:]
    return False, norm


def clitic_regex(bare: set[str], with_article: set[str]) -> re.Pattern:
    """Compiled pattern for lexicon forms in the matching form, with Arabic proclitics around them.

    `bare` holds forms written without the article (روسيا, بوتين), `with_article` the cores of forms that
    take ال (كرملين for الكرملين); a core in both sets may appear either way (nisba adjectives: روسي,
    الروسي). Allowed: و/ف, then ب/ك/ل, before a bare form (وبموسكو); و/ف, then ب/ك, then ال (والكرملين);
    و/ف, then لل fused (للكرملين). The proclitics are lazy, so the whole word is tried before any
    stripped variant (بوتين keeps its ب). Group `name` (or `art`, `lil`) is the form itself.
    """
    alternatives = []
    if bare:
        alternatives.append(rf"[وف]??[بكل]??(?P<name>{trie_regex(bare)})")
    if with_article:
        core = trie_regex(with_article)
        alternatives.append(rf"[وف]??[بك]??(?P<art>ال{core})")
        alternatives.append(rf"[وف]??ل(?P<lil>ل{core})")
    return re.compile(LETTER_BEFORE + "(?:" + "|".join(alternatives) + ")" + LETTER_AFTER, re.IGNORECASE)


_FORM_GROUPS = {"name": 0, "art": 2, "lil": 1}  # group → letters before the lookup core (ال of «الكرملين», ل of «للكرملين»)


def clitic_match_core(match: re.Match) -> tuple[str, int, int]:
    """(lookup core, start, end) of a clitic_regex match; start/end span the written form."""
    group = match.lastgroup  # the one form group that took part (the trie inside has no groups)
    if group not in _FORM_GROUPS:
        raise AssertionError("clitic_regex match without a form group")
    value = match.group(group)[_FORM_GROUPS[group] :]
    if not value.isalpha():  # a space inside a form matches any run of white space
        value = " ".join(value.split())
    return value.lower(), match.start(group), match.end(group)


@lru_cache(maxsize=1)
def enclitics() -> tuple[str, ...]:
    """The pronoun suffixes of data/enclitics.csv, longest first."""
    from kit.base.lexicons import Column, data_path, read_table

    table = read_table(data_path("enclitics.csv"), [Column("suffix", required=True), Column("note")])
    return tuple(sorted((normalize(x) for x in table["suffix"]), key=len, reverse=True))


@lru_cache(maxsize=1)
def noun_endings() -> dict[str, tuple[str, ...]]:
    """The case and number endings of data/noun_endings.csv, by what the core ends in (consonant or
    ta_marbuta)."""
    from kit.base.lexicons import Column, data_path, read_table

    table = read_table(data_path("noun_endings.csv"), [Column("ending", required=True),
                                                       Column("after", "choice", required=True, choices=("consonant", "ta_marbuta")), Column("note")])
    return {kind: tuple(normalize(e) for e, a in zip(table["ending"], table["after"]) if a == kind) for kind in ("consonant", "ta_marbuta")}


def with_noun_endings(core: str) -> list[str]:
    """A one-word noun core of four letters or more with its case and number endings (data/noun_endings.csv):
    «تهديد» → «تهديدا», «حليفه» → «حليفتين». Cores ending in a long vowel (ا ى ي و) take none."""
    if " " in core or len(core) < 4 or core[-1] in "اىيو":
        return [core]
    if core.endswith("ه"):
        return [core] + [core[:-1] + "ت" + ending for ending in noun_endings()["ta_marbuta"]]
    return [core] + [core + ending for ending in noun_endings()["consonant"]]


def with_enclitics(core: str) -> list[str]:
    """A one-word lexicon core of four letters or more with its pronoun suffixes (data/enclitics.csv); ة (ه
    in the matching form) becomes ت before them. Shorter cores get none: وزارة must not read as و+زار+ه."""
    if " " in core or len(core) < 4:
        return [core]
    stem = core[:-1] + "ت" if core.endswith("ه") else core
    return [core] + [stem + suffix for suffix in enclitics()]
