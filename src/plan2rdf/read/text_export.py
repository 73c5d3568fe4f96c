"""The text export of the plan's PDF: header rows repeated per page, section headings, tab-separated
entry rows, and the list of directions at the top."""

from __future__ import annotations

import re

import plan2rdf.read.cells as cells
from plan2rdf.i18n import Text
from plan2rdf.model import Direction
from plan2rdf.problems import Collector, shorten
from plan2rdf.read.raw import COLUMNS, RawPlan, RawRow, digits
from plan2rdf.text import name_key, same_name

_HEADING_RE = re.compile(r"^([0-9０-９]{1,2})[ \u3000]+(\S.*)$")
_DIRECTION_ITEM_RE = re.compile(r"^「(?P<name>[^」]+)」[\s\u3000]*(?:[～〜~](?P<sub>.*?)[～〜~])?\s*$")
_PAGE_NUMBER_RE = re.compile(r"^[-－―–‐]?\s*[0-9０-９]{1,3}\s*[-－―–‐]?$|^[0-9]+\s*/\s*[0-9]+$")
_DIRECTIONS_MARKER = "施策の展開方向"


# Messages in both languages, named here so that the code reading the input stays short.
UNEXPECTED_HINT = Text(
    ja="施策の行、列見出しの行、または「2 …」のような章の見出しにしてください",
    en="expected an entry row, a column header row or a section heading such as 「2 …」",
)
ENTRY_BEFORE_HEADING = Text(
    ja="「1 復興の推進」のような章の見出しより前に施策の行があります",
    en="an entry row before any section heading such as 「1 復興の推進」",
)
ENTRY_BEFORE_HEADING_HINT = Text(
    ja="施策の属する展開方向の見出しを入れてください", en="add the heading of the direction the entries belong to"
)
COLUMNS_HINT = Text(
    ja="施策の行には 整理番号、新規、名称、取組概要、指標・目標、部局等名 担当課 をタブ区切りで入れてください。2 "
    "行に分かれたセルは 1 行につなげてください",
    en="every entry row needs 整理番号, 新規, 名称, 取組概要, 指標・目標 and 部局等名 担当課, separated by tabs; a "
    "cell broken over two lines must be joined",
)
NO_HEADING = Text(
    ja="「1 復興の推進」のような章の見出しが見つかりません", en="no section heading such as 「1 復興の推進」 was found"
)
NUMBER_WITHOUT_GAPS = Text(
    ja="展開方向に 1, 2, 3… と抜けなく番号を振ってください", en="number the directions 1, 2, 3… without gaps"
)
NO_HEADING_HINT = Text(
    ja="書き出しに展開方向の見出しを残してください", en="the export must keep the headings of the directions"
)
HEADINGS_IN_ORDER = Text(
    ja="見出しは展開方向の一覧と同じ名前・同じ順にしてください",
    en="the headings must follow the list of directions, in order",
)


# Every row is checked against the header, and the header repeats on every page: keyed once.
_COLUMN_KEYS = [name_key(c) for c in COLUMNS]
_HEADER_KEY = _COLUMN_KEYS[0]


def _is_header(fields: list[str]) -> bool:
    if fields[0].isascii() and fields[0].isdigit():
        return False  # an entry's number (most rows): its name key is itself, no header's
    return name_key(fields[0]) == _HEADER_KEY


def _check_header(fields: list[str], lineno: int, out: Collector) -> None:
    if [name_key(f) for f in fields] != _COLUMN_KEYS:
        out.error(
            Text(
                ja=f"列見出しの行が {len(fields)} 列 {[shorten(f) for f in fields]!r} です。"
                f"{list(COLUMNS)!r} の列が必要です",
                en=f"the column header row has {len(fields)} columns {[shorten(f) for f in fields]!r}; "
                f"expected {list(COLUMNS)!r}",
            ),
            line=lineno,
            hint=Text(
                ja="テキスト書き出しには計画の 6 列を残してください",
                en="the text export must keep the plan's six columns",
            ),
        )


def read_text_export(text: str, out: Collector) -> RawPlan:
    """Rows of the PDF's text export: header rows repeated per page, section headings, entries."""
    raw = RawPlan(rows=[])
    listed: list[Direction] = []
    headings: list[Direction] = []
    intro: list[str] = []
    in_direction_list = False
    section: str | None = None
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip(" \t\u3000\r"):
            continue
        if "\t" in line:
            fields = line.split("\t")
            if _is_header(fields):
                _check_header(fields, lineno, out)
                continue
            item = _DIRECTION_ITEM_RE.match(line) if section is None else None
            if item:
                in_direction_list = True
                listed.append(Direction(len(listed) + 1, item["name"].strip(), _subtitle(item["sub"]), lineno))
                continue
            if section is None:
                out.error(ENTRY_BEFORE_HEADING, line=lineno, hint=ENTRY_BEFORE_HEADING_HINT)
                continue
            if len(fields) != len(COLUMNS):
                out.error(
                    Text(
                        ja=f"{len(COLUMNS)} 列のはずが {len(fields)} 列です",
                        en=f"{len(fields)} columns instead of {len(COLUMNS)}",
                    ),
                    line=lineno,
                    entry=f"{section}-{digits(fields[0])}" if digits(fields[0]).isdigit() else None,
                    hint=COLUMNS_HINT,
                )
                continue
            raw.rows.append(RawRow(lineno, section, *fields, columns=tuple(range(1, 7))))
            continue
        stripped = line.strip(" \t\u3000\r")
        heading = _HEADING_RE.match(stripped)
        if heading and not _PAGE_NUMBER_RE.match(stripped):
            number = int(digits(heading.group(1)))
            section = str(number)
            in_direction_list = False
            headings.append(Direction(number, heading.group(2).strip(), None, lineno))
            continue
        if _PAGE_NUMBER_RE.match(stripped):
            continue  # a page number the export kept
        if _DIRECTIONS_MARKER in stripped and stripped.startswith(("【", "［", "[", "■", "●")):
            in_direction_list = True
            continue
        if in_direction_list and section is None:
            item = _DIRECTION_ITEM_RE.match(stripped)
            if item:
                listed.append(Direction(len(listed) + 1, item["name"].strip(), _subtitle(item["sub"]), lineno))
                continue
        if section is None:
            if raw.title is None:
                raw.title, raw.title_line = cells.normalize_space(stripped), lineno
            else:
                intro.append(cells.normalize_space(stripped))
                raw.description_line = raw.description_line or lineno
            continue
        out.error(
            Text(ja=f"想定外の行です: {stripped[:40]!r}", en=f"unexpected line {stripped[:40]!r}"),
            line=lineno,
            hint=UNEXPECTED_HINT,
        )
    raw.description = "\n".join(intro) or None
    raw.directions = _merge_directions(listed, headings, out)
    return raw


def _subtitle(text: str | None) -> str | None:
    return text.strip() if text and text.strip() else None


def _merge_directions(listed: list[Direction], headings: list[Direction], out: Collector) -> list[Direction]:
    """Directions from the list at the top (with subtitles) checked against the section headings."""
    seen: dict[int, Direction] = {}
    for heading in headings:
        if heading.number in seen:
            out.error(
                Text(
                    ja=f"章 {heading.number} が 2 回あります（最初は {seen[heading.number].line} 行目）",
                    en=f"section {heading.number} appears twice (first at line {seen[heading.number].line})",
                ),
                line=heading.line,
                hint=Text(ja="展開方向ごとに章は一つにしてください", en="each direction has one section"),
            )
            continue
        seen[heading.number] = heading
    numbers = sorted(seen)
    if numbers and numbers != list(range(1, len(numbers) + 1)):
        out.error(
            Text(
                ja=f"章の番号が {numbers} です。1 から {len(numbers)} までが必要です",
                en=f"section numbers are {numbers}; expected 1 to {len(numbers)}",
            ),
            line=seen[numbers[-1]].line,
            hint=NUMBER_WITHOUT_GAPS,
        )
    if not headings:
        out.error(NO_HEADING, hint=NO_HEADING_HINT)
    directions = []
    by_number = {d.number: d for d in listed}
    for number in numbers:
        heading = seen[number]
        item = by_number.get(number)
        if listed and item is None:
            out.error(
                Text(
                    ja=f"章 {number} 「{shorten(heading.name)}」 が冒頭の展開方向の一覧にありません",
                    en=f"section {number} 「{shorten(heading.name)}」 is not in the list of directions at the top",
                ),
                line=heading.line,
                hint=Text(ja="【施策の展開方向】に加えてください", en="add it to 【施策の展開方向】"),
            )
        if item is not None and not same_name(item.name, heading.name):
            out.error(
                Text(
                    ja=f"章 {number} は 「{shorten(heading.name)}」 ですが、冒頭の一覧（{item.line} 行目）の展開方向 "
                    f"{number} は 「{shorten(item.name)}」 です",
                    en=f"section {number} is 「{shorten(heading.name)}」 but direction {number} in the list at the top "
                    f"(line {item.line}) is 「{shorten(item.name)}」",
                ),
                line=heading.line,
                hint=HEADINGS_IN_ORDER,
            )
        directions.append(Direction(number, heading.name, item.subtitle if item else None, heading.line))
    for item in listed:
        if item.number not in seen and headings:
            out.error(
                Text(
                    ja=f"展開方向 {item.number} 「{shorten(item.name)}」 は一覧にありますが、章がありません",
                    en=f"direction {item.number} 「{shorten(item.name)}」 is listed but has no section",
                ),
                line=item.line,
                hint=Text(
                    ja=f"その施策の前に見出し 「{item.number} {shorten(item.name)}」 を入れてください",
                    en=f"add the heading 「{item.number} {shorten(item.name)}」 before its entries",
                ),
            )
    return directions
