"""`plan2rdf serve` started for tests: a real process on a free loopback port, stopped afterwards."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest

from servers import free_port

START_TIMEOUT = 180.0  # the bundled plan is graphed and its site rendered first (~15 s on 2 cores)
DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def require_web_stack() -> None:
    """Skip (with the reason) when the serve extra is missing, unless the run requires servers."""
    try:
        import starlette  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError:
        message = "the serve extra is not installed (pip install -e '.[test]')"
        if os.environ.get("PLAN2RDF_REQUIRE_SERVERS"):
            pytest.fail(f"{message}, and PLAN2RDF_REQUIRE_SERVERS is set")
        pytest.skip(message)


@dataclass
class Served:
    url: str  # ends with "/"
    process: subprocess.Popen

    def get(self, path: str, accept: str | None = None, data: bytes | None = None, headers: dict | None = None):
        """(status, headers, body) of a request; HTTP errors are answers too."""
        request = urllib.request.Request(self.url + path.lstrip("/"), data=data, headers=dict(headers or {}))
        if accept is not None:
            request.add_header("Accept", accept)
        try:
            with DIRECT.open(request, timeout=60) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.headers, exc.read()


@contextmanager
def serving(*arguments: str) -> Iterator[Served]:
    """``plan2rdf serve ARGUMENTS`` on a free port until the block ends."""
    require_web_stack()
    port = free_port()
    log = tempfile.TemporaryFile()  # noqa: SIM115 (closed below)
    command = [sys.executable, "-m", "plan2rdf", "serve", "--port", str(port), *arguments]
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    served = Served(f"http://127.0.0.1:{port}/", process)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if process.poll() is not None:
                log.seek(0)
                raise RuntimeError(f"plan2rdf serve exited: {log.read().decode('utf-8', 'replace')[-3000:]}")
            try:
                if served.get("sparql?query=ASK%7B%7D")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("plan2rdf serve did not answer in time")
            time.sleep(0.5)
        yield served
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
        log.close()
