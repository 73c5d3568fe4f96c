"""The query worker: a child process holding its own copy of the store, answering one query at a time.

pyoxigraph cannot interrupt a running query, so each query runs in a worker process that the server
kills when the query's time is up (see :mod:`plan2rdf.serve.pool`). A worker reads the data once,
as N-Quads bytes, then answers :class:`Ask` messages over its stdin and stdout with plain tuples that
pickle cheaply: terms as ``("uri", iri)``, ``("bnode", id)`` or ``("literal", text, lang, datatype)``.
Only pyoxigraph is imported here, so a worker starts quickly.
"""

from __future__ import annotations

import os
import pickle
import struct
import sys
from dataclasses import dataclass, field
from typing import Any

Term = tuple[str, ...]


@dataclass
class Answer:
    """What a worker answers: a table (``kind`` "select"), a boolean ("ask"), N-Triples ("graph"),
    or an error ("error": the query is bad, as the engine says; "too-big": more than the cap of
    ``message``, "rows" or "triples")."""

    kind: str
    columns: list[str] = field(default_factory=list)
    rows: list[tuple[Term | None, ...]] = field(default_factory=list)
    boolean: bool = False
    ntriples: str = ""
    message: str = ""


@dataclass(frozen=True)
class Ask:
    """One query for a worker: the text, the dataset it names, and the cap on the answer's size."""

    text: str
    max_rows: int
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


def term_tuple(term: Any) -> Term | None:
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return ("uri", term.value)
    if isinstance(term, ox.BlankNode):
        return ("bnode", term.value)
    if isinstance(term, ox.Literal):
        return ("literal", term.value, term.language or "", term.datatype.value)
    return ("literal", str(term), "", "")  # an RDF-star triple: shown as text


def answer(store: Any, ask: Ask) -> Answer:
    """Run one query on the store; never raises (a failure is an Answer of kind "error")."""
    import pyoxigraph as ox

    options: dict[str, Any] = {}
    if ask.default_graphs:
        options["default_graph"] = [ox.NamedNode(g) for g in ask.default_graphs]
    else:
        options["use_default_graph_as_union"] = True
    if ask.named_graphs:
        options["named_graphs"] = [ox.NamedNode(g) for g in ask.named_graphs]
    try:
        result = store.query(ask.text, **options)
        if isinstance(result, ox.QueryBoolean):
            return Answer("ask", boolean=bool(result))
        if isinstance(result, ox.QuerySolutions):
            columns = [v.value for v in result.variables]
            rows = []
            for solution in result:
                if len(rows) == ask.max_rows:
                    return Answer("too-big", message="rows")
                rows.append(tuple(term_tuple(solution[c]) for c in columns))
            return Answer("select", columns=columns, rows=rows)
        triples = []
        for triple in result:
            if len(triples) == ask.max_rows:
                return Answer("too-big", message="triples")
            triples.append(f"{triple.subject} {triple.predicate} {triple.object} .\n")
        return Answer("graph", ntriples="".join(triples))
    except SyntaxError as exc:
        return Answer("error", message=str(exc))
    except Exception as exc:  # an evaluation error of the engine: the message is the answer
        return Answer("error", message=str(exc).splitlines()[0] if str(exc) else type(exc).__name__)


def send(stream: Any, message: Any) -> None:
    """One message on a pipe: its length (8 bytes, big-endian) and its pickle."""
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(struct.pack("!Q", len(data)) + data)
    stream.flush()


def receive(stream: Any) -> Any:
    """The next message on a pipe; EOFError when the other side has gone."""
    head = stream.read(8)
    if len(head) < 8:
        raise EOFError
    (size,) = struct.unpack("!Q", head)
    data = stream.read(size)
    if len(data) < size:
        raise EOFError
    return pickle.loads(data)


def main() -> None:
    """A worker's life (``python -c "from plan2rdf.serve.worker import main; main()"``): read the
    data (the first message, N-Quads bytes), say "ready", then answer every Ask until stdin closes.
    The protocol owns stdout; anything else the process prints goes to stderr."""
    import pyoxigraph as ox

    requests, answers = sys.stdin.buffer, os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    store = ox.Store()
    nquads = receive(requests)
    if nquads:
        store.bulk_load(nquads, ox.RdfFormat.N_QUADS)
    send(answers, "ready")
    while True:
        try:
            ask = receive(requests)
        except (EOFError, OSError):
            return
        send(answers, answer(store, ask))
