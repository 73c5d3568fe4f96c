"""The canned SPARQL catalogue: one ``.rq`` file per question in sparql/, each with a header.

The header is grlc's decorator syntax (https://github.com/CLARIAH/grlc#decorator-syntax): lines
starting with ``#+`` that together are YAML. We read a small, strict subset of it, so a file stays
usable by grlc as it is:

    #+ summary: 部局別の施策数 / Measures per department     (Japanese title / English title)
    #+ description: the question the query answers
    #+ tags:
    #+   - organisation
    #+ columns:                                   (every projected variable, in order: its meaning)
    #+   - department: 部局 (its Japanese name)
    #+ parameters:                                (every parameter: its meaning)
    #+   - unit: name of a department or division
    #+ defaults:                                   (grlc: a default value per parameter)
    #+   - unit: デジタル変革課

Parameters follow grlc's (BASIL) variable convention: ``?_name`` is a parameter (``?__name`` an
optional one), and a suffix gives its type: ``?_name_iri`` an IRI, ``?_name_ja`` a literal with a
language, ``?_name_integer`` / ``?_name_xsd_gYear`` a typed literal, ``?_name_number`` a number, no
suffix a plain string. A parameter variable may only appear directly in the query's outermost WHERE
group (not inside OPTIONAL, UNION, subqueries …), so binding it by initBindings (rdflib) or by a
VALUES row at the top of that group (pyoxigraph, remote endpoints) means the same thing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from plan2rdf.problems import Collector, InputError, Problem

XSD = "http://www.w3.org/2001/XMLSchema#"

REQUIRED_KEYS = ("summary", "description", "tags", "columns")
LIST_KEYS = ("tags", "columns", "parameters", "defaults")
SCALAR_KEYS = ("summary", "description")
# What a query answers with: a value of these types is checked before it is bound.
XSD_TYPES = ("integer", "decimal", "gYear", "date", "boolean", "string")
_PARAM_RE = re.compile(
    r"^(?P<required>_{1,2})(?P<name>[A-Za-z0-9]+)(?:_(?P<type>[A-Za-z0-9]+))?(?:_(?P<local>[A-Za-z0-9]+))?$"
)
_NUMBERED = re.compile(r"^\d+-")
_YAML_UNSAFE_START = tuple("[]{}&*!|>'\"%@`#,?:-")


@dataclass(frozen=True)
class Column:
    name: str
    meaning: str


@dataclass(frozen=True)
class Parameter:
    """One parameter: how its value is turned into an RDF term."""

    name: str  # what users type: --param name=value
    variable: str  # the SPARQL variable, without "?"
    kind: str  # "iri", "literal", "number"
    meaning: str = ""
    lang: str | None = None
    datatype: str | None = None  # full IRI
    required: bool = True
    default: str | None = None

    def type_label(self) -> str:
        if self.kind == "iri":
            return "IRI"
        if self.kind == "number":
            return "number"
        if self.lang:
            return f"literal@{self.lang}"
        if self.datatype:
            return "xsd:" + self.datatype.removeprefix(XSD)
        return "string"


@dataclass(frozen=True)
class CannedQuery:
    name: str
    path: Path
    text: str
    title_ja: str = ""
    title_en: str = ""
    description: str = ""
    tags: tuple[str, ...] = ()
    columns: tuple[Column, ...] = ()
    parameters: tuple[Parameter, ...] = ()

    @property
    def body(self) -> str:
        """The SPARQL without the ``#+`` header lines."""
        return "\n".join(line for line in self.text.splitlines() if not line.startswith("#+")).strip() + "\n"

    def parameter(self, name: str) -> Parameter | None:
        return next((p for p in self.parameters if p.name == name), None)


@dataclass
class Catalogue:
    queries: list[CannedQuery] = field(default_factory=list)

    def __iter__(self):
        return iter(self.queries)

    def __len__(self) -> int:
        return len(self.queries)

    def get(self, name: str) -> CannedQuery | None:
        return next((q for q in self.queries if name in (q.name, q.path.stem)), None)


# --- the header ----------------------------------------------------------------------------------


def _header(text: str, out: Collector) -> dict[str, object]:
    """The ``#+`` lines as a dict of scalars and lists of strings or one-key pairs."""
    values: dict[str, object] = {}
    current: str | None = None
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.startswith("#+"):
            continue
        content = line[2:]
        if not content.strip():
            continue
        item = re.match(r"^\s+-\s+(.*)$", content)
        if item:
            if current is None or not isinstance(values.get(current), list):
                out.error("a list item outside a list decorator", line=lineno, hint="put it under e.g. '#+ tags:'")
                continue
            entry = item.group(1).strip()
            if current in ("columns", "parameters", "defaults"):
                key, sep, value = entry.partition(": ")
                if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key):
                    out.error(
                        f"'{entry}' is not 'name: value'", line=lineno, hint=f"write '#+   - name: value' in {current}"
                    )
                    continue
                _check_scalar(value, lineno, out)
                values[current].append((key, value.strip()))  # type: ignore[union-attr]
            else:
                _check_scalar(entry, lineno, out)
                values[current].append(entry)  # type: ignore[union-attr]
            continue
        decorator = re.match(r"^ (\w+):(?: (.*))?$", content)
        if not decorator:
            out.error(f"cannot read the decorator '{line}'", line=lineno, hint="write '#+ key: value' or '#+ key:'")
            continue
        key, value = decorator.group(1), (decorator.group(2) or "").strip()
        if key in values:
            out.error(f"'{key}' is given twice", line=lineno)
            continue
        if key in SCALAR_KEYS:
            if not value:
                out.error(f"'{key}' is empty", line=lineno)
                continue
            _check_scalar(value, lineno, out)
            values[key] = value
            current = None
        elif key in LIST_KEYS:
            if value:
                out.error(
                    f"'{key}' takes a list on the following lines", line=lineno, hint=f"'#+ {key}:' then '#+   - …'"
                )
            values[key] = []
            current = key
        else:
            known = ", ".join(SCALAR_KEYS + LIST_KEYS)
            out.error(f"unknown decorator '{key}'", line=lineno, hint=f"use one of {known}")
    return values


def _check_scalar(value: str, lineno: int, out: Collector) -> None:
    """Keep values plain YAML scalars, so grlc reads the header as we do."""
    if value.startswith(_YAML_UNSAFE_START) or ": " in value or " #" in value or value.endswith(":"):
        out.error(
            f"'{value}' is not a plain YAML value",
            line=lineno,
            hint="avoid ': ', ' #' and a leading punctuation mark such as - [ { * & ! | > ' \" % @",
        )


def _parameter(variable: str, meaning: str, default: str | None, out: Collector, line: int | None) -> Parameter:
    match = _PARAM_RE.match(variable)
    assert match is not None
    name, kind, local = match.group("name"), match.group("type"), match.group("local")
    required = match.group("required") == "_"
    lang = datatype = None
    ptype = "literal"
    if kind in (None, "literal", "string"):
        pass
    elif kind == "iri":
        ptype = "iri"
    elif kind == "number":
        ptype = "number"
    elif kind in XSD_TYPES and local is None:
        datatype = XSD + kind
    elif kind == "xsd" and local in XSD_TYPES:
        datatype = XSD + local
    elif len(kind) == 2 and kind.isalpha() and kind.islower() and local is None:
        lang = kind
    else:
        out.error(
            f"?{variable}: unknown parameter type '{kind}{'_' + local if local else ''}'",
            line=line,
            hint="use iri, number, string, a 2-letter language, or one of " + ", ".join(XSD_TYPES),
        )
    return Parameter(name, variable, ptype, meaning, lang, datatype, required, default)


def parse_query_file(path: Path, text: str | None = None) -> CannedQuery:
    """Read one .rq file and its header. Raises InputError listing every problem of the header.

    The SPARQL itself is checked by :func:`plan2rdf.query.engine.check_syntax` (it needs an engine).
    """
    out = Collector(str(path))
    if text is None:
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise InputError([Problem(str(path), "no such query file", hint="see `plan2rdf queries`")]) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError([Problem(str(path), f"cannot be read as UTF-8: {exc}")]) from None
    header = _header(text, out)
    name = _NUMBERED.sub("", path.stem)
    for key in REQUIRED_KEYS:
        if not header.get(key):
            out.error(f"the header has no '{key}'", line=1, hint=f"add '#+ {key}: …' (see docs/queries.md)")
    title_ja = title_en = ""
    summary = str(header.get("summary", ""))
    if summary:
        parts = summary.split(" / ")
        if len(parts) != 2 or not all(p.strip() for p in parts):
            out.error("summary must be '<Japanese title> / <English title>'", line=_line_of(text, "#+ summary:"))
        else:
            title_ja, title_en = (p.strip() for p in parts)
            if title_ja.isascii():
                out.error("the first title of summary must be Japanese", line=_line_of(text, "#+ summary:"))
    columns = tuple(Column(k, v) for k, v in header.get("columns", []))  # type: ignore[union-attr]
    meanings = dict(header.get("parameters", []))  # type: ignore[arg-type]
    defaults = dict(header.get("defaults", []))  # type: ignore[arg-type]

    found = parameter_variables(text)
    parameters: list[Parameter] = []
    for variable, line in found.items():
        p = _parameter(variable, meanings.get(_PARAM_RE.match(variable).group("name"), ""), None, out, line)  # type: ignore[union-attr]
        p = Parameter(p.name, p.variable, p.kind, p.meaning, p.lang, p.datatype, p.required, defaults.get(p.name))
        if any(q.name == p.name for q in parameters):
            out.error(f"?{variable}: parameter '{p.name}' is declared by two variables", line=line)
            continue
        if not p.meaning:
            out.error(
                f"parameter '{p.name}' has no meaning", line=line, hint=f"add '#+   - {p.name}: …' under parameters"
            )
        parameters.append(p)
    for variable, line in misplaced_parameters(text):
        out.error(
            f"parameter {variable} is used outside the outermost WHERE group",
            line=line,
            hint="use it directly in the WHERE group (not in OPTIONAL, UNION or a subquery): engines bind it alike",
        )
    names = {p.name for p in parameters}
    for key, given in (("parameters", meanings), ("defaults", defaults)):
        for extra in sorted(set(given) - names):
            out.error(f"{key} names '{extra}', which is no parameter of the query", line=_line_of(text, f"- {extra}:"))
    for p in parameters:
        if p.default is not None:
            from plan2rdf.query.engine import ParameterError, to_term

            try:
                to_term(p, p.default)
            except ParameterError as exc:
                out.error(f"default of '{p.name}': {exc}", line=_line_of(text, f"- {p.name}:"))
    out.raise_if_errors()
    return CannedQuery(
        name=name,
        path=path,
        text=text,
        title_ja=title_ja,
        title_en=title_en,
        description=str(header["description"]),
        tags=tuple(header["tags"]),  # type: ignore[arg-type]
        columns=columns,
        parameters=tuple(parameters),
    )


def _line_of(text: str, needle: str) -> int | None:
    for lineno, line in enumerate(text.splitlines(), 1):
        if needle in line:
            return lineno
    return None


# --- a small SPARQL lexer: enough to find variables, braces and the top-level group -------------------


_TOKEN = re.compile(
    r"""
    (?P<comment>\#[^\n]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              |'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\s]*>)
  | (?P<var>[?$][A-Za-z0-9_\u00B7\u00C0-\uFFFF]+)
  | (?P<open>\{) | (?P<close>\}) | (?P<popen>\() | (?P<pclose>\))
  | (?P<word>[A-Za-z_][A-Za-z0-9_\-]*)
  | (?P<other>.)
    """,
    re.X | re.S,
)


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    start: int
    depth: int  # brace depth at the token (0 outside every group)


def tokens(text: str) -> list[Token]:
    """Comments, strings, IRIs, variables and brackets of a query, with the brace depth of each."""
    result: list[Token] = []
    depth = 0
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "other"
        if kind == "other" and m.group().isspace():
            continue
        if kind == "close":
            depth -= 1
        result.append(Token(kind, m.group(), m.start(), depth))
        if kind == "open":
            depth += 1
    return result


def parameter_variables(text: str) -> dict[str, int]:
    """Parameter variables (grlc convention: ``?_name…``) and the line each first appears on."""
    found: dict[str, int] = {}
    for tok in tokens(text):
        if tok.kind == "var" and _PARAM_RE.match(tok.text[1:]):
            found.setdefault(tok.text[1:], text.count("\n", 0, tok.start) + 1)
    return found


def misplaced_parameters(text: str) -> list[tuple[str, int]]:
    """Parameter variables used outside the outermost WHERE group (nested groups, subqueries)."""
    toks = tokens(text)
    top = next((i for i, t in enumerate(toks) if t.kind == "open" and _paren_depth(toks, i) == 0), None)
    bad = []
    for i, tok in enumerate(toks):
        if tok.kind == "var" and _PARAM_RE.match(tok.text[1:]) and (top is None or i < top or tok.depth != 1):
            bad.append((tok.text, text.count("\n", 0, tok.start) + 1))
    return bad


def _paren_depth(toks: list[Token], index: int) -> int:
    depth = 0
    for tok in toks[:index]:
        depth += tok.kind == "popen"
        depth -= tok.kind == "pclose"
    return depth


def top_group_start(text: str) -> int:
    """Offset just after the ``{`` that opens the query's outermost WHERE group."""
    toks = tokens(text)
    for i, tok in enumerate(toks):
        if tok.kind == "open" and _paren_depth(toks, i) == 0:
            return tok.start + 1
    raise ValueError("the query has no WHERE group")


# --- the catalogue -------------------------------------------------------------------------------------


def load_catalogue(folder: Path | None = None, *, check: str | None = "rdflib") -> Catalogue:
    """Every ``.rq`` file of a folder (default: the shipped sparql/), in file-name order.

    ``check`` names the engine whose parser checks each query; any broken file makes the whole
    catalogue fail with every problem listed (file, line and column), never a silent drop.
    """
    from plan2rdf import resources

    where = folder if folder is not None else resources.path("sparql")
    problems: list[Problem] = []
    queries: list[CannedQuery] = []
    for path in sorted(Path(where).glob("*.rq")):
        try:
            query = parse_query_file(path)
            if check:
                from plan2rdf.query.engine import check_query

                check_query(query, engine=check)
            queries.append(query)
        except InputError as exc:
            problems.extend(exc.problems)
    names: dict[str, Path] = {}
    for q in queries:
        if q.name in names:
            problems.append(Problem(str(q.path), f"query name '{q.name}' is also used by {names[q.name].name}"))
        names[q.name] = q.path
    if problems:
        raise InputError(problems)
    return Catalogue(queries)
