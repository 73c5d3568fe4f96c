"""A small SPARQL lexer: enough to find variables, braces and the query's outermost WHERE group.

A parameter variable may only appear directly in the query's outermost WHERE group (not inside
OPTIONAL, UNION, subqueries …), so binding it by initBindings (rdflib) or by a VALUES row at the
top of that group (pyoxigraph, remote endpoints) means the same thing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from plan2rdf.query.parameters import PARAMETER_VARIABLE

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


def keywords(text: str) -> list[tuple[str, int]]:
    """The query's bare words, upper-cased, with their offsets; keywords inside strings, IRIs and
    comments are other tokens, and parts of prefixed names (``ex:service``) are left out."""
    words = []
    for tok in tokens(text):
        if tok.kind != "word":
            continue
        before = text[tok.start - 1] if tok.start else ""
        after = text[tok.start + len(tok.text) : tok.start + len(tok.text) + 1]
        if before != ":" and after != ":":
            words.append((tok.text.upper(), tok.start))
    return words


UPDATE_KEYWORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"})
PROLOGUE_KEYWORDS = frozenset({"PREFIX", "BASE"})


def is_update(text: str) -> bool:
    """Does the text read as a SPARQL Update (its first keyword after the prologue is an update's)?"""
    words = [w for w, _ in keywords(text) if w not in PROLOGUE_KEYWORDS]
    return bool(words) and words[0] in UPDATE_KEYWORDS


def service_line(text: str) -> int | None:
    """The line of the query's first SERVICE keyword (a federated query: it makes the engine fetch
    from the network), or None when it has none."""
    for word, start in keywords(text):
        if word == "SERVICE":
            return text.count("\n", 0, start) + 1
    return None


def service_as_graph(text: str) -> str:
    """The query with each ``SERVICE [SILENT]`` written as ``GRAPH``, padded to the same length.

    The grammar of the two patterns is the same apart from SILENT, so a parser that only checks
    syntax by running the query (pyoxigraph on an empty store) sees the same errors at the same
    places, and connects to nothing: pyoxigraph evaluates SERVICE as soon as the query is run."""
    words = keywords(text)
    out = text
    for i, (word, start) in enumerate(words):
        if word != "SERVICE":
            continue
        out = out[:start] + "GRAPH  " + out[start + 7 :]
        if i + 1 < len(words) and words[i + 1][0] == "SILENT" and not text[start + 7 : words[i + 1][1]].strip():
            silent = words[i + 1][1]
            out = out[:silent] + " " * 6 + out[silent + 6 :]
    return out


def parameter_variables(text: str) -> dict[str, int]:
    """Parameter variables (grlc convention: ``?_name…``) and the line each first appears on."""
    found: dict[str, int] = {}
    for tok in tokens(text):
        if tok.kind == "var" and PARAMETER_VARIABLE.match(tok.text[1:]):
            found.setdefault(tok.text[1:], text.count("\n", 0, tok.start) + 1)
    return found


def misplaced_parameters(text: str) -> list[tuple[str, int]]:
    """Parameter variables used outside the outermost WHERE group (nested groups, subqueries)."""
    toks = tokens(text)
    top = next((i for i, t in enumerate(toks) if t.kind == "open" and _paren_depth(toks, i) == 0), None)
    bad = []
    for i, tok in enumerate(toks):
        if tok.kind == "var" and PARAMETER_VARIABLE.match(tok.text[1:]) and (top is None or i < top or tok.depth != 1):
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
