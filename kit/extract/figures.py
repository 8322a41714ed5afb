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
in its clause resolved against the publication date (on an undated page, the year its text calls
current: «عام 2009 الماضي» makes it 2010, `implied_published`), else from a figure of the same kind in the sentence
before, else none for a total since a year or a figure in a condition, else the publication year
(`year_basis` names the rule that decided), its `countries` from the
actors of the sentence (neutral international institutions of bloc `other`, which report or lend, are not
parties) or else the article's two most mentioned countries, and `value_usd` from the stated dollar
equivalent or `data/fx_rates.csv`.
A reading that may be wrong keeps a `flag` saying why: one separator before three digits (1,500 طن is
1500, or 1.5 with a decimal comma), a decimal broken by a space («23. 1 بالمئة»), a bare scale number that
took the unit of the figure before it in its sentence («الواردات 9.6 مليار») or, a billion or more, in an
earlier one, a size beyond
`data/figure_limits.csv`. `kit.conflicts()` groups figures that measure the same thing and flags the groups
whose sources disagree (kit.analysis.conflicts). The lexicon and number reading are in
kit.extract.figure_lexicon, finding them in kit.extract.figure_spans, kind, year and dollars in
kit.extract.figure_meaning; this module turns an article's figures into rows (`describe`, `parse_figures`). Imports kit.base, kit.arabic and those two modules.
"""

from __future__ import annotations

import datetime as dt
from typing import Sequence

import numpy as np
import pandas as pd

from kit.arabic.text import (
    Normalized,
    normalize_with_offsets,
    split_sentences,
)
from kit.extract.figure_lexicon import (
    Figure,
    FigureLexicon,
)
from kit.extract.figure_meaning import (
    LOOKBACK,
    figure_kind,
    figure_year,
    financing_only,
    implausible,
    names_no_measure,
    to_usd,
    year_of_sentence_before,
)
from kit.extract.figure_spans import find_figures

__all__ = ["describe", "implied_published", "parse_figures", "same_amount_kinds", "settle_article"]


def parse_figures(text: str, published: dt.date | str | None = None) -> pd.DataFrame:
    """Figures of any text, without actors: surface, start, end, value, value_high, unit, qualifier,
    equivalent_value, equivalent_unit, kind, year, year_basis, value_usd, usd_basis."""
    if isinstance(published, str):
        published = dt.date.fromisoformat(published)
    normalized = normalize_with_offsets(text)
    published = published or implied_published(normalized.text)
    sentences = [_norm_span(normalized, s.start, s.end) for s in split_sentences(text)] or [(0, len(normalized.text))]
    rows = settle_article([describe(text, normalized, figure, sentences, published) for figure in find_figures(normalized.text)])
    return pd.DataFrame(rows, columns=list(_DESCRIBED))


def settle_article(rows: list[dict]) -> list[dict]:
    """The described figures of one article (in text order), settled by one another: `same_amount_kinds`,
    then a financing with no other money cue is the loan of the sentence before it in its paragraph («وقعت
    مصر اتفاق قرض بقيمة 1.5 مليار دولار ... وسيقسم التمويل الجديد بواقع 800 مليون دولار»), a percent of
    change whose sentence names no measure («زيادة شهرية قدرها 0.2%») is a rate when the
    percent before it, in its sentence or the one before, is one («ارتفع مؤشر أسعار المستهلكين بنسبة 0.2%»؛
    «أن تتراجع النسبة بشكل طفيف إلى 5.7%» after the core inflation's 6.2%)."""
    rows = same_amount_kinds(rows)
    for row, before in zip(rows[1:], rows):
        if row.get("open_financing") and before["kind"] == "loan" and row["sentence"] - before["sentence"] <= 1:
            row["kind"] = "loan"
    previous = None
    for row in rows:
        if row["unit"] != "percent":
            continue
        if row.get("open_growth") and previous is not None and previous["kind"] == "rate" and row["sentence"] - previous["sentence"] <= 1:
            row["kind"] = "rate"
        previous = row
    return rows


def same_amount_kinds(rows: list[dict]) -> list[dict]:
    """The described figures of one article, where one restates an amount the article reports with more
    context: a figure of kind `other` (no cue in its sentence) takes the kind of a figure of the same value
    and unit reported with one (the headline and lead «“20 مليار دولار وربما أكثر”» restate «أعلن ترامب عن
    استثمار جديد يبلغ 20 مليار دولار»), and one whose year is only the publication's takes the year of the
    same amount of its kind whose own clause dates it (the headline «20 مليار دولار حجم التبادل التجاري»
    restates the target «خلال السنوات الثلاث القادمة»: no year; year_basis `same amount`)."""
    kinds: dict[tuple, str] = {}
    years: dict[tuple, tuple] = {}
    for row in rows:
        if row["kind"] not in ("other", "count"):
            kinds.setdefault((row["value"], row["unit"]), row["kind"])
    for row in rows:
        if row["kind"] == "other" and (row["value"], row["unit"]) in kinds:
            row["kind"] = kinds[(row["value"], row["unit"])]
        if row["year_basis"] in _DATED_BY_CLAUSE:
            years.setdefault((row["value"], row["unit"], row["kind"]), row["year"])
    for row in rows:
        if row["year_basis"] in ("published", "unknown") and (row["value"], row["unit"], row["kind"]) in years:
            row["year"], row["year_basis"] = years[(row["value"], row["unit"], row["kind"])], "same amount"
            if row["usd_basis"] and row["usd_basis"].startswith("fx"):
                row["value_usd"], row["usd_basis"] = to_usd(FigureLexicon.default(), row["value"], row["unit"], row["year"])
    return rows


_DATED_BY_CLAUSE = ("explicit", "relative", "vague")  # the year bases a restated amount takes from its first report


def implied_published(norm: str) -> dt.date | None:
    """The last day of the year an undated article is of, when its text places an explicit year against its
    own time («عام 2009 الماضي»: of 2010; «عام 2022 الحالي»: of 2022; data/relative_time.csv, marked_year);
    None when it does not, or when two such marks disagree. Its relative expressions («العام الحالي»، «نيسان
    الماضي») are then resolved against that year."""
    lexicon = FigureLexicon.default()
    years = {int(m.group(1)) - lexicon.marked_year[m.group(2)] for m in lexicon.patterns["marked_year"].finditer(norm)}
    return dt.date(years.pop(), 12, 31) if len(years) == 1 else None


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
    open_growth = kind == "growth" and figure.dimension == "percent" and names_no_measure(lexicon, normalized.text, sentence)
    open_financing = kind == "aid" and financing_only(lexicon, normalized.text, sentence)
    paragraph_start = number == 0 or "\n" in normalized.text[sentences[number - 1][1] : sentence[0]]
    if basis == "published" and number > 0:
        year, basis = year_of_sentence_before(lexicon, normalized.text, sentences[number - 1], sentence, kind, published) or (year, basis)
    elif basis == "unknown":  # an undated page: the nearest figure of the same kind dated earlier in the article, else later, dates it
        earlier = [(sentence[0], figure.start)] + [sentences[i] for i in range(number - 1, max(-1, number - 1 - LOOKBACK), -1)]
        later = [(figure.end, sentence[1])] + [sentences[i] for i in range(number + 1, min(len(sentences), number + 1 + LOOKBACK))]
        for span, after in [(span, False) for span in earlier] + [(span, True) for span in later]:
            if found := year_of_sentence_before(lexicon, normalized.text, span, sentence, kind, published, same_paragraph=False, later=after):
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
        "flag": "; ".join(filter(None, [figure.flag, implausible(lexicon, figure, kind, value_usd)])) or None,
        "sentence": number,
        "open_growth": open_growth,  # a change of no named measure: settle_article may give it the measure before it
        "open_financing": open_financing and not paragraph_start,  # financing that may be the loan of the sentence before
    }


