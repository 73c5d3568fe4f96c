"""Where statements are in an RDF file: the line and column of each subject's first statement and of
each (subject, predicate)'s first statement, so validation results can point at the line to fix.

rdflib's parsers do not keep positions, so a file that has already parsed is scanned once more by a
small tokenizer (linear in the file's length, never raising): Turtle, TriG, N-Triples and N-Quads
by their tokens (prefixed names and relative IRIs resolved against ``@prefix``/``@base`` as they
come), JSON-LD by its node objects (the ``{`` of the object with the ``@id``, and its keys),
RDF/XML by its node and property elements (expat's positions). Blank nodes have no name that
survives parsing, so only IRIs are located; lines and columns count from 1, columns in characters.

:func:`scan` ``(text, fmt, base) -> dict[(subject, predicate | None), (line, column)]``.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urljoin

from plan2rdf.rdfio.formats import JSONLD, N3, NQUADS, NTRIPLES, RDFXML, RdfFormat

RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDF_TYPE = RDF_NS + "type"
Key = tuple[str, str | None]
Position = tuple[int, int]

_STOP = r"\s;,()\[\]{}<>\"'#^\\"
_TOKEN = re.compile(
    r"(?P<ws>\s+|#[^\n]*)"
    r'|(?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>)'
    r'|(?P<string>"""(?:[^"\\]|\\.|"{1,2}(?!"))*"""|\'\'\'(?:[^\'\\]|\\.|\'{1,2}(?!\'))*\'\'\''
    r'|"(?:[^"\\\n\r]|\\.)*"|\'(?:[^\'\\\n\r]|\\.)*\')'
    r"|(?P<at>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)"
    r"|(?P<hats>\^\^)"
    rf"|(?P<bnode>_:(?:[^{_STOP}.]|\.+(?=[^{_STOP}.]))+)"
    rf"|(?P<pname>(?:[^{_STOP}:.0-9+-][^{_STOP}:]*)?:(?:[^{_STOP}.]|\\.|\.+(?=[^{_STOP}.]))*)"
    r"|(?P<number>[+-]?(?:\d+\.\d*[eE][+-]?\d+|\.?\d+[eE][+-]?\d+|\d*\.\d+|\d+))"
    r"|(?P<punct>[;,.\[\](){}])"
    r"|(?P<word>[A-Za-z][A-Za-z0-9_-]*)"
    r"|(?P<other>.)",
    re.S,
)
_TERMS = ("iri", "pname", "bnode", "string", "number", "word")
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_LOCAL_ESCAPE = re.compile(r"\\(.)")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


class _Lines:
    """Line and column of an offset, by binary search over the line starts (built once)."""

    def __init__(self, text: str):
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def at(self, offset: int) -> Position:
        index = bisect.bisect_right(self.starts, offset) - 1
        return index + 1, offset - self.starts[index] + 1


def scan(text: str, fmt: RdfFormat, base: str) -> dict[Key, Position]:
    """The first position of each subject and (subject, predicate) in ``text``; {} when unknown."""
    try:
        if fmt is JSONLD:
            return _scan_jsonld(text, base)
        if fmt is RDFXML:
            return _scan_rdfxml(text, base)
        if fmt is N3:
            return {}
        if fmt in (NTRIPLES, NQUADS) and (found := _scan_lines(text)) is not None:
            return found
        return _TurtleScanner(text, base).run()
    except Exception:  # a position is a courtesy: never let it fail a validation
        return {}


# ---------------------------------------------------------------------------------------------
# Turtle, TriG, N-Triples, N-Quads

# An N-Triples/N-Quads line's subject and predicate, absolute IRIs without escapes (the common case)
_PLAIN_IRI = r"<[A-Za-z][A-Za-z0-9+.-]*:[^<>\"{}|^`\\\x00-\x20]*>"
_LINE_START = re.compile(rf"[ \t]*(?:({_PLAIN_IRI})|_:\S+)[ \t]+({_PLAIN_IRI})")


_EACH_LINE_START = re.compile("^" + _LINE_START.pattern, re.M)


def _scan_lines(text: str) -> dict[Key, Position] | None:
    """What the tokenizer finds in N-Triples or N-Quads, a line at a time (a twentieth of its time);
    None at a line it must read itself (escaped or relative IRIs)."""
    found: dict[Key, Position] = {}
    lines = text.count("\n") + (not text.endswith("\n"))
    starts = list(_EACH_LINE_START.finditer(text))
    if len(starts) == lines:  # every line starts so (none blank): the n-th match is on line n, in one regex
        for number, match in enumerate(starts, 1):
            subject = match.group(1)
            if subject is not None:
                at = match.start()
                found.setdefault((subject[1:-1], None), (number, match.start(1) - at + 1))
                found.setdefault((subject[1:-1], match.group(2)[1:-1]), (number, match.start(2) - at + 1))
        return found
    for number, line in enumerate(text.split("\n"), 1):
        match = _LINE_START.match(line)
        if match is None:
            if line.strip() and not line.lstrip().startswith("#"):
                return None
            continue
        subject = match.group(1)
        if subject is not None:  # a blank node subject is not located
            found.setdefault((subject[1:-1], None), (number, match.start(1) + 1))
            found.setdefault((subject[1:-1], match.group(2)[1:-1]), (number, match.start(2) + 1))
    return found


def _tokens(text: str) -> Iterator[tuple[str, str, int]]:
    pos, end = 0, len(text)
    while pos < end:
        match = _TOKEN.match(text, pos)
        kind = match.lastgroup or "other"
        if kind != "ws":
            yield kind, match.group(), pos
        pos = match.end()


@dataclass
class _Frame:
    kind: str  # "bnode", "list" or "graph"
    subject: str | None
    back: str  # the state to return to when the frame closes


@dataclass
class _TurtleScanner:
    text: str
    base: str
    prefixes: dict[str, str] = field(default_factory=dict)
    found: dict[Key, Position] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.lines = _Lines(self.text)
        self.tokens = _tokens(self.text)
        self.ahead: list[tuple[str, str, int]] = []
        self.stack: list[_Frame] = []
        self.state, self.subject = "subject", None

    def next(self) -> tuple[str, str, int] | None:
        return self.ahead.pop() if self.ahead else next(self.tokens, None)

    def peek(self) -> tuple[str, str, int] | None:
        token = self.next()
        if token is not None:
            self.ahead.append(token)
        return token

    def note(self, subject: str | None, predicate: str | None, offset: int) -> None:
        if subject is not None:
            self.found.setdefault((subject, predicate), self.lines.at(offset))

    def resolve(self, kind: str, value: str) -> str | None:
        if kind == "iri":
            iri = _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), value[1:-1])
            return iri if _SCHEME.match(iri) else urljoin(self.base, iri)
        if kind == "pname":
            prefix, _, local = value.partition(":")
            ns = self.prefixes.get(prefix)
            return None if ns is None else ns + _LOCAL_ESCAPE.sub(r"\1", local)
        return None

    def run(self) -> dict[Key, Position]:
        while (token := self.next()) is not None:
            kind, value, offset = token
            if self.directive(kind, value):
                continue
            getattr(self, f"on_{self.state.replace('-', '_')}")(kind, value, offset)
        return self.found

    def directive(self, kind: str, value: str) -> bool:
        word = value.lower()
        if (kind == "at" and word == "@prefix") or (kind == "word" and word == "prefix" and self.state == "subject"):
            name, iri = self.next(), self.next()
            if name and iri and iri[0] == "iri":
                self.prefixes[name[1].rstrip(":")] = self.resolve("iri", iri[1]) or ""
            return True
        if (kind == "at" and word == "@base") or (kind == "word" and word == "base" and self.state == "subject"):
            iri = self.next()
            if iri and iri[0] == "iri":
                self.base = self.resolve("iri", iri[1]) or self.base
            return True
        if kind == "word" and word == "graph" and self.state == "subject":
            self.next()  # the graph's name; its block follows
            return True
        return False

    def open(self, kind: str, back: str) -> None:
        self.stack.append(_Frame(kind, self.subject, back))
        self.subject = None

    def close(self) -> None:
        if self.stack:
            frame = self.stack.pop()
            self.subject, self.state = frame.subject, frame.back

    def on_subject(self, kind: str, value: str, offset: int) -> None:
        if value == "{":
            self.open("graph", "subject")
        elif value == "}":
            self.close()
            self.state = "subject"
        elif value == "[":
            self.open("bnode", "predicate")
            self.state = "predicate"
        elif value == "(":
            self.open("list", "predicate")
            self.state = "list"
        elif kind in _TERMS:
            following = self.peek()
            if following is not None and following[1] == "{":  # TriG: a graph's name
                return
            self.subject = self.resolve(kind, value)
            self.note(self.subject, None, offset)
            self.state = "predicate"

    def on_predicate(self, kind: str, value: str, offset: int) -> None:
        if value == "]":
            self.close()
        elif value == ".":
            self.state = "subject"
        elif value == "}":
            self.on_subject(kind, value, offset)
        elif kind in _TERMS:
            predicate = RDF_TYPE if (kind, value) == ("word", "a") else self.resolve(kind, value)
            if predicate is not None:
                self.note(self.subject, predicate, offset)
            self.state = "object"

    def on_object(self, kind: str, value: str, offset: int) -> None:
        if value == "[":
            self.open("bnode", "after-object")
            self.state = "predicate"
        elif value == "(":
            self.open("list", "after-object")
            self.state = "list"
        elif kind in _TERMS:
            self.state = "after-object"

    def on_after_object(self, kind: str, value: str, offset: int) -> None:
        if kind == "hats":
            self.next()  # the datatype
        elif value == ",":
            self.state = "object"
        elif value == ";":
            self.state = "predicate"
        elif value == ".":
            self.state = "subject"
        elif value == "]":
            self.close()
        elif value == "}":
            self.on_subject(kind, value, offset)

    def on_list(self, kind: str, value: str, offset: int) -> None:
        if value == "[":
            self.open("bnode", "list")
            self.state = "predicate"
        elif value == "(":
            self.open("list", "list")
        elif value == ")":
            self.close()


# ---------------------------------------------------------------------------------------------
# JSON-LD

_JSON_TOKEN = re.compile(r'\s+|(?P<s>"(?:[^"\\]|\\.)*")|(?P<p>[{}\[\]:,])|(?P<v>[^\s{}\[\]:,"]+)', re.S)


@dataclass
class _JsonObject:
    offset: int
    members: list[tuple[str, int, object]] = field(default_factory=list)  # key, key offset, value


def _json_tree(text: str) -> object:
    """The document with every object's offset and its keys' offsets (iteratively: no recursion limit)."""
    stack: list[list | _JsonObject] = []
    key: list[tuple[str, int] | None] = []
    root: object = None
    pending: tuple[str, int] | None = None
    for match in _JSON_TOKEN.finditer(text):
        token, offset = match.group(), match.start()
        if match.lastgroup is None or token in ",":
            continue
        if token == ":":
            continue
        if token in "]}":
            value: object = stack.pop()
            pending = key.pop()
        elif token in "[{":
            stack.append([] if token == "[" else _JsonObject(offset))
            key.append(pending)
            pending = None
            continue
        else:
            value = json.loads(token) if match.lastgroup == "s" else token
            container = stack[-1] if stack else None
            if isinstance(container, _JsonObject) and pending is None:
                pending = (value, offset)  # a key; its value follows
                continue
        if not stack:
            root = value
            continue
        container = stack[-1]
        if isinstance(container, _JsonObject):
            name, at = pending or ("", offset)
            container.members.append((name, at, value))
        else:
            container.append(value)
        pending = None
    return root


def _walk(node: object, inside_context: bool = False) -> Iterator[tuple[_JsonObject, bool]]:
    todo = [(node, inside_context)]
    while todo:
        current, in_context = todo.pop()
        if isinstance(current, list):
            todo.extend((item, in_context) for item in reversed(current))
        elif isinstance(current, _JsonObject):
            yield current, in_context
            todo.extend((value, in_context or name == "@context") for name, _, value in reversed(current.members))


def _contexts(tree: object, base: str) -> tuple[dict[str, str], set[str], str, str | None]:
    """Terms (term → IRI), the keys that mean @id, the base and the vocabulary of all contexts."""
    terms: dict[str, str] = {}
    ids, vocab = {"@id"}, None
    for obj, _ in _walk(tree):
        for name, _, value in obj.members:
            if name != "@context":
                continue
            for context in value if isinstance(value, list) else [value]:
                if not isinstance(context, _JsonObject):
                    continue
                for term, _, definition in context.members:
                    if isinstance(definition, _JsonObject):
                        definition = next((v for k, _, v in definition.members if k == "@id"), None)
                    if term == "@base" and isinstance(definition, str):
                        base = urljoin(base, definition)
                    elif term == "@vocab" and isinstance(definition, str):
                        vocab = definition
                    elif definition == "@id":
                        ids.add(term)
                    elif isinstance(definition, str) and not term.startswith("@"):
                        terms.setdefault(term, definition)
    return terms, ids, base, vocab


def _expand(value: str, terms: dict[str, str], base: str, vocab: str | None, *, is_id: bool) -> str | None:
    if value.startswith("_:") or value.startswith("@"):
        return RDF_TYPE if value == "@type" else None
    if not is_id and value in terms:
        return _expand(terms[value], terms, base, vocab, is_id=True)
    prefix, colon, local = value.partition(":")
    if colon and prefix in terms and not local.startswith("//"):
        return terms[prefix] + local
    if _SCHEME.match(value):
        return value
    return urljoin(base, value) if is_id else (vocab + value if vocab else None)


def _scan_jsonld(text: str, base: str) -> dict[Key, Position]:
    tree = _json_tree(text)
    terms, ids, base, vocab = _contexts(tree, base)
    lines, found = _Lines(text), {}
    described: set[str] = set()
    for obj, in_context in _walk(tree):
        if in_context:
            continue
        subject = next((v for k, _, v in obj.members if k in ids and isinstance(v, str)), None)
        iri = _expand(subject, terms, base, vocab, is_id=True) if subject is not None else None
        if iri is None:
            continue
        others = [(k, at) for k, at, _ in obj.members if k not in ids and k != "@context"]
        if others and iri not in described:  # a node object that says something, not a reference
            described.add(iri)
            found[(iri, None)] = lines.at(obj.offset)
        found.setdefault((iri, None), lines.at(obj.offset))
        for name, at in others:
            predicate = _expand(name, terms, base, vocab, is_id=False)
            if predicate is not None:
                found.setdefault((iri, predicate), lines.at(at))
    return found


# ---------------------------------------------------------------------------------------------
# RDF/XML


def _scan_rdfxml(text: str, base: str) -> dict[Key, Position]:
    from xml.parsers import expat

    parser = expat.ParserCreate(namespace_separator=" ")
    found: dict[Key, Position] = {}
    stack: list[tuple[str, str | None, str]] = []  # kind, subject, base
    xml_base = "http://www.w3.org/XML/1998/namespace base"

    def here() -> Position:
        return parser.CurrentLineNumber, parser.CurrentColumnNumber + 1

    def start(name: str, attrs: dict[str, str]) -> None:
        iri = name.replace(" ", "")
        parent = stack[-1] if stack else ("top", None, base)
        element_base = urljoin(parent[2], attrs[xml_base]) if xml_base in attrs else parent[2]
        kind = _xml_kind(parent[0], iri)
        subject = parent[1]
        if kind == "node":
            subject = _xml_subject(attrs, element_base)
            if subject is not None:
                found.setdefault((subject, None), here())
                if iri != RDF_NS + "Description":
                    found.setdefault((subject, RDF_TYPE), here())
                for attribute in attrs:
                    if not attribute.startswith((RDF_NS.replace("#", "# "), "http://www.w3.org/XML/1998/")):
                        found.setdefault((subject, attribute.replace(" ", "")), here())
        elif kind == "property":
            if subject is not None:
                found.setdefault((subject, iri), here())
            parse_type = attrs.get(RDF_NS.replace("#", "# ") + "parseType")
            kind = "literal" if parse_type == "Literal" else "node" if parse_type == "Resource" else kind
            subject = None if kind == "node" else subject
        stack.append((kind, subject, element_base))

    parser.StartElementHandler = start
    parser.EndElementHandler = lambda name: stack.pop()
    parser.Parse(text.encode("utf-8"), True)
    return found


def _xml_kind(parent: str, iri: str) -> str:
    if parent == "top":
        return "rdf" if iri == RDF_NS + "RDF" else "node"
    if parent == "literal":
        return "literal"
    return "property" if parent == "node" else "node"


def _xml_subject(attrs: dict[str, str], base: str) -> str | None:
    rdf = RDF_NS.replace("#", "# ")
    if rdf + "about" in attrs:
        return urljoin(base, attrs[rdf + "about"])
    if rdf + "ID" in attrs:
        return urljoin(base, "#" + attrs[rdf + "ID"])
    return None
