"""Raw rows: a plan's entries as the source spells them, the common form of every reader."""

from __future__ import annotations

from dataclasses import dataclass

from plan2rdf.model import Direction, Note

# The plan's own column headers, in order; spreadsheets add the direction in front.
COLUMNS = ("整理番号", "新規", "施策（事業）名称", "取組概要", "指標・目標", "部局等名 担当課")
DIRECTION_COLUMN = "施策の展開方向"
TABULAR_COLUMNS = (DIRECTION_COLUMN, *COLUMNS)

# RawRow's fields for the tabular columns, in TABULAR_COLUMNS order
FIELDS = ("direction", "number", "new", "title", "summary", "indicator", "units")
FIELD_OF = dict(zip(TABULAR_COLUMNS, FIELDS, strict=True))
# The keys of a sidecar's [columns] table, in TABULAR_COLUMNS order (docs/publish-your-plan.md)
COLUMN_KEYS = ("direction", "number", "new", "title", "summary", "indicator", "unit")
COLUMN_OF_KEY = dict(zip(COLUMN_KEYS, TABULAR_COLUMNS, strict=True))

_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


@dataclass
class RawRow:
    """One entry as its source spells it, before any cell is interpreted."""

    line: int
    direction: str
    number: str
    new: str
    title: str
    summary: str
    indicator: str
    units: str
    columns: tuple[int | str, ...] = ()  # location of each cell, for messages
    direction_column: int | str | None = None  # location of the direction cell, when it has one
    # Fields (``number``, ``title``…) whose cell had a problem already reported by the reader (a
    # formula without a saved value, a merged range): assembly does not report them again.
    reported: frozenset[str] = frozenset()
    notes: tuple[Note, ...] = ()  # cells of the columns no [columns] key names


@dataclass
class RawPlan:
    rows: list[RawRow]
    title: str | None = None
    description: str | None = None
    directions: list[Direction] | None = None  # as the source lists them, if it does
    title_line: int | None = None
    description_line: int | None = None
    sheet: str | None = None  # the worksheet read, for a spreadsheet
    # The sheet's own headers by [columns] key, when the sidecar mapped them: numbers are then read
    # as given (「1-(2)-3」) and directions may be named by their text alone.
    headers: dict[str, str] | None = None


def digits(value: str) -> str:
    """A number cell as ASCII digits: spaces (also ideographic) stripped, full-width digits folded."""
    return value.strip(" \t\u3000").translate(_FULLWIDTH_DIGITS)
