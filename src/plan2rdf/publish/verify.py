"""What a graph holds, by content: distinct triples counted per predicate and kind of object.

A count of triples cannot see a store that changes data as it stores it (Oxigraph stores
``xsd:positiveInteger`` as ``xsd:integer``): the same number of triples comes back. Counting per
(predicate, object kind) — an IRI, a blank node, a language-tagged literal or the literal's datatype —
sees it, and costs one GROUP BY query on the server.
"""

from __future__ import annotations

import gzip
import re
from collections import Counter
from collections.abc import Sequence

from plan2rdf.i18n import Text
from plan2rdf.publish.client import Client
from plan2rdf.publish.errors import PublishError
from plan2rdf.publish.sources import Source

Profile = Counter[tuple[str, str]]  # (predicate IRI, kind) → distinct triples

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_LINE = re.compile(rb"^\s*(?:<[^>]*>|_:\S+)\s*<([^>]*)>\s*(.*?)\s*\.\s*(?:#.*)?$")
_TYPED = re.compile(rb'"\^\^<([^>]*)>$')
_LANG = re.compile(rb'"@[A-Za-z0-9-]+$')


def object_kind(term: bytes) -> str:
    """The kind of an N-Triples object: "iri", "bnode", "lang" or the literal's datatype IRI."""
    if term.startswith(b"<"):
        return "iri"
    if term.startswith(b"_:"):
        return "bnode"
    typed = _TYPED.search(term)
    if typed:
        return typed.group(1).decode("utf-8")
    return "lang" if _LANG.search(term) else XSD_STRING


def local_profile(sources: Sequence[Source]) -> Profile:
    """The profile of the distinct triples in the prepared N-Triples files (blank nodes per file)."""
    profile: Profile = Counter()
    seen: set[int] = set()
    for index, source in enumerate(sources):
        with gzip.open(source.path, "rb") if source.gzipped else source.path.open("rb") as stream:
            for raw in stream:
                match = _LINE.match(raw)
                if not match:
                    continue
                line = raw.strip()
                key = hash((index, line)) if b"_:" in line else hash(line)
                if key in seen:
                    continue
                seen.add(key)
                profile[match.group(1).decode("utf-8"), object_kind(match.group(2))] += 1
    return profile


def remote_profile(client: Client, graph: str | None, *, what: Text | str) -> Profile:
    """The profile of a graph on the server, from one GROUP BY query."""
    pattern = f"GRAPH <{graph}> {{ ?s ?p ?o }}" if graph else "?s ?p ?o"
    # LANG first: DATATYPE of a language-tagged literal differs between engines (rdf:langString or none).
    sparql = (
        "SELECT ?p ?kind (COUNT(*) AS ?n) WHERE { "
        f"{pattern} "
        'BIND (IF(isIRI(?o), "iri", IF(isBlank(?o), "bnode", IF(LANG(?o) != "", "lang", STR(DATATYPE(?o)))))'
        " AS ?kind) } GROUP BY ?p ?kind"
    )
    _columns, rows = client.select(sparql, what=what)
    profile: Profile = Counter()
    try:
        for p, kind, n in rows:
            profile[str(p), str(kind)] += int(str(n))
    except (TypeError, ValueError):  # a server's answer of another shape: it cannot be verified
        raise PublishError(
            what
            + Text(
                ja=": 中身を調べるクエリーに、サーバーが別の形の行で答えました",
                en=": the server answered the content query with rows of another shape",
            ),
            Text(
                ja="--endpoint が SPARQL 1.1 のクエリーサービスか確かめてください",
                en="check that --endpoint is a SPARQL 1.1 query service",
            ),
        ) from None
    return profile


def differences(sent: Profile, stored: Profile, *, at_least: bool = False, limit: int = 5) -> list[Text]:
    """How ``stored`` differs from ``sent`` (``at_least``: stored may hold more, as after an append)."""
    found: list[Text] = []
    for key in sorted(set(sent) | set(stored)):
        a, b = sent.get(key, 0), stored.get(key, 0)
        if a == b or (at_least and b >= a):
            continue
        predicate, kind = key
        found.append(
            Text(
                ja=f"{predicate}（目的語が{_kind_name(kind).ja}）: 送ったのは {a} 件、保存されたのは {b} 件",
                en=f"{predicate} with {_kind_name(kind).en} objects: {a} sent, {b} stored",
            )
        )
    if len(found) > limit:
        found = [*found[:limit], Text(ja=f"… ほか {len(found) - limit} 件", en=f"… and {len(found) - limit} more")]
    return found


def _kind_name(kind: str) -> Text:
    names = {
        "iri": Text(ja="IRI", en="IRI"),
        "bnode": Text(ja="空白ノード", en="blank-node"),
        "lang": Text(ja="言語タグ付きリテラル", en="language-tagged"),
    }
    return names.get(kind, Text(f"<{kind}>", f"<{kind}>"))
