"""Japanese era dates and fiscal years. Expected dates are worked out by hand from the era tables."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from plan2rdf.derive.wareki import (
    ERAS,
    InvalidEraDate,
    Period,
    era_of,
    find_periods,
    fiscal_year,
    fold_width,
    parse_period,
    to_western,
)


def fy(year: int) -> Period:
    return Period(date(year, 4, 1), date(year + 1, 3, 31), "fiscal-year")


@pytest.mark.parametrize(
    ("text", "start", "end", "kind", "label_ja", "label_en"),
    [
        ("令和3年度", date(2021, 4, 1), date(2022, 3, 31), "fiscal-year", "令和3年度", "FY2021"),
        ("令和３年度", date(2021, 4, 1), date(2022, 3, 31), "fiscal-year", "令和3年度", "FY2021"),
        ("令和 3 年度", date(2021, 4, 1), date(2022, 3, 31), "fiscal-year", "令和3年度", "FY2021"),
        ("令和元年度", date(2019, 4, 1), date(2020, 3, 31), "fiscal-year", "令和元年度", "FY2019"),
        ("平成31年度", date(2019, 4, 1), date(2020, 3, 31), "fiscal-year", "令和元年度", "FY2019"),
        ("H29年度", date(2017, 4, 1), date(2018, 3, 31), "fiscal-year", "平成29年度", "FY2017"),
        ("2021年度", date(2021, 4, 1), date(2022, 3, 31), "fiscal-year", "令和3年度", "FY2021"),
        ("令和5年度", date(2023, 4, 1), date(2024, 3, 31), "fiscal-year", "令和5年度", "FY2023"),
        ("令和6年度", date(2024, 4, 1), date(2025, 3, 31), "fiscal-year", "令和6年度", "FY2024"),
        ("㋿3年度", date(2021, 4, 1), date(2022, 3, 31), "fiscal-year", "令和3年度", "FY2021"),
        ("令和3年度前半", date(2021, 4, 1), date(2021, 9, 30), "fiscal-half", "令和3年度前半", "FY2021 H1"),
        ("令和3年度後半", date(2021, 10, 1), date(2022, 3, 31), "fiscal-half", "令和3年度後半", "FY2021 H2"),
        ("令和3年度上半期", date(2021, 4, 1), date(2021, 9, 30), "fiscal-half", "令和3年度前半", "FY2021 H1"),
        ("令和2年中", date(2020, 1, 1), date(2020, 12, 31), "calendar-year", "令和2年", "2020"),
        ("令和元年中", date(2019, 1, 1), date(2019, 12, 31), "calendar-year", "令和元年", "2019"),
        ("令和3年2月28日", date(2021, 2, 28), date(2021, 2, 28), "day", "令和3年2月28日", "2021-02-28"),
        ("令和三年四月一日", date(2021, 4, 1), date(2021, 4, 1), "day", "令和3年4月1日", "2021-04-01"),
        ("令和3年6月", date(2021, 6, 1), date(2021, 6, 30), "month", "令和3年6月", "2021-06"),
        ("令和3年12月", date(2021, 12, 1), date(2021, 12, 31), "month", "令和3年12月", "2021-12"),
        ("令和2年2月", date(2020, 2, 1), date(2020, 2, 29), "month", "令和2年2月", "2020-02"),
        ("R3.1.27", date(2021, 1, 27), date(2021, 1, 27), "day", "令和3年1月27日", "2021-01-27"),
        ("Ｒ３．１．２７", date(2021, 1, 27), date(2021, 1, 27), "day", "令和3年1月27日", "2021-01-27"),
        ("R3.4", date(2021, 4, 1), date(2021, 4, 30), "month", "令和3年4月", "2021-04"),
        ("H31.1", date(2019, 1, 1), date(2019, 1, 31), "month", "平成31年1月", "2019-01"),
        ("2021年4月", date(2021, 4, 1), date(2021, 4, 30), "month", "令和3年4月", "2021-04"),
        ("2021年4月1日", date(2021, 4, 1), date(2021, 4, 1), "day", "令和3年4月1日", "2021-04-01"),
        ("2021-04-01", date(2021, 4, 1), date(2021, 4, 1), "day", "令和3年4月1日", "2021-04-01"),
        ("2021/4/1", date(2021, 4, 1), date(2021, 4, 1), "day", "令和3年4月1日", "2021-04-01"),
        ("2020年", date(2020, 1, 1), date(2020, 12, 31), "calendar-year", "令和2年", "2020"),
        # Ranges
        ("H31.1～R3.12", date(2019, 1, 1), date(2021, 12, 31), "range", "平成31年1月～令和3年12月", "2019-01–2021-12"),
        ("H31.1〜R3.12", date(2019, 1, 1), date(2021, 12, 31), "range", "平成31年1月～令和3年12月", "2019-01–2021-12"),
        ("H31.1~R3.12", date(2019, 1, 1), date(2021, 12, 31), "range", "平成31年1月～令和3年12月", "2019-01–2021-12"),
        (
            "令和3年4月から令和4年3月まで",
            date(2021, 4, 1),
            date(2022, 3, 31),
            "range",
            "令和3年4月～令和4年3月",
            "2021-04–2022-03",
        ),
        ("令和3年4月～6月", date(2021, 4, 1), date(2021, 6, 30), "range", "令和3年4月～令和3年6月", "2021-04–2021-06"),
        ("令和3～5年度", date(2021, 4, 1), date(2024, 3, 31), "range", "令和3年度～令和5年度", "FY2021–FY2023"),
        ("令和3年度～令和5年度", date(2021, 4, 1), date(2024, 3, 31), "range", "令和3年度～令和5年度", "FY2021–FY2023"),
        ("令和3年度～5年度", date(2021, 4, 1), date(2024, 3, 31), "range", "令和3年度～令和5年度", "FY2021–FY2023"),
        (
            "令和3年4月1日～令和3年4月15日",
            date(2021, 4, 1),
            date(2021, 4, 15),
            "range",
            "令和3年4月1日～令和3年4月15日",
            "2021-04-01–2021-04-15",
        ),
    ],
)
def test_parse_period(text: str, start: date, end: date, kind: str, label_ja: str, label_en: str) -> None:
    period = parse_period(text)
    assert period == Period(start, end, kind)
    assert period.label_ja == label_ja
    assert period.label_en == label_en


@pytest.mark.parametrize(
    ("text", "day"),
    [
        # 平成 ends on 30 April 2019; 令和 starts on 1 May 2019.
        ("平成31年4月30日", date(2019, 4, 30)),
        ("令和元年5月1日", date(2019, 5, 1)),
        ("R1.5.1", date(2019, 5, 1)),
        ("R元.5.1", date(2019, 5, 1)),
        # 昭和 ends on 7 January 1989; 平成 starts on 8 January 1989.
        ("昭和64年1月7日", date(1989, 1, 7)),
        ("平成元年1月8日", date(1989, 1, 8)),
        # 大正 ends on 24 December 1926; 昭和 starts on 25 December 1926.
        ("大正15年12月24日", date(1926, 12, 24)),
        ("昭和元年12月25日", date(1926, 12, 25)),
        # 明治 ends on 29 July 1912; 大正 starts on 30 July 1912.
        ("明治45年7月29日", date(1912, 7, 29)),
        ("大正元年7月30日", date(1912, 7, 30)),
        # The first Gregorian day in Japan.
        ("明治6年1月1日", date(1873, 1, 1)),
        ("令和2年2月29日", date(2020, 2, 29)),
    ],
)
def test_era_boundaries_valid(text: str, day: date) -> None:
    assert parse_period(text) == Period(day, day, "day")


@pytest.mark.parametrize(
    "text",
    [
        "平成31年5月1日",  # that day is 令和元年5月1日
        "令和元年4月30日",
        "昭和64年1月8日",
        "平成元年1月7日",
        "大正15年12月25日",
        "昭和元年12月24日",
        "明治45年7月30日",
        "大正元年7月29日",
        "令和0年",
        "令和0年度",
        "平成32年度",  # FY2020 has no day in 平成
        "昭和64年度",  # FY1989 begins after 昭和 ended
        "平成31年5月",
        "令和元年4月",
        "平成32年",
        "令和3年2月29日",
        "令和3年13月",
        "R3.13",
        "R3.2.30",
        "明治5年12月2日",  # lunisolar calendar: refused, not misconverted
        "明治18年度",  # before the April fiscal year (1886)
        "令和4年3月～令和3年4月",  # ends before it starts
    ],
)
def test_invalid_dates_raise(text: str) -> None:
    with pytest.raises(InvalidEraDate):
        parse_period(text)


def test_invalid_era_date_is_a_value_error() -> None:
    assert issubclass(InvalidEraDate, ValueError)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("令和元年", date(2019, 1, 1), date(2019, 12, 31)),
        ("平成31年", date(2019, 1, 1), date(2019, 12, 31)),
        ("昭和64年", date(1989, 1, 1), date(1989, 12, 31)),
        ("明治5年", date(1872, 1, 1), date(1872, 12, 31)),  # a year only: no lunisolar day is named
    ],
)
def test_calendar_years_overlapping_their_era(text: str, start: date, end: date) -> None:
    assert parse_period(text) == Period(start, end, "calendar-year")


def test_fiscal_year_2019_has_both_names() -> None:
    assert parse_period("令和元年度") == parse_period("平成31年度") == fy(2019)
    assert parse_period("R1年度") == fy(2019)
    assert parse_period("明治19年度") == fy(1886)


@pytest.mark.parametrize(
    "text", ["令和", "3年度", "R3", "フェア2021", "2021.4", "令和3年度の入館者数", "", "令和3年度 目標", "12021年"]
)
def test_not_a_whole_period(text: str) -> None:
    assert parse_period(text) is None


@pytest.mark.parametrize(
    ("era", "year", "western"),
    [
        ("令和", 1, 2019),
        ("令和", 3, 2021),
        ("R", 3, 2021),
        ("r", 5, 2023),
        ("㋿", 2, 2020),
        ("平成", 1, 1989),
        ("平成", 31, 2019),
        ("H", 29, 2017),
        ("昭和", 1, 1926),
        ("昭和", 64, 1989),
        ("大正", 1, 1912),
        ("大正", 15, 1926),
        ("明治", 1, 1868),
        ("明治", 45, 1912),
    ],
)
def test_to_western(era: str, year: int, western: int) -> None:
    assert to_western(era, year) == western


@pytest.mark.parametrize(("era", "year"), [("令和", 0), ("平成", 32), ("昭和", 65), ("大正", 16), ("明治", 46)])
def test_to_western_impossible_years(era: str, year: int) -> None:
    with pytest.raises(InvalidEraDate):
        to_western(era, year)


def test_to_western_unknown_era() -> None:
    with pytest.raises(ValueError, match="unknown era"):
        to_western("慶応", 3)


def test_era_of() -> None:
    assert era_of(date(2019, 4, 30)) == ("平成", 31)
    assert era_of(date(2019, 5, 1)) == ("令和", 1)
    assert era_of(date(1989, 1, 7)) == ("昭和", 64)
    assert era_of(date(1868, 10, 22)) is None


def test_fiscal_year() -> None:
    p = fiscal_year(2021)
    assert p == Period(date(2021, 4, 1), date(2022, 3, 31), "fiscal-year")
    assert (p.label_ja, p.label_en, p.fiscal_year) == ("令和3年度", "FY2021", 2021)
    assert fiscal_year(2019).label_ja == "令和元年度"
    assert fiscal_year(2018).label_ja == "平成30年度"
    assert fiscal_year(1989).label_ja == "平成元年度"
    assert fiscal_year(1988).label_ja == "昭和63年度"  # FY1988 ends in 平成 but is named for its start year
    with pytest.raises(ValueError):
        fiscal_year(1885)


def test_fiscal_year_property() -> None:
    assert parse_period("令和3年度後半").fiscal_year == 2021
    assert parse_period("令和3年2月28日").fiscal_year is None
    assert parse_period("令和2年中").fiscal_year is None


def test_period_checks_itself() -> None:
    with pytest.raises(ValueError):
        Period(date(2021, 4, 2), date(2021, 4, 1), "range")
    with pytest.raises(ValueError):
        Period(date(2021, 4, 1), date(2021, 4, 1), "week")


def test_labels_before_the_gregorian_calendar_are_western() -> None:
    day = Period(date(1870, 5, 1), date(1870, 5, 1), "day")
    assert day.label_ja == "1870年5月1日"
    assert parse_period(day.label_ja) == day


# ---------------------------------------------------------------------------------------------
# Finding dates in the plan's own item texts


def test_find_periods_in_the_plan() -> None:
    """5-10's item names two periods among numbers that are names (11市町村, 2町, 第9期)."""
    from plan2rdf.read.reader import read_plan
    from plan2rdf.resources import bundled_plan

    items = read_plan(bundled_plan()).measure("5-10").indicator.items
    text = next(item for item in items if "第9期" in item)
    found = find_periods(text)
    assert [(text[s:e], p) for p, s, e in found] == [
        ("R3.4", Period(date(2021, 4, 1), date(2021, 4, 30), "month")),
        ("H31.1～R3.12", Period(date(2019, 1, 1), date(2021, 12, 31), "range")),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "令和3年2月28日現在 アプリダウンロード者件数7,019 目標数 年間15,000",
            [("令和3年2月28日", Period(date(2021, 2, 28), date(2021, 2, 28), "day"))],
        ),
        (
            "総合医療情報システムへのアクセス件数 1,200,000件（令和5年度） （第7次福島県医療計画より）",
            [("令和5年度", fy(2023))],
        ),
        (
            "令和2年中の「交通事故情報公開システム」へのアクセス数は約17,000回で、令和元年中と比較して約6,000件増加している。",
            [
                ("令和2年中", Period(date(2020, 1, 1), date(2020, 12, 31), "calendar-year")),
                ("令和元年中", Period(date(2019, 1, 1), date(2019, 12, 31), "calendar-year")),
            ],
        ),
        (
            "令和3年度前半までに6手続の運用を開始し",
            [("令和3年度前半", Period(date(2021, 4, 1), date(2021, 9, 30), "fiscal-half"))],
        ),
        (
            "令和3年12月までにサーバ更新を行う。",
            [("令和3年12月", Period(date(2021, 12, 1), date(2021, 12, 31), "month"))],
        ),
        ("ネットワークの登録率（R3.1.27現在）", [("R3.1.27", Period(date(2021, 1, 27), date(2021, 1, 27), "day"))]),
        ("令和３年４月から", [("令和３年４月", Period(date(2021, 4, 1), date(2021, 4, 30), "month"))]),
        ("ふくしまICT未来フェア2021（仮称）", []),
        ("県内ICT関連企業・業務等就労者数 年間42人（3年間累計126人）", []),
        ("Society5.0", []),
        ("12021年", []),
        # An impossible date is skipped; the valid one after it is still found.
        ("平成31年5月1日と令和元年5月1日", [("令和元年5月1日", Period(date(2019, 5, 1), date(2019, 5, 1), "day"))]),
    ],
)
def test_find_periods(text: str, expected: list[tuple[str, Period]]) -> None:
    assert [(text[s:e], p) for p, s, e in find_periods(text)] == expected


def test_fold_width_keeps_length() -> None:
    text = "令和３年度（ＲＯＵＮＤ）　１００％"
    assert len(fold_width(text)) == len(text)
    assert fold_width(text) == "令和3年度(ROUND) 100%"


# ---------------------------------------------------------------------------------------------
# Property-based: names round-trip through the parser

_GREGORIAN = st.dates(min_value=date(1873, 1, 1), max_value=date(2999, 12, 31))


@given(_GREGORIAN)
def test_day_label_round_trip(day: date) -> None:
    period = Period(day, day, "day")
    assert parse_period(period.label_ja) == period
    assert parse_period(period.label_en) == period


@given(_GREGORIAN)
def test_abbreviated_era_round_trip(day: date) -> None:
    named = era_of(day)
    assert named is not None
    name, year = named
    letter = next(e.letter for e in ERAS if e.name == name)
    assert parse_period(f"{letter}{year}.{day.month}.{day.day}") == Period(day, day, "day")


@given(_GREGORIAN)
def test_full_width_era_round_trip(day: date) -> None:
    label = Period(day, day, "day").label_ja
    full_width = label.translate({c: c + 0xFEE0 for c in range(ord("0"), ord("9") + 1)})
    assert parse_period(full_width) == Period(day, day, "day")


@given(st.integers(min_value=1886, max_value=2999))
def test_fiscal_year_round_trip(year: int) -> None:
    period = fiscal_year(year)
    assert parse_period(period.label_ja) == period
    assert parse_period(f"{year}年度") == period
    assert period.fiscal_year == year


@given(_GREGORIAN)
def test_month_round_trip(day: date) -> None:
    first = day.replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    period = Period(first, last, "month")
    assert parse_period(period.label_ja) == period


@given(st.dates(min_value=date(1873, 1, 1), max_value=date(2100, 12, 31)))
def test_era_boundaries_property(day: date) -> None:
    """A date written in any era other than the one in force that day is refused."""
    name, _ = era_of(day)
    for era in ERAS:
        if era.name == name:
            continue
        other_year = day.year - era.start.year + 1
        if other_year < 1:
            continue
        with pytest.raises(InvalidEraDate):
            parse_period(f"{era.name}{other_year}年{day.month}月{day.day}日")
