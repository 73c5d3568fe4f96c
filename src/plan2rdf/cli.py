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

from . import __version__

EXIT_OK = 0
EXIT_NONCONFORMING = 1
EXIT_BAD_INPUT = 2


def _report_problems(problems) -> None:
    for problem in problems:
        click.echo(problem.format(), err=True)


def handle_errors(command):
    """Turn InputError into a listing of every problem and exit code 2, never a traceback."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        from .problems import InputError

        try:
            return command(*args, **kwargs)
        except InputError as exc:
            _report_problems(exc.problems)
            errors = sum(1 for p in exc.problems if p.severity.value == "error")
            click.echo(f"plan2rdf: {errors} error{'s' if errors != 1 else ''}; nothing was written", err=True)
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
    from .read import read_plan
    from .resources import bundled_plan

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
    from . import atomic, records

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
    from .report import format_text

    click.echo(format_text(report, lang=lang, limit=limit), err=True, nl=False)


@main.command()
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("dist"),
    show_default=True,
    help="Directory to write the outputs into.",
)
@click.option(
    "--base-iri",
    metavar="IRI",
    help="Base of the graph's own IRIs (default https://w3id.org/plan2rdf/id/).",
)
@click.option(
    "--license",
    "license_iri",
    metavar="IRI",
    default="https://creativecommons.org/licenses/by/4.0/",
    show_default=True,
    help="Licence of the output dataset (dcterms:license).",
)
@click.option(
    "--organizations",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Organisation table (CSV: department,division,slug,name_en). "
    "Default: organizations.csv beside the source, else the bundled one for the publisher.",
)
@click.option(
    "--fail-on",
    type=click.Choice(["violation", "warning", "info"]),
    default="violation",
    show_default=True,
    help="Refuse to write when validation finds a result this severe or worse.",
)
@source_options
@handle_errors
def build(sources, out_dir, base_iri, license_iri, organizations, fail_on, input_format, encoding, meta):
    """Build the knowledge graph of one or more plans and write it to --out.

    Per plan: Turtle, JSON-LD and N-Triples (isomorphic, byte-for-byte reproducible; honours
    SOURCE_DATE_EPOCH) and DCAT/VoID/PROV metadata. The graph is validated with the shapes
    first; when it does not conform nothing is written and the exit code is 1.
    """
    from .build import build as build_plan
    from .problems import InputError

    if base_iri is not None and not base_iri.startswith(("http://", "https://")):
        raise click.BadParameter("must be an absolute http(s) IRI", param_hint="--base-iri")
    if meta is not None and len(sources) > 1:
        raise click.UsageError("--meta applies to one source; give each source its own .toml beside it")
    plans, problems = [], []
    for source in sources or (None,):
        try:
            plans.append(read_source(source, input_format=input_format, encoding=encoding, meta=meta))
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    failed = False
    for plan in plans:
        result = build_plan(
            plan,
            out_dir=out_dir,
            base_iri=base_iri,
            license=license_iri,
            organizations=organizations,
            epoch=_epoch_or_none(),
            fail_on=fail_on,
        )
        _report_problems(result.warnings)
        if not result.written:
            _print_validation(result.report)
            click.echo(f"{plan.source.path}: the graph does not conform; nothing was written", err=True)
            failed = True
            continue
        click.echo(f"{plan.source.path}: {len(plan.measures)} measures, {result.triples} triples")
        for path in result.files:
            click.echo(f"  {path}")
    sys.exit(EXIT_NONCONFORMING if failed else EXIT_OK)


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
@output_option
@handle_errors
def diff(old, new, fmt, encoding, output):
    """Compare two editions of a plan: entries added, removed, renamed, moved, re-flagged.

    OLD and NEW are plan sources (text export, CSV or XLSX). Entries are matched by name, then by
    programme and division, then by a similar name in the same department; their numbers are not
    used, since plans renumber every year. Targets are compared by their parsed values.
    """
    from . import atomic
    from .diff import diff_plans, to_json, to_markdown, to_text
    from .problems import InputError

    plans, problems = [], []
    for source in (old, new):
        try:
            plans.append(read_source(source, input_format=None, encoding=encoding, meta=None))
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
