""" "Did you mean …": the nearest of some names to one that was not found (a header variant such as
「部局等名・担当課」, a repost's name with ー typed as －)."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from typing import TypeVar

from plan2rdf.text import name_key

__all__ = ["nearest"]

# Separators people put between the words of a header or a name, or leave out.
_SEPARATORS_RE = re.compile(r"[・･/／、，,.。()（）「」\[\]［］【】_\-－‐―~～:：]")
_MAX_LENGTH = 200  # longer names are not compared: the comparison is quadratic in length
_CUTOFF = 0.8

T = TypeVar("T")


def _loose(name: str) -> str:
    return _SEPARATORS_RE.sub("", name_key(name))


def nearest(name: str, candidates: Iterable[tuple[str, T]], cutoff: float = _CUTOFF) -> tuple[str, T] | None:
    """The candidate ``(name, value)`` whose name is nearest to ``name``, if one is near enough
    (a similarity above ``cutoff``: short keys such as ``titel`` need a lower one than headers)."""
    target = _loose(name)
    if not target or len(target) > _MAX_LENGTH:
        return None
    best, best_ratio = None, cutoff
    for candidate, value in candidates:
        other = _loose(candidate)
        if not other or len(other) > _MAX_LENGTH:
            continue
        ratio = 1.0 if other == target else difflib.SequenceMatcher(None, target, other).ratio()
        if ratio > best_ratio:
            best, best_ratio = (candidate, value), ratio
    return best
