"""Messages in Japanese and English: the library keeps both, the CLI shows the one a user reads.

Publishers are Japanese staff, validators often read English CI logs; a message therefore carries
both texts (``Text``), and the language is chosen only when it is printed (``--lang``, or the locale).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Lang = Literal["ja", "en"]
LANGS: tuple[Lang, ...] = ("ja", "en")


@dataclass(frozen=True)
class Text:
    """One message in both languages. ``str()`` gives the English, for logs and exceptions."""

    ja: str
    en: str

    def get(self, lang: str) -> str:
        return self.ja if lang == "ja" else self.en

    def __str__(self) -> str:
        return self.en

    def __add__(self, other: Text | str) -> Text:
        if isinstance(other, Text):
            return Text(self.ja + other.ja, self.en + other.en)
        return Text(self.ja + other, self.en + other)

    def __radd__(self, other: str) -> Text:
        return Text(other + self.ja, other + self.en)

    def map(self, change) -> Text:
        """Both texts changed alike (a secret scrubbed, a line shortened)."""
        return Text(change(self.ja), change(self.en))


def text_in(message: Text | str, lang: str) -> str:
    """``message`` in ``lang``; a plain string (a quoted value, a parser's own words) as it is."""
    return message.get(lang) if isinstance(message, Text) else message


def as_text(message: Text | str) -> Text:
    """``message`` as a Text: a plain string (a quoted value, a parser's words) is the same in both."""
    return message if isinstance(message, Text) else Text(message, message)


def join(parts: Iterable[Text | str], sep: str = "\n", *, ja_sep: str | None = None) -> Text:
    """``parts`` joined in each language (``ja_sep`` where Japanese separates them otherwise, e.g. 「。」)."""
    texts = [as_text(part) for part in parts]
    return Text((sep if ja_sep is None else ja_sep).join(t.ja for t in texts), sep.join(t.en for t in texts))


def default_lang(environ: dict[str, str] | None = None) -> Lang:
    """The locale's language, POSIX order (LC_ALL, LC_MESSAGES, LANG): ``ja…`` gives ja, else en."""
    env = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name)
        if value:
            return "ja" if value.lower().startswith("ja") else "en"
    return "en"
