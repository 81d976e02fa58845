"""Reading one partition of a corpus, as each Dask worker does for ``geoaleppo batch``.

A partition is a list of articles; :func:`read_partition` reads them one by one with the
worker's gazetteer (loaded once a process), each within a time budget, into the JSON
lines, the failures and each layer's table. A bad article, or one that overruns its
budget, is a failure row; the rest of the partition still comes out. :func:`read_into`
writes them under OUTDIR when the worker sees it (a local cluster, a shared file
system), so that only the partition's marker goes back to the client; otherwise the
whole partition goes back, for the client to write (:mod:`geoaleppo.batch`).
"""

from __future__ import annotations

import ctypes
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geoaleppo.corpus import ArticleText
from geoaleppo.errors import GeoaleppoError
from geoaleppo.part_files import LAYER_NAMES, PartFiles, sees_run
from geoaleppo.reader import ReadFailure

if TYPE_CHECKING:
    import pyarrow as pa



@dataclass(frozen=True, slots=True)
class BatchFailure:
    """An article that gave no reading, and why (one line)."""

    source: str
    message: str


class _Overran(BaseException):
    """Raised inside a worker thread whose article ran over its time budget.

    A BaseException, so the reader's own ``except Exception`` cannot swallow it.
    """


def _within(seconds: float, call: Callable[[], Any]) -> Any:
    """``call()``, or :class:`_Overran` once it has run ``seconds``.

    Dask runs tasks in worker threads, where ``signal.alarm`` cannot be used; a watchdog
    thread raises the exception in this thread instead (CPython's
    PyThreadState_SetAsyncExc), between two bytecodes. Its lock keeps the exception from
    arriving after ``call`` returned.
    """
    if seconds <= 0:
        return call()
    ident = threading.get_ident()
    _WATCHDOG.watch(ident, seconds)
    try:
        return call()
    finally:
        _WATCHDOG.release(ident)


class _Watchdog:
    """One thread a process that stops calls run by :func:`_within` at their deadlines.

    A timer thread an article cost as much as reading a short one: starting a thread,
    like waking one, hands the interpreter lock over and back. The watchdog sleeps until
    the earliest deadline it knows, and is woken only for an earlier one; an article
    read in time usually never wakes it.
    """

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._deadlines: dict[int, float] = {}  # thread → when its call overruns
        self._wake_at: float | None = None  # when the watchdog wakes (None: when woken)
        self._thread: threading.Thread | None = None

    def watch(self, ident: int, seconds: float) -> None:
        with self._changed:
            deadline = self._deadlines[ident] = time.monotonic() + seconds
            if self._thread is None or not self._thread.is_alive():  # or lost in a fork
                self._wake_at = None
                self._thread = threading.Thread(target=self._run, name="geoaleppo-watchdog",
                                                daemon=True)
                self._thread.start()
            elif self._wake_at is None or deadline < self._wake_at:
                self._changed.notify()

    def release(self, ident: int) -> None:
        with self._changed:
            self._deadlines.pop(ident, None)
            # Cancels an exception raised but not yet delivered.
            ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(ident), None)

    def _run(self) -> None:
        with self._changed:
            while True:
                now = time.monotonic()
                for ident in [i for i, due in self._deadlines.items() if due <= now]:
                    del self._deadlines[ident]
                    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(ident),
                                                               ctypes.py_object(_Overran))
                self._wake_at = min(self._deadlines.values(), default=None)
                self._changed.wait(None if self._wake_at is None else self._wake_at - now)


_WATCHDOG = _Watchdog()


@dataclass(frozen=True, slots=True)
class PartResult:
    """One partition read: the JSON lines, the failures, and each layer's rows."""

    lines: str
    readings: int
    failures: tuple[BatchFailure, ...]
    tables: dict[str, pa.Table]
    summaries: dict[str, dict[str, Any]]
    unplaced: dict[str, int]


def read_partition(items: list[ArticleText | ReadFailure], gazetteer: str | None,
                   timeout: float) -> PartResult:
    """Read one partition (runs on a worker)."""
    import io

    from geoaleppo import gazetteer as gz
    from geoaleppo._geoparquet import geometry_summary, layer_table
    from geoaleppo.exports import reading_rows
    from geoaleppo.reader import read_text
    from geoaleppo.serialise import write_reading

    # gazetteer.load caches per directory in the process: each worker loads it once.
    index = gz.load(gazetteer)
    out = io.StringIO()
    failures: list[BatchFailure] = []
    rows: dict[str, list[tuple[dict[str, Any], Any]]] = {name: [] for name in LAYER_NAMES}
    unplaced = {"unplaced_events": 0, "unplaced_mentions": 0}
    readings = 0
    for item in items:
        if isinstance(item, ReadFailure):
            failures.append(BatchFailure(item.source, item.message))
            continue
        try:
            def read(item: ArticleText = item) -> Any:
                return read_text(item.text, source=item.source, published=item.published,
                                 gazetteer=index, warnings=list(item.warnings))

            reading = _within(timeout, read)
        except _Overran:
            failures.append(BatchFailure(item.source,
                                         f"{item.source}: took longer than {timeout:g} s"))
            continue
        except GeoaleppoError as exc:
            failures.append(BatchFailure(item.source, str(exc)))
            continue
        except Exception as exc:  # a reader bug costs one article, not the run
            failures.append(BatchFailure(item.source,
                                         f"{item.source}: {type(exc).__name__}: {exc}"))
            continue
        write_reading(reading, out, indent=None)
        out.write("\n")
        readings += 1
        layers, missing = reading_rows(reading)
        for name in LAYER_NAMES:
            rows[name].extend(layers[name])
        for key, count in missing.items():
            unplaced[key] += count
    return PartResult(
        lines=out.getvalue(), readings=readings, failures=tuple(failures),
        tables={name: layer_table(name, rows[name]) for name in LAYER_NAMES},
        summaries={name: geometry_summary(rows[name]) for name in LAYER_NAMES},
        unplaced=unplaced,
    )


def read_into(items: list[ArticleText | ReadFailure], index: int, digest: str, outdir: str,
              token: str, gazetteer: str | None, timeout: float) -> dict[str, Any] | PartResult:
    """Read partition ``index`` and write its files into OUTDIR when this worker sees the
    run there: its marker comes back. A worker that does not (no shared file system)
    sends the partition back."""
    result = read_partition(items, gazetteer, timeout)
    if sees_run(outdir, token):
        # Written here, the partition's megabytes of JSON and tables never cross to the
        # client, whose one process would otherwise receive and write every partition.
        return PartFiles(Path(outdir)).write(index, digest, result)
    return result
