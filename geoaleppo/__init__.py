"""geoaleppo: turn news reports of the battle for Aleppo into maps analysts can trust.

The package follows the data: :mod:`geoaleppo.gazetteer` resolves names to places,
:mod:`geoaleppo.reader` reads an article into mentions, events and control claims,
:mod:`geoaleppo.exports` and :mod:`geoaleppo.maps` turn readings into files; the
command line (:mod:`geoaleppo.cli`) sits on top. The names below are the public API,
imported on first use so that ``import geoaleppo`` stays quick:

    >>> import geoaleppo
    >>> geoaleppo.resolve("Al Shaar").place.id
    'ash-shaar'
    >>> reading = geoaleppo.read_text("Clashes raged in Al Shaar on Sunday.",
    ...                               published="2016-12-05")
    >>> [(e.type, e.place.id, e.date) for e in reading.events]
    [(<EventType.CLASH: 'clash'>, 'ash-shaar', '2016-12-04')]
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

#: Public name → the module that defines it.
_PUBLIC = {
    "read_text": "geoaleppo.reader",
    "read_file": "geoaleppo.reader",
    "read_files": "geoaleppo.reader",
    "Reading": "geoaleppo.model",
    "load_gazetteer": "geoaleppo.gazetteer",
    "folium_map": "geoaleppo.maps",
    "write_map": "geoaleppo.maps",
    "write_export": "geoaleppo.exports",
    "reading_json": "geoaleppo.serialise",
    "reading_from_json": "geoaleppo.serialise",
}
_RENAMED = {"load_gazetteer": "load"}

__all__ = ["__version__", "resolve", *sorted(_PUBLIC)]


def resolve(name: str, *, context_country: str | None = "SY") -> Any:
    """What ``name`` means in the bundled gazetteer (a :class:`~geoaleppo.model.Resolution`).

    ``context_country`` is the story's country, which breaks ties ("Damascus" is the
    Syrian capital in a Syrian story).
    """
    from geoaleppo.gazetteer import load

    return load().resolve(name, context_country=context_country)


def __getattr__(name: str) -> Any:
    if name in _PUBLIC:
        return getattr(import_module(_PUBLIC[name]), _RENAMED.get(name, name))
    msg = f"module 'geoaleppo' has no attribute {name!r}"
    raise AttributeError(msg)
