"""Validation reports a CI system can use: every result located in the validated file (line and
column of the offending statement, or of the focus node's first statement), in every input syntax
and every output format; the formats checked by their official schemas and read by real consumers.

The planted lines below are counted by hand from the text of each file, never read from the output.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from plan2rdf.cli import main

HERE = Path(__file__).parent
BASE = HERE / "shapes" / "base.ttl"
SCHEMAS = HERE / "schemas"
ID = "https://example.org/id/"

# Errors planted in a submission that adds to the base plan (tests/shapes/base.ttl, as plan.ttl).
PLANTED = """\
@base <https://example.org/id/> .
@prefix p2r: <https://w3id.org/plan2rdf/ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

# entry 1-1 gets a second p2r:isNew, and it is not a boolean
<mini-ict/2022/measure/1-1>
    p2r:isNew "maybe" .

<notes/1> rdfs:comment "about the plan" ;
    p2r:fiscalYear "21"^^xsd:gYear .

<mini-ict/2022/measure/1-2/target/9> a p2r:Target .
"""
# (rule id, value, file, line, column, source line), worked out from PLANTED and base.ttl:
EXPECTED = {
    # "maybe" is on line 8 of planted.ttl, its property at column 5; entry 1-1 is line 12 of plan.txt
    ("P2R-Measure-isNew", '"maybe"', "planted.ttl", 8, 5, 12),
    # the second value makes two: blamed on the first statement of p2r:isNew (base.ttl line 102)
    ("P2R-Measure-isNew", None, "plan.ttl", 102, 5, 12),
    # "21"^^xsd:gYear: line 11, column 5 (its property); notes/1 is no entry: no source line
    ("P2R-WellFormedLiteralShape", '"21"^^xsd:gYear', "planted.ttl", 11, 5, None),
    # a target with nothing but its type: its properties are missing, so its first statement, 13:1
    ("P2R-Target-label", None, "planted.ttl", 13, 1, None),
    ("P2R-Target-itemNumber", None, "planted.ttl", 13, 1, None),
    ("P2R-Target-indicator", None, "planted.ttl", 13, 1, None),
}


def run(*args, cwd: Path | None = None):
    return CliRunner().invoke(main, ["validate", *map(str, args)])


@pytest.fixture()
def submission(tmp_path: Path, monkeypatch) -> Path:
    """plan.ttl (the base plan), planted.ttl and plan.txt (the source) in the working directory."""
    (tmp_path / "plan.ttl").write_text(BASE.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "planted.ttl").write_text(PLANTED, encoding="utf-8")
    (tmp_path / "plan.txt").write_text("the source plan\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def report(fmt: str, *extra: str) -> str:
    result = run("plan.ttl", "planted.ttl", "--format", fmt, *extra)
    assert result.exit_code == 1, result.output
    return result.stdout


def _rule(shape: str | None) -> str:
    return "P2R-" + shape.rsplit("#", 1)[1] if shape else ""


# ---------------------------------------------------------------------------------------------
# The planted lines, in every output format


def test_json_has_line_and_column_of_each_planted_error(submission: Path) -> None:
    results = json.loads(report("json"))["results"]
    found = {(_rule(r["shape"]), r["value"], r["dataFile"], r["line"], r["column"], r["sourceLine"]) for r in results}
    assert found == EXPECTED


def test_text_names_file_line_column_and_the_source_line(submission: Path) -> None:
    lines = report("text").splitlines()
    assert lines[-1] == "does not conform (6 violations, 0 warnings, 0 infos)"
    for rule, value, file, line, column, source in EXPECTED:
        prefix = f"{file}:{line}:{column}: violation: "
        matching = [t for t in lines if t.startswith(prefix) and (value is None or f"= {value}:" in t)]
        assert matching, (rule, prefix)
        if source:
            assert all(t.endswith(f" (source plan.txt:{source})") for t in matching)


def test_github_annotations_carry_file_line_and_col(submission: Path) -> None:
    lines = report("github").splitlines()
    annotations = [t for t in lines if not t.startswith("::notice title=plan2rdf::")]
    found = set()
    for text in annotations:
        match = re.fullmatch(r"::error file=([^,]+),line=(\d+),col=(\d+),title=(P2R-[\w-]+)::(.+)", text)
        assert match, text
        found.add((match.group(4), match.group(1), int(match.group(2)), int(match.group(3))))
    assert found == {(rule, file, line, column) for rule, _, file, line, column, _ in EXPECTED}
    assert lines[-1] == "::notice title=plan2rdf::plan2rdf: does not conform (6 violations, 0 warnings, 0 infos)"


def _sarif_schema() -> dict:
    return json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))


def test_sarif_regions_related_locations_and_rules(submission: Path) -> None:
    sarif = json.loads(report("sarif"))
    jsonschema.Draft4Validator(_sarif_schema(), format_checker=jsonschema.FormatChecker()).validate(sarif)
    (run_,) = sarif["runs"]
    assert run_["originalUriBaseIds"]["SRCROOT"]["uri"] == submission.resolve().as_uri() + "/"
    found = set()
    for result in run_["results"]:
        physical = result["locations"][0]["physicalLocation"]
        assert physical["artifactLocation"]["uriBaseId"] == "SRCROOT"
        region = physical["region"]
        related = result.get("relatedLocations", [])
        source = related[0]["physicalLocation"]["region"]["startLine"] if related else None
        if related:
            assert related[0]["physicalLocation"]["artifactLocation"] == {"uri": "plan.txt", "uriBaseId": "SRCROOT"}
        value = result["properties"].get("value")
        found.add(
            (
                result["ruleId"],
                value,
                physical["artifactLocation"]["uri"],
                region["startLine"],
                region["startColumn"],
                source,
            )
        )
    assert found == EXPECTED
    rules = run_["tool"]["driver"]["rules"]
    for result in run_["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    rule = next(r for r in rules if r["id"] == "P2R-Measure-isNew")
    assert rule["name"] == "Measure-isNew"
    assert rule["helpUri"] == "https://w3id.org/plan2rdf/docs/validation.md#p2r-measure-isnew"


def _junit_schema():
    import xmlschema

    return xmlschema.XMLSchema(str(SCHEMAS / "JUnit.xsd"))


def test_junit_is_valid_and_has_file_and_line_in_properties(submission: Path) -> None:
    text = report("junit")
    _junit_schema().validate(text)
    root = ET.fromstring(text)
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    target = next(s for s in suites.values() if ID + "mini-ict/2022/measure/1-2/target/9" in s.get("name"))
    properties = {p.get("name"): p.get("value") for p in target.iter("property")}
    assert (properties["file"], properties["line"], properties["column"]) == ("planted.ttl", "13", "1")
    entry = suites["entry 1-1 「防災アプリ事業」"]
    properties = {p.get("name"): p.get("value") for p in entry.iter("property")}
    # the entry's first statement is line 95 of base.ttl; its source line 12 of plan.txt
    assert (properties["file"], properties["line"], properties["source-file"], properties["source-line"]) == (
        "plan.ttl",
        "95",
        "plan.txt",
        "12",
    )
    failure = entry.find("testcase[@name='p2rsh:MeasureShape']/failure")
    assert "planted.ttl:8:5: entry 1-1" in failure.text and "plan.ttl:102:5: entry 1-1" in failure.text
    for suite in root.iter("testsuite"):
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", suite.get("timestamp")) and suite.get("hostname")


def test_junit_timestamp_follows_source_date_epoch(submission: Path, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14T22:13:20Z
    first = report("junit")
    assert first == report("junit")  # byte-identical
    suite = next(ET.fromstring(first).iter("testsuite"))
    assert (suite.get("timestamp"), suite.get("time")) == ("2023-11-14T22:13:20", "0.000")


# ---------------------------------------------------------------------------------------------
# Real consumers


def test_sarif_tools_reads_the_lines(submission: Path) -> None:
    sarif_file = pytest.importorskip("sarif.loader")
    (submission / "out.sarif").write_text(report("sarif"), encoding="utf-8")
    records = sarif_file.load_sarif_file(str(submission / "out.sarif")).get_records()
    assert {(r["Location"], r["Line"]) for r in records} == {(f, line) for _, _, f, line, _, _ in EXPECTED}


def test_junitparser_reads_the_suites(submission: Path) -> None:
    junitparser = pytest.importorskip("junitparser")
    (submission / "out.xml").write_text(report("junit"), encoding="utf-8")
    xml = junitparser.JUnitXml.fromfile(str(submission / "out.xml"))
    suites = list(xml)
    failed = {s.name for s in suites if s.failures}
    # 1-1 (two p2r:isNew problems) and target/9; notes/1 is checked by no node shape but the literal check
    assert "entry 1-1 「防災アプリ事業」" in failed
    assert any("target/9" in name for name in failed)
    entry = next(s for s in suites if s.name == "entry 1-1 「防災アプリ事業」")
    assert {p.name: p.value for p in entry.properties()}["line"] == "95"


# ---------------------------------------------------------------------------------------------
# Every input syntax: the same two problems, hand-placed


NOTES = f"{ID}notes/1"
TARGET = f"{ID}t/9"
P2R = "https://w3id.org/plan2rdf/ns#"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
SYNTAXES = {
    # file name: (text, (line, column) of the bad gYear's statement, of the target's first statement)
    "data.ttl": (
        f'@prefix p2r: <{P2R}> .\n@prefix xsd: <{XSD}> .\n<{NOTES}>\n    p2r:fiscalYear "21"^^xsd:gYear .\n'
        f"<{TARGET}> a p2r:Target .\n",
        (4, 5),
        (5, 1),
    ),
    "data.nt": (
        f'<{NOTES}> <{P2R}fiscalYear> "21"^^<{XSD}gYear> .\n<{TARGET}> <{RDF}type> <{P2R}Target> .\n',
        (1, 34),  # "<https://example.org/id/notes/1>" is 32 characters, then a space
        (2, 1),
    ),
    "data.nq": (
        f'<{NOTES}> <{P2R}fiscalYear> "21"^^<{XSD}gYear> <https://example.org/g> .\n'
        f"<{TARGET}> <{RDF}type> <{P2R}Target> <https://example.org/g> .\n",
        (1, 34),
        (2, 1),
    ),
    "data.trig": (
        f"@prefix p2r: <{P2R}> .\n@prefix xsd: <{XSD}> .\n<https://example.org/g> {{\n"
        f'  <{NOTES}> p2r:fiscalYear "21"^^xsd:gYear .\n  <{TARGET}> a p2r:Target .\n}}\n',
        (4, 36),
        (5, 3),
    ),
    "data.jsonld": (
        "{\n"
        f'  "@context": {{"p2r": "{P2R}", "xsd": "{XSD}"}},\n'
        '  "@graph": [\n'
        "    {\n"
        f'      "@id": "{NOTES}",\n'
        '      "p2r:fiscalYear": {"@value": "21", "@type": "xsd:gYear"}\n'
        "    },\n"
        f'    {{"@id": "{TARGET}", "@type": "p2r:Target"}}\n'
        "  ]\n"
        "}\n",
        (6, 7),  # the key of the property
        (8, 5),  # the node object
    ),
    "data.rdf": (
        '<?xml version="1.0"?>\n'
        f'<rdf:RDF xmlns:rdf="{RDF}"\n'
        f'         xmlns:p2r="{P2R}">\n'
        f'  <rdf:Description rdf:about="{NOTES}">\n'
        f'    <p2r:fiscalYear rdf:datatype="{XSD}gYear">21</p2r:fiscalYear>\n'
        "  </rdf:Description>\n"
        f'  <p2r:Target rdf:about="{TARGET}"/>\n'
        "</rdf:RDF>\n",
        (5, 5),
        (7, 3),
    ),
}


@pytest.mark.parametrize("name", sorted(SYNTAXES))
def test_every_syntax_locates_the_statement_and_the_focus_node(tmp_path: Path, name: str) -> None:
    text, literal_at, target_at = SYNTAXES[name]
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = run(path, "--format", "json")
    assert result.exit_code == 1, result.output
    results = json.loads(result.stdout)["results"]
    literal = [r for r in results if r["shape"].endswith("WellFormedLiteralShape")]
    assert [(r["focus"], r["line"], r["column"]) for r in literal] == [(NOTES, *literal_at)]
    target = [r for r in results if r["focus"] == TARGET]
    assert {r["shape"].rsplit("#", 1)[1] for r in target} == {"Target-label", "Target-itemNumber", "Target-indicator"}
    assert {(r["dataFile"], r["line"], r["column"]) for r in target} == {(str(path), *target_at)}


# ---------------------------------------------------------------------------------------------
# Quiet by default; empty files; paths for CI


def test_a_clean_submission_gives_one_summary_notice(tmp_path: Path) -> None:
    only_infos = HERE / "shapes" / "IndicatorShape" / "violating-not-measurable.ttl"
    result = run(BASE, only_infos, "--format", "github")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "::notice title=plan2rdf::plan2rdf: conforms (0 violations, 0 warnings, 1 info); "
        "1 info not shown (--min-severity info shows them)\n"
    )
    shown = run(BASE, only_infos, "--format", "github", "--show", "info").stdout.splitlines()
    assert len(shown) == 2 and shown[0].startswith("::notice file=") and "title=P2R-Indicator-measurable" in shown[0]


def test_text_counts_infos_in_one_line(tmp_path: Path) -> None:
    only_infos = HERE / "shapes" / "IndicatorShape" / "violating-not-measurable.ttl"
    result = run(BASE, only_infos)
    assert result.stdout == (
        "1 info not shown (--min-severity info shows them)\nconforms (0 violations, 0 warnings, 1 info)\n"
    )
    listed = run(BASE, only_infos, "--min-severity", "info").stdout.splitlines()
    assert len(listed) == 2 and ": info: " in listed[0]
    assert run(BASE, only_infos, "--fail-on", "info").exit_code == 1  # --fail-on unchanged


@pytest.mark.parametrize("content", ["", "# only a comment\n@prefix ex: <https://example.org/> .\n"])
def test_a_file_without_triples_is_an_error(tmp_path: Path, content: str) -> None:
    empty = tmp_path / "empty.ttl"
    empty.write_text(content, encoding="utf-8")
    result = run(empty)
    assert result.exit_code == 2
    assert f"{empty}: error: no triples in {empty}" in result.stderr
    allowed = run(empty, "--allow-empty")
    assert allowed.exit_code == 0
    assert allowed.stdout == "conforms (0 violations, 0 warnings, 0 infos)\n"


def test_paths_are_relative_to_the_working_directory_and_percent_encoded(tmp_path: Path, monkeypatch) -> None:
    folder = tmp_path / "sub, dir:1"
    folder.mkdir()
    data = folder / "plan 100%.ttl"
    data.write_text(SYNTAXES["data.ttl"][0], encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    github = run(data.resolve(), "--format", "github").stdout.splitlines()
    assert github[0].startswith("::error file=sub%2C dir%3A1/plan 100%25.ttl,line=")
    sarif = json.loads(run(data.resolve(), "--format", "sarif").stdout)
    jsonschema.Draft4Validator(_sarif_schema(), format_checker=jsonschema.FormatChecker()).validate(sarif)
    location = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": "sub%2C%20dir%3A1/plan%20100%25.ttl", "uriBaseId": "SRCROOT"}


# --- results only counted (a corpus part's infos, for a format that shows their number) ---------


@pytest.mark.parametrize(
    ("fmt", "min_severity", "level"),
    [
        ("text", None, "warning"),  # infos counted in one line
        ("text", "info", "info"),
        ("text", "violation", "violation"),
        ("github", None, "warning"),
        ("json", None, "info"),
        ("json", "warning", "warning"),  # "counts" has the others
        ("sarif", "warning", "info"),  # a rule for every result's shape
        ("junit", "violation", "info"),  # a test case for every check
        ("turtle", None, "info"),  # the W3C report whole
    ],
)
def test_the_results_a_format_needs_described(fmt: str, min_severity: str | None, level: str) -> None:
    from plan2rdf.validate.report import listed_level

    assert listed_level(fmt, min_severity) == level


def test_results_only_counted_are_in_the_counts_and_the_verdicts_not_in_the_lines() -> None:
    from plan2rdf.validate import Report, Result, render

    warning = Result(severity="warning", focus=f"{ID}x", messages={"en": "check x"})
    report = Report(conforms=True, results=[warning], unlisted={"info": 3})
    assert (report.count("violation"), report.count("warning"), report.count("info")) == (0, 1, 3)
    assert report.conforms_at("violation") and not report.conforms_at("warning") and not report.conforms_at("info")
    assert render(report, "text").splitlines()[-2:] == [
        "3 infos not shown (--min-severity info shows them)",
        "conforms (0 violations, 1 warning, 3 infos)",
    ]
    document = json.loads(render(report, "json", min_severity="warning", fail_on="info"))
    assert (document["conforms"], document["counts"]) == (False, {"violation": 0, "warning": 1, "info": 3})
    assert [r["focus"] for r in document["results"]] == [f"{ID}x"]
    assert render(report, "github").endswith(
        "::notice title=plan2rdf::plan2rdf: conforms (0 violations, 1 warning, 3 infos); "
        "3 infos not shown (--min-severity info shows them)\n"
    )
    # a format that would list them, or needs every result, refuses the report
    for fmt, level in (("text", "info"), ("json", None), ("sarif", "warning"), ("junit", None), ("turtle", None)):
        with pytest.raises(ValueError, match="only counts"):
            render(report, fmt, min_severity=level)
