"""`plan2rdf site` of several editions: one site, each edition at its own IRIs, shared resources
listed per edition, measures linked to themselves in the previous and next edition, and a later
build that never removes an earlier edition's pages.

The second edition is the bundled 2021 plan edited as tests/test_diff.py's ``next_edition`` does
(1-1 dropped, so 2021's 1-2 becomes 2022's 1-1 with its target raised from 67,000件 to 70,000件;
1-11 no longer new; a new entry 5-40; …)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph

from browser import Browser, require_chromium, serve
from plan2rdf.cli import main
from plan2rdf.resources import bundled_plan
from test_diff import next_edition

DATA = Path(bundled_plan()).parent
OLD = "fukushima-ict/2021"
NEW = "fukushima-ict/2022"


def two_editions(folder: Path) -> tuple[Path, Path]:
    """The bundled 2021 plan (CSV form) and its edited 2022 edition, side by side in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    old = folder / "ict-action-plan-2021.csv"
    shutil.copy(DATA / "ict-action-plan-2021.csv", old)
    shutil.copy(DATA / "ict-action-plan-2021.toml", folder / "ict-action-plan-2021.toml")
    return old, next_edition(folder)


def site(*args: str):
    return CliRunner().invoke(main, ["site", *args])


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    """The 2021 site (a copy kept), then the same directory rebuilt from the folder of both editions."""
    root = tmp_path_factory.mktemp("editions")
    old, new = two_editions(root / "plans")
    out = root / "site"
    first = site(str(old), "--out", str(out))
    assert first.exit_code == 0, first.output
    shutil.copytree(out, root / "site-2021")
    second = site(str(root / "plans"), "--out", str(out))  # a directory, as `build` takes it
    assert second.exit_code == 0, second.output
    assert "2 editions" in second.output
    return root / "site-2021", out, old, new


def text_of(path: Path) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8")))


def test_adding_an_edition_keeps_every_earlier_url_and_resource(sites) -> None:
    before, after, _, _ = sites
    files = sorted(p.relative_to(before).as_posix() for p in before.rglob("*") if p.is_file())
    missing = [f for f in files if not (after / f).is_file()]
    assert missing == []
    for name in files:
        if not name.endswith(".ttl") or name in ("ontology.ttl",):
            continue
        old = Graph().parse(before / name, format="turtle")
        new = Graph().parse(after / name, format="turtle")
        if name.startswith(OLD + "/") or name == OLD + ".ttl":
            # the edition's own resources: the same description, not one triple more or less
            assert set(old) == set(new), name
        else:
            # shared resources (organisations, directions, themes, fiscal years…) only gain triples
            assert set(old) <= set(new), name
    for name in files:
        if name.endswith(".html") and name.startswith(OLD):
            iri = re.search(r"<dt>IRI</dt><dd><code><a href=\"([^\"]+)\"", (after / name).read_text(encoding="utf-8"))
            assert iri and iri.group(1) == "https://w3id.org/plan2rdf/id/" + name[: -len(".html")], name


def test_the_new_edition_has_its_own_pages(sites) -> None:
    _, out, _, _ = sites
    for path in (f"{NEW}.html", f"{NEW}/measure/1-1.html", f"{NEW}/measure/5-40.html", f"{NEW}/measure/5-40.ttl"):
        assert (out / path).is_file(), path
    assert not (out / f"{OLD}/measure/5-40.html").exists()  # 2021 has 39 entries in direction 5
    assert "データ連携基盤構築事業" in text_of(out / f"{NEW}/measure/5-40.html")
    marker = (out / ".plan2rdf-site").read_text(encoding="utf-8").splitlines()
    assert [line.split("\t")[:2] for line in marker[1:]] == [["edition", OLD], ["edition", NEW]]


def test_the_home_lists_the_editions_newest_first(sites) -> None:
    _, out, _, _ = sites
    source = (out / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'href="(fukushima-ict/20\d\d)\.html"', source)
    assert list(dict.fromkeys(links)) == [NEW, OLD]
    # 2022: 128 rows less 1-1 plus 5-40; the same 2 reposts; 17 new less 1-11 plus 5-40
    rows = re.findall(r'<tr(?: class="current")?>\s*<td>.*?</tr>', source, re.S)
    counts = [re.findall(r'<td class="num">(\d+)</td>', row)[:3] for row in rows]
    assert counts == [["128", "17", "2"], ["128", "17", "2"]]
    assert (out / "charts/editions.svg").is_file()
    # each edition's home lists the others, marking itself
    home = (out / f"{NEW}.html").read_text(encoding="utf-8")
    assert "ほかの版" in home and 'href="2021.html"' in home


def test_a_measure_links_to_itself_in_the_previous_and_next_edition(sites) -> None:
    _, out, _, _ = sites
    later = (out / f"{NEW}/measure/1-1.html").read_text(encoding="utf-8")
    assert '<a rel="prev" href="../../2021/measure/1-2.html">' in later
    assert 'rel="next"' not in later
    earlier = (out / f"{OLD}/measure/1-2.html").read_text(encoding="utf-8")
    assert '<a rel="next" href="../../2022/measure/1-1.html">' in earlier
    assert 'rel="prev"' not in earlier
    # the change of its target, in the plan's words and as the value read from it
    changes = text_of(out / f"{NEW}/measure/1-1.html").split("前の版からの変更", 1)[1].split("取組概要", 1)[0]
    assert "67,000件" in changes and "70,000件" in changes
    # 1-1 of 2021 was dropped: nothing continues it
    assert 'rel="next"' not in (out / f"{OLD}/measure/1-1.html").read_text(encoding="utf-8")
    # an unchanged measure says so
    assert "変わっていません" in (out / f"{NEW}/measure/1-3.html").read_text(encoding="utf-8")


def test_the_revision_links_are_in_the_new_measure_description(sites) -> None:
    _, out, _, _ = sites
    described = (out / f"{NEW}/measure/1-1.ttl").read_text(encoding="utf-8")
    assert "wasRevisionOf" in described and "2021/measure/1-2" in described
    assert "wasRevisionOf" not in (out / f"{OLD}/measure/1-2.ttl").read_text(encoding="utf-8")


def test_shared_pages_list_their_measures_per_edition(sites) -> None:
    _, out, _, _ = sites
    source = (out / "org/fukushima/somu-bu/koho-ka.html").read_text(encoding="utf-8")
    sections = re.split(r'<h2 id="edition-\d" class="edition">', source)[1:]
    assert len(sections) == 2
    assert 'href="../../../fukushima-ict/2022.html"' in sections[0][:200]
    assert 'href="../../../fukushima-ict/2021.html"' in sections[1][:200]
    assert "fukushima-ict/2022/measure/1-1.html" in sections[0] and "2021/measure" not in sections[0]
    assert "fukushima-ict/2021/measure/1-2.html" in sections[1] and "2022/measure" not in sections[1]


def test_a_build_without_an_earlier_edition_is_refused_with_what_to_run(sites, tmp_path) -> None:
    _, out, old, new = sites
    copy = tmp_path / "site"
    shutil.copytree(out, copy)
    index = (copy / "index.html").read_bytes()
    result = site(str(new), "--out", str(copy))
    assert result.exit_code == 2, result.output
    assert f"the site holds {OLD}, {NEW}" in result.output
    assert f"plan2rdf site {old} {new} --out {copy}; --replace drops them" in result.output
    assert (copy / "index.html").read_bytes() == index and (copy / f"{OLD}/measure/1-2.html").is_file()
    replaced = site(str(new), "--out", str(copy), "--replace")
    assert replaced.exit_code == 0, replaced.output
    assert not (copy / f"{OLD}.html").exists() and (copy / f"{NEW}.html").is_file()


def test_the_same_edition_twice_is_refused(tmp_path) -> None:
    old, _ = two_editions(tmp_path / "plans")
    shutil.copy(old, tmp_path / "again.csv")
    shutil.copy(old.with_suffix(".toml"), tmp_path / "again.toml")
    result = site(str(old), str(tmp_path / "again.csv"), "--out", str(tmp_path / "site"))
    assert result.exit_code == 2
    assert f"plan {OLD} is also read from" in result.output
    assert not (tmp_path / "site").exists()


@pytest.mark.slow
def test_browser_follows_an_edition_to_the_next(sites) -> None:
    _, out, _, _ = sites
    with Browser(require_chromium()) as browser, serve(out) as server:
        page = browser.page()
        page.goto(server.url + "index.html")
        editions = page.evaluate("Array.from(document.querySelectorAll('table.editions tbody a'), a => a.textContent)")
        assert [e for e in editions if "アクションプラン" in e] == [
            "ふくしま ICT データ利活用社会推進 アクションプラン2022",
            "ふくしま ICT データ利活用社会推進 アクションプラン2021",
        ]
        page.goto(server.url + f"{OLD}/measure/1-2.html")
        page.goto(page.evaluate("document.querySelector('a[rel=next]').href"))
        assert page.evaluate("location.pathname").endswith(f"{NEW}/measure/1-1.html")
        assert "チャレンジふくしま戦略的情報発信事業" in page.evaluate("document.querySelector('h1').textContent")
        page.goto(server.url + f"{NEW}.html")
        width = page.evaluate("document.querySelector('svg.heatmap').getBoundingClientRect().width")
        main = page.evaluate("document.querySelector('main').getBoundingClientRect().width")
        assert width > 0.9 * (main - 32)  # the heat map takes the page's width
        assert server.failures() == []


def test_every_unusable_source_is_reported_once(tmp_path) -> None:
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text("施策の一覧ではない\n", encoding="utf-8")
    result = site(str(tmp_path / "*.txt"), "--out", str(tmp_path / "site"))  # a glob, as `build` takes it
    assert result.exit_code == 2
    assert result.output.count("a.txt: error") == 1 and result.output.count("b.txt: error") == 1
    assert not (tmp_path / "site").exists()
