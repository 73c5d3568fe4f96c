"""Build settings: every option of a build, shared by single builds, corpus builds and the CLI.

The base IRI is resolved here, once, for every command: ``--base-iri`` when given, else the
publisher's own ``[publisher] base_iri`` in the plan's sidecar, else the default base, which is for
trying the tool (:func:`default_base_warning` says so where a publication is made).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from plan2rdf.i18n import Text
from plan2rdf.model import Plan
from plan2rdf.problems import Problem, Severity
from plan2rdf.vocab import CC_BY_4, DEFAULT_BASE_IRI, Iris


def resolve_base_iri(explicit: str | None, plan: Plan | None) -> str:
    """The base of a plan's IRIs: ``explicit`` (--base-iri), the sidecar's, or the default."""
    if explicit:
        return explicit
    publisher = plan.info.publisher if plan is not None else None
    if publisher is not None and publisher.base_iri:
        return publisher.base_iri
    return DEFAULT_BASE_IRI


EACH_EDITION_ONCE = Text(
    ja="各版は一度だけ指定してください（シリーズと版の slug は重ならないようにします）",
    en="give each edition once (its series and edition slugs must be unique)",
)


def default_base_warning(base_iri: str | None, *, where: str) -> Problem | None:
    """A warning when a site or publication would use the default base IRI (None otherwise);
    ``where`` names the input it is about (the plan's source or sidecar)."""
    if base_iri and Iris(base_iri).base != DEFAULT_BASE_IRI:
        return None
    return Problem(
        where,
        Text(
            ja=f"IRI が既定のベース {DEFAULT_BASE_IRI} の下にあります。これは plan2rdf を試すためのものです。"
            "県として公開するには独自のドメインが必要で、そうしないと移転したときにリンクが切れます",
            en=f"the IRIs are under the default base {DEFAULT_BASE_IRI}, which is for trying plan2rdf: "
            "a prefecture's publication needs its own domain, or its links break when it moves",
        ),
        hint=Text(
            ja='メタデータのファイルの [publisher] に base_iri = "https://…/" を書くか、--base-iri を指定してください',
            en='set base_iri = "https://…/" in the sidecar\'s [publisher] table, or give --base-iri',
        ),
        severity=Severity.WARNING,
    )


@dataclass(frozen=True)
class BuildSettings:
    """Every option of a build, single or corpus (frozen and picklable: corpus workers get a copy)."""

    base_iri: str | None = None  # --base-iri; None: the sidecar's, else the default (see for_plan)
    license: str = CC_BY_4
    organizations: Path | None = None
    themes: Path | None = None
    input_format: str | None = None
    encoding: str | None = None
    validate: bool = True
    fail_on: str = "violation"
    validator: str = "auto"  # pyshacl-turbo where installed (same verdicts as pySHACL), else pySHACL
    shapes: Path | None = None  # None: the shipped shapes
    epoch: int | None = None  # SOURCE_DATE_EPOCH: the only timestamp a build writes
    store: Path | None = None  # also write an Oxigraph store of the data here (build --store)
    compress: bool = False  # corpus builds: corpus.nq.gz and corpus.trig.gz (build --compress)

    @property
    def iris(self) -> Iris:
        return Iris(self.base_iri) if self.base_iri else Iris()

    def for_plan(self, plan: Plan | None) -> BuildSettings:
        """These settings with the base IRI resolved for ``plan`` (:func:`resolve_base_iri`)."""
        return replace(self, base_iri=resolve_base_iri(self.base_iri, plan))
