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


def next_edition(tmp_path: Path) -> Path:
    """The 2021 plan with seven edits a department might make for 2022, renumbered as a plan would be."""
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
    by_id["2-14"][6] = "保健福祉部 地域福祉課"
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


@pytest.fixture
def changes(tmp_path):
    result = CliRunner().invoke(main, ["diff", str(bundled_plan()), str(next_edition(tmp_path)), "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_every_edit_is_reported_and_nothing_else(changes) -> None:
    found = {(c["kind"], c["old"], c["new"]) for c in changes["changes"]}
    assert found == {
        ("removed", "1-1", None),
        ("added", None, "5-40"),
        ("renamed", "2-6", "2-6"),
        ("moved-direction", "4-4", "3-27"),
        ("moved-division", "2-14", "2-14"),
        ("new-flag", "1-11", "1-10"),
        ("target", "1-2", "1-1"),
    }
    # 126 entries (reposts aside) in 2021; one removed, so 125 matched
    assert changes["matched"] == 125


def test_changes_say_what_changed(changes) -> None:
    by_kind = {c["kind"]: c for c in changes["changes"]}
    assert by_kind["removed"]["title"] == "インターネット広報広聴事業"
    assert by_kind["added"]["title"] == "データ連携基盤構築事業"
    assert by_kind["renamed"]["before"] == "ツイッターによる防災・災害等情報発信"
    assert by_kind["renamed"]["after"] == "SNSによる防災・災害等情報発信"
    assert by_kind["moved-direction"]["before"] == "4 教育・ICT人材育成"
    assert by_kind["moved-direction"]["after"] == "3 産業振興・地域活性化"
    assert by_kind["moved-division"]["before"] == "保健福祉部 社会福祉課"
    assert by_kind["moved-division"]["after"] == "保健福祉部 地域福祉課"
    assert (by_kind["new-flag"]["before"], by_kind["new-flag"]["after"]) == ("○", "")
    assert "67000件" in by_kind["target"]["before"] and "70000件" in by_kind["target"]["after"]


def test_markdown_and_text_formats(tmp_path) -> None:
    new = next_edition(tmp_path)
    runner = CliRunner()
    markdown = runner.invoke(main, ["diff", str(bundled_plan()), str(new), "--format", "markdown"]).stdout
    assert "### 追加された施策 / Added" in markdown
    assert "| 1-1 |  | インターネット広報広聴事業 |  |  |" in markdown
    text = runner.invoke(main, ["diff", str(bundled_plan()), str(new)]).stdout
    assert "4-4 → 3-27 「ふくしまグローバルセミナー」: 4 教育・ICT人材育成 → 3 産業振興・地域活性化" in text


def test_identical_editions_have_no_changes() -> None:
    result = CliRunner().invoke(main, ["diff", str(bundled_plan()), str(DATA / "ict-action-plan-2021.xlsx")])
    assert result.exit_code == 0
    assert "126 entries matched, 0 changes" in result.stdout


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
