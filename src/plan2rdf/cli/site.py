"""plan2rdf site: the static publication site."""

from __future__ import annotations

from pathlib import Path

import click

from plan2rdf.cli.app import main
from plan2rdf.cli.options import (
    build_settings,
    graph_options,
    handle_errors,
    read_source,
    source_options,
)


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
def site(source, out_dir, meta, **options):
    """Render the plan's knowledge graph as a static site in --out.

    One page per resource, at the path of its IRI under the base (``{path}.html``, with its own
    description in ``{path}.ttl`` and ``{path}.jsonld``), the plan's home, charts, the query
    catalogue, the vocabulary and downloads, plus .htaccess and nginx.conf for content
    negotiation. Host the directory at the base IRI and every IRI dereferences. The site shows
    the graph as built; run `plan2rdf build` (or `validate`) to check it against the shapes.
    """
    from plan2rdf import pipeline
    from plan2rdf.site import base_iri_problem

    settings = build_settings(options)
    problem = base_iri_problem(settings.base_iri) if settings.base_iri is not None else None
    if problem:
        raise click.BadParameter(problem, param_hint="--base-iri")
    plan = read_source(source, input_format=settings.input_format, encoding=settings.encoding, meta=meta)
    report = pipeline.build_site(plan, out_dir=out_dir, settings=settings)
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
