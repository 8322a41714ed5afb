"""Dates in Arabic news text, with offsets: "١١ أبريل ٢٠٢٣", "نوفمبر 10, 2023", "12th, November 2023 GMT".

Outlets print dates day-first or month-first, in Western or Arabic-Indic digits, with month names from
several series (Egyptian يناير…, Levantine كانون الثاني…, Maghrebi جانفي…, English), sometimes two series at
once ("11 ابريل/ نيسان 2023"). The month names live in `data/months.csv`. `find_dates` returns every full
date or month-and-year in a text as a `DateMatch` with offsets into the original text; matching happens on
the matching form of `kit.arabic.text`, so hamza, diacritics and digit shapes do not matter.

`read_published` reads a publication date given as metadata (a table cell, a metadata.csv cell): a
Gregorian date in any of those forms or ISO, or a Hijri date (ISO with a 13xx–15xx year, a `هـ` mark, a
Hijri month name from `data/hijri_months.csv`) converted to Gregorian with the Umm al-Qura calendar
(`hijridate`). A value before 1800, more than a year in the future, or not a date ("today") is refused
with the reason, so one bad cell never takes down a load.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from kit.arabic.text import normalize, normalize_with_offsets
from kit.base.lexicons import Column, data_path, read_table

__all__ = ["DateMatch", "Published", "find_dates", "month_names", "hijri_month_names", "read_published"]


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


# ---------------------------------------------------------------------------------------------------
# Publication dates given as metadata

EARLIEST = dt.date(1800, 1, 1)  # the earliest year find_dates reads (18xx–20xx)
FUTURE_DAYS = 366
HIJRI_YEARS = (1300, 1599)  # an ISO date with such a year is Hijri («1445-05-26»)


@dataclass(frozen=True)
class Published:
    """A publication date read from metadata: the date (None if none), the original text when it was
    converted from Hijri, and why the value was refused (None when it was read or empty)."""

    date: pd.Timestamp | None
    raw: str | None = None
    problem: str | None = None


@lru_cache(maxsize=1)
def hijri_month_names() -> dict[str, int]:
    """Matching form of each Hijri month name → month number, from data/hijri_months.csv."""
    rows = read_table(
        data_path("hijri_months.csv"),
        [Column("name", required=True), Column("month", "int", required=True)],
        row_check=lambda r: None if 1 <= r["month"] <= 12 else "month must be 1..12",
    )
    return {normalize(name).lower(): month for name, month in zip(rows["name"], rows["month"])}


@lru_cache(maxsize=1)
def _hijri_patterns() -> tuple[re.Pattern, list[re.Pattern]]:
    names = sorted(hijri_month_names(), key=len, reverse=True)
    month = "(?P<month>" + "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in names) + r")(?!\w)"
    year, day = r"(?P<year>\d{3,4})(?!\d)", r"(?P<day>[0-3]?\d)"
    mark = re.compile(r"\d\s*ه(?!\w)")  # «1445 هـ» (the tatweel is dropped by normalize)
    return mark, [
        re.compile(rf"(?<!\d){year}[-/.](?P<month>[01]?\d)[-/.]{day}(?!\d)"),  # 1445-05-26, 1445/5/26
        re.compile(rf"(?<!\d){day}[-/.](?P<month>[01]?\d)[-/.]{year}"),  # 26/5/1445
        re.compile(rf"(?<!\d){day}\s+(?:من\s+)?{month}\s*,?\s*(?:(?:لعام|عام|سنة)\s+)?{year}"),  # 26 جمادى الأولى 1445
    ]


def _hijri(text: str) -> Published | None:
    """The Gregorian date of a Hijri date text, a refusal if it looks Hijri but is not one, or None if it does not look Hijri."""
    normalized = normalize(text).lower()
    mark, patterns = _hijri_patterns()
    for number, pattern in enumerate(patterns):
        match = pattern.search(normalized)
        if match is None:
            continue
        year, day, month = int(match["year"]), int(match["day"]), match["month"]
        named = number == 2
        if not (named or HIJRI_YEARS[0] <= year <= HIJRI_YEARS[1] or (mark.search(normalized) and year < EARLIEST.year)):
            continue  # a Gregorian date
        month_number = hijri_month_names()[re.sub(r"\s+", " ", month)] if named else int(month)
        from hijridate import Hijri

        try:
            gregorian = Hijri(year, month_number, day).to_gregorian()
        except OverflowError:
            return Published(None, text, "is a Hijri date outside the Umm al-Qura calendar (years 1343–1500 AH)")
        except ValueError:
            return Published(None, text, "is not a valid Hijri date")
        return Published(pd.Timestamp(gregorian.year, gregorian.month, gregorian.day), text)
    hijri_words = mark.search(normalized) or any(re.search(rf"(?<!\w){re.escape(n)}(?!\w)", normalized) for n in hijri_month_names())
    if hijri_words and not any(d.date for d in find_dates(text)):
        return Published(None, text, "looks like a Hijri date but cannot be read (write it as 1445-05-26 or 26 جمادى الأولى 1445)")
    return None


def _checked(stamp: pd.Timestamp, raw: str | None, today: dt.date | None) -> Published:
    stamp = stamp.tz_convert(None) if stamp.tzinfo else stamp
    latest = (today or dt.date.today()) + dt.timedelta(days=FUTURE_DAYS)
    if stamp.date() < EARLIEST:
        return Published(None, raw, f"is out of range (before {EARLIEST.year})")
    if stamp.date() > latest:
        return Published(None, raw, f"is more than a year in the future (after {latest.isoformat()})")
    return Published(pd.Timestamp(stamp).as_unit("ns"), raw)


def read_published(value, *, today: dt.date | None = None) -> Published:
    """A publication date from metadata: a date object, ISO text, any form `find_dates` reads
    ("١١ أبريل ٢٠٢٣"), or a Hijri date; `today` (default: the clock) bounds dates in the future."""
    if value is None or value is pd.NaT or value is pd.NA or (isinstance(value, float) and value != value):
        return Published(None)
    if isinstance(value, (dt.date, np.datetime64)):
        try:
            stamp = pd.Timestamp(value)
        except (ValueError, OverflowError):
            return Published(None, None, "is out of range")
        return Published(None) if stamp is pd.NaT else _checked(stamp, None, today)
    text = str(value).strip()
    if not text:
        return Published(None)
    hijri = _hijri(text)
    if hijri is not None:
        return hijri if hijri.date is None else _checked(hijri.date, text, today)
    if not re.search(r"\d", normalize(text)):  # «today», «now»: pandas reads them as the clock's time
        return Published(None, None, "is not a date")
    found = [d.date for d in find_dates(text) if d.date]
    if found:
        return _checked(pd.Timestamp(found[0]), None, today)
    try:
        stamp = pd.Timestamp(text)
    except (ValueError, TypeError, OverflowError):
        return Published(None, None, "cannot be read as a date")
    return Published(None) if stamp is pd.NaT else _checked(stamp, None, today)
