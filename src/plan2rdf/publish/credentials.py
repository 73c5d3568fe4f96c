"""Credentials for a SPARQL server, and URLs with them taken out.

Credentials never appear in messages, exceptions, reprs or logs: URLs are stripped of
user:password@ (which becomes the credentials) and of secret-looking query parameters.
"""

from __future__ import annotations

import base64
import netrc
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

from plan2rdf.i18n import Text
from plan2rdf.publish.errors import PublishError

ENV_USER = "PLAN2RDF_USER"
ENV_PASSWORD = "PLAN2RDF_PASSWORD"
ENV_TOKEN = "PLAN2RDF_TOKEN"


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
            raise PublishError(
                Text(
                    ja=f"{ENV_USER} は設定されていますが、{ENV_PASSWORD} が設定されていません",
                    en=f"{ENV_USER} is set but {ENV_PASSWORD} is not",
                ),
                Text(ja=f"両方を設定するか、{ENV_TOKEN} を使ってください", en=f"set both, or use {ENV_TOKEN}"),
            )
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
        raise PublishError(
            Text(
                ja=f"{path} を使えません（{exc.lineno} 行目）: {reason}",
                en=f"cannot use {path} (line {exc.lineno}): {reason}",
            ),
            Text(ja="そのファイルを直すか、消してください", en="fix or remove that file"),
        ) from None
    except OSError as exc:
        raise PublishError(
            Text(ja=f"{path} を読めません: {exc.strerror}", en=f"cannot read {path}: {exc.strerror}")
        ) from None
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


def split_credentials(url: str) -> tuple[str, Credentials | None]:
    """Check ``url`` is http(s) and move user:password@ (or QLever's access-token=) into credentials."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises ValueError on a bad port)
    except ValueError:
        raise PublishError(
            Text(ja=f"URL が正しくありません: {redact_url(url)}", en=f"not a valid URL: {redact_url(url)}"),
            Text(ja="エンドポイントは http://host:7878 のような形です", en="an endpoint looks like http://host:7878"),
        ) from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise PublishError(
            Text(ja=f"http(s) の URL ではありません: {redact_url(url)}", en=f"not an http(s) URL: {redact_url(url)}"),
            Text(
                ja="エンドポイントは http://localhost:7878 のような形です",
                en="an endpoint looks like http://localhost:7878",
            ),
        )
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
