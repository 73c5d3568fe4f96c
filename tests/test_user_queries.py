"""Users' own SPARQL: the project's prefixes need no declaration on any engine (local or remote), and a
syntax error is one readable line with the query's own line and column (issue 18, item 5)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

import servers
from plan2rdf.cli import main

oxigraph_server = servers.oxigraph_server

# The reposts of the bundled plan (tests/queries/reposts.csv: 3-3 of 1-6, 5-15 of 4-2), asked
# without PREFIX declarations; xsd: and rdfs: too.
NO_PREFIXES = """# which entries are reposts, and of what?
SELECT ?identifier ?original WHERE {
  ?m p2r:repostOf ?o ; dcterms:identifier ?identifier .
  ?o a p2r:Measure ; dcterms:identifier ?original .
  FILTER (datatype(?identifier) = xsd:string && !isLiteral(rdfs:label))
}
ORDER BY ?identifier
"""


def run(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_the_projects_prefixes_need_no_declaration(tmp_path: Path, engine: str) -> None:
    path = tmp_path / "mine.rq"
    path.write_text(NO_PREFIXES, encoding="utf-8")
    result = run("query", str(path), "--engine", engine, "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["identifier,original", "3-3,1-6", "5-15,4-2"]


def test_a_declared_prefix_is_the_users_own(tmp_path: Path) -> None:
    """A query that declares p2r: otherwise (here: wrongly) keeps its own declaration."""
    path = tmp_path / "own.rq"
    path.write_text("PREFIX p2r: <https://example.org/other#>\n" + NO_PREFIXES, encoding="utf-8")
    result = run("query", str(path), "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["identifier,original"]


BROKEN = {
    # (text, line, column): worked out from the text; the column is where rdflib's parser stops
    "unknown-prefix": ("SELECT ?m WHERE {\n  ?m a foo:Bar .\n}\nORDER BY ?m\n", 2, 8),
    "missing-value": ("SELECT ?m WHERE {\n  ?m a p2r:Measure\n  FILTER (?m = )\n}\n", 3, 3),
    "first-line": ("SELECT ?m WHERE { ?m a p2r:Measure FILTER (?m = ) }\n", 1, 36),
}


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_syntax_error_is_one_line_with_the_users_line_and_column(tmp_path: Path, engine: str, case: str) -> None:
    text, line, column = BROKEN[case]
    path = tmp_path / f"{case}.rq"
    path.write_text(text, encoding="utf-8")
    result = run("query", str(path), "--engine", engine)
    assert result.exit_code == 2
    [error, summary] = result.stderr.splitlines()
    assert error.startswith(f"{path}:{line}:{column}: error: SPARQL syntax error: "), error
    assert summary == "plan2rdf: 1 error; nothing was written"
    assert "PREFIX p2r:" not in error  # the declarations plan2rdf adds are not the user's text
    assert len(error) < 400
    if case == "unknown-prefix":
        assert "undeclared prefix foo:" in error and "PREFIX foo:" in error


def test_remote_queries_need_no_prefixes_either(oxigraph_server: str, tmp_path: Path) -> None:
    build = run("build", "--out", str(tmp_path / "out"))
    assert build.exit_code == 0, build.output
    [nt] = [p for p in (tmp_path / "out").glob("*.nt") if ".meta." not in p.name]
    published = run("publish", str(nt), "--endpoint", oxigraph_server, "--graph", "https://example.org/g")
    assert published.exit_code == 0, published.output
    path = tmp_path / "mine.rq"
    # Oxigraph's default graph is its own: the remote query names the graph
    path.write_text(re.sub(r"WHERE \{", "FROM <https://example.org/g> WHERE {", NO_PREFIXES, count=1))
    result = run("query", str(path), "--endpoint", oxigraph_server, "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["identifier,original", "3-3,1-6", "5-15,4-2"]
