"""Namespaces and IRIs: the vocabulary contract (docs/vocabulary.md) and the URI policy in code."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

from rdflib import Namespace
from rdflib.namespace import DCAT, DCTERMS, OWL, PROV, RDF, RDFS, SKOS, TIME, VOID, XSD

P2R = Namespace("https://w3id.org/plan2rdf/ns#")
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")
SPDX = Namespace("http://spdx.org/rdf/terms#")
ESTAT_SAC = Namespace("http://data.e-stat.go.jp/lod/sac/")

DEFAULT_BASE_IRI = "https://w3id.org/plan2rdf/id/"
CC_BY_4 = "https://creativecommons.org/licenses/by/4.0/"
SHAPES_IRI = "https://w3id.org/plan2rdf/shapes"
TOOL_IRI = "https://w3id.org/plan2rdf/tool"

PREFIXES = {
    "p2r": P2R,
    "org": ORG,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "dcat": DCAT,
    "void": VOID,
    "prov": PROV,
    "schema": SCHEMA,
    "time": TIME,
    "spdx": SPDX,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
}

# The first path segment of series IRIs must not be one of the shared spaces below the base.
RESERVED_SEGMENTS = frozenset(
    {"org", "fy", "date", "period", "theme", "themes", "tool", "ns", "shapes", "shared", "links", "catalog", "corpus"}
    # pages and files of the static site, which sit beside the IRIs' paths
    | {"charts", "queries", "ontology", "downloads", "static", "index", "context", "nginx"}
)

_SLUG_RE = re.compile(r"[^a-z0-9]+")


def hashed_slug(name: str) -> str:
    """A stable ASCII slug for a name no curated table knows: ``x-`` and a digest of its NFKC form."""
    key = re.sub(r"\s+", "", unicodedata.normalize("NFKC", name))
    return "x-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:10]


def ascii_slug(text: str) -> str | None:
    """Lower-case ASCII slug of a text that is ASCII already (theme names like 'AI'); else None."""
    text = unicodedata.normalize("NFKC", text).lower()
    if not text.isascii():
        return None
    slug = _SLUG_RE.sub("-", text).strip("-")
    return slug or None


@dataclass(frozen=True)
class Iris:
    """Mints every IRI of the graph from one base. Plan resources are scoped by series and
    edition; organisations, fiscal years and themes by what they are, so editions link them."""

    base: str = DEFAULT_BASE_IRI

    def __post_init__(self) -> None:
        if not self.base.endswith(("/", "#")):
            object.__setattr__(self, "base", self.base + "/")

    def _iri(self, path: str):
        from rdflib import URIRef

        return URIRef(self.base + path)

    # plans and their parts
    def series(self, series: str):
        return self._iri(f"{series}")

    def plan(self, series: str, edition: str):
        return self._iri(f"{series}/{edition}")

    def measure(self, series: str, edition: str, identifier: str):
        return self._iri(f"{series}/{edition}/measure/{identifier}")

    def indicator(self, series: str, edition: str, identifier: str):
        return self._iri(f"{series}/{edition}/measure/{identifier}/indicator")

    def target(self, series: str, edition: str, identifier: str, n: int, k: int | None = None):
        """Item n's target; ``k`` numbers the values when one item holds several."""
        suffix = f"{n}" if k is None else f"{n}-{k}"
        return self._iri(f"{series}/{edition}/measure/{identifier}/target/{suffix}")

    def baseline(self, target, k: int | None = None):
        from rdflib import URIRef

        return URIRef(f"{target}/baseline" + ("" if k is None else f"-{k}"))

    def theme_assignment(self, measure, theme_slug: str):
        from rdflib import URIRef

        return URIRef(f"{measure}/theme/{theme_slug}")

    def period(self, start: str, end: str):
        return self._iri(f"period/{start}--{end}")

    def direction_scheme(self, series: str):
        return self._iri(f"{series}/directions")

    def direction(self, series: str, number: int):
        return self._iri(f"{series}/direction/{number}")

    def programme(self, series: str, slug: str):
        return self._iri(f"{series}/programme/{slug}")

    # provenance and dataset metadata
    def source(self, series: str, edition: str):
        return self._iri(f"{series}/{edition}/source")

    def build(self, series: str, edition: str):
        return self._iri(f"{series}/{edition}/build")

    def dataset(self, series: str, edition: str):
        return self._iri(f"{series}/{edition}/dataset")

    def distribution(self, series: str, edition: str, fmt: str):
        return self._iri(f"{series}/{edition}/dataset/{fmt}")

    def file(self, series: str, edition: str, name: str):
        return self._iri(f"{series}/{edition}/{name}")

    def checksum(self, resource) -> object:
        from rdflib import URIRef

        return URIRef(f"{resource}/sha256")

    def class_partition(self, dataset, local_name: str):
        from rdflib import URIRef

        return URIRef(f"{dataset}/class/{local_name}")

    # shared resources
    def organisation(self, publisher: str, *units: str):
        return self._iri("/".join(("org", publisher, *units)))

    def fiscal_year(self, year: int):
        return self._iri(f"fy/{year}")

    def date(self, iso: str):
        return self._iri(f"date/{iso}")

    def theme_scheme(self):
        return self._iri("themes")

    def theme(self, slug: str):
        return self._iri(f"theme/{slug}")
