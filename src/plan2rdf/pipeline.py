"""The one module that chains the stages: read → derive → graph → validate → serialize.

Every other package takes data (records, graphs, metadata) and returns data; only this module calls
one stage with the output of another. `BuildSettings` holds every build option, for single builds,
corpus workers and the CLI alike.

Outputs per plan, named ``{series}-{edition}``: ``.ttl``, ``.jsonld``, ``.nt`` (the data) and
``.meta.ttl`` (DCAT/VoID/PROV about them). Nothing is written unless the graph conforms.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from plan2rdf import resources
from plan2rdf.graph.dataset import OutputFile, dataset_triples, statistics
from plan2rdf.graph.organizations import OrgTable
from plan2rdf.graph.organizations import load as load_organizations
from plan2rdf.model import Plan
from plan2rdf.problems import Problem
from plan2rdf.rdfio.writers import jsonld, ntriples, turtle
from plan2rdf.settings import BuildSettings
from plan2rdf.vocab import Iris

DEFAULTS = BuildSettings()  # frozen, so one shared default is safe
DATA_FORMATS = ("ttl", "jsonld", "nt")


@dataclass
class BuildResult:
    plan: Plan
    files: list[Path] = field(default_factory=list)
    triples: int = 0
    warnings: list[Problem] = field(default_factory=list)
    report: object | None = None  # a validate.Report when the graph was validated
    written: bool = False


def find_organizations(plan: Plan, explicit: Path | None) -> OrgTable | None:
    """The organisation table: given, beside the source, or bundled for the publisher."""
    if explicit is not None:
        return load_organizations(explicit)
    if plan.source is not None:
        beside = Path(plan.source.path).parent / "organizations.csv"
        if beside.is_file():
            return load_organizations(beside)
    if plan.info.publisher and plan.info.publisher.slug:
        bundled = resources.path("data", plan.info.publisher.slug, "organizations.csv")
        if bundled.is_file():
            return load_organizations(bundled)
    return None


def missing_organizations(plan: Plan) -> Problem:
    """The one warning for a plan without an organisation table, naming the file to create."""
    from plan2rdf.problems import Severity

    source = plan.source.path if plan.source else "<plan>"
    table = Path(source).parent / "organizations.csv" if plan.source else Path("organizations.csv")
    return Problem(
        source,
        f"no organisation table: every department and division gets a digest IRI (x-…) and no English name; "
        f"create {table}",
        hint=f"`plan2rdf init {source}` drafts it with a romanized slug for every unit",
        severity=Severity.WARNING,
    )


def require_metadata_file(plan: Plan) -> None:
    """A plan read without any metadata file cannot be built: one error naming `plan2rdf init`,
    instead of one per missing field."""
    from plan2rdf.problems import InputError
    from plan2rdf.read.sidecar import sidecar_path

    if plan.source is None or plan.info.series or plan.info.publisher:
        return
    toml = sidecar_path(Path(plan.source.path))
    if not toml.is_file():
        raise InputError(
            [
                Problem(
                    str(toml),
                    "no metadata file: the plan's series, edition, publisher and fiscal year are not known",
                    hint=f"`plan2rdf init {plan.source.path}` drafts it from the plan; fill it in and build again",
                )
            ]
        )


def graph_of(
    plan: Plan,
    *,
    base_iri: str | None = None,
    organizations: Path | None = None,
    themes: Path | None = None,
    derived: bool = True,
    store: str = "Memory",
):
    """The plan's graph as `build` makes it: organisation table found, derived facts included."""
    from plan2rdf.derive.facts import derive
    from plan2rdf.derive.themes import load as load_themes
    from plan2rdf.graph.mapping import build_graph

    require_metadata_file(plan)
    iris = Iris(base_iri) if base_iri else Iris()
    table = find_organizations(plan, organizations)
    facts = None
    if derived:
        scheme = load_themes(themes or resources.path("data", "themes.ttl"), base=iris.base)
        facts = derive(plan, themes=scheme)
    result = build_graph(plan, iris=iris, organizations=table, derived=facts, store=store)
    if table is None:
        result.warnings.insert(0, missing_organizations(plan))
    return result


def _header(plan: Plan) -> str:
    info = plan.info
    lines = [f"{info.title}", f"Built by plan2rdf from {Path(plan.source.path).name if plan.source else 'records'}"]
    if plan.source is not None:
        lines.append(f"Source SHA-256: {plan.source.sha256}")
    return "\n".join(lines)


@dataclass
class Outputs:
    """One plan's output files as bytes, in memory (so nothing is half-written), and the dataset
    metadata triples that ``.meta.ttl`` holds, for stages that take them as data (the site)."""

    files: dict[str, bytes]
    metadata: list


def render(plan: Plan, graph, *, iris: Iris, license: str, epoch: int | None) -> Outputs:
    """Serialize one plan's graph: Turtle, JSON-LD, N-Triples, then the metadata about them."""
    from plan2rdf.resources import read_text

    context = json.loads(read_text("ontology", "context.jsonld"))
    stem = f"{plan.info.series}-{plan.info.edition}"
    data = {
        f"{stem}.ttl": turtle(graph, base=iris.base, header=_header(plan)).encode("utf-8"),
        f"{stem}.jsonld": jsonld(graph, context, base=iris.base).encode("utf-8"),
        f"{stem}.nt": ntriples(graph).encode("utf-8"),
    }
    files = [
        OutputFile(name, name.rsplit(".", 1)[1], len(content), hashlib.sha256(content).hexdigest())
        for name, content in data.items()
    ]
    meta = list(dataset_triples(plan, iris=iris, files=files, stats=statistics(graph), license=license, epoch=epoch))
    data[f"{stem}.meta.ttl"] = turtle(meta, base=iris.base, header=f"Dataset metadata of {stem}").encode("utf-8")
    return Outputs(data, meta)


def build(plan: Plan, *, out_dir: Path, settings: BuildSettings = DEFAULTS) -> BuildResult:
    """Build one plan into ``out_dir``. Raises InputError on unusable input; returns with
    ``written`` False when the graph does not conform."""
    from plan2rdf import atomic

    result = graph_of(plan, base_iri=settings.base_iri, organizations=settings.organizations, themes=settings.themes)
    outcome = BuildResult(plan=plan, triples=len(result.graph), warnings=list(result.warnings))
    if settings.validate:
        from plan2rdf.validate import shapes_for, validate_graph

        engine = "pyshacl" if settings.validator == "auto" else settings.validator
        shapes = shapes_for(str(settings.shapes) if settings.shapes else None)
        outcome.report = validate_graph(result.graph, shapes=shapes, plans=[plan], engine=engine)
        if not outcome.report.conforms_at(settings.fail_on):
            return outcome
    files = render(plan, result.graph, iris=settings.iris, license=settings.license, epoch=settings.epoch).files
    out_dir.mkdir(parents=True, exist_ok=True)
    # All files are complete in memory before the first rename: a failure leaves old files intact.
    for name, content in files.items():
        atomic.write_bytes(out_dir / name, content)
        outcome.files.append(out_dir / name)
    outcome.written = True
    return outcome


def bundled_graph():
    """The bundled plan's graph as `build` makes it (derived facts included), in memory."""
    from plan2rdf.read.reader import read_plan

    return graph_of(read_plan(resources.bundled_plan())).graph


def build_site(plan: Plan, *, out_dir: Path, settings: BuildSettings = DEFAULTS):
    """`plan2rdf site`: the plan's graph as `build` makes it, the build's files (as downloads) and
    their dataset metadata, handed to the site stage as data; returns the site.SiteReport."""
    import time

    from plan2rdf.site import check_base_iri, site_of

    started = time.perf_counter()
    iris = settings.iris
    check_base_iri(iris.base)  # before any work: a base the site cannot mirror is an input error
    result = graph_of(plan, base_iri=iris.base, organizations=settings.organizations, themes=settings.themes)
    outputs = render(plan, result.graph, iris=iris, license=settings.license, epoch=settings.epoch)
    report = site_of(
        result.graph,
        out_dir=out_dir,
        base_iri=iris.base,
        metadata=outputs.metadata,
        downloads=outputs.files,
        warnings=[p.format() for p in result.warnings],
    )
    report.seconds = time.perf_counter() - started
    return report


def corpus_plan(source: Path, settings: BuildSettings):
    """One plan of a corpus: read, derive, graph, validate, then its part of the corpus serialized
    (runs in a worker process; returns corpus.PlanOutput, with problems or results on failure)."""
    from plan2rdf.corpus.build import PlanOutput, plan_output
    from plan2rdf.problems import InputError
    from plan2rdf.read.reader import read_plan
    from plan2rdf.validate import choose_engine

    output = PlanOutput(source=str(source))
    fast = settings.validate and choose_engine(settings.validator) == "turbo"
    try:
        plan = read_plan(source, format=settings.input_format, encoding=settings.encoding)
        store = "SimpleMemory" if fast or not settings.validate else "Memory"
        result = graph_of(
            plan, base_iri=settings.base_iri, organizations=settings.organizations, themes=settings.themes, store=store
        )
    except InputError as exc:
        output.problems, output.conforms = exc.problems, False
        return output
    output.problems = list(plan.warnings) + list(result.warnings)
    if settings.validate and not _corpus_plan_conforms(result.graph, settings, output):
        return output
    return plan_output(plan, result.graph, iris=settings.iris, output=output)


def _corpus_plan_conforms(graph, settings: BuildSettings, output) -> bool:
    from plan2rdf.validate import LEVELS, severity_counts, shapes_for, validate_graph

    shapes = shapes_for(str(settings.shapes) if settings.shapes else None)
    counts = severity_counts(graph, engine=settings.validator, shapes=shapes)
    threshold = LEVELS[settings.fail_on]
    if any(n and LEVELS[level] >= threshold for level, n in counts.items()):
        # only a failing plan pays for results that name entries and source lines
        report = validate_graph(graph, engine=settings.validator, shapes=shapes)
        output.results = report.results
        output.conforms = report.conforms_at(settings.fail_on)
    return output.conforms


def _corpus_worker(args: tuple[Path, BuildSettings]):
    return corpus_plan(*args)


def _corpus_outputs(sources: list[Path], settings: BuildSettings, jobs: int):
    if jobs <= 1 or len(sources) <= 1:
        for source in sources:
            yield corpus_plan(source, settings)
        return
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=jobs) as pool:
        # map keeps the input order, so the output is the same whatever finishes first;
        # small chunks: few round trips, yet the last plans still spread over every worker
        yield from pool.map(_corpus_worker, [(s, settings) for s in sources], chunksize=4)


def build_corpus(
    sources: list[Path], *, out_dir: Path, settings: BuildSettings = DEFAULTS, jobs: int = 1, progress=None
):
    """Build every plan into one dataset (corpus.nq, corpus.trig, catalog.ttl); returns
    corpus.CorpusResult. Nothing is written unless every plan is usable and conforms."""
    from plan2rdf.corpus.build import write_corpus

    outputs = _corpus_outputs(sources, settings, jobs)
    return write_corpus(outputs, sources=len(sources), out_dir=out_dir, settings=settings, progress=progress)
