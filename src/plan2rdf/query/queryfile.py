"""A canned query file: its grlc header and its parameters, read into a :class:`CannedQuery`.

The header is grlc's decorator syntax (https://github.com/CLARIAH/grlc#decorator-syntax): lines
starting with ``#+`` that together are YAML. We read a small, strict subset of it, so a file stays
usable by grlc as it is:

    #+ summary: 部局別の施策数 / Measures per department     (Japanese title / English title)
    #+ description: the question the query answers
    #+ tags:
    #+   - organisation
    #+ columns:                                   (every projected variable, in order: its meaning)
    #+   - department: 部局 (its Japanese name)
    #+ parameters:                                (every parameter: its meaning)
    #+   - unit: name of a department or division
    #+ defaults:                                   (grlc: a default value per parameter)
    #+   - unit: デジタル変革課

Parameters follow grlc's variable convention (see :mod:`plan2rdf.query.parameters`) and may only
appear directly in the outermost WHERE group (see :mod:`plan2rdf.query.sparqltext`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from plan2rdf.i18n import Text
from plan2rdf.problems import Collector, InputError, Problem
from plan2rdf.query.parameters import (
    PARAMETER_VARIABLE,
    Parameter,
    ParameterError,
    parameter_from_variable,
    to_term,
)
from plan2rdf.query.sparqltext import misplaced_parameters, parameter_variables

REQUIRED_KEYS = ("summary", "description", "tags", "columns")
LIST_KEYS = ("tags", "columns", "parameters", "defaults")
SCALAR_KEYS = ("summary", "description")
_NUMBERED = re.compile(r"^\d+-")
_YAML_UNSAFE_START = tuple("[]{}&*!|>'\"%@`#,?:-")
OUTSIDE_WHERE_HINT = Text(
    ja="WHERE グループの中に直接書いてください（OPTIONAL、UNION、サブクエリーの中は不可）。"
    "どのエンジンでも同じに束縛されます",
    en="use it directly in the WHERE group (not in OPTIONAL, UNION or a subquery): engines bind it alike",
)


def outside_where(variable: str) -> Text:
    """The message of a parameter used where engines bind it differently."""
    return Text(
        ja=f"パラメーター {variable} が一番外側の WHERE グループの外で使われています",
        en=f"parameter {variable} is used outside the outermost WHERE group",
    )


@dataclass(frozen=True)
class Column:
    name: str
    meaning: str


@dataclass(frozen=True)
class CannedQuery:
    name: str
    path: Path
    text: str
    title_ja: str = ""
    title_en: str = ""
    description: str = ""
    tags: tuple[str, ...] = ()
    columns: tuple[Column, ...] = ()
    parameters: tuple[Parameter, ...] = ()

    @property
    def body(self) -> str:
        """The SPARQL without the ``#+`` header lines."""
        return "\n".join(line for line in self.text.splitlines() if not line.startswith("#+")).strip() + "\n"

    def parameter(self, name: str) -> Parameter | None:
        return next((p for p in self.parameters if p.name == name), None)


# --- the header ----------------------------------------------------------------------------------


def _header(text: str, out: Collector) -> dict[str, object]:
    """The ``#+`` lines as a dict of scalars and lists of strings or one-key pairs."""
    values: dict[str, object] = {}
    current: str | None = None
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.startswith("#+"):
            continue
        content = line[2:]
        if not content.strip():
            continue
        item = re.match(r"^\s+-\s+(.*)$", content)
        if item:
            if current is None or not isinstance(values.get(current), list):
                out.error(
                    Text(
                        ja="リストのデコレーターの外にリストの項目があります", en="a list item outside a list decorator"
                    ),
                    line=lineno,
                    hint=Text(ja="'#+ tags:' などの下に置いてください", en="put it under e.g. '#+ tags:'"),
                )
                continue
            entry = item.group(1).strip()
            if current in ("columns", "parameters", "defaults"):
                key, sep, value = entry.partition(": ")
                if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key):
                    out.error(
                        Text(ja=f"'{entry}' が 'name: value' の形ではありません", en=f"'{entry}' is not 'name: value'"),
                        line=lineno,
                        hint=Text(
                            ja=f"{current} には '#+   - name: value' と書いてください",
                            en=f"write '#+   - name: value' in {current}",
                        ),
                    )
                    continue
                _check_scalar(value, lineno, out)
                values[current].append((key, value.strip()))  # type: ignore[union-attr]
            else:
                _check_scalar(entry, lineno, out)
                values[current].append(entry)  # type: ignore[union-attr]
            continue
        decorator = re.match(r"^ (\w+):(?: (.*))?$", content)
        if not decorator:
            out.error(
                Text(ja=f"デコレーター '{line}' を読めません", en=f"cannot read the decorator '{line}'"),
                line=lineno,
                hint=Text(ja="'#+ key: value' か '#+ key:' と書いてください", en="write '#+ key: value' or '#+ key:'"),
            )
            continue
        key, value = decorator.group(1), (decorator.group(2) or "").strip()
        if key in values:
            out.error(Text(ja=f"'{key}' が 2 回あります", en=f"'{key}' is given twice"), line=lineno)
            continue
        if key in SCALAR_KEYS:
            if not value:
                out.error(Text(ja=f"'{key}' が空です", en=f"'{key}' is empty"), line=lineno)
                continue
            _check_scalar(value, lineno, out)
            values[key] = value
            current = None
        elif key in LIST_KEYS:
            if value:
                out.error(
                    Text(ja=f"'{key}' は続く行にリストで書きます", en=f"'{key}' takes a list on the following lines"),
                    line=lineno,
                    hint=Text(ja=f"'#+ {key}:' の次に '#+   - …'", en=f"'#+ {key}:' then '#+   - …'"),
                )
            values[key] = []
            current = key
        else:
            known = ", ".join(SCALAR_KEYS + LIST_KEYS)
            out.error(
                Text(ja=f"知らないデコレーター '{key}' です", en=f"unknown decorator '{key}'"),
                line=lineno,
                hint=Text(ja=f"{known} のどれかを使ってください", en=f"use one of {known}"),
            )
    return values


def _check_scalar(value: str, lineno: int, out: Collector) -> None:
    """Keep values plain YAML scalars, so grlc reads the header as we do."""
    if value.startswith(_YAML_UNSAFE_START) or ": " in value or " #" in value or value.endswith(":"):
        out.error(
            Text(ja=f"'{value}' は単純な YAML の値ではありません", en=f"'{value}' is not a plain YAML value"),
            line=lineno,
            hint=Text(
                ja="': '、' #'、先頭の記号（- [ { * & ! | > ' \" % @ など）を避けてください",
                en="avoid ': ', ' #' and a leading punctuation mark such as - [ { * & ! | > ' \" % @",
            ),
        )


def parse_query_file(path: Path, text: str | None = None) -> CannedQuery:
    """Read one .rq file and its header. Raises InputError listing every problem of the header.

    The SPARQL itself is checked by :func:`plan2rdf.query.check.check_syntax` (it needs an engine).
    """
    out = Collector(str(path))
    if text is None:
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise InputError(
                [
                    Problem(
                        str(path),
                        Text(ja="クエリーのファイルがありません", en="no such query file"),
                        hint=Text(ja="`plan2rdf queries` を見てください", en="see `plan2rdf queries`"),
                    )
                ]
            ) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(
                [Problem(str(path), Text(ja=f"UTF-8 として読めません: {exc}", en=f"cannot be read as UTF-8: {exc}"))]
            ) from None
    header = _header(text, out)
    name = _NUMBERED.sub("", path.stem)
    for key in REQUIRED_KEYS:
        if not header.get(key):
            out.error(
                Text(ja=f"ヘッダーに '{key}' がありません", en=f"the header has no '{key}'"),
                line=1,
                hint=Text(
                    ja=f"'#+ {key}: …' を加えてください（docs/queries.md 参照）",
                    en=f"add '#+ {key}: …' (see docs/queries.md)",
                ),
            )
    title_ja = title_en = ""
    summary = str(header.get("summary", ""))
    if summary:
        parts = summary.split(" / ")
        if len(parts) != 2 or not all(p.strip() for p in parts):
            out.error(
                Text(
                    ja="summary は '<日本語の題> / <英語の題>' にしてください",
                    en="summary must be '<Japanese title> / <English title>'",
                ),
                line=_line_of(text, "#+ summary:"),
            )
        else:
            title_ja, title_en = (p.strip() for p in parts)
            if title_ja.isascii():
                out.error(
                    Text(
                        ja="summary の最初の題は日本語にしてください", en="the first title of summary must be Japanese"
                    ),
                    line=_line_of(text, "#+ summary:"),
                )
    columns = tuple(Column(k, v) for k, v in header.get("columns", []))  # type: ignore[union-attr]
    meanings = dict(header.get("parameters", []))  # type: ignore[arg-type]
    defaults = dict(header.get("defaults", []))  # type: ignore[arg-type]
    parameters = _declared_parameters(text, meanings, defaults, out)
    out.raise_if_errors()
    return CannedQuery(
        name=name,
        path=path,
        text=text,
        title_ja=title_ja,
        title_en=title_en,
        description=str(header["description"]),
        tags=tuple(header["tags"]),  # type: ignore[arg-type]
        columns=columns,
        parameters=tuple(parameters),
    )


def _declared_parameters(
    text: str, meanings: dict[str, str], defaults: dict[str, str], out: Collector
) -> list[Parameter]:
    """The query's parameter variables with the header's meanings and defaults, each checked."""
    found = parameter_variables(text)
    parameters: list[Parameter] = []
    for variable, line in found.items():
        name = PARAMETER_VARIABLE.match(variable).group("name")  # type: ignore[union-attr]
        p = parameter_from_variable(variable, meanings.get(name, ""), None, out, line)
        p = Parameter(p.name, p.variable, p.kind, p.meaning, p.lang, p.datatype, p.required, defaults.get(p.name))
        if any(q.name == p.name for q in parameters):
            out.error(
                Text(
                    ja=f"?{variable}: パラメーター '{p.name}' が二つの変数で宣言されています",
                    en=f"?{variable}: parameter '{p.name}' is declared by two variables",
                ),
                line=line,
            )
            continue
        if not p.meaning:
            out.error(
                Text(ja=f"パラメーター '{p.name}' に説明がありません", en=f"parameter '{p.name}' has no meaning"),
                line=line,
                hint=Text(
                    ja=f"parameters の下に '#+   - {p.name}: …' を加えてください",
                    en=f"add '#+   - {p.name}: …' under parameters",
                ),
            )
        parameters.append(p)
    for variable, line in misplaced_parameters(text):
        out.error(
            outside_where(variable),
            line=line,
            hint=OUTSIDE_WHERE_HINT,
        )
    names = {p.name for p in parameters}
    for key, given in (("parameters", meanings), ("defaults", defaults)):
        for extra in sorted(set(given) - names):
            out.error(
                Text(
                    ja=f"{key} に挙げた '{extra}' はこのクエリーのパラメーターではありません",
                    en=f"{key} names '{extra}', which is no parameter of the query",
                ),
                line=_line_of(text, f"- {extra}:"),
            )
    for p in parameters:
        if p.default is not None:
            try:
                to_term(p, p.default)
            except ParameterError as exc:
                out.error(
                    Text(ja=f"'{p.name}' の既定値: ", en=f"default of '{p.name}': ") + exc.text,
                    line=_line_of(text, f"- {p.name}:"),
                )
    return parameters


def _line_of(text: str, needle: str) -> int | None:
    for lineno, line in enumerate(text.splitlines(), 1):
        if needle in line:
            return lineno
    return None


def parse_file_leniently(path: Path) -> CannedQuery:
    """A user's .rq file: its header is read when complete, else only its parameters."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(
            [
                Problem(
                    str(path),
                    Text(ja="クエリーのファイルがありません", en="no such query file"),
                    hint=Text(
                        ja="一覧は `plan2rdf queries` で見られます", en="see `plan2rdf queries` for the catalogue"
                    ),
                )
            ]
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(
            [Problem(str(path), Text(ja=f"UTF-8 として読めません: {exc}", en=f"cannot be read as UTF-8: {exc}"))]
        ) from None
    try:
        return parse_query_file(path, text)
    except InputError:
        if any(line.startswith("#+") for line in text.splitlines()):
            raise
    # A file without a header: parameters only.
    out = Collector(str(path))
    params = tuple(parameter_from_variable(v, "", None, out, line) for v, line in parameter_variables(text).items())
    out.raise_if_errors()
    return CannedQuery(name=path.stem, path=path, text=text, parameters=params)
