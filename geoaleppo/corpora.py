"""Reading the public geoparsing corpora (TR-News, LGL, GeoWebNews) into gold articles.

The corpora come from "A Pragmatic Guide to Geoparsing Evaluation" (Gritta et al.) and are
used to measure, never shipped. Two XML schemas are read:

* TR-News and LGL: ``<article><text>…</text><toponyms><toponym><phrase/><start/><end/>
  <gaztag geonameid="…"><lat/><lon/>…</gaztag></toponym>…``
* GeoWebNews (GWN): ``<toponym><extractedName/><type/><start/><end/><geonamesID/>
  <latitude/><longitude/>…``, each toponym typed (Literal, Metonymic, Demonym, …).

Scoring them is :mod:`geoaleppo.evaluate`'s work.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from geoaleppo.errors import CorpusError

#: How far (characters) a gold phrase is looked for when its offsets do not select it.
REALIGN_WINDOW = 20


# -- gold --------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class GoldToponym:
    """One annotated toponym; ``text[start:end]`` of its article should be ``phrase``."""

    phrase: str
    start: int
    end: int
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None
    kind: str | None = None


@dataclass(frozen=True, slots=True)
class GoldArticle:
    """One annotated article."""

    text: str
    toponyms: tuple[GoldToponym, ...] = ()
    id: str = field(default="", compare=False)

    def offset_mismatches(self) -> int:
        """How many toponyms' offsets do not select their phrase in :attr:`text`."""
        return sum(not _selects(self.text, t) for t in self.toponyms)


def _selects(text: str, toponym: GoldToponym) -> bool:
    return toponym.start >= 0 and text[toponym.start : toponym.end] == toponym.phrase


def aligned_span(text: str, toponym: GoldToponym,
                 window: int = REALIGN_WINDOW) -> tuple[tuple[int, int], bool]:
    """The toponym's span in ``text`` and whether it had to be moved.

    Offsets that do not select the phrase (some TR-News articles are off by one) are
    replaced by the nearest occurrence of the phrase within ``window`` characters; when
    there is none the given offsets are kept.
    """
    if _selects(text, toponym) or not toponym.phrase or toponym.start < 0:
        return (toponym.start, toponym.end), False
    best: int | None = None
    lo = max(0, toponym.start - window)
    hi = toponym.end + window
    found = text.find(toponym.phrase, lo, hi)
    while found != -1:
        if best is None or abs(found - toponym.start) < abs(best - toponym.start):
            best = found
        found = text.find(toponym.phrase, found + 1, hi)
    if best is None:
        return (toponym.start, toponym.end), False
    return (best, best + len(toponym.phrase)), True


def _child_text(element: ET.Element, *tags: str) -> str | None:
    """The stripped text of the first child with one of ``tags``, or None if none exists."""
    for tag in tags:
        child = element.find(tag)
        if child is not None:
            return (child.text or "").strip()
    return None


def _fail(path: Path, where: str, problem: str) -> CorpusError:
    return CorpusError(f"{path}: {where}: {problem}")


def _number(path: Path, where: str, name: str, value: str | None, kind: type) -> Any:
    if value is None or value == "":
        return None
    try:
        return kind(value)
    except ValueError:
        raise _fail(path, where, f"{name} is not a number: {value!r}") from None


def _toponym(path: Path, where: str, element: ET.Element) -> GoldToponym:
    phrase_element = element.find("phrase")
    if phrase_element is None:
        phrase_element = element.find("extractedName")
    if phrase_element is None:
        raise _fail(path, where, "toponym without <phrase> or <extractedName>")
    # The phrase is compared with the text, so it keeps its own spacing.
    phrase = phrase_element.text or ""
    start = _number(path, where, "<start>", _child_text(element, "start"), int)
    end = _number(path, where, "<end>", _child_text(element, "end"), int)
    if start is None or end is None:
        raise _fail(path, where, f"toponym {phrase!r} without <start> and <end>")
    gaztag = element.find("gaztag")
    if gaztag is not None:  # TR-News, LGL
        raw_id = gaztag.get("geonameid")
        lat_text = _child_text(gaztag, "lat")
        lon_text = _child_text(gaztag, "lon")
    else:  # GWN (or a TR-News/LGL toponym without a gazetteer tag)
        raw_id = _child_text(element, "geonamesID")
        lat_text = _child_text(element, "latitude")
        lon_text = _child_text(element, "longitude")
    geonameid = _number(path, where, "geonameid", (raw_id or "").strip(), int)
    lat = _number(path, where, "latitude", lat_text, float)
    lon = _number(path, where, "longitude", lon_text, float)
    if (lat is None) != (lon is None):
        raise _fail(path, where, f"toponym {phrase!r} has only one of latitude and longitude")
    if lat is not None and not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise _fail(path, where, f"toponym {phrase!r} has coordinates out of range")
    kind = _child_text(element, "type") or None
    return GoldToponym(phrase, start, end, lat, lon, geonameid, kind)


def _article(path: Path, index: int, element: ET.Element) -> GoldArticle:
    ident = element.get("docid") or element.get("file") or str(index)
    where = f"article {ident}"
    text_element = element.find("text")
    if text_element is None:
        raise _fail(path, where, "no <text>")
    text = text_element.text or ""
    holder = element.find("toponyms")
    toponyms = () if holder is None else tuple(
        _toponym(path, where, t) for t in holder.iter("toponym")
    )
    # Offsets that do not select the phrase (even past the end) are the corpus's own
    # errors: they are counted (GoldArticle.offset_mismatches), not fatal.
    return GoldArticle(text, toponyms, ident)


def iter_corpus(path: Path | str) -> Iterator[GoldArticle]:
    """The articles of a corpus, one at a time, in bounded memory.

    Raises :class:`CorpusError` naming the file on a missing file, malformed XML, or an
    article or toponym that lacks a required field.
    """
    path = Path(path)
    if not path.is_file():
        raise CorpusError(f"{path}: no such file")
    root: ET.Element | None = None
    index = 0
    try:
        for event, element in ET.iterparse(path, events=("start", "end")):
            if root is None:
                root = element
                if root.tag != "articles":
                    raise CorpusError(f"{path}: root element is <{root.tag}>, not <articles>")
                continue
            if event == "end" and element.tag == "article":
                article = _article(path, index, element)
                index += 1
                root.clear()  # drop what has been read
                yield article
    except ET.ParseError as exc:
        raise CorpusError(f"{path}: malformed XML: {exc}") from None
    except OSError as exc:
        raise CorpusError(f"{path}: cannot read: {exc.strerror or exc}") from None


def load_corpus(path: Path | str) -> list[GoldArticle]:
    """Every article of the corpus at ``path`` (see :func:`iter_corpus`)."""
    return list(iter_corpus(path))


def survey(path: Path) -> tuple[int, bool]:
    """How many articles the corpus has, and whether its toponyms are typed (GWN)."""
    count = 0
    typed = False
    try:
        for _event, element in ET.iterparse(path, events=("end",)):
            if element.tag == "type":
                typed = True
            elif element.tag == "article":
                count += 1
                element.clear()
    except ET.ParseError as exc:
        raise CorpusError(f"{path}: malformed XML: {exc}") from None
    except OSError as exc:
        raise CorpusError(f"{path}: cannot read: {exc.strerror or exc}") from None
    return count, typed
