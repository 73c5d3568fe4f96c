"""Shapes graphs: loading them, their rules (SARIF) and the (shape, focus node) checks (JUnit)."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, URIRef
from rdflib.namespace import RDF, RDFS, SH

from plan2rdf.rdfio.load import load_files
from plan2rdf.validate.describe import Describer, node_of, node_shape_of, node_text, shape_messages
from plan2rdf.validate.results import LEVELS, SEVERITY_NAMES, Check, Result, Rule


def load_shapes(path=None) -> Graph:
    """The shipped shapes, or the given file (format from its extension, Turtle by default)."""
    from plan2rdf.resources import path as resource_path

    if path is None:
        graph = Graph()
        graph.parse(resource_path("shapes", "plan2rdf.shacl.ttl"), format="turtle")
        return graph
    return load_files([Path(path)], directories=False).graph


@functools.lru_cache(maxsize=1)
def shipped_shapes() -> Graph:
    """The shipped shapes, parsed once per process for the engines' own use (a corpus build
    validates thousands of plans with them). Never handed out: callers get load_shapes()'s copy."""
    return load_shapes()


@functools.lru_cache(maxsize=4)
def shapes_for(path: str | None) -> Graph:
    """Shapes by file (None: the shipped ones), parsed once per process; for the engines only."""
    return shipped_shapes() if path is None else load_shapes(path)


_NESTING = (SH.node, SH["not"], SH.qualifiedValueShape, SH.property, RDF.first)  # values are shapes


def blocking_shapes(shapes: Graph, level: str) -> Graph:
    """The shapes that can report a result at ``level`` or worse: the others, and the ``sh:property``
    links to them, left out. What corpus builds check first, for every plan.

    A shape is left out when its own ``sh:severity`` is below ``level``, it nests no property shape
    (whose results would carry their own severity), and its only use is as an ``sh:property`` of a
    shape nothing nests: only then does it report results of its own severity alone, and leaving it
    out changes no other shape's verdict (a nested shape's results decide its parent's, whatever
    their severity).
    """
    threshold = LEVELS[level]
    nested = {o for p in _NESTING for o in shapes.objects(None, p) if p != SH.property}
    nested |= {o for s, o in shapes.subject_objects(SH.property) if s in nested}
    dropped = set()
    for shape, severity in shapes.subject_objects(SH.severity):
        if LEVELS.get(SEVERITY_NAMES.get(severity, ""), threshold) >= threshold or shape in nested:
            continue
        uses = [(s, p) for s, p in shapes.subject_predicates(shape)]
        if (shape, SH.property, None) in shapes or any(p != SH.property or s in nested for s, p in uses):
            continue
        dropped.add(shape)
    pending = [o for shape in dropped for o in shapes.objects(shape, None) if isinstance(o, BNode)]
    while pending:  # their paths and lists, which nothing else uses
        node = pending.pop()
        if node not in dropped and all(s in dropped for s in shapes.subjects(None, node)):
            dropped.add(node)
            pending.extend(o for o in shapes.objects(node, None) if isinstance(o, BNode))
    kept = Graph()
    for prefix, namespace in shapes.namespaces():
        kept.bind(prefix, namespace)
    for s, p, o in shapes:
        if s not in dropped and o not in dropped:
            kept.add((s, p, o))
    return kept


def load_ontology() -> Graph:
    from plan2rdf.resources import path as resource_path

    return Graph().parse(resource_path("ontology", "plan2rdf.ttl"), format="turtle")


_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)


def rules_of(shapes: Graph, parents: dict[Any, Any]) -> dict[str, Rule]:
    rules: dict[str, Rule] = {}
    for shape in set(shapes.subjects(SH.severity, None)) | set(shapes.subjects(SH.message, None)):
        if not isinstance(shape, URIRef):
            continue
        severity = SEVERITY_NAMES.get(shapes.value(shape, SH.severity), "violation")
        messages = shape_messages(shapes, shape)
        for constraint in shapes.objects(shape, SH.sparql):  # SPARQL messages sit on the constraint
            messages = messages or shape_messages(shapes, constraint)
        if (shape, RDF.type, SH.SPARQLConstraint) in shapes:
            continue  # results name the shape, not the constraint
        rules[str(shape)] = Rule(str(shape), severity, messages, node_shape_of(str(shape), parents))
    return dict(sorted(rules.items()))


def focus_nodes(shapes: Graph, data: Graph, shape) -> set:
    """The focus nodes of a node shape's targets in ``data`` (SHACL 2.1.3)."""
    nodes: set = set()
    for cls in shapes.objects(shape, SH.targetClass):
        nodes.update(data.subjects(RDF.type, cls))
        for sub in data.transitive_subjects(RDFS.subClassOf, cls):
            nodes.update(data.subjects(RDF.type, sub))
    nodes.update(shapes.objects(shape, SH.targetNode))
    for prop in shapes.objects(shape, SH.targetSubjectsOf):
        nodes.update(data.subjects(prop, None))
    for prop in shapes.objects(shape, SH.targetObjectsOf):
        nodes.update(data.objects(None, prop))
    return nodes


def checks_of(shapes: Graph, data: Graph, results: list[Result]) -> list[Check]:
    from plan2rdf.rdfio.writers import natural_key

    describer = Describer(data)
    pairs: set[tuple[str, str]] = set()
    for shape in {s for p in _TARGETS for s in shapes.subjects(p, None)}:
        if isinstance(shape, URIRef):
            pairs.update((str(shape), node_text(node)) for node in focus_nodes(shapes, data, shape))
    # Shapes with other targets (SPARQL-based, custom) or checked in code still get a test case.
    pairs.update((r.node_shape or r.shape or "", r.focus) for r in results)
    checks = []
    for shape, focus in pairs:
        where = describer.describe(node_of(focus))
        checks.append(Check(shape, focus, where.entry, where.title, where.source_file, where.line, where.part))
    return sorted(checks, key=lambda c: (c.shape, natural_key(c.entry or c.focus), c.focus))
