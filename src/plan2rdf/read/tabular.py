"""Spreadsheets: CSV (any of Excel's delimiters) and XLSX, one header row naming the columns."""

from __future__ import annotations

from pathlib import Path

from plan2rdf.problems import Collector
from plan2rdf.read.raw import TABULAR_COLUMNS, RawPlan, RawRow
from plan2rdf.text import name_key


def _header_index(header: list[str], out: Collector, line: int) -> dict[str, int] | None:
    keys = {name_key(h): i for i, h in enumerate(header) if h and h.strip()}
    index: dict[str, int] = {}
    missing = []
    for column in TABULAR_COLUMNS:
        i = keys.get(name_key(column))
        if i is None:
            missing.append(column)
        else:
            index[column] = i
    if missing:
        out.error(
            f"missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)} in the header row",
            line=line,
            hint=f"the first row must name the columns {', '.join(TABULAR_COLUMNS)} (see data/template.csv)",
        )
        return None
    return index


def _rows_from_table(table: list[tuple[int, list[str]]], out: Collector, col_name) -> RawPlan:
    raw = RawPlan(rows=[])
    if not table:
        out.error("the sheet has no rows", hint="the first row must be the column headers")
        return raw
    header_line, header = table[0]
    index = _header_index(header, out, header_line)
    if index is None:
        return raw
    width = max(index.values()) + 1
    for line, values in table[1:]:
        if not any(v.strip() for v in values):
            continue
        if len(values) < width:
            values = values + [""] * (width - len(values))
        cells_ = [values[index[c]] for c in TABULAR_COLUMNS]
        columns = tuple(col_name(index[c]) for c in TABULAR_COLUMNS[1:])
        raw.rows.append(RawRow(line, *cells_, columns=columns))
    return raw


def read_csv(text: str, out: Collector) -> RawPlan:
    import csv
    import io

    table: list[tuple[int, list[str]]] = []
    # Excel writes ';' in some locales and tabs in "Unicode text": sniff among the three.
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    # A cell may be long (a whole report pasted in): the file's size is the bound, not 128 KB.
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    start = 1
    try:
        for values in reader:
            table.append((start, values))
            start = reader.line_num + 1
    except csv.Error as exc:
        out.error(
            f"CSV syntax error: {exc}",
            line=start,
            hint="a quoted cell is not closed: add the missing '\"' (quotes inside a cell are doubled)",
        )
    return _rows_from_table(table, out, lambda i: i + 1)


def _xlsx_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace("_x000D_", "").replace("\r\n", "\n")


def read_xlsx(path: Path, out: Collector) -> RawPlan:
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        out.error(
            f"not a readable XLSX workbook ({type(exc).__name__}: {exc})",
            hint="save the sheet as .xlsx from Excel or LibreOffice",
        )
        return RawPlan(rows=[])
    sheet = book["施策"] if "施策" in book.sheetnames else book.worksheets[0]
    table = [
        (row_number, [_xlsx_cell(v) for v in row])
        for row_number, row in enumerate(sheet.iter_rows(values_only=True), 1)
    ]
    book.close()
    return _rows_from_table(table, out, lambda i: get_column_letter(i + 1))
