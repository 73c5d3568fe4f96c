"""Records read back from a graph with SPARQL: the proof that the graph stage loses nothing,
and the way editions are compared from their published graphs alone."""

from __future__ import annotations

from dataclasses import replace

from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from plan2rdf.model import Cell, Direction, Measure, Plan, PlanInfo, Publisher, Responsibility
from plan2rdf.read.cells import parse_cell, parse_responsibility
from plan2rdf.vocab import P2R

_PREFIXES = """
PREFIX p2r: <https://w3id.org/plan2rdf/ns#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""

_PLAN = (
    _PREFIXES
    + """
SELECT ?title ?title_en ?description ?fy ?parent ?parent_en ?publisher ?publisher_en ?lg ?seeAlso WHERE {
  ?plan a p2r:ActionPlan ; dcterms:title ?title ; p2r:fiscalYear ?fy ; dcterms:publisher ?org .
  FILTER(lang(?title) = "ja")
  ?org skos:prefLabel ?publisher . FILTER(lang(?publisher) = "ja")
  OPTIONAL { ?org skos:prefLabel ?publisher_en . FILTER(lang(?publisher_en) = "en") }
  OPTIONAL { ?org org:identifier ?lg }
  OPTIONAL { ?plan dcterms:title ?title_en . FILTER(lang(?title_en) = "en") }
  OPTIONAL { ?plan dcterms:description ?description }
  OPTIONAL { ?plan p2r:basedOn ?p . ?p dcterms:title ?parent . FILTER(lang(?parent) = "ja")
             OPTIONAL { ?p dcterms:title ?parent_en . FILTER(lang(?parent_en) = "en") } }
  OPTIONAL { ?plan rdfs:seeAlso ?seeAlso }
}"""
)

_DIRECTIONS = (
    _PREFIXES
    + """
SELECT ?n ?name ?name_en ?subtitle WHERE {
  ?plan p2r:directionScheme ?scheme . ?d skos:inScheme ?scheme ; skos:notation ?n ; skos:prefLabel ?name .
  FILTER(lang(?name) = "ja")
  OPTIONAL { ?d skos:prefLabel ?name_en . FILTER(lang(?name_en) = "en") }
  OPTIONAL { ?d skos:definition ?subtitle }
}"""
)

_MEASURES = (
    _PREFIXES
    + """
SELECT ?m ?id ?n ?new ?title ?title_src ?summary_src ?indicator_src ?unit_src ?direction ?original ?line WHERE {
  ?plan p2r:hasMeasure ?m .
  ?m dcterms:identifier ?id ; p2r:entryNumber ?n ; p2r:isNew ?new ; dcterms:title ?title ;
     p2r:titleSourceText ?title_src ; p2r:unitSourceText ?unit_src ; p2r:direction ?d .
  ?d skos:notation ?direction .
  OPTIONAL { ?m p2r:summarySourceText ?summary_src }
  OPTIONAL { ?m p2r:hasIndicator ?i . ?i p2r:sourceText ?indicator_src }
  OPTIONAL { ?m p2r:repostOf ?o . ?o dcterms:identifier ?original }
  OPTIONAL { ?m p2r:sourceLine ?line }
}"""
)

_UNITS = (
    _PREFIXES
    + """
SELECT ?m ?unit ?label ?parent ?parent_label ?grandparent WHERE {
  ?plan p2r:hasMeasure ?m . ?m p2r:responsibleUnit ?unit .
  ?unit skos:prefLabel ?label ; org:unitOf ?parent . FILTER(lang(?label) = "ja")
  OPTIONAL { ?parent skos:prefLabel ?parent_label ; org:unitOf ?grandparent . FILTER(lang(?parent_label) = "ja") }
}"""
)


def _in_cell_order(verbatim, divisions: list[str]) -> tuple[str, ...]:
    """The graph's links are a set; the cell's own order comes from its source text."""
    parsed = parse_responsibility(str(verbatim))
    order = {name: i for i, name in enumerate(parsed.responsibility.divisions)} if parsed else {}
    return tuple(sorted(divisions, key=lambda d: (order.get(d, len(order)), d)))


def plan_from_graph(graph: Graph, plan: URIRef) -> Plan:
    """The records of ``plan`` as the graph states them (cells re-read from their source text)."""
    bindings = {"plan": plan}
    row = next(iter(graph.query(_PLAN, initBindings=bindings)))
    directions = sorted(
        (
            Direction(int(r.n), str(r.name), str(r.subtitle) if r.subtitle else None)
            for r in graph.query(_DIRECTIONS, initBindings=bindings)
        ),
        key=lambda d: d.number,
    )
    units: dict = {}
    for r in graph.query(_UNITS, initBindings=bindings):
        # A unit whose parent is the prefecture is a department named alone.
        if r.grandparent is None:
            units.setdefault(r.m, ["", []])[0] = str(r.label)
        else:
            entry = units.setdefault(r.m, ["", []])
            entry[0] = str(r.parent_label)
            entry[1].append(str(r.label))
    measures = []
    for r in graph.query(_MEASURES, initBindings=bindings):
        department, divisions = units[r.m]
        summary = parse_cell(str(r.summary_src)) if r.summary_src is not None else Cell("", "", ())
        indicator = parse_cell(str(r.indicator_src)) if r.indicator_src is not None else Cell("", "", ())
        measures.append(
            Measure(
                direction=int(r.direction),
                number=int(r.n),
                is_new=r.new.toPython(),
                title=str(r.title),
                title_verbatim=str(r.title_src),
                summary=summary,
                indicator=indicator,
                responsibility=Responsibility(str(r.unit_src), department, _in_cell_order(r.unit_src, divisions)),
                repost_of=str(r.original) if r.original else None,
                line=int(r.line) if r.line is not None else None,
            )
        )
    measures.sort(key=lambda m: (m.direction, m.number))
    info = PlanInfo(
        title=str(row.title),
        description=str(row.description) if row.description else None,
        title_en=str(row.title_en) if row.title_en else None,
        fiscal_year=int(str(row.fy)),
        parent_plan=str(row.parent) if row.parent else None,
        parent_plan_en=str(row.parent_en) if row.parent_en else None,
        publisher=Publisher(str(row.publisher), str(row.publisher_en) if row.publisher_en else None),
    )
    return Plan(info=info, directions=tuple(directions), measures=tuple(measures))


def plans_in(graph: Graph) -> list[URIRef]:
    return sorted(graph.subjects(RDF.type, P2R.ActionPlan))


def without_verbatim(plan: Plan) -> Plan:
    """The plan without its verbatim texts, to compare a plan with its clean sheet (`parse --format
    xlsx`), whose verbatim cells are the clean ones: what is left must be equal."""
    return replace(
        plan,
        measures=tuple(
            replace(
                m,
                title_verbatim="",
                summary=replace(m.summary, verbatim=""),
                indicator=replace(m.indicator, verbatim=""),
                responsibility=replace(m.responsibility, verbatim=""),
            )
            for m in plan.measures
        ),
    )
