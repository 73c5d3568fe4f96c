"""The HTTP client of one SPARQL server: requests with retries, SELECT/ASK, counts, updates, uploads.

Standard library only (urllib); rdflib is imported inside the functions that need it. Every failure
becomes a PublishError scrubbed of the secrets in use; redirects are refused, never followed.
"""

from __future__ import annotations

import http.client
import json
import logging
import re
import socket
import ssl
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from email.message import Message
from typing import TYPE_CHECKING
from urllib.parse import quote, urlencode, urlsplit

from plan2rdf.i18n import Text
from plan2rdf.publish.credentials import ENV_PASSWORD, ENV_TOKEN, ENV_USER, Credentials, redact_url, resolve_credentials
from plan2rdf.publish.digest import Challenge, authorization, parse_challenge
from plan2rdf.publish.endpoint import Endpoint
from plan2rdf.publish.errors import PublishError, one_line
from plan2rdf.version import __version__

if TYPE_CHECKING:
    from rdflib.term import Node

log = logging.getLogger(__name__)

Row = tuple["Node | None", ...]

MAX_DELAY = 8.0  # cap for one backoff pause, seconds (also caps a server's Retry-After)
CHUNK = 1 << 16  # bytes read at a time, so the size cap and the deadline are checked as the answer comes

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_NTRIPLES = "application/n-triples"
_JSON_RESULTS = "application/sparql-results+json"
_FORM = "application/x-www-form-urlencoded"


@dataclass
class _Response:
    status: int
    headers: Message
    body: bytes


CHECK_URL = Text(ja="エンドポイントの URL を確かめてください", en="check the endpoint URL")
HTTP_HINTS: dict[int, Text] = {
    400: Text(
        ja="サーバーが要求を断りました。理由はサーバーのメッセージにあります",
        en="the server rejected the request; its message says why",
    ),
    401: Text(ja="サーバーが認証情報を受け付けませんでした", en="the server rejected the credentials"),
    403: Text(
        ja="この操作をする権限が認証情報にありません（書き込みには読み取りより強い権限が要ることが多い）",
        en="the credentials lack permission for this operation (writing often needs more than reading)",
    ),
    404: Text(
        ja="エンドポイントの URL とサーバーの構成を確かめてください（docs/publishing.md 参照）",
        en="check the endpoint URL and the server's layout: see docs/publishing.md",
    ),
    405: Text(
        ja="この URL はこの要求を受け付けません。読み取り専用のサーバーか、更新・送信にクエリーの URL "
        "を指定していませんか",
        en="this URL does not accept the request: read-only server, or the query URL given for update/upload?",
    ),
    406: Text(ja="サーバーは求めた形式で答えられません", en="the server cannot answer in the format asked for"),
    413: Text(
        ja="要求がサーバーには大きすぎます。chunk_triples を下げてください",
        en="the request is too big for the server: lower chunk_triples",
    ),
    415: Text(ja="この URL ではこの形式を受け付けません", en="the server does not accept this format at this URL"),
}


NETWORK_HINTS: dict[str, Text] = {
    "refused": Text(
        ja="SPARQL サーバーは動いていますか。このアドレスで合っていますか",
        en="is the SPARQL server running, and is this its address?",
    ),
    "dns": Text(
        ja="エンドポイントの URL とネットワークを確かめてください", en="check the endpoint URL and the network"
    ),
    "certificate": Text(
        ja="サーバーの CA 証明書を入れてください（SSL_CERT_FILE など）。テスト用のサーバーに限り insecure を使えます",
        en="install the server's CA certificate (e.g. SSL_CERT_FILE); only for a test server, use insecure",
    ),
    "tls": Text(ja="http のサーバーに https の URL を使っていませんか", en="is this an https URL for an http server?"),
    "timeout": Text(
        ja="タイムアウトを延ばすか、小さいチャンクで送ってください", en="raise the timeout, or send smaller chunks"
    ),
    "broke": Text(
        ja="サーバーが落ちたか再起動した可能性があります。そのログを見てください",
        en="the server may have crashed or restarted; see its log",
    ),
}


def _cannot_send(url: str, exc: Exception) -> Text:
    return Text(ja=f": {redact_url(url)} に送れません: {exc}", en=f": cannot send to {redact_url(url)}: {exc}")


def _cannot_reach(where: str, reason: object) -> Text:
    return Text(ja=f": {where} に届きません: {reason}", en=f": cannot reach {where}: {reason}")


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


class Client:
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
        max_bytes: int | None = None,
        total_timeout: float | None = None,
    ):
        """``timeout`` bounds each connect and read; ``total_timeout`` (if given) each request as a
        whole, retries included; ``max_bytes`` (if given) the size of an answer."""
        if timeout <= 0:
            raise PublishError(
                Text(
                    ja=f"timeout は正の数にしてください（{timeout} になっています）",
                    en=f"timeout must be positive, not {timeout}",
                )
            )
        if retries < 0:
            raise PublishError(
                Text(
                    ja=f"retries は 0 以上にしてください（{retries} になっています）",
                    en=f"retries must be 0 or more, not {retries}",
                )
            )
        self.endpoint = endpoint
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.sleep = sleep
        self.max_bytes = max_bytes
        self.total_timeout = total_timeout
        self._explicit = credentials or endpoint.credentials
        self._by_host: dict[str, Credentials | None] = {}
        self._digest: dict[str, Challenge] = {}  # host → the last Digest challenge it sent
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

    def _authorization(self, creds: Credentials, method: str, url: str) -> str:
        """Digest once the host has asked for it (the password then never travels), else Basic or Bearer."""
        challenge = self._digest.get(urlsplit(url).hostname or "")
        if challenge is None or creds.token:
            return creds.header()
        parts = urlsplit(url)
        uri = parts.path + (f"?{parts.query}" if parts.query else "")
        return authorization(
            challenge, username=creds.username or "", password=creds.password or "", method=method, uri=uri
        )

    def _digest_wanted(self, exc: urllib.error.HTTPError, creds: Credentials | None, url: str, sent: str) -> bool:
        """Whether a 401 asks for Digest that we can give now: a new challenge, or a stale nonce."""
        if exc.code != 401 or creds is None or creds.token:
            return False
        challenge = parse_challenge(exc.headers.get("WWW-Authenticate") if exc.headers else None)
        if challenge is None:
            return False
        stale = "stale=true" in (exc.headers.get("WWW-Authenticate") or "").replace('"', "").lower()
        if sent.startswith("Digest") and not stale and f'nonce="{challenge.nonce}"' in sent:
            return False  # the very challenge answered, refused: wrong credentials
        self._digest[urlsplit(url).hostname or ""] = challenge
        return True

    def _ask_for_challenge(self, method: str, url: str) -> bool:
        """Send the request empty and without credentials to learn the server's Digest challenge."""
        req = urllib.request.Request(url, data=b"" if method in ("POST", "PUT") else None, method=method)
        req.add_header("User-Agent", f"plan2rdf/{__version__}")
        try:
            with self._opener.open(req, timeout=self.timeout):
                return False
        except urllib.error.HTTPError as exc:
            challenge = parse_challenge(exc.headers.get("WWW-Authenticate") if exc.headers else None)
            exc.close()
            if exc.code != 401 or challenge is None:
                return False
            self._digest[urlsplit(url).hostname or ""] = challenge
            return True
        except (OSError, http.client.HTTPException, ValueError):
            return False

    def scrub(self, text: str) -> str:
        for secret in sorted(self._secrets, key=len, reverse=True):
            text = text.replace(secret, "***")
        return text

    def error(self, message: Text | str, hint: Text | str | None = None) -> PublishError:
        """A PublishError without the secrets: ``message`` usually starts with what was being done."""

        def scrub(text: Text | str) -> Text | str:
            return text.map(self.scrub) if isinstance(text, Text) else self.scrub(text)

        return PublishError(scrub(message), scrub(hint) if hint else None)

    # requests

    def request(
        self,
        method: str,
        url: str,
        *,
        what: Text | str,
        body: Body | None = None,
        headers: Mapping[str, str] | None = None,
        idempotent: bool = True,
        retries: int | None = None,
    ) -> _Response:
        """Send with retries: refused connections, 429 and 503 always (the server did nothing);
        timeouts, resets, 502 and 504 only when repeating the request cannot do harm."""
        attempts = (self.retries if retries is None else retries) + 1
        deadline = None if self.total_timeout is None else time.monotonic() + self.total_timeout
        for attempt in range(1, attempts + 1):
            try:
                return self._once(method, url, what=what, body=body, headers=headers or {}, deadline=deadline)
            except _Retryable as failure:
                late = deadline is not None and time.monotonic() >= deadline  # no time left to retry
                if late or attempt == attempts or (failure.maybe_applied and not idempotent):
                    error = failure.error
                    if attempt > 1:
                        gave_up = Text(
                            ja=f"（{attempt} 回試してあきらめました）", en=f" (gave up after {attempt} attempts)"
                        )
                        error = PublishError(error.message + gave_up, error.hint)
                    raise error from None
                delay = min(MAX_DELAY, self.backoff * 2 ** (attempt - 1))
                if failure.retry_after is not None:
                    delay = min(MAX_DELAY, max(delay, failure.retry_after))
                log.info(
                    "%s; retrying in %.2f s (attempt %d of %d)", failure.error.message, delay, attempt + 1, attempts
                )
                self.sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover

    def _once(
        self,
        method: str,
        url: str,
        *,
        what: Text | str,
        body: Body | None,
        headers: Mapping[str, str],
        answered: int = 0,
        deadline: float | None = None,
    ) -> _Response:
        data: bytes | Iterable[bytes] | None = None
        length = None
        if body is not None:
            data, length = body()
        try:
            req = urllib.request.Request(url, data=data, method=method)
        except ValueError:
            raise self.error(
                what
                + Text(ja=f": URL が正しくありません: {redact_url(url)}", en=f": not a valid URL: {redact_url(url)}")
            ) from None
        req.add_header("User-Agent", f"plan2rdf/{__version__}")
        for key, value in headers.items():
            req.add_header(key, value)
        if length is not None:
            req.add_header("Content-Length", str(length))
        creds = self._credentials(url)
        sent = ""
        if creds:
            sent = self._authorization(creds, method, url)
            req.add_unredirected_header("Authorization", sent)
        log.debug("%s %s (%s)", method, redact_url(url), what)
        timeout = self.timeout
        if deadline is not None:  # no single connect or read outlasts the whole request's time
            timeout = min(timeout, deadline - time.monotonic())
            if timeout <= 0:
                raise self._too_late(url, what)
        try:
            with self._opener.open(req, timeout=timeout) as resp:
                return _Response(resp.status, resp.headers, self._read(resp, url, what, deadline))
        except urllib.error.HTTPError as exc:
            if answered < 2 and self._digest_wanted(exc, creds, url, sent):
                exc.close()  # the server applied nothing: answer its Digest challenge and send again
                return self._once(
                    method, url, what=what, body=body, headers=headers, answered=answered + 1, deadline=deadline
                )
            if exc.code == 401 and answered == 0 and sent.startswith("Basic ") and self._ask_for_challenge(method, url):
                exc.close()  # Basic refused without a challenge (Virtuoso): the server wants Digest
                return self._once(
                    method, url, what=what, body=body, headers=headers, answered=answered + 1, deadline=deadline
                )
            raise self._http_failure(exc, url, what, sent_credentials=creds is not None) from None
        except urllib.error.URLError as exc:
            raise self._network_failure(exc.reason, url, what) from None
        except (http.client.InvalidURL, UnicodeError) as exc:  # spaces or non-ASCII in the URL or a header
            hint = Text(
                ja="エンドポイントの URL と認証情報を確かめてください", en="check the endpoint URL and the credentials"
            )
            raise self.error(what + _cannot_send(url, exc), hint) from None
        except (OSError, http.client.HTTPException) as exc:
            raise self._network_failure(exc, url, what) from None
        except ValueError as exc:
            raise self.error(what + _cannot_send(url, exc), CHECK_URL) from None

    def _read(self, resp, url: str, what: Text | str, deadline: float | None) -> bytes:  # type: ignore[no-untyped-def]
        """The answer's body, read in chunks: PublishError once it passes max_bytes or the deadline
        (an endless or trickling answer must not fill the memory or hold the command)."""
        if self.max_bytes is None and deadline is None:
            return resp.read()
        declared = resp.headers.get("Content-Length") if resp.headers else None
        if self.max_bytes is not None and declared and declared.isdigit() and int(declared) > self.max_bytes:
            raise self._too_big(url, what)
        chunks: list[bytes] = []
        size = 0
        while chunk := resp.read(CHUNK):
            size += len(chunk)
            if self.max_bytes is not None and size > self.max_bytes:
                raise self._too_big(url, what)
            if deadline is not None and time.monotonic() > deadline:
                raise self._too_late(url, what)
            chunks.append(chunk)
        return b"".join(chunks)

    def _too_big(self, url: str, what: Text | str) -> PublishError:
        return self.error(
            what
            + Text(
                ja=f": {redact_url(url)} からの答えが {self.max_bytes:,} バイトを超えたので、読むのをやめました",
                en=f": the answer from {redact_url(url)} is larger than {self.max_bytes:,} bytes; reading stopped",
            ),
            Text(
                ja="求める行を減らす（LIMIT）か、--max-bytes で上限を上げてください",
                en="ask for fewer rows (LIMIT), or allow more with --max-bytes",
            ),
        )

    def _too_late(self, url: str, what: Text | str) -> PublishError:
        return self.error(
            what
            + Text(
                ja=f": {redact_url(url)} からの答えが {self.total_timeout:g} 秒以内に届ききりませんでした",
                en=f": the answer from {redact_url(url)} did not arrive in full within {self.total_timeout:g} s",
            ),
            Text(
                ja="--timeout SECONDS で時間を延ばすか、求める行を減らしてください（LIMIT）",
                en="give it more time with --timeout SECONDS, or ask for fewer rows (LIMIT)",
            ),
        )

    def _http_failure(
        self, exc: urllib.error.HTTPError, url: str, what: Text | str, *, sent_credentials: bool
    ) -> PublishError | _Retryable:
        code = exc.code
        try:
            raw = exc.read(65536) if exc.fp else b""
        except (OSError, http.client.HTTPException):
            raw = b""
        detail = self.scrub(_server_message(raw))
        status = f"HTTP {code} {exc.reason or ''}".rstrip()
        message = what + Text(ja=f": {redact_url(url)} から {status}", en=f": {status} from {redact_url(url)}")
        if detail:
            message += f": {detail}"  # the server's own words
        error = self.error
        if 300 <= code < 400:
            target = exc.headers.get("Location") if exc.headers else None
            where = f" to {redact_url(target)}" if target else ""
            where_ja = f"{redact_url(target)} へ" if target else ""
            return error(
                what
                + Text(
                    ja=f": {redact_url(url)} でサーバーが{where_ja}転送しました（HTTP {code}）",
                    en=f": the server redirected{where} (HTTP {code}) from {redact_url(url)}",
                ),
                Text(
                    ja="転送先の URL をエンドポイントにしてください。plan2rdf は転送に従いません",
                    en="use the final URL as the endpoint: plan2rdf does not follow redirects",
                ),
            )
        if code in (429, 503):
            return _Retryable(
                error(
                    message,
                    Text(
                        ja="サーバーが混んでいるか起動中です。しばらくしてからやり直してください",
                        en="the server is busy or starting; try again later",
                    ),
                ),
                False,
                _retry_after(exc),
            )
        if code in (502, 504):
            proxy = Text(
                ja="サーバーの前にあるプロキシが失敗しました。そのログを見てください",
                en="a proxy in front of the server failed; see its log",
            )
            return _Retryable(error(message, proxy), True)
        hints = dict(HTTP_HINTS)
        if code == 401 and not sent_credentials:
            hints[401] = Text(
                ja=f"サーバーが認証を求めています。{ENV_USER} と {ENV_PASSWORD}（または {ENV_TOKEN}）を設定するか、"
                "~/.netrc にホストを加えてください",
                en=f"the server wants credentials: set {ENV_USER} and {ENV_PASSWORD} (or {ENV_TOKEN}),"
                " or add the host to ~/.netrc",
            )
        failed = Text(ja="サーバーで失敗しました。そのログを見てください", en="the server failed; see its log")
        hint = hints.get(code, failed if code >= 500 else None)
        return error(message, hint)

    def _network_failure(self, reason: object, url: str, what: Text | str) -> PublishError | _Retryable:
        parts = urlsplit(url)
        host = parts.netloc.rpartition("@")[2]
        where = redact_url(url)
        if isinstance(reason, ConnectionRefusedError):
            return _Retryable(
                self.error(
                    what
                    + Text(
                        ja=f": {host} に接続できません（接続を拒否されました）。接続先 {where}",
                        en=f": cannot connect to {host} (connection refused) at {where}",
                    ),
                    NETWORK_HINTS["refused"],
                ),
                False,
            )
        if isinstance(reason, socket.gaierror):
            return self.error(
                what
                + Text(
                    ja=f": {where} のホスト名 {parts.hostname!r} を解決できません",
                    en=f": cannot resolve the host name {parts.hostname!r} of {where}",
                ),
                NETWORK_HINTS["dns"],
            )
        if isinstance(reason, ssl.SSLCertVerificationError):
            return self.error(
                what
                + Text(
                    ja=f": {host} の証明書を検証できませんでした（{reason.verify_message}）",
                    en=f": the certificate of {host} could not be verified ({reason.verify_message})",
                ),
                NETWORK_HINTS["certificate"],
            )
        if isinstance(reason, ssl.SSLError):
            return self.error(
                what
                + Text(
                    ja=f": {host} との TLS が失敗しました: {reason.reason}",
                    en=f": TLS failed with {host}: {reason.reason}",
                ),
                NETWORK_HINTS["tls"],
            )
        if isinstance(reason, TimeoutError):
            return _Retryable(
                self.error(
                    what
                    + Text(
                        ja=f": {host} が {self.timeout:g} 秒以内に答えませんでした",
                        en=f": {host} did not answer within {self.timeout:g} s",
                    ),
                    NETWORK_HINTS["timeout"],
                ),
                True,
            )
        if isinstance(reason, ConnectionError | http.client.HTTPException):
            return _Retryable(
                self.error(
                    what
                    + Text(
                        ja=f": {host} との接続が切れました（{type(reason).__name__}）",
                        en=f": the connection to {host} broke ({type(reason).__name__})",
                    ),
                    NETWORK_HINTS["broke"],
                ),
                True,
            )
        if isinstance(reason, OSError):
            return self.error(what + _cannot_reach(host, reason.strerror or reason), CHECK_URL)
        return self.error(what + _cannot_reach(where, reason), CHECK_URL)

    # SPARQL operations

    def select(
        self, sparql: str, *, what: Text | str, default_graphs: Sequence[str] = ()
    ) -> tuple[list[str], list[Row]]:
        """A SELECT or ASK query; ``default_graphs`` are the SPARQL 1.1 Protocol's default-graph-uri
        parameters: the query's default graph is their merge (none: the store's own default graph)."""
        url = self.endpoint.query
        form = [("query", sparql)] + [("default-graph-uri", graph) for graph in default_graphs]
        resp = self.request(
            "POST",
            url,
            what=what,
            body=bytes_body(urlencode(form).encode()),
            headers={"Content-Type": _FORM, "Accept": f"{_JSON_RESULTS}, application/json;q=0.9"},
        )
        kind = resp.headers.get_content_type() if resp.headers else ""
        if "json" not in kind:
            raise self.error(
                what
                + Text(
                    ja=f": {redact_url(url)} の答えが {kind or '種類（Content-Type）なし'} で、SPARQL JSON "
                    "の結果ではありません",
                    en=f": {redact_url(url)} answered {kind or 'without a content type'}, not SPARQL JSON results",
                ),
                Text(
                    ja="扱えるのは SPARQL クエリーの URL に送る SELECT と ASK だけです",
                    en="only SELECT and ASK queries are supported, sent to the SPARQL query URL",
                ),
            )
        try:
            return _parse_results(resp.body)
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise self.error(
                what
                + Text(
                    ja=f": {redact_url(url)} からの SPARQL JSON の結果が正しくありません: {one_line(str(exc))}",
                    en=f": invalid SPARQL JSON results from {redact_url(url)}: {one_line(str(exc))}",
                ),
                Text(ja="SPARQL クエリーの URL で合っていますか", en="is this the SPARQL query URL?"),
            ) from None

    def count(self, graph: str | None, *, what: Text | str | None = None) -> int:
        pattern = f"GRAPH <{graph}> {{ ?s ?p ?o }}" if graph else "?s ?p ?o"
        what = what or (
            Text(ja=f"<{graph}> のトリプルを数えています", en=f"counting the triples in <{graph}>")
            if graph
            else Text(ja="既定のグラフのトリプルを数えています", en="counting the triples in the default graph")
        )
        _columns, rows = self.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}", what=what)
        try:
            return int(str(rows[0][0]))
        except (IndexError, ValueError):
            raise self.error(
                what + Text(ja=": サーバーの答えに件数がありません", en=": the server's answer holds no count")
            ) from None

    def update(self, sparql: str, *, what: Text | str, idempotent: bool, retries: int | None = None) -> None:
        if not self.endpoint.update:
            raise self.error(
                what
                + Text(
                    ja=": エンドポイントに SPARQL Update の URL がありません",
                    en=": the endpoint has no SPARQL Update URL",
                ),
                Text(ja="サーバーの更新用 URL を指定してください", en="give the update URL of the server"),
            )
        self.request(
            "POST",
            self.endpoint.update,
            what=what,
            body=bytes_body(urlencode({"update": sparql}).encode()),
            headers={"Content-Type": _FORM},
            idempotent=idempotent,
            retries=retries,
        )

    def add(self, graph: str | None, body: Body, *, what: Text | str, idempotent: bool) -> None:
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
            raise self.error(
                what + Text(ja=": データが UTF-8 ではありません", en=": the data is not UTF-8"),
                Text(ja="N-Triples は UTF-8 でなければなりません", en="N-Triples must be UTF-8"),
            ) from None
        inner = f"GRAPH <{graph}> {{\n{triples}}}" if graph else triples
        self.update(f"INSERT DATA {{\n{inner}}}", what=what, idempotent=idempotent)


def bytes_body(data: bytes) -> Body:
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
    return one_line(text)


def _parse_results(body: bytes) -> tuple[list[str], list[Row]]:
    doc = json.loads(body.decode("utf-8"))
    if "boolean" in doc:  # ASK: true is one empty solution, false none, as in the algebra
        return [], [()] if doc["boolean"] is True else []
    columns = [str(v) for v in doc["head"]["vars"]]
    rows = [tuple(_term(binding.get(c)) for c in columns) for binding in doc["results"]["bindings"]]
    if columns == [_VIRTUOSO_ASK]:  # Virtuoso 7 answers ASK as a table: one row of 1 for true, none for false
        return [], [()] if any(row[0] is not None and str(row[0]) in ("1", "true") for row in rows) else []
    return columns, rows


_VIRTUOSO_ASK = "__ASK_RETVAL"


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
