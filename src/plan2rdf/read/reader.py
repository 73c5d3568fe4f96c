"""The read stage: a plan source (text export, CSV or XLSX) into typed records.

Every format is first turned into raw rows (cells as strings, with their location); one
assembly step then checks numbering, parses cells and resolves reposts, so all formats give
the same records and the same messages.
"""

from __future__ import annotations

import codecs
import contextlib
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from plan2rdf.model import Direction, Measure, Plan, PlanInfo, Source
from plan2rdf.problems import Collector, InputError, Problem
from plan2rdf.read import cells
from plan2rdf.read import sidecar as metadata

FORMATS = ("text", "csv", "xlsx")
_EXTENSIONS = {".txt": "text", ".text": "text", ".tsv": "text", ".csv": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx"}

# The plan's own column headers, in order; spreadsheets add the direction in front.
COLUMNS = ("整理番号", "新規", "施策（事業）名称", "取組概要", "指標・目標", "部局等名 担当課")
DIRECTION_COLUMN = "施策の展開方向"
TABULAR_COLUMNS = (DIRECTION_COLUMN, *COLUMNS)

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


@dataclass
class RawPlan:
    rows: list[RawRow]
    title: str | None = None
    description: str | None = None
    directions: list[Direction] | None = None  # as the source lists them, if it does
    title_line: int | None = None
    description_line: int | None = None


def detect_format(path: Path) -> str | None:
    return _EXTENSIONS.get(path.suffix.lower())


def decode(data: bytes, path: str, encoding: str | None = None) -> tuple[str, str]:
    """Bytes to text: UTF-8 (with or without BOM), UTF-16 with BOM, or CP932/Shift_JIS."""
    if not data.strip():
        raise InputError([Problem(path, "the file is empty", hint="give a plan export with entries")])
    if encoding:
        try:
            codec = codecs.lookup(encoding).name
            # Japanese "Shift_JIS" files come from Windows and are really CP932: strict shift_jis
            # rejects its extensions (①, Ⅰ…) and maps ～ to a different character (U+301C).
            codec = "cp932" if codec == "shift_jis" else codec
        except LookupError:
            raise InputError(
                [Problem(path, f"unknown encoding {encoding!r}", hint="use e.g. utf-8, cp932 or shift_jis")]
            ) from None
        try:
            return data.decode("utf-8-sig" if codec == "utf-8" else codec), codec
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise InputError(
                [
                    Problem(
                        path,
                        f"cannot be decoded as {encoding}: {exc.reason}",
                        line=line,
                        hint="check --encoding or leave it out to detect the encoding",
                    )
                ]
            ) from None
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return data.decode(codec), codec
    if b"\x00" in data[:8192]:
        raise InputError(
            [
                Problem(
                    path,
                    "this is a binary file, not a plan export",
                    hint="give the text export (UTF-8 or CP932), a CSV or an XLSX file",
                )
            ]
        )
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    try:
        return data.decode("cp932"), "cp932"
    except UnicodeDecodeError:
        line = data[: utf8_error.start].count(b"\n") + 1
        raise InputError(
            [
                Problem(
                    path,
                    "cannot be decoded as UTF-8 or CP932 (Shift_JIS)",
                    line=line,
                    hint="name the encoding with --encoding, or save the file as UTF-8",
                )
            ]
        ) from None


def _digits(value: str) -> str:
    return value.strip(" \t\u3000").translate(_FULLWIDTH_DIGITS)


def name_key(name: str) -> str:
    """How two spellings of a name are compared: NFKC, no spaces."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", name))


# ---------------------------------------------------------------------------------------------
# The text export


_HEADING_RE = re.compile(r"^([0-9０-９]{1,2})[ \u3000]+(\S.*)$")
_DIRECTION_ITEM_RE = re.compile(r"^「(?P<name>[^」]+)」[\s\u3000]*(?:[～〜~](?P<sub>.*?)[～〜~])?\s*$")
_PAGE_NUMBER_RE = re.compile(r"^[-－―–‐]?\s*[0-9０-９]{1,3}\s*[-－―–‐]?$|^[0-9]+\s*/\s*[0-9]+$")
_DIRECTIONS_MARKER = "施策の展開方向"


def _is_header(fields: list[str]) -> bool:
    return name_key(fields[0]) == name_key(COLUMNS[0])


def _check_header(fields: list[str], lineno: int, out: Collector) -> None:
    got = [name_key(f) for f in fields]
    want = [name_key(c) for c in COLUMNS]
    if got != want:
        out.error(
            f"the column header row has {len(fields)} columns {fields!r}; expected {list(COLUMNS)!r}",
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
                    entry=f"{section}-{_digits(fields[0])}" if _digits(fields[0]).isdigit() else None,
                    hint="every entry row needs 整理番号, 新規, 名称, 取組概要, 指標・目標 and 部局等名 担当課, "
                    "separated by tabs; a cell broken over two lines must be joined",
                )
                continue
            raw.rows.append(RawRow(lineno, section, *fields, columns=tuple(range(1, 7))))
            continue
        stripped = line.strip(" \t\u3000\r")
        heading = _HEADING_RE.match(stripped)
        if heading and not _PAGE_NUMBER_RE.match(stripped):
            number = int(_digits(heading.group(1)))
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
                f"section {number} 「{heading.name}」 is not in the list of directions at the top",
                line=heading.line,
                hint="add it to 【施策の展開方向】",
            )
        if item is not None and name_key(item.name) != name_key(heading.name):
            out.error(
                f"section {number} is 「{heading.name}」 but direction {number} in the list at the top "
                f"(line {item.line}) is 「{item.name}」",
                line=heading.line,
                hint="the headings must follow the list of directions, in order",
            )
        directions.append(Direction(number, heading.name, item.subtitle if item else None, heading.line))
    for item in listed:
        if item.number not in seen and headings:
            out.error(
                f"direction {item.number} 「{item.name}」 is listed but has no section",
                line=item.line,
                hint=f"add the heading 「{item.number} {item.name}」 before its entries",
            )
    return directions


# ---------------------------------------------------------------------------------------------
# Spreadsheets


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


# ---------------------------------------------------------------------------------------------
# Assembly: the same checks for every format


_DIRECTION_CELL_RE = re.compile(r"^([0-9０-９]{1,2})(?:[\s\u3000.．、:：]+(.*))?$")


def _direction_number(cell: str, named: dict[str, int]) -> tuple[int | None, str | None]:
    value = cell.strip(" \t\u3000")
    match = _DIRECTION_CELL_RE.match(value)
    if match:
        name = match.group(2).strip("「」 \u3000") if match.group(2) else None
        return int(_digits(match.group(1))), name or None
    if name_key(value.strip("「」")) in named:
        return named[name_key(value.strip("「」"))], value.strip("「」")
    return None, None


def assemble(raw: RawPlan, out: Collector, sidecar: metadata.Sidecar) -> Plan | None:
    """Check numbering, interpret cells and resolve reposts; every problem goes to ``out``."""
    side_dirs = sidecar.direction_map()
    directions: dict[int, Direction] = {}
    if raw.directions is not None:
        for d in raw.directions:
            directions[d.number] = d
            side = side_dirs.get(d.number)
            if side and "name" in side and name_key(side["name"]) != name_key(d.name):
                out.error(
                    f"direction {d.number} is 「{d.name}」 here but 「{side['name']}」 in {sidecar.path}",
                    line=d.line,
                    hint="make the metadata file agree with the plan",
                )
            if side and d.subtitle and side.get("subtitle") and name_key(side["subtitle"]) != name_key(d.subtitle):
                out.error(
                    f"direction {d.number} is subtitled 「{d.subtitle}」 here but 「{side['subtitle']}」 "
                    f"in {sidecar.path}",
                    line=d.line,
                    hint="make the metadata file agree with the plan",
                )
    named = {name_key(d["name"]): n for n, d in side_dirs.items() if "name" in d}
    rows_by_direction: dict[int, list[tuple[RawRow, int]]] = {}
    # Names of rows that could not become entries: a repost of one of them is not a second error.
    unusable: set[str] = set()
    for row in raw.rows:
        number, name = _direction_number(row.direction, named)
        if number is None:
            out.error(
                f"direction {row.direction!r} is not a direction number such as 「1 復興の推進」",
                line=row.line,
                column=DIRECTION_COLUMN if raw.directions is None else None,
                hint="give the direction's number, optionally followed by its name",
            )
            continue
        if raw.directions is None and number not in directions:
            side = side_dirs.get(number, {})
            name = name or side.get("name")
            if not name:
                out.error(
                    f"direction {number} has no name",
                    line=row.line,
                    hint="write it as 「1 復興の推進」 or list it in the metadata file",
                )
                name = str(number)
            directions[number] = Direction(number, name, side.get("subtitle"), row.line)
        elif raw.directions is None and name and name_key(name) != name_key(directions[number].name):
            out.error(
                f"direction {number} is named 「{name}」 here but 「{directions[number].name}」 "
                f"at line {directions[number].line}",
                line=row.line,
                hint="use one name per direction",
            )
        if number not in directions:
            out.error(f"direction {number} has no section heading", line=row.line)
            continue
        n = _digits(row.number)
        unusable.add(name_key(cells.clean_text(row.title)))
        if not n.isdigit():
            out.error(
                f"整理番号 {row.number.strip()!r} is not a number",
                line=row.line,
                column=row.columns[0] if row.columns else None,
                hint="entries are numbered 1, 2, 3… within each direction",
            )
            continue
        unusable.discard(name_key(cells.clean_text(row.title)))
        rows_by_direction.setdefault(number, []).append((row, int(n)))

    if raw.directions is None and directions:
        numbers = sorted(directions)
        if numbers != list(range(1, len(numbers) + 1)):
            out.error(
                f"directions are numbered {numbers}; expected 1 to {len(numbers)}",
                hint="number the directions 1, 2, 3… without gaps",
            )

    measures: list[Measure] = []
    for number in sorted(rows_by_direction):
        seen: dict[int, RawRow] = {}
        expected = 1
        for row, n in rows_by_direction[number]:
            entry = f"{number}-{n}"
            if n in seen:
                out.error(
                    f"整理番号 {n} is used twice in direction {number} (first at line {seen[n].line})",
                    line=row.line,
                    entry=entry,
                    hint="give each entry its own number",
                )
                continue
            if n != expected:
                out.error(
                    f"整理番号 {n} follows {expected - 1} in direction {number}; expected {expected}"
                    if expected > 1
                    else f"direction {number} starts at 整理番号 {n}; expected 1",
                    line=row.line,
                    entry=entry,
                    hint="entries are numbered 1, 2, 3… without gaps",
                )
            seen[n] = row
            expected = n + 1
            measure = _measure(row, number, n, out)
            if measure is not None:
                measures.append(measure)
            else:
                unusable.add(name_key(cells.clean_text(row.title)))

    measures = _resolve_reposts(measures, out, unusable)
    out.raise_if_errors()
    info = _plan_info(raw, sidecar, out)
    out.raise_if_errors()
    ordered_dirs = tuple(directions[n] for n in sorted(directions))
    side_dirs_subtitled = []
    for d in ordered_dirs:
        side = side_dirs.get(d.number, {})
        if d.subtitle is None and side.get("subtitle"):
            d = Direction(d.number, d.name, side["subtitle"], d.line)
        side_dirs_subtitled.append(d)
    return Plan(info=info, directions=tuple(side_dirs_subtitled), measures=tuple(measures))


def _measure(row: RawRow, direction: int, number: int, out: Collector) -> Measure | None:
    entry = f"{direction}-{number}"
    col = dict(zip(COLUMNS, row.columns, strict=True)) if row.columns else {}
    ok = True
    is_new = cells.parse_new_flag(row.new)
    if is_new is None:
        out.error(
            f"新規 is {row.new.strip()!r}; expected ○ or an empty cell",
            line=row.line,
            column=col.get("新規"),
            entry=entry,
            hint="mark new entries with ○ and leave others empty",
        )
        ok = False
    title_clean = cells.clean_text(row.title)
    title, repost = cells.strip_repost_marker(title_clean)
    if not title:
        out.error(
            "the name (施策（事業）名称) is empty",
            line=row.line,
            column=col.get("施策（事業）名称"),
            entry=entry,
            hint="every entry needs a name",
        )
        ok = False
    units = cells.parse_responsibility(row.units)
    if units is None:
        out.error(
            "部局等名 担当課 is empty",
            line=row.line,
            column=col.get("部局等名 担当課"),
            entry=entry,
            hint="name the responsible department, then its division(s)",
        )
        ok = False
    else:
        for name in units.unterminated:
            out.warn(
                f"「{name}」 does not end like an organisation name (部, 局, 課, 室…)",
                line=row.line,
                column=col.get("部局等名 担当課"),
                entry=entry,
                hint="check the 部局等名 担当課 cell; a name broken over two lines is rejoined "
                "only up to a suffix such as 課",
            )
    if not cells.clean_text(row.summary):
        out.warn("取組概要 is empty", line=row.line, column=col.get("取組概要"), entry=entry)
    if not ok:
        return None
    return Measure(
        direction=direction,
        number=number,
        is_new=bool(is_new),
        title=title,
        title_verbatim=row.title,
        summary=cells.parse_cell(row.summary),
        indicator=cells.parse_cell(row.indicator),
        responsibility=units.responsibility,
        repost_of="" if repost else None,  # resolved below
        line=row.line,
    )


def _resolve_reposts(measures: list[Measure], out: Collector, unusable: set[str]) -> list[Measure]:
    """A （再掲） entry points at the entry of the same name that is not itself a repost."""
    originals: dict[str, list[Measure]] = {}
    for m in measures:
        if not m.is_repost:
            originals.setdefault(name_key(m.title), []).append(m)
    resolved = []
    for m in measures:
        if not m.is_repost:
            resolved.append(m)
            continue
        candidates = originals.get(name_key(m.title), [])
        if len(candidates) > 1:
            same_units = [
                c
                for c in candidates
                if c.responsibility.department == m.responsibility.department
                and c.responsibility.divisions == m.responsibility.divisions
            ]
            candidates = same_units if len(same_units) == 1 else candidates
        if not candidates and name_key(m.title) in unusable:
            continue  # its original has an error of its own, reported already
        if not candidates:
            out.error(
                f"（再掲） 「{m.title}」 reposts an entry that is not in this plan",
                line=m.line,
                entry=m.identifier,
                hint="the original must appear under the same name without （再掲）; fix the name or remove the marker",
            )
            continue
        if len(candidates) > 1:
            out.error(
                f"（再掲） 「{m.title}」 matches several entries: {', '.join(c.identifier for c in candidates)}",
                line=m.line,
                entry=m.identifier,
                hint="names of reposted entries must be unique in the plan",
            )
            continue
        resolved.append(_replace(m, repost_of=candidates[0].identifier))
    return resolved


def _replace(m: Measure, **changes) -> Measure:
    from dataclasses import replace

    return replace(m, **changes)


def _plan_info(raw: RawPlan, sidecar: metadata.Sidecar, out: Collector) -> PlanInfo:
    side = sidecar.plan
    title = raw.title
    if title and side.get("title") and name_key(side["title"]) != name_key(title):
        out.error(
            f"the plan is titled 「{title}」 but {sidecar.path} says 「{side['title']}」",
            line=raw.title_line,
            hint="make the metadata file agree with the plan",
        )
    title = title or side.get("title")
    if not title:
        out.error("the plan has no title", hint="add plan.title to the metadata file (plan.toml beside the sheet)")
        title = ""
    description = raw.description or side.get("description")
    if raw.description and side.get("description") and name_key(raw.description) != name_key(side["description"]):
        out.error(
            f"the plan's introduction differs from plan.description in {sidecar.path}",
            line=raw.description_line,
            hint="make the metadata file agree with the plan, or remove plan.description",
        )
    fiscal_year = side.get("fiscal_year") or metadata.fiscal_year_from_title(title)
    stated_year = metadata.fiscal_year_from_title(title)
    if side.get("fiscal_year") and stated_year and side["fiscal_year"] != stated_year:
        out.error(
            f"plan.fiscal_year is {side['fiscal_year']} but the title says {stated_year}",
            hint="make the metadata file agree with the plan",
        )
    names_en = tuple(sorted((n, d["name_en"]) for n, d in sidecar.direction_map().items() if "name_en" in d))
    return PlanInfo(
        title=title,
        description=description,
        title_en=side.get("title_en"),
        series=side.get("series"),
        edition=side.get("edition") or (str(fiscal_year) if fiscal_year else None),
        fiscal_year=fiscal_year,
        parent_plan=side.get("parent_plan"),
        parent_plan_en=side.get("parent_plan_en"),
        landing_page=side.get("landing_page"),
        download_url=side.get("download_url"),
        issued=side.get("issued"),
        publisher=metadata.publisher_from(sidecar),
        direction_names_en=names_en,
    )


# ---------------------------------------------------------------------------------------------


def read_plan(
    source: str | Path,
    *,
    format: str | None = None,
    encoding: str | None = None,
    metadata_path: str | Path | None = None,
) -> Plan:
    """Read a plan from a text export, CSV or XLSX file. Raises InputError with every problem found."""
    path = Path(source)
    name = str(source)
    fmt = format or detect_format(path)
    if fmt is None:
        raise InputError(
            [
                Problem(
                    name,
                    f"cannot tell the format from the extension {path.suffix!r}",
                    hint="use .txt (text export), .csv or .xlsx, or give --input-format",
                )
            ]
        )
    if fmt not in FORMATS:
        raise InputError([Problem(name, f"unknown format {fmt!r}", hint=f"use one of {', '.join(FORMATS)}")])
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError([Problem(name, "no such file", hint="check the path")]) from None
    except IsADirectoryError:
        raise InputError([Problem(name, "is a directory, not a plan file", hint="name a file")]) from None
    except OSError as exc:
        raise InputError([Problem(name, f"cannot be read: {exc.strerror}")]) from None

    out = Collector(name)
    side_problems = Collector(str(metadata_path) if metadata_path else str(metadata.sidecar_path(path)))
    sidecar = metadata.Sidecar()
    side_file = Path(metadata_path) if metadata_path else metadata.sidecar_path(path)
    if side_file.is_file():
        sidecar = metadata.load_sidecar(side_file, side_problems)
    elif metadata_path:
        side_problems.error("no such metadata file", hint="check the --meta path")

    used_encoding: str | None = None
    if fmt == "xlsx":
        if not data:
            raise InputError([Problem(name, "the file is empty", hint="give a plan sheet with entries")])
        raw = read_xlsx(path, out)
    else:
        text, used_encoding = decode(data, name, encoding)
        raw = read_text_export(text, out) if fmt == "text" else read_csv(text, out)
    if not raw.rows and not out.errors:
        out.error("no entries found", hint="the file must contain entry rows under the column headers")
    plan = None
    with contextlib.suppress(InputError):  # the problems are in the collectors
        plan = assemble(raw, out, sidecar)
    if plan is None or out.errors or side_problems.errors:
        raise InputError(out.problems + side_problems.problems)
    source_info = Source(
        path=name,
        format=fmt,
        encoding=used_encoding,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
    )
    return Plan(
        info=plan.info,
        directions=plan.directions,
        measures=plan.measures,
        source=source_info,
        warnings=tuple(sorted(out.warnings + side_problems.warnings, key=Problem.sort_key)),
    )
