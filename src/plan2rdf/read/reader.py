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
from plan2rdf.problems import Collector, InputError, Problem
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


def detect_format(path: Path) -> str | None:
    return _EXTENSIONS.get(path.suffix.lower())


def decode(data: bytes, path: str, encoding: str | None = None) -> tuple[str, str]:
    """Bytes to text: UTF-8 (with or without BOM), UTF-16 with BOM, or CP932/Shift_JIS."""
    if not data.strip():
        raise InputError([Problem(path, "the file is empty", hint="give a plan export with entries")])
    if encoding:
        try:
            codec = codecs.lookup(encoding).name
            # Japanese "Shift_JIS" files come from Windows and are really CP932: strict shift_jis
            # rejects its extensions (①, Ⅰ…) and maps ～ to a different character (U+301C).
            codec = "cp932" if codec == "shift_jis" else codec
        except LookupError:
            raise InputError(
                [Problem(path, f"unknown encoding {encoding!r}", hint="use e.g. utf-8, cp932 or shift_jis")]
            ) from None
        try:
            return data.decode("utf-8-sig" if codec == "utf-8" else codec), codec
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise InputError(
                [
                    Problem(
                        path,
                        f"cannot be decoded as {encoding}: {exc.reason}",
                        line=line,
                        hint="check --encoding or leave it out to detect the encoding",
                    )
                ]
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
                message = f"starts with a {name} byte-order mark but is not valid {name}"
                hint = "save the file again as UTF-8 (Excel: CSV UTF-8)"
                raise InputError([Problem(path, f"{message}: {exc.reason}", line=line, hint=hint)]) from None
    if b"\x00" in data[:8192]:
        raise InputError(
            [
                Problem(
                    path,
                    "this is a binary file, not a plan export",
                    hint="give the text export (UTF-8 or CP932), a CSV or an XLSX file",
                )
            ]
        )
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    try:
        return data.decode("cp932"), "cp932"
    except UnicodeDecodeError:
        line = data[: utf8_error.start].count(b"\n") + 1
        raise InputError(
            [
                Problem(
                    path,
                    "cannot be decoded as UTF-8 or CP932 (Shift_JIS)",
                    line=line,
                    hint="name the encoding with --encoding, or save the file as UTF-8",
                )
            ]
        ) from None


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
            raise InputError([Problem(name, "the file is empty", hint="give a plan sheet with entries")])
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
        raise InputError(
            [
                Problem(
                    name,
                    f"cannot tell the format from the extension {path.suffix!r}",
                    hint="use .txt (text export), .csv or .xlsx, or give --input-format",
                )
            ]
        )
    if fmt not in FORMATS:
        raise InputError([Problem(name, f"unknown format {fmt!r}", hint=f"use one of {', '.join(FORMATS)}")])
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError([Problem(name, "no such file", hint="check the path")]) from None
    except IsADirectoryError:
        raise InputError([Problem(name, "is a directory, not a plan file", hint="name a file")]) from None
    except OSError as exc:
        raise InputError([Problem(name, f"cannot be read: {exc.strerror}")]) from None

    out = Collector(name)
    side_problems = Collector(str(metadata_path) if metadata_path else str(metadata.sidecar_path(path)))
    sidecar = metadata.Sidecar()
    side_file = Path(metadata_path) if metadata_path else metadata.sidecar_path(path)
    if side_file.is_file():
        sidecar = metadata.load_sidecar(side_file, side_problems)
    elif metadata_path:
        side_problems.error("no such metadata file", hint="check the --meta path")

    if sidecar.columns_invalid:  # the sheet's columns are unknown: reading it would only cascade
        raise InputError(out.problems + side_problems.problems)
    raw, used_encoding = _raw_plan(path, fmt, data, encoding, out, _layout(sidecar, fmt, side_problems))
    if not raw.rows and not out.errors and not side_problems.errors:
        out.error("no entries found", hint="the file must contain entry rows under the column headers")
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
        layout=plan.layout,
    )
