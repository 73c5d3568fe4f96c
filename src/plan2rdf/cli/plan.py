"""The commands that read plans: parse, build, diff."""

from __future__ import annotations

import contextlib
import json
import sys
from pathlib import Path

import click

from plan2rdf import collector
from plan2rdf.cli.app import main
from plan2rdf.cli.options import (
    EXIT_NONCONFORMING,
    ONE_META,
    build_settings,
    current_lang,
    graph_options,
    handle_errors,
    jobs_option,
    lang_option,
    output_option,
    read_source,
    report_problems,
    say,
    source_date_epoch,
    source_options,
    warn_default_base,
)
from plan2rdf.i18n import Text
from plan2rdf.problems import UsageProblem


@main.command()
@click.argument("source", required=False, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "csv", "xlsx"]),
    default="json",
    show_default=True,
    help="json: the records with clean text and items; csv: the tabular form `parse` reads back, cells "
    "verbatim; xlsx: a clean sheet 「施策」 (one item per line, wrapped names joined) with the verbatim "
    "cells on 「原文」, read back as the same plan.",
)
@source_options
@output_option
@lang_option
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
            raise UsageProblem(
                Text(ja="--format xlsx には --output FILE が必要です", en="--format xlsx needs --output FILE")
            )
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


def print_validation(report, *, lang: str = "en", limit: int | None = None) -> None:
    from plan2rdf.validate import format_text

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
@jobs_option("Plans built and validated in parallel processes (corpus builds).")
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
    "auto: pyshacl-turbo where installed, else pySHACL.",
)
@click.option(
    "--store",
    type=click.Path(file_okay=False, path_type=Path),
    help="Also write an Oxigraph store of the data into this folder (pip install 'plan2rdf[oxigraph]'); "
    "`plan2rdf query NAME --store DIR` then answers without re-reading the files.",
)
@click.option(
    "--compress",
    is_flag=True,
    help="Corpus builds: write corpus.nq.gz and corpus.trig.gz (gzip, compressed in the workers) instead of "
    "corpus.nq and corpus.trig; validate, query --data, publish and serve read them as they are.",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary; problems are still reported.")
@source_options
@lang_option
@handle_errors
def build(sources, out_dir, corpus, jobs, quiet, meta, **options):
    """Build the knowledge graph of one or more plans and write it to --out.

    SOURCES are plan files (text export, CSV or XLSX), directories (searched recursively) or
    glob patterns; without any, the bundled plan. One plan gives Turtle, JSON-LD and N-Triples
    (isomorphic, byte-for-byte reproducible; SOURCE_DATE_EPOCH is honoured) and DCAT/VoID/PROV
    metadata. Several plans give one corpus: each plan in its own named graph of corpus.trig and
    corpus.nq, shared resources once, links between editions, and a DCAT catalogue.

    Every graph is validated with the shapes first; if any does not conform nothing is written
    and the exit code is 1. Unreadable sources exit with 2, all of them listed.
    """
    with collector.paused():  # from the settings (and rdflib's import) on; on again for a corpus build, which runs long
        settings, paths = _build_inputs(sources, meta, options)
        if not corpus and len(paths) == 1:
            _build_one(paths[0], out_dir, settings, meta=meta, quiet=quiet)
            return
    _build_corpus(paths, out_dir, settings, jobs=jobs, quiet=quiet)


def _build_inputs(sources, meta, options):
    """The settings and the sources of `build`, checked before any plan is read."""
    settings = build_settings(options)
    if sources:
        from plan2rdf.corpus.build import expand_sources

        paths = expand_sources(list(sources))
    else:
        paths = [None]  # the bundled plan: nothing to expand
    if meta is not None and len(paths) > 1:
        raise UsageProblem(ONE_META)
    from plan2rdf.validate import engine_available

    if settings.validator == "turbo" and not engine_available("turbo"):
        raise UsageProblem(
            Text(
                ja="pyshacl-turbo が入っていません: pip install 'plan2rdf[fast]'",
                en="pyshacl-turbo is not installed: pip install 'plan2rdf[fast]'",
            )
        )
    if settings.shapes is not None:
        from plan2rdf.validate import load_shapes

        load_shapes(settings.shapes)  # unreadable shapes: exit 2 now, not in every worker
    return settings, paths


def _build_one(source, out_dir, settings, *, meta, quiet):
    from plan2rdf.pipeline import build as build_plan

    plan = read_source(source, input_format=settings.input_format, encoding=settings.encoding, meta=meta)
    result = build_plan(plan, out_dir=out_dir, settings=settings)
    report_problems(result.warnings)
    warn_default_base(settings.for_plan(plan).base_iri, where=plan.source.path)
    if not result.written:
        print_validation(result.report, lang=current_lang())
        say(
            Text(
                ja=f"{plan.source.path}: グラフが形状に適合しません。何も書き出していません",
                en=f"{plan.source.path}: the graph does not conform; nothing was written",
            ),
            err=True,
        )
        sys.exit(EXIT_NONCONFORMING)
    if not quiet:
        say(
            Text(
                ja=f"{plan.source.path}: 施策 {len(plan.measures)} 件、トリプル {result.triples} 件",
                en=f"{plan.source.path}: {len(plan.measures)} measures, {result.triples} triples",
            )
        )
        for path in result.files:
            click.echo(f"  {path}")


def _build_corpus(paths, out_dir, settings, *, jobs, quiet):
    from plan2rdf.pipeline import build_corpus
    from plan2rdf.problems import InputError
    from plan2rdf.validate import Report, format_text

    if None in paths:
        from plan2rdf.resources import bundled_plan

        paths = [bundled_plan() if p is None else p for p in paths]
    show = not quiet and sys.stderr.isatty()
    with contextlib.ExitStack() as stack:
        bars = []

        def started(base: str) -> None:  # sidecars that disagree: exit 2 before this, and before any bar
            warn_default_base(base, where=str(paths[0]))
            bars.append(
                stack.enter_context(
                    click.progressbar(length=len(paths), label="building", file=sys.stderr, hidden=not show)
                )
            )

        result = build_corpus(
            paths, out_dir=out_dir, settings=settings, jobs=jobs, progress=lambda _: bars[0].update(1), on_base=started
        )
    report_problems(result.warnings)
    unreadable = [p for f in result.failures for p in f.problems if p.severity.value == "error"]
    for failure in result.failures:
        if failure.results and not failure.conforms:
            say(Text(ja=f"{failure.source}: 形状に適合しません", en=f"{failure.source}: does not conform"), err=True)
            text = format_text(Report(False, failure.results), lang=current_lang(), limit=50)
            click.echo(text, err=True, nl=False)
    if unreadable:
        raise InputError(unreadable)
    if result.failures:
        say(
            Text(
                ja=f"plan2rdf: {result.sources} 件中 {len(result.failures)} 件の計画が形状に適合しません。"
                "何も書き出していません",
                en=f"plan2rdf: {len(result.failures)} of {result.sources} plans do not conform; nothing was written",
            ),
            err=True,
        )
        sys.exit(EXIT_NONCONFORMING)
    if not quiet:
        say(
            Text(
                ja=f"計画 {result.plans} 件、施策 {result.measures} 件、トリプル {result.triples} 件",
                en=f"{result.plans} plans, {result.measures} measures, {result.triples} triples",
            )
        )
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
@lang_option
@handle_errors
def diff(old, new, fmt, encoding, input_format, output):
    """Compare two editions of a plan: entries added, removed, renamed, moved, re-flagged.

    OLD and NEW are plan sources (text export, CSV or XLSX). Entries are matched by name, then by
    programme and division, then by a similar name in the same department; their numbers are not
    used, since plans renumber every year. A renamed division is reported once, with its entries;
    （再掲） reposts added, removed or changed are reported too. Targets are compared in the plan's
    own words, item by item, with the values read from each item beside it.
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
