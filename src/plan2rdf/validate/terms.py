"""Unknown terms: ``p2r:`` IRIs that the ontology does not define (typos), reported as warnings."""

from __future__ import annotations

import functools

from rdflib import Graph, URIRef

from plan2rdf.validate.describe import Describer, node_of, node_text, prefixed
from plan2rdf.validate.results import UNKNOWN_TERM_COMPONENT, UNKNOWN_TERM_SHAPE, Result
from plan2rdf.validate.shapes import load_ontology
from plan2rdf.vocab import P2R


def defined_terms(ontology: Graph) -> frozenset[str]:
    ns = str(P2R)
    return frozenset(str(s) for s in ontology.subjects() if isinstance(s, URIRef) and str(s).startswith(ns))


@functools.lru_cache(maxsize=1)
def shipped_terms() -> frozenset[str]:
    # Parsed once per process: corpus builds validate many plans in each worker.
    return defined_terms(load_ontology())


def unknown_terms(data: Graph, *, ontology: Graph | None = None) -> list[Result]:
    """A warning per ``p2r:`` term used in ``data`` that the ontology does not define."""
    import difflib

    ns = str(P2R)
    known = defined_terms(ontology) if ontology is not None else shipped_terms()
    # The common case first, in one pass over plain strings: no unknown term, nothing to describe.
    used = {str(t) for triple in data for t in triple if str.startswith(t, ns) and isinstance(t, URIRef)}
    if not any(t != ns and t not in known for t in used):
        return []
    uses: dict[str, list[tuple[str, str | None]]] = {}  # term → (focus, path) of each use

    def note(term, focus, path) -> None:
        # The namespace IRI itself (void:vocabulary p2r:) names the vocabulary, not a term.
        if isinstance(term, URIRef) and str(term).startswith(ns) and str(term) != ns and str(term) not in known:
            uses.setdefault(str(term), []).append((node_text(focus), str(path) if path is not None else None))

    for s, p, o in data:
        note(s, s, None)
        note(p, s, p)
        note(o, s, p)
    describer = Describer(data)
    names = sorted(term[len(ns) :] for term in known)
    results = []
    for term, where in sorted(uses.items()):
        focus, path = min(where, key=lambda fp: (fp[0], fp[1] or ""))
        name = prefixed(term)
        close = difflib.get_close_matches(term[len(ns) :], names, n=1, cutoff=0.7)
        hint_en = f"; did you mean p2r:{close[0]}?" if close else "; check its spelling against ontology/plan2rdf.ttl"
        hint_ja = (
            f"p2r:{close[0]} の誤りではありませんか？" if close else "ontology/plan2rdf.ttl で綴りを確かめてください。"
        )
        times = len(where)
        en = f"{name} is not defined by the plan2rdf vocabulary (used {times} time{'s' if times != 1 else ''}){hint_en}"
        ja = f"{name} は plan2rdf の語彙に定義されていない用語です（{times} 箇所で使用）。{hint_ja}"
        described = describer.describe(node_of(focus))
        results.append(
            Result(
                severity="warning",
                focus=focus,
                messages={"en": en, "ja": ja},
                path=prefixed(path) if path else None,
                value=None if path == term else name,  # a misspelt property is the path itself
                entry=described.entry,
                part=described.part,
                title=described.title,
                shape=UNKNOWN_TERM_SHAPE,
                node_shape=UNKNOWN_TERM_SHAPE,
                component=UNKNOWN_TERM_COMPONENT,
                source_file=described.source_file,
                source_line=described.line,
            )
        )
    return results
