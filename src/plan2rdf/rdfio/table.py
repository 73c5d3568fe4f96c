"""A graph's terms, each once, and its triples as their numbers: one walk over a plan's graph that
the corpus worker's stages share.

A corpus worker used to walk each plan's graph four times (the literal checks, the vocabulary
check, pyshacl-turbo's own term conversion, the N-Quads writer), and three of them made a text
or a record of every term again: about a seventh of the worker's time per plan.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Literal, URIRef

from plan2rdf.rdfio.writers import nt_term


@dataclass
class TermTable:
    """``terms[i]`` is a distinct term and ``texts[i]`` its N-Triples form; each triple is three such
    numbers. Terms are distinct by their N-Triples form, which is RDF term equality."""

    terms: list = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    triples: list[tuple[int, int, int]] = field(default_factory=list)

    @classmethod
    def of(cls, graph) -> TermTable:
        """The table of ``graph`` (any rdflib Graph)."""
        table = cls()
        by_id: dict[int, int] = {}  # id() of a term object: hashing rdflib's terms is slow Python code
        by_text: dict[str, int] = {}  # one number for equal terms made as different objects
        terms, texts, triples = table.terms, table.texts, table.triples

        def number(term) -> int:
            text = nt_term(term)
            n = by_text.get(text)
            if n is None:
                n = by_text[text] = len(terms)
                terms.append(term)
                texts.append(text)
            by_id[id(term)] = n
            return n

        # The graph holds every term while this runs, so no id() is reused. Read from the store:
        # Graph.triples only unpacks and yields each triple again.
        for (s, p, o), _ in graph.store.triples((None, None, None), context=graph):
            a = by_id.get(id(s))
            b = by_id.get(id(p))
            c = by_id.get(id(o))
            triples.append(
                (number(s) if a is None else a, number(p) if b is None else b, number(o) if c is None else c)
            )
        return table

    def iris(self) -> list[str]:
        """The distinct IRIs, as strings."""
        return [str(t) for t in self.terms if type(t) is URIRef or isinstance(t, URIRef)]

    def literals(self) -> list[Literal]:
        """The distinct literals."""
        return [t for t in self.terms if type(t) is Literal or isinstance(t, Literal)]
