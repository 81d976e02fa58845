"""The derived tables kept on disk: rebuilt when the gazetteer changes or the file is
damaged, and never in the way when the cache directory cannot be written."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from geoaleppo import gazetteer as gz
from geoaleppo import matching, world
from geoaleppo.model import Name
from geoaleppo.reader import read_text

REPORT = "Clashes in the south\n\nRebels and the army clashed in Zorblax on Monday.\n"


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "geoaleppo"


def _with_new_name(index: gz.Gazetteer, name: str) -> tuple[gz.Gazetteer, str]:
    """The gazetteer with ``name`` added to one Aleppo district's names."""
    district = next(p for p in index if p.kind == "district" and p.country == "SY")
    renamed = dataclasses.replace(district, names=(*district.names, Name(name)))
    places = [renamed if p.id == district.id else p for p in index]
    return gz.Gazetteer(places, directory=index.directory), district.id


def _tables_files(cache: Path) -> list[Path]:
    return sorted(cache.glob("matcher-tables-*.pickle"))


def _places_read(index: gz.Gazetteer) -> set[str | None]:
    return {m.place.id if m.place else None for m in read_text(REPORT, gazetteer=index).mentions}


def test_a_changed_gazetteer_is_read_with_its_own_names(cache_home: Path) -> None:
    before = gz.Gazetteer(list(gz.load()), directory=None)
    assert _places_read(before) == set()  # nobody calls a district Zorblax yet
    assert len(_tables_files(cache_home)) == 1
    after, district = _with_new_name(before, "Zorblax")
    # A new gazetteer object, so nothing kept in memory: only the disk could mislead.
    assert _places_read(after) == {district}
    assert len(_tables_files(cache_home)) == 2
    # The first gazetteer's tables are still the ones it gets.
    assert _places_read(gz.Gazetteer(list(before), directory=None)) == set()


def test_tables_from_disk_are_the_tables_built(cache_home: Path) -> None:
    index = gz.load()
    built = matching._tables(index)  # no cache yet: built, then written
    assert matching._tables(index) == built == matching._build_tables(index)


@pytest.mark.parametrize("damage", [b"", b"not a pickle at all", b"\x80\x05\x95\xff\xff"])
def test_a_damaged_tables_file_is_rebuilt(cache_home: Path, damage: bytes) -> None:
    index = gz.load()
    expected = matching._tables(index)
    (path,) = _tables_files(cache_home)
    path.write_bytes(damage)
    assert matching._tables(index) == expected
    assert path.read_bytes() != damage  # written again, whole


def test_a_damaged_world_extract_is_rebuilt(cache_home: Path) -> None:
    world._extract.cache_clear()
    try:
        cache_home.mkdir(parents=True)
        world.cache_file().write_bytes(b"\x80\x05truncated")
        columns, exact, _variant = world._extract()
        assert "aleppo" in exact and len(columns[0]) > 20_000
        assert world.cache_file().stat().st_size > 1_000_000
    finally:
        world._extract.cache_clear()


def test_an_unwritable_cache_only_costs_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                             ) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))  # nothing can be made under it
    index, district = _with_new_name(gz.load(), "Zorblax")
    assert _places_read(index) == {district}
    assert blocker.read_text(encoding="utf-8") == "not a directory"


@pytest.mark.slow
def test_processes_racing_for_an_empty_cache_all_read(cache_home: Path) -> None:
    script = ("from geoaleppo.reader import read_text; import sys; "
              "print(len(read_text(sys.argv[1]).mentions))")
    runs = [subprocess.Popen([sys.executable, "-c", script, REPORT.replace("Zorblax", "Aleppo")],
                             stdout=subprocess.PIPE, text=True) for _ in range(3)]
    outputs = [run.communicate(timeout=120)[0] for run in runs]
    assert all(run.returncode == 0 for run in runs)
    assert len(set(outputs)) == 1 and int(outputs[0]) > 0
    assert len(_tables_files(cache_home)) == 1
    assert not [p for p in cache_home.iterdir() if p.name.startswith(".")]  # no leftovers


def _copied_gazetteer(tmp_path: Path) -> Path:
    copy = tmp_path / "gaz"
    shutil.copytree(gz.BUNDLED, copy)
    return copy


def _fresh_load(directory: Path) -> gz.Gazetteer:
    gz._CACHE.clear()  # as a new process would find it: only the disk remembers
    return gz.load(directory)


def test_an_edited_gazetteer_file_is_loaded_as_edited(cache_home: Path, tmp_path: Path
                                                       ) -> None:
    directory = _copied_gazetteer(tmp_path)
    assert _fresh_load(directory).resolve("Zorblax").place is None
    assert len(list(cache_home.glob("gazetteer-*.pickle"))) == 1
    path = directory / "aleppo-neighbourhoods.geojson"
    text = path.read_text("utf-8")
    assert '"toponym": "Abraj"' in text
    path.write_text(text.replace('"toponym": "Abraj"', '"toponym": "Zorblax"', 1), "utf-8")
    edited = _fresh_load(directory)
    assert edited.resolve("Zorblax").place is not None
    assert len(list(cache_home.glob("gazetteer-*.pickle"))) == 2
    # The saved copy reads the same as the files it was saved from.
    again = _fresh_load(directory)
    assert [p.names for p in again] == [p.names for p in edited]


def test_a_damaged_gazetteer_copy_is_read_again_from_the_files(cache_home: Path,
                                                               tmp_path: Path) -> None:
    directory = _copied_gazetteer(tmp_path)
    places = list(_fresh_load(directory))
    (saved,) = cache_home.glob("gazetteer-*.pickle")
    saved.write_bytes(saved.read_bytes()[:1000])  # truncated
    assert list(_fresh_load(directory)) == places
    assert saved.stat().st_size > 1000
