"""Parameters bound as RDF terms: a query's bindings, and the same bindings written into query text.

Parameters are never pasted into the query text as raw strings: rdflib gets them as
``initBindings``; pyoxigraph and remote endpoints as a ``VALUES`` row at the top of the outermost
WHERE group, made of terms serialised with every special character escaped (the catalogue only
allows parameter variables in that group, so both mean the same).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from plan2rdf.i18n import Text
from plan2rdf.query.parameters import IRI_FORBIDDEN, ParameterError, to_term
from plan2rdf.query.queryfile import CannedQuery
from plan2rdf.query.sparqltext import top_group_start

if TYPE_CHECKING:
    from rdflib.term import Node

Bindings = Mapping[str, "Node"]


def bind(query: CannedQuery, params: Mapping[str, str]) -> dict[str, Node]:
    """The query's bindings (variable name → term): given values, else defaults."""
    unknown = sorted(set(params) - {p.name for p in query.parameters})
    if unknown:
        known = ", ".join(p.name for p in query.parameters) or "none"
        raise ParameterError(
            Text(
                ja=f"{query.name} にパラメーター {', '.join(unknown)} はありません（パラメーター: {known}）",
                en=f"{query.name} has no parameter {', '.join(unknown)} (its parameters: {known})",
            )
        )
    bindings: dict[str, Node] = {}
    for p in query.parameters:
        value = params.get(p.name, p.default)
        if value is None:
            if p.required:
                raise ParameterError(
                    Text(
                        ja=f"{query.name} には --param {p.name}=… が必要です（{p.meaning}）",
                        en=f"{query.name} needs --param {p.name}=… ({p.meaning})",
                    )
                )
            continue
        bindings[p.variable] = to_term(p, value)
    return bindings


def sparql_term(term: Node) -> str:
    """A term in SPARQL syntax with every special character escaped (safe inside a query)."""
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, URIRef):
        if IRI_FORBIDDEN.search(str(term)):
            raise ParameterError(
                Text(ja=f"{str(term)!r} は IRI として書けません", en=f"{str(term)!r} cannot be written as an IRI")
            )
        return f"<{term}>"
    if isinstance(term, Literal):
        text = str(term)
        escaped = (
            text.replace("\\", "\\\\")
            .replace('"', '\\"')
            .replace("\n", "\\n")
            .replace("\r", "\\r")
            .replace("\t", "\\t")
        )
        if term.language:
            if not re.fullmatch(r"[A-Za-z]+(-[A-Za-z0-9]+)*", term.language):
                raise ParameterError(
                    Text(ja=f"言語タグ {term.language!r} が正しくありません", en=f"bad language tag {term.language!r}")
                )
            return f'"{escaped}"@{term.language}'
        if term.datatype:
            return f'"{escaped}"^^{sparql_term(URIRef(term.datatype))}'
        return f'"{escaped}"'
    if isinstance(term, BNode):
        raise ParameterError(Text(ja="空白ノードはパラメーターにできません", en="a blank node cannot be a parameter"))
    raise ParameterError(Text(ja=f"{term!r} は束縛できません", en=f"cannot bind {term!r}"))


def inline_bindings(text: str, bindings: Bindings) -> str:
    """The query with ``VALUES (?a ?b) { (t1 t2) }`` at the top of its outermost WHERE group."""
    if not bindings:
        return text
    names = sorted(bindings)
    row = " ".join(sparql_term(bindings[n]) for n in names)
    clause = f"\n  VALUES ({' '.join('?' + n for n in names)}) {{ ({row}) }}\n"
    at = top_group_start(text)
    return text[:at] + clause + text[at:]
