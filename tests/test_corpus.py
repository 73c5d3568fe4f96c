"""Corpus builds: many plans, one dataset; per-plan graphs equal the single-plan builds."""

from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, PROV, RDF

from plan2rdf.cli import main
from plan2rdf.resources import bundled_plan
from test_diff import next_edition

BASE = "https://w3id.org/plan2rdf/id/"
DATA = Path(__file__).parents[1] / "data" / "fukushima"


def two_editions(folder: Path) -> Path:
    """``folder`` with two editions: the bundled 2021 plan and a 2022 edition made from it by hand edits."""
    for suffix in (".txt", ".toml"):
        (folder / f"ict-action-plan-2021{suffix}").write_bytes(bundled_plan().with_suffix(suffix).read_bytes())
    next_edition(folder)
    return folder


@pytest.fixture(scope="module")
def editions(tmp_path_factory) -> Path:
    return two_editions(tmp_path_factory.mktemp("editions"))


@pytest.fixture(scope="module")
def corpus(editions, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("corpus")
    result = CliRunner().invoke(main, ["build", str(editions), "--out", str(out), "--jobs", "2"])
    assert result.exit_code == 0, result.output
    return out


def single(source: Path, out: Path) -> Graph:
    result = CliRunner().invoke(main, ["build", str(source), "--out", str(out)])
    assert result.exit_code == 0, result.output
    [ttl] = [p for p in out.glob("*.ttl") if not p.name.endswith(".meta.ttl")]
    return Graph().parse(ttl, format="turtle")


def plan_scoped(graph: Graph, plan: str) -> Graph:
    part = Graph()
    for s, p, o in graph:
        if str(s) == plan or str(s).startswith(plan + "/"):
            part.add((s, p, o))
    return part


def test_outputs(corpus) -> None:
    assert sorted(p.name for p in corpus.iterdir()) == ["catalog.ttl", "corpus.nq", "corpus.trig"]


def test_trig_and_nquads_hold_the_same_dataset(corpus) -> None:
    trig = Dataset()
    trig.parse(corpus / "corpus.trig", format="trig")
    nq = Dataset()
    nq.parse(corpus / "corpus.nq", format="nquads")
    names = {g.identifier for g in trig.graphs() if len(g)}
    assert names == {g.identifier for g in nq.graphs() if len(g)}
    expected = ("fukushima-ict/2021/graph", "fukushima-ict/2022/graph", "shared", "links")
    assert {URIRef(BASE + n) for n in expected} <= names
    for name in names:
        assert isomorphic(trig.graph(name), nq.graph(name)), name


def test_each_plan_graph_is_its_single_build(corpus, editions, tmp_path) -> None:
    dataset = Dataset()
    dataset.parse(corpus / "corpus.nq", format="nquads")
    shared = dataset.graph(URIRef(BASE + "shared"))
    union_of_shared = Graph()
    for year, source in (("2021", "ict-action-plan-2021.txt"), ("2022", "ict-action-plan-2022.csv")):
        plan = BASE + f"fukushima-ict/{year}"
        alone = single(editions / source, tmp_path / year)
        own = plan_scoped(alone, plan)
        assert isomorphic(own, dataset.graph(URIRef(plan + "/graph"))), year
        for triple in alone:
            if triple not in own:
                assert triple in shared, triple
                union_of_shared.add(triple)
    assert isomorphic(union_of_shared, shared)


def test_shared_resources_are_written_once(corpus) -> None:
    text = (corpus / "corpus.nq").read_text(encoding="utf-8")
    prefecture = f'<{BASE}org/fukushima> <http://www.w3.org/2004/02/skos/core#prefLabel> "福島県"@ja'
    assert text.count(prefecture) == 1


def test_editions_are_linked(corpus) -> None:
    dataset = Dataset()
    dataset.parse(corpus / "corpus.nq", format="nquads")
    links = dataset.graph(URIRef(BASE + "links"))

    def m(year: str, identifier: str) -> URIRef:
        return URIRef(f"{BASE}fukushima-ict/{year}/measure/{identifier}")

    # the hand edits of test_diff.next_edition: 1-1 dropped, so 1-2 became 1-1; 4-4 moved to 3-27;
    # 2-6 renamed; a new 5-40
    assert (m("2022", "1-1"), PROV.wasRevisionOf, m("2021", "1-2")) in links
    assert (m("2022", "3-27"), PROV.wasRevisionOf, m("2021", "4-4")) in links
    assert (m("2022", "2-6"), PROV.wasRevisionOf, m("2021", "2-6")) in links
    assert not list(links.triples((m("2022", "5-40"), None, None)))
    assert not list(links.triples((None, None, m("2021", "1-1"))))
    # reposts are not linked; 125 entries continue
    assert len(links) == 125


def test_catalog_describes_every_plan_in_its_series(corpus) -> None:
    catalog = Graph().parse(corpus / "catalog.ttl", format="turtle")
    series = URIRef(BASE + "fukushima-ict/editions")
    datasets = set(catalog.subjects(URIRef("http://www.w3.org/ns/dcat#inSeries"), series))
    assert datasets == {URIRef(BASE + f"fukushima-ict/{y}/dataset") for y in ("2021", "2022")}
    corpus_dataset = URIRef(BASE + "corpus")
    distributions = set(catalog.objects(corpus_dataset, DCAT.distribution))
    assert len(distributions) == 2
    assert (URIRef(BASE + "catalog"), RDF.type, DCAT.Catalog) in catalog


def test_a_corpus_build_is_reproducible_and_independent_of_jobs(corpus, editions, tmp_path) -> None:
    result = CliRunner().invoke(main, ["build", str(editions), "--out", str(tmp_path), "--jobs", "1", "--quiet"])
    assert result.exit_code == 0, result.output
    for name in ("corpus.nq", "corpus.trig", "catalog.ttl"):
        assert (tmp_path / name).read_bytes() == (corpus / name).read_bytes(), name


def test_one_edition_in_two_forms_is_read_once(tmp_path) -> None:
    for suffix in (".txt", ".csv", ".toml"):
        (tmp_path / f"ict-action-plan-2021{suffix}").write_bytes((DATA / f"ict-action-plan-2021{suffix}").read_bytes())
    result = CliRunner().invoke(main, ["build", str(tmp_path), "--out", str(tmp_path / "out"), "--corpus"])
    assert result.exit_code == 0, result.output
    assert "1 plans, 128 measures" in result.stdout


def test_the_same_edition_twice_is_an_error(tmp_path) -> None:
    for name in ("a", "b"):
        for suffix in (".txt", ".toml"):
            (tmp_path / f"{name}{suffix}").write_bytes((DATA / f"ict-action-plan-2021{suffix}").read_bytes())
    result = CliRunner().invoke(main, ["build", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "--out", "o"])
    assert result.exit_code == 2
    assert "b.txt: error: plan fukushima-ict/2021 is also built from" in result.stderr


def test_every_bad_source_is_reported_and_nothing_is_written(editions, tmp_path) -> None:
    (tmp_path / "broken.txt").write_text("", encoding="utf-8")
    (tmp_path / "also-broken.csv").write_text("a,b\n", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(editions), str(tmp_path / "*broken*"), "--out", str(out)])
    assert result.exit_code == 2
    assert "broken.txt: error: the file is empty" in result.stderr
    assert "also-broken.csv:1: error: missing columns" in result.stderr
    assert not out.exists() or not any(out.iterdir())


def test_a_glob_that_matches_nothing_is_an_error(tmp_path) -> None:
    result = CliRunner().invoke(main, ["build", str(tmp_path / "*.txt"), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "the pattern matches no file" in result.stderr


def test_no_progress_bar_when_not_a_terminal_and_quiet_means_quiet(editions, tmp_path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["build", str(editions), "--out", str(tmp_path / "a"), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    assert "building" not in result.stderr  # CliRunner's stderr is no terminal
    assert "2 plans, 256 measures" in result.stdout
    quiet = runner.invoke(main, ["build", str(editions), "--out", str(tmp_path / "b"), "--jobs", "1", "--quiet"])
    assert quiet.exit_code == 0
    assert quiet.stdout == ""
