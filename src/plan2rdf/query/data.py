"""The RDF a query runs on: files named by --data (directories expanded).

Reading goes through plan2rdf.rdfio's one loader, so `query --data` accepts the formats `validate`
accepts, never touches the network (our JSON-LD context comes from the package) and reports every
unreadable file with its line and column, all together.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from plan2rdf.query.oxigraph import require_oxigraph


def data_files(paths: Iterable[Path]) -> list[Path]:
    """The RDF files named, directories expanded (sorted); InputError for anything else."""
    from plan2rdf.rdfio.load import expand_paths

    return expand_paths(list(paths))


def load_rdflib(files: Sequence[Path]) -> Any:
    """The files as one rdflib Graph: the union of their triples (named graphs of TriG/N-Quads too)."""
    from plan2rdf.rdfio.load import load_rdflib as load

    return load(list(files))


def load_oxigraph(files: Sequence[Path] = (), graph: Any = None) -> Any:
    """A pyoxigraph Store with the files (or an rdflib graph) loaded."""
    from plan2rdf.rdfio.load import load_oxigraph as load

    ox = require_oxigraph()
    store = ox.Store()
    if graph is not None:
        store.load(graph.serialize(format="nt", encoding="utf-8"), ox.RdfFormat.N_TRIPLES)
    if files:
        load(list(files), store=store)
    return store
