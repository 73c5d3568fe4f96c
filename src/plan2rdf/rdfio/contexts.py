"""JSON-LD contexts, offline: our own context IRI is served from the package, any other is refused.

JSON-LD parsers fetch a remote (or relative, or ``@import``-ed) context when a document names one.
plan2rdf never does: :func:`offline_document` replaces every reference to our context IRI by the
shipped copy and reports every other reference as a located problem, before any parser runs.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import Any

from plan2rdf.i18n import Text
from plan2rdf.problems import InputError, Problem

CONTEXT_IRI = "https://w3id.org/plan2rdf/context.jsonld"


@functools.lru_cache(maxsize=1)
def _shipped_context_text() -> str:
    from plan2rdf.resources import read_text

    return read_text("ontology", "context.jsonld")


def shipped_context() -> Any:
    """The ``@context`` value of the shipped context.jsonld (a fresh copy each call)."""
    return json.loads(_shipped_context_text())["@context"]


MAX_JSON_DEPTH = 200  # far beyond any plan's document, far below Python's recursion limit
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_BRACKET = re.compile(r"[\[\]{}]")


def nesting_beyond(text: str, limit: int) -> int | None:
    """The offset where JSON ``text`` first nests deeper than ``limit`` (linear time), or None."""
    depth = 0
    blanked = _STRING.sub(lambda m: " " * len(m.group()), text)
    for match in _BRACKET.finditer(blanked):
        depth += 1 if match.group() in "[{" else -1
        if depth > limit:
            return match.start()
    return None


def offline_document(path: Path, text: str) -> Any:
    """The JSON-LD document in ``text`` with every context inline.

    Raises InputError: not JSON (located by the JSON parser), or one problem per context
    reference that is not our own (located at the reference's first occurrence in the file).
    """
    if (deep := nesting_beyond(text, MAX_JSON_DEPTH)) is not None:
        line = text.count("\n", 0, deep) + 1
        column = deep - (text.rfind("\n", 0, deep) + 1) + 1
        message = Text(
            ja=f"入れ子が {MAX_JSON_DEPTH} 段を超えています", en=f"is nested more than {MAX_JSON_DEPTH} levels deep"
        )
        hint = Text(
            ja="計画の JSON-LD の文書は入れ子が数段です。このファイルはそうではありません",
            en="a JSON-LD document of a plan is a few levels deep; this file is not one",
        )
        raise InputError([Problem(str(path), message, line=line, column=column, hint=hint)])
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            [
                Problem(
                    str(path),
                    Text(ja=f"JSON ではありません: {exc.msg}", en=f"is not JSON: {exc.msg}"),
                    line=exc.lineno,
                    column=exc.colno,
                )
            ]
        ) from None
    resolver = _Resolver(path, text)
    document = resolver.walk(document)
    if resolver.problems:
        raise InputError(resolver.problems)
    return document


class _Resolver:
    """Walks a JSON-LD document, inlining our context and noting every other reference."""

    def __init__(self, path: Path, text: str):
        self.path = path
        self.text = text
        self.problems: list[Problem] = []

    def _where(self, iri: str) -> dict[str, int]:
        at = self.text.find(json.dumps(iri))
        if at < 0:
            return {}
        return {"line": self.text.count("\n", 0, at) + 1, "column": at - (self.text.rfind("\n", 0, at) + 1) + 1}

    def refuse(self, iri: str) -> None:
        self.problems.append(
            Problem(
                str(self.path),
                Text(
                    ja=f"JSON-LD のコンテキスト {iri!r} を参照していますが、plan2rdf はそれを取りに行きません",
                    en=f"refers to the JSON-LD context {iri!r}, which plan2rdf does not fetch",
                ),
                hint=Text(
                    ja=f"コンテキストを直接書き込むか、plan2rdf のコンテキスト {CONTEXT_IRI} を使ってください",
                    en=f"put the context inline, or use plan2rdf's own context {CONTEXT_IRI}",
                ),
                **self._where(iri),
            )
        )

    def context(self, value: Any) -> Any:
        if isinstance(value, str):
            if value == CONTEXT_IRI:
                return shipped_context()
            self.refuse(value)
            return value
        if isinstance(value, list):
            return [self.context(item) for item in value]
        if isinstance(value, dict):
            imported = value.get("@import")
            if isinstance(imported, str):
                self.refuse(imported)
            for key, item in value.items():
                if isinstance(item, dict | list):  # scoped contexts inside term definitions
                    value[key] = self.walk(item)
        return value

    def walk(self, node: Any) -> Any:
        if isinstance(node, dict):
            for key in list(node):
                node[key] = self.context(node[key]) if key == "@context" else self.walk(node[key])
        elif isinstance(node, list):
            for i, item in enumerate(node):
                node[i] = self.walk(item)
        return node
