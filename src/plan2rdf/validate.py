"""The validate stage: SHACL shapes over a graph, results a person can act on.

Each result names the entry (its identifier and title, not a bare IRI), the property, the
offending value, the message in Japanese and English and, for graphs built by plan2rdf, the
source file and line the entry came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, SH

from .vocab import P2R

LEVELS = {"info": 1, "warning": 2, "violation": 3}
_SEVERITY = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}


@dataclass(frozen=True)
class Result:
    severity: str
    focus: str
    messages: dict[str, str]
    path: str | None = None
    value: str | None = None
    entry: str | None = None
    title: str | None = None
    shape: str | None = None
    component: str | None = None
    source_file: str | None = None
    source_line: int | None = None

    def message(self, lang: str = "en") -> str:
        return self.messages.get(lang) or self.messages.get("en") or next(iter(self.messages.values()), "")


@dataclass
class Report:
    conforms: bool
    results: list[Result] = field(default_factory=list)
    graph: Graph | None = None

    def conforms_at(self, level: str = "violation") -> bool:
        """True when no result is at ``level`` or more severe."""
        threshold = LEVELS[level]
        return not any(LEVELS[r.severity] >= threshold for r in self.results)

    def count(self, severity: str) -> int:
        return sum(1 for r in self.results if r.severity == severity)


def load_shapes(path=None) -> Graph:
    from .resources import path as resource_path

    graph = Graph()
    graph.parse(path or resource_path("shapes", "plan2rdf.shacl.ttl"), format="turtle")
    return graph


def validate_graph(data: Graph, *, shapes: Graph | None = None, plans=None) -> Report:
    """Run the shapes over ``data``; ``plans`` (records) are not needed, the graph says it all."""
    import pyshacl

    conforms, results_graph, _ = pyshacl.validate(
        data,
        shacl_graph=shapes if shapes is not None else load_shapes(),
        inference="none",
        abort_on_first=False,
        allow_infos=True,
        allow_warnings=True,
        advanced=True,
    )
    results = [_result(results_graph, node, data) for node in results_graph.subjects(RDF.type, SH.ValidationResult)]
    results.sort(key=_sort_key)
    return Report(conforms=bool(conforms), results=results, graph=results_graph)


def _sort_key(r: Result) -> tuple:
    from .serialize import natural_key

    return (-LEVELS[r.severity], natural_key(r.entry or r.focus), r.path or "", r.message("en"), r.value or "")


def _owner(data: Graph, focus) -> URIRef | None:
    """The measure a node belongs to: itself, the measure of its indicator, or of its target."""
    if (focus, RDF.type, P2R.Measure) in data:
        return focus
    indicator = focus
    for candidate in data.subjects(P2R.hasTarget, focus):
        indicator = candidate
    for measure in data.subjects(P2R.hasIndicator, indicator):
        return measure
    return None


def _text(term) -> str | None:
    if term is None:
        return None
    return str(term)


def _result(report: Graph, node, data: Graph) -> Result:
    severity = _SEVERITY.get(report.value(node, SH.resultSeverity), "violation")
    focus = report.value(node, SH.focusNode)
    messages: dict[str, str] = {}
    for message in report.objects(node, SH.resultMessage):
        lang = message.language if isinstance(message, Literal) and message.language else "en"
        messages.setdefault(lang, str(message))
    path = report.value(node, SH.resultPath)
    value = report.value(node, SH.value)
    owner = _owner(data, focus)
    entry = title = source_file = None
    line = None
    if owner is not None:
        entry = _text(data.value(owner, DCTERMS.identifier))
        titles = {t.language: str(t) for t in data.objects(owner, DCTERMS.title) if isinstance(t, Literal)}
        title = titles.get("ja") or next(iter(titles.values()), None)
        line_literal = data.value(owner, P2R.sourceLine)
        line = int(line_literal) if line_literal is not None and str(line_literal).isdigit() else None
        for plan in data.subjects(P2R.hasMeasure, owner):
            source = data.value(plan, PROV.wasDerivedFrom)
            if source is not None:
                source_file = _text(data.value(source, DCTERMS.title))
    return Result(
        severity=severity,
        focus=str(focus),
        messages=messages,
        path=_text(path) if isinstance(path, URIRef) else None,
        value=_text(value),
        entry=entry,
        title=title,
        shape=_text(report.value(node, SH.sourceShape)),
        component=_text(report.value(node, SH.sourceConstraintComponent)),
        source_file=source_file,
        source_line=line,
    )
