"""What a found figure means: its kind from the cue words of its sentence (data/figure_kinds.csv), the
year it refers to — an explicit year in its clause, a relative year («العام الماضي») against the publication
date, a dated figure of its kind before it — and its value in US dollars (the stated equivalent or
data/fx_rates.csv). Imports kit.base, kit.arabic and kit.extract.figure_lexicon.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Sequence

from kit.arabic.clauses import figure_clause_breaks
from kit.arabic.dates import month_names
from kit.arabic.text import (
    clause_around,
    clitic_match_core,
)
from kit.extract.figure_lexicon import (
    MONEY_KINDS,
    TIMELESS,
    YEAR_RE,
    Figure,
    FigureLexicon,
)
from kit.extract.figure_spans import find_figures

__all__ = ["figure_kind", "figure_year", "financing_only", "names_no_measure", "to_usd"]


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
    value_of = _value_word_before(lexicon, norm, sentence[0], figure)  # «مشروع مشترك ... بقيمة»: the nearest cue before it decides
    best = value_of and _best_cue(lexicon, norm, (value_of[1], value_of[0]), figure, wanted, nearest=True)
    best = best or (_clause_cue(lexicon, norm, sentence, figure) if wanted == "money" else None) or _best_cue(lexicon, norm, sentence, figure, wanted)
    if best is not None:
        return "energy" if figure.dimension == "energy" else best[2]  # «صدرت 1.7 مليار برميل», «تنتج 10.3 مليون برميل»: oil is energy
    return {"energy": "energy", "percent": "share"}.get(figure.dimension, "other")


def _best_cue(lexicon: FigureLexicon, norm: str, span: tuple[int, int], figure: Figure, wanted: str, nearest: bool = False) -> tuple[int, int, str] | None:
    """(-priority, distance, kind) of the cue of norm[span] for a figure of the `wanted` dimension that
    decides its kind: the highest priority, then the nearest (with `nearest`, the nearest alone)."""
    best: tuple[int, int, str] | None = None
    for match in lexicon.patterns["cues"].finditer(norm, *span):
        core, start, end = clitic_match_core(match)
        for kind, priority, dimension in lexicon.cues.get(core, ()):
            if dimension != wanted or (nearest and end > span[1]):
                continue
            distance = figure.start - end if end <= figure.start else start - figure.end + 10
            candidate = (0 if nearest else -priority, abs(distance), kind)
            best = candidate if best is None or candidate < best else best
    return best


def financing_only(lexicon: FigureLexicon, norm: str, sentence: tuple[int, int]) -> bool:
    """Whether the only money cues of the sentence are the generic words for financing («وسيقسم التمويل
    الجديد بواقع 800 مليون دولار»): aid, unless the financing is a loan the sentence before reports."""
    found = False
    for match in lexicon.patterns["cues"].finditer(norm, *sentence):
        core = clitic_match_core(match)[0]
        if any(dimension == "money" for _, _, dimension in lexicon.cues.get(core, ())):
            if core not in lexicon.financing:
                return False
            found = True
    return found


def names_no_measure(lexicon: FigureLexicon, norm: str, sentence: tuple[int, int]) -> bool:
    """Whether the sentence has no cue but those of change: «كانت تشير إلى زيادة شهرية قدرها 0.2% وارتفاع
    سنوي بنسبة 2.8%» says by how much, not of what; its percents continue the measure of the one before."""
    for match in lexicon.patterns["cues"].finditer(norm, *sentence):
        if any(kind != "growth" for kind, _, _ in lexicon.cues.get(clitic_match_core(match)[0], ())):
            return False
    return True


def _clause_cue(lexicon: FigureLexicon, norm: str, sentence: tuple[int, int], figure: Figure) -> tuple[int, int, str] | None:
    """The cue of a money figure's own clause when it is more than a bare «قيمة» (priority 2 or more): a
    sentence of several amounts names each in its clause («تراجعت العوائد ...، ومتوسط سعر شهري للبرميل عند 46
    دولارا» is a price, though revenue ranks above price in the sentence). Percents keep the sentence's
    cues: a price index makes a rise in its clause a rate («صعد المؤشر الأساسي 0.3%، ... بعد ارتفاعه 0.2%»)."""
    breaks = [(m.start(), m.end()) for m in figure_clause_breaks().finditer(norm, *sentence)]
    best = _best_cue(lexicon, norm, clause_around(breaks, sentence, figure.start), figure, "money")
    return best if best is not None and -best[0] >= 2 else None


def _value_word_before(lexicon: FigureLexicon, norm: str, sentence_start: int, figure: Figure) -> tuple[int, int] | None:
    """(start of the value word, start of its clause) when a value word («بقيمة») stands right before a money
    figure (its qualifier between): the stretch whose nearest cue names what the value is of; else None."""
    if figure.dimension != "money":
        return None
    words = list(re.finditer(r"\S+", norm[max(sentence_start, figure.start - 40) : figure.start]))
    offset = max(sentence_start, figure.start - 40)
    for word in reversed(words[-4:]):
        if word.group().strip(_PUNCTUATION) in lexicon.value_of:
            breaks = [(m.start(), m.end()) for m in figure_clause_breaks().finditer(norm, sentence_start, figure.start)]
            return offset + word.start(), max([b[1] for b in breaks], default=sentence_start)
    return None


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
    breaks = [(m.start(), m.end()) for m in figure_clause_breaks().finditer(norm, *sentence)]
    start, end = clause_around(breaks, sentence, figure.start)
    start = _with_fronted_time(norm, breaks, sentence, start)
    compared = lexicon.patterns["compared_from"].search(norm[figure.end : end])
    if compared:
        end = figure.end + compared.start()
    candidates = _explicit_years(lexicon, norm, start, end, spans) + _relative_years(lexicon, norm, figure, start, end, spans, published)
    candidates += _day_month_years(norm, start, end, published)
    candidates += _named_month_years(lexicon, norm, start, end, published)
    candidates = _own_years(norm, figure, start, end, candidates)
    candidates = _not_the_targets(lexicon, norm, figure, end, candidates)
    candidates = _not_after_another_number(norm, figure, candidates)
    if candidates:
        position, year, basis = min(candidates, key=lambda c: (abs(c[0] - figure.start), c[0] < figure.start))
        if year is not None or basis == "vague":
            return year, basis
        if basis == "relative" and published is None:
            return None, "relative"  # «العام الحالي» on an undated page: a year the reader cannot know, not another sentence's
    return _year_without_candidates(lexicon, norm, sentence, figure, start, end, published)


def _relative_years(lexicon: FigureLexicon, norm: str, figure: Figure, start: int, end: int, spans, published: dt.date | None) -> list[tuple[int, int | None, str]]:
    """(position, year, basis) of each relative time expression in the figure's clause norm[start:end],
    except those that say what the figure is compared with."""
    found = []
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
            if earlier and not _YEAR_FOLLOWS_RE.match(norm, match.end()):  # «في نفس الفترة من 2024»: that year says
                found.append((match.start(), earlier[-1][1], "earlier year"))
        elif unit == "vague":
            found.append((match.start(), None, "vague"))
        else:
            found.append((match.start(), _relative_year(unit, offset, published), "relative"))
    return found


_YEAR_FOLLOWS_RE = re.compile(r"\s+(?:من\s+)?(?:(?:ال)?عام\s+)?(?:19|20)\d\d(?!\d)")


def _year_without_candidates(lexicon: FigureLexicon, norm: str, sentence: tuple[int, int], figure: Figure, start: int, end: int,
                             published: dt.date | None) -> tuple[int | None, str]:
    """The year of a figure whose clause names none: timeless, per period, a date of its sentence, since,
    hypothetical, else the publication year."""
    if figure.dimension in TIMELESS:
        return None, "timeless"
    after = _words(norm[figure.end : min(end, figure.end + 40)])[:4]  # «1.2 مليار متر مكعب من الغاز سنويا»
    pairs = [" ".join(after[i : i + 2]) for i in range(len(after) - 1)]  # «في السنة»
    if any(w in lexicon.per_period for w in after + pairs) and not (figure.dimension == "money" and _current(lexicon, norm, start, figure.start, sentence[0])) \
            and not (published is not None and _measured(lexicon, norm, start, figure.start, sentence[0])):
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


def _measured(lexicon: FigureLexicon, norm: str, start: int, end: int, sentence_start: int) -> bool:
    """Whether a perfect verb of amount in norm[start:end] states a rate as measured: «رفعت مستوى الإنتاج
    بواقع 4.425 مليون برميل يوميا» (the rate of the article's time), unlike a forecast («من المتوقع»)."""
    if set(_words(norm[sentence_start:end])) & lexicon.expected:
        return False
    return any(w.removeprefix("و").removeprefix("ف") in lexicon.past for w in _words(norm[start:end]))


def _since_year(lexicon: FigureLexicon, norm: str, sentence: tuple[int, int]) -> bool:
    """Whether the sentence counts from a year on: «منذ عام 2005»."""
    for match in YEAR_RE.finditer(norm, *sentence):
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


def _not_the_targets(lexicon: FigureLexicon, norm: str, figure: Figure, end: int, candidates: list[tuple[int, int | None, str]]) -> list[tuple[int, int | None, str]]:
    """The candidates without those after Y when the figure is the X of «من X إلى Y» in its clause: «ليرتفع
    من 100 مليار سنوياً إلى 200 مليار بحلول عام 2024» — 2024 is the target's year, not the starting level's."""
    before = _words(norm[max(0, figure.start - 12) : figure.start])
    if figure.qualifier is not None or not before or before[-1] not in lexicon.from_:
        return candidates
    target = next(iter(find_figures(norm[figure.end : end])), None)
    if target is None or not set(_words(norm[figure.end : figure.end + target.start])) & lexicon.to:
        return candidates
    return [c for c in candidates if c[0] < figure.end + target.start]


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
    for match in YEAR_RE.finditer(norm, start, end):
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


LOOKBACK = 20  # sentences an undated figure looks back for a dated one: bounded, so a 20 MB page stays linear


def year_of_sentence_before(
    lexicon: FigureLexicon, norm: str, before: tuple[int, int], sentence: tuple[int, int], kind: str, published: dt.date | None,
    same_paragraph: bool = True, later: bool = False,
) -> tuple[int, str] | None:
    """(year, "earlier sentence") when the sentence before, in the same paragraph, reports a figure of the
    same kind with a year of its own: «وفي الفترة من يناير إلى نوفمبر 2023، بلغ حجم التبادل التجاري 37.7
    مليار دولار. وشكلت الصادرات 28.1 مليار دولار» — the exports are of 2023 too. On a page with no
    publication date (`same_paragraph=False`) any earlier sentence, or the earlier part of the figure's own,
    may date it, a money figure of any money kind dating a money figure: without it the figure would have no
    year at all; failing those, a `later` one, its figures
    read nearest first ((year, "later sentence"): «عائدات ... منذ بداية العام وحتى نهاية شهر أغسطس الماضي نحو
    276 مليار ريال» on an undated page whose next sentence gives January's «يناير 2016»)."""
    if (same_paragraph and "\n" in norm[before[1] : sentence[0]]) or kind in ("count", "other"):
        return None
    found = find_figures(norm[before[0] : before[1]])
    for figure in found if later else reversed(found):
        figure = figure._replace(start=figure.start + before[0], end=figure.end + before[0])
        year, basis = figure_year(lexicon, norm, before, figure, [(figure.start, figure.end)], published)
        other = figure_kind(lexicon, norm, before, figure)
        if basis in ("explicit", "relative") and (other == kind or (not same_paragraph and other in MONEY_KINDS and kind in MONEY_KINDS)):
            # the nearest says; an undated «العام الحالي» stops the search
            return (year, "later sentence" if later else "earlier sentence") if year is not None else (None, "relative")
    return None


def implausible(lexicon: FigureLexicon, figure: Figure, kind: str, value_usd: float | None) -> str | None:
    """Why a figure's size is beyond belief (`data/figure_limits.csv`), or None."""
    unit, value = ("USD", value_usd) if figure.dimension == "money" else (figure.unit, figure.value)
    top = max(value, figure.value_high or value) if value is not None else None
    if top is None:
        return None
    if kind == "share" and top > 100:
        return f"a share of {top:g} %: above 100 %"
    limit = lexicon.limits.get(unit)
    return f"implausibly large: {top:g} {unit} is above {limit:g}" if limit is not None and abs(top) > limit else None
