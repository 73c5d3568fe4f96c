"""Remote queries see what was published: `plan2rdf query … --endpoint URL --graph IRI` against a real
Oxigraph server on loopback gives the rows the same query gives locally."""

from __future__ import annotations

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
    assert result.stdout.splitlines()[0] == "edition,theme,departments,department,measures"
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
