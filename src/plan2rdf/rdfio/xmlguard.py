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

from plan2rdf.problems import Problem

_DOCTYPE = re.compile(r"<!DOCTYPE\b")
_ENTITY = re.compile(
    r"""<!ENTITY\s+(?P<param>%\s+)?(?P<name>[^\s"'>]+)\s+(?:(?P<external>SYSTEM|PUBLIC)\b|"(?P<dq>[^"]*)"|'(?P<sq>[^']*)')"""
)
_ANY_ENTITY = re.compile(r"<!ENTITY\b")
MAX_EXPANSION = 8 << 20  # bytes that entity references may add, or 4× the file, whichever is larger
HINT = "write the IRIs out in full, or save the file as Turtle or N-Triples"


def entity_problem(path: Path, text: str) -> Problem | None:
    """The first refused entity declaration (or the expansion that is too large), else None."""
    if not _DOCTYPE.search(text):
        return None
    declared = list(_ENTITY.finditer(text))
    if len(declared) != len(_ANY_ENTITY.findall(text)):  # a declaration we cannot read is refused
        unread = next(m for m in _ANY_ENTITY.finditer(text) if not any(d.start() == m.start() for d in declared))
        return _problem(path, text, unread.start(), "has an entity declaration plan2rdf cannot check")
    added = 0
    for match in declared:
        value = match.group("dq") if match.group("dq") is not None else match.group("sq")
        name = match.group("name")
        if match.group("param"):
            return _problem(path, text, match.start(), f"declares a parameter entity %{name};")
        if match.group("external"):
            return _problem(path, text, match.start(), f"declares an external entity &{name}; (it would read a file)")
        if "&" in value or "%" in value:
            return _problem(path, text, match.start(), f"declares entity &{name}; in terms of other entities")
        added += text.count(f"&{name};") * len(value)
    if added > max(MAX_EXPANSION, 4 * len(text)):
        return _problem(path, text, declared[0].start(), f"would grow by {added:,} bytes when its entities expand")
    return None


def _problem(path: Path, text: str, offset: int, message: str) -> Problem:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return Problem(str(path), message, line=line, column=column, hint=HINT)
