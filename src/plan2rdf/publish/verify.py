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


def remote_profile(client: Client, graph: str | None, *, what: str) -> Profile:
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
            f"{what}: the server answered the content query with rows of another shape",
            "check that --endpoint is a SPARQL 1.1 query service",
        ) from None
    return profile


def differences(sent: Profile, stored: Profile, *, at_least: bool = False, limit: int = 5) -> list[str]:
    """How ``stored`` differs from ``sent`` (``at_least``: stored may hold more, as after an append)."""
    found = []
    for key in sorted(set(sent) | set(stored)):
        a, b = sent.get(key, 0), stored.get(key, 0)
        if a == b or (at_least and b >= a):
            continue
        predicate, kind = key
        found.append(f"{predicate} with {_kind_name(kind)} objects: {a} sent, {b} stored")
    if len(found) > limit:
        found = [*found[:limit], f"… and {len(found) - limit} more"]
    return found


def _kind_name(kind: str) -> str:
    return {"iri": "IRI", "bnode": "blank-node", "lang": "language-tagged"}.get(kind, f"<{kind}>")
