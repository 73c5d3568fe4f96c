"""The shapes on two independent SHACL engines besides pySHACL: shacl-engine (JavaScript, npm) and
rudof (Rust, PyPI's pyrudof). Every fixture of tests/shapes must give the same results as
`plan2rdf validate` (tests/test_shapes.py checks those against the fixture's expected.json): the same
(severity, focus node, source shape) triples, hence the same verdict.

shacl-engine comes from the committed package-lock.json (`npm ci`, .ci/run); pyrudof from the test
extra. A missing engine fails in CI (PLAN2RDF_REQUIRE_SERVERS=1) and skips locally with the reason.
Differences an engine still has are marked per fixture below and listed in docs/validation.md.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH

from test_shapes import BASE_IRI, HERE, STANDALONE, _fixtures

ROOT = Path(__file__).parents[1]
SHAPES = ROOT / "shapes" / "plan2rdf.shacl.ttl"
SHAPES_NS = "https://w3id.org/plan2rdf/shapes#"
JS_RUNNER = Path(__file__).parent / "engines" / "shacl-engine.mjs"
# plan2rdf's own checks beside SHACL (unknown terms, well-formed literals) are not shapes another
# engine can run: their fixtures are left out (other engines check lexical forms their own way).
CODE_CHECKS = {*STANDALONE, "WellFormedLiteralShape"}
FIXTURES = [p for p in _fixtures() if p.parent.name not in CODE_CHECKS]

# fixture (folder/stem) → why this engine's results differ; xfail(strict) so a fix is noticed
_RUDOF_OR = (
    "rudof reports the failing members of an sh:or as results of their own (focus: the value), besides "
    "or even without the sh:or's own result; the verdict is the same"
)
KNOWN: dict[str, dict[str, str]] = {
    "shacl-engine": {},
    "rudof": {
        "BaselineShape/violating-values": _RUDOF_OR,
        "DerivationRuleShape/violating-values": _RUDOF_OR,
        "DerivedValueShape/violating-values": _RUDOF_OR,
        "OrganizationalUnitShape/violating-parent": _RUDOF_OR,
    },
}


def missing(reason: str) -> None:
    if os.environ.get("PLAN2RDF_REQUIRE_SERVERS"):
        pytest.fail(reason)
    pytest.skip(reason)


def short(term: str) -> str:
    for namespace, prefix in ((BASE_IRI, ""), (SHAPES_NS, "p2rsh:")):
        if term.startswith(namespace):
            return prefix + term[len(namespace) :]
    return term


SEVERITY = {str(SH.Violation): "violation", str(SH.Warning): "warning", str(SH.Info): "info"}


def results_of(report: Graph) -> set[tuple[str, str, str]]:
    """(severity, focus, shape) of every result in a validation report graph."""
    found = set()
    for result in report.subjects(RDF.type, SH.ValidationResult):
        severity = SEVERITY.get(str(report.value(result, SH.resultSeverity)), "?")
        focus = short(str(report.value(result, SH.focusNode)))
        shape = report.value(result, SH.sourceShape)
        found.add((severity, focus, short(str(shape)) if isinstance(shape, URIRef) else "(blank node shape)"))
    return found


def expected(path: Path) -> set[tuple[str, str, str]]:
    """What `plan2rdf validate` reports for the fixture (tests/test_shapes.py holds it to this)."""
    if path.stem.startswith("conforming"):
        return set()
    listed = json.loads(path.with_name(f"{path.stem}.expected.json").read_text(encoding="utf-8"))
    return {(r["severity"], r["focus"], r["shape"]) for r in listed}


@pytest.fixture(scope="module")
def shacl_engine_reports() -> dict[str, Graph]:
    """Every fixture's report from shacl-engine, in one node process."""
    node = shutil.which("node")
    if node is None or not (ROOT / "node_modules" / "shacl-engine").is_dir():
        missing("shacl-engine is not installed (Node.js and `npm ci` in the repository; see .ci/run)")
    done = subprocess.run(
        [node, str(JS_RUNNER), str(SHAPES), str(HERE / "base.ttl"), *map(str, FIXTURES)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return {path: Graph().parse(data=nt, format="nt") for path, nt in json.loads(done.stdout).items()}


def rudof_report(path: Path) -> Graph:
    try:
        import pyrudof
    except ImportError:
        missing("pyrudof is not installed (pip install -e '.[test]')")
    rudof = pyrudof.Rudof(pyrudof.RudofConfig())
    rudof.read_shacl(str(SHAPES))
    rudof.read_data(str(HERE / "base.ttl"), reader_mode=pyrudof.ReaderMode.Strict)
    rudof.read_data(str(path), reader_mode=pyrudof.ReaderMode.Strict, merge=True)
    rudof.validate_shacl()
    nt = rudof.serialize_shacl_validation_results(format=pyrudof.ResultShaclValidationFormat.NTriples)
    return Graph().parse(data=nt, format="nt")


def case(engine: str, path: Path):
    name = f"{path.parent.name}/{path.stem}"
    reason = KNOWN[engine].get(name)
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(path, id=name, marks=marks)


def assert_same_verdict(report: Graph, path: Path) -> None:
    """Conforms exactly when plan2rdf's pySHACL does, and reports at least every result it reports."""
    conforms = report.value(next(report.subjects(RDF.type, SH.ValidationReport)), SH.conforms)
    assert conforms.toPython() is (not expected(path))  # SHACL: conforms means no result of any severity
    assert expected(path) <= results_of(report)


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_shacl_engine_gives_the_same_verdict(path: Path, shacl_engine_reports) -> None:
    assert_same_verdict(shacl_engine_reports[str(path)], path)


@pytest.mark.parametrize("path", [case("shacl-engine", p) for p in FIXTURES])
def test_shacl_engine_gives_the_same_results(path: Path, shacl_engine_reports) -> None:
    assert results_of(shacl_engine_reports[str(path)]) == expected(path)


@pytest.fixture(scope="module")
def rudof_reports() -> dict[Path, Graph]:
    return {}


def rudof(path: Path, cache: dict[Path, Graph]) -> Graph:
    if path not in cache:
        cache[path] = rudof_report(path)
    return cache[path]


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_rudof_gives_the_same_verdict(path: Path, rudof_reports) -> None:
    assert_same_verdict(rudof(path, rudof_reports), path)


@pytest.mark.parametrize("path", [case("rudof", p) for p in FIXTURES])
def test_rudof_gives_the_same_results(path: Path, rudof_reports) -> None:
    assert results_of(rudof(path, rudof_reports)) == expected(path)
