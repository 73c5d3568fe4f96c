"""The floor: pyoxigraph's streaming parser reading the N-Quads a build produced, nothing else.

python benchmarks/floor.py corpus.nq      (or corpus.nq.gz: read through gzip)
"""

from __future__ import annotations

import gzip
import sys


def main() -> None:
    import pyoxigraph

    path = sys.argv[1]
    if path.endswith(".gz"):
        with gzip.open(path, "rb") as stream:
            count = sum(1 for _ in pyoxigraph.parse(input=stream, format=pyoxigraph.RdfFormat.N_QUADS))
    else:
        count = sum(1 for _ in pyoxigraph.parse(path=path, format=pyoxigraph.RdfFormat.N_QUADS))
    print(f"{count} quads parsed")


if __name__ == "__main__":
    main()
