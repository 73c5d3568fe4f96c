"""A corpus validated plan by plan, in parallel worker processes, with the report of validating it whole.

A corpus's plans are independent: each plan's named graph refers only to itself and to nodes of the
graphs every plan shares (the resources, the links between editions, the default graph). So
``plan2rdf validate corpus.nq`` splits the file by graph (:mod:`plan2rdf.rdfio.split`) and
validates, in workers, each plan's lines with the context lines it uses (what its own build holds:
the shared nodes it names, and theirs in turn; the links about its nodes), joined in memory as
one N-Triples document and validated by :func:`~plan2rdf.validate.engine.validate_text` (what
``validate_files`` does with a file, without writing one), so every result is described and
located as usual. Each result's line is mapped back to the corpus file. A shared node is validated in every
part that uses it: its results are merged, each once, described from the entry with the lowest
source line that names it, as the whole graph would describe it; shared nodes no plan uses are
validated in one last part. Anything else (other formats, several files, a file with fewer than
two plan graphs, ``--timeout``) is validated whole.
"""

from __future__ import annotations

import functools
import tempfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from rdflib import Graph

from plan2rdf.collector import fewer_collections
from plan2rdf.problems import InputError
from plan2rdf.rdfio.load import decoded
from plan2rdf.rdfio.split import Context, Own, Run, inflated, joined, split_nquads
from plan2rdf.validate.engine import Listed, merged_report, validate_files, validate_text
from plan2rdf.validate.results import LEVELS, Check, Report, Result, identity

PLAN_GRAPH_SUFFIX = "/graph>"  # vocab.Iris.plan_graph: {base}{series}/{edition}/graph
SOURCE_FIELDS = ("source_file", "source_line", "source_path")  # where a shared node is described from


@dataclass(frozen=True)
class Part:
    """A share of the work: a plan's runs of lines (none: the shared nodes no plan uses), the
    context graphs' runs, and how to validate."""

    corpus: Path  # the (uncompressed) N-Quads file the runs point into
    name: str  # the file the user named, for results and problems
    graph: str  # the plan's graph (its IRI orders the parts, as the whole graph orders entries)
    runs: tuple[Run, ...]
    context_runs: tuple[Run, ...]
    shapes_nt: str | None  # custom shapes as N-Triples (None: the shipped ones)
    check_terms: bool
    checks: bool
    engine: str
    orphans: frozenset[str] = frozenset()  # the last part: the context subjects no plan uses
    listed: str = "info"  # the least severe results described; those less severe about the plan's own nodes are counted


@dataclass
class PartReport:
    """What a worker sends back: the part's report or its input problems, and the context
    subjects the part included (the shared nodes its plan uses)."""

    graph: str
    report: Report | None = None
    problems: list = field(default_factory=list)
    used: frozenset[str] = frozenset()


def is_context_graph(graph: str) -> bool:
    """Graphs that are not one plan's: the default graph, the shared resources, the links."""
    return not graph.endswith(PLAN_GRAPH_SUFFIX)


def validate_corpus_file(
    paths: Sequence[Path],
    *,
    jobs: int,
    shapes: Graph | None = None,
    input_format: str | None = None,
    check_terms: bool = True,
    checks: bool = False,
    allow_empty: bool = False,
    engine: str = "auto",
    listed: str = "info",
) -> Report:
    """``validate_files``, plan by plan in ``jobs`` workers when ``paths`` is one N-Quads corpus
    (``.nq``, ``.nq.gz``) of two plans or more; the same report either way. Results less severe
    than ``listed`` may be only counted (``Report.unlisted``), not described: what a format that
    shows only their number needs (:func:`plan2rdf.validate.report.listed_level`)."""
    if listed not in LEVELS:
        raise ValueError(f"unknown level {listed!r}")
    whole = {"shapes": shapes, "input_format": input_format, "check_terms": check_terms, "checks": checks}
    source = _single_nquads(paths, input_format)
    if jobs <= 1 or source is None:
        return validate_files(list(paths), allow_empty=allow_empty, engine=engine, **whole)
    with tempfile.TemporaryDirectory(prefix="plan2rdf-validate-") as work:
        corpus = inflated(source, Path(work))
        split = split_nquads(corpus)
        plans, context = split.parts(is_context_graph)
        if len(plans) < 2:
            return validate_files(list(paths), allow_empty=allow_empty, engine=engine, **whole)
        context_runs = tuple(run for graph in context for run in split.runs[graph])
        common = {
            "corpus": corpus,
            "name": str(source),
            "context_runs": context_runs,
            "shapes_nt": shapes.serialize(format="nt") if shapes is not None else None,
            "check_terms": check_terms,
            "checks": checks,
            "engine": engine,
            "listed": listed,
        }
        parts = [Part(graph=plan, runs=tuple(split.runs[plan]), **common) for plan in plans]
        from plan2rdf.workers import in_order

        shared = _context(corpus, context_runs)  # read before the workers start: forked, they have it
        done = list(in_order(validate_part, parts, jobs=jobs))
        orphans = frozenset(shared.by_subject) - {s for d in done for s in d.used}
        if orphans:
            done.append(validate_part(Part(graph="", runs=(), orphans=orphans, **common)))
    problems = [p for d in done for p in d.problems]
    if problems:
        raise InputError(list(dict.fromkeys(problems)))  # a context graph's problem, once
    return _merged([d for d in done if d.report is not None], files=[str(source)])


def _single_nquads(paths: Sequence[Path], input_format: str | None) -> Path | None:
    from plan2rdf.rdfio.formats import NQUADS, format_for

    if len(paths) != 1 or not Path(paths[0]).is_file():
        return None
    path = Path(paths[0])
    return path if format_for(path, input_format) is NQUADS else None


@functools.lru_cache(maxsize=2)
def _context(corpus: Path, runs: tuple[Run, ...]) -> Context:
    """The context graphs' index, read once per worker process."""
    return Context.read(corpus, list(runs))


def validate_part(part: Part) -> PartReport:
    """One part, validated (in a worker); lines and file names those of the corpus."""
    with fewer_collections():  # a part makes about a million objects, few in cycles
        return _validate_part(part)


def _validate_part(part: Part) -> PartReport:
    done = PartReport(part.graph)
    context = _context(part.corpus, part.context_runs)
    if part.orphans:  # the shared nodes no plan uses, and what they name
        own = Own()
        context_lines, used = context.used_by([pair for node in part.orphans for pair in context.by_subject[node]])
    else:
        own = Own.read(part.corpus, list(part.runs), part.graph)
        context_lines, used = context.used_by_nodes(own.subjects, own.objects)
    done.used = frozenset(used)
    shapes = Graph().parse(data=part.shapes_nt, format="nt") if part.shapes_nt is not None else None
    listed = _listed(part, own, used)
    # As N-Triples first: one graph is validated anyway (a plan's and the shared nodes' triples),
    # rdflib reads N-Triples in half the time, and every term stays at its line and column. A line
    # that does not parse is read again as N-Quads, for the N-Quads parser's own message.
    try:
        report, numbers = _validated(part, own, context_lines, shapes, listed, triples=True)
    except InputError:
        try:
            report, numbers = _validated(part, own, context_lines, shapes, listed, triples=False)
        except InputError as exc:
            numbers = joined(own, context_lines, triples=False)[1]
            done.problems = [replace(p, path=part.name, line=_line(numbers, p.line)) for p in exc.problems]
            return done
    keep = (lambda focus: f"<{focus}>" in part.orphans) if part.orphans else (lambda focus: True)
    report.graph = None  # made again from the merged results: report graphs' blank nodes do not merge
    report.results = [replace(r, line=_line(numbers, r.line)) for r in report.results if keep(r.focus)]
    report.checks = [
        replace(c, data_file=part.name, line=_line(numbers, c.line)) for c in report.checks if keep(c.focus)
    ]
    done.report = report
    return done


def _listed(part: Part, own: Own, used: set[str]) -> Listed | None:
    """Which results a part describes: all but those less severe than ``part.listed`` about the
    plan's own nodes, which are only counted. No other part has those nodes, so each is counted
    once; a shared node's results are described all the same, as merging them needs."""
    if part.orphans or LEVELS[part.listed] <= LEVELS["info"]:
        return None
    mine = {s[1:-1] for s in own.subjects if s.startswith("<")} - {s[1:-1] for s in used}
    threshold = LEVELS[part.listed]
    return lambda severity, focus: LEVELS[severity] >= threshold or focus not in mine


def _validated(part: Part, own: Own, context: list[tuple[int, bytes]], shapes: Graph | None, listed, *, triples: bool):
    """validate_text on the part's lines, named as the corpus; and each line's number in it."""
    data, numbers = joined(own, context, triples=triples)
    name = Path(part.name)
    report = validate_text(
        decoded(data, name),
        name,
        shapes=shapes,
        input_format="nt" if triples else "nquads",
        check_terms=part.check_terms,
        checks=part.checks,
        engine=part.engine,
        listed=listed,
    )
    return report, numbers


def _line(numbers: list[int], line: int | None) -> int | None:
    return numbers[line - 1] if line is not None and 0 < line <= len(numbers) else line


def _identity(item: Result | Check) -> tuple:
    """A result's identity across parts: everything but where its node is described from."""
    return identity(item, SOURCE_FIELDS)


def _merged(done: list[PartReport], *, files: list[str]) -> Report:
    """One report: each result once; a shared node's, found by several parts, described as the
    whole graph describes it, from the entry with the lowest source line (then the first plan)."""

    def pick(items):
        chosen: dict[tuple, tuple] = {}
        for graph, item in items:
            rank = (item.source_line is None, item.source_line or 0, graph)
            key = _identity(item)
            if key not in chosen or rank < chosen[key][0]:
                chosen[key] = (rank, item)
        return [item for _, item in chosen.values()]

    reports = [d.report for d in done]
    started = [r.started for r in reports if r.started is not None]
    unlisted: Counter[str] = Counter()
    for report in reports:
        unlisted.update(report.unlisted)  # about each plan's own nodes: no other part counts them
    one = replace(
        reports[0],
        results=pick((d.graph, r) for d in done for r in d.report.results),
        checks=pick((d.graph, c) for d in done for c in d.report.checks),
        graph=None,
        started=min(started) if started else None,
        unlisted=dict(unlisted),
    )
    return merged_report([one], files=files)  # the order, the rules, the report graph (made when asked for)
