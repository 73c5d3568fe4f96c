"""One rule for "the same name": two spellings of a name are the same name when they agree after
NFKC (full-width letters and digits to half-width, half-width kana to full-width) with every space
removed (ASCII, ideographic U+3000, line breaks). Organisation lookup, repost resolution, diff
matching and the digests in hashed IRI slugs all use it, so the IRIs stay stable across spellings."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["name_key", "same_name"]

_SPACE_RE = re.compile(r"\s+")


def name_key(name: str) -> str:
    """The form two spellings of a name are compared in: NFKC, without whitespace."""
    return _SPACE_RE.sub("", unicodedata.normalize("NFKC", name))


def same_name(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` spell the same name (see :func:`name_key`)."""
    return name_key(a) == name_key(b)
