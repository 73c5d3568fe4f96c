"""The `plan2rdf` command line: parses arguments, calls the library, formats, sets exit codes.

Exit codes: 0 ok, 1 the data does not conform, 2 bad input or usage. Heavy libraries (rdflib,
pyshacl, openpyxl) are imported inside the commands that need them, so `--help` stays instant.
"""

from __future__ import annotations

import functools
import json
import os
import sys
from pathlib import Path

import click

from plan2rdf import __version__

EXIT_OK = 0
EXIT_NONCONFORMING = 1
EXIT_BAD_INPUT = 2


def _report_problems(problems) -> None:
    for problem in problems:
        click.echo(problem.format(), err=True)


def handle_errors(command):
    """Every failure a user can act on ends in a clear message and exit code 2, never a traceback:
    bad input (all its problems listed), a server that is down, a missing optional engine."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        from plan2rdf.problems import ActionableError, InputError, UsageProblem

        try:
            return command(*args, **kwargs)
        except InputError as exc:
            _report_problems(exc.problems)
            errors = sum(1 for p in exc.problems if p.severity.value == "error")
            click.echo(f"plan2rdf: {errors} error{'s' if errors != 1 else ''}; nothing was written", err=True)
            sys.exit(EXIT_BAD_INPUT)
        except UsageProblem as exc:
            raise click.UsageError(str(exc)) from None
        except ActionableError as exc:
            click.echo(f"plan2rdf: error: {exc}", err=True)
            sys.exit(EXIT_BAD_INPUT)

    return wrapper


def source_options(command):
    """Options shared by every command that reads a plan source."""
    command = click.option(
        "--encoding",
        metavar="NAME",
        help="Encoding of a text or CSV source (default: detect UTF-8, UTF-8 with BOM or CP932).",
    )(command)
    command = click.option(
        "--input-format",
        type=click.Choice(["text", "csv", "xlsx"]),
        help="Format of the source (default: from its extension: .txt, .csv, .xlsx).",
    )(command)
    command = click.option(
        "--meta",
        "meta",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Edition metadata (TOML). Default: the .toml file beside the source with the same stem.",
    )(command)
    return command


def graph_options(command):
    """Options shared by the commands that make a plan's graph (build, site)."""
    command = click.option(
        "--themes",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Technology themes and their rules (Turtle). Default: the bundled data/themes.ttl.",
    )(command)
    command = click.option(
        "--organizations",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Organisation table (CSV: department,division,slug,name_en). "
        "Default: organizations.csv beside the source, else the bundled one for the publisher.",
    )(command)
    command = click.option(
        "--license",
        "license_iri",
        metavar="IRI",
        default="https://creativecommons.org/licenses/by/4.0/",
        show_default=True,
        help="Licence of the output dataset (dcterms:license).",
    )(command)
    command = click.option(
        "--base-iri",
        metavar="IRI",
        callback=_check_base_iri,
        help="Base of the graph's own IRIs, where they are to be hosted (default https://w3id.org/plan2rdf/id/).",
    )(command)
    return command


def _check_base_iri(ctx, param, value):
    if value is not None and not value.startswith(("http://", "https://")):
        raise click.BadParameter("must be an absolute http(s) IRI")
    return value


def output_option(command):
    return click.option(
        "-o",
        "--output",
        type=click.Path(dir_okay=False, writable=True, path_type=Path),
        help="Write to this file (atomically) instead of standard output.",
    )(command)


def source_date_epoch() -> int:
    """Timestamps in outputs come from SOURCE_DATE_EPOCH (reproducible builds), else 0."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return 0
    try:
        return int(value)
    except ValueError:
        raise click.UsageError(f"SOURCE_DATE_EPOCH must be a whole number of seconds, not {value!r}") from None


def read_source(source: Path | None, *, input_format, encoding, meta):
    from plan2rdf.read.reader import read_plan
    from plan2rdf.resources import bundled_plan

    plan = read_plan(
        source or bundled_plan(),
        format=input_format,
        encoding=encoding,
        metadata_path=meta,
    )
    _report_problems(plan.warnings)
    return plan


class _Group(click.Group):
    def list_commands(self, ctx):  # keep the order in which commands are defined
        return list(self.commands)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="plan2rdf")
def main() -> None:
    """Turn a local government's ICT action plan into a validated, linked knowledge graph.

    Without a SOURCE, commands work on the bundled plan: 「ふくしま ICT データ利活用社会推進
    アクションプラン2021」 (Fukushima Prefecture, FY2021).

    Exit codes: 0 ok, 1 the data does not conform to the shapes, 2 bad input or usage.
    """


@main.command()
@click.argument("source", required=False, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "csv", "xlsx"]),
    default="json",
    show_default=True,
    help="json: the records with clean text and items; csv/xlsx: the tabular form `parse` reads back.",
)
@source_options
@output_option
@handle_errors
def parse(source, fmt, input_format, encoding, meta, output):
    """Read a plan (text export, CSV or XLSX) and print its normalized records.

    Use it to check how plan2rdf reads a plan before building: every problem in the file is
    listed with its file and line (or row and column) and the run exits with code 2.
    """
    from plan2rdf import atomic
    from plan2rdf.read import records

    plan = read_source(source, input_format=input_format, encoding=encoding, meta=meta)
    if fmt == "xlsx":
        if output is None:
            raise click.UsageError("--format xlsx needs --output FILE")
        with atomic.replacing(output) as tmp:
            records.write_xlsx(plan, tmp, epoch=source_date_epoch())
        return
    if fmt == "csv":
        text = records.to_csv(plan)
    else:
        text = json.dumps(records.to_dict(plan), ensure_ascii=False, indent=2) + "\n"
    if output is None:
        click.echo(text, nl=False)
    else:
        atomic.write_text(output, text)


def _epoch_or_none() -> int | None:
    """SOURCE_DATE_EPOCH when set: the only timestamp a build writes (none otherwise)."""
    return source_date_epoch() if os.environ.get("SOURCE_DATE_EPOCH", "").strip() else None


def _print_validation(report, *, lang: str = "en", limit: int | None = None) -> None:
    from plan2rdf.validate.report import format_text

    click.echo(format_text(report, lang=lang, limit=limit), err=True, nl=False)


@main.command()
@click.argument("sources", nargs=-1)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("dist"),
    show_default=True,
    help="Directory to write the outputs into.",
)
@graph_options
@click.option(
    "--fail-on",
    type=click.Choice(["violation", "warning", "info"]),
    default="violation",
    show_default=True,
    help="Refuse to write when validation finds a result this severe or worse.",
)
@click.option(
    "--corpus",
    is_flag=True,
    help="Write one corpus dataset (TriG, N-Quads, DCAT catalogue) even for a single source. "
    "Several sources always make a corpus.",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=os.cpu_count() or 1,
    show_default="the number of CPUs",
    help="Plans built and validated in parallel processes (corpus builds).",
)
@click.option(
    "--shapes",
    "shapes_file",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Validate with these SHACL shapes instead of the shipped ones (e.g. stricter shapes of your portal).",
)
@click.option(
    "--validator",
    type=click.Choice(["auto", "pyshacl", "turbo"]),
    default="auto",
    show_default=True,
    help="SHACL engine: pySHACL, or pyshacl-turbo (pip install 'plan2rdf[fast]'; same results, ~10× faster). "
    "auto: pySHACL for one plan, pyshacl-turbo for a corpus where installed.",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary; problems are still reported.")
@source_options
@handle_errors
def build(
    sources, out_dir, base_iri, license_iri, organizations, themes, fail_on, corpus, jobs, shapes_file, validator,
    quiet, input_format, encoding, meta,
):  # fmt: skip
    """Build the knowledge graph of one or more plans and write it to --out.

    SOURCES are plan files (text export, CSV or XLSX), directories (searched recursively) or
    glob patterns; without any, the bundled plan. One plan gives Turtle, JSON-LD and N-Triples
    (isomorphic, byte-for-byte reproducible; SOURCE_DATE_EPOCH is honoured) and DCAT/VoID/PROV
    metadata. Several plans give one corpus: each plan in its own named graph of corpus.trig and
    corpus.nq, shared resources once, links between editions, and a DCAT catalogue.

    Every graph is validated with the shapes first; if any does not conform nothing is written
    and the exit code is 1. Unreadable sources exit with 2, all of them listed.
    """
    from plan2rdf.corpus.build import expand_sources

    paths = expand_sources(list(sources)) if sources else [None]
    if meta is not None and len(paths) > 1:
        raise click.UsageError("--meta applies to one source; give each source its own .toml beside it")
    from plan2rdf.validate.engine import engine_available

    if validator == "turbo" and not engine_available("turbo"):
        raise click.UsageError("pyshacl-turbo is not installed: pip install 'plan2rdf[fast]'")
    if shapes_file is not None:
        from plan2rdf.validate.engine import load_shapes

        load_shapes(shapes_file)  # unreadable shapes: exit 2 now, not in every worker
    if corpus or len(paths) > 1:
        _build_corpus(paths, out_dir, base_iri, license_iri, organizations, themes, fail_on, jobs, validator, quiet,
                      input_format, encoding, shapes_file)  # fmt: skip
        return
    _build_one(paths[0], out_dir, base_iri, license_iri, organizations, themes, fail_on,
               "pyshacl" if validator == "auto" else validator, quiet, input_format, encoding, meta,
               shapes_file)  # fmt: skip


def _build_one(source, out_dir, base_iri, license_iri, organizations, themes, fail_on, validator, quiet, input_format,
               encoding, meta, shapes_file):  # fmt: skip
    from plan2rdf.pipeline import build as build_plan

    plan = read_source(source, input_format=input_format, encoding=encoding, meta=meta)
    result = build_plan(
        plan,
        out_dir=out_dir,
        base_iri=base_iri,
        license=license_iri,
        organizations=organizations,
        themes=themes,
        epoch=_epoch_or_none(),
        fail_on=fail_on,
        validator=validator,
        shapes=shapes_file,
    )
    _report_problems(result.warnings)
    if not result.written:
        _print_validation(result.report)
        click.echo(f"{plan.source.path}: the graph does not conform; nothing was written", err=True)
        sys.exit(EXIT_NONCONFORMING)
    if not quiet:
        click.echo(f"{plan.source.path}: {len(plan.measures)} measures, {result.triples} triples")
        for path in result.files:
            click.echo(f"  {path}")


def _build_corpus(paths, out_dir, base_iri, license_iri, organizations, themes, fail_on, jobs, validator, quiet,
                  input_format, encoding, shapes_file):  # fmt: skip
    from plan2rdf.corpus.build import Options, build_corpus
    from plan2rdf.problems import InputError
    from plan2rdf.validate.engine import Report
    from plan2rdf.validate.report import format_text

    if None in paths:
        from plan2rdf.resources import bundled_plan

        paths = [bundled_plan() if p is None else p for p in paths]
    options = Options(
        base_iri=base_iri,
        license=license_iri,
        organizations=organizations,
        themes=themes,
        input_format=input_format,
        encoding=encoding,
        fail_on=fail_on,
        validator=validator,
        shapes=shapes_file,
    )
    show = not quiet and sys.stderr.isatty()
    with click.progressbar(length=len(paths), label="building", file=sys.stderr, hidden=not show) as bar:
        result = build_corpus(
            paths, out_dir=out_dir, options=options, jobs=jobs, epoch=_epoch_or_none(), progress=lambda _: bar.update(1)
        )
    _report_problems(result.warnings)
    unreadable = [p for f in result.failures for p in f.problems if p.severity.value == "error"]
    for failure in result.failures:
        if failure.results and not failure.conforms:
            click.echo(f"{failure.source}: does not conform", err=True)
            click.echo(format_text(Report(False, failure.results), limit=50), err=True, nl=False)
    if unreadable:
        raise InputError(unreadable)
    if result.failures:
        click.echo(f"plan2rdf: {len(result.failures)} of {result.sources} plans do not conform; nothing was written",
                   err=True)  # fmt: skip
        sys.exit(EXIT_NONCONFORMING)
    if not quiet:
        click.echo(f"{result.plans} plans, {result.measures} measures, {result.triples} triples")
        for path in result.files:
            click.echo(f"  {path}")


@main.command()
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown", "json"]),
    default="text",
    show_default=True,
    help="text for a terminal, markdown for release notes, json for programs.",
)
@click.option("--encoding", metavar="NAME", help="Encoding of text or CSV sources (default: detect).")
@click.option(
    "--input-format",
    type=click.Choice(["text", "csv", "xlsx"]),
    help="Format of both sources (default: from their extensions: .txt, .csv, .xlsx).",
)
@output_option
@handle_errors
def diff(old, new, fmt, encoding, input_format, output):
    """Compare two editions of a plan: entries added, removed, renamed, moved, re-flagged.

    OLD and NEW are plan sources (text export, CSV or XLSX). Entries are matched by name, then by
    programme and division, then by a similar name in the same department; their numbers are not
    used, since plans renumber every year. Targets are compared by their parsed values.
    """
    from plan2rdf import atomic
    from plan2rdf.diff import diff_plans, to_json, to_markdown, to_text
    from plan2rdf.problems import InputError

    plans, problems = [], []
    for source in (old, new):
        try:
            plans.append(read_source(source, input_format=input_format, encoding=encoding, meta=None))
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    result = diff_plans(*plans)
    if fmt == "json":
        text = json.dumps(to_json(result), ensure_ascii=False, indent=2) + "\n"
    else:
        text = to_markdown(result) if fmt == "markdown" else to_text(result)
    if output is None:
        click.echo(text, nl=False)
    else:
        atomic.write_text(output, text)


def endpoint_options(command):
    """Options shared by every command that talks to a SPARQL server."""
    command = click.option(
        "--insecure", is_flag=True, help="Do not verify HTTPS certificates (for a test server only)."
    )(command)
    command = click.option(
        "--timeout", type=click.FloatRange(min=0.1), default=60.0, show_default=True, help="Seconds per HTTP request."
    )(command)
    command = click.option(
        "--store-endpoint", metavar="URL", help="Graph Store Protocol URL, where the layout's default does not fit."
    )(command)
    command = click.option(
        "--update-endpoint", metavar="URL", help="SPARQL Update URL, where the layout's default does not fit."
    )(command)
    command = click.option(
        "--layout",
        type=click.Choice(["auto", "oxigraph", "fuseki", "graphdb", "virtuoso", "qlever"]),
        default="auto",
        show_default=True,
        help="How the server arranges its endpoints (see docs/publishing.md).",
    )(command)
    return command


def make_endpoint(url: str, layout: str, update: str | None, store: str | None):
    from dataclasses import replace

    from plan2rdf.publish.store import Endpoint

    endpoint = Endpoint.from_url(url, layout=layout)
    if update or store:
        endpoint = replace(endpoint, update=update or endpoint.update, store=store or endpoint.store)
    return endpoint


@main.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--endpoint", metavar="URL", required=True, help="The SPARQL server, e.g. http://localhost:7878.")
@click.option("--graph", "graph_iri", metavar="IRI", help="The named graph to load into (default: the default graph).")
@click.option(
    "--replace/--append",
    default=True,
    show_default=True,
    help="Replace the graph's content atomically, or add to it.",
)
@click.option(
    "--chunk-triples",
    type=click.IntRange(min=1),
    default=50_000,
    show_default=True,
    help="Triples per upload request.",
)
@endpoint_options
@handle_errors
def publish(files, endpoint, graph_iri, replace, chunk_triples, layout, update_endpoint, store_endpoint, timeout,
            insecure):  # fmt: skip
    """Upload RDF to a SPARQL store over the Graph Store Protocol, then verify the triple count.

    FILES are Turtle, N-Triples, N-Quads or TriG files (gzipped too); without FILE, the bundled
    plan's graph. --replace loads into a temporary graph and moves it into place, so a failed
    upload never leaves the graph half-replaced or empty. Credentials come from PLAN2RDF_USER and
    PLAN2RDF_PASSWORD, PLAN2RDF_TOKEN or ~/.netrc (user:password@ in the URL works too, but stays
    in your shell history); they never appear in messages.
    """
    import tempfile

    from plan2rdf.publish.store import publish as upload

    target = make_endpoint(endpoint, layout, update_endpoint, store_endpoint)
    with tempfile.TemporaryDirectory(prefix="plan2rdf-publish-") as tmp:
        if not files:
            from plan2rdf.pipeline import graph_of
            from plan2rdf.rdfio.writers import ntriples

            plan = read_source(None, input_format=None, encoding=None, meta=None)
            data = Path(tmp) / "plan.nt"
            data.write_text(ntriples(graph_of(plan).graph), encoding="utf-8")
            files = (data,)
        report = upload(
            list(files),
            endpoint=target,
            graph=graph_iri,
            mode="replace" if replace else "append",
            chunk_triples=chunk_triples,
            timeout=timeout,
            insecure=insecure,
        )
    where = f"<{report.graph}>" if report.graph else "the default graph"
    verb = "replaced" if report.mode == "replace" else "appended to"
    click.echo(
        f"{verb} {where}: {report.triples_sent} triples sent in {report.chunks} chunk(s), "
        f"{report.triples_in_graph} in the graph ({report.seconds:.1f} s)"
    )
    if not report.verified:
        click.echo("plan2rdf: the server holds another number of triples than was sent", err=True)
        sys.exit(EXIT_BAD_INPUT)


@main.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--shapes",
    "shapes_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="SHACL shapes to validate with instead of plan2rdf's own (shapes/plan2rdf.shacl.ttl).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "turtle", "junit", "github", "sarif"]),
    default="text",
    show_default=True,
    help="text: one line per problem; json: documented in docs/validation.md; turtle: the W3C SHACL "
    "validation report; junit: JUnit XML; github: GitHub Actions annotations; sarif: SARIF 2.1.0.",
)
@click.option(
    "--fail-on",
    "fail_on",
    type=click.Choice(["violation", "warning", "info"]),
    default="violation",
    show_default=True,
    help="Exit with 1 when a result is this severe or worse.",
)
@output_option
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    metavar="SECONDS",
    help="Give up (exit 2) when validation takes longer than this; it then runs in a worker process.",
)
@click.option(
    "--lang",
    type=click.Choice(["en", "ja"]),
    default="en",
    show_default=True,
    help="Language of the messages.",
)
@click.option(
    "--input-format",
    "rdf_format",
    type=click.Choice(["turtle", "json-ld", "nt", "trig", "xml"]),
    help="RDF syntax of every FILE (default: from each extension: .ttl, .jsonld/.json, .nt, .trig, .rdf/.owl/.xml).",
)
@handle_errors
def validate(files, shapes_file, fmt, fail_on, output, timeout, lang, rdf_format):
    """Validate RDF files against the plan2rdf shapes and report every problem.

    FILES are Turtle, JSON-LD, N-Triples, TriG or RDF/XML files, or directories (all RDF files in
    them, sorted); they are validated together as one graph. Without FILES, the bundled plan is
    built in memory and validated. Each problem names the entry (identifier and title), the
    property, the value, the message (--lang) and, for graphs built by plan2rdf, the source line.
    Terms in the p2r: namespace that the ontology does not define are reported as warnings.

    Exit codes: 0 conforms at the --fail-on level, 1 does not conform, 2 unreadable input, bad
    usage or --timeout exceeded. JSON-LD remote contexts are never fetched (only plan2rdf's own
    context is known, from the shipped copy).
    """
    from plan2rdf import atomic
    from plan2rdf.validate.engine import ValidationTimeout, load_shapes, validate_files
    from plan2rdf.validate.report import render, summary

    shapes = load_shapes(shapes_file) if shapes_file is not None else None
    try:
        if files:
            report = validate_files(
                list(files), shapes=shapes, input_format=rdf_format, timeout=timeout, checks=fmt == "junit"
            )
        else:
            report = _validate_bundled_plan(shapes=shapes, timeout=timeout, checks=fmt == "junit")
    except ValidationTimeout as exc:
        click.echo(f"plan2rdf: {exc}; give it more time with --timeout, or validate fewer files at once", err=True)
        sys.exit(EXIT_BAD_INPUT)
    text = render(report, fmt, lang=lang, fail_on=fail_on)
    if output is None:
        click.echo(text, nl=False)
    else:
        atomic.write_text(output, text)
    if fmt != "text" or output is not None:  # on standard output, the text format ends with it
        click.echo(f"plan2rdf: {summary(report, lang=lang, fail_on=fail_on)}", err=True)
    sys.exit(EXIT_OK if report.conforms_at(fail_on) else EXIT_NONCONFORMING)


def _validate_bundled_plan(*, shapes, timeout, checks):
    """The bundled plan's graph, built in memory and validated (what `build` would check)."""
    from dataclasses import replace

    from plan2rdf.pipeline import graph_of
    from plan2rdf.validate.engine import validate_graph

    plan = read_source(None, input_format=None, encoding=None, meta=None)
    graph = graph_of(plan).graph
    report = validate_graph(graph, shapes=shapes, timeout=timeout, checks=checks)
    where = Path(plan.source.path)
    if where.is_absolute() and where.is_relative_to(Path.cwd()):  # annotations want repository paths
        where = where.relative_to(Path.cwd())
    # The source is on disk: point annotations at it (its path, not just the name the graph holds).
    report.results = [
        replace(r, source_path=where.as_posix()) if r.source_file == where.name else r for r in report.results
    ]
    report.files = [where.as_posix()]
    return report


# --- canned SPARQL queries (issue 6) ---------------------------------------------------------------


def _engine_option(command):
    return click.option(
        "--engine",
        type=click.Choice(["rdflib", "oxigraph"]),
        default="rdflib",
        show_default=True,
        help="SPARQL engine: rdflib (embedded) or pyoxigraph (faster; pip install 'plan2rdf[oxigraph]').",
    )(command)


@main.command()
@click.option("--markdown", is_flag=True, help="Print docs/queries.md: each query, its SPARQL and a sample result.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="How to list the catalogue (ignored with --markdown).",
)
@_engine_option
@output_option
@handle_errors
def queries(markdown, fmt, engine, output):
    """List the canned SPARQL queries: name, Japanese and English title, parameters.

    Every query in sparql/ is checked with the engine's parser first; a broken one is an error
    (file and line), never left out. Run one with `plan2rdf query NAME`. With --markdown, the
    catalogue as documentation (docs/queries.md), with a sample result on the bundled plan.
    """
    from plan2rdf import atomic
    from plan2rdf.query.catalogue import load_catalogue
    from plan2rdf.query.engine import catalogue_listing, catalogue_markdown, format_text_table, make_engine

    catalogue = load_catalogue(check=engine)
    if markdown:
        text = catalogue_markdown(catalogue, make_engine(engine))
    elif fmt == "json":
        text = json.dumps(catalogue_listing(catalogue), ensure_ascii=False, indent=2) + "\n"
    else:
        rows = [
            [
                q["name"],
                q["title_ja"],
                q["title_en"],
                ", ".join(f"{p['name']}={p['default'] or ''} ({p['type']})" for p in q["parameters"]),
            ]
            for q in catalogue_listing(catalogue)
        ]
        text = format_text_table(["name", "title_ja", "title_en", "parameters"], rows, count=False)
    if output is None:
        click.echo(text, nl=False)
    else:
        atomic.write_text(output, text)


@main.command()
@click.argument("name")
@click.option(
    "--data",
    "data",
    multiple=True,
    type=click.Path(path_type=Path),
    help="RDF to query (Turtle, N-Triples, JSON-LD, TriG, N-Quads; a directory: all of them). "
    "Repeatable. Default: the bundled plan's graph, built in memory.",
)
@click.option(
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="Set a parameter of the query (see `plan2rdf queries`); bound as an RDF term. Repeatable.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "tsv", "json", "markdown"]),
    default="table",
    show_default=True,
    help="table (aligned text), csv/tsv/json (SPARQL 1.1 results formats) or markdown.",
)
@click.option(
    "--endpoint",
    metavar="URL",
    help="Run the query on a SPARQL 1.1 endpoint instead (e.g. the store `plan2rdf publish` loaded).",
)
@_engine_option
@endpoint_options
@output_option
@handle_errors
def query(name, data, params, fmt, engine, endpoint, layout, update_endpoint, store_endpoint, timeout, insecure,
          output):  # fmt: skip
    """Run a canned query (by NAME, see `plan2rdf queries`) or your own FILE.rq.

    Parameters are bound as RDF terms, never pasted into the query. A query that does not parse
    is an error with its file and line (exit code 2). With --endpoint the query runs on a SPARQL
    server over the SPARQL 1.1 Protocol and returns the same rows as it does locally.
    """
    from plan2rdf import atomic
    from plan2rdf.query.engine import bind, format_result, make_engine, remote_engine, resolve, run

    values: dict[str, str] = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"{item!r} is not NAME=VALUE", param_hint="--param")
        if key in values:
            raise click.BadParameter(f"{key} is given twice", param_hint="--param")
        values[key] = value
    if endpoint and data:
        raise click.UsageError("--data and --endpoint exclude each other: the endpoint holds the data")
    canned = resolve(name, engine=engine)
    bind(canned, values)  # check the parameters before building or loading any graph
    if endpoint:
        target = make_endpoint(endpoint, layout, update_endpoint, store_endpoint)
        chosen = remote_engine(target, timeout=timeout, insecure=insecure)
    else:
        chosen = make_engine(engine, [Path(d) for d in data])
    result = run(canned, chosen, values)
    text = format_result(result, fmt)
    if output is None:
        click.echo(text, nl=False)
    else:
        atomic.write_text(output, text)


@main.command()
@click.argument("source", required=False, type=click.Path(path_type=Path))
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("site"),
    show_default=True,
    help="Directory to write the site into (replaced as a whole; never a directory that is not a site).",
)
@graph_options
@source_options
@handle_errors
def site(source, out_dir, base_iri, license_iri, organizations, themes, input_format, encoding, meta):
    """Render the plan's knowledge graph as a static site in --out.

    One page per resource, at the path of its IRI under the base (``{path}.html``, with its own
    description in ``{path}.ttl`` and ``{path}.jsonld``), the plan's home, charts, the query
    catalogue, the vocabulary and downloads, plus .htaccess and nginx.conf for content
    negotiation. Host the directory at the base IRI and every IRI dereferences. The site shows
    the graph as built; run `plan2rdf build` (or `validate`) to check it against the shapes.
    """
    from plan2rdf.site.render import base_iri_problem, site_of

    problem = base_iri_problem(base_iri) if base_iri is not None else None
    if problem:
        raise click.BadParameter(problem, param_hint="--base-iri")
    plan = read_source(source, input_format=input_format, encoding=encoding, meta=meta)
    report = site_of(
        plan,
        out_dir=out_dir,
        base_iri=base_iri,
        license=license_iri,
        organizations=organizations,
        themes=themes,
        epoch=_epoch_or_none(),
    )
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)
    kinds: dict[str, int] = {}
    for f in report.files:
        kinds[f.kind] = kinds.get(f.kind, 0) + 1
    click.echo(
        f"{out_dir}: {report.pages} pages for {report.resources} resources, {len(report.files)} files, "
        f"{report.size / 1e6:.1f} MB in {report.seconds:.1f} s"
    )
    click.echo("  " + ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items())))
