"""`plan2rdf site`: pages from the graph at the IRIs' paths, valid and escaped HTML, charts,
content negotiation, reproducible output, and the whole site loaded in headless Chromium."""

from __future__ import annotations

import ast
import contextlib
import csv
import hashlib
import html
import io
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from click.testing import CliRunner
from markupsafe import escape
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS, RDF, RDFS, SKOS

from browser import Browser, crawl, nginx_rules, require_chromium, serve
from plan2rdf import pipeline
from plan2rdf.cli import main
from plan2rdf.pipeline import graph_of
from plan2rdf.read.reader import read_plan
from plan2rdf.resources import bundled_plan
from plan2rdf.site import build_site, render_site
from plan2rdf.vocab import ORG, P2R

ROOT = Path(__file__).parents[1]
MINI = Path(__file__).parent / "fixtures" / "mini"
BASE = "https://w3id.org/plan2rdf/id/"
PLAN = "fukushima-ict/2021"
ARTIFACTS = ROOT / "test-artifacts"
VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
TITLE = '<script>alert(1)</script>事業 & "A" <b>'


# ---------------------------------------------------------------------------------------------
# fixtures


@pytest.fixture(scope="module")
def bundled_site(tmp_path_factory):
    out = tmp_path_factory.mktemp("bundled") / "site"
    report = pipeline.build_site(read_plan(bundled_plan()), out_dir=out)
    return out, report


@pytest.fixture(scope="module")
def site_graph(bundled_site) -> Graph:
    """The graph the site shows: the data and the dataset metadata, as downloaded from the site."""
    out, _ = bundled_site
    graph = Graph()
    graph.parse(out / PLAN / "fukushima-ict-2021.ttl", format="turtle")
    graph.parse(out / PLAN / "fukushima-ict-2021.meta.ttl", format="turtle")
    return graph


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def mini_plan(tmp_path: Path) -> Path:
    folder = tmp_path / "plan"
    folder.mkdir(exist_ok=True)
    for name in ("plan.txt", "plan.toml", "organizations.csv"):
        shutil.copy(MINI / name, folder / name)
    return folder / "plan.txt"


def special_plan(tmp_path: Path) -> Path:
    """The mini plan with HTML in the name of entry 2-1 and in the summary of entry 2-3."""
    source = mini_plan(tmp_path)
    edit(source, "電子申請事業", TITLE)
    edit(source, "投票所を案内する。", '投票所を<img src=x onerror="alert(2)">案内する。</script><!--')
    return source


def page_path(iri: str, base: str = BASE) -> str:
    assert iri.startswith(base)
    return iri[len(base) :]


# ---------------------------------------------------------------------------------------------
# a strict reading of the HTML we write


class PageReader(HTMLParser):
    """Every tag closed in order (void elements excepted), ids, links, language tags, scripts, text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.ids: list[str] = []
        self.links: list[tuple[str, str, str]] = []  # (tag, attribute, value)
        self.langs: list[str] = []
        self.scripts: list[dict[str, str | None]] = []
        self.script_text: list[str] = []
        self.text: list[str] = []
        self.tags: list[str] = []
        self.in_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append(tag)
        if tag not in VOID_ELEMENTS and not self._self_closing:
            self.stack.append(tag)
        if "id" in attributes:
            self.ids.append(attributes["id"] or "")
        if "lang" in attributes:
            self.langs.append(attributes["lang"] or "")
        for name in ("href", "src"):
            if name in attributes:
                self.links.append((tag, name, attributes[name] or ""))
        if tag == "script":
            self.scripts.append(attributes)
            self.in_script = True

    _self_closing = False

    def handle_startendtag(self, tag, attrs):
        self._self_closing = True
        self.handle_starttag(tag, attrs)
        self._self_closing = False

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_script = False
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes <{self.stack[-1] if self.stack else '-'}> at {self.getpos()}")
            if tag in self.stack:
                while self.stack and self.stack.pop() != tag:
                    pass
            return
        self.stack.pop()

    def handle_data(self, data):
        (self.script_text if self.in_script else self.text).append(data)

    def close(self):
        super().close()
        if self.stack:
            self.problems.append(f"unclosed: {self.stack}")


def read_page(path: Path) -> PageReader:
    reader = PageReader()
    reader.feed(path.read_text(encoding="utf-8"))
    reader.close()
    return reader


def page_text(path: Path) -> str:
    return re.sub(r"\s+", " ", "".join(read_page(path).text))


# ---------------------------------------------------------------------------------------------
# the command and the report


def test_cli_builds_a_site_of_the_mini_plan(tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = CliRunner().invoke(main, ["site", str(mini_plan(tmp_path)), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "pages for" in result.output
    for path in (
        "index.html",
        "mini-ict/2022.html",
        "mini-ict/2022.ttl",
        "mini-ict/2022.jsonld",
        "mini-ict/2022/measure/1-1.html",
        "mini-ict/2022/measure/1-1/indicator.html",
        "org/mini/somu-bu.html",
        "charts.html",
        "queries.html",
        "ontology.html",
        "downloads.html",
        "mini-ict/2022/mini-ict-2022.nt",
        "mini-ict/2022/mini-ict-2022-measures.csv",
        ".htaccess",
        "nginx.conf",
        "static/site.css",
    ):
        assert (out / path).is_file(), path


def test_the_report_lists_what_was_written(bundled_site) -> None:
    out, report = bundled_site
    pages = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html"))
    assert report.pages == len(pages)
    assert sorted(f.path for f in report.files if f.kind == "page") == pages
    assert {f.kind for f in report.files} == {"page", "rdf", "download", "static", "config"}
    assert report.size == sum(f.size for f in report.files)
    # how long it takes is measured by benchmarks/site.py, not asserted here


def test_building_twice_gives_identical_files(tmp_path: Path) -> None:
    plan = read_plan(mini_plan(tmp_path))
    first = pipeline.build_site(plan, out_dir=tmp_path / "one")
    second = pipeline.build_site(plan, out_dir=tmp_path / "two")
    assert [f.path for f in first.files] == [f.path for f in second.files]
    for f in first.files:
        assert (tmp_path / "one" / f.path).read_bytes() == (tmp_path / "two" / f.path).read_bytes(), f.path


def test_the_bundled_site_is_reproducible(tmp_path: Path, bundled_site) -> None:
    out, _ = bundled_site
    again = tmp_path / "again"
    pipeline.build_site(read_plan(bundled_plan()), out_dir=again)
    left = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    right = sorted(p.relative_to(again).as_posix() for p in again.rglob("*") if p.is_file())
    assert left == right
    different = [p for p in left if (out / p).read_bytes() != (again / p).read_bytes()]
    assert different == []


def test_the_dataset_metadata_is_given_to_the_site_as_triples(tmp_path: Path) -> None:
    graph = graph_of(read_plan(mini_plan(tmp_path))).graph
    dataset = URIRef(BASE + "mini-ict/2022/dataset")
    metadata = Graph()
    metadata.add((dataset, RDF.type, DCAT.Dataset))
    metadata.add((dataset, DCTERMS.title, Literal("試しのデータセット", lang="ja")))
    files = render_site(graph, base_iri=BASE, metadata=list(metadata))
    assert "試しのデータセット" in files["mini-ict/2022/dataset.html"].decode("utf-8")
    described = Graph().parse(data=files["mini-ict/2022/dataset.ttl"].decode("utf-8"), format="turtle")
    assert isomorphic(described, metadata)
    assert "mini-ict/2022/dataset.html" not in render_site(graph, base_iri=BASE)


def test_the_site_parses_nothing_the_build_made(tmp_path: Path, monkeypatch) -> None:
    """Data moves forward: the site is given the graph and the metadata, and reads back no file or text."""
    parsed: list[str] = []
    original = Graph.parse

    def spy(self, source=None, *args, data=None, **kwargs):
        parsed.append("<text>" if data is not None else Path(str(source)).name)
        return original(self, source, *args, data=data, **kwargs)

    monkeypatch.setattr(Graph, "parse", spy)
    pipeline.build_site(read_plan(mini_plan(tmp_path)), out_dir=tmp_path / "site")
    # the ontology and its IMI alignment (for the vocabulary page) and the bundled themes (derive; cached
    # per process): shipped files, nothing the build made
    assert "plan2rdf.ttl" in parsed and "imi-alignment.ttl" in parsed
    assert set(parsed) <= {"plan2rdf.ttl", "imi-alignment.ttl", "themes.ttl"}


def test_the_site_stage_does_not_chain_stages() -> None:
    """Only plan2rdf.pipeline chains stages: the site package imports neither the reader nor the pipeline."""
    imported = set()
    for module in (ROOT / "src/plan2rdf/site").glob("*.py"):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module)
            elif isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names)
    chained = {name for name in imported if name.startswith(("plan2rdf.read", "plan2rdf.pipeline", "plan2rdf.cli"))}
    assert chained == set()


def test_an_existing_directory_that_is_not_a_site_is_left_alone(tmp_path: Path) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me", encoding="utf-8")
    result = CliRunner().invoke(main, ["site", str(mini_plan(tmp_path)), "--out", str(out)])
    assert result.exit_code == 2
    assert "is not a site written by plan2rdf" in result.output
    assert (out / "notes.txt").read_text(encoding="utf-8") == "keep me"


def test_rebuilding_replaces_the_site_as_a_whole(tmp_path: Path) -> None:
    plan = read_plan(mini_plan(tmp_path))
    out = tmp_path / "site"
    pipeline.build_site(plan, out_dir=out)
    (out / "stale.html").write_text("old", encoding="utf-8")
    pipeline.build_site(plan, out_dir=out)
    assert not (out / "stale.html").exists()
    assert (out / "index.html").is_file()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary left


def test_a_series_named_like_a_site_page_is_refused(tmp_path: Path) -> None:
    source = mini_plan(tmp_path)
    edit(source.with_suffix(".toml"), 'series = "mini-ict"', 'series = "charts"')
    result = CliRunner().invoke(main, ["site", str(source), "--out", str(tmp_path / "site")])
    assert result.exit_code == 2, result.output
    # refused when the graph is made, so build, site and corpus builds all say the same
    assert "plan.series 'charts' is reserved" in result.output
    assert not (tmp_path / "site").exists()


def test_base_iri_must_be_a_path_base(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["site", str(mini_plan(tmp_path)), "--base-iri", "https://example.org/ld#"])
    assert result.exit_code == 2
    assert "ending in '/'" in result.output


# ---------------------------------------------------------------------------------------------
# URL layout and descriptions


def test_every_iri_under_the_base_has_a_page_and_descriptions(bundled_site, site_graph) -> None:
    out, _ = bundled_site
    subjects = {str(s) for s in site_graph.subjects() if isinstance(s, URIRef) and str(s).startswith(BASE)}
    assert len(subjects) > 700
    for iri in subjects:
        path = page_path(iri)
        for ext in ("html", "ttl", "jsonld"):
            assert (out / f"{path}.{ext}").is_file(), f"{iri} → {path}.{ext}"


def test_the_descriptions_together_are_the_graph(bundled_site, site_graph) -> None:
    """Each resource's .ttl is its own triples and its parts'; all of them together give back the graph."""
    out, _ = bundled_site
    union = Graph()
    for iri in {s for s in site_graph.subjects() if isinstance(s, URIRef) and str(s).startswith(BASE)}:
        union.parse(out / f"{page_path(str(iri))}.ttl", format="turtle")
    ours = Graph()
    for s, p, o in site_graph:
        if str(s).startswith(BASE):  # the tool (https://w3id.org/plan2rdf/tool/…) is not the site's to serve
            ours.add((s, p, o))
    assert isomorphic(union, ours)


def test_a_measure_is_described_with_its_indicator_and_targets(bundled_site, site_graph) -> None:
    out, _ = bundled_site
    measure = URIRef(f"{BASE}{PLAN}/measure/1-2")
    turtle = Graph().parse(out / f"{PLAN}/measure/1-2.ttl", format="turtle")
    document = (out / f"{PLAN}/measure/1-2.jsonld").read_text(encoding="utf-8")
    from_jsonld = Graph().parse(data=document, format="json-ld")
    assert isomorphic(turtle, from_jsonld)
    expected = Graph()
    parts = [measure, *site_graph.objects(measure, P2R.hasIndicator), *site_graph.objects(measure, P2R.themeAssignment)]
    parts += [t for i in site_graph.objects(measure, P2R.hasIndicator) for t in site_graph.objects(i, P2R.hasTarget)]
    for part in parts:
        for triple in site_graph.triples((part, None, None)):
            expected.add(triple)
    assert isomorphic(turtle, expected)
    # the page embeds the same document, with '<', '>' and '&' escaped
    embedded = embedded_jsonld(out / f"{PLAN}/measure/1-2.html")
    assert json.loads(embedded) == json.loads(document)


def embedded_jsonld(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', text, re.S)
    assert len(found) == 1, path
    return found[0]


def test_every_page_has_alternates_and_safe_jsonld(bundled_site) -> None:
    out, _ = bundled_site
    for path in out.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if '<script type="application/ld+json">' not in text:
            continue
        script = embedded_jsonld(path)
        assert "<" not in script and ">" not in script, path
        json.loads(script)
        for ext, media in (("ttl", "text/turtle"), ("jsonld", "application/ld+json")):
            match = re.search(rf'<link rel="alternate" type="{re.escape(media)}" href="([^"]+)">', text)
            assert match, (path, ext)
            assert (path.parent / match.group(1)).resolve().is_file(), (path, match.group(1))


# ---------------------------------------------------------------------------------------------
# HTML: valid, strict, linked, offline


def test_every_page_is_valid_html5(bundled_site) -> None:
    import html5rdf  # rdflib's html5lib (rdflib[html], a dependency of pyshacl)

    out, _ = bundled_site
    for path in sorted(out.rglob("*.html")):
        parser = html5rdf.HTMLParser(strict=True, namespaceHTMLElements=False)
        try:
            parser.parse(path.read_bytes())
        except Exception as exc:  # html5lib raises ParseError with the first error
            pytest.fail(f"{path.relative_to(out)}: {exc} {parser.errors[:3]}")


def test_every_page_is_strict_and_every_internal_link_resolves(bundled_site) -> None:
    out, _ = bundled_site
    pages = {p.relative_to(out).as_posix(): read_page(p) for p in out.rglob("*.html")}
    problems = []
    for name, page in sorted(pages.items()):
        problems += [f"{name}: {p}" for p in page.problems]
        duplicates = {i for i in page.ids if page.ids.count(i) > 1}
        if duplicates:
            problems.append(f"{name}: duplicate ids {sorted(duplicates)}")
        if page.tags[:1] != ["html"] or page.langs[:1] != ["ja"]:
            problems.append(f"{name}: <html lang=ja> is not first")
        if set(page.langs) - {"ja", "en"}:
            problems.append(f"{name}: languages {set(page.langs)}")
        for script in page.scripts:
            if script.get("type") != "application/ld+json" or script.get("src"):
                problems.append(f"{name}: a script that runs: {script}")
        for tag, attribute, value in page.links:
            split = urlsplit(value)
            if split.scheme or value.startswith("//"):
                if tag in ("link", "img", "script", "iframe", "source") and "alternate" not in value:
                    problems.append(f"{name}: loads {value} from elsewhere (the site must work offline)")
                continue
            target = urljoin(name, split.path) if split.path else name
            if not (out / target).is_file():
                problems.append(f"{name}: {tag} {attribute}={value} → missing {target}")
            elif split.fragment and target.endswith(".html") and split.fragment not in pages[target].ids:
                problems.append(f"{name}: {value} → no id {split.fragment!r} in {target}")
    assert problems == [], "\n".join(problems[:30])


def test_charts_are_also_standalone_svg(bundled_site) -> None:
    out, _ = bundled_site
    for name in ("editions", f"{PLAN}/heatmap", f"{PLAN}/bars", f"{PLAN}/network"):
        svg = out / "charts" / f"{name}.svg"
        root = ET.parse(svg).getroot()
        ns = "{http://www.w3.org/2000/svg}"
        assert root.tag == f"{ns}svg"
        assert root.find(f"{ns}title").text and root.find(f"{ns}desc").text
        for anchor in root.iter(f"{ns}a"):
            assert (svg.parent / anchor.get("href")).resolve().is_file(), anchor.get("href")


# ---------------------------------------------------------------------------------------------
# pages from the graph


def test_the_plan_page_shows_the_plan(bundled_site, site_graph) -> None:
    out, _ = bundled_site
    text = page_text(out / f"{PLAN}.html")
    plan = URIRef(BASE + PLAN)
    for title in site_graph.objects(plan, DCTERMS.title):
        assert str(title) in text
    assert str(next(site_graph.objects(plan, DCTERMS.description))) in text
    measures = list(site_graph.objects(plan, P2R.hasMeasure))
    reposts = [m for m in measures if (m, P2R.repostOf, None) in site_graph]
    new = [m for m in measures if (m, P2R.isNew, Literal(True)) in site_graph]
    assert f"{len(measures)} 施策" in text and len(measures) == 128
    assert f"{len(reposts)} 再掲" in text
    assert f"{len(new)} 新規" in text
    for direction in site_graph.subjects(SKOS.topConceptOf, URIRef(BASE + "fukushima-ict/directions")):
        assert str(site_graph.value(direction, SKOS.prefLabel)) in text
    for name in ("fukushima-ict-2021.ttl", "fukushima-ict-2021.jsonld", "fukushima-ict-2021.nt"):
        assert name in text
    assert "ほかの版" not in text  # one edition: no list of others


def test_the_home_page_lists_the_edition(bundled_site) -> None:
    out, _ = bundled_site
    source = (out / "index.html").read_text(encoding="utf-8")
    rows = re.findall(r"<tr>\s*<td>(.*?)</td>\s*<td>(.*?)</td>(.*?)</tr>", source, re.S)
    assert len(rows) == 1
    edition, year, counts = rows[0]
    assert 'href="fukushima-ict/2021.html"' in edition and "アクションプラン2021" in edition
    assert 'href="fy/2021.html">令和3年度' in year
    # the CSV export has 128 rows, 17 marked ○ in 新規 and 2 names with （再掲）
    assert re.findall(r'<td class="num">(\d+)</td>', counts)[:3] == ["128", "17", "2"]


def test_a_measure_page_shows_every_fact(bundled_site) -> None:
    out, _ = bundled_site
    page = out / f"{PLAN}/measure/1-2.html"
    text = page_text(page)
    source = page.read_text(encoding="utf-8")
    assert "1-2" in text and "チャレンジふくしま戦略的情報発信事業" in text
    assert 'href="../../direction/1.html"' in source  # direction
    assert 'href="../../../org/fukushima/somu-bu.html"' in source  # department
    assert 'href="../../../org/fukushima/somu-bu/koho-ka.html"' in source  # division
    assert 'href="../../programme/x-e422a47d31.html"' in source  # programme
    assert 'href="../../../theme/sns.html"' in source  # theme
    assert "フェイスブックページへの「いいね！」数 67,000件" in text  # the item, verbatim
    assert '<td class="derived num">67,000</td>' in source  # its value, marked derived
    assert '<td class="derived">件</td>' in source
    assert source.count('推定 <span lang="en">derived</span>') >= 5
    assert "&lt;ul style=&#34;list-style-type: none&#34;&gt;" in source  # the verbatim cell, scars shown as text


def test_baselines_and_periods_are_shown_as_derived(bundled_site) -> None:
    out, _ = bundled_site
    source = (out / f"{PLAN}/measure/2-21.html").read_text(encoding="utf-8")
    assert "100 %" in source and "27.6 %" in source and "45.7 %" in source
    assert 'href="../../../date/2021-01-27.html"' in source
    period = (out / f"{PLAN}/measure/1-7.html").read_text(encoding="utf-8")
    assert 'href="../../../fy/2021.html">令和3年度</a>' in period


def test_reposts_link_to_their_originals_and_back(bundled_site, site_graph) -> None:
    out, _ = bundled_site
    pairs = list(site_graph.subject_objects(P2R.repostOf))
    assert pairs
    for repost, original in pairs:
        repost_page = (out / f"{page_path(str(repost))}.html").read_text(encoding="utf-8")
        original_page = (out / f"{page_path(str(original))}.html").read_text(encoding="utf-8")
        assert "再掲元" in repost_page and f'href="{str(original).rsplit("/", 1)[1]}.html"' in repost_page
        assert "再掲先" in original_page and f'href="{str(repost).rsplit("/", 1)[1]}.html"' in original_page


def test_department_division_direction_programme_and_theme_pages(bundled_site, site_graph) -> None:
    out, _ = bundled_site
    department = URIRef(BASE + "org/fukushima/somu-bu")
    text = page_text(out / "org/fukushima/somu-bu.html")
    assert "総務部" in text and str(site_graph.value(department, SKOS.prefLabel, any=True))
    for division in site_graph.subjects(ORG.unitOf, department):
        label = next(str(o) for o in site_graph.objects(division, SKOS.prefLabel) if o.language == "ja")
        assert label in text
    division_text = page_text(out / "org/fukushima/somu-bu/koho-ka.html")
    assert "1-2" in division_text and "総務部" in division_text
    direction = page_text(out / "fukushima-ict/direction/1.html")
    in_direction = list(site_graph.subjects(P2R.direction, URIRef(BASE + "fukushima-ict/direction/1")))
    assert f"({len(in_direction)})" in direction
    programme = page_text(out / "fukushima-ict/programme/x-e422a47d31.html")
    assert "チャレンジふくしま戦略的情報発信事業" in programme and "推定" in programme
    theme = page_text(out / "theme/sns.html")
    assert "フェイスブック" in theme  # the matched text: why the measure has the theme


def test_the_ontology_page_documents_every_term(bundled_site) -> None:
    out, _ = bundled_site
    ontology = Graph().parse(ROOT / "ontology" / "plan2rdf.ttl", format="turtle")
    page = read_page(out / "ontology.html")
    text = page_text(out / "ontology.html")
    terms = {s for s in ontology.subjects() if isinstance(s, URIRef) and str(s).startswith(str(P2R))}
    assert len(terms) > 30
    for term in terms:
        assert str(term)[len(str(P2R)) :] in page.ids, term
        for label in ontology.objects(term, RDFS.label):
            assert str(label) in text, (term, label)


def test_the_vocabulary_page_shows_the_imi_alignment(bundled_site) -> None:
    """Rows worked out by hand from ontology/imi-alignment.ttl: our term, IMI term, match, comment, version."""
    out, _ = bundled_site
    page = (out / "ontology.html").read_text(encoding="utf-8")
    section = re.search(r'<section aria-labelledby="imi">(.*?)</section>', page, re.S)
    assert section
    rows = [
        [
            re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", td))).strip()
            for td in re.findall(r"<td>(.*?)</td>", tr, re.S)
        ]
        for tr in re.findall(r"<tr>(.*?)</tr>", section.group(1), re.S)
    ]
    by_term = {(r[0], r[1]): r for r in rows if r}
    assert len(by_term) == 15  # the file's 15 owl:Axiom mappings
    assert by_term["org:FormalOrganization", "ic:組織型"][2:] == [
        "skos:closeMatch",
        "発行者（県・市町村）は ic:組織型 にあたる。"
        "IMI は名称・ID を構造化したノードで記述する（ic:名称/ic:表記、ic:ID/ic:識別値）。 "
        "The publisher (a prefecture or municipality) is an ic:組織型; IMI gives its name and ID as structured nodes "
        "(ic:名称/ic:表記, ic:ID/ic:識別値).",
        "2.4.2",
    ]
    assert by_term["p2r:responsibleUnit", "ic:関与"][2] == "skos:broadMatch"
    target = by_term["p2r:Target", "ic:数量型"]
    assert target[2] == "skos:relatedMatch" and target[3].startswith(
        "目標項目は数値と単位を読み取れたとき ic:数量型 にあたる値を持つ"
    )
    assert (out / "imi-alignment.ttl").read_bytes() == (ROOT / "ontology" / "imi-alignment.ttl").read_bytes()


def test_downloads_have_true_sizes_and_checksums(bundled_site, site_graph) -> None:
    out, _ = bundled_site
    text = page_text(out / "downloads.html")
    files = [
        f"{PLAN}/fukushima-ict-2021.ttl",
        f"{PLAN}/fukushima-ict-2021.jsonld",
        f"{PLAN}/fukushima-ict-2021.nt",
        f"{PLAN}/fukushima-ict-2021-measures.csv",
        "ontology.ttl",
    ]
    for name in files:
        content = (out / name).read_bytes()
        assert hashlib.sha256(content).hexdigest() in text, name
        assert f"{len(content):,}" in text, name
    data = Graph().parse(out / f"{PLAN}/fukushima-ict-2021.nt", format="nt")
    assert isomorphic(data, graph_of(read_plan(bundled_plan())).graph)
    raw = (out / f"{PLAN}/fukushima-ict-2021-measures.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "a BOM, so that Excel on Japanese Windows opens it by double click"
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[0][:3] == ["識別子 identifier", "IRI iri", "施策名 title"]
    assert len(rows) == 1 + 128
    assert {r[1] for r in rows[1:]} == {str(m) for m in site_graph.subjects(RDF.type, P2R.Measure)}


def test_the_query_catalogue_shows_each_query_with_its_result(bundled_site) -> None:
    from plan2rdf.query import EngineMissing, load_oxigraph, oxigraph_engine, rdflib_engine, run
    from plan2rdf.query.catalogue import load_catalogue

    out, _ = bundled_site
    catalogue = load_catalogue(check=None)
    assert len(catalogue) > 0
    graph = graph_of(read_plan(bundled_plan())).graph
    try:  # as the site does: both engines give the same rows (tests/test_queries.py), oxigraph faster
        engine = oxigraph_engine(load_oxigraph(graph=graph))
    except EngineMissing:
        engine = rdflib_engine(graph)
    listing = page_text(out / "queries.html")
    for query in catalogue:
        assert query.title_ja in listing
        page = out / "queries" / f"{query.name}.html"
        source = page.read_text(encoding="utf-8")
        assert str(escape(query.body.strip())) in source
        rows = run(query, engine).rows
        assert f"{len(rows)} 行" in page_text(page)
        table = source.split('<table class="result">', 1)[1].split("</table>", 1)[0] if rows else ""
        assert table.count("<tr>") == (len(rows) + 1 if rows else 0)  # the header row and one per result


def test_the_heat_map_counts_match_the_canned_query(bundled_site) -> None:
    from plan2rdf.query import rdflib_engine, run
    from plan2rdf.query.catalogue import load_catalogue

    out, _ = bundled_site
    query = load_catalogue(check=None).get("department-direction-matrix")
    assert query is not None
    result = run(query, rdflib_engine(graph_of(read_plan(bundled_plan())).graph))
    expected = {}
    for row in result.rows:  # the matrix in long form: one row per department and direction
        values = dict(zip(result.columns, row, strict=True))
        expected[(str(values["department"]), str(values["notation"]))] = int(values["measures"])
    for page in (f"{PLAN}.html", "charts.html"):
        source = (out / page).read_text(encoding="utf-8")
        cells = re.findall(r'<rect class="cell"[^>]*data-count="(\d+)"><title>(.*?) × (\d) ', source)
        assert len(cells) == len(expected) == len(result.rows)
        assert {(html.unescape(d), n): int(c) for c, d, n in cells} == expected


# ---------------------------------------------------------------------------------------------
# content negotiation


def test_the_server_configurations_agree(bundled_site) -> None:
    out, _ = bundled_site
    htaccess = (out / ".htaccess").read_text(encoding="utf-8")
    nginx = (out / "nginx.conf").read_text(encoding="utf-8")
    assert "RewriteBase /plan2rdf/id/" in htaccess and "location /plan2rdf/id/ {" in nginx
    default, rules = nginx_rules(nginx)
    apache = re.findall(r"RewriteCond %\{HTTP_ACCEPT\} (!?)(\S+) \[NC\]", htaccess)
    # Apache's conditions are nginx's regexes: its positive ones in nginx's order (html, turtle,
    # json-ld), and the negated one is nginx's "ld+json listed before turtle" rule.
    positive = [r.pattern.pattern for r in rules if r.extension == "html" or r is rules[2] or r is rules[3]]
    assert [p for neg, p in apache if not neg] == positive
    assert [p for neg, p in apache if neg] == [rules[1].pattern.pattern]
    assert default == "html"


@pytest.mark.parametrize(
    ("accept", "extension"),
    [
        ("text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8", "html"),
        ("text/turtle", "ttl"),
        ("text/turtle;q=1.0, application/ld+json;q=0.5", "ttl"),
        ("application/ld+json", "jsonld"),
        ("application/ld+json, text/turtle;q=0.9", "jsonld"),
        ("text/turtle, text/html;q=0.5", "ttl"),
        ("text/html;q=1, text/turtle", "html"),
        ("TEXT/TURTLE", "ttl"),
        ("*/*", "html"),
        ("", "html"),
    ],
)
def test_negotiation_rules(bundled_site, accept: str, extension: str) -> None:
    out, _ = bundled_site
    default, rules = nginx_rules((out / "nginx.conf").read_text(encoding="utf-8"))
    assert next((r.extension for r in rules if r.pattern.search(accept)), default) == extension


def get(url: str, accept: str) -> tuple[int, str, str, str]:
    request = urllib.request.Request(url, headers={"Accept": accept})
    with urllib.request.urlopen(request, timeout=10) as response:
        body = response.read().decode("utf-8")
        return response.status, response.headers.get("Content-Type", ""), response.headers.get("Vary", ""), body


def test_iris_dereference_over_http_with_negotiation(tmp_path: Path) -> None:
    """The site built for a base IRI on a loopback server, served with the shipped nginx rules."""
    plan = read_plan(mini_plan(tmp_path))
    out = tmp_path / "site"
    out.mkdir()
    with serve(out, conneg=True) as server:
        pipeline.build_site(plan, out_dir=out, settings=pipeline.BuildSettings(base_iri=server.url))
        assert "RewriteBase /\n" in (out / ".htaccess").read_text(encoding="utf-8")
        iri = f"{server.url}mini-ict/2022/measure/1-1"
        status, media, vary, body = get(iri, "text/turtle")
        assert status == 200 and media.startswith("text/turtle") and vary == "Accept"
        assert (URIRef(iri), RDF.type, P2R.Measure) in Graph().parse(data=body, format="turtle")
        status, media, _, body = get(iri, "application/ld+json")
        assert media.startswith("application/ld+json")
        assert (URIRef(iri), RDF.type, P2R.Measure) in Graph().parse(data=body, format="json-ld")
        status, media, _, body = get(iri, "text/html,application/xhtml+xml,*/*;q=0.8")
        assert media.startswith("text/html") and "防災アプリ事業" in body
        status, media, _, body = get(server.url, "text/html")
        assert "ミニ市 ICT アクションプラン2022" in body
        assert server.failures() == []


NEGOTIATION = [
    ("text/turtle", "text/turtle"),
    ("application/ld+json", "application/ld+json"),
    ("application/ld+json, text/turtle;q=0.5", "application/ld+json"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html"),
    ("*/*", "text/html"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running(command: list[str], port: int, log: Path):
    """A server process of ours, until the block ends (stopped by its own pid)."""
    with log.open("wb") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 10
            while True:
                with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
                assert process.poll() is None, log.read_text(errors="replace")
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.05)
            yield
        finally:
            process.terminate()
            process.wait(10)


@contextlib.contextmanager
def readable_dir():
    """A directory a web server's worker user can read (pytest's tmp_path is private to us)."""
    folder = Path(tempfile.mkdtemp(prefix="plan2rdf-site-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        shutil.rmtree(folder)


def check_negotiation(base: str) -> None:
    iri = f"{base}mini-ict/2022/measure/1-1"
    for accept, media in NEGOTIATION:
        status, content_type, vary, body = get(iri, accept)
        assert status == 200 and content_type.startswith(media), (accept, content_type)
        assert "Accept" in vary
        if media != "text/html":
            graph = Graph().parse(data=body, format="turtle" if media == "text/turtle" else "json-ld")
            assert (URIRef(iri), RDF.type, P2R.Measure) in graph
    assert "ミニ市 ICT アクションプラン2022" in get(base, "text/html")[3]
    assert get(f"{base}mini-ict/2022/measure/1-1/indicator", "text/turtle")[1].startswith("text/turtle")
    assert get(f"{base}mini-ict/2022/mini-ict-2022.nt", "*/*")[1].startswith("application/n-triples")
    with pytest.raises(urllib.error.HTTPError) as missing:
        get(f"{base}mini-ict/2022/measure/9-9", "text/turtle")
    assert missing.value.code == 404


@pytest.mark.slow
def test_the_nginx_snippet_negotiates_on_a_real_nginx(tmp_path: Path) -> None:
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if nginx is None:
        pytest.skip("nginx is not installed (apt-get install nginx-light); the loopback server tests the same map")
    port = free_port()
    base = f"http://127.0.0.1:{port}/plan2rdf/id/"
    with readable_dir() as folder:
        pipeline.build_site(
            read_plan(mini_plan(tmp_path)), out_dir=folder / "site", settings=pipeline.BuildSettings(base_iri=base)
        )
        snippet = (folder / "site" / "nginx.conf").read_text(encoding="utf-8")
        snippet = snippet.replace("alias /var/www/plan2rdf-site/;", f"alias {folder}/site/;")
        head, location = snippet.split("\nlocation ", 1)
        temp = " ".join(f"{k}_temp_path {tmp_path};" for k in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        (tmp_path / "nginx.conf").write_text(
            f"daemon off; pid {tmp_path}/nginx.pid; error_log stderr; events {{}}\n"
            f"http {{ access_log off; {temp}\n{head}\nserver {{ listen 127.0.0.1:{port};\nlocation {location} }} }}\n",
            encoding="utf-8",
        )
        with running([nginx, "-c", str(tmp_path / "nginx.conf"), "-p", str(tmp_path)], port, tmp_path / "log"):
            check_negotiation(base)


@pytest.mark.slow
def test_the_htaccess_negotiates_on_a_real_apache(tmp_path: Path) -> None:
    apache = shutil.which("apache2") or ("/usr/sbin/apache2" if Path("/usr/sbin/apache2").exists() else None)
    modules = Path("/usr/lib/apache2/modules")
    if apache is None or not modules.is_dir():
        pytest.skip("apache2 is not installed (apt-get install apache2); the loopback server tests the same rules")
    port = free_port()
    base = f"http://127.0.0.1:{port}/plan2rdf/id/"
    with readable_dir() as folder:
        pipeline.build_site(
            read_plan(mini_plan(tmp_path)), out_dir=folder / "site", settings=pipeline.BuildSettings(base_iri=base)
        )
        (folder / "empty").mkdir()
        load = "\n".join(
            f"LoadModule {name}_module {modules}/mod_{name}.so"
            for name in ("mpm_event", "authz_core", "dir", "mime", "rewrite", "headers", "alias")
        )
        user = "User www-data\nGroup www-data\n" if os.geteuid() == 0 else ""
        (tmp_path / "httpd.conf").write_text(
            f"ServerRoot /etc/apache2\nPidFile {tmp_path}/httpd.pid\nListen 127.0.0.1:{port}\nServerName localhost\n"
            f"{load}\n{user}ErrorLog {tmp_path}/error.log\nTypesConfig /etc/mime.types\n"
            f"DocumentRoot {folder}/empty\nAlias /plan2rdf/id {folder}/site\n"
            f"<Directory {folder}/site>\n  AllowOverride All\n  Require all granted\n</Directory>\n",
            encoding="utf-8",
        )
        with running([apache, "-X", "-f", str(tmp_path / "httpd.conf")], port, tmp_path / "log"):
            check_negotiation(base)


# ---------------------------------------------------------------------------------------------
# escaping (without a browser; the browser test below checks what a reader sees)


def test_markup_in_the_data_is_escaped_everywhere(tmp_path: Path) -> None:
    plan = read_plan(special_plan(tmp_path))
    graph = graph_of(plan).graph
    measure = URIRef("https://w3id.org/plan2rdf/id/mini-ict/2022/measure/2-1")
    assert str(graph.value(measure, P2R.titleSourceText)) == TITLE
    graph.set((measure, DCTERMS.title, Literal(TITLE, lang="ja")))  # the clean name carries markup too
    files = render_site(graph, base_iri=BASE)
    for path, content in files.items():
        if path.endswith(".html"):
            text = content.decode("utf-8")
            assert "<script>alert" not in text and "<b>" not in text and "<img src=x" not in text, path
            assert "</script><!--" not in text, path
    page = files["mini-ict/2022/measure/2-1.html"].decode("utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;事業 &amp; &#34;A&#34; &lt;b&gt;" in page
    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1)
    titles = [n["title"]["ja"] for n in json.loads(script)["@graph"] if n.get("type") == "Measure"]
    assert titles == [TITLE]


# ---------------------------------------------------------------------------------------------
# packaging


@pytest.mark.slow
def test_the_wheel_ships_the_templates(tmp_path: Path, installed_wheel) -> None:
    wheel, target = installed_wheel
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {p.relative_to(ROOT / "src").as_posix() for p in (ROOT / "src/plan2rdf/site/templates").iterdir()}
    shipped |= {p.relative_to(ROOT / "src").as_posix() for p in (ROOT / "src/plan2rdf/site/static").iterdir()}
    assert shipped <= names, shipped - names
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); import plan2rdf; "
        "assert plan2rdf.__file__.startswith(sys.argv[1]); "
        "from plan2rdf.cli import main; main(['site', sys.argv[2], '--out', sys.argv[3]])"
    )
    out = tmp_path / "site"
    run = subprocess.run(
        [sys.executable, "-c", code, str(target), str(mini_plan(tmp_path)), str(out)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert run.returncode == 0, run.stderr
    assert (out / "mini-ict/2022/measure/1-1.html").is_file()


# ---------------------------------------------------------------------------------------------
# in a real browser


@pytest.fixture(scope="module")
def browser():
    with Browser(require_chromium()) as b:
        yield b


@pytest.mark.slow
def test_browser_loads_every_page_with_no_broken_link(bundled_site, browser) -> None:
    out, _ = bundled_site
    started = time.monotonic()
    with serve(out) as server:
        seen = crawl(browser, server.url + "index.html", prefix=server.url)
        pages = {p.relative_to(out).as_posix() for p in out.rglob("*.html")}
        loaded = {url[len(server.url) :] for url in seen.ids}
        assert loaded == pages  # every page is reachable from the home page
        files = set()
        for page, target in sorted(seen.links):
            address, _, fragment = target.partition("#")
            if not address.startswith(server.url):
                continue  # IRIs under the real base, and other sites: not ours to load here
            if address.endswith(".html"):
                assert not fragment or fragment in seen.ids[address], f"{page} → {target}"
            else:
                files.add(address)
        for address in sorted(files):  # RDF, CSV, SVG, CSS: fetched once each
            with urllib.request.urlopen(urllib.request.Request(address, method="HEAD"), timeout=10) as response:
                assert response.status == 200, address
        assert server.failures() == []  # nothing the browser or we asked for was missing
        assert seen.dialogs == []
        # the heat map is drawn on the edition's home: all its cells in the DOM, laid out, on top
        page = browser.page()
        page.goto(server.url + f"{PLAN}.html")
        drawn = page.evaluate(
            """(() => {
              const cells = Array.from(document.querySelectorAll('svg.heatmap rect.cell'));
              const shown = cells.filter(c => {
                const r = c.getBoundingClientRect();
                if (r.width < 10 || r.height < 10) return false;
                c.scrollIntoView({block: 'center'});
                const box = c.getBoundingClientRect();
                const hit = document.elementFromPoint(box.x + 3, box.y + 3);
                return hit === c;
              });
              return {cells: cells.length, shown: shown.length,
                      rows: document.querySelectorAll('svg.heatmap g.rows text').length,
                      columns: document.querySelectorAll('svg.heatmap g.columns text').length,
                      fills: new Set(cells.map(c => getComputedStyle(c).fill)).size};
            })()"""
        )
        assert drawn["cells"] == drawn["rows"] * drawn["columns"] > 0
        assert drawn["shown"] == drawn["cells"]
        assert drawn["fills"] > 2  # shaded by count, not one flat colour
        width = page.evaluate("document.querySelector('svg.heatmap').getBoundingClientRect().width")
        assert width > 0.9 * (page.evaluate("document.querySelector('main').clientWidth") - 32)  # the page's width
        page.evaluate("window.scrollTo(0, 0)")
        ARTIFACTS.mkdir(exist_ok=True)
        png = page.screenshot(ARTIFACTS / "site-edition.png")
        assert png.startswith(b"\x89PNG") and len(png) > 20_000
        page.goto(server.url + "index.html")
        page.screenshot(ARTIFACTS / "site-home.png")
        page.goto(server.url + "charts.html")
        page.screenshot(ARTIFACTS / "site-charts.png")
    print(f"browser crawl: {len(seen.ids)} pages, {len(seen.links)} links in {time.monotonic() - started:.1f} s")


@pytest.mark.slow
def test_browser_shows_special_characters_as_text(tmp_path: Path, browser) -> None:
    plan = read_plan(special_plan(tmp_path))
    graph = graph_of(plan).graph
    measure = URIRef(f"{BASE}mini-ict/2022/measure/2-1")
    graph.set((measure, DCTERMS.title, Literal(TITLE, lang="ja")))
    out = tmp_path / "site"
    build_site(graph, out_dir=out, base_iri=BASE)
    with serve(out) as server:
        page = browser.page()
        page.goto(server.url + "mini-ict/2022/measure/2-1.html")
        seen = page.evaluate(
            """(() => ({
              h1: document.querySelector('h1').textContent,
              title: document.title,
              body: document.body.textContent,
              scripts: Array.from(document.scripts, s => s.type),
              injected: document.querySelectorAll(
                'main b, main img, body script:not([type="application/ld+json"])').length,
              jsonld: JSON.parse(document.querySelector('script[type="application/ld+json"]').textContent),
              pwned: typeof window.alert === 'function' && window.__pwned === undefined
            }))()"""
        )
        assert TITLE in seen["h1"]
        assert seen["title"].startswith(TITLE)
        assert seen["scripts"] == ["application/ld+json"]
        assert seen["injected"] == 0
        titles = [n["title"]["ja"] for n in seen["jsonld"]["@graph"] if n.get("type") == "Measure"]
        assert titles == [TITLE]
        page.goto(server.url + "mini-ict/2022/measure/2-3.html")
        summary = page.evaluate("document.querySelector('main').textContent")
        assert '<img src=x onerror="alert(2)">' in summary and "</script><!--" in summary
        assert page.evaluate("document.querySelectorAll('main img').length") == 0
        assert page.dialogs() == []  # no alert() ran
        assert server.failures() == []


@pytest.mark.slow
def test_browser_follows_iris_through_negotiation(tmp_path: Path, browser) -> None:
    """With the site hosted at its base IRI, the IRIs shown on pages are links that work."""
    plan = read_plan(mini_plan(tmp_path))
    out = tmp_path / "site"
    out.mkdir()
    with serve(out, conneg=True) as server:
        pipeline.build_site(plan, out_dir=out, settings=pipeline.BuildSettings(base_iri=server.url))
        seen = crawl(browser, server.url, prefix=server.url)
        iris = [url for url in seen.ids if not url.endswith((".html", "/"))]
        assert f"{server.url}mini-ict/2022/measure/1-1" in iris
        assert server.failures() == []
        page = browser.page()
        page.goto(f"{server.url}mini-ict/2022/measure/1-1")
        assert "防災アプリ事業" in page.evaluate("document.querySelector('h1').textContent")
