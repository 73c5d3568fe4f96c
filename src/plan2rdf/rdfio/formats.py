"""The one table of RDF formats: names, file suffixes, media types and the parsers' names.

Every command that reads or writes RDF finds a format here: by file name (:func:`format_for`,
which also sees through a trailing ``.gz``), by ``--input-format`` name (:func:`by_name`) or by
media type (:func:`by_media_type`). :func:`describe` and :func:`suffix_list` write the lists that
help texts, hints and docs show, so they never disagree with what the code accepts.

pyoxigraph is optional: :meth:`RdfFormat.oxigraph` imports it only when asked.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

GZIP_SUFFIX = ".gz"
# In a directory, files with these suffixes are too often something else (package.json, pom.xml):
# they are read when named, not when found.
AMBIGUOUS_SUFFIXES = frozenset({".json", ".xml"})


@dataclass(frozen=True)
class RdfFormat:
    """One RDF syntax. ``suffixes[0]`` is the one plan2rdf writes; ``aliases`` are other names
    ``--input-format`` accepts (the names validate has always taken)."""

    name: str
    label: str
    suffixes: tuple[str, ...]
    media_type: str
    rdflib: str  # rdflib's parser and serializer name
    oxigraph_name: str  # the pyoxigraph.RdfFormat attribute
    quads: bool = False  # holds named graphs
    aliases: tuple[str, ...] = ()

    @property
    def suffix(self) -> str:
        return self.suffixes[0]

    def oxigraph(self) -> Any:
        """The ``pyoxigraph.RdfFormat`` (ImportError when pyoxigraph is not installed)."""
        import pyoxigraph

        return getattr(pyoxigraph.RdfFormat, self.oxigraph_name)

    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


TURTLE = RdfFormat("turtle", "Turtle", (".ttl", ".turtle"), "text/turtle", "turtle", "TURTLE")
NTRIPLES = RdfFormat(
    "ntriples", "N-Triples", (".nt", ".ntriples"), "application/n-triples", "nt", "N_TRIPLES", aliases=("nt",)
)
NQUADS = RdfFormat(
    "nquads", "N-Quads", (".nq", ".nquads"), "application/n-quads", "nquads", "N_QUADS", quads=True, aliases=("nq",)
)
TRIG = RdfFormat("trig", "TriG", (".trig",), "application/trig", "trig", "TRIG", quads=True)
JSONLD = RdfFormat(
    "jsonld",
    "JSON-LD",
    (".jsonld", ".json", ".json-ld"),
    "application/ld+json",
    "json-ld",
    "JSON_LD",
    aliases=("json-ld",),
)
RDFXML = RdfFormat(
    "rdfxml", "RDF/XML", (".rdf", ".owl", ".xml"), "application/rdf+xml", "xml", "RDF_XML", aliases=("xml",)
)
N3 = RdfFormat("n3", "N3", (".n3",), "text/n3", "n3", "N3")

FORMATS: tuple[RdfFormat, ...] = (TURTLE, NTRIPLES, NQUADS, TRIG, JSONLD, RDFXML, N3)
# What --input-format offers: the names validate has always taken, then the new ones.
INPUT_FORMAT_NAMES: tuple[str, ...] = ("turtle", "json-ld", "nt", "trig", "xml", "nquads", "n3")

_BY_SUFFIX = {suffix: fmt for fmt in FORMATS for suffix in fmt.suffixes}
_BY_NAME = {name: fmt for fmt in FORMATS for name in fmt.names()}
_BY_MEDIA_TYPE = {fmt.media_type: fmt for fmt in FORMATS}


def by_name(name: str) -> RdfFormat:
    """The format called ``name`` (its name or an alias: ``turtle``, ``nt``, ``json-ld``…)."""
    try:
        return _BY_NAME[name.lower()]
    except KeyError:
        raise ValueError(f"unknown RDF format {name!r} (known: {', '.join(sorted(_BY_NAME))})") from None


def by_media_type(media_type: str) -> RdfFormat | None:
    """The format of a media type; parameters (``; charset=utf-8``) are ignored."""
    return _BY_MEDIA_TYPE.get(media_type.split(";", 1)[0].strip().lower())


def is_gzipped(path: Path | str) -> bool:
    return Path(path).suffix.lower() == GZIP_SUFFIX


def _data_suffix(path: Path) -> str:
    """The suffix that names the syntax: ``.nt`` for ``x.nt`` and for ``x.nt.gz``."""
    if is_gzipped(path):
        path = path.with_suffix("")
    return path.suffix.lower()


def format_for(path: Path | str, explicit: str | None = None) -> RdfFormat | None:
    """The format of a file: ``explicit`` (an ``--input-format`` name) if given, else from its
    suffix (a trailing ``.gz`` is looked through); None when the suffix says nothing."""
    if explicit:
        return by_name(explicit)
    return _BY_SUFFIX.get(_data_suffix(Path(path)))


def found_in_directory(path: Path) -> bool:
    """Whether a file found while searching a directory is read as RDF."""
    return _data_suffix(path) in _BY_SUFFIX and _data_suffix(path) not in AMBIGUOUS_SUFFIXES


def directory_suffixes() -> list[str]:
    """The suffixes of the files a directory search reads, sorted."""
    return sorted(suffix for suffix in _BY_SUFFIX if suffix not in AMBIGUOUS_SUFFIXES)


def describe(formats: Iterable[RdfFormat] = FORMATS) -> str:
    """``Turtle (.ttl, .turtle), N-Triples (.nt, .ntriples), …``: for help texts and docs."""
    return ", ".join(f"{fmt.label} ({', '.join(fmt.suffixes)})" for fmt in formats)


def suffix_list(formats: Iterable[RdfFormat] = FORMATS) -> str:
    """``.ttl, .turtle, .nt, …``: for hints."""
    return ", ".join(suffix for fmt in formats for suffix in fmt.suffixes)


def triple_formats() -> tuple[RdfFormat, ...]:
    """The formats that hold one graph (what `publish` uploads to its one target graph)."""
    return tuple(fmt for fmt in FORMATS if not fmt.quads)


def quad_formats() -> tuple[RdfFormat, ...]:
    """The formats that hold named graphs (N-Quads, TriG)."""
    return tuple(fmt for fmt in FORMATS if fmt.quads)


def formats_phrase(formats: Iterable[RdfFormat]) -> str:
    """``Turtle, N-Triples … or N3``: the formats' labels as a phrase for help texts."""
    labels = [fmt.label for fmt in formats]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " or " + labels[-1]
