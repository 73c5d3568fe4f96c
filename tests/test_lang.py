"""Messages in Japanese and English: --lang on every command, the locale's default, no English-only text."""

from __future__ import annotations

import ast
import os
import shutil
import socket
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from plan2rdf.cli import main
from plan2rdf.cli.app import ORDER
from plan2rdf.i18n import Text, default_lang, join, text_in

PACKAGE = Path(__file__).parents[1] / "src" / "plan2rdf"
MINI = Path(__file__).parent / "fixtures" / "mini"
BAD_NUMBER = Path(__file__).parent / "bad-input" / "non-numeric-number" / "plan.txt"
JA_BAD_NUMBER = "plan.txt:14:1: error: 整理番号 '2a' が数字ではありません"
EN_BAD_NUMBER = "plan.txt:14:1: error: 整理番号 '2a' is not a number"


@pytest.mark.parametrize(
    ("environ", "lang"),
    [
        ({}, "en"),
        ({"LANG": "ja_JP.UTF-8"}, "ja"),
        ({"LANG": "ja"}, "ja"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LC_ALL": "C", "LANG": "ja_JP.UTF-8"}, "en"),  # LC_ALL overrides LANG
        ({"LC_ALL": "ja_JP.eucJP", "LANG": "C"}, "ja"),
        ({"LC_MESSAGES": "ja_JP.UTF-8", "LANG": "en_US.UTF-8"}, "ja"),  # LC_MESSAGES before LANG
        ({"LC_ALL": "", "LC_MESSAGES": "", "LANG": "ja_JP.UTF-8"}, "ja"),  # empty is unset (POSIX)
        ({"LANG": "JA_JP.UTF-8"}, "ja"),
        ({"LANG": "jav_ID"}, "ja"),  # the rule is "starts with ja"; Javanese readers are few
    ],
)
def test_default_lang_follows_the_locale(environ: dict, lang: str) -> None:
    assert default_lang(environ) == lang


def test_text_joins_and_maps_each_language() -> None:
    parts = [Text(ja="一", en="one"), "<x>"]
    assert join(parts, "; ", ja_sep="。") == Text(ja="一。<x>", en="one; <x>")
    assert "a: " + Text(ja="い", en="b") == Text(ja="a: い", en="a: b")
    assert Text(ja="い", en="b").map(str.upper) == Text(ja="い", en="B")
    assert text_in(Text(ja="い", en="b"), "ja") == "い" and text_in("plain", "ja") == "plain"
    assert str(Text(ja="い", en="b")) == "b"


def _parse_bad_number(tmp_path: Path, *args: str, env: dict | None = None):
    (tmp_path / "plan.txt").write_bytes(BAD_NUMBER.read_bytes())
    return CliRunner().invoke(main, ["parse", "plan.txt", *args], env=env)


@pytest.mark.parametrize(
    ("env", "args", "expected"),
    [
        ({}, [], EN_BAD_NUMBER),
        ({"LANG": "ja_JP.UTF-8"}, [], JA_BAD_NUMBER),
        ({"LC_ALL": "C", "LANG": "ja_JP.UTF-8"}, [], EN_BAD_NUMBER),
        ({"LC_MESSAGES": "ja_JP.UTF-8"}, [], JA_BAD_NUMBER),
        ({"LANG": "ja_JP.UTF-8"}, ["--lang", "en"], EN_BAD_NUMBER),
        ({"LANG": "en_US.UTF-8"}, ["--lang", "ja"], JA_BAD_NUMBER),
    ],
)
def test_the_locale_sets_the_default_and_lang_overrides_it(tmp_path, monkeypatch, env, args, expected) -> None:
    monkeypatch.chdir(tmp_path)
    result = _parse_bad_number(tmp_path, *args, env=env)
    assert result.exit_code == 2
    assert expected in result.stderr, result.stderr
    summary = "plan2rdf: エラー 1 件。何も書き出していません" if expected == JA_BAD_NUMBER else "plan2rdf: 1 error;"
    assert summary in result.stderr


def test_the_autouse_fixture_removes_the_locale(monkeypatch) -> None:
    assert not any(os.environ.get(name) for name in ("LC_ALL", "LC_MESSAGES", "LANG"))


@pytest.mark.parametrize("command", ORDER)
def test_every_command_offers_lang(command: str) -> None:
    result = CliRunner().invoke(main, [command, "--help"], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "--lang [ja|en]" in result.output
    assert "LC_ALL, LC_MESSAGES or LANG" in result.output


def test_order_names_every_command() -> None:
    assert set(ORDER) == set(main.commands)


def test_a_usage_error_is_in_japanese(tmp_path) -> None:
    (tmp_path / "b.txt").write_bytes((MINI / "plan.txt").read_bytes())
    args = ["build", str(MINI / "plan.txt"), str(tmp_path / "b.txt"), "--meta", str(MINI / "plan.toml")]
    result = CliRunner().invoke(main, [*args, "--lang", "ja", "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "--meta は一つの元データにしか使えません" in result.stderr


def test_build_speaks_japanese(tmp_path) -> None:
    for name in ("plan.txt", "plan.toml", "organizations.csv"):
        shutil.copy(MINI / name, tmp_path / name)
    result = CliRunner().invoke(
        main, ["build", str(tmp_path / "plan.txt"), "--out", str(tmp_path / "out"), "--lang", "ja"]
    )
    assert result.exit_code == 0, result.output
    # the sidecar names no base IRI: the warning of the default base, in Japanese
    assert "warning: IRI が既定のベース https://w3id.org/plan2rdf/id/ の下にあります" in result.stderr
    assert "--base-iri を指定してください" in result.stderr
    # 5 rows in the mini plan (1-1, 1-2, 2-1, 2-2 the repost, 2-3)
    assert f"{tmp_path / 'plan.txt'}: 施策 5 件、トリプル " in result.stdout


def test_build_without_metadata_says_what_to_do_in_japanese(tmp_path) -> None:
    shutil.copy(MINI / "plan.txt", tmp_path / "plan.txt")
    result = CliRunner().invoke(
        main, ["build", str(tmp_path / "plan.txt"), "--out", str(tmp_path / "out"), "--lang", "ja"]
    )
    assert result.exit_code == 2
    assert f"{tmp_path / 'plan.toml'}: error: メタデータのファイルがありません" in result.stderr
    assert f"（`plan2rdf init {tmp_path / 'plan.txt'}` で計画から下書きを作り" in result.stderr
    assert not (tmp_path / "out").exists()


def test_diff_reports_both_editions_problems_in_japanese(tmp_path) -> None:
    shutil.copy(BAD_NUMBER, tmp_path / "new.txt")
    result = CliRunner().invoke(main, ["diff", str(MINI / "plan.txt"), str(tmp_path / "new.txt"), "--lang", "ja"])
    assert result.exit_code == 2
    assert f"{tmp_path / 'new.txt'}:14:1: error: 整理番号 '2a' が数字ではありません" in result.stderr
    assert "plan2rdf: エラー 1 件。何も書き出していません" in result.stderr


def test_site_refuses_a_foreign_directory_in_japanese(tmp_path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    result = CliRunner().invoke(main, ["site", str(MINI / "plan.txt"), "--out", str(out), "--lang", "ja"])
    assert result.exit_code == 2
    assert f"{out}: error: すでにあり、plan2rdf が書いたサイトではありません" in result.stderr
    assert "（新しいか空の --out のフォルダーを選んでください）" in result.stderr
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_site_rejects_a_base_iri_in_japanese(tmp_path) -> None:
    args = ["site", str(MINI / "plan.txt"), "--out", str(tmp_path / "out"), "--base-iri", "https://x.example/a?b"]
    result = CliRunner().invoke(main, [*args, "--lang", "ja"])
    assert result.exit_code == 2
    assert "問い合わせ（'?'、20 文字目）を入れないでください" in result.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_publish_to_a_server_that_is_down_in_japanese() -> None:
    url = f"http://127.0.0.1:{_free_port()}"
    result = CliRunner().invoke(main, ["publish", "--endpoint", url, "--timeout", "2", "--lang", "ja"])
    assert result.exit_code == 2
    assert "plan2rdf: エラー: " in result.stderr
    assert f"127.0.0.1:{url.rsplit(':', 1)[1]} に接続できません（接続を拒否されました）" in result.stderr
    assert "回試してあきらめました" in result.stderr
    assert "（SPARQL サーバーは動いていますか。このアドレスで合っていますか）" in result.stderr
    assert "Traceback" not in result.output


def test_publish_reports_an_unreadable_file_in_japanese(tmp_path) -> None:
    source = tmp_path / "graphs.nq"
    source.write_text('<http://example.org/s> <http://example.org/p> "o" <http://example.org/g> .\n<broken\n')
    url = f"http://127.0.0.1:{_free_port()}"  # nothing listens: reading must fail first
    result = CliRunner().invoke(main, ["publish", str(source), "--endpoint", url, "--lang", "ja"])
    assert result.exit_code == 2
    assert f"{source}: nquads として正しくありません（2 行目" in result.stderr
    assert "（何も送っていません）" in result.stderr


def test_query_names_a_missing_query_in_japanese() -> None:
    result = CliRunner().invoke(main, ["query", "no-such-query", "--lang", "ja"])
    assert result.exit_code == 2
    assert "no-such-query: error: そのクエリーはありません" in result.stderr


def test_library_warnings_carry_both_languages() -> None:
    """A library hands warnings on in both languages; the CLI prints the one asked for."""
    from plan2rdf.problems import Problem, Severity

    warning = Problem("plan.txt", Text(ja="取組概要が空です", en="取組概要 is empty"), line=3, entry="1-2",
                      severity=Severity.WARNING)  # fmt: skip
    assert warning.formatted() == Text(
        ja="plan.txt:3: warning: 施策 1-2: 取組概要が空です", en="plan.txt:3: warning: entry 1-2: 取組概要 is empty"
    )


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
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", tmp_path)
    found = [line.split(": ", 1)[0] for line in english_only_messages()]
    assert found == ["sample.py:10", "sample.py:4", "sample.py:6", "sample.py:7", "sample.py:7", "sample.py:9"]


def test_init_lists_what_is_left_in_japanese(tmp_path) -> None:
    pytest.importorskip("cutlet")
    shutil.copy(MINI / "plan.txt", tmp_path / "plan.txt")
    result = CliRunner().invoke(main, ["init", str(tmp_path / "plan.txt"), "--lang", "ja"])
    assert result.exit_code == 0, result.output
    assert f"{tmp_path / 'plan.toml'} を書きました" in result.stdout
    assert "まだ書き込むもの:" in result.stdout
    assert ": publisher.lg_code: 6 桁の全国地方公共団体コード" in result.stdout
    again = CliRunner().invoke(main, ["init", str(tmp_path / "plan.txt"), "--lang", "ja"])
    assert f"{tmp_path / 'plan.toml'} はそのままです（すでにあるため、何も変えていません）" in again.stdout
