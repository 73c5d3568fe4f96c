"""The vocabulary page: the plan2rdf ontology's classes, properties and named rules with their labels."""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS

from plan2rdf.site.index import Index, compact
from plan2rdf.site.models import Label, OntologyView, Term, Value
from plan2rdf.vocab import P2R


def ontology_view(graph: Graph) -> OntologyView:
    """Classes, properties and named rules of the plan2rdf ontology with their ja/en labels."""
    ix = Index(graph)
    ns = str(P2R)
    onto = next(iter(ix.of_type(OWL.Ontology)), URIRef(ns.rstrip("#")))
    derived = set(ix.of_type(P2R.DerivedProperty))

    def term(s, kind: str) -> Term:
        relations = []
        for p, name in (
            (RDFS.subClassOf, "rdfs:subClassOf"),
            (RDFS.subPropertyOf, "rdfs:subPropertyOf"),
            (RDFS.domain, "rdfs:domain"),
            (RDFS.range, "rdfs:range"),
            (RDF.type, "rdf:type"),
        ):
            values = tuple(Value(compact(str(o)), iri=str(o)) for o in ix.refs(s, p) if not str(o).startswith(str(OWL)))
            if values:
                relations.append((name, values))
        return Term(
            local=str(s)[len(ns) :],
            name=compact(str(s)),
            kind=kind,
            label=Label(ix.text(s, RDFS.label) or "", ix.text(s, RDFS.label, "en")),
            comment=Label(ix.text(s, RDFS.comment) or "", ix.text(s, RDFS.comment, "en")),
            derived=s in derived,
            relations=tuple(relations),
        )

    def ours(cls) -> list[URIRef]:
        return sorted((s for s in ix.of_type(cls) if str(s).startswith(ns)), key=lambda s: str(s).lower())

    classes = ours(OWL.Class)
    objects = ours(OWL.ObjectProperty)
    datatypes = [s for s in ours(OWL.DatatypeProperty) if s not in objects]
    seen = set(classes) | set(objects) | set(datatypes)
    individuals = [s for s in sorted((s for s in ix.out if str(s).startswith(ns)), key=str) if s not in seen]
    return OntologyView(
        iri=str(onto),
        title=Label(ix.text(onto, DCTERMS.title) or ns, ix.text(onto, DCTERMS.title, "en")),
        description=Label(ix.text(onto, DCTERMS.description) or "", ix.text(onto, DCTERMS.description, "en")),
        version=ix.text(onto, OWL.versionInfo, None),
        sections=(
            (Label("クラス", "Classes"), tuple(term(s, "class") for s in classes)),
            (Label("オブジェクト・プロパティ", "Object properties"), tuple(term(s, "object") for s in objects)),
            (Label("データ・プロパティ", "Datatype properties"), tuple(term(s, "datatype") for s in datatypes)),
            (
                Label("個体（推定規則）", "Individuals (derivation rules)"),
                tuple(term(s, "individual") for s in individuals),
            ),
        ),
    )
