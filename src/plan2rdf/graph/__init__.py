"""The graph stage: records into RDF (mapping), dataset metadata (dataset), organisation tables."""

from plan2rdf.graph.dataset import (
    FORMATS,
    LANGUAGE_JA,
    OutputFile,
    Statistics,
    build_triples,
    dataset_triples,
    statistics,
    timestamp,
)
from plan2rdf.graph.mapping import GraphResult, build_graph, checksum_triples, en, ja
from plan2rdf.graph.organizations import OrgTable
from plan2rdf.graph.organizations import load as load_organizations

__all__ = [
    "FORMATS",
    "LANGUAGE_JA",
    "GraphResult",
    "OrgTable",
    "OutputFile",
    "Statistics",
    "build_graph",
    "build_triples",
    "checksum_triples",
    "dataset_triples",
    "en",
    "ja",
    "load_organizations",
    "statistics",
    "timestamp",
]
