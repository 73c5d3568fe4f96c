"""Edition metadata: the sidecar TOML file beside a plan source (``plan.txt`` → ``plan.toml``).

The text export carries the title, the introduction and the directions; a spreadsheet carries
only entries. Everything else about an edition (publisher, fiscal year, parent plan, where it is
published, English names) lives in the sidecar, which every format of one edition shares.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from plan2rdf.i18n import Text
from plan2rdf.iri import base_iri_problem, iri_problem
from plan2rdf.model import Publisher
from plan2rdf.problems import Collector, shorten
from plan2rdf.read.raw import COLUMN_KEYS
from plan2rdf.read.suggest import nearest
from plan2rdf.text import name_key, same_name

_SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


# Messages in both languages, named here so that the code reading the input stays short.
LG_CODE_PLACEHOLDER_HINT = Text(
    ja="6 桁の全国地方公共団体コードを入力してください（例: 福島県は 070009）",
    en="give the 6-digit 全国地方公共団体コード, e.g. 070009 for 福島県",
)
AREA_CODE_PLACEHOLDER_HINT = Text(
    ja="5 桁の標準地域コード（lg_code の先頭 5 桁）を入力してください",
    en="give the 5-digit 標準地域コード: the first five digits of lg_code",
)
LG_CODE_HINT = Text(
    ja="検査数字付きの全国地方公共団体コードです（例: 福島県は 070009）",
    en="the 全国地方公共団体コード with its check digit, e.g. 070009 for 福島県",
)
AREA_CODE_HINT = Text(
    ja="標準地域コードは lg_code の先頭 5 桁です", en="the 標準地域コード: the first five digits of lg_code"
)
CHECK_DIGIT_HINT = Text(
    ja="総務省の全国地方公共団体コードの一覧からコードを写してください",
    en="copy the code from the 総務省 list of 全国地方公共団体コード",
)
AREA_AGREES_HINT = Text(
    ja="標準地域コードは全国地方公共団体コードから検査数字を除いたものです",
    en="the 標準地域コード is the 全国地方公共団体コード without its check digit",
)
BASE_IRI_EXAMPLE = Text(
    ja='例: base_iri = "https://data.pref.example.jp/id/"', en='e.g. base_iri = "https://data.pref.example.jp/id/"'
)


NOT_UTF8 = Text(ja="メタデータのファイルが UTF-8 ではありません", en="the metadata file is not UTF-8")
SAVE_AS_UTF8 = Text(ja="UTF-8 で保存し直してください", en="save it as UTF-8")
DIRECTIONS_ARRAY = Text(ja="[[directions]] は表の配列にしてください", en="[[directions]] must be an array of tables")
LANDING_PAGE_HINT = Text(ja="計画を公開しているウェブページです", en="the web page where the plan is published")


@dataclass
class Sidecar:
    path: str | None = None
    plan: dict = field(default_factory=dict)
    publisher: dict = field(default_factory=dict)
    directions: list[dict] = field(default_factory=list)
    # [columns]: field (COLUMN_KEYS) → the sheet's header for it; empty for Fukushima's own headers
    columns: dict[str, str] = field(default_factory=dict)
    columns_invalid: bool = False  # [columns] has an error: the sheet is not read (no cascade)
    # line of each key ("publisher.lg_code", "directions[2].name"), so problems point into the file
    lines: dict[str, int] = field(default_factory=dict)
    # keys given with a value of the wrong type (reported, then left out): not reported again as missing
    ill_typed: set[str] = field(default_factory=set)

    def line_of(self, key: str) -> int | None:
        return self.lines.get(key)

    def direction_map(self) -> dict[int, dict]:
        return {d["number"]: d for d in self.directions if isinstance(d.get("number"), int)}


def sidecar_path(source: Path) -> Path:
    return source.with_suffix(".toml")


_PLAN_KEYS = {
    "title": str, "title_en": str, "description": str, "series": str, "edition": str,
    "fiscal_year": int, "parent_plan": str, "parent_plan_en": str, "landing_page": str,
    "download_url": str, "issued": str,
}  # fmt: skip
_PUBLISHER_KEYS = {"name": str, "name_en": str, "slug": str, "lg_code": str, "area_code": str, "base_iri": str}
SLUG_JA = "ASCII のスラッグ（a-z、0-9、'-'、'_'、'.'）"
_DIRECTION_KEYS = {"number": int, "name": str, "name_en": str, "subtitle": str}
# [columns] (COLUMN_KEYS): without direction, number, title and unit a row is no entry of the
# vocabulary contract (every measure has one direction, an identifier, a title and a unit).
REQUIRED_COLUMN_KEYS = ("direction", "number", "title", "unit")


# TOML's names for the types a value may have, as a publisher writing the file knows them
_TOML_TYPES = {
    bool: ("真偽値（true か false）", "a boolean (true or false)"),
    int: ("整数", "an integer"),
    float: ("小数", "a float"),
    str: ("文字列", "a string"),
    list: ("配列", "an array"),
    dict: ("表", "a table"),
}


def _toml_type(kind: type) -> tuple[str, str]:
    for known, names in _TOML_TYPES.items():
        if issubclass(kind, known):
            return names
    return ("日付・時刻", "a date or time")  # TOML's only other values


def _check_table(table: object, keys: dict, where: str, out: Collector, sidecar: Sidecar) -> dict:
    lines = sidecar.lines
    if not isinstance(table, dict):
        out.error(
            Text(ja=f"[{where}] は表（テーブル）にしてください", en=f"[{where}] must be a table"), line=lines.get(where)
        )
        return {}
    result = {}
    for key, value in table.items():
        line = lines.get(f"{where}.{key}")
        if key not in keys:
            out.warn(
                Text(ja=f"知らないキー {where}.{key} は無視します", en=f"unknown key {where}.{key} is ignored"),
                line=line,
                hint=Text(ja=f"使えるキー: {', '.join(sorted(keys))}", en=f"known keys: {', '.join(sorted(keys))}"),
            )
            continue
        if not isinstance(value, keys[key]) or isinstance(value, bool):
            (want_ja, want_en), (got_ja, got_en) = _toml_type(keys[key]), _toml_type(type(value))
            quoted = keys[key] is int and isinstance(value, str) and value.strip().isdigit()
            sidecar.ill_typed.add(f"{where}.{key}")
            out.error(
                Text(
                    ja=f"{where}.{key} は{want_ja}にしてください（{got_ja}になっています）",
                    en=f"{where}.{key} must be {want_en}, not {got_en}",
                ),
                line=line,
                hint=Text(ja="数は引用符なしで書きます", en="write the number without quotes") if quoted else None,
            )
            continue
        result[key] = value
    return result


_HEADER_RE = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.-]+)\s*\]")
_KEY_RE = re.compile(r"^\s*([A-Za-z0-9_-]+|\"[^\"]*\")\s*=")


def key_lines(text: str) -> dict[str, int]:
    """The line of each table and key of a sidecar: ``plan.title``, ``directions[2].name``.

    tomllib gives values without positions; sidecars are flat tables of plain keys, so a line scan
    finds them (keys inside multi-line strings are skipped)."""
    lines: dict[str, int] = {}
    table, counts, open_quote = "", {}, None
    for number, line in enumerate(text.splitlines(), 1):
        if open_quote:
            open_quote = None if open_quote in line else open_quote
            continue
        header = _HEADER_RE.match(line)
        if header:
            name = header.group(2)
            if header.group(1) == "[[":
                counts[name] = counts.get(name, 0) + 1
                name = f"{name}[{counts[name]}]"
            table = name
            lines.setdefault(table, number)
            continue
        key = _KEY_RE.match(line)
        if key:
            lines.setdefault(f"{table}.{key.group(1).strip(chr(34))}" if table else key.group(1), number)
            rest = line[key.end() :]
            open_quote = next((q for q in ('"""', "'''") if rest.count(q) == 1), None)
    return lines


# What the template (data/template.toml) and `plan2rdf init` leave to fill in.
_PLACEHOLDER_RE = re.compile(r"〇〇|○○|◯◯|\bexample\b", re.IGNORECASE)
_CODE_PLACEHOLDER_RE = re.compile(r"^9+$")


def lg_code_check_digit(first_five: str) -> int:
    """The check digit (検査数字) of a 全国地方公共団体コード: the first five digits weighted 6, 5, 4,
    3, 2, the sum's remainder modulo 11 subtracted from 11, and the last digit of that kept."""
    total = sum(int(d) * w for d, w in zip(first_five, (6, 5, 4, 3, 2), strict=True))
    return (11 - total % 11) % 10


def _check_placeholders(sidecar: Sidecar, out: Collector) -> None:
    tables = [("plan", sidecar.plan), ("publisher", sidecar.publisher)]
    tables += [(f"directions[{i}]", d) for i, d in enumerate(sidecar.directions, 1)]
    for where, table in tables:
        for key, value in table.items():
            if isinstance(value, str) and _PLACEHOLDER_RE.search(value):
                out.error(
                    Text(
                        ja=f"{where}.{key} がひな形の仮の値のままです: {value!r}",
                        en=f"{where}.{key} still holds the template's placeholder: {value!r}",
                    ),
                    line=sidecar.line_of(f"{where}.{key}"),
                    hint=Text(ja="計画の実際の値に書き換えてください", en="replace it with your plan's own value"),
                )


def _code_well_formed(key: str, value: str, digits: int, hints: tuple[Text, Text], line, out: Collector) -> bool:
    """A code is neither the template's placeholder nor other than ``digits`` ASCII digits."""
    placeholder_hint, digits_hint = hints
    if _CODE_PLACEHOLDER_RE.match(value):
        out.error(
            Text(
                ja=f"publisher.{key} {value!r} はひな形の仮の値です",
                en=f"publisher.{key} {value!r} is the template's placeholder",
            ),
            line=line,
            hint=placeholder_hint,
        )
        return False
    if not re.fullmatch(f"[0-9]{{{digits}}}", value):
        out.error(
            Text(
                ja=f"publisher.{key} {value!r} は半角数字 {digits} 桁にしてください",
                en=f"publisher.{key} {value!r} must be {digits} ASCII digits",
            ),
            line=line,
            hint=digits_hint,
        )
        return False
    return True


def _check_codes(sidecar: Sidecar, out: Collector) -> None:
    """全国地方公共団体コード (6 digits, the last a check digit) and 標準地域コード (its first 5)."""
    lg_code, area_code = sidecar.publisher.get("lg_code"), sidecar.publisher.get("area_code")
    lg_ok = False
    if lg_code is not None:
        line = sidecar.line_of("publisher.lg_code")
        hints = (LG_CODE_PLACEHOLDER_HINT, LG_CODE_HINT)
        well_formed = _code_well_formed("lg_code", lg_code, 6, hints, line, out)
        if well_formed and int(lg_code[5]) != lg_code_check_digit(lg_code[:5]):
            out.error(
                Text(
                    ja=f"publisher.lg_code {lg_code!r} の検査数字が違います: {lg_code[:5]} の検査数字は "
                    f"{lg_code[5]} ではなく {lg_code_check_digit(lg_code[:5])} です",
                    en=f"publisher.lg_code {lg_code!r} has a wrong check digit: {lg_code[:5]} ends in "
                    f"{lg_code_check_digit(lg_code[:5])}, not {lg_code[5]}",
                ),
                line=line,
                hint=CHECK_DIGIT_HINT,
            )
        else:
            lg_ok = well_formed
    if area_code is not None:
        line = sidecar.line_of("publisher.area_code")
        hints = (AREA_CODE_PLACEHOLDER_HINT, AREA_CODE_HINT)
        if _code_well_formed("area_code", area_code, 5, hints, line, out) and lg_ok and area_code != lg_code[:5]:
            out.error(
                Text(
                    ja=f"publisher.area_code {area_code} が publisher.lg_code {lg_code}"
                    f"（{sidecar.line_of('publisher.lg_code')} 行目）と合いません。地域は {lg_code[:5]} のはずです",
                    en=f"publisher.area_code {area_code} does not agree with publisher.lg_code {lg_code} "
                    f"(line {sidecar.line_of('publisher.lg_code')}), whose area is {lg_code[:5]}",
                ),
                line=line,
                hint=AREA_AGREES_HINT,
            )


def direction_name_problem(sidecar: Sidecar, number: int, name: str, where: Text) -> Text | None:
    """The message when a sheet names direction ``number`` unlike the sidecar, naming both."""
    side = sidecar.direction_map().get(number)
    if not side or "name" not in side or same_name(side["name"], name):
        return None
    index = next(i for i, d in enumerate(sidecar.directions, 1) if d is side)
    line = sidecar.line_of(f"directions[{index}].name")
    at = f"{sidecar.path}{f':{line}' if line else ''}"
    return Text(
        ja=f"展開方向 {number} は{where.ja}では 「{name}」 ですが、{at} では 「{side['name']}」 です。"
        "このままでは英語名と副題が別の展開方向のものになります",
        en=f"direction {number} is 「{name}」 in {where.en} but 「{side['name']}」 in "
        f"{at}; its English name and subtitle would be the other's",
    )


def load_sidecar(path: Path, out: Collector) -> Sidecar:
    """Read and check a sidecar; problems go to ``out`` (a collector for the sidecar's path)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
        data = tomllib.loads(text)
    except UnicodeDecodeError:
        out.error(NOT_UTF8, hint=SAVE_AS_UTF8)
        return Sidecar(str(path))
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line, column = (int(match.group(1)), int(match.group(2))) if match else (None, None)
        reason = str(exc).split(" (at line")[0]  # the parser's own words
        out.error(
            Text(ja=f"TOML として正しくありません: {reason}", en=f"not valid TOML: {reason}"), line=line, column=column
        )
        return Sidecar(str(path))
    lines = key_lines(text)
    sidecar = Sidecar(str(path), lines=lines)
    sidecar.plan = _check_table(data.get("plan", {}), _PLAN_KEYS, "plan", out, sidecar)
    sidecar.publisher = _check_table(data.get("publisher", {}), _PUBLISHER_KEYS, "publisher", out, sidecar)
    directions = data.get("directions", [])
    if not isinstance(directions, list):
        out.error(DIRECTIONS_ARRAY, line=lines.get("directions"))
        directions = []
    for i, entry in enumerate(directions, 1):
        checked = _check_table(entry, _DIRECTION_KEYS, f"directions[{i}]", out, sidecar)
        if "number" not in checked and f"directions[{i}].number" not in sidecar.ill_typed:
            out.error(
                Text(ja=f"directions[{i}] に number がありません", en=f"directions[{i}] needs a number"),
                line=lines.get(f"directions[{i}]"),
            )
            continue
        sidecar.directions.append(checked)
    if "columns" in data:
        errors = len(out.errors)
        sidecar.columns = _check_columns(data["columns"], out, lines)
        sidecar.columns_invalid = len(out.errors) > errors
    _check_values(sidecar, out, lines)
    _check_placeholders(sidecar, out)
    _check_codes(sidecar, out)
    return sidecar


def _check_values(sidecar: Sidecar, out: Collector, lines: dict[str, int]) -> None:
    """Slugs, the base IRI and the landing page: values that become IRIs or links."""
    for key in ("series", "edition"):
        value = sidecar.plan.get(key)
        if value is not None and not _SLUG_RE.match(value):
            out.error(
                Text(
                    ja=f"plan.{key} は {SLUG_JA}にしてください（{value!r} になっています）",
                    en=f"plan.{key} must be an ASCII slug (a-z, 0-9, '-', '_', '.'), got {value!r}",
                ),
                line=lines.get(f"plan.{key}"),
            )
    slug = sidecar.publisher.get("slug")
    if slug is not None and not _SLUG_RE.match(slug):
        out.error(
            Text(
                ja=f"publisher.slug は {SLUG_JA}にしてください（{slug!r} になっています）",
                en=f"publisher.slug must be an ASCII slug (a-z, 0-9, '-', '_', '.'), got {slug!r}",
            ),
            line=lines.get("publisher.slug"),
        )
    base = sidecar.publisher.get("base_iri")
    if base is not None and (problem := base_iri_problem(base)):
        out.error(
            Text(
                ja=f"publisher.base_iri {problem.ja}（{base!r} になっています）",
                en=f"publisher.base_iri {problem.en}, got {base!r}",
            ),
            line=lines.get("publisher.base_iri"),
            hint=BASE_IRI_EXAMPLE,
        )
        del sidecar.publisher["base_iri"]
    page = sidecar.plan.get("landing_page")
    if page and (problem := iri_problem(page, web=True)):
        out.error(
            Text(
                ja=f"plan.landing_page {problem.ja}（{shorten(page)!r} になっています）",
                en=f"plan.landing_page {problem.en}, got {shorten(page)!r}",
            ),
            line=lines.get("plan.landing_page"),
            hint=LANDING_PAGE_HINT,
        )
        del sidecar.plan["landing_page"]
    for key in ("title_en",):
        if key in sidecar.plan and not sidecar.plan[key].strip():
            out.error(Text(ja=f"plan.{key} が空です", en=f"plan.{key} is empty"), line=lines.get(f"plan.{key}"))


def _check_columns(table: object, out: Collector, lines: dict[str, int]) -> dict[str, str]:
    """[columns]: known keys only, each a header named once; the required keys present."""
    if not isinstance(table, dict):
        out.error(Text(ja="[columns] は表（テーブル）にしてください", en="[columns] must be a table"),
                  line=lines.get("columns"))  # fmt: skip
        return {}
    columns: dict[str, str] = {}
    first: dict[str, str] = {}  # a header's name key → the key that named it first
    suggested: set[str] = set()  # keys a misspelling was taken for: not reported missing as well
    for key, value in table.items():
        line = lines.get(f"columns.{key}")
        if key not in COLUMN_KEYS:
            near = nearest(key, ((k, k) for k in COLUMN_KEYS if k not in table), cutoff=0.6)
            suggested.update([near[0]] if near else [])
            mean = Text(ja=f"。{near[0]} のことですか？", en=f"; did you mean {near[0]}?") if near else Text("", "")
            out.error(
                Text(ja=f"[columns] のキー {key} は使えません", en=f"unknown key {key} in [columns]") + mean,
                line=line,
                hint=Text(ja=f"使えるキー：{', '.join(COLUMN_KEYS)}", en=f"the keys are {', '.join(COLUMN_KEYS)}"),
            )
            continue
        if not isinstance(value, str) or not value.strip():
            out.error(
                Text(ja=f"columns.{key} には表の見出しの文字列を書いてください",
                     en=f"columns.{key} must be the header's text, as the sheet spells it"),
                line=line,
            )  # fmt: skip
            continue
        if name_key(value) in first:
            other = first[name_key(value)]
            at = lines.get(f"columns.{other}")
            out.error(
                Text(
                    ja=f"columns.{key} と columns.{other}（{at} 行）が同じ列「{shorten(value)}」を指しています",
                    en=f"columns.{key} and columns.{other} (line {at}) name the same column 「{shorten(value)}」",
                ),
                line=line,
                hint=Text(ja="一つの列は一つのキーにだけ対応させてください", en="map each column to one key only"),
            )
            continue
        first[name_key(value)] = key
        columns[key] = value
    missing = [k for k in REQUIRED_COLUMN_KEYS if k not in table and k not in suggested]
    if missing:
        out.error(
            Text(ja=f"[columns] に {', '.join(missing)} がありません", en=f"[columns] lacks {', '.join(missing)}"),
            line=lines.get("columns"),
            hint=Text(
                ja=f"{', '.join(REQUIRED_COLUMN_KEYS)} はどの施策にも必要です：それぞれに表の見出しを書いてください",
                en=f"every entry needs {', '.join(REQUIRED_COLUMN_KEYS)}: name the sheet's header for each",
            ),
        )
    return columns


def publisher_from(sidecar: Sidecar) -> Publisher | None:
    p = sidecar.publisher
    if "name" not in p:
        return None
    return Publisher(
        name=p["name"],
        name_en=p.get("name_en"),
        slug=p.get("slug"),
        lg_code=p.get("lg_code"),
        area_code=p.get("area_code"),
        base_iri=p.get("base_iri"),
    )


_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
# A year a title names: 2021, 2021年度, 令和3年度 (元 = 1), 平成31年度. Full-width digits are made ASCII
# first (the same length, so positions hold).
_TITLE_YEAR_RE = re.compile(r"(?<![0-9])(20[0-9]{2})(?![0-9])(年度)?|(令和|平成)([0-9]+|元)年度")
# What joins the two ends of a period (2021～2025, 2021-25, 令和3年度から令和7年度): neither end is the
# edition's year.
_PERIOD_JOIN = r"\s*(?:[～〜~\-－–—]|から)\s*"
_PERIOD_JOIN_RE = re.compile(_PERIOD_JOIN)
_SHORT_END_RE = re.compile(_PERIOD_JOIN + r"[0-9]{2}(?![0-9])")  # 2021-25
_ERA_START = {"令和": 2018, "平成": 1988}  # 令和1年度 is 2019, 平成1年度 1989


def fiscal_year_from_title(title: str) -> int | None:
    """The edition's year as its title states it: 「…アクションプラン2021」, 「2021年度…」 or 「令和3年度…」.

    The years of a period (「2021～2025」) are not the edition's; when the title names two
    different years otherwise (「アクションプラン2021（令和4年度改訂）」) it does not say which, and
    this is None: the metadata file's plan.fiscal_year must then say it.
    """
    text = title.translate(_FULL_WIDTH_DIGITS)
    mentions = list(_TITLE_YEAR_RE.finditer(text))
    in_period: set[int] = set()
    for k, mention in enumerate(mentions):
        if _SHORT_END_RE.match(text, mention.end()):
            in_period.add(k)
        if k + 1 < len(mentions) and _PERIOD_JOIN_RE.fullmatch(text, mention.end(), mentions[k + 1].start()):
            in_period.update((k, k + 1))
    years = {_year_of(m) for k, m in enumerate(mentions) if k not in in_period}
    return years.pop() if len(years) == 1 else None


def _year_of(mention: re.Match[str]) -> int:
    if mention.group(1):
        return int(mention.group(1))
    era, number = mention.group(3), mention.group(4)
    return _ERA_START[era] + (1 if number == "元" else int(number))
