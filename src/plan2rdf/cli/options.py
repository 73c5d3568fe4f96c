"""Options, error handling and helpers shared by the commands (sqlite-utils style decorators)."""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path

import click

from plan2rdf.i18n import Text
from plan2rdf.rdfio import formats as rdf_formats

EXIT_OK = 0
EXIT_NONCONFORMING = 1
EXIT_BAD_INPUT = 2


ONE_META = Text(
    ja="--meta は一つの元データにしか使えません。元データごとに、その横に .toml を置いてください",
    en="--meta applies to one source; give each source its own .toml beside it",
)
LANG_META = "plan2rdf.lang"  # where --lang is kept in the click context, for the error handler


def current_lang() -> str:
    """The language chosen with --lang for this command, else the locale's."""
    from plan2rdf.i18n import default_lang

    ctx = click.get_current_context(silent=True)
    while ctx is not None:
        if LANG_META in ctx.meta:
            return ctx.meta[LANG_META]
        ctx = ctx.parent
    return default_lang()


def _remember_lang(ctx, param, value):
    ctx.meta[LANG_META] = value
    return value


def lang_option(command):
    """--lang ja|en: the language of messages; the default follows LC_ALL, LC_MESSAGES or LANG."""
    from plan2rdf.i18n import LANGS, default_lang

    return click.option(
        "--lang",
        type=click.Choice(LANGS),
        default=default_lang,
        show_default="ja if LC_ALL, LC_MESSAGES or LANG starts with ja, else en",
        callback=_remember_lang,
        is_eager=True,  # known before the other options' callbacks, which may report in it
        expose_value=False,  # the commands ask current_lang(): their signatures stay as they are
        help="Language of the messages (メッセージの言語).",
    )(command)


def say(message, *, err: bool = False, nl: bool = True) -> None:
    """Print a Text (or a plain string) in the language of this command."""
    from plan2rdf.i18n import text_in

    click.echo(text_in(message, current_lang()), err=err, nl=nl)


def report_problems(problems, lang: str | None = None) -> None:
    lang = lang or current_lang()
    for problem in problems:
        click.echo(problem.format(lang), err=True)


def handle_errors(command):
    """Every failure a user can act on ends in a clear message and exit code 2, never a traceback:
    bad input (all its problems listed), a server that is down, a missing optional engine."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        from plan2rdf.problems import ActionableError, InputError, UsageProblem

        try:
            return command(*args, **kwargs)
        except InputError as exc:
            lang = current_lang()
            report_problems(exc.problems, lang)
            errors = sum(1 for p in exc.problems if p.severity.value == "error")
            if lang == "ja":
                click.echo(f"plan2rdf: エラー {errors} 件。何も書き出していません", err=True)
            else:
                click.echo(f"plan2rdf: {errors} error{'s' if errors != 1 else ''}; nothing was written", err=True)
            sys.exit(EXIT_BAD_INPUT)
        except UsageProblem as exc:
            raise click.UsageError(exc.message_in(current_lang())) from None
        except ActionableError as exc:
            label = "エラー" if current_lang() == "ja" else "error"
            click.echo(f"plan2rdf: {label}: {exc.message_in(current_lang())}", err=True)
            sys.exit(EXIT_BAD_INPUT)

    return wrapper


def formats_in_help(command):
    """Fill a command's help from rdfio's table of formats, so it says what the loader accepts."""
    quads = " and ".join(f.label for f in rdf_formats.quad_formats())
    command.__doc__ = (
        command.__doc__.replace("{rdf_formats}", rdf_formats.formats_phrase(rdf_formats.FORMATS))
        .replace("{triple_formats}", rdf_formats.formats_phrase(rdf_formats.triple_formats()))
        .replace("{quad_formats}", quads)
    )
    return command


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
        callback=_checked_by(_iri_problem),
        show_default=True,
        help="Licence of the output dataset (dcterms:license).",
    )(command)
    command = click.option(
        "--base-iri",
        metavar="IRI",
        callback=check_base_iri,
        help="Base of the graph's own IRIs, where they are to be hosted (default https://w3id.org/plan2rdf/id/); "
        "a '/' is added when it ends in neither '/' nor '#'.",
    )(command)
    return command


def _checked_by(rule):
    """A click callback: the value, or a usage error in the user's language saying what is wrong."""

    def check(ctx, param, value):
        from plan2rdf.i18n import text_in

        problem = rule(value) if value is not None else None
        if problem:
            raise click.BadParameter(text_in(problem, current_lang()))
        return value

    return check


def _iri_problem(value: str):
    from plan2rdf.iri import iri_problem

    return iri_problem(value)


def _base_problem(value: str):
    from plan2rdf.iri import base_iri_problem

    return base_iri_problem(value, minted_below=False)  # Iris adds the '/'


check_base_iri = _checked_by(_base_problem)  # --base-iri of build, site and serve


def warn_default_base(base_iri: str | None, *, where: str) -> None:
    """Print the warning of a build, site or publication under the default base IRI."""
    from plan2rdf.settings import default_base_warning

    if warning := default_base_warning(base_iri, where=where):
        report_problems([warning])


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
        from plan2rdf.i18n import Text, text_in

        wrong = Text(
            ja=f"SOURCE_DATE_EPOCH は秒数の整数にしてください（{value!r} になっています）",
            en=f"SOURCE_DATE_EPOCH must be a whole number of seconds, not {value!r}",
        )
        raise click.UsageError(text_in(wrong, current_lang())) from None


def read_source(source: Path | None, *, input_format, encoding, meta):
    from plan2rdf.read.reader import read_plan
    from plan2rdf.resources import bundled_plan

    plan = read_plan(
        source or bundled_plan(),
        format=input_format,
        encoding=encoding,
        metadata_path=meta,
    )
    report_problems(plan.warnings)
    return plan


def epoch_or_none() -> int | None:
    """SOURCE_DATE_EPOCH when set: the only timestamp a build writes (none otherwise)."""
    return source_date_epoch() if os.environ.get("SOURCE_DATE_EPOCH", "").strip() else None


def endpoint_options(command=None, *, timeout_help: str = "Seconds per HTTP request."):
    """Options shared by every command that talks to a SPARQL server (``@endpoint_options`` or
    ``@endpoint_options(timeout_help=…)`` where --timeout bounds more than one request)."""
    if command is None:
        return functools.partial(endpoint_options, timeout_help=timeout_help)
    command = click.option(
        "--insecure", is_flag=True, help="Do not verify HTTPS certificates (for a test server only)."
    )(command)
    command = click.option(
        "--timeout", type=click.FloatRange(min=0.1), default=60.0, show_default=True, help=timeout_help
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

    from plan2rdf.publish import Endpoint

    endpoint = Endpoint.from_url(url, layout=layout)
    if update or store:
        endpoint = replace(endpoint, update=update or endpoint.update, store=store or endpoint.store)
    return endpoint


def jobs_option(help_text: str):
    """``-j/--jobs N``: worker processes, the number of CPUs by default."""
    return click.option(
        "-j",
        "--jobs",
        type=click.IntRange(min=1),
        default=os.cpu_count() or 1,
        show_default="the number of CPUs",
        help=help_text,
    )


def engine_option(command):
    return click.option(
        "--engine",
        type=click.Choice(["rdflib", "oxigraph"]),
        default="rdflib",
        show_default=True,
        help="SPARQL engine: rdflib (embedded) or pyoxigraph (faster; pip install 'plan2rdf[oxigraph]').",
    )(command)


def build_settings(options: dict):
    """The BuildSettings of a command's options (graph_options, source_options and validation ones)."""
    from plan2rdf.pipeline import BuildSettings

    return BuildSettings(
        base_iri=options.get("base_iri"),
        license=options.get("license_iri") or BuildSettings.license,
        organizations=options.get("organizations"),
        themes=options.get("themes"),
        input_format=options.get("input_format"),
        encoding=options.get("encoding"),
        fail_on=options.get("fail_on") or "violation",
        validator=options.get("validator") or "auto",
        shapes=options.get("shapes_file"),
        epoch=epoch_or_none(),
        store=options.get("store"),
        compress=bool(options.get("compress")),
    )
