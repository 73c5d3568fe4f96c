"""`plan2rdf parse --format xlsx`: a clean sheet 「施策」 for next year and the verbatim cells on
「原文」; reading the workbook back gives the same plan. Expected cells are worked out by hand from
tests/fixtures/mini/plan.txt and data/fukushima/ict-action-plan-2021.txt."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from rdflib import Graph
from rdflib.namespace import DCTERMS, RDF

from plan2rdf.cli import main
from plan2rdf.read.reader import read_plan
from plan2rdf.resources import bundled_plan
from plan2rdf.vocab import P2R
from readback import without_verbatim

ROOT = Path(__file__).parents[1]
DATA = ROOT / "data" / "fukushima"
MINI = Path(__file__).parent / "fixtures" / "mini"
HEADER = ("施策の展開方向", "整理番号", "新規", "施策（事業）名称", "取組概要", "指標・目標", "部局等名 担当課")
SCARS = ("<ul", "<li", "<p>", "style=", "&nbsp;")
# names the PDF export wrapped in the bundled plan (lines 48, 50, 54, 102 and 113 of the text export)
WRAPPED = ("原子力安全 対策課", "放射線監視 室", "障がい福祉 課", "環境保全農 業課", "デジタル変 革課")


def cells(path: Path) -> dict[str, list[tuple[str, ...]]]:
    """Every sheet of a workbook as rows of text (an empty cell as "")."""
    book = load_workbook(path, read_only=True)
    try:
        return {
            ws.title: [tuple("" if v is None else str(v) for v in row) for row in ws.iter_rows(values_only=True)]
            for ws in book.worksheets
        }
    finally:
        book.close()


def to_xlsx(source: Path, out: Path, *args: str) -> Path:
    result = CliRunner().invoke(main, ["parse", str(source), *args, "--format", "xlsx", "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def with_sidecars(folder: Path, source_folder: Path, stem: str) -> None:
    """The metadata file and organisation table beside a converted sheet, as beside its source."""
    shutil.copy(source_folder / f"{stem}.toml", folder / f"{stem}.toml")
    shutil.copy(source_folder / "organizations.csv", folder / "organizations.csv")


@pytest.fixture(scope="module")
def mini_sheet(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("mini")
    return to_xlsx(MINI / "plan.txt", folder / "plan.xlsx")


@pytest.fixture(scope="module")
def bundled_sheet(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("bundled")
    with_sidecars(folder, DATA, "ict-action-plan-2021")
    return to_xlsx(bundled_plan(), folder / "ict-action-plan-2021.xlsx")


# ---------------------------------------------------------------------------------------------
# the workbook


def test_the_clean_sheet_comes_first_with_one_item_per_line(mini_sheet) -> None:
    book = cells(mini_sheet)
    assert list(book) == ["施策", "原文"]
    assert book["施策"] == [
        HEADER,
        # <ul> markup gone, its items one per line; 「防災 対策課」 rejoined, the department on its own line
        ("1 くらし", "1", "○", "防災アプリ事業（BOSAI）", "防災アプリを配信する。",
         "ダウンロード数 5,000件\n登録率 対前年比110%", "市民部\n防災対策課"),
        # two sentences of a paragraph, one per line
        ("1 くらし", "2", "", "図書館システム", "蔵書を検索できるようにする。\nまた、予約を受け付ける。",
         "貸出 年間12万冊", "教育委員会\n図書館"),
        # <p> gone; ・ bullets become lines; ◯ written as ○
        ("2 行政", "1", "○", "電子申請事業", "申請をオンライン化する。", "対象手続 20件\n利用率 50%",
         "総務部\n情報政策課\n行政改革課"),
        # the repost keeps its （再掲）, so it still reads as a repost
        ("2 行政", "2", "", "（再掲）図書館システム", "蔵書を検索できるようにする。\nまた、予約を受け付ける。",
         "貸出 年間12万冊", "教育委員会\n図書館"),
        # a department alone
        ("2 行政", "3", "", "選挙情報発信", "投票所を案内する。", "引き続き発信する。", "選挙管理委員会事務局"),
    ]  # fmt: skip


def test_the_original_sheet_keeps_the_source_cells_row_for_row(mini_sheet) -> None:
    original = cells(mini_sheet)["原文"]
    assert original[0] == HEADER
    lines = (MINI / "plan.txt").read_text(encoding="utf-8").splitlines()
    # the entry lines of the text export: 13, 14 (direction 1) and 19–21 (direction 2), tab-separated
    source = [lines[n - 1].split("\t") for n in (13, 14, 19, 20, 21)]
    directions = ["1 くらし", "1 くらし", "2 行政", "2 行政", "2 行政"]
    source[2][1] = "○"  # 新規 is kept as new or not, not as its mark (◯ in the source): ○ on both sheets
    assert original[1:] == [(d, *row) for d, row in zip(directions, source, strict=True)]
    assert original[1][5] == '<ul style="list-style-type: none"> ダウンロード数 5,000件 登録率 対前年比110% '


def test_the_workbook_reads_as_the_same_plan(mini_sheet) -> None:
    original = read_plan(MINI / "plan.txt")
    again = read_plan(mini_sheet, metadata_path=MINI / "plan.toml")
    assert without_verbatim(again).measures == without_verbatim(original).measures
    # A sheet has no introduction and no ～…～ subtitles: they come from the metadata file, which
    # for the mini plan gives neither (the bundled plan's does: its round trip is exact).
    assert again.info == replace(original.info, description=None)
    assert [(d.number, d.name, d.subtitle) for d in again.directions] == [(1, "くらし", None), (2, "行政", None)]
    assert again.source.sheet == "施策"
    # the 原文 sheet is not read: the verbatim texts are now the clean cells
    assert again.measure("1-1").indicator.verbatim == "ダウンロード数 5,000件\n登録率 対前年比110%"
    assert again.measure("1-1").responsibility.divisions == ("防災対策課",)
    assert again.measure("2-2").repost_of == "1-2"
    assert [m.line for m in again.measures] == [2, 3, 4, 5, 6]  # rows of 「施策」


def test_the_bundled_plan_round_trips(bundled_sheet) -> None:
    original = read_plan(bundled_plan())
    again = read_plan(bundled_sheet)
    assert len(again.measures) == 128
    assert without_verbatim(again) == without_verbatim(original)
    for m, n in zip(original.measures, again.measures, strict=True):
        assert (n.summary.items, n.indicator.items) == (m.summary.items, m.indicator.items), m.identifier
    assert again.measure("2-10").responsibility.divisions == ("原子力安全対策課",)
    assert again.measure("1-2").indicator.items == (
        "フェイスブックページへの「いいね！」数 67,000件",
        "Instagram フォロワー 16,000件",
    )
    assert again.warnings == ()


def test_parse_json_of_the_workbook_agrees_with_the_source(bundled_sheet) -> None:
    import json

    runner = CliRunner()
    before = json.loads(runner.invoke(main, ["parse"]).stdout)
    result = runner.invoke(main, ["parse", str(bundled_sheet)])
    assert result.exit_code == 0, result.output
    after = json.loads(result.stdout)
    # may differ: where each record was read (lines → rows), the verbatim texts (now the clean cells)
    located = {"line", "title_verbatim", "responsibility_verbatim"}
    assert after["plan"] == before["plan"]
    assert after["source"]["format"] == "xlsx" and after["source"]["sheet"] == "施策"
    assert before["source"]["sheet"] is None
    for b, a in zip(before["measures"], after["measures"], strict=True):
        for key in b.keys() - located:
            if key in ("summary", "indicator"):
                assert (a[key]["text"], a[key]["items"]) == (b[key]["text"], b[key]["items"]), b["identifier"]
            else:
                assert a[key] == b[key], (b["identifier"], key)
    assert [d["line"] for d in after["directions"]] != [d["line"] for d in before["directions"]]


def test_a_build_from_the_workbook_has_the_same_measures(bundled_sheet, tmp_path) -> None:
    runner = CliRunner()
    graphs = []
    for source in (bundled_plan(), bundled_sheet):
        out = tmp_path / source.suffix[1:]
        result = runner.invoke(main, ["build", str(source), "--out", str(out)])
        assert result.exit_code == 0, result.output  # conforms
        graphs.append(Graph().parse(out / "fukushima-ict-2021.ttl", format="turtle"))

    def facts(g: Graph) -> dict:
        return {
            str(m): (
                sorted(str(t) for t in g.objects(m, DCTERMS.title)),
                sorted(str(u) for u in g.objects(m, P2R.responsibleUnit)),
                str(g.value(m, DCTERMS.description)),
            )
            for m in g.subjects(RDF.type, P2R.Measure)
        }

    text, sheet = (facts(g) for g in graphs)
    assert len(text) == 128 and sheet == text
    m = "https://w3id.org/plan2rdf/id/fukushima-ict/2021/measure/2-10"
    assert sheet[m][1] == ["https://w3id.org/plan2rdf/id/org/fukushima/kiki-kanri-bu/genshiryoku-anzen-taisaku-ka"]
    source = next(graphs[1].objects(None, P2R.sourceSheet))
    assert str(source) == "施策"
    assert not list(graphs[0].objects(None, P2R.sourceSheet))  # a text export has no sheet
    # the JSON-LD context names the term, so the workbook's JSON-LD reads "sourceSheet": "施策"
    jsonld = (tmp_path / "xlsx" / "fukushima-ict-2021.jsonld").read_text(encoding="utf-8")
    assert '"sourceSheet": "施策"' in jsonld and '"p2r:sourceSheet": "施策"' not in jsonld


# ---------------------------------------------------------------------------------------------
# the shipped sheets


SHIPPED = {
    "bundled": (DATA / "ict-action-plan-2021.xlsx", bundled_plan(), None),
    "template": (ROOT / "data" / "template.xlsx", ROOT / "data" / "template.csv", "template"),
}


def filled_template(folder: Path) -> Path:
    """The template's metadata file with its placeholders filled in (as tests/test_read.py does)."""
    text = (ROOT / "data" / "template.toml").read_text(encoding="utf-8")
    for placeholder, value in (("〇〇", "東京"), ("example", "tokyo"), ("Example", "Tokyo"), ("999999", "130001"),
                               ("99999", "13000")):  # fmt: skip
        text = text.replace(placeholder, value)
    path = folder / "template.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("case", sorted(SHIPPED))
def test_shipped_sheets_carry_no_export_scars(case) -> None:
    book = cells(SHIPPED[case][0])
    assert list(book) == ["施策", "原文"]
    for row in book["施策"]:
        for cell in row:
            assert not any(scar in cell for scar in SCARS), (case, cell)
            assert not any(name in cell for name in WRAPPED), (case, cell)
            assert not cell.startswith("・") and "\n・" not in cell, (case, cell)


def test_the_bundled_sheet_keeps_the_scars_on_its_original_sheet() -> None:
    book = cells(DATA / "ict-action-plan-2021.xlsx")
    # entry 2-10, line 48 of the text export: the wrapped name, verbatim
    original = next(row for row in book["原文"] if row[0].startswith("2 ") and row[1] == "10")
    assert original[6] == "危機管理部 原子力安全 対策課"
    clean = next(row for row in book["施策"] if row[0].startswith("2 ") and row[1] == "10")
    assert clean[6] == "危機管理部\n原子力安全対策課"
    assert sum('<ul style="list-style-type: none">' in row[5] for row in book["原文"]) == 31


@pytest.mark.parametrize("case", sorted(SHIPPED))
def test_shipped_sheets_are_plan2rdfs_own_conversion(case, tmp_path) -> None:
    shipped, source, template = SHIPPED[case]
    args = ("--meta", str(filled_template(tmp_path))) if template else ()
    fresh = to_xlsx(source, tmp_path / shipped.name, *args)
    assert cells(fresh) == cells(shipped)


# ---------------------------------------------------------------------------------------------
# where validation points


def test_validation_names_the_sheet_and_row_of_a_workbook(mini_sheet, tmp_path) -> None:
    folder = tmp_path / "plan"
    folder.mkdir()
    shutil.copy(mini_sheet, folder / "plan.xlsx")
    with_sidecars(folder, MINI, "plan")
    runner = CliRunner()
    assert runner.invoke(main, ["build", str(folder / "plan.xlsx"), "--out", str(folder)]).exit_code == 0
    # entry 1-1 is row 2 of 「施策」; a second, non-boolean 新規 flag makes it violate its shape
    (folder / "changes.ttl").write_text(
        '<https://w3id.org/plan2rdf/id/mini-ict/2022/measure/1-1> <https://w3id.org/plan2rdf/ns#isNew> "maybe" .\n',
        encoding="utf-8",
    )
    data = [str(folder / "mini-ict-2022.ttl"), str(folder / "changes.ttl")]
    source = (folder / "plan.xlsx").as_posix()  # found beside the data
    for lang, clause in (
        ("en", f" (source {source}, sheet 施策, row 2)"),
        ("ja", f"（元資料 {source} シート「施策」2行目）"),
    ):
        result = runner.invoke(main, ["validate", *data, "--lang", lang])
        assert result.exit_code == 1, result.output
        lines = [line for line in result.stdout.splitlines() if "1-1" in line]
        assert lines and all(line.endswith(clause) for line in lines), result.stdout
    result = runner.invoke(main, ["validate", *data, "--format", "json"])
    import json

    results = json.loads(result.stdout)["results"]
    found = {(r["sourceFile"], r["sourceSheet"], r["sourceLine"]) for r in results if r["entry"] == "1-1"}
    assert found == {("plan.xlsx", "施策", 2)}


def test_a_clean_sheet_converts_to_itself(mini_sheet, tmp_path) -> None:
    """Next year's conversion of this year's clean sheet changes nothing on 「施策」: the rules' output
    is a fixed point of the rules."""
    again = to_xlsx(mini_sheet, tmp_path / "again.xlsx", "--meta", str(MINI / "plan.toml"))
    assert cells(again)["施策"] == cells(mini_sheet)["施策"]
    assert cells(again)["原文"] == cells(mini_sheet)["施策"]  # its verbatim cells are the clean ones
