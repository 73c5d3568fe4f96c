"""The text export of the plan's PDF: header rows repeated per page, section headings, tab-separated
entry rows, and the list of directions at the top."""

from __future__ import annotations

import re

import plan2rdf.read.cells as cells
from plan2rdf.model import Direction
from plan2rdf.problems import Collector, shorten
from plan2rdf.read.raw import COLUMNS, RawPlan, RawRow, digits
from plan2rdf.text import name_key, same_name

_HEADING_RE = re.compile(r"^([0-9０-９]{1,2})[ \u3000]+(\S.*)$")
_DIRECTION_ITEM_RE = re.compile(r"^「(?P<name>[^」]+)」[\s\u3000]*(?:[～〜~](?P<sub>.*?)[～〜~])?\s*$")
_PAGE_NUMBER_RE = re.compile(r"^[-－―–‐]?\s*[0-9０-９]{1,3}\s*[-－―–‐]?$|^[0-9]+\s*/\s*[0-9]+$")
_DIRECTIONS_MARKER = "施策の展開方向"


def _is_header(fields: list[str]) -> bool:
    return same_name(fields[0], COLUMNS[0])


def _check_header(fields: list[str], lineno: int, out: Collector) -> None:
    got = [name_key(f) for f in fields]
    want = [name_key(c) for c in COLUMNS]
    if got != want:
        out.error(
            f"the column header row has {len(fields)} columns {[shorten(f) for f in fields]!r}; "
            f"expected {list(COLUMNS)!r}",
            line=lineno,
            hint="the text export must keep the plan's six columns",
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
            item = _DIRECTION_ITEM_RE.match(line)
            if section is None and item:
                in_direction_list = True
                listed.append(Direction(len(listed) + 1, item["name"].strip(), _subtitle(item["sub"]), lineno))
                continue
            if section is None:
                out.error(
                    "an entry row before any section heading such as 「1 復興の推進」",
                    line=lineno,
                    hint="add the heading of the direction the entries belong to",
                )
                continue
            if len(fields) != len(COLUMNS):
                out.error(
                    f"{len(fields)} columns instead of {len(COLUMNS)}",
                    line=lineno,
                    entry=f"{section}-{digits(fields[0])}" if digits(fields[0]).isdigit() else None,
                    hint="every entry row needs 整理番号, 新規, 名称, 取組概要, 指標・目標 and 部局等名 担当課, "
                    "separated by tabs; a cell broken over two lines must be joined",
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
            f"unexpected line {stripped[:40]!r}",
            line=lineno,
            hint="expected an entry row, a column header row or a section heading such as 「2 …」",
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
                f"section {heading.number} appears twice (first at line {seen[heading.number].line})",
                line=heading.line,
                hint="each direction has one section",
            )
            continue
        seen[heading.number] = heading
    numbers = sorted(seen)
    if numbers and numbers != list(range(1, len(numbers) + 1)):
        out.error(
            f"section numbers are {numbers}; expected 1 to {len(numbers)}",
            line=seen[numbers[-1]].line,
            hint="number the directions 1, 2, 3… without gaps",
        )
    if not headings:
        out.error(
            "no section heading such as 「1 復興の推進」 was found",
            hint="the export must keep the headings of the directions",
        )
    directions = []
    by_number = {d.number: d for d in listed}
    for number in numbers:
        heading = seen[number]
        item = by_number.get(number)
        if listed and item is None:
            out.error(
                f"section {number} 「{shorten(heading.name)}」 is not in the list of directions at the top",
                line=heading.line,
                hint="add it to 【施策の展開方向】",
            )
        if item is not None and not same_name(item.name, heading.name):
            out.error(
                f"section {number} is 「{shorten(heading.name)}」 but direction {number} in the list at the top "
                f"(line {item.line}) is 「{shorten(item.name)}」",
                line=heading.line,
                hint="the headings must follow the list of directions, in order",
            )
        directions.append(Direction(number, heading.name, item.subtitle if item else None, heading.line))
    for item in listed:
        if item.number not in seen and headings:
            out.error(
                f"direction {item.number} 「{shorten(item.name)}」 is listed but has no section",
                line=item.line,
                hint=f"add the heading 「{item.number} {shorten(item.name)}」 before its entries",
            )
    return directions
