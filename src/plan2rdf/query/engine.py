"""Run SPARQL (the canned catalogue or a user's file) on a graph, with parameters bound as RDF terms.

An *engine* is a function from (query text, bindings) to a :class:`Result` (column names and rows
of rdflib terms, ``None`` for unbound). Two are built in: :func:`rdflib_engine` (embedded, the
default) and :func:`oxigraph_engine` (the optional ``oxigraph`` extra). A remote SPARQL endpoint is
one more function of the same shape; :func:`inline_bindings` gives it the query text with the
bindings as a VALUES row.

Parameters are never pasted into the query text as raw strings: rdflib gets them as
``initBindings``; pyoxigraph and remote endpoints as a ``VALUES`` row at the top of the outermost
WHERE group, made of terms serialised with every special character escaped (the catalogue only
allows parameter variables in that group, so both mean the same). Results are made
deterministic and comparable across engines: numbers come back in their canonical form.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from plan2rdf.problems import ActionableError, InputError, Problem, UsageProblem
from plan2rdf.query.catalogue import (
    XSD,
    CannedQuery,
    Catalogue,
    Parameter,
    misplaced_parameters,
    parse_query_file,
    top_group_start,
)

if TYPE_CHECKING:
    from rdflib.term import Node

ENGINES = ("rdflib", "oxigraph")
FORMATS = ("table", "csv", "tsv", "json", "markdown")
DATA_SUFFIXES = {
    ".ttl": "turtle",
    ".nt": "nt",
    ".jsonld": "json-ld",
    ".json": "json-ld",
    ".trig": "trig",
    ".nq": "nquads",
}
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')


class ParameterError(UsageProblem, ValueError):
    """A parameter value that cannot be bound (wrong type, unknown name, missing)."""


class EngineMissing(ActionableError):
    """The optional engine is not installed."""


@dataclass
class Result:
    columns: list[str]
    rows: list[tuple[Node | None, ...]] = field(default_factory=list)


Bindings = Mapping[str, "Node"]
Engine = Callable[[str, Bindings], Result]


# --- parameters ----------------------------------------------------------------------------------


def to_term(parameter: Parameter, value: str) -> Node:
    """A parameter's value as the RDF term its declared type says; ParameterError if it is not one."""
    from rdflib import Literal, URIRef

    name = parameter.name
    if parameter.kind == "iri":
        if not re.match(r"^[A-Za-z][A-Za-z0-9+.\-]*:", value) or _IRI_FORBIDDEN.search(value):
            raise ParameterError(f"{name}: {value!r} is not an absolute IRI")
        return URIRef(value)
    if parameter.kind == "number":
        if re.fullmatch(r"[+-]?\d+", value):
            return Literal(value, datatype=URIRef(XSD + "integer"))
        if re.fullmatch(r"[+-]?(\d+\.\d*|\.\d+)", value):
            return Literal(value, datatype=URIRef(XSD + "decimal"))
        raise ParameterError(f"{name}: {value!r} is not a number")
    if parameter.lang:
        return Literal(value, lang=parameter.lang)
    if parameter.datatype:
        local = parameter.datatype.removeprefix(XSD)
        patterns = {
            "integer": r"[+-]?\d+",
            "decimal": r"[+-]?(\d+(\.\d*)?|\.\d+)",
            "gYear": r"-?\d{4,}",
            "date": r"-?\d{4,}-\d\d-\d\d",
            "boolean": r"true|false|1|0",
            "string": r"(?s).*",
        }
        if not re.fullmatch(patterns[local], value):
            example = {"integer": "2", "decimal": "2.5", "gYear": "2021", "date": "2021-04-01", "boolean": "true"}
            raise ParameterError(f"{name}: {value!r} is not an xsd:{local} (e.g. {example.get(local, '')})")
        return Literal(value, datatype=URIRef(parameter.datatype))
    return Literal(value)


def bind(query: CannedQuery, params: Mapping[str, str]) -> dict[str, Node]:
    """The query's bindings (variable name → term): given values, else defaults."""
    unknown = sorted(set(params) - {p.name for p in query.parameters})
    if unknown:
        known = ", ".join(p.name for p in query.parameters) or "none"
        raise ParameterError(f"{query.name} has no parameter {', '.join(unknown)} (its parameters: {known})")
    bindings: dict[str, Node] = {}
    for p in query.parameters:
        value = params.get(p.name, p.default)
        if value is None:
            if p.required:
                raise ParameterError(f"{query.name} needs --param {p.name}=… ({p.meaning})")
            continue
        bindings[p.variable] = to_term(p, value)
    return bindings


def sparql_term(term: Node) -> str:
    """A term in SPARQL syntax with every special character escaped (safe inside a query)."""
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, URIRef):
        if _IRI_FORBIDDEN.search(str(term)):
            raise ParameterError(f"{str(term)!r} cannot be written as an IRI")
        return f"<{term}>"
    if isinstance(term, Literal):
        text = str(term)
        escaped = (
            text.replace("\\", "\\\\")
            .replace('"', '\\"')
            .replace("\n", "\\n")
            .replace("\r", "\\r")
            .replace("\t", "\\t")
        )
        if term.language:
            if not re.fullmatch(r"[A-Za-z]+(-[A-Za-z0-9]+)*", term.language):
                raise ParameterError(f"bad language tag {term.language!r}")
            return f'"{escaped}"@{term.language}'
        if term.datatype:
            return f'"{escaped}"^^{sparql_term(URIRef(term.datatype))}'
        return f'"{escaped}"'
    if isinstance(term, BNode):
        raise ParameterError("a blank node cannot be a parameter")
    raise ParameterError(f"cannot bind {term!r}")


def inline_bindings(text: str, bindings: Bindings) -> str:
    """The query with ``VALUES (?a ?b) { (t1 t2) }`` at the top of its outermost WHERE group."""
    if not bindings:
        return text
    names = sorted(bindings)
    row = " ".join(sparql_term(bindings[n]) for n in names)
    clause = f"\n  VALUES ({' '.join('?' + n for n in names)}) {{ ({row}) }}\n"
    at = top_group_start(text)
    return text[:at] + clause + text[at:]


# --- engines ---------------------------------------------------------------------------------------


def canonical(term: Node | None) -> Node | None:
    """Numbers and booleans in their canonical lexical form, so engines agree ("27.60" → "27.6")."""
    from decimal import Decimal, InvalidOperation

    from rdflib import Literal, URIRef

    if not isinstance(term, Literal) or term.datatype is None:
        return term
    dt = str(term.datatype)
    lexical = str(term)
    try:
        if dt in (XSD + "integer", XSD + "long", XSD + "int", XSD + "nonNegativeInteger", XSD + "positiveInteger"):
            return Literal(str(int(lexical)), datatype=term.datatype)
        if dt == XSD + "decimal":
            value = Decimal(lexical)
            text = str(int(value)) if value == value.to_integral_value() else format(value.normalize(), "f")
            return Literal(text, datatype=URIRef(dt))
        if dt == XSD + "boolean":
            return Literal("true" if lexical.strip() in ("true", "1") else "false", datatype=URIRef(dt))
    except (ValueError, InvalidOperation):
        return term
    return term


def rdflib_engine(graph: Any) -> Engine:
    """Queries an rdflib Graph or Dataset; bindings as initBindings."""

    def run(text: str, bindings: Bindings) -> Result:
        result = graph.query(text, initBindings=dict(bindings))
        if result.type != "SELECT":
            raise InputError([Problem("<query>", "only SELECT queries are supported")])
        columns = [str(v) for v in result.vars]
        rows = [tuple(canonical(row[i]) for i in range(len(columns))) for row in result]
        return Result(columns, rows)

    return run


def remote_engine(endpoint: Any, *, timeout: float = 60, insecure: bool = False) -> Engine:
    """Queries a SPARQL 1.1 endpoint (publish.Endpoint); parameters inlined as a VALUES row."""

    def run(text: str, bindings: Bindings) -> Result:
        from plan2rdf.publish.remote import query as remote_query

        columns, rows = remote_query(
            endpoint, inline_bindings(text, bindings) if bindings else text, timeout=timeout, insecure=insecure
        )
        return Result(list(columns), [tuple(canonical(term) for term in row) for row in rows])

    return run


def _oxigraph():
    try:
        import pyoxigraph
    except ImportError:
        raise EngineMissing(
            "the oxigraph engine needs pyoxigraph: pip install 'plan2rdf[oxigraph]' (or use --engine rdflib)"
        ) from None
    return pyoxigraph


def _from_oxigraph(term: Any) -> Node | None:
    from rdflib import BNode, Literal, URIRef

    ox = _oxigraph()
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == XSD + "string":
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise TypeError(f"unsupported term {term!r}")


def oxigraph_engine(store: Any) -> Engine:
    """Queries a pyoxigraph Store; bindings as a VALUES row (see :func:`inline_bindings`)."""
    ox = _oxigraph()

    def run(text: str, bindings: Bindings) -> Result:
        solutions = store.query(inline_bindings(text, bindings), use_default_graph_as_union=True)
        if not isinstance(solutions, ox.QuerySolutions):
            raise InputError([Problem("<query>", "only SELECT queries are supported")])
        columns = [v.value for v in solutions.variables]
        rows = [tuple(canonical(_from_oxigraph(s[c])) for c in columns) for s in solutions]
        return Result(columns, rows)

    return run


# --- data ------------------------------------------------------------------------------------------


def data_files(paths: Iterable[Path]) -> list[Path]:
    """The RDF files named, directories expanded (sorted); InputError for anything else."""
    files: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in DATA_SUFFIXES)
            if not found:
                problems.append(Problem(str(path), "the directory holds no RDF file", hint=_suffix_hint()))
            files.extend(found)
        elif not path.exists():
            problems.append(Problem(str(path), "no such file", hint="check the --data path"))
        elif path.suffix.lower() not in DATA_SUFFIXES:
            problems.append(
                Problem(
                    str(path),
                    f"cannot tell the RDF format of {path.suffix or 'a file without suffix'}",
                    hint=_suffix_hint(),
                )
            )
        else:
            files.append(path)
    if problems:
        raise InputError(problems)
    return files


def _suffix_hint() -> str:
    return "use " + ", ".join(sorted(DATA_SUFFIXES))


def bundled_graph() -> Any:
    """The bundled plan's graph as `build` makes it (derived facts included), in memory."""
    from plan2rdf.pipeline import graph_of
    from plan2rdf.read.reader import read_plan
    from plan2rdf.resources import bundled_plan

    return graph_of(read_plan(bundled_plan())).graph


def load_rdflib(files: Sequence[Path]) -> Any:
    """The files as one rdflib Graph: the union of their triples (named graphs of TriG/N-Quads too)."""
    import warnings

    from rdflib import Dataset, Graph

    graph = Graph()
    problems = []
    for path in files:
        fmt = DATA_SUFFIXES[path.suffix.lower()]
        try:
            with warnings.catch_warnings():  # rdflib's JSON-LD and quad parsers use its deprecated classes
                warnings.simplefilter("ignore", DeprecationWarning)
                if fmt in ("trig", "nquads"):
                    dataset = Dataset()
                    dataset.parse(path, format=fmt)
                    for s, p, o, _ in dataset.quads((None, None, None, None)):
                        graph.add((s, p, o))
                else:
                    graph.parse(path, format=fmt)
        except Exception as exc:  # rdflib raises many kinds of errors for bad syntax
            problems.append(Problem(str(path), f"cannot be parsed: {exc}".splitlines()[0]))
    if problems:
        raise InputError(problems)
    return graph


def load_oxigraph(files: Sequence[Path] = (), graph: Any = None) -> Any:
    """A pyoxigraph Store with the files (or an rdflib graph) loaded."""
    ox = _oxigraph()
    store = ox.Store()
    if graph is not None:
        store.load(graph.serialize(format="nt", encoding="utf-8"), ox.RdfFormat.N_TRIPLES)
    problems = []
    for path in files:
        try:
            store.load(path=str(path), format=ox.RdfFormat.from_extension(path.suffix.lstrip(".").lower()))
        except (SyntaxError, ValueError, OSError) as exc:
            problems.append(Problem(str(path), f"cannot be parsed: {exc}".splitlines()[0]))
    if problems:
        raise InputError(problems)
    return store


def make_engine(name: str = "rdflib", data: Sequence[Path] = ()) -> Engine:
    """An engine over the given files, or over the bundled plan's graph when none are given."""
    if name not in ENGINES:
        raise ValueError(f"unknown engine {name!r}")
    files = data_files(data) if data else []
    if name == "oxigraph":
        _oxigraph()  # fail early, before building anything
        return oxigraph_engine(load_oxigraph(files) if files else load_oxigraph(graph=bundled_graph()))
    return rdflib_engine(load_rdflib(files) if files else bundled_graph())


# --- checking and running ------------------------------------------------------------------------


def _rdflib_syntax_problem(text: str, path: str) -> Problem | None:
    """rdflib's parse error, located by line and column (None when rdflib can parse the text)."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql import prepareQuery

    try:
        prepareQuery(text)
    except ParseException as exc:
        near = exc.line.strip()
        return Problem(path, f"SPARQL syntax error: {exc.msg} (near {near!r})", line=exc.lineno, column=exc.col)
    except Exception as exc:  # rdflib's algebra translation raises plain exceptions
        return Problem(path, f"the query cannot be evaluated: {exc}")
    return None


def check_syntax(text: str, *, path: str = "<query>", engine: str = "rdflib") -> None:
    """Parse a query with the engine's parser; InputError with file, line and column if it fails.

    pyoxigraph reports where its parser gave up (often the end of the text), so its errors are
    located with rdflib's parser when that fails too.
    """
    if engine == "oxigraph":
        ox = _oxigraph()
        try:
            ox.Store().query(text)
        except SyntaxError as exc:
            message = re.sub(r"^error at \d+:\d+: ", "", str(exc))
            located = _rdflib_syntax_problem(text, path)
            if located is not None and located.line is not None:
                line, column = located.line, located.column
            else:
                where = re.search(r"at (\d+):(\d+)", str(exc))
                line, column = (int(where.group(1)), int(where.group(2))) if where else (None, None)
            raise InputError([Problem(path, f"SPARQL syntax error: {message}", line=line, column=column)]) from None
        return
    problem = _rdflib_syntax_problem(text, path)
    if problem is not None:
        raise InputError([problem])


def check_query(query: CannedQuery, *, engine: str = "rdflib") -> None:
    """Syntax and the parameter rule (parameters only in the outermost WHERE group)."""
    problems = [
        Problem(
            str(query.path),
            f"parameter {var} is used outside the outermost WHERE group",
            line=line,
            hint="use it directly in the WHERE group (not in OPTIONAL, UNION or a subquery): engines bind it alike",
        )
        for var, line in misplaced_parameters(query.text)
    ]
    try:
        check_syntax(query.text, path=str(query.path), engine=engine)
    except InputError as exc:
        problems.extend(exc.problems)
    if problems:
        raise InputError(problems)


def resolve(name_or_file: str, catalogue: Catalogue | None = None, *, engine: str = "rdflib") -> CannedQuery:
    """A catalogue query by name, or a .rq file (header optional), checked with the engine's parser."""
    path = Path(name_or_file)
    if name_or_file.endswith(".rq") or path.is_file():
        query = parse_file_leniently(path)
        check_query(query, engine=engine)
        return query
    from plan2rdf.query.catalogue import load_catalogue

    catalogue = catalogue if catalogue is not None else load_catalogue(check=None)  # headers only: fast
    found = catalogue.get(name_or_file)
    if found is None:
        names = ", ".join(q.name for q in catalogue)
        raise InputError([Problem(name_or_file, "no such query", hint=f"one of: {names}; or give a .rq file")])
    check_query(found, engine=engine)
    return found


def parse_file_leniently(path: Path) -> CannedQuery:
    """A user's .rq file: its header is read when complete, else only its parameters."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(
            [Problem(str(path), "no such query file", hint="see `plan2rdf queries` for the catalogue")]
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError([Problem(str(path), f"cannot be read as UTF-8: {exc}")]) from None
    try:
        return parse_query_file(path, text)
    except InputError:
        if any(line.startswith("#+") for line in text.splitlines()):
            raise
    from plan2rdf.problems import Collector
    from plan2rdf.query.catalogue import _parameter, parameter_variables  # a file without a header: parameters only

    out = Collector(str(path))
    params = tuple(_parameter(v, "", None, out, line) for v, line in parameter_variables(text).items())
    out.raise_if_errors()
    return CannedQuery(name=path.stem, path=path, text=text, parameters=params)


def run(query: CannedQuery, engine: Engine, params: Mapping[str, str] | None = None) -> Result:
    """Run a query with its parameters (given, else defaults) bound as RDF terms."""
    bindings = bind(query, params or {})
    try:
        return engine(query.text, bindings)
    except (InputError, EngineMissing):
        raise
    except Exception as exc:  # an engine's evaluation error: name the query, no traceback
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError([Problem(str(query.path), f"the query failed: {message}")]) from exc


# --- output ----------------------------------------------------------------------------------------


def cell(term: Node | None) -> str:
    """The plain text of a term, as in SPARQL CSV results (no language tags or datatypes)."""
    return "" if term is None else str(term)


def width(text: str) -> int:
    """Columns a text takes in a terminal: wide and full-width characters take two."""
    return sum(
        2 if unicodedata.east_asian_width(ch) in ("W", "F") else 0 if unicodedata.combining(ch) else 1 for ch in text
    )


def _pad(text: str, size: int, right: bool = False) -> str:
    gap = " " * (size - width(text))
    return gap + text if right else text + gap


def _is_number(term: Node | None) -> bool:
    from rdflib import Literal

    return isinstance(term, Literal) and term.datatype is not None and str(term.datatype).removeprefix(XSD) in (
        "integer", "decimal", "double", "float", "long", "int", "nonNegativeInteger", "positiveInteger",
    )  # fmt: skip


def _one_line(text: str) -> str:
    return text.replace("\r\n", " ").replace("\n", " ").replace("\t", " ")


def format_text_table(
    columns: Sequence[str], rows: Sequence[Sequence[str]], *, right: Sequence[bool] = (), count: bool = True
) -> str:
    """An aligned text table of strings; wide (CJK) characters count two columns."""
    rows = [[_one_line(c) for c in row] for row in rows]
    sizes = [max([width(c)] + [width(r[i]) for r in rows]) for i, c in enumerate(columns)]
    align = list(right) + [False] * (len(columns) - len(right))
    lines = ["  ".join(_pad(c, sizes[i]) for i, c in enumerate(columns)).rstrip()]
    lines.append("  ".join("-" * s for s in sizes))
    lines += ["  ".join(_pad(c, sizes[i], align[i]) for i, c in enumerate(row)).rstrip() for row in rows]
    if count:
        lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"


def format_table(result: Result) -> str:
    """The result as an aligned text table; numbers are right-aligned."""
    numeric = [
        bool(result.rows) and all(_is_number(r[i]) or r[i] is None for r in result.rows)
        for i in range(len(result.columns))
    ]
    rows = [[cell(t) for t in row] for row in result.rows]
    return format_text_table(result.columns, rows, right=numeric)


def format_csv(result: Result, delimiter: str = ",") -> str:
    """SPARQL 1.1 CSV results (plain values); with a tab delimiter, TSV cells are made one line."""
    buffer = io.StringIO()
    if delimiter == "\t":
        buffer.write("\t".join(result.columns) + "\n")
        for row in result.rows:
            buffer.write("\t".join(_one_line(cell(t)) for t in row) + "\n")
        return buffer.getvalue()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(result.columns)
    writer.writerows([cell(t) for t in row] for row in result.rows)
    return buffer.getvalue()


def _json_term(term: Node) -> dict[str, str]:
    from rdflib import BNode, Literal

    if isinstance(term, Literal):
        value: dict[str, str] = {"type": "literal", "value": str(term)}
        if term.language:
            value["xml:lang"] = term.language
        elif term.datatype is not None:
            value["datatype"] = str(term.datatype)
        return value
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    return {"type": "uri", "value": str(term)}


def to_json(result: Result) -> dict[str, Any]:
    """The SPARQL 1.1 Query Results JSON Format."""
    bindings = [
        {c: _json_term(t) for c, t in zip(result.columns, row, strict=True) if t is not None} for row in result.rows
    ]
    return {"head": {"vars": list(result.columns)}, "results": {"bindings": bindings}}


def format_json(result: Result) -> str:
    return json.dumps(to_json(result), ensure_ascii=False, indent=2) + "\n"


def _md_cell(text: str) -> str:
    return _one_line(text).replace("\\", "\\\\").replace("|", "\\|")


def format_markdown(result: Result, limit: int | None = None) -> str:
    """A GitHub-flavoured Markdown table (the first ``limit`` rows, then how many were left out)."""
    rows = result.rows if limit is None else result.rows[:limit]
    lines = ["| " + " | ".join(result.columns) + " |", "|" + "|".join(" --- " for _ in result.columns) + "|"]
    lines += ["| " + " | ".join(_md_cell(cell(t)) for t in row) + " |" for row in rows]
    if limit is not None and len(result.rows) > limit:
        lines.append(f"\n… {len(result.rows) - limit} more rows ({len(result.rows)} in all)")
    elif not result.rows:
        lines.append("\n(no rows)")
    return "\n".join(lines) + "\n"


def format_result(result: Result, fmt: str) -> str:
    if fmt == "table":
        return format_table(result)
    if fmt == "csv":
        return format_csv(result)
    if fmt == "tsv":
        return format_csv(result, "\t")
    if fmt == "json":
        return format_json(result)
    if fmt == "markdown":
        return format_markdown(result)
    raise ValueError(f"unknown format {fmt!r}")


# --- the catalogue as documentation --------------------------------------------------------------------


SAMPLE_ROWS = 8

_DOC_INTRO = """\
# Canned queries

<!-- Generated from sparql/*.rq by `plan2rdf queries --markdown -o docs/queries.md`; do not edit. -->

These SPARQL queries answer questions researchers ask across departments. Run one with
`plan2rdf query NAME` (the bundled plan's graph, built in memory) or on your own files with
`--data FILE…`; `--param name=value` sets a parameter, `--format` chooses table, csv, tsv, json
(SPARQL 1.1 results) or markdown, and `--engine oxigraph` uses pyoxigraph (`pip install
'plan2rdf[oxigraph]'`). Every query returns the same rows on both engines, in a total order.

Each file starts with a header in [grlc](https://github.com/CLARIAH/grlc)'s decorator syntax, so the
folder can also be served by grlc as a Web API:

- `#+ summary: <Japanese title> / <English title>`
- `#+ description:` the question the query answers
- `#+ tags:` a list, `#+ columns:` a list of `- name: meaning` (every projected variable, in order)
- `#+ parameters:` a list of `- name: meaning`, `#+ defaults:` a list of `- name: value` (grlc)

Parameters follow grlc's variable convention: `?_name` (a string), `?_name_ja` (a literal in
Japanese), `?_name_iri`, `?_name_integer`, `?_name_xsd_gYear`… They are bound as RDF terms, never
pasted into the text, and may only be used directly in the outermost WHERE group.

Conventions shared by the queries:

- **Department of a measure**: the responsible unit itself when it is directly `org:unitOf` the
  prefecture (a department named without a division, such as 選挙管理委員会事務局), otherwise the
  unit's `org:unitOf`.
- **Reposts** （再掲） are left out of every count and list of measures, so nothing is counted twice
  (query `reposts` lists them), with `OPTIONAL { ?m p2r:repostOf ?original } FILTER
  (!BOUND(?original))`. Negation is engine-sensitive (design guide §5); measured side by side on the
  bundled plan replicated as many editions (`measures-per-department`):

  | form | rdflib, 250k triples | pyoxigraph, 1M triples |
  | --- | --- | --- |
  | `OPTIONAL` + `!BOUND` (used) | 5.3 s | 0.10 s |
  | `FILTER NOT EXISTS` | 6.0 s | 0.15 s |
  | `MINUS` | 24.8 s (quadratic) | 0.03 s |

  Other positive patterns keep rdflib fast: the department is found in one basic graph pattern
  (a property path, no `UNION`), `?m a p2r:Measure` is left out where another property says it
  (rdflib would evaluate that triple first), subqueries that are joined are `SELECT DISTINCT` (rdflib
  then evaluates each once), and an `OPTIONAL` always starts from a bound variable.
- **Labels** are the Japanese ones (`FILTER (lang(?label) = "ja")`); order is by counts, then by
  direction and entry number, then by label and IRI, so every result has one order.
- **Derived facts** (targets' values, units and periods, programmes, themes) are read from the plan's
  text by rules; see [the vocabulary](vocabulary.md#derived-facts-what-we-read-into-the-plan).
"""


def catalogue_markdown(catalogue: Catalogue, engine: Engine, *, sample_rows: int = SAMPLE_ROWS) -> str:
    """docs/queries.md: every query with its question, parameters, columns, SPARQL and sample result."""
    parts = [_DOC_INTRO, "\n## Contents\n"]
    for q in catalogue:
        parts.append(f"- [`{q.name}`](#{q.name}): {q.title_ja} / {q.title_en}")
    for q in catalogue:
        parts.append(f'\n<a id="{q.name}"></a>\n\n## `{q.name}`: {q.title_ja} / {q.title_en}\n')
        parts.append(f"{q.description}\n")
        parts.append(f"File: [sparql/{q.path.name}](../sparql/{q.path.name}) · tags: {', '.join(q.tags)}\n")
        if q.parameters:
            parts.append("| parameter | type | default | meaning |\n| --- | --- | --- | --- |")
            for p in q.parameters:
                parts.append(f"| `{p.name}` | {p.type_label()} | {_md_cell(p.default or '')} | {_md_cell(p.meaning)} |")
            parts.append("")
        parts.append("| column | meaning |\n| --- | --- |")
        parts += [f"| `{c.name}` | {_md_cell(c.meaning)} |" for c in q.columns]
        parts.append(f"\n```sparql\n{q.body}```\n")
        result = run(q, engine)
        shown = min(sample_rows, len(result.rows))
        command = f"`plan2rdf query {q.name} --format markdown`"
        parts.append(f"Result on the bundled plan ({command}), first {shown} of {len(result.rows)} rows:\n")
        parts.append(format_markdown(result, limit=sample_rows))
    return "\n".join(parts).rstrip() + "\n"


def catalogue_listing(catalogue: Catalogue) -> list[dict[str, Any]]:
    """The catalogue as data, for `plan2rdf queries`."""
    return [
        {
            "name": q.name,
            "title_ja": q.title_ja,
            "title_en": q.title_en,
            "parameters": [
                {"name": p.name, "type": p.type_label(), "default": p.default, "meaning": p.meaning}
                for p in q.parameters
            ],
            "file": q.path.name,
        }
        for q in catalogue
    ]
