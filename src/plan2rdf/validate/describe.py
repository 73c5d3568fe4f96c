"""Describing results for people: the entry, title and source line of a node, prefixed paths and values.

:class:`Describer` finds, for any node of a plan2rdf graph, the entry (measure) it belongs to;
:func:`term_text` and :func:`path_text` print terms and SHACL paths with ``REPORT_PREFIXES``.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SH, SKOS, XSD

from plan2rdf.validate.results import REPORT_PREFIXES, SEVERITY_NAMES, Result
from plan2rdf.vocab import ORG, P2R

# ---------------------------------------------------------------------------------------------
# Shapes: which node shape a property shape belongs to, and a shape's messages


def node_shapes(shapes: Graph) -> dict[Any, Any]:
    """Each property shape's node shape (the one with targets that uses it)."""
    parents: dict[Any, Any] = {}
    for node_shape, shape in shapes.subject_objects(SH.property):
        parents.setdefault(shape, node_shape)
    return parents


def node_shape_of(shape: str | None, parents: dict[Any, Any]) -> str | None:
    if shape is None:
        return None
    node = URIRef(shape)
    for _ in range(10):  # nested property shapes: climb to the top
        if node not in parents:
            break
        node = parents[node]
    return str(node) if isinstance(node, URIRef) else None


def shape_messages(graph: Graph, node) -> dict[str, str]:
    """A shape's (or constraint's) sh:message values by language; untagged ones count as English."""
    messages: dict[str, str] = {}
    for message in graph.objects(node, SH.message):
        lang = message.language if isinstance(message, Literal) and message.language else "en"
        messages.setdefault(lang, str(message))
    return dict(sorted(messages.items()))


def node_text(term) -> str:
    """A focus node as results give it: the IRI, or _:label for a blank node."""
    return f"_:{term}" if isinstance(term, BNode) else str(term)


def node_of(text: str):
    """The node a result's focus text stands for (inverse of node_text)."""
    return BNode(text[2:]) if text.startswith("_:") else URIRef(text)


# ---------------------------------------------------------------------------------------------
# Describing results: entry, title, source line, prefixed paths and values


@dataclass(frozen=True)
class Where:
    """Where a node comes from: its entry, the title people know it by, the source file and line."""

    entry: str | None = None
    title: str | None = None
    source_file: str | None = None
    line: int | None = None
    part: str | None = None
    source_sheet: str | None = None  # the worksheet, when the source is a workbook: line is its row


_NOWHERE = Where()


@functools.lru_cache(maxsize=4096)  # the same paths, shapes and datatypes in result after result
def prefixed(iri: str) -> str:
    best = ""
    for prefix, ns in REPORT_PREFIXES.items():
        if iri.startswith(ns) and len(ns) > len(REPORT_PREFIXES.get(best, "")):
            local = iri[len(ns) :]
            if re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_.\-]*", local) and not local.endswith("."):
                best = prefix
    return f"{best}:{iri[len(REPORT_PREFIXES[best]) :]}" if best else f"<{iri}>"


def term_text(term) -> str:
    """A term as Turtle would write it, with REPORT_PREFIXES: p2r:direction, "1-6", "x"@en."""
    if isinstance(term, URIRef):
        return prefixed(str(term))
    if isinstance(term, BNode):
        return "[]"  # blank node labels differ from run to run
    if isinstance(term, Literal):
        text = json.dumps(str(term), ensure_ascii=False)
        if term.language:
            return f"{text}@{term.language}"
        if term.datatype and term.datatype != XSD.string:
            return f"{text}^^{prefixed(str(term.datatype))}"
        return text
    return str(term)


def expand_text(text: str):
    """Inverse of term_text for IRIs (all unknown-term results need)."""
    if text.startswith("<") and text.endswith(">"):
        return URIRef(text[1:-1])
    prefix, _, local = text.partition(":")
    return URIRef(REPORT_PREFIXES[prefix] + local) if prefix in REPORT_PREFIXES else Literal(text)


def path_text(graph: Graph, path) -> str:
    """A SHACL property path in SPARQL syntax: p2r:direction, ^p2r:hasMeasure, (a/b), org:unitOf+."""
    if isinstance(path, URIRef):
        return prefixed(str(path))
    if (path, RDF.first, None) in graph:
        return "/".join(_grouped(graph, p) for p in graph.items(path))
    alternatives = graph.value(path, SH.alternativePath)
    if alternatives is not None:
        return "(" + "|".join(_grouped(graph, p) for p in graph.items(alternatives)) + ")"
    for prop, suffix in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"), (SH.zeroOrOnePath, "?")):
        inner = graph.value(path, prop)
        if inner is not None:
            return _grouped(graph, inner) + suffix
    inverse = graph.value(path, SH.inversePath)
    if inverse is not None:
        return "^" + _grouped(graph, inverse)
    return term_text(path)


def _grouped(graph: Graph, path) -> str:
    text = path_text(graph, path)
    return text if isinstance(path, URIRef) else f"({text})" if not text.startswith("(") else text


def _part(node, measure) -> str | None:
    """Where in its entry a node is: its IRI relative to the entry's (target/2), else the IRI."""
    if node == measure:
        return None
    text, prefix = str(node), f"{measure}/"
    return text[len(prefix) :] if text.startswith(prefix) else text


class _Links:
    """The few links a Describer follows, read from the data in one pass when the first node is
    described: one pass costs less than indexing a store that is otherwise only read whole."""

    FORWARD = frozenset({DCTERMS.identifier, DCTERMS.title, SKOS.prefLabel, RDFS.label, PROV.wasDerivedFrom})
    FORWARD |= {P2R.sourceLine, P2R.sourceSheet}
    BACKWARD = frozenset({P2R.hasIndicator, P2R.hasTarget, P2R.baseline, P2R.themeAssignment})  # Describer._UP
    BACKWARD |= {P2R.hasMeasure, P2R.responsibleUnit, P2R.programme, ORG.unitOf}

    def __init__(self, data: Graph):
        self.measures: set = set()
        self.forward: dict[tuple, list] = {}  # (subject, predicate) → objects, in the data's order
        self.backward: dict[tuple, list] = {}  # (predicate, object) → subjects
        forward, backward, rdf_type, measure = self.FORWARD, self.BACKWARD, RDF.type, P2R.Measure
        for s, p, o in data:
            if p in forward:
                self.forward.setdefault((s, p), []).append(o)
            elif p in backward:
                self.backward.setdefault((p, o), []).append(s)
            elif p == rdf_type and o == measure:
                self.measures.add(s)

    def objects(self, node, prop) -> list:
        return self.forward.get((node, prop), [])

    def value(self, node, prop):
        found = self.forward.get((node, prop))
        return found[0] if found else None

    def subjects(self, prop, node) -> list:
        return self.backward.get((prop, node), [])


class Describer:
    """Finds, for any node of a plan2rdf graph, the entry it belongs to and the source line."""

    # Links from a part up to what it belongs to: target → indicator → measure, etc.
    _UP = (P2R.hasIndicator, P2R.hasTarget, P2R.baseline, P2R.themeAssignment)

    def __init__(self, data: Graph, shapes: Graph | None = None):
        self.data = data
        self.shapes = shapes
        self.parents = node_shapes(shapes) if shapes is not None else {}
        self._cache: dict[Any, Where] = {}
        self._links: _Links | None = None
        # The graph does not change while it is described: each node's measure and each measure's
        # source found once (a corpus part asks for the same few hundred nodes several times).
        self._owners: dict[Any, URIRef | None] = {}
        self._sources: dict[Any, Any] = {}

    @property
    def links(self) -> _Links:
        if self._links is None:
            self._links = _Links(self.data)
        return self._links

    def owner(self, node) -> URIRef | None:
        """The measure a node belongs to: itself, or the measure of its indicator, target…"""
        if node not in self._owners:
            self._owners[node] = self._owner(node)
        return self._owners[node]

    def _owner(self, node) -> URIRef | None:
        links = self.links
        todo, seen = [node], set()
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.add(current)
            if current in links.measures:
                return current
            for prop in self._UP:
                todo.extend(links.subjects(prop, current))
        return None

    def _label(self, node) -> str | None:
        labels: dict[str, str] = {}
        for prop in (DCTERMS.title, SKOS.prefLabel, RDFS.label):
            for value in self.links.objects(node, prop):
                if isinstance(value, Literal):
                    labels.setdefault(value.language or "", str(value))
            if labels:
                break
        return labels.get("ja") or next(iter(sorted(labels.items())), (None, None))[1]

    def _line(self, measure) -> int | None:
        value = self.links.value(measure, P2R.sourceLine)
        return int(value) if value is not None and str(value).isdigit() else None

    def _source(self, measure):
        """The source file the measure's plan was read from, when the graph names it."""
        if measure not in self._sources:
            self._sources[measure] = self._find_source(measure)
        return self._sources[measure]

    def _find_source(self, measure):
        links = self.links
        for plan in links.subjects(P2R.hasMeasure, measure):
            source = links.value(plan, PROV.wasDerivedFrom)
            if source is not None and links.value(source, DCTERMS.title) is not None:
                return source
        return None

    def _source_file(self, measure) -> str | None:
        source = self._source(measure)
        return str(self.links.value(source, DCTERMS.title)) if source is not None else None

    def _source_sheet(self, measure) -> str | None:
        """The worksheet of a workbook source (``p2r:sourceSheet``): its line is then a row of it."""
        source = self._source(measure)
        sheet = self.links.value(source, P2R.sourceSheet) if source is not None else None
        return str(sheet) if sheet is not None else None

    def _first_mention(self, node) -> URIRef | None:
        """For a unit or programme: the entry with the lowest source line that names it, so a
        publisher can find it in the source."""
        links = self.links
        measures = set(links.subjects(P2R.responsibleUnit, node)) | set(links.subjects(P2R.programme, node))
        for child in links.subjects(ORG.unitOf, node):
            measures.update(links.subjects(P2R.responsibleUnit, child))
        lined = [(line, str(m), m) for m in measures if (line := self._line(m)) is not None]
        return min(lined)[2] if lined else None

    def describe(self, node) -> Where:
        if node in self._cache:
            return self._cache[node]
        measure = self.owner(node)
        if measure is not None:
            identifier = self.links.value(measure, DCTERMS.identifier)
            where = Where(
                entry=str(identifier) if identifier is not None else None,
                title=self._label(measure),
                source_file=self._source_file(measure),
                line=self._line(measure),
                part=_part(node, measure),
                source_sheet=self._source_sheet(measure),
            )
        else:
            anchor = self._first_mention(node)
            where = Where(
                title=self._label(node),
                source_file=self._source_file(anchor) if anchor is not None else None,
                line=self._line(anchor) if anchor is not None else None,
                source_sheet=self._source_sheet(anchor) if anchor is not None else None,
            )
        self._cache[node] = where
        return where

    def _node_shape(self, shape) -> str | None:
        for _ in range(10):  # nested property shapes: climb to the node shape with targets
            if shape not in self.parents:
                break
            shape = self.parents[shape]
        return str(shape) if isinstance(shape, URIRef) else None

    def _tagged(self, messages: list[tuple[str, str]], constraint, shape=None) -> dict[str, str]:
        """Messages by language. pySHACL drops the language tags of a SPARQL-based constraint's
        messages (it substitutes {?var} into them), whether they sit on the constraint or on its
        shape (shapes/ puts them there: Jena takes one sh:message per constraint): each gets back
        the tag of the shapes graph message it matches. Untagged messages of other shapes count as English."""
        tagged: dict[str, str] = {}
        for lang, text in messages:
            if lang:
                tagged.setdefault(lang, text)
        texts = [text for lang, text in messages if not lang]
        if texts and self.shapes is not None:
            holders = [node for node in (constraint, shape) if node is not None]
            for lang, template in [item for node in holders for item in shape_messages(self.shapes, node).items()]:
                pattern = _PLACEHOLDER.sub(".*", re.escape(template))
                match = next((t for t in texts if re.fullmatch(pattern, t, re.S)), None)
                if match is not None and lang not in tagged:
                    tagged[lang] = match
                    texts.remove(match)
        if texts:
            tagged.setdefault("en", texts[0])
        return dict(sorted(tagged.items()))

    def results(self, report: Graph, listed: Callable[[str, str], bool] | None = None) -> list[Result]:
        """Every result of ``report``, in its order, as :meth:`result` describes them: the report
        read in one pass, each path printed once (a corpus part has ~90 results, few paths)."""
        statements, paths = _Statements(report), _Paths(report)
        nodes = report.subjects(RDF.type, SH.ValidationResult)
        return [self._result(statements, node, listed, paths) for node in nodes]

    def result(self, report: Graph, node, listed: Callable[[str, str], bool] | None = None) -> Result:
        """The result ``node`` of ``report``, described; not described (no entry, title or source)
        when ``listed`` (severity, focus) says it is only counted."""
        return self._result(report, node, listed, _Paths(report))

    def _result(self, report, node, listed, paths: _Paths) -> Result:
        severity = SEVERITY_NAMES.get(report.value(node, SH.resultSeverity), "violation")
        focus = report.value(node, SH.focusNode)
        value = report.value(node, SH.value)
        path = report.value(node, SH.resultPath)
        where = _NOWHERE
        if listed is None or listed(severity, node_text(focus)):
            where = self.describe(focus)
            # A plan-wide rule reports the plan as focus and the offending entry as value.
            if where.entry is None and isinstance(value, URIRef) and self.owner(value) is not None:
                where = self.describe(value)
        shape = report.value(node, SH.sourceShape)
        component = report.value(node, SH.sourceConstraintComponent)
        return Result(
            severity=severity,
            focus=node_text(focus),
            messages=self._tagged(result_messages(report, node), report.value(node, SH.sourceConstraint), shape),
            path=paths.text(path) if path is not None else None,
            value=term_text(value) if value is not None else None,
            entry=where.entry,
            part=where.part,
            title=where.title,
            shape=str(shape) if isinstance(shape, URIRef) else None,
            # from the shape's node (a blank node of the shapes graph for anonymous shapes)
            node_shape=self._node_shape(shape),
            component=str(component) if component is not None else None,
            source_file=where.source_file,
            source_line=where.line,
            source_sheet=where.source_sheet,
        )


class _Statements:
    """A report graph's statements by subject, read in one pass: ``value`` and ``objects`` as
    the graph answers them, from dicts (rdflib's store costs more per lookup than the pass)."""

    def __init__(self, graph: Graph):
        self.by_subject: dict[Any, dict[Any, list]] = {}
        for s, p, o in graph:
            self.by_subject.setdefault(s, {}).setdefault(p, []).append(o)

    def value(self, node, prop):
        found = self.by_subject.get(node, {}).get(prop)
        return found[0] if found else None

    def objects(self, node, prop) -> list:
        return self.by_subject.get(node, {}).get(prop, [])


class _Paths:
    """A report's paths printed, each once: results of one shape share its path's node."""

    def __init__(self, report: Graph):
        self.report, self.texts = report, {}

    def text(self, path) -> str:
        if path not in self.texts:
            self.texts[path] = path_text(self.report, path)
        return self.texts[path]


# {?value} / {$this} as re.escape writes them: the parts pySHACL substitutes.
_PLACEHOLDER = re.compile(r"\\\{\\[?$]\w+\\\}")


def result_messages(report: Graph, node) -> list[tuple[str, str]]:
    """The result's messages as (language, text); "" for untagged ones (see Describer._tagged)."""
    return sorted(
        (m.language or "" if isinstance(m, Literal) else "", str(m)) for m in report.objects(node, SH.resultMessage)
    )
