"""Canned queries on an in-memory Oxigraph store: the engine's own time, beside the on-disk store's.

    python benchmarks/memory_queries.py corpus.nq 01-measures-per-department 08-reposts …

Loads the N-Quads into a pyoxigraph ``Store()`` held in memory, prints ``loaded SECONDS``, then runs
each named query as ``plan2rdf query NAME --store DIR`` does (its default parameters, rows converted
to rdflib terms) and prints ``NAME SECONDS ROWS`` as each one ends. No process start, no store
opening, no formatting: what is left is evaluation. benchmarks/run.py reads the lines, and stops this process
when a query takes longer than its ``--query-timeout``.
"""

from __future__ import annotations

import sys
import time


def main() -> None:
    import pyoxigraph

    from plan2rdf.query import oxigraph_engine, resolve, run

    corpus, names = sys.argv[1], sys.argv[2:]
    start = time.perf_counter()
    store = pyoxigraph.Store()
    store.bulk_load(path=corpus, format=pyoxigraph.RdfFormat.N_QUADS)
    print(f"loaded {time.perf_counter() - start:.2f}", flush=True)
    engine = oxigraph_engine(store)
    for name in names:
        query = resolve(name, engine="oxigraph")
        start = time.perf_counter()
        result = run(query, engine, {})
        print(f"{name} {time.perf_counter() - start:.3f} {len(result.rows)}", flush=True)


if __name__ == "__main__":
    main()
