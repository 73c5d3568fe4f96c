"""What the endpoint refuses before a query reaches a worker: updates and SERVICE.

Both are found with the query package's SPARQL lexer, so keywords inside strings, IRIs, comments
and prefixed names (``ex:service``) do not count.
"""

from __future__ import annotations

from plan2rdf.i18n import Text
from plan2rdf.query.sparqltext import is_update, service_line

READ_ONLY = Text(
    ja="このエンドポイントは読み取り専用です。SPARQL Update の要求は受け付けません",
    en="this endpoint is read-only: SPARQL Update requests are refused",
)
HOW_TO_SEND = Text(
    ja="query=…（GET か POST のフォーム）または application/sparql-query で送ってください",
    en="send it as query=… (GET or POST form) or as application/sparql-query",
)


class Refused(Exception):
    """A request the endpoint does not run; ``status`` is the HTTP status to answer with, ``message``
    the answer's text in both languages (the response is in the one the client prefers)."""

    def __init__(self, status: int, message: Text):
        super().__init__(str(message))
        self.status = status
        self.message = message


def check_query(text: str) -> None:
    """Refused (403 for an update, 400 for SERVICE or an empty query) unless the endpoint runs it."""
    if not text.strip():
        raise Refused(400, Text(ja="クエリーが空です。", en="the query is empty: ") + HOW_TO_SEND)
    if is_update(text):
        raise Refused(403, READ_ONLY)
    if service_line(text) is not None:
        raise Refused(
            400,
            Text(
                ja="SERVICE は受け付けません。このエンドポイントは自分のデータだけから答えます（連合クエリーは不可）",
                en="SERVICE is refused: this endpoint answers from its own data only (no federated queries)",
            ),
        )
