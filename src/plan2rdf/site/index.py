"""The graph as the site reads it: an index of subjects, predicates and sorted objects, and the
small text helpers every view uses (labels, prefixed names, numbers)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, TIME

from plan2rdf.rdfio.writers import natural_key
from plan2rdf.site.models import Label, Ref
from plan2rdf.vocab import PREFIXES


def _term_key(term) -> tuple:
    if isinstance(term, URIRef):
        return (0, natural_key(str(term)), "")
    if isinstance(term, Literal):
        return (1, natural_key(str(term)), f"{term.language or ''}|{term.datatype or ''}")
    return (2, (str(term),), "")


class Index:
    """The graph as dictionaries: subject → predicate → sorted objects, and inbound links."""

    def __init__(self, triples: Iterable[tuple]):
        out: dict = defaultdict(lambda: defaultdict(set))
        inbound: dict = defaultdict(set)
        for s, p, o in triples:
            out[s][p].add(o)
            if isinstance(o, URIRef):
                inbound[o].add((s, p))
        self.out = {s: {p: sorted(objs, key=_term_key) for p, objs in preds.items()} for s, preds in out.items()}
        self.inbound = {
            o: sorted(links, key=lambda sp: (_term_key(sp[1]), _term_key(sp[0]))) for o, links in inbound.items()
        }

    def all(self, s, p) -> list:
        return self.out.get(s, {}).get(p, [])

    def one(self, s, p):
        values = self.all(s, p)
        return values[0] if values else None

    def refs(self, s, p) -> list[URIRef]:
        return [o for o in self.all(s, p) if isinstance(o, URIRef)]

    def has_type(self, s, cls) -> bool:
        return cls in self.out.get(s, {}).get(RDF.type, ())

    def subjects(self, p, o) -> list[URIRef]:
        return [s for s, q in self.inbound.get(o, ()) if q == p]

    def of_type(self, cls) -> list[URIRef]:
        return self.subjects(RDF.type, cls)

    def text(self, s, p, lang: str | None = "ja") -> str | None:
        """The literal in ``lang``; for Japanese, a literal without a language will do."""
        values = [o for o in self.all(s, p) if isinstance(o, Literal)]
        for o in values:
            if o.language == lang:
                return str(o)
        if lang == "ja":
            for o in values:
                if not o.language:
                    return str(o)
        return None

    def label(self, s) -> Label:
        for p in (SKOS.prefLabel, DCTERMS.title, RDFS.label):
            ja, en = self.text(s, p, "ja"), self.text(s, p, "en")
            if ja or en:
                return Label(ja or en or "", en if ja else None)
        for p in (DCTERMS.identifier, TIME.inXSDDate, SKOS.notation):
            text = self.text(s, p, None) or self.text(s, p)
            if text:
                return Label(text)
        return Label(short_name(str(s)))

    def ref(self, s) -> Ref:
        return Ref(str(s), self.label(s))


def short_name(iri: str) -> str:
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(str(namespace)) and len(iri) > len(str(namespace)):
            return f"{prefix}:{iri[len(str(namespace)) :]}"
    return iri.rstrip("/").rsplit("/", 1)[-1] or iri


def compact(iri: str) -> str:
    """A prefixed name where a known namespace fits, else the IRI."""
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda x: -len(str(x[1]))):
        ns = str(namespace)
        if iri.startswith(ns) and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_-]*", iri[len(ns) :]):
            return f"{prefix}:{iri[len(ns) :]}"
    return iri


def decimal_text(text: str) -> str:
    """67000 → 67,000 (the value is shown as a number; the verbatim item stays beside it)."""
    try:
        return format(Decimal(text), ",")
    except (InvalidOperation, ValueError):
        return text


def text_lines(text: str | None) -> list[str]:
    """The non-blank lines of a multi-line literal."""
    return [line for line in (text or "").splitlines() if line.strip()]
