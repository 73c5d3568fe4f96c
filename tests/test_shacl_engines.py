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

from test_shapes import BASE_IRI, HERE, SPARQL_SHAPES, STANDALONE, _fixtures

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


def run_shacl_engine(fixtures: list[Path], *, core_only: bool = False) -> dict[str, Graph]:
    """Each fixture's report from shacl-engine, in one node process (with its SPARQL plugin unless
    ``core_only``)."""
    node = shutil.which("node")
    if node is None or not (ROOT / "node_modules" / "shacl-engine").is_dir():
        missing("shacl-engine is not installed (Node.js and `npm ci` in the repository; see .ci/run)")
    done = subprocess.run(
        [node, str(JS_RUNNER), str(SHAPES), str(HERE / "base.ttl"), *map(str, fixtures)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        cwd=ROOT,
        env={**os.environ, "SHACL_CORE_ONLY": "1" if core_only else "0"},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return {path: Graph().parse(data=nt, format="nt") for path, nt in json.loads(done.stdout).items()}


@pytest.fixture(scope="module")
def shacl_engine_reports() -> dict[str, Graph]:
    return run_shacl_engine(FIXTURES)


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


# --- engines that run core SHACL only (rdf-validate-shacl; shacl-engine without its SPARQL plugin)


def test_a_core_only_engine_misses_exactly_the_three_sparql_rules() -> None:
    """What docs/validation.md says of rdf-validate-shacl: core SHACL cannot say the three SPARQL-based
    rules (they compare two nodes away from the focus), so such an engine misses their results and
    gives every other fixture's results as before. If a rule is ever rewritten in core SHACL, this
    test says so."""
    missed = []
    for path, report in run_shacl_engine(FIXTURES, core_only=True).items():
        fixture = Path(path)
        if fixture.parent.name in SPARQL_SHAPES:
            assert results_of(report) == set(), path
            missed += [fixture] if expected(fixture) else []
        else:
            assert results_of(report) == expected(fixture), path
    assert len(missed) == 4  # IntervalOrder (empty, reversed), RepostInPlan, UniqueIdentifier


# --- shapes Jena SHACL reads too (issue 18, item 3) ----------------------------------------------
# Jena SHACL 4.5 rejects a sh:SPARQLConstraint with two sh:message values ("More than one match");
# Jena is not installable here (no Maven, Java 17), so its rule is checked on the files instead.


def test_no_sparql_constraint_has_more_than_one_message() -> None:
    for path in sorted((ROOT / "shapes").glob("*.ttl")):
        shapes = Graph().parse(path)
        constraints = set(shapes.subjects(RDF.type, SH.SPARQLConstraint)) | set(shapes.objects(None, SH.sparql))
        assert constraints, path
        for constraint in constraints:
            assert len(set(shapes.objects(constraint, SH.message))) <= 1, f"{path.name}: {constraint}"


# Every SPARQL-based rule's messages, copied by hand from shapes/plan2rdf.shacl.ttl (where they now
# sit on the node shape): `plan2rdf validate` prints the one in the chosen language, and only it.
SPARQL_MESSAGES = {
    "IntervalOrderShape/violating-reversed": {
        "ja": "期間の始まりの日付（time:inXSDDate）が終わりの日付より前ではありません",
        "en": "the period's beginning date (time:inXSDDate) is not before its end date",
    },
    "UniqueIdentifierShape/violating-duplicate": {
        "ja": "この施策の識別子（dcterms:identifier）は同じ計画の別の施策と重複しています",
        "en": "this entry's identifier (dcterms:identifier) is also used by another entry of the same plan",
    },
    "RepostInPlanShape/violating-other-plan": {
        "ja": "再掲の元の施策（p2r:repostOf）が同じ計画の施策ではありません",
        "en": "this repost's original (p2r:repostOf) is not an entry of the same plan",
    },
}


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("fixture", sorted(SPARQL_MESSAGES))
def test_validate_prints_a_sparql_rules_message_in_the_chosen_language(fixture: str, lang: str) -> None:
    from click.testing import CliRunner

    from plan2rdf.cli import main

    path = HERE / f"{fixture}.ttl"
    result = CliRunner().invoke(main, ["validate", str(HERE / "base.ttl"), str(path), "--lang", lang])
    assert result.exit_code == 1, result.output
    [other] = set(SPARQL_MESSAGES[fixture]) - {lang}
    problems = [line for line in result.stdout.splitlines() if ": " + SPARQL_MESSAGES[fixture][lang] in line]
    assert SPARQL_MESSAGES[fixture][other] not in result.stdout
    args = ["validate", str(HERE / "base.ttl"), str(path), "--format", "json"]
    report = json.loads(CliRunner().invoke(main, args).stdout)
    count = len(json.loads(path.with_name(f"{path.stem}.expected.json").read_text(encoding="utf-8")))
    assert [r["messages"] for r in report["results"]] == [SPARQL_MESSAGES[fixture]] * count
    assert len(problems) == count
