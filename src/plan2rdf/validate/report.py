"""Validation reports for people and machines: one formatter per output format.

Every formatter takes a :class:`~plan2rdf.validate.results.Report` and returns text; the CLI writes it
and sets the exit code. Formats: text, json (schema in docs/validation.md), turtle (the W3C
validation report), junit (JUnit XML), github (workflow annotations), sarif (SARIF 2.1.0).
"""

from __future__ import annotations

import json
import socket
from collections.abc import Callable
from contextlib import suppress
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote
from xml.etree import ElementTree as ET

from plan2rdf.i18n import Text
from plan2rdf.validate.results import LEVELS, REPORT_PREFIXES, SHAPES_NS, Check, Report, Result, Rule

FORMATS = ("text", "json", "turtle", "junit", "github", "sarif")
JSON_FORMAT = "plan2rdf-validation-report"
JSON_VERSION = 1
TOOL_URI = "https://w3id.org/plan2rdf"
# Rules are explained in docs/validation.md, one anchor per shape (the w3id redirect serves the docs).
HELP_URI = "https://w3id.org/plan2rdf/docs/validation.md"
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


def _primary(r: Result) -> tuple[str | None, int | None, int | None]:
    """Where a result is: the validated file's line and column; for a graph built in this run
    (no file), the source plan's line."""
    if r.data_file:
        return r.data_file, r.line, r.column if r.line else None
    if r.source_file and r.source_line:
        return r.source_path or r.source_file, r.source_line, None
    return None, None, None


def _related(r: Result) -> tuple[str, int] | None:
    """The source plan's file and line, when the primary location is the validated file."""
    if r.data_file and r.source_file and r.source_line:
        return r.source_path or r.source_file, r.source_line
    return None


def _where(r: Result) -> str:
    file, line, column = _primary(r)
    if file is None:
        return ""
    return ":".join([file, *(str(n) for n in (line, column) if n)]) + ": "


_SOURCE_WORDS = {"en": " (source {file}:{line})", "ja": "（元資料 {file}:{line}）"}
# a workbook's source line is a row of its sheet (p2r:sourceSheet)
_SHEET_WORDS = Text(
    ja="（元資料 {file} シート「{sheet}」{line}行目）",
    en=" (source {file}, sheet {sheet}, row {line})",
)


def _source_clause(r: Result, lang: str = "en") -> str:
    related = _related(r)
    if related is None:
        return ""
    if r.source_sheet:
        return _SHEET_WORDS.get(lang).format(file=related[0], sheet=r.source_sheet, line=related[1])
    return _SOURCE_WORDS.get(lang, _SOURCE_WORDS["en"]).format(file=related[0], line=related[1])


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


def shown(report: Report, min_severity: str) -> list[Result]:
    """The results at ``min_severity`` or more severe."""
    threshold = LEVELS[min_severity]
    return [r for r in report.results if LEVELS[r.severity] >= threshold]


def hidden_note(report: Report, min_severity: str, lang: str = "en") -> str | None:
    """「89 infos not shown (--min-severity info shows them)」, or None when all are shown."""
    hidden = {s: report.count(s) for s in LEVELS if LEVELS[s] < LEVELS[min_severity] and report.count(s)}
    if not hidden:
        return None
    lowest = min(hidden, key=LEVELS.__getitem__)
    if lang == "ja":
        parts = "、".join(f"{_SEVERITY_WORDS['ja'][s]} {n} 件" for s, n in hidden.items())
        return f"{parts}は表示していません（--min-severity {lowest} で表示）"
    parts = ", ".join(f"{n} {s}{'s' if n != 1 else ''}" for s, n in hidden.items())
    return f"{parts} not shown (--min-severity {lowest} shows them)"


def format_text(
    report: Report,
    *,
    lang: str = "en",
    limit: int | None = None,
    fail_on: str = "violation",
    min_severity: str = "warning",
) -> str:
    """One line per result at ``min_severity`` or worse: where, severity, which entry, the property
    and value, the message, the source line; the others counted in one line; the summary."""
    words = _SEVERITY_WORDS.get(lang, _SEVERITY_WORDS["en"])
    results = shown(report, min_severity)
    lines = [f"{_where(r)}{words[r.severity]}: {describe(r, lang)}{_source_clause(r, lang)}" for r in results[:limit]]
    if limit is not None and len(results) > limit:
        lines.append(f"… and {len(results) - limit} more")
    note = hidden_note(report, min_severity, lang)
    if note:
        lines.append(note)
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
        "sourceSheet": r.source_sheet,
        "dataFile": r.data_file,
        "line": r.line,
        "column": r.column,
    }


def format_json(report: Report, *, lang: str = "en", fail_on: str = "violation", min_severity: str = "info") -> str:
    """The documented JSON form (docs/validation.md, "JSON")."""
    document = {
        "format": JSON_FORMAT,
        "version": JSON_VERSION,
        "conforms": report.conforms_at(fail_on),
        "failOn": fail_on,
        "counts": {s: report.count(s) for s in ("violation", "warning", "info")},
        "files": list(report.files),
        "prefixes": dict(REPORT_PREFIXES),
        "results": [result_dict(r, lang) for r in shown(report, min_severity)],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def format_turtle(report: Report, **_) -> str:
    """The W3C SHACL validation report graph, with stable blank node labels."""
    from rdflib import Graph
    from rdflib.compare import to_canonical_graph

    w3c = report.w3c_graph()
    if w3c is None:
        raise ValueError("the report has no validation report graph")
    graph = Graph()
    for triple in to_canonical_graph(w3c):
        graph.add(triple)
    for prefix, ns in REPORT_PREFIXES.items():
        graph.bind(prefix, ns, override=True, replace=True)
    return graph.serialize(format="turtle")


def rule_id(shape: str) -> str:
    """A short, stable rule id: P2R-Measure-title for p2rsh:Measure-title; other shapes by prefixed
    name or IRI."""
    if shape.startswith(SHAPES_NS) and len(shape) > len(SHAPES_NS):
        return "P2R-" + shape[len(SHAPES_NS) :]
    return _compact(shape) or shape


def help_uri(shape: str) -> str:
    """Where a rule is explained: its anchor in docs/validation.md (one per shipped shape)."""
    return f"{HELP_URI}#{rule_id(shape).lower()}" if shape.startswith(SHAPES_NS) else HELP_URI


def relative_path(path: str) -> str:
    """A path relative to the working directory when it lies below it (what CI annotations and
    SARIF want: paths in the repository), else as it is, with / separators."""
    candidate = Path(path)
    if candidate.is_absolute():
        with suppress(ValueError, OSError):
            return candidate.resolve().relative_to(Path.cwd().resolve()).as_posix()
    return candidate.as_posix()


def format_junit(report: Report, *, lang: str = "en", min_severity: str = "info", **_) -> str:
    """JUnit XML valid against the common schema (windyroad/JUnit-Schema): a test suite per focus
    node (entry or resource), its file and lines in <properties>; a test case per node shape
    evaluated on it, failing when it has violations; warnings and infos in the suite's
    <system-out>. The validation's time is shared evenly among the suites."""
    from plan2rdf.rdfio.writers import natural_key

    by_case: dict[tuple[str, str], list[Result]] = {}
    for r in shown(report, min_severity):
        by_case.setdefault((r.node_shape or r.shape or "", r.focus), []).append(r)
    suites: dict[str, list[Check]] = {}
    for check in report.checks:
        suites.setdefault(check.focus, []).append(check)
    order = sorted(suites, key=lambda focus: (natural_key(suites[focus][0].entry or focus), focus))
    started = report.started or datetime.fromtimestamp(0, UTC)
    each = (report.seconds or 0.0) / max(len(order), 1)
    root = ET.Element("testsuites")
    for number, focus in enumerate(order):
        checks = sorted(suites[focus], key=lambda c: c.shape)
        suite = ET.SubElement(root, "testsuite", name=_subject(checks[0], lang), package="plan2rdf", id=str(number))
        suite.set("timestamp", started.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S"))
        suite.set("hostname", socket.gethostname() or "localhost")
        properties = ET.SubElement(suite, "properties")
        for name, value in _check_properties(checks[0]):
            ET.SubElement(properties, "property", name=name, value=str(value))
        failures, others = 0, []
        for check in checks:
            case = ET.SubElement(suite, "testcase", name=_compact(check.shape) or "(unnamed shape)")
            case.set("classname", _subject(check, lang))
            case.set("time", f"{each / len(checks):.3f}")
            results = by_case.get((check.shape, check.focus), [])
            violations = [r for r in results if r.severity == "violation"]
            others.extend(r for r in results if r.severity != "violation")
            if violations:
                failures += 1
                failure = ET.SubElement(case, "failure", type="violation", message=violations[0].message(lang))
                failure.text = "\n".join(f"{_where(r)}{describe(r, lang)}{_source_clause(r, lang)}" for r in violations)
        ET.SubElement(suite, "system-out").text = "\n".join(
            f"{_where(r)}{r.severity}: {describe(r, lang)}{_source_clause(r, lang)}" for r in others
        )
        ET.SubElement(suite, "system-err")
        for name, value in (("tests", len(checks)), ("failures", failures), ("errors", 0), ("time", f"{each:.3f}")):
            suite.set(name, str(value))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _check_properties(check: Check) -> list[tuple[str, object]]:
    """The focus node and where it is: the validated file's line and column, the source plan's line."""
    found: list[tuple[str, object]] = [("focus", check.focus)]
    if check.data_file:
        found.append(("file", relative_path(check.data_file)))
        found.extend((name, value) for name, value in (("line", check.line), ("column", check.column)) if value)
    if check.source_file and check.source_line:
        found.extend([("source-file", check.source_file), ("source-line", check.source_line)])
    return found


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


_GITHUB_COMMANDS = {"violation": "error", "warning": "warning", "info": "notice"}


def format_github(
    report: Report, *, lang: str = "en", fail_on: str = "violation", min_severity: str = "warning", **_
) -> str:
    """GitHub Actions workflow commands: ``::error file=…,line=…,col=…,title=P2R-…::message`` per
    result at ``min_severity`` or worse (file relative to the working directory), then one summary
    ``::notice``."""
    lines = []
    for r in shown(report, min_severity):
        file, line, column = _primary(r)
        props = []
        if file:
            props.append(f"file={_escape_property(relative_path(file))}")
            props.extend(f"{name}={value}" for name, value in (("line", line), ("col", column)) if value)
        props.append(f"title={_escape_property(rule_id(r.shape) if r.shape else 'plan2rdf')}")
        message = describe(r, lang) + _source_clause(r, lang)
        lines.append(f"::{_GITHUB_COMMANDS[r.severity]} {','.join(props)}::{_escape_data(message)}")
    text = "plan2rdf: " + summary(report, lang=lang, fail_on=fail_on)
    note = hidden_note(report, min_severity, lang)
    lines.append(f"::notice title=plan2rdf::{_escape_data(text + (f'; {note}' if note else ''))}")
    return "".join(line + "\n" for line in lines)


_SARIF_LEVELS = {"violation": "error", "warning": "warning", "info": "note"}
SARIF_BASE_ID = "SRCROOT"


def _directory_uri(path: Path) -> str:
    """A directory's file URI with the trailing slash SARIF wants for a base (not an IRI we mint)."""
    return f"{path.resolve().as_uri().rstrip('/')}/"


def _artifact(path: str) -> dict:
    """A percent-encoded artifact location: relative to SRCROOT (the working directory) when the
    file lies below it, else an absolute file URI."""
    relative = relative_path(str(Path(path).resolve())) if Path(path).exists() else Path(path).as_posix()
    if not Path(relative).is_absolute():
        return {"uri": quote(relative, safe="/"), "uriBaseId": SARIF_BASE_ID}
    return {"uri": Path(relative).as_uri()}


def _sarif_rules(report: Report, lang: str) -> list[dict]:
    rules = dict(report.rules)
    for r in report.results:  # shapes not in the shapes graph (custom or code checks) still need a rule
        if r.shape and r.shape not in rules:
            rules[r.shape] = Rule(r.shape, r.severity, r.messages, r.node_shape)
    sarif_rules = []
    for shape in sorted(rules, key=rule_id):
        rule = rules[shape]
        text = rule.messages.get(lang) or rule.messages.get("en") or rule_id(shape)
        sarif_rules.append(
            {
                "id": rule_id(shape),
                "name": rule_id(shape).removeprefix("P2R-"),
                "shortDescription": {"text": text},
                "helpUri": help_uri(shape),
                "defaultConfiguration": {"level": _SARIF_LEVELS[rule.severity]},
                "properties": {"shape": shape, "nodeShape": rule.node_shape, "messages": rule.messages},
            }
        )
    return sarif_rules


def _sarif_result(r: Result, lang: str, index: dict[str, int]) -> dict:
    file, line, column = _primary(r)
    location: dict = {
        "logicalLocations": [{"fullyQualifiedName": r.focus, "name": r.entry or r.title or r.focus, "kind": "resource"}]
    }
    if file:
        physical: dict = {"artifactLocation": _artifact(file)}
        if line:
            physical["region"] = {"startLine": line, **({"startColumn": column} if column else {})}
        location["physicalLocation"] = physical
    result: dict = {
        "level": _SARIF_LEVELS[r.severity],
        "message": {"text": describe(r, lang) + _source_clause(r, lang)},
        "locations": [location],
        "properties": {k: v for k, v in result_dict(r, lang).items() if v is not None},
    }
    related = _related(r)
    if related is not None:
        word = "元資料の行" if lang == "ja" else "the entry in the source plan"
        result["relatedLocations"] = [
            {
                "id": 1,
                "physicalLocation": {"artifactLocation": _artifact(related[0]), "region": {"startLine": related[1]}},
                "message": {"text": word},
            }
        ]
    if r.shape:
        result["ruleId"] = rule_id(r.shape)
        result["ruleIndex"] = index[rule_id(r.shape)]
    return result


def format_sarif(report: Report, *, lang: str = "en", min_severity: str = "info", **_) -> str:
    """SARIF 2.1.0: one run of the tool plan2rdf, a rule per shape (P2R-… ids, help in
    docs/validation.md), a result per problem located in the validated file (relative to
    SRCROOT, the working directory), the source plan's line as a related location."""
    from plan2rdf.version import __version__

    rules = _sarif_rules(report, lang)
    index = {rule["id"]: i for i, rule in enumerate(rules)}
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
                        "rules": rules,
                    }
                },
                "columnKind": "unicodeCodePoints",  # columns count characters, as editors do
                "originalUriBaseIds": {SARIF_BASE_ID: {"uri": _directory_uri(Path.cwd())}},
                "results": [_sarif_result(r, lang, index) for r in shown(report, min_severity)],
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


# What each format shows without --min-severity: people and annotations see violations and
# warnings (infos are counted); machine formats have everything.
DEFAULT_MIN_SEVERITY = {"text": "warning", "github": "warning"}


# The formats that show the results below their level only as numbers (text and github in a
# line, json in its counts). sarif names a rule for each result's shape, junit a test case for
# each, turtle is the W3C report whole: they need every result.
_COUNTING_FORMATS = frozenset({"text", "github", "json"})


def listed_level(fmt: str, min_severity: str | None = None) -> str:
    """The least severe results ``render`` shows in ``fmt``, where it only counts the less severe
    ones; else info. A report for it needs only those described (``Report.unlisted`` counts the others)."""
    level = min_severity or DEFAULT_MIN_SEVERITY.get(fmt, "info")
    return level if fmt in _COUNTING_FORMATS else "info"


def render(
    report: Report, fmt: str, *, lang: str = "en", fail_on: str = "violation", min_severity: str | None = None
) -> str:
    """The report in one of FORMATS; ``min_severity`` (default: DEFAULT_MIN_SEVERITY, else info)
    leaves out less severe results (counted in the summary all the same)."""
    level = min_severity or DEFAULT_MIN_SEVERITY.get(fmt, "info")
    if fail_on not in LEVELS or level not in LEVELS:
        raise ValueError(f"unknown level {fail_on if fail_on not in LEVELS else level!r}")
    needed = listed_level(fmt, level)
    if any(n and LEVELS[severity] >= LEVELS[needed] for severity, n in report.unlisted.items()):
        raise ValueError(f"the report only counts results that {fmt} shows: validate with listed={needed!r}")
    if fmt in ("turtle",):  # the W3C report is the engine's, whole
        return FORMATTERS[fmt](report, lang=lang, fail_on=fail_on)
    return FORMATTERS[fmt](report, lang=lang, fail_on=fail_on, min_severity=level)
