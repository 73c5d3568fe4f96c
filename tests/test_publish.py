"""Publishing to a real SPARQL store (the Oxigraph server on loopback) and querying it remotely.

No mocks: uploads, queries and failures go over HTTP to a real server, or to a scripted loopback
server where a test needs a server to misbehave on cue (503, 401, slow answers, TLS).
"""

from __future__ import annotations

import base64
import gzip
import json
import logging
import time
from decimal import Decimal
from pathlib import Path

import pytest
import rdflib

import servers
from plan2rdf.publish import (
    TEMPORARY_MARK,
    Credentials,
    Endpoint,
    PublishError,
    UploadProgress,
    publish,
    query,
    redact_url,
    resolve_credentials,
)
from servers import OxigraphServer, Reply, scripted_server, self_signed_certificate

# Fixtures shared with other test modules live in tests/servers.py (conftest.py stays one file).
oxigraph_server = servers.oxigraph_server
oxigraph_process = servers.oxigraph_process

EX = "http://example.org/"
GRAPH = "https://example.org/graph/plan-2021"
ALL_GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"


@pytest.fixture(autouse=True)
def no_ambient_credentials(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Tests see no credentials from the developer's environment or ~/.netrc, and no proxy."""
    for name in ("PLAN2RDF_USER", "PLAN2RDF_PASSWORD", "PLAN2RDF_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NETRC", str(tmp_path / "no-netrc"))
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")


def comparable(rows) -> list[tuple[str, ...]]:
    """Rows compared by value: stores may answer "1.5" for "1.50" and "x" for "x"^^xsd:string."""

    def value(term) -> str:
        if term is None:
            return ""
        if isinstance(term, rdflib.Literal) and not term.language:
            known = term.value
            if isinstance(known, Decimal):
                known = known.normalize()
            return repr(known) if known is not None else str(term)
        return term.n3()

    return sorted(tuple(value(term) for term in row) for row in rows)


def no_wait(_seconds: float) -> None:
    """Stands in for time.sleep where a test does not care about the backoff pauses."""


def ntriples(path: Path, count: int, *, start: int = 0, predicate: str = "p") -> Path:
    lines = (f'<{EX}s{i}> <{EX}{predicate}> "value {i}" .\n' for i in range(start, start + count))
    path.write_text("".join(lines), encoding="utf-8")
    return path


def count(endpoint: Endpoint, graph: str | None) -> int:
    pattern = f"GRAPH <{graph}> {{ ?s ?p ?o }}" if graph else "?s ?p ?o"
    _columns, rows = query(endpoint, f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}")
    return int(rows[0][0])


def graphs(endpoint: Endpoint) -> list[str]:
    _columns, rows = query(endpoint, ALL_GRAPHS)
    return [str(row[0]) for row in rows]


# --- endpoints and credentials (no server needed) ----------------------------------------------


@pytest.mark.parametrize(
    ("url", "layout", "expected"),
    [
        ("http://h:7878", "auto", ("http://h:7878/query", "http://h:7878/update", "http://h:7878/store")),
        ("http://h:7878/query", "auto", ("http://h:7878/query", "http://h:7878/update", "http://h:7878/store")),
        ("http://h:3030/ds", "auto", ("http://h:3030/ds/query", "http://h:3030/ds/update", "http://h:3030/ds/data")),
        (
            "http://h:3030/ds/sparql",
            "auto",
            ("http://h:3030/ds/query", "http://h:3030/ds/update", "http://h:3030/ds/data"),
        ),
        (
            "http://h:7200/repositories/plans",
            "auto",
            (
                "http://h:7200/repositories/plans",
                "http://h:7200/repositories/plans/statements",
                "http://h:7200/repositories/plans/rdf-graphs/service",
            ),
        ),
        (
            "http://h:8890/sparql",
            "auto",
            ("http://h:8890/sparql", "http://h:8890/sparql-auth", "http://h:8890/sparql-graph-crud-auth"),
        ),
        ("http://h:7019", "qlever", ("http://h:7019/", "http://h:7019/", "http://h:7019/")),
    ],
)
def test_endpoint_layouts(url: str, layout: str, expected: tuple[str, str, str]) -> None:
    endpoint = Endpoint.from_url(url, layout=layout)  # type: ignore[arg-type]
    assert (endpoint.query, endpoint.update, endpoint.store) == expected


def test_credentials_in_urls_are_moved_out_and_hidden() -> None:
    endpoint = Endpoint.from_url("https://alice:s3cret@db.example.org/ds")
    assert endpoint.query == "https://db.example.org/ds/query"
    assert endpoint.credentials == Credentials(username="alice", password="s3cret")
    assert "s3cret" not in repr(endpoint) and "s3cret" not in repr(endpoint.credentials)

    qlever = Endpoint.from_url("http://h:7019/?access-token=tok123", layout="qlever")
    assert qlever.update == "http://h:7019/" and qlever.credentials == Credentials(token="tok123")
    assert qlever.credentials.header() == "Bearer tok123"

    direct = Endpoint(query="http://bob:pw1234@h/q")  # built by hand: cleaned the same way
    assert direct.query == "http://h/q" and "pw1234" not in repr(direct)
    assert redact_url("http://bob:pw1234@h/q?access-token=abc&x=1") == "http://h/q?access-token=***&x=1"


def test_credentials_from_environment_and_netrc(tmp_path: Path) -> None:
    assert resolve_credentials("http://h/", environ={"PLAN2RDF_TOKEN": "t0k"}) == Credentials(token="t0k")
    env = {"PLAN2RDF_USER": "carol", "PLAN2RDF_PASSWORD": "pa55"}
    assert resolve_credentials("http://h/", environ=env) == Credentials(username="carol", password="pa55")
    with pytest.raises(PublishError, match="PLAN2RDF_PASSWORD"):
        resolve_credentials("http://h/", environ={"PLAN2RDF_USER": "carol"})

    netrc = tmp_path / "netrc"
    netrc.write_text("machine db.example.org login dave password n3trc-pw\n")
    netrc.chmod(0o600)
    found = resolve_credentials("https://db.example.org:8443/x", environ={}, netrc_file=netrc)
    assert found == Credentials(username="dave", password="n3trc-pw")
    assert resolve_credentials("https://other.example.org/x", environ={}, netrc_file=netrc) is None

    netrc.write_text("machine db.example.org login dave n3trc-pw\n")  # "password" left out
    with pytest.raises(PublishError) as caught:
        resolve_credentials("https://db.example.org/", environ={}, netrc_file=netrc)
    assert "n3trc-pw" not in str(caught.value)


# --- publishing to a real server ---------------------------------------------------------------


def test_replace_twice_leaves_one_copy(oxigraph_server: str, tmp_path: Path) -> None:
    endpoint = Endpoint.from_url(oxigraph_server)
    first = ntriples(tmp_path / "first.nt", 40)
    for _ in range(2):
        report = publish([first], endpoint=endpoint, graph=GRAPH, mode="replace")
        assert (report.triples_sent, report.triples_in_graph, report.verified) == (40, 40, True)
    assert report.triples_before == 40
    assert graphs(endpoint) == [GRAPH]  # no temporary graph left behind

    second = ntriples(tmp_path / "second.nt", 7, predicate="q")
    report = publish([second], endpoint=endpoint, graph=GRAPH, mode="replace")
    assert (report.triples_before, report.triples_in_graph) == (40, 7)
    _columns, rows = query(endpoint, f"SELECT DISTINCT ?p WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}")
    assert rows == [(rdflib.URIRef(EX + "q"),)]


def test_append_of_two_files_keeps_both(oxigraph_server: str, tmp_path: Path) -> None:
    endpoint = Endpoint.from_url(oxigraph_server)
    plan_a = ntriples(tmp_path / "a.nt", 30)
    # Turtle (gzipped) overlapping the first file by 10 triples: those count once.
    turtle = "".join(f'<{EX}s{i}> <{EX}p> "value {i}" .\n' for i in range(20, 50))
    plan_b = tmp_path / "b.ttl.gz"
    plan_b.write_bytes(gzip.compress(f"@prefix ex: <{EX}> .\n{turtle}".encode()))

    first = publish([plan_a], endpoint=endpoint, graph=GRAPH, mode="append")
    second = publish([plan_b], endpoint=endpoint, graph=GRAPH, mode="append")
    assert (first.triples_in_graph, second.triples_before, second.triples_in_graph) == (30, 30, 50)
    assert second.verified

    both = publish([plan_a, plan_b], endpoint=endpoint, graph=EX + "both", mode="append")
    assert (both.triples_sent, both.triples_in_graph) == (50, 50)


def test_chunked_upload_counts_exactly(oxigraph_server: str, tmp_path: Path) -> None:
    endpoint = Endpoint.from_url(oxigraph_server)
    big = ntriples(tmp_path / "big.nt", 2_345)
    small = ntriples(tmp_path / "small.nt", 100, start=5_000)
    seen: list[UploadProgress] = []
    report = publish(
        [big, small], endpoint=endpoint, graph=GRAPH, mode="replace", chunk_triples=1_000, progress=seen.append
    )
    assert (report.chunks, report.triples_sent, report.triples_in_graph) == (3, 2_445, 2_445)
    assert [(p.chunk, p.chunks, p.triples) for p in seen] == [(1, 3, 1_000), (2, 3, 2_000), (3, 3, 2_445)]
    assert count(endpoint, GRAPH) == 2_445


def test_a_file_with_blank_nodes_is_never_split(oxigraph_server: str, tmp_path: Path) -> None:
    # Blank node labels are scoped to one request: splitting this file would make 2 nodes of _:b.
    endpoint = Endpoint.from_url(oxigraph_server)
    data = tmp_path / "bnodes.nt"
    data.write_text(f'_:b <{EX}p> "1" .\n_:b <{EX}q> "2" .\n<{EX}s> <{EX}r> _:b .\n')
    report = publish([data], endpoint=endpoint, graph=GRAPH, mode="replace", chunk_triples=1)
    assert (report.chunks, report.triples_in_graph) == (1, 3)
    _columns, rows = query(endpoint, f"SELECT (COUNT(DISTINCT ?b) AS ?n) WHERE {{ GRAPH <{GRAPH}> {{ ?b ?p ?o }} }}")
    assert int(rows[0][0]) == 2  # _:b and <s>


def test_named_graph_and_default_graph_are_separate(oxigraph_server: str, tmp_path: Path) -> None:
    endpoint = Endpoint.from_url(oxigraph_server)
    default = publish([ntriples(tmp_path / "d.nt", 5)], endpoint=endpoint, graph=None, mode="replace")
    named = publish([ntriples(tmp_path / "n.nt", 8)], endpoint=endpoint, graph=GRAPH, mode="replace")
    assert (default.graph, default.triples_in_graph, named.triples_in_graph) == (None, 5, 8)
    again = publish([ntriples(tmp_path / "d2.nt", 3)], endpoint=endpoint, graph=None, mode="replace")
    assert (again.triples_before, again.triples_in_graph) == (5, 3)
    assert (count(endpoint, None), count(endpoint, GRAPH)) == (3, 8)
    assert graphs(endpoint) == [GRAPH]


def test_without_a_graph_store_uploads_go_through_update(oxigraph_server: str, tmp_path: Path) -> None:
    full = Endpoint.from_url(oxigraph_server)
    endpoint = Endpoint(query=full.query, update=full.update, store=None)
    data = ntriples(tmp_path / "x.nt", 25)
    report = publish([data], endpoint=endpoint, graph=GRAPH, mode="replace", chunk_triples=10)
    assert (report.chunks, report.triples_in_graph) == (3, 25)
    assert graphs(endpoint) == [GRAPH]


def test_remote_query_returns_the_terms_rdflib_returns_locally(oxigraph_server: str, tmp_path: Path) -> None:
    data = tmp_path / "data.ttl"
    data.write_text(
        f"""@prefix ex: <{EX}> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        ex:a a ex:Thing ; rdfs:label "福島県"@ja, "Fukushima"@en ; ex:n 42 ; ex:d "2021-04-01"^^xsd:date .
        ex:b a ex:Thing ; rdfs:label "plain" ; ex:n 1.5 ; ex:ok true .
        ex:c a ex:Thing .
        """,
        encoding="utf-8",
    )
    endpoint = Endpoint.from_url(oxigraph_server)
    publish([data], endpoint=endpoint, graph=None, mode="replace")
    local = rdflib.Graph().parse(data)
    queries = [
        f"""PREFIX ex: <{EX}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?s ?label ?n ?d WHERE {{ ?s a ex:Thing OPTIONAL {{ ?s rdfs:label ?label }}
        OPTIONAL {{ ?s ex:n ?n }} OPTIONAL {{ ?s ex:d ?d }} }}""",
        f"PREFIX ex: <{EX}> SELECT ?s (COUNT(?o) AS ?c) (MAX(STR(?o)) AS ?m) WHERE {{ ?s ?p ?o }} GROUP BY ?s",
        f"PREFIX ex: <{EX}> SELECT ?s ?ok WHERE {{ ?s ex:n ?n FILTER(?n < 40) OPTIONAL {{ ?s ex:ok ?ok }} }}",
    ]

    def key(row: tuple) -> tuple:
        return tuple("" if term is None else term.n3() for term in row)

    for text in queries:
        columns, rows = query(endpoint, text)
        result = local.query(text)
        assert columns == [str(v) for v in result.vars]
        assert sorted(rows, key=key) == sorted((tuple(r) for r in result), key=key)  # equal rdflib terms
        assert rows  # the comparison means something
    assert query(endpoint, f"ASK {{ <{EX}a> ?p ?o }}") == ([], [()])
    assert query(endpoint, f"ASK {{ <{EX}zzz> ?p ?o }}") == ([], [])

    # A store may answer a literal in canonical form (1.50 as 1.5), and "x"^^xsd:string as "x"
    # (one literal in RDF 1.1, two to rdflib): compared by value, the rows agree.
    odd = tmp_path / "odd.nt"
    xsd = "http://www.w3.org/2001/XMLSchema#"
    odd.write_text(f'<{EX}x> <{EX}n> "1.50"^^<{xsd}decimal> .\n<{EX}x> <{EX}n> "typed"^^<{xsd}string> .\n')
    publish([odd], endpoint=endpoint, graph=GRAPH, mode="replace")
    _columns, rows = query(endpoint, f"SELECT ?n WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?n }} }}")
    local_rows = list(rdflib.Graph().parse(odd).query("SELECT ?n WHERE { ?s ?p ?n }"))
    assert sorted(rows) != sorted(tuple(r) for r in local_rows)
    assert comparable(rows) == comparable(local_rows)


# --- failures ----------------------------------------------------------------------------------


def test_rejected_chunk_leaves_the_previous_graph_and_no_temporary_graph(oxigraph_server: str, tmp_path: Path) -> None:
    endpoint = Endpoint.from_url(oxigraph_server)
    publish([ntriples(tmp_path / "old.nt", 12)], endpoint=endpoint, graph=GRAPH, mode="replace")
    new = ntriples(tmp_path / "new.nt", 1_500)
    lines = new.read_text().splitlines(keepends=True)
    lines[1_199] = f"<not an iri> <{EX}p> <{EX}o> .\n"  # line 1200: valid shape, invalid IRI
    new.write_text("".join(lines))

    with pytest.raises(PublishError) as caught:
        publish([new], endpoint=endpoint, graph=GRAPH, mode="replace", chunk_triples=1_000)
    error = caught.value
    assert "chunk 2 of 2" in str(error.message) and "new.nt lines 1001-1500" in str(error.message)
    assert "HTTP 400" in str(error.message) and "IRI" in str(error.message)  # the server's own explanation
    assert f"<{GRAPH}> was not changed" in str(error.hint or "")
    assert count(endpoint, GRAPH) == 12
    assert graphs(endpoint) == [GRAPH]

    with pytest.raises(PublishError) as caught:  # append cannot be atomic, but it says what happened
        publish([new], endpoint=endpoint, graph=EX + "other", mode="append", chunk_triples=1_000)
    assert "1 of 2 chunks were added" in str(caught.value.hint or "")


def test_server_killed_midway_leaves_the_previous_graph(oxigraph_process: OxigraphServer, tmp_path: Path) -> None:
    server = oxigraph_process
    publish([ntriples(tmp_path / "old.nt", 12)], endpoint=Endpoint.from_url(server.url), graph=GRAPH, mode="replace")

    def crash_after_first_chunk(progress: UploadProgress) -> None:
        if progress.chunk == 1:
            server.kill()

    new = ntriples(tmp_path / "new.nt", 3_000)
    with pytest.raises(PublishError) as caught:
        publish(
            [new],
            endpoint=Endpoint.from_url(server.url),
            graph=GRAPH,
            mode="replace",
            chunk_triples=1_000,
            sleep=no_wait,
            progress=crash_after_first_chunk,
        )
    error = caught.value
    assert "chunk 2 of 3" in str(error.message) and "connection refused" in str(error.message)
    assert "DROP SILENT GRAPH" in str(error.hint or "")  # the server was gone: say how to clean up

    server.start()  # same data directory: what survived the crash?
    endpoint = Endpoint.from_url(server.url)
    assert count(endpoint, GRAPH) == 12
    leftovers = [g for g in graphs(endpoint) if g != GRAPH]
    assert len(leftovers) == 1 and TEMPORARY_MARK in leftovers[0] and leftovers[0] in str(error.hint)


def test_server_down_fails_quickly_with_a_clear_message(tmp_path: Path) -> None:
    endpoint = Endpoint.from_url(f"http://127.0.0.1:{servers.free_port()}")
    started = time.monotonic()
    with pytest.raises(PublishError) as caught:
        publish([ntriples(tmp_path / "x.nt", 3)], endpoint=endpoint, graph=GRAPH, mode="replace")
    assert time.monotonic() - started < 5  # three retries with a small, capped backoff
    assert "connection refused" in str(caught.value.message) and "gave up after 4 attempts" in str(caught.value.message)
    assert "is the SPARQL server running" in str(caught.value.hint or "")


def test_wrong_path_is_a_404_error(oxigraph_server: str, tmp_path: Path) -> None:
    endpoint = Endpoint(query=oxigraph_server + "/no-such-path", update=None, store=None)
    with pytest.raises(PublishError) as caught:
        query(endpoint, "ASK {}")
    assert "HTTP 404" in str(caught.value.message) and "/no-such-path" in str(caught.value.message)
    assert "endpoint URL" in str(caught.value.hint or "")


def test_bad_inputs_are_all_reported_before_anything_is_sent(oxigraph_server: str, tmp_path: Path) -> None:
    turtle_as_nt = tmp_path / "wrong.nt"
    turtle_as_nt.write_text(f"@prefix ex: <{EX}> .\nex:a ex:b ex:c .\n")
    broken_turtle = tmp_path / "broken.ttl"
    broken_turtle.write_text("ex:a ex:b")
    endpoint = Endpoint.from_url(oxigraph_server)
    with pytest.raises(PublishError) as caught:
        publish(
            [tmp_path / "missing.nt", turtle_as_nt, broken_turtle, tmp_path / "x.nq"],
            endpoint=endpoint,
            graph=GRAPH,
            mode="append",
        )
    message = str(caught.value.message)
    assert "missing.nt: no such file" in message
    assert "wrong.nt:1: not an N-Triples statement" in message and "wrong.nt:2" in message
    assert "broken.ttl: not valid turtle" in message
    assert count(endpoint, GRAPH) == 0


def test_credentials_never_appear_in_errors_or_logs(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="plan2rdf")
    blob = base64.b64encode(b"alice:s3cret-pw").decode()

    def echo_and_refuse(request, number):  # a chatty server that quotes the header back
        if number < 1:
            return Reply(503, b"busy")
        return Reply(401, f"bad credentials: {request.headers.get('Authorization')}".encode())

    with scripted_server(echo_and_refuse) as server:
        host = server.url.removeprefix("http://")
        endpoint = Endpoint.from_url(f"http://alice:s3cret-pw@{host}", layout="oxigraph")
        with pytest.raises(PublishError) as caught:
            publish([ntriples(tmp_path / "x.nt", 3)], endpoint=endpoint, graph=GRAPH, mode="replace", sleep=no_wait)
    assert server.requests[1].headers["Authorization"] == f"Basic {blob}"  # they were used
    # a 401 without a challenge: asked once, without credentials, whether the server wants Digest
    assert "Authorization" not in server.requests[-1].headers and len(server.requests) == 3
    error = caught.value
    assert "HTTP 401" in str(error.message) and "rejected the credentials" in str(error.hint or "")
    shown = [str(error), repr(error), repr(endpoint), caplog.text, error.message_in("en"), error.message_in("ja")]
    for secret in ("s3cret-pw", blob, "alice"):
        assert not any(secret in text for text in shown), secret
    assert "retrying" in caplog.text  # the log did say something

    dead = Endpoint.from_url("http://alice:s3cret-pw@127.0.0.1:9")
    with pytest.raises(PublishError) as caught:
        query(dead, "ASK {}", retries=0)
    assert "s3cret-pw" not in str(caught.value) and "alice" not in str(caught.value)


def test_busy_server_is_retried_with_backoff(oxigraph_server: str, tmp_path: Path) -> None:
    def busy_twice(_request, number):
        return Reply(503, b"starting up", {"Retry-After": "0"}) if number < 2 else None

    pauses: list[float] = []
    with scripted_server(busy_twice, upstream=oxigraph_server) as proxy:
        report = publish(
            [ntriples(tmp_path / "x.nt", 9)],
            endpoint=Endpoint.from_url(proxy.url),
            graph=GRAPH,
            mode="replace",
            sleep=pauses.append,
        )
    assert pauses == [0.25, 0.5]  # exponential backoff from a small base
    assert (report.triples_in_graph, report.verified) == (9, True)
    assert count(Endpoint.from_url(oxigraph_server), GRAPH) == 9


def test_client_errors_are_not_retried() -> None:
    refuse = Reply(400, b"Parse error: unexpected }")
    with scripted_server(lambda _request, _number: refuse) as server, pytest.raises(PublishError) as caught:
        query(Endpoint(query=server.url + "/query"), "SELECT * WHERE { ?s ?p ?o }}", sleep=no_wait)
    assert len(server.requests) == 1
    assert "HTTP 400" in str(caught.value.message) and "unexpected }" in str(caught.value.message)


def test_slow_server_times_out_and_redirects_are_refused() -> None:
    def slow(_request, _number):
        time.sleep(0.6)
        return Reply(200, b"{}", {"Content-Type": "application/sparql-results+json"})

    with scripted_server(slow) as server, pytest.raises(PublishError) as caught:
        query(Endpoint(query=server.url + "/query"), "ASK {}", timeout=0.2, retries=0)
    assert "did not answer within 0.2 s" in str(caught.value.message)

    moved = Reply(307, b"", {"Location": "http://elsewhere.example/sparql?access-token=zzz"})
    with scripted_server(lambda _request, _number: moved) as server, pytest.raises(PublishError) as caught:
        query(Endpoint(query=server.url + "/query"), "ASK {}")
    assert "redirected to http://elsewhere.example/sparql?access-token=***" in str(caught.value.message)


def test_invalid_answers_are_errors() -> None:
    html = Reply(200, b"<html><body>Welcome</body></html>", {"Content-Type": "text/html"})
    with (
        scripted_server(lambda _request, _number: html) as server,
        pytest.raises(PublishError, match="text/html, not SPARQL JSON results"),
    ):
        query(Endpoint(query=server.url), "ASK {}")
    garbage = Reply(200, b'{"head": {"vars": ["x"]}, "results": 7}', {"Content-Type": "application/json"})
    with (
        scripted_server(lambda _request, _number: garbage) as server,
        pytest.raises(PublishError, match="invalid SPARQL JSON results"),
    ):
        query(Endpoint(query=server.url), "SELECT ?x {}")


def test_https_certificates_are_verified_by_default(tmp_path: Path) -> None:
    tls = self_signed_certificate(tmp_path)
    if tls is None:
        pytest.skip("needs the openssl command to make a test certificate")
    answer = json.dumps({"head": {}, "boolean": True}).encode()
    ok = Reply(200, answer, {"Content-Type": "application/sparql-results+json"})
    with scripted_server(lambda _request, _number: ok, tls=tls) as server:
        endpoint = Endpoint(query=server.url + "/query")
        with pytest.raises(PublishError) as caught:
            query(endpoint, "ASK {}")
        assert "certificate" in str(caught.value.message)
        assert query(endpoint, "ASK {}", insecure=True) == ([], [()])
