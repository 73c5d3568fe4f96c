"""Documentation stays true: every command has help, the README's commands are the ones CI runs."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from plan2rdf.cli import main

ROOT = Path(__file__).parents[1]


def commands():
    return sorted(main.commands)


@pytest.mark.parametrize("name", commands())
def test_every_command_has_help(name) -> None:
    command = main.commands[name]
    assert command.help and len(command.help.strip()) > 40, f"{name} needs a real description"
    result = CliRunner().invoke(main, [name, "--help"])
    assert result.exit_code == 0
    for param in command.params:
        if param.param_type_name == "option":
            assert param.help, f"{name} {param.opts} has no help"


def test_every_command_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in commands():
        assert f"`plan2rdf {name}" in readme, name


def quick_start() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.*?)\n```", section, re.S)


def test_quick_start_has_exactly_two_commands() -> None:
    blocks = quick_start()
    assert len(blocks) == 2
    assert all("\n" not in b for b in blocks)
    assert "plan2rdf build" in blocks[0] or "plan2rdf parse" in blocks[0]
    assert "pytest" in blocks[1]


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert quick_start()[1] in ci


def test_help_is_fast_and_imports_no_heavy_library() -> None:
    code = (
        "import sys; from plan2rdf.cli import main; "
        "print(sorted(m for m in ('rdflib', 'pyshacl', 'openpyxl', 'jinja2') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_changelog_has_an_unreleased_section() -> None:
    assert "## [Unreleased]" in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
