"""Validation reports for people and machines: one formatter per output format.

Every formatter takes a :class:`~plan2rdf.validate.results.Report` and returns text; the CLI writes it
and sets the exit code. Formats: text, json (schema in docs/validation.md), turtle (the W3C
validation report), junit (JUnit XML), github (workflow annotations), sarif (SARIF 2.1.0).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from xml.etree import ElementTree as ET

from plan2rdf.validate.results import LEVELS, REPORT_PREFIXES, Check, Report, Result, Rule

FORMATS = ("text", "json", "turtle", "junit", "github", "sarif")
JSON_FORMAT = "plan2rdf-validation-report"
JSON_VERSION = 1
TOOL_URI = "https://w3id.org/plan2rdf"
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

_SEVERITY_WORDS = {
    "en": {"violation": "violation", "warning": "warning", "info": "info"},
    "ja": {"violation": "違反", "warning": "警告", "info": "情報"},
}


def _compact(iri: str | None) -> str | None:
    """An IRI with a report prefix (p2rsh:MeasureShape), else as it is."""
    if iri is None:
        return None
    for prefix, ns in REPORT_PREFIXES.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns) :]}"
    return iri


def _where(r: Result) -> str:
    if r.source_file and r.source_line:
        return f"{r.source_path or r.source_file}:{r.source_line}: "
    if r.data_file:
        return f"{r.data_file}: "
    return ""


def _subject(r: Result | Check, lang: str = "en") -> str:
    """「entry 1-6 「title」」, 「entry 1-6 「title」 target/2」 or 「「label」 <iri>」 (a Result or a Check)."""
    if r.entry:
        word = "施策" if lang == "ja" else "entry"
        text = f"{word} {r.entry} 「{r.title}」" if r.title else f"{word} {r.entry}"
        return f"{text} {r.part}" if r.part else text
    if r.title:
        return f"「{r.title}」 <{r.focus}>"
    return f"<{r.focus}>"


def describe(r: Result, lang: str = "en") -> str:
    """What and where, without the file: 「entry 1-6 「…」 dcterms:title = "x"@en: message」."""
    text = _subject(r, lang)
    if r.path:
        text += f" {r.path}"
    if r.value is not None:
        text += f" = {r.value}"
    return f"{text}: {r.message(lang)}"


def summary(report: Report, *, lang: str = "en", fail_on: str = "violation") -> str:
    ok = report.conforms_at(fail_on)
    counts = {s: report.count(s) for s in ("violation", "warning", "info")}
    if lang == "ja":
        parts = "、".join(f"{_SEVERITY_WORDS['ja'][s]} {n} 件" for s, n in counts.items())
        return ("適合しています" if ok else "適合していません") + f"（{parts}）"
    parts = ", ".join(f"{n} {s}{'s' if n != 1 else ''}" for s, n in counts.items())
    return ("conforms" if ok else "does not conform") + f" ({parts})"


def format_text(report: Report, *, lang: str = "en", limit: int | None = None, fail_on: str = "violation") -> str:
    """One line per result: where, severity, which entry, the property and value, the message."""
    words = _SEVERITY_WORDS.get(lang, _SEVERITY_WORDS["en"])
    lines = [f"{_where(r)}{words[r.severity]}: {describe(r, lang)}" for r in report.results[:limit]]
    if limit is not None and len(report.results) > limit:
        lines.append(f"… and {len(report.results) - limit} more")
    lines.append(summary(report, lang=lang, fail_on=fail_on))
    return "\n".join(lines) + "\n"


def result_dict(r: Result, lang: str = "en") -> dict:
    return {
        "severity": r.severity,
        "entry": r.entry,
        "part": r.part,
        "title": r.title,
        "focus": r.focus,
        "path": r.path,
        "value": r.value,
        "message": r.message(lang),
        "messages": dict(sorted(r.messages.items())),
        "shape": r.shape,
        "nodeShape": r.node_shape,
        "component": r.component,
        "sourceFile": r.source_file,
        "sourceLine": r.source_line,
        "dataFile": r.data_file,
    }


def format_json(report: Report, *, lang: str = "en", fail_on: str = "violation") -> str:
    """The documented JSON form (docs/validation.md, "JSON")."""
    document = {
        "format": JSON_FORMAT,
        "version": JSON_VERSION,
        "conforms": report.conforms_at(fail_on),
        "failOn": fail_on,
        "counts": {s: report.count(s) for s in ("violation", "warning", "info")},
        "files": list(report.files),
        "prefixes": dict(REPORT_PREFIXES),
        "results": [result_dict(r, lang) for r in report.results],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def format_turtle(report: Report, **_) -> str:
    """The W3C SHACL validation report graph, with stable blank node labels."""
    from rdflib import Graph
    from rdflib.compare import to_canonical_graph

    if report.graph is None:
        raise ValueError("the report has no validation report graph")
    graph = Graph()
    for triple in to_canonical_graph(report.graph):
        graph.add(triple)
    for prefix, ns in REPORT_PREFIXES.items():
        graph.bind(prefix, ns, override=True, replace=True)
    return graph.serialize(format="turtle")


def _location(r: Result) -> tuple[str | None, int | None]:
    """The file (and line) a CI annotation points at: the source plan when it is on disk (or the
    graph was built in this run), else the data file the problem was read from."""
    if r.source_line and r.source_path:
        return r.source_path, r.source_line
    if r.data_file:
        return r.data_file, None
    return r.source_file, r.source_line if r.source_file else None


def format_junit(report: Report, *, lang: str = "en", **_) -> str:
    """JUnit XML: a test suite per node shape, a test case per shape and focus node, a failure
    per focus node with violations; warnings and infos go to the test case's system-out."""
    from plan2rdf.rdfio.writers import natural_key

    by_case: dict[tuple[str, str], list[Result]] = {}
    for r in report.results:
        by_case.setdefault((r.node_shape or r.shape or "", r.focus), []).append(r)
    suites: dict[str, list] = {}
    for check in report.checks:
        suites.setdefault(check.shape, []).append(check)
    root = ET.Element("testsuites", name="plan2rdf validate")
    total = failed = 0
    for shape in sorted(suites):
        cases = sorted(suites[shape], key=lambda c: (natural_key(c.entry or c.focus), c.focus))
        suite = ET.SubElement(root, "testsuite", name=_compact(shape) or "(unnamed shape)")
        suite_failures = 0
        for check in cases:
            case = ET.SubElement(suite, "testcase", classname=_compact(shape) or "", name=_case_name(check, lang))
            if check.source_file and check.source_line:
                case.set("file", check.source_file)
                case.set("line", str(check.source_line))
            results = by_case.get((check.shape, check.focus), [])
            violations = [r for r in results if r.severity == "violation"]
            others = [r for r in results if r.severity != "violation"]
            if violations:
                suite_failures += 1
                failure = ET.SubElement(case, "failure", type="violation", message=violations[0].message(lang))
                failure.text = "\n".join(f"{_where(r)}{describe(r, lang)}" for r in violations)
            if others:
                out = ET.SubElement(case, "system-out")
                out.text = "\n".join(f"{_where(r)}{r.severity}: {describe(r, lang)}" for r in others)
        suite.set("tests", str(len(cases)))
        suite.set("failures", str(suite_failures))
        suite.set("errors", "0")
        total += len(cases)
        failed += suite_failures
    root.set("tests", str(total))
    root.set("failures", str(failed))
    root.set("errors", "0")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _case_name(check: Check, lang: str) -> str:
    return _subject(check, lang)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


_GITHUB_COMMANDS = {"violation": "error", "warning": "warning", "info": "notice"}


def format_github(report: Report, *, lang: str = "en", **_) -> str:
    """GitHub Actions workflow commands: ::error file=…,line=…,title=…::message per result."""
    lines = []
    for r in report.results:
        file, line = _location(r)
        props = []
        if file:
            props.append(f"file={_escape_property(file)}")
            if line:
                props.append(f"line={line}")
        props.append(f"title={_escape_property(_compact(r.shape) or 'plan2rdf')}")
        message = describe(r, lang)
        if r.source_file and r.source_line and line is None:  # the line is in the message at least
            message = f"{r.source_file}:{r.source_line}: {message}"
        lines.append(f"::{_GITHUB_COMMANDS[r.severity]} {','.join(props)}::{_escape_data(message)}")
    return "".join(line + "\n" for line in lines)


_SARIF_LEVELS = {"violation": "error", "warning": "warning", "info": "note"}


def format_sarif(report: Report, *, lang: str = "en", **_) -> str:
    """SARIF 2.1.0: one run of the tool plan2rdf, a rule per shape, a result per problem."""
    from plan2rdf.version import __version__

    rules = dict(report.rules)
    for r in report.results:  # shapes not in the shapes graph (custom or code checks) still need a rule
        if r.shape and r.shape not in rules:
            rules[r.shape] = Rule(r.shape, r.severity, r.messages, r.node_shape)
    rule_ids = sorted(rules)
    index = {rule_id: i for i, rule_id in enumerate(rule_ids)}
    sarif_rules = []
    for rule_id in rule_ids:
        rule = rules[rule_id]
        text = rule.messages.get(lang) or rule.messages.get("en") or _compact(rule_id) or rule_id
        sarif_rules.append(
            {
                "id": rule_id,
                "name": (_compact(rule_id) or rule_id).split(":", 1)[-1],
                "shortDescription": {"text": text},
                "helpUri": rule_id if rule_id.startswith("http") else TOOL_URI,
                "defaultConfiguration": {"level": _SARIF_LEVELS[rule.severity]},
                "properties": {"nodeShape": rule.node_shape, "messages": rule.messages},
            }
        )
    results = []
    for r in report.results:
        file, line = _location(r)
        location: dict = {
            "logicalLocations": [
                {"fullyQualifiedName": r.focus, "name": r.entry or r.title or r.focus, "kind": "resource"}
            ]
        }
        if file:
            physical: dict = {"artifactLocation": {"uri": file}}
            if line:
                physical["region"] = {"startLine": line}
            location["physicalLocation"] = physical
        result: dict = {
            "level": _SARIF_LEVELS[r.severity],
            "message": {"text": describe(r, lang)},
            "locations": [location],
            "properties": {k: v for k, v in result_dict(r, lang).items() if v is not None},
        }
        if r.shape:
            result["ruleId"] = r.shape
            result["ruleIndex"] = index[r.shape]
        results.append(result)
    document = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "plan2rdf",
                        "version": __version__,
                        "informationUri": TOOL_URI,
                        "rules": sarif_rules,
                    }
                },
                "results": results,
            }
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


FORMATTERS: dict[str, Callable[..., str]] = {
    "text": format_text,
    "json": format_json,
    "turtle": format_turtle,
    "junit": format_junit,
    "github": format_github,
    "sarif": format_sarif,
}


def render(report: Report, fmt: str, *, lang: str = "en", fail_on: str = "violation") -> str:
    """The report in one of FORMATS."""
    if fail_on not in LEVELS:
        raise ValueError(f"unknown level {fail_on!r}")
    return FORMATTERS[fmt](report, lang=lang, fail_on=fail_on)
