"""The site's downloads: the build's files and a CSV of the measures beside the plan's page (where
``dcat:downloadURL`` says they are), and the ontology and JSON-LD context at the site's root."""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Mapping

from rdflib import URIRef
from rdflib.namespace import DCTERMS, SKOS

from plan2rdf import resources
from plan2rdf.rdfio.writers import natural_key
from plan2rdf.site.layout import Layout
from plan2rdf.site.models import Download, Label
from plan2rdf.site.views import Views
from plan2rdf.vocab import P2R

MEDIA_TYPES = {
    "ttl": "text/turtle",
    "jsonld": "application/ld+json",
    "nt": "application/n-triples",
    "csv": "text/csv",
}
# the vocabulary at the site's root: (site path, file in the shipped ontology folder, title)
VOCABULARY_FILES = (
    ("ontology.ttl", "plan2rdf.ttl", Label("語彙（オントロジー）", "Ontology")),
    ("context.jsonld", "context.jsonld", Label("JSON-LD コンテキスト", "JSON-LD context")),
    ("imi-alignment.ttl", "imi-alignment.ttl", Label("IMI 共通語彙基盤との対応", "Alignment to IMI")),
)
FORMAT_NAMES = {"ttl": "Turtle", "jsonld": "JSON-LD", "nt": "N-Triples", "csv": "CSV"}


def place_downloads(
    files: dict[str, bytes], layout: Layout, views: Views, plan: URIRef, downloads: Mapping[str, bytes] | None
) -> list[Download]:
    """Add one edition's downloads and its measures CSV beside its page to ``files`` (and to the
    layout's files, so links reach them); what each is. ``views`` is scoped to the edition."""
    folder = layout.pages[str(plan)]
    payload = dict(downloads or {})
    payload[f"{folder.replace('/', '-')}-measures.csv"] = measures_csv(views)
    placed = [
        (f"{folder}/{name}", name, download_title(name), payload[name]) for name in sorted(payload, key=natural_key)
    ]
    return _listed(files, layout, placed)


def place_vocabulary(files: dict[str, bytes], layout: Layout) -> list[Download]:
    """The ontology, the JSON-LD context and the IMI alignment at the site's root (once, whatever the editions)."""
    placed = [
        (path, path, title, resources.path("ontology", shipped).read_bytes())
        for path, shipped, title in VOCABULARY_FILES
    ]
    return _listed(files, layout, placed)


def _listed(files: dict[str, bytes], layout: Layout, placed: list) -> list[Download]:
    listed = []
    for path, name, title, content in placed:
        files[path] = content
        layout.files.add(path)
        media = MEDIA_TYPES.get(path.rsplit(".", 1)[-1], "application/octet-stream")
        listed.append(Download(name, path, title, media, len(content), hashlib.sha256(content).hexdigest()))
    return listed


def downloads_of(plan_path: str, downloads: Mapping[str, bytes] | None, single: bool) -> dict[str, bytes]:
    """The files of one edition among the build's: those named after it (``{series}-{edition}.…``);
    a site of one edition takes them all."""
    if single:
        return dict(downloads or {})
    stem = plan_path.replace("/", "-") + "."
    return {name: content for name, content in (downloads or {}).items() if name.startswith(stem)}


def download_title(name: str) -> Label:
    """What a file beside the plan's page is, from its name."""
    ext = name.rsplit(".", 1)[-1]
    kind = FORMAT_NAMES.get(ext, ext)
    if ".meta." in name:
        return Label(f"データセットのメタデータ（{kind}）", f"Dataset metadata ({kind})")
    if ext == "csv":
        return Label("施策の一覧（CSV）", "Measures (CSV)")
    return Label(f"知識グラフ（{kind}）", f"Knowledge graph ({kind})")


# The measures table's columns: the Japanese header first (Excel users read it), the English name
# beside it (scripts can match the header's last word).
MEASURES_CSV_COLUMNS = (
    ("識別子", "identifier"), ("IRI", "iri"), ("施策名", "title"), ("新規", "is_new"),
    ("施策の展開方向", "direction"), ("展開方向名", "direction_label"), ("再掲元", "repost_of"),
    ("部局", "departments"), ("担当課", "divisions"), ("事業", "programme"), ("テーマ", "themes"),
    ("指標・目標", "indicator"),
)  # fmt: skip


def measures_csv(views: Views) -> bytes:
    """The measures as a table (one row per listing, reposts included and marked)."""
    buffer = io.StringIO()
    buffer.write("\ufeff")  # a UTF-8 BOM: Excel on Japanese Windows reads a CSV without one as CP932
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(f"{ja} {en}" for ja, en in MEASURES_CSV_COLUMNS)
    ix = views.ix
    for m in views.measures():
        row = views.row(m)
        departments = views.departments_of(m)
        indicator = ix.one(m, P2R.hasIndicator)
        programme = ix.one(m, P2R.programme)
        writer.writerow(
            [
                row.identifier,
                row.iri,
                row.title,
                "true" if row.is_new else "false",
                ix.text(URIRef(row.direction.iri), SKOS.notation, None) if row.direction else "",
                row.direction.label.ja if row.direction else "",
                ix.text(URIRef(row.repost_of.iri), DCTERMS.identifier, None) if row.repost_of else "",
                "; ".join(ix.label(d).ja for d in departments),
                "; ".join(ix.label(u).ja for divs in departments.values() for u in divs),
                ix.label(programme).ja if programme is not None else "",
                "; ".join(ix.label(t).ja for t in ix.refs(m, P2R.theme)),
                ix.text(indicator, DCTERMS.description) or "" if indicator is not None else "",
            ]
        )
    return buffer.getvalue().encode("utf-8")
