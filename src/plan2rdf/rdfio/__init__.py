"""The one RDF input/output layer: a table of formats, a loader and the writers.

- :mod:`~plan2rdf.rdfio.formats`: every RDF format with its suffixes, media type and parser names;
  help texts and docs' format lists come from it.
- :mod:`~plan2rdf.rdfio.load`: files and directories into an rdflib graph or a pyoxigraph store,
  with every problem located and never any network access.
- :mod:`~plan2rdf.rdfio.contexts`: JSON-LD contexts offline (ours from the package, others refused).
- :mod:`~plan2rdf.rdfio.writers`: deterministic Turtle, N-Triples, N-Quads, TriG and JSON-LD.

Importing this package imports only the format table (``plan2rdf --help`` reads it): the loader,
the contexts and the writers are loaded when one of their names is first used.
"""

from __future__ import annotations

import importlib
from typing import Any

from plan2rdf.rdfio.formats import (
    FORMATS,
    INPUT_FORMAT_NAMES,
    RdfFormat,
    by_media_type,
    by_name,
    describe,
    format_for,
    suffix_list,
)

_WRITERS = (
    "graph_bytes",
    "jsonld",
    "natural_key",
    "nquads",
    "nt_statement",
    "nt_term",
    "ntriples",
    "trig_graph",
    "turtle",
)
_LOAD = ("LoadedGraph", "expand_paths", "load_files", "load_oxigraph", "load_rdflib")
_CONTEXTS = ("CONTEXT_IRI", "offline_document", "shipped_context")
_LAZY = {
    **dict.fromkeys(_WRITERS, "plan2rdf.rdfio.writers"),
    **dict.fromkeys(_LOAD, "plan2rdf.rdfio.load"),
    **dict.fromkeys(_CONTEXTS, "plan2rdf.rdfio.contexts"),
}

__all__ = [
    "CONTEXT_IRI",
    "FORMATS",
    "INPUT_FORMAT_NAMES",
    "LoadedGraph",
    "RdfFormat",
    "by_media_type",
    "by_name",
    "describe",
    "expand_paths",
    "format_for",
    "load_files",
    "load_oxigraph",
    "load_rdflib",
    "offline_document",
    "shipped_context",
    "suffix_list",
    *_WRITERS,
]


def __getattr__(name: str) -> Any:
    # The loader and the writers import much (rdflib, gzip, inspect): load them on first use, not
    # with the format table that every command's help reads.
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
