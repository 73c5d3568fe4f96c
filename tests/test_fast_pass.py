"""The fast pass of corpus builds: severity counts from the shapes that can fail the build.

``severity_counts(..., at_least=level)`` runs only :func:`blocking_shapes` (the shapes that can
report a result at ``level`` or worse). On every shapes fixture, its counts must be those of the
fixture's hand-written expected results at that level or worse, on every engine.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import SH

from plan2rdf.rdfio.load import load_files
from plan2rdf.rdfio.table import TermTable
from plan2rdf.validate import LEVELS, engine_available, load_shapes, severity_counts
from plan2rdf.validate.shapes import blocking_shapes

HERE = Path(__file__).parent / "shapes"
ENGINES = [e for e in ("pyshacl", "turbo") if engine_available(e)]
EX = "https://example.org/shapes#"


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes()


def _violating() -> list[Path]:
    # UnknownTermShape's fixtures stand alone (a code check, without the base plan)
    return sorted(p for p in HERE.glob("*/violating-*.ttl") if p.parent.name != "UnknownTermShape")


@pytest.mark.parametrize("table", [False, True], ids=["graph", "table"])
@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("level", list(LEVELS))
@pytest.mark.parametrize("path", _violating(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_counts_at_a_level_are_the_expected_results_at_that_level(path, level, engine, table, shapes) -> None:
    """With ``table`` (a corpus worker's TermTable, handed to pyshacl-turbo as its own term records
    and to the literal and vocabulary checks), the same counts as from the graph."""
    expected_results = json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))
    threshold = LEVELS[level]
    expected = dict.fromkeys(LEVELS, 0)
    for result in expected_results:
        if LEVELS[result["severity"]] >= threshold:
            expected[result["severity"]] += 1
    graph = load_files([HERE / "base.ttl", path], lexical_forms=True).graph
    terms = TermTable.of(graph) if table else None
    assert severity_counts(graph, engine=engine, shapes=shapes, at_least=level, table=terms) == expected


SHAPES = f"""
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <{EX}> .

ex:Top a sh:NodeShape ; sh:targetClass ex:Thing ;
    sh:property ex:top-info, ex:top-violation, ex:top-warning-nesting .
ex:top-info a sh:PropertyShape ; sh:path ex:note ; sh:minCount 1 ; sh:severity sh:Info .
ex:top-violation a sh:PropertyShape ; sh:path ex:name ; sh:minCount 1 .
ex:top-warning-nesting a sh:PropertyShape ; sh:path ex:part ; sh:severity sh:Warning ;
    sh:property ex:inner-violation .
ex:inner-violation a sh:PropertyShape ; sh:path ex:size ; sh:minCount 1 .

ex:Referring a sh:NodeShape ; sh:targetClass ex:Whole ; sh:node ex:Nested .
ex:Nested a sh:NodeShape ; sh:property ex:nested-info .
ex:nested-info a sh:PropertyShape ; sh:path ( ex:a ex:b ) ; sh:minCount 1 ; sh:severity sh:Info .

ex:Lonely a sh:NodeShape ; sh:targetClass ex:Other ; sh:severity sh:Warning ; sh:closed true .
"""


def _subjects(graph: Graph) -> set[str]:
    return {str(s).removeprefix(EX) for s in graph.subjects() if isinstance(s, URIRef)}


def test_only_shapes_whose_results_alone_carry_a_lower_severity_are_left_out() -> None:
    shapes = Graph().parse(data=SHAPES, format="turtle")
    kept = blocking_shapes(shapes, "violation")
    # ex:top-info and ex:Lonely report only their own lower severity; ex:top-warning-nesting nests a
    # violation of its own; ex:nested-info decides ex:Nested's verdict, so ex:Referring's.
    assert _subjects(shapes) - _subjects(kept) == {"top-info", "Lonely"}
    assert (URIRef(EX + "Top"), SH.property, URIRef(EX + "top-info")) not in kept
    assert len(kept) == len(shapes) - 9  # the four triples of each, and ex:Top's link to ex:top-info
    assert _subjects(blocking_shapes(shapes, "warning")) == _subjects(shapes) - {"top-info"}
    assert len(blocking_shapes(shapes, "info")) == len(shapes)


def test_the_paths_of_left_out_shapes_go_with_them() -> None:
    unused = SHAPES.replace("ex:Referring a sh:NodeShape ; sh:targetClass ex:Whole ; sh:node ex:Nested .", "")
    shapes = Graph().parse(data=unused, format="turtle")
    kept = blocking_shapes(shapes, "violation")
    # ex:Nested is no longer nested: its info shape goes, and the two-step path's list with it
    assert "nested-info" not in _subjects(kept)
    assert not any(True for _ in kept.subjects(None, URIRef(EX + "a")))
    assert len(shapes) - len(kept) == 9 + 5 + 4  # as above; ex:nested-info's 4 and its link; the list's 4


@pytest.mark.parametrize("table", [False, True], ids=["graph", "table"])
@pytest.mark.parametrize("engine", ENGINES)
def test_unknown_terms_are_counted_once_each_however_often_used(engine, table) -> None:
    """No shapes, so only the code checks count: the fixture's three misspelt p2r: terms
    (p2r:Mesure, p2r:isnew, and p2r:hasMeasures used twice) are three warnings."""
    graph = load_files([HERE / "UnknownTermShape" / "violating-typos.ttl"], lexical_forms=True).graph
    terms = TermTable.of(graph) if table else None
    counts = severity_counts(graph, engine=engine, shapes=Graph(), at_least="info", table=terms)
    assert counts == {"violation": 0, "warning": 3, "info": 0}
