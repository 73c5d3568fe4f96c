"""Query parameters: grlc's variable convention, and a value turned into the RDF term it declares.

Parameters follow grlc's (BASIL) variable convention: ``?_name`` is a parameter (``?__name`` an
optional one), and a suffix gives its type: ``?_name_iri`` an IRI, ``?_name_ja`` a literal with a
language, ``?_name_integer`` / ``?_name_xsd_gYear`` a typed literal, ``?_name_number`` a number, no
suffix a plain string.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from plan2rdf.i18n import Text
from plan2rdf.problems import Collector, UsageProblem

if TYPE_CHECKING:
    from rdflib.term import Node

XSD = "http://www.w3.org/2001/XMLSchema#"

# What a query answers with: a value of these types is checked before it is bound.
XSD_TYPES = ("integer", "decimal", "gYear", "date", "boolean", "string")
PARAMETER_VARIABLE = re.compile(
    r"^(?P<required>_{1,2})(?P<name>[A-Za-z0-9]+)(?:_(?P<type>[A-Za-z0-9]+))?(?:_(?P<local>[A-Za-z0-9]+))?$"
)
IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')  # characters an IRI cannot hold


class ParameterError(UsageProblem, ValueError):
    """A parameter value that cannot be bound (wrong type, unknown name, missing)."""


@dataclass(frozen=True)
class Parameter:
    """One parameter: how its value is turned into an RDF term."""

    name: str  # what users type: --param name=value
    variable: str  # the SPARQL variable, without "?"
    kind: str  # "iri", "literal", "number"
    meaning: str = ""
    lang: str | None = None
    datatype: str | None = None  # full IRI
    required: bool = True
    default: str | None = None

    def type_label(self) -> str:
        if self.kind == "iri":
            return "IRI"
        if self.kind == "number":
            return "number"
        if self.lang:
            return f"literal@{self.lang}"
        if self.datatype:
            return "xsd:" + self.datatype.removeprefix(XSD)
        return "string"


def parameter_from_variable(
    variable: str, meaning: str, default: str | None, out: Collector, line: int | None
) -> Parameter:
    match = PARAMETER_VARIABLE.match(variable)
    assert match is not None
    name, kind, local = match.group("name"), match.group("type"), match.group("local")
    required = match.group("required") == "_"
    lang = datatype = None
    ptype = "literal"
    if kind in (None, "literal", "string"):
        pass
    elif kind == "iri":
        ptype = "iri"
    elif kind == "number":
        ptype = "number"
    elif kind in XSD_TYPES and local is None:
        datatype = XSD + kind
    elif kind == "xsd" and local in XSD_TYPES:
        datatype = XSD + local
    elif len(kind) == 2 and kind.isalpha() and kind.islower() and local is None:
        lang = kind
    else:
        out.error(
            Text(
                ja=f"?{variable}: パラメーターの型 '{kind}{'_' + local if local else ''}' は分かりません",
                en=f"?{variable}: unknown parameter type '{kind}{'_' + local if local else ''}'",
            ),
            line=line,
            hint=Text(
                ja="iri、number、string、2 文字の言語、または " + ", ".join(XSD_TYPES) + " のどれかを使ってください",
                en="use iri, number, string, a 2-letter language, or one of " + ", ".join(XSD_TYPES),
            ),
        )
    return Parameter(name, variable, ptype, meaning, lang, datatype, required, default)


def to_term(parameter: Parameter, value: str) -> Node:
    """A parameter's value as the RDF term its declared type says; ParameterError if it is not one."""
    from rdflib import Literal, URIRef

    name = parameter.name
    if parameter.kind == "iri":
        from plan2rdf.iri import iri_problem

        if problem := iri_problem(value):  # the rules of every IRI a user gives (plan2rdf.iri)
            raise ParameterError(
                Text(
                    ja=f"{name}: {value!r} は IRI として使えません: {problem.ja}", en=f"{name}: {value!r} {problem.en}"
                ),
            )
        return URIRef(value)
    if parameter.kind == "number":
        if re.fullmatch(r"[+-]?\d+", value):
            return Literal(value, datatype=URIRef(XSD + "integer"))
        if re.fullmatch(r"[+-]?(\d+\.\d*|\.\d+)", value):
            return Literal(value, datatype=URIRef(XSD + "decimal"))
        raise ParameterError(
            Text(ja=f"{name}: {value!r} は数値ではありません", en=f"{name}: {value!r} is not a number")
        )
    if parameter.lang:
        return Literal(value, lang=parameter.lang)
    if parameter.datatype:
        local = parameter.datatype.removeprefix(XSD)
        patterns = {
            "integer": r"[+-]?\d+",
            "decimal": r"[+-]?(\d+(\.\d*)?|\.\d+)",
            "gYear": r"-?\d{4,}",
            "date": r"-?\d{4,}-\d\d-\d\d",
            "boolean": r"true|false|1|0",
            "string": r"(?s).*",
        }
        if not re.fullmatch(patterns[local], value):
            example = {"integer": "2", "decimal": "2.5", "gYear": "2021", "date": "2021-04-01", "boolean": "true"}
            raise ParameterError(
                Text(
                    ja=f"{name}: {value!r} は xsd:{local} ではありません（例: {example.get(local, '')}）",
                    en=f"{name}: {value!r} is not an xsd:{local} (e.g. {example.get(local, '')})",
                )
            )
        return Literal(value, datatype=URIRef(parameter.datatype))
    return Literal(value)
