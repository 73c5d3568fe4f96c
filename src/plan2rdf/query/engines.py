"""Engines: run SPARQL text with bindings on rdflib, pyoxigraph or a remote endpoint, alike.

An *engine* is a function from (query text, bindings) to a :class:`Result` (column names and rows
of rdflib terms, ``None`` for unbound). Two are built in: :func:`rdflib_engine` (embedded, the
default) and :func:`oxigraph_engine` (the optional ``oxigraph`` extra); :func:`remote_engine` is one
more function of the same shape over a SPARQL 1.1 endpoint. rdflib gets the bindings as
initBindings, the others as a VALUES row (:func:`plan2rdf.query.bindings.inline_bindings`).
Results are made deterministic and comparable across engines: numbers come back in their
canonical form.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from plan2rdf.i18n import Text
from plan2rdf.problems import InputError, Problem
from plan2rdf.query.bindings import Bindings, bind, inline_bindings
from plan2rdf.query.check import with_prefixes
from plan2rdf.query.data import data_files, load_oxigraph, load_rdflib
from plan2rdf.query.oxigraph import EngineMissing, require_oxigraph
from plan2rdf.query.parameters import XSD
from plan2rdf.query.queryfile import CannedQuery
from plan2rdf.query.sparqltext import service_line

ONLY_SELECT = Text(ja="SELECT のクエリーしか扱えません", en="only SELECT queries are supported")

if TYPE_CHECKING:
    from rdflib.term import Node

ENGINES = ("rdflib", "oxigraph")


@dataclass
class Result:
    """What a query answers: column names and rows of rdflib terms (None where unbound)."""

    columns: list[str]
    rows: list[tuple[Node | None, ...]] = field(default_factory=list)


Engine = Callable[[str, Bindings], Result]


def canonical(term: Node | None) -> Node | None:
    """Numbers and booleans in their canonical lexical form, so engines agree ("27.60" → "27.6")."""
    from decimal import Decimal, InvalidOperation

    from rdflib import Literal, URIRef

    if not isinstance(term, Literal) or term.datatype is None:
        return term
    dt = str(term.datatype)
    lexical = str(term)
    try:
        if dt in (XSD + "integer", XSD + "long", XSD + "int", XSD + "nonNegativeInteger", XSD + "positiveInteger"):
            return Literal(str(int(lexical)), datatype=term.datatype)
        if dt == XSD + "decimal":
            value = Decimal(lexical)
            text = str(int(value)) if value == value.to_integral_value() else format(value.normalize(), "f")
            return Literal(text, datatype=URIRef(dt))
        if dt == XSD + "boolean":
            return Literal("true" if lexical.strip() in ("true", "1") else "false", datatype=URIRef(dt))
    except (ValueError, InvalidOperation):
        return term
    return term


def rdflib_engine(graph: Any) -> Engine:
    """Queries an rdflib Graph or Dataset; bindings as initBindings."""

    def run(text: str, bindings: Bindings) -> Result:
        result = graph.query(text, initBindings=dict(bindings))
        if result.type != "SELECT":
            raise InputError([Problem("<query>", ONLY_SELECT)])
        columns = [str(v) for v in result.vars]
        rows = [tuple(canonical(row[i]) for i in range(len(columns))) for row in result]
        return Result(columns, rows)

    return run


def remote_engine(
    endpoint: Any,
    *,
    timeout: float = 60,
    insecure: bool = False,
    graphs: Sequence[str] = (),
    max_bytes: int | None = None,
) -> Engine:
    """Queries a SPARQL 1.1 endpoint (publish.Endpoint); parameters inlined as a VALUES row.

    ``graphs`` are sent as the protocol's default-graph-uri: the query then sees their merge, as a
    local query sees the union of the files it is given. ``timeout`` bounds the whole answer and
    ``max_bytes`` its size (None: the publish package's default).
    """

    def run(text: str, bindings: Bindings) -> Result:
        from plan2rdf.publish import query as remote_query
        from plan2rdf.publish.remote import MAX_ANSWER_BYTES

        columns, rows = remote_query(
            endpoint,
            inline_bindings(text, bindings) if bindings else text,
            timeout=timeout,
            insecure=insecure,
            default_graphs=tuple(graphs),
            max_bytes=max_bytes or MAX_ANSWER_BYTES,
        )
        return Result(list(columns), [tuple(canonical(term) for term in row) for row in rows])

    return run


def _from_oxigraph(term: Any) -> Node | None:
    from rdflib import BNode, Literal, URIRef

    ox = require_oxigraph()
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == XSD + "string":
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise TypeError(f"unsupported term {term!r}")


def oxigraph_engine(store: Any) -> Engine:
    """Queries a pyoxigraph Store; bindings as a VALUES row (see :func:`inline_bindings`)."""
    ox = require_oxigraph()

    def run(text: str, bindings: Bindings) -> Result:
        solutions = store.query(inline_bindings(text, bindings), use_default_graph_as_union=True)
        if not isinstance(solutions, ox.QuerySolutions):
            raise InputError([Problem("<query>", ONLY_SELECT)])
        columns = [v.value for v in solutions.variables]
        # Each distinct term converted once: results repeat a few terms (departments, editions) over
        # thousands of rows, and one shared object per term also pickles once back from the worker.
        converted: dict[Any, Node | None] = {None: None}

        def term(value: Any) -> Node | None:
            found = converted.get(value, converted)
            if found is converted:
                found = converted[value] = canonical(_from_oxigraph(value))
            return found

        rows = [tuple(map(term, solution)) for solution in solutions]
        return Result(columns, rows)

    return run


def make_engine(name: str = "rdflib", data: Sequence[Path] = (), graph: Callable[[], Any] | None = None) -> Engine:
    """An engine over the given files or, when none are given, over the graph that ``graph()``
    makes (the caller's: query takes graphs as data and never builds one itself)."""
    if name not in ENGINES:
        raise ValueError(f"unknown engine {name!r}")
    if not data and graph is None:
        raise ValueError("make_engine needs data files or a graph")
    files = data_files(data) if data else []
    if name == "oxigraph":
        require_oxigraph()  # fail early, before building anything
        return oxigraph_engine(load_oxigraph(files) if files else load_oxigraph(graph=graph()))
    return rdflib_engine(load_rdflib(files) if files else graph())


def refuse_service(query: CannedQuery) -> None:
    """InputError when the query holds SERVICE: a local engine would fetch from whatever URL it
    names (both rdflib and pyoxigraph do), which a local query must never do unasked."""
    line = service_line(query.text)
    if line is not None:
        raise InputError(
            [
                Problem(
                    str(query.path),
                    Text(
                        ja="SERVICE は使えません。手元のクエリーは手元のデータだけから答えるもので、"
                        "SERVICE があるとネットワークから取りに行くことになります",
                        en="SERVICE is refused: a local query answers from the local data only, "
                        "and SERVICE would make it fetch from the network",
                    ),
                    line=line,
                    hint=Text(
                        ja="--endpoint URL でストアに対して実行するか、クエリーとそこに書かれたすべての URL を"
                        "信頼できるなら --allow-service で許可してください",
                        en="run it on the store with --endpoint URL, or, if you trust the query and every "
                        "URL it names, allow it with --allow-service",
                    ),
                )
            ]
        )


def run(query: CannedQuery, engine: Engine, params: Mapping[str, str] | None = None) -> Result:
    """Run a query with its parameters (given, else defaults) bound as RDF terms."""
    bindings = bind(query, params or {})
    try:
        # the project's prefixes need no PREFIX declaration, on every engine (local or remote)
        return engine(with_prefixes(query.text)[0], bindings)
    except (InputError, EngineMissing):
        raise
    except Exception as exc:  # an engine's evaluation error: name the query, no traceback
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        failed = Text(ja=f"クエリーが失敗しました: {message}", en=f"the query failed: {message}")
        raise InputError([Problem(str(query.path), failed)]) from exc
