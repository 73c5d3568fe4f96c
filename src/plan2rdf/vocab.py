"""Namespaces and IRIs: the vocabulary contract (docs/vocabulary.md) and the URI policy in code."""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from rdflib import Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL, PROV, RDF, RDFS, SKOS, TIME, VOID, XSD

from plan2rdf.text import hashed_slug as hashed_slug  # re-exported: the stages mint slugs from vocab
from plan2rdf.text import identifier_slug


class KeptNamespace(Namespace):
    """A Namespace whose terms are made once: rdflib makes (and checks) a new URIRef on every
    ``P2R.name``, and building one plan's graph names some 4,000 terms of these namespaces."""

    def __getattr__(self, name: str) -> URIRef:
        term = super().__getattr__(name)
        self.__dict__[name] = term  # found as an attribute from now on, without __getattr__
        return term


class KeptTerms:
    """A DefinedNamespace (rdflib's RDF, DCTERMS, XSD…) whose terms are made once: each attribute
    is still looked up, and checked, in the namespace, then kept. rdflib makes a new URIRef on
    every ``RDF.type``, some 3,000 a plan, and a term made once is found faster in every dict."""

    def __init__(self, namespace) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> URIRef:
        term = getattr(self._namespace, name)
        setattr(self, name, term)
        return term

    def __str__(self) -> str:
        return str(self._namespace)


@functools.lru_cache(maxsize=4096)  # a plan's IRIs and the shared ones; larger costs more than it saves
def _uri(text: str) -> URIRef:
    # A plan names each of its ~800 IRIs some 15 times; shared ones (units, years) recur in a corpus.
    return URIRef(text)


P2R = KeptNamespace("https://w3id.org/plan2rdf/ns#")
ORG = KeptNamespace("http://www.w3.org/ns/org#")
SCHEMA = KeptNamespace("https://schema.org/")
SPDX = KeptNamespace("http://spdx.org/rdf/terms#")
ESTAT_SAC = Namespace("http://data.e-stat.go.jp/lod/sac/")

DEFAULT_BASE_IRI = "https://w3id.org/plan2rdf/id/"
CC_BY_4 = "https://creativecommons.org/licenses/by/4.0/"
SHAPES_IRI = "https://w3id.org/plan2rdf/shapes"
MEDIA_TYPE_IRI = "https://www.iana.org/assignments/media-types/"
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


def ascii_slug(text: str) -> str | None:
    """Lower-case ASCII slug of a text that is ASCII already (theme names like 'AI'); else None."""
    text = unicodedata.normalize("NFKC", text).lower()
    if not text.isascii():
        return None
    slug = _SLUG_RE.sub("-", text).strip("-")
    return slug or None


@dataclass(frozen=True)
class Iris:
    """Mints every IRI the project writes, one method per kind (docs/vocabulary.md, "IRIs").

    Plan resources are scoped by series and edition; organisations, fiscal years and themes by what
    they are, so editions link them. Nothing else builds an IRI from strings."""

    base: str = DEFAULT_BASE_IRI

    def __post_init__(self) -> None:
        if not self.base.endswith(("/", "#")):
            object.__setattr__(self, "base", self.base + "/")

    def _iri(self, path: str) -> URIRef:
        return _uri(self.base + path)

    @staticmethod
    def _below(parent: str, path: str) -> URIRef:
        return _uri(f"{parent}/{path}")

    def rebase(self, iri: str, default: str = DEFAULT_BASE_IRI) -> str:
        """An IRI written under ``default`` (a shipped file's @base) moved under this base."""
        if iri.startswith(default) and self.base != default:
            return self.base + iri[len(default) :]
        return iri

    # plans and their parts
    def series(self, series: str) -> URIRef:
        """The parent plan all editions of a series are based on."""
        return self._iri(series)

    def plan(self, series: str, edition: str) -> URIRef:
        return self._iri(f"{series}/{edition}")

    def measure(self, series: str, edition: str, identifier: str) -> URIRef:
        """An entry by its identifier, as a slug (1-6 stays 1-6; 1-(2)-3 is 1-2-3)."""
        return self._iri(f"{series}/{edition}/measure/{identifier_slug(identifier)}")

    def indicator(self, series: str, edition: str, identifier: str) -> URIRef:
        return self._below(self.measure(series, edition, identifier), "indicator")

    def target(self, series: str, edition: str, identifier: str, n: int, k: int | None = None) -> URIRef:
        """Item n's target; ``k`` numbers the values when one item holds several."""
        suffix = f"{n}" if k is None else f"{n}-{k}"
        return self._below(self.measure(series, edition, identifier), f"target/{suffix}")

    def note(self, measure: str, n: int) -> URIRef:
        """The note of an entry from the n-th of the sheet's columns no [columns] key names."""
        return self._below(measure, f"note/{n}")

    def baseline(self, target: str, k: int | None = None) -> URIRef:
        """The baseline of a target; ``k`` numbers them when the item holds several."""
        return self._below(target, "baseline" + ("" if k is None else f"-{k}"))

    def theme_assignment(self, measure: str, theme_slug: str) -> URIRef:
        return self._below(measure, f"theme/{theme_slug}")

    def period(self, start: str, end: str) -> URIRef:
        """An interval that is no fiscal year, by its ISO start and end dates."""
        return self._iri(f"period/{start}--{end}")

    def direction_scheme(self, series: str) -> URIRef:
        return self._iri(f"{series}/directions")

    def direction(self, series: str, number: int) -> URIRef:
        return self._iri(f"{series}/direction/{number}")

    def programme(self, series: str, slug: str) -> URIRef:
        return self._iri(f"{series}/programme/{slug}")

    # provenance and dataset metadata
    def source(self, series: str, edition: str) -> URIRef:
        return self._iri(f"{series}/{edition}/source")

    def build(self, series: str, edition: str) -> URIRef:
        return self._iri(f"{series}/{edition}/build")

    def dataset(self, series: str, edition: str) -> URIRef:
        return self._iri(f"{series}/{edition}/dataset")

    def distribution(self, series: str, edition: str, fmt: str) -> URIRef:
        return self._iri(f"{series}/{edition}/dataset/{fmt}")

    def file(self, series: str, edition: str, name: str) -> URIRef:
        """Where a build's output file is downloaded from."""
        return self._iri(f"{series}/{edition}/{name}")

    def checksum(self, resource: str) -> URIRef:
        return self._below(resource, "sha256")

    def class_partition(self, dataset: str, local_name: str) -> URIRef:
        return self._below(dataset, f"class/{local_name}")

    def property_partition(self, dataset: str, local_name: str) -> URIRef:
        return self._below(dataset, f"property/{local_name}")

    # corpus builds
    def plan_graph(self, series: str, edition: str) -> URIRef:
        """The named graph of one plan's own triples in a corpus."""
        return self._iri(f"{series}/{edition}/graph")

    def shared_graph(self) -> URIRef:
        """The named graph of the resources plans share (organisations, fiscal years…)."""
        return self._iri("shared")

    def links_graph(self) -> URIRef:
        """The named graph of the links between editions."""
        return self._iri("links")

    def catalogue(self) -> URIRef:
        return self._iri("catalog")

    def corpus(self) -> URIRef:
        return self._iri("corpus")

    def corpus_distribution(self, extension: str) -> URIRef:
        return self._iri(f"corpus/{extension}")

    def corpus_file(self, name: str) -> URIRef:
        """Where a corpus output file is downloaded from."""
        return self._iri(name)

    def corpus_build(self) -> URIRef:
        return self._iri("corpus/build")

    def editions(self, series: str) -> URIRef:
        """The DCAT dataset series of a plan series' editions."""
        return self._iri(f"{series}/editions")

    # shared resources
    def publisher(self, publisher: str) -> URIRef:
        """The publishing government (a prefecture)."""
        return self._iri(f"org/{publisher}")

    def department(self, publisher: str, department: str) -> URIRef:
        return self._iri(f"org/{publisher}/{department}")

    def division(self, publisher: str, department: str, division: str) -> URIRef:
        """A division, scoped by its department (警察本部's 総務課 is not another 総務課)."""
        return self._iri(f"org/{publisher}/{department}/{division}")

    def fiscal_year(self, year: int) -> URIRef:
        return self._iri(f"fy/{year}")

    def date(self, iso: str) -> URIRef:
        return self._iri(f"date/{iso}")

    def theme_scheme(self) -> URIRef:
        return self._iri("themes")

    def theme(self, slug: str) -> URIRef:
        return self._iri(f"theme/{slug}")

    # outside the base: other authorities' IRIs and the tool's own
    @staticmethod
    def area(code: str) -> URIRef:
        """The e-Stat statistical area code (SAC) IRI of a 全国地方公共団体コード."""
        return ESTAT_SAC[f"C{code}"]

    @staticmethod
    def media_type(media_type: str) -> URIRef:
        """The IANA registry IRI of a media type (dcat:mediaType)."""
        return URIRef(MEDIA_TYPE_IRI + media_type)

    @staticmethod
    def tool(version: str) -> URIRef:
        """plan2rdf as the software agent of a build, one IRI per version."""
        return URIRef(f"{TOOL_IRI}/{version}")
