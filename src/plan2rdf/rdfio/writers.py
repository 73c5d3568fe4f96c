"""The writers: Turtle, N-Triples, N-Quads, TriG and JSON-LD, byte for byte reproducible.

rdflib's serializers order subjects and objects by plain string comparison ("1-10" before
"1-2") and its JSON-LD output follows hash order; these writers sort naturally and
deterministically instead, so a plan reads in its own order and two builds are identical.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, XSD

from plan2rdf.vocab import DEFAULT_BASE_IRI, PREFIXES

_PN_LOCAL_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
_NUMBER_RE = re.compile(r"(\d+)")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_ESCAPE_RE = re.compile(r'[\\"\n\r\t\b\f\x00-\x1f\x7f]')
_DOT_SEGMENT_RE = re.compile(r"(?:^|/)\.\.?(?:/|$)")
_QUERY_OR_FRAGMENT_RE = re.compile(r"[?#]")
_TURTLE_INTEGER_RE = re.compile(r"[+-]?[0-9]+")
_DIGITS_RE = re.compile(r"[0-9]+")
# rdflib's namespace attributes are looked up by Python code each time: once here, not per term
_TYPE, _BOOLEAN, _INTEGER, _STRING = RDF.type, XSD.boolean, XSD.integer, XSD.string


@lru_cache(maxsize=65536)
def natural_key(text: str) -> tuple:
    """'measure/1-10' after 'measure/1-2': digit runs compare as numbers."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in _NUMBER_RE.split(text) if part)


def _escape_string(text: str) -> str:
    return _ESCAPE_RE.sub(lambda m: _ESCAPES.get(m.group(), f"\\u{ord(m.group()):04X}"), text)


def _escape_iri(iri: str) -> str:
    # IRIREF may not contain these; percent-encoding keeps the IRI equal as a string in N-Triples
    # readers that check, and our own IRIs never contain them.
    return re.sub(r'[\x00-\x20<>"{}|^`\\]', lambda m: f"%{ord(m.group()):02X}", iri)


def relative_ref(iri: str, base: str | None) -> str | None:
    """``iri`` as a reference that resolves against ``base`` back to ``iri`` (RFC 3986 5.2), or None.

    Only under a base ending in "/" (one ending in "#" would resolve against its parent), never
    with dot segments (resolution removes them) or a leading "@" (JSON-LD reads it as a keyword).
    """
    if not base or not base.endswith("/") or "#" in base or "?" in base:
        return None
    if not iri.startswith(base) or len(iri) == len(base):
        return None
    rest = iri[len(base) :]
    if rest.startswith(("/", "#", "?", "@")) or ":" in rest.split("/", 1)[0]:
        return None
    if _DOT_SEGMENT_RE.search(_QUERY_OR_FRAGMENT_RE.split(rest, maxsplit=1)[0]):
        return None
    return rest


_PLAIN_IRI_RE = re.compile(r'[^\x00-\x20<>"{}|^`\\\x7f-\U0010ffff]*')


@lru_cache(maxsize=4096)  # a plan's IRIs and the shared ones; larger costs more than it saves
def _nt_iri(iri: str) -> str:
    # Cached: a corpus writes the same predicates, classes and datatypes thousands of times.
    if _PLAIN_IRI_RE.fullmatch(iri):  # printable ASCII, nothing to escape: most IRIs
        return iri
    # rdflib's N-Triples parser ends an IRI at any Unicode space (U+00A0, U+3000...): UCHAR-escape them.
    text = _escape_iri(iri)
    return re.sub(r"[^\x00-\x7f]", lambda m: f"\\u{ord(m.group()):04X}" if m.group().isspace() else m.group(), text)


def nt_term(term) -> str:
    """A term in N-Triples syntax (UTF-8, as N-Triples 1.1 allows)."""
    if isinstance(term, URIRef):
        return f"<{_nt_iri(str(term))}>"
    if isinstance(term, Literal):
        # a corpus writes a million literals: each property read once, the escaping only where needed
        text = str(term)
        if _ESCAPE_RE.search(text):
            text = _escape_string(text)
        language = term.language
        if language:
            return f'"{text}"@{language}'
        datatype = term.datatype
        if datatype and datatype != _STRING:
            return f'"{text}"^^<{_nt_iri(str(datatype))}>'
        return f'"{text}"'
    if isinstance(term, BNode):
        return f"_:b{term}"
    raise TypeError(f"not an RDF term: {term!r}")


def ntriples(triples: Iterable[tuple]) -> str:
    """Sorted N-Triples: one line per triple, byte order, no duplicates."""
    lines = sorted({f"{nt_term(s)} {nt_term(p)} {nt_term(o)} .\n" for s, p, o in triples})
    return "".join(lines)


class _Names:
    """Prefixed names for namespace IRIs, relative IRIs for the data under @base."""

    def __init__(self, prefixes: Mapping[str, str], base: str | None):
        # Longest namespace first, so a namespace nested in another wins.
        self.prefixes = sorted(((str(ns), p) for p, ns in prefixes.items()), key=lambda x: -len(x[0]))
        self.base = base
        self.used: set[str] = set()
        self._cache: dict[str, tuple[str, str | None]] = {}  # corpus builds write the same IRIs often

    def iri(self, iri: str) -> str:
        cached = self._cache.get(iri)
        if cached is None:
            cached = self._cache[iri] = self._iri(iri)
            if len(self._cache) > 100_000:
                self._cache.clear()
        text, prefix = cached
        if prefix is not None:
            self.used.add(prefix)
        return text

    def _iri(self, iri: str) -> tuple[str, str | None]:
        text = self._shorten(iri)
        prefix = text.split(":", 1)[0] if not text.startswith("<") else None
        return text, prefix

    def _shorten(self, iri: str) -> str:
        for namespace, prefix in self.prefixes:
            if iri.startswith(namespace):
                local = iri[len(namespace) :]
                if _PN_LOCAL_RE.match(local) or local == "":
                    return f"{prefix}:{local}"
        rest = relative_ref(iri, self.base)
        if rest is not None:
            return f"<{_escape_iri(rest)}>"
        return f"<{_escape_iri(iri)}>"

    def predicate(self, term) -> str:
        return "a" if term == _TYPE else self.iri(str(term))

    def term(self, term) -> str:
        if isinstance(term, URIRef):
            return self.iri(str(term))
        if isinstance(term, Literal):
            text = f'"{_escape_string(str(term))}"'
            if term.language:
                return f"{text}@{term.language}"
            if term.datatype == _BOOLEAN and str(term) in ("true", "false"):
                return str(term)
            if term.datatype == _INTEGER and _TURTLE_INTEGER_RE.fullmatch(str(term)):
                return str(term)
            if term.datatype and term.datatype != _STRING:
                return f"{text}^^{self.iri(str(term.datatype))}"
            return text
        if isinstance(term, BNode):
            return f"_:b{term}"
        raise TypeError(f"not an RDF term: {term!r}")


def _object_key(term) -> tuple:
    if isinstance(term, URIRef):
        return (0, natural_key(str(term)), "")
    if isinstance(term, Literal):
        return (1, natural_key(str(term)), f"{term.language or ''}|{term.datatype or ''}")
    return (2, (str(term),), "")


@dataclass(frozen=True)
class Subjects:
    """Triples grouped by subject, the subjects and each predicate's objects in natural order:
    what Turtle and JSON-LD both write, made once when a build writes both."""

    rows: list[tuple[object, dict[object, list]]]


def by_subject(triples: Iterable[tuple] | Subjects) -> Subjects:
    """``triples`` grouped by subject (see :class:`Subjects`); a Subjects is returned as it is."""
    if isinstance(triples, Subjects):
        return triples
    grouped: dict = defaultdict(lambda: defaultdict(set))
    for s, p, o in triples:
        grouped[s][p].add(o)
    rows = []
    for subject in sorted(grouped, key=_object_key):
        predicates = grouped[subject]
        # one object (most): no key to make, and a long text's key is the costly kind
        rows.append(
            (subject, {p: sorted(o, key=_object_key) if len(o) > 1 else list(o) for p, o in predicates.items()})
        )
    return Subjects(rows)


def _turtle_blocks(subjects: Subjects, names: _Names) -> str:
    """The subject blocks of Turtle, without any header."""
    blocks = []
    for subject, predicates in subjects.rows:
        ordered = sorted(predicates, key=lambda p: (p != _TYPE, names.predicate(p)))
        lines = []
        for predicate in ordered:
            objects = [names.term(o) for o in predicates[predicate]]
            joined = ", ".join(objects)
            if len(objects) > 1 and len(joined) > 80:
                joined = ",\n        ".join(objects)  # one object per line: diffs stay readable
            lines.append(f"    {names.predicate(predicate)} {joined}")
        blocks.append(f"{names.term(subject)}\n" + " ;\n".join(lines) + " .\n")
    return "\n".join(blocks)


def _turtle_header(names: _Names, *, base: str | None, header: str | None) -> str:
    head = []
    if header:
        head.extend(f"# {line}".rstrip() for line in header.splitlines())
        head.append("")
    if base:
        head.append(f"@base <{base}> .")
    ns = {p: n for n, p in names.prefixes}
    used = sorted(names.used)
    head.extend(f"@prefix {p}: <{ns[p]}> ." for p in used)
    return "\n".join(head) + "\n"


def turtle(
    triples: Iterable[tuple] | Subjects,
    *,
    prefixes: Mapping[str, str] = PREFIXES,
    base: str | None = DEFAULT_BASE_IRI,
    header: str | None = None,
) -> str:
    """Turtle grouped by subject: subjects in natural IRI order, ``a`` first, then predicates by name."""
    names = _Names(prefixes, base)
    body = _turtle_blocks(by_subject(triples), names)
    return _turtle_header(names, base=base, header=header) + "\n" + body


# ---------------------------------------------------------------------------------------------
# N-Quads and TriG of corpus builds: statements one a line, in the order given


def nt_statement(s, p, o) -> str:
    """A triple in N-Triples without the final `` .``: what corpus builds sort, share and group."""
    return f"{nt_term(s)} {nt_term(p)} {nt_term(o)}"


def nquads(statements: Iterable[str], graph_iri) -> str:
    """The N-Quads lines of one graph, from :func:`nt_statement` texts, in the order given."""
    lines = list(statements)
    end = f" {nt_term(graph_iri)} .\n"
    # one join, not a formatted string per line: a corpus writes millions of lines
    return end.join(lines) + end if lines else ""


def trig_graph(statements: Iterable[str], graph_iri) -> str:
    """One named graph of a TriG document, one :func:`nt_statement` a line, in the order given.

    TriG for machines: it costs nothing more than the N-Quads (the pretty Turtle is elsewhere).
    """
    lines = list(statements)
    body = "    " + " .\n    ".join(lines) + " .\n" if lines else ""
    return f"{nt_term(graph_iri)} {{\n{body}}}\n"


def graph_bytes(statements: Sequence[str], graph_iri) -> tuple[bytes, bytes]:
    """One graph both ways, UTF-8: its N-Quads lines (:func:`nquads`) and its TriG block
    (:func:`trig_graph`), from :func:`nt_statement` texts in the order given.

    The statements are encoded once and each form made by rewriting the line ends between them
    (N-Triples escapes line ends in terms, so a statement holds none): a corpus writes its
    millions of lines twice, and encoding Japanese text is most of what writing them costs.
    """
    body = "\n".join(statements).encode("utf-8")
    if not statements or body.count(b"\n") != len(statements) - 1:  # nothing to rewrite, or not ours
        return nquads(statements, graph_iri).encode("utf-8"), trig_graph(statements, graph_iri).encode("utf-8")
    graph = nt_term(graph_iri).encode("utf-8")
    end = b" " + graph + b" .\n"
    return body.replace(b"\n", end) + end, graph + b" {\n    " + body.replace(b"\n", b" .\n    ") + b" .\n}\n"


# ---------------------------------------------------------------------------------------------
# JSON-LD


def jsonld(triples: Iterable[tuple] | Subjects, context: dict, *, base: str | None = DEFAULT_BASE_IRI) -> str:
    """JSON-LD compacted with ``context``, which is embedded so that no reader ever fetches it.

    A small compactor for our own context: a term is used where its IRI, type coercion and
    container fit the value exactly; anything else falls back to a compact IRI with expanded
    values, so the output always expands to the same graph.
    """
    ctx = dict(context.get("@context", context))
    if base:
        ctx["@base"] = base
    compactor = _Compactor(ctx, base)
    nodes = [compactor.node(subject, predicates) for subject, predicates in by_subject(triples).rows]
    document = {"@context": ctx, "@graph": nodes}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


class _Compactor:
    def __init__(self, ctx: dict, base: str | None):
        self.base = base
        self.refs: dict[str, str] = {}  # IRI → its @id text: units, directions, themes recur
        self.prefixes = {}
        self.terms: dict[tuple, str] = {}  # (iri, type, container) -> term
        self.classes: dict[str, str] = {}
        for term, definition in ctx.items():
            if term.startswith("@"):
                continue
            if isinstance(definition, str):
                if definition.endswith(("#", "/")) and ":" in definition and "://" in definition:
                    self.prefixes[term] = definition
                    continue
                if definition.startswith("@"):
                    continue
                iri, coerce, container = definition, None, None
            else:
                iri, coerce = definition.get("@id"), definition.get("@type")
                container = definition.get("@container")
                if isinstance(container, list):
                    container = tuple(sorted(container))
            iri = self.expand(iri)
            self.terms.setdefault((iri, coerce and self.expand(coerce) if coerce != "@id" else coerce, container), term)
            if coerce is None and container is None:
                self.classes.setdefault(iri, term)
        self.ns = sorted(((iri, p) for p, iri in self.prefixes.items()), key=lambda x: -len(x[0]))

    def expand(self, value: str) -> str:
        if value and ":" in value and "://" not in value:
            prefix, local = value.split(":", 1)
            if prefix in self.prefixes:
                return self.prefixes[prefix] + local
        return value

    def compact_iri(self, iri: str) -> str:
        for namespace, prefix in self.ns:
            if iri.startswith(namespace) and _PN_LOCAL_RE.match(iri[len(namespace) :]):
                return f"{prefix}:{iri[len(namespace) :]}"
        return iri

    def ref(self, iri: str) -> str:
        """An IRI in an @id position: relative to @base where possible."""
        found = self.refs.get(iri)
        if found is None:
            rest = relative_ref(iri, self.base)
            found = self.refs[iri] = rest if rest is not None else self.compact_iri(iri)
        return found

    def node(self, subject, predicates) -> dict:
        node: dict = {"id": self.ref(str(subject))}
        types = predicates.get(_TYPE, ())  # in natural order already (by_subject)
        if types:
            names = [self.classes.get(str(t)) or self.compact_iri(str(t)) for t in types]
            node["type"] = names[0] if len(names) == 1 else names
        entries: dict = {}
        for predicate, objects in predicates.items():
            if predicate == _TYPE:
                continue
            for obj in objects:
                key, value, is_set, is_lang = self.entry(str(predicate), obj)
                slot = entries.setdefault(key, {"set": is_set, "lang": is_lang, "values": []})
                slot["values"].append(value)
        for key in sorted(entries):
            slot = entries[key]
            if slot["lang"]:
                languages: dict = {}
                for lang, text in slot["values"]:
                    languages.setdefault(lang, []).append(text)
                node[key] = {k: (v[0] if len(v) == 1 else v) for k, v in sorted(languages.items())}
            elif slot["set"] or len(slot["values"]) > 1:
                node[key] = slot["values"]
            else:
                node[key] = slot["values"][0]
        return node

    def entry(self, predicate: str, obj) -> tuple[str, object, bool, bool]:
        """(key, value, always an array?, language map?) for one object of a predicate."""
        if isinstance(obj, URIRef):
            for container in ("@set", None):
                term = self.terms.get((predicate, "@id", container))
                if term:
                    return term, self.ref(str(obj)), container == "@set", False
            return self.compact_iri(predicate), {"@id": self.ref(str(obj))}, True, False
        if isinstance(obj, Literal):
            if obj.language:
                for container in ("@language", ("@language", "@set")):
                    term = self.terms.get((predicate, None, container))
                    if term:
                        return term, (obj.language, str(obj)), False, True
                value = {"@value": str(obj), "@language": obj.language}
                return self.compact_iri(predicate), value, True, False
            datatype = str(obj.datatype) if obj.datatype and obj.datatype != _STRING else None
            for container in ("@set", None):
                term = self.terms.get((predicate, datatype, container))
                if term:
                    return term, _native(obj, datatype), container == "@set", False
            value = {"@value": str(obj)}
            if datatype:
                value["@type"] = self.compact_iri(datatype)
            return self.compact_iri(predicate), value, True, False
        raise TypeError(f"blank nodes are not written: {obj!r}")


_NATIVE_INTEGERS = {str(XSD.integer), str(XSD.positiveInteger), str(XSD.nonNegativeInteger)}
_NATIVE_BOOLEAN = str(XSD.boolean)


def _native(obj: Literal, datatype: str | None):
    """JSON's own booleans and numbers where they round-trip exactly; strings otherwise."""
    text = str(obj)
    if datatype == _NATIVE_BOOLEAN and text in ("true", "false"):
        return text == "true"
    if datatype in _NATIVE_INTEGERS and _DIGITS_RE.fullmatch(text) and len(text) < 16:
        return int(text)
    return text
