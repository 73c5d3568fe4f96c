"""The one place that finds the shipped files: ontology/, shapes/, sparql/, data/, static assets.

In a wheel they are force-included under ``plan2rdf/_data``; in a source checkout (editable
install or tests) they are the repository's top-level folders.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path

_FOLDERS = ("ontology", "shapes", "sparql", "data")


@cache
def _root() -> Traversable:
    packaged = resources.files("plan2rdf") / "_data"
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / "ontology").is_dir():
        return checkout
    raise FileNotFoundError("plan2rdf's data files are missing: reinstall the package")


def folder(name: str) -> Traversable:
    if name not in _FOLDERS:
        raise ValueError(f"unknown resource folder {name!r}")
    return _root() / name


def path(name: str, *parts: str) -> Path:
    """A shipped file as a real path (wheels install unzipped, so this is always a file)."""
    target = folder(name).joinpath(*parts)
    return Path(str(target))


def bundled_plan() -> Path:
    """The default input of every command: the bundled Fukushima ICT action plan 2021."""
    return path("data", "fukushima", "ict-action-plan-2021.txt")


def read_text(name: str, *parts: str) -> str:
    return folder(name).joinpath(*parts).read_text(encoding="utf-8")


def static(name: str) -> bytes:
    """A file of the site's static assets (CSS, icons), shipped inside the site package."""
    # plan2rdf/site/static by path from the top package: importing plan2rdf.site here would be a cycle
    return (resources.files("plan2rdf") / "site" / "static" / name).read_bytes()
