"""Where a SPARQL server queries, updates and stores graphs: one URL and the server's usual layout."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import urlsplit, urlunsplit

from plan2rdf.i18n import Text
from plan2rdf.publish.credentials import Credentials, redact_url, split_credentials
from plan2rdf.publish.errors import PublishError

Layout = Literal["auto", "oxigraph", "fuseki", "graphdb", "virtuoso", "qlever"]


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
            clean, creds = split_credentials(value)
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
        clean, creds = split_credentials(url)
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
                    Text(
                        ja=f"Fuseki のエンドポイントにはデータセットのパスが必要です: {redact_url(url)}",
                        en=f"a Fuseki endpoint needs the dataset path: {redact_url(url)}",
                    ),
                    Text(ja="例: http://localhost:3030/ds", en="e.g. http://localhost:3030/ds"),
                )
            return cls(at(base + "/query"), at(base + "/update"), at(base + "/data"), credentials=creds)
        if layout == "graphdb":
            match = re.match(r"(.*/repositories/[^/]+)", path)
            if not match:
                raise PublishError(
                    Text(
                        ja=f"GraphDB のエンドポイントにはリポジトリのパスが必要です: {redact_url(url)}",
                        en=f"a GraphDB endpoint needs the repository path: {redact_url(url)}",
                    ),
                    Text(
                        ja="例: http://localhost:7200/repositories/plans",
                        en="e.g. http://localhost:7200/repositories/plans",
                    ),
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
        raise PublishError(
            Text(ja=f"サーバーの構成 {layout!r} は分かりません", en=f"unknown server layout {layout!r}"),
            Text(
                ja="oxigraph、fuseki、graphdb、virtuoso、qlever のどれかにしてください",
                en="use oxigraph, fuseki, graphdb, virtuoso or qlever",
            ),
        )


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
