"""Link records of the same agency across years and run the cross-year checks.

Within one command line (``textmine check a.txt b.txt``) records are linked
by :func:`textmine.places.agency_key`: the normalised agency name with its
places completed from ``meta.region``; the corpus database links a whole
corpus the same way (:func:`textmine.places.agency_key_of` on the stored
agency and region).
"""

from __future__ import annotations

from collections.abc import Iterable

from .checks import check_across_years
from .places import agency_key
from .record import Record


def link_years(records: Iterable[Record]) -> list[tuple[Record, Record]]:
    """Pair each record with the same agency's record of the year before and
    append the cross-year checks (``year.*``) to the later one.

    Returns the pairs linked.
    """
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
