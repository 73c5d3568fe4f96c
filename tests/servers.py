"""Real servers for tests, on loopback only: the Oxigraph and Virtuoso SPARQL servers and tiny scripted HTTP servers.

Import the fixtures into a test module (``from servers import oxigraph_server``): pytest puts tests/
on sys.path because tests/ has no __init__.py (and pyproject's ``pythonpath = ["tests"]`` makes sure).
"""

from __future__ import annotations

import os
import shutil
import socket
import ssl
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

START_TIMEOUT = 15.0  # seconds for the server to answer after it is launched
STOP_TIMEOUT = 5.0
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback never goes via a proxy


def oxigraph_binary() -> str | None:
    """The ``oxigraph`` executable of the PyPI package: beside this Python first, then on PATH."""
    name = "oxigraph.exe" if sys.platform == "win32" else "oxigraph"
    beside = Path(sys.executable).with_name(name)
    if beside.is_file():
        return str(beside)
    return shutil.which("oxigraph")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class OxigraphServer:
    """``oxigraph serve`` on a free loopback port, with its data kept in ``location``.

    ``kill()`` stops it abruptly (SIGKILL: a crash, not a shutdown); ``start()`` brings it back on
    the same data, so a test can check what survived.
    """

    def __init__(self, location: Path, binary: str):
        self.location = location
        self.binary = binary
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.log = location.with_name(location.name + ".log")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        for _ in range(3):  # the free port can be taken between probing and binding: try another
            command = [self.binary, "serve", "--location", str(self.location), "--bind", f"127.0.0.1:{self.port}"]
            with self.log.open("ab") as log:
                self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
            if self._wait_until_answering():
                return
            self.stop()
            self.port = free_port()
        raise RuntimeError(f"oxigraph did not start; see {self.log}:\n{self.log.read_text(errors='replace')[-2000:]}")

    def _wait_until_answering(self) -> bool:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                return False
            try:
                with _DIRECT.open(f"{self.url}/query?query=ASK%7B%7D", timeout=1) as resp:
                    if resp.status == 200:
                        return True
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.05)
        return False

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=STOP_TIMEOUT)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=STOP_TIMEOUT)
        self.process = None


@contextmanager
def running_oxigraph(location: Path) -> Iterator[OxigraphServer]:
    binary = oxigraph_binary()
    if binary is None:
        # CI sets PLAN2RDF_REQUIRE_SERVERS: there a missing server is a failure, never a silent skip
        if os.environ.get("PLAN2RDF_REQUIRE_SERVERS"):
            pytest.fail("the oxigraph server is not installed (pip install 'plan2rdf[test]')")
        pytest.skip("the oxigraph server is not installed (pip install 'plan2rdf[test]')")
    server = OxigraphServer(location, binary)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def oxigraph_server(tmp_path: Path) -> Iterator[str]:
    """Base URL of a fresh, empty Oxigraph server (``http://127.0.0.1:PORT``)."""
    with running_oxigraph(tmp_path / "oxigraph-data") as server:
        yield server.url


@pytest.fixture
def oxigraph_process(tmp_path: Path) -> Iterator[OxigraphServer]:
    """A fresh Oxigraph server that the test may kill and start again."""
    with running_oxigraph(tmp_path / "oxigraph-data") as server:
        yield server


# --- Virtuoso ------------------------------------------------------------------------------------

VIRTUOSO_START_TIMEOUT = 90.0  # a fresh database is created on first start: ~15 s on a busy 2-core machine
VIRTUOSO_PASSWORD = "p2r-test-Secret9"  # the dba password the fixture sets; Digest only, never Basic
VIRTUOSO_INI = """\
[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
ServerThreads = 10
CheckpointInterval = 60
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
DirsAllowed = ., {d}

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {d}
ServerThreads = 10
EnabledDavVSP = 0

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 120
"""

VIRTUOSO_MISSING = "the Virtuoso server is not installed (apt-get install virtuoso-opensource-7-bin; see .ci/run)"


def virtuoso_binaries() -> tuple[str, str] | None:
    """Debian's ``virtuoso-t`` and ``isql-vt`` (package virtuoso-opensource-7-bin), or None."""
    server = shutil.which("virtuoso-t")
    isql = shutil.which("isql-vt") or shutil.which("isql")
    return (server, isql) if server and isql else None


class VirtuosoServer:
    """Virtuoso Open Source 7 on two free loopback ports (SQL, HTTP), its database in ``directory``.

    Started with a generated virtuoso.ini; the dba password is set to ``password`` through isql, so
    ``/sparql-auth`` and ``/sparql-graph-crud-auth`` take HTTP Digest with ("dba", password).
    """

    def __init__(self, directory: Path, binaries: tuple[str, str], password: str = VIRTUOSO_PASSWORD):
        self.directory = directory
        self.server_binary, self.isql_binary = binaries
        self.password = password
        self.process: subprocess.Popen[bytes] | None = None
        self.log = directory / "stdout.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    def start(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        for _ in range(3):  # a free port can be taken between probing and binding: try others
            self.sql_port, self.http_port = free_port(), free_port()
            ini = self.directory / "virtuoso.ini"
            ini.write_text(
                VIRTUOSO_INI.format(d=self.directory, sql_port=self.sql_port, http_port=self.http_port),
                encoding="utf-8",
            )
            command = [self.server_binary, "+configfile", str(ini), "+foreground"]
            with self.log.open("ab") as log:
                self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=self.directory)
            if self._wait_until_answering():
                try:
                    self._set_password()
                except BaseException:  # never leave a server running behind a failed start
                    self.stop()
                    raise
                return
            self.stop()
        text = (self.directory / "virtuoso.log").read_text(errors="replace")[-2000:]
        raise RuntimeError(f"virtuoso did not start; see {self.directory}/virtuoso.log:\n{text}")

    def _wait_until_answering(self) -> bool:
        deadline = time.monotonic() + VIRTUOSO_START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                return False
            try:
                with _DIRECT.open(f"{self.url}/sparql?query=ASK%7B%7D", timeout=2) as resp:
                    if resp.status == 200:
                        return True
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.2)
        return False

    def isql(self, statement: str) -> str:
        """Run one SQL statement as dba (with the password in force) and return isql's output."""
        done = subprocess.run(
            [self.isql_binary, str(self.sql_port), "dba", self._dba_password, f"exec={statement}"],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        if done.returncode != 0 or "*** Error" in done.stdout + done.stderr:
            raise RuntimeError(f"isql {statement!r} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    _dba_password = "dba"  # Virtuoso's default until _set_password changes it

    def _set_password(self) -> None:
        self.isql(f"user_set_password('dba', '{self.password}');")
        self._dba_password = self.password

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()  # SIGTERM: Virtuoso checkpoints and exits
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=STOP_TIMEOUT)
        self.process = None


@contextmanager
def running_virtuoso(directory: Path) -> Iterator[VirtuosoServer]:
    binaries = virtuoso_binaries()
    if binaries is None:
        if os.environ.get("PLAN2RDF_REQUIRE_SERVERS"):
            pytest.fail(VIRTUOSO_MISSING)
        pytest.skip(VIRTUOSO_MISSING)
    server = VirtuosoServer(directory, binaries)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VirtuosoServer]:
    """One Virtuoso server for the session (it takes seconds to create its database): tests use graphs
    of their own."""
    with running_virtuoso(tmp_path_factory.mktemp("virtuoso")) as server:
        yield server


# --- scripted HTTP servers ---------------------------------------------------------------------


@dataclass
class Seen:
    """One request as a scripted server received it."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Reply:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


Script = Callable[[Seen, int], "Reply | None"]  # (request, its 0-based number) → reply, or None to proxy


@dataclass
class ScriptedServer:
    url: str
    requests: list[Seen]


@contextmanager
def scripted_server(
    script: Script, *, upstream: str | None = None, tls: tuple[Path, Path] | None = None
) -> Iterator[ScriptedServer]:
    """A loopback HTTP server that answers as ``script`` says, or forwards to ``upstream``.

    ``tls`` (certificate, key) makes it an HTTPS server.
    """
    seen: list[Seen] = []
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
            pass

        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            request = Seen(self.command, self.path, dict(self.headers.items()), self.rfile.read(length))
            with lock:
                number = len(seen)
                seen.append(request)
            reply = script(request, number)
            if reply is None:
                reply = _forward(request, upstream)
            self.send_response(reply.status)
            for key, value in reply.headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            self.wfile.write(reply.body)

        do_GET = do_POST = do_PUT = do_DELETE = _handle

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    scheme = "http"
    if tls:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(*tls)
        server.socket = context.wrap_socket(server.socket, server_side=True)
        scheme = "https"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield ScriptedServer(f"{scheme}://127.0.0.1:{server.server_address[1]}", seen)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=STOP_TIMEOUT)


def _forward(request: Seen, upstream: str | None) -> Reply:
    if upstream is None:
        return Reply(500, b"no upstream to forward to")
    headers = {k: v for k, v in request.headers.items() if k.lower() not in ("host", "content-length", "connection")}
    forwarded = urllib.request.Request(
        upstream + request.path, data=request.body or None, method=request.method, headers=headers
    )
    try:
        with _DIRECT.open(forwarded, timeout=10) as resp:
            return Reply(resp.status, resp.read(), {"Content-Type": resp.headers.get("Content-Type", "text/plain")})
    except urllib.error.HTTPError as exc:
        return Reply(exc.code, exc.read(), {"Content-Type": exc.headers.get("Content-Type", "text/plain")})


def self_signed_certificate(directory: Path) -> tuple[Path, Path] | None:
    """A throwaway certificate for 127.0.0.1 made with the openssl command, or None without it."""
    openssl = shutil.which("openssl")
    if openssl is None:
        return None
    cert, key = directory / "cert.pem", directory / "key.pem"
    command = [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1"]
    command += ["-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)]
    done = subprocess.run(command, capture_output=True, timeout=60, check=False)
    return (cert, key) if done.returncode == 0 else None
