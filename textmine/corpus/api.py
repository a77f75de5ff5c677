"""Reading a corpus database from Python: tables as pandas DataFrames.

>>> db = open("corpus.duckdb")                       # doctest: +SKIP
>>> db.reports[["agency", "year", "level"]]         # doctest: +SKIP
>>> db.sql("SELECT category, count(*) FROM problem_categories GROUP BY 1")  # doctest: +SKIP
>>> fujian = open("corpus.duckdb", since=2021, region="福建省", category="审核把关不严")  # doctest: +SKIP
>>> fujian.items                                   # doctest: +SKIP
"""

from __future__ import annotations

import builtins
import json
import os
from collections.abc import Sequence
from typing import Any

from ..corrections import Correction, CorrectionsError, read_corrections
from .filters import ReportFilter
from .lens import focus, stored_corrections
from .schema import TABLES
from .store import connect, has_table


class Corpus:
    """A read-only view of a corpus database.

    Each table of the schema is a property returning a DataFrame (``reports``,
    ``sections``, ``cells``, ``claims``, ``checks``, ``items``, ``errors``,
    …); ``recurrences`` lists problem categories an agency admits again the
    year after.  ``reports`` leaves out the texts: :meth:`text` gives one.

    With a :class:`~textmine.corpus.filters.ReportFilter` every table holds
    the selected reports' rows only (and their duplicates, which every
    figure skips as usual), the same rows ``summary`` and ``report`` use
    with that filter.

    ``corrections``: True (the default) applies the corpus' corrections
    (the file beside it, else its ``corrections`` table), a path applies
    that file's, a list those corrections, False none; :attr:`applied` says
    what each one of the selected reports did.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        where: ReportFilter | None = None,
        corrections: bool | str | os.PathLike[str] | Sequence[Correction] = True,
    ) -> None:
        self.path = str(path)
        self.con = connect(path, read_only=True)
        try:
            found, source = [], None
            if corrections is True:
                found, source = stored_corrections(path, self.con)
            elif isinstance(corrections, (str, os.PathLike)):
                if not os.path.exists(corrections):
                    raise CorrectionsError(str(corrections), "no such corrections file")
                found, source = read_corrections(corrections), str(corrections)
            elif corrections:
                found, source = list(corrections), "given"
            self.lens = focus(self.con, where, found, source)
        except BaseException:
            self.con.close()
            raise
        self.filter = self.lens.filter

    @property
    def applied(self) -> Any:
        """Each correction with its report id, whether it matched anything
        (``applied``) and what it changed (``detail``); empty without any."""
        import pandas as pd

        if not self.lens.applied:
            return pd.DataFrame(
                columns=["report", "kind", "sha256", "target", "value", "reason", "by", "at", "applied", "detail"]
            )
        return self.sql("SELECT * FROM applied_corrections")

    def sql(self, query: str, params: list[Any] | None = None) -> Any:
        """Any SQL over the corpus, as a DataFrame."""
        return self.con.execute(query, params or []).df()

    def table(self, name: str) -> Any:
        if name not in TABLES and name not in ("recurrences", "problem_categories"):
            raise KeyError(f"no table {name!r}; tables: {', '.join(TABLES)}, recurrences, problem_categories")
        # Filtered and corrected by the lens' views; a file that failed has no
        # agency or year: errors are never filtered.
        return self.sql(f"SELECT * FROM {name}")

    def __getattr__(self, name: str) -> Any:
        if name in TABLES or name in ("recurrences", "problem_categories"):
            return self.table(name)
        raise AttributeError(name)

    def __dir__(self) -> list[str]:
        return sorted(set(super().__dir__()) | set(TABLES) | {"recurrences", "problem_categories"})

    def text(self, report: str) -> str:
        """The plain text of ``report`` (every offset refers to it)."""
        row = self.con.execute("SELECT text FROM texts WHERE report = ?", [report]).fetchone()
        if row is None:
            raise KeyError(f"{self.path}: no report {report!r}")
        return row[0]

    def record(self, report: str) -> dict[str, Any]:
        """The stored report as a record dict (spec/output.md field names)."""
        meta = self.sql("SELECT * FROM reports WHERE id = ?", [report])
        if meta.empty:
            raise KeyError(f"{self.path}: no report {report!r}")
        m = meta.iloc[0]
        tables: dict[str, dict[str, Any]] = {"t2": {}, "t3": {}, "t4": {}}
        for tbl, key, value in self.con.execute(
            "SELECT tbl, key, value FROM cells WHERE report = ?", [report]
        ).fetchall():
            tables.setdefault(tbl, {})[key.split(".", 1)[1]] = value
        rows = lambda q: self.sql(q, [report]).to_dict("records")  # noqa: E731
        items = rows(
            'SELECT kind, text, start, "end", categories, evidence FROM items WHERE report = ? ORDER BY kind, idx'
        )
        for item in items:
            item["categories"] = builtins.list(item["categories"])
            item["evidence"] = json.loads(item["evidence"])
        reading = (
            rows("SELECT * EXCLUDE (report) FROM reading WHERE report = ?") if has_table(self.con, "reading") else []
        )
        for part in reading:
            for key in ("reasons", "sections_found", "sections_missing", "unmapped_headings"):
                part[key] = builtins.list(part[key]) if part[key] is not None else []
        return {
            "source": m["source"],
            "meta": {k: _plain(m[k]) for k in ("title", "agency", "region", "level", "year", "published", "layout")},
            "sections": rows('SELECT key, title, start, "end" FROM sections WHERE report = ?'),
            "tables": tables,
            "claims": rows("SELECT * EXCLUDE (report, idx) FROM claims WHERE report = ? ORDER BY idx"),
            "checks": rows("SELECT * EXCLUDE (report) FROM checks WHERE report = ?"),
            "problems": [_without_kind(i) for i in items if i["kind"] == "problem"],
            "improvements": [_without_kind(i) for i in items if i["kind"] == "improvement"],
            "reading": {k: _plain(v) if not isinstance(v, builtins.list) else v for k, v in reading[0].items()}
            if reading
            else None,
        }

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Corpus:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        n = self.con.execute("SELECT count(*) FROM reports").fetchone()[0]
        return f"<Corpus {self.path}: {n} reports>"


def _without_kind(item: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in item.items() if k != "kind"}


def _plain(value: Any) -> Any:
    """pandas' missing values and timestamps as JSON-ready values."""
    import pandas as pd

    if value is None or (not isinstance(value, (str, builtins.list)) and pd.isna(value)):
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    return value.item() if hasattr(value, "item") else value


def open(  # noqa: A001 - the API the issue names
    path: str | os.PathLike[str], *, corrections: bool | str | os.PathLike[str] = True, **where: Any
) -> Corpus:
    """Open the corpus database at ``path`` read-only; keyword arguments
    (``year``, ``since``, ``until``, ``region``, ``level``, ``agency``,
    ``category``: see :class:`~textmine.corpus.filters.ReportFilter`) select
    the reports every table is about; ``corrections`` as :class:`Corpus`
    takes it (default: the corpus' own, applied).

    Raises :class:`~textmine.corpus.store.CorpusDatabaseError` (one line
    naming ``path``) when it is missing, not a textmine corpus, made by a
    newer textmine, or held by a ``tag`` running now."""
    return Corpus(path, ReportFilter(**where) if where else None, corrections)
