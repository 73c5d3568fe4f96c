"""Fixtures shared by several test modules."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]


@pytest.fixture(scope="session")
def installed_wheel(tmp_path_factory) -> tuple[Path, Path]:
    """plan2rdf built as a wheel and installed, non-editable, into a folder of its own.

    Built offline (hatchling comes with the test extra), once per session: (wheel, folder).
    """
    work = tmp_path_factory.mktemp("wheel")
    wheels = work / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(wheels), str(ROOT)],
        check=True,
        capture_output=True,
    )
    [wheel] = wheels.glob("plan2rdf-*.whl")
    target = work / "site-packages"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )
    return wheel, target


@pytest.fixture(autouse=True)
def english_locale(monkeypatch) -> None:
    """Messages in English whatever the developer's locale: --lang defaults from LC_ALL, LC_MESSAGES
    and LANG, so they are removed; a test that needs a locale sets it."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
