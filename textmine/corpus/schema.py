"""The corpus database: one DuckDB file, one table per part of the record.

Every row of a report is written in the transaction that writes its
``reports`` row, so a report is in the database whole or not at all.  The
columns of each table, in insert order, are :data:`COLUMNS`; the DDL is
:data:`DDL`.  Documented for users in the README ("The corpus database").

Versions
--------
A corpus says which schema it has: ``schema_info.version`` (every corpus
textmine ever wrote has it, so a DuckDB file without it is not a corpus and
is refused, never written to).  :data:`SCHEMA_VERSION` is the version this
textmine writes; :data:`MIGRATIONS` lists, in order, the steps from each
version to the next (1 → 2: add the ``reading`` table; 2 → 3: add the
claims' ``expr`` and ``readings``; 3 → 4: add the ``corrections`` table).  Opening an older corpus for writing applies the missing steps and the new version number in
one transaction (:func:`textmine.corpus.store.connect`), so it is either
upgraded whole or left as it was; opened read-only it is read as it is.  A
corpus of a newer version than :data:`SCHEMA_VERSION` is refused: this
textmine would not know what its tables mean.

A change to the schema is a new :class:`Migration` at the end of
:data:`MIGRATIONS` (the tables or columns it adds also in :data:`DDL`, which
makes a new corpus in the latest version at once) and :data:`SCHEMA_VERSION`
one higher.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyarrow as pa

# 1: the first schema; 2 adds the `reading` table (how well each report was
# read).  A version-1 database gains the table, empty, when it is next opened
# for writing; its reports are "not assessed" until tagged again.  3 adds the
# claims' `expr` and `readings` (null for reports tagged before); 4 the
# `corrections` table (empty until `textmine correct` or `tag` fills it).
# One higher than the last step of MIGRATIONS (a test holds them together).
SCHEMA_VERSION = 4

# Column order is the order rows are built in (textmine.corpus.rows).
COLUMNS: dict[str, tuple[str, ...]] = {
    "reports": (
        "id",
        "sha256",
        "source",
        "format",
        "bytes",
        "title",
        "agency",
        "agency_key",
        "region",
        "level",
        "year",
        "published",
        "layout",
        "chars",
        "notes",
        "tagged_at",
        "textmine_version",
        "duplicate_of",
    ),
    "texts": ("report", "text"),
    "sections": ("report", "key", "title", "start", "end"),
    "cells": ("report", "tbl", "row", "col", "key", "value", "raw"),
    "table_notes": ("report", "tbl", "message", "cells"),
    "claims": (
        "report",
        "idx",
        "text",
        "start",
        "end",
        "section",
        "subject",
        "value",
        "unit",
        "kind",
        "approx",
        "cell",
        "expr",
        "readings",
    ),
    "checks": (
        "report",
        "rule",
        "scope",
        "status",
        "severity",
        "lhs",
        "rhs",
        "cells",
        "message",
        "text",
        "start",
        "end",
        "previous",
    ),
    "items": ("report", "kind", "idx", "text", "start", "end", "categories", "evidence"),
    "reading": (
        "report",
        "verdict",
        "reasons",
        "cells_expected",
        "cells_read",
        "cells_values",
        "cell_share",
        "identities_pass",
        "identities_fail",
        "identities_skip",
        "sections_found",
        "sections_missing",
        "unmapped_headings",
        "script",
    ),
    "errors": ("sha256", "source", "stage", "message", "at"),
    "corrections": ("kind", "sha256", "target", "value", "reason", "by", "at"),
}

# The table schema version 4 added: a copy of the corrections file beside the
# corpus (textmine/corrections.py), refreshed by `textmine correct` and `tag`.
CORRECTIONS_DDL = """
CREATE TABLE IF NOT EXISTS corrections (
    kind VARCHAR,                  -- finding | cell | item
    sha256 VARCHAR,                -- of the report file's bytes (reports.sha256)
    target VARCHAR,                -- rule:scope | cell key | kind@start-end
    value VARCHAR, reason VARCHAR, "by" VARCHAR, "at" VARCHAR
);
"""

# The table schema version 2 added (a step of MIGRATIONS, and part of DDL).
READING_DDL = """
CREATE TABLE IF NOT EXISTS reading (
    report VARCHAR,
    verdict VARCHAR,               -- good | check | poor (textmine/reading.py)
    reasons VARCHAR[],             -- why not good
    cells_expected INTEGER, cells_read INTEGER, cells_values INTEGER,
    cell_share DOUBLE,             -- cells read (a value or a printed blank) / cells of the layout; null: free layout
    identities_pass INTEGER, identities_fail INTEGER, identities_skip INTEGER,
    sections_found VARCHAR[], sections_missing VARCHAR[],
    unmapped_headings VARCHAR[],   -- headings that are none of the six parts (收费及减免情况)
    script VARCHAR                 -- simplified | traditional (read in its simplified reading)
);
"""

# The views over the tables (a filtered, corrected reading of a corpus,
# textmine.corpus.lens, makes them again over its own tables).
VIEWS_DDL = """
-- Each report's problem categories, once per report.
CREATE OR REPLACE VIEW problem_categories AS
    SELECT DISTINCT i.report, c.category
    FROM items i, UNNEST(i.categories) AS c(category)
    WHERE i.kind = 'problem';
-- A problem category an agency admits again the year after (duplicates skipped).
CREATE OR REPLACE VIEW recurrences AS
    SELECT r.agency_key, r.agency, r.region, r.level, r.year, pc.category, r.id AS report, p.id AS previous
    FROM reports r
    JOIN reports p ON p.agency_key = r.agency_key AND p.year = r.year - 1 AND p.duplicate_of IS NULL
    JOIN problem_categories pc ON pc.report = r.id
    JOIN problem_categories pp ON pp.report = p.id AND pp.category = pc.category
    WHERE r.duplicate_of IS NULL;
"""

DDL = (
    """
CREATE TABLE IF NOT EXISTS schema_info (version INTEGER, created TIMESTAMP);
CREATE TABLE IF NOT EXISTS reports (
    id VARCHAR PRIMARY KEY,      -- first 16 hex digits of sha256: the report's key everywhere
    sha256 VARCHAR NOT NULL,     -- of the file's bytes: a rerun skips what is stored
    source VARCHAR NOT NULL,     -- path as given on the command line
    format VARCHAR,              -- txt | html | docx | pdf
    bytes BIGINT,
    title VARCHAR, agency VARCHAR,
    agency_key VARCHAR,          -- normalised agency + region: links one agency across years
    region VARCHAR, level VARCHAR, year INTEGER, published DATE, layout VARCHAR,
    chars INTEGER,               -- length of the plain text offsets refer to
    notes VARCHAR,               -- JSON list of the record's notes
    tagged_at TIMESTAMP, textmine_version VARCHAR,
    duplicate_of VARCHAR         -- another file of the same agency and year (a copy in another format):
                                 -- the report counted in its place; summaries skip duplicates
);
CREATE TABLE IF NOT EXISTS texts (report VARCHAR, text VARCHAR);
CREATE TABLE IF NOT EXISTS sections (report VARCHAR, key VARCHAR, title VARCHAR, start INTEGER, "end" INTEGER);
CREATE TABLE IF NOT EXISTS cells (
    report VARCHAR, tbl VARCHAR, "row" VARCHAR, col VARCHAR,
    key VARCHAR,                 -- tbl.row.col, as checks name cells (t3.new_received.total)
    value DOUBLE,                -- null for / and — cells; money in 万元
    raw VARCHAR                  -- the cell's text as printed
);
CREATE TABLE IF NOT EXISTS table_notes (report VARCHAR, tbl VARCHAR, message VARCHAR, cells VARCHAR[]);
CREATE TABLE IF NOT EXISTS claims (
    report VARCHAR, idx INTEGER, text VARCHAR, start INTEGER, "end" INTEGER, section VARCHAR,
    subject VARCHAR, value DOUBLE, unit VARCHAR, kind VARCHAR, approx BOOLEAN,
    cell VARCHAR,                -- the table quantity restated: a cell key or a derived key (t3.denied.total)
    expr VARCHAR,                -- the arithmetic it implies over cell keys
    readings VARCHAR[]           -- the quantities its words allow, when more than one (the table chose cell)
);
CREATE TABLE IF NOT EXISTS checks (
    report VARCHAR, rule VARCHAR, scope VARCHAR, status VARCHAR, severity VARCHAR,
    lhs DOUBLE, rhs DOUBLE,      -- the record's left and right
    cells VARCHAR[], message VARCHAR,
    text VARCHAR, start INTEGER, "end" INTEGER,   -- the sentence a text check read
    previous VARCHAR             -- year.* checks: the report of the year before
);
CREATE TABLE IF NOT EXISTS items (
    report VARCHAR, kind VARCHAR,  -- problem | improvement
    idx INTEGER, text VARCHAR, start INTEGER, "end" INTEGER,
    categories VARCHAR[],
    evidence VARCHAR               -- JSON: {category: [{pattern, match, start, end} | {pattern: model, model: [...]}]}
);
"""
    + READING_DDL
    + """
CREATE TABLE IF NOT EXISTS errors (sha256 VARCHAR, source VARCHAR, stage VARCHAR, message VARCHAR, "at" TIMESTAMP);
"""
    + CORRECTIONS_DDL
    + VIEWS_DDL
)


# Tables a user reads (``textmine.corpus.open(db).<name>``, ``--export``).
TABLES: tuple[str, ...] = tuple(COLUMNS)


@dataclass(frozen=True)
class Migration:
    """One step of the schema: a corpus at ``to_version - 1`` becomes one at
    ``to_version`` by running ``sql``."""

    to_version: int
    description: str
    sql: str
    adds: tuple[str, ...] = ()  # tables the step creates (an older corpus lacks them)
    columns: tuple[tuple[str, str], ...] = ()  # (table, column) the step adds to a table


# In order; each step's SQL is also in DDL, so a new corpus needs none of them.
MIGRATIONS: tuple[Migration, ...] = (
    Migration(2, "add the reading table", READING_DDL, adds=("reading",)),
    Migration(
        3,
        "add the claims' expr and readings",
        "ALTER TABLE claims ADD COLUMN expr VARCHAR; ALTER TABLE claims ADD COLUMN readings VARCHAR[];",
        columns=(("claims", "expr"), ("claims", "readings")),
    ),
    Migration(4, "add the corrections table", CORRECTIONS_DDL, adds=("corrections",)),
)


def migrations_from(version: int) -> tuple[Migration, ...]:
    """The steps that bring a corpus at ``version`` to :data:`SCHEMA_VERSION`."""
    return tuple(step for step in MIGRATIONS if step.to_version > version)


def tables_at(version: int) -> tuple[str, ...]:
    """The tables a corpus at ``version`` has (of :data:`TABLES`)."""
    later = {table for step in migrations_from(version) for table in step.adds}
    return tuple(t for t in TABLES if t not in later)


@lru_cache(maxsize=1)
def arrow_schemas() -> dict[str, pa.Schema]:
    """Each table's Arrow schema, read off :data:`DDL` by an in-memory
    DuckDB: rows become Arrow with the database's own types, in the worker
    that made them, so the writer only concatenates."""
    from .duck import open_duckdb

    con = open_duckdb(":memory:")
    try:
        con.execute(DDL)
        schemas = {}
        for t in TABLES:
            relation = con.sql(f"SELECT * FROM {t} LIMIT 0")
            # A relation's arrow() became to_arrow_table() in DuckDB 1.4.
            fetch = getattr(relation, "to_arrow_table", None) or relation.arrow
            schemas[t] = fetch().schema
        return schemas
    finally:
        con.close()
