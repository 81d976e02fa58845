"""Derived files under ``$XDG_CACHE_HOME/geoaleppo``: pickles that only save time.

Everything here can be deleted at any moment and is rebuilt on next use. A cache that
cannot be read (missing, truncated, corrupt, from another version) is the same as no
cache, and one that cannot be written (a read-only home) only costs the time it would
have saved. Files are replaced atomically (:func:`geoaleppo.store.write_bytes_atomic`),
so two processes that build the same cache at once each write a whole file and the
last rename wins; a reader sees one whole file or the other.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import pickle
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
    from geoaleppo.store import write_bytes_atomic

    try:
        write_bytes_atomic(path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    except OSError:
        return  # a read-only or full cache directory only costs speed
    if keep is None:
        return
    family = path.name.rsplit("-", 1)[0]
    with contextlib.suppress(OSError):
        others = sorted(path.parent.glob(f"{family}-*{path.suffix}"),
                        key=_modified, reverse=True)
        for stale in others[keep:]:
            if stale != path:
                stale.unlink(missing_ok=True)


def _modified(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:  # removed by another process meanwhile
        return 0.0
