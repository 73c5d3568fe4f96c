"""plan2rdf publish: upload to a SPARQL store."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

import click

from plan2rdf.cli.app import main
from plan2rdf.cli.options import (
    EXIT_BAD_INPUT,
    endpoint_options,
    formats_in_help,
    handle_errors,
    lang_option,
    make_endpoint,
    read_source,
    say,
)
from plan2rdf.i18n import Text


@main.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option("--endpoint", metavar="URL", required=True, help="The SPARQL server, e.g. http://localhost:7878.")
@click.option(
    "--graph",
    "graph_iri",
    metavar="IRI",
    help="The named graph to load triples into (default: the default graph); the named graphs of "
    "the input keep their own names.",
)
@click.option(
    "--meta-graph",
    metavar="IRI",
    help="With a build directory: the graph for its DCAT/VoID metadata (default: the IRI of the "
    "catalogue, or of the dataset, that the metadata describes).",
)
@click.option(
    "--replace/--append",
    default=True,
    show_default=True,
    help="Replace each graph's content atomically, or add to it.",
)
@click.option(
    "--chunk-triples",
    type=click.IntRange(min=1),
    default=50_000,
    show_default=True,
    help="Triples per upload request.",
)
@endpoint_options
@lang_option
@handle_errors
@formats_in_help
def publish(files, endpoint, graph_iri, meta_graph, replace, chunk_triples, layout, update_endpoint, store_endpoint,
            timeout, insecure):  # fmt: skip
    """Upload RDF to a SPARQL store over the Graph Store Protocol, then verify each graph.

    FILES are {rdf_formats} files (gzipped too), or the --out directory of `plan2rdf build`; without
    FILE, the bundled plan's graph. Triples go to --graph; each named graph of {quad_formats} (a
    corpus build's corpus.nq) goes to the graph of its own name. A build directory sends its data
    (a single build's .nt, a corpus's corpus.nq) and puts its DCAT/VoID metadata (.meta.ttl,
    catalog.ttl) in a graph of its own (--meta-graph). Each graph is verified by counting its
    triples. --replace loads each graph into a temporary graph and moves it into place, so a failed
    upload never leaves a graph half-replaced or empty. Credentials come from PLAN2RDF_USER and
    PLAN2RDF_PASSWORD, PLAN2RDF_TOKEN or ~/.netrc (user:password@ in the URL works too, but stays
    in your shell history); they never appear in messages.
    """
    import tempfile

    from plan2rdf.publish import publish_all

    target = make_endpoint(endpoint, layout, update_endpoint, store_endpoint)
    with tempfile.TemporaryDirectory(prefix="plan2rdf-publish-") as tmp:
        if not files:
            from plan2rdf.pipeline import graph_of
            from plan2rdf.rdfio.writers import ntriples

            plan = read_source(None, input_format=None, encoding=None, meta=None)
            data = Path(tmp) / "plan.nt"
            data.write_text(ntriples(graph_of(plan).graph), encoding="utf-8")
            files = (data,)
        with _terminate_as_interrupt():  # SIGTERM cleans up as Ctrl-C does: no temporary graph left
            reports = publish_all(
                list(files),
                graph=graph_iri,
                meta_graph=meta_graph,
                endpoint=target,
                mode="replace" if replace else "append",
                chunk_triples=chunk_triples,
                timeout=timeout,
                insecure=insecure,
            )
    for report in reports:
        _report(report)
    if not all(report.verified for report in reports):
        sys.exit(EXIT_BAD_INPUT)


@contextlib.contextmanager
def _terminate_as_interrupt():
    """While publishing, SIGTERM raises KeyboardInterrupt (as SIGINT does), so the temporary graph is
    dropped; outside the main thread (no signal handlers there) nothing changes."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum, frame):
        raise KeyboardInterrupt(signal.Signals(signum).name)

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _report(report) -> None:
    """One line of what was done, and what the count check saw when it did not simply match."""
    from plan2rdf.publish.errors import DEFAULT_GRAPH

    where = Text(f"<{report.graph}>", f"<{report.graph}>") if report.graph else DEFAULT_GRAPH
    for stale in report.stale_dropped:
        say(
            Text(
                ja=f"plan2rdf: 注意: 中断した公開が残した一時グラフ <{stale}> を削除しました",
                en=f"plan2rdf: note: dropped <{stale}>, a temporary graph an interrupted publish left",
            ),
            err=True,
        )
    sent = f"{report.triples_sent} triples sent in {report.chunks} chunk(s), {report.triples_in_graph} in the graph"
    sent_ja = (
        f"トリプル {report.triples_sent} 件をチャンク {report.chunks} 個で送り、グラフには {report.triples_in_graph} 件"
    )
    verb = Text(ja="置き換え", en="replaced") if report.mode == "replace" else Text(ja="追加", en="appended to")
    say(
        Text(
            ja=f"{where.ja}を{verb.ja}: {sent_ja}（{report.seconds:.1f} 秒）",
            en=f"{verb.en} {where.en}: {sent} ({report.seconds:.1f} s)",
        )
    )
    if report.default_graph_is_union:
        say(_union_note(report), err=True)
    elif not report.verified and report.content_differences:
        for line in report.content_differences:
            say(
                Text(
                    ja="plan2rdf: グラフが送ったものと違います: ", en="plan2rdf: the graph differs from what was sent: "
                )
                + line,
                err=True,
            )
    elif not report.verified:
        say(_count_mismatch(report, where), err=True)


def _union_note(report) -> Text:
    named = report.named_graph_triples
    return Text(
        ja=f"plan2rdf: 注意: 既定のグラフは {report.triples_in_graph} 件、ストアの名前付きグラフはそのうち {named} 件と"
        "答えました。既定のグラフがすべてのグラフの和になっている（`oxigraph serve --union-default-graph` など）"
        "ためで、名前付きグラフを除けば件数は合っています。既定のグラフへの問い合わせにはすべてのグラフが見えます。"
        "版を分けておくには名前付きグラフ（--graph IRI）に公開してください。",
        en=f"plan2rdf: note: the default graph answered {report.triples_in_graph} triples, the store's named graphs "
        f"{named} of them: its default graph is the union of all graphs (e.g. `oxigraph serve "
        "--union-default-graph`), and without the named graphs the count is right. Queries of the default "
        "graph see every graph; publish to a named graph (--graph IRI) to keep editions apart.",
    )


def _count_mismatch(report, where: Text) -> Text:
    named = report.named_graph_triples
    seen = f"the server counts {report.triples_in_graph} triples in {where.en} where {report.triples_sent} were sent"
    seen_ja = f"送ったのは {report.triples_sent} 件"
    if report.mode == "append":
        seen += f" to the {report.triples_before} there before"
        seen_ja += f"（前からあった {report.triples_before} 件に追加）"
    seen_ja += f"ですが、サーバーは{where.ja}に {report.triples_in_graph} 件あると数えています"
    if named:
        seen += (
            f"; its named graphs hold {named} triples, which do not account for the difference either "
            "(a default graph that merges the named graphs without their duplicates?)"
        )
        seen_ja += (
            f"。名前付きグラフには {named} 件あり、それでも差の説明がつきません"
            "（名前付きグラフを重複なしで合わせた既定のグラフ？）"
        )
    return Text(
        ja=f"plan2rdf: エラー: {seen_ja}。確かめるには --graph IRI で名前付きグラフに公開してください",
        en=f"plan2rdf: error: {seen}; publish to a named graph with --graph IRI to verify it",
    )
