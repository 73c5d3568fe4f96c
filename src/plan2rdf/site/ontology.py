"""The vocabulary page: the plan2rdf ontology's classes, properties and named rules with their
labels, and the alignment of the graph's terms to IMI 共通語彙基盤."""

from __future__ import annotations

from collections.abc import Sequence

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS

from plan2rdf.alignment import IMI_VERSION, Mapping, curie
from plan2rdf.site.index import Index, compact
from plan2rdf.site.models import AlignmentRow, Label, OntologyView, Term, Value
from plan2rdf.vocab import P2R


def alignment_rows(mappings: Sequence[Mapping]) -> tuple[AlignmentRow, ...]:
    """The IMI alignment as the vocabulary page's table, in the order of our terms."""
    rows = (
        AlignmentRow(
            term=Value(curie(m.term), iri=m.term),
            relation=curie(m.relation),
            imi_term=Value(curie(m.imi_term), iri=m.imi_term),
            comment=Label(m.comment_ja, m.comment_en or None),
            imi_version=IMI_VERSION,
        )
        for m in mappings
    )
    return tuple(sorted(rows, key=lambda r: (r.term.text.lower(), r.imi_term.text)))


def ontology_view(graph: Graph, alignment: Sequence[Mapping] = ()) -> OntologyView:
    """Classes, properties and named rules of the plan2rdf ontology with their ja/en labels, and
    the ``alignment`` to IMI (``plan2rdf.alignment.imi_mappings()``)."""
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
        alignment=alignment_rows(alignment),
    )
