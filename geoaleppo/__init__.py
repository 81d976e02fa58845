"""geoaleppo: turn news reports of the battle for Aleppo into maps analysts can trust.

The package follows the data: :mod:`geoaleppo.gazetteer` resolves names to places,
:mod:`geoaleppo.reader` reads an article into mentions, events and control claims,
:mod:`geoaleppo.exports` and :mod:`geoaleppo.maps` turn readings into files; the
command line (:mod:`geoaleppo.cli`) sits on top.

    >>> from geoaleppo import gazetteer
    >>> gazetteer.load().resolve("Al Shaar").place.id
    'ash-shaar'
"""

__version__ = "0.1.0"
