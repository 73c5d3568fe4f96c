"""The publisher's own base IRI: `[publisher] base_iri` in the sidecar, used by build (single and
corpus) and site, overridden by --base-iri, checked where it is written; the default base warns."""

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, URIRef

from plan2rdf.cli import main
from plan2rdf.read.reader import read_plan
from plan2rdf.settings import BuildSettings, default_base_warning, resolve_base_iri

DATA = Path(__file__).parents[1] / "data" / "fukushima"
OWN = "https://data.pref.fukushima.test/id/"
DEFAULT_WARNING = "warning: the IRIs are under the default base https://w3id.org/plan2rdf/id/"


def edition(folder: Path, base_iri: str | None, stem: str = "ict-action-plan-2021", edition: str = "2021") -> Path:
    """The bundled plan copied into ``folder``; its sidecar gets ``base_iri = …`` as line 25, right
    after area_code (line 24) in [publisher]."""
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / f"{stem}.txt"
    shutil.copy(DATA / "ict-action-plan-2021.txt", source)
    shutil.copy(DATA / "organizations.csv", folder / "organizations.csv")
    lines = (DATA / "ict-action-plan-2021.toml").read_text(encoding="utf-8").splitlines()
    assert lines[23].startswith("area_code =")
    if base_iri is not None:
        lines.insert(24, f'base_iri = "{base_iri}"')
    text = "\n".join(lines) + "\n"
    (folder / f"{stem}.toml").write_text(text.replace('edition = "2021"', f'edition = "{edition}"'), encoding="utf-8")
    return source


def subjects(path: Path) -> set[str]:
    return {str(s) for s in Graph().parse(path, format="turtle").subjects() if isinstance(s, URIRef)}


def test_build_uses_the_sidecar_base_and_does_not_warn(tmp_path) -> None:
    source = edition(tmp_path / "src", OWN)
    result = CliRunner().invoke(main, ["build", str(source), "--out", str(tmp_path / "dist")])
    assert result.exit_code == 0, result.output
    assert "warning" not in result.stderr
    own = subjects(tmp_path / "dist" / "fukushima-ict-2021.ttl")
    assert OWN + "fukushima-ict/2021/measure/5-29" in own
    assert not [s for s in own if s.startswith("https://w3id.org/plan2rdf/id/")]
    meta = subjects(tmp_path / "dist" / "fukushima-ict-2021.meta.ttl")
    assert meta and all(s.startswith(OWN) or not s.startswith("https://w3id.org/plan2rdf/id/") for s in meta)


def test_base_iri_option_overrides_the_sidecar(tmp_path) -> None:
    source = edition(tmp_path / "src", OWN)
    other = "https://lod.example.org/fukushima/"
    result = CliRunner().invoke(main, ["build", str(source), "--out", str(tmp_path / "dist"), "--base-iri", other])
    assert result.exit_code == 0, result.output
    assert other + "fukushima-ict/2021/measure/5-29" in subjects(tmp_path / "dist" / "fukushima-ict-2021.ttl")


def test_the_default_base_warns(tmp_path) -> None:
    source = edition(tmp_path / "src", None)
    result = CliRunner().invoke(main, ["build", str(source), "--out", str(tmp_path / "dist")])
    assert result.exit_code == 0, result.output
    assert f"{source}: {DEFAULT_WARNING}" in result.stderr
    assert result.stderr.count("warning:") == 1


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("ftp://data.example.jp/id/", "must be an absolute http(s) IRI"),
        ("/id/", "must be an absolute http(s) IRI"),
        ("https://data.example.jp/id", "must end in '/' or '#'"),
        # "https://" (8) + "data.example.jp" (15) + "/my": the space is the 27th character
        ("https://data.example.jp/my id/", "holds a character no IRI may hold (U+0020, at 27)"),
        # an IRI may hold U+3000 (RFC 3987's ucschar), a base may not: a typed full-width space
        ("https://data.example.jp/id\u3000/", "must not hold a space (U+3000, at 27)"),
        ("https://data.example.jp/id/?x=1", "must not hold a query ('?', at 28)"),
        ("https://data.example.jp/id#x/", "may hold a '#' only as its last character (one is at 27)"),
    ],
)
def test_a_bad_sidecar_base_is_located(tmp_path, value, message) -> None:
    source = edition(tmp_path / "src", value)
    result = CliRunner().invoke(main, ["build", str(source), "--out", str(tmp_path / "dist")])
    assert result.exit_code == 2
    sidecar = tmp_path / "src" / "ict-action-plan-2021.toml"
    assert f"{sidecar}:25: error: publisher.base_iri {message}" in result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "dist").exists()


@pytest.mark.parametrize("jobs", ["1", "2"])  # the sidecars read here, or by the workers
def test_a_corpus_takes_the_base_its_sidecars_agree_on(tmp_path, jobs) -> None:
    edition(tmp_path / "src", OWN)
    edition(tmp_path / "src", OWN, stem="ict-action-plan-2022", edition="2022")
    result = CliRunner().invoke(main, ["build", str(tmp_path / "src"), "--out", str(tmp_path / "dist"), "-j", jobs])
    assert result.exit_code == 0, result.output
    assert "warning" not in result.stderr
    nq = (tmp_path / "dist" / "corpus.nq").read_text(encoding="utf-8")
    assert f"<{OWN}fukushima-ict/2022/measure/5-29>" in nq
    assert "https://w3id.org/plan2rdf/id/" not in nq


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize(
    ("other", "message"),
    [
        ("https://other.fukushima.test/", "the plans of one corpus name different base IRIs"),
        ("https://data.example.jp/id", "{sidecar}:25: error: publisher.base_iri must end in '/' or '#'"),
    ],
)
def test_a_corpus_refuses_sidecars_that_disagree_or_are_wrong(tmp_path, jobs, other, message) -> None:
    edition(tmp_path / "src", OWN)
    edition(tmp_path / "src", other, stem="ict-action-plan-2022", edition="2022")
    result = CliRunner().invoke(main, ["build", str(tmp_path / "src"), "--out", str(tmp_path / "dist"), "-j", jobs])
    assert result.exit_code == 2
    assert result.stderr.count(message.format(sidecar=tmp_path / "src" / "ict-action-plan-2022.toml")) == 1
    assert "Traceback" not in result.output
    assert not (tmp_path / "dist").exists()


def test_site_uses_the_sidecar_base(tmp_path) -> None:
    source = edition(tmp_path / "src", OWN)
    result = CliRunner().invoke(main, ["site", str(source), "--out", str(tmp_path / "site")])
    assert result.exit_code == 0, result.output
    page = (tmp_path / "site" / "fukushima-ict" / "2021" / "measure" / "5-29.ttl").read_text(encoding="utf-8")
    assert OWN in page and "https://w3id.org/plan2rdf/id/" not in page


def test_resolution_order_and_warning_as_a_library(tmp_path) -> None:
    """The one function site and publish call: --base-iri, else the sidecar's, else the default."""
    plan = read_plan(edition(tmp_path / "src", OWN))
    assert resolve_base_iri(None, plan) == OWN
    assert resolve_base_iri("https://x.example/", plan) == "https://x.example/"
    assert resolve_base_iri(None, None) == "https://w3id.org/plan2rdf/id/"
    assert BuildSettings().for_plan(plan).base_iri == OWN
    assert default_base_warning(OWN, where="p.toml") is None
    warning = default_base_warning("https://w3id.org/plan2rdf/id/", where="p.toml")
    assert warning is not None and warning.format().startswith("p.toml: " + DEFAULT_WARNING)
    assert default_base_warning(None, where="p.toml") is not None
