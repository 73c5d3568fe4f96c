"""Content negotiation: the media type a client prefers among those offered (RFC 9110 Accept)."""

from __future__ import annotations

from collections.abc import Sequence


def parse_accept(header: str) -> list[tuple[str, float, int]]:
    """``(media range, q, position)`` of each entry of an Accept header; bad q values count as 0."""
    ranges = []
    for position, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        q = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        ranges.append((media, q, position))
    return ranges


def _matches(media_range: str, offered: str) -> int:
    """How specifically a range matches a type: 2 exactly, 1 by ``type/*``, 0 by ``*/*``, -1 not."""
    if media_range == offered:
        return 2
    kind, _, sub = media_range.partition("/")
    if sub == "*" and offered.startswith(kind + "/"):
        return 1
    return 0 if media_range == "*/*" else -1


def choose_language(header: str | None, offered: Sequence[str], default: str) -> str:
    """The offered language an Accept-Language header prefers (highest q, then the one it lists
    first). A range matches a language it starts, or that starts it (RFC 4647 lookup: ``ja-JP``
    falls back to ``ja``); ``*`` matches ``default``. ``default`` without a header or a match."""
    if not header or not header.strip():
        return default
    best: tuple[float, int] | None = None
    chosen = default
    for lang_range, q, position in parse_accept(header):
        for lang in offered:
            fits = lang_range == lang or lang_range.startswith(lang + "-") or lang.startswith(lang_range + "-")
            if lang_range == "*":
                fits = lang == default
            if fits and q > 0 and (best is None or (q, -position) > best):
                best, chosen = (q, -position), lang
    return chosen


def choose(header: str | None, offered: Sequence[str]) -> str | None:
    """The offered type the header prefers (highest q; on a tie, the one it lists first, then the
    server's order); the first offered when there is no header; None when nothing is acceptable."""
    if not header or not header.strip():
        return offered[0]
    ranges = parse_accept(header)
    best: tuple[float, int, int] | None = None
    chosen = None
    for rank, media in enumerate(offered):
        matching = [(_matches(r, media), q, pos) for r, q, pos in ranges if _matches(r, media) >= 0]
        if not matching:
            continue
        _specific, q, pos = max(matching, key=lambda m: m[0])  # the most specific range decides q
        key = (q, -pos if _specific > 0 else -len(ranges), -rank)
        if q > 0 and (best is None or key > best):
            best, chosen = key, media
    return chosen
