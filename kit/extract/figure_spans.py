"""Finding figures in a text's matching form: a number (digits or words, signed, ranged) followed by a
scale word and a unit of data/units.csv, or preceded by a currency symbol, with its qualifier («أكثر من» →
more_than) and an equivalence the article states («26 مليار يوان (3.5 مليار دولار)»); a reading that may be
wrong carries a flag. Needing a unit or scale keeps years, dates, ordinals and phone numbers out. Imports
kit.base, kit.arabic and kit.extract.figure_lexicon.
"""

from __future__ import annotations

import re
from decimal import Decimal
from itertools import islice

from kit.extract.figure_lexicon import (
    Figure,
    FigureLexicon,
    Unit,
    parse_number,
    read_number,
)

__all__ = ["find_figures"]


def _read_value(lexicon: FigureLexicon, token: str) -> tuple[Decimal, str, str | None] | None:
    """(value, how, doubt) of a figure's first word: digits, a number word, or a scale word standing alone."""
    token = token.strip()
    sign = token[:1] if token[:1] in "-−+" else ""
    token = sign + token[len(sign):].lstrip(lexicon.symbols).strip()
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
    symbol = next((c for c in match.group()[:2] if c in lexicon.symbols), None)
    if symbol is None and match.start() > 0 and norm[match.start() - 1] in lexicon.symbols:
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
    value, flag = _settle(doubt, match.group().lstrip(lexicon.symbols + " "), value, scaled=scaled, dimension=units[0].dimension)
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
    for candidate in lexicon.patterns["number_char"].finditer(norm):
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
            figure = _inherit_unit(lexicon, norm, found, figure)
        found.append(figure)
        last_end = consumed
    return found


_SENTENCE_END_RE = re.compile(r"[!?؟\n]|\.(?!\d)")
_UNIT_LOOKBACK = 20  # figures a bare scale number looks back over for a unit: bounded, so a huge page stays linear
ACROSS_SENTENCES = 1e9  # the smallest scale word a bare number carries a unit of across sentences: مليار


def _inherit_unit(lexicon: FigureLexicon, norm: str, found: list[Figure], figure: Figure) -> Figure:
    """A bare scale number takes the unit of the nearest figure before it with a unit (not a count or a
    percent): in its sentence whatever its scale («بلغت الصادرات 28 مليار دولار، والواردات 9 مليارات» — the 9
    مليارات are dollars too), in an earlier sentence only with a scale of a billion or more, which counts
    money or energy, not people («ليرتفع من 100 مليار سنوياً» after the article's dollar figures; «ويعمل في
    القطاع 9 آلاف» stays a count). The flag says so."""
    before = next((f for f in islice(reversed(found), _UNIT_LOOKBACK) if f.dimension not in ("count", "percent")), None)
    if before is None:
        return figure
    if not _SENTENCE_END_RE.search(norm, before.end, figure.start):
        flag = figure.flag.replace(_BARE_SCALE, f"unit {before.unit} taken from the figure before it")
    elif _scale_of(lexicon, norm, figure) >= ACROSS_SENTENCES:
        flag = figure.flag.replace(_BARE_SCALE, f"unit {before.unit} taken from the figure before it in the article")
    else:
        return figure
    return figure._replace(unit=before.unit, dimension=before.dimension, options=before.options, flag=flag)


def _scale_of(lexicon: FigureLexicon, norm: str, figure: Figure) -> float:
    """The value of the scale word a figure ends with («20 مليارا» → 1e9), else 1."""
    words = norm[figure.start : figure.end].split()
    entry = lexicon.numbers.get(words[-1]) if words else None
    return entry[0] if entry and entry[1] in ("scale", "dual") else 1.0
