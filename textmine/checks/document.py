"""The document checks: ``doc.sections``, ``doc.layout``, ``doc.year``, ``doc.published``."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from ..meta import meta_rules
from ..record import SECTION_KEYS, Record

_TITLE_YEAR = re.compile(r"(\d{4})\s*年")


def _result(rule: str, status: str, severity: str, message: str, left: Any = None, right: Any = None) -> dict[str, Any]:
    return {
        "rule": rule,
        "scope": "",
        "status": status,
        "severity": severity,
        "left": left,
        "right": right,
        "cells": [],
        "message": message,
    }


def check_sections(record: Record, severity: str = "warning") -> dict[str, Any]:
    """All six sections present and in order (first appearance of each key)."""
    order: list[str] = []
    for s in record.sections:
        if s.key not in order:
            order.append(s.key)
    missing = [k for k in SECTION_KEYS if k not in order]
    year = record.meta.get("year")
    if year and int(year) < 2019:
        return _result(
            "doc.sections",
            "skip",
            severity,
            f"report year {year}: the six-part structure applies from 2019 (the 2007 条例 fixed none)",
            order,
            list(SECTION_KEYS),
        )
    if missing:
        return _result(
            "doc.sections", "fail", severity, "missing section(s): " + ", ".join(missing), order, list(SECTION_KEYS)
        )
    present = [k for k in order if k in SECTION_KEYS]
    if present != list(SECTION_KEYS):
        return _result(
            "doc.sections",
            "fail",
            severity,
            "sections out of order: " + " → ".join(present),
            present,
            list(SECTION_KEYS),
        )
    return _result("doc.sections", "pass", severity, "six sections in order", present, list(SECTION_KEYS))


def expected_layout(year: int) -> str:
    return "2021" if year >= 2021 else "2019" if year >= 2019 else "free"


def check_layout(record: Record, severity: str = "warning") -> dict[str, Any]:
    year, layout = record.meta.get("year"), record.meta.get("layout")
    if not year:
        return _result("doc.layout", "skip", severity, "report year unknown")
    if not layout:
        return _result("doc.layout", "skip", severity, "table layout unknown")
    want = expected_layout(int(year))
    if want == "free":
        return _result(
            "doc.layout", "pass", "info", f"report year {year} precedes the 2019 layouts; any layout fits", layout, want
        )
    if layout == want:
        return _result("doc.layout", "pass", severity, f"{layout} layout fits report year {year}", layout, want)
    return _result(
        "doc.layout",
        "fail",
        severity,
        f"report year {year} calls for the {want} layout, the tables follow {layout}",
        layout,
        want,
    )


def check_year(record: Record, severity: str = "warning") -> dict[str, Any]:
    """The year of the title, of the 统计期限 and of ``meta.year`` agree."""
    years: dict[str, int] = {}
    title = record.meta.get("title") or ""
    m = _TITLE_YEAR.search(title)
    if m:
        years["title"] = int(m.group(1))
    # The 统计期限 as meta reads it (meta.toml [year] period); its end year
    # may be left out (自2023年1月1日至12月31日).
    for i, p in enumerate(meta_rules().period.finditer(record.text)):
        a = int(p.group("y1"))
        b = int(p.group("y2") or a)
        years[f"统计期限{'' if i == 0 else i + 1}"] = a
        if b != a:
            years[f"统计期限{'' if i == 0 else i + 1} end"] = b
        if i >= 2:
            break
    if record.meta.get("year"):
        years["text"] = int(record.meta["year"])
    if len(years) < 2:
        return _result(
            "doc.year", "skip", severity, "fewer than two places state the year: " + (", ".join(years) or "none")
        )
    distinct = sorted(set(years.values()))
    detail = ", ".join(f"{k} {v}" for k, v in years.items())
    if len(distinct) == 1:
        return _result("doc.year", "pass", severity, detail, distinct[0], distinct[0])
    return _result(
        "doc.year",
        "fail",
        severity,
        "years disagree: " + detail,
        years.get("title"),
        years.get("统计期限", years.get("text")),
    )


def publication_deadline(year: int) -> date:
    """31 January of the next year (条例 2019, report years ≥ 2019); 31 March before."""
    return date(year + 1, 1, 31) if year >= 2019 else date(year + 1, 3, 31)


def check_published(record: Record, severity: str = "warning") -> dict[str, Any]:
    year, published = record.meta.get("year"), record.meta.get("published")
    if not year:
        return _result("doc.published", "skip", severity, "report year unknown")
    if not published:
        return _result("doc.published", "skip", severity, "publication date unknown")
    try:
        when = date.fromisoformat(str(published)[:10])
    except ValueError:
        return _result("doc.published", "skip", severity, f"publication date {published!r} is not an ISO date")
    deadline = publication_deadline(int(year))
    if when <= date(int(year), 12, 31):
        return _result(
            "doc.published",
            "fail",
            severity,
            f"published {when} before the report year {year} ended",
            str(when),
            str(deadline),
        )
    if when > deadline:
        return _result(
            "doc.published",
            "fail",
            severity,
            f"published {when}, after the deadline {deadline}",
            str(when),
            str(deadline),
        )
    return _result("doc.published", "pass", severity, f"published {when}, by {deadline}", str(when), str(deadline))


DOCUMENT_CHECKS = {
    "doc.sections": check_sections,
    "doc.layout": check_layout,
    "doc.year": check_year,
    "doc.published": check_published,
}
