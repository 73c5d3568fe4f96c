"""RDF/XML's DTD, bounded: entity declarations are checked before any XML parser sees the file.

RDF/XML files may declare internal entities to abbreviate namespaces (``<!ENTITY owl "http://…">``,
as Protégé writes them); those stay readable. Refused, with the declaration's line: external
entities (SYSTEM/PUBLIC: they read other files or the network), parameter entities, entities whose
value refers to another entity (the nesting of an entity-expansion bomb, "billion laughs"), and a
document whose entities would expand it beyond a few times its size. The check is linear in the
file's length.
"""

from __future__ import annotations

import re
from pathlib import Path

from plan2rdf.i18n import Text
from plan2rdf.problems import Problem

_DOCTYPE = re.compile(r"<!DOCTYPE\b")
_ENTITY = re.compile(
    r"""<!ENTITY\s+(?P<param>%\s+)?(?P<name>[^\s"'>]+)\s+(?:(?P<external>SYSTEM|PUBLIC)\b|"(?P<dq>[^"]*)"|'(?P<sq>[^']*)')"""
)
_ANY_ENTITY = re.compile(r"<!ENTITY\b")
MAX_EXPANSION = 8 << 20  # bytes that entity references may add, or 4× the file, whichever is larger
HINT = Text(
    ja="IRI を省略せずに書くか、ファイルを Turtle か N-Triples で保存してください",
    en="write the IRIs out in full, or save the file as Turtle or N-Triples",
)


def entity_problem(path: Path, text: str) -> Problem | None:
    """The first refused entity declaration (or the expansion that is too large), else None."""
    if not _DOCTYPE.search(text):
        return None
    declared = list(_ENTITY.finditer(text))
    if len(declared) != len(_ANY_ENTITY.findall(text)):  # a declaration we cannot read is refused
        unread = next(m for m in _ANY_ENTITY.finditer(text) if not any(d.start() == m.start() for d in declared))
        return _problem(
            path,
            text,
            unread.start(),
            Text(
                ja="plan2rdf が確かめられない実体宣言があります", en="has an entity declaration plan2rdf cannot check"
            ),
        )
    added = 0
    for match in declared:
        value = match.group("dq") if match.group("dq") is not None else match.group("sq")
        name = match.group("name")
        if match.group("param"):
            return _problem(
                path,
                text,
                match.start(),
                Text(ja=f"パラメーター実体 %{name}; を宣言しています", en=f"declares a parameter entity %{name};"),
            )
        if match.group("external"):
            return _problem(
                path,
                text,
                match.start(),
                Text(
                    ja=f"外部実体 &{name}; を宣言しています（ファイルを読むことになります）",
                    en=f"declares an external entity &{name}; (it would read a file)",
                ),
            )
        if "&" in value or "%" in value:
            return _problem(
                path,
                text,
                match.start(),
                Text(
                    ja=f"実体 &{name}; をほかの実体を使って宣言しています",
                    en=f"declares entity &{name}; in terms of other entities",
                ),
            )
        added += text.count(f"&{name};") * len(value)
    if added > max(MAX_EXPANSION, 4 * len(text)):
        return _problem(
            path,
            text,
            declared[0].start(),
            Text(
                ja=f"実体を展開すると {added:,} バイト増えます",
                en=f"would grow by {added:,} bytes when its entities expand",
            ),
        )
    return None


def _problem(path: Path, text: str, offset: int, message: Text) -> Problem:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return Problem(str(path), message, line=line, column=column, hint=HINT)
