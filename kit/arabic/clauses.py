"""Where a clause ends, one definition per purpose, built from the words of data/clause_words.csv: the clause of
a stance cue (a semicolon or sentence end, a comma that opens a coordinated clause, a relative pronoun) and
the clause of a figure's year (a semicolon, a comma before a connector, a quotation closed before a comma, a
full stop glued to the next word). Imports kit.base and kit.arabic.text. Also the words after a speech verb
that open what was said, and those that open a sentence going on with a quote.
"""

from __future__ import annotations

import re
from functools import lru_cache

from kit.arabic.text import LETTER_AFTER, LETTER_BEFORE, trie_regex
from kit.base.lexicons import Column, data_path, read_table

__all__ = ["ROLES", "clause_words", "complementizers", "figure_clause_breaks", "goes_on_re", "reported_that_re", "stance_clause_breaks"]

ROLES = ("connector", "continues", "relative", "complementizer", "reported_that", "goes_on")


@lru_cache(maxsize=1)
def clause_words() -> dict[str, tuple[str, ...]]:
    """role → its words, in file order."""
    table = read_table(data_path("clause_words.csv"), [Column("word", required=True), Column("role", "choice", required=True, choices=ROLES), Column("note")])
    return {role: tuple(table.loc[table["role"] == role, "word"]) for role in ROLES}


def _alternatives(words) -> str:
    """The words as alternatives in file order (the first that matches wins); a space matches any run of it."""
    return "|".join(re.escape(word).replace(r"\ ", r"\s+") for word in words)


@lru_cache(maxsize=1)
def complementizers() -> frozenset[str]:
    return frozenset(clause_words()["complementizer"])


@lru_cache(maxsize=1)
def stance_clause_breaks() -> re.Pattern:
    """A stance clause ends at ؛ or a sentence end, at a comma that opens a new coordinated clause («، وقال
    إن» — not «، ومع الدول الغربية», which continues the phrase before it) and at a relative pronoun
    («المنطقة التي تتمتع فيها روسيا»)."""
    words = clause_words()
    return re.compile(
        rf"[؛;.!?؟]|[،,]\s*(?:و(?!(?:{_alternatives(words['continues'])})\s)(?=\S)|ف(?!ي\s)(?=\S)|{_alternatives(words['connector'])})"
        rf"|{LETTER_BEFORE}[وف]?(?:{_alternatives(words['relative'])}){LETTER_AFTER}"
    )


@lru_cache(maxsize=1)
def figure_clause_breaks() -> re.Pattern:
    """Where a time expression's clause ends: «، وإن الجانبين وقّعا» starts a new one; «، بزيادة» does not.
    The end of a quotation ends a clause too («... بلغ 1.8 تريليون روبل"، مضيفاً "في الفترة من يناير إلى
    سبتمبر 2023»); so does a full stop glued to the next word, where the page lost a space («...
    تجتذبها.وفي 11 شهرا من العام الماضي»), but not the dots of initials («مجموعة سي.اي.تي.اي.سي الصينية»)."""
    return re.compile(rf"[؛;]|(?<=[^\W\d_]{{3}})\.(?=[^\W\d_]{{2}})|[\"»”]\s*[،,]|[،,]\s*(?:[وف](?=\S)|{_alternatives(clause_words()['connector'])})")


@lru_cache(maxsize=1)
def reported_that_re() -> re.Pattern:
    """إن / أن / بأن / أنه ... and «إلى أن» after a speech verb, as whole words of the matching form."""
    return re.compile(rf"(?<!\w)(?:{trie_regex(clause_words()['reported_that'])})(?!\w)")


@lru_cache(maxsize=1)
def goes_on_re() -> re.Pattern:
    """«إنها / إنه / وإن» at the start of a sentence that goes on with the statement before it."""
    return re.compile(rf"\s*و?(?:{trie_regex(clause_words()['goes_on'])}){LETTER_AFTER}")
