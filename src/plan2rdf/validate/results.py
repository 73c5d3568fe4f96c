"""The validation report as data: results, checks, rules and the report that holds them.

Severities are ``info``, ``warning`` and ``violation`` (:data:`LEVELS` orders them); paths and values
in results are printed with :data:`REPORT_PREFIXES`.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import datetime

from rdflib import Graph
from rdflib.namespace import SH

from plan2rdf.vocab import PREFIXES

LEVELS = {"info": 1, "warning": 2, "violation": 3}
SEVERITY_NAMES = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}
SEVERITY_IRIS = {name: iri for iri, name in SEVERITY_NAMES.items()}

SHAPES_NS = "https://w3id.org/plan2rdf/shapes#"
UNKNOWN_TERM_SHAPE = SHAPES_NS + "UnknownTermShape"
# Not a SHACL constraint component: the code-level check of unknown terms reports this IRI.
UNKNOWN_TERM_COMPONENT = SHAPES_NS + "UnknownTermComponent"

# Prefixes used to print paths and values (docs/validation.md lists them).
REPORT_PREFIXES: dict[str, str] = {
    **{prefix: str(ns) for prefix, ns in PREFIXES.items()},
    "p2rsh": SHAPES_NS,
    "sh": str(SH),
}


class ValidationTimeout(Exception):
    """Validation did not finish within the time allowed."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        super().__init__(f"validation did not finish within {seconds:g} s")


@dataclass(frozen=True)
class Result:
    """One problem: what, where, and how bad. Paths and values are printed with REPORT_PREFIXES."""

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
    node_shape: str | None = None
    data_file: str | None = None
    source_path: str | None = None  # the source file on disk, when found beside the data file
    source_sheet: str | None = None  # the source's worksheet (an XLSX plan): source_line is its row
    part: str | None = None  # the part of the entry the focus is: "indicator", "target/2"… (None: the entry)
    # In data_file, the validated file: the offending statement's (or the focus node's first) position.
    line: int | None = None
    column: int | None = None

    def message(self, lang: str = "en") -> str:
        return self.messages.get(lang) or self.messages.get("en") or next(iter(self.messages.values()), "")


@dataclass(frozen=True)
class Check:
    """A node shape evaluated on a focus node: one JUnit test case."""

    shape: str
    focus: str
    entry: str | None = None
    title: str | None = None
    source_file: str | None = None
    source_line: int | None = None
    part: str | None = None
    data_file: str | None = None  # where the focus node is first stated (validate_files)
    line: int | None = None
    column: int | None = None


@dataclass(frozen=True)
class Rule:
    """A shape as reports describe it (a SARIF rule): its severity and messages."""

    id: str
    severity: str
    messages: dict[str, str]
    node_shape: str | None = None


@dataclass
class Report:
    """``conforms`` is True when there is no violation (warnings and infos allowed); use
    ``conforms_at`` for another threshold. ``graph`` is the W3C validation report, whose
    sh:conforms follows the SHACL definition (false as soon as there is any result); a merged
    report makes it when :meth:`w3c_graph` is first called. ``count`` and ``conforms_at`` include
    the results only counted (``unlisted``)."""

    conforms: bool
    results: list[Result] = field(default_factory=list)
    graph: Graph | None = None
    checks: list[Check] = field(default_factory=list)
    rules: dict[str, Rule] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    started: datetime | None = None  # when validation began (UTC), for JUnit's timestamp
    seconds: float | None = None  # how long it took, for JUnit's time
    # What makes ``graph`` when it is first asked for (w3c_graph): a merged report's graph is
    # made from its results, and only the Turtle output needs it.
    graph_from: Callable[[], Graph] | None = field(default=None, repr=False, compare=False)
    # Results counted but not listed, by severity: those a caller asked not to have described
    # (validate_graph's ``listed``), which a format that only counts them never shows.
    unlisted: dict[str, int] = field(default_factory=dict)

    def w3c_graph(self) -> Graph | None:
        """``graph``, made first where the report knows how."""
        if self.graph is None and self.graph_from is not None:
            self.graph, self.graph_from = self.graph_from(), None
        return self.graph

    def conforms_at(self, level: str = "violation") -> bool:
        """True when no result is at ``level`` or more severe."""
        threshold = LEVELS[level]
        if any(n and LEVELS[severity] >= threshold for severity, n in self.unlisted.items()):
            return False
        return not any(LEVELS[r.severity] >= threshold for r in self.results)

    def count(self, severity: str) -> int:
        """How many results of ``severity``, listed or only counted."""
        return sum(1 for r in self.results if r.severity == severity) + self.unlisted.get(severity, 0)


def identity(item: Result | Check, leave_out: tuple[str, ...] = ()) -> tuple:
    """A result's (or check's) fields as one hashable tuple, but those in ``leave_out``: what
    merging reports compares (messages are a dict, which does not hash: its sorted items)."""
    getter, dicts = _getter(type(item), leave_out)
    values = getter(item)
    if not dicts:
        return values
    values = list(values)
    for i in dicts:
        values[i] = tuple(sorted(values[i].items()))
    return tuple(values)


@functools.cache
def _getter(cls: type, leave_out: tuple[str, ...]) -> tuple[Callable[[object], tuple], tuple[int, ...]]:
    """The fields' getter (one C call per item: merging a corpus's reports compares ~100,000) and
    which of them are dicts."""
    kept = [f for f in fields(cls) if f.name not in leave_out]
    dicts = tuple(i for i, f in enumerate(kept) if "dict" in str(f.type))
    return operator.attrgetter(*(f.name for f in kept)), dicts
