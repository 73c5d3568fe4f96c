"""What the endpoint refuses before a query reaches a worker: updates and SERVICE.

Both are found with the query package's SPARQL lexer, so keywords inside strings, IRIs, comments
and prefixed names (``ex:service``) do not count.
"""

from __future__ import annotations

from plan2rdf.query.sparqltext import is_update, service_line


class Refused(Exception):
    """A request the endpoint does not run; ``status`` is the HTTP status to answer with."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def check_query(text: str) -> None:
    """Refused (403 for an update, 400 for SERVICE or an empty query) unless the endpoint runs it."""
    if not text.strip():
        raise Refused(400, "the query is empty: send it as query=… (GET or POST form) or as application/sparql-query")
    if is_update(text):
        raise Refused(403, "this endpoint is read-only: SPARQL Update requests are refused")
    if service_line(text) is not None:
        raise Refused(400, "SERVICE is refused: this endpoint answers from its own data only (no federated queries)")
