"""RDF text conversions the server needs: N-Triples of a graph answer, and a resource's Turtle
description as N-Triples (the site writes Turtle and JSON-LD; N-Triples is made on request)."""

from __future__ import annotations


def convert_ntriples(ntriples: str, name: str) -> str:
    """N-Triples as Turtle (with the project's prefixes) or as it is."""
    if name == "ntriples":
        return ntriples
    import pyoxigraph as ox

    from plan2rdf.vocab import PREFIXES

    triples = ox.parse(ntriples.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    prefixes = {name: str(ns) for name, ns in PREFIXES.items()}
    return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes).decode("utf-8")


def turtle_to_ntriples(turtle: bytes, base: str) -> str:
    """A Turtle document as sorted N-Triples (relative IRIs resolved against ``base``)."""
    import pyoxigraph as ox

    triples = ox.parse(turtle, format=ox.RdfFormat.TURTLE, base_iri=base)
    return "".join(sorted(f"{t.subject} {t.predicate} {t.object} .\n" for t in triples))
