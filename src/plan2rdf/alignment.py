"""The graph's alignment to IMI 共通語彙基盤 (core vocabulary 2.4.2), as data: ontology/imi-alignment.ttl
read into one record per mapping, for docs, the site's vocabulary page and tests."""

from __future__ import annotations

from dataclasses import dataclass

IMI_NAMESPACE = "http://imi.go.jp/ns/core/rdf#"
IMI_VERSION = "2.4.2"
ALIGNMENT_FILE = "imi-alignment.ttl"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
MAPPING_RELATIONS = tuple(f"{_SKOS}{name}" for name in ("exactMatch", "closeMatch", "broadMatch", "narrowMatch",
                                                         "relatedMatch"))  # fmt: skip
PREFIXES = {
    "p2r": "https://w3id.org/plan2rdf/ns#",
    "ic": IMI_NAMESPACE,
    "org": "http://www.w3.org/ns/org#",
    "skos": _SKOS,
    "dcterms": "http://purl.org/dc/terms/",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "schema": "https://schema.org/",
    "time": "http://www.w3.org/2006/time#",
}


def curie(iri: str) -> str:
    """``ic:組織型`` for the IRI, with the prefixes of docs/vocabulary.md; the IRI itself otherwise."""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


@dataclass(frozen=True)
class Mapping:
    """One mapping: our term, the SKOS mapping property, the IMI term, and why (ja, en)."""

    iri: str  # the mapping's own IRI (its owl:Axiom)
    term: str
    relation: str
    imi_term: str
    comment_ja: str
    comment_en: str

    @property
    def row(self) -> tuple[str, str, str]:
        """``("dcterms:description", "skos:closeMatch", "ic:説明")``"""
        return curie(self.term), curie(self.relation), curie(self.imi_term)


def imi_mappings() -> list[Mapping]:
    """Every mapping of ontology/imi-alignment.ttl, in the file's IRI order."""
    from rdflib import OWL, RDF, RDFS, Graph

    from plan2rdf import resources

    graph = Graph().parse(resources.path("ontology", ALIGNMENT_FILE), format="turtle")
    mappings = []
    for axiom in sorted(graph.subjects(RDF.type, OWL.Axiom)):
        comments = {c.language: str(c) for c in graph.objects(axiom, RDFS.comment)}
        mappings.append(
            Mapping(
                iri=str(axiom),
                term=str(graph.value(axiom, OWL.annotatedSource)),
                relation=str(graph.value(axiom, OWL.annotatedProperty)),
                imi_term=str(graph.value(axiom, OWL.annotatedTarget)),
                comment_ja=comments.get("ja", ""),
                comment_en=comments.get("en", ""),
            )
        )
    return mappings
