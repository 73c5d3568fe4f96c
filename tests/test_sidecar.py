"""Sidecar checks (issue 16): placeholders, the 全国地方公共団体コード check digit, lg_code and area_code
agreeing, sheet and sidecar naming a direction alike, each error at the TOML key's line."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from plan2rdf.cli import main

MINI = Path(__file__).parent / "fixtures" / "mini"
SHEET = (
    "施策の展開方向,整理番号,新規,施策（事業）名称,取組概要,指標・目標,部局等名 担当課\n"
    "1 くらし,1,,防災アプリ事業,防災アプリを配信する。,ダウンロード数 5000件,市民部 防災対策課\n"
    "2 行政,1,,電子申請事業,申請をオンライン化する。,対象手続 20件,総務部 情報政策課\n"
)
# A filled-in sidecar for SHEET: line numbers below are counted in this text.
GOOD = """[plan]
series = "mini-ict"
edition = "2022"
title = "ミニ市 ICT アクションプラン2022"
fiscal_year = 2022

[publisher]
name = "ミニ市"
slug = "mini"
lg_code = "130001"
area_code = "13000"

[[directions]]
number = 1
name = "くらし"
name_en = "Living"

[[directions]]
number = 2
name = "行政"
"""


def parse(tmp_path: Path, toml: str, sheet: str = SHEET):
    (tmp_path / "plan.csv").write_text(sheet, encoding="utf-8")
    (tmp_path / "plan.toml").write_text(toml, encoding="utf-8")
    return CliRunner().invoke(main, ["parse", str(tmp_path / "plan.csv"), "-o", str(tmp_path / "out.json")])


def test_a_filled_in_sidecar_reads(tmp_path) -> None:
    result = parse(tmp_path, GOOD)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""


@pytest.mark.parametrize(
    ("code", "check"),
    # worked by hand: 0·6+7·5+0+0+0 = 35, 35 mod 11 = 2, 11-2 = 9; 1·6+3·5 = 21 → 10 → 1;
    # 0+1·5+1·4 = 9 → 9 → 2; 2·6 = 12 → 1 → 10 → 0 (長野県); 1·6+4·5+1·4 = 30 → 8 → 3 (横浜市)
    [("07000", 9), ("13000", 1), ("01100", 2), ("20000", 0), ("14100", 3)],
)
def test_check_digit_of_known_codes(code, check) -> None:
    from plan2rdf.read.sidecar import lg_code_check_digit

    assert lg_code_check_digit(code) == check


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('lg_code = "130001"', 'lg_code = "130002"',
         "plan.toml:10: error: publisher.lg_code '130002' has a wrong check digit: 13000 ends in 1, not 2"),
        ('lg_code = "130001"', 'lg_code = "13000"', "plan.toml:10: error: publisher.lg_code '13000' must be 6"),
        ('area_code = "13000"', 'area_code = "07000"',
         "plan.toml:11: error: publisher.area_code 07000 does not agree with publisher.lg_code 130001 (line 10), "
         "whose area is 13000"),
        ('area_code = "13000"', 'area_code = "C13000"', "plan.toml:11: error: publisher.area_code 'C13000' must be 5"),
        ('lg_code = "130001"', 'lg_code = "999999"', "plan.toml:10: error: publisher.lg_code '999999' is the"),
        ('area_code = "13000"', 'area_code = "99999"', "plan.toml:11: error: publisher.area_code '99999' is the templ"),
        ('name = "ミニ市"', 'name = "〇〇市"', "plan.toml:8: error: publisher.name still holds the template's"),
        ('slug = "mini"', 'slug = "example"', "plan.toml:9: error: publisher.slug still holds the"),
        ('series = "mini-ict"', 'series = "example-ict"', "plan.toml:2: error: plan.series still holds the template's"),
        ('title = "ミニ市', 'title = "○○市', "plan.toml:4: error: plan.title still holds the template's placeholder"),
        ('name_en = "Living"', 'name_en = "Example"', "plan.toml:16: error: directions[1].name_en still holds the"),
        ('fiscal_year = 2022', 'fiscal_year = "2022"',
         "plan.toml:5: error: plan.fiscal_year must be an integer, not a string (write the number without quotes)"),
        ('fiscal_year = 2022', 'fiscal_year = true', "plan.toml:5: error: plan.fiscal_year must be an integer, not a "
         "boolean (true or false)"),
        # the value of the wrong type is left out, and not reported once more as missing
        ('title = "ミニ市', 'title = ["ミニ市"] # "', "plan.toml:4: error: plan.title must be a string, not an array"),
        ("number = 1\n", 'number = "1"\n', "plan.toml:14: error: directions[1].number must be an integer, not a "
         "string (write the number without quotes)"),
    ],
)  # fmt: skip
def test_sidecar_problem_is_located_at_its_key(tmp_path, old, new, expected) -> None:
    assert old in GOOD
    result = parse(tmp_path, GOOD.replace(old, new))
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert f"{tmp_path}/{expected}" in result.stderr, result.stderr
    assert "plan2rdf: 1 error;" in result.stderr, result.stderr  # one problem, no cascade


@pytest.mark.parametrize(
    ("title", "year"),
    [
        ("ふくしま ICT データ利活用社会推進アクションプラン2021", 2021),
        ("ミニ市 ICT アクションプラン２０２２", 2022),  # full-width digits
        ("令和3年度 ミニ市 ICT アクションプラン", 2021),
        ("令和元年度 ミニ市 ICT アクションプラン", 2019),
        ("平成31年度 ミニ市 ICT アクションプラン", 2019),
        ("2022年度 ミニ市 ICT アクションプラン", 2022),
        ("令和4年度 ミニ市 ICT アクションプラン2022", 2022),  # two ways of one year
        # a period is not the edition's year
        ("第2次ミニ市ICT推進計画（2021～2025）アクションプラン2023", 2023),
        ("ミニ市ICT推進計画（2021-25）アクションプラン2023", 2023),
        ("ミニ市ICT推進計画（令和3年度から令和7年度まで） 2023年度版", 2023),
        ("ミニ市 ICT 推進計画 2021年度～2025年度", None),  # only a period
        # two different years: the title does not say which is the edition's
        ("ミニ市アクションプラン2021（令和4年度改訂）", None),
        ("ミニ市 ICT アクションプラン", None),
        ("ミニ市 ICT アクションプラン20221", None),  # not a year
    ],
)
def test_fiscal_year_from_title(title, year) -> None:
    from plan2rdf.read.sidecar import fiscal_year_from_title

    assert fiscal_year_from_title(title) == year


def test_a_title_naming_the_plans_period_does_not_contradict_the_fiscal_year(tmp_path) -> None:
    """「（2021～2025）」 is the period of the plan the action plan belongs to: taking its first year for the
    edition's made plan.fiscal_year = 2023 an error that no edit of the verbatim title could mend."""
    title = "第2次ミニ市ICT推進計画（2021～2025）アクションプラン2023"
    toml = GOOD.replace("ミニ市 ICT アクションプラン2022", title).replace("2022", "2023")
    result = parse(tmp_path, toml)
    assert result.exit_code == 0, result.stderr
    assert '"fiscal_year": 2023' in (tmp_path / "out.json").read_text(encoding="utf-8")
    result = parse(tmp_path, toml.replace("fiscal_year = 2023", "fiscal_year = 2024"))
    assert result.exit_code == 2
    assert "plan.fiscal_year is 2024 but the title says 2023" in result.stderr


@pytest.mark.parametrize("title", ["ミニ市アクションプラン2021（令和4年度改訂）", "ミニ市 ICT アクションプラン"])
def test_a_title_that_does_not_tell_the_year_asks_for_plan_fiscal_year_once(tmp_path, title) -> None:
    toml = GOOD.replace("ミニ市 ICT アクションプラン2022", title).replace("fiscal_year = 2022\n", "")
    (tmp_path / "plan.csv").write_text(SHEET, encoding="utf-8")
    (tmp_path / "plan.toml").write_text(toml, encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(tmp_path / "plan.csv"), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    assert "error: the plan's fiscal year is unknown" in result.stderr
    hint = f"set plan.fiscal_year in {tmp_path / 'plan.toml'} (a title naming no year, or two different years,"
    assert hint in result.stderr
    assert "plan2rdf: 1 error;" in result.stderr  # one problem, no cascade
    assert not (tmp_path / "out").exists()


def test_sheet_and_sidecar_naming_a_direction_differently_is_an_error_naming_both(tmp_path) -> None:
    result = parse(tmp_path, GOOD.replace('name = "くらし"', 'name = "くらしの安全"'))
    assert result.exit_code == 2
    assert (
        f"{tmp_path / 'plan.csv'}:2:施策の展開方向: error: direction 1 is 「くらし」 in the sheet but 「くらしの安全」 "
        f"in {tmp_path / 'plan.toml'}:15"
    ) in result.stderr, result.stderr
    assert "plan2rdf: 1 error;" in result.stderr


def test_the_unfilled_template_does_not_build(tmp_path) -> None:
    """Issue 16: the template built with exit 0 as 〇〇県 with lg_code 999999."""
    data = Path(__file__).parents[1] / "data"
    (tmp_path / "plan.csv").write_bytes((data / "template.csv").read_bytes())
    (tmp_path / "plan.toml").write_bytes((data / "template.toml").read_bytes())
    result = CliRunner().invoke(main, ["build", str(tmp_path / "plan.csv"), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    toml = (tmp_path / "plan.toml").read_text(encoding="utf-8").splitlines()
    for key in ("series", "title", "title_en", "description", "parent_plan", "landing_page", "name", "name_en",
                "slug", "lg_code", "area_code"):  # fmt: skip
        line = next(i for i, text in enumerate(toml, 1) if text.startswith(f"{key} ="))
        assert f"plan.toml:{line}: error: " in result.stderr, key
    assert not (tmp_path / "out").exists()


def test_a_sheet_without_a_sidecar_names_plan2rdf_init(tmp_path) -> None:
    (tmp_path / "plan.csv").write_text(SHEET, encoding="utf-8")
    result = CliRunner().invoke(main, ["parse", str(tmp_path / "plan.csv")])
    assert result.exit_code == 2
    assert "the plan has no title" in result.stderr
    assert "`plan2rdf init SOURCE` drafts that file" in result.stderr


def test_a_missing_organisation_table_is_one_warning_naming_the_file(tmp_path) -> None:
    (tmp_path / "plan.txt").write_bytes((MINI / "plan.txt").read_bytes())
    (tmp_path / "plan.toml").write_bytes((MINI / "plan.toml").read_bytes())
    result = CliRunner().invoke(main, ["build", str(tmp_path / "plan.txt"), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if ": warning: " in line and "default base" not in line]
    assert len(warnings) == 1, result.stderr  # not one per unit
    assert f"create {tmp_path / 'organizations.csv'}" in warnings[0]
    assert f"`plan2rdf init {tmp_path / 'plan.txt'}`" in warnings[0]


def test_with_an_organisation_table_there_is_no_such_warning(tmp_path) -> None:
    for name in ("plan.txt", "plan.toml", "organizations.csv"):
        (tmp_path / name).write_bytes((MINI / name).read_bytes())
    result = CliRunner().invoke(main, ["build", str(tmp_path / "plan.txt"), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.stderr
    assert "no organisation table" not in result.stderr
