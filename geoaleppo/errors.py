"""One exception tree for geoaleppo.

Every error a user can cause derives from :class:`GeoaleppoError`, and each subclass also
inherits the builtin it resembles, so callers may catch either (``except ValueError`` keeps
working for code that does not know about geoaleppo).
"""

from __future__ import annotations


class GeoaleppoError(Exception):
    """Root of every error geoaleppo raises on purpose."""


class GazetteerError(GeoaleppoError, ValueError):
    """A gazetteer file or entry is malformed, unsourced or inconsistent."""


class EntryRejected(GeoaleppoError, ValueError):
    """``gazetteer add`` refused a new entry; the message says why."""


class ArticleError(GeoaleppoError, ValueError):
    """An article could not be read (missing, empty, binary, undecodable)."""


class ExportError(GeoaleppoError, ValueError):
    """An export or map could not be written (unknown format, unwritable path)."""


class AssetError(GeoaleppoError, RuntimeError):
    """Pinned web assets for offline maps are missing or failed their integrity check."""


class CorpusError(GeoaleppoError, ValueError):
    """An evaluation corpus could not be parsed."""


class BatchError(GeoaleppoError, RuntimeError):
    """A batch run could not start or finish (no scheduler, unwritable output, lost tasks)."""
