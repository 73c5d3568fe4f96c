"""Spreadsheets as people make them (issue 17): each habit is a workbook written here with openpyxl,
and the records or messages expected of it are written by hand from the cells."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook

from plan2rdf.cli import main

HEADER = ["施策の展開方向", "整理番号", "新規", "施策（事業）名称", "取組概要", "指標・目標", "部局等名 担当課"]
MINI_TOML = Path(__file__).parent / "fixtures" / "mini" / "plan.toml"


def entry(number, title, indicator="指標 10件", units="総務部 総務課", direction="1 くらし"):
    return [direction, number, None, title, "概要を書く。", indicator, units]


def save(tmp_path: Path, rows: list[list], *, book: Workbook | None = None, name: str = "plan.xlsx") -> Path:
    book = book or Workbook()
    sheet = book.active
    sheet.title = "施策"
    for row in rows:
        sheet.append(row)
    path = tmp_path / name
    book.save(path)
    (tmp_path / "plan.toml").write_bytes(MINI_TOML.read_bytes())
    return path


def parse(path: Path):
    result = CliRunner().invoke(main, ["parse", str(path), "-o", str(path.with_suffix(".json"))])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    records = json.loads(path.with_suffix(".json").read_text("utf-8")) if result.exit_code == 0 else None
    return result, records


def messages(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if ": error: " in line or ": warning: " in line]


# --- 1. number formats ----------------------------------------------------------------------------


def test_numbers_are_read_as_their_format_shows_them(tmp_path) -> None:
    book = Workbook()
    path = save(
        tmp_path,
        [
            HEADER,
            entry(1, "利用率の向上", indicator=1.2),
            entry(2, "申請件数", indicator=10000),
            entry(3, "開始日", indicator=dt.datetime(2022, 4, 1)),
            entry(4, "台数", indicator=1234.5),
        ],
        book=book,
    )
    sheet = book.active
    sheet["F2"].number_format = "0%"
    sheet["F3"].number_format = '#,##0"件"'
    sheet["F4"].number_format = 'yyyy"年"m"月"d"日"'
    sheet["F5"].number_format = "#,##0.00"
    book.save(path)
    result, records = parse(path)
    assert result.exit_code == 0, result.stderr
    indicators = [m["indicator"]["verbatim"] for m in records["measures"]]
    assert indicators == ["120%", "10,000件", "2022年4月1日", "1,234.50"]


def test_a_format_that_cannot_be_shown_is_a_warning_naming_the_cell(tmp_path) -> None:
    book = Workbook()
    path = save(tmp_path, [HEADER, entry(1, "計測", indicator=12345)], book=book)
    book.active["F2"].number_format = "0.00E+00"
    book.save(path)
    result, records = parse(path)
    assert result.exit_code == 0
    assert records["measures"][0]["indicator"]["verbatim"] == "12345"
    assert (
        f"{path}:2:F: warning: the number format '0.00E+00' of cell F2 cannot be shown as Excel does; "
        "the stored value 「12345」 is read"
    ) in result.stderr


# --- 2. merged cells ------------------------------------------------------------------------------


def test_a_direction_merged_over_a_block_is_taken_for_each_row(tmp_path) -> None:
    book = Workbook()
    rows = [HEADER, entry(1, "一"), entry(2, "二", direction=None), entry(3, "三", direction=None)]
    path = save(tmp_path, rows, book=book)
    book.active.merge_cells("A2:A4")
    book.active.merge_cells("G2:G4")
    for cell in ("G3", "G4"):
        assert book.active[cell].value is None  # as Excel stores a merge: the value in its first cell only
    book.save(path)
    result, records = parse(path)
    assert result.exit_code == 0, result.stderr
    assert [(m["identifier"], m["department"], m["divisions"]) for m in records["measures"]] == [
        ("1-1", "総務部", ["総務課"]),
        ("1-2", "総務部", ["総務課"]),
        ("1-3", "総務部", ["総務課"]),
    ]
    assert messages(result) == [
        f"{path}:2:A: warning: 施策の展開方向 is merged over rows 2–4 (A2:A4): 「1 くらし」 is read for each of them",
        f"{path}:2:G: warning: 部局等名 担当課 is merged over rows 2–4 (G2:G4): 「総務部 総務課」 is read "
        "for each of them",
    ]


def test_a_name_merged_over_rows_is_one_error_naming_the_range(tmp_path) -> None:
    book = Workbook()
    path = save(tmp_path, [HEADER, entry(1, "一"), entry(2, None), entry(3, "三")], book=book)
    book.active.merge_cells("D2:D3")
    book.save(path)
    result, _ = parse(path)
    assert result.exit_code == 2
    assert messages(result) == [
        f"{path}:2:D: error: cells D2:D3 are merged (施策（事業）名称, rows 2–3): "
        "which entry the value belongs to is ambiguous (unmerge the cells and give each row its own value "
        "(Excel: Home → Merge & Center → Unmerge))"
    ]


# --- 3. a title row above the header --------------------------------------------------------------


def test_title_rows_above_the_header_are_skipped_with_a_note(tmp_path) -> None:
    path = save(tmp_path, [["令和4年度 ミニ市ICTアクションプラン 施策一覧"], [], HEADER, entry(1, "一")])
    result, records = parse(path)
    assert result.exit_code == 0, result.stderr
    assert [(m["identifier"], m["line"]) for m in records["measures"]] == [("1-1", 4)]
    assert messages(result) == [
        f"{path}:1: warning: row 1 above the header (row 3) is skipped: "
        "「令和4年度 ミニ市ICTアクションプラン 施策一覧」 "
        "(a title above the header is not part of the plan; give the plan's title in the metadata file)"
    ]


UNHIDE_ROWS = (
    "(unhide them to check them (Home → Format → Hide & Unhide → Unhide Rows), and delete the rows that are not "
    "the plan's entries)"
)


def test_hidden_rows_are_read_with_a_warning_for_each_run(tmp_path) -> None:
    """What Excel hides is read all the same (nothing dropped unseen), and said: the person checking
    the sheet does not see it. A hidden title row above the header is only skipped, as ever."""
    book = Workbook()
    rows = [["施策一覧"], HEADER, *(entry(n, t) for n, t in enumerate(["一", "二", "三", "四", "五"], 1))]
    path = save(tmp_path, rows, book=book)
    for row in (1, 4, 5, 7):  # the title; entries 2 and 3 (rows 4–5); entry 5 (row 7)
        book.active.row_dimensions[row].hidden = True
    book.save(path)
    result, records = parse(path)
    assert result.exit_code == 0, result.stderr
    assert [m["identifier"] for m in records["measures"]] == ["1-1", "1-2", "1-3", "1-4", "1-5"]
    assert messages(result) == [
        f"{path}:1: warning: row 1 above the header (row 2) is skipped: 「施策一覧」 "
        "(a title above the header is not part of the plan; give the plan's title in the metadata file)",
        f"{path}:4: warning: rows 4–5 are hidden in Excel: they are read as entries like the others {UNHIDE_ROWS}",
        f"{path}:7: warning: row 7 is hidden in Excel: it is read as an entry like the others {UNHIDE_ROWS}",
    ]


def test_a_hidden_column_that_is_read_is_named_and_one_that_is_not_is_not(tmp_path) -> None:
    book = Workbook()
    path = save(tmp_path, [[*HEADER, "集計用"], [*entry(1, "一"), 1]], book=book)
    book.active.column_dimensions["E"].hidden = True  # 取組概要: read
    book.active.column_dimensions["H"].hidden = True  # not one of the plan's columns: not read
    book.save(path)
    result, records = parse(path)
    assert result.exit_code == 0, result.stderr
    assert records["measures"][0]["summary"]["verbatim"] == "概要を書く。"
    assert messages(result) == [
        f"{path}:1:E: warning: column E (「取組概要」) is hidden in Excel: it is read like the others "
        "(unhide it to check it (Home → Format → Hide & Unhide → Unhide Columns); delete it if it is not the plan's)"
    ]


STRUCK_HINT = (
    "(if the text is no longer the plan's, delete it (or the row, if the entry is deleted): struck through, it "
    "stays in the graph)"
)


def test_struck_through_cells_are_read_as_written_with_one_warning_a_row(tmp_path) -> None:
    """見え消し: a revision strikes deleted text through and keeps it legible. Read as written (the
    cell says it), said once per row however many of its cells are struck."""
    from openpyxl.styles import Font

    book = Workbook()
    rows = [HEADER, entry(1, "一"), entry(2, "二"), entry(3, "三"), [*entry(4, "四"), "欄外"]]
    path = save(tmp_path, rows, book=book)
    sheet = book.active
    for cell in ("D3", "E3", "F4", "H5"):  # entry 2's name and summary; entry 3's target; a cell not read
        sheet[cell].font = Font(strike=True)
    book.save(path)
    result, records = parse(path)
    assert result.exit_code == 0, result.stderr
    assert [m["title"] for m in records["measures"]] == ["一", "二", "三", "四"]
    assert messages(result) == [
        f"{path}:3:D: warning: cells D3, E3 (「施策（事業）名称」, 「取組概要」) are struck through in Excel "
        f"(見え消し): their text is read as written {STRUCK_HINT}",
        f"{path}:4:F: warning: cell F4 (「指標・目標」) is struck through in Excel (見え消し): its text is read as "
        f"written {STRUCK_HINT}",
    ]


def test_a_hidden_first_sheet_gives_way_to_the_first_visible_one(tmp_path) -> None:
    book = Workbook()
    cover = book.active
    cover.title = "表紙"
    cover.append(["見本市 ICT アクションプラン"])
    cover.sheet_state = "hidden"
    plan = book.create_sheet("一覧")
    for row in (HEADER, entry(1, "一")):
        plan.append(row)
    path = tmp_path / "plan.xlsx"
    book.save(path)
    (tmp_path / "plan.toml").write_bytes(MINI_TOML.read_bytes())
    result, records = parse(path)
    assert result.exit_code == 0, result.stderr
    assert [m["title"] for m in records["measures"]] == ["一"]
    assert messages(result) == []


def test_a_hidden_sheet_read_as_the_plan_is_said(tmp_path) -> None:
    book = Workbook()
    path = save(tmp_path, [HEADER, entry(1, "一")], book=book)  # the sheet 「施策」
    book.create_sheet("メモ")
    book["施策"].sheet_state = "hidden"
    book.save(path)
    result, records = parse(path)
    assert result.exit_code == 0, result.stderr
    assert [m["title"] for m in records["measures"]] == ["一"]
    assert messages(result) == [
        f"{path}: warning: the sheet 「施策」 is hidden in Excel: it is read as the plan's sheet "
        "(unhide the sheet to check it)"
    ]


def test_a_header_with_a_column_missing_is_named_below_a_title(tmp_path) -> None:
    path = save(tmp_path, [["施策一覧"], HEADER[:5] + HEADER[6:], [*entry(1, "一")[:5], "総務部 総務課"]])
    result, _ = parse(path)
    assert result.exit_code == 2
    expected = f"{path}:2: error: missing column 指標・目標 in the header row (row 2 looks like the header)"
    assert expected in result.stderr


# --- 4. one cause, one message --------------------------------------------------------------------


def test_a_missing_number_is_one_error_naming_the_entry_and_the_number_expected(tmp_path) -> None:
    rows = [HEADER, entry(1, "一"), entry(2, "二"), entry(None, "三の事業"), entry(4, "四"), entry(5, "五")]
    path = save(tmp_path, rows)
    result, _ = parse(path)
    assert result.exit_code == 2
    assert messages(result) == [
        f"{path}:4:B: error: 整理番号 is empty for 「三の事業」 in direction 1; expected 3 "
        "(type 3: entries are numbered 1, 2, 3… within each direction)"
    ]


# --- 5. formulas without a saved value ------------------------------------------------------------


def test_a_formula_without_a_saved_value_is_one_error_naming_the_cell(tmp_path) -> None:
    # openpyxl, like many scripts and converters, writes formulas without computing them
    path = save(tmp_path, [HEADER, entry(1, "一"), entry("=B2+1", "二"), entry(3, "三")])
    result, _ = parse(path)
    assert result.exit_code == 2
    assert messages(result) == [
        f"{path}:3:B: error: cell B3 has the formula '=B2+1' but no saved value (open the file in Excel and "
        "save it (Excel then stores the values), or type the value)"
    ]


# --- 6. suggestions -------------------------------------------------------------------------------


def test_a_header_variant_gets_a_suggestion_with_its_column(tmp_path) -> None:
    path = save(tmp_path, [[*HEADER[:6], "部局等名・担当課"], entry(1, "一")])
    result, _ = parse(path)
    assert result.exit_code == 2
    assert (
        f"{path}:1: error: missing column 部局等名 担当課 in the header row; "
        "did you mean 「部局等名・担当課」 in column G?"
    ) in result.stderr
    assert "rename 「部局等名・担当課」 to 「部局等名 担当課」" in result.stderr


def test_a_repost_with_a_typo_gets_a_suggestion_with_the_entry(tmp_path) -> None:
    rows = [HEADER, entry(1, "データ連携基盤の構築"), entry(1, "（再掲）デ－タ連携基盤の構築", direction="2 行政")]
    path = save(tmp_path, rows)
    result, _ = parse(path)
    assert result.exit_code == 2
    assert (
        f"{path}:3: error: entry 2-1: （再掲） 「デ－タ連携基盤の構築」 reposts an entry that is not in this plan; "
        "did you mean 「データ連携基盤の構築」 (entry 1-1)?"
    ) in result.stderr


# --- 7. a bare number as a target -----------------------------------------------------------------


def test_a_bare_number_as_a_target_is_a_warning(tmp_path) -> None:
    path = save(tmp_path, [HEADER, entry(1, "一", indicator=3500)])
    result, records = parse(path)
    assert result.exit_code == 0
    assert records["measures"][0]["indicator"]["verbatim"] == "3500"
    assert messages(result) == [
        f"{path}:2:F: warning: entry 1-1: 指標・目標 「3500」 is a number without a unit: a target with no unit "
        "(say what is counted and its unit, e.g. 「利用者数 3500人」 or 「3500件」)"
    ]


# --- 8. Excel-friendly CSV ------------------------------------------------------------------------


def test_parse_csv_opens_in_excel_and_reads_back(tmp_path) -> None:
    runner = CliRunner()
    out = tmp_path / "plan.csv"
    result = runner.invoke(main, ["parse", "--format", "csv", "-o", str(out)])
    assert result.exit_code == 0
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf" + "施策の展開方向,整理番号,新規".encode())
    bundled = json.loads(runner.invoke(main, ["parse"]).stdout)
    (tmp_path / "plan.toml").write_bytes(
        (Path(__file__).parents[1] / "data" / "fukushima" / "ict-action-plan-2021.toml").read_bytes()
    )
    again = runner.invoke(main, ["parse", str(out)])
    assert again.exit_code == 0, again.stderr
    back = json.loads(again.stdout)
    for records in (bundled, back):
        records.pop("source")
        for m in records["measures"]:
            m.pop("line")
        for d in records["directions"]:
            d.pop("line")
    assert back == bundled


# --- XLSX files broken or hostile (issue 14): a located exit-2 error or a bounded read ----------


def _rezip(source: Path, target: Path, change) -> Path:
    import zipfile

    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w") as dst:
        for info in src.infolist():
            content = change(info.filename, src.read(info.filename))
            if content is not None:
                dst.writestr(info.filename, content)
    return target


BROKEN = {
    "no-worksheet": lambda name, data: None if name.startswith("xl/worksheets/") else data,
    "worksheet-cut-in-half": lambda name, data: data[: len(data) // 2] if name.startswith("xl/worksheets/") else data,
    "no-workbook-part": lambda name, data: None if name == "xl/workbook.xml" else data,
    "styles-garbage": lambda name, data: b"<styleSheet" if name == "xl/styles.xml" else data,
    "worksheet-not-xml": lambda name, data: b"\x00\x01 not xml" if name.startswith("xl/worksheets/") else data,
    "no-content-types": lambda name, data: None if name == "[Content_Types].xml" else data,
}


@pytest.mark.parametrize("damage", sorted(BROKEN))
def test_a_damaged_workbook_is_a_located_error(tmp_path, damage) -> None:
    good = save(tmp_path, [HEADER, entry(1, "一"), entry(2, "二")], name="good.xlsx")
    path = _rezip(good, tmp_path / "plan.xlsx", BROKEN[damage])
    result, _ = parse(path)
    assert result.exit_code == 2, result.output
    assert f"{path}: error: " in result.stderr
    assert "save it as .xlsx again" in result.stderr or "missing" in result.stderr
    assert not path.with_suffix(".json").exists()


def test_a_chartsheet_before_the_plan_sheet_is_a_located_error_naming_the_chart(tmp_path) -> None:
    # openpyxl cannot load a workbook with a chart sheet without a drawing; the message says what to do
    book = Workbook()
    book.create_chartsheet("グラフ", 0)
    sheet = book.worksheets[0]
    for row in (HEADER, entry(1, "一")):
        sheet.append(row)
    path = tmp_path / "plan.xlsx"
    book.save(path)
    (tmp_path / "plan.toml").write_bytes(MINI_TOML.read_bytes())
    result, _ = parse(path)
    assert result.exit_code == 2
    assert f"{path}: error: not a readable XLSX workbook" in result.stderr
    assert "delete the chart sheet" in result.stderr


def test_only_a_chartsheet_is_a_located_error(tmp_path) -> None:
    book = Workbook()
    book.create_chartsheet("グラフ", 0)
    good = tmp_path / "good.xlsx"
    book.save(good)
    path = _rezip(good, tmp_path / "plan.xlsx", BROKEN["no-worksheet"])
    result, _ = parse(path)
    assert result.exit_code == 2
    assert f"{path}: error: " in result.stderr


def test_a_cell_at_the_last_address_is_read_in_bounded_time(tmp_path) -> None:
    import time

    book = Workbook()
    path = save(tmp_path, [HEADER, entry(1, "一")], book=book)
    book.active["XFD1048576"] = "x"
    book.save(path)
    start = time.monotonic()
    result, records = parse(path)
    assert time.monotonic() - start < 60  # liveness: it walked 1.7×10¹⁰ empty cells before
    assert result.exit_code == 0, result.stderr
    assert [m["title"] for m in records["measures"]] == ["一"]
