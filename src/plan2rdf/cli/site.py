"""plan2rdf site: the static publication site of one or more editions."""

from __future__ import annotations

from pathlib import Path

import click

from plan2rdf.cli.app import main
from plan2rdf.cli.options import (
    ONE_META,
    build_settings,
    current_lang,
    graph_options,
    handle_errors,
    lang_option,
    read_source,
    say,
    source_options,
    warn_default_base,
)
from plan2rdf.i18n import Text


@main.command()
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("site"),
    show_default=True,
    help="Directory to write the site into (replaced as a whole, never a directory that is not a site, "
    "never a site holding an edition not given here unless --replace).",
)
@click.option(
    "--replace",
    is_flag=True,
    help="Replace a site in --out even if it holds editions not given here (their pages disappear).",
)
@graph_options
@source_options
@lang_option
@handle_errors
def site(sources, out_dir, replace, meta, **options):
    """Render the editions' knowledge graph as one static site in --out.

    SOURCES are files, directories (searched for .txt, .xlsx and .csv plans) or globs, as for
    `build`; with none, the bundled plan. Every edition keeps its pages at its own IRIs; shared
    resources (departments, divisions, directions, themes, fiscal years) have one page listing
    their measures per edition, and a measure's page links to the same measure in the previous
    and next edition. One page per resource, at the path of its IRI under the base
    (``{path}.html``, with ``{path}.ttl`` and ``{path}.jsonld``), the home with the editions,
    charts, the query catalogue, the vocabulary and downloads, plus .htaccess and nginx.conf for
    content negotiation. Host the directory at the base IRI and every IRI dereferences.

    The site's marker file records the editions it holds: to add an edition, build the site
    again from every edition's source (a build that would drop one is refused, with the command
    to run). The site shows the graphs as built; run `plan2rdf build` to check them against the shapes.
    """
    from plan2rdf import pipeline
    from plan2rdf.corpus.build import expand_sources
    from plan2rdf.i18n import text_in
    from plan2rdf.problems import InputError, UsageProblem
    from plan2rdf.site import base_iri_problem

    settings = build_settings(options)
    problem = base_iri_problem(settings.base_iri) if settings.base_iri is not None else None
    if problem:
        raise click.BadParameter(text_in(problem, current_lang()), param_hint="--base-iri")
    paths = expand_sources(list(sources)) if sources else [None]
    if meta is not None and len(paths) > 1:
        raise UsageProblem(ONE_META)
    plans, problems = [], []
    for path in paths:  # every source read, so every unusable one is reported at once
        try:
            plans.append(read_source(path, input_format=settings.input_format, encoding=settings.encoding, meta=meta))
        except InputError as exc:
            problems += exc.problems
    if problems:
        raise InputError(problems)
    sources = [Path(p.source.path) for p in plans if p.source is not None]
    warn_default_base(pipeline.corpus_base_iri(sources, settings.base_iri), where=str(out_dir))
    report = pipeline.build_site(plans, out_dir=out_dir, settings=settings, replace=replace)
    for warning in report.warnings:
        say("warning: " + warning, err=True)
    kinds: dict[str, int] = {}
    for f in report.files:
        kinds[f.kind] = kinds.get(f.kind, 0) + 1
    say(
        Text(
            ja=f"{out_dir}: 版 {len(plans)} 件、リソース {report.resources} 件のページ {report.pages} 件、"
            f"ファイル {len(report.files)} 件、{report.size / 1e6:.1f} MB（{report.seconds:.1f} 秒）",
            en=f"{out_dir}: {len(plans)} edition{'s' if len(plans) != 1 else ''}, "
            f"{report.pages} pages for {report.resources} resources, {len(report.files)} files, "
            f"{report.size / 1e6:.1f} MB in {report.seconds:.1f} s",
        )
    )
    click.echo("  " + ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items())))
