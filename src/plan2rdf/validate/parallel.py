"""A corpus validated plan by plan, in parallel worker processes, with the report of validating it whole.

A corpus's plans are independent: each plan's named graph refers only to itself and to the graphs
every plan shares (the resources, the links between editions, the default graph). So
``plan2rdf validate corpus.nq`` splits the file by graph (:mod:`plan2rdf.validate.split`),
validates each plan's lines together with those context graphs in a worker (through
:func:`~plan2rdf.validate.engine.validate_files`, so every result is described and located as
usual), maps each result's line back to the corpus file, and merges the results: a result about a
shared node, found by every part, is listed once. Anything else (other formats, several files, a
file with fewer than two plan graphs) is validated whole.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from rdflib import Graph

from plan2rdf.problems import InputError
from plan2rdf.validate.engine import merged_report, source_beside, validate_files
from plan2rdf.validate.results import Report, Result
from plan2rdf.validate.split import Run, incoming, split_nquads, subjects_of, write_part

PLAN_GRAPH_SUFFIX = "/graph>"  # vocab.Iris.plan_graph: {base}{series}/{edition}/graph


@dataclass(frozen=True)
class Part:
    """A share of the work: the runs of lines to validate together, in the corpus file, and which
    focus nodes' results this part answers for."""

    corpus: Path  # the (uncompressed) N-Quads file the runs point into
    name: str  # the file the user named, for results and problems
    runs: tuple[Run, ...]  # the plan's graph (none for the context part)
    context_runs: tuple[Run, ...]  # the context graphs, in every part
    context_subjects: frozenset[str]  # subjects of the context graphs, as written (<iri>)
    context: bool  # True: the part of the context graphs' nodes; False: one plan's
    shapes_nt: str | None  # custom shapes as N-Triples (None: the shipped ones)
    check_terms: bool
    checks: bool
    engine: str
    extra: tuple[tuple[int, bytes], ...] = ()  # lines outside the runs (the context part's)
    # The context part answers for these, the context subjects no plan's graph states (a plan
    # answers for its own subjects, even those the links graph also states).
    context_only: frozenset[str] = frozenset()


@dataclass
class PartReport:
    """What a worker sends back: the part's report (its own focus nodes' results) or its input
    problems, and, for a plan, its lines that point at the context graphs' nodes."""

    report: Report | None = None
    problems: list = field(default_factory=list)
    incoming: list[tuple[int, bytes]] = field(default_factory=list)
    claimed: frozenset[str] = frozenset()  # context subjects that are this plan's own (links' subjects)


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
) -> Report:
    """``validate_files``, plan by plan in ``jobs`` workers when ``paths`` is one N-Quads corpus
    (``.nq``, ``.nq.gz``) of two plans or more; the same report either way.

    Each plan's graph is validated with the context graphs (shared resources, links, default
    graph) and answers for its own nodes; the context graphs' nodes are validated once, with the
    plans' statements that point at them (and those nodes' types), and answer for themselves."""
    whole = {"shapes": shapes, "input_format": input_format, "check_terms": check_terms, "checks": checks}
    source = _single_nquads(paths, input_format)
    if jobs <= 1 or source is None:
        return validate_files(list(paths), allow_empty=allow_empty, engine=engine, **whole)
    with tempfile.TemporaryDirectory(prefix="plan2rdf-validate-") as work:
        corpus = _plain(source, Path(work))
        split = split_nquads(corpus)
        plans, context = split.parts(is_context_graph)
        if len(plans) < 2:
            return validate_files(list(paths), allow_empty=allow_empty, engine=engine, **whole)
        context_runs = [run for graph in context for run in split.runs[graph]]
        common = {
            "corpus": corpus,
            "name": str(source),
            "context_subjects": subjects_of(corpus, context_runs),
            "shapes_nt": shapes.serialize(format="nt") if shapes is not None else None,
            "check_terms": check_terms,
            "checks": checks,
            "engine": engine,
        }
        common["context_runs"] = tuple(context_runs)
        parts = [Part(runs=tuple(split.runs[plan]), context=False, **common) for plan in plans]
        from plan2rdf.workers import in_order

        done = list(in_order(validate_part, parts, jobs=jobs))
        pointing = tuple(sorted({pair for d in done for pair in d.incoming}))
        only = common["context_subjects"] - {s for d in done for s in d.claimed}
        done.append(validate_part(Part(runs=(), context=True, extra=pointing, context_only=only, **common)))
    problems = [p for d in done for p in d.problems]
    if problems:
        raise InputError(list(dict.fromkeys(problems)))  # a context graph's problem, once
    return merged_report([d.report for d in done if d.report is not None], files=[str(source)])


def _single_nquads(paths: Sequence[Path], input_format: str | None) -> Path | None:
    from plan2rdf.rdfio.formats import NQUADS, format_for

    if len(paths) != 1 or not Path(paths[0]).is_file():
        return None
    path = Path(paths[0])
    return path if format_for(path, input_format) is NQUADS else None


def _plain(source: Path, work: Path) -> Path:
    """The corpus uncompressed (a .nq.gz is inflated once, into the work folder), so parts can seek."""
    from plan2rdf.rdfio.formats import is_gzipped

    if not is_gzipped(source):
        return source
    import gzip
    import shutil

    target = work / source.name.removesuffix(".gz")
    try:
        with gzip.open(source, "rb") as f, target.open("wb") as out:
            shutil.copyfileobj(f, out, 1 << 20)
    except (OSError, EOFError):  # not gzip data: the loader's located InputError says so
        from plan2rdf.rdfio.load import read_text

        read_text(source)
        raise
    return target


def validate_part(part: Part) -> PartReport:
    """One part, validated (in a worker); lines and file names those of the corpus, only the
    results about the nodes this part answers for."""
    done = PartReport()
    own: frozenset[str] = frozenset()
    if not part.context:
        own = subjects_of(part.corpus, list(part.runs))
        done.claimed = own & part.context_subjects
        done.incoming = incoming(part.corpus, list(part.runs), part.context_subjects - own)
    with tempfile.TemporaryDirectory(prefix="plan2rdf-part-") as work:
        target = Path(work) / Path(part.name).name.removesuffix(".gz")
        lines = write_part(part.corpus, [*part.runs, *part.context_runs], target, list(part.extra))
        shapes = Graph().parse(data=part.shapes_nt, format="nt") if part.shapes_nt is not None else None
        try:
            report = validate_files(
                [target],
                shapes=shapes,
                input_format="nquads",
                check_terms=part.check_terms,
                checks=part.checks,
                engine=part.engine,
            )
        except InputError as exc:
            done.problems = [replace(p, path=part.name, line=_line(lines, p.line)) for p in exc.problems]
            return done

    def answers_for(focus: str) -> bool:
        node = f"<{focus}>"
        if part.context:
            return node in part.context_only
        return node in own or node not in part.context_subjects

    report.graph = None  # made again from the merged results: report graphs' blank nodes do not merge
    report.results = [_relocated(r, part.name, lines) for r in report.results if answers_for(r.focus)]
    report.checks = [
        replace(c, data_file=part.name, line=_line(lines, c.line)) for c in report.checks if answers_for(c.focus)
    ]
    done.report = report
    return done


def _line(lines: list[int], line: int | None) -> int | None:
    return lines[line - 1] if line is not None and 0 < line <= len(lines) else line


def _relocated(r: Result, name: str, lines: list[int]) -> Result:
    return replace(r, data_file=name, line=_line(lines, r.line), source_path=source_beside(r.source_file, name))
