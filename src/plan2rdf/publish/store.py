"""Publish RDF files to a SPARQL 1.1 store and query it remotely.

Uploads use the SPARQL 1.1 Graph Store HTTP Protocol (POST adds to a graph) in N-Triples chunks, so
a large collection never has to fit in one request. ``replace`` loads into a temporary graph, checks
its triple count, then moves it into place with one SPARQL Update request (``MOVE``): readers see the
old graph or the new one, never half of either, and a failed upload leaves the target untouched.
Queries use the SPARQL 1.1 Protocol and come back as rdflib terms, so they compare with local results.

Standard library only (urllib); rdflib is imported inside the functions that need it. Credentials
never appear in messages, exceptions, reprs or logs: URLs are stripped of user:password@ (which
becomes the credentials) and every error text is scrubbed of the secrets in use.
"""

from __future__ import annotations

import base64
import gzip
import http.client
import json
import logging
import math
import netrc
import os
import re
import secrets
import socket
import ssl
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path
from typing import TYPE_CHECKING, Literal
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

from plan2rdf.problems import ActionableError
from plan2rdf.version import __version__

if TYPE_CHECKING:
    from rdflib.term import Node

log = logging.getLogger(__name__)

Mode = Literal["replace", "append"]
Layout = Literal["auto", "oxigraph", "fuseki", "graphdb", "virtuoso", "qlever"]
Row = tuple["Node | None", ...]

ENV_USER = "PLAN2RDF_USER"
ENV_PASSWORD = "PLAN2RDF_PASSWORD"
ENV_TOKEN = "PLAN2RDF_TOKEN"

MAX_DELAY = 8.0  # cap for one backoff pause, seconds (also caps a server's Retry-After)
MESSAGE_LIMIT = 300  # characters of a server's error text kept in a message
TEMPORARY_MARK = "plan2rdf-tmp-"  # in every temporary graph IRI, so leftovers are easy to find

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_NTRIPLES = "application/n-triples"
_JSON_RESULTS = "application/sparql-results+json"
_FORM = "application/x-www-form-urlencoded"
_BLOCK = 1 << 20
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_IRI_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_STATEMENT = re.compile(rb"(<|_:).*\.(\s*#.*)?$")
_TERMS_WITH_TEXT = re.compile(rb'"(?:[^"\\]|\\.)*"|<[^>]*>')  # N-Triples literals and IRIs
_FORMATS = {
    ".nt": "nt",
    ".ntriples": "nt",
    ".ttl": "turtle",
    ".turtle": "turtle",
    ".n3": "n3",
    ".rdf": "xml",
    ".owl": "xml",
    ".xml": "xml",
    ".jsonld": "json-ld",
    ".json-ld": "json-ld",
}
_QUAD_FORMATS = {".nq", ".nquads", ".trig"}


class PublishError(ActionableError):
    """A publish or remote query failed; ``message`` says what, ``hint`` how to fix it."""

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message, hint)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


# --- credentials -------------------------------------------------------------------------------


@dataclass(frozen=True, repr=False)
class Credentials:
    """HTTP Basic (username + password) or Bearer (token) credentials; the repr hides them."""

    username: str | None = None
    password: str | None = None
    token: str | None = None

    def __repr__(self) -> str:
        return f"Credentials({'bearer' if self.token else 'basic'}, <redacted>)"

    def header(self) -> str:
        """The value of the Authorization header."""
        if self.token:
            return f"Bearer {self.token}"
        pair = f"{self.username or ''}:{self.password or ''}".encode()
        return "Basic " + base64.b64encode(pair).decode("ascii")

    def sensitive(self) -> list[str]:
        """Every string that must not appear in output (short user names would mangle messages)."""
        found = [s for s in (self.password, self.token) if s]
        if self.username and len(self.username) >= 3:
            found.append(self.username)
        if self.username or self.password or self.token:
            found.append(self.header().split(" ", 1)[1])
        return found


def resolve_credentials(
    url: str, *, environ: Mapping[str, str] | None = None, netrc_file: Path | None = None
) -> Credentials | None:
    """Credentials for ``url``: PLAN2RDF_TOKEN, else PLAN2RDF_USER/PLAN2RDF_PASSWORD, else ~/.netrc by host."""
    env = os.environ if environ is None else environ
    if env.get(ENV_TOKEN):
        return Credentials(token=env[ENV_TOKEN])
    if env.get(ENV_USER):
        if ENV_PASSWORD not in env:
            raise PublishError(f"{ENV_USER} is set but {ENV_PASSWORD} is not", f"set both, or use {ENV_TOKEN}")
        return Credentials(username=env[ENV_USER], password=env[ENV_PASSWORD])
    host = urlsplit(url).hostname
    if not host:
        return None
    path = netrc_file or Path(env.get("NETRC") or os.path.expanduser("~/.netrc"))
    if not path.is_file():
        return None
    try:
        entry = netrc.netrc(str(path)).authenticators(host)
    except netrc.NetrcParseError as exc:
        # The parser's message can quote a token from the file, i.e. a password: keep only safe parts.
        reason = exc.msg if "permissive" in exc.msg else "syntax error"
        raise PublishError(f"cannot use {path} (line {exc.lineno}): {reason}", "fix or remove that file") from None
    except OSError as exc:
        raise PublishError(f"cannot read {path}: {exc.strerror}") from None
    if entry is None:
        return None
    login, _account, password = entry
    return Credentials(username=login or "", password=password or "")


def redact_url(url: str) -> str:
    """``url`` without user:password@ and without secret-looking query parameters."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<unparsable URL>"
    netloc = parts.netloc.rpartition("@")[2]
    query = parts.query
    if query:
        pairs = [(k, "***" if _secret_param(k) else v) for k, v in parse_qsl(query, keep_blank_values=True)]
        query = urlencode(pairs, safe="*:/")
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def _secret_param(name: str) -> bool:
    name = name.lower().replace("_", "-")
    return name in {"access-token", "token", "auth-token", "password", "passwd", "key", "api-key"}


def _split_credentials(url: str) -> tuple[str, Credentials | None]:
    """Check ``url`` is http(s) and move user:password@ (or QLever's access-token=) into credentials."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises ValueError on a bad port)
    except ValueError:
        raise PublishError(f"not a valid URL: {redact_url(url)}", "an endpoint looks like http://host:7878") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise PublishError(f"not an http(s) URL: {redact_url(url)}", "an endpoint looks like http://localhost:7878")
    creds = None
    if parts.username is not None or parts.password is not None:
        creds = Credentials(username=unquote(parts.username or ""), password=unquote(parts.password or ""))
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        tokens = [v for k, v in pairs if k.lower() == "access-token"]
        if tokens:
            creds = Credentials(token=tokens[0])
            query = urlencode([(k, v) for k, v in pairs if k.lower() != "access-token"])
    netloc = parts.netloc.rpartition("@")[2]
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment)), creds


# --- endpoints ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Endpoint:
    """Where to query, update and upload. ``update``/``store`` are None where a server lacks them.

    URLs never keep user:password@: it moves into ``credentials`` (hidden from the repr).
    """

    query: str
    update: str | None = None
    store: str | None = None
    credentials: Credentials | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        found = self.credentials
        for name in ("query", "update", "store"):
            value = getattr(self, name)
            if value is None:
                continue
            clean, creds = _split_credentials(value)
            object.__setattr__(self, name, clean)  # frozen: normalise once, here
            if found is None:
                found = creds
        object.__setattr__(self, "credentials", found)

    @classmethod
    def from_url(cls, url: str, *, layout: Layout = "auto") -> Endpoint:
        """The endpoints of a server from one URL, following its usual layout.

        - oxigraph: ``http://host:7878`` → ``/query``, ``/update``, ``/store``
        - fuseki: the dataset, ``http://host:3030/ds`` → ``/ds/query``, ``/ds/update``, ``/ds/data``
        - graphdb: ``http://host:7200/repositories/ID`` → itself, ``…/statements``, ``…/rdf-graphs/service``
        - virtuoso: ``http://host:8890`` → ``/sparql``, ``/sparql-auth``, ``/sparql-graph-crud-auth``
        - qlever: one URL for everything (give it explicitly: its root looks like Oxigraph's)

        ``auto`` guesses from the path: ``/repositories/…`` GraphDB, ``/sparql`` Virtuoso, the root or
        ``/query`` Oxigraph, anything else a Fuseki dataset. A trailing service name is ignored, so
        ``…/ds/sparql`` works as well as ``…/ds``.
        """
        clean, creds = _split_credentials(url)
        parts = urlsplit(clean)
        path = parts.path.rstrip("/")

        def at(p: str) -> str:
            return urlunsplit((parts.scheme, parts.netloc, p, "", ""))

        if layout == "auto":
            layout = _guess_layout(path)
        if layout == "oxigraph":
            base = _strip_service(path, ("/query", "/update", "/store"))
            return cls(at(base + "/query"), at(base + "/update"), at(base + "/store"), credentials=creds)
        if layout == "fuseki":
            base = _strip_service(path, ("/sparql", "/query", "/update", "/data", "/get"))
            if not base:
                raise PublishError(
                    f"a Fuseki endpoint needs the dataset path: {redact_url(url)}",
                    "e.g. http://localhost:3030/ds",
                )
            return cls(at(base + "/query"), at(base + "/update"), at(base + "/data"), credentials=creds)
        if layout == "graphdb":
            match = re.match(r"(.*/repositories/[^/]+)", path)
            if not match:
                raise PublishError(
                    f"a GraphDB endpoint needs the repository path: {redact_url(url)}",
                    "e.g. http://localhost:7200/repositories/plans",
                )
            base = match.group(1)
            return cls(at(base), at(base + "/statements"), at(base + "/rdf-graphs/service"), credentials=creds)
        if layout == "virtuoso":
            base = _strip_service(path, ("/sparql", "/sparql-auth", "/sparql-graph-crud", "/sparql-graph-crud-auth"))
            return cls(
                at(base + "/sparql"),
                at(base + "/sparql-auth"),
                at(base + "/sparql-graph-crud-auth"),
                credentials=creds,
            )
        if layout == "qlever":
            root = at(path or "/")
            return cls(root, root, root, credentials=creds)
        raise PublishError(f"unknown server layout {layout!r}", "use oxigraph, fuseki, graphdb, virtuoso or qlever")


def _guess_layout(path: str) -> Layout:
    if "/repositories/" in path + "/":
        return "graphdb"
    if path in ("", "/query", "/update", "/store"):
        return "oxigraph"
    if path in ("/sparql", "/sparql-auth", "/sparql-graph-crud", "/sparql-graph-crud-auth"):
        return "virtuoso"
    return "fuseki"


def _strip_service(path: str, names: Sequence[str]) -> str:
    for name in names:
        if path.endswith(name):
            return path[: -len(name)]
    return path


# --- reports -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PublishReport:
    """What a publish did. ``triples_sent`` counts distinct triples, the number the graph should hold."""

    graph: str | None  # None: the default graph
    mode: Mode
    triples_sent: int
    triples_in_graph: int
    chunks: int
    seconds: float
    triples_before: int = 0

    @property
    def verified(self) -> bool:
        """Whether the count found matches what was sent (append: within what old + new allow)."""
        if self.mode == "replace":
            return self.triples_in_graph == self.triples_sent
        low = max(self.triples_before, self.triples_sent)
        return low <= self.triples_in_graph <= self.triples_before + self.triples_sent


@dataclass(frozen=True)
class UploadProgress:
    """Passed to ``publish(progress=…)`` after each chunk is stored."""

    chunk: int
    chunks: int
    triples: int  # triples uploaded so far (as sent, duplicates included)
    triples_total: int


# --- HTTP --------------------------------------------------------------------------------------


@dataclass
class _Response:
    status: int
    headers: Message
    body: bytes


class _Retryable(Exception):
    """A failure worth retrying; ``maybe_applied`` if the server may have processed the request."""

    def __init__(self, error: PublishError, maybe_applied: bool, retry_after: float | None = None):
        super().__init__(error.message)
        self.error = error
        self.maybe_applied = maybe_applied
        self.retry_after = retry_after


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # Following redirects would turn a POST into a GET (uploads silently lost) and could carry
    # credentials to another host: refuse, and say where the server pointed instead.
    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        return None


Body = Callable[[], tuple[bytes | Iterable[bytes], int]]


class _Client:
    """One endpoint, its credentials and the retry policy; maps every failure to PublishError."""

    def __init__(
        self,
        endpoint: Endpoint,
        *,
        credentials: Credentials | None,
        timeout: float,
        retries: int,
        backoff: float,
        sleep: Callable[[float], None],
        insecure: bool,
    ):
        if timeout <= 0:
            raise PublishError(f"timeout must be positive, not {timeout}")
        if retries < 0:
            raise PublishError(f"retries must be 0 or more, not {retries}")
        self.endpoint = endpoint
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.sleep = sleep
        self._explicit = credentials or endpoint.credentials
        self._by_host: dict[str, Credentials | None] = {}
        self._secrets: list[str] = []
        if self._explicit:
            self._secrets.extend(self._explicit.sensitive())
        context = ssl.create_default_context()
        if insecure:  # only on request: a test server with a self-signed certificate
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        self._opener = urllib.request.build_opener(_NoRedirect(), urllib.request.HTTPSHandler(context=context))

    # credentials and scrubbing

    def _credentials(self, url: str) -> Credentials | None:
        if self._explicit:
            return self._explicit
        host = urlsplit(url).hostname or ""
        if host not in self._by_host:
            found = resolve_credentials(url)
            self._by_host[host] = found
            if found:
                self._secrets.extend(found.sensitive())
        return self._by_host[host]

    def scrub(self, text: str) -> str:
        for secret in sorted(self._secrets, key=len, reverse=True):
            text = text.replace(secret, "***")
        return text

    def error(self, message: str, hint: str | None = None) -> PublishError:
        return PublishError(self.scrub(message), self.scrub(hint) if hint else None)

    # requests

    def request(
        self,
        method: str,
        url: str,
        *,
        what: str,
        body: Body | None = None,
        headers: Mapping[str, str] | None = None,
        idempotent: bool = True,
        retries: int | None = None,
    ) -> _Response:
        """Send with retries: refused connections, 429 and 503 always (the server did nothing);
        timeouts, resets, 502 and 504 only when repeating the request cannot do harm."""
        attempts = (self.retries if retries is None else retries) + 1
        for attempt in range(1, attempts + 1):
            try:
                return self._once(method, url, what=what, body=body, headers=headers or {})
            except _Retryable as failure:
                if attempt == attempts or (failure.maybe_applied and not idempotent):
                    error = failure.error
                    if attempt > 1:
                        error = PublishError(f"{error.message} (gave up after {attempt} attempts)", error.hint)
                    raise error from None
                delay = min(MAX_DELAY, self.backoff * 2 ** (attempt - 1))
                if failure.retry_after is not None:
                    delay = min(MAX_DELAY, max(delay, failure.retry_after))
                log.info(
                    "%s; retrying in %.2f s (attempt %d of %d)", failure.error.message, delay, attempt + 1, attempts
                )
                self.sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover

    def _once(self, method: str, url: str, *, what: str, body: Body | None, headers: Mapping[str, str]) -> _Response:
        data: bytes | Iterable[bytes] | None = None
        length = None
        if body is not None:
            data, length = body()
        try:
            req = urllib.request.Request(url, data=data, method=method)
        except ValueError:
            raise self.error(f"{what}: not a valid URL: {redact_url(url)}") from None
        req.add_header("User-Agent", f"plan2rdf/{__version__}")
        for key, value in headers.items():
            req.add_header(key, value)
        if length is not None:
            req.add_header("Content-Length", str(length))
        creds = self._credentials(url)
        if creds:
            req.add_unredirected_header("Authorization", creds.header())
        log.debug("%s %s (%s)", method, redact_url(url), what)
        try:
            with self._opener.open(req, timeout=self.timeout) as resp:
                return _Response(resp.status, resp.headers, resp.read())
        except urllib.error.HTTPError as exc:
            raise self._http_failure(exc, url, what, sent_credentials=creds is not None) from None
        except urllib.error.URLError as exc:
            raise self._network_failure(exc.reason, url, what) from None
        except (http.client.InvalidURL, UnicodeError) as exc:  # spaces or non-ASCII in the URL or a header
            hint = "check the endpoint URL and the credentials"
            raise self.error(f"{what}: cannot send to {redact_url(url)}: {exc}", hint) from None
        except (OSError, http.client.HTTPException) as exc:
            raise self._network_failure(exc, url, what) from None
        except ValueError as exc:
            raise self.error(f"{what}: cannot send to {redact_url(url)}: {exc}", "check the endpoint URL") from None

    def _http_failure(
        self, exc: urllib.error.HTTPError, url: str, what: str, *, sent_credentials: bool
    ) -> PublishError | _Retryable:
        code = exc.code
        try:
            raw = exc.read(65536) if exc.fp else b""
        except (OSError, http.client.HTTPException):
            raw = b""
        detail = self.scrub(_server_message(raw))
        message = f"{what}: HTTP {code} {exc.reason or ''}".rstrip() + f" from {redact_url(url)}"
        if detail:
            message += f": {detail}"
        error = self.error
        if 300 <= code < 400:
            target = exc.headers.get("Location") if exc.headers else None
            where = f" to {redact_url(target)}" if target else ""
            return error(
                f"{what}: the server redirected{where} (HTTP {code}) from {redact_url(url)}",
                "use the final URL as the endpoint: plan2rdf does not follow redirects",
            )
        if code in (429, 503):
            return _Retryable(
                error(message, "the server is busy or starting; try again later"), False, _retry_after(exc)
            )
        if code in (502, 504):
            return _Retryable(error(message, "a proxy in front of the server failed; see its log"), True)
        hints = {
            400: "the server rejected the request; its message says why",
            401: (
                "the server rejected the credentials"
                if sent_credentials
                else f"the server wants credentials: set {ENV_USER} and {ENV_PASSWORD} (or {ENV_TOKEN}),"
                " or add the host to ~/.netrc"
            ),
            403: "the credentials lack permission for this operation (writing often needs more than reading)",
            404: "check the endpoint URL and the server's layout: see docs/publishing.md",
            405: "this URL does not accept the request: read-only server, or the query URL given for update/upload?",
            406: "the server cannot answer in the format asked for",
            413: "the request is too big for the server: lower chunk_triples",
            415: "the server does not accept this format at this URL",
        }
        hint = hints.get(code, "the server failed; see its log" if code >= 500 else None)
        return error(message, hint)

    def _network_failure(self, reason: object, url: str, what: str) -> PublishError | _Retryable:
        parts = urlsplit(url)
        host = parts.netloc.rpartition("@")[2]
        where = redact_url(url)
        if isinstance(reason, ConnectionRefusedError):
            return _Retryable(
                self.error(
                    f"{what}: cannot connect to {host} (connection refused) at {where}",
                    "is the SPARQL server running, and is this its address?",
                ),
                False,
            )
        if isinstance(reason, socket.gaierror):
            return self.error(
                f"{what}: cannot resolve the host name {parts.hostname!r} of {where}",
                "check the endpoint URL and the network",
            )
        if isinstance(reason, ssl.SSLCertVerificationError):
            return self.error(
                f"{what}: the certificate of {host} could not be verified ({reason.verify_message})",
                "install the server's CA certificate (e.g. SSL_CERT_FILE); only for a test server, use insecure",
            )
        if isinstance(reason, ssl.SSLError):
            return self.error(
                f"{what}: TLS failed with {host}: {reason.reason}", "is this an https URL for an http server?"
            )
        if isinstance(reason, TimeoutError):
            return _Retryable(
                self.error(
                    f"{what}: {host} did not answer within {self.timeout:g} s",
                    "raise the timeout, or send smaller chunks",
                ),
                True,
            )
        if isinstance(reason, ConnectionError | http.client.HTTPException):
            return _Retryable(
                self.error(
                    f"{what}: the connection to {host} broke ({type(reason).__name__})",
                    "the server may have crashed or restarted; see its log",
                ),
                True,
            )
        if isinstance(reason, OSError):
            return self.error(f"{what}: cannot reach {host}: {reason.strerror or reason}", "check the endpoint URL")
        return self.error(f"{what}: cannot reach {where}: {reason}", "check the endpoint URL")

    # SPARQL operations

    def select(self, sparql: str, *, what: str) -> tuple[list[str], list[Row]]:
        url = self.endpoint.query
        resp = self.request(
            "POST",
            url,
            what=what,
            body=_bytes(urlencode({"query": sparql}).encode()),
            headers={"Content-Type": _FORM, "Accept": f"{_JSON_RESULTS}, application/json;q=0.9"},
        )
        kind = resp.headers.get_content_type() if resp.headers else ""
        if "json" not in kind:
            raise self.error(
                f"{what}: {redact_url(url)} answered {kind or 'without a content type'}, not SPARQL JSON results",
                "only SELECT and ASK queries are supported, sent to the SPARQL query URL",
            )
        try:
            return _parse_results(resp.body)
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise self.error(
                f"{what}: invalid SPARQL JSON results from {redact_url(url)}: {_oneline(str(exc))}",
                "is this the SPARQL query URL?",
            ) from None

    def count(self, graph: str | None, *, what: str | None = None) -> int:
        pattern = f"GRAPH <{graph}> {{ ?s ?p ?o }}" if graph else "?s ?p ?o"
        name = f"<{graph}>" if graph else "the default graph"
        what = what or f"counting the triples in {name}"
        _columns, rows = self.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}", what=what)
        try:
            return int(str(rows[0][0]))
        except (IndexError, ValueError):
            raise self.error(f"{what}: the server's answer holds no count") from None

    def update(self, sparql: str, *, what: str, idempotent: bool, retries: int | None = None) -> None:
        if not self.endpoint.update:
            raise self.error(f"{what}: the endpoint has no SPARQL Update URL", "give the update URL of the server")
        self.request(
            "POST",
            self.endpoint.update,
            what=what,
            body=_bytes(urlencode({"update": sparql}).encode()),
            headers={"Content-Type": _FORM},
            idempotent=idempotent,
            retries=retries,
        )

    def add(self, graph: str | None, body: Body, *, what: str, idempotent: bool) -> None:
        """Add N-Triples to a graph: Graph Store POST, or INSERT DATA where there is no graph store."""
        if self.endpoint.store:
            self.request(
                "POST",
                _graph_url(self.endpoint.store, graph),
                what=what,
                body=body,
                headers={"Content-Type": _NTRIPLES},
                idempotent=idempotent,
            )
            return
        data, _length = body()
        raw = data if isinstance(data, bytes) else b"".join(data)
        try:
            triples = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise self.error(f"{what}: the data is not UTF-8", "N-Triples must be UTF-8") from None
        inner = f"GRAPH <{graph}> {{\n{triples}}}" if graph else triples
        self.update(f"INSERT DATA {{\n{inner}}}", what=what, idempotent=idempotent)


def _bytes(data: bytes) -> Body:
    return lambda: (data, len(data))


def _graph_url(store: str, graph: str | None) -> str:
    sep = "&" if "?" in store else "?"
    return store + sep + ("default" if graph is None else "graph=" + quote(graph, safe=""))


def _retry_after(exc: urllib.error.HTTPError) -> float | None:
    value = exc.headers.get("Retry-After") if exc.headers else None
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:  # an HTTP date: fall back to our own backoff
        return None


def _server_message(raw: bytes) -> str:
    text = raw.decode("utf-8", errors="replace")
    if "<html" in text[:500].lower() or "<body" in text[:2000].lower():
        text = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", text)
        text = re.sub(r"<[^>]+>", " ", text)
    return _oneline(text)


def _oneline(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MESSAGE_LIMIT else text[: MESSAGE_LIMIT - 1] + "…"


# --- query -------------------------------------------------------------------------------------


def _parse_results(body: bytes) -> tuple[list[str], list[Row]]:
    doc = json.loads(body.decode("utf-8"))
    if "boolean" in doc:  # ASK: true is one empty solution, false none, as in the algebra
        return [], [()] if doc["boolean"] is True else []
    columns = [str(v) for v in doc["head"]["vars"]]
    rows = [tuple(_term(binding.get(c)) for c in columns) for binding in doc["results"]["bindings"]]
    return columns, rows


def _term(value: Mapping[str, str] | None) -> Node | None:
    from rdflib import BNode, Literal, URIRef

    if value is None:
        return None
    kind, text = value["type"], value["value"]
    if kind == "uri":
        return URIRef(text)
    if kind == "bnode":
        return BNode(text)
    if kind in ("literal", "typed-literal"):  # typed-literal: the 2008 format some servers still send
        lang = value.get("xml:lang")
        datatype = value.get("datatype")
        if lang:
            return Literal(text, lang=lang)
        # RDF 1.1: "x" and "x"^^xsd:string are one literal; rdflib's local results use the plain form.
        if datatype and datatype not in (_XSD_STRING, _RDF_LANGSTRING):
            return Literal(text, datatype=URIRef(datatype))
        return Literal(text)
    raise ValueError(f"unsupported RDF term type {kind!r}")


def query(
    endpoint: Endpoint,
    sparql_text: str,
    *,
    timeout: float = 60,
    credentials: Credentials | None = None,
    retries: int = 3,
    backoff: float = 0.25,
    sleep: Callable[[float], None] = time.sleep,
    insecure: bool = False,
) -> tuple[list[str], list[Row]]:
    """Run a SELECT (or ASK) query remotely: column names and rows of rdflib terms (None = unbound).

    ASK gives no columns and one empty row for true, no rows for false.
    """
    client = _Client(
        endpoint,
        credentials=credentials,
        timeout=timeout,
        retries=retries,
        backoff=backoff,
        sleep=sleep,
        insecure=insecure,
    )
    return client.select(sparql_text, what="querying")


# --- inputs ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Source:
    label: str  # the file as the user named it
    path: Path  # N-Triples to upload: the file itself, or its conversion
    gzipped: bool
    triples: int
    size: int  # bytes once decompressed
    blank_nodes: bool


def _open_binary(path: Path, gzipped: bool):  # type: ignore[no-untyped-def]
    return gzip.open(path, "rb") if gzipped else path.open("rb")


def _syntax_of(path: Path) -> tuple[str | None, bool]:
    suffixes = [s.lower() for s in path.suffixes]
    gzipped = bool(suffixes) and suffixes[-1] == ".gz"
    if gzipped:
        suffixes = suffixes[:-1]
    last = suffixes[-1] if suffixes else ""
    if last in _QUAD_FORMATS:
        return "quads", gzipped
    return _FORMATS.get(last), gzipped


def _prepare(files: Sequence[Path], workdir: Path) -> tuple[list[_Source], int]:
    """Check and scan every input once; returns the sources and the number of distinct triples.

    Distinct triples are counted with one 64-bit hash per triple (about 60 bytes each), which is
    what makes the count exact when files overlap; blank nodes are distinct per file, as on upload.
    """
    problems: list[str] = []
    seen: set[int] = set()
    sources: list[_Source] = []
    for index, file in enumerate(files):
        path = Path(file)
        if not path.is_file():
            problems.append(f"{path}: no such file")
            continue
        syntax, gzipped = _syntax_of(path)
        if syntax == "quads":
            problems.append(f"{path}: holds named graphs (N-Quads/TriG); publish each graph as N-Triples or Turtle")
            continue
        if syntax is None:
            problems.append(f"{path}: unknown RDF format; use .nt or .ttl (optionally .gz), .rdf or .jsonld")
            continue
        upload = path
        if syntax != "nt":
            upload = workdir / f"{index}.nt"
            try:
                _convert(path, syntax, gzipped, upload)
            except PublishError as exc:
                problems.append(str(exc))
                continue
            gzipped = False
        try:
            sources.append(_scan(index, str(path), upload, gzipped, seen, problems))
        except (OSError, EOFError) as exc:
            problems.append(f"{path}: cannot read: {exc}")
    if problems:
        more = f"\n… and {len(problems) - 20} more" if len(problems) > 20 else ""
        raise PublishError("\n".join(problems[:20]) + more, "nothing was uploaded")
    return sources, len(seen)


def _convert(path: Path, syntax: str, gzipped: bool, dest: Path) -> None:
    import rdflib

    graph = rdflib.Graph()
    try:
        if gzipped:
            with gzip.open(path, "rb") as stream:
                graph.parse(stream, format=syntax)
        else:
            graph.parse(path, format=syntax)
    except Exception as exc:  # rdflib's parsers raise many exception types
        raise PublishError(f"{path}: not valid {syntax}: {_oneline(str(exc))}") from None
    try:
        graph.serialize(destination=str(dest), format="nt", encoding="utf-8")
    except OSError as exc:
        raise PublishError(f"{path}: cannot convert to N-Triples in {dest.parent}: {exc.strerror or exc}") from None


def _scan(index: int, label: str, path: Path, gzipped: bool, seen: set[int], problems: list[str]) -> _Source:
    triples = size = 0
    blank = False
    with _open_binary(path, gzipped) as stream:
        for lineno, raw in enumerate(stream, 1):
            size += len(raw)
            line = raw.strip()
            if not line or line.startswith(b"#"):
                continue
            # A cheap check that catches Turtle saved as .nt before anything is uploaded; the
            # server validates the rest. A comment may follow the final ".".
            if not _STATEMENT.match(line) and len(problems) < 50:
                problems.append(f"{label}:{lineno}: not an N-Triples statement")
            triples += 1
            if _has_blank_node(line):
                blank = True
                seen.add(hash((index, line)))
            else:
                seen.add(hash(line))
    return _Source(label, path, gzipped, triples, size, blank)


def _has_blank_node(line: bytes) -> bool:
    if b"_:" not in line:  # the common case, decided without a regex
        return False
    return b"_:" in _TERMS_WITH_TEXT.sub(b" ", line)  # "_:" inside a literal or an IRI is not a blank node


@dataclass(frozen=True)
class _Chunk:
    body: Body
    triples: int
    where: str
    idempotent: bool


def _count_chunks(sources: Sequence[_Source], size: int) -> int:
    lines = sum(s.triples for s in sources if not s.blank_nodes)
    return math.ceil(lines / size) + sum(1 for s in sources if s.blank_nodes and s.triples)


def _chunks(sources: Sequence[_Source], size: int) -> Iterator[_Chunk]:
    """N-Triples in requests of ``size`` triples, packing small files together.

    A file with blank nodes goes whole in one request: the server scopes blank node labels to a
    request, so splitting it would turn one blank node into several.
    """
    lines: list[bytes] = []
    spans: list[list] = []  # [label, first line, last line]
    for source in sources:
        if source.blank_nodes:
            if source.triples:
                yield _Chunk(_file_body(source), source.triples, source.label, idempotent=False)
            continue
        try:
            stream = _open_binary(source.path, source.gzipped)
        except OSError as exc:
            raise PublishError(f"{source.label}: cannot read: {exc.strerror or exc}") from None
        with stream:
            for lineno, raw in _numbered_lines(stream, source.label):
                line = raw.strip()
                if not line or line.startswith(b"#"):
                    continue
                lines.append(line + b"\n")
                if spans and spans[-1][0] == source.label:
                    spans[-1][2] = lineno
                else:
                    spans.append([source.label, lineno, lineno])
                if len(lines) >= size:
                    yield _lines_chunk(lines, spans)
                    lines, spans = [], []
    if lines:
        yield _lines_chunk(lines, spans)


def _numbered_lines(stream: Iterable[bytes], label: str) -> Iterator[tuple[int, bytes]]:
    """The numbered lines of a file being uploaded, with read errors as PublishError."""
    try:
        yield from enumerate(stream, 1)
    except (OSError, EOFError) as exc:
        raise PublishError(f"{label}: cannot read: {exc}") from None


def _lines_chunk(lines: list[bytes], spans: list[list]) -> _Chunk:
    where = "; ".join(f"{label} lines {first}-{last}" for label, first, last in spans)
    # Adding triples without blank nodes twice changes nothing, so a lost answer may be retried.
    return _Chunk(_bytes(b"".join(lines)), len(lines), where, idempotent=True)


def _file_body(source: _Source) -> Body:
    def blocks() -> Iterator[bytes]:
        with _open_binary(source.path, source.gzipped) as stream:
            while block := stream.read(_BLOCK):
                yield block

    return lambda: (blocks(), source.size)


# --- publish -----------------------------------------------------------------------------------


def _check_graph(graph: str | None) -> None:
    if graph is None:
        return
    if not _IRI_SCHEME.match(graph) or _IRI_FORBIDDEN.search(graph):
        raise PublishError(
            f"not an absolute IRI: {graph!r}", "a graph IRI looks like https://example.org/graph/plan-2021"
        )


def _temporary_graph(graph: str | None) -> str:
    suffix = TEMPORARY_MARK + secrets.token_hex(8)
    if graph is None:
        return f"urn:plan2rdf:{suffix}"
    return f"{graph}{'-' if '#' in graph else '#'}{suffix}"


def _graph_name(graph: str | None) -> str:
    return f"<{graph}>" if graph else "the default graph"


def publish(
    files: Sequence[Path],
    *,
    endpoint: Endpoint,
    graph: str | None,
    mode: Mode,
    chunk_triples: int = 50_000,
    timeout: float = 60,
    retries: int = 3,
    credentials: Credentials | None = None,
    insecure: bool = False,
    backoff: float = 0.25,
    sleep: Callable[[float], None] = time.sleep,
    progress: Callable[[UploadProgress], None] | None = None,
) -> PublishReport:
    """Upload ``files`` (N-Triples, Turtle, …; ``.gz`` too) into ``graph`` (None: the default graph).

    ``append`` adds to the graph. ``replace`` uploads into a temporary graph, checks it holds every
    distinct triple sent, then swaps it in with one ``MOVE`` request; on any failure the temporary
    graph is dropped and the target is left as it was. Afterwards the target's triples are counted
    and reported; ``PublishReport.verified`` says whether the count is what was sent.
    """
    started = time.monotonic()
    if mode not in ("replace", "append"):
        raise PublishError(f"unknown mode {mode!r}", "use replace or append")
    if chunk_triples < 1:
        raise PublishError(f"chunk_triples must be at least 1, not {chunk_triples}")
    if not files:
        raise PublishError("no files to publish")
    _check_graph(graph)
    client = _Client(
        endpoint,
        credentials=credentials,
        timeout=timeout,
        retries=retries,
        backoff=backoff,
        sleep=sleep,
        insecure=insecure,
    )
    name = _graph_name(graph)
    with tempfile.TemporaryDirectory(prefix="plan2rdf-publish-") as work:
        sources, expected = _prepare(files, Path(work))
        if mode == "replace":
            if expected == 0:
                raise PublishError(
                    f"the input holds no triples: refusing to replace {name} with nothing",
                    "to empty a graph, DROP it with SPARQL Update",
                )
            if not endpoint.update:
                raise PublishError(
                    "replace needs a SPARQL Update URL to move the new graph into place",
                    "give the server's update URL, or use append",
                )
        before = client.count(graph)  # also proves the query URL works before anything is uploaded
        total = _count_chunks(sources, chunk_triples)
        if mode == "append":
            chunks = _upload(client, sources, graph, chunk_triples, total, progress, replacing=False)
        else:
            chunks = _replace(client, sources, graph, chunk_triples, total, progress, expected)
        after = client.count(graph, what=f"verifying {name}")
    return PublishReport(
        graph=graph,
        mode=mode,
        triples_sent=expected,
        triples_in_graph=after,
        chunks=chunks,
        seconds=round(time.monotonic() - started, 3),
        triples_before=before,
    )


def _replace(
    client: _Client,
    sources: Sequence[_Source],
    graph: str | None,
    size: int,
    total: int,
    progress: Callable[[UploadProgress], None] | None,
    expected: int,
) -> int:
    temporary = _temporary_graph(graph)
    name = _graph_name(graph)
    outcome = f"{name} was not changed"
    try:
        chunks = _upload(client, sources, temporary, size, total, progress, replacing=True)
        found = client.count(temporary, what="verifying the temporary graph")
        if found != expected:
            raise PublishError(
                f"the temporary graph holds {found} triples where {expected} were sent",
                "another client writing to the store at the same time, or a server that drops triples",
            )
        target = f"<{graph}>" if graph else "DEFAULT"
        # The request may be lost after the server applied it; either way the graph is whole.
        outcome = f"{name} holds either all its old triples or all the new ones"
        # One update request is atomic (SPARQL 1.1 Update, section 2.2): the old graph or the new.
        client.update(
            f"MOVE <{temporary}> TO {target}",
            what=f"moving the new triples into {name}",
            idempotent=False,  # a repeated MOVE would find no source graph
        )
    except BaseException as exc:  # Ctrl-C too: never leave a temporary graph behind if we can help it
        leftover = _drop_quietly(client, temporary)
        if isinstance(exc, PublishError):
            unsupported = None
            if exc.message.startswith("moving") and re.search(r"HTTP (400|501)\b", exc.message):
                unsupported = "the server may not support SPARQL 1.1 MOVE: see docs/publishing.md"
            hints = [h for h in (exc.hint, unsupported, outcome, leftover) if h]
            raise PublishError(exc.message, "; ".join(hints)) from None
        raise
    return chunks


def _drop_quietly(client: _Client, temporary: str) -> str | None:
    """Drop the temporary graph; on failure, say how to drop it by hand (never raises)."""
    try:
        client.update(
            f"DROP SILENT GRAPH <{temporary}>", what="dropping the temporary graph", idempotent=True, retries=0
        )
    except PublishError:
        return f"the temporary graph <{temporary}> may remain: DROP SILENT GRAPH <{temporary}>"
    return None


def _upload(
    client: _Client,
    sources: Sequence[_Source],
    graph: str | None,
    size: int,
    total: int,
    progress: Callable[[UploadProgress], None] | None,
    *,
    replacing: bool,
) -> int:
    done = sent = 0
    target = "the temporary graph" if replacing else _graph_name(graph)
    triples_total = sum(s.triples for s in sources)
    try:
        for chunk in _chunks(sources, size):
            what = f"uploading chunk {done + 1} of {total} ({chunk.where}) to {target}"
            client.add(graph, chunk.body, what=what, idempotent=chunk.idempotent)
            done += 1
            sent += chunk.triples
            if progress:
                progress(UploadProgress(chunk=done, chunks=total, triples=sent, triples_total=triples_total))
    except PublishError as exc:
        if replacing or done == 0:
            raise
        hint = f"{exc.hint}; " if exc.hint else ""
        hint += (
            f"{done} of {total} chunks were added before the failure (append is not atomic): "
            "run again to complete it, or use replace"
        )
        raise PublishError(exc.message, hint) from None
    return done
