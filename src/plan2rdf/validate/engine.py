"""The validate stage: SHACL shapes over a graph, results a person can act on.

Each result names the entry (its identifier and title, not a bare IRI), the property (as a
prefixed SPARQL path), the offending value, the message in Japanese and English and, for graphs
built by plan2rdf, the source file and line the entry came from. Besides the SHACL shapes,
:func:`unknown_terms` warns about ``p2r:`` terms the ontology does not define (typos).

:func:`load_data` reads RDF files for validation (Turtle, JSON-LD, N-Triples, TriG, RDF/XML) and
never touches the network: a JSON-LD remote context is an error unless it is our own context,
which is replaced by the shipped copy.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SH, SKOS, XSD

from plan2rdf.problems import InputError, Problem
from plan2rdf.vocab import ORG, P2R, PREFIXES

LEVELS = {"info": 1, "warning": 2, "violation": 3}
_SEVERITY = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}
_SEVERITY_IRI = {name: iri for iri, name in _SEVERITY.items()}

SHAPES_NS = "https://w3id.org/plan2rdf/shapes#"
UNKNOWN_TERM_SHAPE = SHAPES_NS + "UnknownTermShape"
# Not a SHACL constraint component: the code-level check of unknown terms reports this IRI.
UNKNOWN_TERM_COMPONENT = SHAPES_NS + "UnknownTermComponent"
CONTEXT_IRI = "https://w3id.org/plan2rdf/context.jsonld"

# Prefixes used to print paths and values (docs/validation.md lists them).
REPORT_PREFIXES: dict[str, str] = {
    **{prefix: str(ns) for prefix, ns in PREFIXES.items()},
    "p2rsh": SHAPES_NS,
    "sh": str(SH),
}

# --input-format names and the rdflib parser each one uses.
INPUT_FORMATS = {"turtle": "turtle", "json-ld": "json-ld", "nt": "nt", "trig": "trig", "xml": "xml"}
EXTENSIONS = {
    ".ttl": "turtle",
    ".turtle": "turtle",
    ".jsonld": "json-ld",
    ".json": "json-ld",
    ".nt": "nt",
    ".trig": "trig",
    ".rdf": "xml",
    ".owl": "xml",
    ".xml": "xml",
}
# In a directory, .json and .xml files are too often something else (package.json, pom.xml).
DIRECTORY_EXTENSIONS = frozenset(EXTENSIONS) - {".json", ".xml"}


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
    part: str | None = None  # the part of the entry the focus is: "indicator", "target/2"… (None: the entry)

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
    sh:conforms follows the SHACL definition (false as soon as there is any result)."""

    conforms: bool
    results: list[Result] = field(default_factory=list)
    graph: Graph | None = None
    checks: list[Check] = field(default_factory=list)
    rules: dict[str, Rule] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)

    def conforms_at(self, level: str = "violation") -> bool:
        """True when no result is at ``level`` or more severe."""
        threshold = LEVELS[level]
        return not any(LEVELS[r.severity] >= threshold for r in self.results)

    def count(self, severity: str) -> int:
        return sum(1 for r in self.results if r.severity == severity)


# ---------------------------------------------------------------------------------------------
# Shapes and validation


def load_shapes(path=None) -> Graph:
    """The shipped shapes, or the given file (format from its extension, Turtle by default)."""
    from plan2rdf.resources import path as resource_path

    if path is None:
        graph = Graph()
        graph.parse(resource_path("shapes", "plan2rdf.shacl.ttl"), format="turtle")
        return graph
    return load_data([Path(path)], directories=False).graph


@functools.lru_cache(maxsize=1)
def _shipped_shapes() -> Graph:
    """The shipped shapes, parsed once per process for the engines' own use (a corpus build
    validates thousands of plans with them). Never handed out: callers get load_shapes()'s copy."""
    return load_shapes()


@functools.lru_cache(maxsize=4)
def shapes_for(path: str | None) -> Graph:
    """Shapes by file (None: the shipped ones), parsed once per process; for the engines only."""
    return _shipped_shapes() if path is None else load_shapes(path)


def load_ontology() -> Graph:
    from plan2rdf.resources import path as resource_path

    return Graph().parse(resource_path("ontology", "plan2rdf.ttl"), format="turtle")


def validate_graph(
    data: Graph,
    *,
    shapes: Graph | None = None,
    plans=None,
    check_terms: bool = True,
    ontology: Graph | None = None,
    timeout: float | None = None,
    checks: bool = False,
    engine: str = "pyshacl",
) -> Report:
    """Run the shapes over ``data`` (and, with ``check_terms``, the unknown-term check).

    ``plans`` (records) are not needed: the graph says it all. With ``timeout`` (seconds) the
    SHACL engine runs in a worker process that is ended when the time is up, raising
    ValidationTimeout; without it, it runs in this process (no start-up cost). With ``checks``
    the report lists every (node shape, focus node) pair evaluated, which JUnit output needs.
    """
    shapes = shapes if shapes is not None else _shipped_shapes()
    engine = choose_engine(engine)
    if timeout is None:
        results, report_graph = _run_shacl(data, shapes, engine)
    else:
        results, report_graph = _run_shacl_bounded(data, shapes, timeout)
    if check_terms:
        extra = unknown_terms(data, ontology=ontology)
        _add_to_report_graph(report_graph, extra)
        results.extend(extra)
    parents = _node_shapes(shapes)
    results = sorted(
        (r if r.node_shape else replace(r, node_shape=_node_shape_of(r.shape, parents)) for r in results),
        key=_sort_key,
    )
    report_graph.set((_report_node(report_graph), SH.conforms, Literal(not results)))
    report = Report(conforms=False, results=results, graph=report_graph)
    report.conforms = report.conforms_at("violation")
    report.rules = _rules(shapes, parents)
    if checks:
        report.checks = _checks(shapes, data, results)
    return report


@functools.lru_cache(maxsize=128)
def _prepared(text: str):
    from rdflib.plugins.sparql import prepareQuery

    return prepareQuery(text)


@contextmanager
def _prepared_queries(graph: Graph) -> Iterator[None]:
    """rdflib parses a query's text on every call, and pySHACL runs a SPARQL constraint's text once
    per focus node (most of its ~5 ms per node): while validating, hand rdflib the parsed query."""
    if "query" in vars(graph):  # someone else's wrapper: leave it alone
        yield
        return
    original = graph.query

    def query(query_object, *args, **kwargs):
        if isinstance(query_object, str):
            with suppress(Exception):  # a query that does not parse fails below, as usual
                query_object = _prepared(query_object)
        return original(query_object, *args, **kwargs)

    graph.query = query  # type: ignore[method-assign]
    try:
        yield
    finally:
        del graph.query


ENGINES = ("pyshacl", "turbo")


def engine_available(name: str) -> bool:
    """pySHACL always; pyshacl-turbo (a Rust engine with pySHACL's API) when installed."""
    if name == "pyshacl":
        return True
    import importlib.util

    return importlib.util.find_spec("pyshacl_turbo") is not None


def choose_engine(name: str) -> str:
    """``auto``: pyshacl-turbo where installed (the corpus default), else pySHACL."""
    if name == "auto":
        return "turbo" if engine_available("turbo") else "pyshacl"
    if name not in ENGINES:
        raise ValueError(f"unknown SHACL engine {name!r}")
    return name


def severity_counts(data: Graph, *, engine: str = "pyshacl", shapes: Graph | None = None) -> dict[str, int]:
    """How many results of each severity, and nothing more.

    The fast pass of corpus builds: describing results (entry, title, source line) costs as much
    as a fast engine's validation, and is only needed for the plans that fail.
    """
    report_graph = _engine_report(data, shapes if shapes is not None else _shipped_shapes(), choose_engine(engine))
    counts = dict.fromkeys(LEVELS, 0)
    for node in report_graph.subjects(RDF.type, SH.ValidationResult):
        counts[_SEVERITY.get(report_graph.value(node, SH.resultSeverity), "violation")] += 1
    ns, known = str(P2R), _shipped_terms()
    terms = {t for triple in data for t in triple if isinstance(t, URIRef) and str(t).startswith(ns)}
    counts["warning"] += sum(1 for t in terms if str(t) != ns and str(t) not in known)
    return counts


def _engine_report(data: Graph, shapes: Graph, engine: str) -> Graph:
    # No allow_infos/allow_warnings: pySHACL drops those results from the report when they are set.
    # No advanced mode: it makes pySHACL copy the data graph first.
    if engine == "turbo":
        # Same API and, on every shapes fixture and plan we test, the same results (tests/test_engines.py),
        # about ten times faster: what corpus builds of thousands of plans need.
        import pyshacl_turbo

        _, report_graph, _ = pyshacl_turbo.validate(data, shacl_graph=shapes, inference="none", abort_on_first=False)
    else:
        import pyshacl

        with _prepared_queries(data):
            _, report_graph, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", abort_on_first=False)
    return report_graph


def _run_shacl(data: Graph, shapes: Graph, engine: str = "pyshacl") -> tuple[list[Result], Graph]:
    report_graph = _engine_report(data, shapes, engine)
    describer = _Describer(data, shapes)
    results = [describer.result(report_graph, node) for node in report_graph.subjects(RDF.type, SH.ValidationResult)]
    return results, report_graph


def _worker(conn, data: Graph | str, shapes: Graph | str) -> None:
    """Child process of _run_shacl_bounded: validate, send results back as picklable data."""
    try:
        if isinstance(data, str):  # spawned, not forked: graphs come as N-Triples
            data = Graph().parse(data=data, format="nt")
            shapes = Graph().parse(data=shapes, format="nt")
        results, report_graph = _run_shacl(data, shapes)
        conn.send(("ok", (results, report_graph.serialize(format="nt"))))
    except Exception as exc:  # reported by the parent; a traceback in a worker helps nobody
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


def _run_shacl_bounded(data: Graph, shapes: Graph, timeout: float) -> tuple[list[Result], Graph]:
    """_run_shacl in a worker process that is terminated after ``timeout`` seconds: pySHACL
    cannot be interrupted from inside, and a thread cannot be stopped."""
    import multiprocessing

    forking = "fork" in multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork" if forking else "spawn")
    receiver, sender = ctx.Pipe(duplex=False)
    # A forked child shares the graphs; a spawned one gets them as N-Triples.
    args = (data, shapes) if forking else (data.serialize(format="nt"), shapes.serialize(format="nt"))
    process = ctx.Process(target=_worker, args=(sender, *args), daemon=True)
    process.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            raise ValidationTimeout(timeout)
        try:
            status, payload = receiver.recv()
        except EOFError:
            process.join()
            raise RuntimeError(f"the validation worker ended unexpectedly (exit code {process.exitcode})") from None
    finally:
        if process.is_alive():
            process.terminate()
        process.join()
        receiver.close()
    if status != "ok":
        raise RuntimeError(payload)
    results, report_nt = payload
    return results, Graph().parse(data=report_nt, format="nt")


def _report_node(report_graph: Graph):
    node = next(iter(report_graph.subjects(RDF.type, SH.ValidationReport)), None)
    if node is None:
        node = BNode()
        report_graph.add((node, RDF.type, SH.ValidationReport))
    return node


def _add_to_report_graph(report_graph: Graph, results: Iterable[Result]) -> None:
    """Results found in code (unknown terms) join the W3C report, so every output format has them."""
    report = _report_node(report_graph)
    for r in results:
        node = BNode()
        report_graph.add((report, SH.result, node))
        report_graph.add((node, RDF.type, SH.ValidationResult))
        report_graph.add((node, SH.focusNode, _term(r.focus)))
        report_graph.add((node, SH.resultSeverity, _SEVERITY_IRI[r.severity]))
        if r.shape:
            report_graph.add((node, SH.sourceShape, URIRef(r.shape)))
        if r.component:
            report_graph.add((node, SH.sourceConstraintComponent, URIRef(r.component)))
        if r.path:
            report_graph.add((node, SH.resultPath, _expand(r.path)))
        if r.value:
            report_graph.add((node, SH.value, _expand(r.value)))
        for lang, text in r.messages.items():
            report_graph.add((node, SH.resultMessage, Literal(text, lang=lang)))


def _sort_key(r: Result) -> tuple:
    from plan2rdf.rdfio.writers import natural_key

    return (
        -LEVELS[r.severity],
        natural_key(r.entry or r.focus),
        r.focus,
        r.path or "",
        r.shape or "",
        r.message("en"),
        r.value or "",
    )


# ---------------------------------------------------------------------------------------------
# Shapes graph: node shapes, rules and focus nodes (for JUnit test cases and SARIF rules)

_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)


def _node_shapes(shapes: Graph) -> dict[Any, Any]:
    """Each property shape's node shape (the one with targets that uses it)."""
    parents: dict[Any, Any] = {}
    for node_shape, shape in shapes.subject_objects(SH.property):
        parents.setdefault(shape, node_shape)
    return parents


def _node_shape_of(shape: str | None, parents: dict[Any, Any]) -> str | None:
    if shape is None:
        return None
    node = URIRef(shape)
    for _ in range(10):  # nested property shapes: climb to the top
        if node not in parents:
            break
        node = parents[node]
    return str(node) if isinstance(node, URIRef) else None


def _messages(graph: Graph, node) -> dict[str, str]:
    messages: dict[str, str] = {}
    for message in graph.objects(node, SH.message):
        lang = message.language if isinstance(message, Literal) and message.language else "en"
        messages.setdefault(lang, str(message))
    return dict(sorted(messages.items()))


def _rules(shapes: Graph, parents: dict[Any, Any]) -> dict[str, Rule]:
    rules: dict[str, Rule] = {}
    for shape in set(shapes.subjects(SH.severity, None)) | set(shapes.subjects(SH.message, None)):
        if not isinstance(shape, URIRef):
            continue
        severity = _SEVERITY.get(shapes.value(shape, SH.severity), "violation")
        messages = _messages(shapes, shape)
        for constraint in shapes.objects(shape, SH.sparql):  # SPARQL messages sit on the constraint
            messages = messages or _messages(shapes, constraint)
        if (shape, RDF.type, SH.SPARQLConstraint) in shapes:
            continue  # results name the shape, not the constraint
        rules[str(shape)] = Rule(str(shape), severity, messages, _node_shape_of(str(shape), parents))
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


def _checks(shapes: Graph, data: Graph, results: list[Result]) -> list[Check]:
    from plan2rdf.rdfio.writers import natural_key

    describer = _Describer(data)
    pairs: set[tuple[str, str]] = set()
    for shape in {s for p in _TARGETS for s in shapes.subjects(p, None)}:
        if isinstance(shape, URIRef):
            pairs.update((str(shape), _node_text(node)) for node in focus_nodes(shapes, data, shape))
    # Shapes with other targets (SPARQL-based, custom) or checked in code still get a test case.
    pairs.update((r.node_shape or r.shape or "", r.focus) for r in results)
    checks = []
    for shape, focus in pairs:
        where = describer.describe(_term(focus))
        checks.append(Check(shape, focus, where.entry, where.title, where.source_file, where.line, where.part))
    return sorted(checks, key=lambda c: (c.shape, natural_key(c.entry or c.focus), c.focus))


def _node_text(term) -> str:
    """A focus node as results give it: the IRI, or _:label for a blank node."""
    return f"_:{term}" if isinstance(term, BNode) else str(term)


def _term(text: str):
    """The node a result's focus text stands for (inverse of _node_text)."""
    return BNode(text[2:]) if text.startswith("_:") else URIRef(text)


# ---------------------------------------------------------------------------------------------
# Describing results: entry, title, source line, prefixed paths and values


@dataclass(frozen=True)
class _Where:
    entry: str | None = None
    title: str | None = None
    source_file: str | None = None
    line: int | None = None
    part: str | None = None


def _prefixed(iri: str) -> str:
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
        return _prefixed(str(term))
    if isinstance(term, BNode):
        return "[]"  # blank node labels differ from run to run
    if isinstance(term, Literal):
        text = json.dumps(str(term), ensure_ascii=False)
        if term.language:
            return f"{text}@{term.language}"
        if term.datatype and term.datatype != XSD.string:
            return f"{text}^^{_prefixed(str(term.datatype))}"
        return text
    return str(term)


def _expand(text: str):
    """Inverse of term_text for IRIs (all unknown-term results need)."""
    if text.startswith("<") and text.endswith(">"):
        return URIRef(text[1:-1])
    prefix, _, local = text.partition(":")
    return URIRef(REPORT_PREFIXES[prefix] + local) if prefix in REPORT_PREFIXES else Literal(text)


def path_text(graph: Graph, path) -> str:
    """A SHACL property path in SPARQL syntax: p2r:direction, ^p2r:hasMeasure, (a/b), org:unitOf+."""
    if isinstance(path, URIRef):
        return _prefixed(str(path))
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


class _Describer:
    """Finds, for any node of a plan2rdf graph, the entry it belongs to and the source line."""

    # Links from a part up to what it belongs to: target → indicator → measure, etc.
    _UP = (P2R.hasIndicator, P2R.hasTarget, P2R.baseline, P2R.themeAssignment)

    def __init__(self, data: Graph, shapes: Graph | None = None):
        self.data = data
        self.shapes = shapes
        self.parents = _node_shapes(shapes) if shapes is not None else {}
        self._cache: dict[Any, _Where] = {}

    def owner(self, node) -> URIRef | None:
        """The measure a node belongs to: itself, or the measure of its indicator, target…"""
        todo, seen = [node], set()
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.add(current)
            if (current, RDF.type, P2R.Measure) in self.data:
                return current
            for prop in self._UP:
                todo.extend(self.data.subjects(prop, current))
        return None

    def _label(self, node) -> str | None:
        labels: dict[str, str] = {}
        for prop in (DCTERMS.title, SKOS.prefLabel, RDFS.label):
            for value in self.data.objects(node, prop):
                if isinstance(value, Literal):
                    labels.setdefault(value.language or "", str(value))
            if labels:
                break
        return labels.get("ja") or next(iter(sorted(labels.items())), (None, None))[1]

    def _line(self, measure) -> int | None:
        value = self.data.value(measure, P2R.sourceLine)
        return int(value) if value is not None and str(value).isdigit() else None

    def _source_file(self, measure) -> str | None:
        for plan in self.data.subjects(P2R.hasMeasure, measure):
            source = self.data.value(plan, PROV.wasDerivedFrom)
            if source is not None and self.data.value(source, DCTERMS.title) is not None:
                return str(self.data.value(source, DCTERMS.title))
        return None

    def _first_mention(self, node) -> URIRef | None:
        """For a unit or programme: the entry with the lowest source line that names it, so a
        publisher can find it in the source."""
        measures = set(self.data.subjects(P2R.responsibleUnit, node)) | set(self.data.subjects(P2R.programme, node))
        for child in self.data.subjects(ORG.unitOf, node):
            measures.update(self.data.subjects(P2R.responsibleUnit, child))
        lined = [(line, str(m), m) for m in measures if (line := self._line(m)) is not None]
        return min(lined)[2] if lined else None

    def describe(self, node) -> _Where:
        if node in self._cache:
            return self._cache[node]
        measure = self.owner(node)
        if measure is not None:
            identifier = self.data.value(measure, DCTERMS.identifier)
            where = _Where(
                entry=str(identifier) if identifier is not None else None,
                title=self._label(measure),
                source_file=self._source_file(measure),
                line=self._line(measure),
                part=_part(node, measure),
            )
        else:
            anchor = self._first_mention(node)
            where = _Where(
                title=self._label(node),
                source_file=self._source_file(anchor) if anchor is not None else None,
                line=self._line(anchor) if anchor is not None else None,
            )
        self._cache[node] = where
        return where

    def _node_shape(self, shape) -> str | None:
        for _ in range(10):  # nested property shapes: climb to the node shape with targets
            if shape not in self.parents:
                break
            shape = self.parents[shape]
        return str(shape) if isinstance(shape, URIRef) else None

    def _tagged(self, messages: list[tuple[str, str]], constraint) -> dict[str, str]:
        """Messages by language. pySHACL drops the language tags of a SPARQL-based constraint's
        messages (it substitutes {?var} into them): each gets back the tag of the shapes graph
        message it matches. Untagged messages of other shapes count as English."""
        tagged: dict[str, str] = {}
        for lang, text in messages:
            if lang:
                tagged.setdefault(lang, text)
        texts = [text for lang, text in messages if not lang]
        if texts and self.shapes is not None and constraint is not None:
            for lang, template in _messages(self.shapes, constraint).items():
                pattern = _PLACEHOLDER.sub(".*", re.escape(template))
                match = next((t for t in texts if re.fullmatch(pattern, t, re.S)), None)
                if match is not None and lang not in tagged:
                    tagged[lang] = match
                    texts.remove(match)
        if texts:
            tagged.setdefault("en", texts[0])
        return dict(sorted(tagged.items()))

    def result(self, report: Graph, node) -> Result:
        severity = _SEVERITY.get(report.value(node, SH.resultSeverity), "violation")
        focus = report.value(node, SH.focusNode)
        value = report.value(node, SH.value)
        path = report.value(node, SH.resultPath)
        where = self.describe(focus)
        # A plan-wide rule reports the plan as focus and the offending entry as value.
        if where.entry is None and isinstance(value, URIRef) and self.owner(value) is not None:
            where = self.describe(value)
        shape = report.value(node, SH.sourceShape)
        component = report.value(node, SH.sourceConstraintComponent)
        return Result(
            severity=severity,
            focus=_node_text(focus),
            messages=self._tagged(_messages_of(report, node), report.value(node, SH.sourceConstraint)),
            path=path_text(report, path) if path is not None else None,
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
        )


# {?value} / {$this} as re.escape writes them: the parts pySHACL substitutes.
_PLACEHOLDER = re.compile(r"\\\{\\[?$]\w+\\\}")


def _messages_of(report: Graph, node) -> list[tuple[str, str]]:
    """The result's messages as (language, text); "" for untagged ones (see _Describer._tagged)."""
    return sorted(
        (m.language or "" if isinstance(m, Literal) else "", str(m)) for m in report.objects(node, SH.resultMessage)
    )


# ---------------------------------------------------------------------------------------------
# Unknown terms: p2r: IRIs the ontology does not define


def _defined_terms(ontology: Graph) -> frozenset[str]:
    ns = str(P2R)
    return frozenset(str(s) for s in ontology.subjects() if isinstance(s, URIRef) and str(s).startswith(ns))


@functools.lru_cache(maxsize=1)
def _shipped_terms() -> frozenset[str]:
    # Parsed once per process: corpus builds validate many plans in each worker.
    return _defined_terms(load_ontology())


def unknown_terms(data: Graph, *, ontology: Graph | None = None) -> list[Result]:
    """A warning per ``p2r:`` term used in ``data`` that the ontology does not define."""
    import difflib

    ns = str(P2R)
    known = _defined_terms(ontology) if ontology is not None else _shipped_terms()
    uses: dict[str, list[tuple[str, str | None]]] = {}  # term → (focus, path) of each use

    def note(term, focus, path) -> None:
        # The namespace IRI itself (void:vocabulary p2r:) names the vocabulary, not a term.
        if isinstance(term, URIRef) and str(term).startswith(ns) and str(term) != ns and str(term) not in known:
            uses.setdefault(str(term), []).append((_node_text(focus), str(path) if path is not None else None))

    for s, p, o in data:
        note(s, s, None)
        note(p, s, p)
        note(o, s, p)
    describer = _Describer(data)
    names = sorted(term[len(ns) :] for term in known)
    results = []
    for term, where in sorted(uses.items()):
        focus, path = min(where, key=lambda fp: (fp[0], fp[1] or ""))
        name = _prefixed(term)
        close = difflib.get_close_matches(term[len(ns) :], names, n=1, cutoff=0.7)
        hint_en = f"; did you mean p2r:{close[0]}?" if close else "; check its spelling against ontology/plan2rdf.ttl"
        hint_ja = (
            f"p2r:{close[0]} の誤りではありませんか？" if close else "ontology/plan2rdf.ttl で綴りを確かめてください。"
        )
        times = len(where)
        en = f"{name} is not defined by the plan2rdf vocabulary (used {times} time{'s' if times != 1 else ''}){hint_en}"
        ja = f"{name} は plan2rdf の語彙に定義されていない用語です（{times} 箇所で使用）。{hint_ja}"
        described = describer.describe(_term(focus))
        results.append(
            Result(
                severity="warning",
                focus=focus,
                messages={"en": en, "ja": ja},
                path=_prefixed(path) if path else None,
                value=None if path == term else name,  # a misspelt property is the path itself
                entry=described.entry,
                part=described.part,
                title=described.title,
                shape=UNKNOWN_TERM_SHAPE,
                node_shape=UNKNOWN_TERM_SHAPE,
                component=UNKNOWN_TERM_COMPONENT,
                source_file=described.source_file,
                source_line=described.line,
            )
        )
    return results


# ---------------------------------------------------------------------------------------------
# Reading RDF files


@dataclass
class LoadedData:
    graph: Graph
    files: list[Path]
    # The first file in which each subject has triples: where a result's focus node is stated.
    subject_files: dict[str, str] = field(default_factory=dict)


def expand_paths(paths: Sequence[Path]) -> tuple[list[Path], list[Problem]]:
    """Files as given, directories as their RDF files (recursively, sorted, hidden ones skipped)."""
    files: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.suffix.lower() in DIRECTORY_EXTENSIONS
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            if not found:
                extensions = ", ".join(sorted(DIRECTORY_EXTENSIONS))
                problems.append(Problem(str(path), f"the directory has no RDF files ({extensions})"))
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            problems.append(Problem(str(path), "no such file or directory"))
    return files, problems


def format_of(path: Path, input_format: str | None = None) -> str | None:
    if input_format:
        return INPUT_FORMATS[input_format]
    return EXTENSIONS.get(path.suffix.lower())


def load_data(paths: Sequence[Path], *, input_format: str | None = None, directories: bool = True) -> LoadedData:
    """Parse RDF files into one graph. Raises InputError listing every unreadable file, with
    file:line:column and the parser's reason."""
    if directories:
        files, problems = expand_paths(paths)
    else:
        files = [p for p in paths if p.is_file()]
        problems = [Problem(str(p), "no such file") for p in paths if not p.is_file()]
    graph = Graph()
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True, replace=True)
    subject_files: dict[str, str] = {}
    for path in files:
        fmt = format_of(path, input_format)
        if fmt is None:
            known = ", ".join(sorted(EXTENSIONS))
            problems.append(
                Problem(str(path), f"unknown RDF format (extensions: {known})", hint="name it with --input-format")
            )
            continue
        try:
            part = parse_file(path, fmt)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        for subject in part.subjects():
            subject_files.setdefault(str(subject), str(path))
        graph += part
    if problems:
        raise InputError(problems)
    return LoadedData(graph, files, subject_files)


def parse_file(path: Path, fmt: str) -> Graph:
    """One RDF file as a graph, or InputError with where and why it does not parse."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError([Problem(str(path), f"cannot be read: {exc.strerror or exc}")]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError(
            [Problem(str(path), "is not UTF-8 text", line=line, column=column, hint="save it as UTF-8")]
        ) from None
    base = path.resolve().as_uri()
    if fmt == "json-ld":
        return _parse_jsonld(path, text, base)
    if fmt == "nt":
        return _parse_ntriples(path, text, base)
    graph: Graph = Graph()
    try:
        if fmt == "trig":
            from rdflib import Dataset

            dataset = Dataset()
            dataset.parse(data=text, format="trig", publicID=base)
            for s, p, o, _ in dataset.quads():
                graph.add((s, p, o))
        else:
            graph.parse(data=text, format=fmt, publicID=base)
    except Exception as exc:  # every parser has its own exceptions; all mean "does not parse"
        raise InputError([_parse_problem(path, text, exc)]) from None
    return graph


def _parse_problem(path: Path, text: str, exc: Exception) -> Problem:
    """file:line:column and the reason, from whichever parser failed."""
    from xml.sax import SAXParseException

    reason = getattr(exc, "_why", None)
    position = getattr(exc, "_i", None)
    if reason is not None and isinstance(position, int):  # rdflib's Turtle/TriG/N3 BadSyntax
        source = getattr(exc, "_str", b"")
        source = source.decode("utf-8", "replace") if isinstance(source, bytes) else str(source)
        before = source[:position]
        line = before.count("\n") + 1
        column = position - (before.rfind("\n") + 1) + 1
        return Problem(str(path), f"does not parse: {reason}", line=line, column=column)
    if isinstance(exc, SAXParseException):
        return Problem(
            str(path), f"does not parse: {exc.getMessage()}", line=exc.getLineNumber(), column=exc.getColumnNumber()
        )
    message = str(exc).strip() or type(exc).__name__
    located = re.match(r"^.*?:(\d+):(\d+): (.*)$", message, re.S)  # rdflib's RDF/XML ParserError
    if located:
        return Problem(
            str(path), f"does not parse: {located.group(3)}", line=int(located.group(1)), column=int(located.group(2))
        )
    at_line = re.search(r"\bline (\d+)\b", message)
    first = message.splitlines()[0]
    return Problem(str(path), f"does not parse: {first}", line=int(at_line.group(1)) if at_line else None)


def _parse_ntriples(path: Path, text: str, base: str) -> Graph:
    graph = Graph()
    try:
        graph.parse(data=text, format="nt", publicID=base)
        return graph
    except Exception:
        pass
    # N-Triples is line-based: parse each line alone to name every bad line.
    problems = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            Graph().parse(data=line + "\n", format="nt", publicID=base)
        except Exception as exc:
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            problems.append(Problem(str(path), f"does not parse: {reason}", line=number, column=1))
    raise InputError(problems or [Problem(str(path), "does not parse as N-Triples")])


def _parse_jsonld(path: Path, text: str, base: str) -> Graph:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError([Problem(str(path), f"is not JSON: {exc.msg}", line=exc.lineno, column=exc.colno)]) from None
    problems = list(_local_contexts(document, path, text))
    if problems:
        raise InputError(problems)
    graph = Graph()
    try:
        # Every context is inline now, so the parser has nothing to fetch.
        graph.parse(data=json.dumps(document), format="json-ld", publicID=base)
    except Exception as exc:
        raise InputError([_parse_problem(path, text, exc)]) from None
    return graph


def _shipped_context() -> Any:
    from plan2rdf.resources import read_text

    return json.loads(read_text("ontology", "context.jsonld"))["@context"]


def _local_contexts(document: Any, path: Path, text: str) -> Iterator[Problem]:
    """Replace our own context IRI by the shipped context, in place; every other reference to a
    context (remote, relative or @import) is a problem: rdflib would fetch it."""

    def where(iri: str) -> dict[str, int]:
        at = text.find(json.dumps(iri))
        if at < 0:
            return {}
        return {"line": text.count("\n", 0, at) + 1, "column": at - (text.rfind("\n", 0, at) + 1) + 1}

    def problem(iri: str) -> Problem:
        return Problem(
            str(path),
            f"refers to the JSON-LD context {iri!r}, which plan2rdf does not fetch",
            hint=f"put the context inline, or use plan2rdf's own context {CONTEXT_IRI}",
            **where(iri),
        )

    def context(value: Any) -> tuple[Any, list[Problem]]:
        if isinstance(value, str):
            return (_shipped_context(), []) if value == CONTEXT_IRI else (value, [problem(value)])
        if isinstance(value, list):
            pairs = [context(item) for item in value]
            return [v for v, _ in pairs], [p for _, ps in pairs for p in ps]
        if isinstance(value, dict):
            found: list[Problem] = []
            imported = value.get("@import")
            if isinstance(imported, str):
                found.append(problem(imported))
            for key, item in value.items():
                if isinstance(item, dict | list):  # scoped contexts inside term definitions
                    value[key], more = walk(item)
                    found.extend(more)
            return value, found
        return value, []

    def walk(node: Any) -> tuple[Any, list[Problem]]:
        found: list[Problem] = []
        if isinstance(node, dict):
            for key in list(node):
                if key == "@context":
                    node[key], more = context(node[key])
                else:
                    node[key], more = walk(node[key])
                found.extend(more)
        elif isinstance(node, list):
            for i, item in enumerate(node):
                node[i], more = walk(item)
                found.extend(more)
        return node, found

    _, found = walk(document)
    yield from found


def validate_files(
    paths: Sequence[Path],
    *,
    shapes: Graph | None = None,
    input_format: str | None = None,
    timeout: float | None = None,
    check_terms: bool = True,
    checks: bool = False,
) -> Report:
    """Read RDF files (or directories) and validate them together as one graph."""
    loaded = load_data(paths, input_format=input_format)
    report = validate_graph(loaded.graph, shapes=shapes, timeout=timeout, check_terms=check_terms, checks=checks)
    first = str(loaded.files[0]) if loaded.files else None
    describer = _Describer(loaded.graph)
    results = []
    for r in report.results:
        owner = describer.owner(_term(r.focus))
        data_file = (
            loaded.subject_files.get(r.focus) or (loaded.subject_files.get(str(owner)) if owner else None) or first
        )
        results.append(replace(r, data_file=data_file, source_path=_beside(r.source_file, data_file)))
    report.results = results
    report.files = [str(p) for p in loaded.files]
    return report


def _beside(source_file: str | None, data_file: str | None) -> str | None:
    """The source plan's path when it lies beside the data file, so CI annotations can point at it."""
    if source_file and data_file:
        candidate = Path(data_file).parent / source_file
        if candidate.is_file():
            return candidate.as_posix()
    return None
