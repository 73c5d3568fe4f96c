"""Messages in Japanese and English: --lang on every command, the locale's default, no English-only text."""

from __future__ import annotations

import ast
from pathlib import Path

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
    if name.endswith("_problem"):  # helpers that make a Problem (xmlguard's _problem, out_problem…)
        return call.args[1:] + hints
    return []


def _plain_names(scope: ast.AST) -> set[str]:
    """Names a function (or the module, at its top level) assigns plain text to (``hint = "…"``),
    so passing them on is caught too."""
    nodes = scope.body if isinstance(scope, ast.Module) else ast.walk(scope)
    return {
        target.id
        for node in nodes
        if isinstance(node, ast.Assign) and _is_plain_text(node.value)
        for target in node.targets
        if isinstance(target, ast.Name)
    }


def _super_messages(tree: ast.Module) -> list[ast.Call]:
    """``super().__init__(…)`` in the user-facing exceptions: the message of every raise of them."""
    calls = []
    for cls in ast.walk(tree):
        if isinstance(cls, ast.ClassDef) and {ast.unparse(b) for b in cls.bases} & EXCEPTIONS:
            for node in ast.walk(cls):
                if isinstance(node, ast.Call) and ast.unparse(node.func) == "super().__init__":
                    calls.append(node)
    return calls


def english_only_messages() -> list[str]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        name = str(path.relative_to(PACKAGE))
        scopes = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
        module_plain = _plain_names(tree)
        for scope in [tree, *scopes]:
            plain = _plain_names(scope) | module_plain
            for node in ast.walk(scope):
                if not isinstance(node, ast.Call) or (name, ast.unparse(node.func)) in ALLOWED:
                    continue
                for argument in _messages(node):
                    if _is_plain_text(argument) or (isinstance(argument, ast.Name) and argument.id in plain):
                        found.append(f"{name}:{node.lineno}: {ast.unparse(argument)[:70]}")
        for node in _super_messages(tree):
            found += [f"{name}:{node.lineno}: {ast.unparse(a)[:70]}" for a in node.args[:1] if _is_plain_text(a)]
    return sorted(set(found))


def test_every_message_is_in_both_languages() -> None:
    found = english_only_messages()
    assert not found, f"{len(found)} messages without Text(ja=…, en=…):\n" + "\n".join(found)


def test_the_check_finds_english_only_messages(tmp_path, monkeypatch) -> None:
    """The AST check itself: each form of an English-only message is found, a Text is not."""
    (tmp_path / "sample.py").write_text(
        'DAMAGED = "damaged"\n'
        "class Gone(ActionableError):\n"
        "    def __init__(self):\n"
        '        super().__init__("gone")\n'
        "def f(out, x):\n"
        '    out.error("plain")\n'
        '    out.warn(f"formatted {x}", hint=DAMAGED)\n'
        '    hint = "a hint"\n'
        '    Problem("p", Text(ja="日本語", en="English"), hint=hint)\n'
        '    raise PublishError(Text(ja="日本語", en="English"), "bare hint")\n'
        '    out.error(Text(ja="日本語", en="English"), hint=Text(ja="日本語", en="English"))\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(__import__(__name__), "PACKAGE", tmp_path)
    found = [line.split(": ", 1)[0] for line in english_only_messages()]
    assert found == ["sample.py:10", "sample.py:4", "sample.py:6", "sample.py:7", "sample.py:7", "sample.py:9"]
