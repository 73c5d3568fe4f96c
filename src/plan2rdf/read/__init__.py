"""The read stage: a plan source (text export, CSV or XLSX) into typed records (see reader)."""

from plan2rdf.read.reader import (
    COLUMNS,
    DIRECTION_COLUMN,
    FORMATS,
    TABULAR_COLUMNS,
    RawPlan,
    RawRow,
    decode,
    detect_format,
    read_plan,
)

__all__ = [
    "COLUMNS",
    "DIRECTION_COLUMN",
    "FORMATS",
    "TABULAR_COLUMNS",
    "RawPlan",
    "RawRow",
    "decode",
    "detect_format",
    "read_plan",
]
