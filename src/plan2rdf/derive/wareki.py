"""Japanese era dates (和暦) and fiscal years: reading them from plan text and naming them.

A plan dates its targets in many ways: 令和3年度, 令和3年度前半, 令和2年中, 令和3年2月28日, R3.1.27,
H31.1～R3.12, 2021年度. This module reads each into a :class:`Period` (first and last day, both
inclusive, and what kind of span the text named) and names periods back in both languages.

Rules worth knowing:

- Eras start on their official days (明治 1868-10-23, 大正 1912-07-30, 昭和 1926-12-25,
  平成 1989-01-08, 令和 2019-05-01). A named period must overlap its era: 平成31年4月30日 and
  平成31年度 (FY2019 began in 平成) are valid, 平成31年5月1日 and 平成32年度 are not.
- The Japanese fiscal year runs 1 April to 31 March and is named after its start year; it is named
  in the era in force on 31 December of that year, so FY2019 is 令和元年度 (平成31年度 is read too).
- Japan used a lunisolar calendar until 明治5年12月2日; era dates with a month before 明治6年 (1873)
  are refused rather than silently misconverted. The April fiscal year dates from 1886.
- Full-width digits and letters are folded one character for one, so spans found in a text
  are spans of that very text.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

__all__ = [
    "ERAS",
    "Era",
    "InvalidEraDate",
    "Period",
    "era_of",
    "find_periods",
    "fiscal_year",
    "fold_width",
    "parse_period",
    "to_western",
]

KINDS = ("day", "month", "fiscal-year", "fiscal-half", "calendar-year", "range")

# The April–March fiscal year was introduced in 明治19年; earlier "fiscal years" differ.
FIRST_FISCAL_YEAR = 1886
# The Gregorian calendar was adopted on 明治6年1月1日; earlier era months are lunisolar months.
GREGORIAN_SINCE = date(1873, 1, 1)


class InvalidEraDate(ValueError):
    """A date expression that names no real day: outside its era, or no such month or day."""


@dataclass(frozen=True)
class Era:
    name: str  # 令和
    letter: str  # R, as in R3.1.27
    symbol: str  # ㋿, the one-character form some fonts and forms use
    start: date  # first day, official
    end: date | None  # last day; None for the current era


ERAS: tuple[Era, ...] = (
    Era("明治", "M", "㍾", date(1868, 10, 23), date(1912, 7, 29)),
    Era("大正", "T", "㍽", date(1912, 7, 30), date(1926, 12, 24)),
    Era("昭和", "S", "㍼", date(1926, 12, 25), date(1989, 1, 7)),
    Era("平成", "H", "㍻", date(1989, 1, 8), date(2019, 4, 30)),
    Era("令和", "R", "㋿", date(2019, 5, 1), None),
)
_ERA_BY_KEY = {key: era for era in ERAS for key in (era.name, era.letter, era.letter.lower(), era.symbol)}


def _era(key: str) -> Era:
    try:
        return _ERA_BY_KEY[key]
    except KeyError:
        raise ValueError(f"unknown era {key!r}: use one of {', '.join(e.name for e in ERAS)}") from None


def _overlaps(era: Era, start: date, end: date) -> bool:
    return start <= (era.end or date.max) and end >= era.start


def to_western(era: str, year: int) -> int:
    """The Gregorian year of ``year`` of ``era`` (name, letter or symbol): ``to_western("令和", 3) == 2021``.

    Raises InvalidEraDate for a year the era never had (令和0年, 平成32年).
    """
    e = _era(era)
    western = e.start.year + year - 1
    if year < 1 or not _overlaps(e, date(western, 1, 1), date(western, 12, 31)):
        raise InvalidEraDate(f"{e.name}{year}年 does not exist")
    return western


def era_of(day: date) -> tuple[str, int] | None:
    """The era name and year in force on ``day`` (e.g. ``("令和", 1)``), or None before 明治."""
    for era in reversed(ERAS):
        if day >= era.start:
            return era.name, day.year - era.start.year + 1
    return None


def _era_year_ja(day: date) -> str | None:
    named = era_of(day)
    if named is None:
        return None
    name, year = named
    return f"{name}{'元' if year == 1 else year}年"


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


@dataclass(frozen=True)
class Period:
    """A span of days named by a date expression; ``start`` and ``end`` are both inclusive."""

    start: date
    end: date
    kind: str  # "day" | "month" | "fiscal-year" | "fiscal-half" | "calendar-year" | "range"

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown period kind {self.kind!r}")
        if self.start > self.end:
            raise ValueError(f"a period cannot end ({self.end}) before it starts ({self.start})")

    @property
    def fiscal_year(self) -> int | None:
        """The fiscal year's start year (2021 for 令和3年度) for fiscal years and their halves."""
        if self.kind in ("fiscal-year", "fiscal-half"):
            return self.start.year if self.start.month >= 4 else self.start.year - 1
        return None

    @property
    def label_ja(self) -> str:
        """Canonical Japanese name: 令和3年度, 令和3年度前半, 令和2年, 令和3年6月, 令和3年2月28日, ranges with ～."""
        if self.kind == "range":
            first, last = _range_parts(self)
            return f"{first.label_ja}～{last.label_ja}"
        return _label_ja(self)

    @property
    def label_en(self) -> str:
        """English/ISO name: FY2021, FY2021 H1, 2020, 2021-06, 2021-02-28, ranges with an en dash."""
        if self.kind == "range":
            first, last = _range_parts(self)
            return f"{first.label_en}–{last.label_en}"
        if self.kind == "day":
            return self.start.isoformat()
        if self.kind == "month":
            return f"{self.start.year:04d}-{self.start.month:02d}"
        if self.kind == "calendar-year":
            return f"{self.start.year:04d}"
        if self.kind == "fiscal-year":
            return f"FY{self.fiscal_year}"
        return f"FY{self.fiscal_year} {'H1' if self.start.month == 4 else 'H2'}"


def _label_ja(p: Period) -> str:
    if p.kind in ("fiscal-year", "fiscal-half"):
        fy = p.fiscal_year
        assert fy is not None
        # Named in the era in force on 31 December of the start year: FY2019 is 令和元年度.
        year = _era_year_ja(date(fy, 12, 31)) or f"{fy}年"
        half = "" if p.kind == "fiscal-year" else ("前半" if p.start.month == 4 else "後半")
        return f"{year}度{half}"
    if p.kind == "calendar-year":
        return _era_year_ja(date(p.start.year, 12, 31)) or f"{p.start.year}年"
    # Months and days: era forms only where era months are Gregorian months (from 明治6年).
    anchor = p.end if p.kind == "month" else p.start
    year = _era_year_ja(anchor) if anchor >= GREGORIAN_SINCE else None
    year = year or f"{p.start.year}年"
    if p.kind == "month":
        return f"{year}{p.start.month}月"
    return f"{year}{p.start.month}月{p.start.day}日"


def _range_parts(p: Period) -> tuple[Period, Period]:
    """A range's ends at the coarsest grain that fits: fiscal years, else months, else days."""
    s, e = p.start, p.end
    if (s.month, s.day, e.month, e.day) == (4, 1, 3, 31) and e.year - s.year >= 2:
        return fiscal_year(s.year), fiscal_year(e.year - 1)
    if s.day == 1 and e == _month_end(e.year, e.month):
        return Period(s, _month_end(s.year, s.month), "month"), Period(date(e.year, e.month, 1), e, "month")
    return Period(s, s, "day"), Period(e, e, "day")


def fiscal_year(year: int) -> Period:
    """The fiscal year starting 1 April ``year``: ``fiscal_year(2021)`` is 令和3年度, 2021-04-01..2022-03-31."""
    if year < FIRST_FISCAL_YEAR:
        raise InvalidEraDate(f"the April fiscal year starts in {FIRST_FISCAL_YEAR}; FY{year} is not one")
    return Period(date(year, 4, 1), date(year + 1, 3, 31), "fiscal-year")


def _fiscal_half(year: int, second: bool) -> Period:
    fy = fiscal_year(year)
    if second:
        return Period(date(year, 10, 1), fy.end, "fiscal-half")
    return Period(fy.start, date(year, 9, 30), "fiscal-half")


# ---------------------------------------------------------------------------------------------
# Reading

# Full-width ASCII to ASCII and the ideographic space to a space, one character for one, so that
# spans in the folded text are spans in the caller's text.
_FOLD = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_FOLDABLE_RE = re.compile("[\uff01-\uff5e\u3000]")

_KANJI_DIGITS = {"〇": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_N = r"(?:[0-9]{1,3}|[一二三四五六七八九十]{1,3})"  # an era year, a month or a day
_HALF = r"(?P<half>前半|後半|上半期|下半期|上期|下期)"
_SECOND_HALF = ("後半", "下半期", "下期")
# What follows a year: a month (and day), 年度 (and half), 年中, or the bare year (not 年間: a duration).
_AFTER_YEAR = (
    r"\s*年(?:\s*(?P<m>" + _N + r")\s*月(?:\s*(?P<d>" + _N + r")\s*日)?"
    r"|\s*度" + _HALF + r"?|(?P<naka>中)|(?![間度]))"
)
_DOTTED = r"[./](?P<dm>[0-9]{1,2})(?:[./](?P<dd>[0-9]{1,2}))?(?![0-9]|[./][0-9])"
_POINT_RE = re.compile(
    r"(?:(?:(?P<era>明治|大正|昭和|平成|令和|[㍾㍽㍼㍻㋿])|(?<![A-Za-z0-9])(?P<abbr>[MTSHR]))\s*(?P<ey>元|" + _N + r")"
    r"|(?<![0-9A-Za-z.,])(?P<wy>[0-9]{4}))"
    r"(?:" + _AFTER_YEAR + r"|" + _DOTTED + r"|-(?P<im>[0-9]{1,2})-(?P<id>[0-9]{1,2})(?![0-9]))"
)
# After a range connector the second end may leave out what it shares with the first.
_TAIL_RE = re.compile(
    r"(?P<ey>元|" + _N + r")\s*年\s*度" + _HALF + r"?"
    r"|(?P<ey2>元|" + _N + r")\s*年\s*(?P<m>" + _N + r")\s*月(?:\s*(?P<d>" + _N + r")\s*日)?"
    r"|(?P<m2>" + _N + r")\s*月(?:\s*(?P<d2>" + _N + r")\s*日)?"
)
# 令和3～5年度: one era, two years, one 年度.
_FY_SPAN_RE = re.compile(
    r"(?P<era>明治|大正|昭和|平成|令和|[㍾㍽㍼㍻㋿])\s*(?P<y1>元|" + _N + r")\s*[~〜]\s*(?P<y2>" + _N + r")\s*年\s*度"
)
_STARTS_RE = re.compile(r"明治|大正|昭和|平成|令和|[㍾㍽㍼㍻㋿MTSHR0-9]")  # where a date can start
_CONNECTOR_RE = re.compile(r"\s*(?:[~〜]|(?P<kara>から))\s*")


def _int(text: str) -> int:
    """A year, month or day in ASCII or kanji digits (元, 十二, 三十一, 二〇)."""
    if text == "元":
        return 1
    if text.isascii():
        return int(text)
    total = current = 0
    for ch in text:
        if ch == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = current * 10 + _KANJI_DIGITS[ch]
    return total + current


def _make(
    era_key: str | None, year: int, month: int | None, day: int | None, *, fy: bool = False, half: str | None = None
) -> Period:
    """The period an expression names, checked against the calendar and its era."""
    era = _era(era_key) if era_key else None
    named = _name(era, year, month, day, fy=fy, half=half)
    if era is not None:
        if year < 1:
            raise InvalidEraDate(f"{named} does not exist: era years start at 元年 (1)")
        western = era.start.year + year - 1
    else:
        western = year
    try:
        if fy:
            period = _fiscal_half(western, half in _SECOND_HALF) if half else fiscal_year(western)
        elif month is None:
            period = Period(date(western, 1, 1), date(western, 12, 31), "calendar-year")
        elif day is None:
            period = Period(date(western, month, 1), _month_end(western, month), "month")
        else:
            period = Period(date(western, month, day), date(western, month, day), "day")
    except InvalidEraDate:
        raise
    except ValueError as exc:  # month 13, 2月30日, year 0
        raise InvalidEraDate(f"{named} is no date: {exc}") from None
    if era is not None:
        if not _overlaps(era, period.start, period.end):
            last = era.end.isoformat() if era.end else ""
            raise InvalidEraDate(f"{named} ({period.label_en}) is outside {era.name} ({era.start.isoformat()}–{last})")
        if month is not None and period.start < GREGORIAN_SINCE:
            raise InvalidEraDate(f"{named} is a lunisolar date (before 明治6年, 1873): not converted")
    return period


def _name(era: Era | None, year: int, month: int | None, day: int | None, *, fy: bool, half: str | None) -> str:
    """The expression as written, for messages: 平成31年5月1日, 令和0年, 2021年度後半."""
    text = f"{era.name}{'元' if year == 1 else year}年" if era else f"{year}年"
    if fy:
        return f"{text}度{half or ''}"
    if month is not None:
        text += f"{month}月"
    if day is not None:
        text += f"{day}日"
    return text


def _point(m: re.Match[str]) -> Period | None:
    """The period of a _POINT_RE match; None when the form is not a date after all (2021.4)."""
    g = m.groupdict()
    era_key = g["era"] or g["abbr"]
    year = _int(g["ey"]) if era_key else int(g["wy"])
    if g["im"] is not None:  # 2021-04-01
        if era_key:
            return None
        return _make(None, year, int(g["im"]), int(g["id"]))
    if g["dm"] is not None:
        # Dotted dates: R3.4 and R3.1.27; a western year needs the day (2021.4 may be a decimal).
        if not era_key and g["dd"] is None:
            return None
        day = int(g["dd"]) if g["dd"] else None
        return _make(era_key, year, int(g["dm"]), day)
    is_fy = "度" in m.group(0)
    month = _int(g["m"]) if g["m"] else None
    day = _int(g["d"]) if g["d"] else None
    return _make(era_key, year, month, day, fy=is_fy, half=g["half"])


def _tail(text: str, pos: int, first: re.Match[str]) -> tuple[Period, int] | None:
    """The second end of a range written without the era (and year) it shares with the first."""
    m = _TAIL_RE.match(text, pos)
    g = first.groupdict()
    era_key = g["era"] or g["abbr"]
    if m is None or (g["wy"] is None and era_key is None):
        return None
    t = m.groupdict()
    if t["ey"] is not None:  # 令和3年度～5年度
        year = _int(t["ey"]) if era_key else None
        if year is None:
            return None
        return _make(era_key, year, None, None, fy=True, half=t["half"]), m.end()
    if t["ey2"] is not None:  # 令和3年4月～4年3月
        if not era_key:
            return None
        period = _make(era_key, _int(t["ey2"]), _int(t["m"]), _int(t["d"]) if t["d"] else None)
        return period, m.end()
    # 令和3年4月～6月: the year is the first end's, and the first end must itself name a month.
    if g["m"] is None and g["dm"] is None:
        return None
    year = _int(g["ey"]) if era_key else int(g["wy"])
    day = _int(t["d2"]) if t["d2"] else None
    return _make(era_key, year, _int(t["m2"]), day), m.end()


def _parse_at(text: str, pos: int) -> tuple[Period, int] | None:
    """The longest date expression starting exactly at ``pos``: a point or a range. May raise InvalidEraDate."""
    span = _FY_SPAN_RE.match(text, pos)
    if span:
        era = span["era"]
        first = _make(era, _int(span["y1"]), None, None, fy=True)
        last = _make(era, _int(span["y2"]), None, None, fy=True)
        return _range(first, last), span.end()
    m = _POINT_RE.match(text, pos)
    if m is None:
        return None
    first = _point(m)
    if first is None:
        return None
    end = m.end()
    conn = _CONNECTOR_RE.match(text, end)
    if conn:
        after = conn.end()
        second: tuple[Period, int] | None = None
        m2 = _POINT_RE.match(text, after)
        if m2:
            p2 = _point(m2)
            second = (p2, m2.end()) if p2 else None
        if second is None:
            second = _tail(text, after, m)
        if second is not None:
            end = second[1]
            if conn["kara"] and text.startswith("まで", end):
                end += 2  # 「令和3年4月から令和4年3月まで」: the まで closes the range.
            return _range(first, second[0]), end
    return first, end


def _range(first: Period, last: Period) -> Period:
    if last.end < first.start:
        raise InvalidEraDate(f"the range {first.label_ja}～{last.label_ja} ends before it starts")
    return Period(first.start, last.end, "range")


def fold_width(text: str) -> str:
    """Full-width ASCII (０-９, Ａ-Ｚ, （）, ：, ％, ～…) as ASCII, one character for one, so spans are kept."""
    # translate looks every character up in a dict; folded text (the callers' own, often) has nothing to fold
    return text.translate(_FOLD) if _FOLDABLE_RE.search(text) else text


def parse_period(text: str) -> Period | None:
    """The period a whole date expression names, or None if ``text`` is not one.

    >>> parse_period("令和3年度").label_en
    'FY2021'

    Raises InvalidEraDate for an expression naming no real day (平成31年5月1日, 令和0年, 2月30日).
    """
    folded = fold_width(text).strip()
    found = _parse_at(folded, 0)
    if found is None or found[1] != len(folded):
        return None
    return found[0]


def find_periods(text: str) -> list[tuple[Period, int, int]]:
    """Every date expression in free text as ``(period, start, end)`` spans of ``text``, in order.

    Expressions naming no real day (平成31年5月1日) are skipped: free text is read for what it
    certainly says.
    """
    folded = fold_width(text)
    found: list[tuple[Period, int, int]] = []
    pos = 0
    while (m := _STARTS_RE.search(folded, pos)) is not None:
        try:
            hit = _parse_at(folded, m.start())
        except InvalidEraDate:
            hit = None
            # Skip the whole expression, not just its first character, so no tail of it is read.
            bad = _POINT_RE.match(folded, m.start())
            pos = bad.end() if bad else m.end()
            continue
        if hit is None:
            # A number that is no date: step over all its digits (so "12021年" is not read as 2021年).
            pos = m.end()
            while pos < len(folded) and folded[pos].isdigit():
                pos += 1
            continue
        period, end = hit
        found.append((period, m.start(), end))
        pos = end
    return found
