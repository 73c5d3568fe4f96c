"""The one error of publishing and remote queries, and how server text is shortened for it."""

from __future__ import annotations

from plan2rdf.i18n import Text, text_in
from plan2rdf.problems import ActionableError

MESSAGE_LIMIT = 300  # characters of a server's error text kept in a message
NOTHING_UPLOADED = Text(ja="何も送っていません", en="nothing was uploaded")
DEFAULT_GRAPH = Text(ja="既定のグラフ", en="the default graph")


class PublishError(ActionableError):
    """A publish or remote query failed; ``message`` says what, ``hint`` how to fix it."""

    def __init__(self, message: Text | str, hint: Text | str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint

    def message_in(self, lang: str) -> str:
        text = text_in(self.message, lang)
        if not self.hint:
            return text
        hint = text_in(self.hint, lang)
        return f"{text}（{hint}）" if lang == "ja" else f"{text} ({hint})"

    def __str__(self) -> str:
        return self.message_in("en")


def one_line(text: str) -> str:
    """``text`` on one line, cut to MESSAGE_LIMIT characters (server and parser messages can be huge)."""
    text = " ".join(text.split())
    return text if len(text) <= MESSAGE_LIMIT else text[: MESSAGE_LIMIT - 1] + "…"
