"""kit.arabic.dates: dates in Arabic news text with offsets, in every month series and digit shape, and
publication dates read from metadata, Hijri ones converted with the Umm al-Qura calendar."""

import datetime as dt

import pandas as pd
import pytest

from kit.arabic.dates import find_dates, read_published


@pytest.mark.parametrize("text, expected", [
    ("وصل الرئيس في ١١ أبريل ٢٠٢٣ إلى أستانا", dt.date(2023, 4, 11)),
    ("نشر في 11 ابريل/ نيسان 2023", dt.date(2023, 4, 11)),
    ("بتاريخ 10 تشرين الثاني 2023", dt.date(2023, 11, 10)),
    ("le 3 جانفي 2024", dt.date(2024, 1, 3)),
    ("نوفمبر 10, 2023", dt.date(2023, 11, 10)),
])
def test_full_dates_in_every_series_and_digit_shape_point_back_into_the_text(text, expected):
    [found] = find_dates(text)
    assert text[found.start : found.end] == found.surface
    assert found.date == expected


def test_a_month_and_year_has_no_day_and_no_date():
    [found] = find_dates("بلغ حجم التجارة في فبراير 2022 نحو ملياري دولار")
    assert (found.surface, found.year, found.month, found.day, found.date) == ("فبراير 2022", 2022, 2, None, None)


def test_an_impossible_day_is_found_but_has_no_date():
    [found] = find_dates("في 31 فبراير 2023")
    assert found.day == 31 and found.date is None


@pytest.mark.parametrize("value, expected, hijri", [
    ("2023-11-10", "2023-11-10", False),
    ("١١ أبريل ٢٠٢٣", "2023-04-11", False),
    (dt.date(2023, 4, 11), "2023-04-11", False),
    ("1 رمضان 1445", "2024-03-11", True),  # the first day of Ramadan 1445 (Umm al-Qura)
    ("26 جمادى الأولى 1445 هـ", "2023-12-10", True),
])
def test_published_values_are_read_and_hijri_ones_converted_keeping_their_text(value, expected, hijri):
    published = read_published(value, today=dt.date(2026, 12, 7))
    assert published.problem is None
    assert published.date == pd.Timestamp(expected)
    assert published.raw == (value if hijri else None)


@pytest.mark.parametrize("value, says", [
    ("today", "is not a date"),
    ("1750-01-01", "1800"),
    ("2031-01-01", "future"),
    ("soon 12", "cannot be read"),
])
def test_implausible_published_values_are_refused_with_the_reason(value, says):
    published = read_published(value, today=dt.date(2026, 12, 7))
    assert published.date is None
    assert says in published.problem


@pytest.mark.parametrize("value", [None, "", float("nan"), pd.NaT])
def test_empty_published_values_are_empty_without_a_problem(value):
    assert read_published(value) == read_published(None)
    assert read_published(value).date is None and read_published(value).problem is None
