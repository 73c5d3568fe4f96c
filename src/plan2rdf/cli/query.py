"""plan2rdf queries and query: the canned SPARQL catalogue."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import click

from plan2rdf.cli.app import main
from plan2rdf.cli.options import (
    endpoint_options,
    engine_option,
    handle_errors,
    lang_option,
    make_endpoint,
    output_option,
    say,
)
from plan2rdf.i18n import Text
from plan2rdf.rdfio import formats as rdf_formats

QUERY_TIMEOUT_HELP = (
    "Seconds the whole query may take: locally, reading the data and evaluating (in a worker process, "
    "stopped at the deadline); with --endpoint, the whole answer. Exceeded: exit 2."
)

MAX_BYTES = 256 * 1024 * 1024  # as publish.remote.MAX_ANSWER_BYTES; not imported, to keep --help instant


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
@engine_option
@output_option
@lang_option
@handle_errors
def queries(markdown, fmt, engine, output):
    """List the canned SPARQL queries: name, Japanese and English title, parameters.

    Every query in sparql/ is checked with the engine's parser first; a broken one is an error
    (file and line), never left out. Run one with `plan2rdf query NAME`. With --markdown, the
    catalogue as documentation (docs/queries.md), with a sample result on the bundled plan.
    """
    from plan2rdf import atomic, pipeline
    from plan2rdf.query import catalogue_listing, catalogue_markdown, format_text_table, make_engine
    from plan2rdf.query.catalogue import load_catalogue

    catalogue = load_catalogue(check=engine)
    if markdown:
        text = catalogue_markdown(catalogue, make_engine(engine, graph=pipeline.bundled_graph))
    elif fmt == "json":
        text = json.dumps(catalogue_listing(catalogue), ensure_ascii=False, indent=2) + "\n"
    else:
        rows = [
            [
                q["name"],
                q["title_ja"],
                q["title_en"],
                ", ".join(
                    f"{p['name']}={p['default']} ({p['type']})"
                    if p["default"] is not None
                    else f"{p['name']} ({p['type']}{'' if p['required'] else ', optional'})"
                    for p in q["parameters"]
                ),
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
    help=f"RDF to query ({rdf_formats.describe()}, gzipped too; a directory: all of them). "
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
@click.option(
    "--store",
    type=click.Path(file_okay=False, path_type=Path),
    help="Run the query on the Oxigraph store `plan2rdf build --store DIR` wrote (no files re-read).",
)
@click.option(
    "--graph",
    "graphs",
    multiple=True,
    metavar="IRI",
    help="With --endpoint: query this named graph (the SPARQL 1.1 Protocol's default-graph-uri; repeatable: "
    "the query sees their merge, e.g. every graph of a published corpus). Default: the store's default graph.",
)
@click.option(
    "--max-bytes",
    type=click.IntRange(min=1),
    default=MAX_BYTES,
    show_default="256 MiB",
    help="With --endpoint: the largest answer read; a bigger one stops the query (exit 2) before it fills the memory.",
)
@click.option(
    "--allow-service",
    is_flag=True,
    help="Let a local query (--data, --store or the bundled plan) run SERVICE clauses. RISK: the engine then "
    "fetches from every URL the query names (any host your machine reaches, intranet included) and mixes the "
    "answers into the results; use it only for a query you have read and trust. Refused by default (exit 2).",
)
@engine_option
@endpoint_options(timeout_help=QUERY_TIMEOUT_HELP)
@output_option
@lang_option
@handle_errors
def query(name, data, params, fmt, engine, endpoint, store, graphs, max_bytes, allow_service, layout, update_endpoint,
          store_endpoint, timeout, insecure, output):  # fmt: skip
    """Run a canned query (by NAME, see `plan2rdf queries`) or your own FILE.rq.

    Parameters are bound as RDF terms, never pasted into the query. A query that does not parse
    is an error with its file and line (exit code 2). With --endpoint the query runs on a SPARQL
    server over the SPARQL 1.1 Protocol and returns the same rows as it does locally.
    """
    from plan2rdf import atomic
    from plan2rdf.query import bind, format_result, local_run, refuse_service, remote_engine, resolve, run, run_within
    from plan2rdf.query.oxigraph import require_oxigraph

    values: dict[str, str] = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"{item!r} is not NAME=VALUE", param_hint="--param")
        if key in values:
            raise click.BadParameter(f"{key} is given twice", param_hint="--param")
        values[key] = value
    if sum(bool(x) for x in (endpoint, data, store)) > 1:
        raise click.UsageError("--data, --store and --endpoint exclude each other: each names where the data is")
    if graphs and not endpoint:
        raise click.UsageError("--graph names graphs of a SPARQL store: give --endpoint URL too")
    if store:
        require_oxigraph(store=True)  # before resolve() checks the query with Oxigraph's parser
    # a store is always queried by Oxigraph, so its parser checks the query (and rdflib's is not loaded)
    canned = resolve(name, engine="oxigraph" if store else engine)
    bind(canned, values)  # check the parameters before building or loading any graph
    if not endpoint and not allow_service:
        refuse_service(canned)  # no network unless asked: only the endpoint the user names
    if endpoint:
        target = make_endpoint(endpoint, layout, update_endpoint, store_endpoint)
        chosen = remote_engine(target, timeout=timeout, insecure=insecure, graphs=graphs, max_bytes=max_bytes)
        result = run(canned, chosen, values)
    else:  # reading and evaluating, in a worker killed at the deadline: engines cannot be interrupted
        if engine == "oxigraph" and not store:
            require_oxigraph()  # said before a worker starts
        task = functools.partial(
            local_run, canned, values, engine=engine, data=tuple(Path(d) for d in data),
            graph=None if data or store else _bundled_graph(), store=store,
        )  # fmt: skip
        result = run_within(task, timeout)
    text = format_result(result, fmt)
    if output is None:
        click.echo(text, nl=False)
    else:
        atomic.write_text(output, text)
    if endpoint and not result.rows:
        hint = _empty_answer_hint(target, graphs, timeout=timeout, insecure=insecure)
        if hint:
            say(Text(ja="plan2rdf: ヒント: ", en="plan2rdf: hint: ") + hint, err=True)


def _bundled_graph():
    """The function building the bundled plan's graph (the pipeline is imported only when needed)."""
    from plan2rdf import pipeline

    return pipeline.bundled_graph


def _empty_answer_hint(target, graphs: tuple[str, ...], *, timeout: float, insecure: bool) -> Text | None:
    """Why an endpoint may have answered no rows: the data sits in named graphs the query did not see."""
    from plan2rdf.publish import PublishError, named_graphs

    try:
        found = named_graphs(target, limit=6, timeout=timeout, insecure=insecure)
    except PublishError:  # a hint only: the answer itself stands
        return None
    found = [g for g in found if g not in graphs]
    if not found:
        return None
    listed = ", ".join(f"<{g}>" for g in found[:5]) + (", …" if len(found) > 5 else "")
    if graphs:
        return Text(
            ja=f"指定したグラフからは行が返りませんでした。ストアにはほかに {listed} があります。--graph の IRI "
            "を確かめてください",
            en=f"no rows from the graphs named; the store also holds {listed}: check the --graph IRIs",
        )
    return Text(
        ja=f"ストアの既定のグラフからは行が返りませんでしたが、名前付きグラフ（{listed}）があります。"
        "--graph IRI で問い合わせるグラフを指定してください（繰り返し可）",
        en=f"no rows from the store's default graph, but it holds named graphs ({listed}): "
        "name the graph to query with --graph IRI (repeatable)",
    )
