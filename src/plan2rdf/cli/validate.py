"""plan2rdf validate: SHACL validation reports for people and CI."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from plan2rdf.cli.app import main
from plan2rdf.cli.options import (
    EXIT_BAD_INPUT,
    EXIT_NONCONFORMING,
    EXIT_OK,
    current_lang,
    epoch_or_none,
    formats_in_help,
    handle_errors,
    jobs_option,
    lang_option,
    output_option,
    read_source,
    say,
)
from plan2rdf.i18n import Text
from plan2rdf.rdfio import formats as rdf_formats


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
@click.option(
    "--min-severity",
    "min_severity",
    type=click.Choice(["violation", "warning", "info"]),
    help="Show results this severe or worse. Default: warning for text and github (infos are counted "
    "in one line), info for json, junit and sarif. Does not change the exit code (see --fail-on).",
)
@click.option(
    "--show",
    "show",
    type=click.Choice(["info"]),
    help="--show info is --min-severity info: list the infos too.",
)
@click.option(
    "--allow-empty",
    is_flag=True,
    help="Accept files without triples (by default an empty file is an error, exit 2).",
)
@output_option
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    metavar="SECONDS",
    help="Give up (exit 2) when reading and validating FILES take longer than this; they then run in a "
    "worker process, validated whole.",
)
@click.option(
    "--input-format",
    "rdf_format",
    type=click.Choice(rdf_formats.INPUT_FORMAT_NAMES),
    help="RDF syntax of every FILE (default: from each extension, .gz too: " + rdf_formats.describe() + ").",
)
@jobs_option("A corpus (one .nq or .nq.gz file) is validated plan by plan in this many processes; same report.")
@lang_option
@handle_errors
@formats_in_help
def validate(files, shapes_file, fmt, fail_on, min_severity, show, allow_empty, output, timeout, rdf_format, jobs):
    """Validate RDF files against the plan2rdf shapes and report every problem.

    FILES are {rdf_formats} files (gzipped too), or directories (all RDF files in them,
    sorted; .json and .xml only when named); they are validated together as one graph. Without
    FILES, the bundled plan is built in memory and validated. Each problem names the entry (identifier and title), the
    property, the value, the message (--lang) and, for graphs built by plan2rdf, the source line.
    Terms in the p2r: namespace that the ontology does not define are reported as warnings.

    Each problem is located in the validated file (file:line:column of the offending statement,
    or of the focus node's first statement), with the source plan's line as a second location.
    text and github list violations and warnings and count the infos (--min-severity info lists
    them); json, junit and sarif have every result.

    Exit codes: 0 conforms at the --fail-on level, 1 does not conform, 2 unreadable input (an
    empty file too, unless --allow-empty), bad usage or --timeout exceeded. JSON-LD remote
    contexts are never fetched (only plan2rdf's own context is known, from the shipped copy).
    """
    from datetime import UTC, datetime

    from plan2rdf import atomic
    from plan2rdf.validate import ValidationTimeout, load_shapes, render, summary, validate_files
    from plan2rdf.validate.parallel import validate_corpus_file
    from plan2rdf.validate.report import listed_level

    lang = current_lang()
    shapes = load_shapes(shapes_file) if shapes_file is not None else None
    shown = "info" if show else min_severity
    try:
        given = {"shapes": shapes, "input_format": rdf_format, "checks": fmt == "junit", "allow_empty": allow_empty}
        if files and timeout is None:  # a deadline needs the one worker validate_files runs in
            # results the format only counts need not be described (a corpus's infos, by default)
            report = validate_corpus_file(list(files), jobs=jobs, listed=listed_level(fmt, shown), **given)
        elif files:
            report = validate_files(list(files), timeout=timeout, **given)
        else:
            report = _validate_bundled_plan(shapes=shapes, timeout=timeout, checks=fmt == "junit")
    except ValidationTimeout as exc:
        say(
            Text(
                ja=f"plan2rdf: 検証が {exc.seconds:g} 秒以内に終わりませんでした。--timeout で時間を延ばすか、"
                "一度に検証するファイルを減らしてください",
                en=f"plan2rdf: {exc}; give it more time with --timeout, or validate fewer files at once",
            ),
            err=True,
        )
        sys.exit(EXIT_BAD_INPUT)
    if epoch_or_none() is not None:  # reproducible output: the timestamp SOURCE_DATE_EPOCH gives
        report.started, report.seconds = datetime.fromtimestamp(epoch_or_none(), UTC), 0.0
    text = render(report, fmt, lang=lang, fail_on=fail_on, min_severity=shown)
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
    from plan2rdf.validate import validate_graph

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
