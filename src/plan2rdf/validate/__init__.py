"""The validate stage: SHACL shapes over a graph, results a person can act on.

Each result names the entry (its identifier and title, not a bare IRI), the property (as a
prefixed SPARQL path), the offending value, the message in Japanese and English and, for graphs
built by plan2rdf, the source file and line the entry came from. Besides the SHACL shapes,
:func:`unknown_terms` warns about ``p2r:`` terms the ontology does not define (typos).

Modules: :mod:`~plan2rdf.validate.results` (the report as data), :mod:`~plan2rdf.validate.engine`
(running the SHACL engines), :mod:`~plan2rdf.validate.shapes` (shapes graphs, rules, checks),
:mod:`~plan2rdf.validate.describe` (entries, titles, source lines, prefixed terms),
:mod:`~plan2rdf.validate.terms` (unknown terms) and :mod:`~plan2rdf.validate.report` (output
formats). Files are read by :mod:`plan2rdf.rdfio.load`, which never touches the network.
"""

from typing import TYPE_CHECKING, Any

from plan2rdf.validate.describe import path_text, term_text
from plan2rdf.validate.engine import (
    ENGINES,
    choose_engine,
    engine_available,
    severity_counts,
    validate_files,
    validate_graph,
)
from plan2rdf.validate.results import (
    LEVELS,
    REPORT_PREFIXES,
    SHAPES_NS,
    UNKNOWN_TERM_COMPONENT,
    UNKNOWN_TERM_SHAPE,
    Check,
    Report,
    Result,
    Rule,
    ValidationTimeout,
)
from plan2rdf.validate.shapes import focus_nodes, load_ontology, load_shapes, shapes_for
from plan2rdf.validate.terms import unknown_terms

if TYPE_CHECKING:  # at run time __getattr__ loads them on first use
    from plan2rdf.validate.report import format_text, render, summary

__all__ = [
    "ENGINES",
    "LEVELS",
    "REPORT_PREFIXES",
    "SHAPES_NS",
    "UNKNOWN_TERM_COMPONENT",
    "UNKNOWN_TERM_SHAPE",
    "Check",
    "Report",
    "Result",
    "Rule",
    "ValidationTimeout",
    "choose_engine",
    "engine_available",
    "focus_nodes",
    "format_text",
    "load_ontology",
    "load_shapes",
    "path_text",
    "render",
    "severity_counts",
    "shapes_for",
    "summary",
    "term_text",
    "unknown_terms",
    "validate_files",
    "validate_graph",
]


def __getattr__(name: str) -> Any:
    # The report formats are needed when a report is printed, not when a build validates its graph.
    if name in ("format_text", "render", "summary"):
        from plan2rdf.validate import report

        return getattr(report, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
