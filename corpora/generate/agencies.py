"""Synthetic agencies: invented names at every level of government, from the phrase bank."""

from __future__ import annotations

import random
from dataclasses import dataclass

from corpora.generate.phrases import PHRASES


@dataclass
class Agency:
    name: str  # as the title names it
    region: str | None
    level: str  # national | province | city | county | town
    kind: str  # gov | dept | town | street
    city: str = ""


def make_agency(rng: random.Random) -> Agency:
    p = PHRASES
    prov, city, county = rng.choice(p["provinces"]), rng.choice(p["cities"]), rng.choice(p["counties"] + p["districts"])
    roll = rng.random()
    if roll < 0.05:
        return Agency(rng.choice(p["national_agencies"]), None, "national", "dept", city)
    if roll < 0.13:
        return Agency(f"{prov}人民政府", prov, "province", "gov", city)
    if roll < 0.23:
        return Agency(f"{prov}{rng.choice(p['province_departments'])}", prov, "province", "dept", city)
    if roll < 0.33:
        name = f"{prov}{city}人民政府" if rng.random() < 0.4 else f"{city}人民政府"
        return Agency(name, prov + city, "city", "gov", city)
    if roll < 0.48:
        return Agency(f"{city}{rng.choice(p['city_departments'])}", prov + city, "city", "dept", city)
    if roll < 0.63:
        name = f"{city}{county}人民政府"
        return Agency(name, prov + city + county, "county", "gov", city)
    if roll < 0.80:
        dep = rng.choice(p["county_departments"])
        name = f"{county}{dep}" if rng.random() < 0.6 else f"{city}{county}{dep}"
        return Agency(name, prov + city + county, "county", "dept", city)
    if roll < 0.92:
        town = rng.choice(p["towns"])
        name = f"{county}{town}人民政府" if rng.random() < 0.7 else f"{city}{county}{town}人民政府"
        return Agency(name, prov + city + county + town, "town", "town", city)
    street = rng.choice(p["streets"])
    return Agency(f"{county}{street}办事处", prov + city + county + street, "town", "street", city)


SCALE = {"national": 400, "province": 250, "city": 80, "county": 30, "town": 6}
