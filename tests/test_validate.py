"""`plan2rdf validate` and the validation library: inputs, exit codes, results, every output format."""

from __future__ import annotations

import json
import re
import socket
import time
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, SH

from plan2rdf.cli import main
from plan2rdf.rdfio.contexts import CONTEXT_IRI
from plan2rdf.validate import (
    SHAPES_NS,
    UNKNOWN_TERM_SHAPE,
    ValidationTimeout,
    engine_available,
    load_shapes,
    validate_files,
    validate_graph,
)
from plan2rdf.validate.report import FORMATS, _escape_data, _escape_property, render

ROOT = Path(__file__).parents[1]
SHAPES = Path(__file__).parent / "shapes"
BASE = SHAPES / "base.ttl"
BASE_IRI = "https://example.org/id/"
P2R = "https://w3id.org/plan2rdf/ns#"


def run(*args: str):
    return CliRunner().invoke(main, ["validate", *map(str, args)])


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The bundled plan built once (as `plan2rdf build` writes it) for the whole module."""
    from plan2rdf.pipeline import BuildSettings, build
    from plan2rdf.read.reader import read_plan
    from plan2rdf.resources import bundled_plan

    out = tmp_path_factory.mktemp("dist")
    result = build(read_plan(bundled_plan()), out_dir=out, settings=BuildSettings(validate=False))
    return next(p for p in result.files if p.name.endswith(".ttl") and not p.name.endswith(".meta.ttl"))


@pytest.fixture(scope="module")
def bundled_report(built):
    """The data and its DCAT/VoID metadata, validated together as two files."""
    return validate_files([built, built.with_name(built.name.replace(".ttl", ".meta.ttl"))])


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


PREFIXES = "\n".join(line for line in BASE.read_text(encoding="utf-8").splitlines() if line.startswith("@")) + "\n"


# ---------------------------------------------------------------------------------------------
# The bundled plan


def test_bundled_plan_conforms(bundled_report) -> None:
    assert bundled_report.count("violation") == 0, [r for r in bundled_report.results if r.severity == "violation"]
    assert bundled_report.conforms


def test_bundled_plan_uses_only_defined_terms(bundled_report) -> None:
    assert not [r for r in bundled_report.results if r.shape == UNKNOWN_TERM_SHAPE]


def test_results_of_a_built_plan_name_entry_title_and_source_line(bundled_report) -> None:
    on_entries = [r for r in bundled_report.results if r.entry]
    assert on_entries
    for r in on_entries:
        assert r.title and r.source_file == "ict-action-plan-2021.txt" and r.source_line, r
        assert r.data_file and r.data_file.endswith("fukushima-ict-2021.ttl")
    info = next(r for r in bundled_report.results if r.shape == SHAPES_NS + "Indicator-measurable")
    assert info.path == "p2r:hasTarget/schema:value"
    assert info.messages.keys() == {"en", "ja"}


def test_validate_command_on_the_built_plan(built) -> None:
    result = run(built)
    assert result.exit_code == 0, result.output
    assert re.search(r"^conforms \(0 violations, \d+ warnings?, \d+ infos?\)$", result.stdout.splitlines()[-1])


# ---------------------------------------------------------------------------------------------
# Exit codes


def test_exit_0_when_the_data_conforms() -> None:
    result = run(BASE)
    assert result.exit_code == 0, result.output
    assert result.stdout == "conforms (0 violations, 0 warnings, 0 infos)\n"


def test_exit_1_when_the_data_does_not_conform() -> None:
    result = run(BASE, SHAPES / "MeasureShape" / "violating-identifier.ttl")
    assert result.exit_code == 1, result.output
    assert 'violation: entry 1-3  「防災アプリ事業」 dcterms:identifier = "1-3 ": a measure needs' in result.stdout
    assert result.stdout.splitlines()[-1] == "does not conform (2 violations, 0 warnings, 0 infos)"


@pytest.mark.parametrize(("fail_on", "code"), [("violation", 0), ("warning", 0), ("info", 1)])
def test_fail_on_sets_the_threshold(fail_on: str, code: int) -> None:
    only_an_info = SHAPES / "IndicatorShape" / "violating-not-measurable.ttl"
    result = run(BASE, only_an_info, "--fail-on", fail_on)
    assert result.exit_code == code, result.output


def test_fail_on_warning_fails_on_a_warning() -> None:
    result = run(BASE, SHAPES / "ValueUnitShape" / "violating-no-unit.ttl", "--fail-on", "warning")
    assert result.exit_code == 1


@pytest.mark.parametrize(
    "args",
    [
        ["--format", "pdf"],
        ["--fail-on", "error"],
        ["--timeout", "0"],
        ["--lang", "fr"],
        ["--input-format", "csv"],
    ],
)
def test_exit_2_on_bad_usage(args: list[str]) -> None:
    result = run(BASE, *args)
    assert result.exit_code == 2


def test_exit_2_on_a_missing_file(tmp_path: Path) -> None:
    result = run(tmp_path / "nothing.ttl")
    assert result.exit_code == 2
    assert f"{tmp_path / 'nothing.ttl'}: error: no such file or directory" in result.stderr


def test_every_unreadable_file_is_listed_with_line_and_column(tmp_path: Path) -> None:
    bad_turtle = write(tmp_path / "a.ttl", '@prefix ex: <http://e/> .\nex:a ex:b ex:c .\nex:a ex:b "x .\n')
    unbound = write(tmp_path / "b.ttl", "<http://e/a> <http://e/b> <http://e/c> .\nex:a <http://e/b> 1 .\n")
    bad_json = write(tmp_path / "c.jsonld", '{\n  "@id": \n}\n')
    bad_xml = write(
        tmp_path / "d.rdf",
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '<rdf:Description rdf:about="http://e/a">\n<x></rdf:Description></rdf:RDF>\n',
    )
    bad_nt = write(
        tmp_path / "e.nt",
        "<http://e/a> <http://e/b> <http://e/c> .\n<http://e/a> <http://e/b> c .\n"
        "<http://e/a> <http://e/b> <http://e/c> .\n<http://e/a> <http://e/b> .\n",
    )
    latin1 = tmp_path / "f.ttl"
    latin1.write_bytes('<http://e/a> <http://e/b> "café" .\n'.encode("latin-1"))
    good = BASE
    result = run(good, bad_turtle, unbound, bad_json, bad_xml, bad_nt, latin1)
    assert result.exit_code == 2
    errors = result.stderr
    assert re.search(rf"{re.escape(str(bad_turtle))}:3:\d+: error: does not parse: .*string", errors)
    assert re.search(rf"{re.escape(str(unbound))}:2:1: error: does not parse: Prefix \"ex:\" not bound", errors)
    assert f"{bad_json}:3:1: error: is not JSON: Expecting value" in errors
    assert re.search(rf"{re.escape(str(bad_xml))}:3:\d+: error: does not parse: mismatched tag", errors)
    assert f"{bad_nt}:2:1: error: does not parse" in errors
    assert f"{bad_nt}:4:1: error: does not parse" in errors
    assert f"{latin1}:1:31: error: is not UTF-8 text" in errors
    assert str(good) not in errors
    assert "Traceback" not in result.output


def test_a_file_of_unknown_format_needs_input_format(tmp_path: Path) -> None:
    turtle = write(tmp_path / "plan.txt", BASE.read_text(encoding="utf-8"))
    result = run(turtle)
    assert result.exit_code == 2
    assert "unknown RDF format" in result.stderr and "--input-format" in result.stderr
    assert run(turtle, "--input-format", "turtle").exit_code == 0


def test_blank_nodes_are_named_alike_on_every_run(tmp_path: Path) -> None:
    """rdflib labels blank nodes at random: a report naming one (its focus) was different bytes on
    every run. They are b1, b2… in the order the file gives them, and a second file's f2b1…"""
    data = write(
        tmp_path / "blank.ttl",
        "@prefix p2r: <https://w3id.org/plan2rdf/ns#> .\n@prefix ex: <http://ex.org/> .\n"
        "ex:m a p2r:Measure ;\n  p2r:hasIndicator [ a p2r:Indicator ] , [ a p2r:Indicator ] .\n",
    )
    other = write(
        tmp_path / "other.nt",
        "_:x <https://w3id.org/plan2rdf/ns#hasIndicator> _:y .\n"
        "_:y <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/plan2rdf/ns#Indicator> .\n",
    )
    outputs = [run(data, other, "--format", fmt).stdout for fmt in ("json", "sarif") for _ in range(2)]
    assert outputs[0] == outputs[1] and outputs[2] == outputs[3]
    focus = {r["focus"] for r in json.loads(outputs[0])["results"]}
    # the two indicators of blank.ttl, then other.nt's _:y (its _:x is the first blank node there)
    assert {"_:b1", "_:b2", "_:f2b2"} <= focus


def test_timeout_ends_validation_with_exit_2() -> None:
    start = time.monotonic()
    result = run(BASE, "--timeout", "0.001")
    assert result.exit_code == 2
    assert "validation did not finish within 0.001 s" in result.stderr
    assert time.monotonic() - start < 30


def test_timeout_bounds_reading_a_huge_file_too(tmp_path: Path) -> None:
    """150,000 Turtle statements (300,000 triples) take rdflib some 15 s to read and locate here,
    before any SHACL runs: --timeout 1 stops the reading too. (Before, only the SHACL run was
    bounded, and this took the whole reading and more; the limit below only proves it stops.)"""
    huge = tmp_path / "huge.ttl"
    statements = "".join(f'ex:s{i} ex:p "x{i}" ; ex:q ex:o{i} .\n' for i in range(150_000))
    huge.write_text("@prefix ex: <http://ex.org/> .\n" + statements, encoding="utf-8")
    start = time.monotonic()
    result = run(huge, "--timeout", "1")
    assert result.exit_code == 2, result.output
    assert "validation did not finish within 1 s" in result.stderr
    assert time.monotonic() - start < 8


def test_a_timeout_long_enough_gives_the_same_report_as_none(tmp_path: Path) -> None:
    from plan2rdf.validate import render, validate_files

    data = write(tmp_path / "plan.ttl", BASE.read_text(encoding="utf-8"))
    extra = tmp_path / "violating.ttl"
    extra.write_bytes((SHAPES / "RepostShape" / "violating-differs.ttl").read_bytes())
    unbounded = validate_files([data, extra])
    bounded = validate_files([data, extra], timeout=120)
    assert bounded.results and bounded.results == unbounded.results
    for fmt in ("text", "json", "sarif"):
        assert render(bounded, fmt) == render(unbounded, fmt)
    assert isomorphic(bounded.w3c_graph(), unbounded.w3c_graph())


def test_a_timeout_long_enough_gives_the_same_results_from_the_worker() -> None:
    graph = Graph().parse(BASE)
    graph.parse(SHAPES / "RepostShape" / "violating-differs.ttl")
    in_process = validate_graph(graph)
    bounded = validate_graph(graph, timeout=120)
    assert bounded.results == in_process.results
    assert isomorphic(bounded.graph, in_process.graph)


def test_the_library_raises_validation_timeout() -> None:
    with pytest.raises(ValidationTimeout):
        validate_graph(Graph().parse(BASE), timeout=0.001)


# ---------------------------------------------------------------------------------------------
# Inputs


@pytest.mark.parametrize(("fmt", "suffix"), [("nt", ".nt"), ("xml", ".rdf"), ("trig", ".trig"), ("json-ld", ".jsonld")])
def test_every_syntax_gives_the_same_results(tmp_path: Path, fmt: str, suffix: str) -> None:
    graph = Graph().parse(BASE)
    graph.parse(SHAPES / "MeasureShape" / "violating-values.ttl")
    graph.serialize(tmp_path / "data.ttl", format="turtle")
    other = tmp_path / f"data{suffix}"
    if fmt == "trig":
        from rdflib import Dataset

        dataset = Dataset()
        named = dataset.graph(URIRef("https://example.org/graph"))
        for triple in graph:
            named.add(triple)
        dataset.serialize(other, format="trig")
    else:
        graph.serialize(other, format=fmt)

    def results(path: Path) -> list:
        return [(r.severity, r.focus, r.path, r.value, r.shape) for r in validate_files([path]).results]

    assert results(other) == results(tmp_path / "data.ttl")
    assert len(results(other)) == 6


def _jsonld_with(context, body: dict | None = None) -> str:
    document = {"@context": context, "@id": f"{BASE_IRI}x", "@type": "Measure", "identifier": "1-1"}
    document.update(body or {})
    return json.dumps(document, indent=2)


def _no_network(monkeypatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("plan2rdf tried to use the network")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(urllib.request, "urlopen", refuse)


def test_a_remote_jsonld_context_is_an_error_and_never_fetched(tmp_path: Path, monkeypatch) -> None:
    _no_network(monkeypatch)
    remote = write(tmp_path / "remote.jsonld", _jsonld_with("http://example.invalid/ctx.jsonld"))
    start = time.monotonic()
    result = run(remote)
    assert time.monotonic() - start < 5
    assert result.exit_code == 2
    assert (
        f"{remote}:2:15: error: refers to the JSON-LD context 'http://example.invalid/ctx.jsonld', "
        "which plan2rdf does not fetch (put the context inline, or use plan2rdf's own context "
        f"{CONTEXT_IRI})"
    ) in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    "context",
    [
        [{"@vocab": "https://example.org/"}, "https://example.org/ctx.jsonld"],  # in a list
        {"@import": "https://example.org/ctx.jsonld"},  # JSON-LD 1.1 import
        {"@version": 1.1, "Measure": {"@id": f"{P2R}Measure", "@context": "https://example.org/ctx.jsonld"}},
        "ctx.jsonld",  # relative: would be read from disk
    ],
)
def test_every_kind_of_context_reference_is_refused(tmp_path: Path, monkeypatch, context) -> None:
    _no_network(monkeypatch)
    write(tmp_path / "ctx.jsonld", '{"@context": {}}')
    result = run(write(tmp_path / "data.jsonld", _jsonld_with(context)))
    assert result.exit_code == 2
    assert "which plan2rdf does not fetch" in result.stderr


def test_our_own_context_is_the_shipped_copy(tmp_path: Path, monkeypatch) -> None:
    _no_network(monkeypatch)
    from plan2rdf.resources import read_text

    shipped = json.loads(read_text("ontology", "context.jsonld"))["@context"]
    graph = Graph().parse(BASE)
    document = json.loads(graph.serialize(format="json-ld", context=shipped))
    document["@context"] = CONTEXT_IRI
    path = write(tmp_path / "base.jsonld", json.dumps(document, ensure_ascii=False))
    result = run(path)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == "conforms (0 violations, 0 warnings, 0 infos)"


def test_a_directory_means_its_rdf_files_sorted(tmp_path: Path) -> None:
    data = tmp_path / "submission"
    (data / "b").mkdir(parents=True)
    (data / ".git").mkdir()
    write(data / "b" / "plan.ttl", BASE.read_text(encoding="utf-8"))
    write(data / "a.ttl", (SHAPES / "MeasureShape" / "violating-identifier.ttl").read_text(encoding="utf-8"))
    write(data / "README.md", "not RDF")
    write(data / "package.json", "{}")
    write(data / ".git" / "broken.ttl", "this is not turtle")
    result = run(data, "--format", "json")
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    assert report["files"] == [str(data / "a.ttl"), str(data / "b" / "plan.ttl")]
    assert report["counts"]["violation"] == 2


def test_a_directory_without_rdf_files_is_an_error(tmp_path: Path) -> None:
    write(tmp_path / "notes.txt", "nothing")
    result = run(tmp_path)
    assert result.exit_code == 2
    assert "the directory has no RDF files" in result.stderr


def test_other_shapes_can_be_given(tmp_path: Path) -> None:
    shapes = write(
        tmp_path / "strict.ttl",
        PREFIXES
        + """@prefix sh: <http://www.w3.org/ns/shacl#> .
<https://example.org/shapes#NeedsSource> a sh:NodeShape ; sh:targetClass p2r:Measure ;
    sh:property [ sh:path p2r:sourceLine ; sh:minCount 1 ] .
""",
    )
    result = run(BASE, "--shapes", shapes, "--format", "json")
    assert result.exit_code == 1
    results = json.loads(result.stdout)["results"]
    assert [(r["entry"], r["path"]) for r in results] == [("1-2", "p2r:sourceLine")]
    assert results[0]["shape"] is None and results[0]["nodeShape"] == "https://example.org/shapes#NeedsSource"
    assert results[0]["message"]  # pySHACL's own message when the shape has none


# ---------------------------------------------------------------------------------------------
# Unknown terms


def test_a_typo_in_a_p2r_term_is_a_warning(tmp_path: Path) -> None:
    typo = write(tmp_path / "typo.ttl", PREFIXES + "<mini-ict/2022/measure/1-1> p2r:isnew true .\n")
    result = run(BASE, typo, "--format", "json")
    assert result.exit_code == 0, result.output
    (warning,) = json.loads(result.stdout)["results"]
    assert warning["severity"] == "warning"
    assert warning["shape"] == UNKNOWN_TERM_SHAPE
    assert (warning["entry"], warning["path"], warning["sourceLine"]) == ("1-1", "p2r:isnew", 12)
    assert warning["messages"]["en"].endswith("did you mean p2r:isNew?")
    assert "p2r:isNew の誤りではありませんか" in warning["messages"]["ja"]
    assert run(BASE, typo, "--fail-on", "warning").exit_code == 1


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_typo_warning_is_in_every_format(tmp_path: Path, fmt: str) -> None:
    typo = write(tmp_path / "typo.ttl", PREFIXES + "<mini-ict/2022/measure/1-1> a p2r:Mesure .\n")
    result = run(BASE, typo, "--format", fmt)
    assert result.exit_code == 0, result.output
    assert "Mesure" in result.stdout


# ---------------------------------------------------------------------------------------------
# Output formats, each read back by a real parser


@pytest.fixture(scope="module")
def failing(tmp_path_factory) -> Path:
    """A plan with a violation on entry 1-1 (line 12 of plan.txt, which lies beside it), a
    warning and an info."""
    folder = tmp_path_factory.mktemp("failing")
    write(folder / "plan.ttl", BASE.read_text(encoding="utf-8"))
    write(folder / "plan.txt", "the source plan\n")
    write(
        folder / "changes.ttl",
        PREFIXES
        + """<mini-ict/2022/measure/1-1> p2r:isNew "maybe" .
<mini-ict/2022/measure/1-2/indicator> p2r:hasTarget <mini-ict/2022/measure/1-2/target/2> .
<mini-ict/2022/measure/1-2/target/2> a p2r:Target ; rdfs:label "利用率 50"@ja ;
    p2r:itemNumber "2"^^xsd:integer ; schema:value "50"^^xsd:decimal .
<theme/ai> a skos:Concept ; skos:inScheme <themes> ; skos:prefLabel "AI"@ja .
""",
    )
    return folder


def output(folder: Path, fmt: str, *extra: str):
    result = run(folder / "plan.ttl", folder / "changes.ttl", "--format", fmt, *extra)
    assert result.exit_code == 1, result.output
    if "--lang" not in extra:
        assert result.stderr.strip() == "plan2rdf: does not conform (2 violations, 1 warning, 1 info)"
    return result.stdout


def _docs_schema() -> dict:
    text = (ROOT / "docs" / "validation.md").read_text(encoding="utf-8")
    section = text.split("### JSON Schema", 1)[1]
    return json.loads(re.search(r"```json\n(.*?)\n```", section, re.S).group(1))


def test_json_follows_the_documented_schema(failing: Path) -> None:
    report = json.loads(output(failing, "json"))
    jsonschema.validate(report, _docs_schema())
    assert report["conforms"] is False
    assert report["counts"] == {"violation": 2, "warning": 1, "info": 1}
    first = report["results"][0]
    assert (first["severity"], first["entry"], first["title"], first["path"]) == (
        "violation",
        "1-1",
        "防災アプリ事業",
        "p2r:isNew",
    )
    assert (first["sourceFile"], first["sourceLine"]) == ("plan.txt", 12)
    assert first["dataFile"] == str(failing / "plan.ttl")
    assert {r["value"] for r in report["results"] if r["path"] == "p2r:isNew"} == {None, '"maybe"'}


def test_json_messages_follow_lang(failing: Path) -> None:
    report = json.loads(output(failing, "json", "--lang", "ja"))
    assert report["results"][0]["message"] == report["results"][0]["messages"]["ja"]
    assert report["results"][0]["message"].startswith("施策には新規かどうか")


def test_sarif_follows_the_sarif_schema(failing: Path) -> None:
    sarif = json.loads(output(failing, "sarif"))
    schema = json.loads((Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker()).validate(sarif)
    (run_,) = sarif["runs"]
    rules = run_["tool"]["driver"]["rules"]
    assert {r["level"] for r in run_["results"]} == {"error", "warning", "note"}
    for result in run_["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert re.fullmatch(r"P2R-[A-Za-z]+(-[A-Za-z]+)*", result["ruleId"])
    errors = [r for r in run_["results"] if r["level"] == "error"]
    # Outside the working directory: absolute file URIs. The second p2r:isNew, "maybe", is line 11
    # of changes.ttl (after its 10 prefix lines), its property at column 29; the first is line 102
    # of the base plan.
    physical = [location["physicalLocation"] for r in errors for location in r["locations"]]
    places = {(p["artifactLocation"]["uri"], p["region"]["startLine"], p["region"]["startColumn"]) for p in physical}
    assert places == {((failing / "plan.ttl").as_uri(), 102, 5), ((failing / "changes.ttl").as_uri(), 11, 29)}
    related = errors[0]["relatedLocations"][0]["physicalLocation"]
    assert related == {"artifactLocation": {"uri": (failing / "plan.txt").as_uri()}, "region": {"startLine": 12}}
    assert (
        errors[0]["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == f"{BASE_IRI}mini-ict/2022/measure/1-1"
    )
    rule = next(r for r in rules if r["id"] == "P2R-Measure-isNew")
    assert rule["defaultConfiguration"] == {"level": "error"}
    assert rule["properties"]["shape"] == SHAPES_NS + "Measure-isNew"


def test_junit_has_a_suite_per_focus_node_and_a_case_per_node_shape(failing: Path) -> None:
    import xmlschema

    text = output(failing, "junit")
    xmlschema.XMLSchema(str(Path(__file__).parent / "schemas" / "JUnit.xsd")).validate(text)
    root = ET.fromstring(text)
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert [s.get("id") for s in suites] == [str(i) for i in range(len(suites))]
    # Two violations of entry 1-1 (a second p2r:isNew, not a boolean): one failing test case.
    assert len(list(root.iter("failure"))) == 1 == sum(int(s.get("failures")) for s in suites)
    entry = next(s for s in suites if s.get("name") == "entry 1-1 「防災アプリ事業」")
    failed = [c for c in entry.iter("testcase") if c.find("failure") is not None]
    assert [c.get("name") for c in failed] == ["p2rsh:MeasureShape"]
    assert failed[0].find("failure").get("type") == "violation"
    assert len(failed[0].find("failure").text.splitlines()) == 2
    properties = {p.get("name"): p.get("value") for p in entry.iter("property")}
    assert (properties["source-file"], properties["source-line"]) == ("plan.txt", "12")
    outputs = [s.findtext("system-out") for s in suites if s.findtext("system-out")]
    assert len(outputs) == 2 and any("warning:" in o for o in outputs) and any("info:" in o for o in outputs)


def test_github_annotations(failing: Path) -> None:
    lines = output(failing, "github").splitlines()
    assert len(lines) == 4  # two errors, a warning; the info is counted in the summary notice
    for line in lines[:-1]:
        assert re.fullmatch(r"::(error|warning) file=[^,:]+,line=\d+,col=\d+,title=P2R-[\w-]+::.+", line), line
    changes = (failing / "changes.ttl").as_posix()
    assert f"::error file={changes},line=11,col=29,title=P2R-Measure-isNew::entry 1-1 「防災アプリ事業」" in "\n".join(
        lines
    )
    assert lines[0].endswith(f" (source {(failing / 'plan.txt').as_posix()}:12)")
    assert lines[-1] == (
        "::notice title=plan2rdf::plan2rdf: does not conform (2 violations, 1 warning, 1 info); "
        "1 info not shown (--min-severity info shows them)"
    )


def test_github_escapes_what_workflow_commands_reserve() -> None:
    assert _escape_data("50%\r\nnext") == "50%25%0D%0Anext"
    assert _escape_property("p2rsh:a,b") == "p2rsh%3Aa%2Cb"


def test_turtle_is_the_w3c_report_and_stable(failing: Path) -> None:
    text = output(failing, "turtle")
    assert text == output(failing, "turtle")  # no random blank node labels
    graph = Graph().parse(data=text, format="turtle")
    report = next(graph.subjects(RDF.type, SH.ValidationReport))
    assert graph.value(report, SH.conforms) == Literal(False)
    results = list(graph.objects(report, SH.result))
    assert len(results) == 4
    severities = sorted(str(graph.value(r, SH.resultSeverity)).rsplit("#", 1)[1] for r in results)
    assert severities == ["Info", "Violation", "Violation", "Warning"]
    for r in results:
        assert graph.value(r, SH.focusNode) is not None and graph.value(r, SH.sourceShape) is not None
        assert {m.language for m in graph.objects(r, SH.resultMessage)} == {"en", "ja"}


def test_text_in_japanese(failing: Path) -> None:
    result = run(failing / "plan.ttl", failing / "changes.ttl", "--lang", "ja")
    assert result.exit_code == 1
    first = result.stdout.splitlines()[0]
    assert first.startswith(f"{failing / 'plan.ttl'}:102:5: 違反: 施策 1-1 「防災アプリ事業」 p2r:isNew")
    assert first.endswith(f"（元資料 {failing / 'plan.txt'}:12）")
    assert result.stdout.splitlines()[-2] == "情報 1 件は表示していません（--min-severity info で表示）"
    assert result.stdout.splitlines()[-1] == "適合していません（違反 2 件、警告 1 件、情報 1 件）"


def test_output_is_written_to_a_file(failing: Path, tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    result = run(failing / "plan.ttl", failing / "changes.ttl", "--format", "json", "--output", target)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert json.loads(target.read_text(encoding="utf-8"))["counts"]["violation"] == 2


def test_every_format_renders_an_empty_report() -> None:
    report = validate_files([BASE], checks=True)
    for fmt in FORMATS:
        text = render(report, fmt)
        assert text or fmt == "github"  # no annotations at all


# ---------------------------------------------------------------------------------------------
# build uses the same validation


@pytest.mark.skipif(not engine_available("turbo"), reason="pyshacl-turbo is not installed")
def test_a_build_describes_results_as_validate_does() -> None:
    """A build validates its graph in a SimpleMemory store, `validate` a loaded one in a Memory store:
    the same results, each with its entry, title and source line."""
    from plan2rdf.pipeline import graph_of
    from plan2rdf.read.reader import read_plan
    from plan2rdf.resources import bundled_plan

    plan = read_plan(bundled_plan())
    stores = ("Memory", "SimpleMemory")
    reports = [validate_graph(graph_of(plan, store=store).graph, engine="turbo") for store in stores]
    assert reports[0].results == reports[1].results
    entry = next(r for r in reports[1].results if r.entry)
    assert entry.title and entry.source_file == "ict-action-plan-2021.txt" and entry.source_line


def test_build_refuses_an_invalid_graph_and_prints_the_same_text(tmp_path: Path) -> None:
    """With a shape the bundled plan cannot meet, `build` writes nothing and reports like `validate`."""
    strict = load_shapes()
    strict.parse(
        data=PREFIXES
        + """@prefix sh: <http://www.w3.org/ns/shacl#> .
<https://example.org/shapes#Strict> a sh:NodeShape ;
    sh:targetNode <https://w3id.org/plan2rdf/id/fukushima-ict/2021/measure/1-1> ;
    sh:property [ sh:path dcterms:abstract ; sh:minCount 1 ; sh:message "needs an abstract"@en ] .
""",
        format="turtle",
    )
    strict.serialize(tmp_path / "strict.ttl", format="turtle")
    result = CliRunner().invoke(
        main, ["build", "--out", str(tmp_path / "dist"), "--shapes", str(tmp_path / "strict.ttl")]
    )
    assert result.exit_code == 1, result.output
    assert not (tmp_path / "dist").exists() or not any((tmp_path / "dist").iterdir())
    assert re.search(
        r"^ict-action-plan-2021\.txt:18: violation: entry 1-1 「[^」]+」 dcterms:abstract: needs an abstract$",
        result.stderr,
        re.M,
    )
    assert re.search(r"^does not conform \(1 violation, \d+ warnings?, \d+ infos?\)$", result.stderr, re.M)


@pytest.mark.parametrize("suffix", [".nt", ".nq"])
def test_an_ill_typed_literal_is_reported_without_rdflibs_traceback(tmp_path: Path, suffix: str) -> None:
    """rdflib logs a traceback for each literal it cannot convert while parsing; the report has the violation."""
    path = tmp_path / f"data{suffix}"
    integer = "<http://www.w3.org/2001/XMLSchema#integer>"
    path.write_text(f'<https://example.org/a> <https://w3id.org/plan2rdf/ns#itemNumber> "zwei"^^{integer} .\n')
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 1
    assert "Traceback" not in result.stderr and "Failed to convert" not in result.stderr
    # by hand: the statement's predicate, after the subject and a space (24 characters)
    assert f"{path}:1:25: violation: " in result.stdout
    assert '"zwei"^^xsd:integer is not a valid xsd:integer' in result.stdout
