"""The floor: pyoxigraph's streaming parser reading the N-Quads a build produced, nothing else.

python benchmarks/floor.py corpus.nq
"""

from __future__ import annotations

import sys


def main() -> None:
    import pyoxigraph

    count = sum(1 for _ in pyoxigraph.parse(path=sys.argv[1], format=pyoxigraph.RdfFormat.N_QUADS))
    print(f"{count} quads parsed")


if __name__ == "__main__":
    main()
