"""Faults around writing: kill -9 mid-add, a lock held too long, read-only and full file
systems, ``/dev/full``, and concurrent writers of one output file.

Real processes, real signals and real file systems (tmpfs in a private mount namespace,
see the ``own_mounts`` fixture), each case bounded to seconds. The counts the issue asks
for (32 and 64 concurrent adds) are in ``test_cli_gazetteer.py``.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import random
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from test_cli_gazetteer import ADD, assert_one_line_error, cli, gaz, grid_point, snapshot

from geoaleppo import curation, entries
from geoaleppo import gazetteer as gz
from geoaleppo.errors import GazetteerError
from geoaleppo.store import LOCK_FILE, _claim, locked

__all__ = ["gaz"]  # the fixture, used here by name

ARTICLE = str(Path(__file__).resolve().parents[1] / "maps" / "aleppo-2016-12-05.txt")


def add_command(i: int) -> list[str]:
    """``gazetteer add`` of the i-th test place, as a process."""
    lat, lon = grid_point(i)
    return [sys.executable, "-m", "geoaleppo", *ADD, f"Test Fault {i:02d}", "--lat", lat,
            "--lon", lon, "--kind", "area", "--parent", "aleppo", "--source", "fault test"]


def temporaries(directory: Path) -> list[str]:
    """Hidden files a writer left (the lock file is meant to stay)."""
    return sorted(p.name for p in directory.iterdir()
                  if p.name.startswith(".") and p.name != LOCK_FILE)


def titles(directory: Path) -> set[str]:
    additions = directory / gz.ADDITIONS_FILE
    if not additions.exists():
        return set()
    document = json.loads(additions.read_text("utf-8"))
    return {feature["properties"]["title"] for feature in document["features"]}


# -- the lock --------------------------------------------------------------------------
def hold_lock(directory: Path, *, seconds: float, hand_overs: int, held: threading.Event
              ) -> None:
    """Hold the lock like a queue of ``hand_overs`` writers would (each one re-claims it)."""
    descriptor = os.open(directory / LOCK_FILE, os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        _claim(descriptor)
        held.set()
        for _ in range(hand_overs):
            time.sleep(seconds / hand_overs)
            _claim(descriptor)
        time.sleep(seconds / hand_overs if hand_overs else seconds)
    finally:
        os.close(descriptor)


def waiting_for(directory: Path, *, stall: float, seconds: float, hand_overs: int) -> float:
    """Seconds :func:`locked` waited while another holder kept the lock as described."""
    held = threading.Event()
    holder = threading.Thread(target=hold_lock, args=(directory,),
                              kwargs={"seconds": seconds, "hand_overs": hand_overs, "held": held})
    holder.start()
    try:
        held.wait(5)
        start = time.monotonic()
        with locked(directory, stall=stall):
            return time.monotonic() - start
    finally:
        holder.join()


def test_the_lock_waits_as_long_as_it_changes_hands(tmp_path: Path) -> None:
    """A long queue is waited out, past the stall limit, since every holder moves on."""
    assert waiting_for(tmp_path, stall=0.4, seconds=1.2, hand_overs=6) >= 1.0


def test_a_stuck_holder_is_named_after_the_stall_limit(tmp_path: Path) -> None:
    """One holder keeping the lock past the limit: an honest one-line error naming it."""
    with pytest.raises(GazetteerError) as caught:
        waiting_for(tmp_path, stall=0.3, seconds=1.0, hand_overs=0)
    assert str(caught.value) == (
        f"{tmp_path}: process {os.getpid()} has held the gazetteer lock for over 0.3 s; "
        "if it is stuck, stop it and try again")


# -- kill -9 ---------------------------------------------------------------------------
# Run as a process that kills itself with SIGKILL at one moment of its add: the worst
# moments on purpose, rather than hoping a random kill lands in them.
KILL_SELF = """
import os, signal, sys
from pathlib import Path
import geoaleppo.store as store
from geoaleppo import curation

def die(*_args):
    os.kill(os.getpid(), signal.SIGKILL)

def then_die(real):
    def call(*args, **kwargs):
        real(*args, **kwargs)
        die()
    return call

moment = sys.argv[1]
if moment == "writing":
    store.os.fsync = die
elif moment == "named":
    store.os.link = then_die(os.link)
elif moment == "renamed":
    store.Path.replace = then_die(Path.replace)
curation.add(curation.NewEntry("Test Killed", "area", "s", lat=36.2, lon=37.15,
                               parent="aleppo"), Path(sys.argv[2]))
"""


@pytest.mark.parametrize("moment", ["writing", "named", "renamed"])
def test_kill_9_at_the_worst_moments(gaz: Path, moment: str) -> None:
    """Before the rename nothing changes; after it the entry is whole; and no temporary
    outlives the next add (the one moment that leaves one, it sweeps)."""
    curation.add(curation.NewEntry("Test Earlier", "area", "s", lat=36.21, lon=37.16,
                                   parent="aleppo"), gaz)
    before = snapshot(gaz)
    killed = subprocess.run([sys.executable, "-c", KILL_SELF, moment, str(gaz)],
                            capture_output=True, text=True, timeout=60, check=False)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    if moment == "renamed":
        assert "Test Killed" in titles(gaz)
    else:
        assert snapshot(gaz) == before
    if moment == "named":
        assert len(temporaries(gaz)) == 1  # named, not yet renamed: the sweep's case
    else:
        assert temporaries(gaz) == []
    curation.add(curation.NewEntry("Test After", "area", "s", lat=36.19, lon=37.13,
                                   parent="aleppo"), gaz)
    assert temporaries(gaz) == []
    assert entries.validate(gaz) == []


@pytest.mark.parametrize("unnamed", [True, False], ids=["o-tmpfile", "named-temporary"])
def test_a_failed_write_leaves_the_old_file_and_nothing_else(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, unnamed: bool
) -> None:
    """Both ways of writing (O_TMPFILE, and the named temporary where a file system
    lacks it) leave the old file whole after a write fails halfway."""
    from geoaleppo import store

    target = tmp_path / "out.txt"
    target.write_text("old", "utf-8")
    if not unnamed:
        monkeypatch.setattr(store, "_write_unnamed", lambda *_: False)

    def full(_descriptor: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store.os, "fsync", full)
    with pytest.raises(OSError, match="No space left"):
        store.write_atomic(target, "new")
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]
    assert target.read_text("utf-8") == "old"


KILLS = 12


def wait_for_lock(directory: Path, pid: int, timeout: float = 30.0) -> bool:
    """Wait until process ``pid`` holds the gazetteer lock (the lock file names it)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(FileNotFoundError):
            if (directory / LOCK_FILE).read_text("ascii").startswith(f"{pid} "):
                return True
        time.sleep(0.002)
    return False


@pytest.mark.slow
def test_kill_9_at_random_moments_leaves_a_valid_gazetteer(gaz: Path) -> None:
    """Adds killed at random moments, half of them while they hold the lock (reading,
    checking, writing); each time the gazetteer still loads, and after one more add
    none is left behind and every add that finished is there."""
    env = {**os.environ, gz.ENV_VAR: str(gaz)}
    rng = random.Random(13)
    start = time.monotonic()
    subprocess.run(add_command(0), env=env, capture_output=True, timeout=120, check=True)
    duration = time.monotonic() - start
    finished, leftovers = {"Test Fault 00"}, []
    for i in range(1, KILLS + 1):
        process = subprocess.Popen(add_command(i), env=env, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        if i % 2 and wait_for_lock(gaz, process.pid):
            time.sleep(rng.uniform(0.0, 0.25))  # the locked part takes about 0.15 s
        else:
            time.sleep(duration * rng.uniform(0.2, 1.2))
        process.send_signal(signal.SIGKILL)
        if process.wait(timeout=60) == 0:
            finished.add(f"Test Fault {i:02d}")
        leftovers += temporaries(gaz)
        gz.load(gaz)  # a load validates every entry: raises if the file were torn
    subprocess.run(add_command(KILLS + 1), env=env, capture_output=True, timeout=120, check=True)
    assert temporaries(gaz) == [], leftovers
    assert entries.validate(gaz) == []
    attempted = {f"Test Fault {i:02d}" for i in range(KILLS + 2)}
    assert finished | {f"Test Fault {KILLS + 1:02d}"} <= titles(gaz) <= attempted


# -- read-only and full file systems -----------------------------------------------------
def mounted(own_mounts: Any, tmp_path: Path, setup: str, command: list[str]
            ) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    """Run ``command`` after ``setup`` on a tmpfs at ``tmp_path/mnt``; also return what
    the tmpfs holds afterwards (read inside, since it vanishes with the namespace)."""
    mnt, listing = tmp_path / "mnt", tmp_path / "listing.txt"
    mnt.mkdir()
    quoted = " ".join(f"'{word}'" for word in command)
    script = f"""set -e
mount -t tmpfs -o size=4m tmpfs '{mnt}'
{setup.format(mnt=mnt, bundled=gz.BUNDLED)}
set +e
{quoted}
status=$?
(cd '{mnt}' && find . -mindepth 1 ! -name filler | sort) > '{listing}'
exit $status"""
    result = own_mounts(script)
    return result, listing.read_text("utf-8").split() if listing.exists() else []


COPY = "cp -r '{bundled}/.' '{mnt}/gaz'"
READ_ONLY = COPY + "\nmount -o remount,ro '{mnt}'"
FULL = COPY + "\nmkdir '{mnt}/out'\ncat /dev/zero > '{mnt}/filler' 2>/dev/null || true"


def one_line(result: subprocess.CompletedProcess[str], *mentions: str) -> None:
    lines = result.stderr.splitlines()
    assert result.returncode == 1 and len(lines) == 1, (result.returncode, result.stderr)
    assert lines[0].startswith("geoaleppo: error: ")
    for mention in mentions:
        assert mention in lines[0], lines[0]


def bundled_listing() -> list[str]:
    return ["./gaz", *(f"./gaz/{p.name}" for p in gz.BUNDLED.iterdir())]


def test_add_into_a_read_only_gazetteer_is_one_line(own_mounts: Any, tmp_path: Path) -> None:
    """A read-only file system (root included): one line, and nothing changes."""
    gazetteer = str(tmp_path / "mnt" / "gaz")
    result, after = mounted(own_mounts, tmp_path, READ_ONLY,
                            [*add_command(1), "--gazetteer", gazetteer])
    one_line(result, gazetteer, "Read-only file system")
    assert sorted(after) == sorted(bundled_listing())


def test_add_on_a_full_disk_is_one_line_and_leaves_nothing(
    own_mounts: Any, tmp_path: Path
) -> None:
    """No space left: one line naming the file; no additions file, no temporary."""
    gazetteer = tmp_path / "mnt" / "gaz"
    result, after = mounted(own_mounts, tmp_path, FULL,
                            [*add_command(1), "--gazetteer", str(gazetteer)])
    one_line(result, str(gazetteer / gz.ADDITIONS_FILE), "No space left on device")
    assert sorted(after) == sorted([*bundled_listing(), "./out", f"./gaz/{LOCK_FILE}"])


OUTPUTS = {
    "map": ["map", ARTICLE, "-o", "{out}/map.html"],
    "export-geojson": ["export", ARTICLE, "-o", "{out}/events.geojson"],
    "export-gpkg": ["export", ARTICLE, "-o", "{out}/events.gpkg"],
    "gazetteer-export": ["gazetteer", "export", "-o", "{out}/gazetteer.geojson"],
}


@pytest.mark.parametrize("output", OUTPUTS)
def test_outputs_on_a_full_disk_are_one_line_and_leave_nothing(
    own_mounts: Any, tmp_path: Path, output: str
) -> None:
    """A map or export that does not fit: one line, and no partial or temporary file."""
    out = tmp_path / "mnt" / "out"
    args = [arg.format(out=out) for arg in OUTPUTS[output]]
    result, after = mounted(own_mounts, tmp_path, FULL,
                            [sys.executable, "-m", "geoaleppo", *args,
                             "--gazetteer", str(gz.BUNDLED)])
    one_line(result, args[-1], "cannot write")
    assert [name for name in after if name.startswith("./out/")] == []


# -- /dev/full -------------------------------------------------------------------------
DEVICE_OUTPUTS = {**OUTPUTS, "timeline-csv": ["timeline", ARTICLE, "-o", "{out}/history.csv"]}


@pytest.mark.parametrize("output", DEVICE_OUTPUTS)
def test_dev_full_is_one_line_and_stays_a_device(tmp_path: Path, output: str) -> None:
    """``-o /dev/full`` is refused by its (missing) extension; a link to it named like an
    output is written through, fails for want of space, and /dev/full stays a device."""
    args = DEVICE_OUTPUTS[output]
    assert_one_line_error(cli(*args[:-1], "/dev/full"), "/dev/full")
    link = tmp_path / Path(args[-1]).name
    link.symlink_to("/dev/full")
    assert_one_line_error(cli(*args[:-1], str(link)), str(link), "No space left on device")
    assert stat.S_ISCHR(Path("/dev/full").stat().st_mode)
    assert [p.name for p in tmp_path.iterdir()] == [link.name]
    assert link.is_symlink()


# -- concurrent writers of one output --------------------------------------------------
@pytest.mark.slow
def test_concurrent_writers_of_one_output_leave_one_complete_file(
    tmp_path: Path, assets: Path
) -> None:
    """Two maps and two exports to one path each at once: each path holds one whole
    file, of one writer, and nothing else is left."""
    env = {**os.environ, gz.ENV_VAR: str(gz.BUNDLED)}
    page, events = tmp_path / "map.html", tmp_path / "events.geojson"
    commands = 2 * [["map", ARTICLE, "-o", str(page), "--offline"],
                    ["export", ARTICLE, "-o", str(events)]]
    processes = [subprocess.Popen([sys.executable, "-m", "geoaleppo", *command], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
                 for command in commands]
    errors = [p.communicate(timeout=300)[1] for p in processes]
    assert [p.returncode for p in processes] == [0] * len(commands), errors
    assert sorted(p.name for p in tmp_path.iterdir()) == ["events.geojson", "map.html"]
    assert page.read_text("utf-8").rstrip().endswith("</html>")
    document = json.loads(events.read_text("utf-8"))
    assert document["type"] == "FeatureCollection" and document["features"]
