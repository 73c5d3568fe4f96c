"""A measure's page: the clean items first, the verbatim cell behind a 原文 disclosure, and where
the measure was read (a line of the text export, a row of a CSV file, a row of a named sheet).
Expected values worked out by hand from tests/fixtures/mini/plan.txt."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from plan2rdf import pipeline
from plan2rdf.cli import main
from plan2rdf.read.reader import read_plan

MINI = Path(__file__).parent / "fixtures" / "mini"
PAGE = "mini-ict/2022/measure/{}.html"
# entry 1-1's 指標・目標 cell, line 13 of the text export, as published
VERBATIM = '<ul style="list-style-type: none"> ダウンロード数 5,000件 登録率 対前年比110% '


def text_of(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> dict[str, Path]:
    """The mini plan's site built from its text export, and from its CSV and XLSX conversions."""
    folder = tmp_path_factory.mktemp("plan")
    for name in ("plan.txt", "plan.toml", "organizations.csv"):
        shutil.copy(MINI / name, folder / name)
    for fmt in ("csv", "xlsx"):
        args = ["parse", str(folder / "plan.txt"), "--format", fmt, "-o", str(folder / f"plan.{fmt}")]
        assert CliRunner().invoke(main, args).exit_code == 0
    out = {}
    for fmt in ("txt", "csv", "xlsx"):
        out[fmt] = tmp_path_factory.mktemp(fmt) / "site"
        pipeline.build_site(read_plan(folder / f"plan.{fmt}"), out_dir=out[fmt])
    return out


def indicator_section(site: Path, entry: str) -> str:
    page = (site / PAGE.format(entry)).read_text(encoding="utf-8")
    found = re.search(r'<section aria-labelledby="indicator">(.*?)</section>', page, re.S)
    assert found, entry
    return found.group(1)


def test_the_clean_items_come_first_and_the_verbatim_cell_behind_a_disclosure(sites) -> None:
    section = indicator_section(sites["txt"], "1-1")
    items = re.search(r'<ul class="items">(.*?)</ul>', section, re.S)
    assert items
    assert [text_of(li) for li in re.findall(r"<li>(.*?)</li>", items.group(1))] == [
        "ダウンロード数 5,000件",
        "登録率 対前年比110%",
    ]
    disclosure = re.search(r"<details[^>]*>(.*?)</details>", section, re.S)
    assert disclosure and items.start() < disclosure.start()  # the items, then the table, then 原文
    assert section.index('<table class="targets">') < disclosure.start()
    summary = re.search(r"<summary>(.*?)</summary>", disclosure.group(1), re.S)
    assert summary and text_of(summary.group(1)) == "原文 Original text"
    quote = re.search(r'<blockquote class="verbatim">(.*?)</blockquote>', disclosure.group(1), re.S)
    assert quote and html.unescape(quote.group(1)) == VERBATIM  # exactly, its trailing space included
    assert "&lt;ul style=" in quote.group(1)  # shown as text, never as markup


def test_bullets_become_items_and_the_bullets_stay_in_the_original(sites) -> None:
    section = indicator_section(sites["txt"], "2-1")
    items = re.search(r'<ul class="items">(.*?)</ul>', section, re.S)
    assert items and [text_of(li) for li in re.findall(r"<li>(.*?)</li>", items.group(1))] == [
        "対象手続 20件",
        "利用率 50%",
    ]
    quote = re.search(r'<blockquote class="verbatim">(.*?)</blockquote>', section, re.S)
    assert quote and html.unescape(quote.group(1)) == "・対象手続 20件 ・利用率 50%"


@pytest.mark.parametrize(
    ("fmt", "label", "where"),
    [
        ("txt", "原典の行 Source line", "13"),  # line 13 of plan.txt
        ("csv", "原典 Source", "2行目 / row 2"),  # the header is row 1
        ("xlsx", "原典 Source", "シート「施策」2行目 / sheet 施策, row 2"),
    ],
)
def test_the_source_says_line_or_sheet_and_row(sites, fmt, label, where) -> None:
    page = (sites[fmt] / PAGE.format("1-1")).read_text(encoding="utf-8")
    pairs = re.findall(r"<dt>((?:(?!</dt>).)*)</dt>\s*<dd[^>]*>((?:(?!</dd>).)*)</dd>", page, re.S)
    facts = {text_of(dt).strip(): text_of(dd).strip() for dt, dd in pairs}
    assert facts[label] == where
    assert ("原典の行 Source line" in facts) == (fmt == "txt")


def test_a_sheets_verbatim_text_is_its_clean_cell(sites) -> None:
    """Read from the clean sheet, the 原文 shown is the sheet's cell: the 原文 sheet is not read."""
    section = indicator_section(sites["xlsx"], "1-1")
    quote = re.search(r'<blockquote class="verbatim">(.*?)</blockquote>', section, re.S)
    assert quote and html.unescape(quote.group(1)) == "ダウンロード数 5,000件\n登録率 対前年比110%"
