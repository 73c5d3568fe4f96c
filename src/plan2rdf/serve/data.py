"""What the server serves, loaded once at start: the data (as N-Quads for the query workers) and
every file of the site, rendered in memory by the site package from each plan's graph.

Inputs are plan sources (text export, CSV, XLSX: read and graphed as ``plan2rdf build`` does),
directories of them (a corpus), or RDF files and directories (a build's or a corpus build's
output). Nothing is fetched from the network: RDF goes through the project's one offline loader.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from plan2rdf.i18n import Text
from plan2rdf.problems import InputError, Problem
from plan2rdf.settings import BuildSettings

# Beside a build's data: its metadata (shown on the site, not queried, as `plan2rdf site` does).
METADATA_SUFFIX = ".meta.ttl"
CATALOG_NAME = "catalog.ttl"
# One build writes the same triples in several syntaxes: load one of each stem, in this preference.
PREFERRED_SUFFIXES = (".nq", ".nt", ".ttl", ".trig", ".jsonld")


@dataclass
class Served:
    """Everything the server answers from."""

    nquads: bytes
    site: dict[str, bytes]
    base_iri: str
    triples: int
    plans: list[str] = field(default_factory=list)
    warnings: list[Text] = field(default_factory=list)  # in both languages: the CLI prints one


@dataclass
class Inputs:
    sources: list[Path] = field(default_factory=list)
    rdf: list[Path] = field(default_factory=list)
    metadata: list[Path] = field(default_factory=list)


def classify(arguments: Sequence[Path]) -> Inputs:
    """Plan sources, RDF data files and metadata files among the arguments (directories searched)."""
    from plan2rdf.corpus.build import expand_sources
    from plan2rdf.rdfio.formats import format_for, found_in_directory
    from plan2rdf.rdfio.load import expand_paths
    from plan2rdf.read.reader import detect_format

    inputs = Inputs()
    problems = []
    rdf: list[Path] = []
    for argument in map(Path, arguments):
        if argument.is_dir():
            if any(p.is_file() and found_in_directory(p) for p in argument.rglob("*")):
                rdf.extend(expand_paths([argument]))
            else:
                inputs.sources.extend(expand_sources([argument]))
        elif not argument.is_file():
            problems.append(
                Problem(str(argument), Text(ja="ファイルもフォルダーもありません", en="no such file or directory"))
            )
        elif format_for(argument) is not None:
            rdf.append(argument)
        elif detect_format(argument) is not None:
            inputs.sources.append(argument)
        else:
            problems.append(
                Problem(
                    str(argument),
                    Text(
                        ja="計画の元データ（.txt、.csv、.xlsx）でも RDF のファイルでもありません",
                        en="neither a plan source (.txt, .csv, .xlsx) nor an RDF file",
                    ),
                )
            )
    if problems:
        raise InputError(problems)
    inputs.metadata = [p for p in rdf if p.name.endswith(METADATA_SUFFIX) or p.name == CATALOG_NAME]
    inputs.rdf = one_per_stem([p for p in rdf if p not in inputs.metadata])
    if not inputs.sources and not inputs.rdf:
        raise InputError(
            [
                Problem(
                    ", ".join(map(str, arguments)),
                    Text(ja="計画の元データも RDF のデータもありません", en="holds no plan sources and no RDF data"),
                )
            ]
        )
    return inputs


def one_per_stem(files: list[Path]) -> list[Path]:
    """``plan.ttl``, ``plan.nt`` and ``plan.jsonld`` hold the same triples: keep one of them."""
    chosen: dict[Path, Path] = {}
    for path in files:
        stem = path.with_suffix("")
        current = chosen.get(stem)
        if current is None or _rank(path) < _rank(current):
            chosen[stem] = path
    return sorted(chosen.values())


def _rank(path: Path) -> int:
    suffix = path.suffix.lower()
    return PREFERRED_SUFFIXES.index(suffix) if suffix in PREFERRED_SUFFIXES else len(PREFERRED_SUFFIXES)


def load(arguments: Sequence[Path], *, settings: BuildSettings) -> Served:
    """Read, graph and render everything the arguments name (the bundled plan when none)."""
    from plan2rdf.resources import bundled_plan

    inputs = classify(arguments) if arguments else Inputs(sources=[bundled_plan()])
    lines: list[str] = []
    site: dict[str, bytes] = {}
    served = Served(b"", site, settings.iris.base, 0)
    if inputs.sources:
        lines.extend(_load_sources(inputs.sources, settings, served))
    if inputs.rdf:
        lines.extend(_load_rdf(inputs, settings, served))
    unique = sorted(set(lines))
    served.nquads = "".join(unique).encode("utf-8")
    served.triples = len(unique)
    return served


def _load_sources(sources: Sequence[Path], settings: BuildSettings, served: Served) -> list[str]:
    """Plan sources as `plan2rdf site` reads them, every edition in one site (the union graph with
    the links between editions); returns their N-Triples lines."""
    from plan2rdf import pipeline
    from plan2rdf.problems import InputError
    from plan2rdf.rdfio.writers import ntriples
    from plan2rdf.read.reader import read_plan
    from plan2rdf.site import render_files

    plans, problems = [], []
    for source in sources:  # every source read, so every unusable one is reported at once
        try:
            plans.append(read_plan(source, format=settings.input_format, encoding=settings.encoding))
        except InputError as exc:
            problems += exc.problems
    if problems:
        raise InputError(problems)
    for plan in plans:
        served.warnings.extend(p.formatted() for p in plan.warnings)
    pipeline.check_editions(plans)
    base = pipeline.corpus_base_iri([Path(p.source.path) for p in plans if p.source], settings.base_iri)
    settings = dataclasses.replace(settings, base_iri=base)  # the sidecars' own base, as `site` uses
    served.base_iri = base
    union, metadata, downloads, warnings = pipeline.site_graph(plans, settings)
    served.warnings.extend(warnings)
    files, _kinds = render_files(union, base_iri=settings.iris.base, metadata=metadata, downloads=downloads)
    served.site.update(files)
    served.plans.extend(str(settings.iris.plan(p.info.series, p.info.edition)) for p in plans)
    return ntriples(union).splitlines(keepends=True)


def _merge(site: dict[str, bytes], files: dict[str, bytes]) -> None:
    # RDF inputs of several plans are rendered plan by plan: each resource's page is its own; the
    # site-wide pages and shared resources come from the first plan (sources get one site, above).
    for path, content in files.items():
        site.setdefault(path, content)


def _load_rdf(inputs: Inputs, settings: BuildSettings, served: Served) -> list[str]:
    """RDF files through the offline loader: their N-Quads lines; each plan in them rendered."""
    import pyoxigraph as ox

    from plan2rdf.rdfio.load import load_oxigraph

    store = load_oxigraph(inputs.rdf)
    quads: list[str] = []
    triples: list[tuple[str, str]] = []  # (subject, N-Triples line): the union, for the site
    for q in store:
        statement = f"{q.subject} {q.predicate} {q.object}"
        graph = "" if isinstance(q.graph_name, ox.DefaultGraph) else f" {q.graph_name}"
        quads.append(f"{statement}{graph} .\n")
        triples.append((q.subject.value if isinstance(q.subject, ox.NamedNode) else "", f"{statement} .\n"))
    plan_type = ox.NamedNode("https://w3id.org/plan2rdf/ns#ActionPlan")
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    plans = sorted({q.subject.value for q in store.quads_for_pattern(None, rdf_type, plan_type)})
    metadata = _metadata(inputs.metadata)
    for plan in plans:
        base = settings.base_iri or plan.rsplit("/", 2)[0] + "/"  # a plan's IRI is {base}{series}/{edition}
        served.base_iri = base
        _render_plan(plan, plans, triples, base=base, metadata=metadata, served=served)
    if not plans:
        served.warnings.append(
            Text(
                ja="RDF に p2r:ActionPlan がありません。サイトのページは作らず、SPARQL エンドポイントだけにします",
                en="the RDF holds no p2r:ActionPlan: no site pages, only the SPARQL endpoint",
            )
        )
    return quads


def _metadata(files: list[Path]) -> list[tuple]:
    from plan2rdf.rdfio.load import load_rdflib

    return list(load_rdflib(files)) if files else []


def _scoped(subject: str, plan: str) -> bool:
    return subject == plan or subject.startswith(plan + "/")


def _render_plan(plan: str, plans: list[str], triples: list[tuple[str, str]], *, base: str, metadata, served) -> None:
    """One plan's site pages from its own triples and the shared ones (organisations, fiscal
    years…: those under no plan), as a corpus build splits them."""
    from rdflib import Graph

    from plan2rdf.site import base_iri_problem, render_files

    problem = base_iri_problem(base)
    if problem:
        served.warnings.append(
            Text(
                ja=f"{plan}: サイトのページを作りません: ベース IRI {base} について: {problem.ja}",
                en=f"{plan}: no site pages: the base IRI {base} {problem.en}",
            )
        )
        return
    own = [line for subject, line in triples if _scoped(subject, plan) or not any(_scoped(subject, p) for p in plans)]
    graph = Graph().parse(data="".join(own), format="nt")
    try:
        files, _kinds = render_files(graph, base_iri=base, metadata=metadata)
    except InputError as exc:
        served.warnings.extend(
            Text(ja=f"{plan}: サイトのページを作りません: {p.format('ja')}", en=f"{plan}: no site pages: {p.format()}")
            for p in exc.problems
        )
        return
    _merge(served.site, files)
    served.plans.append(plan)
