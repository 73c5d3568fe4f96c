"""Records out: JSON for checking a reading, and the tabular form publishers edit (CSV, XLSX).

The tabular form is the one `read` accepts: the plan's own column headers plus the direction.
CSV keeps the cells verbatim. XLSX writes the clean cells the reader's rules made (one item per
line, wrapped names joined) on the sheet 「施策」 that `read` reads, and the verbatim cells, row
for row, on the sheet 「原文」 that it never reads: nothing is lost, and reading the workbook back
gives the same items, names and titles.
"""

from __future__ import annotations

import csv
import io
from dataclasses import asdict
from datetime import UTC
from pathlib import Path

from plan2rdf.model import Measure, Plan, SheetColumn
from plan2rdf.read.cells import clean_text
from plan2rdf.read.raw import COLUMN_KEYS, KEY_OF_COLUMN
from plan2rdf.read.sheet import SHEET_NAME

ORIGINAL_SHEET = "原文"  # the verbatim cells, kept beside the clean ones and never read


def to_dict(plan: Plan) -> dict:
    """A JSON-ready view of the records (what `plan2rdf parse` prints)."""
    info = asdict(plan.info)
    info["direction_names_en"] = {str(n): name for n, name in plan.info.direction_names_en}
    return {
        "plan": info,
        "source": asdict(plan.source) if plan.source else None,
        "directions": [
            {"number": d.number, "name": d.name, "subtitle": d.subtitle, "line": d.line} for d in plan.directions
        ],
        "measures": [
            {
                "identifier": m.identifier,
                "direction": m.direction,
                "number": m.number,
                "is_new": m.is_new,
                "title": m.title,
                "title_verbatim": m.title_verbatim,
                "repost_of": m.repost_of,
                "summary": asdict(m.summary),
                "indicator": asdict(m.indicator),
                "department": m.responsibility.department,
                "divisions": list(m.responsibility.divisions),
                "responsibility_verbatim": m.responsibility.verbatim,
                "notes": [asdict(n) for n in m.notes],
                "line": m.line,
            }
            for m in plan.measures
        ],
        # the sheet's own columns, in its order, when [columns] mapped them (None: Fukushima's)
        "layout": asdict(plan.layout) if plan.layout else None,
        "warnings": [w.format() for w in plan.warnings],
    }


def sheet_columns(plan: Plan) -> tuple[SheetColumn, ...]:
    """The columns of the tabular form: the plan's own sheet's, or Fukushima's (data/template.csv)."""
    if plan.layout:
        return plan.layout.columns
    return tuple(SheetColumn(header, key) for header, key in KEY_OF_COLUMN.items())


def rows(plan: Plan, *, clean: bool = False) -> list[list[str]]:
    """The tabular form: a header row, then one row per entry with its cells verbatim, or clean:
    the name without markup (its （再掲） kept, so the repost still reads), the summary and the
    indicator one item per line, the department and its divisions one per line, names rejoined.
    A plan read through [columns] keeps its sheet's layout: its headers in their order, its own
    numbers, its note columns; so the same sidecar reads the table again."""
    columns = sheet_columns(plan)
    names = {d.number: d.name for d in plan.directions}
    by_name = plan.layout is not None and plan.layout.directions_by_name
    table = [[c.header for c in columns]]
    for m in plan.measures:
        direction = names[m.direction] if by_name else f"{m.direction} {names[m.direction]}"
        cells = _cells(m, direction, clean)
        notes = {n.number: n.text for n in m.notes}  # a note's number: its column among the unnamed ones
        unnamed = iter(range(1, len(columns) + 1))
        row = [cells[c.key] if c.key is not None else notes.get(next(unnamed), "") for c in columns]
        table.append(row)
    return table


def _cells(m: Measure, direction: str, clean: bool) -> dict[str, str]:
    """An entry's cells by [columns] key, verbatim or clean."""
    r = m.responsibility
    texts = (
        (clean_text(m.title_verbatim), m.summary.text, m.indicator.text, "\n".join((r.department, *r.divisions)))
        if clean
        else (m.title_verbatim, m.summary.verbatim, m.indicator.verbatim, r.verbatim)
    )
    number = m.given_identifier or str(m.number)
    return dict(zip(COLUMN_KEYS, (direction, number, "○" if m.is_new else "", *texts), strict=True))


# Excel on Japanese Windows reads a CSV without a BOM as CP932 and shows UTF-8 as mojibake.
BOM = "\ufeff"


def to_csv(plan: Plan) -> str:
    """The tabular form as CSV with a UTF-8 BOM, so a double click opens it right in Excel."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(rows(plan))
    return buffer.getvalue()


def write_xlsx(plan: Plan, path: Path, *, epoch: int = 0) -> None:
    """Write the tabular form as XLSX: clean cells on 「施策」, the verbatim ones on 「原文」;
    ``epoch`` fixes every timestamp so the bytes are reproducible."""
    from datetime import datetime

    from openpyxl import Workbook

    book = Workbook()
    widths = [WIDTHS.get(c.key or "", NOTE_WIDTH) for c in sheet_columns(plan)]
    _fill(book.active, SHEET_NAME, rows(plan, clean=True), widths)
    _fill(book.create_sheet(), ORIGINAL_SHEET, rows(plan), widths)
    stamp = datetime.fromtimestamp(epoch, tz=UTC).replace(tzinfo=None)
    book.properties.created = stamp
    book.properties.modified = stamp
    book.properties.creator = "plan2rdf"
    buffer = io.BytesIO()
    book.save(buffer)
    path.write_bytes(reproducible_zip(buffer.getvalue(), epoch))


# Column widths in Excel's units, by [columns] key; a note column's
WIDTHS = {"direction": 24, "number": 8, "new": 6, "title": 40, "summary": 60, "indicator": 60, "unit": 28}
NOTE_WIDTH = 20


def _fill(sheet, title: str, table: list[list[str]], widths: list[int]) -> None:
    """One sheet of the workbook: bold headers, wrapped cells, the header row frozen."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    sheet.title = title
    for row in table:
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for i, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"


def reproducible_zip(data: bytes, epoch: int) -> bytes:
    """Rewrite a ZIP with fixed member timestamps (openpyxl stamps them with the wall clock)."""
    import re
    import time
    import zipfile

    date_time = time.gmtime(max(epoch, 315532800))[:6]  # ZIP cannot store dates before 1980
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, date_time)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o600 << 16
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                # openpyxl sets "modified" to the wall clock while saving, whatever we asked for.
                stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch)).encode()
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(<)", rb"\g<1>" + stamp + rb"\g<2>", content)
            target.writestr(member, content)
    return out.getvalue()
