"""Run SPARQL remotely: SELECT and ASK over the SPARQL 1.1 Protocol, answers as rdflib terms.

The terms compare with local results (``"x"^^xsd:string`` comes back as ``"x"``).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from plan2rdf.publish.client import Client, Row
from plan2rdf.publish.credentials import Credentials
from plan2rdf.publish.endpoint import Endpoint


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
) -> tuple[list[str], list[Row]]:
    """Run a SELECT (or ASK) query remotely: column names and rows of rdflib terms (None = unbound).

    ASK gives no columns and one empty row for true, no rows for false.
    """
    client = Client(
        endpoint,
        credentials=credentials,
        timeout=timeout,
        retries=retries,
        backoff=backoff,
        sleep=sleep,
        insecure=insecure,
    )
    return client.select(sparql_text, what="querying")
