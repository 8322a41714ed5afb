"""What a figure is and what the kit knows to read one: the figure and unit records, the kinds, dimensions
and roles they take, number parsing (Western, Arabic-Indic and Persian digits, decimal and thousands
separators, European style), and the FigureLexicon of units, scale and number words, kind cues, context
words, exchange rates and limits read from kit/data (units.csv, numbers.csv, figure_kinds.csv,
figure_context.csv, fx_rates.csv, figure_limits.csv). Imports kit.base and kit.arabic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple, Sequence

import pandas as pd

from kit.arabic.text import (
    LETTER_AFTER,
    LETTER_BEFORE,
    clitic_regex,
    normalize,
    split_article,
    trie_regex,
    with_enclitics,
)
from kit.base.lexicons import Column, data_path, read_table

__all__ = ["DIMENSIONS", "KINDS", "MONEY_KINDS", "PERCENT_KINDS", "Figure", "FigureLexicon", "Unit", "parse_number", "read_number"]


DIMENSIONS = ("money", "energy", "mass", "volume", "length", "area", "percent", "count")
KINDS = ("trade", "investment", "project_value", "aid", "loan", "gdp", "budget", "debt", "revenue", "price", "energy", "production",
         "growth", "share", "rate", "count", "other")


PERCENT_KINDS = ("growth", "share", "rate")
ROLES = ("qualifier", "identifier", "comparison", "compared_from", "range", "equivalence", "since", "per_period", "part_of", "hypothetical", "current", "not_current", "expected", "from", "to",
         "value_of", "past", "financing")
TIMELESS = ("length", "area")  # a distance or an area has no year of its own («523 كيلومترا»)
MONEY_KINDS = ("trade", "investment", "project_value", "aid", "loan", "gdp", "budget", "debt", "revenue", "price")


# «2ر14»: the decimal written before the integer with ر, as Jordanian and other agency copy has it (14.2)
_NUMBER = r"\d{1,3}ر\d+(?![^\W\d_])|\d+(?:[.,]\d+)*"


# A number starts a word, or follows one proclitic that starts a word: «و5 ملايين»، «ب27 مليار» — not «C5+1».
# «نسبة الـ10%»: the article glued to a number (the tatweel is gone in matching form).
_NUMBER_BEFORE = r"(?:(?<=[وبلفك])(?<![^\W\d_][وبلفك])|(?<=ال)(?<![^\W\d_]ال)|(?<![\w.,:/+\-−]))"


# A sign starts a number after a space or an opening bracket: «-5%», «(+3.2%)»; not «2023-2024», not «C5+1».
_SIGNED = r"(?<![^\s(\[])[-−+](?=\d)"
YEAR_RE = re.compile(r"(?<![\d.,])(?:19|20)\d\d(?![\d.,]?\d)")


def parse_number(text: str) -> Decimal | None:
    """A number from its matching form: 1,500 and ١٬٥٠٠ → 1500; 28.2 and ٢٨٫٢ → 28.2; 1,5 → 1.5;
    1.234,5 → 1234.5; 1.234.567 → 1234567; «23. 1» → 23.1; -5 → -5 (see `read_number` for the doubts).

    Decimal, so that scaling is exact (4.1 تريليون is 4 100 000 000 000, not 4 099 999 999 999.9995)."""
    return read_number(text)[0]


# (pattern, how the digits are read, doubt): the first that matches the whole number wins.
_NUMBER_FORMS = (
    (re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?"), lambda t: t.replace(",", ""), "comma3"),  # 1,500 and 1,234,567.5
    (re.compile(r"\d{1,3}(?:\.\d{3})+,\d+"), lambda t: t.replace(".", "").replace(",", "."), None),  # 1.234,5
    (re.compile(r"\d{1,3}(?:\.\d{3}){2,}"), lambda t: t.replace(".", ""), None),  # 1.234.567
    (re.compile(r"\d{1,2}(?:,\d{2})+,\d{3}"), lambda t: t.replace(",", ""), "lakh"),  # 1,23,456 (Indian grouping)
    (re.compile(r"\d+,\d+"), lambda t: t.replace(",", "."), None),  # 1,5 (decimal comma)
    (re.compile(r"\d{1,3}\.\s\d{1,2}"), lambda t: t.replace(" ", ""), "broken"),  # «23. 1»: a stray space in 23.1
    (re.compile(r"\d{1,3}\.\d{3}"), lambda t: t, "dot3"),  # 1.234: a decimal, or thousands in European style
    (re.compile(r"\d{1,3}ر\d+"), lambda t: "{1}.{0}".format(*t.split("ر")), "reversed"),  # «2ر14»: 14.2
    (re.compile(r"\d+(?:\.\d+)?"), lambda t: t, None),
)


def read_number(text: str) -> tuple[Decimal | None, str | None]:
    """(value, doubt) of a number in matching form. The doubt names a reading that could be wrong by a power
    of ten: `comma3` (1,500 read as 1500: a decimal comma would make it 1.5), `dot3` (1.234 read as 1.234:
    a European thousands dot would make it 1234), `broken` («23. 1» read as 23.1), `lakh` (1,23,456),
    `reversed` («2ر14» read as 14.2: the fraction written first, joined by ر)."""
    signed = text[:1] in ("-", "−", "+")
    sign, digits = (-1 if text[:1] != "+" else 1, text[1:]) if signed else (1, text)
    for pattern, reading, doubt in _NUMBER_FORMS:
        if pattern.fullmatch(digits):
            if doubt == "comma3" and (digits.count(",") > 1 or "." in digits):
                doubt = None  # 1,234,567 or 1,234.5: the commas can only be thousands
            return sign * Decimal(reading(digits)), doubt
    return None, None


class Unit(NamedTuple):
    code: str
    dimension: str
    countries: tuple[str, ...]


class Figure(NamedTuple):
    """A figure in matching-form offsets of its text (the annotation maps them to the original)."""

    start: int
    end: int
    value: float
    value_high: float | None
    unit: str
    dimension: str
    qualifier: str | None
    equivalent_value: float | None
    equivalent_unit: str | None
    options: tuple[Unit, ...]  # every unit the word can be: سوم is KGS or UZS
    flag: str | None = None  # why the reading may be wrong (an ambiguous separator, an inherited unit)


@dataclass
class FigureLexicon:
    """The vocabularies of figures, compiled once per process."""

    numbers: dict[str, tuple[float, str]]
    units: dict[str, list[Unit]]
    qualifiers: dict[str, str]
    identifiers: frozenset[str]
    comparisons: frozenset[str]
    compared_from: frozenset[str]
    range: frozenset[str]
    since: frozenset[str]
    per_period: frozenset[str]
    part_of: frozenset[str]
    hypothetical: frozenset[str]
    current: frozenset[str]
    not_current: frozenset[str]
    expected: frozenset[str]
    from_: frozenset[str]
    value_of: frozenset[str]
    past: frozenset[str]
    financing: frozenset[str]
    to: frozenset[str]
    cues: dict[str, list[tuple[str, int, str]]]
    relative: dict[tuple[bool, str], tuple[str, int]]  # (written with ال, matching-form core) → (unit, offset)
    named_month: dict[str, int]  # «الماضي» after a month name → -1: the last such month before publication
    marked_year: dict[str, int]  # «الماضي» after a year → -1: that year was the year before the article's
    fx: dict[str, dict[int, float]]
    limits: dict[str, float]  # unit → the largest plausible value (money: in US dollars)
    # the units written as one sign, which may stand before the number too: «$5 مليارات», «%15», «٪١٥»
    symbols: str = ""
    patterns: dict[str, re.Pattern] = field(default_factory=dict)

    @classmethod
    @lru_cache(maxsize=1)
    def default(cls) -> "FigureLexicon":
        tables = _tables()
        numbers, units, context, kinds, relative = (tables[name] for name in ("numbers", "units", "context", "kinds", "relative"))
        by_role = {role: frozenset(normalize(p) for p in context.loc[context["role"] == role, "phrase"]) for role in ROLES}
        qualifiers = context[context["role"] == "qualifier"]
        unit_map = _unit_map(units)
        lexicon = cls(
            numbers={normalize(w): (v, k) for w, v, k in zip(numbers["word"], numbers["value"], numbers["kind"])},
            units=unit_map,
            qualifiers={normalize(p): v for p, v in zip(qualifiers["phrase"], qualifiers["value"])},
            **{role: by_role[role] for role in _PHRASE_ROLES},
            identifiers=by_role["identifier"],
            comparisons=by_role["comparison"],
            from_=by_role["from"],
            to=by_role["to"],
            cues=_cue_map(kinds),
            relative={split_article(p): (u, o) for p, u, o in zip(relative["phrase"], relative["unit"], relative["offset"]) if u not in _AFTER_A_NAME},
            **{unit: {normalize(p): o for p, u, o in zip(relative["phrase"], relative["unit"], relative["offset"]) if u == unit} for unit in _AFTER_A_NAME},
            fx=_rates(tables["fx"]),
            limits=dict(zip(tables["limits"]["unit"], tables["limits"]["max"])),
            symbols="".join(sorted(name for name in unit_map if len(name) == 1 and not name.isalnum())),
        )
        lexicon._compile(context.loc[context["role"] == "equivalence", "phrase"])
        return lexicon

    def _compile(self, equivalences: Sequence[str]) -> None:
        words = {w for w, (_, kind) in self.numbers.items() if kind == "number"}
        scales = {w for w, (_, kind) in self.numbers.items() if kind in ("scale", "dual")}
        # what starts a figure: a currency symbol, a number, a number word, or a scale word on its own
        percents = {name for name, units in self.units.items() if units[0].dimension == "percent"}
        # «23. 1 بالمئة»: a decimal broken by a stray space, read as one only before a percent or a scale word
        broken = rf"\d{{1,3}}\.\s\d{{1,2}}(?=\s*(?:{trie_regex(percents | scales)}))"
        symbol_class = "".join(re.escape(symbol) for symbol in self.symbols)  # inside [...]
        number_start = rf"(?:{_SIGNED}|{_NUMBER_BEFORE}(?:[{symbol_class}]\s?)?)(?:{broken}|{_NUMBER}(?![\d:]|[.,]\d))"
        # a number word starts a word or follows one proclitic: «بثمانية مليارات دولار»
        word_start = rf"(?:{LETTER_BEFORE}|(?<=[وبلفك])(?<![^\W\d_][وبلفك]))(?:{trie_regex(words)}|{trie_regex(scales)}){LETTER_AFTER}"
        self.patterns = {
            "start": re.compile(f"{number_start}|{word_start}"),
            "number_char": re.compile(rf"[\d{symbol_class}\-−+]"),  # where a number can start
            "number_start": re.compile(number_start),
            "word_start": re.compile(word_start),
            "number": re.compile(_NUMBER),
            "range": re.compile(rf"\s*(?:{trie_regex(self.range)})\s*({_NUMBER})(?![\d:]|[.,]\d)"),  # «500 أو 600 دولة» too
            "scale": re.compile(rf"\s*({trie_regex(scales)}){LETTER_AFTER}"),
            "compound": re.compile(rf"\s*و\s?(\d+)(?![\d.,]\d)(?:\s*({trie_regex(scales)}){LETTER_AFTER})?"),  # «و508 ألف»
            "and_half": re.compile(rf"\s*و\s?نصف{LETTER_AFTER}"),  # «مليار ونصف» is 1.5 مليار
            "teen": re.compile(rf"\s+(عشر|عشره){LETTER_AFTER}"),  # «اثني عشر» is 12
            "and_tens": re.compile(rf"\s+و\s?({trie_regex(w for w in words if self.numbers[w][0] in range(20, 100, 10))}){LETTER_AFTER}"),  # «خمسة وعشرين»
            "unit": re.compile(rf"\s*({trie_regex(self.units)})(?![^\W\d_])", re.IGNORECASE),
            "qualifier": re.compile(rf"(?:^|(?<=\s)|(?<=[بل]))({trie_regex(self.qualifiers)})\s*$"),
            "equivalence": re.compile(rf"\s*(?:\(\s*|[،,]?\s*(?:{trie_regex(normalize(p) for p in equivalences)})\s+)"),
            "relative": clitic_regex({core for art, core in self.relative if not art}, {core for art, core in self.relative if art}),
            "cues": clitic_regex(set(self.cues), set(self.cues)),  # ال optional: منحة and المنحة
            "compared_from": re.compile(rf"{LETTER_BEFORE}(?:{trie_regex(self.compared_from)}){LETTER_AFTER}"),
            "marked_year": re.compile(rf"(?<![\d.,])((?:19|20)\d\d)\s+({trie_regex(self.marked_year) if self.marked_year else '(?!)'}){LETTER_AFTER}"),
            "range_year": re.compile(r"\s*[-–]\s*(?:19|20)\d\d"),
            "year_range_end": re.compile(r"(?:19|20)\d\d\s*[-–]\s*$"),
        }


# units of relative_time.csv whose phrases follow a month name or a year, not a relative expression of their own
_AFTER_A_NAME = ("named_month", "marked_year")


# roles of figure_context.csv whose phrases the lexicon holds as a set under the role's own name
_PHRASE_ROLES = ("compared_from", "range", "since", "per_period", "part_of", "hypothetical", "current", "not_current", "expected", "value_of", "past", "financing")


def _tables() -> dict[str, pd.DataFrame]:
    """The data files of figures, read and validated."""
    def positive(column: str):
        return lambda row: None if row[column] > 0 else f"{column} must be positive"

    schemas = {
        "numbers": ("numbers.csv", [Column("word", required=True), Column("value", "float", required=True), Column("kind", "choice", required=True, choices=("number", "scale", "dual"))], None),
        "units": ("units.csv", [Column("name", required=True), Column("unit", required=True), Column("dimension", "choice", required=True, choices=DIMENSIONS), Column("countries", "list")], None),
        "context": ("figure_context.csv", [Column("phrase", required=True), Column("role", "choice", required=True, choices=ROLES), Column("value")], None),
        "kinds": ("figure_kinds.csv", [Column("cue", required=True), Column("kind", "choice", required=True, choices=KINDS), Column("priority", "int", required=True),
                                       Column("dimension", "choice", required=True, choices=("money", "quantity", "percent"))], None),
        "relative": ("relative_time.csv", [Column("phrase", required=True), Column("unit", "choice", required=True, choices=("year", "month", "earlier", "vague", *_AFTER_A_NAME)),
                                           Column("offset", "int", required=True)], None),
        "fx": ("fx_rates.csv", [Column("currency", required=True), Column("year", "int", required=True), Column("usd_per_unit", "float", required=True), Column("units_per_usd", "float")],
               positive("usd_per_unit")),
        "limits": ("figure_limits.csv", [Column("unit", required=True), Column("max", "float", required=True), Column("note")], positive("max")),
    }
    return {name: read_table(data_path(file), columns, row_check=check) for name, (file, columns, check) in schemas.items()}


def _unit_map(units: pd.DataFrame) -> dict[str, list[Unit]]:
    """Matching-form unit name → its units (an ambiguous currency name has several)."""
    unit_map: dict[str, list[Unit]] = {}
    for name, code, dimension, countries in zip(units["name"], units["unit"], units["dimension"], units["countries"]):
        unit_map.setdefault(normalize(name).lower(), []).append(Unit(code, dimension, tuple(countries)))
    return unit_map


def _cue_map(kinds: pd.DataFrame) -> dict[str, list[tuple[str, int, str]]]:
    """Matching-form cue core → (kind, priority, dimension); a cue matches with its pronoun suffixes."""
    cues: dict[str, list[tuple[str, int, str]]] = {}
    for cue, kind, priority, dimension in zip(kinds["cue"], kinds["kind"], kinds["priority"], kinds["dimension"]):
        for variant in with_enclitics(split_article(cue)[1]):  # «تجارتنا» is تجارة + نا
            cues.setdefault(variant, []).append((kind, priority, dimension))
    return cues


def _rates(fx: pd.DataFrame) -> dict[str, dict[int, float]]:
    """Currency → year → US dollars per unit."""
    rates: dict[str, dict[int, float]] = {}
    for currency, year, rate in zip(fx["currency"], fx["year"], fx["usd_per_unit"]):
        rates.setdefault(currency, {})[year] = rate
    return rates
