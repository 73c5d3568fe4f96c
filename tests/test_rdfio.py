"""The RDF input/output layer: one format table, one loader for rdflib and pyoxigraph, offline JSON-LD."""

from __future__ import annotations

import gzip
import json
import re
import socket
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import RDF, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS

from plan2rdf.cli import main
from plan2rdf.problems import InputError
from plan2rdf.rdfio import (
    CONTEXT_IRI,
    FORMATS,
    by_media_type,
    by_name,
    describe,
    expand_paths,
    format_for,
    graph_bytes,
    load_oxigraph,
    load_rdflib,
    nquads,
    nt_statement,
    trig_graph,
)
from plan2rdf.rdfio.formats import JSONLD, NQUADS, NTRIPLES, RDFXML, TRIG, TURTLE
from plan2rdf.rdfio.load import load_files
from plan2rdf.rdfio.positions import scan

ox = pytest.importorskip("pyoxigraph")

E = Namespace("http://example.org/")
P2R = Namespace("https://w3id.org/plan2rdf/ns#")
SHAPES = Path(__file__).parent / "shapes"
BASE = SHAPES / "base.ttl"
LOADERS = ["rdflib", "oxigraph"]

# The same five statements in every format: a type, a Japanese label, an integer, a link and a
# blank node with a label of its own. Quad formats put them in the graph e:g.
TURTLE_BODY = """e:a a e:Thing ;
    e:label "あ"@ja ;
    e:count 3 ;
    e:link e:b ;
    e:part [ e:label "x" ] .
"""
NT_LINES = [
    "<http://example.org/a> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://example.org/Thing>",
    '<http://example.org/a> <http://example.org/label> "あ"@ja',
    '<http://example.org/a> <http://example.org/count> "3"^^<http://www.w3.org/2001/XMLSchema#integer>',
    "<http://example.org/a> <http://example.org/link> <http://example.org/b>",
    "<http://example.org/a> <http://example.org/part> _:x",
    '_:x <http://example.org/label> "x"',
]
SAME_GRAPH = {
    "turtle": "@prefix e: <http://example.org/> .\n" + TURTLE_BODY,
    "n3": "@prefix e: <http://example.org/> .\n" + TURTLE_BODY,
    "ntriples": "".join(f"{line} .\n" for line in NT_LINES),
    "nquads": "".join(f"{line} <http://example.org/g> .\n" for line in NT_LINES),
    "trig": "@prefix e: <http://example.org/> .\ne:g {\n" + TURTLE_BODY + "}\n",
    "jsonld": json.dumps(
        {
            "@context": {"e": "http://example.org/"},
            "@id": "e:a",
            "@type": "e:Thing",
            "e:label": {"@value": "あ", "@language": "ja"},
            "e:count": 3,
            "e:link": {"@id": "e:b"},
            "e:part": {"e:label": "x"},
        },
        ensure_ascii=False,
        indent=2,
    ),
    "rdfxml": """<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:e="http://example.org/">
  <e:Thing rdf:about="http://example.org/a">
    <e:label xml:lang="ja">あ</e:label>
    <e:count rdf:datatype="http://www.w3.org/2001/XMLSchema#integer">3</e:count>
    <e:link rdf:resource="http://example.org/b"/>
    <e:part rdf:parseType="Resource"><e:label>x</e:label></e:part>
  </e:Thing>
</rdf:RDF>
""",
}

# A syntax error on a known line of each format: (text, the bad lines).
BROKEN = {
    "turtle": ('@prefix e: <http://example.org/> .\ne:a e:b e:c .\ne:a e:b "x .\n', [3]),
    "n3": ("@prefix e: <http://example.org/> .\ne:a e:b e:c .\n\ne:a e:b e:c e:d .\n", [4]),
    "ntriples": (
        "<http://e/a> <http://e/b> <http://e/c> .\n<http://e/a> <http://e/b> c .\n"
        "<http://e/a> <http://e/b> <http://e/c> .\n<http://e/a> <http://e/b> .\n",
        [2, 4],
    ),
    "nquads": (
        "<http://e/a> <http://e/b> <http://e/c> <http://e/g> .\n<http://e/a> <http://e/b> c <http://e/g> .\n",
        [2],
    ),
    "trig": ("@prefix e: <http://example.org/> .\ne:g { e:a e:b e:c .\ne:a e:b e:c e:d . }\n", [3]),
    "jsonld": ('{\n  "@id": \n}\n', [3]),
    "rdfxml": (
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '<rdf:Description rdf:about="http://e/a">\n<x></rdf:Description></rdf:RDF>\n',
        [3],
    ),
}


def expected_graph() -> Graph:
    graph = Graph()
    part = BNode()
    graph.add((E.a, RDF.type, E.Thing))
    graph.add((E.a, E.label, Literal("あ", lang="ja")))
    graph.add((E.a, E["count"], Literal("3", datatype=XSD.integer)))
    graph.add((E.a, E.link, E.b))
    graph.add((E.a, E.part, part))
    graph.add((part, E.label, Literal("x")))
    return graph


def _rdflib_term(term):
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == str(XSD.string):
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def store_graph(store) -> Graph:
    """Every quad of a pyoxigraph store as a triple of an rdflib graph."""
    graph = Graph()
    for quad in store:
        graph.add((_rdflib_term(quad.subject), _rdflib_term(quad.predicate), _rdflib_term(quad.object)))
    return graph


def load(loader: str, paths: list[Path], **kwargs) -> Graph:
    if loader == "rdflib":
        return load_rdflib(paths, **kwargs)
    return store_graph(load_oxigraph(paths, **kwargs))


def no_network(monkeypatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("plan2rdf tried to use the network")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(urllib.request, "urlopen", refuse)


def errors_of(loader: str, paths: list[Path], **kwargs) -> list[str]:
    with pytest.raises(InputError) as caught:
        load(loader, paths, **kwargs)
    return [p.format() for p in caught.value.problems]


# ---------------------------------------------------------------------------------------------
# The table


def test_every_format_has_a_fixture() -> None:
    assert set(SAME_GRAPH) == set(BROKEN) == {fmt.name for fmt in FORMATS}


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.name)
def test_each_suffix_names_its_format_also_gzipped(fmt) -> None:
    for suffix in fmt.suffixes:
        assert format_for(Path(f"data{suffix}")) is fmt
        assert format_for(Path(f"data{suffix.upper()}.gz")) is fmt
    assert by_media_type(fmt.media_type) is fmt
    assert all(by_name(name) is fmt for name in fmt.names())


def test_lookups_by_hand() -> None:
    assert format_for(Path("plan.txt")) is None
    assert format_for(Path("plan.txt"), "turtle") is TURTLE
    assert by_name("nt") is NTRIPLES and by_name("json-ld") is JSONLD and by_name("xml") is RDFXML
    assert by_media_type("text/turtle; charset=utf-8") is TURTLE
    assert by_media_type("text/html") is None
    assert [f.quads for f in (TURTLE, NQUADS, TRIG)] == [False, True, True]
    with pytest.raises(ValueError, match="unknown RDF format 'yaml'"):
        by_name("yaml")


def test_describe_writes_the_lists_of_help_texts() -> None:
    assert (
        describe([TURTLE, JSONLD, NQUADS])
        == "Turtle (.ttl, .turtle), JSON-LD (.jsonld, .json, .json-ld), N-Quads (.nq, .nquads)"
    )


def test_oxigraph_format_names_exist() -> None:
    assert [fmt.oxigraph() for fmt in (TURTLE, NQUADS, RDFXML)] == [
        ox.RdfFormat.TURTLE,
        ox.RdfFormat.N_QUADS,
        ox.RdfFormat.RDF_XML,
    ]


# ---------------------------------------------------------------------------------------------
# Loading


@pytest.mark.parametrize("loader", LOADERS)
@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.name)
def test_a_file_of_each_format_loads_the_same_graph(tmp_path: Path, fmt, loader: str) -> None:
    path = tmp_path / f"data{fmt.suffix}"
    path.write_text(SAME_GRAPH[fmt.name], encoding="utf-8")
    assert isomorphic(load(loader, [path]), expected_graph())


@pytest.mark.parametrize("loader", LOADERS)
def test_gzipped_files_and_a_bom_are_read(tmp_path: Path, loader: str) -> None:
    zipped = tmp_path / "data.nt.gz"
    zipped.write_bytes(gzip.compress(SAME_GRAPH["ntriples"].encode("utf-8")))
    bom = tmp_path / "bom.ttl"
    bom.write_bytes(b"\xef\xbb\xbf" + SAME_GRAPH["turtle"].encode("utf-8"))
    assert isomorphic(load(loader, [zipped]), expected_graph())
    assert isomorphic(load(loader, [bom]), expected_graph())


@pytest.mark.parametrize("loader", LOADERS)
def test_blank_nodes_of_two_files_stay_apart(tmp_path: Path, loader: str) -> None:
    for name in ("a.nt", "b.nt"):
        (tmp_path / name).write_text('_:x <http://example.org/label> "x" .\n', encoding="utf-8")
    graph = load(loader, [tmp_path / "a.nt", tmp_path / "b.nt"])
    assert len(set(graph.subjects())) == 2


def test_named_graphs_are_kept_in_the_store_and_merged_in_rdflib(tmp_path: Path) -> None:
    path = tmp_path / "data.trig"
    path.write_text(SAME_GRAPH["trig"], encoding="utf-8")
    store = load_oxigraph([path])
    assert {q.graph_name for q in store} == {ox.NamedNode("http://example.org/g")}
    assert len(load_rdflib([path])) == 6


def test_load_oxigraph_adds_to_a_given_store(tmp_path: Path) -> None:
    path = tmp_path / "data.nt"
    path.write_text(SAME_GRAPH["ntriples"], encoding="utf-8")
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://example.org/z"), ox.NamedNode("http://example.org/p"), ox.Literal("z")))
    assert load_oxigraph([path], store=store) is store
    assert len(store) == 7


@pytest.mark.parametrize("loader", LOADERS)
def test_relative_iris_resolve_against_the_file(tmp_path: Path, loader: str) -> None:
    path = tmp_path / "rel.ttl"
    path.write_text("<a> <b> <c> .\n", encoding="utf-8")
    base = tmp_path.resolve().as_uri()
    assert set(load(loader, [path])) == {(URIRef(f"{base}/a"), URIRef(f"{base}/b"), URIRef(f"{base}/c"))}


# ---------------------------------------------------------------------------------------------
# JSON-LD contexts: ours from the package, nobody else's


@pytest.mark.parametrize("loader", LOADERS)
def test_our_context_iri_loads_offline(tmp_path: Path, monkeypatch, loader: str) -> None:
    no_network(monkeypatch)
    path = tmp_path / "ours.jsonld"
    document = {"@context": CONTEXT_IRI, "@id": "https://example.org/id/x", "@type": "Measure", "identifier": "1-1"}
    path.write_text(json.dumps(document), encoding="utf-8")
    x = URIRef("https://example.org/id/x")
    expected = {(x, RDF.type, P2R.Measure), (x, DCTERMS.identifier, Literal("1-1"))}
    assert set(load(loader, [path])) == expected


@pytest.mark.parametrize("loader", LOADERS)
def test_another_remote_context_is_a_located_error(tmp_path: Path, monkeypatch, loader: str) -> None:
    no_network(monkeypatch)
    path = tmp_path / "other.jsonld"
    path.write_text(
        '{\n  "@context": "https://example.org/other.jsonld",\n  "@id": "https://example.org/id/x"\n}\n',
        encoding="utf-8",
    )
    assert errors_of(loader, [path]) == [
        f"{path}:2:15: error: refers to the JSON-LD context 'https://example.org/other.jsonld', which plan2rdf "
        f"does not fetch (put the context inline, or use plan2rdf's own context {CONTEXT_IRI})"
    ]


# ---------------------------------------------------------------------------------------------
# Errors: every problem, located


@pytest.mark.parametrize("loader", LOADERS)
@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.name)
def test_a_syntax_error_is_located_at_its_line_and_column(tmp_path: Path, fmt, loader: str) -> None:
    text, lines = BROKEN[fmt.name]
    path = tmp_path / f"bad{fmt.suffix}"
    path.write_text(text, encoding="utf-8")
    errors = errors_of(loader, [path])
    assert len(errors) == len(lines), errors
    for error, line in zip(errors, lines, strict=True):
        assert re.match(rf"{re.escape(str(path))}:{line}:\d+: error: (does not parse|is not JSON): \S", error), error


@pytest.mark.parametrize("loader", LOADERS)
def test_every_problem_of_every_input_is_reported_together(tmp_path: Path, loader: str) -> None:
    good = tmp_path / "good.ttl"
    good.write_text(SAME_GRAPH["turtle"], encoding="utf-8")
    latin1 = tmp_path / "latin1.ttl"
    latin1.write_bytes('<http://e/a> <http://e/b> "café" .\n'.encode("latin-1"))
    zipped = tmp_path / "fake.ttl.gz"
    zipped.write_bytes(b"not gzip")
    unknown = tmp_path / "plan.txt"
    unknown.write_text("x", encoding="utf-8")
    errors = errors_of(loader, [good, latin1, zipped, unknown, tmp_path / "missing.ttl"])
    # "café" in Latin-1: é is the byte at column 31 of line 1
    assert errors[0] == f"{zipped}: error: is not gzip data (decompress it, or drop .gz from its name)"
    assert errors[1] == f"{latin1}:1:31: error: is not UTF-8 text (save it as UTF-8)"
    assert errors[2] == f"{tmp_path / 'missing.ttl'}: error: no such file or directory"
    assert errors[3].startswith(
        f"{unknown}: error: cannot tell the RDF format of .txt: unknown RDF format (extensions: .ttl, .turtle, .nt, "
    )
    assert errors[3].endswith("(name it with --input-format)")
    assert len(errors) == 4


@pytest.mark.parametrize("loader", LOADERS)
def test_input_format_names_the_syntax_of_every_file(tmp_path: Path, loader: str) -> None:
    path = tmp_path / "plan.txt"
    path.write_text(SAME_GRAPH["ntriples"], encoding="utf-8")
    assert isomorphic(load(loader, [path], input_format="nt"), expected_graph())


# ---------------------------------------------------------------------------------------------
# Directories, and .json, .nq, .xml the same way in validate and the loader


def test_a_directory_means_its_rdf_files_but_not_json_or_xml(tmp_path: Path) -> None:
    for name in ("b/data.nq", "a.ttl", "c.ttl.gz", "package.json", "pom.xml", "notes.md", ".hidden/x.ttl"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("", encoding="utf-8")
    assert expand_paths([tmp_path]) == [tmp_path / "a.ttl", tmp_path / "b" / "data.nq", tmp_path / "c.ttl.gz"]
    named = [tmp_path / "package.json", tmp_path / "pom.xml"]
    assert expand_paths(named) == named


@pytest.fixture(scope="module")
def base_as(tmp_path_factory) -> dict[str, Path]:
    """tests/shapes/base.ttl (a conforming plan) as JSON-LD in .json, N-Quads in .nq, RDF/XML in .xml."""
    from rdflib import Dataset

    folder = tmp_path_factory.mktemp("base")
    graph = Graph().parse(BASE)
    graph.serialize(folder / "base.json", format="json-ld")
    graph.serialize(folder / "base.xml", format="xml")
    dataset = Dataset()
    named = dataset.graph(URIRef("https://example.org/graph"))
    for triple in graph:
        named.add(triple)
    dataset.serialize(folder / "base.nq", format="nquads")
    return {suffix: folder / f"base{suffix}" for suffix in (".json", ".nq", ".xml")}


@pytest.mark.parametrize("suffix", [".json", ".nq", ".xml"])
def test_json_nq_xml_are_accepted_by_validate_and_both_loaders(base_as, suffix: str) -> None:
    path = base_as[suffix]
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == "conforms (0 violations, 0 warnings, 0 infos)"
    expected = Graph().parse(BASE)
    assert isomorphic(load_rdflib([path]), expected)
    # oxigraph stores the derived integer types as xsd:integer (GUIDE §6)
    assert isomorphic(store_graph(load_oxigraph([path])), as_oxigraph_stores(expected))


def as_oxigraph_stores(graph: Graph) -> Graph:
    derived = {XSD.positiveInteger, XSD.nonNegativeInteger}
    out = Graph()
    for s, p, o in graph:
        if isinstance(o, Literal) and o.datatype in derived:
            o = Literal(str(o), datatype=XSD.integer)
        out.add((s, p, o))
    return out


@pytest.mark.parametrize("suffix", [".json", ".nq", ".xml"])
def test_validate_locates_a_syntax_error_in_json_nq_xml(tmp_path: Path, suffix: str) -> None:
    text = {".json": BROKEN["jsonld"][0], ".nq": BROKEN["nquads"][0], ".xml": BROKEN["rdfxml"][0]}[suffix]
    line = {".json": 3, ".nq": 2, ".xml": 3}[suffix]
    path = tmp_path / f"bad{suffix}"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 2
    assert re.search(rf"{re.escape(str(path))}:{line}:\d+: error: ", result.stderr), result.stderr


# ---------------------------------------------------------------------------------------------
# Writers of corpus builds


def test_nquads_and_trig_graph_write_statements_in_the_order_given() -> None:
    statements = [nt_statement(E.b, E.p, Literal("2")), nt_statement(E.a, E.p, E.c)]
    assert statements == [
        '<http://example.org/b> <http://example.org/p> "2"',
        "<http://example.org/a> <http://example.org/p> <http://example.org/c>",
    ]
    assert nquads(statements, E.g) == (
        '<http://example.org/b> <http://example.org/p> "2" <http://example.org/g> .\n'
        "<http://example.org/a> <http://example.org/p> <http://example.org/c> <http://example.org/g> .\n"
    )
    assert trig_graph(statements, E.g) == (
        "<http://example.org/g> {\n"
        '    <http://example.org/b> <http://example.org/p> "2" .\n'
        "    <http://example.org/a> <http://example.org/p> <http://example.org/c> .\n"
        "}\n"
    )


def test_graph_bytes_writes_one_graph_as_nquads_and_as_a_trig_block() -> None:
    statements = [
        '<http://example.org/b> <http://example.org/p> "計画"@ja',
        "<http://example.org/a> <http://example.org/p> _:b1",
    ]
    nq, trig = graph_bytes(statements, E.g)
    assert (
        nq
        == (
            '<http://example.org/b> <http://example.org/p> "計画"@ja <http://example.org/g> .\n'
            "<http://example.org/a> <http://example.org/p> _:b1 <http://example.org/g> .\n"
        ).encode()
    )
    assert (
        trig
        == (
            "<http://example.org/g> {\n"
            '    <http://example.org/b> <http://example.org/p> "計画"@ja .\n'
            "    <http://example.org/a> <http://example.org/p> _:b1 .\n"
            "}\n"
        ).encode()
    )


@pytest.mark.parametrize(
    ("statements", "nq", "trig"),
    [
        ([], b"", b"<http://example.org/g> {\n}\n"),
        # not from nt_statement (which escapes line ends): written as given all the same
        (['<http://example.org/a> <http://example.org/p> "x\ny"'],
         b'<http://example.org/a> <http://example.org/p> "x\ny" <http://example.org/g> .\n',
         b'<http://example.org/g> {\n    <http://example.org/a> <http://example.org/p> "x\ny" .\n}\n'),
    ],
)  # fmt: skip
def test_graph_bytes_of_no_statement_or_of_a_statement_with_a_line_end(statements, nq, trig) -> None:
    assert graph_bytes(statements, E.g) == (nq, trig)


# ---------------------------------------------------------------------------------------------
# query --data through this loader. The lead wires query/ to plan2rdf.rdfio.load; until then these
# fail (query fetches our context with rdflib, and pyoxigraph refuses it): remove the markers then.


@pytest.fixture(scope="module")
def bundled_as_ours(tmp_path_factory) -> tuple[Path, Path]:
    """The bundled plan built, and its JSON-LD naming our context IRI instead of embedding it."""
    from plan2rdf.pipeline import BuildSettings, build
    from plan2rdf.read.reader import read_plan
    from plan2rdf.resources import bundled_plan

    out = tmp_path_factory.mktemp("dist")
    files = build(read_plan(bundled_plan()), out_dir=out, settings=BuildSettings(validate=False)).files
    ttl = next(p for p in files if p.name.endswith(".ttl") and not p.name.endswith(".meta.ttl"))
    document = json.loads(ttl.with_suffix(".jsonld").read_text(encoding="utf-8"))
    document["@context"] = [CONTEXT_IRI, {"@base": document["@context"]["@base"]}]
    ours = out / "ours.jsonld"
    ours.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return ttl, ours


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_query_data_with_our_context_is_offline(bundled_as_ours, monkeypatch, engine: str) -> None:
    ttl, ours = bundled_as_ours
    command = ["query", "reposts", "--engine", engine, "--format", "csv", "--data"]
    expected = CliRunner().invoke(main, [*command, str(ttl)])
    assert expected.exit_code == 0, expected.output
    no_network(monkeypatch)
    result = CliRunner().invoke(main, [*command, str(ours)])
    assert result.exit_code == 0, result.output
    assert result.stdout == expected.stdout


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_query_data_locates_a_syntax_error(tmp_path: Path, engine: str) -> None:
    path = tmp_path / "bad.ttl"
    path.write_text(BROKEN["turtle"][0], encoding="utf-8")
    result = CliRunner().invoke(main, ["query", "reposts", "--engine", engine, "--data", str(path)])
    assert result.exit_code == 2
    assert re.search(rf"{re.escape(str(path))}:3:\d+: error: does not parse", result.stderr), result.stderr


# --- N-Triples and N-Quads, read fast ---------------------------------------------------------

LINES_NT = (
    "# a comment\n"
    '<http://ex.org/a> <http://ex.org/p> "x"@ja .\n'
    "\n"
    "_:b <http://ex.org/p> <http://ex.org/a> .\n"
    '  <http://ex.org/b>\t<http://ex.org/q> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'
    "<http://ex.org/a> <http://ex.org/q> _:b .\n"
    '<http://ex.org/a> <http://ex.org/p> "y" .\n'
)


@pytest.mark.parametrize("fmt", [NTRIPLES, NQUADS])
def test_positions_of_ntriples_lines(fmt) -> None:
    # worked out by hand: the subject's column, then each (subject, predicate)'s first predicate column
    expected = {
        ("http://ex.org/a", None): (2, 1),
        ("http://ex.org/a", "http://ex.org/p"): (2, 19),
        ("http://ex.org/b", None): (5, 3),
        ("http://ex.org/b", "http://ex.org/q"): (5, 21),
        ("http://ex.org/a", "http://ex.org/q"): (6, 19),
    }
    assert scan(LINES_NT, fmt, "file:///x.nt") == expected


def test_positions_of_escaped_iris_are_those_the_tokenizer_finds() -> None:
    text = '<http://ex.org/\\u00E9> <http://ex.org/p> "x" .\n'
    assert scan(text, NTRIPLES, "file:///x.nt") == {
        ("http://ex.org/é", None): (1, 1),
        ("http://ex.org/é", "http://ex.org/p"): (1, 24),
    }


@pytest.mark.parametrize(
    "extra",
    [
        "",
        '<http://ex.org/c> <http://ex.org/p> "z"@EN-us .\n',  # a capital in a language tag: rdflib keeps it
        '<http://ex.org/c> <http://ex.org/p> "z"^^<http://www.w3.org/2001/XMLSchema#string> .\n',
        '<http://ex.org/c> <http://ex.org/p> "tab\\there \\u00E9"@ja .\n',
    ],
)
def test_ntriples_read_as_rdflib_reads_them(tmp_path: Path, extra: str) -> None:
    path = tmp_path / "data.nt"
    path.write_text(LINES_NT + extra, encoding="utf-8")
    expected = Graph().parse(data=LINES_NT + extra, format="nt")
    got = load_files([path]).graph
    assert isomorphic(got, expected)

    def literals(graph: Graph) -> list[str]:  # datatypes and language tags as given
        return sorted(repr(o) for o in graph.objects() if isinstance(o, Literal))

    assert literals(got) == literals(expected)


def test_a_term_table_holds_each_term_once_with_its_n_triples_text() -> None:
    from plan2rdf.rdfio.table import TermTable

    ex = Namespace("https://example.org/")
    graph = Graph()
    # two objects for one literal, and two for one IRI: equal terms, one number
    graph.add((ex.a, ex.name, Literal("福島", lang="ja")))
    graph.add((ex.b, ex.name, Literal("福島", lang="ja")))
    graph.add((URIRef("https://example.org/a"), ex["count"], Literal("7", datatype=XSD.integer)))
    graph.add((ex.a, ex.note, Literal('say "hi"\n')))
    graph.add((ex.a, ex.part, BNode("x1")))
    table = TermTable.of(graph)
    assert sorted(table.texts) == sorted(
        [
            "<https://example.org/a>",
            "<https://example.org/b>",
            "<https://example.org/name>",
            "<https://example.org/count>",
            "<https://example.org/note>",
            "<https://example.org/part>",
            '"福島"@ja',
            '"7"^^<http://www.w3.org/2001/XMLSchema#integer>',
            '"say \\"hi\\"\\n"',
            "_:bx1",
        ]
    )
    assert len(table.terms) == len(table.texts) == 10
    lines = {" ".join(table.texts[n] for n in triple) for triple in table.triples}
    assert lines == {
        '<https://example.org/a> <https://example.org/name> "福島"@ja',
        '<https://example.org/b> <https://example.org/name> "福島"@ja',
        '<https://example.org/a> <https://example.org/count> "7"^^<http://www.w3.org/2001/XMLSchema#integer>',
        '<https://example.org/a> <https://example.org/note> "say \\"hi\\"\\n"',
        "<https://example.org/a> <https://example.org/part> _:bx1",
    }
    assert sorted(table.iris()) == sorted(t[1:-1] for t in table.texts if t.startswith("<"))
    assert len(table.literals()) == 3
