"""`plan2rdf publish` against a real Oxigraph server on loopback."""

from pathlib import Path

from click.testing import CliRunner

import servers
from plan2rdf.cli.commands import main
from plan2rdf.publish import Endpoint, query

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
    from plan2rdf.query import bundled_graph, load_catalogue, rdflib_engine, remote_engine, run

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
