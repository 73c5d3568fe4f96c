"""Well-formed literals: a lexical form outside its datatype's lexical space, or a language tag that
is not well-formed (BCP 47), is a violation of ``p2rsh:WellFormedLiteralShape``.

SHACL engines disagree here (pySHACL trusts rdflib, which accepts ``"21"^^xsd:gYear`` and normalises
``"yes"^^xsd:boolean`` to ``"false"``; pyshacl-turbo checks lexical forms itself), so plan2rdf checks
literals in code, the same way whichever engine runs, and drops the engines' own results about
those literals (one result per broken literal, no cascade). Lexical spaces follow XML Schema 1.1
Part 2; lexical forms are taken as they are (no whitespace is trimmed), as the RDF concepts say.
"""

from __future__ import annotations

import functools
import re

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from plan2rdf.rdfio.table import TermTable
from plan2rdf.validate.describe import Describer, node_text, prefixed, term_text
from plan2rdf.validate.results import SHAPES_NS, Result

WELL_FORMED_SHAPE = SHAPES_NS + "WellFormedLiteralShape"
# Not a SHACL constraint component: the code-level check of literals reports this IRI.
WELL_FORMED_COMPONENT = SHAPES_NS + "WellFormedLiteralComponent"

_TZ = r"(?:Z|[+-](?:(?:0\d|1[0-3]):[0-5]\d|14:00))?"
_YEAR = r"-?(?:[1-9]\d{3,}|0\d{3})"
_INTEGER = r"[+-]?\d+"
_DECIMAL = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)"
_FLOAT = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|[+-]?INF|NaN"
_TIME = r"(?:(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?|24:00:00(?:\.0+)?)"
_DATE = rf"(?P<y>{_YEAR})-(?P<m>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12]\d|3[01])"
_DURATION = r"-?P(?=\d|T\d)(?:\d+Y)?(?:\d+M)?(?:\d+D)?(?:T(?=\d)(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d+)?S)?)?"

# (pattern, hint shown in messages); integer ranges are checked after the pattern
_LEXICAL: dict[str, tuple[str, str]] = {
    "boolean": ("true|false|1|0", '"true" or "false"'),
    "decimal": (_DECIMAL, 'digits with an optional point, e.g. "12.5", no thousands separator'),
    "integer": (_INTEGER, 'digits only, e.g. "1000", no thousands separator'),
    "double": (_FLOAT, 'a number, e.g. "1.5E3"'),
    "float": (_FLOAT, 'a number, e.g. "1.5E3"'),
    "gYear": (_YEAR + _TZ, 'a year of four digits or more, e.g. "2021"'),
    "gYearMonth": (rf"{_YEAR}-(?:0[1-9]|1[0-2]){_TZ}", 'a year and month, e.g. "2021-04"'),
    "gMonth": (rf"--(?:0[1-9]|1[0-2]){_TZ}", 'a month, e.g. "--04"'),
    "gDay": (rf"---(?:0[1-9]|[12]\d|3[01]){_TZ}", 'a day, e.g. "---01"'),
    "gMonthDay": (rf"--(?P<m>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12]\d|3[01]){_TZ}", 'a month and day, e.g. "--04-01"'),
    "date": (_DATE + _TZ, 'a date YYYY-MM-DD that exists, e.g. "2021-04-01"'),
    "dateTime": (rf"{_DATE}T{_TIME}{_TZ}", 'a date and time, e.g. "2021-04-01T09:00:00"'),
    "dateTimeStamp": (
        rf"{_DATE}T{_TIME}(?:Z|[+-](?:(?:0\d|1[0-3]):[0-5]\d|14:00))",
        "a date and time with a time zone",
    ),
    "time": (_TIME + _TZ, 'a time, e.g. "09:00:00"'),
    "duration": (_DURATION, 'a duration, e.g. "P1Y2M"'),
    "hexBinary": (r"(?:[0-9a-fA-F]{2})*", "an even number of hexadecimal digits"),
    "base64Binary": (
        r"(?:(?:[A-Za-z0-9+/] ?){4})*(?:(?:[A-Za-z0-9+/] ?){3}[A-Za-z0-9+/]|(?:[A-Za-z0-9+/] ?){2}[AEIMQUYcgkosw048] ?="
        r"|[A-Za-z0-9+/] ?[AQgw] ?= ?=)?",
        "base64 text",
    ),
}
_INTEGER_RANGES: dict[str, tuple[int | None, int | None]] = {
    "integer": (None, None),
    "nonNegativeInteger": (0, None),
    "positiveInteger": (1, None),
    "nonPositiveInteger": (None, 0),
    "negativeInteger": (None, -1),
    "long": (-(2**63), 2**63 - 1),
    "int": (-(2**31), 2**31 - 1),
    "short": (-(2**15), 2**15 - 1),
    "byte": (-128, 127),
    "unsignedLong": (0, 2**64 - 1),
    "unsignedInt": (0, 2**32 - 1),
    "unsignedShort": (0, 2**16 - 1),
    "unsignedByte": (0, 255),
}
_COMPILED = {name: re.compile(pattern) for name, (pattern, _) in _LEXICAL.items()}
_INTEGER_RE = re.compile(_INTEGER)

# RFC 5646, section 2.1: a well-formed language tag (regular and irregular grandfathered tags too)
_LANGTAG = re.compile(
    r"(?:(?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4}|[a-z]{5,8})"  # language (with extlang)
    r"(?:-[a-z]{4})?"  # script
    r"(?:-(?:[a-z]{2}|\d{3}))?"  # region
    r"(?:-(?:[a-z\d]{5,8}|\d[a-z\d]{3}))*"  # variants
    r"(?:-[\da-wyz](?:-[a-z\d]{2,8})+)*"  # extensions
    r"(?:-x(?:-[a-z\d]{1,8})+)?"  # private use
    r"|x(?:-[a-z\d]{1,8})+"
    r"|en-gb-oed|i-ami|i-bnn|i-default|i-enochian|i-hak|i-klingon|i-lux|i-mingo|i-navajo|i-pwn|i-tao|i-tay"
    r"|i-tsu|sgn-be-fr|sgn-be-nl|sgn-ch-de|art-lojban|cel-gaulish|no-bok|no-nyn|zh-guoyu|zh-hakka|zh-min"
    r"|zh-min-nan|zh-xiang)",
    re.IGNORECASE,
)


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _day_exists(match: re.Match, year: int | None) -> bool:
    month, day = int(match.group("m")), int(match.group("d"))
    if month == 2:
        return day <= (29 if year is None or _leap(year) else 28)
    return day <= (30 if month in (4, 6, 9, 11) else 31)


def _integer_problem(name: str, text: str) -> str | None:
    low, high = _INTEGER_RANGES[name]
    if not _INTEGER_RE.fullmatch(text):
        return 'digits only, e.g. "1000", no thousands separator'
    value = int(text)
    if (low is not None and value < low) or (high is not None and value > high):
        bounds = f"{low if low is not None else '…'} to {high if high is not None else '…'}"
        return f"a whole number from {bounds}"
    return None


@functools.lru_cache(maxsize=256)
def _tag_problem(tag: str) -> str | None:
    # a graph uses a handful of tags, thousands of times
    return None if _LANGTAG.fullmatch(tag) else "a BCP 47 language tag, e.g. ja or en-GB"


_XSD = str(XSD)


def lexical_problem(literal: Literal) -> str | None:
    """What a literal's lexical form should look like when it is not well-formed, else None."""
    language = literal.language
    if language is not None:
        return _tag_problem(language)
    datatype = literal.datatype
    if datatype is None or not datatype.startswith(_XSD):
        return None
    name, text = datatype[len(_XSD) :], str(literal)
    if name in _INTEGER_RANGES:
        return _integer_problem(name, text) or (_LEXICAL["integer"][1] if literal.ill_typed else None)
    if name in _COMPILED:
        if literal.ill_typed and literal.value is not None:  # rdflib normalised "yes" to "false"
            return _LEXICAL[name][1]
        match = _COMPILED[name].fullmatch(text)
        if match is None:
            return _LEXICAL[name][1]
        if "d" in match.re.groupindex and not _day_exists(match, _year_of(match)):
            return _LEXICAL[name][1]
        return None
    # Other XSD datatypes rdflib knows: trust its judgement (None: it cannot tell).
    return _LEXICAL.get(name, ("", f"a valid {prefixed(str(datatype))}"))[1] if literal.ill_typed else None


def _year_of(match: re.Match) -> int | None:
    return int(match.group("y")) if "y" in match.re.groupindex else None


def ill_formed(graph: Graph, table: TermTable | None = None) -> list[tuple]:
    """Every triple whose object is an ill-formed literal, with what the form should be
    (``table``, the graph's :class:`TermTable`: each distinct literal checked once)."""
    if table is not None:
        terms = table.terms
        bad = {n: hint for n, t in enumerate(terms) if isinstance(t, Literal) and (hint := lexical_problem(t))}
        return [(terms[s], terms[p], terms[o], bad[o]) for s, p, o in table.triples if o in bad] if bad else []
    # type() first: most objects are IRIs, and isinstance() of rdflib's terms is the slow part
    return [
        (s, p, o, hint)
        for s, p, o in graph
        if (type(o) is Literal or (type(o) is not URIRef and isinstance(o, Literal))) and (hint := lexical_problem(o))
    ]


_JA_HINT = "XML Schema の字句形式に従って書き直してください。桁区切りのコンマや存在しない日付は使えません"


def engine_view(graph: Graph, found: list[tuple]) -> Graph:
    """The graph as SHACL engines get it: without literals whose language tag is not well-formed
    (pyshacl-turbo refuses the whole graph for one); ``graph`` itself when there are none."""
    bad = [(s, p, o) for s, p, o, _ in found if o.language is not None]
    if not bad:
        return graph
    view = Graph()
    for triple in graph:
        view.add(triple)
    for triple in bad:
        view.remove(triple)
    return view


def _messages(literal: Literal, hint: str) -> dict[str, str]:
    if literal.language is not None:
        return {
            "en": f"the language tag @{literal.language} is not well-formed: it should be {hint}",
            "ja": f"言語タグ @{literal.language} が正しい形ではありません（BCP 47 の言語タグ、例 ja や en-GB）",
        }
    kind = prefixed(str(literal.datatype))
    return {
        "en": f"{term_text(literal)} is not a valid {kind}: it should be {hint}",
        "ja": f"{term_text(literal)} は {kind} として正しい値ではありません（{hint}）",
    }


def literal_results(graph: Graph, found: list[tuple] | None = None, *, describer: Describer | None = None) -> list:
    """A violation per ill-formed literal (``found`` from :func:`ill_formed`, else computed)."""
    describer = describer or Describer(graph)
    results = []
    for s, p, o, hint in found if found is not None else ill_formed(graph):
        where = describer.describe(s)
        results.append(
            Result(
                severity="violation",
                focus=node_text(s),
                messages=_messages(o, hint),
                path=prefixed(str(p)) if p != RDF.type else "rdf:type",
                value=term_text(o),
                entry=where.entry,
                part=where.part,
                title=where.title,
                shape=WELL_FORMED_SHAPE,
                node_shape=WELL_FORMED_SHAPE,
                component=WELL_FORMED_COMPONENT,
                source_file=where.source_file,
                source_line=where.line,
            )
        )
    return results
