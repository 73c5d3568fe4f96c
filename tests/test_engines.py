"""pyshacl-turbo, the fast engine of corpus builds, gives exactly pySHACL's results.

Every shapes fixture (tests/shapes/) and the bundled plan are validated by both engines; the
results must be the same, result for result. This is what makes the fast engine sound to use.
"""

from pathlib import Path

import pytest
from rdflib import Graph

from plan2rdf.pipeline import graph_of
from plan2rdf.rdfio.load import load_files
from plan2rdf.read.reader import read_plan
from plan2rdf.resources import bundled_plan
from plan2rdf.validate import SHAPES_NS, engine_available, validate_graph

pytestmark = pytest.mark.skipif(not engine_available("turbo"), reason="pyshacl-turbo is not installed")

HERE = Path(__file__).parent / "shapes"
FIXTURES = sorted(HERE.glob("*/*.ttl"))


def results(graph: Graph, engine: str) -> set[tuple]:
    report = validate_graph(graph, engine=engine)
    return {(r.severity, r.focus, r.path, r.value, r.shape, r.message("en"), r.message("ja")) for r in report.results}


@pytest.mark.parametrize("fixture", FIXTURES, ids=[f"{p.parent.name}/{p.name}" for p in FIXTURES])
def test_same_results_on_every_fixture(fixture: Path) -> None:
    # Literals as written, as `plan2rdf validate` reads them (tests/shapes/WellFormedLiteralShape)
    graph = load_files([fixture], input_format="turtle", lexical_forms=True).graph
    assert results(graph, "turbo") == results(graph, "pyshacl")


def test_same_results_on_ill_formed_literals_as_rdflib_normalises_them() -> None:
    """A graph built by rdflib's default parser ("yes"^^xsd:boolean read as "false", marked ill-typed)."""
    graph = Graph().parse(HERE / "base.ttl").parse(HERE / "WellFormedLiteralShape" / "violating-literals.ttl")
    fast = results(graph, "turbo")
    assert fast == results(graph, "pyshacl")
    assert {r[4] for r in fast} == {SHAPES_NS + "WellFormedLiteralShape"}
    # The fixture's 12 literals, less " 5"^^xsd:integer, which rdflib rewrites to a well-formed "5"
    assert len(fast) == 11
    assert (
        (
            "violation",
            "https://example.org/id/notes/1",
            "rdfs:comment",
            '"false"^^xsd:boolean',  # "yes", as rdflib rewrote it
        )
        in {r[:4] for r in fast}
    )


def test_same_results_on_the_bundled_plan() -> None:
    graph = graph_of(read_plan(bundled_plan())).graph
    fast = results(graph, "turbo")
    assert fast == results(graph, "pyshacl")
    assert not any(r[0] == "violation" for r in fast)
