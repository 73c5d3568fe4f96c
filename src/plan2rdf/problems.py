"""Problems found in an input, and the exception that carries all of them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from plan2rdf.i18n import Text, text_in


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


QUOTE_LIMIT = 60  # characters of a value quoted in a message: enough to find the cell


def shorten(value: str, limit: int = QUOTE_LIMIT) -> str:
    """A value to quote in a message: cut to ``limit`` characters with an ellipsis, its length named.

    A message names the cell to fix; quoting a whole cell (a pasted report, 1 MB of spaces) would
    bury the message and the ones after it."""
    if len(value) <= limit:
        return value
    return f"{value[: limit - 1]}…（{len(value):,}文字 characters）"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located as precisely as we can."""

    path: str
    message: Text | str  # a Text in both languages; a plain str only for words not ours (a parser's)
    line: int | None = None
    column: int | str | None = None
    entry: str | None = None
    hint: Text | str | None = None
    severity: Severity = Severity.ERROR

    def location(self) -> str:
        """``file:line:column`` in the form editors and CI annotators understand."""
        parts = [self.path]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def format(self, lang: str = "en") -> str:
        """``file:line:col: error: …`` in ``lang``; the severity word stays English for CI annotators."""
        text = f"{self.location()}: {self.severity.value}: "
        if self.entry:
            text += f"施策 {self.entry}: " if lang == "ja" else f"entry {self.entry}: "
        text += text_in(self.message, lang)
        if self.hint:
            text += f"（{text_in(self.hint, lang)}）" if lang == "ja" else f" ({text_in(self.hint, lang)})"
        return text

    def formatted(self) -> Text:
        """``format()`` in both languages, for a library that hands warnings on as text."""
        return Text(self.format("ja"), self.format("en"))

    def sort_key(self) -> tuple:
        return (self.path, self.line or 0, str(self.column or ""), str(self.message))


class InputError(Exception):
    """Raised when an input cannot be used; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=Problem.sort_key)
        super().__init__("\n".join(p.format() for p in self.problems))


def input_error(path: str, message: Text | str, **where) -> InputError:
    """The InputError of one problem (``raise input_error(path, Text(…), hint=…)``)."""
    return InputError([Problem(path, message, **where)])


class Collector:
    """Gathers problems while a stage runs, so all of them can be reported together."""

    def __init__(self, path: str):
        self.path = path
        self.problems: list[Problem] = []

    def error(self, message: Text | str, **where) -> None:
        self.problems.append(Problem(self.path, message, **where))

    def warn(self, message: Text | str, **where) -> None:
        self.problems.append(Problem(self.path, message, severity=Severity.WARNING, **where))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.WARNING]

    def raise_if_errors(self) -> None:
        if self.errors:
            raise InputError(self.problems)


class ActionableError(Exception):
    """A failure the user can act on (a server down, an engine not installed): the CLI prints
    ``plan2rdf: error: <message>`` and exits with 2, never a traceback.

    Raise it with a ``Text`` to be read in both languages; ``str()`` gives the English."""

    def __init__(self, message: Text | str = ""):
        self.text = message
        super().__init__(str(message))

    def message_in(self, lang: str) -> str:
        return text_in(self.text, lang)

    def whole(self) -> Text:
        """Everything the CLI would print (message, and a hint where there is one) in both languages."""
        return Text(self.message_in("ja"), self.message_in("en"))


class UsageProblem(ActionableError):
    """Wrong arguments: the CLI reports it as a usage error (exit 2)."""
