"""Derived files under ``$XDG_CACHE_HOME/geoaleppo``: pickles that only save time.

Everything here can be deleted at any moment and is rebuilt on next use. A cache that
cannot be read (missing, truncated, corrupt, from another version) is the same as no
cache, and one that cannot be written (a read-only home) only costs the time it would
have saved. A file is written under a temporary name and renamed, so two processes that
build the same cache at once each write a whole file and the last rename wins; a reader
sees one whole file or the other.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import pickle
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any


def directory() -> Path:
    """Where geoaleppo keeps its derived files (an empty ``XDG_CACHE_HOME`` is unset)."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "geoaleppo"


def code_digest(*modules: ModuleType) -> str:
    """A digest of the source of the modules that derive a cached value: a change to
    how keys are folded must not meet the keys folded the old way."""
    digest = hashlib.sha256()
    for module in modules:
        try:
            digest.update(Path(module.__file__ or "").read_bytes())
        except OSError:  # no source beside the module: its name stands for it
            digest.update(module.__name__.encode())
    return digest.hexdigest()


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    # Unpickling makes hundreds of thousands of containers, and each few hundred set off
    # the cyclic garbage collector, which walks them all again: pausing it makes the
    # load nearly twice as fast. Nothing made here is garbage yet.
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load(path: Path) -> Any | None:
    """What ``path`` holds, or None when it is missing or cannot be unpickled."""
    try:
        with path.open("rb") as stream, _collector_paused():
            return pickle.load(stream)
    except Exception:  # a damaged cache is no cache, whatever the damage: rebuild
        return None


def store(path: Path, value: Any, *, keep: int | None = None) -> None:
    """Write ``value`` to ``path`` if the cache directory allows it; with ``keep``, leave
    at most that many files of the same family (the same name before its last ``-``),
    the most recently written."""
    try:
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # a value that cannot be pickled is simply not kept
        return
    try:
        _write_atomic(path, data)
    except OSError:
        return  # a read-only or full cache directory only costs speed
    if keep is not None:
        _prune(path, keep)


def _write_atomic(path: Path, data: bytes) -> None:
    # Not geoaleppo.store's writer: that one syncs the disk, which a file that is only a
    # shortcut does not need (one torn by a power cut fails to unpickle and is rebuilt).
    # And plain os calls, apart from the Path methods and os.link and os.fsync that the
    # fault tests replace to kill a gazetteer write at its worst moments: a cache written
    # on the way (curation.add loads the gazetteer first) must not be what they hit.
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)  # noqa: PTH105
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)  # noqa: PTH108
        raise


_STALE_TEMPORARY_S = 3600.0  # a temporary this old belongs to a process that was killed


def _prune(path: Path, keep: int) -> None:
    family = path.name.rsplit("-", 1)[0]
    with contextlib.suppress(OSError):
        others = sorted(path.parent.glob(f"{family}-*{path.suffix}"),
                        key=_modified, reverse=True)
        for stale in others[keep:]:
            if stale != path:
                stale.unlink(missing_ok=True)
        now = time.time()
        for temporary in path.parent.glob(f".{family}-*"):
            if now - _modified(temporary) > _STALE_TEMPORARY_S:
                temporary.unlink(missing_ok=True)


def _modified(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:  # removed by another process meanwhile
        return 0.0
