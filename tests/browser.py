"""Test helpers: a loopback HTTP server for a built site, and headless Chromium driven over the
Chrome DevTools Protocol.

The protocol runs over a pipe (``--remote-debugging-pipe``: JSON messages separated by NUL bytes on
file descriptors 3 and 4), so no websocket library and no open debugging port are needed.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import functools
import http.server
import json
import os
import re
import select
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import pytest

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",  # CI runs as root, where the sandbox cannot start
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--mute-audio",
)
MEDIA_TYPES = {
    ".ttl": "text/turtle; charset=utf-8",
    ".jsonld": "application/ld+json; charset=utf-8",
    ".nt": "application/n-triples; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    ".svg": "image/svg+xml",
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
}


def find_chromium() -> str | None:
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def require_chromium() -> str:
    """Chromium's path; skip (with the reason) when it is missing, unless the run requires it."""
    found = find_chromium()
    if found:
        return found
    message = "chromium is not installed (apt-get install chromium)"
    if os.environ.get("PLAN2RDF_REQUIRE_BROWSER"):
        pytest.fail(f"{message}, and PLAN2RDF_REQUIRE_BROWSER is set")
    pytest.skip(f"{message}; set PLAN2RDF_REQUIRE_BROWSER=1 to make this a failure")
    raise AssertionError("unreachable")


# ---------------------------------------------------------------------------------------------
# The server


@dataclass(frozen=True)
class ConnegRule:
    pattern: re.Pattern[str]
    extension: str


def nginx_rules(conf: str) -> tuple[str, list[ConnegRule]]:
    """The default and the regex rules of the ``map $http_accept`` block of the generated nginx.conf,
    so the test server negotiates exactly as the shipped configuration says."""
    block = re.search(r"map \$http_accept \$plan2rdf_ext \{(.*?)\n\}", conf, re.S)
    assert block, "nginx.conf has no map $http_accept block"
    default, rules = "html", []
    for line in block.group(1).splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, value = line.rstrip(";").rsplit(None, 1)
        if key == "default":
            default = value
            continue
        key = key.strip('"')
        flags = re.I if key.startswith("~*") else 0
        rules.append(ConnegRule(re.compile(key.lstrip("~*"), flags), value))
    return default, rules


@dataclass
class Server:
    url: str
    root: Path
    log: list[tuple[str, int]] = field(default_factory=list)  # (path, status) of every request

    def failures(self) -> list[tuple[str, int]]:
        return [(path, status) for path, status in self.log if status >= 400]


class _Handler(http.server.SimpleHTTPRequestHandler):
    server_log: ClassVar[list[tuple[str, int]]]
    conneg: ClassVar[bool] = False
    extensions_map: ClassVar[dict[str, str]] = {**http.server.SimpleHTTPRequestHandler.extensions_map, **MEDIA_TYPES}

    def send_head(self):
        if self.conneg:
            self._negotiate()
        return super().send_head()

    def _negotiate(self) -> None:
        """nginx's ``try_files $uri.$ext $uri $uri.html $uri/``, $ext from the site's own nginx.conf
        (read on each request, so a site rebuilt in place is served as rebuilt)."""
        path = self.path.split("?", 1)[0]
        if path.endswith("/"):
            return  # a directory: its index.html, as nginx's index directive
        local = Path(self.translate_path(path))
        default, rules = nginx_rules((Path(self.directory) / "nginx.conf").read_text(encoding="utf-8"))
        accept = self.headers.get("Accept", "")
        ext = next((r.extension for r in rules if r.pattern.search(accept)), default)
        for suffix in (f".{ext}", "", ".html"):
            if Path(f"{local}{suffix}").is_file():
                self.path = path + suffix
                return

    def end_headers(self) -> None:
        if self.conneg:
            self.send_header("Vary", "Accept")
        super().end_headers()

    def log_request(self, code="-", size="-") -> None:
        self.server_log.append((self.path, int(code) if str(code).isdigit() else 0))

    def log_message(self, format, *args) -> None:  # keep test output quiet
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        # A browser that stops reading (e.g. it navigated on) resets the connection: not an error.
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextlib.contextmanager
def serve(root: Path, *, conneg: bool = False) -> Iterator[Server]:
    """Serve ``root`` on 127.0.0.1 at a free port, in a thread, for the duration of the block;
    with ``conneg``, extensionless paths are negotiated as the site's nginx.conf says."""
    log: list[tuple[str, int]] = []
    handler = type("Handler", (_Handler,), {"server_log": log, "conneg": conneg})
    httpd = _Server(("127.0.0.1", 0), functools.partial(handler, directory=str(root)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield Server(f"http://127.0.0.1:{httpd.server_address[1]}/", Path(root), log)
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)


# ---------------------------------------------------------------------------------------------
# The browser


class BrowserError(RuntimeError):
    pass


class Browser:
    """One headless Chromium; ``page()`` opens a tab to drive."""

    def __init__(self, executable: str, *, timeout: float = 30.0):
        self.timeout = timeout
        self.profile = tempfile.mkdtemp(prefix="plan2rdf-chromium-")
        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()
        # The child reads commands on fd 3 and writes replies on fd 4. Move our ends above 10 first,
        # so the dup2 calls in the child cannot overwrite one with the other.
        child_in = fcntl.fcntl(to_child_r, fcntl.F_DUPFD_CLOEXEC, 10)
        child_out = fcntl.fcntl(from_child_w, fcntl.F_DUPFD_CLOEXEC, 10)
        os.close(to_child_r)
        os.close(from_child_w)

        def in_child() -> None:
            os.dup2(child_in, 3)  # dup2 clears close-on-exec: 3 and 4 survive the exec
            os.dup2(child_out, 4)

        self.stderr = tempfile.TemporaryFile()  # noqa: SIM115 (closed in close())
        self.process = subprocess.Popen(
            [executable, *CHROMIUM_FLAGS, f"--user-data-dir={self.profile}", "--remote-debugging-pipe", "about:blank"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=self.stderr,
            close_fds=False,  # pass_fds would close 3 and 4; every other fd of ours is close-on-exec
            preexec_fn=in_child,
        )
        os.close(child_in)
        os.close(child_out)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict[str, Any]] = []

    # the protocol --------------------------------------------------------------------------

    def _read_message(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._from_child], [], [], left)[0]:
                raise BrowserError("timed out waiting for chromium")
            chunk = os.read(self._from_child, 1 << 16)
            if not chunk:
                raise BrowserError(f"chromium exited: {self._stderr_tail()}")
            self._buffer += chunk
        message, _, self._buffer = self._buffer.partition(b"\0")
        return json.loads(message)

    def _stderr_tail(self) -> str:
        self.stderr.seek(0)
        return self.stderr.read().decode("utf-8", "replace")[-2000:]

    def call(self, method: str, params: dict | None = None, *, session: str | None = None) -> dict[str, Any]:
        self._next_id += 1
        ident = self._next_id
        message: dict[str, Any] = {"id": ident, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_child, json.dumps(message).encode("utf-8") + b"\0")
        deadline = time.monotonic() + self.timeout
        while True:
            reply = self._read_message(deadline)
            if reply.get("id") == ident:
                if "error" in reply:
                    raise BrowserError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            if "method" in reply:
                self.events.append(reply)

    def wait_for(self, method: str, *, session: str | None = None) -> dict[str, Any]:
        """The first event ``method`` (of ``session``) not yet seen; it is removed from ``events``."""
        deadline = time.monotonic() + self.timeout
        while True:
            for i, event in enumerate(self.events):
                if event["method"] == method and (session is None or event.get("sessionId") == session):
                    return self.events.pop(i)
            message = self._read_message(deadline)
            if "method" in message:
                self.events.append(message)

    def page(self, *, width: int = 1280, height: int = 900) -> Page:
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        page = Page(self, session)
        self.call("Page.enable", session=session)
        self.call("Runtime.enable", session=session)
        self.call(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
            session=session,
        )
        return page

    def close(self) -> None:
        with contextlib.suppress(BrowserError, OSError):
            self.call("Browser.close")
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)
        for fd in (self._to_child, self._from_child):
            with contextlib.suppress(OSError):
                os.close(fd)
        self.stderr.close()
        shutil.rmtree(self.profile, ignore_errors=True)

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


@dataclass
class Page:
    browser: Browser
    session: str

    def goto(self, url: str) -> None:
        """Load ``url`` and wait for its load event."""
        self.browser.events = [
            e
            for e in self.browser.events
            if e.get("sessionId") != self.session or e["method"].startswith("Page.javascriptDialog")
        ]
        result = self.browser.call("Page.navigate", {"url": url}, session=self.session)
        if result.get("errorText"):
            raise BrowserError(f"{url}: {result['errorText']}")
        self.browser.wait_for("Page.loadEventFired", session=self.session)

    def evaluate(self, expression: str) -> Any:
        result = self.browser.call(
            "Runtime.evaluate", {"expression": expression, "returnByValue": True}, session=self.session
        )
        if "exceptionDetails" in result:
            raise BrowserError(f"{expression[:60]}…: {result['exceptionDetails']}")
        return result["result"].get("value")

    def screenshot(self, path: Path, *, full_page: bool = True) -> bytes:
        params: dict[str, Any] = {"format": "png"}
        if full_page:
            params["captureBeyondViewport"] = True
            size = self.evaluate("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
            params["clip"] = {"x": 0, "y": 0, "width": size[0], "height": min(size[1], 8000), "scale": 1}
        data = base64.b64decode(self.browser.call("Page.captureScreenshot", params, session=self.session)["data"])
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return data

    def dialogs(self) -> list[dict[str, Any]]:
        """Alert, confirm and prompt dialogs the page opened (a script ran)."""
        return [
            e
            for e in self.browser.events
            if e["method"] == "Page.javascriptDialogOpening" and e.get("sessionId") == self.session
        ]


# JavaScript run in each page by the link checker: every href/src as the browser resolves it
# (SVG <a href> included), and every id on the page.
LINKS_JS = """(() => {
  const out = [];
  for (const el of document.querySelectorAll('[href], [src]')) {
    const raw = el.getAttribute('href') ?? el.getAttribute('src');
    out.push(new URL(raw, document.baseURI).href);
  }
  return {links: out, ids: Array.from(document.querySelectorAll('[id]'), e => e.id)};
})()"""


@dataclass
class Crawl:
    """What a crawl saw: each page's ids, and every link (page URL → resolved target URL)."""

    ids: dict[str, set[str]] = field(default_factory=dict)
    links: set[tuple[str, str]] = field(default_factory=set)
    dialogs: list[dict[str, Any]] = field(default_factory=list)

    def targets(self) -> set[str]:
        return {target for _, target in self.links}


def crawl(browser: Browser, start: str, *, prefix: str, tabs: int = 3) -> Crawl:
    """Load every page reachable from ``start`` (URLs under ``prefix``) in the browser, several tabs
    at a time, and collect the links and ids of each page's DOM. Only HTML pages are loaded; other
    link targets (RDF, CSV, SVG, CSS) are returned for the caller to fetch."""
    result = Crawl()
    pages = [browser.page() for _ in range(tabs)]
    todo, seen = [start], {start}
    while todo:
        batch = [todo.pop() for _ in range(min(tabs, len(todo)))]
        for page, url in zip(pages, batch, strict=False):
            browser.events = [e for e in browser.events if e.get("sessionId") != page.session]
            reply = browser.call("Page.navigate", {"url": url}, session=page.session)
            if reply.get("errorText"):
                raise BrowserError(f"{url}: {reply['errorText']}")
        for page, url in zip(pages, batch, strict=False):
            browser.wait_for("Page.loadEventFired", session=page.session)
            info = page.evaluate(LINKS_JS)
            result.dialogs.extend(page.dialogs())
            result.ids[url] = set(info["ids"])
            for link in info["links"]:
                result.links.add((url, link))
                target = link.split("#", 1)[0]
                if target.startswith(prefix) and _is_page(target) and target not in seen:
                    seen.add(target)
                    todo.append(target)
    return result


def _is_page(url: str) -> bool:
    """A link the crawler loads: an .html page, or an extensionless IRI (served by negotiation)."""
    last = url.rsplit("/", 1)[-1]
    return url.endswith(".html") or url.endswith("/") or "." not in last
