"""XLSX workbooks: the plan's sheet as the person sees it in Excel, read within bounds.

Cells are read through their number format (read.numfmt); only the cells the file holds are
visited (a stray cell at XFD1048576 does not make 1.7×10¹⁰ empty ones); a damaged file or a
workbook without a worksheet is a located error, never a traceback.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from plan2rdf.i18n import Text
from plan2rdf.problems import Collector, shorten
from plan2rdf.read.numfmt import render
from plan2rdf.read.raw import RawPlan
from plan2rdf.read.tabular import Grid, Layout, Merge, rows_from_grid

SHEET_NAME = "施策"
MAX_COLUMNS = 64  # the plan's columns are looked for in A…BL; cells further right are not read
MAX_UNPACKED = 256 * 1024 * 1024  # bytes the workbook may unpack to (a zip bomb is refused)
_DAMAGED = Text(
    ja="ファイルが壊れているか、ブックではありません。Excel か LibreOffice で開き、.xlsx として保存し直してください",
    en="the file is damaged or not a workbook: open it in Excel or LibreOffice and save it as .xlsx again",
)


_CHARTS = Text(
    ja="ブックにグラフシートがあり、読み込めません。グラフシートを削除する（またはグラフをワークシートに移す）"
    "と、保存し直してください",
    en="the workbook has a chart sheet, which cannot be read here: delete the chart sheet (or move the chart "
    "into a worksheet) and save the file again",
)


def _has_chartsheet(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            return any(name.startswith("xl/chartsheets/") for name in archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


class _Unreadable(Exception):
    """The workbook cannot be read; the message says why."""


def read_xlsx(path: Path, out: Collector, layout: Layout | None = None) -> RawPlan:
    """The raw rows of the plan's sheet (「施策」, else the first worksheet)."""
    grid = load_grid(path, out)
    return RawPlan(rows=[]) if grid is None else rows_from_grid(grid, out, layout)


def load_grid(path: Path, out: Collector) -> Grid | None:
    """The plan's sheet as its cells' text; None, the reason reported, when it cannot be read."""
    try:
        return _load(path, out)
    except _Unreadable as exc:
        out.error(exc.args[0], hint=_DAMAGED)
    except Exception as exc:  # openpyxl raises anything on a malformed file
        out.error(
            Text(
                ja=f"XLSX のブックとして読めません（{type(exc).__name__}: {shorten(str(exc))}）",
                en=f"not a readable XLSX workbook ({type(exc).__name__}: {shorten(str(exc))})",
            ),
            hint=_CHARTS if _has_chartsheet(path) else _DAMAGED,
        )
    return None


def _check_zip(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _Unreadable(
            Text(
                ja=f"XLSX のブックとして読めません（{shorten(str(exc))}）",
                en=f"not a readable XLSX workbook ({shorten(str(exc))})",
            )
        ) from None
    if "xl/workbook.xml" not in {m.filename for m in members}:
        raise _Unreadable(
            Text(
                ja="XLSX のブックではありません。xl/workbook.xml がありません",
                en="not an XLSX workbook: it has no xl/workbook.xml",
            )
        )
    if sum(m.file_size for m in members) > MAX_UNPACKED:
        raise _Unreadable(
            Text(
                ja=f"ブックを展開すると {MAX_UNPACKED // 2**20} MB を超えます",
                en=f"the workbook unpacks to more than {MAX_UNPACKED // 2**20} MB",
            )
        )


def _pick_sheet(book, label: str):
    names = [ws.title for ws in book.worksheets]
    if not names:
        raise _Unreadable(
            Text(
                ja=f"ブックにワークシートがありません（シート: {'、'.join(book.sheetnames) or 'なし'}）",
                en=f"the workbook has no worksheet (sheets: {', '.join(book.sheetnames) or 'none'})",
            )
        )
    # the first sheet the person sees in Excel: a hidden one (a cover, a lookup table) comes first often
    visible = [ws.title for ws in book.worksheets if getattr(ws, "sheet_state", "visible") == "visible"]
    name = SHEET_NAME if SHEET_NAME in names else (visible or names)[0]
    if SHEET_NAME in book.sheetnames and SHEET_NAME not in names:
        raise _Unreadable(
            Text(
                ja=f"{label} のシート 「{SHEET_NAME}」 はグラフで、ワークシートではありません",
                en=f"the sheet 「{SHEET_NAME}」 in {label} is a chart, not a worksheet",
            )
        )
    return book[name]


def _load(path: Path, out: Collector) -> Grid:
    from openpyxl import load_workbook

    _check_zip(path)
    book = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = _pick_sheet(book, path.name)
        name = sheet.title
        if getattr(sheet, "sheet_state", "visible") != "visible":
            out.warn(
                Text(
                    ja=f"シート 「{name}」 は Excel で非表示ですが、計画のシートとして読みます",
                    en=f"the sheet 「{name}」 is hidden in Excel: it is read as the plan's sheet",
                ),
                hint=Text(ja="シートを再表示して確かめてください", en="unhide the sheet to check it"),
            )
        sheet.reset_dimensions()  # the used range, not the one the file declares
        struck: set[tuple[int, int]] = set()
        rows = _read_rows(sheet, out, struck)
    finally:
        book.close()
    grid = Grid(rows, column_letter, sheet=name, struck=frozenset(struck))
    if rows:
        _unsaved_formulas(path, grid, out)
        _layout_of(path, grid)
    return grid


def column_letter(index: int) -> str:
    """A 0-based column index as Excel names it (0 → A)."""
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _read_rows(sheet, out: Collector, struck: set[tuple[int, int]]) -> list[tuple[int, list[str]]]:
    """The rows holding text, each cell as Excel shows it; ``struck`` gets the (row, column) of each
    cell in a struck-through font (見え消し)."""
    rows: list[tuple[int, list[str]]] = []
    empty = None  # openpyxl yields one shared tuple for every row the file skips: skipped in O(1)
    for row in sheet.iter_rows(max_col=MAX_COLUMNS):
        if row is empty or not row:
            continue
        texts = []
        for cell in row:
            value = getattr(cell, "value", None)
            if value is None:
                texts.append("")
                continue
            shown = render(value, getattr(cell, "number_format", None))
            font = getattr(cell, "font", None)
            if font is not None and font.strike:
                struck.add((cell.row, cell.column - 1))
            if shown.problem:
                out.warn(
                    Text(
                        ja=f"セル {cell.coordinate} の{shown.problem.ja}は Excel と同じには表示できません。"
                        f"保存された値 「{shorten(shown.text)}」 を読みます",
                        en=f"{shown.problem.en} of cell {cell.coordinate} cannot be shown as Excel does; "
                        f"the stored value 「{shorten(shown.text)}」 is read",
                    ),
                    line=cell.row,
                    column=cell.column_letter,
                    hint=Text(
                        ja="Excel の表示どおりの値を文字列で入力する（例: 「10,000件」）か、"
                        "もっと簡単な書式にしてください",
                        en="type the value as Excel shows it, as text (e.g. 「10,000件」), or use a simpler format",
                    ),
                )
            texts.append(shown.text.replace("_x000D_", "").replace("\r\n", "\n"))
        if any(t.strip() for t in texts):
            rows.append((_row_of(row), texts))
        else:
            empty = row
    return rows


def _row_of(row) -> int:
    return next(c.row for c in row if hasattr(c, "row"))


def _unsaved_formulas(path: Path, grid: Grid, out: Collector) -> None:
    """Formulas Excel never computed: a script or a converter wrote them without their values."""
    from openpyxl import load_workbook

    empty_cells = {(line, i) for line, values in grid.rows for i, text in enumerate(values) if not text}
    book = load_workbook(path, read_only=True, data_only=False)
    try:
        sheet = book[grid.sheet]
        sheet.reset_dimensions()
        empty = None
        for row in sheet.iter_rows(max_col=MAX_COLUMNS):
            if row is empty or not row:
                continue
            if not any(getattr(c, "data_type", None) == "f" for c in row):
                empty = row if all(getattr(c, "value", None) is None for c in row) else empty
                continue
            for i, cell in enumerate(row):
                if getattr(cell, "data_type", None) != "f" or (cell.row, i) not in empty_cells:
                    continue
                out.error(
                    Text(
                        ja=f"セル {cell.coordinate} は数式 {shorten(str(cell.value))!r} で、保存された値がありません",
                        en=f"cell {cell.coordinate} has the formula {shorten(str(cell.value))!r} but no saved value",
                    ),
                    line=cell.row,
                    column=cell.column_letter,
                    hint=Text(
                        ja="Excel で開いて保存する（値が保存されます）か、値を直接入力してください",
                        en="open the file in Excel and save it (Excel then stores the values), or type the value",
                    ),
                )
                grid.reported.add((cell.row, i))
    finally:
        book.close()


def _layout_of(path: Path, grid: Grid) -> None:
    """The sheet's merged ranges, hidden rows and hidden columns (only a full load reads them; it
    keeps only the cells the file has, but its iter_rows would make every cell of the range)."""
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=False, data_only=True)
    try:
        sheet = book[grid.sheet]
        for r in sheet.merged_cells.ranges:
            if r.min_col <= MAX_COLUMNS:
                grid.merges.append(Merge(r.min_row, r.min_col - 1, r.max_row, r.max_col - 1, r.coord))
        grid.hidden_rows = frozenset(row for row, d in sheet.row_dimensions.items() if d.hidden)
        grid.hidden_columns = frozenset(
            i - 1
            for d in sheet.column_dimensions.values()
            if d.hidden and d.min
            for i in range(d.min, min(d.max or d.min, MAX_COLUMNS) + 1)
        )
    finally:
        book.close()
