"""Is this text an IRI, and can it be a base? One set of rules for options, metadata files and data.

Without rdflib (its import costs more than reading a sidecar): :mod:`plan2rdf.read` checks a
sidecar's IRIs here, and so do the CLI's options, the site and the RDF reader.
"""

from __future__ import annotations

import re

from plan2rdf.i18n import Text

_NOT_IN_IRIS = re.compile(r'[\x00-\x20<>"{}|\\^`\x7f]')  # RFC 3987: not even percent-free text may hold these
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_WEB = re.compile(r"https?://[^/?#\s]", re.IGNORECASE)
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_AUTHORITY = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^/?#]*")
_BRACKET = re.compile(r"[\[\]]")  # only an IPv6 host is written in brackets
_SPACE = re.compile(r"\s")  # every Unicode space, U+3000 too: IRIs may hold some, a base never does

_WEB_ONLY = Text(ja="http(s) の絶対 IRI にしてください", en="must be an absolute http(s) IRI")


def iri_problem(iri: str, *, web: bool = False, absolute: bool = True) -> Text | None:
    """Why ``iri`` (an option's, a sidecar's, a file's) is no IRI, or None. ``web``: http(s) with a
    host; ``absolute``: with a scheme. rdflib takes ``<http://a b>`` and writes Turtle that does
    not parse, and pyshacl-turbo refuses the graph: caught where the IRI is given."""
    if web and not _WEB.match(iri):
        return _WEB_ONLY
    if absolute and not _SCHEME.match(iri):
        return Text(
            ja="絶対 IRI（スキーム付き、例 https://…）にしてください",
            en="must be an absolute IRI (with a scheme, e.g. https://…)",
        )
    bad = _NOT_IN_IRIS.search(iri)
    if bad:
        char = f"U+{ord(bad.group()):04X}"
        return Text(
            ja=f"IRI に使えない文字（{char}、{bad.start() + 1} 文字目）があります。"
            "%エンコードしてください（空白は %20）",
            en=f"holds a character no IRI may hold ({char}, at {bad.start() + 1}); percent-encode it (a space is %20)",
        )
    return _structure_problem(iri, absolute)


def base_iri_problem(base: str, *, minted_below: bool = True) -> Text | None:
    """Why ``base`` cannot be the base of a publisher's IRIs, or None: an http(s) IRI without a
    space, a query or a '#' before its end, so that every IRI minted below it is one too.
    ``minted_below``: it must end in '/' or '#' itself (a sidecar's; ``--base-iri`` gets a '/')."""
    if problem := iri_problem(base, web=True):
        return problem
    if space := _SPACE.search(base):
        return Text(
            ja=f"空白（U+{ord(space.group()):04X}、{space.start() + 1} 文字目）を入れないでください",
            en=f"must not hold a space (U+{ord(space.group()):04X}, at {space.start() + 1})",
        )
    if (mark := base.find("?")) >= 0:
        return Text(
            ja=f"問い合わせ（'?'、{mark + 1} 文字目）を入れないでください。その下に作る IRI のすべてに付いてしまいます",
            en=f"must not hold a query ('?', at {mark + 1}): every IRI minted below it would carry it",
        )
    if 0 <= (hash_at := base.find("#")) < len(base) - 1:
        return Text(
            ja=f"'#' は末尾にだけ置けます（{hash_at + 1} 文字目にあります）",
            en=f"may hold a '#' only as its last character (one is at {hash_at + 1})",
        )
    if minted_below and not base.endswith(("/", "#")):
        return Text(
            ja="'/' か '#' で終えてください（その下に IRI を作るため）",
            en="must end in '/' or '#', so that IRIs can be minted below it",
        )
    return None


def _structure_problem(iri: str, absolute: bool) -> Text | None:
    """What RFC 3987's grammar refuses beyond single characters (pyshacl-turbo and pyoxigraph read
    IRIs by it; rdflib takes anything): a bad %-escape, a second '#', a bracket outside the host;
    then, where pyoxigraph is installed, whatever else its IRI parser refuses."""
    if bad := _BAD_PERCENT.search(iri):
        return Text(
            ja=f"「%」の後に 16 進数 2 桁がありません（{bad.start() + 1} 文字目）。「%」そのものは %25 と書きます",
            en=f"holds a '%' not followed by two hex digits (at {bad.start() + 1}); write '%' itself as %25",
        )
    if (second := iri.find("#", iri.find("#") + 1)) > 0:
        return Text(
            ja=f"2 つめの「#」があります（{second + 1} 文字目）。フラグメントの中の「#」は %23 と書きます",
            en=f"holds a second '#' (at {second + 1}); a fragment holds no '#': write it as %23",
        )
    host_end = authority.end() if (authority := _AUTHORITY.match(iri)) else 0
    if (bracket := _BRACKET.search(iri, host_end)) is not None:
        return Text(
            ja=f"ホスト名の外に「{bracket.group()}」があります（{bracket.start() + 1} 文字目）。"
            "%-エンコードしてください",
            en=f"holds '{bracket.group()}' outside the host (at {bracket.start() + 1}); percent-encode it",
        )
    if absolute:
        try:
            from pyoxigraph import NamedNode
        except ImportError:
            return None
        try:
            NamedNode(iri)
        except ValueError as exc:
            return Text(ja=f"IRI として正しくありません（{exc}）", en=f"is not a valid IRI ({exc})")
    return None
