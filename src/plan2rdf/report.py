"""Validation reports for people and machines: one formatter per output format."""

from __future__ import annotations

from .validate import Report, Result


def _where(r: Result) -> str:
    if r.source_file and r.source_line:
        return f"{r.source_file}:{r.source_line}: "
    return ""


def _subject(r: Result) -> str:
    if r.entry:
        return f"entry {r.entry} 「{r.title}」" if r.title else f"entry {r.entry}"
    return f"<{r.focus}>"


def format_text(report: Report, *, lang: str = "en", limit: int | None = None) -> str:
    """One line per result: where, severity, which entry, the property and value, the message."""
    lines = []
    for r in report.results[:limit]:
        line = f"{_where(r)}{r.severity}: {_subject(r)}"
        if r.path:
            line += f" {r.path}"
        if r.value is not None:
            line += f" = {r.value!r}"
        line += f": {r.message(lang)}"
        lines.append(line)
    if limit is not None and len(report.results) > limit:
        lines.append(f"… and {len(report.results) - limit} more")
    counts = ", ".join(
        f"{report.count(s)} {s}{'s' if report.count(s) != 1 else ''}" for s in ("violation", "warning", "info")
    )
    lines.append(("conforms" if report.conforms_at("violation") else "does not conform") + f" ({counts})")
    return "\n".join(lines) + "\n"
