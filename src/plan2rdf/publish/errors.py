"""The one error of publishing and remote queries, and how server text is shortened for it."""

from __future__ import annotations

from plan2rdf.problems import ActionableError

MESSAGE_LIMIT = 300  # characters of a server's error text kept in a message


class PublishError(ActionableError):
    """A publish or remote query failed; ``message`` says what, ``hint`` how to fix it."""

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message, hint)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


def one_line(text: str) -> str:
    """``text`` on one line, cut to MESSAGE_LIMIT characters (server and parser messages can be huge)."""
    text = " ".join(text.split())
    return text if len(text) <= MESSAGE_LIMIT else text[: MESSAGE_LIMIT - 1] + "…"
