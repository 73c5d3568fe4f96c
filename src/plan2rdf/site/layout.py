"""Which IRI is served where: a resource with IRI ``{base}{path}`` is the page ``{path}.html``.

Also what a base IRI must be for the site to mirror it, and the names at the site's root that are
the site's own.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from rdflib import URIRef
from rdflib.namespace import DCAT, RDF, VOID

from plan2rdf.i18n import Text
from plan2rdf.problems import InputError, Problem
from plan2rdf.site.index import Index
from plan2rdf.vocab import P2R, SPDX

# Names at the site's root that are the site's own, not resources: a plan whose IRIs would use one
# of them is refused (see check_collisions) rather than silently overwritten.
SITE_NAMES = frozenset(
    {"index", "downloads", "queries", "ontology", "charts", "static", "nginx", "context", ".htaccess"}
)

# Resources that are part of another one (a measure's indicator and targets, a dataset's
# distributions…): their triples are included in the owner's description; they get a page too.
DEPENDENT_TYPES = frozenset(
    {P2R.Indicator, P2R.Target, P2R.Baseline, P2R.ThemeAssignment, P2R.DerivationRule, SPDX.Checksum, DCAT.Distribution}
)
_SEGMENT = r"[A-Za-z0-9_~-][A-Za-z0-9._~-]*"
_PATH_RE = re.compile(rf"^{_SEGMENT}(/{_SEGMENT})*$")
_CONF_PATH_RE = re.compile(r"^/[A-Za-z0-9._~/-]*$")


def safe_link(iri: str) -> bool:
    """Whether an IRI from the data may be a link on the site: http and https only."""
    return iri.lower().startswith(("http://", "https://"))


class Layout:
    """Maps IRIs under the base to site paths, and resolves links relative to a page."""

    def __init__(self, index: Index, base: str):
        self.base = base
        self.pages: dict[str, str] = {}
        for s in index.out:
            path = self.path_of(str(s)) if isinstance(s, URIRef) else None
            if path is not None:
                self.pages[str(s)] = path
        self.owner: dict[str, str] = {}
        for iri in self.pages:
            if self._is_dependent(index, URIRef(iri)):
                parent = self._ancestor(iri)
                if parent is not None:
                    self.owner[iri] = parent
        self.files: set[str] = set()
        self.site_pages: set[str] = set()

    def path_of(self, iri: str) -> str | None:
        if not iri.startswith(self.base) or len(iri) == len(self.base):
            return None
        path = iri[len(self.base) :]
        return path if _PATH_RE.match(path) else None

    @staticmethod
    def _is_dependent(index: Index, s: URIRef) -> bool:
        types = set(index.all(s, RDF.type))
        return bool(types & DEPENDENT_TYPES) or bool(index.all(s, VOID["class"]) or index.all(s, VOID.property))

    def _ancestor(self, iri: str) -> str | None:
        path = iri
        while "/" in path[len(self.base) :]:
            path = path.rsplit("/", 1)[0]
            if path in self.pages:
                return path
        return None

    def top_owner(self, iri: str) -> str:
        while iri in self.owner:
            iri = self.owner[iri]
        return iri

    def href(self, page: str, target: str) -> str:
        """``target`` (a site file path) relative to the page at ``page`` (a site path + .html).

        Both are clean relative paths, so this is posixpath.relpath without its normalisation
        (which dominated rendering time: every page has hundreds of links)."""
        here = page.split("/")[:-1]
        there = target.split("/")
        common = 0
        while common < len(here) and common < len(there) - 1 and here[common] == there[common]:
            common += 1
        return "/".join([".."] * (len(here) - common) + there[common:])

    def url(self, page: str, iri: str) -> str:
        if iri in self.pages:
            return self.href(page, self.pages[iri] + ".html")
        path = self.path_of(iri)
        if path is not None and path in self.files:
            return self.href(page, path)
        if iri.startswith(str(P2R)):
            return self.href(page, "ontology.html") + "#" + iri[len(str(P2R)) :]
        # Other IRIs come from the data (a sidecar's landing page, a file's own links): only web
        # addresses become links, never javascript:, data: or file: (the templates show text instead).
        return iri if safe_link(iri) else ""


def base_iri_problem(base: str) -> Text | None:
    """Why ``base`` cannot be a site's base IRI, or None: a publisher's base (plan2rdf.iri) that
    the site can mirror as paths, as the server configurations take the base's path as it is."""
    from plan2rdf.iri import base_iri_problem as publisher_base_problem

    if problem := publisher_base_problem(base, minted_below=False):
        return problem
    if base.endswith("#"):
        return Text(
            ja="サイトは IRI をパスとして写します。'#' のない、'/' で終わるベースにしてください",
            en="the site mirrors IRIs as paths: use a base ending in '/', without '#'",
        )
    if not _CONF_PATH_RE.match(urlsplit(base).path or "/"):
        return Text(
            ja="ベース IRI のパスには英字、数字と . _ ~ - / だけを使ってください",
            en="use only letters, digits and . _ ~ - / in the base IRI's path",
        )
    return None


def check_base_iri(base: str) -> None:
    """Raise InputError (hint: --base-iri) when the site cannot mirror ``base``."""
    problem = base_iri_problem(base)
    if problem:
        raise InputError([Problem(base, problem, hint=Text(ja="--base-iri", en="--base-iri"))])


def base_path(base: str) -> str:
    """The base IRI's path, as the server configurations match it."""
    check_base_iri(base)
    return urlsplit(base).path or "/"


def check_collisions(layout: Layout) -> list[Problem]:
    """A problem for each IRI that would be served where the site keeps a page of its own."""
    problems = []
    for iri, path in sorted(layout.pages.items()):
        if path.split("/", 1)[0] in SITE_NAMES:
            problems.append(
                Problem(
                    iri,
                    Text(
                        ja=f"この IRI は {path}.html で配信されることになりますが、そこはサイト自身のページの場所です",
                        en=f"the IRI would be served at {path}.html, where the site keeps a page of its own",
                    ),
                    hint=Text(
                        ja="別のシリーズの slug を選んでください（計画の .toml の plan.series）",
                        en="choose another series slug (plan.series in the plan's .toml)",
                    ),
                )
            )
    return problems
