"""Programmes and alternative names read from the entries' names.

Two rules, both about a trailing parenthesis in a name:

- **abbreviation**: 「福島県全国瞬時警報システム（J-ALERT）」 → J-ALERT is another name of the entry.
  The parenthesis is an abbreviation when it is a Latin-letter acronym, or when its characters all
  occur, in order, in the name before it (「…安否情報収集・提供システム（安否情報システム）」).
- **programme**: 「ふくしま Society5.0推進事業（AI活用ヘルプデスク高度化事業）」 names a part of the
  programme 「ふくしま Society5.0推進事業」. Entries whose names share the programme name before the
  parenthesis belong to one programme; a name used by one entry alone is left alone, since its
  parenthesis is as often a short name as a part (「…伝承館管理運営事業（伝承館管理運営事業）」).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from plan2rdf.model import Plan
from plan2rdf.text import name_key

_TRAILING_RE = re.compile(r"^(?P<head>.+?)（(?P<inner>[^（）]*(?:（[^（）]*）[^（）]*)*)）(?P<tail>.*)$")
_ACRONYM_RE = re.compile(r"^[A-Za-z][A-Za-z0-9&.\- ]*[A-Za-z0-9]$")
_PROGRAMME_HEAD_RE = re.compile(r"事業$")


@dataclass(frozen=True)
class Programme:
    title: str
    members: tuple[str, ...]  # entry identifiers, in plan order


def _is_subsequence(short: str, long: str) -> bool:
    chars = iter(long)
    return all(c in chars for c in short)


def abbreviation(title: str) -> str | None:
    """The abbreviation a name gives for itself in a trailing parenthesis, if any."""
    match = _TRAILING_RE.match(title)
    if not match or match["tail"].strip():
        return None
    inner, head = match["inner"].strip(), match["head"]
    if _ACRONYM_RE.match(unicodedata.normalize("NFKC", inner)) and not _is_subsequence(inner, head):
        return inner
    if len(inner) >= 2 and len(inner) < len(head) and _is_subsequence(name_key(inner), name_key(head)):
        return inner
    return None


def programme_name(title: str) -> str | None:
    """「X事業（Y）…」 → X事業, unless the parenthesis is X's own abbreviation."""
    match = _TRAILING_RE.match(title)
    if not match:
        return None
    head = match["head"].strip()
    if not _PROGRAMME_HEAD_RE.search(head):
        return None
    if abbreviation(f"{head}（{match['inner']}）"):
        return None
    return head


def programmes(plan: Plan) -> list[Programme]:
    """Programmes with two or more entries (reposts are members, but do not make a programme)."""
    groups: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    originals: dict[str, set[str]] = {}
    for m in plan.measures:
        name = programme_name(m.title)
        if name is None:
            continue
        key = name_key(name)
        names.setdefault(key, name)
        groups.setdefault(key, []).append(m.identifier)
        if not m.is_repost:
            originals.setdefault(key, set()).add(m.identifier)
    return [
        Programme(title=names[key], members=tuple(members))
        for key, members in groups.items()
        if len(originals.get(key, ())) >= 2
    ]
