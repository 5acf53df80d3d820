"""Dates, times and money as Korean and English readers expect them, against hand-worked values."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from haechi.domain.localformat import korean_amount, local_date, local_datetime, number, won

UTC = dt.UTC


@pytest.mark.parametrize(("value", "tz", "ko", "en"), [
    # 05:30 UTC is 14:30 in Seoul (UTC+9, no summer time)
    (dt.datetime(2026, 12, 6, 5, 30, tzinfo=UTC), "Asia/Seoul", "2026년 12월 6일 14:30 (KST)", "2026-12-06 14:30 KST"),
    # 16:30 UTC on 6 December is already 01:30 on 7 December in Seoul
    ("2026-12-06T16:30:45.123456+00:00", "Asia/Seoul", "2026년 12월 7일 01:30 (KST)", "2026-12-07 01:30 KST"),
    # a naive timestamp is UTC; microseconds never show
    (dt.datetime(2026, 12, 31, 15, 0, 0, 999999), "Asia/Seoul", "2027년 1월 1일 00:00 (KST)", "2027-01-01 00:00 KST"),
    # Brussels: winter CET (UTC+1) and summer CEST (UTC+2)
    ("2026-01-15T12:00:00Z", "Europe/Brussels", "2026년 1월 15일 13:00 (CET)", "2026-01-15 13:00 CET"),
    ("2026-07-01T12:00:00+00:00", "Europe/Brussels", "2026년 7월 1일 14:00 (CEST)", "2026-07-01 14:00 CEST"),
    # a zone without letters for its abbreviation shows its offset
    ("2026-07-01T12:00:00+00:00", "America/Sao_Paulo",
     "2026년 7월 1일 09:00 (UTC-03:00)", "2026-07-01 09:00 UTC-03:00"),
    ("2026-07-01T12:00:00+00:00", "UTC", "2026년 7월 1일 12:00 (UTC)", "2026-07-01 12:00 UTC"),
])
def test_an_instant_reads_in_the_organisations_zone(value: object, tz: str, ko: str, en: str) -> None:
    assert local_datetime(value, "ko", tz) == ko
    assert local_datetime(value, "en", tz) == en


def test_dates_and_what_is_not_a_time() -> None:
    assert local_date(dt.date(2026, 12, 6), "ko") == "2026년 12월 6일"
    assert local_date(dt.date(2026, 12, 6), "en") == "2026-12-06"
    assert local_date("2026-03-09", "ko") == "2026년 3월 9일"
    # the date of an instant is its date in the zone: 20:00 UTC is the next morning in Seoul
    assert local_date("2026-12-06T20:00:00+00:00", "ko", "Asia/Seoul") == "2026년 12월 7일"
    assert local_date("2026-12-06T20:00:00+00:00", "en", "UTC") == "2026-12-06"
    assert local_datetime(dt.date(2026, 12, 6), "ko") == "2026년 12월 6일"
    assert local_datetime(None, "ko") == "—"
    assert local_datetime("not a time", "en") == "not a time"
    assert local_datetime("2026-12-06T05:30:00+00:00", "ko", "No/Such_Zone").endswith("05:30 (UTC)")


@pytest.mark.parametrize(("amount", "ko", "en"), [
    (1_200_000_000_000, "1조 2,000억 원", "KRW 1,200,000,000,000"),
    (350_000_000, "3억 5,000만 원", "KRW 350,000,000"),
    (123_456_789, "1억 2,345만 6,789 원", "KRW 123,456,789"),
    (12_345_678_901_234_567, "12,345조 6,789억 123만 4,567 원", "KRW 12,345,678,901,234,567"),
    (30_000_000, "3,000만 원", "KRW 30,000,000"),
    (100_000_000, "1억 원", "KRW 100,000,000"),
    (10_000, "1만 원", "KRW 10,000"),
    (9_500, "9,500 원", "KRW 9,500"),
    (0, "0 원", "KRW 0"),
    (1234.6, "1,235 원", "KRW 1,235"),
])
def test_korean_money_reads_in_man_eok_jo(amount: float, ko: str, en: str) -> None:
    assert won(amount, "ko") == ko
    assert won(amount, "en") == en


_UNIT = {"조": 10**12, "억": 10**8, "만": 10**4}


def _read_back(text: str) -> int:
    """The integer a Korean reader takes from 만/억/조 groups."""
    total = 0
    for digits, unit in re.findall(r"([\d,]+)(조|억|만)?", text):
        total += int(digits.replace(",", "")) * _UNIT.get(unit, 1)
    return total


@given(st.integers(min_value=0, max_value=10**17))
def test_korean_amounts_read_back_to_the_same_number(amount: int) -> None:
    text = korean_amount(amount)
    assert _read_back(text) == amount
    # each group below its unit: at most 9,999 of 만 and 억
    assert all(int(g.replace(",", "")) < 10_000 for g in re.findall(r"([\d,]+)(?:억|만)", text))


def test_numbers_keep_separators() -> None:
    assert number(1234567) == "1,234,567"
    assert number(0.123456) == "0.1235"
    assert number(7_654_321.5) == "7,654,322"
    assert number(None) == "—"
