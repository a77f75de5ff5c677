"""Link records of the same agency across years and run the cross-year checks.

Within one command line (``textmine check a.txt b.txt``) records are linked
by normalised agency name; the corpus database will link a whole corpus
the same way (agency + region).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .record import Record

# Spaces and the bracketed notes some titles carry do not make another agency.
_NOISE = re.compile(r"[\s\u3000（）()]")


def agency_key(record: Record) -> str | None:
    return agency_key_of(record.meta.get("agency"), record.meta.get("region"))


def agency_key_of(agency: str | None, region: str | None) -> str | None:
    """The key that links one agency's reports across years."""
    return _NOISE.sub("", agency) if agency else None


def link_years(records: Iterable[Record]) -> list[tuple[Record, Record]]:
    """Pair each record with the same agency's record of the year before and
    append the cross-year checks (``year.*``) to the later one.

    Returns the pairs linked.
    """
    from .checks import check_across_years

    by_agency: dict[tuple[str, int], Record] = {}
    for record in records:
        key, year = agency_key(record), record.meta.get("year")
        if key and isinstance(year, int):
            by_agency[(key, year)] = record
    pairs = []
    for (key, year), current in sorted(by_agency.items()):
        previous = by_agency.get((key, year - 1))
        if previous is not None:
            current.checks.extend(check_across_years(previous, current))
            pairs.append((previous, current))
    return pairs
