"""The corpus summary as files a researcher takes elsewhere: CSV, JSON, Excel.

:func:`summary_tables` flattens :func:`~textmine.corpus.summary.summary_data`
into named tables, the first (``about``) saying what the figures are of: the
database, the filter, the corrections applied, the denominator and the
years left without a column for having few reports.  :func:`write_summary`
writes them as one CSV per table (a folder), one JSON object, or one Excel
workbook (one sheet per table, headers in the chosen language).  Table and
column names in each language are data (``textmine/data/summary.toml``).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import TextmineError
from ..messages import in_language
from .frames import is_missing, json_value
from .labels import column_names, table_name

if TYPE_CHECKING:
    import pandas as pd

FORMATS = ("csv", "json", "xlsx")


class ExportError(TextmineError):
    """An export that cannot be written: the message names the path."""

    stage = "summary"


def _about(data: dict[str, Any]) -> pd.DataFrame:
    import pandas as pd

    about = dict(data["about"])
    hidden = data["years"][~data["years"]["shown"]]
    about["years_without_column"] = (
        ", ".join(f"{_year(y)} ({n} reports)" for y, n in zip(hidden["year"], hidden["reports"])) or "none"
    )
    about.update({f"overview.{k}": v for k, v in data["overview"].items()})
    return pd.DataFrame({"item": list(about), "value": [_cell(v) for v in about.values()]})


def _year(value: Any) -> str:
    return "no year" if value is None or is_missing(value) else str(int(value))


def summary_tables(data: dict[str, Any]) -> dict[str, pd.DataFrame]:
    """Every table of a summary, ``about`` first, by name (see ``summary.toml``)."""
    tables = {"about": _about(data), "trend": data["trend"], "years": data["years"]}
    if data["by"] is not None:
        tables["by"] = data["by"]
    tables["repeat_offenders"] = data["repeat_offenders"]
    tables["failing_rules"] = data["failing_rules"]
    tables["failing_rules_by"] = data["failing_rules_by"]
    if data.get("reading") is not None:
        for by, df in data["reading"]["by"].items():
            tables[f"reading_{by}"] = df
        tables["reading_to_check"] = data["reading"]["to_check"]
    part = data.get("category")
    if part is not None:
        for key in ("overall", "by_year", "by", "examples", "repeat_offenders"):
            if part[key] is not None:
                tables[f"category_{key}"] = part[key]
    return tables


def _said(value: Any, lang: str) -> Any:
    """A message (or a list of them) in ``lang``."""
    if isinstance(value, str):
        return in_language(value, lang)
    if isinstance(value, (list, tuple)) or getattr(value, "ndim", 0) > 0:
        return [in_language(str(v), lang) for v in value]
    return value


def _cell(value: Any) -> Any:
    """A value a CSV cell or a worksheet holds: lists and dicts joined."""
    value = json_value(value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return value


# Columns of textmine's own messages: in the export's language.
_MESSAGES = ("reasons", "example_message")


def _flat(df: pd.DataFrame, lang: str, names: bool = True) -> pd.DataFrame:
    out = df.copy()
    for column in out.columns:
        if column in _MESSAGES:
            out[column] = [_said(v, lang) for v in out[column]]
        if out[column].dtype == object:
            out[column] = [_cell(v) for v in out[column]]
    if names:
        out.columns = column_names([str(c) for c in out.columns], lang)
    return out


def write_summary(data: dict[str, Any], fmt: str, out: str | os.PathLike[str], *, lang: str = "zh") -> list[Path]:
    """Write the summary's tables to ``out`` as ``fmt`` (see the module
    docstring); returns the files written.  ``csv``: ``out`` is a folder
    (made if absent), one ``<table>.csv`` per table, headed by the column
    keys (``lang`` en) or their Chinese names (zh); ``json``: the object ``summary --json`` prints; ``xlsx``: one
    workbook, a sheet per table."""
    if fmt not in FORMATS:
        raise ExportError(str(out), f"no export format {fmt!r}; formats: {', '.join(FORMATS)}")
    out = Path(out)
    tables = summary_tables(data)
    try:
        if fmt == "csv":
            out.mkdir(parents=True, exist_ok=True)
            written = []
            for name, df in tables.items():
                path = out / f"{name}.csv"
                # utf-8-sig: Excel opens a CSV with a BOM as UTF-8, its Chinese intact.
                # English CSV headers are the column keys (what scripts read), Chinese ones the names.
                _flat(df, lang, names=lang == "zh").to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\n")
                written.append(path)
            return written
        if fmt == "json":
            from .summary_format import summary_json

            out.write_text(summary_json(data) + "\n", "utf-8")
            return [out]
        return [_write_xlsx(tables, out, lang)]
    except OSError as exc:
        raise ExportError(str(out), f"cannot be written: {exc.strerror or exc}") from None


def _write_xlsx(tables: dict[str, pd.DataFrame], out: Path, lang: str) -> Path:
    import pandas as pd

    partial = out.with_name(out.name + ".partial")
    try:
        with pd.ExcelWriter(partial, engine="openpyxl") as writer:
            for name, df in tables.items():
                # A sheet name is at most 31 characters, without []:*?/\.
                sheet = table_name(name, lang)[:31]
                _flat(df, lang).to_excel(writer, sheet_name=sheet, index=False)
        partial.replace(out)
    finally:
        partial.unlink(missing_ok=True)
    return out
