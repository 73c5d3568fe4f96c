"""The read stage: a plan source (text export, CSV or XLSX) into typed records.

Every format is first turned into raw rows (cells as strings, with their location); one
assembly step then checks numbering, parses cells and resolves reposts, so all formats give
the same records and the same messages. The readers live in text_export (the PDF's text
export) and tabular (CSV, XLSX); assemble makes the records.
"""

from __future__ import annotations

import codecs
import contextlib
import hashlib
from pathlib import Path

import plan2rdf.read.sidecar as metadata
from plan2rdf.i18n import Text
from plan2rdf.model import Plan, Source
from plan2rdf.problems import Collector, InputError, Problem, input_error
from plan2rdf.read.assemble import assemble
from plan2rdf.read.raw import COLUMNS, DIRECTION_COLUMN, TABULAR_COLUMNS, RawPlan, RawRow
from plan2rdf.read.sheet import read_xlsx
from plan2rdf.read.tabular import Layout, read_csv
from plan2rdf.read.text_export import read_text_export

__all__ = [
    "COLUMNS", "DIRECTION_COLUMN", "FORMATS", "TABULAR_COLUMNS", "RawPlan", "RawRow", "assemble", "decode",
    "detect_format", "read_csv", "read_plan", "read_text_export", "read_xlsx",
]  # fmt: skip

FORMATS = ("text", "csv", "xlsx")
_EXTENSIONS = {".txt": "text", ".text": "text", ".tsv": "text", ".csv": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx"}


# Messages in both languages, named here so that the code reading the input stays short.
BINARY = Text(ja="バイナリファイルです。計画の書き出しではありません", en="this is a binary file, not a plan export")
BINARY_HINT = Text(
    ja="テキスト書き出し（UTF-8 か CP932）、CSV または XLSX のファイルを指定してください",
    en="give the text export (UTF-8 or CP932), a CSV or an XLSX file",
)
UNDECODABLE = Text(
    ja="UTF-8 としても CP932（Shift_JIS）としても読めません", en="cannot be decoded as UTF-8 or CP932 (Shift_JIS)"
)
UNDECODABLE_HINT = Text(
    ja="--encoding で文字コードを指定するか、ファイルを UTF-8 で保存し直してください",
    en="name the encoding with --encoding, or save the file as UTF-8",
)
SAVE_AS_UTF8 = Text(
    ja="ファイルを UTF-8 で保存し直してください（Excel では「CSV UTF-8」）",
    en="save the file again as UTF-8 (Excel: CSV UTF-8)",
)
CHECK_ENCODING = Text(
    ja="--encoding を確かめるか、指定せずに文字コードを自動判定させてください",
    en="check --encoding or leave it out to detect the encoding",
)
NAME_THE_FORMAT = Text(
    ja="拡張子を .txt（テキスト書き出し）、.csv、.xlsx のどれかにするか、--input-format を指定してください",
    en="use .txt (text export), .csv or .xlsx, or give --input-format",
)
ENTRIES_WANTED = Text(
    ja="列見出しの下に施策の行を入れてください", en="the file must contain entry rows under the column headers"
)


NO_FILE = Text(ja="ファイルがありません", en="no such file")
CHECK_PATH = Text(ja="パスを確かめてください", en="check the path")
A_DIRECTORY = Text(ja="フォルダです。計画のファイルではありません", en="is a directory, not a plan file")
NAME_A_FILE = Text(ja="ファイルを指定してください", en="name a file")
NO_METADATA = Text(ja="メタデータのファイルがありません", en="no such metadata file")
CHECK_META = Text(ja="--meta のパスを確かめてください", en="check the --meta path")
SHEET_WANTED = Text(ja="施策の入った計画の表を指定してください", en="give a plan sheet with entries")
NO_ENTRIES = Text(ja="施策の行がありません", en="no entries found")


def detect_format(path: Path) -> str | None:
    return _EXTENSIONS.get(path.suffix.lower())


def decode(data: bytes, path: str, encoding: str | None = None) -> tuple[str, str]:
    """Bytes to text: UTF-8 (with or without BOM), UTF-16 with BOM, or CP932/Shift_JIS."""
    if not data.strip():
        raise input_error(
            path,
            Text(ja="ファイルが空です", en="the file is empty"),
            hint=Text(ja="施策の入った計画の書き出しを指定してください", en="give a plan export with entries"),
        )
    if encoding:
        try:
            codec = codecs.lookup(encoding).name
            # Japanese "Shift_JIS" files come from Windows and are really CP932: strict shift_jis
            # rejects its extensions (①, Ⅰ…) and maps ～ to a different character (U+301C).
            codec = "cp932" if codec == "shift_jis" else codec
        except LookupError:
            raise input_error(
                path,
                Text(ja=f"文字コード {encoding!r} は分かりません", en=f"unknown encoding {encoding!r}"),
                hint=Text(ja="utf-8、cp932、shift_jis などを指定してください", en="use e.g. utf-8, cp932 or shift_jis"),
            ) from None
        try:
            return data.decode("utf-8-sig" if codec == "utf-8" else codec), codec
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise input_error(
                path,
                Text(
                    ja=f"{encoding} として読めません: {exc.reason}", en=f"cannot be decoded as {encoding}: {exc.reason}"
                ),
                line=line,
                hint=CHECK_ENCODING,
            ) from None
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError as exc:  # a byte-order mark, then bytes of another encoding
                # utf-8-sig counts from after the mark; utf-16 from the start
                start = exc.start + (len(bom) if codec == "utf-8-sig" else 0)
                line = data[:start].count(b"\n" if codec == "utf-8-sig" else b"\n\x00") + 1
                name = "UTF-8" if codec == "utf-8-sig" else "UTF-16"
                message = Text(
                    ja=f"{name} の BOM で始まっていますが、{name} として正しくありません: {exc.reason}",
                    en=f"starts with a {name} byte-order mark but is not valid {name}: {exc.reason}",
                )
                hint = SAVE_AS_UTF8
                raise InputError([Problem(path, message, line=line, hint=hint)]) from None
    if b"\x00" in data[:8192]:
        raise input_error(path, BINARY, hint=BINARY_HINT)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    try:
        return data.decode("cp932"), "cp932"
    except UnicodeDecodeError:
        line = data[: utf8_error.start].count(b"\n") + 1
        raise input_error(path, UNDECODABLE, line=line, hint=UNDECODABLE_HINT) from None


# ---------------------------------------------------------------------------------------------


def _layout(sidecar: metadata.Sidecar, fmt: str, side_problems: Collector) -> Layout | None:
    """The sidecar's [columns] for a sheet; the text export has Fukushima's columns only."""
    if not sidecar.columns:
        return None
    if fmt == "text":
        side_problems.warn(
            Text(ja="[columns] は CSV と XLSX の表にだけ使われ、テキスト書き出しでは無視されます",
                 en="[columns] applies to CSV and XLSX sheets; the text export ignores it"),
            line=sidecar.line_of("columns"),
        )  # fmt: skip
        return None
    return Layout(sidecar.columns, sidecar.lines, side_problems)


def _raw_plan(
    path: Path, fmt: str, data: bytes, encoding: str | None, out: Collector, layout: Layout | None
) -> tuple[RawPlan, str | None]:
    """The source's raw rows, and the encoding its text was decoded with."""
    name = out.path
    if fmt == "xlsx":
        if not data:
            raise input_error(name, Text(ja="ファイルが空です", en="the file is empty"), hint=SHEET_WANTED)
        return read_xlsx(path, out, layout), None
    text, used_encoding = decode(data, name, encoding)
    return (read_text_export(text, out) if fmt == "text" else read_csv(text, out, layout)), used_encoding


def read_plan(
    source: str | Path,
    *,
    format: str | None = None,
    encoding: str | None = None,
    metadata_path: str | Path | None = None,
) -> Plan:
    """Read a plan from a text export, CSV or XLSX file. Raises InputError with every problem found."""
    path = Path(source)
    name = str(source)
    fmt = format or detect_format(path)
    if fmt is None:
        raise input_error(
            name,
            Text(
                ja=f"拡張子 {path.suffix!r} からは形式が分かりません",
                en=f"cannot tell the format from the extension {path.suffix!r}",
            ),
            hint=NAME_THE_FORMAT,
        )
    if fmt not in FORMATS:
        raise input_error(
            name,
            Text(ja=f"形式 {fmt!r} は扱えません", en=f"unknown format {fmt!r}"),
            hint=Text(ja=f"{', '.join(FORMATS)} のどれかを指定してください", en=f"use one of {', '.join(FORMATS)}"),
        )
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise input_error(name, NO_FILE, hint=CHECK_PATH) from None
    except IsADirectoryError:
        raise input_error(name, A_DIRECTORY, hint=NAME_A_FILE) from None
    except OSError as exc:
        raise input_error(
            name, Text(ja=f"読み込めません: {exc.strerror}", en=f"cannot be read: {exc.strerror}")
        ) from None

    out = Collector(name)
    side_problems = Collector(str(metadata_path) if metadata_path else str(metadata.sidecar_path(path)))
    sidecar = metadata.Sidecar()
    side_file = Path(metadata_path) if metadata_path else metadata.sidecar_path(path)
    if side_file.is_file():
        sidecar = metadata.load_sidecar(side_file, side_problems)
    elif metadata_path:
        side_problems.error(NO_METADATA, hint=CHECK_META)

    if sidecar.columns_invalid:  # the sheet's columns are unknown: reading it would only cascade
        raise InputError(out.problems + side_problems.problems)
    raw, used_encoding = _raw_plan(path, fmt, data, encoding, out, _layout(sidecar, fmt, side_problems))
    if not raw.rows and not out.errors and not side_problems.errors:
        out.error(NO_ENTRIES, hint=ENTRIES_WANTED)
    plan = None
    with contextlib.suppress(InputError):  # the problems are in the collectors
        plan = assemble(raw, out, sidecar)
    if plan is None or out.errors or side_problems.errors:
        raise InputError(out.problems + side_problems.problems)
    source_info = Source(
        path=name,
        format=fmt,
        encoding=used_encoding,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        sheet=raw.sheet,
    )
    return Plan(
        info=plan.info,
        directions=plan.directions,
        measures=plan.measures,
        source=source_info,
        warnings=tuple(sorted(out.warnings + side_problems.warnings, key=Problem.sort_key)),
    )
