"""HTTP Digest authentication (RFC 7616): the challenge a server sends and the answer to it.

Virtuoso's ``/sparql-auth`` and ``/sparql-graph-crud-auth`` accept Digest only. The password never
travels: only a hash of it with the server's nonce, the method and the URI.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass

_PARAM = re.compile(r'(\w+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))')
_HASHES = {"MD5": hashlib.md5, "SHA-256": hashlib.sha256}


@dataclass
class Challenge:
    """One ``WWW-Authenticate: Digest …`` challenge; ``count`` is the nonce count used so far."""

    realm: str
    nonce: str
    algorithm: str = "MD5"
    qop: str | None = None
    opaque: str | None = None
    session: bool = False
    count: int = 0


def parse_challenge(header: str | None) -> Challenge | None:
    """The Digest challenge in a WWW-Authenticate value (None when it is not Digest or we cannot answer)."""
    if not header:
        return None
    match = re.search(r"\bDigest\s+(.*)", header, flags=re.IGNORECASE | re.DOTALL)
    if not match:
        return None
    params = {k.lower(): (quoted if quoted is not None else bare) for k, quoted, bare in _PARAM.findall(match[1])}
    params = {k: re.sub(r"\\(.)", r"\1", v) for k, v in params.items()}
    algorithm = params.get("algorithm", "MD5").upper()
    session = algorithm.endswith("-SESS")
    algorithm = algorithm.removesuffix("-SESS")
    if algorithm not in _HASHES or "nonce" not in params:
        return None
    qops = [q.strip() for q in params.get("qop", "").split(",") if q.strip()]
    if qops and "auth" not in qops:
        return None  # auth-int only: hashing the body is not supported
    return Challenge(
        realm=params.get("realm", ""),
        nonce=params["nonce"],
        algorithm=algorithm,
        qop="auth" if qops else None,
        opaque=params.get("opaque"),
        session=session,
    )


def authorization(challenge: Challenge, *, username: str, password: str, method: str, uri: str) -> str:
    """The ``Authorization`` value answering ``challenge`` for one request (advances its nonce count)."""

    def h(text: str) -> str:
        return _HASHES[challenge.algorithm](text.encode("utf-8")).hexdigest()

    challenge.count += 1
    nc = f"{challenge.count:08x}"
    cnonce = secrets.token_hex(8)
    ha1 = h(f"{username}:{challenge.realm}:{password}")
    if challenge.session:
        ha1 = h(f"{ha1}:{challenge.nonce}:{cnonce}")
    ha2 = h(f"{method}:{uri}")
    if challenge.qop:
        response = h(f"{ha1}:{challenge.nonce}:{nc}:{cnonce}:{challenge.qop}:{ha2}")
    else:
        response = h(f"{ha1}:{challenge.nonce}:{ha2}")
    algorithm = challenge.algorithm + ("-sess" if challenge.session else "")
    parts = [
        f'username="{_quote(username)}"',
        f'realm="{_quote(challenge.realm)}"',
        f'nonce="{_quote(challenge.nonce)}"',
        f'uri="{_quote(uri)}"',
        f"algorithm={algorithm}",
        f'response="{response}"',
    ]
    if challenge.qop:
        parts += [f"qop={challenge.qop}", f"nc={nc}", f'cnonce="{cnonce}"']
    if challenge.opaque is not None:
        parts.append(f'opaque="{_quote(challenge.opaque)}"')
    return "Digest " + ", ".join(parts)


def _quote(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')
