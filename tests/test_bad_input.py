"""Bad input ends with exit code 2 and every problem named by file and line: never a traceback.

Each folder in tests/bad-input/ is one case: an input file ``plan.*``, ``expected.en.txt`` and
``expected.ja.txt`` with the lines the error output must contain in English and in Japanese (``--lang``),
and optionally ``args.txt`` with extra command-line options.
"""

from pathlib import Path

import pytest
from click.testing import CliRunner

from plan2rdf.cli import main

CASES = sorted(p for p in (Path(__file__).parent / "bad-input").iterdir() if p.is_dir())


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input(case: Path, lang: str, tmp_path: Path, monkeypatch) -> None:
    source = next(p.name for p in case.iterdir() if p.name.startswith("plan."))
    (tmp_path / source).write_bytes((case / source).read_bytes())
    monkeypatch.chdir(tmp_path)
    args = (case / "args.txt").read_text(encoding="utf-8").split() if (case / "args.txt").exists() else []
    result = CliRunner().invoke(main, ["parse", source, *args, "--lang", lang, "-o", "out.json"])
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    for expected in (case / f"expected.{lang}.txt").read_text(encoding="utf-8").splitlines():
        assert expected in result.stderr, f"missing: {expected}\n--- got:\n{result.stderr}"
    assert not (tmp_path / "out.json").exists(), "nothing may be written on bad input"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_every_case_has_both_languages(case: Path) -> None:
    english = (case / "expected.en.txt").read_text(encoding="utf-8").splitlines()
    japanese = (case / "expected.ja.txt").read_text(encoding="utf-8").splitlines()
    assert len(english) == len(japanese) and all(japanese)
    # the same locations, in the same order: only the words differ
    where = [line.split(": error:")[0] for line in english if ": error:" in line]
    assert where == [line.split(": error:")[0] for line in japanese if ": error:" in line]


def test_missing_file(tmp_path) -> None:
    result = CliRunner().invoke(main, ["parse", str(tmp_path / "nope.txt")])
    assert result.exit_code == 2
    assert "nope.txt: error: no such file" in result.stderr


def test_unknown_extension(tmp_path) -> None:
    (tmp_path / "plan.pdf").write_bytes(b"%PDF-1.4")
    result = CliRunner().invoke(main, ["parse", str(tmp_path / "plan.pdf")])
    assert result.exit_code == 2
    assert "cannot tell the format from the extension '.pdf'" in result.stderr


def test_bad_metadata_file_is_reported_with_its_line(tmp_path) -> None:
    source = Path(__file__).parent / "fixtures" / "mini" / "plan.txt"
    (tmp_path / "plan.txt").write_bytes(source.read_bytes())
    (tmp_path / "plan.toml").write_text('[plan]\ntitle = "x\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["parse", str(tmp_path / "plan.txt")])
    assert result.exit_code == 2
    assert f"{tmp_path / 'plan.toml'}:2:" in result.stderr
    assert "not valid TOML" in result.stderr


def test_metadata_disagreeing_with_the_plan(tmp_path) -> None:
    source = Path(__file__).parent / "fixtures" / "mini"
    (tmp_path / "plan.txt").write_bytes((source / "plan.txt").read_bytes())
    toml = (source / "plan.toml").read_text(encoding="utf-8").replace('name = "行政"', 'name = "ぎょうせい"')
    (tmp_path / "plan.toml").write_text(toml, encoding="utf-8")
    result = CliRunner().invoke(main, ["parse", str(tmp_path / "plan.txt")])
    assert result.exit_code == 2
    assert "plan.txt:16: error: direction 2 is 「行政」 here but 「ぎょうせい」" in result.stderr


def test_xlsx_that_is_not_a_workbook(tmp_path) -> None:
    (tmp_path / "plan.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    result = CliRunner().invoke(main, ["parse", str(tmp_path / "plan.xlsx")])
    assert result.exit_code == 2
    assert "not a readable XLSX workbook" in result.stderr


def test_xlsx_missing_header(tmp_path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["施策の展開方向", "整理番号", "新規", "施策（事業）名称", "取組概要", "部局等名 担当課"])
    book.active.append(["1 くらし", 1, None, "事業", "概要", "総務部 総務課"])
    book.save(tmp_path / "plan.xlsx")
    result = CliRunner().invoke(main, ["parse", str(tmp_path / "plan.xlsx")])
    assert result.exit_code == 2
    assert "plan.xlsx:1: error: missing column 指標・目標 in the header row" in result.stderr


def test_xlsx_cells_are_located_by_row_and_column_letter(tmp_path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(
        ["施策の展開方向", "整理番号", "新規", "施策（事業）名称", "取組概要", "指標・目標", "部局等名 担当課"]
    )
    book.active.append(["1 くらし", 1, "x", "事業", "概要", "指標", "総務部 総務課"])
    book.save(tmp_path / "plan.xlsx")
    result = CliRunner().invoke(main, ["parse", str(tmp_path / "plan.xlsx")])
    assert result.exit_code == 2
    assert "plan.xlsx:2:C: error: entry 1-1: 新規 is 'x'" in result.stderr
