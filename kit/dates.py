"""Dates in Arabic news text, with offsets: "١١ أبريل ٢٠٢٣", "نوفمبر 10, 2023", "12th, November 2023 GMT".

Outlets print dates day-first or month-first, in Western or Arabic-Indic digits, with month names from
several series (Egyptian يناير…, Levantine كانون الثاني…, Maghrebi جانفي…, English), sometimes two series at
once ("11 ابريل/ نيسان 2023"). The month names live in `data/months.csv`. `find_dates` returns every full
date or month-and-year in a text as a `DateMatch` with offsets into the original text; matching happens on
the matching form of `kit.text`, so hamza, diacritics and digit shapes do not matter.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from .lexicons import Column, data_path, read_table
from .text import normalize, normalize_with_offsets

__all__ = ["DateMatch", "find_dates", "month_names"]


@dataclass(frozen=True)
class DateMatch:
    """A date found in text: text[start:end] == surface; day is None for "فبراير 2022"."""

    start: int
    end: int
    surface: str
    year: int
    month: int
    day: int | None

    @property
    def date(self) -> dt.date | None:
        if self.day is None:
            return None
        try:
            return dt.date(self.year, self.month, self.day)
        except ValueError:
            return None


@lru_cache(maxsize=1)
def month_names() -> dict[str, int]:
    """Matching form of each month name → month number, from data/months.csv."""
    rows = read_table(
        data_path("months.csv"),
        [Column("name", required=True), Column("month", "int", required=True), Column("series")],
        row_check=lambda r: None if 1 <= r["month"] <= 12 else "month must be 1..12",
    )
    return {normalize(name).lower(): month for name, month in zip(rows["name"], rows["month"])}


@lru_cache(maxsize=1)
def _patterns() -> list[re.Pattern]:
    names = sorted(month_names(), key=len, reverse=True)
    month = "(?:" + "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in names) + r")(?!\w)"
    months = rf"(?P<month>{month})(?:\s*/\s*{month})?"
    day = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?(?!\d)"
    year = r"(?P<year>(?:1[89]|20)\d\d)(?!\d)"
    flags = re.IGNORECASE
    return [
        re.compile(rf"(?<!\d){day},?\s+{months},?\s+{year}", flags),  # 12th, November 2023 / ١١ أبريل ٢٠٢٣
        re.compile(rf"(?<!\w){months}\s+{day},?\s*{year}", flags),  # نوفمبر 10, 2023
        re.compile(rf"(?<!\d){year}-(?P<month>[01]\d)-(?P<day>[0-3]\d)(?!\d)"),  # 2023-11-10
        re.compile(rf"(?<![\d/]){day}/(?P<month>[01]?\d)/{year}"),  # 10/11/2023 (day first)
        re.compile(rf"(?<!\w){months},?\s+{year}", flags),  # فبراير 2022
    ]


def _month_number(value: str) -> int:
    if value.isdigit():
        return int(value)
    return month_names()[re.sub(r"\s+", " ", value.lower())]


def find_dates(text: str) -> list[DateMatch]:
    """Every date (and month + year) in `text`, left to right, non-overlapping, with original offsets."""
    normalized = normalize_with_offsets(text)
    found: list[tuple[int, int, re.Match]] = []
    for pattern in _patterns():
        for match in pattern.finditer(normalized.text):
            found.append((match.start(), -match.end(), match))
    found.sort(key=lambda item: (item[0], item[1]))
    dates: list[DateMatch] = []
    last_end = -1
    for start, negative_end, match in found:
        if start < last_end:
            continue
        groups = match.groupdict()
        month = _month_number(groups["month"])
        day = int(groups["day"]) if groups.get("day") else None
        if not 1 <= month <= 12 or (day is not None and not 1 <= day <= 31):
            continue
        original_start, original_end = normalized.span(start, -negative_end)
        surface = text[original_start:original_end]
        dates.append(DateMatch(original_start, original_end, surface, int(groups["year"]), month, day))
        last_end = -negative_end
    return dates
