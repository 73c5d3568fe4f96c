"""The public verbs re-exported from plan2rdf (httpx style), loaded lazily."""

from __future__ import annotations

import subprocess
import sys

import pytest

import plan2rdf


@pytest.mark.parametrize("name", [n for n in plan2rdf.__all__ if n != "__version__"])
def test_every_public_verb_resolves_to_its_stage(name: str) -> None:
    obj = getattr(plan2rdf, name)
    assert callable(obj)
    assert obj.__module__.startswith("plan2rdf.")


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        plan2rdf.nothing  # noqa: B018


def test_importing_the_package_loads_no_rdf_library() -> None:
    code = "import sys, plan2rdf; print(sorted(m for m in ('rdflib', 'pyshacl', 'openpyxl') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_the_verbs_build_the_bundled_plan(tmp_path) -> None:
    """Library use end to end: read, build, then validate what was written."""
    from plan2rdf.resources import bundled_plan

    plan = plan2rdf.read_plan(bundled_plan())
    result = plan2rdf.build(plan, out_dir=tmp_path, settings=plan2rdf.BuildSettings(validate=False))
    assert result.written and len(plan.measures) == 128  # the plan lists 128 entries
    turtle = next(p for p in result.files if p.name == "fukushima-ict-2021.ttl")
    assert plan2rdf.validate_files([turtle]).conforms


def test_all_lists_exactly_the_exports() -> None:
    assert set(plan2rdf.__all__) == {"__version__", *plan2rdf._EXPORTS}


def test_no_verb_is_shadowed_by_a_subpackage() -> None:
    """Importing plan2rdf.X sets the attribute X on the package, which would hide a verb named X."""
    import pkgutil

    packages = {m.name for m in pkgutil.iter_modules(plan2rdf.__path__)}
    assert not packages & set(plan2rdf.__all__)
