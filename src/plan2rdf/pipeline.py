"""The one module that chains the stages: read → derive → graph → validate → serialize.

Every other package takes data (records, graphs, metadata) and returns data; only this module calls
one stage with the output of another. `BuildSettings` holds every build option, for single builds,
corpus workers and the CLI alike.

Outputs per plan, named ``{series}-{edition}``: ``.ttl``, ``.jsonld``, ``.nt`` (the data) and
``.meta.ttl`` (DCAT/VoID/PROV about them). Nothing is written unless the graph conforms.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from plan2rdf import resources
from plan2rdf.graph.dataset import OutputFile, dataset_triples, statistics
from plan2rdf.graph.organizations import OrgTable
from plan2rdf.graph.organizations import load as load_organizations
from plan2rdf.i18n import Text
from plan2rdf.model import Plan
from plan2rdf.problems import Problem
from plan2rdf.rdfio.writers import by_subject, jsonld, ntriples, turtle
from plan2rdf.settings import EACH_EDITION_ONCE, BuildSettings, resolve_base_iri
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
        Text(
            ja=f"組織の表がありません。すべての部局と課の IRI が名前のダイジェスト（x-…）になり、英語名も付きません。"
            f"{table} を作ってください",
            en=f"no organisation table: every department and division gets a digest IRI (x-…) and no English name; "
            f"create {table}",
        ),
        hint=Text(
            ja=f"`plan2rdf init {source}` で、部署ごとにローマ字の slug を付けた下書きを作れます",
            en=f"`plan2rdf init {source}` drafts it with a romanized slug for every unit",
        ),
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
                    Text(
                        ja="メタデータのファイルがありません。計画のシリーズ、版、公開者、年度が分かりません",
                        en="no metadata file: the plan's series, edition, publisher and fiscal year are not known",
                    ),
                    hint=Text(
                        ja=f"`plan2rdf init {plan.source.path}` で計画から下書きを作り、書き込んでからもう一度 build "
                        "してください",
                        en=f"`plan2rdf init {plan.source.path}` drafts it from the plan; fill it in and build again",
                    ),
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
    """The plan's graph as `build` makes it: organisation table found, derived facts included;
    under ``base_iri``, else the base of the plan's sidecar, else the default."""
    from plan2rdf.derive.facts import derive
    from plan2rdf.derive.themes import load as load_themes
    from plan2rdf.graph.mapping import build_graph

    require_metadata_file(plan)
    iris = Iris(resolve_base_iri(base_iri, plan))
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
    # The graph is read once, and grouped by subject once for Turtle and JSON-LD alike: walking
    # an rdflib store costs more than any of the writers' own work on the triples.
    triples = list(graph)
    subjects = by_subject(triples)
    data = {
        f"{stem}.ttl": turtle(subjects, base=iris.base, header=_header(plan)).encode("utf-8"),
        f"{stem}.jsonld": jsonld(subjects, context, base=iris.base).encode("utf-8"),
        f"{stem}.nt": ntriples(triples).encode("utf-8"),
    }
    files = [
        OutputFile(name, name.rsplit(".", 1)[1], len(content), hashlib.sha256(content).hexdigest())
        for name, content in data.items()
    ]
    stats = statistics(triples)
    meta = list(dataset_triples(plan, iris=iris, files=files, stats=stats, license=license, epoch=epoch))
    data[f"{stem}.meta.ttl"] = turtle(meta, base=iris.base, header=f"Dataset metadata of {stem}").encode("utf-8")
    return Outputs(data, meta)


def graph_store(settings: BuildSettings) -> str:
    """The rdflib store a build's graph needs: pySHACL needs the context-aware "Memory"; anything
    else only reads the graph whole or looks a few nodes up, and "SimpleMemory" is filled in half the time."""
    if not settings.validate:
        return "SimpleMemory"
    from plan2rdf.validate import choose_engine

    return "SimpleMemory" if choose_engine(settings.validator) == "turbo" else "Memory"


def build(plan: Plan, *, out_dir: Path, settings: BuildSettings = DEFAULTS) -> BuildResult:
    """Build one plan into ``out_dir``. Raises InputError on unusable input; returns with
    ``written`` False when the graph does not conform."""
    from plan2rdf import atomic

    settings = settings.for_plan(plan)
    result = graph_of(
        plan,
        base_iri=settings.base_iri,
        organizations=settings.organizations,
        themes=settings.themes,
        store=graph_store(settings),
    )
    outcome = BuildResult(plan=plan, triples=len(result.graph), warnings=list(result.warnings))
    if settings.validate:
        from plan2rdf.validate import shapes_for, validate_graph

        shapes = shapes_for(str(settings.shapes) if settings.shapes else None)
        # auto: pyshacl-turbo where installed; its verdicts equal pySHACL's (tests/test_engines.py)
        outcome.report = validate_graph(result.graph, shapes=shapes, plans=[plan], engine=settings.validator)
        if not outcome.report.conforms_at(settings.fail_on):
            return outcome
    files = render(plan, result.graph, iris=settings.iris, license=settings.license, epoch=settings.epoch).files
    # All files are complete in memory before the first rename: a failure leaves old files intact;
    # the lock keeps a second build from renaming its files between ours.
    with atomic.exclusive(out_dir):
        for name, content in files.items():
            atomic.write_bytes(out_dir / name, content)
            outcome.files.append(out_dir / name)
        if settings.store is not None:
            from plan2rdf.rdfio.store import write_store

            write_store(settings.store, [p for p in outcome.files if p.suffix == ".nt"])
    outcome.written = True
    return outcome


def bundled_graph():
    """The bundled plan's graph as `build` makes it (derived facts included), in memory."""
    from plan2rdf.read.reader import read_plan

    return graph_of(read_plan(resources.bundled_plan())).graph


def build_site(
    plans: Plan | Sequence[Plan], *, out_dir: Path, settings: BuildSettings = DEFAULTS, replace: bool = False
):
    """`plan2rdf site`: every edition's graph as `build` makes it, their union with the
    ``prov:wasRevisionOf`` links between editions (as corpus builds derive them), each build's
    files (as downloads) and their dataset metadata, handed to the site stage as data; returns
    the site.SiteReport. A site in ``out_dir`` holding an edition not given is refused unless ``replace``."""
    import time

    from plan2rdf.site import SiteEdition, check_base_iri, check_out_dir, site_of

    started = time.perf_counter()
    plans = [plans] if isinstance(plans, Plan) else list(plans)
    import dataclasses  # `replace` is this function's flag

    sources = [Path(p.source.path) for p in plans if p.source is not None]
    settings = dataclasses.replace(settings, base_iri=corpus_base_iri(sources, settings.base_iri))
    iris = settings.iris
    check_base_iri(iris.base)  # before any work: a base the site cannot mirror is an input error
    check_editions(plans)
    editions = [SiteEdition(f"{p.info.series}/{p.info.edition}", str(p.source.path) if p.source else "") for p in plans]
    check_out_dir(out_dir, editions, replace=replace)
    union, metadata, downloads, warnings = site_graph(plans, settings)
    report = site_of(
        union,
        out_dir=out_dir,
        base_iri=iris.base,
        metadata=metadata,
        downloads=downloads,
        warnings=warnings,
        editions=editions,
        replace=replace,
    )
    report.seconds = time.perf_counter() - started
    return report


def check_editions(plans: Sequence[Plan]) -> None:
    """InputError when two sources are the same edition (its pages would be written twice)."""
    from plan2rdf.problems import InputError

    seen: dict[tuple[str, str], Plan] = {}
    problems = []
    for plan in plans:
        key = (plan.info.series, plan.info.edition)
        if key in seen:
            first = seen[key].source.path if seen[key].source else "records"
            problems.append(
                Problem(
                    str(plan.source.path) if plan.source else "<plan>",
                    Text(
                        ja=f"計画 {key[0]}/{key[1]} は {first} からも読み込まれています",
                        en=f"plan {key[0]}/{key[1]} is also read from {first}",
                    ),
                    hint=EACH_EDITION_ONCE,
                )
            )
        seen[key] = plan
    if problems:
        raise InputError(problems)


def site_graph(plans: Sequence[Plan], settings: BuildSettings):
    """The editions' union graph with the links between them, their metadata triples, their
    build files (by name) and the warnings of making them."""
    from rdflib import Graph

    iris = settings.iris
    union = Graph()
    metadata: list = []
    downloads: dict[str, bytes] = {}
    warnings: list[Text] = []
    for plan in plans:
        result = graph_of(plan, base_iri=iris.base, organizations=settings.organizations, themes=settings.themes)
        outputs = render(plan, result.graph, iris=iris, license=settings.license, epoch=settings.epoch)
        union += result.graph
        metadata += outputs.metadata
        downloads |= outputs.files
        warnings += [p.formatted() for p in result.warnings]
    for triple in edition_links(plans, iris):
        union.add(triple)
    return union, metadata, downloads, warnings


def edition_links(plans: Sequence[Plan], iris: Iris):
    """prov:wasRevisionOf from each entry to the entry it continues in its series' previous
    edition (by fiscal year), matched as `diff` and corpus builds match them; reposts left out."""
    from itertools import pairwise

    from rdflib.namespace import PROV

    from plan2rdf.diff import match_entries

    by_series: dict[str, list[Plan]] = {}
    for plan in plans:
        by_series.setdefault(plan.info.series, []).append(plan)
    for series, editions in sorted(by_series.items()):
        editions.sort(key=lambda p: (p.info.fiscal_year or 0, p.info.edition))
        for old, new in pairwise(editions):
            before = [m for m in old.measures if not m.is_repost]
            after = [m for m in new.measures if not m.is_repost]
            for o, n in match_entries(before, after):
                yield (
                    iris.measure(series, new.info.edition, n.identifier),
                    PROV.wasRevisionOf,
                    iris.measure(series, old.info.edition, o.identifier),
                )


def corpus_plan(source: Path, settings: BuildSettings):
    """One plan of a corpus: read, derive, graph, validate, then its part of the corpus serialized
    (runs in a worker process; returns corpus.PlanOutput, with problems or results on failure)."""
    from plan2rdf.corpus.build import PlanOutput, plan_output
    from plan2rdf.problems import InputError
    from plan2rdf.rdfio.table import TermTable
    from plan2rdf.read.reader import read_plan
    from plan2rdf.validate import choose_engine

    output = PlanOutput(source=str(source))
    fast = settings.validate and choose_engine(settings.validator) == "turbo"
    try:
        plan = read_plan(source, format=settings.input_format, encoding=settings.encoding)
        settings = settings.for_plan(plan)
        store = "SimpleMemory" if fast or not settings.validate else "Memory"
        result = graph_of(
            plan, base_iri=settings.base_iri, organizations=settings.organizations, themes=settings.themes, store=store
        )
    except InputError as exc:
        output.problems, output.conforms = exc.problems, False
        return output
    output.problems = list(plan.warnings) + list(result.warnings)
    table = TermTable.of(result.graph)  # the walk over the graph that validating and writing share
    if settings.validate and not _corpus_plan_conforms(result.graph, settings, output, table):
        return output
    return plan_output(plan, result.graph, iris=settings.iris, output=output, compress=settings.compress, table=table)


def _corpus_plan_conforms(graph, settings: BuildSettings, output, table) -> bool:
    from plan2rdf.validate import severity_counts, shapes_for, validate_graph

    shapes = shapes_for(str(settings.shapes) if settings.shapes else None)
    counts = severity_counts(graph, engine=settings.validator, shapes=shapes, at_least=settings.fail_on, table=table)
    if any(counts.values()):
        # only a failing plan pays for results that name entries and source lines
        report = validate_graph(graph, engine=settings.validator, shapes=shapes)
        output.results = report.results
        output.conforms = report.conforms_at(settings.fail_on)
    return output.conforms


def _corpus_worker(args: tuple[Path, BuildSettings]):
    return corpus_plan(*args)


def _corpus_outputs(pool, sources: list[Path], settings: BuildSettings):
    # in_order keeps the input order, so the output is the same whatever finishes first;
    # small chunks: few round trips, yet the last plans still spread over every worker
    yield from pool.in_order(_corpus_worker, [(s, settings) for s in sources], chunksize=2)
    pool.close()  # the workers end while the catalogue (and the store) are written


def _corpus_warm_up(settings: BuildSettings) -> None:
    """What every plan of a worker uses, made before the first: the stages' modules, the shapes compiled."""
    import importlib

    for module in ("plan2rdf.read.reader", "plan2rdf.derive.facts"):  # by the first plan otherwise
        importlib.import_module(module)

    if settings.validate:
        from rdflib import Graph

        from plan2rdf.validate import severity_counts, shapes_for

        shapes = shapes_for(str(settings.shapes) if settings.shapes else None)
        severity_counts(Graph(), engine=settings.validator, shapes=shapes, at_least=settings.fail_on)


def corpus_base_iri(sources: list[Path], explicit: str | None, *, pool=None) -> str:
    """The one base of a corpus: ``explicit``, else the one its plans' sidecars agree on, else the
    default. Raises InputError when sidecars name different bases (links between editions need one).
    With a workers.Pool, its workers read the sidecars (a corpus's thousand take half a second)."""
    from plan2rdf.problems import InputError

    if explicit:
        return explicit
    bases: dict[str, str] = {}
    problems = []
    read = pool.in_order(_sidecar_base, sources, chunksize=64) if pool is not None else map(_sidecar_base, sources)
    for side, base, errors in filter(None, read):
        problems += errors  # reported once, before any plan is built, not by the plan's worker
        if base:
            bases.setdefault(base, side)
    if problems:
        raise InputError(problems)
    if len(bases) > 1:
        listed = ", ".join(f"{b} ({where})" for b, where in sorted(bases.items()))
        message = Text(
            ja=f"一つのコーパスの計画が別々のベース IRI を挙げています: {listed}",
            en=f"the plans of one corpus name different base IRIs: {listed}",
        )
        hint = Text(
            ja="すべてのメタデータのファイルの [publisher] に同じ base_iri を書くか、--base-iri を指定してください",
            en="give every sidecar the same [publisher] base_iri, or --base-iri",
        )
        raise InputError([Problem(next(iter(bases.values())), message, hint=hint)])
    return next(iter(bases), resolve_base_iri(None, None))


def _sidecar_base(source: Path) -> tuple[str, str | None, list[Problem]] | None:
    """A source's sidecar, the base IRI it names and its errors; None without a sidecar."""
    from plan2rdf.problems import Collector
    from plan2rdf.read.sidecar import load_sidecar, sidecar_path

    side = sidecar_path(Path(source))
    if not side.is_file():
        return None
    out = Collector(str(side))
    return str(side), load_sidecar(side, out).publisher.get("base_iri"), out.errors


def build_corpus(
    sources: list[Path],
    *,
    out_dir: Path,
    settings: BuildSettings = DEFAULTS,
    jobs: int = 1,
    progress=None,
    on_base=None,
):
    """Build every plan into one dataset (corpus.nq, corpus.trig, catalog.ttl; .nq.gz and .trig.gz
    with ``settings.compress``); returns corpus.CorpusResult. Nothing is written unless every plan
    is usable and conforms. ``on_base`` is called with the corpus's base IRI before any plan is built."""
    from plan2rdf import atomic
    from plan2rdf.corpus.build import output_names, write_corpus
    from plan2rdf.workers import Pool

    warm_up = functools.partial(_corpus_warm_up, settings)  # the shapes: the base IRI is not needed
    with Pool(min(jobs, len(sources)), warm_up=warm_up) as pool:  # started and warmed up now
        settings = replace(settings, base_iri=corpus_base_iri(sources, settings.base_iri, pool=pool))
        if on_base is not None:
            on_base(settings.base_iri)
        with atomic.exclusive(out_dir):  # one build per directory; stale staging folders removed
            outputs = _corpus_outputs(pool, sources, settings)
            result = write_corpus(outputs, sources=len(sources), out_dir=out_dir, settings=settings, progress=progress)
            if result.written and settings.store is not None:
                from plan2rdf.rdfio.store import write_store

                write_store(settings.store, [out_dir / output_names(settings.compress)[0]])
            return result
