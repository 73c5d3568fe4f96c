"""The scar-repair rules, one by one, on small hand-made cells."""

import pytest

from plan2rdf.read.cells import (
    clean_text,
    parse_cell,
    parse_new_flag,
    parse_responsibility,
    split_list_items,
    strip_repost_marker,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("○", True), ("◯", True), ("〇", True), ("●", True), (" ○ ", True), ("", False), ("　", False), ("x", None)],
)
def test_new_flag(value, expected) -> None:
    assert parse_new_flag(value) is expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("（再掲）県民の情報リテラシー向上支援", ("県民の情報リテラシー向上支援", True)),
        ("(再掲)県民の情報リテラシー向上支援", ("県民の情報リテラシー向上支援", True)),
        ("県民の情報リテラシー向上支援（再掲）", ("県民の情報リテラシー向上支援", True)),
        ("再掲事業の見直し", ("再掲事業の見直し", False)),
    ],
)
def test_repost_marker(title, expected) -> None:
    assert strip_repost_marker(title) == expected


@pytest.mark.parametrize(
    ("cell", "department", "divisions"),
    [
        ("危機管理部 原子力安全 対策課", "危機管理部", ("原子力安全対策課",)),
        ("企画調整部 デジタル変 革課", "企画調整部", ("デジタル変革課",)),
        ("教育庁 財務課施設 財産室", "教育庁", ("財務課施設財産室",)),
        ("教育庁 教育総務課 高校教育課 特別支援教育課", "教育庁", ("教育総務課", "高校教育課", "特別支援教育課")),
        ("選挙管理委員会事務局", "選挙管理委員会事務局", ()),
        ("保健福祉部\u3000障がい福祉課", "保健福祉部", ("障がい福祉課",)),  # ideographic space
        ("保健福祉部\u3000\u3000障がい福祉 課", "保健福祉部", ("障がい福祉課",)),
        ("企画調 整部 広報課", "企画調整部", ("広報課",)),  # a wrapped department
        ("教育庁 教育センター", "教育庁", ("教育センター",)),
        ("教育庁 図書館", "教育庁", ("図書館",)),
    ],
)
def test_responsibility(cell, department, divisions) -> None:
    parsed = parse_responsibility(cell)
    assert parsed.responsibility.department == department
    assert parsed.responsibility.divisions == divisions
    assert parsed.unterminated == ()


def test_a_name_without_a_suffix_is_kept_and_flagged() -> None:
    parsed = parse_responsibility("土木部 道路管")
    assert parsed.responsibility.divisions == ("道路管",)
    assert parsed.unterminated == ("道路管",)


def test_empty_responsibility() -> None:
    assert parse_responsibility("  ") is None


@pytest.mark.parametrize(
    ("text", "items"),
    [
        # number with its unit ends an item
        (
            "先端技術活用による農業再生実証事業 2課題 農林業イノベーションロボット開発事業 3課題",
            ["先端技術活用による農業再生実証事業 2課題", "農林業イノベーションロボット開発事業 3課題"],
        ),
        # an ASCII word stays with its neighbours
        ("いいね数 67,000件 Instagram フォロワー 16,000件", ["いいね数 67,000件", "Instagram フォロワー 16,000件"]),
        # a space between two Japanese words is where an <li> was
        ("高品質ブランド力強化 枝肉価格の上昇", ["高品質ブランド力強化", "枝肉価格の上昇"]),
        # a sentence end
        ("研修を行う。 ICT活用を促進する", ["研修を行う。", "ICT活用を促進する"]),
        # a label and its value stay together
        ("導入数 2業務 自動応答率（月間） 30%", ["導入数 2業務", "自動応答率（月間） 30%"]),
        ("売上増加率 対前年比120%", ["売上増加率 対前年比120%"]),
        # bullets win over every other rule
        (
            "・本社機能の移転 1社 東京23区からの企業の移転 ・雇用創出数 25人",
            ["本社機能の移転 1社 東京23区からの企業の移転", "雇用創出数 25人"],
        ),
        # a middle dot inside a word is no bullet
        ("・AI・IoT技術移転数：5件（各年度）", ["AI・IoT技術移転数：5件（各年度）"]),
        # lines of a spreadsheet cell are items
        ("一つ目\n二つ目 3件", ["一つ目", "二つ目 3件"]),
    ],
)
def test_list_items(text, items) -> None:
    assert split_list_items(text) == items


def test_cell_with_paragraphs_and_a_list() -> None:
    cell = parse_cell('<p>基盤である。</p> <ul style="list-style-type: none"> 確保 復旧 ')
    assert cell.items == ("基盤である。", "確保", "復旧")
    assert cell.text == "基盤である。\n確保\n復旧"


def test_cell_with_surviving_li_tags_trusts_them() -> None:
    cell = parse_cell("<ul><li>研修 年2回 相談</li><li>派遣 5件</li></ul>")
    assert cell.items == ("研修 年2回 相談", "派遣 5件")


def test_running_text_splits_at_sentence_ends_and_notes() -> None:
    cell = parse_cell("販売数：720名 ※影響を受けることが考えられる。")
    assert cell.items == ("販売数：720名", "※影響を受けることが考えられる。")
    cell = parse_cell("推進する。 また、図る。")
    assert cell.items == ("推進する。", "また、図る。")
    # a space inside a sentence is not a boundary outside lists
    assert parse_cell("動画 1 本当たり 5 万回以上").items == ("動画 1 本当たり 5 万回以上",)


def test_entities_and_unknown_tags() -> None:
    assert parse_cell("A&amp;B <strong>強調</strong>").text == "A&B 強調"
    assert clean_text(" 名称 <br> 続き ") == "名称 続き"


def test_a_list_of_nothing_but_an_entity_space_has_no_items() -> None:
    # &nbsp; is a no-break space once decoded: the list is empty (it once raised IndexError)
    assert parse_cell("<ul>&nbsp;</ul>").items == ()
    assert parse_cell("<ul>&nbsp;</ul> 5件").items == ("5件",)


# --- every rule in linear time (issue 14): a 1 MB cell of the shapes that made the old patterns
# backtrack. Each took minutes before (40 KB of spaces alone took 10 s in clean_text); the limit
# checks liveness on a loaded machine, not speed.

MB = 1_000_000
HOSTILE_CELLS = {
    "spaces": " " * MB + "x",
    "spaces-then-line-break": "1" + " " * MB + "x\nx",
    "unclosed-tags": "<a " * (MB // 3),
    "many-br-tags": "<br>" * (MB // 4),
    "numbers-without-units": ("1" * 50 + "aaaaa ") * (MB // 56),
    "japanese-words": "あ " * (MB // 2),
    "bullets-and-spaces": ("・" + " " * 1000) * (MB // 1001),
    "one-long-word": "1" * MB + "aaaaa",
}


def _rules():
    from plan2rdf.read.cells import normalize_space, split_paragraphs
    from plan2rdf.read.raw import digits
    from plan2rdf.text import name_key

    return {
        "clean_text": clean_text,
        "parse_cell": parse_cell,
        "split_list_items": split_list_items,
        "split_paragraphs": split_paragraphs,
        "parse_responsibility": parse_responsibility,
        "normalize_space": normalize_space,
        "strip_repost_marker": strip_repost_marker,
        "parse_new_flag": parse_new_flag,
        "digits": digits,
        "name_key": name_key,
    }


LIVENESS_SECONDS = 20


@pytest.mark.parametrize("shape", sorted(HOSTILE_CELLS))
def test_every_rule_runs_in_linear_time_on_a_1_mb_cell(shape) -> None:
    import time

    cell = HOSTILE_CELLS[shape]
    for name, rule in _rules().items():
        start = time.monotonic()
        rule(cell)
        assert time.monotonic() - start < LIVENESS_SECONDS, f"{name} on {shape}"


def test_a_1_mb_cell_in_every_column_is_read_in_bounded_time(tmp_path) -> None:
    """The whole reader, direction cell included, on a sheet whose every cell is hostile."""
    import csv
    import time

    from click.testing import CliRunner

    from plan2rdf.cli import main

    header = ["施策の展開方向", "整理番号", "新規", "施策（事業）名称", "取組概要", "指標・目標", "部局等名 担当課"]
    with (tmp_path / "plan.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        for shape in ("spaces-then-line-break", "unclosed-tags"):
            writer.writerow([HOSTILE_CELLS[shape]] * 7)
    start = time.monotonic()
    result = CliRunner().invoke(main, ["parse", str(tmp_path / "plan.csv")])
    assert time.monotonic() - start < 3 * LIVENESS_SECONDS
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert "is not a direction number" in result.stderr
    assert len(result.stderr) < 20_000, "messages quote cells shortened, not whole"
