"""The SHACL shapes (shapes/plan2rdf.shacl.ttl), one folder of fixtures per shape.

tests/shapes/<ShapeName>/ holds conforming*.ttl (no result at all) and violating-*.ttl, each with
violating-*.expected.json listing exactly its results (severity, focus, path, value, source shape).
Every fixture is validated together with tests/shapes/base.ttl, a small plan that uses every class
and conforms with no result; UnknownTermShape's fixtures are checked on their own by the code check.
The layout follows the conformance suites of pySHACL and CSVW: data in, exact results out.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH

from plan2rdf.rdfio.load import load_files
from plan2rdf.validate import SHAPES_NS, UNKNOWN_TERM_SHAPE, load_shapes, unknown_terms, validate_graph
from plan2rdf.validate.literals import WELL_FORMED_SHAPE

HERE = Path(__file__).parent / "shapes"
BASE_IRI = "https://example.org/id/"
STANDALONE = {"UnknownTermShape"}  # a code check, not SHACL: its fixtures need no base plan
# The only SPARQL-based constraints: what core SHACL cannot say, one focus node per plan or interval.
SPARQL_SHAPES = {"UniqueIdentifierShape", "RepostInPlanShape", "IntervalOrderShape"}


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes()


@pytest.fixture(scope="module")
def base() -> Graph:
    return Graph().parse(HERE / "base.ttl")


def _folders() -> list[Path]:
    return sorted(p for p in HERE.iterdir() if p.is_dir())


def _fixtures() -> list[Path]:
    return sorted(p for folder in _folders() for p in folder.glob("*.ttl"))


def _short(text: str | None, namespace: str, prefix: str) -> str | None:
    return text.replace(namespace, prefix, 1) if text and text.startswith(namespace) else text


def _results(path: Path, shapes: Graph, base: Graph):
    if path.parent.name in STANDALONE:
        return unknown_terms(Graph().parse(path))
    # As `plan2rdf validate` reads files: literals as written ("yes"^^xsd:boolean stays "yes")
    graph = load_files([HERE / "base.ttl", path], lexical_forms=True).graph
    return validate_graph(graph, shapes=shapes, check_terms=False).results


@pytest.mark.parametrize("path", _fixtures(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_fixture_has_exactly_its_results(path: Path, shapes: Graph, base: Graph) -> None:
    results = _results(path, shapes, base)
    actual = sorted(
        (
            {
                "severity": r.severity,
                "focus": _short(r.focus, BASE_IRI, ""),
                "path": r.path,
                "value": r.value,
                "shape": _short(r.shape, SHAPES_NS, "p2rsh:"),
            }
            for r in results
        ),
        key=json.dumps,
    )
    if path.stem.startswith("conforming"):
        assert actual == []
        return
    expected = json.loads(path.with_name(f"{path.stem}.expected.json").read_text(encoding="utf-8"))
    assert actual == sorted(expected, key=json.dumps)
    # A violating fixture is about its folder's shape: at least one result comes from it.
    assert any(r.node_shape == SHAPES_NS + path.parent.name for r in results)


def _reporting_node_shapes(shapes: Graph) -> set[str]:
    targets = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
    return {str(s).removeprefix(SHAPES_NS) for p in targets for s in shapes.subjects(p, None)}


def test_every_shape_has_a_folder_of_fixtures(shapes: Graph) -> None:
    code_checks = {UNKNOWN_TERM_SHAPE.removeprefix(SHAPES_NS), WELL_FORMED_SHAPE.removeprefix(SHAPES_NS)}
    expected = _reporting_node_shapes(shapes) | code_checks
    assert {p.name for p in _folders()} == expected
    for folder in _folders():
        assert list(folder.glob("conforming*.ttl")), f"{folder.name} has no conforming fixture"
        violating = list(folder.glob("violating-*.ttl"))
        assert violating, f"{folder.name} has no violating fixture"
        for path in violating:
            assert path.with_name(f"{path.stem}.expected.json").is_file(), f"{path} has no expected results"
        for expected in folder.glob("*.expected.json"):
            assert expected.with_name(expected.name.replace(".expected.json", ".ttl")).is_file()


def test_base_plan_has_no_result_at_all(shapes: Graph, base: Graph) -> None:
    assert validate_graph(base, shapes=shapes, check_terms=False).results == []


def test_shapes_conform_to_shacl_for_shacl(shapes: Graph) -> None:
    import pyshacl

    shsh = Graph().parse(HERE / "shacl-shacl.ttl")
    conforms, _, text = pyshacl.validate(shapes, shacl_graph=shsh, inference="none")
    assert conforms, text


def test_shacl_for_shacl_finds_broken_shapes() -> None:
    """The check has teeth: a shape with two paths and a count that is not an integer fails."""
    import pyshacl

    broken = Graph().parse(
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix ex: <https://example.org/> .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property ex:P .
        ex:P a sh:PropertyShape ; sh:path ex:a, ex:b ; sh:minCount "one" .
        """,
        format="turtle",
    )
    conforms, _, _ = pyshacl.validate(broken, shacl_graph=Graph().parse(HERE / "shacl-shacl.ttl"))
    assert not conforms


def _reporting_shapes(shapes: Graph) -> list:
    """Shapes whose results reach users: property shapes of node shapes, and node shapes with
    targets and constraints of their own. Helpers inside sh:or/qualified shapes report nothing."""
    found = set(shapes.objects(None, SH.property))
    for name in _reporting_node_shapes(shapes):
        node = URIRef(SHAPES_NS + name)
        if set(shapes.predicates(node)) - {RDF.type, SH.property, SH.targetClass, SH.targetSubjectsOf,
                                           SH.targetObjectsOf, SH.targetNode}:  # fmt: skip
            found.add(node)
    return sorted(found)


def test_every_constraint_has_a_severity_and_messages_in_japanese_and_english(shapes: Graph) -> None:
    for shape in _reporting_shapes(shapes):
        assert shapes.value(shape, SH.severity) in (SH.Violation, SH.Warning, SH.Info), shape
        # a SPARQL-based constraint's messages on the constraint or on its shape (shapes/ uses the
        # shape: Jena takes one sh:message per constraint; tests/test_shacl_engines.py)
        for constraint in list(shapes.objects(shape, SH.sparql)) or [shape]:
            holders = {constraint, shape}
            languages = {m.language for holder in holders for m in shapes.objects(holder, SH.message)}
            assert languages == {"ja", "en"}, f"{constraint}: messages in {languages}"


def test_every_shape_has_an_iri(shapes: Graph) -> None:
    for shape in shapes.objects(None, SH.property):
        assert isinstance(shape, URIRef) and str(shape).startswith(SHAPES_NS), shape
    for shape in shapes.subjects(SH.sparql, None):
        assert isinstance(shape, URIRef)
    for constraint in shapes.objects(None, SH.sparql):
        assert isinstance(constraint, URIRef)


def test_sparql_constraints_are_few_and_per_plan_or_interval(shapes: Graph) -> None:
    """pySHACL's SPARQL constraints cost ~5 ms per focus node: never one per entry."""
    sparql = {str(s).removeprefix(SHAPES_NS) for s in shapes.subjects(SH.sparql, None)}
    assert sparql == SPARQL_SHAPES
    for name in sparql:
        targets = set(shapes.objects(URIRef(SHAPES_NS + name), SH.targetClass))
        assert targets <= {
            URIRef("https://w3id.org/plan2rdf/ns#ActionPlan"),
            URIRef("http://www.w3.org/2006/time#ProperInterval"),
        }
