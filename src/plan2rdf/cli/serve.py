"""plan2rdf serve: the site, a SPARQL endpoint and the canned queries, live on one port."""

from __future__ import annotations

from pathlib import Path

import click

from plan2rdf.cli.app import main
from plan2rdf.cli.options import build_settings, check_base_iri, current_lang, handle_errors, lang_option, say
from plan2rdf.i18n import Text


@main.command()
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (loopback: only this machine; 0.0.0.0 or :: to serve others).")  # fmt: skip
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port to listen on.")
@click.option("--base-iri", metavar="IRI", callback=check_base_iri,
              help="Base of the graph's IRIs (plan sources: as for build; RDF: "
              "default from the plan's IRI, {base}{series}/{edition}).")  # fmt: skip
@click.option("--timeout", type=click.FloatRange(0.1, 3600), default=10.0, show_default=True,
              help="Seconds a query may run; a longer one is stopped (its worker killed), answered 503.")  # fmt: skip
@click.option("--max-rows", type=click.IntRange(1), default=10000, show_default=True,
              help="Most rows (or triples) a query may answer; more is an error asking for LIMIT/OFFSET.")  # fmt: skip
@click.option("--max-concurrent", type=click.IntRange(1, 64), default=2, show_default=True,
              help="Queries run at once (one worker process each, each with a copy of the data).")  # fmt: skip
@lang_option
@handle_errors
def serve(sources, host, port, base_iri, timeout, max_rows, max_concurrent):
    """Serve plans live: the site, a read-only SPARQL endpoint and the canned queries.

    SOURCES are plan files (text export, CSV, XLSX), directories of them (a corpus), or RDF files
    and directories (a build's output); without any, the bundled plan. On http://HOST:PORT/ :
    the site's pages at their IRIs' paths (text/html, text/turtle, application/ld+json or
    application/n-triples by Accept; .ttl and .jsonld suffixes), /sparql (SPARQL 1.1 Protocol,
    GET and POST; JSON, XML, CSV, TSV), /queries/NAME (a canned query with a form for its
    parameters; ?PARAM=VALUE&format=csv|json for the rows) and /editor. Read-only: updates and
    SERVICE are refused. Needs pip install 'plan2rdf[serve]'.
    """
    from plan2rdf.serve import prepare, require_web_stack, run

    require_web_stack()
    from plan2rdf.serve.context import Limits

    settings = build_settings({"base_iri": base_iri})
    limits = Limits(timeout=timeout, max_rows=max_rows, max_concurrent=max_concurrent)
    context = prepare(list(sources), settings=settings, limits=limits, lang=current_lang())
    for warning in context.served.warnings:
        say("warning: " + warning, err=True)
    shown = f"[{host}]" if ":" in host else host

    def started() -> None:
        say(
            Text(
                ja=f"計画 {len(context.served.plans)} 件、トリプル {context.served.triples} 件、サイトのファイル "
                f"{len(context.served.site)} 件を http://{shown}:{port}/ で配信中（SPARQL: /sparql）。Ctrl-C "
                "で止まります",
                en=f"serving {len(context.served.plans)} plan(s), {context.served.triples} triples, "
                f"{len(context.served.site)} site files on http://{shown}:{port}/ (SPARQL: /sparql); Ctrl-C to stop",
            ),
            err=True,
        )

    run(context, host=host, port=port, started=started)
