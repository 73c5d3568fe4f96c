"""One rule for "the same name": two spellings of a name are the same name when they agree after
NFKC (full-width letters and digits to half-width, half-width kana to full-width) with every space
removed (ASCII, ideographic U+3000, line breaks). Organisation lookup, repost resolution, diff
matching and the digests in hashed IRI slugs all use it, so the IRIs stay stable across spellings."""

from __future__ import annotations

import hashlib
import re
import unicodedata

__all__ = ["hashed_slug", "identifier_slug", "name_key", "same_name"]

_SPACE_RE = re.compile(r"\s+")


def name_key(name: str) -> str:
    """The form two spellings of a name are compared in: NFKC, without whitespace."""
    return _SPACE_RE.sub("", unicodedata.normalize("NFKC", name))


def same_name(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` spell the same name (see :func:`name_key`)."""
    return name_key(a) == name_key(b)


def hashed_slug(name: str) -> str:
    """A stable ASCII slug for a name no curated table knows: ``x-`` and a digest of its name key
    (:func:`name_key`), so every spelling of the name gets the same slug."""
    return "x-" + hashlib.sha256(name_key(name).encode("utf-8")).hexdigest()[:10]


_NOT_SLUG_RE = re.compile(r"[^a-z0-9]+")


def identifier_slug(identifier: str) -> str:
    """An entry's identifier as an IRI path segment (docs/vocabulary.md, "IRIs"): NFKC (full-width
    digits and brackets to ASCII), lower case, each run of other characters one '-', none at either
    end; so 「1-6」 stays 1-6 and 「1-(2)-3」 is 1-2-3. An identifier with letters outside ASCII after
    NFKC (「重点1」) gets :func:`hashed_slug` instead, so its IRI is still ASCII and stable."""
    text = unicodedata.normalize("NFKC", identifier).strip().lower()
    slug = _NOT_SLUG_RE.sub("-", text).strip("-")
    return slug if text.isascii() and slug else hashed_slug(identifier)
