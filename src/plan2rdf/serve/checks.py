"""What the endpoint refuses before a query reaches a worker: updates and SERVICE.

Both are found with the query package's SPARQL lexer, so keywords inside strings, IRIs, comments
and prefixed names (``ex:service``) do not count.
"""

from __future__ import annotations

from plan2rdf.query.sparqltext import tokens

# An update request starts, after its prologue, with one of these (SPARQL 1.1 Update grammar).
UPDATE_KEYWORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"})
PROLOGUE_KEYWORDS = frozenset({"PREFIX", "BASE"})


class Refused(Exception):
    """A request the endpoint does not run; ``status`` is the HTTP status to answer with."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def _keywords(text: str) -> list[str]:
    """The query's bare words, upper-cased; parts of prefixed names (``ex:service``) left out."""
    words = []
    for tok in tokens(text):
        if tok.kind != "word":
            continue
        before = text[tok.start - 1] if tok.start else ""
        after = text[tok.start + len(tok.text) : tok.start + len(tok.text) + 1]
        if before != ":" and after != ":":
            words.append(tok.text.upper())
    return words


def is_update(text: str) -> bool:
    """Does the text read as a SPARQL Update (its first keyword after the prologue is an update's)?"""
    words = [w for w in _keywords(text) if w not in PROLOGUE_KEYWORDS]
    return bool(words) and words[0] in UPDATE_KEYWORDS


def check_query(text: str) -> None:
    """Refused (403 for an update, 400 for SERVICE or an empty query) unless the endpoint runs it."""
    if not text.strip():
        raise Refused(400, "the query is empty: send it as query=… (GET or POST form) or as application/sparql-query")
    if is_update(text):
        raise Refused(403, "this endpoint is read-only: SPARQL Update requests are refused")
    if "SERVICE" in _keywords(text):
        raise Refused(400, "SERVICE is refused: this endpoint answers from its own data only (no federated queries)")
