"""Trade and money figures: every quantity an article reports, parsed, dated, compared across sources.

A figure is a number — in Western, Arabic-Indic or Persian digits, with `.`/`٫` decimals and `,`/`٬`
thousands or in European style (1.234,5 · 1.234.567), signed (-5%), or in words (ثلاثة مليارات، ملياري،
نصف مليار، اثني عشر مليار) — followed by a scale word and a unit from `data/units.csv`
(a currency by name or symbol, a percent word, an energy or mass unit, a counted noun such as اتفاقية), or
preceded by a currency symbol ($5 مليارات). Needing a unit or scale is what keeps years, dates, ordinals
(«الـ 19»، «القرن 19»), phone numbers and clock times out. Ranges («بين 3 و5 مليارات دولار»), qualifiers
(«أكثر من»، «نحو» → more_than, approx) and equivalences stated by the article («26 مليار يوان (3.5 مليار
دولار)», «أي ما يعادل») are kept on the figure. Its `kind` comes from cue words in the sentence
(`data/figure_kinds.csv`), its `year` from an explicit year or a relative expression («العام الماضي»)
in its clause resolved against the publication date, else from a figure of the same kind in the sentence
before, else none for a total since a year or a figure in a condition, else the publication year
(`year_basis` names the rule that decided), its `countries` from the
actors of the sentence (neutral international institutions of bloc `other`, which report or lend, are not
parties) or else the article's two most mentioned countries, and `value_usd` from the stated dollar
equivalent or `data/fx_rates.csv`.
A reading that may be wrong keeps a `flag` saying why: one separator before three digits (1,500 طن is
1500, or 1.5 with a decimal comma), a decimal broken by a space («23. 1 بالمئة»), a bare scale number that
took the unit of the figure before it in its sentence («الواردات 9.6 مليار»), a size beyond
`data/figure_limits.csv`. `conflicts()` groups figures that measure the same thing and flags the groups
whose sources disagree.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple, Sequence

import numpy as np
import pandas as pd

from kit.arabic.dates import month_names
from kit.arabic.text import (
    LETTER_AFTER,
    LETTER_BEFORE,
    Normalized,
    clause_around,
    clitic_match_core,
    clitic_regex,
    normalize,
    normalize_with_offsets,
    split_article,
    split_sentences,
    trie_regex,
    with_enclitics,
)
from kit.base.lexicons import Column, data_path, read_table

__all__ = ["Figure", "FigureLexicon", "parse_figures"]

DIMENSIONS = ("money", "energy", "mass", "volume", "length", "area", "percent", "count")
KINDS = ("trade", "investment", "project_value", "aid", "loan", "gdp", "budget", "debt", "revenue", "price", "energy", "production",
         "growth", "share", "rate", "count", "other")
PERCENT_KINDS = ("growth", "share", "rate")
ROLES = ("qualifier", "identifier", "comparison", "equivalence", "since", "per_period", "part_of", "hypothetical", "current", "not_current", "expected")
TIMELESS = ("length", "area")  # a distance or an area has no year of its own («523 كيلومترا»)
MONEY_KINDS = ("trade", "investment", "project_value", "aid", "loan", "gdp", "budget", "debt", "revenue", "price")
# «2ر14»: the decimal written before the integer with ر, as Jordanian and other agency copy has it (14.2)
_NUMBER = r"\d{1,3}ر\d+(?![^\W\d_])|\d+(?:[.,]\d+)*"
# A number starts a word, or follows one proclitic that starts a word: «و5 ملايين»، «ب27 مليار» — not «C5+1».
# «نسبة الـ10%»: the article glued to a number (the tatweel is gone in matching form).
_NUMBER_BEFORE = r"(?:(?<=[وبلفك])(?<![^\W\d_][وبلفك])|(?<=ال)(?<![^\W\d_]ال)|(?<![\w.,:/+\-−]))"
# A sign starts a number after a space or an opening bracket: «-5%», «(+3.2%)»; not «2023-2024», not «C5+1».
_SIGNED = r"(?<![^\s(\[])[-−+](?=\d)"
_SYMBOLS = "$€₽¥₸£₺₹%"  # % before the number too: «%15», «٪١٥»
_SYMBOL_CLASS = "".join(re.escape(s) for s in _SYMBOLS)  # inside [...]
_NUMBER_CHAR_RE = re.compile(rf"[\d{_SYMBOL_CLASS}\-−+]")
# Where a time expression's clause ends: «، وإن الجانبين وقّعا» starts a new one; «، بزيادة» does not.
# The end of a quotation ends a clause too: «... بلغ 1.8 تريليون روبل"، مضيفاً "في الفترة من يناير إلى سبتمبر 2023»;
# so does a full stop glued to the next word, where the page lost a space («... تجتذبها.وفي 11 شهرا من العام الماضي»).
_CLAUSE_BREAK_RE = re.compile(r"[؛;]|\.(?=[^\W\d_]{2})|[\"»”]\s*[،,]|[،,]\s*(?:[وف](?=\S)|فيما|بينما|في\s+حين)")
_YEAR_RE = re.compile(r"(?<![\d.,])(?:19|20)\d\d(?![\d.,]?\d)")


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
    since: frozenset[str]
    per_period: frozenset[str]
    part_of: frozenset[str]
    hypothetical: frozenset[str]
    current: frozenset[str]
    not_current: frozenset[str]
    expected: frozenset[str]
    cues: dict[str, list[tuple[str, int, str]]]
    relative: dict[tuple[bool, str], tuple[str, int]]  # (written with ال, matching-form core) → (unit, offset)
    named_month: dict[str, int]  # «الماضي» after a month name → -1: the last such month before publication
    fx: dict[str, dict[int, float]]
    limits: dict[str, float]  # unit → the largest plausible value (money: in US dollars)
    patterns: dict[str, re.Pattern] = field(default_factory=dict)

    @classmethod
    @lru_cache(maxsize=1)
    def default(cls) -> "FigureLexicon":
        numbers = read_table(
            data_path("numbers.csv"),
            [Column("word", required=True), Column("value", "float", required=True), Column("kind", "choice", required=True, choices=("number", "scale", "dual"))],
        )
        units = read_table(
            data_path("units.csv"),
            [Column("name", required=True), Column("unit", required=True), Column("dimension", "choice", required=True, choices=DIMENSIONS), Column("countries", "list")],
        )
        context = read_table(
            data_path("figure_context.csv"),
            [Column("phrase", required=True), Column("role", "choice", required=True, choices=ROLES), Column("value")],
        )
        kinds = read_table(
            data_path("figure_kinds.csv"),
            [Column("cue", required=True), Column("kind", "choice", required=True, choices=KINDS), Column("priority", "int", required=True), Column("dimension", "choice", required=True, choices=("money", "quantity", "percent"))],
        )
        relative = read_table(
            data_path("relative_time.csv"),
            [Column("phrase", required=True), Column("unit", "choice", required=True, choices=("year", "month", "earlier", "vague", "named_month")), Column("offset", "int", required=True)],
        )
        fx = read_table(
            data_path("fx_rates.csv"),
            [Column("currency", required=True), Column("year", "int", required=True), Column("usd_per_unit", "float", required=True), Column("units_per_usd", "float")],
            row_check=lambda r: None if r["usd_per_unit"] > 0 else "usd_per_unit must be positive",
        )
        limits = read_table(
            data_path("figure_limits.csv"),
            [Column("unit", required=True), Column("max", "float", required=True), Column("note")],
            row_check=lambda r: None if r["max"] > 0 else "max must be positive",
        )
        unit_map: dict[str, list[Unit]] = {}
        for name, code, dimension, countries in zip(units["name"], units["unit"], units["dimension"], units["countries"]):
            unit_map.setdefault(normalize(name).lower(), []).append(Unit(code, dimension, tuple(countries)))
        cues: dict[str, list[tuple[str, int, str]]] = {}  # matching-form core → (kind, priority, dimension)
        for cue, kind, priority, dimension in zip(kinds["cue"], kinds["kind"], kinds["priority"], kinds["dimension"]):
            for variant in with_enclitics(split_article(cue)[1]):  # «تجارتنا» is تجارة + نا
                cues.setdefault(variant, []).append((kind, priority, dimension))
        by_role = {role: context[context["role"] == role] for role in ROLES}
        rates: dict[str, dict[int, float]] = {}
        for currency, year, rate in zip(fx["currency"], fx["year"], fx["usd_per_unit"]):
            rates.setdefault(currency, {})[year] = rate
        lexicon = cls(
            numbers={normalize(w): (v, k) for w, v, k in zip(numbers["word"], numbers["value"], numbers["kind"])},
            units=unit_map,
            qualifiers={normalize(p): v for p, v in zip(by_role["qualifier"]["phrase"], by_role["qualifier"]["value"])},
            identifiers=frozenset(normalize(p) for p in by_role["identifier"]["phrase"]),
            comparisons=frozenset(normalize(p) for p in by_role["comparison"]["phrase"]),
            since=frozenset(normalize(p) for p in by_role["since"]["phrase"]),
            per_period=frozenset(normalize(p) for p in by_role["per_period"]["phrase"]),
            part_of=frozenset(normalize(p) for p in by_role["part_of"]["phrase"]),
            hypothetical=frozenset(normalize(p) for p in by_role["hypothetical"]["phrase"]),
            current=frozenset(normalize(p) for p in by_role["current"]["phrase"]),
            not_current=frozenset(normalize(p) for p in by_role["not_current"]["phrase"]),
            expected=frozenset(normalize(p) for p in by_role["expected"]["phrase"]),
            cues=cues,
            relative={split_article(p): (u, o) for p, u, o in zip(relative["phrase"], relative["unit"], relative["offset"]) if u != "named_month"},
            named_month={normalize(p): o for p, u, o in zip(relative["phrase"], relative["unit"], relative["offset"]) if u == "named_month"},
            fx=rates,
            limits=dict(zip(limits["unit"], limits["max"])),
        )
        lexicon._compile(by_role["equivalence"]["phrase"])
        return lexicon

    def _compile(self, equivalences: Sequence[str]) -> None:
        words = {w for w, (_, kind) in self.numbers.items() if kind == "number"}
        scales = {w for w, (_, kind) in self.numbers.items() if kind in ("scale", "dual")}
        # what starts a figure: a currency symbol, a number, a number word, or a scale word on its own
        percents = {name for name, units in self.units.items() if units[0].dimension == "percent"}
        # «23. 1 بالمئة»: a decimal broken by a stray space, read as one only before a percent or a scale word
        broken = rf"\d{{1,3}}\.\s\d{{1,2}}(?=\s*(?:{trie_regex(percents | scales)}))"
        number_start = rf"(?:{_SIGNED}|{_NUMBER_BEFORE}(?:[{_SYMBOL_CLASS}]\s?)?)(?:{broken}|{_NUMBER}(?![\d:]|[.,]\d))"
        # a number word starts a word or follows one proclitic: «بثمانية مليارات دولار»
        word_start = rf"(?:{LETTER_BEFORE}|(?<=[وبلفك])(?<![^\W\d_][وبلفك]))(?:{trie_regex(words)}|{trie_regex(scales)}){LETTER_AFTER}"
        self.patterns = {
            "start": re.compile(f"{number_start}|{word_start}"),
            "number_start": re.compile(number_start),
            "word_start": re.compile(word_start),
            "number": re.compile(_NUMBER),
            "range": re.compile(rf"\s*(?:و|او|الي|-|–|حتي)\s*({_NUMBER})(?![\d:]|[.,]\d)"),  # «500 أو 600 دولة» too
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
            "range_year": re.compile(r"\s*[-–]\s*(?:19|20)\d\d"),
            "year_range_end": re.compile(r"(?:19|20)\d\d\s*[-–]\s*$"),
        }


# ---------------------------------------------------------------------------------------------------
# Finding figures


def _read_value(lexicon: FigureLexicon, token: str) -> tuple[Decimal, str, str | None] | None:
    """(value, how, doubt) of a figure's first word: digits, a number word, or a scale word standing alone."""
    token = token.strip()
    sign = token[:1] if token[:1] in "-−+" else ""
    token = sign + token[len(sign):].lstrip(_SYMBOLS).strip()
    if token[len(sign):][:1].isdigit():
        value, doubt = read_number(token)
        return None if value is None else (value, "digits", doubt)
    value, kind = lexicon.numbers.get(token, (None, None))
    if value is None:
        return None
    value = Decimal(str(value))
    return (value * 2, "scale", None) if kind == "dual" else (value, kind if kind == "number" else "scale", None)


_DOUBTS = {
    "comma3": "«{}» read with a thousands comma; a decimal comma would make it {} times smaller",
    "dot3": "«{}» read as a decimal; a European thousands dot would make it {} times larger",
    "broken": "«{}» read as one decimal number (a space after the point)",
    "lakh": "«{}» read with Indian digit grouping",
    "reversed": "«{}» read as a decimal written fraction first (2ر14 is 14.2)",
}


def _settle(doubt: str | None, number: str, value: Decimal, *, scaled: bool, dimension: str) -> tuple[Decimal, str | None]:
    """(value, flag) of a number whose separator is in doubt. A count has no decimals: «1.500 شركة» is
    1500 and «1,500 شركة» is 1500. Before a scale word a dot is a decimal («19.515 مليون طن»). Else
    the reading stays and the flag says how it could be wrong (1,500 طن is 1500, or 1.5 with a decimal comma)."""
    if doubt in ("dot3", "comma3") and dimension == "count" and not scaled:
        return (value * 1000 if doubt == "dot3" else value), None
    if doubt is None or (doubt == "dot3" and scaled):
        return value, None
    return value, _DOUBTS[doubt].format(number, 1000)


def _number_words(lexicon: FigureLexicon, norm: str, value: Decimal, position: int) -> tuple[Decimal, int]:
    """A number in words that goes on: «اثني عشر» (2 + 10), «خمسة وعشرين» (5 + 20)."""
    p = lexicon.patterns
    if value < 10 and value == value.to_integral_value():
        if teen := p["teen"].match(norm, position):
            return value + 10, teen.end()
        if tens := p["and_tens"].match(norm, position):
            return value + Decimal(str(lexicon.numbers[tens.group(1)][0])), tens.end()
    return value, position


def _compound(lexicon: FigureLexicon, norm: str, first: str, value: Decimal, scale: Decimal | None, position: int) -> tuple[Decimal, int]:
    """A number written in parts of falling scales: «103 مليون و508 ألف و438 برميلا» is 103 508 438,
    «مليونا و19 ألفا و132 برميلا» 1 019 132 (a scale word that goes on is one of it, not the dual). Each part
    is smaller than the scale before it; a last part without a scale word must be followed by a unit, so
    «5 ملايين و2020» stays two things."""
    p = lexicon.patterns
    if scale is None:  # the figure started with a scale word alone
        scale = Decimal(str(lexicon.numbers[first.strip()][0]))
        single = scale
    else:
        single = value
    total, end = single, position
    while part := p["compound"].match(norm, end):
        number = parse_number(part.group(1))
        multiplier = Decimal(str(lexicon.numbers[part.group(2)][0])) if part.group(2) else Decimal(1)
        if number is None or multiplier >= scale or number * multiplier >= scale:
            break
        if part.group(2) is None and not p["unit"].match(norm, part.end()):
            break
        total, end, scale = total + number * multiplier, part.end(), multiplier
        if part.group(2) is None:
            break
    return (total, end) if end > position else (value, position)


def _figure_at(lexicon: FigureLexicon, norm: str, match: re.Match) -> Figure | None:
    p = lexicon.patterns
    first = _read_value(lexicon, match.group())
    if first is None:
        return None
    value, how, doubt = first
    position = match.end()
    if how == "number":
        value, position = _number_words(lexicon, norm, value, position)
    symbol = next((c for c in match.group()[:2] if c in _SYMBOLS), None)
    if symbol is None and match.start() > 0 and norm[match.start() - 1] in _SYMBOLS:
        symbol = norm[match.start() - 1]
    high = None
    if how == "digits" and (ranged := p["range"].match(norm, position)):
        high = parse_number(ranged.group(1))
        if high is not None and high < value:
            high = None  # «في عام 2021 إلى 12 مليار»: a range goes up; this is a year, then another figure
        position = ranged.end() if high is not None else position
    scaled = False
    if how != "scale" and (scale := p["scale"].match(norm, position)):
        multiplier = Decimal(str(lexicon.numbers[scale.group(1)][0]))
        value, high = value * multiplier, (high * multiplier if high is not None else None)
        position, scaled = scale.end(), True
    if (scaled or how == "scale") and (half := p["and_half"].match(norm, position)):  # «مليار ونصف»، «3 ملايين ونصف»
        multiplier = value if how == "scale" else multiplier
        value, position = value + multiplier / 2, half.end()
    elif scaled or how == "scale":
        value, position = _compound(lexicon, norm, match.group(), value, multiplier if scaled else None, position)
    unit_match = p["unit"].match(norm, position)
    units = lexicon.units.get(unit_match.group(1).lower()) if unit_match else None
    if units is None and symbol is not None:
        units = lexicon.units.get(symbol)
    bare = False
    if units is None:
        if not scaled or how == "scale":
            return None  # a bare number (year, date, ordinal, phone, time) is not a figure
        units, bare = [Unit("count", "count", ())], True
    elif unit_match is not None:
        position = unit_match.end()
    value, flag = _settle(doubt, match.group().lstrip(_SYMBOLS + " "), value, scaled=scaled, dimension=units[0].dimension)
    flag = "; ".join(filter(None, [flag, _BARE_SCALE if bare else None])) or None
    if how != "digits" and unit_match is not None and units[0].dimension == "count":
        return None  # counts in words are not figures: «خمس دول», «نحو مليون مهاجر»
    start = match.start() - (1 if symbol and symbol not in match.group() else 0)
    if units[0].dimension != "percent" and _is_identifier(lexicon, norm, start):  # «نسبة الـ10%» is a percent, «الـ 19» an ordinal
        return None
    unit = units[0]
    return Figure(
        start, position, float(value), float(high) if high is not None else None, unit.code, unit.dimension,
        _qualifier(lexicon, norm, start), None, None, tuple(units), flag,
    )


_BARE_SCALE = "no unit after the scale word: counted"


def _is_identifier(lexicon: FigureLexicon, norm: str, start: int) -> bool:
    """«المادة 5», «الـ 19»: the word right before the number makes it a name or an ordinal."""
    before = norm[max(0, start - 20) : start].split()
    return bool(before) and before[-1] in lexicon.identifiers


def _qualifier(lexicon: FigureLexicon, norm: str, start: int) -> str | None:
    found = lexicon.patterns["qualifier"].search(norm[max(0, start - 25) : start])
    return lexicon.qualifiers[found.group(1)] if found else None


def _with_equivalent(lexicon: FigureLexicon, norm: str, figure: Figure) -> tuple[Figure, int]:
    """Fold «26 مليار يوان (3.5 مليار دولار)» or «... أي ما يعادل 2.6 مليار دولار» into one figure."""
    opening = lexicon.patterns["equivalence"].match(norm, figure.end)
    if opening is None or figure.dimension != "money":
        return figure, figure.end
    start = lexicon.patterns["start"].match(norm, opening.end())
    other = _figure_at(lexicon, norm, start) if start else None
    if other is None or other.dimension != "money" or other.unit == figure.unit:
        return figure, figure.end
    end = other.end
    closing = re.match(r"\s*\)", norm[end:])
    end += closing.end() if closing and "(" in opening.group() else 0
    return figure._replace(equivalent_value=other.value, equivalent_unit=other.unit), end


def _starts(lexicon: FigureLexicon, norm: str) -> list[re.Match]:
    """What `patterns["start"].finditer(norm)` finds, left to right, in a fraction of the time: a number can
    only start at a digit or a currency symbol, so those are found first with a plain character class (a
    quick scan) and the number pattern is tried there alone; number words have a pattern of their own.
    A number and a number word never overlap, so the two lists merge by start."""
    numbers, found, end = lexicon.patterns["number_start"], [], 0
    for candidate in _NUMBER_CHAR_RE.finditer(norm):
        if candidate.start() >= end and (match := numbers.match(norm, candidate.start())):
            found.append(match)
            end = match.end()
    found.extend(lexicon.patterns["word_start"].finditer(norm))
    return sorted(found, key=re.Match.start)


def find_figures(norm: str, lexicon: FigureLexicon | None = None) -> list[Figure]:
    """Every figure of a matching-form text, left to right."""
    lexicon = lexicon or FigureLexicon.default()
    found: list[Figure] = []
    last_end = 0
    for match in _starts(lexicon, norm):
        if match.start() < last_end:
            continue
        figure = _figure_at(lexicon, norm, match)
        if figure is None:
            continue
        figure, consumed = _with_equivalent(lexicon, norm, figure)
        if found and figure.flag and _BARE_SCALE in figure.flag:
            figure = _inherit_unit(norm, found[-1], figure)
        found.append(figure)
        last_end = consumed
    return found


_SENTENCE_END_RE = re.compile(r"[!?؟\n]|\.(?!\d)")


def _inherit_unit(norm: str, before: Figure, figure: Figure) -> Figure:
    """A bare scale number takes the unit of the figure before it in its sentence: «بلغت الصادرات 28 مليار
    دولار، والواردات 9 مليارات» — the 9 مليارات are dollars too. The flag says so."""
    if before.dimension in ("count", "percent") or _SENTENCE_END_RE.search(norm, before.end, figure.start):
        return figure
    flag = figure.flag.replace(_BARE_SCALE, f"unit {before.unit} taken from the figure before it")
    return figure._replace(unit=before.unit, dimension=before.dimension, options=before.options, flag=flag)


# ---------------------------------------------------------------------------------------------------
# Meaning: kind, year, currency choice, US dollars


def figure_kind(lexicon: FigureLexicon, norm: str, sentence: tuple[int, int], figure: Figure) -> str:
    """The kind of a figure from the cue words of its sentence: highest priority first, then the nearest; a
    percent followed by «من» is a share whatever the cues."""
    if figure.dimension == "count":
        return "count"
    after = norm[figure.end : figure.end + 16]
    if figure.dimension == "percent" and set(_words(after)[:1]) & lexicon.part_of and not re.match(r"\s*\S+\s*\d", after):
        return "share"  # «يمثل حوالي 40% من التجارة», «17 بالمائة من إجمالي حجم التجارة»: a part of a whole; not «8.4 في المئة من 5.4»
    if figure.dimension == "money" and _per_unit(lexicon, norm, figure.end):
        return "price"  # «34 دولارا للبرميل»: money per barrel, tonne or cubic metre
    wanted = {"money": "money", "percent": "percent"}.get(figure.dimension, "quantity")
    best: tuple[int, int, str] | None = None
    for match in lexicon.patterns["cues"].finditer(norm, *sentence):
        core, start, end = clitic_match_core(match)
        for kind, priority, dimension in lexicon.cues.get(core, ()):
            if dimension != wanted:
                continue
            distance = figure.start - end if end <= figure.start else start - figure.end + 10
            candidate = (-priority, abs(distance), kind)
            best = candidate if best is None or candidate < best else best
    if best is not None:
        return "energy" if figure.dimension == "energy" and best[2] in MONEY_KINDS else best[2]  # «صدرت 1.7 مليار برميل»: exports of energy
    return {"energy": "energy", "percent": "share"}.get(figure.dimension, "other")


def _per_unit(lexicon: FigureLexicon, norm: str, end: int) -> bool:
    """Whether a money figure is a price per physical unit: «34 دولارا للبرميل», «80 دولارا لكل طن», «$5/برميل»."""
    per = re.match(r"\s*(?:لل|لكل\s+(?:ال)?|/\s*)", norm[end : end + 12])
    if per is None:
        return False
    unit = lexicon.patterns["unit"].match(norm, end + per.end())
    return bool(unit) and lexicon.units[unit.group(1).lower()][0].dimension not in ("money", "percent", "count")


def figure_year(
    lexicon: FigureLexicon, norm: str, sentence: tuple[int, int], figure: Figure, spans: Sequence[tuple[int, int]], published: dt.date | None
) -> tuple[int | None, str]:
    """(year, basis) of the quantity a figure reports, the basis naming the rule that decided: `explicit` or
    `relative` — a year or a relative expression («العام الماضي», from the publication date) in the figure's
    clause, the nearest winning; `earlier year` — «في العام نفسه», the year the article named last; else
    `vague` for a time the article states without a year («في غضون سنوات قليلة»); `date` — a day and month
    without a year, in the figure's clause or else its sentence («في 25 ديسمبر»); `timeless` for a distance
    or area; `per period` for a rate per year or day with no year in its clause («1.2 مليار متر مكعب
    سنويا،») unless it is money stated in the present; `since` for a total counted from a year («منذ عام
    2005»); `hypothetical` for a figure in a condition («إذا»); `published` — the year of publication (a
    figure in the present tense: «تقع 17 بالمائة من التجارة»); `unknown` without a publication date. (`describe` adds `earlier sentence`.)
    Expressions after a comparison («عن العام الماضي»، «مقارنة بـ») and years after «منذ» are never the year;
    a year right after another figure of the clause is that figure's when this one has its own after it
    («من 8 مليارات متر مكعب في عام 2021 إلى 12 مليار متر مكعب متوقع في عام 2022»)."""
    breaks = [(m.start(), m.end()) for m in _CLAUSE_BREAK_RE.finditer(norm, *sentence)]
    start, end = clause_around(breaks, sentence, figure.start)
    start = _with_fronted_time(norm, breaks, sentence, start)
    comparison = re.search(rf"{LETTER_BEFORE}(?:مقارنه|بالمقارنه|قياسا){LETTER_AFTER}", norm[figure.end : end])
    if comparison:
        end = figure.end + comparison.start()
    candidates = _explicit_years(lexicon, norm, start, end, spans)
    for match in lexicon.patterns["relative"].finditer(norm, start, end):
        words_before = norm[max(start, match.start() - 12) : match.start()].split()
        if words_before and words_before[-1] in lexicon.comparisons:
            continue  # «بزيادة 18 بالمائة عن العام الماضي»: what it is compared with
        if match.start() > figure.end and set(norm[figure.end : match.start()].split()[-3:]) & lexicon.comparisons:
            continue  # «أعلى بنسبة 31 في المئة عن الكميات المورّدة العام الماضي»
        core, written_start, _ = clitic_match_core(match)
        unit, offset = lexicon.relative.get((norm.startswith("ال", written_start), core)) or lexicon.relative[(not norm.startswith("ال", written_start), core)]
        if unit == "earlier":
            earlier = _explicit_years(lexicon, norm, 0, match.start(), spans)
            candidates.append((match.start(), earlier[-1][1] if earlier else None, "earlier year"))
        elif unit == "vague":
            candidates.append((match.start(), None, "vague"))
        else:
            candidates.append((match.start(), _relative_year(unit, offset, published), "relative"))
    candidates += _day_month_years(norm, start, end, published)
    candidates += _named_month_years(lexicon, norm, start, end, published)
    candidates = _own_years(norm, figure, start, end, candidates)
    candidates = _not_after_another_number(norm, figure, candidates)
    if candidates:
        position, year, basis = min(candidates, key=lambda c: (abs(c[0] - figure.start), c[0] < figure.start))
        if year is not None or basis == "vague":
            return year, basis
        if basis == "relative" and published is None:
            return None, "relative"  # «العام الحالي» on an undated page: a year the reader cannot know, not another sentence's
    if figure.dimension in TIMELESS:
        return None, "timeless"
    after = _words(norm[figure.end : min(end, figure.end + 40)])[:4]  # «1.2 مليار متر مكعب من الغاز سنويا»
    pairs = [" ".join(after[i : i + 2]) for i in range(len(after) - 1)]  # «في السنة»
    if any(w in lexicon.per_period for w in after + pairs) and not (figure.dimension == "money" and _current(lexicon, norm, start, figure.start, sentence[0])):
        return None, "per period"
    dated = _day_month_years(norm, *sentence, published)
    if dated:  # «وكانت الطائرة تقوم في 25 ديسمبر برحلة ...، وأسفر ذلك عن مقتل 38 من أصل 67 شخصا»
        return min(dated, key=lambda c: abs(c[0] - figure.start))[1], "date"
    if _since_year(lexicon, norm, sentence):
        return None, "since"  # «45% من الاستثمارات التي جذبتها منذ عام 2005»: a total over years, no one year
    if _hypothetical(lexicon, norm, sentence[0], figure.start):
        return None, "hypothetical"  # «إذا تلقوا أكثر من 20 بالمائة من تمويلهم»: a condition, not a quantity of a year
    if published is not None:
        return published.year, "published"
    return None, "unknown"


def _day_month_years(norm: str, start: int, end: int, published: dt.date | None) -> list[tuple[int, int | None, str]]:
    """(position, year, "date") of each day and month without a year in norm[start:end], in the last year
    that date had passed by publication: «في 25 ديسمبر/كانون الأول» in an article of October 2025 is 2024."""
    if published is None:
        return []
    found = []
    for match in _day_month_re().finditer(norm, start, end):
        month, day = month_names()[match.group("month").lower()], int(match.group("day"))
        found.append((match.start(), published.year - ((month, day) > (published.month, published.day)), "date"))
    return found


def _named_month_years(lexicon: FigureLexicon, norm: str, start: int, end: int, published: dt.date | None) -> list[tuple[int, int | None, str]]:
    """(position, year, "relative") of each month named with «الماضي» or «المقبل» in norm[start:end]: «في مارس
    الماضي» is the last March before publication, «شهر أيلول سبتمبر الماضي» in October 2025 is 2025, «يوليو
    الماضي» in September 2020 is 2020; «فبراير المقبل» is the next February."""
    if published is None or not lexicon.named_month:
        return []
    found = []
    for match in _named_month_re(tuple(lexicon.named_month)).finditer(norm, start, end):
        month, offset = month_names()[match.group("month").lower()], lexicon.named_month[match.group("when")]
        if offset < 0:
            year = published.year - (month >= published.month)
        else:
            year = published.year + (month <= published.month)
        found.append((match.start(), year, "relative"))
    return found


@lru_cache(maxsize=4)
def _named_month_re(words: tuple[str, ...]) -> re.Pattern:
    names = "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in sorted(month_names(), key=len, reverse=True))
    # the last of one or two names: «أيلول سبتمبر الماضي», «سبتمبر/أيلول الماضي»
    return re.compile(rf"(?<!\w)(?:(?:{names})\s*/?\s*)?(?P<month>{names})\s+(?P<when>{'|'.join(map(re.escape, words))})(?!\w)", re.IGNORECASE)


@lru_cache(maxsize=1)
def _day_month_re() -> re.Pattern:
    names = "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in sorted(month_names(), key=len, reverse=True))
    return re.compile(rf"(?<![\d.,])(?P<day>[0-3]?\d)\s+(?P<month>{names})(?!\w)(?:\s*/\s*(?:{names})(?!\w))?(?!\s*[,،]?\s*\d)", re.IGNORECASE)


def _current(lexicon: FigureLexicon, norm: str, start: int, end: int, sentence_start: int) -> bool:
    """Whether a present-tense verb of amount in norm[start:end] states a money rate as it is now: «يصل
    حجم التبادل التجاري مع روسيا إلى 6 مليارات دولار سنويا» (this year's trade), unlike «من المتوقع أن
    تصل» or a flow of goods per day, which has no year."""
    words = _words(norm[start:end])
    if set(_words(norm[sentence_start:end])) & lexicon.expected:
        return False
    return any(w.removeprefix("و").removeprefix("ف") in lexicon.current and (i == 0 or words[i - 1] not in lexicon.not_current) for i, w in enumerate(words))


def _since_year(lexicon: FigureLexicon, norm: str, sentence: tuple[int, int]) -> bool:
    """Whether the sentence counts from a year on: «منذ عام 2005»."""
    for match in _YEAR_RE.finditer(norm, *sentence):
        before = norm[max(sentence[0], match.start() - 16) : match.start()].split()
        if before and (before[-1] in lexicon.since or " ".join(before[-2:]) in lexicon.since):
            return True
    return False


def _hypothetical(lexicon: FigureLexicon, norm: str, start: int, end: int) -> bool:
    """Whether a conditional («إذا», «لو», «من شأنه») comes before the figure in its sentence."""
    words = _words(norm[start:end])
    pairs = {" ".join(words[i : i + 2]) for i in range(len(words) - 1)}
    return bool((set(words) | pairs) & lexicon.hypothetical)


_FRONTED_RE = re.compile(r"\s*[وف]{0,2}(?:في|حتى)\s+\S+(?:\s+\S+){0,3}\s*")  # «ففي العام الماضي» before its comma


def _with_fronted_time(norm: str, breaks: list[tuple[int, int]], sentence: tuple[int, int], start: int) -> int:
    """The clause start, moved back over a short fronted «في ...» phrase, which belongs to the clause after
    its comma: «ففي العام الماضي، وصل حجم التجارة ... إلى 1.8 تريليون روبل» (the comma and the و of «وصل»
    look like a clause break). Only a year or time expression inside it can change a figure's year."""
    before = [b for b in breaks if b[1] == start]
    if not before:
        return start
    previous_start = max([b[1] for b in breaks if b[1] <= before[0][0]], default=sentence[0])
    return previous_start if _FRONTED_RE.fullmatch(norm, previous_start, before[0][0]) else start


def _words(text: str) -> list[str]:
    """The words of a stretch without the punctuation glued to them («سنويا،» is سنويا)."""
    return [w for w in (w.strip(_PUNCTUATION) for w in text.split()) if w]


_PUNCTUATION = "،,.;؛:!?؟\"'«»“”()[]"


def _own_years(norm: str, figure: Figure, start: int, end: int, candidates: list[tuple[int, int | None, str]]) -> list[tuple[int, int | None, str]]:
    """The candidates without the years before the figure that follow another figure of the clause, when
    the figure has a year of its own after it (before the next figure)."""
    before = [c for c in candidates if c[0] < figure.start]
    if not before or len(before) == len(candidates):
        return candidates
    others = [(f.start + start, f.end + start) for f in find_figures(norm[start:end]) if not (f.start + start < figure.end and f.end + start > figure.start)]
    previous_end = max((b for a, b in others if b <= figure.start), default=None)
    next_start = min((a for a, b in others if a >= figure.end), default=end)
    if previous_end is None or not any(figure.end <= c[0] < next_start for c in candidates):
        return candidates
    return [c for c in candidates if not previous_end <= c[0] < figure.start]


_NUMBER_RE = re.compile(r"(?<![\d.,])\d+(?:[.,]\d+)?(?![\d.,]*\d)")


def _not_after_another_number(norm: str, figure: Figure, candidates: list[tuple[int, int | None, str]]) -> list[tuple[int, int | None, str]]:
    """The candidates without those after the figure that follow a bare number (one that is no figure),
    whose time they are: «يوجد حوالي 6 آلاف شركة مشتركة، انضمت 130 منها العام الماضي» — last year is the
    130's; «أكثر من 500 أو 600 دولة بدلا من 193 الآن»."""
    return [c for c in candidates if c[0] < figure.start or not _bare_number(norm, figure.end, c[0])]


def _bare_number(norm: str, start: int, end: int) -> bool:
    spans = [(f.start + start, f.end + start) for f in find_figures(norm[start:end])]
    return any(not any(a <= m.start() < b for a, b in spans) for m in _NUMBER_RE.finditer(norm, start, end))


def _explicit_years(lexicon: FigureLexicon, norm: str, start: int, end: int, spans) -> list[tuple[int, int, str]]:
    """(position, year, "explicit") of the years in norm[start:end] that can be a figure's year: not inside
    a figure, not one end of a period («للفترة 2023 - 2024»), not after a comparison or «منذ»."""
    found = []
    for match in _YEAR_RE.finditer(norm, start, end):
        in_figure = any(a <= match.start() < b for a, b in spans)
        period = lexicon.patterns["range_year"].match(norm, match.end()) or lexicon.patterns["year_range_end"].search(norm, max(0, match.start() - 8), match.start())
        before = norm[max(start, match.start() - 16) : match.start()].split()
        after_since = bool(before) and (before[-1] in lexicon.since or " ".join(before[-2:]) in lexicon.since)
        after_comparison = bool(before) and before[-1] in lexicon.comparisons
        if not (in_figure or period or after_since or after_comparison):
            found.append((match.start(), int(match.group()), "explicit"))
    return found


def _relative_year(unit: str, offset: int, published: dt.date | None) -> int | None:
    if published is None:
        return None
    if unit == "year":
        return published.year + offset
    month = published.month - 1 + offset
    return published.year + month // 12


def to_usd(lexicon: FigureLexicon, value: float, unit: str, year: int | None) -> tuple[float | None, str | None]:
    """(value in US dollars, how it was converted) at the annual average rate of `year` (or the nearest)."""
    if unit == "USD":
        return value, "usd"
    rates = lexicon.fx.get(unit)
    if not rates:
        return None, None
    used = year if year in rates else min(rates, key=lambda y: (abs(y - (year or max(rates))), -y))
    note = f"fx {used}" if used == year else f"fx {used} (nearest year)"
    return value * rates[used], note


# ---------------------------------------------------------------------------------------------------
# Public helpers


def parse_figures(text: str, published: dt.date | str | None = None) -> pd.DataFrame:
    """Figures of any text, without actors: surface, start, end, value, value_high, unit, qualifier,
    equivalent_value, equivalent_unit, kind, year, year_basis, value_usd, usd_basis."""
    if isinstance(published, str):
        published = dt.date.fromisoformat(published)
    normalized = normalize_with_offsets(text)
    sentences = [_norm_span(normalized, s.start, s.end) for s in split_sentences(text)] or [(0, len(normalized.text))]
    rows = [describe(text, normalized, figure, sentences, published) for figure in find_figures(normalized.text)]
    return pd.DataFrame(rows, columns=list(_DESCRIBED))


_DESCRIBED = ("surface", "start", "end", "value", "value_high", "unit", "qualifier", "equivalent_value", "equivalent_unit", "kind", "year", "year_basis", "value_usd", "usd_basis", "flag", "sentence")


def _norm_span(normalized: Normalized, start: int, end: int) -> tuple[int, int]:
    low, high = np.searchsorted(normalized.index, [start, end]).tolist()
    return low, high


def describe(
    text: str, normalized: Normalized, figure: Figure, sentences: Sequence[tuple[int, int]], published: dt.date | None,
    countries_in_context: Sequence[str] = (), number: int | None = None,
) -> dict:
    """Everything the figures table says about one figure (offsets in the original text); `number` is the
    index of its sentence in `sentences` when the caller knows it."""
    lexicon = FigureLexicon.default()
    if number is None:
        number = max(0, int(np.searchsorted([s[0] for s in sentences], figure.start, side="right")) - 1)
    sentence = sentences[number] if sentences else (0, len(normalized.text))
    if len(figure.options) > 1 and countries_in_context:  # سوم: KGS in Kyrgyzstan, UZS in Uzbekistan
        chosen = next((u for u in figure.options if set(u.countries) & set(countries_in_context)), None)
        if chosen is not None:
            figure = figure._replace(unit=chosen.code)
    spans = [(figure.start, figure.end)]
    year, basis = figure_year(lexicon, normalized.text, sentence, figure, spans, published)
    kind = figure_kind(lexicon, normalized.text, sentence, figure)
    if basis == "published" and number > 0:
        year, basis = _year_of_sentence_before(lexicon, normalized.text, sentences[number - 1], sentence, kind, published) or (year, basis)
    elif basis == "unknown":  # an undated page: the nearest figure of the same kind dated earlier in the article dates it
        earlier = [(sentence[0], figure.start)] + [sentences[i] for i in range(number - 1, max(-1, number - 1 - _LOOKBACK), -1)]
        for span in earlier:
            if found := _year_of_sentence_before(lexicon, normalized.text, span, sentence, kind, published, same_paragraph=False):
                year, basis = found
                break
    if figure.equivalent_unit == "USD" and figure.unit != "USD":
        value_usd, usd_basis = figure.equivalent_value, "stated"
    elif figure.dimension == "money":
        value_usd, usd_basis = to_usd(lexicon, figure.value, figure.unit, year)
    else:
        value_usd, usd_basis = None, None
    start, end = normalized.span(figure.start, figure.end)
    return {
        "surface": text[start:end],
        "start": start,
        "end": end,
        "value": figure.value,
        "value_high": figure.value_high,
        "unit": figure.unit,
        "qualifier": figure.qualifier,
        "equivalent_value": figure.equivalent_value,
        "equivalent_unit": figure.equivalent_unit,
        "kind": kind,
        "year": year,
        "year_basis": basis,
        "value_usd": value_usd,
        "usd_basis": usd_basis,
        "flag": "; ".join(filter(None, [figure.flag, _implausible(lexicon, figure, kind, value_usd)])) or None,
        "sentence": number,
    }


_LOOKBACK = 20  # sentences an undated figure looks back for a dated one: bounded, so a 20 MB page stays linear


def _year_of_sentence_before(
    lexicon: FigureLexicon, norm: str, before: tuple[int, int], sentence: tuple[int, int], kind: str, published: dt.date | None,
    same_paragraph: bool = True,
) -> tuple[int, str] | None:
    """(year, "earlier sentence") when the sentence before, in the same paragraph, reports a figure of the
    same kind with a year of its own: «وفي الفترة من يناير إلى نوفمبر 2023، بلغ حجم التبادل التجاري 37.7
    مليار دولار. وشكلت الصادرات 28.1 مليار دولار» — the exports are of 2023 too. On a page with no
    publication date (`same_paragraph=False`) any earlier sentence, or the earlier part of the figure's own,
    may date it: without it the figure would have no year at all."""
    if (same_paragraph and "\n" in norm[before[1] : sentence[0]]) or kind in ("count", "other"):
        return None
    for figure in reversed(find_figures(norm[before[0] : before[1]])):
        figure = figure._replace(start=figure.start + before[0], end=figure.end + before[0])
        year, basis = figure_year(lexicon, norm, before, figure, [(figure.start, figure.end)], published)
        if basis in ("explicit", "relative") and figure_kind(lexicon, norm, before, figure) == kind:
            return (year, "earlier sentence") if year is not None else (None, "relative")  # the nearest says; an undated «العام الحالي» stops the search
    return None


def _implausible(lexicon: FigureLexicon, figure: Figure, kind: str, value_usd: float | None) -> str | None:
    """Why a figure's size is beyond belief (`data/figure_limits.csv`), or None."""
    unit, value = ("USD", value_usd) if figure.dimension == "money" else (figure.unit, figure.value)
    top = max(value, figure.value_high or value) if value is not None else None
    if top is None:
        return None
    if kind == "share" and top > 100:
        return f"a share of {top:g} %: above 100 %"
    limit = lexicon.limits.get(unit)
    return f"implausibly large: {top:g} {unit} is above {limit:g}" if limit is not None and abs(top) > limit else None


