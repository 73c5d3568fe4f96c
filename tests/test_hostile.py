"""Hostile and broken input (issue 14): one build per output directory, nothing left half-done."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from plan2rdf.cli import main

ROOT = Path(__file__).parents[1]
BUNDLED = ROOT / "data" / "fukushima" / "ict-action-plan-2021.txt"

HOLD_LOCK = textwrap.dedent(
    """
    import sys, time
    from plan2rdf import atomic
    with atomic.exclusive(sys.argv[1]):
        print("locked", flush=True)
        sys.stdin.readline()  # hold the directory until the test says so
    """
)


def test_a_second_build_into_the_same_directory_stops_with_a_clear_message(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(out)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        result = CliRunner().invoke(main, ["build", str(BUNDLED), "--out", str(out)])
        assert result.exit_code == 2, result.output
        assert f"another plan2rdf build is writing into {out}" in result.stderr
        assert "Traceback" not in result.output
        assert not list(out.glob("*.ttl")), "the refused build wrote nothing"
    finally:
        holder.communicate("\n", timeout=30)
    # once the other build is done, the same command works
    result = CliRunner().invoke(main, ["build", str(BUNDLED), "--out", str(out), "-q"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.glob("fukushima-ict-2021.*")) == [
        "fukushima-ict-2021.jsonld",
        "fukushima-ict-2021.meta.ttl",
        "fukushima-ict-2021.nt",
        "fukushima-ict-2021.ttl",
    ]


def test_a_corpus_build_removes_staging_folders_a_killed_build_left(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    stale = out / ".plan2rdf-corpus-k1ll3d"  # as mkdtemp names them; kill -9 runs no clean-up
    stale.mkdir(parents=True)
    (stale / "corpus.nq").write_text("<a:s> <a:p> <a:o> <a:g> .\n", encoding="utf-8")
    other = out / "notes"  # not ours: left alone
    other.mkdir()
    result = CliRunner().invoke(main, ["build", str(BUNDLED), "--corpus", "--out", str(out), "-q", "-j", "1"])
    assert result.exit_code == 0, result.output
    assert not stale.exists()
    assert other.is_dir()
    assert not [p for p in out.iterdir() if p.name.startswith(".plan2rdf-corpus-")]
    assert {"corpus.nq", "corpus.trig", "catalog.ttl"} <= {p.name for p in out.iterdir()}


LAUGHS = "\n".join(
    ['<?xml version="1.0"?>', "<!DOCTYPE rdf:RDF [", ' <!ENTITY lol "lol">']
    + [f' <!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)]
    + [
        "]>",
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">',
        '<rdf:Description rdf:about="http://example.org/s"><ex:p>&lol9;</ex:p></rdf:Description></rdf:RDF>',
    ]
)


def test_an_entity_expansion_bomb_is_refused_before_parsing(tmp_path: Path) -> None:
    bomb = tmp_path / "laughs.rdf"
    bomb.write_text(LAUGHS, encoding="utf-8")
    for args in (["validate", str(bomb)], ["query", "reposts", "--data", str(bomb)]):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 2, result.output
        # line 4 declares lol1 as ten references to lol: the first nested declaration
        assert f"{bomb}:4:2: error: declares entity &lol1; in terms of other entities" in result.stderr
        assert "Traceback" not in result.output


def test_an_external_entity_is_refused(tmp_path: Path) -> None:
    leak = tmp_path / "leak.rdf"
    leak.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n<!ENTITY secret SYSTEM "file:///etc/passwd">\n]>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">\n'
        '<rdf:Description rdf:about="http://example.org/s"><ex:p>&secret;</ex:p></rdf:Description></rdf:RDF>\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["validate", str(leak)])
    assert result.exit_code == 2
    assert f"{leak}:3:1: error: declares an external entity &secret; (it would read a file)" in result.stderr


def test_namespace_entities_as_protege_writes_them_still_read(tmp_path: Path) -> None:
    from rdflib import Literal, URIRef

    from plan2rdf.rdfio import load_rdflib

    owl = tmp_path / "onto.owl"
    owl.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n<!ENTITY ex "http://example.org/">\n]>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">\n'
        '<rdf:Description rdf:about="&ex;s"><ex:p>o</ex:p></rdf:Description></rdf:RDF>\n',
        encoding="utf-8",
    )
    graph = load_rdflib([owl])
    assert set(graph) == {(URIRef("http://example.org/s"), URIRef("http://example.org/p"), Literal("o"))}


def test_json_nested_100000_deep_is_bad_input_not_a_traceback(tmp_path: Path) -> None:
    deep = tmp_path / "deep.jsonld"
    deep.write_text('{"http://example.org/p":' * 100_000 + '"x"' + "}" * 100_000, encoding="utf-8")
    for args in (["validate", str(deep)], ["query", "reposts", "--data", str(deep)]):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 2, result.output[-500:]
        # 24 characters per level: the 201st "{" opens at column 200 * 24 + 1
        assert f"{deep}:1:4801: error: is nested more than 200 levels deep" in result.stderr
        assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("page", "message"),
    [
        ("javascript:alert(1)", "must be an absolute http(s) IRI"),
        # "https://" (8) + "example.org" (11) + "/plans/a" (8): the space is the 28th character
        ("https://example.org/plans/a b", "holds a character no IRI may hold (U+0020, at 28); percent-encode it"),
        ("https://example.org/<script>", "holds a character no IRI may hold (U+003C, at 21)"),
    ],
)
def test_a_landing_page_that_is_no_web_iri_is_a_located_sidecar_error(tmp_path: Path, page: str, message: str) -> None:
    import shutil

    mini = ROOT / "tests" / "fixtures" / "mini"
    for name in ("plan.txt", "plan.toml", "organizations.csv"):
        shutil.copy(mini / name, tmp_path / name)
    toml = (tmp_path / "plan.toml").read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(toml) if line.strip() == "[plan]") + 1
    toml.insert(at, f'landing_page = "{page}"')
    (tmp_path / "plan.toml").write_text("\n".join(toml) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(tmp_path / "plan.txt"), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    line = at + 1  # the inserted line, counted from 1
    assert f"plan.toml:{line}: error: plan.landing_page {message}" in result.stderr
    assert not (tmp_path / "out").exists()


IRI_SPACE = "holds a character no IRI may hold (U+0020, at 16); percent-encode it (a space is %20)"


@pytest.mark.parametrize(
    ("name", "text", "where"),
    [
        # the scanner reads no IRI with a raw space: located where the text holds it (line 2, column 2)
        ("raw.ttl", '@prefix ex: <http://ex.org/> .\n<http://ex.org/a b> ex:p "x" .\n', "2:2"),
        ("escaped.ttl", '@prefix ex: <http://ex.org/> .\n<http://ex.org/a\\u0020b> ex:p "x" .\n', "2:1"),
        ("escaped.nt", '<http://ex.org/a\\u0020b> <http://ex.org/p> "x" .\n', "1:1"),
        # an object: at its statement's predicate, after "<http://ex.org/s> " (18 characters)
        ("object.ttl", "@prefix ex: <http://ex.org/> .\n<http://ex.org/s> ex:p <http://ex.org/a\\u0020b> .\n", "2:19"),
        # a literal's datatype (found by the fuzz test: "false"^^<h|tp://…> stopped pyshacl-turbo)
        ("datatype.nt", '<http://ex.org/s> <http://ex.org/p> "x"^^<http://ex.org/a\\u0020b> .\n', "1:19"),
        ("datatype.ttl", '@prefix ex: <http://ex.org/> .\nex:s ex:p "x"^^<http://ex.org/a\\u0020b> .\n', "2:6"),
    ],
)
def test_an_iri_no_iri_may_be_is_a_located_input_error(tmp_path, name, text, where) -> None:
    # rdflib takes <http://ex.org/a b>; pyshacl-turbo stopped with a traceback, pySHACL let it pass
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 2, result.output
    assert f"{path}:{where}: error: the IRI <http://ex.org/a b> {IRI_SPACE}" in result.stderr
    assert "Traceback" not in result.output
    from plan2rdf.problems import InputError
    from plan2rdf.validate import validate_files

    for engine in ("pyshacl", "turbo"):  # the same verdict whichever engine would run
        with pytest.raises(InputError):
            validate_files([path], engine=engine)


@pytest.mark.parametrize(
    ("iri", "message"),
    [
        # what RFC 3987's grammar refuses beyond single characters (found by the fuzz test)
        # positions counted from 1: h=1 … /=14, then a=15 #=16 b=17 #=18
        ("http://ex.org/a#b#c", "holds a second '#' (at 18); a fragment holds no '#': write it as %23"),
        ("http://ex.org/100%", "holds a '%' not followed by two hex digits (at 18); write '%' itself as %25"),
        ("http://ex.org/a[1]", "holds '[' outside the host (at 16); percent-encode it"),
    ],
)
def test_an_iri_the_grammar_refuses_is_a_located_input_error(tmp_path, iri, message) -> None:
    """rdflib reads these; pyshacl-turbo stopped with "Invalid IRI …" and a traceback."""
    for name, text, where in (
        ("object.ttl", f"@prefix ex: <http://ex.org/> .\nex:s ex:p <{iri}> .\n", "2:6"),
        ("datatype.ttl", f'@prefix ex: <http://ex.org/> .\nex:s ex:p "x"^^<{iri}> .\n', "2:6"),
    ):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        result = CliRunner().invoke(main, ["validate", str(path)])
        assert result.exit_code == 2, result.output
        assert f"{path}:{where}: error: the IRI <{iri}> {message}" in result.stderr
        assert "Traceback" not in result.output


def test_what_the_fast_engine_still_refuses_is_an_input_error(tmp_path, monkeypatch) -> None:
    """Should reading miss an IRI the fast engine refuses, validation says so, naming the file."""
    pytest.importorskip("pyshacl_turbo")
    import plan2rdf.iri

    monkeypatch.setattr(plan2rdf.iri, "_structure_problem", lambda iri, absolute: None)
    path = tmp_path / "data.ttl"
    path.write_text("@prefix ex: <http://ex.org/> .\nex:s ex:p <http://ex.org/a#b#c> .\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(path)])  # the fast engine where installed
    assert result.exit_code == 2, result.output
    assert f"{path}: error: the SHACL engine refuses the data: Invalid IRI code point '#'" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--license", "http://a b", "holds a character no IRI may hold (U+0020, at 9)"),
        ("--license", "CC-BY-4.0", "must be an absolute IRI (with a scheme"),
        ("--base-iri", "https://data.example.jp/i d/", "holds a character no IRI may hold (U+0020, at 26)"),
        ("--base-iri", "ftp://data.example.jp/", "must be an absolute http(s) IRI"),
        # the rules of a sidecar's base (tests/test_base_iri.py), but for the final '/' (added)
        ("--base-iri", "https://data.example.jp/id/?v=1", "must not hold a query ('?', at 28)"),
        ("--base-iri", "https://data.example.jp/id\u3000/", "must not hold a space (U+3000, at 27)"),
    ],
)
def test_an_iri_option_that_is_no_iri_is_a_usage_error(tmp_path: Path, option: str, value: str, message: str) -> None:
    # rdflib would write <http://a b> into Turtle that no parser reads, and pyshacl-turbo refuses it
    result = CliRunner().invoke(main, ["build", "--out", str(tmp_path / "out"), option, value])
    assert result.exit_code == 2, result.output
    assert f"Invalid value for '{option}': {message}" in result.stderr
    assert not (tmp_path / "out").exists()


def test_only_web_addresses_from_the_data_become_links_on_the_site(tmp_path: Path) -> None:
    import shutil

    from rdflib import URIRef
    from rdflib.namespace import DCAT, RDF, RDFS

    from plan2rdf.pipeline import graph_of
    from plan2rdf.read import read_plan
    from plan2rdf.site import render_site

    mini = ROOT / "tests" / "fixtures" / "mini"
    for name in ("plan.txt", "plan.toml", "organizations.csv"):
        shutil.copy(mini / name, tmp_path / name)
    base = "https://w3id.org/plan2rdf/id/"
    graph = graph_of(read_plan(tmp_path / "plan.txt")).graph
    dataset = URIRef(base + "mini-ict/2022/dataset")
    metadata = [
        (dataset, RDF.type, DCAT.Dataset),
        (dataset, DCAT.landingPage, URIRef("javascript:alert(1)")),
        (dataset, RDFS.seeAlso, URIRef("https://www.city.example.jp/ict/")),
    ]
    page = render_site(graph, base_iri=base, metadata=metadata)["mini-ict/2022/dataset.html"].decode("utf-8")
    assert 'href="javascript:' not in page.lower()
    assert "<code>javascript:alert(1)</code>" in page  # shown as text
    assert 'href="https://www.city.example.jp/ict/"' in page


def test_a_bom_followed_by_bytes_of_another_encoding_is_a_located_error(tmp_path: Path) -> None:
    """Found by the fuzz run: a UTF-8 byte-order mark, then a CP932 byte on line 2, was a traceback."""
    sheet = tmp_path / "plan.csv"
    sheet.write_bytes(b"\xef\xbb\xbfa,b\n\x82\xa0,c\n")  # 0x82 0xA0 is あ in CP932, not UTF-8
    result = CliRunner().invoke(main, ["parse", str(sheet)])
    assert result.exit_code == 2
    assert f"{sheet}:2: error: starts with a UTF-8 byte-order mark but is not valid UTF-8" in result.stderr
    assert "Traceback" not in result.output
