"""The report page's charts: inline SVG, drawn here so the page fetches nothing.

Each function returns one ``<svg>`` element as a string, its text escaped;
the page (:mod:`textmine.corpus.report`) places it as it is.

>>> svg = bar_chart([("t3.total", 4, "4 fails")], title="fails")
>>> svg.startswith('<svg class="chart bar-chart"') and svg.endswith("</svg>")
True
"""

from __future__ import annotations

import html
from typing import Any

__all__ = ["bar_chart", "column_chart", "line_chart"]


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _value(value: float) -> str:
    """A bar's number as a label: ``3.0`` as ``3``."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def line_chart(
    years: list[int],
    series: list[tuple[str, str, list[float | None]]],
    *,
    notes: list[str] | None = None,
    width: int = 880,
    height: int = 340,
    title: str = "",
) -> str:
    """An SVG line chart of shares (0–1): one ``(label, colour, values)`` per
    series, values aligned with ``years`` (``None`` leaves a gap)."""
    left, right, top, bottom = 48, 230, 16, 48
    pw, ph = width - left - right, height - top - bottom
    parts = [
        (
            f'<svg class="chart line-chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
            f'role="img" aria-label="{_e(title)}">'
        ),
        f"<title>{_e(title)}</title>",
    ]

    def x(i: int) -> float:
        return left + (pw / 2 if len(years) == 1 else i * pw / (len(years) - 1))

    def y(v: float) -> float:
        return top + ph * (1 - v)

    for tick in (0, 0.25, 0.5, 0.75, 1.0):
        parts.append(f'<line class="grid" x1="{left}" x2="{left + pw}" y1="{y(tick):.1f}" y2="{y(tick):.1f}"/>')
        parts.append(f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">{tick:.0%}</text>')
    parts.append(f'<line class="axis" x1="{left}" x2="{left + pw}" y1="{y(0):.1f}" y2="{y(0):.1f}"/>')
    step = max(1, -(-len(years) // 14))  # at most ~14 year labels
    for i, year in enumerate(years):
        if i % step == 0 or i == len(years) - 1:
            parts.append(f'<text x="{x(i):.1f}" y="{top + ph + 16}" text-anchor="middle">{_e(year)}</text>')
            if notes:
                parts.append(
                    f'<text class="value" x="{x(i):.1f}" y="{top + ph + 31}" text-anchor="middle">{_e(notes[i])}</text>'
                )
    for s, (label, color, values) in enumerate(series):
        runs: list[list[str]] = [[]]
        for i, v in enumerate(values):
            if v is None:
                runs.append([])
            else:
                runs[-1].append(f"{x(i):.1f},{y(v):.1f}")
        for run in runs:
            if len(run) > 1:
                parts.append(f'<polyline class="series" data-series="{s}" stroke="{color}" points="{" ".join(run)}"/>')
        for i, v in enumerate(values):
            if v is not None:
                parts.append(
                    f'<circle class="point" data-series="{s}" cx="{x(i):.1f}" cy="{y(v):.1f}" r="3.5" '
                    f'fill="{color}"><title>{_e(label)} {_e(years[i])}: {v:.0%}</title></circle>'
                )
        ly = top + 10 + s * 22
        lx = left + pw + 20
        parts.append(f'<line x1="{lx}" x2="{lx + 22}" y1="{ly}" y2="{ly}" stroke="{color}" stroke-width="3"/>')
        parts.append(f'<text x="{lx + 28}" y="{ly + 4}">{_e(label)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def bar_chart(
    bars: list[tuple[str, float, str]], *, width: int = 880, label_width: int = 170, css: str = "bar", title: str = ""
) -> str:
    """A horizontal SVG bar chart: one ``(label, value, tooltip)`` per bar."""
    row, top = 26, 8
    height = top * 2 + row * max(1, len(bars))
    peak = max((value for _, value, _ in bars), default=0) or 1
    pw = width - label_width - 60
    parts = [
        (
            f'<svg class="chart bar-chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
            f'role="img" aria-label="{_e(title)}">'
        ),
        f"<title>{_e(title)}</title>",
    ]
    for i, (label, value, tip) in enumerate(bars):
        y = top + i * row
        w = max(1.0, pw * value / peak)
        parts.append(f'<text x="{label_width - 8}" y="{y + 17}" text-anchor="end">{_e(label)}</text>')
        parts.append(
            f'<rect class="{css}" x="{label_width}" y="{y + 4}" width="{w:.1f}" height="{row - 8}">'
            f"<title>{_e(tip)}</title></rect>"
        )
        parts.append(f'<text class="value" x="{label_width + w + 6:.1f}" y="{y + 17}">{_e(_value(value))}</text>')
    parts.append(f'<line class="axis" x1="{label_width}" x2="{label_width}" y1="{top}" y2="{height - top}"/>')
    parts.append("</svg>")
    return "".join(parts)


def column_chart(columns: list[tuple[str, float]], *, width: int = 880, height: int = 180, title: str = "") -> str:
    """A vertical SVG bar chart: one ``(label, value)`` per column."""
    left, top, bottom = 40, 14, 26
    ph = height - top - bottom
    pw = width - left - 10
    peak = max((v for _, v in columns), default=0) or 1
    slot = pw / max(1, len(columns))
    bar = min(48.0, slot * 0.7)
    step = max(1, -(-len(columns) // 20))
    parts = [
        (
            f'<svg class="chart column-chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
            f'role="img" aria-label="{_e(title)}">'
        ),
        f"<title>{_e(title)}</title>",
    ]
    for i, (label, value) in enumerate(columns):
        h = max(1.0, ph * value / peak)
        cx = left + slot * (i + 0.5)
        parts.append(
            f'<rect class="bar" x="{cx - bar / 2:.1f}" y="{top + ph - h:.1f}" width="{bar:.1f}" '
            f'height="{h:.1f}"><title>{_e(label)}: {_e(_value(value))}</title></rect>'
        )
        parts.append(
            f'<text class="value" x="{cx:.1f}" y="{top + ph - h - 3:.1f}" text-anchor="middle">'
            f"{_e(_value(value))}</text>"
        )
        if i % step == 0:
            parts.append(f'<text x="{cx:.1f}" y="{height - 8}" text-anchor="middle">{_e(label)}</text>')
    parts.append(f'<line class="axis" x1="{left}" x2="{width - 10}" y1="{top + ph}" y2="{top + ph}"/>')
    parts.append("</svg>")
    return "".join(parts)
