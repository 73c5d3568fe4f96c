"""Round trips of the hand-written Turtle and N-Triples writers through two independent parsers.

The writers (plan2rdf.rdfio.writers: ``turtle``, ``ntriples``) take any set of rdflib triples:
IRIs, blank nodes and literals of any language or datatype, a base for relative IRIs and a table
of prefixes. Hypothesis generates such graphs with hostile literal and IRI content; whatever the
writers emit must read back, with rdflib and with pyoxigraph, as the same graph.

Within the contract: IRIs are valid RFC 3987 IRIs (the writers percent-encode the characters an
IRI may not hold, tested on its own below) without dot segments, bases end in "/" (the default and
the usual ``--base-iri``), blank node labels are ones a parser could have produced. Graphs are
compared as RDF 1.1 defines term equality: ``"x"^^xsd:string`` is ``"x"`` and language tags are
case-insensitive (pyoxigraph lower-cases them).
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS, XSD

from plan2rdf.cli import main
from plan2rdf.rdfio.writers import by_subject, jsonld, ntriples, turtle
from plan2rdf.vocab import DEFAULT_BASE_IRI, P2R, PREFIXES, SCHEMA

EX = "http://example.org/a#"
JP = "https://例え.jp/施策/"
SETTINGS = settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


# ---------------------------------------------------------------------------------------------
# Comparing graphs


def canonical(triples) -> Graph:
    """The graph with RDF 1.1 term equality made literal: no xsd:string, lower-case language tags."""
    graph = Graph()
    for triple in triples:
        graph.add(tuple(_canonical_term(t) for t in triple))
    return graph


def _canonical_term(term):
    if isinstance(term, Literal):
        if term.language:
            return Literal(str(term), lang=term.language.lower())
        if term.datatype == XSD.string:
            return Literal(str(term))
    return term


def _from_oxigraph(term):
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def read_with_oxigraph(text: str, fmt: ox.RdfFormat) -> Graph:
    return canonical(
        (_from_oxigraph(q.subject), _from_oxigraph(q.predicate), _from_oxigraph(q.object))
        for q in ox.parse(text.encode("utf-8"), format=fmt)
    )


def read_with_rdflib(text: str, fmt: str) -> Graph:
    return canonical(Graph().parse(data=text, format=fmt))


def assert_round_trips(graph: Graph, text: str, rdflib_format: str, oxigraph_format: ox.RdfFormat) -> None:
    expected = canonical(graph)
    by_rdflib = read_with_rdflib(text, rdflib_format)
    by_oxigraph = read_with_oxigraph(text, oxigraph_format)
    assert isomorphic(expected, by_rdflib), f"rdflib reads another graph from:\n{text}"
    assert isomorphic(expected, by_oxigraph), f"pyoxigraph reads another graph from:\n{text}"


# ---------------------------------------------------------------------------------------------
# Strategies

# Pieces that break naive escaping, mixed into arbitrary text.
NASTY = [
    '"',
    "'",
    "\\",
    '"""',
    "'''",
    '\\"',
    '\\\\"',
    "\\u0041",
    "\\n",
    "\n",
    "\r",
    "\r\n",
    "\t",
    "\b",
    "\f",
    "\x00",
    "\x01",
    "\x1b",
    "\x1f",
    "\x7f",
    "\x85",
    "\u2028",
    "\u2029",
    "\ufeff",
    "\ufffe",
    "\uffff",
    "😀",
    "👩‍👩‍👧",
    "\U00020000",
    "𠮷",
    "\U0010fffd",
    "\U0010ffff",
    "\U000e0001",
    "#",
    "@",
    "^^",
    "<>",
    "福島県",
    "ｱｲｳ",
    " ",
    ".",
    ";",
    ",",
    "_:b0",
    "p2r:x",
]
# Everything but lone surrogates, which no UTF-8 document can hold.
CHARS = st.characters(exclude_categories=("Cs",))
text = st.lists(st.one_of(st.sampled_from(NASTY), st.text(CHARS, max_size=6)), max_size=6).map("".join)
# Literals that end in a quote or a backslash are where a writer's escaping usually slips.
text_with_edges = st.one_of(
    text, text.map(lambda s: s + '"'), text.map(lambda s: s + "\\"), text.map(lambda s: '"' + s)
)

# IRI characters (RFC 3987 ipchar and friends), non-ASCII and percent-escapes among them.
IUNRESERVED = "AZaz09-._~" + "中文例え施策é"
SEGMENT_PIECES = [
    *IUNRESERVED,
    "!",
    "$",
    "&",
    "'",
    "(",
    ")",
    "*",
    "+",
    ",",
    ";",
    "=",
    ":",
    "@",
    "%20",
    "%2F",
    "%25",
    "%E4%BE%8B",
    "\U00020000",
    "😀",
    "\ufdf0",
]  # no U+00A0, U+3000 and other Unicode spaces: see test_ntriples_with_unicode_spaces_in_iris_read_back


def _segment(pieces: list[str]) -> str:
    segment = "".join(pieces)
    return segment if segment not in (".", "..") else segment + "x"  # dot segments: see test below


segment = st.lists(st.sampled_from(SEGMENT_PIECES), max_size=5).map(_segment)
path = st.lists(segment, min_size=1, max_size=3).map("/".join)
# iprivate (U+E000.., U+F0000.., U+100000..U+10FFFD) is allowed in the query only.
query = st.lists(st.sampled_from([*SEGMENT_PIECES, "/", "?", "\ue000", "\U000f0000", "\U0010fffd"]), max_size=4).map(
    "".join
)
fragment = st.lists(st.sampled_from([*SEGMENT_PIECES, "/", "?"]), max_size=4).map("".join)

# Local names our prefixes would abbreviate, and ones that look close but must stay <…>.
LOCALS = ["", "a", "Measure", "_x", "a-b", "a_1", "a.", "a.b", ".a", "1a", "-a", "a/b", "a#b", "a?b", "a:b", "例"]
NAMESPACES = [str(P2R), str(SCHEMA), str(XSD), str(RDFS), "http://purl.org/dc/terms/", EX, JP]
BASES = [DEFAULT_BASE_IRI, JP, "http://example.org/"]


@st.composite
def iris(draw) -> URIRef:
    kind = draw(st.sampled_from(["namespace", "base", "other"]))
    if kind == "namespace":
        namespace = draw(st.sampled_from(NAMESPACES))
        local = draw(st.one_of(st.sampled_from(LOCALS), path))
        if "#" in namespace:
            local = local.replace("#", "")  # one fragment per IRI
        return URIRef(namespace + local)
    root = draw(st.sampled_from(BASES)) if kind == "base" else draw(st.sampled_from(["urn:x:", "https://a.example/"]))
    iri = root + draw(st.one_of(st.sampled_from(LOCALS), path))
    if "#" in iri:  # a fragment already: nothing may follow but fragment characters
        return URIRef(iri)
    if draw(st.booleans()):
        iri += "?" + draw(query)
    if draw(st.booleans()):
        iri += "#" + draw(fragment)
    return URIRef(iri)


# Labels a parser could have produced: BLANK_NODE_LABEL without the "_:" (dots only inside), in
# ASCII: rdflib's N-Triples parser refuses the grammar's non-ASCII label characters (its limit, not ours).
LABEL_START = "AZaz_09"
LABEL_MIDDLE = LABEL_START + "-."
labels = st.builds(
    lambda a, b, c: a + b + c,
    st.sampled_from(LABEL_START),
    st.text(st.sampled_from(LABEL_MIDDLE), max_size=4),
    st.sampled_from(LABEL_START + "-"),
)
bnodes = st.one_of(st.builds(BNode), labels.map(BNode))

# Well-formed BCP 47 tags (pyoxigraph checks them), in mixed case.
language = st.one_of(
    st.from_regex(r"\A[a-zA-Z]{2,3}(-[a-zA-Z]{4})?(-([a-zA-Z]{2}|[0-9]{3}))?\Z"),
    st.sampled_from(["ja", "en", "ja-Hira-JP", "EN-gb-oxendict", "zh-Hant-TW", "de-CH-1996", "es-419", "x-private"]),
)
LEXICAL = {
    XSD.integer: ["0", "7", "-0", "+5", "007", "123456789012345678901234567890", "1.0", "x"],
    XSD.decimal: ["0.0", "1.50", "-.5", "+3", "1e3"],
    XSD.boolean: ["true", "false", "1", "0", "TRUE"],
    XSD.gYear: ["2021", "-0044", "2021Z", "2021+09:00", "21"],
    XSD.date: ["2021-04-01", "2021-04-01+09:00"],
    XSD.double: ["1E3", "NaN", "-INF", "0.1"],
    XSD.positiveInteger: ["1", "0012"],
    XSD.hexBinary: ["0FB7", ""],
}
CUSTOM_DATATYPES = [
    URIRef("https://example.org/dt#money"),
    URIRef(str(P2R) + "Code"),
    URIRef(DEFAULT_BASE_IRI + "dt/yen"),
    URIRef(JP + "型"),
]


@st.composite
def literals(draw) -> Literal:
    kind = draw(st.sampled_from(["plain", "string", "lang", "xsd", "custom"]))
    if kind == "plain":
        return Literal(draw(text_with_edges))
    if kind == "string":
        return Literal(draw(text_with_edges), datatype=XSD.string)
    if kind == "lang":
        return Literal(draw(text_with_edges), lang=draw(language))
    if kind == "xsd":
        datatype = draw(st.sampled_from(sorted(LEXICAL)))
        return Literal(draw(st.sampled_from(LEXICAL[datatype])), datatype=datatype)
    return Literal(draw(text_with_edges), datatype=draw(st.sampled_from(CUSTOM_DATATYPES)))


subjects = st.one_of(iris(), bnodes)
predicates = st.one_of(st.just(RDF.type), st.just(RDFS.label), iris())
objects = st.one_of(iris(), bnodes, literals())
graphs = st.lists(st.tuples(subjects, predicates, objects), max_size=12).map(canonical)
# Nested namespaces: the longer one must win. (The empty prefix has a test of its own below.)
prefix_tables = st.sampled_from([PREFIXES, {**PREFIXES, "jp": JP, "ex": EX, "exa": "http://example.org/a#b/"}])


# ---------------------------------------------------------------------------------------------
# Properties


@SETTINGS
@given(graph=graphs, base=st.sampled_from([*BASES, None]), prefixes=prefix_tables, header=st.none() | text)
def test_turtle_reads_back_as_the_same_graph(graph, base, prefixes, header) -> None:
    document = turtle(graph, prefixes=prefixes, base=base, header=header)
    assert_round_trips(graph, document, "turtle", ox.RdfFormat.TURTLE)


@SETTINGS
@given(graph=graphs)
def test_ntriples_read_back_as_the_same_graph(graph) -> None:
    document = ntriples(graph)
    assert_round_trips(graph, document, "nt", ox.RdfFormat.N_TRIPLES)
    lines = document.split("\n")  # not splitlines(): U+0085 and U+2028 may stand raw in a literal
    assert lines.pop() == ""
    assert lines == sorted(set(lines), key=lambda line: line + "\n"), "one sorted line per triple"
    assert len(lines) == len(graph)


@settings(SETTINGS, max_examples=50)
@given(graph=graphs, base=st.sampled_from([*BASES, None]), prefixes=prefix_tables)
def test_triples_grouped_once_give_the_same_turtle(graph, base, prefixes) -> None:
    # a build groups its triples by subject once, for Turtle and JSON-LD alike
    assert turtle(by_subject(graph), prefixes=prefixes, base=base) == turtle(graph, prefixes=prefixes, base=base)


def test_triples_grouped_once_give_the_same_jsonld() -> None:
    import json

    from plan2rdf.pipeline import bundled_graph
    from plan2rdf.resources import read_text

    triples = list(bundled_graph())
    context = json.loads(read_text("ontology", "context.jsonld"))
    assert jsonld(by_subject(triples), context) == jsonld(triples, context)


# ---------------------------------------------------------------------------------------------
# Cases worked out by hand


def test_hand_picked_literals_and_iris_round_trip() -> None:
    s = URIRef(DEFAULT_BASE_IRI + "mini-ict/2022/measure/1-2")
    graph = canonical(
        [
            (s, RDFS.label, Literal('ends in a quote"')),
            (s, RDFS.label, Literal("'''and'''\"\"\"")),
            (s, RDFS.label, Literal("\x00\x1f\x7f\r\n\\")),
            (s, RDFS.label, Literal("𠮷野家 😀 \U0010ffff", lang="ja-Hira-JP")),
            (s, URIRef(str(P2R) + "n"), Literal("-12", datatype=XSD.integer)),
            (s, URIRef(str(P2R) + "a."), URIRef(JP + "1")),  # "p2r:a." would end the statement
            (URIRef(JP + "1"), URIRef(str(SCHEMA) + "x/y"), BNode("b.1")),
            (URIRef(DEFAULT_BASE_IRI + "x?q=1#f"), RDF.type, URIRef(str(P2R))),
        ]
    )
    document = turtle(graph)
    assert "p2r:a." not in document and "<https://w3id.org/plan2rdf/ns#a.>" in document
    assert "schema:x/y" not in document
    assert "p2r:n -12" in document
    assert '"ends in a quote\\""' in document
    assert_round_trips(graph, document, "turtle", ox.RdfFormat.TURTLE)
    assert_round_trips(graph, ntriples(graph), "nt", ox.RdfFormat.N_TRIPLES)


def test_characters_an_iri_may_not_hold_are_percent_encoded() -> None:
    # IRIREF excludes #x00-#x20 <>"{}|^`\ ; a \u escape would only give an invalid IRI that
    # pyoxigraph refuses, so the writers percent-encode them (and IRIs differing only so merge).
    bad = URIRef('http://example.org/a b<c>"{d}|^`\\e')
    expected = URIRef("http://example.org/a%20b%3Cc%3E%22%7Bd%7D%7C%5E%60%5Ce")
    graph = Graph()
    graph.add((bad, RDFS.label, Literal("x")))
    want = canonical([(expected, RDFS.label, Literal("x"))])
    for document, fmt, oxfmt in (
        (turtle(graph), "turtle", ox.RdfFormat.TURTLE),
        (ntriples(graph), "nt", ox.RdfFormat.N_TRIPLES),
    ):
        assert isomorphic(read_with_rdflib(document, fmt), want)
        assert isomorphic(read_with_oxigraph(document, oxfmt), want)


def test_ntriples_escape_the_datatype_iri_like_any_other_iri() -> None:
    graph = Graph()
    graph.add((URIRef("http://example.org/s"), RDFS.label, Literal("x", datatype=URIRef("http://example.org/d t"))))
    assert (
        ntriples(graph)
        == '<http://example.org/s> <http://www.w3.org/2000/01/rdf-schema#label> "x"^^<http://example.org/d%20t> .\n'
    )


@pytest.mark.parametrize("space", ["\u00a0", "\u3000"])
def test_ntriples_with_unicode_spaces_in_iris_read_back(space) -> None:
    # Valid IRIs (ucschar) and valid N-Triples, but plan2rdf reads .nt files with rdflib itself.
    graph = canonical([(URIRef(JP + "施策" + space + "一覧"), RDFS.label, Literal("x"))])
    assert_round_trips(graph, ntriples(graph), "nt", ox.RdfFormat.N_TRIPLES)


@pytest.mark.parametrize("rest", ["a/../b", "a/./b", ".", "..", "./a"])
def test_iris_with_dot_segments_are_not_written_relative_to_the_base(rest) -> None:
    graph = canonical([(URIRef(DEFAULT_BASE_IRI + rest), RDFS.label, Literal("x"))])
    assert_round_trips(graph, turtle(graph), "turtle", ox.RdfFormat.TURTLE)


def test_a_build_under_a_hash_base_iri_gives_the_same_graph_in_turtle_and_ntriples(tmp_path: Path) -> None:
    mini = Path(__file__).parent / "fixtures" / "mini"
    result = CliRunner().invoke(
        main, ["build", str(mini / "plan.txt"), "--out", str(tmp_path), "--base-iri", "https://example.org/id#"]
    )
    assert result.exit_code == 0, result.output
    nt = Graph().parse(tmp_path / "mini-ict-2022.nt", format="nt")
    assert any(str(s).startswith("https://example.org/id#mini-ict/") for s in nt.subjects())
    ttl = (tmp_path / "mini-ict-2022.ttl").read_text(encoding="utf-8")
    assert isomorphic(read_with_oxigraph(ttl, ox.RdfFormat.TURTLE), canonical(nt))


def test_the_empty_prefix_is_declared_when_used() -> None:
    graph = canonical([(URIRef(JP + "x1"), RDFS.label, Literal("x"))])
    document = turtle(graph, prefixes={"": JP, "rdfs": str(RDFS)}, base=None)
    assert ":x1\n" in document
    assert f"@prefix : <{JP}> ." in document.splitlines()
    assert_round_trips(graph, document, "turtle", ox.RdfFormat.TURTLE)
