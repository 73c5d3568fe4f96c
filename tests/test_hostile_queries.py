"""Hostile queries and answers (issue 14): no network unless asked, bounded time and size."""

from __future__ import annotations

import contextlib
import http.server
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from plan2rdf.cli import main

ROOT = Path(__file__).parents[1]
MINI = ROOT / "tests" / "fixtures" / "mini"


class Listener:
    """A loopback socket that records every connection made to it (and answers nothing)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self.stop.set()
        self.thread.join(5)
        self.sock.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    found = Listener()
    yield found
    found.close()


def service_query(tmp_path: Path, port: int) -> Path:
    path = tmp_path / "federated.rq"
    path.write_text(
        "# asks another server: a local query must not do that unasked\n"
        "SELECT ?s WHERE {\n"
        f"  SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }}\n"
        "}\n",
        encoding="utf-8",
    )
    return path


def data_file(tmp_path: Path) -> Path:
    path = tmp_path / "data.ttl"
    path.write_text('<http://example.org/a> <http://example.org/service> "SERVICE" .\n', encoding="utf-8")
    return path


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
@pytest.mark.parametrize("where", ["data", "bundled"])
def test_a_local_query_with_service_is_refused_and_connects_nowhere(
    tmp_path: Path, listener: Listener, engine: str, where: str
) -> None:
    query = service_query(tmp_path, listener.port)
    args = ["query", str(query), "--engine", engine]
    if where == "data":
        args += ["--data", str(data_file(tmp_path))]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    assert f"{query}:3: error: SERVICE is refused" in result.stderr
    assert "--allow-service" in result.stderr
    assert "Traceback" not in result.output
    assert listener.connections == 0


def test_service_in_a_prefixed_name_a_string_or_a_comment_is_no_service(tmp_path: Path) -> None:
    query = tmp_path / "words.rq"
    query.write_text(
        'PREFIX ex: <http://example.org/>\n# SERVICE in a comment\nSELECT ?s WHERE { ?s ex:service "SERVICE" }\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["query", str(query), "--data", str(data_file(tmp_path)), "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["s", "http://example.org/a"]


def test_allow_service_lets_the_engine_connect(tmp_path: Path, listener: Listener) -> None:
    query = service_query(tmp_path, listener.port)
    result = CliRunner().invoke(
        main, ["query", str(query), "--data", str(data_file(tmp_path)), "--allow-service", "--engine", "oxigraph"]
    )
    assert "SERVICE is refused" not in result.output
    assert "Traceback" not in result.output
    assert listener.connections >= 1  # the option is what lets it out


CROSS_PRODUCT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }\n"


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_a_runaway_local_query_stops_at_the_timeout(tmp_path: Path, engine: str) -> None:
    query = tmp_path / "cross.rq"
    query.write_text(CROSS_PRODUCT, encoding="utf-8")  # the bundled plan's triples, cubed
    started = time.monotonic()
    result = CliRunner().invoke(main, ["query", str(query), "--engine", engine, "--timeout", "2"])
    elapsed = time.monotonic() - started
    assert result.exit_code == 2, result.output
    assert "did not finish within 2 s" in result.stderr
    assert "--timeout" in result.stderr
    assert "Traceback" not in result.output
    assert elapsed < 30  # liveness, not speed


def test_a_query_within_its_time_gives_its_rows_and_problems_cross_the_worker(tmp_path: Path) -> None:
    query = tmp_path / "one.rq"
    query.write_text("SELECT ?o WHERE { <http://example.org/a> <http://example.org/service> ?o }\n", encoding="utf-8")
    ok = CliRunner().invoke(main, ["query", str(query), "--data", str(data_file(tmp_path)), "--format", "csv"])
    assert ok.exit_code == 0, ok.output
    assert ok.stdout.splitlines() == ["o", "SERVICE"]
    broken = tmp_path / "broken.ttl"
    broken.write_text("<http://example.org/a> <http://example.org/b> .\n", encoding="utf-8")
    bad = CliRunner().invoke(main, ["query", str(query), "--data", str(broken)])
    assert bad.exit_code == 2, bad.output
    assert f"{broken}:1:" in bad.stderr  # the loader's located problem, from the worker
    assert "Traceback" not in bad.output


class EndlessAnswer(http.server.BaseHTTPRequestHandler):
    """Answers every POST with SPARQL JSON that never ends (a chunk every ``pause`` seconds)."""

    pause = 0.0

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.end_headers()
        try:
            self.wfile.write(b'{"head": {"vars": ["s"]}, "results": {"bindings": [')
            chunk = b'{"s": {"type": "literal", "value": "' + b"x" * 4000 + b'"}},' * 16
            while True:
                self.wfile.write(chunk)
                if self.pause:
                    time.sleep(self.pause)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, *args: object) -> None:
        pass


class TricklingAnswer(EndlessAnswer):
    pause = 0.05


@contextlib.contextmanager
def serving(handler: type[http.server.BaseHTTPRequestHandler]) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/sparql"
    finally:
        server.shutdown()
        server.server_close()


def test_an_endless_answer_stops_at_the_size_cap(tmp_path: Path) -> None:
    query = tmp_path / "all.rq"
    query.write_text("SELECT ?s WHERE { ?s ?p ?o }\n", encoding="utf-8")
    started = time.monotonic()
    with serving(EndlessAnswer) as url:
        result = CliRunner().invoke(
            main, ["query", str(query), "--endpoint", url, "--layout", "oxigraph", "--max-bytes", "5000000"]
        )
    assert result.exit_code == 2, result.output
    assert "is larger than 5,000,000 bytes; reading stopped" in result.stderr
    assert "--max-bytes" in result.stderr
    assert "Traceback" not in result.output
    assert time.monotonic() - started < 30


def test_a_trickling_answer_stops_at_the_total_timeout(tmp_path: Path) -> None:
    query = tmp_path / "all.rq"
    query.write_text("SELECT ?s WHERE { ?s ?p ?o }\n", encoding="utf-8")
    started = time.monotonic()
    with serving(TricklingAnswer) as url:  # every read succeeds in time; the whole never arrives
        result = CliRunner().invoke(
            main, ["query", str(query), "--endpoint", url, "--layout", "oxigraph", "--timeout", "2"]
        )
    elapsed = time.monotonic() - started
    assert result.exit_code == 2, result.output
    assert "did not arrive in full within 2 s" in result.stderr
    assert "--timeout" in result.stderr
    assert elapsed < 30


def test_the_cli_default_answer_cap_is_the_publish_package_one() -> None:
    from plan2rdf.cli.query import MAX_BYTES
    from plan2rdf.publish.remote import MAX_ANSWER_BYTES

    assert MAX_BYTES == MAX_ANSWER_BYTES == 256 * 1024 * 1024
