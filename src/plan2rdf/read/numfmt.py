"""A spreadsheet cell as the person sees it: the stored number rendered through its number format.

Excel stores 120% as 1.2 with the format ``0%`` and 「10,000件」 as 10000 with ``#,##0"件"``; reading
the stored number would drop the percent and the unit. The formats Japanese offices use (digit
placeholders, thousands separators, percent, literal units, dates with 年月日 and the Japanese era)
are rendered here; any other format is reported, so the reader can warn instead of guessing.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from plan2rdf.i18n import Text

__all__ = ["Rendered", "render"]

_COLOR_RE = re.compile(r"^(?:black|blue|cyan|green|magenta|red|white|yellow|color\d+)$", re.IGNORECASE)
_PLACEHOLDERS = frozenset("0#?")
# The Japanese era of a date (Excel's g, gg, ggg and e): its first day, letter, short and full name.
_ERAS = (
    (dt.date(2019, 5, 1), "R", "令", "令和"),
    (dt.date(1989, 1, 8), "H", "平", "平成"),
    (dt.date(1926, 12, 25), "S", "昭", "昭和"),
    (dt.date(1912, 7, 30), "T", "大", "大正"),
    (dt.date(1868, 10, 23), "M", "明", "明治"),
)
_WEEKDAYS = "月火水木金土日"


@dataclass(frozen=True)
class Rendered:
    text: str
    problem: Text | None = None  # why the format could not be rendered (the text is then the stored value)


def general(value: object) -> str:
    """The stored value as Excel's General format shows it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def render(value: object, number_format: str | None) -> Rendered:
    """The text of a cell holding ``value`` with the format ``number_format``."""
    fmt = number_format or "General"
    if isinstance(value, bool) or value is None or isinstance(value, str) or fmt in ("General", "@"):
        return Rendered(general(value))
    try:
        if isinstance(value, dt.datetime | dt.date):
            text = _date(value, _section(fmt, 1))
        elif isinstance(value, int | float):
            text = _number(value, fmt)
        else:
            return Rendered(general(value))
    except _Unrenderable as exc:
        return Rendered(general(value), exc.args[0])
    return Rendered(text)


class _Unrenderable(Exception):
    pass


def _sections(fmt: str) -> list[str]:
    sections, current, quoted, escaped = [], [], False, False
    for ch in fmt:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == '"':
            quoted = not quoted
        elif ch == ";" and not quoted:
            sections.append("".join(current))
            current = []
            continue
        current.append(ch)
    sections.append("".join(current))
    return sections


def _section(fmt: str, sign: int) -> str:
    sections = _sections(fmt)
    if sign < 0 and len(sections) > 1:
        return sections[1]
    if sign == 0 and len(sections) > 2:
        return sections[2]
    return sections[0]


def _tokens(section: str) -> list[tuple[str, str]]:
    """("lit", text) for what is shown as written, ("code", chars) for the format's codes."""
    tokens: list[tuple[str, str]] = []
    i = 0
    while i < len(section):
        ch = section[i]
        if ch == '"':
            end = section.find('"', i + 1)
            end = len(section) if end < 0 else end
            tokens.append(("lit", section[i + 1 : end]))
            i = end + 1
        elif ch == "\\" and i + 1 < len(section):
            tokens.append(("lit", section[i + 1]))
            i += 2
        elif ch in "_*":  # padding to a character's width, and fill: nothing to show in text
            i += 2
        elif ch == "[":
            end = section.find("]", i)
            end = len(section) if end < 0 else end
            tokens.extend(_bracket(section[i + 1 : end]))
            i = end + 1
        else:
            tokens.append(("code", ch))
            i += 1
    return tokens


def _bracket(content: str) -> list[tuple[str, str]]:
    if _COLOR_RE.match(content):
        return []
    if content.startswith("$"):  # [$¥-411]: a currency symbol and a locale; [$-411]: a locale only
        return [("lit", content[1:].split("-", 1)[0])]
    raise _Unrenderable(Text(ja=f"書式コード [{content}]", en=f"the format code [{content}]"))


def _number(value: float, fmt: str) -> str:
    sign = (value > 0) - (value < 0)
    sections = _sections(fmt)
    section = _section(fmt, sign)
    tokens = _tokens(section)
    codes = "".join(c for kind, c in tokens if kind == "code")
    if re.search(r"[EeyYdDhHsSgG/]", codes) or (re.search(r"m", codes) and not re.search(r"[0#?]", codes)):
        raise _Unrenderable(Text(ja=f"数値の書式 {fmt!r}", en=f"the number format {fmt!r}"))
    scale = 100 ** codes.count("%")
    run_start = next((i for i, (k, c) in enumerate(tokens) if k == "code" and c in _PLACEHOLDERS), None)
    if run_start is None:  # no digits shown at all: only the literals
        return "".join(c for _, c in tokens)
    run_end = run_start
    while run_end < len(tokens) and tokens[run_end][0] == "code" and tokens[run_end][1] in "0#?,.":
        run_end += 1
    run = "".join(c for _, c in tokens[run_start:run_end])
    if any(k == "code" and c in _PLACEHOLDERS for k, c in tokens[run_end:]) or run.endswith(","):
        raise _Unrenderable(
            Text(ja=f"数値の書式 {fmt!r}", en=f"the number format {fmt!r}")
        )  # split digit groups, or scaling by 1000
    digits = _digits(abs(value) * scale, run)
    negative = value < 0 and (len(sections) < 2 or sign == 0)
    before = "".join(c for _, c in tokens[:run_start])
    after = "".join(c for _, c in tokens[run_end:])
    return ("-" if negative and digits.strip("0.,") else "") + before + digits + after


def _digits(value: float, run: str) -> str:
    integer_part, _, fraction_part = run.partition(".")
    decimals = sum(c in _PLACEHOLDERS for c in fraction_part)
    fixed = Decimal(repr(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    whole, _, fraction = f"{fixed:f}".partition(".")
    min_whole = integer_part.count("0")
    whole = whole.lstrip("0").rjust(min_whole, "0")
    if "," in integer_part and whole:
        whole = f"{int(whole):,}".rjust(len(whole), "0") if len(whole) > 3 else whole
    min_fraction = len(fraction_part.rstrip("#?"))
    fraction = fraction.rstrip("0").ljust(min_fraction, "0") if decimals else ""
    return whole + ("." + fraction if "." in run else "")


def _date(value: dt.date, section: str) -> str:
    tokens = _tokens(section)
    codes = [c for k, c in tokens if k == "code"]
    if "0" in codes or "#" in codes:
        raise _Unrenderable(Text(ja=f"日付の書式 {section!r}", en=f"the date format {section!r}"))
    out: list[str] = []
    i = 0
    seen_hour = False
    while i < len(tokens):
        kind, ch = tokens[i]
        if kind == "lit":
            out.append(ch)
            i += 1
            continue
        j = i
        while j < len(tokens) and tokens[j] == ("code", ch):
            j += 1
        run = ch * (j - i)
        upcoming = "".join(c for k, c in tokens[j:] if k == "code").lstrip(" /-:.")
        out.append(_date_code(value, run, minute=(seen_hour or upcoming[:1] in ("s", "S")) and ch in "mM"))
        seen_hour = seen_hour or ch in "hH"
        i = j
    return "".join(out)


def _date_code(value: dt.date, run: str, *, minute: bool) -> str:
    ch, n = run[0].lower(), len(run)
    moment = value if isinstance(value, dt.datetime) else dt.datetime.combine(value, dt.time())
    if ch not in "ymdhsgea":
        return run  # a separator Excel shows as written: - / : . space 年 月 日
    if ch == "y":
        return f"{moment.year % 100:02d}" if n <= 2 else str(moment.year)
    if ch == "m" and minute:
        return f"{moment.minute:0{min(n, 2)}d}"
    if ch == "m" and n <= 2:
        return f"{moment.month:0{n}d}"
    if ch == "d" and n <= 2:
        return f"{moment.day:0{n}d}"
    if ch == "h":
        return f"{moment.hour:0{min(n, 2)}d}"
    if ch == "s":
        return f"{moment.second:0{min(n, 2)}d}"
    if ch == "a" and n in (3, 4):
        return _WEEKDAYS[moment.weekday()] + ("曜日" if n == 4 else "")
    if ch in "ge":
        era = next((e for e in _ERAS if moment.date() >= e[0]), None)
        if era is None:
            raise _Unrenderable(Text(ja="明治より前の日付", en="a date before the Meiji era"))
        if ch == "g":
            return era[min(n, 3)]
        return f"{moment.year - era[0].year + 1:0{min(n, 2)}d}"
    raise _Unrenderable(Text(ja=f"日付のコード {run!r}", en=f"the date code {run!r}"))
