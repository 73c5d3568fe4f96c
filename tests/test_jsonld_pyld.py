"""The hand-written JSON-LD compactor (plan2rdf.rdfio.writers.jsonld) against pyld, a full JSON-LD 1.1 processor.

pyld runs offline: its document loader serves our context IRI from the shipped
ontology/context.jsonld and refuses every other URL. For the bundled plan and the mini plan,
the .jsonld of a build must expand to the graph of the .nt file of the same build (and to
rdflib's reading of the .jsonld), and compacting pyld's expansion with our context must give
the same expansion back. Hypothesis then pushes the compactor's term choice (coercions,
containers, language maps, relative IRIs) with graphs of the shapes it is written for: IRIs
and literals, no blank nodes, a base ending in "/".
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyld import jsonld as pyld
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, XSD

from plan2rdf.cli import main
from plan2rdf.rdfio.writers import jsonld
from plan2rdf.vocab import DEFAULT_BASE_IRI, P2R

ROOT = Path(__file__).parents[1]
MINI = Path(__file__).parent / "fixtures" / "mini"
CONTEXT_IRI = "https://w3id.org/plan2rdf/context.jsonld"
CONTEXT = json.loads((ROOT / "ontology" / "context.jsonld").read_text(encoding="utf-8"))


def offline_loader(url: str, options: dict | None = None) -> dict:
    """Our context from the shipped file; nothing else, ever."""
    if url == CONTEXT_IRI:
        return {"contextUrl": None, "documentUrl": url, "document": CONTEXT}
    raise pyld.JsonLdError(
        f"refusing to fetch {url}", "jsonld.LoadDocumentError", {"url": url}, code="loading document failed"
    )


OPTIONS = {"documentLoader": offline_loader}


def pyld_graph(document) -> Graph:
    """The RDF of a JSON-LD document according to pyld, read into rdflib from its N-Quads."""
    nquads = pyld.to_rdf(document, {**OPTIONS, "format": "application/n-quads"})
    return canonical(Graph().parse(data=nquads, format="nt"))


def canonical(triples) -> Graph:
    """RDF 1.1 term equality made literal: no xsd:string, lower-case language tags."""
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


def build(source: Path | None, out: Path, *extra: str) -> Path:
    args = ["build", *([str(source)] if source else []), "--out", str(out), *extra]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    [jsonld_file] = out.glob("*[0-9].jsonld")
    return jsonld_file


# the bundled plan, the mini plan, and a sheet read through [columns] with column notes
SOURCES = {"bundled": None, "mini": MINI / "plan.txt", "mirai": MINI.parent / "layouts" / "mirai" / "plan.csv"}


@pytest.fixture(scope="module", params=sorted(SOURCES))
def built(request, tmp_path_factory) -> Path:
    """The .jsonld of a build; its .nt sits beside it."""
    return build(SOURCES[request.param], tmp_path_factory.mktemp(request.param))


def test_the_loader_refuses_everything_but_our_context() -> None:
    assert offline_loader(CONTEXT_IRI)["document"] is CONTEXT
    with pytest.raises(pyld.JsonLdError):
        offline_loader("https://schema.org/")
    with pytest.raises(pyld.JsonLdError):
        pyld.expand({"@context": "https://example.org/context.jsonld", "@id": "x"}, OPTIONS)


def test_pyld_reads_the_graph_of_the_ntriples_file(built: Path) -> None:
    document = json.loads(built.read_text(encoding="utf-8"))
    ntriples = canonical(Graph().parse(built.with_suffix(".nt"), format="nt"))
    assert len(ntriples) > 50
    by_pyld = pyld_graph(document)
    assert len(by_pyld) == len(ntriples)
    assert isomorphic(by_pyld, ntriples)
    assert isomorphic(by_pyld, canonical(Graph().parse(built, format="json-ld")))


def test_the_embedded_context_is_the_shipped_one_plus_the_base(built: Path) -> None:
    document = json.loads(built.read_text(encoding="utf-8"))
    assert document["@context"]["@base"] == DEFAULT_BASE_IRI
    by_reference = {"@context": [CONTEXT_IRI, {"@base": DEFAULT_BASE_IRI}], "@graph": document["@graph"]}
    assert pyld.expand(by_reference, OPTIONS) == pyld.expand(document, OPTIONS)


def test_compacting_with_our_context_keeps_the_expansion(built: Path) -> None:
    expanded = pyld.expand(json.loads(built.read_text(encoding="utf-8")), OPTIONS)
    compacted = pyld.compact(expanded, CONTEXT_IRI, OPTIONS)
    assert compacted["@context"] == CONTEXT_IRI  # compaction went through the loader
    assert pyld.expand(compacted, OPTIONS) == expanded


def test_a_build_under_a_hash_base_iri_expands_to_its_ntriples(tmp_path: Path) -> None:
    built = build(MINI / "plan.txt", tmp_path, "--base-iri", "https://example.org/id#")
    ntriples = canonical(Graph().parse(built.with_suffix(".nt"), format="nt"))
    assert any(str(s).startswith("https://example.org/id#mini-ict/") for s in ntriples.subjects())
    assert isomorphic(pyld_graph(json.loads(built.read_text(encoding="utf-8"))), ntriples)


# ---------------------------------------------------------------------------------------------
# Random graphs of our shapes


def _context_terms() -> list[tuple[URIRef, object, object]]:
    """(property IRI, @type, @container) of every property term of the shipped context."""
    ctx = CONTEXT["@context"]
    prefixes = {k: v for k, v in ctx.items() if isinstance(v, str) and v.endswith(("#", "/"))}

    def expand(value: str) -> str:
        prefix, _, local = value.partition(":")
        return prefixes[prefix] + local if prefix in prefixes else value

    terms = []
    for definition in ctx.values():
        if isinstance(definition, dict):
            coerce = definition.get("@type")
            terms.append((URIRef(expand(definition["@id"])), coerce and expand(coerce), definition.get("@container")))
        elif isinstance(definition, str) and ":" in definition and not definition.endswith(("#", "/")):
            terms.append((URIRef(expand(definition)), None, None))
    return terms


TERMS = _context_terms()
PROPERTIES = sorted({iri for iri, _, _ in TERMS})
CLASSES = [URIRef(str(P2R) + "Measure"), URIRef("http://www.w3.org/2004/02/skos/core#Concept")]

CHARS = st.characters(exclude_categories=("Cs",))
NASTY = ['"', "\\", "\n", "\r", "\x00", "\x1f", "\x7f", "\u2028", "😀", "\U0010ffff", "@id", "{", "福島県"]
text = st.lists(st.one_of(st.sampled_from(NASTY), st.text(CHARS, max_size=5)), max_size=5).map("".join)
language = st.sampled_from(["ja", "en", "ja-Hira-JP", "EN-GB", "zh-Hant-TW"])
LEXICAL = {
    XSD.gYear: ["2021", "2021+09:00"],
    XSD.date: ["2021-04-01", "2021-04-01Z"],
    XSD.positiveInteger: ["1", "12", "12345678901234567890"],
    XSD.nonNegativeInteger: ["0", "4886"],
    XSD.integer: ["-3", "0"],
    XSD.boolean: ["true", "false"],
    XSD.decimal: ["0.5", "120.0", "-1"],
    XSD.hexBinary: ["0FB7"],
    URIRef("https://example.org/dt#yen"): ["100"],
}
LOCALS = ["a", "a/b", "1-10", "x-0123abcd", "a.", "例", "a?q=1", "a#f", "a/b:c", "%E4%BE%8B", "😀"]
iris = st.one_of(
    st.builds(
        lambda r, local: URIRef(r + local),
        st.sampled_from([DEFAULT_BASE_IRI, str(P2R), "https://例え.jp/"]),
        st.sampled_from(LOCALS),
    ),
    st.sampled_from([*CLASSES, URIRef(DEFAULT_BASE_IRI + "org/fukushima"), URIRef("urn:isbn:4-00-000000-0")]),
)


@st.composite
def literals(draw) -> Literal:
    kind = draw(st.sampled_from(["plain", "lang", "typed"]))
    if kind == "plain":
        return Literal(draw(text))
    if kind == "lang":
        return Literal(draw(text), lang=draw(language))
    datatype = draw(st.sampled_from(sorted(LEXICAL)))
    return Literal(draw(st.sampled_from(LEXICAL[datatype])), datatype=datatype)


predicates = st.one_of(st.sampled_from(PROPERTIES), iris)
objects = st.one_of(iris, literals())
# rdf:type only ever points to a class: the compactor writes every rdf:type object as a "type" name.
triples = st.one_of(st.tuples(iris, predicates, objects), st.tuples(iris, st.just(RDF.type), iris))
graphs = st.lists(triples, min_size=1, max_size=10).map(canonical)


@settings(
    max_examples=100,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(graph=graphs)
def test_random_graphs_expand_to_themselves(graph: Graph) -> None:
    document = json.loads(jsonld(graph, CONTEXT, base=DEFAULT_BASE_IRI))
    assert isomorphic(pyld_graph(document), graph), json.dumps(document, ensure_ascii=False, indent=1)


@pytest.mark.parametrize("rest", ["@a", "a/../b", "."])
def test_ids_are_written_relative_to_the_base_only_where_they_resolve_back(rest: str) -> None:
    iri = URIRef(DEFAULT_BASE_IRI + rest)
    graph = canonical(
        [
            (iri, URIRef("http://purl.org/dc/terms/identifier"), Literal("x")),
            (URIRef("https://example.org/s"), URIRef("http://www.w3.org/2000/01/rdf-schema#seeAlso"), iri),
        ]
    )
    document = json.loads(jsonld(graph, CONTEXT, base=DEFAULT_BASE_IRI))
    assert isomorphic(pyld_graph(document), graph)


def test_a_json_ld_1_0_processor_refuses_the_output(built: Path) -> None:
    """docs/vocabulary.md says a JSON-LD 1.1 processor is needed: the context declares @version 1.1."""
    document = json.loads(built.read_text(encoding="utf-8"))
    with pytest.raises(pyld.JsonLdError) as caught:
        pyld.expand(document, {**OPTIONS, "processingMode": "json-ld-1.0"})
    assert "processing mode" in str(caught.value).lower() or "1.1" in str(caught.value)
