"""The RDF a query runs on: files named by --data (directories expanded), or the bundled plan's graph.

Loaded into rdflib (the default engine) or a pyoxigraph Store; every file that cannot be parsed is
reported with its name, all together.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from plan2rdf.problems import InputError, Problem
from plan2rdf.query.oxigraph import require_oxigraph

DATA_SUFFIXES = {
    ".ttl": "turtle",
    ".nt": "nt",
    ".jsonld": "json-ld",
    ".json": "json-ld",
    ".trig": "trig",
    ".nq": "nquads",
}


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
    from plan2rdf import pipeline  # the one module that chains the stages (read, derive, graph)

    return pipeline.bundled_graph()


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
    ox = require_oxigraph()
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
