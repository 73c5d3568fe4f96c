"""The CI files in docs/ci/ a user copies, and the rule anchors SARIF's helpUri points at.

Each file must parse as YAML, call `plan2rdf validate` with options the command has and the formats
each CI system reads, and be shown verbatim in docs/validation.md.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import click
import pytest
import yaml

from plan2rdf.cli import main
from plan2rdf.validate import load_shapes
from plan2rdf.validate.describe import node_shapes
from plan2rdf.validate.report import FORMATS, help_uri, rule_id
from plan2rdf.validate.shapes import rules_of

ROOT = Path(__file__).parents[1]
DOCS = ROOT / "docs" / "validation.md"
CI = ROOT / "docs" / "ci"


def _validate_calls(commands: list[str]) -> list[dict]:
    """Each `plan2rdf validate …` in shell commands, parsed by the command's own option parser."""
    calls = []
    for command in commands:
        for part in re.split(r"\|\||&&|;", command):
            words = shlex.split(part)
            if words[:2] != ["plan2rdf", "validate"]:
                continue
            context = main.commands["validate"].make_context("validate", words[2:])
            calls.append(context.params)
    return calls


def test_the_github_workflow_annotates_and_uploads_sarif() -> None:
    workflow = yaml.safe_load((CI / "github-validate.yml").read_text(encoding="utf-8"))
    (job,) = workflow["jobs"].values()
    steps = job["steps"]
    calls = _validate_calls([step["run"] for step in steps if "run" in step])
    assert [c["fmt"] for c in calls] == ["github", "sarif"]
    assert all(c["fmt"] in FORMATS for c in calls)
    upload = next(step for step in steps if step.get("uses", "").startswith("github/codeql-action/upload-sarif"))
    assert upload["with"]["sarif_file"] == str(calls[1]["output"])
    assert workflow["permissions"]["security-events"] == "write"


def test_the_gitlab_job_reports_junit() -> None:
    config = yaml.safe_load((CI / "gitlab-validate.yml").read_text(encoding="utf-8"))
    (job,) = config.values()
    (call,) = _validate_calls(job["script"])
    assert call["fmt"] == "junit"
    assert job["artifacts"]["reports"]["junit"] == str(call["output"])
    assert job["artifacts"]["when"] == "always"  # the report is kept when validation fails


def test_an_option_that_does_not_exist_is_caught() -> None:
    """The check has teeth."""
    with pytest.raises(click.UsageError):
        _validate_calls(["plan2rdf validate x.ttl --format gitlab"])


@pytest.mark.parametrize("name", ["github-validate.yml", "gitlab-validate.yml"])
def test_docs_show_each_file_verbatim(name: str) -> None:
    assert f"```yaml\n{(CI / name).read_text(encoding='utf-8')}```" in DOCS.read_text(encoding="utf-8")


def test_every_rule_has_an_anchor_in_the_docs() -> None:
    text = DOCS.read_text(encoding="utf-8")
    anchors = set(re.findall(r'<a id="([^"]+)"></a>', text))
    shapes = load_shapes()
    rules = rules_of(shapes, node_shapes(shapes))
    assert "https://w3id.org/plan2rdf/shapes#WellFormedLiteralShape" in rules
    missing = sorted(rule_id(shape) for shape in rules if help_uri(shape).rsplit("#", 1)[1] not in anchors)
    assert not missing, f"add a row to the rules table in docs/validation.md for {missing}"
