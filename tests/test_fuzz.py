"""Fuzzing: the reader, the name keys and the gazetteer loader never end in a traceback.

Whatever text the reader is given, it reads it, with true offsets and a reading that
serialises to valid JSON; whatever a name is, its keys are well-formed strings; whatever
a gazetteer file holds, loading it either works or refuses it with a
:class:`~geoaleppo.errors.GazetteerError`. The examples are drawn deterministically
(``derandomize``), so a failure here fails the same way on every machine.
"""

from __future__ import annotations

import copy
import json
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geoaleppo import gazetteer
from geoaleppo import names as keys
from geoaleppo.errors import ArticleError, GazetteerError
from geoaleppo.reader import read_text
from geoaleppo.serialise import dumps, reading_json
from geoaleppo.text import decode

GAZETTEER = gazetteer.load()
FUZZ = settings(deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])

# -- the reader ---------------------------------------------------------------------------
# What reports are made of, and the punctuation and scripts that make reading them tricky.
_PIECES = [
    "Rebels", "rebels", "shelled", "Al Shaar", "al-Sha'ar", "the citadel", "Aleppo", "eastern",
    "Aleppo Eye Hospital", "the hospital", "between", "and", "stretching north from there to",
    "within 2 km of", "around", "rebel-held", "government-held areas", "took", "retake",
    "killed", "7", "1,200", "more than", "wounded", "journalists in", "Reuters", "said",
    "according to", "Malahifji", "Moscow", "Russia", "backed by", "talks with", "Paris",
    "on Monday", "since mid-November", "would", "Bab al-Hadid", "split", "held by rebels",
    "U.S.-led", "Dr.", "A.", "الشعار", "حلب", "ال", "İstanbul", "ǅ", "\u0301", "\u200f",
    "99999999999999999999999", "٣٠٠", "²", "{{", "<script>", "'s",
]
_GAPS = [" ", "", ", ", ". ", "; ", "\n", "\n\n", " - ", "  ", "\t", "\r\n", "\u2028", '"', "“",
         "(", ")", "/", ":", "—", "...", "!?"]
_REPORT_TEXT = st.lists(st.tuples(st.sampled_from(_PIECES), st.sampled_from(_GAPS)),
                        max_size=60).map(lambda parts: "".join(a + b for a, b in parts))
_RUNS = st.tuples(st.text(min_size=1, max_size=4), st.integers(1, 3_000)).map(
    lambda motif: motif[0] * motif[1])
_TEXT = st.one_of(st.text(max_size=400), _REPORT_TEXT, _RUNS,
                  st.tuples(_REPORT_TEXT, _RUNS, _REPORT_TEXT).map("".join))


def _no_constant(name: str) -> None:
    raise AssertionError(f"{name} is not JSON")


@settings(FUZZ, max_examples=400)
@given(_TEXT, st.sampled_from([None, "2016-12-05", "2016-02-29"]))
def test_the_reader_reads_any_text(text: str, published: str | None) -> None:
    reading = read_text(text, published=published, gazetteer=GAZETTEER)
    for mention in (*reading.mentions, *reading.unresolved):
        assert text[mention.start : mention.end] == mention.text
    for event in reading.events:
        assert event.sentence in text
    json.loads(dumps(reading_json(reading)), parse_constant=_no_constant)


@settings(FUZZ, max_examples=200)
@given(st.binary(max_size=300) | _TEXT.map(lambda text: text.encode("utf-8", "surrogatepass")))
def test_article_bytes_decode_or_are_refused_cleanly(data: bytes) -> None:
    try:
        text, warnings = decode(data, "fuzzed")
    except ArticleError:
        return
    assert isinstance(text, str)
    assert all(isinstance(warning, str) for warning in warnings)


# -- the name keys ------------------------------------------------------------------------
_NAMES = st.one_of(st.text(max_size=40), _REPORT_TEXT.map(lambda text: text[:80]))


@settings(FUZZ, max_examples=400)
@given(_NAMES)
def test_name_keys_are_well_formed_for_any_name(name: str) -> None:
    exact, variant, skeleton = keys.keys(name)
    assert (exact, variant, skeleton) == (keys.exact_key(name), keys.variant_key(name),
                                          keys.skeleton_key(name))
    for key in (exact, variant):
        assert key == " ".join(key.split())  # single spaces, none at the ends
    assert " " not in skeleton
    glued = keys.glued_article_key(name)
    assert glued is None or isinstance(glued, str)
    for answer in (keys.is_generic(name), keys.skeleton_is_safe(name), keys.is_arabic(name),
                   keys.has_article(exact)):
        assert isinstance(answer, bool)


# -- the gazetteer loader -----------------------------------------------------------------
_SOURCES = {"test": {"title": "made for a test", "licence": "CC0"}}
_ENTRY: dict[str, Any] = {
    "type": "Feature",
    "id": "test-place",
    "properties": {
        "title": "Test Place", "kind": "district", "precision": "district",
        "point": [37.16, 36.2], "geometry_source": "drawn for a test", "country": "SY",
        "parent": "aleppo", "population": 10, "members": ["test-other"],
        "members_on": {"2016-12-01": ["test-other"]}, "uncertainty_m": 100.0, "note": "n",
    },
    "names": [{"toponym": "Test Place", "lang": "en"}, {"toponym": "حي التجربة", "lang": "ar"}],
    "sources": ["test"],
    "links": [{"identifier": "geonames:1"}],
    "geometry": {"type": "Polygon", "coordinates": [[[37.15, 36.19], [37.17, 36.19],
                                                     [37.17, 36.21], [37.15, 36.21],
                                                     [37.15, 36.19]]]},
}
_DOCUMENT: dict[str, Any] = {
    "type": "FeatureCollection",
    "features": [_ENTRY, {**_ENTRY, "id": "test-other", "geometry": None,
                          "names": [{"toponym": "Other Place"}]}],
}


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    children = (value.items() if isinstance(value, dict)
                else enumerate(value) if isinstance(value, list) else ())
    for key, child in children:
        yield from _paths(child, (*prefix, key))


_PLACES = [path for path in _paths(_DOCUMENT) if path]
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.integers(min_value=10**30)
    | st.floats() | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner,
                                                               max_size=3),
    max_leaves=8,
)
# (where, what) a mutation does: set a value there, or delete it.
_MUTATION = st.tuples(st.sampled_from(_PLACES), _JSON, st.booleans())

def _mutated(mutations: list[tuple[tuple[Any, ...], Any, bool]]) -> dict[str, Any]:
    document = copy.deepcopy(_DOCUMENT)
    for path, value, delete in mutations:
        node = document
        try:
            for key in path[:-1]:
                node = node[key]
            if delete and isinstance(node, dict):
                node.pop(path[-1], None)
            else:
                node[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation took this place away
    return document


def _load_and_use(directory: Path) -> None:
    try:
        loaded = gazetteer.load(directory)
    except GazetteerError:
        return
    for place in loaded:
        for name in place.names:
            loaded.resolve(name.text)


@settings(FUZZ, max_examples=400)
@given(st.lists(_MUTATION, min_size=1, max_size=3))
def test_a_mutated_gazetteer_loads_or_is_refused(
    mutations: list[tuple[tuple[Any, ...], Any, bool]],
) -> None:
    with tempfile.TemporaryDirectory() as name:
        directory = Path(name)
        (directory / "sources.json").write_text(json.dumps(_SOURCES), "utf-8")
        (directory / "places.geojson").write_text(json.dumps(_mutated(mutations)), "utf-8")
        _load_and_use(directory)


_VALID = json.dumps(_DOCUMENT, ensure_ascii=False, indent=1).encode("utf-8")


@settings(FUZZ, max_examples=250)
@given(
    st.integers(0, len(_VALID)),
    st.binary(max_size=6),
    st.integers(0, 6),
    st.sampled_from(["places.geojson", "sources.json"]),
)
def test_a_damaged_gazetteer_file_is_refused_cleanly(
    at: int, inserted: bytes, removed: int, damaged: str,
) -> None:
    files = {"places.geojson": _VALID, "sources.json": json.dumps(_SOURCES).encode()}
    data = files[damaged]
    at = min(at, len(data))
    files[damaged] = data[:at] + inserted + data[at + removed :]
    with tempfile.TemporaryDirectory() as name:
        directory = Path(name)
        for file_name, content in files.items():
            (directory / file_name).write_bytes(content)
        _load_and_use(directory)


@settings(FUZZ, max_examples=60)
@given(_JSON)
def test_any_json_as_a_gazetteer_file_is_refused_or_loads(document: Any) -> None:
    with tempfile.TemporaryDirectory() as name:
        directory = Path(name)
        (directory / "sources.json").write_text(json.dumps(_SOURCES), "utf-8")
        (directory / "places.geojson").write_text(json.dumps(document), "utf-8")
        _load_and_use(directory)


def _entry_with(*changes: tuple[tuple[str, ...], Any]) -> dict[str, Any]:
    document = copy.deepcopy(_DOCUMENT)
    for path, value in changes:
        node = document["features"][0]
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
    return document


# The loader once took each of these unchecked, and a later command crashed on it.
@pytest.mark.parametrize("document", [
    _entry_with((("properties", "population"), float("nan"))),
    _entry_with((("properties", "population"), "many")),
    _entry_with((("properties", "members"), 5)),
    _entry_with((("properties", "members_on"), "2016-12-01")),
    _entry_with((("links",), None)),
    _entry_with((("links",), [None])),
    _entry_with((("links",), [{"identifier": []}])),
    _entry_with((("geometry", "type"), [])),
    _entry_with((("geometry", "coordinates", 0, 1), [37.17, 36.19, 1.0])),
], ids=["population NaN", "population text", "members number", "members_on text",
        "links null", "link null", "link identifier list", "geometry type list",
        "positions of mixed lengths"])
def test_former_loader_gaps_are_refused(document: dict[str, Any], tmp_path: Path) -> None:
    (tmp_path / "sources.json").write_text(json.dumps(_SOURCES), "utf-8")
    (tmp_path / "places.geojson").write_text(json.dumps(document), "utf-8")
    with pytest.raises(GazetteerError, match="test-place"):
        gazetteer.load(tmp_path)


@pytest.mark.parametrize("damage", ["deep nesting", "symlink loop"])
def test_former_loader_gaps_in_files_are_refused(damage: str, tmp_path: Path) -> None:
    (tmp_path / "sources.json").write_text(json.dumps(_SOURCES), "utf-8")
    places = tmp_path / "places.geojson"
    if damage == "deep nesting":
        places.write_text('{"type": "FeatureCollection", "features": ' + "[" * 200_000, "utf-8")
    else:
        places.symlink_to(places)
    with pytest.raises(GazetteerError, match=r"places\.geojson"):
        gazetteer.load(tmp_path)
