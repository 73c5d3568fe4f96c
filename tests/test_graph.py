"""The graph stage and `plan2rdf build`: nothing lost, isomorphic formats, reproducible bytes."""

import gc
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from rdflib.namespace import DCAT, DCTERMS, OWL, RDF, RDFS, SKOS, VOID

from plan2rdf.cli import main
from plan2rdf.graph.mapping import build_graph
from plan2rdf.graph.organizations import load as load_organizations
from plan2rdf.read.reader import read_plan
from plan2rdf.resources import bundled_plan
from plan2rdf.vocab import ORG, P2R, SPDX
from readback import plan_from_graph, plans_in

ROOT = Path(__file__).parents[1]
MINI = Path(__file__).parent / "fixtures" / "mini"
STEM = "fukushima-ict-2021"
BASE = "https://w3id.org/plan2rdf/id/"


@pytest.fixture(scope="module")
def plan():
    return read_plan(bundled_plan())


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("dist")
    result = CliRunner().invoke(main, ["build", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def parse(path: Path) -> Graph:
    fmt = {".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld"}[path.suffix]
    return Graph().parse(path, format=fmt)


def describe_difference(expected: Graph, actual: Graph) -> str:
    _, missing, extra = graph_diff(to_isomorphic(expected), to_isomorphic(actual))
    lines = [f"- {t}" for t in sorted(missing)][:20] + [f"+ {t}" for t in sorted(extra)][:20]
    return "\n".join(lines)


def test_mini_plan_maps_to_the_hand_written_graph() -> None:
    plan = read_plan(MINI / "plan.txt")
    result = build_graph(plan, organizations=load_organizations(MINI / "organizations.csv"))
    expected = Graph().parse(MINI / "expected.ttl", format="turtle")
    assert result.warnings == []
    assert isomorphic(result.graph, expected), describe_difference(expected, result.graph)


def test_nothing_is_lost(plan) -> None:
    graph = build_graph(plan).graph
    [plan_iri] = plans_in(graph)
    back = plan_from_graph(graph, plan_iri)
    assert back.directions == plan.directions
    assert back.measures == plan.measures
    assert [m.line for m in back.measures] == [m.line for m in plan.measures]
    assert back.info.title == plan.info.title
    assert back.info.title_en == plan.info.title_en
    assert back.info.description == plan.info.description
    assert back.info.fiscal_year == plan.info.fiscal_year
    assert back.info.parent_plan == plan.info.parent_plan
    assert back.info.publisher.name == "福島県"


def test_build_writes_three_isomorphic_formats_and_metadata(built) -> None:
    names = sorted(p.name for p in built.iterdir())
    assert names == [f"{STEM}.jsonld", f"{STEM}.meta.ttl", f"{STEM}.nt", f"{STEM}.ttl"]
    turtle, ntriples, jsonld = (parse(built / f"{STEM}.{ext}") for ext in ("ttl", "nt", "jsonld"))
    assert len(turtle) > 3000
    assert isomorphic(turtle, ntriples)
    assert isomorphic(turtle, jsonld)


def test_a_second_build_is_byte_identical(built, tmp_path) -> None:
    result = CliRunner().invoke(main, ["build", "--out", str(tmp_path)])
    assert result.exit_code == 0
    for path in built.iterdir():
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name


@pytest.mark.parametrize(("args", "code"), [([], 0), (["--fail-on", "info"], 1)])
def test_a_build_leaves_the_garbage_collector_on(tmp_path, args, code) -> None:
    # a one-plan build pauses the collector; whatever its outcome, the process gets it back
    assert gc.isenabled()
    result = CliRunner().invoke(main, ["build", "--out", str(tmp_path), *args])
    assert result.exit_code == code, result.output
    assert gc.isenabled()


def test_build_is_reproducible_across_processes(built, tmp_path) -> None:
    # Another interpreter has another hash seed: set and dict order must not leak into the output.
    env = {"PYTHONHASHSEED": "12345", "PATH": "/usr/bin:/bin"}
    subprocess.run(
        [sys.executable, "-m", "plan2rdf", "build", "--out", str(tmp_path)], check=True, env=env, capture_output=True
    )
    for path in built.iterdir():
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name


def test_source_date_epoch_is_the_only_timestamp(built, tmp_path) -> None:
    text = (built / f"{STEM}.meta.ttl").read_text(encoding="utf-8")
    assert "dateTime" not in text
    result = CliRunner().invoke(main, ["build", "--out", str(tmp_path)], env={"SOURCE_DATE_EPOCH": "1625097600"})
    assert result.exit_code == 0
    meta = Graph().parse(tmp_path / f"{STEM}.meta.ttl", format="turtle")
    modified = meta.value(URIRef(BASE + "fukushima-ict/2021/dataset"), DCTERMS.modified)
    assert modified.toPython().isoformat() == "2021-07-01T00:00:00+00:00"
    # the data files do not change with the epoch
    for ext in ("ttl", "nt", "jsonld"):
        assert (tmp_path / f"{STEM}.{ext}").read_bytes() == (built / f"{STEM}.{ext}").read_bytes()


def test_metadata_describes_each_file(built) -> None:
    meta = Graph().parse(built / f"{STEM}.meta.ttl", format="turtle")
    dataset = URIRef(BASE + "fukushima-ict/2021/dataset")
    assert (dataset, RDF.type, DCAT.Dataset) in meta
    assert (dataset, RDF.type, VOID.Dataset) in meta
    assert meta.value(dataset, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert meta.value(dataset, DCTERMS.spatial) == URIRef("http://data.e-stat.go.jp/lod/sac/C07000")
    assert meta.value(dataset, DCTERMS.temporal) == URIRef(BASE + "fy/2021")
    distributions = list(meta.objects(dataset, DCAT.distribution))
    assert len(distributions) == 3
    media = {}
    for distribution in distributions:
        url = str(meta.value(distribution, DCAT.downloadURL))
        name = url.rsplit("/", 1)[1]
        data = (built / name).read_bytes()
        assert int(meta.value(distribution, DCAT.byteSize)) == len(data)
        checksum = meta.value(distribution, SPDX.checksum)
        assert str(meta.value(checksum, SPDX.checksumValue)) == hashlib.sha256(data).hexdigest()
        media[name.rsplit(".", 1)[1]] = str(meta.value(distribution, DCAT.mediaType))
    assert media == {
        "ttl": "https://www.iana.org/assignments/media-types/text/turtle",
        "jsonld": "https://www.iana.org/assignments/media-types/application/ld+json",
        "nt": "https://www.iana.org/assignments/media-types/application/n-triples",
    }
    # VoID figures agree with the data
    data = parse(built / f"{STEM}.nt")
    assert int(meta.value(dataset, VOID.triples)) == len(data)
    measures = URIRef(f"{dataset}/class/p2r-Measure")
    assert int(meta.value(measures, VOID.entities)) == 128
    # PROV: the source and its checksum, the tool and its version
    source = URIRef(BASE + "fukushima-ict/2021/source")
    checksum = meta.value(source, SPDX.checksum)
    assert str(meta.value(checksum, SPDX.checksumValue)) == hashlib.sha256(bundled_plan().read_bytes()).hexdigest()


def test_license_is_configurable(tmp_path) -> None:
    licence = "https://creativecommons.org/publicdomain/zero/1.0/"
    result = CliRunner().invoke(main, ["build", "--out", str(tmp_path), "--license", licence])
    assert result.exit_code == 0
    meta = Graph().parse(tmp_path / f"{STEM}.meta.ttl", format="turtle")
    assert meta.value(URIRef(BASE + "fukushima-ict/2021/dataset"), DCTERMS.license) == URIRef(licence)


def test_base_iri_is_configurable(tmp_path) -> None:
    base = "https://data.example.jp/ict/"
    result = CliRunner().invoke(main, ["build", "--out", str(tmp_path), "--base-iri", base])
    assert result.exit_code == 0, result.output
    graph = Graph().parse(tmp_path / f"{STEM}.ttl", format="turtle")
    measure = URIRef(base + "fukushima-ict/2021/measure/1-6")
    assert (measure, RDF.type, P2R.Measure) in graph
    assert not any(str(s).startswith(BASE) for s in graph.subjects())


def test_bad_base_iri_is_a_usage_error(tmp_path) -> None:
    result = CliRunner().invoke(main, ["build", "--out", str(tmp_path), "--base-iri", "not an iri"])
    assert result.exit_code == 2
    assert "must be an absolute http(s) IRI" in result.output
    assert not any(tmp_path.iterdir())


def test_organisations_and_their_chain(plan) -> None:
    table = load_organizations(ROOT / "data" / "fukushima" / "organizations.csv")
    result = build_graph(plan, organizations=table)
    graph = result.graph
    assert result.warnings == []
    prefecture = URIRef(BASE + "org/fukushima")
    assert (prefecture, RDF.type, ORG.FormalOrganization) in graph
    assert (prefecture, ORG.identifier, Literal("070009")) in graph
    # division → department → prefecture, English names from the table
    nuclear = URIRef(BASE + "org/fukushima/kiki-kanri-bu/genshiryoku-anzen-taisaku-ka")
    assert (nuclear, SKOS.prefLabel, Literal("原子力安全対策課", lang="ja")) in graph
    assert (nuclear, SKOS.prefLabel, Literal("Nuclear Safety Division", lang="en")) in graph
    department = graph.value(nuclear, ORG.unitOf)
    assert graph.value(department, ORG.unitOf) == prefecture
    # 警察本部's 総務課 is not 総務部's
    police = URIRef(BASE + "org/fukushima/keisatsu-honbu/somu-ka")
    assert (URIRef(BASE + "fukushima-ict/2021/measure/2-30"), P2R.responsibleUnit, police) in graph
    # the department-only entry points at the department
    election = URIRef(BASE + "fukushima-ict/2021/measure/5-38")
    unit = graph.value(election, P2R.responsibleUnit)
    assert graph.value(unit, ORG.unitOf) == prefecture
    # 18 departments and 64 divisions, each once
    units = set(graph.subjects(RDF.type, ORG.OrganizationalUnit))
    departments = {u for u in units if graph.value(u, ORG.unitOf) == prefecture}
    assert len(departments) == 18
    assert len(units) - len(departments) == 64


def test_a_unit_missing_from_the_table_gets_a_stable_iri_and_a_warning(tmp_path) -> None:
    for name in ("plan.txt", "plan.toml"):
        (tmp_path / name).write_bytes((MINI / name).read_bytes())
    table = (MINI / "organizations.csv").read_text(encoding="utf-8")
    (tmp_path / "organizations.csv").write_text(
        "\n".join(line for line in table.splitlines() if "行政改革課" not in line) + "\n", encoding="utf-8"
    )
    runner = CliRunner()
    result = runner.invoke(main, ["build", str(tmp_path / "plan.txt"), "--out", str(tmp_path / "a")])
    assert result.exit_code == 0, result.output
    assert "warning: entry" not in result.stderr  # the warning names the unit, once
    assert result.stderr.count("「総務部 行政改革課」 is not in the organisation table") == 1
    graph = Graph().parse(tmp_path / "a" / "mini-ict-2022.ttl", format="turtle")
    units = [u for u in graph.objects(URIRef(BASE + "mini-ict/2022/measure/2-1"), P2R.responsibleUnit)]
    hashed = [u for u in units if "/x-" in str(u)]
    assert len(hashed) == 1 and str(hashed[0]).startswith(BASE + "org/mini/somu-bu/x-")
    again = runner.invoke(main, ["build", str(tmp_path / "plan.txt"), "--out", str(tmp_path / "b")])
    assert again.exit_code == 0
    assert (tmp_path / "b" / "mini-ict-2022.ttl").read_bytes() == (tmp_path / "a" / "mini-ict-2022.ttl").read_bytes()


def test_reposts_link_to_originals_not_same_as(plan) -> None:
    graph = build_graph(plan).graph
    repost = URIRef(BASE + "fukushima-ict/2021/measure/3-3")
    assert graph.value(repost, P2R.repostOf) == URIRef(BASE + "fukushima-ict/2021/measure/1-6")
    assert not list(graph.triples((None, OWL.sameAs, None)))
    assert len(list(graph.triples((None, P2R.repostOf, None)))) == 2


def test_no_blank_nodes(built) -> None:
    from rdflib import BNode

    for path in built.iterdir():
        graph = Graph().parse(path, format="turtle" if path.suffix == ".ttl" else None)
        assert not any(isinstance(term, BNode) for triple in graph for term in triple), path.name


def test_japanese_text_is_tagged_and_verbatim(plan) -> None:
    graph = build_graph(plan).graph
    measure = URIRef(BASE + "fukushima-ict/2021/measure/2-1")
    assert graph.value(measure, DCTERMS.title) == Literal("福島県全国瞬時警報システム（J-ALERT）", lang="ja")
    indicator = graph.value(URIRef(BASE + "fukushima-ict/2021/measure/1-2"), P2R.hasIndicator)
    assert str(graph.value(indicator, P2R.sourceText)).startswith('<ul style="list-style-type: none"> フェイスブック')


def test_jsonld_is_compact_and_self_contained(built) -> None:
    document = json.loads((built / f"{STEM}.jsonld").read_text(encoding="utf-8"))
    context = document["@context"]
    assert isinstance(context, dict), "the context is embedded: no reader ever fetches it"
    node = next(n for n in document["@graph"] if n["id"] == "fukushima-ict/2021/measure/3-3")
    assert node["type"] == "Measure"
    assert node["title"] == {"ja": "携帯電話通話エリア広域ネットワーク化事業"}
    assert node["repostOf"] == "fukushima-ict/2021/measure/1-6"
    assert node["isNew"] is False


def test_ontology_defines_every_term_the_data_uses(built) -> None:
    ontology = Graph().parse(ROOT / "ontology" / "plan2rdf.ttl", format="turtle")
    data = parse(built / f"{STEM}.nt") + Graph().parse(built / f"{STEM}.meta.ttl", format="turtle")
    used = {t for triple in data for t in triple if isinstance(t, URIRef) and str(t).startswith(str(P2R))}
    used.discard(URIRef(str(P2R)))  # the namespace itself, named as a void:vocabulary
    defined = {s for s in ontology.subjects() if isinstance(s, URIRef) and str(s).startswith(str(P2R))}
    assert used - defined == set()


def test_every_ontology_term_has_ja_and_en_labels_and_comments() -> None:
    ontology = Graph().parse(ROOT / "ontology" / "plan2rdf.ttl", format="turtle")
    terms = {s for s in ontology.subjects(RDF.type, None) if str(s).startswith(str(P2R))}
    assert len(terms) >= 20
    for term in terms:
        for prop in (RDFS.label, RDFS.comment):
            languages = {o.language for o in ontology.objects(term, prop)}
            assert {"ja", "en"} <= languages, f"{term} {prop}"
        assert (term, RDFS.isDefinedBy, URIRef("https://w3id.org/plan2rdf/ns")) in ontology
    version = ontology.value(URIRef("https://w3id.org/plan2rdf/ns"), OWL.versionInfo)
    from plan2rdf import __version__

    assert str(version) == __version__


def test_context_terms_expand_to_defined_or_standard_terms() -> None:
    context = json.loads((ROOT / "ontology" / "context.jsonld").read_text(encoding="utf-8"))["@context"]
    ontology = Graph().parse(ROOT / "ontology" / "plan2rdf.ttl", format="turtle")
    defined = {str(s) for s in ontology.subjects()}
    for term, definition in context.items():
        if term.startswith("@"):
            continue
        iri = definition if isinstance(definition, str) else definition.get("@id", "")
        if iri.startswith("p2r:"):
            assert str(P2R) + iri[4:] in defined, term


def test_build_with_missing_metadata_is_bad_input(tmp_path) -> None:
    (tmp_path / "plan.txt").write_bytes((MINI / "plan.txt").read_bytes())
    result = CliRunner().invoke(main, ["build", str(tmp_path / "plan.txt"), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    # one error for the one cause, naming the command that drafts the file (issue 16)
    assert f"{tmp_path / 'plan.toml'}: error: no metadata file" in result.stderr
    assert f"`plan2rdf init {tmp_path / 'plan.txt'}`" in result.stderr
    assert "plan2rdf: 1 error;" in result.stderr
    assert not (tmp_path / "out").exists()


def test_build_reports_problems_of_every_source(tmp_path) -> None:
    (tmp_path / "a.txt").write_text("", encoding="utf-8")
    (tmp_path / "b.csv").write_text("x,y\n1,2\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(tmp_path / "a.txt"), str(tmp_path / "b.csv"), "--out", "o"])
    assert result.exit_code == 2
    assert "a.txt: error: the file is empty" in result.stderr
    assert "b.csv:1: error: missing columns" in result.stderr


def test_non_editable_install_finds_its_data(tmp_path, installed_wheel) -> None:
    """A wheel carries ontology/, shapes/, sparql/ and data/: build from it, away from the checkout."""
    _, target = installed_wheel
    for folder in ("ontology", "shapes", "sparql", "data"):
        assert (target / "plan2rdf" / "_data" / folder).is_dir(), folder
    out = tmp_path / "out"
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); import plan2rdf.resources as r; "
        "assert str(r.bundled_plan()).startswith(sys.argv[1]), r.bundled_plan(); "
        "from plan2rdf.cli import main; main(['build', '--out', sys.argv[2]])"
    )
    run = subprocess.run(
        [sys.executable, "-c", code, str(target), str(out)], capture_output=True, text=True, cwd=tmp_path
    )
    assert run.returncode == 0, run.stderr
    assert (out / f"{STEM}.ttl").is_file()
