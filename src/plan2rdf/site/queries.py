"""The query catalogue pages: every canned query run on the graph, through the query package's
public API, and the result cells that are resources of the site labelled as such."""

from __future__ import annotations

from dataclasses import replace

from rdflib import Graph, URIRef

from plan2rdf.i18n import Text
from plan2rdf.problems import InputError
from plan2rdf.site.index import Index
from plan2rdf.site.models import Label, QueryTable, Value


def _no_catalogue(exc: Exception) -> Text:
    return Text(ja=f"クエリーの一覧が使えません: {exc}", en=f"the query catalogue is not available: {exc}")


def query_tables(graph: Graph) -> tuple[list[QueryTable], list[Text]]:
    """Every canned query run on the graph, through plan2rdf.query's public API.

    A query that fails is shown with its error (and reported as a warning) rather than dropped.
    """
    try:
        from plan2rdf.query import EngineMissing, bind, cell, load_oxigraph, oxigraph_engine, rdflib_engine, run
        from plan2rdf.query.catalogue import load_catalogue
    except ImportError as exc:  # the catalogue is optional for the site
        return [], [_no_catalogue(exc)]
    try:
        catalogue = load_catalogue(check=None)  # syntax is checked by the query tests; rdflib parses once here
    except InputError as exc:
        return [], [p.formatted() for p in exc.problems]
    except FileNotFoundError as exc:
        return [], [_no_catalogue(exc)]
    # pyoxigraph (the optional extra) runs the catalogue in ~0.2 s; rdflib takes ~9 s on the bundled
    # plan. Both engines return the same rows (the query tests check that).
    try:
        engine = oxigraph_engine(load_oxigraph(graph=graph))
    except EngineMissing:
        engine = rdflib_engine(graph)
    tables: list[QueryTable] = []
    warnings: list[Text] = []
    for q in catalogue:
        params = tuple((p.name, p.default or "", p.meaning) for p in q.parameters)
        header: tuple[str, ...] = ()
        rows: tuple[tuple[Value, ...], ...] = ()
        error = None
        try:
            bind(q, {})
            result = run(q, engine)
            header = tuple(result.columns)
            rows = tuple(
                tuple(
                    Value(cell(t), iri=str(t) if isinstance(t, URIRef) else None, lang=getattr(t, "language", None))
                    for t in r
                )
                for r in result.rows
            )
        except Exception as exc:  # rdflib raises many kinds of errors; the page says which
            error = f"{type(exc).__name__}: {exc}".splitlines()[0]
            warnings.append(
                Text(
                    ja=f"{q.path.name}: サイトのグラフでクエリーが失敗しました: {error}",
                    en=f"{q.path.name}: the query failed on the site's graph: {error}",
                )
            )
        tables.append(
            QueryTable(
                name=q.name,
                title=Label(q.title_ja or q.name, q.title_en or None),
                description=q.description,
                tags=tuple(q.tags),
                sparql=q.body,
                file=q.path.name,
                parameters=params,
                columns=tuple((c.name, c.meaning) for c in q.columns),
                header=header,
                rows=rows,
                error=error,
            )
        )
    return tables, warnings


def labelled(table: QueryTable, ix: Index) -> QueryTable:
    """Result cells that are IRIs of the graph show the resource's label (and link to its page)."""

    def label(v: Value) -> Value:
        if v.iri is None or URIRef(v.iri) not in ix.out:
            return v
        return replace(v, text=ix.label(URIRef(v.iri)).ja)

    return replace(table, rows=tuple(tuple(label(v) for v in row) for row in table.rows))
