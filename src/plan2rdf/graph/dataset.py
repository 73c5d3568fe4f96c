"""Dataset metadata for a build: DCAT (distributions with sizes and checksums), VoID
statistics and PROV (the source file, the tool and its version). Written beside the data,
since a file cannot carry its own checksum."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from rdflib import Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, PROV, RDF, RDFS, VOID, XSD

from plan2rdf.graph.mapping import Triple, checksum_triples, en, ja, source_triples
from plan2rdf.model import Plan
from plan2rdf.version import __version__
from plan2rdf.vocab import SCHEMA, SHAPES_IRI, Iris

FORMATS = {
    # extension: (media type, label)
    "ttl": ("text/turtle", "Turtle"),
    "jsonld": ("application/ld+json", "JSON-LD"),
    "nt": ("application/n-triples", "N-Triples"),
    "trig": ("application/trig", "TriG"),
    "nq": ("application/n-quads", "N-Quads"),
    "csv": ("text/csv", "CSV"),
}
LANGUAGE_JA = URIRef("http://id.loc.gov/vocabulary/iso639-1/ja")


@dataclass(frozen=True)
class OutputFile:
    name: str
    extension: str
    size: int
    sha256: str


@dataclass(frozen=True)
class Statistics:
    triples: int
    entities: int
    subjects: int
    objects: int
    classes: dict[str, int]
    properties: dict[str, int]
    vocabularies: tuple[str, ...]


def namespace_of(iri: str) -> str:
    cut = max(iri.rfind("#"), iri.rfind("/"))
    return iri[: cut + 1]


def statistics(triples: Iterable[tuple]) -> Statistics:
    """VoID figures of a graph: entities are IRI subjects, vocabularies the namespaces of
    the classes and properties used."""
    rdf_type = RDF.type  # looked up once: rdflib resolves namespace attributes in Python
    count = 0
    subjects: set = set()
    objects: set = set()
    properties: Counter = Counter()
    typed: dict[str, set] = {}
    for s, p, o in triples:
        count += 1
        subjects.add(s)
        objects.add(o)
        properties[str(p)] += 1
        if p == rdf_type:
            typed.setdefault(str(o), set()).add(s)
    classes = {c: len(members) for c, members in typed.items()}
    vocabularies = {namespace_of(p) for p in properties} | {namespace_of(c) for c in classes}
    return Statistics(
        triples=count,
        entities=sum(1 for s in subjects if isinstance(s, URIRef)),
        subjects=len(subjects),
        objects=len(objects),
        classes=dict(sorted(classes.items())),
        properties=dict(sorted(properties.items())),
        vocabularies=tuple(sorted(vocabularies)),
    )


def _local_name(iri: str) -> str:
    cut = max(iri.rfind("#"), iri.rfind("/"))
    return iri[cut + 1 :]


def dataset_triples(
    plan: Plan,
    *,
    iris: Iris,
    files: list[OutputFile],
    stats: Statistics,
    license: str,
    epoch: int | None = None,
) -> Iterator[Triple]:
    """DCAT, VoID and PROV describing one build of one plan."""
    dataset = iris.dataset(plan.info.series, plan.info.edition)
    yield from description_triples(plan, dataset, iris=iris, license=license, epoch=epoch)
    yield from void_triples(dataset, stats, iris=iris)
    for file in files:
        yield from distribution_triples(plan, dataset, file, iris=iris, license=license)
    yield from provenance_triples(plan, dataset, iris=iris, epoch=epoch)


def description_triples(
    plan: Plan, dataset: URIRef, *, iris: Iris, license: str, epoch: int | None
) -> Iterator[Triple]:
    """What the dataset is: title, publisher, licence, period, area, language, shapes, root."""
    info = plan.info
    yield dataset, RDF.type, DCAT.Dataset
    yield dataset, RDF.type, VOID.Dataset
    yield dataset, DCTERMS.title, ja(f"{info.title}（RDF）")
    if info.title_en:
        yield dataset, DCTERMS.title, en(f"{info.title_en} (RDF)")
    yield (
        dataset,
        DCTERMS.description,
        en(
            "The action plan as a knowledge graph: its entries, directions, responsible departments and "
            "divisions, indicators and targets, built by plan2rdf from the published plan."
        ),
    )
    yield dataset, DCTERMS.publisher, iris.publisher(info.publisher.slug)
    yield dataset, DCTERMS.license, URIRef(license)
    if license.rstrip("/") == "https://creativecommons.org/licenses/by/4.0":
        yield dataset, DCTERMS.rights, ja("クリエイティブ・コモンズ 表示 4.0 国際（政府標準利用規約（第2.0版）と互換）")
        yield dataset, DCTERMS.rights, en("Creative Commons Attribution 4.0 International (compatible with the "
                                          "Japanese Government Standard Terms of Use, version 2.0)")  # fmt: skip
    yield dataset, DCTERMS.temporal, iris.fiscal_year(info.fiscal_year)
    if info.publisher.area_code:
        yield dataset, DCTERMS.spatial, Iris.area(info.publisher.area_code)
    yield dataset, DCTERMS.language, LANGUAGE_JA
    yield dataset, DCTERMS.conformsTo, URIRef(SHAPES_IRI)
    yield dataset, VOID.rootResource, iris.plan(info.series, info.edition)
    yield dataset, VOID.uriSpace, Literal(iris.base)
    if info.landing_page:
        yield dataset, DCAT.landingPage, URIRef(info.landing_page)
    if epoch is not None:
        yield dataset, DCTERMS.modified, timestamp(epoch)


def void_triples(dataset: URIRef, stats: Statistics, *, iris: Iris) -> Iterator[Triple]:
    """VoID statistics of the data graph, with a partition per class and per property."""
    yield dataset, VOID.triples, Literal(stats.triples, datatype=XSD.integer)
    yield dataset, VOID.entities, Literal(stats.entities, datatype=XSD.integer)
    yield dataset, VOID.distinctSubjects, Literal(stats.subjects, datatype=XSD.integer)
    yield dataset, VOID.distinctObjects, Literal(stats.objects, datatype=XSD.integer)
    yield dataset, VOID.classes, Literal(len(stats.classes), datatype=XSD.integer)
    yield dataset, VOID.properties, Literal(len(stats.properties), datatype=XSD.integer)
    for vocabulary in stats.vocabularies:
        yield dataset, VOID.vocabulary, URIRef(vocabulary)
    for cls, entities in stats.classes.items():
        partition = iris.class_partition(dataset, _prefixed(cls))
        yield dataset, VOID.classPartition, partition
        yield partition, VOID["class"], URIRef(cls)
        yield partition, VOID.entities, Literal(entities, datatype=XSD.integer)
    for prop, triples in stats.properties.items():
        partition = iris.property_partition(dataset, _prefixed(prop))
        yield dataset, VOID.propertyPartition, partition
        yield partition, VOID.property, URIRef(prop)
        yield partition, VOID.triples, Literal(triples, datatype=XSD.integer)


def distribution_triples(
    plan: Plan, dataset: URIRef, file: OutputFile, *, iris: Iris, license: str
) -> Iterator[Triple]:
    """One output file as a DCAT distribution with its size and checksum."""
    series, edition = plan.info.series, plan.info.edition
    media_type, label = FORMATS[file.extension]
    distribution = iris.distribution(series, edition, file.extension)
    download = iris.file(series, edition, file.name)
    yield dataset, DCAT.distribution, distribution
    yield dataset, VOID.dataDump, download
    yield distribution, RDF.type, DCAT.Distribution
    yield distribution, DCTERMS.title, Literal(f"{label}: {file.name}")
    yield distribution, DCAT.mediaType, Iris.media_type(media_type)
    yield distribution, DCTERMS.format, Literal(media_type)
    yield distribution, DCAT.downloadURL, download
    yield distribution, DCAT.byteSize, Literal(file.size, datatype=XSD.integer)
    yield distribution, DCTERMS.license, URIRef(license)
    yield from checksum_triples(iris, distribution, file.sha256)


def provenance_triples(plan: Plan, dataset: URIRef, *, iris: Iris, epoch: int | None) -> Iterator[Triple]:
    """Which source, which tool: the build activity and the source file it used."""
    series, edition = plan.info.series, plan.info.edition
    build = iris.build(series, edition)
    yield dataset, PROV.wasGeneratedBy, build
    yield from build_triples(build, f"plan2rdf build {series}/{edition}", epoch)
    if plan.source is not None:
        source = iris.source(series, edition)
        yield build, PROV.used, source
        yield dataset, PROV.wasDerivedFrom, source
        yield dataset, DCTERMS.source, source
        yield from source_triples(iris, source, plan)


def build_triples(build: URIRef, label: str, epoch: int | None) -> Iterator[Triple]:
    """The build activity and the tool that ran it (a prov:SoftwareAgent with its version)."""
    tool = Iris.tool(__version__)
    yield build, RDF.type, PROV.Activity
    yield build, RDFS.label, Literal(label)
    yield build, PROV.wasAssociatedWith, tool
    if epoch is not None:
        yield build, PROV.endedAtTime, timestamp(epoch)
    yield tool, RDF.type, PROV.SoftwareAgent
    yield tool, RDF.type, SCHEMA.SoftwareApplication
    yield tool, RDFS.label, Literal("plan2rdf")
    yield tool, SCHEMA.softwareVersion, Literal(__version__)


def timestamp(epoch: int) -> Literal:
    return Literal(datetime.fromtimestamp(epoch, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), datatype=XSD.dateTime)


def _prefixed(iri: str) -> str:
    """A readable ASCII path segment for a class or property partition: ``p2r-Measure``."""
    from plan2rdf.vocab import PREFIXES

    for prefix, namespace in PREFIXES.items():
        if iri.startswith(str(namespace)):
            return f"{prefix}-{iri[len(str(namespace)) :]}"
    return _local_name(iri)
