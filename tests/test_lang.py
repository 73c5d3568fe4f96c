"""Messages in Japanese and English: --lang on every command, the locale's default, no English-only text."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from click.testing import CliRunner

from plan2rdf.cli import main
from plan2rdf.cli.app import ORDER
from plan2rdf.i18n import Text, default_lang, text_in

PACKAGE = Path(__file__).parents[1] / "src" / "plan2rdf"
MINI = Path(__file__).parent / "fixtures" / "mini"

# Classes whose message (first argument, or ``message=``) and ``hint=`` a user reads.
EXCEPTIONS = {
    "ActionableError",
    "UsageProblem",
    "PublishError",
    "StoreMissing",
    "WebStackMissing",
    "EngineMissing",
    "ParameterError",
    "QueryTimeout",
    "DirectoryBusy",
}
# Calls that are not a message to a user, with the reason.
ALLOWED: dict[tuple[str, str], str] = {}


def _is_plain_text(node: ast.AST) -> bool:
    """A bare str literal, an f-string, a str concatenation or a ``"…".format(…)``: English only."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and bool(node.value)
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp):
        return _is_plain_text(node.left) or _is_plain_text(node.right)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        return _is_plain_text(node.func.value)
    return False


def _messages(call: ast.Call) -> list[ast.AST]:
    """The arguments of ``call`` that carry text for a user, if it is a message call."""
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    keywords = {k.arg: k.value for k in call.keywords}
    hints = [keywords["hint"]] if "hint" in keywords else []
    if isinstance(func, ast.Attribute) and name in {"error", "warn"}:
        receiver = ast.unparse(func.value)
        if receiver in {"click", "log", "logger", "logging", "parser"}:
            return []
        return call.args[:1] + [keywords[k] for k in ("message",) if k in keywords] + hints
    if name == "Problem":
        return call.args[1:2] + [keywords[k] for k in ("message",) if k in keywords] + call.args[5:6] + hints
    if name in EXCEPTIONS:
        return call.args[:2] + [keywords[k] for k in ("message",) if k in keywords] + hints
    return []


def english_only_messages() -> list[str]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                for argument in _messages(node):
                    where = f"{path.relative_to(PACKAGE)}:{node.lineno}"
                    if _is_plain_text(argument) and (where.split(":")[0], ast.unparse(node.func)) not in ALLOWED:
                        found.append(f"{where}: {ast.unparse(argument)[:70]}")
    return found


def test_every_message_is_in_both_languages() -> None:
    found = english_only_messages()
    assert not found, f"{len(found)} messages without Text(ja=…, en=…):\n" + "\n".join(found)
