"""Running the SHACL engines (pySHACL, pyshacl-turbo) and assembling the report.

:func:`validate_graph` runs the shapes over a graph (in this process, or in a worker process
bounded by a timeout), adds the unknown-term check and describes every result for people;
:func:`validate_files` reads RDF files through :mod:`plan2rdf.rdfio.load` first and names, per
result, the data file that states its focus node; :func:`validate_text` does the same with one
N-Triples or N-Quads document held in memory (a corpus part). :func:`severity_counts` is the fast pass of
corpus builds.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import replace
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH

from plan2rdf.i18n import Text
from plan2rdf.problems import InputError, Problem
from plan2rdf.rdfio.load import load_files, load_text, quiet_rdflib
from plan2rdf.rdfio.table import TermTable
from plan2rdf.validate.describe import Describer, expand_text, node_of, node_shape_of, node_shapes, term_text
from plan2rdf.validate.literals import engine_view, ill_formed, literal_results
from plan2rdf.validate.results import (
    LEVELS,
    SEVERITY_IRIS,
    SEVERITY_NAMES,
    Check,
    Report,
    Result,
    ValidationTimeout,
    identity,
)
from plan2rdf.validate.shapes import blocking_shapes, checks_of, load_shapes, rules_of, shapes_for, shipped_shapes
from plan2rdf.validate.terms import shipped_terms, unknown_terms
from plan2rdf.vocab import P2R

__all__ = [
    "ENGINES",
    "LEVELS",
    "Report",
    "ValidationTimeout",
    "choose_engine",
    "engine_available",
    "load_shapes",
    "severity_counts",
    "shapes_for",
    "validate_files",
    "validate_graph",
    "validate_text",
]


def validate_graph(
    data: Graph,
    *,
    shapes: Graph | None = None,
    plans=None,
    check_terms: bool = True,
    ontology: Graph | None = None,
    timeout: float | None = None,
    checks: bool = False,
    engine: str = "auto",
    listed: Listed | None = None,
) -> Report:
    """Run the shapes over ``data`` (and, with ``check_terms``, the unknown-term check).

    ``plans`` (records) are not needed: the graph says it all. With ``timeout`` (seconds) the
    SHACL engine runs in a worker process that is ended when the time is up, raising
    ValidationTimeout; without it, it runs in this process (no start-up cost). With ``checks``
    the report lists every (node shape, focus node) pair evaluated, which JUnit output needs.
    ``engine`` auto is pyshacl-turbo where installed (the same verdicts as pySHACL, ten times faster).
    ``listed`` (severity, focus) → False: that result is only counted (``Report.unlisted``, each
    once), not described: what a format that does not show it needs.
    """
    shapes = shapes if shapes is not None else shipped_shapes()
    engine = choose_engine(engine)
    import time
    from datetime import UTC, datetime

    started, clock = datetime.now(UTC), time.perf_counter()
    with quiet_rdflib():
        report = _validate_graph(
            data,
            shapes,
            engine,
            timeout=timeout,
            check_terms=check_terms,
            ontology=ontology,
            checks=checks,
            listed=listed,
        )
    report.started, report.seconds = started, time.perf_counter() - clock
    return report


def _validate_graph(
    data: Graph, shapes: Graph, engine: str, *, timeout, check_terms, ontology, checks, listed=None
) -> Report:
    found = ill_formed(data)
    if timeout is None:
        results, report_graph = _run_shacl(engine_view(data, found), shapes, engine, listed)
    else:
        results, report_graph = _run_shacl_bounded(engine_view(data, found), shapes, timeout, engine)
    results = _with_literal_checks(data, found, results, report_graph)
    if check_terms:
        extra = unknown_terms(data, ontology=ontology)
        _add_to_report_graph(report_graph, extra)
        results.extend(extra)
    parents = node_shapes(shapes)
    results = [r if r.node_shape else replace(r, node_shape=node_shape_of(r.shape, parents)) for r in results]
    counted = [r for r in results if listed is not None and not listed(r.severity, r.focus)]
    if counted:
        results = [r for r in results if listed(r.severity, r.focus)]
    results.sort(key=_sort_key)
    report_graph.set((_report_node(report_graph), SH.conforms, Literal(not results and not counted)))
    report = Report(conforms=False, results=results, graph=report_graph, unlisted=_each_once(counted))
    report.conforms = report.conforms_at("violation")
    report.rules = _rules(shapes, parents)
    if checks:
        report.checks = checks_of(shapes, data, results + counted)
    return report


Listed = Callable[[str, str], bool]  # (severity, focus) → described and listed, or only counted


def _each_once(counted: list[Result]) -> dict[str, int]:
    """Results only counted, by severity, each once as merged reports count them: their
    description is the same wherever their fields are (it follows from the focus, path and value)."""
    return dict(Counter({identity(r): r.severity for r in counted}.values()))


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


def severity_counts(
    data: Graph,
    *,
    engine: str = "pyshacl",
    shapes: Graph | None = None,
    at_least: str = "info",
    table: TermTable | None = None,
) -> dict[str, int]:
    """How many results of each severity at ``at_least`` or worse (the others: 0), and nothing more.

    The fast pass of corpus builds: describing results (entry, title, source line) costs as much
    as a fast engine's validation, and is only needed for the plans that fail; the shapes that
    cannot report a result at ``at_least`` or worse (:func:`blocking_shapes`) are not run.
    ``table``, the graph's :class:`TermTable` when the caller has made one, spares the walks over
    the graph that each check would make.
    """
    found = ill_formed(data, table)
    shapes = shapes if shapes is not None else shipped_shapes()
    if at_least != "info":
        shapes = _blocking(shapes, at_least)
    view = engine_view(data, found)
    report_graph = _engine_report(view, shapes, choose_engine(engine), table if view is data else None)
    counts = dict.fromkeys(LEVELS, 0)
    broken = {o for _, _, o, _ in found}
    for node in report_graph.subjects(RDF.type, SH.ValidationResult):
        if report_graph.value(node, SH.value) not in broken:  # counted once, below, as validate_graph does
            counts[SEVERITY_NAMES.get(report_graph.value(node, SH.resultSeverity), "violation")] += 1
    counts["violation"] += len(found)
    if LEVELS[at_least] <= LEVELS["warning"]:
        counts["warning"] += _unknown_term_count(data, table)
    return {level: n if LEVELS[level] >= LEVELS[at_least] else 0 for level, n in counts.items()}


def _unknown_term_count(data: Graph, table: TermTable | None = None) -> int:
    ns, known = str(P2R), shipped_terms()
    if table is not None:
        terms = {t for t in table.iris() if t.startswith(ns)}
    else:
        # str.startswith first: hashing rdflib terms is slow Python code, hashing the plain strings is not
        terms = {str(t) for triple in data for t in triple if str.startswith(t, ns) and isinstance(t, URIRef)}
    return sum(1 for t in terms if t != ns and t not in known)


_RULES: dict[int, tuple[Graph, dict]] = {}


def _rules(shapes: Graph, parents: dict) -> dict:
    """rules_of, once per process and shapes graph: a corpus validates a thousand plans with one."""
    held = _RULES.get(id(shapes))
    if held is None or held[0] is not shapes:
        if len(_RULES) > 8:  # shapes parsed anew for each part of a corpus: keep a few only
            _RULES.clear()
        held = _RULES[id(shapes)] = (shapes, rules_of(shapes, parents))
    return held[1]


_BLOCKING: dict[tuple[int, str], tuple[Graph, Graph]] = {}


def _blocking(shapes: Graph, level: str) -> Graph:
    """blocking_shapes, once per process and shapes graph (held, so its id is not reused)."""
    held = _BLOCKING.get((id(shapes), level))
    if held is None or held[0] is not shapes:
        held = _BLOCKING[(id(shapes), level)] = (shapes, blocking_shapes(shapes, level))
    return held[1]


def _engine_report(data: Graph, shapes: Graph, engine: str, table: TermTable | None = None) -> Graph:
    # No allow_infos/allow_warnings: pySHACL drops those results from the report when they are set.
    # No advanced mode: it makes pySHACL copy the data graph first.
    if engine == "turbo":
        # Same API and, on every shapes fixture and plan we test, the same results (tests/test_engines.py),
        # about ten times faster: what corpus builds of thousands of plans need.
        source = _turbo_terms(table, data) if table is not None else data
        _, report_graph, _ = _compiled(shapes).validate(source, inference="none", abort_on_first=False)
    else:
        import pyshacl

        with _prepared_queries(data):
            _, report_graph, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", abort_on_first=False)
    return report_graph


def _turbo_terms(table: TermTable, data: Graph):
    """The data as pyshacl-turbo's own term records, made from ``table``: what it makes from a
    graph itself (pyshacl_turbo.rdf's term input), without walking the graph and hashing every
    rdflib term again. Its record form is not a documented API, so where it is not the one this
    was written against, the graph itself is handed over (tests/test_engines.py compares both)."""
    try:
        from pyshacl_turbo.rdf import Input
    except ImportError:  # pragma: no cover - another release of pyshacl-turbo
        return data
    if getattr(Input, "__dataclass_fields__", {}).keys() != _TURBO_INPUT_FIELDS:  # pragma: no cover
        return data
    records, nodes = [], {}
    for term in table.terms:
        kind = type(term)
        if kind is URIRef:
            records.append((0, str(term), None, None))
        elif kind is Literal:
            language = term.language
            datatype = term.datatype
            records.append((2, str(term), str(datatype) if datatype and not language else None, language))
        elif isinstance(term, BNode):
            nodes[str(term)] = term
            records.append((1, str(term), None, None))
        else:  # a subclass of rdflib's terms: the graph goes as it is
            return data
    quads = [(s, p, o, None) for s, p, o in table.triples]
    return Input((records, quads), "terms", None, nodes, dict(data.namespaces()))


# pyshacl_turbo.rdf.Input as of pyshacl-turbo 0.6
_TURBO_INPUT_FIELDS = {"source", "format", "base", "blank_nodes", "namespaces", "preserve_ids"}

_COMPILED: dict[int, tuple[Graph, object]] = {}


def _compiled(shapes: Graph):
    """pyshacl-turbo's compiled form of a shapes graph, made once per process: compiling costs a
    quarter of validating one plan, and a corpus worker validates hundreds with the same shapes."""
    held = _COMPILED.get(id(shapes))
    if held is None or held[0] is not shapes:  # the graph itself is held, so its id is not reused
        import pyshacl_turbo

        held = _COMPILED[id(shapes)] = (shapes, pyshacl_turbo.compile_shapes(shapes))
    return held[1]


def _run_shacl(
    data: Graph, shapes: Graph, engine: str = "pyshacl", listed: Listed | None = None
) -> tuple[list[Result], Graph]:
    report_graph = _engine_report(data, shapes, engine)
    return Describer(data, shapes).results(report_graph, listed), report_graph


def _shacl_task(data: Graph | str, shapes: Graph | str, engine: str) -> tuple[list[Result], str]:
    """The work of _run_shacl_bounded's child: the results, and the report graph as N-Triples
    (both pickle back to the parent)."""
    if isinstance(data, str):  # spawned, not forked: graphs come as N-Triples
        data = Graph().parse(data=data, format="nt")
        shapes = Graph().parse(data=shapes, format="nt")
    results, report_graph = _run_shacl(data, shapes, engine)
    return results, report_graph.serialize(format="nt")


def _run_shacl_bounded(data: Graph, shapes: Graph, timeout: float, engine: str) -> tuple[list[Result], Graph]:
    """_run_shacl in a worker process that is killed after ``timeout`` seconds: pySHACL cannot be
    interrupted from inside, and a thread cannot be stopped."""
    from plan2rdf.workers import forking, run_within

    # A forked child shares the graphs; a spawned one gets them as N-Triples.
    args = (data, shapes) if forking() else (data.serialize(format="nt"), shapes.serialize(format="nt"))
    results, report_nt = run_within(functools.partial(_shacl_task, *args, engine), timeout, ValidationTimeout)
    return results, Graph().parse(data=report_nt, format="nt")


def merged_report(reports: Sequence[Report], *, files: list[str]) -> Report:
    """Reports of parts of one graph as one: each result and check once, in the usual order, and
    the W3C report graph made again from the results when it is asked for (``Report.w3c_graph``)."""
    results = list({result_key(r): r for report in reports for r in report.results}.values())
    results.sort(key=_sort_key)
    from plan2rdf.rdfio.writers import natural_key

    checks = list({result_key(c): c for report in reports for c in report.checks}.values())
    checks.sort(key=lambda c: (c.shape, natural_key(c.entry or c.focus), c.focus))  # as shapes.checks_of

    def graph() -> Graph:
        made = Graph()
        _add_to_report_graph(made, results)
        made.set((_report_node(made), SH.conforms, Literal(not results)))
        return made

    unlisted = Counter()
    for report in reports:
        unlisted.update(report.unlisted)
    # The W3C report is made from the results: not when some are only counted.
    made = graph if not unlisted else None
    merged = Report(False, results, graph_from=made, checks=checks, files=files, unlisted=dict(unlisted))
    merged.conforms = merged.conforms_at("violation")
    merged.rules = reports[0].rules if reports else {}
    started = [r.started for r in reports if r.started is not None]
    merged.started = min(started) if started else None
    return merged


def result_key(r: Result | Check) -> tuple:
    """A result's identity for merging (its messages are a dict, which does not hash)."""
    return identity(r)


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
        report_graph.add((node, SH.focusNode, node_of(r.focus)))
        report_graph.add((node, SH.resultSeverity, SEVERITY_IRIS[r.severity]))
        if r.shape:
            report_graph.add((node, SH.sourceShape, URIRef(r.shape)))
        if r.component:
            report_graph.add((node, SH.sourceConstraintComponent, URIRef(r.component)))
        if r.path:
            report_graph.add((node, SH.resultPath, expand_text(r.path)))
        if r.value:
            report_graph.add((node, SH.value, expand_text(r.value)))
        for lang, text in r.messages.items():
            report_graph.add((node, SH.resultMessage, Literal(text, lang=lang)))


def _with_literal_checks(data: Graph, found: list[tuple], results: list[Result], report_graph: Graph) -> list[Result]:
    """Ill-formed literals: one result each from the code check, none from the engine (the engines
    disagree on them, and a broken literal would otherwise also fail every shape that reads it)."""
    if not found:
        return results
    broken = {o for _, _, o, _ in found}
    for node in list(report_graph.subjects(SH.value, None)):
        if report_graph.value(node, SH.value) in broken:
            for parent in list(report_graph.subjects(SH.result, node)):
                report_graph.remove((parent, SH.result, node))
            report_graph.remove((node, None, None))
    texts = {term_text(o) for o in broken}
    kept = [r for r in results if r.value is None or r.value not in texts]
    added = literal_results(data, found)
    report = _report_node(report_graph)
    for (s, p, o, _), r in zip(found, added, strict=True):
        node = BNode()
        report_graph.add((report, SH.result, node))
        report_graph.add((node, RDF.type, SH.ValidationResult))
        report_graph.add((node, SH.focusNode, s))
        report_graph.add((node, SH.resultPath, p))
        report_graph.add((node, SH.value, o))
        report_graph.add((node, SH.resultSeverity, SH.Violation))
        report_graph.add((node, SH.sourceShape, URIRef(r.shape)))
        report_graph.add((node, SH.sourceConstraintComponent, URIRef(r.component)))
        for lang, text in r.messages.items():
            report_graph.add((node, SH.resultMessage, Literal(text, lang=lang)))
    return kept + added


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


def validate_files(
    paths: Sequence[Path],
    *,
    shapes: Graph | None = None,
    input_format: str | None = None,
    timeout: float | None = None,
    check_terms: bool = True,
    checks: bool = False,
    allow_empty: bool = False,
    engine: str = "auto",
) -> Report:
    """Read RDF files (or directories) and validate them together as one graph.

    Each result gets the file, line and column of its offending statement (or of its focus node's
    first statement). A file without triples is an InputError unless ``allow_empty``. With
    ``timeout`` (seconds), reading, validating and locating all run in a worker process, killed at
    the deadline (ValidationTimeout): a huge or hostile file is bounded as the SHACL run is.
    """
    options = {"shapes": shapes, "check_terms": check_terms, "checks": checks, "allow_empty": allow_empty}
    if timeout is not None:
        task = functools.partial(validate_files, paths, input_format=input_format, engine=engine, **options)
        return _within(task, timeout)
    loaded = load_files(paths, input_format=input_format, lexical_forms=True, locate=True, store=_store(engine))
    return _validated_loaded(loaded, engine=engine, **options)


def _within(task: Callable[[], Report], timeout: float) -> Report:
    """``task()``'s report from a worker process killed after ``timeout`` seconds; its W3C report
    graph travels as N-Triples (an rdflib graph pickles slowly) and is parsed when first asked for."""
    from plan2rdf.workers import run_within

    report, report_nt = run_within(functools.partial(_portable_report, task), timeout, ValidationTimeout)
    report.graph_from = functools.partial(_graph_from_nt, report_nt)
    return report


def _portable_report(task: Callable[[], Report]) -> tuple[Report, str]:
    report = task()
    graph = report.w3c_graph()
    report.graph, report.graph_from = None, None
    return report, graph.serialize(format="nt") if graph is not None else ""


def _graph_from_nt(text: str) -> Graph:
    return Graph().parse(data=text, format="nt")


def validate_text(
    text: str,
    name: Path,
    *,
    shapes: Graph | None = None,
    input_format: str = "nt",
    check_terms: bool = True,
    checks: bool = False,
    engine: str = "auto",
    listed: Listed | None = None,
) -> Report:
    """:func:`validate_files` of N-Triples or N-Quads ``text`` held in memory, as if read from the
    file ``name`` (what results and problems name); ``listed`` as for :func:`validate_graph`."""
    from plan2rdf.rdfio.formats import format_for

    fmt = format_for(name, input_format)
    loaded = load_text(text, name, fmt, lexical_forms=True, locate=True, store=_store(engine))
    return _validated_loaded(
        loaded, shapes=shapes, check_terms=check_terms, checks=checks, engine=engine, listed=listed
    )


def _store(engine: str) -> str:
    # pyshacl-turbo reads a SimpleMemory graph faster, and it is filled in half the time
    return "SimpleMemory" if choose_engine(engine) == "turbo" else "Memory"


def _refused(exc: Exception) -> Text:
    """The fast SHACL engine's refusal of the data, and what to do."""
    return Text(
        ja=f"SHACL エンジンがデータを受け付けません: {exc}。その IRI かリテラルを直してください",
        en=f"the SHACL engine refuses the data: {exc}; correct that IRI or literal",
    )


def _validated_loaded(
    loaded, *, shapes, check_terms, checks, engine, timeout=None, allow_empty=False, listed=None
) -> Report:
    """The report of what was loaded, each result named by its data file, line and column."""
    empty = [name for name, count in loaded.triple_counts.items() if count == 0]
    if empty and not allow_empty:
        hint = Text(
            ja="提出するファイルには何か書かれている必要があります。--allow-empty を付けると空のファイルも受け付けます",
            en="a submission must state something; --allow-empty accepts empty files",
        )
        raise InputError(
            [
                Problem(name, Text(ja=f"{name} にトリプルがありません", en=f"no triples in {name}"), hint=hint)
                for name in empty
            ]
        )
    given = {"shapes": shapes, "timeout": timeout, "check_terms": check_terms, "checks": checks, "engine": engine}
    try:
        report = validate_graph(loaded.graph, listed=listed, **given)
    except ValueError as exc:
        if not str(exc).startswith("Invalid "):
            raise
        # pyshacl-turbo refuses a term rdflib took and the checks of reading did not catch: said, not
        # located, rather than a traceback
        raise InputError([Problem(", ".join(map(str, loaded.files)) or "<data>", _refused(exc))]) from None
    first = str(loaded.files[0]) if loaded.files else None
    # One file states every node: asking which would index the graph, which is otherwise read whole.
    alone = len(loaded.files) == 1
    describer = Describer(loaded.graph)
    results = []
    for r in report.results:
        owner = functools.partial(describer.owner, node_of(r.focus))  # asked for only where needed
        data_file = first if alone else loaded.subject_files.get(r.focus) or _owner_file(loaded, owner()) or first
        position = _statement_position(r, loaded) or locate(r, loaded.graph, loaded.positions, owner)
        if position is not None:
            data_file = position[0]
        line, column = (position[1], position[2]) if position else (None, None)
        results.append(
            replace(
                r, data_file=data_file, source_path=source_beside(r.source_file, data_file), line=line, column=column
            )
        )
    report.results = results
    report.checks = [_located_check(c, loaded, describer) for c in report.checks]
    report.files = [str(p) for p in loaded.files]
    return report


def _located_check(check: Check, loaded, describer: Describer) -> Check:
    focus = node_of(check.focus)
    position = _first_position(focus, loaded.graph, loaded.positions, functools.partial(describer.owner, focus))
    if position is None:
        return replace(check, data_file=loaded.subject_files.get(check.focus))
    return replace(check, data_file=position[0], line=position[1], column=position[2])


def _statement_position(r: Result, loaded) -> tuple[str, int, int] | None:
    """The position of the offending statement itself, in the file that holds it (focus, path and
    value name one triple), when files are validated together."""
    predicate = _property_of(r.path)
    if predicate is None or r.value is None or len(loaded.files) < 2:
        return None
    focus, prop = node_of(r.focus), URIRef(predicate)
    for o in loaded.graph.objects(focus, prop):
        if term_text(o) == r.value and (focus, prop, o) in loaded.statement_files:
            file = loaded.statement_files[(focus, prop, o)]
            position = loaded.file_positions.get((file, r.focus, predicate))
            return (file, *position) if position else None
    return None


def _owner_file(loaded, owner) -> str | None:
    return loaded.subject_files.get(str(owner)) if owner else None


def locate(r: Result, data: Graph, positions: Mapping, owner=None) -> tuple[str, int, int] | None:
    """Where a result is in the files: its statement (focus, path) when the path is one property,
    the entry a plan-wide rule names, the focus node's first statement, or (for a blank node) the
    statement that refers to it; else the entry's first statement (``owner``: the entry, or what
    finds it when it is needed)."""
    focus = node_of(r.focus)
    predicate = _property_of(r.path)
    candidates: list[tuple] = []
    if predicate is not None:
        candidates.append((r.focus, predicate))
    value = expand_text(r.value) if r.value and not r.value.startswith(('"', "[")) else None
    if r.path is None and isinstance(value, URIRef):
        candidates.append((str(value), None))
    found = next((positions[key] for key in candidates if key in positions), None)
    return found or _first_position(focus, data, positions, owner)


def _first_position(focus, data: Graph, positions: Mapping, owner=None) -> tuple[str, int, int] | None:
    """A node's first statement; for a blank node, the statement that refers to it; else its entry's."""
    candidates: list[tuple] = [(str(focus), None)]
    node, hops = focus, 0
    while isinstance(node, BNode) and hops < 5:  # a blank node: the statement that names it
        parent, via = next(((s, p) for s, p in data.subject_predicates(node)), (None, None))
        if parent is None:
            break
        candidates.extend([(str(parent), str(via)), (str(parent), None)])
        node, hops = parent, hops + 1
    found = next((positions[key] for key in candidates if key in positions), None)
    if found is not None or owner is None:
        return found
    entry = owner() if callable(owner) else owner  # the entry's: the last resort, found only then
    return positions[(str(entry), None)] if entry is not None and (str(entry), None) in positions else None


def _property_of(path: str | None) -> str | None:
    """The IRI of a path that is one property (p2r:isNew, <https://…>), else None."""
    if not path or (any(c in path for c in "/^|*+?()") and not path.startswith("<")):
        return None
    term = expand_text(path)
    return str(term) if isinstance(term, URIRef) else None


def source_beside(source_file: str | None, data_file: str | None) -> str | None:
    """The source plan's path when it lies beside the data file, so CI annotations can point at it."""
    if source_file and data_file:
        candidate = Path(data_file).parent / source_file
        if candidate.is_file():
            return candidate.as_posix()
    return None
