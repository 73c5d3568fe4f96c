"""The naive pipeline, for comparison: one rdflib Graph for the whole corpus, one pyshacl run,
rdflib's own serializers.

    python benchmarks/naive.py CORPUS_DIR OUT_DIR
"""

from __future__ import annotations

import sys
from pathlib import Path


def main() -> None:
    import pyshacl
    from rdflib import Graph

    from plan2rdf.corpus.build import expand_sources
    from plan2rdf.pipeline import graph_of
    from plan2rdf.read.reader import read_plan
    from plan2rdf.validate import load_shapes

    corpus, out = Path(sys.argv[1]), Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    graph = Graph()
    for source in expand_sources([corpus]):
        graph += graph_of(read_plan(source)).graph
    conforms, _, _ = pyshacl.validate(graph, shacl_graph=load_shapes(), advanced=True, allow_warnings=True)
    graph.serialize(out / "corpus.ttl", format="turtle")
    graph.serialize(out / "corpus.nt", format="nt")
    print(f"{len(graph)} triples, conforms: {conforms}")


if __name__ == "__main__":
    main()
