"""Run SPARQL remotely: SELECT and ASK over the SPARQL 1.1 Protocol, answers as rdflib terms.

The terms compare with local results (``"x"^^xsd:string`` comes back as ``"x"``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from plan2rdf.i18n import Text
from plan2rdf.publish.client import Client, Row
from plan2rdf.publish.credentials import Credentials
from plan2rdf.publish.endpoint import Endpoint

MAX_ANSWER_BYTES = 256 * 1024 * 1024  # a query's answer; the bundled plan's whole graph is far smaller


def query(
    endpoint: Endpoint,
    sparql_text: str,
    *,
    timeout: float = 60,
    credentials: Credentials | None = None,
    retries: int = 3,
    backoff: float = 0.25,
    sleep: Callable[[float], None] = time.sleep,
    insecure: bool = False,
    default_graphs: Sequence[str] = (),
    max_bytes: int | None = MAX_ANSWER_BYTES,
) -> tuple[list[str], list[Row]]:
    """Run a SELECT (or ASK) query remotely: column names and rows of rdflib terms (None = unbound).

    ASK gives no columns and one empty row for true, no rows for false. ``default_graphs`` (the
    protocol's default-graph-uri) make the merge of those graphs the query's default graph.
    ``timeout`` bounds the whole answer (retries included), ``max_bytes`` its size: an endless or
    trickling answer is a PublishError, never a full memory or a hang.
    """
    client = Client(
        endpoint,
        credentials=credentials,
        timeout=timeout,
        retries=retries,
        backoff=backoff,
        sleep=sleep,
        insecure=insecure,
        max_bytes=max_bytes,
        total_timeout=timeout,
    )
    return client.select(sparql_text, what=Text(ja="問い合わせています", en="querying"), default_graphs=default_graphs)


NAMED_GRAPHS_QUERY = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY STR(?g) LIMIT %d"


def named_graphs(endpoint: Endpoint, *, limit: int = 5, timeout: float = 60, insecure: bool = False) -> list[str]:
    """Up to ``limit`` names of the store's non-empty named graphs (sorted), for hints."""
    _columns, rows = query(endpoint, NAMED_GRAPHS_QUERY % limit, timeout=timeout, insecure=insecure, retries=0)
    return [str(row[0]) for row in rows if row and row[0] is not None]
