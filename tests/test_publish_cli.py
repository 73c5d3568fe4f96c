"""`plan2rdf publish` against a real Oxigraph server on loopback."""

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

import servers
from plan2rdf.cli import main
from plan2rdf.publish import ACCEPTED_FORMATS, NAMED_GRAPH_FORMATS, REFUSED_FORMATS, TRIPLE_FORMATS, Endpoint, query

oxigraph_server = servers.oxigraph_server
MINI = Path(__file__).parent / "fixtures" / "mini"


def count(url: str, graph: str | None = None) -> int:
    where = f"GRAPH <{graph}> {{ ?s ?p ?o }}" if graph else "?s ?p ?o"
    _, rows = query(Endpoint.from_url(url), f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}")
    return int(rows[0][0])


def built(tmp_path: Path, source: Path | None = None) -> Path:
    args = ["build", "--out", str(tmp_path)] + ([str(source)] if source else [])
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    return next(p for p in tmp_path.glob("*.nt"))


def test_publish_the_bundled_plan_without_files(oxigraph_server, tmp_path) -> None:
    graph = "https://example.org/g/fukushima-2021"
    result = CliRunner().invoke(main, ["publish", "--endpoint", oxigraph_server, "--graph", graph])
    assert result.exit_code == 0, result.output
    expected = len(built(tmp_path).read_text(encoding="utf-8").splitlines())
    assert count(oxigraph_server, graph) == expected
    assert f"{expected} triples sent" in result.stdout and f"{expected} in the graph" in result.stdout


def test_replace_twice_leaves_one_copy_and_append_keeps_both(oxigraph_server, tmp_path) -> None:
    fukushima = built(tmp_path / "a")
    mini = built(tmp_path / "b", MINI / "plan.txt")
    graph = "https://example.org/g/plans"
    runner = CliRunner()
    for _ in range(2):
        assert (
            runner.invoke(main, ["publish", str(fukushima), "--endpoint", oxigraph_server, "--graph", graph]).exit_code
            == 0
        )
    n_fukushima = len(fukushima.read_text(encoding="utf-8").splitlines())
    assert count(oxigraph_server, graph) == n_fukushima
    result = runner.invoke(main, ["publish", str(mini), "--endpoint", oxigraph_server, "--graph", graph, "--append"])
    assert result.exit_code == 0, result.output
    both = set(fukushima.read_text(encoding="utf-8").splitlines()) | set(mini.read_text(encoding="utf-8").splitlines())
    assert count(oxigraph_server, graph) == len(both)


def test_server_down_is_a_clear_error(tmp_path) -> None:
    url = f"http://127.0.0.1:{servers.free_port()}"
    result = CliRunner().invoke(main, ["publish", "--endpoint", url, "--timeout", "2"])
    assert result.exit_code == 2
    assert "plan2rdf: error:" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("graph", "message"),
    [
        ("plans-2021", "must be an absolute IRI (with a scheme"),
        # "https://example.org/g/" is 22 characters: the bad escape is the 23rd
        ("https://example.org/g/%zz", "holds a '%' not followed by two hex digits (at 23)"),
    ],
)
def test_a_graph_that_is_no_iri_is_refused_before_any_request(tmp_path, graph, message) -> None:
    url = f"http://127.0.0.1:{servers.free_port()}"  # nothing listens: a request would fail otherwise
    result = CliRunner().invoke(main, ["publish", "--endpoint", url, "--graph", graph, "--timeout", "2"])
    assert result.exit_code == 2, result.output
    assert f"{graph!r} {message}" in result.stderr
    assert "a graph IRI looks like https://example.org/graph/plan-2021" in result.stderr
    assert "Traceback" not in result.output


def test_credentials_in_the_url_never_appear(tmp_path) -> None:
    url = f"http://alice:s3cret@127.0.0.1:{servers.free_port()}"
    result = CliRunner().invoke(main, ["publish", "--endpoint", url, "--timeout", "2"])
    assert result.exit_code == 2
    assert "s3cret" not in result.output and "alice" not in result.output


def test_unreadable_file_is_bad_input(oxigraph_server, tmp_path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> .\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["publish", str(bad), "--endpoint", oxigraph_server])
    assert result.exit_code == 2
    assert "bad.ttl" in result.stderr


def test_every_canned_query_returns_the_same_rows_remotely(oxigraph_server, tmp_path) -> None:
    from plan2rdf.pipeline import bundled_graph
    from plan2rdf.query import load_catalogue, rdflib_engine, remote_engine, run

    nt = built(tmp_path)
    runner = CliRunner()
    assert runner.invoke(main, ["publish", str(nt), "--endpoint", oxigraph_server]).exit_code == 0
    local = rdflib_engine(bundled_graph())
    remote = remote_engine(Endpoint.from_url(oxigraph_server))
    catalogue = load_catalogue(check=None)
    names = [q.name for q in catalogue]
    assert len(names) >= 14
    for canned in catalogue:
        here, there = run(canned, local), run(canned, remote)
        assert there.columns == here.columns, canned.name
        assert there.rows == here.rows, canned.name
    # and through the command line, with a parameter
    result = runner.invoke(
        main,
        ["query", "measures-of-unit", "--param", "unit=危機管理課", "--endpoint", oxigraph_server, "--format", "csv"],
    )
    assert result.exit_code == 0, result.output
    assert "2-1" in result.stdout and "2-4" in result.stdout


def test_query_on_a_server_that_is_down(tmp_path) -> None:
    url = f"http://127.0.0.1:{servers.free_port()}"
    result = CliRunner().invoke(main, ["query", "reposts", "--endpoint", url, "--timeout", "2"])
    assert result.exit_code == 2
    assert "cannot connect to 127.0.0.1" in result.stderr
    assert "Traceback" not in result.output


# One triple, <http://example.org/s> <http://example.org/p> "o", in each syntax publish accepts.
ONE_TRIPLE = {
    "N-Triples": '<http://example.org/s> <http://example.org/p> "o" .\n',
    "Turtle": '@prefix ex: <http://example.org/> .\nex:s ex:p "o" .\n',
    "N3": '@prefix ex: <http://example.org/> .\nex:s ex:p "o" .\n',
    "RDF/XML": (
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">'
        '<rdf:Description rdf:about="http://example.org/s"><ex:p>o</ex:p></rdf:Description></rdf:RDF>\n'
    ),
    "JSON-LD": '{"@id": "http://example.org/s", "http://example.org/p": "o"}\n',
}


def test_publish_help_names_exactly_the_formats_publish_accepts() -> None:
    """The FILES sentence of `publish --help` is the accepted list, and says where named graphs go."""
    result = CliRunner().invoke(main, ["publish", "--help"], terminal_width=1000, max_content_width=1000)
    assert result.exit_code == 0, result.output
    sentence = re.search(r"FILES are (.+?) files", result.output)
    assert sentence is not None, result.output
    named = set(re.split(r", | or ", sentence.group(1)))
    assert named == {"N-Triples", "Turtle", "N3", "RDF/XML", "JSON-LD", "N-Quads", "TriG"}
    assert named == {f.label for f in ACCEPTED_FORMATS}
    assert not REFUSED_FORMATS
    graphs = re.search(r"each named graph of (.+?) \(a corpus", result.output)
    assert graphs is not None and set(graphs.group(1).split(" and ")) == {f.label for f in NAMED_GRAPH_FORMATS}


def test_every_accepted_suffix_publishes(oxigraph_server, tmp_path) -> None:
    assert set(ONE_TRIPLE) == {f.label for f in TRIPLE_FORMATS}
    runner = CliRunner()
    for number, (fmt, suffix) in enumerate((f, s) for f in TRIPLE_FORMATS for s in f.suffixes):
        source = tmp_path / f"one{suffix}"
        source.write_text(ONE_TRIPLE[fmt.label], encoding="utf-8")
        graph = f"https://example.org/g/format-{number}"
        result = runner.invoke(main, ["publish", str(source), "--endpoint", oxigraph_server, "--graph", graph])
        assert result.exit_code == 0, (suffix, result.output)
        assert "1 triples sent" in result.stdout and "1 in the graph" in result.stdout, suffix
        _, rows = query(
            Endpoint.from_url(oxigraph_server), f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
        )
        assert [tuple(str(t) for t in row) for row in rows] == [("http://example.org/s", "http://example.org/p", "o")]


def test_each_named_graph_goes_to_its_own_graph(oxigraph_server, tmp_path) -> None:
    """N-Quads and TriG: every suffix; the named graph keeps its name, --graph takes the other triples."""
    endpoint = Endpoint.from_url(oxigraph_server)
    for number, suffix in enumerate(s for f in NAMED_GRAPH_FORMATS for s in f.suffixes):
        named, default = f"http://example.org/g/{number}", f"https://example.org/target/{number}"
        source = tmp_path / f"graphs{suffix}"
        s_p = "<http://example.org/s> <http://example.org/p>"
        if suffix == ".trig":
            text = f'<{named}> {{ {s_p} "o" }}\n{s_p} "d" .\n'
        else:
            text = f'{s_p} "o" <{named}> .\n{s_p} "d" .\n'
        source.write_text(text, encoding="utf-8")
        result = CliRunner().invoke(main, ["publish", str(source), "--endpoint", oxigraph_server, "--graph", default])
        assert result.exit_code == 0, (suffix, result.output)
        assert f"replaced <{named}>: 1 triples sent" in result.stdout
        assert f"replaced <{default}>: 1 triples sent" in result.stdout
        for graph, value in ((named, "o"), (default, "d")):
            _, rows = query(endpoint, f"SELECT ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
            assert [str(r[0]) for r in rows] == [value], (suffix, graph)


def test_a_broken_quad_file_is_bad_input_before_any_upload(tmp_path) -> None:
    url = f"http://127.0.0.1:{servers.free_port()}"  # nothing listens: reading must fail first
    source = tmp_path / "graphs.nq"
    source.write_text('<http://example.org/s> <http://example.org/p> "o" <http://example.org/g> .\n<broken\n')
    result = CliRunner().invoke(main, ["publish", str(source), "--endpoint", url])
    assert result.exit_code == 2
    assert f"{source}: not valid nquads at line 2" in result.stderr
    assert "nothing was uploaded" in result.stderr
    assert "Traceback" not in result.output
