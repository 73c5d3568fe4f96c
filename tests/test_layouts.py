"""Other layouts (issue 16, item 3): a sheet with its own headers and numbers, mapped by the sidecar's
[columns] table, built end to end; every mistake in the table or the numbers is one located error.

The fixture (tests/fixtures/layouts/mirai/) is a prefecture whose sheet has the columns 分野, 施策番号,
施策名, 概要, KPI, 担当部局, 予算額, 備考: three directions named by their text alone, numbers such as
1-(1)-1, a repost, and two columns no [columns] key names (予算額, 備考), kept as notes. The XLSX
variant is the same table written by openpyxl. Expected triples are worked out by hand from the CSV.
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, RDF, SKOS, XSD

from plan2rdf.cli import main

HERE = Path(__file__).parent
MIRAI = HERE / "fixtures" / "layouts" / "mirai"
FUKUSHIMA = HERE.parent / "data" / "fukushima"
BASE = "https://w3id.org/plan2rdf/id/"
P2R = "https://w3id.org/plan2rdf/ns#"


def iri(path: str) -> URIRef:
    return URIRef(BASE + path)


def p2r(name: str) -> URIRef:
    return URIRef(P2R + name)


def ja(text: str) -> Literal:
    return Literal(text, lang="ja")


def write_plan(folder: Path, fmt: str, csv_text: str | None = None, toml: str | None = None) -> Path:
    """The fixture in ``folder`` as plan.csv or plan.xlsx (the same rows), with its sidecar and table."""
    csv_text = csv_text if csv_text is not None else (MIRAI / "plan.csv").read_text(encoding="utf-8")
    toml = toml if toml is not None else (MIRAI / "plan.toml").read_text(encoding="utf-8")
    (folder / "plan.toml").write_text(toml, encoding="utf-8")
    shutil.copy(MIRAI / "organizations.csv", folder / "organizations.csv")
    if fmt == "csv":
        (folder / "plan.csv").write_text(csv_text, encoding="utf-8")
        return folder / "plan.csv"
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "一覧"  # not 「施策」: the first worksheet is read
    for row in csv.reader(csv_text.splitlines(keepends=True)):
        sheet.append([cell or None for cell in row])
    book.save(folder / "plan.xlsx")
    return folder / "plan.xlsx"


def build(source: Path, out: Path):
    return CliRunner().invoke(main, ["build", str(source), "--out", str(out)])


# Worked out by hand from plan.csv: the identifier as given, the slug of the IRI (ASCII letters and
# digits, one '-' between), the direction in order of appearance, the position within it, the unit.
MEASURES = {
    "1-1-1": ("1-(1)-1", "電子申請の拡充", 1, 1, "org/mirai/somu-bu/digital-ka"),
    "1-1-2": ("1-(1)-2", "テレワークの推進", 1, 2, "org/mirai/somu-bu/jinji-ka"),
    "2-1-1": ("2-(1)-1", "オンライン診療の支援", 2, 1, "org/mirai/hoken-fukushi-bu/iryo-seisaku-ka"),
    "2-1-2": ("2-(1)-2", "電子申請の拡充", 2, 2, "org/mirai/somu-bu/digital-ka"),
    "3-2-1": ("3-(2)-1", "中小企業のDX支援", 3, 1, "org/mirai/shoko-rodo-bu/sangyo-shinko-ka"),
}
# (measure slug, note number) → header and cell; 予算額 is the 1st unnamed column, 備考 the 2nd
NOTES = {
    ("1-1-1", 1): ("予算額", "12,000千円"),
    ("2-1-1", 1): ("予算額", "5,000千円"),
    ("3-2-1", 1): ("予算額", "8,500千円"),
    ("3-2-1", 2): ("備考", "令和6年度から\n専門家を増員"),
}
DIRECTIONS = {1: "行政のデジタル化", 2: "暮らしのデジタル化", 3: "産業のデジタル化"}


@pytest.fixture(scope="module", params=["csv", "xlsx"])
def built(request, tmp_path_factory) -> tuple[Path, Graph]:
    folder = tmp_path_factory.mktemp(request.param)
    result = build(write_plan(folder, request.param), folder / "out")
    assert result.exit_code == 0, result.stderr
    return folder / "out" / "mirai-dx-2024.ttl", Graph().parse(folder / "out" / "mirai-dx-2024.ttl")


def test_measures_keep_the_sheets_numbers_titles_and_units(built) -> None:
    _, graph = built
    plan = iri("mirai-dx/2024")
    assert set(graph.objects(plan, p2r("hasMeasure"))) == {iri(f"mirai-dx/2024/measure/{s}") for s in MEASURES}
    for slug, (identifier, title, direction, position, unit) in MEASURES.items():
        m = iri(f"mirai-dx/2024/measure/{slug}")
        assert list(graph.objects(m, DCTERMS.identifier)) == [Literal(identifier)]
        assert list(graph.objects(m, DCTERMS.title)) == [ja(title)]
        assert list(graph.objects(m, p2r("direction"))) == [iri(f"mirai-dx/direction/{direction}")]
        assert list(graph.objects(m, p2r("entryNumber"))) == [Literal(position, datatype=XSD.integer)]
        assert list(graph.objects(m, p2r("responsibleUnit"))) == [iri(unit)]
        assert list(graph.objects(m, p2r("isNew"))) == [Literal(False)]  # no 新規 column
    # the repost points at the original by its IRI; the title keeps its marker verbatim
    repost = iri("mirai-dx/2024/measure/2-1-2")
    assert list(graph.objects(repost, p2r("repostOf"))) == [iri("mirai-dx/2024/measure/1-1-1")]
    assert list(graph.objects(repost, p2r("titleSourceText"))) == [ja("（再掲）電子申請の拡充")]
    # 担当部局 is the unit column: the organisation table's slugs and English names
    division = iri("org/mirai/somu-bu/digital-ka")
    assert (division, SKOS.prefLabel, Literal("Digital Promotion Division", lang="en")) in graph
    assert (division, URIRef("http://www.w3.org/ns/org#unitOf"), iri("org/mirai/somu-bu")) in graph


def test_directions_are_numbered_in_order_of_appearance(built) -> None:
    _, graph = built
    for number, name in DIRECTIONS.items():
        concept = iri(f"mirai-dx/direction/{number}")
        assert list(graph.objects(concept, SKOS.prefLabel)) == [ja(name)]
        assert list(graph.objects(concept, SKOS.notation)) == [Literal(str(number))]
    assert len(set(graph.subjects(SKOS.inScheme, iri("mirai-dx/directions")))) == 3


def test_unnamed_columns_are_notes_with_their_header(built) -> None:
    _, graph = built
    notes = set(graph.subjects(RDF.type, p2r("ColumnNote")))
    assert notes == {iri(f"mirai-dx/2024/measure/{s}/note/{n}") for s, n in NOTES}
    for (slug, n), (header, text) in NOTES.items():
        note = iri(f"mirai-dx/2024/measure/{slug}/note/{n}")
        assert (iri(f"mirai-dx/2024/measure/{slug}"), p2r("columnNote"), note) in graph
        assert list(graph.objects(note, p2r("columnHeader"))) == [ja(header)]
        assert list(graph.objects(note, p2r("sourceText"))) == [ja(text)]
    # an empty 予算額 cell is no note
    assert list(graph.objects(iri("mirai-dx/2024/measure/1-1-2"), p2r("columnNote"))) == []


def test_a_note_merged_over_rows_is_kept_once_and_said(tmp_path) -> None:
    """予算額 merged over the first two entries (G2:G3, as Excel stores it: the value in G2 only) is not
    copied to the second entry (a shared budget is not each one's), and the warning names the range."""
    from openpyxl import load_workbook

    path = write_plan(tmp_path, "xlsx")
    book = load_workbook(path)
    book.active.merge_cells("G2:G3")
    book.save(path)
    result = build(path, tmp_path / "out")
    assert result.exit_code == 0, result.stderr
    assert (
        f"{path}:2:G: warning: 予算額 is merged over rows 2–3 (G2:G3): the note is kept on row 2's entry only "
        "(if it belongs to each row's entry, unmerge the cells and give each row its value)"
    ) in result.stderr
    graph = Graph().parse(tmp_path / "out" / "mirai-dx-2024.ttl")
    note = iri("mirai-dx/2024/measure/1-1-1/note/1")
    assert list(graph.objects(note, p2r("sourceText"))) == [ja("12,000千円")]
    assert list(graph.objects(iri("mirai-dx/2024/measure/1-1-2"), p2r("columnNote"))) == []


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_parse_json_has_the_notes_and_the_sheets_layout(tmp_path, fmt) -> None:
    """What `parse` prints for checking a reading holds every note and the sheet's columns in order."""
    import json

    result = CliRunner().invoke(main, ["parse", str(write_plan(tmp_path, fmt))])
    assert result.exit_code == 0, result.output
    parsed = json.loads(result.stdout)
    notes = {(m["identifier"], n["number"]): (n["header"], n["text"]) for m in parsed["measures"] for n in m["notes"]}
    given = {MEASURES[slug][0]: slug for slug in MEASURES}  # 1-(1)-1 → 1-1-1
    assert {(given[i], n): note for (i, n), note in notes.items()} == NOTES
    assert parsed["layout"] == {
        "columns": [
            {"header": "分野", "key": "direction"},
            {"header": "施策番号", "key": "number"},
            {"header": "施策名", "key": "title"},
            {"header": "概要", "key": "summary"},
            {"header": "KPI", "key": "indicator"},
            {"header": "担当部局", "key": "unit"},
            {"header": "予算額", "key": None},
            {"header": "備考", "key": None},
        ],
        "directions_by_name": True,
    }


def test_parse_json_of_fukushimas_layout_has_none() -> None:
    import json

    parsed = json.loads(CliRunner().invoke(main, ["parse"]).stdout)
    assert parsed["layout"] is None
    assert all(m["notes"] == [] for m in parsed["measures"])


def test_the_output_validates(built) -> None:
    path, _ = built
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 0, result.output


def test_a_fukushima_sheet_mapped_by_columns_gives_the_same_graph(tmp_path) -> None:
    """[columns] naming Fukushima's own headers changes nothing: same identifiers, same IRIs."""
    plain, mapped = tmp_path / "plain", tmp_path / "mapped"
    for folder in (plain, mapped):
        folder.mkdir()
        shutil.copy(FUKUSHIMA / "ict-action-plan-2021.csv", folder / "plan.csv")
    shutil.copy(FUKUSHIMA / "ict-action-plan-2021.toml", plain / "plan.toml")
    (mapped / "plan.toml").write_text(
        (FUKUSHIMA / "ict-action-plan-2021.toml").read_text(encoding="utf-8")
        + '\n[columns]\ndirection = "施策の展開方向"\nnumber = "整理番号"\nnew = "新規"\ntitle = "施策（事業）名称"\n'
        'summary = "取組概要"\nindicator = "指標・目標"\nunit = "部局等名 担当課"\n',
        encoding="utf-8",
    )
    organizations = ["--organizations", str(FUKUSHIMA / "organizations.csv")]
    for folder in (plain, mapped):
        args = ["build", str(folder / "plan.csv"), "--out", str(folder / "out"), *organizations]
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0, result.stderr
    name = "fukushima-ict-2021.ttl"
    assert isomorphic(Graph().parse(plain / "out" / name), Graph().parse(mapped / "out" / name))


PLAIN = """分野,番号,施策名,担当部局
行政のデジタル化,1,電子申請の拡充,総務部 デジタル推進課
行政のデジタル化,2,テレワークの推進,総務部 人事課
暮らしのデジタル化,1,オンライン診療の支援,保健福祉部 医療政策課
"""
PLAIN_COLUMNS = """[columns]
direction = "分野"
number = "番号"
title = "施策名"
unit = "担当部局"
"""


def _sidecar(columns: str) -> str:
    text = (MIRAI / "plan.toml").read_text(encoding="utf-8")
    return text[: text.index("[columns]")] + columns


def test_plain_numbers_keep_fukushimas_rule(tmp_path) -> None:
    """Numbers 1, 2, 3… within each direction: identifiers direction-number, as Fukushima's."""
    result = build(write_plan(tmp_path, "csv", PLAIN, _sidecar(PLAIN_COLUMNS)), tmp_path / "out")
    assert result.exit_code == 0, result.stderr
    graph = Graph().parse(tmp_path / "out" / "mirai-dx-2024.ttl")
    found = {str(o) for o in graph.objects(None, DCTERMS.identifier)}
    assert found == {"1-1", "1-2", "2-1"}
    assert (iri("mirai-dx/2024/measure/2-1"), DCTERMS.title, ja("オンライン診療の支援")) in graph


def test_plain_numbers_are_checked_in_sequence(tmp_path) -> None:
    sheet = PLAIN.replace("行政のデジタル化,2,", "行政のデジタル化,3,")
    result = build(write_plan(tmp_path, "csv", sheet, _sidecar(PLAIN_COLUMNS)), tmp_path / "out")
    assert result.exit_code == 2
    expected = "error: entry 1-3: 番号 3 follows 1 in direction 1; expected 2"  # the sheet's header, 番号
    assert f"{tmp_path / 'plan.csv'}:3: {expected}" in result.stderr


def test_sidecar_directions_number_the_names(tmp_path) -> None:
    """[[directions]] give the names their numbers (not the order of appearance) and English names."""
    toml = (MIRAI / "plan.toml").read_text(encoding="utf-8") + (
        '\n[[directions]]\nnumber = 1\nname = "産業のデジタル化"\nname_en = "Digital industry"\n'
        '\n[[directions]]\nnumber = 2\nname = "行政のデジタル化"\n'
        '\n[[directions]]\nnumber = 3\nname = "暮らしのデジタル化"\n'
    )
    result = build(write_plan(tmp_path, "csv", toml=toml), tmp_path / "out")
    assert result.exit_code == 0, result.stderr
    graph = Graph().parse(tmp_path / "out" / "mirai-dx-2024.ttl")
    assert (iri("mirai-dx/2024/measure/3-2-1"), p2r("direction"), iri("mirai-dx/direction/1")) in graph
    assert (iri("mirai-dx/2024/measure/1-1-1"), p2r("direction"), iri("mirai-dx/direction/2")) in graph
    assert set(graph.objects(iri("mirai-dx/direction/1"), SKOS.prefLabel)) == {
        ja("産業のデジタル化"),
        Literal("Digital industry", lang="en"),
    }


# Each mistake, made in the fixture by one replacement in one file, is exactly one located error.
# plan.toml's lines: 11 [columns], 12 direction, 13 number, 14 title, 15 summary, 16 indicator, 17 unit
ERRORS = {
    # the second row repeats the first's number: one error, naming both rows
    "duplicate": (
        "plan.csv",
        ("1-(1)-2,テレワーク", "1-(1)-1,テレワーク"),
        "plan.csv:3:2: error: entry 1-(1)-1: 施策番号 「1-(1)-1」 is used twice, in rows 2 and 3 "
        "(give each entry its own number)",
    ),
    # 1-1-1 and 1-(1)-1 are both …/measure/1-1-1
    "same IRI": (
        "plan.csv",
        ("1-(1)-2,テレワーク", "1-1-1,テレワーク"),
        "plan.csv:3:2: error: entry 1-1-1: 施策番号 「1-1-1」 and 「1-(1)-1」 (row 2) give the same IRI "
        "…/measure/1-1-1 (an IRI keeps only a number's ASCII letters and digits (docs/vocabulary.md): "
        "make the numbers differ in those)",
    ),
    "empty": (
        "plan.csv",
        ("2-(1)-1,オンライン", ",オンライン"),
        "plan.csv:4:2: error: 施策番号 is empty for 「オンライン診療の支援」 "
        "(give the entry's number as the plan prints it)",
    ),
    # an empty cell is named by the sheet's header, not Fukushima's (部局等名 担当課, 施策（事業）名称)
    "empty unit": (
        "plan.csv",
        ("支援企業数 100社,商工労働部 産業振興課,", "支援企業数 100社,,"),
        "plan.csv:6:6: error: entry 3-(2)-1: 担当部局 is empty (name the responsible department, then its division(s))",
    ),
    "empty name": (
        "plan.csv",
        ("3-(2)-1,中小企業のDX支援,", "3-(2)-1,,"),
        "plan.csv:6:3: error: entry 3-(2)-1: the name (施策名) is empty (every entry needs a name)",
    ),
    "unknown key": (
        "plan.toml",
        ('title = "施策名"', 'titel = "施策名"'),
        "plan.toml:14: error: unknown key titel in [columns]; did you mean title? "
        "(the keys are direction, number, new, title, summary, indicator, unit)",
    ),
    "same column": (
        "plan.toml",
        ('summary = "概要"', 'summary = "施策名"'),
        "plan.toml:15: error: columns.summary and columns.title (line 14) name the same column 「施策名」 "
        "(map each column to one key only)",
    ),
    "required missing": (
        "plan.toml",
        ('unit = "担当部局"\n', ""),
        "plan.toml:11: error: [columns] lacks unit "
        "(every entry needs direction, number, title, unit: name the sheet's header for each)",
    ),
    "not text": (
        "plan.toml",
        ('number = "施策番号"', "number = 2"),
        "plan.toml:13: error: columns.number must be the header's text, as the sheet spells it",
    ),
}


def errors_of(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if ": error: " in line]


@pytest.mark.parametrize("case", sorted(ERRORS))
def test_each_mistake_is_one_located_error(tmp_path, case) -> None:
    name, (old, new), expected = ERRORS[case]
    texts = {f: (MIRAI / f).read_text(encoding="utf-8") for f in ("plan.csv", "plan.toml")}
    assert old in texts[name]
    texts[name] = texts[name].replace(old, new, 1)
    result = build(write_plan(tmp_path, "csv", texts["plan.csv"], texts["plan.toml"]), tmp_path / "out")
    assert result.exit_code == 2
    assert errors_of(result) == [f"{tmp_path}/{expected}"]
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("fmt", "column"), [("csv", "3"), ("xlsx", "C")])
def test_a_header_the_sheet_lacks_is_the_sidecars_line(tmp_path, fmt, column) -> None:
    toml = (MIRAI / "plan.toml").read_text(encoding="utf-8").replace('title = "施策名"', 'title = "施策名称"')
    result = build(write_plan(tmp_path, fmt, toml=toml), tmp_path / "out")
    assert result.exit_code == 2
    assert errors_of(result) == [
        f"{tmp_path}/plan.toml:14: error: columns.title: the sheet has no header 「施策名称」 (header row 1); "
        f"did you mean 「施策名」 in column {column}? (write the header as the sheet spells it: "
        "「分野」, 「施策番号」, 「施策名」, 「概要」, 「KPI」, 「担当部局」, 「予算額」, 「備考」)"
    ]


def test_a_direction_the_sidecar_does_not_list(tmp_path) -> None:
    """With names in [[directions]], a sheet's name not among them is a typo, not a new direction."""
    toml = (MIRAI / "plan.toml").read_text(encoding="utf-8") + "".join(
        f'\n[[directions]]\nnumber = {n}\nname = "{name}"\n' for n, name in DIRECTIONS.items()
    )
    sheet = (MIRAI / "plan.csv").read_text(encoding="utf-8").replace("産業のデジタル化,", "産業のデジタル化推進,")
    result = build(write_plan(tmp_path, "csv", sheet, toml), tmp_path / "out")
    assert result.exit_code == 2
    assert errors_of(result) == [
        f"{tmp_path}/plan.csv:6:1: error: 分野 「産業のデジタル化推進」 is not among the [[directions]] of "
        f"{tmp_path}/plan.toml; did you mean 「産業のデジタル化」 (3)? "
        "(spell the name as a name of [[directions]], or add it there)"
    ]


# `plan2rdf init` on a sheet with other headers: the [columns] table drafted from its header row.
DRAFTED_COLUMNS = """[columns]
direction = "分野"                  # guessed: check
number = "施策番号"                   # guessed: check
# new = ""                        # no header looked like it: name one, or leave the key out
title = "施策名"                     # guessed: check
summary = "概要"                    # guessed: check
indicator = "KPI"                 # guessed: check
unit = "担当部局"                     # guessed: check
# 予算額: no key; kept verbatim as a note on each measure
# 備考: no key; kept verbatim as a note on each measure
"""


def test_init_drafts_the_columns_table_and_the_draft_builds(tmp_path) -> None:
    pytest.importorskip("cutlet", reason="plan2rdf init needs the init extra")
    shutil.copy(MIRAI / "plan.csv", tmp_path / "plan.csv")
    result = CliRunner().invoke(main, ["init", str(tmp_path / "plan.csv"), "--title", "みらい県DXプラン2024"])
    assert result.exit_code == 0, result.output
    drafted = (tmp_path / "plan.toml").read_text(encoding="utf-8")
    assert DRAFTED_COLUMNS in drafted
    # the directions are the sheet's names, in order of appearance
    assert '[[directions]]\nnumber = 3\nname = "産業のデジタル化"' in drafted
    assert f"{tmp_path / 'plan.toml'}:25: columns: check the header guessed for each field" in result.output
    # the publisher filled in, the draft builds: the guesses were right
    filled = (
        drafted.replace('series = "example-ict"', 'series = "mirai-dx"')
        .replace('name = "〇〇"', 'name = "みらい県"')
        .replace('name_en = "Example"', 'name_en = "Mirai Prefecture"')
        .replace('slug = "example"', 'slug = "mirai"')
        .replace('lg_code = "999999"', 'lg_code = "479993"')
        .replace('area_code = "99999"', 'area_code = "47999"')
        .replace('base_iri = "https://example.jp/id/"', 'base_iri = "https://data.mirai.jp/id/"')
    )
    (tmp_path / "plan.toml").write_text(filled, encoding="utf-8")
    result = build(tmp_path / "plan.csv", tmp_path / "out")
    assert result.exit_code == 0, result.stderr
    graph = Graph().parse(tmp_path / "out" / "mirai-dx-2024.ttl")
    measure = URIRef("https://data.mirai.jp/id/mirai-dx/2024/measure/3-2-1")
    assert (measure, DCTERMS.identifier, Literal("3-(2)-1")) in graph
    assert len(set(graph.subjects(RDF.type, p2r("ColumnNote")))) == len(NOTES)


def test_init_leaves_a_required_column_it_cannot_guess_to_fill_in(tmp_path) -> None:
    pytest.importorskip("cutlet", reason="plan2rdf init needs the init extra")
    sheet = "分野,施策番号,施策名,部署\nくらし,1-1,防災アプリ,市民部 防災課\n"  # 部署: no unit word
    (tmp_path / "plan.csv").write_text(sheet, encoding="utf-8")
    result = CliRunner().invoke(main, ["init", str(tmp_path / "plan.csv"), "--title", "見本市プラン2024"])
    assert result.exit_code == 0, result.output
    drafted = (tmp_path / "plan.toml").read_text(encoding="utf-8")
    lines = drafted.splitlines()
    (line,) = [n for n, text in enumerate(lines, 1) if text.startswith('unit = "〇〇"')]
    assert lines[line - 1].endswith("  # required: the header of this field")
    assert "# 部署: no key; kept verbatim as a note on each measure" in drafted
    expected = f"{tmp_path / 'plan.toml'}:{line}: columns.unit: no header looked like it: name the sheet's header"
    assert expected in result.output


def test_full_width_numbers_are_kept_as_given_and_slugged_for_the_iri(tmp_path) -> None:
    """「０４－０５」 stays the identifier; its IRI segment is NFKC's ASCII, 04-05."""
    sheet = PLAIN.replace("行政のデジタル化,1,", "行政のデジタル化,０４－０５,").replace(",2,", ",04-06,")
    sheet = sheet.replace("暮らしのデジタル化,1,", "暮らしのデジタル化,1-(1),")
    result = build(write_plan(tmp_path, "csv", sheet, _sidecar(PLAIN_COLUMNS)), tmp_path / "out")
    assert result.exit_code == 0, result.stderr
    graph = Graph().parse(tmp_path / "out" / "mirai-dx-2024.ttl")
    assert (iri("mirai-dx/2024/measure/04-05"), DCTERMS.identifier, Literal("０４－０５")) in graph
    assert (iri("mirai-dx/2024/measure/04-06"), DCTERMS.identifier, Literal("04-06")) in graph
    assert (iri("mirai-dx/2024/measure/1-1"), DCTERMS.identifier, Literal("1-(1)")) in graph


def test_columns_are_ignored_for_the_text_export(tmp_path) -> None:
    """The text export has Fukushima's columns: [columns] is a warning there, at its line."""
    mini = HERE / "fixtures" / "mini"
    shutil.copy(mini / "plan.txt", tmp_path / "plan.txt")
    toml = (mini / "plan.toml").read_text(encoding="utf-8")
    (tmp_path / "plan.toml").write_text(toml + "\n" + PLAIN_COLUMNS, encoding="utf-8")
    result = CliRunner().invoke(main, ["parse", str(tmp_path / "plan.txt"), "-o", str(tmp_path / "out.json")])
    assert result.exit_code == 0, result.stderr
    line = len(toml.splitlines()) + 2
    warning = "warning: [columns] applies to CSV and XLSX sheets; the text export ignores it"
    assert f"{tmp_path / 'plan.toml'}:{line}: {warning}" in result.stderr


# ---------------------------------------------------------------------------------------------
# next year's sheet: `parse --format csv|xlsx` keeps the sheet's own layout, so the same sidecar reads it

# The fixture's 担当部局 cells on the clean sheet 「施策」: the department and its division one per line.
CLEAN_UNITS = ["総務部\nデジタル推進課", "総務部\n人事課", "保健福祉部\n医療政策課", "総務部\nデジタル推進課",
               "商工労働部\n産業振興課"]  # fmt: skip
# What legitimately differs between the build of a sheet and the build of its conversion: the file's
# bytes (dcat:byteSize, spdx:checksumValue of the source distribution); for a workbook also the sheet
# read (p2r:sourceSheet: plan2rdf's 「施策」, not the publisher's 「一覧」) and the verbatim 担当部局
# cell (p2r:unitSourceText: 「施策」 holds the clean cell, one name per line; checked by hand below).
DIFFERS = {
    "csv": (URIRef("http://www.w3.org/ns/dcat#byteSize"), URIRef("http://spdx.org/rdf/terms#checksumValue")),
    "xlsx": (
        URIRef("http://www.w3.org/ns/dcat#byteSize"),
        URIRef("http://spdx.org/rdf/terms#checksumValue"),
        p2r("sourceSheet"),
        p2r("unitSourceText"),
    ),
}


def sheet_table(path: Path) -> dict[str, list[list[str]]]:
    """A CSV as its one table, a workbook as its sheets; every cell as text (an empty one as "")."""
    if path.suffix == ".csv":
        return {"csv": list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines(keepends=True)))}
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    try:
        return {
            ws.title: [["" if v is None else str(v) for v in row] for row in ws.iter_rows(values_only=True)]
            for ws in book.worksheets
        }
    finally:
        book.close()


def convert(source: Path, fmt: str, folder: Path) -> Path:
    """`plan2rdf parse SOURCE --format FMT` into ``folder``, beside the same sidecar and table."""
    folder.mkdir()
    for name in ("plan.toml", "organizations.csv"):
        shutil.copy(source.parent / name, folder / name)
    target = folder / f"plan.{fmt}"
    result = CliRunner().invoke(main, ["parse", str(source), "--format", fmt, "-o", str(target)])
    assert result.exit_code == 0, result.stderr
    return target


def without(graph: Graph, predicates) -> Graph:
    kept = Graph()
    for triple in graph:
        if triple[1] not in predicates:
            kept.add(triple)
    return kept


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_converted_sheet_keeps_the_publishers_layout(tmp_path, fmt) -> None:
    fixture = list(csv.reader((MIRAI / "plan.csv").read_text(encoding="utf-8").splitlines(keepends=True)))
    table = sheet_table(convert(write_plan(tmp_path, fmt), fmt, tmp_path / "next"))
    if fmt == "csv":
        # the sheet's headers in its order, its numbers, directions by name, the note columns' cells:
        # the fixture's table, cell for cell
        assert table["csv"] == fixture
        return
    assert list(table) == ["施策", "原文"]
    assert table["原文"] == fixture  # the verbatim cells
    clean = [[*row[:5], unit, *row[6:]] for row, unit in zip(fixture[1:], CLEAN_UNITS, strict=True)]
    assert table["施策"] == [fixture[0], *clean]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_converted_sheet_reads_back_as_the_same_graph(tmp_path, fmt) -> None:
    source = write_plan(tmp_path, fmt)
    converted = convert(source, fmt, tmp_path / "next")
    graphs = []
    for path in (source, converted):
        result = build(path, path.parent / "out")
        assert result.exit_code == 0, result.stderr
        graphs.append(Graph().parse(path.parent / "out" / "mirai-dx-2024.ttl"))
    before, after = graphs
    assert isomorphic(without(before, DIFFERS[fmt]), without(after, DIFFERS[fmt]))
    assert len(set(after.subjects(RDF.type, p2r("ColumnNote")))) == len(NOTES)
    if fmt == "xlsx":
        assert list(after.objects(iri("mirai-dx/2024/measure/3-2-1"), p2r("unitSourceText"))) == [
            ja("商工労働部\n産業振興課")
        ]
        assert list(after.objects(None, p2r("sourceSheet"))) == [Literal("施策")]


def test_the_converted_sheet_keeps_the_columns_order(tmp_path) -> None:
    """Note columns between mapped ones stay where the sheet had them; a new column is mapped too."""
    fixture = list(csv.reader((MIRAI / "plan.csv").read_text(encoding="utf-8").splitlines(keepends=True)))
    order = [6, 1, 0, 2, 7, 5, 3, 4]  # 予算額, 施策番号, 分野, 施策名, 備考, 担当部局, 概要, KPI
    shuffled = [[row[i] for i in order] for row in fixture]
    shuffled[0].insert(3, "新規")  # and a 新規 column, marked for 2-(1)-1
    for n, row in enumerate(shuffled[1:], 1):
        row.insert(3, "○" if n == 3 else "")
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(shuffled)
    toml = (MIRAI / "plan.toml").read_text(encoding="utf-8") + 'new = "新規"\n'
    table = sheet_table(convert(write_plan(tmp_path, "csv", buffer.getvalue(), toml), "csv", tmp_path / "next"))
    assert table["csv"][0] == ["予算額", "施策番号", "分野", "新規", "施策名", "備考", "担当部局", "概要", "KPI"]
    assert table["csv"][3][:4] == ["5,000千円", "2-(1)-1", "暮らしのデジタル化", "○"]
    assert table["csv"] == shuffled


# ---------------------------------------------------------------------------------------------
# the JSON-LD of a [columns] plan: the notes under the context's short terms


def test_the_jsonld_names_the_notes_by_short_terms(built) -> None:
    import json

    path, graph = built
    jsonld = path.with_suffix(".jsonld")
    nodes = {n["id"]: n for n in json.loads(jsonld.read_text(encoding="utf-8"))["@graph"]}
    # worked out from NOTES: 3-(2)-1 has 予算額 (1st unnamed column) and 備考 (2nd)
    measure = nodes["mirai-dx/2024/measure/3-2-1"]
    assert measure["columnNotes"] == ["mirai-dx/2024/measure/3-2-1/note/1", "mirai-dx/2024/measure/3-2-1/note/2"]
    assert nodes["mirai-dx/2024/measure/1-1-1"]["columnNotes"] == ["mirai-dx/2024/measure/1-1-1/note/1"]
    assert "columnNotes" not in nodes["mirai-dx/2024/measure/1-1-2"]
    note = nodes["mirai-dx/2024/measure/3-2-1/note/2"]
    assert note["type"] == "ColumnNote"
    assert note["columnHeader"] == {"ja": "備考"}
    assert note["sourceText"] == {"ja": "令和6年度から\n専門家を増員"}
    text = jsonld.read_text(encoding="utf-8")
    body = text[text.index('"@graph"') :]  # the context spells p2r: terms out; the data never does
    assert "p2r:" not in body
    assert isomorphic(Graph().parse(jsonld, format="json-ld"), graph)
