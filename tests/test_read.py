"""Reading the bundled plan: expected values worked out by hand from data/fukushima/ict-action-plan-2021.txt."""

import json
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from plan2rdf.cli import main
from plan2rdf.read.reader import read_plan
from plan2rdf.resources import bundled_plan
from readback import without_verbatim

DATA = Path(__file__).parents[1] / "data" / "fukushima"


@pytest.fixture(scope="module")
def plan():
    return read_plan(bundled_plan())


def test_bundled_plan_is_the_seed_byte_for_byte() -> None:
    import hashlib

    digest = hashlib.sha256(bundled_plan().read_bytes()).hexdigest()
    assert digest == "d83d4758ead8c5e1b6e85c31dd4320da69bcfb9fa5073e4e8f649e210b590af6"


def test_title_and_introduction(plan) -> None:
    assert plan.info.title == "ふくしま ICT データ利活用社会推進 アクションプラン2021"
    assert plan.info.description.startswith("「ふくしま ICT データ利活用社会推進アクションプラン2021」は、")
    assert plan.info.description.endswith("積極的な事業の推進を図る。")
    assert plan.info.fiscal_year == 2021
    assert plan.info.publisher.name == "福島県"
    assert plan.info.parent_plan == "ふくしま ICT データ利活用社会推進プラン"


def test_five_directions_with_subtitles(plan) -> None:
    assert [(d.number, d.name, d.subtitle) for d in plan.directions] == [
        (1, "復興の推進", "東日本大震災・原子力災害からの復興の推進にICTを活用"),
        (2, "安全・安心、健康なくらし", "ICTを活用し、安全・安心、健康なくらしを実現"),
        (3, "産業振興・地域活性化", "ICTを活用した産業振興、働きやすい環境づくり"),
        (4, "教育・ICT人材育成", "県民一人一人がICTを活用できるよう、教育を充実"),
        (5, "電子自治体", "官民データやICTを活用した行政サービスの提供"),
    ]


def test_counts_per_direction(plan) -> None:
    counts = {}
    for m in plan.measures:
        counts[m.direction] = counts.get(m.direction, 0) + 1
    assert counts == {1: 13, 2: 31, 3: 26, 4: 19, 5: 39}
    assert len(plan.measures) == 128


def test_numbers_run_from_one_in_each_direction(plan) -> None:
    for d in plan.directions:
        numbers = [m.number for m in plan.measures if m.direction == d.number]
        assert numbers == list(range(1, len(numbers) + 1))


def test_every_new_entry(plan) -> None:
    new = [m.identifier for m in plan.measures if m.is_new]
    assert new == [
        "1-11", "1-12", "1-13", "2-5", "3-1", "3-2", "3-15", "3-19", "3-20",
        "4-3", "4-7", "4-14", "4-15", "4-18", "4-19", "5-29", "5-39",
    ]  # fmt: skip


def test_both_reposts(plan) -> None:
    reposts = {m.identifier: m.repost_of for m in plan.measures if m.is_repost}
    assert reposts == {"3-3": "1-6", "5-15": "4-2"}
    m = plan.measure("3-3")
    assert m.title == "携帯電話通話エリア広域ネットワーク化事業"
    assert m.title_verbatim == "（再掲）携帯電話通話エリア広域ネットワーク化事業"
    assert plan.measure("1-6").title == m.title
    assert plan.measure("5-15").title == "県民の情報リテラシー向上支援"


@pytest.mark.parametrize(
    ("identifier", "verbatim", "division"),
    [
        ("2-10", "危機管理部 原子力安全 対策課", "原子力安全対策課"),
        ("2-11", "危機管理部 原子力安全 対策課", "原子力安全対策課"),
        ("2-12", "危機管理部 放射線監視 室", "放射線監視室"),
        ("2-13", "危機管理部 放射線監視 室", "放射線監視室"),
        ("2-16", "保健福祉部 障がい福祉 課", "障がい福祉課"),
        ("2-17", "保健福祉部 障がい福祉 課", "障がい福祉課"),
        ("2-18", "保健福祉部 障がい福祉 課", "障がい福祉課"),
        ("2-19", "保健福祉部 健康づくり 推進課", "健康づくり推進課"),
        ("3-19", "観光交流局 県産品振興 戦略課", "県産品振興戦略課"),
        ("3-21", "農林水産部 環境保全農 業課", "環境保全農業課"),
        ("3-22", "農林水産部 環境保全農 業課", "環境保全農業課"),
        ("3-23", "農林水産部 農産物流通 課", "農産物流通課"),
        ("3-24", "農林水産部 農産物流通 課", "農産物流通課"),
        ("4-1", "総務部 私学・法人 課", "私学・法人課"),
        ("4-2", "企画調整部 デジタル変 革課", "デジタル変革課"),
        ("4-13", "教育庁 財務課施設 財産室", "財務課施設財産室"),
    ],
)
def test_broken_division_names_are_rejoined(plan, identifier, verbatim, division) -> None:
    r = plan.measure(identifier).responsibility
    assert r.verbatim == verbatim
    assert r.divisions == (division,)


def test_the_same_division_broken_and_whole_is_one_division(plan) -> None:
    assert plan.measure("3-18").responsibility.verbatim == "観光交流局 県産品振興戦略課"
    assert plan.measure("3-18").responsibility.divisions == plan.measure("3-19").responsibility.divisions
    assert plan.measure("4-2").responsibility.divisions == plan.measure("1-6").responsibility.divisions


def test_multi_division_rows(plan) -> None:
    multi = {
        m.identifier: (m.responsibility.department, m.responsibility.divisions)
        for m in plan.measures
        if len(m.responsibility.divisions) > 1
    }
    assert multi == {
        "2-30": ("警察本部", ("総務課", "生活安全企画課")),
        "4-10": ("教育庁", ("教育総務課", "特別支援教育課")),
        "4-11": ("教育庁", ("教育総務課", "高校教育課", "特別支援教育課")),
        "4-12": ("教育庁", ("教育総務課", "高校教育課", "特別支援教育課")),
    }


def test_department_only_row(plan) -> None:
    alone = [m.identifier for m in plan.measures if not m.responsibility.divisions]
    assert alone == ["5-38"]
    assert plan.measure("5-38").responsibility.department == "選挙管理委員会事務局"


def test_departments(plan) -> None:
    departments = {m.responsibility.department for m in plan.measures}
    assert departments == {
        "総務部", "企画調整部", "文化スポーツ局", "生活環境部", "農林水産部", "危機管理部", "保健福祉部",
        "こども未来局", "土木部", "病院局", "警察本部", "商工労働部", "観光交流局", "教育庁", "出納局",
        "企業局", "議会事務局", "選挙管理委員会事務局",
    }  # fmt: skip


def test_list_cells_are_split_into_items(plan) -> None:
    indicator = plan.measure("1-2").indicator
    assert indicator.verbatim.startswith('<ul style="list-style-type: none">')
    assert indicator.items == ("フェイスブックページへの「いいね！」数 67,000件", "Instagram フォロワー 16,000件")
    assert indicator.text == "フェイスブックページへの「いいね！」数 67,000件\nInstagram フォロワー 16,000件"
    assert plan.measure("1-6").indicator.items == ("（現年）3市町村4地区を整備予定", "（繰越）1市町村3地区を整備予定")
    # ・ bullets: split on them only, not on the spaces inside an item
    assert plan.measure("3-11").indicator.items == (
        "本社機能の移転 1社 東京23区からの企業の移転",
        "本社機能の拡充 3社 地方にある企業の本社機能強化",
        "本社移転・拡充に係る雇用創出数 25人",
    )
    # a label and its value stay together: 「売上増加率 対前年比120%」
    assert plan.measure("3-19").indicator.items == (
        "送料支援事業者採択数 160社",
        "支援先事業者ECサイトの売上増加率 対前年比120%",
    )
    # text before the list is an item of its own
    assert plan.measure("4-2").indicator.items[0] == "令和3年度実施予定事業"
    assert len(plan.measure("4-2").indicator.items) == 5


def test_paragraph_cells(plan) -> None:
    indicator = plan.measure("5-21").indicator
    assert indicator.items == (
        "自治体クラウド研修会を開催し、先進事例の講演及び意見交換を行う。",
        "クラウド化を検討する市町村が、県の支援を求める場合にアドバイスや講師派遣などの支援を行う。",
    )
    # a paragraph followed by a list
    assert plan.measure("5-20").indicator.items[1:] == (
        "情報セキュリティの確保",
        "障害発生時の迅速な復旧",
        "計画的なシステムの更新",
    )


def test_clean_text_has_no_markup(plan) -> None:
    for m in plan.measures:
        for cell in (m.summary, m.indicator):
            assert "<" not in cell.text and ">" not in cell.text, m.identifier


def test_japanese_text_is_verbatim(plan) -> None:
    m = plan.measure("3-24")
    # the source's own space and full-width punctuation are kept
    assert m.title == (
        "ふくしまプライド農林水産物販売力強化事業（みんなのチカラで農林水産物づくり事業） "
        "「がんばろう ふくしま！」応援店等拡大事業"
    )
    assert plan.measure("2-1").title == "福島県全国瞬時警報システム（J-ALERT）"


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_tabular_forms_give_identical_records(plan, suffix) -> None:
    other = read_plan(DATA / f"ict-action-plan-2021{suffix}")
    if suffix == ".csv":
        assert other == plan  # the cells verbatim
    else:
        assert without_verbatim(other) == without_verbatim(plan)  # the clean sheet (tests/test_clean_sheet.py)
    assert other.source.format == suffix[1:]


def test_encodings_and_line_ends_give_identical_records(plan, tmp_path) -> None:
    text = bundled_plan().read_text(encoding="utf-8")
    meta = DATA / "ict-action-plan-2021.toml"
    variants = {
        "bom.txt": b"\xef\xbb\xbf" + text.encode("utf-8"),
        "crlf.txt": text.replace("\n", "\r\n").encode("utf-8"),
        "cp932.txt": text.encode("cp932"),
        "utf16.txt": text.encode("utf-16"),
    }
    for name, data in variants.items():
        (tmp_path / name).write_bytes(data)
        other = read_plan(tmp_path / name, metadata_path=meta)
        assert other == plan, name
    assert read_plan(tmp_path / "cp932.txt", metadata_path=meta).source.encoding == "cp932"
    assert read_plan(tmp_path / "cp932.txt", encoding="shift_jis", metadata_path=meta) == plan


def test_csv_in_cp932_reads_the_same(plan, tmp_path) -> None:
    data = (DATA / "ict-action-plan-2021.csv").read_text(encoding="utf-8-sig")
    (tmp_path / "ict-action-plan-2021.csv").write_bytes(data.encode("cp932"))
    (tmp_path / "ict-action-plan-2021.toml").write_bytes((DATA / "ict-action-plan-2021.toml").read_bytes())
    assert read_plan(tmp_path / "ict-action-plan-2021.csv") == plan


def test_new_flag_look_alikes(tmp_path) -> None:
    source = Path(__file__).parent / "fixtures" / "mini"
    text = (source / "plan.txt").read_text(encoding="utf-8")
    for mark in "○◯〇●":
        (tmp_path / "plan.txt").write_text(text.replace("1\t○\t", f"1\t{mark}\t"), encoding="utf-8")
        assert read_plan(tmp_path / "plan.txt").measures[0].is_new


def test_line_numbers_point_at_the_source(plan) -> None:
    lines = bundled_plan().read_text(encoding="utf-8").splitlines()
    for m in plan.measures:
        assert lines[m.line - 1].startswith(f"{m.number}\t"), m.identifier
    assert plan.measure("5-39").line == 183


def test_parse_command_prints_json_for_the_bundled_plan() -> None:
    result = CliRunner().invoke(main, ["parse"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert len(data["measures"]) == 128
    by_id = {m["identifier"]: m for m in data["measures"]}
    assert by_id["3-3"]["repost_of"] == "1-6"
    assert by_id["4-11"]["divisions"] == ["教育総務課", "高校教育課", "特別支援教育課"]


def test_parse_csv_output_is_the_shipped_conversion() -> None:
    result = CliRunner().invoke(main, ["parse", "--format", "csv"])
    assert result.exit_code == 0
    assert result.stdout_bytes.replace(b"\r\n", b"\n") == (DATA / "ict-action-plan-2021.csv").read_bytes().replace(
        b"\r\n", b"\n"
    )


def test_parse_xlsx_output_is_reproducible(tmp_path) -> None:
    runner = CliRunner()
    for name in ("a.xlsx", "b.xlsx"):
        assert runner.invoke(main, ["parse", "--format", "xlsx", "-o", str(tmp_path / name)]).exit_code == 0
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()
    again = read_plan(tmp_path / "a.xlsx", metadata_path=DATA / "ict-action-plan-2021.toml")
    assert without_verbatim(again) == without_verbatim(read_plan(bundled_plan()))


def test_template_reads(tmp_path) -> None:
    """The template sheet reads once the placeholders of its metadata are filled in (tests/test_sidecar.py
    checks that each one left in is an error)."""
    template = Path(__file__).parents[1] / "data" / "template.csv"
    filled = tmp_path / "template.toml"
    text = template.with_suffix(".toml").read_text(encoding="utf-8")
    for placeholder, value in (("〇〇", "東京"), ("example", "tokyo"), ("Example", "Tokyo"), ("999999", "130001"),
                               ("99999", "13000")):  # fmt: skip
        text = text.replace(placeholder, value)
    filled.write_text(text, encoding="utf-8")
    plan = read_plan(template, metadata_path=filled)
    assert [m.identifier for m in plan.measures] == ["1-1", "1-2", "2-1"]
    assert without_verbatim(read_plan(template.with_suffix(".xlsx"), metadata_path=filled)) == without_verbatim(plan)


def test_records_ignore_locations() -> None:
    plan = read_plan(bundled_plan())
    moved = replace(plan.measures[0], line=999)
    assert moved == plan.measures[0]


def test_the_read_package_exports_its_public_names(tmp_path) -> None:
    """Old import paths (plan2rdf.read.reader) and the package's own name for each stay the same objects."""
    import plan2rdf.read as read
    from plan2rdf.read import reader

    for name in ("read_plan", "detect_format", "decode", "FORMATS", "COLUMNS", "TABULAR_COLUMNS"):
        assert getattr(read, name) is getattr(reader, name), name
    assert read.detect_format(Path("plan.XLSX")) == "xlsx"
    assert read.detect_format(Path("plan.txt")) == "text"
    assert read.detect_format(Path("plan.pdf")) is None
