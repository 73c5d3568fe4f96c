"""Remote queries see what was published: `plan2rdf query … --endpoint URL --graph IRI` against a real
Oxigraph server on loopback gives the rows the same query gives locally."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import servers
from plan2rdf.cli import main

ROOT = Path(__file__).parents[1]
QUERY_NAMES = sorted(p.stem.split("-", 1)[1] for p in (ROOT / "sparql").glob("*.rq"))
GRAPH = "https://example.jp/g/2022"  # the README's example


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> str:
    """An Oxigraph server holding the bundled plan in the named graph GRAPH only."""
    with servers.running_oxigraph(tmp_path_factory.mktemp("oxigraph") / "data") as server:
        result = CliRunner().invoke(main, ["publish", "--endpoint", server.url, "--graph", GRAPH])
        assert result.exit_code == 0, result.output
        yield server.url


def rows(*args: str) -> list[dict]:
    result = CliRunner().invoke(main, ["query", *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["results"]["bindings"]


@pytest.mark.parametrize("name", QUERY_NAMES)
def test_every_canned_query_with_graph_gives_the_local_rows(name: str, published: str) -> None:
    local = rows(name)
    assert local, f"{name} answers nothing locally"
    assert rows(name, "--endpoint", published, "--graph", GRAPH) == local


def test_the_readme_sequence(published: str) -> None:
    """README: publish … --graph https://example.jp/g/2022, then query themes-by-department with --graph."""
    result = CliRunner().invoke(
        main, ["query", "themes-by-department", "--endpoint", published, "--graph", GRAPH, "--format", "csv"]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "edition,plan,theme,departments,department,measures"
    assert len(result.stdout.splitlines()) == 1 + 73
    assert "hint" not in result.stderr


def test_no_rows_from_the_default_graph_prints_a_hint_naming_graph(published: str) -> None:
    result = CliRunner().invoke(main, ["query", "reposts", "--endpoint", published])
    assert result.exit_code == 0, result.output
    assert "(0 rows)" in result.stdout
    assert "plan2rdf: hint: no rows from the store's default graph, but it holds named graphs" in result.stderr
    assert f"<{GRAPH}>" in result.stderr and "--graph IRI" in result.stderr


def test_a_wrong_graph_hint_lists_the_graphs_there_are(published: str) -> None:
    result = CliRunner().invoke(main, ["query", "reposts", "--endpoint", published, "--graph", GRAPH + "-typo"])
    assert result.exit_code == 0, result.output
    assert f"the store also holds <{GRAPH}>: check the --graph IRIs" in result.stderr


def test_graph_without_endpoint_is_a_usage_error() -> None:
    result = CliRunner().invoke(main, ["query", "reposts", "--graph", GRAPH])
    assert result.exit_code == 2
    assert "give --endpoint URL too" in result.output


@functools.cache
def bundled_triples() -> int:
    from plan2rdf import pipeline

    return len(pipeline.bundled_graph())


@pytest.fixture
def union_server(tmp_path: Path):
    """An Oxigraph server started with --union-default-graph (through a wrapper that adds the flag)."""
    binary = servers.oxigraph_binary()
    if binary is None:
        with servers.running_oxigraph(tmp_path / "data"):  # skips (or fails in CI) with the reason
            pass
    wrapper = tmp_path / "oxigraph-union"
    wrapper.write_text(f'#!/bin/sh\nexec "{binary}" "$@" --union-default-graph\n', encoding="utf-8")
    wrapper.chmod(0o755)
    server = servers.OxigraphServer(tmp_path / "data", str(wrapper))
    server.start()
    try:
        yield server.url
    finally:
        server.stop()


def test_the_count_check_explains_a_union_default_graph(union_server: str, tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["publish", "--endpoint", union_server, "--graph", GRAPH]).exit_code == 0
    result = runner.invoke(main, ["publish", "--endpoint", union_server])
    triples = bundled_triples()
    assert result.exit_code == 0, result.output
    assert f"{triples} triples sent in 1 chunk(s), {2 * triples} in the graph" in result.stdout
    assert f"the default graph answered {2 * triples} triples, the store's named graphs {triples} of them" in (
        result.stderr
    )
    assert "union of all graphs" in result.stderr and "--union-default-graph" in result.stderr


def test_a_count_that_nothing_explains_says_what_it_saw(oxigraph_server: str) -> None:
    """A server that drops triples: the count check fails (exit 2) and says what it counted."""
    with servers.scripted_server(_drop_the_count_by_one, upstream=oxigraph_server) as proxy:
        result = CliRunner().invoke(main, ["publish", "--endpoint", proxy.url, "--layout", "oxigraph"])
    assert result.exit_code == 2
    triples = bundled_triples()
    seen = f"plan2rdf: error: the server counts {triples - 1} triples in the default graph where {triples} were sent"
    assert seen in result.stderr
    assert "--graph IRI" in result.stderr


def _drop_the_count_by_one(request: servers.Seen, number: int) -> servers.Reply | None:
    from urllib.parse import parse_qs

    form = parse_qs(request.body.decode()) if request.method == "POST" else {}
    text = form.get("query", [""])[0]
    if "COUNT(*)" not in text or "GRAPH" in text or "GROUP BY" in text:  # the plain counts only
        return None
    answer = bundled_triples() - 1 if number > 2 else 0  # the count before is 0; every count after is one short
    body = json.dumps(
        {
            "head": {"vars": ["n"]},
            "results": {
                "bindings": [
                    {
                        "n": {
                            "type": "literal",
                            "value": str(answer),
                            "datatype": "http://www.w3.org/2001/XMLSchema#integer",
                        }
                    }
                ]
            },
        }
    )
    return servers.Reply(200, body.encode(), {"Content-Type": "application/sparql-results+json"})


oxigraph_server = servers.oxigraph_server


# --- a corpus of two editions, published graph by graph ---------------------------------------------

BASE = "https://w3id.org/plan2rdf/id/"
CORPUS_GRAPHS = [BASE + g for g in ("fukushima-ict/2021/graph", "fukushima-ict/2022/graph", "shared", "links")]


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory) -> Path:
    from plan2rdf.resources import bundled_plan
    from test_diff import next_edition

    sources = tmp_path_factory.mktemp("editions")
    for suffix in (".txt", ".toml"):
        (sources / f"ict-action-plan-2021{suffix}").write_bytes(bundled_plan().with_suffix(suffix).read_bytes())
    next_edition(sources)
    out = tmp_path_factory.mktemp("corpus")
    result = CliRunner().invoke(main, ["build", str(sources), "--out", str(out), "--jobs", "1", "--quiet"])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def published_corpus(corpus_dir, tmp_path_factory) -> tuple[str, str]:
    with servers.running_oxigraph(tmp_path_factory.mktemp("oxigraph") / "data") as server:
        result = CliRunner().invoke(main, ["publish", str(corpus_dir), "--endpoint", server.url])
        assert result.exit_code == 0, result.output
        yield server.url, result.stdout


def graph_sizes(path: Path) -> dict[str, int]:
    from rdflib import Dataset

    dataset = Dataset()
    dataset.parse(path, format="nquads" if path.suffix == ".nq" else "turtle")
    return {str(g.identifier): len(g) for g in dataset.graphs() if len(g)}


def test_a_corpus_directory_sends_each_graph_to_its_own_graph(published_corpus, corpus_dir) -> None:
    url, output = published_corpus
    sizes = graph_sizes(corpus_dir / "corpus.nq")
    assert sorted(sizes) == sorted(CORPUS_GRAPHS)
    from rdflib import Graph

    sizes[BASE + "catalog"] = len(Graph().parse(corpus_dir / "catalog.ttl"))  # the metadata: a graph of its own
    lines = output.splitlines()
    assert len(lines) == 5
    for graph, size in sizes.items():
        assert f"replaced <{graph}>: {size} triples sent in 1 chunk(s), {size} in the graph" in output
        assert count(url, graph) == size
    assert count(url) == 0  # nothing in the default graph


@pytest.mark.parametrize("name", QUERY_NAMES)
def test_every_canned_query_on_the_published_corpus_gives_the_local_rows(name, published_corpus, corpus_dir) -> None:
    url, _ = published_corpus
    local = rows(name, "--data", str(corpus_dir / "corpus.nq"))
    assert {row["edition"]["value"] for row in local} == {"2021", "2022"}
    graphs = [arg for graph in CORPUS_GRAPHS for arg in ("--graph", graph)]
    assert rows(name, "--endpoint", url, *graphs) == local


def test_a_single_build_directory_puts_its_metadata_beside_the_data(oxigraph_server, tmp_path) -> None:
    from rdflib import Graph

    out = tmp_path / "out"
    assert CliRunner().invoke(main, ["build", "--out", str(out)]).exit_code == 0
    result = CliRunner().invoke(main, ["publish", str(out), "--endpoint", oxigraph_server, "--graph", GRAPH])
    assert result.exit_code == 0, result.output
    [data] = out.glob("*.nt")
    [meta] = out.glob("*.meta.ttl")
    assert count(oxigraph_server, GRAPH) == len(data.read_text(encoding="utf-8").splitlines())
    described = BASE + "fukushima-ict/2021/dataset"
    assert count(oxigraph_server, described) == len(Graph().parse(meta))
    assert f"replaced <{described}>" in result.stdout
    other = "https://example.jp/g/meta"
    result = CliRunner().invoke(
        main, ["publish", str(out), "--endpoint", oxigraph_server, "--graph", GRAPH, "--meta-graph", other]
    )
    assert result.exit_code == 0, result.output
    assert count(oxigraph_server, other) == len(Graph().parse(meta))


def test_graph_with_a_corpus_is_refused_before_any_upload(corpus_dir) -> None:
    url = f"http://127.0.0.1:{servers.free_port()}"  # nothing listens: the refusal comes first
    result = CliRunner().invoke(main, ["publish", str(corpus_dir / "corpus.nq"), "--endpoint", url, "--graph", GRAPH])
    assert result.exit_code == 2
    assert "would receive nothing: every triple of the input is in a named graph of its own" in result.stderr
    assert "leave out --graph" in result.stderr


def test_a_directory_that_is_no_build_is_bad_input(tmp_path) -> None:
    url = f"http://127.0.0.1:{servers.free_port()}"
    result = CliRunner().invoke(main, ["publish", str(tmp_path), "--endpoint", url])
    assert result.exit_code == 2
    assert "not a build's output directory (no corpus.nq, corpus.trig or .nt file)" in result.stderr


def count(url: str, graph: str | None = None) -> int:
    from plan2rdf.publish import Endpoint, query

    where = f"GRAPH <{graph}> {{ ?s ?p ?o }}" if graph else "?s ?p ?o"
    _, found = query(Endpoint.from_url(url), f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}")
    return int(found[0][0])
