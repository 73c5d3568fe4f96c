"""`plan2rdf diff` between the bundled plan and a next edition the test makes from it by hand edits."""

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from plan2rdf.cli import main
from plan2rdf.read.reader import read_plan
from plan2rdf.read.records import rows
from plan2rdf.resources import bundled_plan

DATA = Path(__file__).parents[1] / "data" / "fukushima"


def next_edition(tmp_path: Path, *, changelog: bool = False) -> Path:
    """The 2021 plan with seven edits a department might make for 2022, renumbered as a plan would be
    (other tests build it as a second edition, so these seven stay as they are). With ``changelog``,
    the six more edits the changelog test needs (a renamed division, reposts), and 2-14 moves to a
    division that exists already."""
    table = rows(read_plan(bundled_plan()))
    header, body = table[0], table[1:]
    by_id = {f"{r[0].split()[0]}-{r[1]}": r for r in body}
    # 1. 1-1 is dropped
    body.remove(by_id["1-1"])
    # 2. 1-11 is no longer new
    by_id["1-11"][2] = ""
    # 3. 1-2's target rises from 67,000 to 70,000
    by_id["1-2"][5] = by_id["1-2"][5].replace("67,000件", "70,000件")
    # 4. 2-6 is renamed
    by_id["2-6"][3] = "SNSによる防災・災害等情報発信"
    # 5. 2-14 moves to another division of the same department
    by_id["2-14"][6] = "保健福祉部 地域医療課" if changelog else "保健福祉部 地域福祉課"
    # 6. 4-4 moves from direction 4 to the end of direction 3
    seminar = by_id["4-4"]
    body.remove(seminar)
    seminar[0] = by_id["3-1"][0]
    body.insert(body.index(by_id["3-26"]) + 1, seminar)
    # 7. a new entry at the end of direction 5
    body.append(
        [
            by_id["5-1"][0],
            "",
            "○",
            "データ連携基盤構築事業",
            "データ連携基盤を構築する。",
            "連携データ 10件",
            "企画調整部 デジタル変革課",
        ]
    )
    if changelog:
        _changelog_edits(body, by_id, seminar)
    # renumber within each direction, as the next edition would
    counts: dict[str, int] = {}
    for row in body:
        counts[row[0]] = counts.get(row[0], 0) + 1
        row[1] = str(counts[row[0]])
    path = tmp_path / "ict-action-plan-2022.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([header, *body])
    meta = (DATA / "ict-action-plan-2021.toml").read_text(encoding="utf-8")
    meta = meta.replace("アクションプラン2021", "アクションプラン2022").replace(
        "fiscal_year = 2021", "fiscal_year = 2022"
    )
    meta = meta.replace('edition = "2021"', 'edition = "2022"').replace("Action Plan 2021", "Action Plan 2022")
    (tmp_path / "ict-action-plan-2022.toml").write_text(meta, encoding="utf-8")
    return path


def _changelog_edits(body: list, by_id: dict, seminar: list) -> None:
    # 8. 危機管理部 災害対策課 (2-5 to 2-9) is renamed 防災課
    for identifier in ("2-5", "2-6", "2-7", "2-8", "2-9"):
        by_id[identifier][6] = by_id[identifier][6].replace("災害対策課", "防災課")
    # 9. 3-15 aims at 350万 page views, where it said 300万
    by_id["3-15"][5] = by_id["3-15"][5].replace("年間300万件", "年間350万件")
    # 10. the repost 3-3 (of 1-6) is dropped
    body.remove(by_id["3-3"])
    # 11. a new repost of 5-29 at the end of direction 3, after the seminar
    repost = [by_id["3-1"][0], "", "", "（再掲）" + by_id["5-29"][3], *by_id["5-29"][4:]]
    body.insert(body.index(seminar) + 1, repost)
    # 12. 4-2's programme is for 令和4年度 now, and its repost 5-15 says so too: one change, on 4-2
    for identifier in ("4-2", "5-15"):
        by_id[identifier][5] = by_id[identifier][5].replace("令和3年度実施予定事業", "令和4年度実施予定事業")
    # 13. the repost 5-15 is marked new; its original 4-2 is not
    by_id["5-15"][2] = "○"


OLD_TITLE = "ふくしま ICT データ利活用社会推進 アクションプラン2021"
NEW_TITLE = "ふくしま ICT データ利活用社会推進 アクションプラン2022"
CHALLENGE = "チャレンジふくしま戦略的情報発信事業（ふくしまからはじめよう。情報発信プラットフォーム事業）"
LIKES = "フェイスブックページへの「いいね！」数 {}件"
VIEWS = "HPのページビュー数について年間{}万件を目指す。"

# The changelog of next_edition, worked out by hand from its edits. Renumbering: direction 1 loses 1-1,
# so 1-2 is 1-1, 1-6 is 1-5 and 1-11 is 1-10; direction 3 loses the repost 3-3, so 3-15 is 3-14, 3-26
# is 3-25, the seminar after it 3-26 and the new repost 3-27; directions 2, 4 (below 4-4) and 5 keep
# their numbers, and the new entry is 5-40. 126 entries (reposts aside) in 2021, one removed: 125
# matched; of the reposts 3-3 and 5-15, only 5-15 continues. 2-14 moves to 地域医療課, which already
# exists: a move. 災害対策課 is gone and 防災課 is new, and all five entries went there: a rename, said
# once. 4-2's target changes and its repost 5-15 repeats that: said once, on 4-2; 5-15's new flag is
# its own change. Values beside the plan's words: 300万 is 3000000, 令和3年度 (a milestone).
EXPECTED_TEXT = f"""{OLD_TITLE} → {NEW_TITLE}
125 entries and 1 repost matched, 13 changes

追加された施策 / Added (1)
  5-40 「データ連携基盤構築事業」

削除された施策 / Removed (1)
  1-1 「インターネット広報広聴事業」

名称が変わった施策 / Renamed (1)
  2-6 「SNSによる防災・災害等情報発信」: ツイッターによる防災・災害等情報発信 → SNSによる防災・災害等情報発信

施策の展開方向が変わった施策 / Moved to another direction (1)
  4-4 → 3-26 「ふくしまグローバルセミナー」: 4 教育・ICT人材育成 → 3 産業振興・地域活性化

名称が変わった担当 / Renamed departments and divisions (1)
  危機管理部 災害対策課 → 危機管理部 防災課: 2-5, 2-6, 2-7, 2-8, 2-9

担当が変わった施策 / Moved to another department or division (1)
  2-14 「避難者見守り活動支援事業」: 保健福祉部 社会福祉課 → 保健福祉部 地域医療課

新規の印が変わった施策 / New flag changed (1)
  1-11 → 1-10 「福島イノベ構想に基づく農業先端技術展開事業」: ○ → —

指標・目標が変わった施策 / Targets changed (3)
  1-2 → 1-1 「{CHALLENGE}」
    - {LIKES.format("67,000")} [67000件]
    + {LIKES.format("70,000")} [70000件]
  3-15 → 3-14 「観光情報総合発信事業」
    - {VIEWS.format(300)} [3000000件]
    + {VIEWS.format(350)} [3500000件]
  4-2 「県民の情報リテラシー向上支援」
    - 令和3年度実施予定事業 [令和3年度]
    + 令和4年度実施予定事業 [令和4年度]

追加された再掲 / Reposts added (1)
  3-27 「新しい公金収納の構築」 (再掲 of 5-29)

削除された再掲 / Reposts removed (1)
  3-3 「携帯電話通話エリア広域ネットワーク化事業」 (再掲 of 1-6 → 1-5)

変わった再掲 / Reposts changed (1)
  5-15 「県民の情報リテラシー向上支援」 (再掲 of 4-2) 新規: — → ○
"""

NEW_FLAG = "新規:  | 新規: ○"
TABLE = "| old | new | 施策 | before | after |\n| --- | --- | --- | --- | --- |"
EXPECTED_MARKDOWN = f"""## {OLD_TITLE} → {NEW_TITLE}

125 entries and 1 repost matched, 13 changes.

### 追加された施策 / Added

{TABLE}
|  | 5-40 | データ連携基盤構築事業 |  |  |

### 削除された施策 / Removed

{TABLE}
| 1-1 |  | インターネット広報広聴事業 |  |  |

### 名称が変わった施策 / Renamed

{TABLE}
| 2-6 | 2-6 | SNSによる防災・災害等情報発信 | ツイッターによる防災・災害等情報発信 | SNSによる防災・災害等情報発信 |

### 施策の展開方向が変わった施策 / Moved to another direction

{TABLE}
| 4-4 | 3-26 | ふくしまグローバルセミナー | 4 教育・ICT人材育成 | 3 産業振興・地域活性化 |

### 名称が変わった担当 / Renamed departments and divisions

{TABLE}
|  |  | 2-5, 2-6, 2-7, 2-8, 2-9 | 危機管理部 災害対策課 | 危機管理部 防災課 |

### 担当が変わった施策 / Moved to another department or division

{TABLE}
| 2-14 | 2-14 | 避難者見守り活動支援事業 | 保健福祉部 社会福祉課 | 保健福祉部 地域医療課 |

### 新規の印が変わった施策 / New flag changed

{TABLE}
| 1-11 | 1-10 | 福島イノベ構想に基づく農業先端技術展開事業 | ○ |  |

### 指標・目標が変わった施策 / Targets changed

{TABLE}
| 1-2 | 1-1 | {CHALLENGE} | {LIKES.format("67,000")} [67000件] | {LIKES.format("70,000")} [70000件] |
| 3-15 | 3-14 | 観光情報総合発信事業 | {VIEWS.format(300)} [3000000件] | {VIEWS.format(350)} [3500000件] |
| 4-2 | 4-2 | 県民の情報リテラシー向上支援 | 令和3年度実施予定事業 [令和3年度] | 令和4年度実施予定事業 [令和4年度] |

### 追加された再掲 / Reposts added

{TABLE}
|  | 3-27 | 新しい公金収納の構築 (再掲 of 5-29) |  |  |

### 削除された再掲 / Reposts removed

{TABLE}
| 3-3 |  | 携帯電話通話エリア広域ネットワーク化事業 (再掲 of 1-6 → 1-5) |  |  |

### 変わった再掲 / Reposts changed

{TABLE}
| 5-15 | 5-15 | 県民の情報リテラシー向上支援 (再掲 of 4-2) | {NEW_FLAG} |
"""


def change(kind, old, new, title, before=None, after=None, **extra) -> dict:
    return {"kind": kind, "old": old, "new": new, "title": title, "before": before, "after": after, **extra}


def items(*pairs) -> list[dict]:
    return [{"text": text, "values": [value]} for text, value in pairs]


EXPECTED_JSON = {
    "old": OLD_TITLE,
    "new": NEW_TITLE,
    "matched": 125,
    "reposts_matched": 1,
    "changes": [
        change("added", None, "5-40", "データ連携基盤構築事業"),
        change("removed", "1-1", None, "インターネット広報広聴事業"),
        change(
            "renamed", "2-6", "2-6", "SNSによる防災・災害等情報発信",
            "ツイッターによる防災・災害等情報発信", "SNSによる防災・災害等情報発信",
        ),
        change("moved-direction", "4-4", "3-26", "ふくしまグローバルセミナー", "4 教育・ICT人材育成",
               "3 産業振興・地域活性化"),
        change(
            "renamed-division", None, None, "危機管理部 防災課", "危機管理部 災害対策課", "危機管理部 防災課",
            entries=[{"old": i, "new": i} for i in ("2-5", "2-6", "2-7", "2-8", "2-9")],
        ),
        change("moved-division", "2-14", "2-14", "避難者見守り活動支援事業", "保健福祉部 社会福祉課",
               "保健福祉部 地域医療課"),
        change("new-flag", "1-11", "1-10", "福島イノベ構想に基づく農業先端技術展開事業", "○", ""),
        change(
            "target", "1-2", "1-1", CHALLENGE, LIKES.format("67,000"), LIKES.format("70,000"),
            before_items=items((LIKES.format("67,000"), "67000件")),
            after_items=items((LIKES.format("70,000"), "70000件")),
        ),
        change(
            "target", "3-15", "3-14", "観光情報総合発信事業", VIEWS.format(300), VIEWS.format(350),
            before_items=items((VIEWS.format(300), "3000000件")),
            after_items=items((VIEWS.format(350), "3500000件")),
        ),
        change(
            "target", "4-2", "4-2", "県民の情報リテラシー向上支援", "令和3年度実施予定事業", "令和4年度実施予定事業",
            before_items=items(("令和3年度実施予定事業", "令和3年度")),
            after_items=items(("令和4年度実施予定事業", "令和4年度")),
        ),
        change("repost-added", None, "3-27", "新しい公金収納の構築", repost_of={"old": "5-29", "new": "5-29"}),
        change("repost-removed", "3-3", None, "携帯電話通話エリア広域ネットワーク化事業",
               repost_of={"old": "1-6", "new": "1-5"}),
        change(
            "repost-changed", "5-15", "5-15", "県民の情報リテラシー向上支援", "", "○",
            aspect="new-flag", repost_of={"old": "4-2", "new": "4-2"},
        ),
    ],
}  # fmt: skip


@pytest.fixture(scope="module")
def new_edition(tmp_path_factory) -> Path:
    return next_edition(tmp_path_factory.mktemp("next"), changelog=True)


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [("text", EXPECTED_TEXT), ("markdown", EXPECTED_MARKDOWN)],
)
def test_the_changelog_is_the_hand_written_one(new_edition, fmt, expected) -> None:
    result = CliRunner().invoke(main, ["diff", str(bundled_plan()), str(new_edition), "--format", fmt])
    assert result.exit_code == 0, result.output
    assert result.stdout == expected


def test_the_json_changelog_is_the_hand_written_one(new_edition) -> None:
    result = CliRunner().invoke(main, ["diff", str(bundled_plan()), str(new_edition), "--format", "json"])
    assert result.exit_code == 0, result.output
    got = json.loads(result.stdout)
    assert got["changes"] == EXPECTED_JSON["changes"]
    assert got == EXPECTED_JSON


def test_the_seven_edits_other_tests_build_on(tmp_path) -> None:
    """Worked by hand: without the changelog edits 2-14 is the only entry of 社会福祉課, which is gone,
    and 地域福祉課 is new: a division renamed, with its one entry. Both reposts continue."""
    args = ["diff", str(bundled_plan()), str(next_edition(tmp_path)), "--format", "json"]
    got = json.loads(CliRunner().invoke(main, args).stdout)
    assert [(c["kind"], c["old"], c["new"], c.get("entries")) for c in got["changes"]] == [
        ("added", None, "5-40", None),
        ("removed", "1-1", None, None),
        ("renamed", "2-6", "2-6", None),
        ("moved-direction", "4-4", "3-27", None),
        ("renamed-division", None, None, [{"old": "2-14", "new": "2-14"}]),
        ("new-flag", "1-11", "1-10", None),
        ("target", "1-2", "1-1", None),
    ]
    assert (got["matched"], got["reposts_matched"]) == (125, 2)


def test_the_changelog_edition_is_a_valid_plan(new_edition, tmp_path) -> None:
    result = CliRunner().invoke(main, ["build", str(new_edition), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output


def test_the_changelog_goes_to_a_file(new_edition, tmp_path) -> None:
    out = tmp_path / "CHANGES.md"
    args = ["diff", str(bundled_plan()), str(new_edition), "--format", "markdown", "-o", str(out)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0 and result.stdout == ""
    assert out.read_text(encoding="utf-8") == EXPECTED_MARKDOWN


def test_identical_editions_have_no_changes() -> None:
    result = CliRunner().invoke(main, ["diff", str(bundled_plan()), str(DATA / "ict-action-plan-2021.xlsx")])
    assert result.exit_code == 0
    assert "126 entries and 2 reposts matched, 0 changes" in result.stdout


def test_bad_input_is_reported_for_both_sides(tmp_path) -> None:
    (tmp_path / "a.txt").write_text("", encoding="utf-8")
    result = CliRunner().invoke(main, ["diff", str(tmp_path / "a.txt"), str(tmp_path / "missing.csv")])
    assert result.exit_code == 2
    assert "a.txt: error: the file is empty" in result.stderr
    assert "missing.csv: error: no such file" in result.stderr


def _entry(identifier: str, title: str, department: str, *divisions: str):
    from plan2rdf.model import Measure, Responsibility
    from plan2rdf.read.cells import parse_cell

    direction, number = (int(x) for x in identifier.split("-"))
    unit = Responsibility("", department, divisions)
    return Measure(direction, number, False, title, title, parse_cell(""), parse_cell(""), unit)


def test_match_entries_is_public_and_pairs_the_same_name_across_spellings() -> None:
    """Worked by hand: 1-1 and 2-3 keep their names (spelt with other spaces and widths), so they pair
    first whatever their numbers; 1-2 is renamed in the same department (ratio of 「防災アプリ整備」 to
    「防災アプリ整備事業」 is 2·7/16 = 0.875 ≥ 0.75); 1-3 is gone; 1-9 is new."""
    from plan2rdf.diff import match_entries

    old = [
        _entry("1-1", "ＩＣＴ人材 育成", "企画調整部"),
        _entry("1-2", "防災アプリ整備", "危機管理部"),
        _entry("1-3", "廃止される事業", "総務部"),
        _entry("2-3", "原子力安全\u3000対策", "危機管理部"),
    ]
    new = [
        _entry("1-1", "原子力安全 対策", "危機管理部"),
        _entry("1-2", "ICT人材育成", "企画調整部"),
        _entry("1-5", "防災アプリ整備事業", "危機管理部"),
        _entry("1-9", "新しい事業", "総務部"),
    ]
    pairs = {(o.identifier, n.identifier) for o, n in match_entries(old, new)}
    assert pairs == {("1-1", "1-2"), ("2-3", "1-1"), ("1-2", "1-5")}


def _plan(*measures):
    from plan2rdf.model import Direction, Plan, PlanInfo

    return Plan(PlanInfo("p"), (Direction(1, "d1"), Direction(2, "d2")), measures)


def test_a_division_is_renamed_only_when_all_of_it_moved_to_a_new_name() -> None:
    """Worked by hand: in the first pair of editions both entries of 危機管理部 A課 go to the new B課 and
    A課 is gone: one rename. In the second, 1-2 stays in A課: 1-1 moved, and no rename."""
    from plan2rdf.diff import diff_plans

    old = _plan(_entry("1-1", "事業甲", "危機管理部", "A課"), _entry("1-2", "事業乙", "危機管理部", "A課"))
    renamed = _plan(_entry("1-1", "事業甲", "危機管理部", "B課"), _entry("1-2", "事業乙", "危機管理部", "B課"))
    moved = _plan(_entry("1-1", "事業甲", "危機管理部", "B課"), _entry("1-2", "事業乙", "危機管理部", "A課"))
    changes = diff_plans(old, renamed).changes
    assert [(c.kind, c.before, c.after, c.entries) for c in changes] == [
        ("renamed-division", "危機管理部 A課", "危機管理部 B課", (("1-1", "1-1"), ("1-2", "1-2")))
    ]
    changes = diff_plans(old, moved).changes
    assert [(c.kind, c.old, c.before, c.after) for c in changes] == [
        ("moved-division", "1-1", "危機管理部 A課", "危機管理部 B課")
    ]
