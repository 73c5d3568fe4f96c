"""The IRI policy: each method of vocab.Iris gives exactly the example of docs/vocabulary.md's IRI table."""

import hashlib
import re
from pathlib import Path

import pytest
from rdflib import URIRef

from plan2rdf.vocab import Iris

ROOT = Path(__file__).parents[1]
BASE = "https://w3id.org/plan2rdf/id/"
IRIS = Iris()
MEASURE = BASE + "fukushima-ict/2021/measure/1-13"
DATASET = BASE + "fukushima-ict/2021/dataset"

# resource column → the call that must produce the row's example, inputs written out by hand
CALLS = {
    "parent plan (series)": lambda: IRIS.series("fukushima-ict"),
    "action plan (edition)": lambda: IRIS.plan("fukushima-ict", "2021"),
    "measure": lambda: IRIS.measure("fukushima-ict", "2021", "1-6"),
    # the slug keeps the identifier's ASCII letters and digits, one '-' between runs of them
    "measure numbered the sheet's own way": lambda: IRIS.measure("example-ict", "2024", "1-(2)-3"),
    "column note of a measure": lambda: IRIS.note(IRIS.measure("example-ict", "2024", "1-(2)-3"), 1),
    "indicator of a measure": lambda: IRIS.indicator("fukushima-ict", "2021", "1-2"),
    "target item": lambda: IRIS.target("fukushima-ict", "2021", "1-2", 1),
    "one of several values of a target item": lambda: IRIS.target("fukushima-ict", "2021", "1-6", 2, 1),
    "baseline of a target": lambda: IRIS.baseline(IRIS.target("fukushima-ict", "2021", "2-19", 2)),
    "one of several baselines of a target": lambda: IRIS.baseline(IRIS.target("fukushima-ict", "2021", "2-21", 2), 2),
    "theme assignment of a measure": lambda: IRIS.theme_assignment(URIRef(MEASURE), "ai"),
    "direction scheme": lambda: IRIS.direction_scheme("fukushima-ict"),
    "direction": lambda: IRIS.direction("fukushima-ict", 3),
    # the slug is the first ten hex digits of sha256("ふくしまSociety5.0推進事業"), the name without its space
    "programme": lambda: IRIS.programme("fukushima-ict", "x-02e9f9b109"),
    "prefecture (publisher)": lambda: IRIS.publisher("fukushima"),
    "department": lambda: IRIS.department("fukushima", "kiki-kanri-bu"),
    "division": lambda: IRIS.division("fukushima", "kiki-kanri-bu", "genshiryoku-anzen-taisaku-ka"),
    "fiscal year": lambda: IRIS.fiscal_year(2021),
    "other period (an interval)": lambda: IRIS.period("2021-04-01", "2021-09-30"),
    "date (an instant)": lambda: IRIS.date("2021-04-01"),
    "technology themes (scheme)": lambda: IRIS.theme_scheme(),
    "technology theme": lambda: IRIS.theme("ai"),
    "source file": lambda: IRIS.source("fukushima-ict", "2021"),
    "build activity": lambda: IRIS.build("fukushima-ict", "2021"),
    "dataset": lambda: IRIS.dataset("fukushima-ict", "2021"),
    "distribution": lambda: IRIS.distribution("fukushima-ict", "2021", "ttl"),
    "output file (download)": lambda: IRIS.file("fukushima-ict", "2021", "fukushima-ict-2021.ttl"),
    "checksum of a file": lambda: IRIS.checksum(IRIS.source("fukushima-ict", "2021")),
    "class partition (VoID)": lambda: IRIS.class_partition(URIRef(DATASET), "p2r-Measure"),
    "property partition (VoID)": lambda: IRIS.property_partition(URIRef(DATASET), "dcterms-title"),
    "a plan's named graph (corpus)": lambda: IRIS.plan_graph("fukushima-ict", "2021"),
    "shared resources' graph (corpus)": lambda: IRIS.shared_graph(),
    "links between editions' graph (corpus)": lambda: IRIS.links_graph(),
    "catalogue (corpus)": lambda: IRIS.catalogue(),
    "corpus dataset": lambda: IRIS.corpus(),
    "corpus distribution": lambda: IRIS.corpus_distribution("nq"),
    "corpus output file (download)": lambda: IRIS.corpus_file("corpus.nq"),
    "corpus build activity": lambda: IRIS.corpus_build(),
    "editions of a series (DCAT dataset series)": lambda: IRIS.editions("fukushima-ict"),
}


def iri_table() -> dict[str, str]:
    """resource → example, from the table under "## IRIs" in docs/vocabulary.md."""
    text = (ROOT / "docs" / "vocabulary.md").read_text(encoding="utf-8")
    section = text.split("\n## IRIs\n", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| (.+?) \| (.+?) \| (.*?) \|$", section, re.M)
    assert rows[0] == ("resource", "IRI (relative to the base)", "example")
    return {resource: example.strip("`") for resource, _, example in rows[2:]}


def test_every_row_has_an_example_and_a_method() -> None:
    table = iri_table()
    assert sorted(table) == sorted(CALLS)
    assert all(table.values()), [r for r, e in table.items() if not e]


@pytest.mark.parametrize("resource", sorted(CALLS))
def test_the_method_gives_the_table_example(resource) -> None:
    example = iri_table()[resource]
    iri = CALLS[resource]()
    assert isinstance(iri, URIRef)
    assert iri == URIRef(BASE + example)


def test_every_public_method_is_in_the_table() -> None:
    """A kind of IRI the code mints but the table lacks fails here (outside the base: see below)."""
    public = {name for name in dir(Iris) if not name.startswith("_") and callable(getattr(Iris, name))}
    outside = {"area", "media_type", "tool", "rebase"}
    called = {name for name in public if any(f".{name}(" in _source(call) for call in CALLS.values())}
    assert public - outside == called


def _source(function) -> str:
    import inspect

    return inspect.getsource(function)


def test_iris_outside_the_base() -> None:
    assert Iris.tool("0.1.0") == URIRef("https://w3id.org/plan2rdf/tool/0.1.0")
    assert Iris.area("07000") == URIRef("http://data.e-stat.go.jp/lod/sac/C07000")
    assert Iris.media_type("text/turtle") == URIRef("https://www.iana.org/assignments/media-types/text/turtle")


def test_another_base_and_a_base_without_slash() -> None:
    iris = Iris("https://example.org/plans")
    assert iris.base == "https://example.org/plans/"
    assert iris.measure("a", "2022", "2-1") == URIRef("https://example.org/plans/a/2022/measure/2-1")
    assert Iris("https://example.org/plans#").fiscal_year(2022) == URIRef("https://example.org/plans#fy/2022")


def test_rebase_moves_default_base_iris_only() -> None:
    iris = Iris("https://example.org/x/")
    assert iris.rebase(BASE + "theme/ai") == "https://example.org/x/theme/ai"
    assert iris.rebase("https://w3id.org/plan2rdf/ns#Theme") == "https://w3id.org/plan2rdf/ns#Theme"
    assert Iris().rebase(BASE + "theme/ai") == BASE + "theme/ai"


def test_no_iri_is_built_from_strings_outside_vocab() -> None:
    """No `Iris._iri` from outside, and no IRI glued from another IRI and a path segment (namespace
    constants such as ``XSD + "integer"`` name vocabulary terms, not our resources)."""
    offenders = []
    glued = re.compile(r'URIRef\(f"\{|URIRef\([a-z_.]+ \+|\biris\._iri\(|\) \+ "/')
    for path in sorted((ROOT / "src" / "plan2rdf").rglob("*.py")):
        if path.name == "vocab.py":
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if glued.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert offenders == []


@pytest.mark.parametrize(
    ("identifier", "slug"),
    [
        ("1-6", "1-6"),  # Fukushima's: unchanged, so no published IRI moves
        ("1-(2)-3", "1-2-3"),
        ("04-05", "04-05"),
        ("０４－０５", "04-05"),  # full-width digits and hyphen: NFKC
        ("１－（２）－３", "1-2-3"),
        ("A-1", "a-1"),
        (" 3 ", "3"),
        # not ASCII after NFKC: x- and the first ten hex digits of sha256("重点1")
        ("重点1", "x-" + hashlib.sha256("重点1".encode()).hexdigest()[:10]),
    ],
)
def test_identifier_slug(identifier: str, slug: str) -> None:
    from plan2rdf.text import identifier_slug

    assert identifier_slug(identifier) == slug
