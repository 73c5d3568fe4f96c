"""docs/publish-your-plan.md, followed step by step (issue 16): its files are written where it says,
its ``sh`` commands run in order (CliRunner, in a fresh folder), each must succeed, and what it shows
as drafted is what `plan2rdf init` drafts. ``console`` blocks (install, a live SPARQL store) are not run."""

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from plan2rdf.cli import main

DOC = Path(__file__).parents[1] / "docs" / "publish-your-plan.md"
pytest.importorskip("cutlet", reason="the guide's `plan2rdf init` needs the init extra")

BLOCK_RE = re.compile(r"(?:<!-- (file|drafted): (\S+) -->\n)?```(\w+)\n(.*?)```", re.DOTALL)


def steps():
    """(kind, name, language, text) for each fenced block of the guide, in order."""
    return [(m.group(1), m.group(2), m.group(3), m.group(4)) for m in BLOCK_RE.finditer(DOC.read_text("utf-8"))]


def test_the_guide_has_the_steps_it_promises() -> None:
    commands = [text.strip() for kind, _, lang, text in steps() if lang == "sh"]
    verbs = [shlex.split(c)[1] for c in commands]
    assert verbs == ["init", "parse", "build", "validate", "site"]
    assert all(c.startswith("plan2rdf ") and "\n" not in c for c in commands)


def test_following_the_guide_publishes_a_site(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    for kind, name, lang, text in steps():
        if kind == "file":
            (tmp_path / name).write_text(text, encoding="utf-8")
        elif kind == "drafted":
            assert (tmp_path / name).read_text(encoding="utf-8") == text, f"the guide shows a stale {name}"
        elif lang == "sh":
            args = shlex.split(text.strip())[1:]
            result = runner.invoke(main, args)
            assert result.exit_code == 0, f"{text.strip()}\n{result.output}"
            if args[0] == "init":
                # the guide says what is left: the series slug, the five publisher fields and the base IRI
                listed = [line for line in result.output.splitlines() if ".toml:" in line]
                assert [line.split(": ")[1] for line in listed] == [
                    "plan.series", "publisher.name", "publisher.name_en", "publisher.slug", "publisher.lg_code",
                    "publisher.area_code",
                    "publisher.base_iri",
                ]  # fmt: skip
            elif args[0] in ("parse", "build", "site"):
                assert "warning" not in result.stderr, result.stderr  # a filled-in plan builds cleanly
    dist = tmp_path / "dist"
    assert sorted(p.name for p in dist.iterdir()) == [
        "mihon-ict-2024.jsonld", "mihon-ict-2024.meta.ttl", "mihon-ict-2024.nt", "mihon-ict-2024.ttl",
    ]  # fmt: skip
    site = tmp_path / "site"
    # every IRI under the base is a page at its path: the plan, a measure, a division
    for page in (
        "mihon-ict/2024.html",
        "mihon-ict/2024/measure/2-1.html",
        "org/mihon/soumu-bu/digital-suishin-ka.html",
    ):
        assert (site / page).is_file(), page
    assert (site / ".htaccess").is_file() and (site / "nginx.conf").is_file()
    division = (site / "org/mihon/soumu-bu/digital-suishin-ka.html").read_text(encoding="utf-8")
    assert "デジタル推進課" in division and "Digital Promotion Division" in division


def test_the_guide_before_filling_in_stops_at_the_placeholders(tmp_path, monkeypatch) -> None:
    """Step 4's claim: until the placeholders are replaced, build reports each one and writes nothing."""
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    for kind, name, lang, text in steps():
        if kind == "file" and name.endswith(".csv") and name != "organizations.csv":
            (tmp_path / name).write_text(text, encoding="utf-8")
        elif lang == "sh" and text.startswith("plan2rdf init"):
            assert runner.invoke(main, shlex.split(text.strip())[1:]).exit_code == 0
            break
    result = runner.invoke(main, ["build", "mihon-ict-2024.csv", "--out", "dist"])
    assert result.exit_code == 2
    assert "mihon-ict-2024.toml:16: error: publisher.name still holds the template's placeholder" in result.stderr
    assert "plan2rdf: 7 errors;" in result.stderr  # series, five publisher fields, base_iri
    assert not (tmp_path / "dist").exists()


OTHER_RE = re.compile(r"<!-- other-columns: (\S+) -->\n```\w+\n(.*?)```", re.DOTALL)


def test_the_other_columns_example_builds(tmp_path, monkeypatch) -> None:
    """ "Your sheet has other columns": the guide's sheet with the [columns] table added to step 4's
    metadata file builds cleanly; the numbers, directions and notes are as the section says."""
    from rdflib import Graph, Literal, URIRef

    monkeypatch.chdir(tmp_path)
    files = {name: text for kind, name, _, text in steps() if kind == "file"}
    other = dict(OTHER_RE.findall(DOC.read_text("utf-8")))
    assert sorted(other) == ["columns.toml", "mihon-ict-2024.csv"]
    (tmp_path / "mihon-ict-2024.csv").write_text(other["mihon-ict-2024.csv"], encoding="utf-8")
    (tmp_path / "mihon-ict-2024.toml").write_text(
        files["mihon-ict-2024.toml"] + "\n" + other["columns.toml"], encoding="utf-8"
    )
    (tmp_path / "organizations.csv").write_text(files["organizations.csv"], encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "mihon-ict-2024.csv", "--out", "dist"])
    assert result.exit_code == 0, result.output
    assert "warning" not in result.stderr, result.stderr
    graph = Graph().parse(tmp_path / "dist" / "mihon-ict-2024.ttl")
    base, p2r = "https://opendata.city.mihon.lg.jp/ict/", "https://w3id.org/plan2rdf/ns#"
    # worked out from the section's sheet: IRI slug, identifier as given, direction by name, 予算額
    for slug, identifier, direction, budget in [
        ("1-1-1", "1-(1)-1", 1, "3,000千円"),
        ("1-2-1", "1-(2)-1", 1, None),
        ("2-1-1", "2-(1)-1", 2, "12,000千円"),
    ]:
        measure = URIRef(f"{base}mihon-ict/2024/measure/{slug}")
        assert (measure, URIRef("http://purl.org/dc/terms/identifier"), Literal(identifier)) in graph
        assert (measure, URIRef(p2r + "direction"), URIRef(f"{base}mihon-ict/direction/{direction}")) in graph
        notes = list(graph.objects(measure, URIRef(p2r + "columnNote")))
        assert notes == ([URIRef(f"{measure}/note/1")] if budget else [])
        if budget:
            assert (notes[0], URIRef(p2r + "columnHeader"), Literal("予算額", lang="ja")) in graph
            assert (notes[0], URIRef(p2r + "sourceText"), Literal(budget, lang="ja")) in graph
