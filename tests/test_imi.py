"""The alignment to IMI 共通語彙基盤 core vocabulary 2.4.2 (issue 16): the shipped file, the data the site
shows, and the table in docs/vocabulary.md say the same, each mapping with its comments."""

import re
from pathlib import Path

from rdflib import OWL, RDF, RDFS, BNode, Graph, Literal, URIRef

from plan2rdf import resources
from plan2rdf.alignment import IMI_NAMESPACE, MAPPING_RELATIONS, imi_mappings

ROOT = Path(__file__).parents[1]
# Worked out from the IMI 2.4.2 term list (https://imi.go.jp/ns/core/Core242.html) and our docs/vocabulary.md.
EXPECTED = {
    ("org:FormalOrganization", "skos:closeMatch", "ic:組織型"),
    ("org:OrganizationalUnit", "skos:closeMatch", "ic:組織型"),
    ("org:identifier", "skos:closeMatch", "ic:ID"),
    ("p2r:responsibleUnit", "skos:broadMatch", "ic:関与"),
    ("dcterms:title", "skos:closeMatch", "ic:名称"),
    ("skos:prefLabel", "skos:closeMatch", "ic:名称"),
    ("dcterms:description", "skos:closeMatch", "ic:説明"),
    ("dcterms:identifier", "skos:closeMatch", "ic:ID"),
    ("rdfs:seeAlso", "skos:closeMatch", "ic:参照"),
    ("p2r:Target", "skos:relatedMatch", "ic:数量型"),
    ("schema:value", "skos:closeMatch", "ic:数値"),
    ("schema:unitText", "skos:closeMatch", "ic:単位表記"),
    ("p2r:targetPeriod", "skos:closeMatch", "ic:期間"),
    ("time:hasBeginning", "skos:closeMatch", "ic:開始日時"),
    ("time:hasEnd", "skos:closeMatch", "ic:終了日時"),
}


def alignment() -> Graph:
    return Graph().parse(resources.path("ontology", "imi-alignment.ttl"), format="turtle")


def test_the_mappings_are_the_expected_ones() -> None:
    rows = [m.row for m in imi_mappings()]
    assert len(rows) == len(set(rows))
    assert set(rows) == EXPECTED


def test_each_mapping_is_asserted_and_commented_in_both_languages() -> None:
    graph = alignment()
    for m in imi_mappings():
        assert (URIRef(m.term), URIRef(m.relation), URIRef(m.imi_term)) in graph, m.row
        assert m.relation in MAPPING_RELATIONS
        assert m.imi_term.startswith(IMI_NAMESPACE)
        assert m.comment_ja and m.comment_en, m.row
    # and no mapping triple without its commented axiom
    relations = [URIRef(r) for r in MAPPING_RELATIONS]
    stated = {(s, p, o) for s, p, o in graph if p in relations}
    assert stated == {(URIRef(m.term), URIRef(m.relation), URIRef(m.imi_term)) for m in imi_mappings()}


def test_the_alignment_names_the_imi_version_and_has_no_blank_nodes() -> None:
    graph = alignment()
    ontology = URIRef("https://w3id.org/plan2rdf/ns/imi-alignment")
    assert (ontology, RDF.type, OWL.Ontology) in graph
    assert "2.4.2" in str(graph.value(ontology, URIRef("http://purl.org/dc/terms/source")))
    assert Literal("IMI version: core vocabulary 2.4.2 (namespace http://imi.go.jp/ns/core/rdf#).", lang="en") in set(
        graph.objects(ontology, RDFS.comment)
    )
    assert not [t for triple in graph for t in triple if isinstance(t, BNode)]


def test_every_mapped_term_of_ours_is_used_by_the_graph() -> None:
    """No mapping of a term the graph does not use (derived terms are in the bundled plan's graph)."""
    from plan2rdf.pipeline import bundled_graph

    graph = bundled_graph()
    used = {str(p) for p in graph.predicates()} | {str(o) for o in graph.objects(None, RDF.type)}
    for m in imi_mappings():
        assert m.term in used, m.row


def test_docs_table_agrees_with_the_file() -> None:
    text = (ROOT / "docs" / "vocabulary.md").read_text(encoding="utf-8")
    section = text[text.index("## IMI 共通語彙基盤") :]
    rows = set(re.findall(r"^\| `([^`]+)` \| `([^`]+)` \| `([^`]+)` \|", section, re.MULTILINE))
    assert rows == {m.row for m in imi_mappings()}
    assert "2.4.2" in section


def test_the_documented_query_finds_every_organisation() -> None:
    """The docs' example: 1 prefecture + 82 units of data/fukushima/organizations.csv named by the plan."""
    from plan2rdf.pipeline import bundled_graph

    text = (ROOT / "docs" / "vocabulary.md").read_text(encoding="utf-8")
    section = text[text.index("## IMI 共通語彙基盤") :]
    query = re.search(r"```sparql\n(.*?)```", section, re.DOTALL).group(1)
    graph = bundled_graph() + alignment()
    assert len(list(graph.query(query))) == 83


def test_the_wheel_ships_the_alignment() -> None:
    # resources finds ontology/ in a checkout and plan2rdf/_data/ontology in a wheel (force-included folder)
    assert 'ontology" = "plan2rdf/_data/ontology"' in (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert resources.path("ontology", "imi-alignment.ttl").is_file()
