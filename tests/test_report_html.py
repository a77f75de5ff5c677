"""``textmine report``: the self-contained HTML page, in Python and in a real browser.

The browser tests drive Debian's chromium (``apt-get install chromium``)
through Playwright; they skip, saying why, when either is missing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from conftest import SAMPLE
from textmine.cli import main
from textmine.corpus.report import (
    GENERATOR_MARK,
    is_report_page,
    render_text,
    write_report,
)
from textmine.corpus.report_charts import bar_chart, line_chart

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-gpu",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from textmine.corpus import tag

    db = tmp_path_factory.mktemp("corpus") / "sample.duckdb"
    tag([SAMPLE / "reports"], db, workers=1)
    return db


@pytest.fixture(scope="module")
def report_html(corpus_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_report(corpus_db, tmp_path_factory.mktemp("report") / "report.html")


# --------------------------------------------------------------------------- the page, read as text


def test_page_is_self_contained(report_html: Path) -> None:
    page = report_html.read_text("utf-8")
    assert page.startswith("<!DOCTYPE html>")
    # Nothing to fetch: no external stylesheet, script, image or font, and a CSP that forbids requests.
    assert not re.search(r"<(?:link|img|iframe|object|embed)\b", page)
    assert not re.search(r"\b(?:src|href|action|xlink:href)\s*=\s*[\"']?(?:https?:)?//", page)
    assert "url(" not in page.split("</style>")[0]
    assert "default-src 'none'" in page
    assert "<svg" in page and "<script>" in page


def test_page_has_the_parts(report_html: Path, corpus_db: Path) -> None:
    import textmine.corpus

    page = report_html.read_text("utf-8")
    for part in ('id="overview"', 'id="categories"', 'id="checks"', 'id="recurrences"', 'id="reports"'):
        assert part in page
    assert "更新不及时" in page and "polyline" in page
    with textmine.corpus.open(corpus_db) as db:
        live = db.sql("SELECT id FROM reports WHERE duplicate_of IS NULL")["id"].tolist()
        dup = db.sql("SELECT id FROM reports WHERE duplicate_of IS NOT NULL")["id"].tolist()
    assert all(f'id="doc-{r}"' in page for r in live)
    assert not any(f'id="row-{r}"' in page for r in dup)  # duplicates are not counted


def test_page_figures_are_the_summary_figures(report_html: Path, corpus_db: Path) -> None:
    import textmine.corpus
    from textmine.corpus.summary import category_shares, failing_rules
    from textmine.metrics import wilson_interval

    page = report_html.read_text("utf-8")
    table = page[page.index('id="category-table"') :]
    table = table[: table.index("</table>")]
    cells = re.findall(r"title='(\d+)/(\d+)，95%区间 (\d+)–(\d+)%'", table)
    shown = [(int(k), int(n)) for k, n, _, _ in cells]
    # Each cell's tooltip gives its 95% Wilson interval.
    for k, n, low, high in cells:
        interval = wilson_interval(int(k), int(n))
        assert (int(low), int(high)) == (round(100 * interval[0]), round(100 * interval[1]))
    with textmine.corpus.open(corpus_db) as db:
        shares = category_shares(db, by="year")
        rules = failing_rules(db)
    shares = shares[shares.year.notna()]
    years = sorted(shares.year.unique())
    # One row per category (in taxonomy order, those admitted somewhere), one cell per year.
    admitted = shares.groupby("category", sort=False).admitting.sum()
    expected = [
        (int(row.admitting), int(row.reports))
        for category in admitted[admitted > 0].index
        for year in years
        for row in shares[(shares.category == category) & (shares.year == year)].itertuples()
    ]
    assert sorted(shown) == sorted(expected) and len(shown) > 20
    for rule in rules[rules.fails > 0].itertuples():
        assert f"<code>{rule.rule}</code>" in page and f"{rule.rule}: {rule.fails} 次未通过" in page


def test_texts_are_capped_and_the_page_says_so(corpus_db: Path, tmp_path: Path) -> None:
    page = write_report(corpus_db, tmp_path / "r.html", max_texts=3).read_text("utf-8")
    assert page.count('<article class="doc"') == 3
    assert "只嵌入了表中前 3 份报告的正文" in page


def test_page_values_are_escaped_as_html_escape_does(corpus_db: Path) -> None:
    # Autoescape on, and the templates' finalize hook escapes quotes as html.escape does.
    import textmine.corpus
    from textmine.corpus.report import render_report

    with textmine.corpus.open(corpus_db) as db:
        page = render_report(db.con, title="a\"b'<c>&d", max_texts=1, max_rows=2)
    assert "<title>政府信息公开工作年度报告语料 — a&quot;b&#x27;&lt;c&gt;&amp;d</title>" in page
    assert "a\"b'<c>" not in page
    assert "表中只列出前 2 份报告" in page and page.count('<article class="doc"') == 1


def test_templates_are_written_across_lines_and_joined() -> None:
    from textmine.corpus.report import _join_lines

    assert _join_lines("<p>\n  <b>{{ x }}</b> <i>y</i>\n\t</p>\n") == "<p><b>{{ x }}</b> <i>y</i></p>"


def test_render_text_escapes_and_marks_overlaps() -> None:
    out = render_text("ab<c>&d", [(1, 4, "problem", 0), (3, 7, "claim", 1), (9, 9, "fail", 2)], "f-x")
    assert "<c>" not in out and "&amp;d" in out
    assert '<span class="claim problem f0 f1">c</span>' in out
    assert 'id="f-x-0"' in out and 'id="f-x-1"' in out and 'id="f-x-2"' in out  # a span past the end still anchors
    assert re.sub(r"<[^>]+>", "", out) == "ab&lt;c&gt;&amp;d"


def test_charts_escape_labels() -> None:
    svg = line_chart([2022, 2023], [("<b>x</b>", "#000", [0.5, None])], title="t&t")
    assert "<b>" not in svg and "&lt;b&gt;" in svg and "t&amp;t" in svg
    assert bar_chart([("a<", 3, "tip")]).count('class="bar"') == 1


def test_cli_report(corpus_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "page.html"
    result = CliRunner().invoke(main, ["report", str(corpus_db), "--out", str(out), "--max-texts", "5"])
    assert result.exit_code == 0, result.output
    assert out.is_file() and "5 report texts embedded" in result.output


def test_page_is_marked_as_ours_in_its_first_bytes(report_html: Path) -> None:
    # The mark lets a later run replace this page, and nothing else.
    with report_html.open("rb") as page:
        assert GENERATOR_MARK.encode() in page.read(1024)
    assert is_report_page(report_html)


def test_cli_report_keeps_a_file_that_is_not_a_page(corpus_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "notes.txt"
    out.write_text("my notes", "utf-8")
    result = CliRunner().invoke(main, ["report", str(corpus_db), "--out", str(out)])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {out}: ") and "--force" in lines[0]
    assert out.read_text("utf-8") == "my notes"


@pytest.mark.parametrize("kind", ["missing", "not-duckdb", "not-a-corpus"])
def test_cli_report_bad_database(kind: str, tmp_path: Path) -> None:
    db = tmp_path / "x.duckdb"
    if kind == "not-duckdb":
        db.write_text("hello")
    elif kind == "not-a-corpus":
        import duckdb

        con = duckdb.connect(str(db))
        con.execute("CREATE TABLE t (a INTEGER)")
        con.close()
    result = CliRunner().invoke(main, ["report", str(db), "--out", str(tmp_path / "r.html")])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and str(db) in lines[0]
    assert not (tmp_path / "r.html").exists()


# --------------------------------------------------------------------------- the page in chromium


@pytest.fixture(scope="module")
def browser():  # a Playwright Browser
    sync_api = pytest.importorskip("playwright.sync_api", reason="the python package playwright is not installed")
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} not found: install Debian's chromium (apt-get install chromium)")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class Watched:
    """A page and what it did: console errors, uncaught exceptions, requests."""

    page: Any
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)


@pytest.fixture
def watched(browser, report_html: Path):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    w = Watched(page)
    page.on("console", lambda m: w.errors.append(f"console: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: w.errors.append(f"pageerror: {e}"))
    page.on("request", lambda r: w.requests.append(r.url))
    page.goto(report_html.as_uri())
    yield w
    page.close()


def test_page_loads_without_errors_or_requests(watched: Watched, report_html: Path) -> None:
    page = watched.page
    page.wait_for_load_state("load")
    assert watched.errors == []
    assert watched.requests == [report_html.as_uri()]
    assert page.title().startswith("政府信息公开工作年度报告语料")


def test_charts_render(watched: Watched) -> None:
    page = watched.page
    charts = page.locator("svg.chart")
    assert charts.count() >= 3
    for i in range(charts.count()):
        box = charts.nth(i).bounding_box()
        assert box and box["width"] > 100 and box["height"] > 50
    assert page.locator("#categories polyline.series").count() > 0
    assert page.locator("#categories circle.point").count() > 0
    assert page.locator("#checks rect.bar").count() > 0
    for locator in (page.locator("#categories polyline.series").first, page.locator("#checks rect.bar").first):
        box = locator.bounding_box()
        assert box and box["width"] > 0 and box["height"] > 0


def test_clicking_a_finding_highlights_it(watched: Watched, tmp_path: Path) -> None:
    page = watched.page
    assert page.locator(".doc.open").count() == 0
    chip = page.locator("#reports a.chip.finding").first
    doc, finding = chip.get_attribute("data-doc"), chip.get_attribute("data-f")
    chip.click()
    panel = page.locator(f"#doc-{doc}")
    assert panel.is_visible() and page.locator(".doc.open").count() == 1
    hits = panel.locator(".text .hit")
    assert hits.count() > 0 and hits.first.is_visible()
    assert hits.count() == panel.locator(f".text .f{finding}").count()
    highlighted = "".join(hits.all_text_contents())
    entry = panel.locator(f'.findings a.current[data-f="{finding}"] .msg').text_content()
    assert highlighted.startswith(entry.rstrip("…")[:30])
    box = hits.first.bounding_box()
    assert box and 0 <= box["y"] <= 900  # scrolled into view
    assert page.evaluate("getComputedStyle(document.querySelector('.text .hit')).backgroundColor") != "rgba(0, 0, 0, 0)"
    page.screenshot(path=str(tmp_path / "report.png"))
    assert (tmp_path / "report.png").stat().st_size > 10_000

    # Another report's finding closes the first and moves the highlight.
    other = page.locator(f'#reports a.finding:not([data-doc="{doc}"])').first
    other.click()
    assert page.locator(".doc.open").count() == 1 and not panel.is_visible()
    assert page.locator(".text .hit").count() > 0
    assert watched.errors == [] and len(watched.requests) == 1


def test_filter_hides_rows(watched: Watched) -> None:
    page = watched.page
    rows = page.locator("#reports tbody tr")
    before = rows.count()
    page.fill("#filter", "不存在的机关名称")
    assert page.locator("#reports tbody tr:not([hidden])").count() == 0
    page.fill("#filter", "")
    assert page.locator("#reports tbody tr:not([hidden])").count() == before
