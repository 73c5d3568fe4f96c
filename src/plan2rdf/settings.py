"""Build settings: every option of a build, shared by single builds, corpus builds and the CLI."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from plan2rdf.vocab import CC_BY_4, Iris


@dataclass(frozen=True)
class BuildSettings:
    """Every option of a build, single or corpus (frozen and picklable: corpus workers get a copy)."""

    base_iri: str | None = None
    license: str = CC_BY_4
    organizations: Path | None = None
    themes: Path | None = None
    input_format: str | None = None
    encoding: str | None = None
    validate: bool = True
    fail_on: str = "violation"
    validator: str = "auto"  # pySHACL for one plan, pyshacl-turbo for a corpus where installed
    shapes: Path | None = None  # None: the shipped shapes
    epoch: int | None = None  # SOURCE_DATE_EPOCH: the only timestamp a build writes
    store: Path | None = None  # also write an Oxigraph store of the data here (build --store)

    @property
    def iris(self) -> Iris:
        return Iris(self.base_iri) if self.base_iri else Iris()
