"""Link records of the same agency across years and run the cross-year checks.

Within one command line (``textmine check a.txt b.txt``) records are linked
by :func:`agency_key`: the normalised agency name with its places completed
from ``meta.region``; the corpus database links a whole corpus the same way
(:func:`agency_key_of` on the stored agency and region).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .places import parse_agency
from .record import Record

# Spaces and the bracketed notes some titles carry do not make another agency.
_NOISE = re.compile(r"[\s\u3000（）()]")


def agency_key(record: Record) -> str | None:
    """:func:`agency_key_of` the record's ``meta.agency`` and ``meta.region``."""
    return agency_key_of(record.meta.get("agency"), record.meta.get("region"))


def agency_key_of(agency: str | None, region: str | None) -> str | None:
    """The key that links one agency's reports across years: the name without
    spaces or brackets, its leading places replaced by the full ``region``
    when the region ends with them.

    So 甘肃省定西市通渭县人民政府, 定西市通渭县人民政府 and 通渭县人民政府, each
    with region 甘肃省定西市通渭县, share one key; without a region (or with
    one that does not end with the name's places) the key is the cleaned name.

    >>> agency_key_of("定西市通渭县 人民政府", "甘肃省定西市通渭县")
    '甘肃省定西市通渭县人民政府'
    >>> agency_key_of("市财政局", None)
    '市财政局'
    """
    if not agency:
        return None
    name = _NOISE.sub("", agency)
    parts = parse_agency(name) if region else None
    if parts and parts.places:
        region = _NOISE.sub("", region)
        if region.endswith("".join(place for place, _ in parts.places)):
            return parts.prefix + region + parts.rest
    return name or None


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
