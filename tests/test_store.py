"""`build --store DIR` writes an Oxigraph store; `query --store DIR` answers from it (issue 20)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from plan2rdf.cli import main

pytest.importorskip("pyoxigraph")

ROOT = Path(__file__).parents[1]
QUERIES = sorted(p.stem.split("-", 1)[1] for p in (ROOT / "sparql").glob("*.rq"))


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    result = invoke("build", "--out", str(out), "--store", str(out / "store"), "-q")
    assert result.exit_code == 0, result.output
    return out / "store"


def test_every_canned_query_answers_from_the_store_as_from_the_plan(store: Path) -> None:
    assert len(QUERIES) >= 15
    for name in QUERIES:
        expected = invoke("query", name, "--format", "csv")
        assert expected.exit_code == 0, (name, expected.output)
        got = invoke("query", name, "--store", str(store), "--format", "csv")
        assert got.exit_code == 0, (name, got.output)
        assert got.stdout == expected.stdout, name


def test_the_store_holds_the_measures_of_the_plan(store: Path) -> None:
    # 部局別の施策数 per edition: 企画調整部 has 17 entries in the 2021 plan (counted by hand in the text export)
    got = invoke("query", "measures-per-department", "--store", str(store), "--format", "csv")
    assert "2021,https://w3id.org/plan2rdf/id/fukushima-ict/2021,企画調整部,3,17" in got.stdout.splitlines()


def test_a_rebuild_replaces_the_store_and_a_foreign_folder_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    for _ in range(2):
        assert invoke("build", "--out", str(out), "--store", str(out / "store"), "-q").exit_code == 0
    assert (out / "store" / ".plan2rdf-store").is_file()
    assert not [p for p in out.iterdir() if ".staging-" in p.name or ".old-" in p.name]
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "keep.txt").write_text("x", encoding="utf-8")
    result = invoke("build", "--out", str(out), "--store", str(foreign), "-q")
    assert result.exit_code == 2
    assert "is not a plan2rdf store" in result.stderr
    assert (foreign / "keep.txt").read_text(encoding="utf-8") == "x"


def test_query_of_a_folder_that_is_no_store_is_bad_input(tmp_path: Path) -> None:
    result = invoke("query", "reposts", "--store", str(tmp_path))
    assert result.exit_code == 2
    assert "is not a store written by `plan2rdf build --store`" in result.stderr
    assert "Traceback" not in result.output


def test_store_and_data_exclude_each_other(tmp_path: Path) -> None:
    result = invoke("query", "reposts", "--store", str(tmp_path), "--data", str(tmp_path))
    assert result.exit_code == 2
    assert "exclude each other" in result.output


def test_a_corpus_store_answers_over_its_named_graphs(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    result = invoke("build", "--corpus", "--out", str(out), "--store", str(out / "store"), "-q", "-j", "1")
    assert result.exit_code == 0, result.output
    for name in ("measures-per-department", "reposts", "targets-by-unit"):
        expected = invoke("query", name, "--data", str(out / "corpus.nq"), "--format", "csv")
        got = invoke("query", name, "--store", str(out / "store"), "--format", "csv")
        assert got.exit_code == 0 and got.stdout == expected.stdout, name
