"""Reading a whole corpus on a Dask cluster: ``geoaleppo batch``.

The articles are streamed from their sources in a fixed order and cut into partitions
of ``partition_size``; each partition is read on a worker (a local cluster of worker
processes, or the workers of a running ``dask scheduler``) and written under OUTDIR, by
the worker itself when it sees OUTDIR (a local cluster, a shared file system), else by
this process, to which it comes back (:mod:`geoaleppo.part_files`)::

    readings/part-00000.jsonl    one Reading per line, as ``parse --jsonl`` prints it
    events.parquet               GeoParquet, EPSG:4326: the flat columns of each layer
    control.parquet
    mentions.parquet
    timeline.json                the corpus's fused timeline (``geoaleppo timeline``)
    manifest.json                inputs and their sha256, counts, version, errors

Workers need no shared file system: texts go to them, and results come back from
those that cannot write OUTDIR themselves (a token file tells them apart). A
partition's files are written under temporary names and renamed when complete, and a
small marker (``.batch/part-NNNNN.json``) is written last; ``resume`` skips a partition
whose marker matches its inputs and its part file, so a killed run loses nothing.
Nothing depends on the number of workers or on which finishes first: the same inputs
give the same bytes (the split into part files follows ``partition_size``, their
concatenation does not).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geoaleppo import __version__
from geoaleppo.corpus import ArticleText
from geoaleppo.errors import BatchError
from geoaleppo.part_files import LAYER_NAMES, PartFiles, sha256_file
from geoaleppo.partitions import BatchFailure, PartResult, read_into
from geoaleppo.reader import ReadFailure

if TYPE_CHECKING:
    import pyarrow as pa
    from distributed import Client

DEFAULT_PARTITION_SIZE = 100
DEFAULT_ARTICLE_TIMEOUT = 30.0


@dataclass(frozen=True, slots=True)
class BatchResult:
    """What a batch run wrote."""

    outdir: Path
    articles: int
    readings: int
    failures: tuple[BatchFailure, ...]
    counts: dict[str, int]
    partitions: int
    resumed: int = 0
    dashboard: str | None = field(default=None, compare=False)


# -- input -------------------------------------------------------------------------------
def _source_files(sources: Iterable[str | Path]) -> list[Path]:
    """The files ``sources`` name, as geoaleppo.corpus reads them, for the manifest."""
    from geoaleppo.corpus import _directory_files  # the one definition of what a directory holds

    files: list[Path] = []
    for source in sources:
        path = Path(source)
        files.extend(_directory_files(path) if path.is_dir() else [path])
    return files


def _label(path: Path) -> str:
    # Relative to where the run started, so no machine's directory layout is recorded.
    return os.path.relpath(path) if path.is_absolute() else str(path)


# -- on the client -----------------------------------------------------------------------
@contextlib.contextmanager
def _client(workers: int | None, scheduler: str | None) -> Iterator[Client]:
    from distributed import Client, LocalCluster

    if scheduler:
        try:
            client = Client(scheduler, timeout="20s")
        except (OSError, TimeoutError) as exc:
            msg = f"cannot reach the Dask scheduler at {scheduler}: {exc}"
            raise BatchError(msg) from exc
        with client:
            yield client
        return
    # Port 0 for the dashboard: two runs on one machine must not fight over 8787.
    with LocalCluster(n_workers=workers or os.cpu_count() or 1, processes=True,
                      threads_per_worker=1, host="127.0.0.1", dashboard_address="127.0.0.1:0",
                      silence_logs=logging.ERROR) as cluster, Client(cluster) as client:
        yield client


def _dashboard(client: Client) -> str | None:
    services = client.scheduler_info().get("services", {})
    return str(client.dashboard_link) if "dashboard" in services else None


def _partitions(items: Iterable[ArticleText | ReadFailure], size: int
                ) -> Iterator[list[ArticleText | ReadFailure]]:
    chunk: list[ArticleText | ReadFailure] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _digest(items: list[ArticleText | ReadFailure], settings: str) -> str:
    """What a partition's output depends on: its articles, the version, the settings."""
    digest = hashlib.sha256(f"{__version__}\0{settings}".encode())
    for item in items:
        text = item.text if isinstance(item, ArticleText) else item.message
        published = item.published if isinstance(item, ArticleText) else "!failed"
        digest.update(f"\0{item.source}\0{published}\0".encode("utf-8", "surrogatepass"))
        digest.update(hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest())
    return digest.hexdigest()


def _numbered(tables: Iterable[pa.Table]) -> Iterator[pa.Table]:
    """Event ids numbered across the whole corpus, in output order."""
    import pyarrow as pa

    from geoaleppo.exports import EVENT_ID_PREFIX

    number = 0
    for table in tables:
        ids = [f"{EVENT_ID_PREFIX}-{number + n}" for n in range(1, table.num_rows + 1)]
        number += table.num_rows
        position = table.schema.get_field_index("event_id")
        yield table.set_column(position, "event_id", pa.array(ids, pa.string()))


def run_batch(
    sources: Iterable[str | Path],
    outdir: Path,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    partition_size: int = DEFAULT_PARTITION_SIZE,
    resume: bool = False,
    article_timeout: float = DEFAULT_ARTICLE_TIMEOUT,
    gazetteer: Path | str | None = None,
    progress: Callable[[int, int | None], None] | None = None,
    on_dashboard: Callable[[str], None] | None = None,
) -> BatchResult:
    """Read every article of ``sources`` on a Dask cluster into ``outdir``.

    Parameters
    ----------
    workers
        Worker processes of the local cluster (default: the cores); ignored with
        ``scheduler``.
    scheduler
        A running scheduler's address (``tcp://host:port``): its workers do the reading.
    partition_size
        Articles per partition, the unit of work, of output files and of resuming.
    resume
        Keep the partitions a previous run into ``outdir`` completed.
    article_timeout
        Seconds one article may take before it is reported as a failure (0: no limit).
    progress
        Called with (partitions done, partitions known so far, or None until all are).
    on_dashboard
        Called with the Dask dashboard's address, when the cluster has one.

    Raises
    ------
    BatchError
        The scheduler cannot be reached, OUTDIR cannot be written, or tasks were lost.
    """
    from dask import delayed
    from distributed import as_completed

    from geoaleppo import _geoparquet
    from geoaleppo.corpus import iter_articles

    if partition_size < 1:
        msg = f"partition size must be at least 1, not {partition_size}"
        raise BatchError(msg)
    sources = [str(source) for source in sources]
    files = _source_files(sources)
    missing = [str(path) for path in files if not path.is_file()]
    if missing:
        msg = f"{missing[0]}: no such file"
        raise BatchError(msg)
    output = PartFiles(Path(outdir))
    if not resume:
        output.clear()
    gazetteer_dir = None if gazetteer is None else str(Path(gazetteer).resolve())
    settings = json.dumps([gazetteer_dir, article_timeout])
    markers: dict[int, dict[str, Any]] = {}
    digests: dict[int, str] = {}
    count = resumed = articles = 0

    token = output.start_run()
    outdir_seen_by_workers = str(output.outdir.resolve())  # workers start elsewhere
    with _client(workers, scheduler) as client:
        link = _dashboard(client)
        if link and on_dashboard:
            on_dashboard(link)
        slots = max(1, sum(client.nthreads().values()))
        window = 2 * slots  # partitions sent at once: every worker busy, memory bounded
        running = as_completed()
        pending: dict[Any, int] = {}
        # Partitions are written by a thread of their own, in the order they come back:
        # waiting on the disk (each file is flushed before its marker) never holds up
        # receiving the next partition and keeping the workers fed.
        writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="geoaleppo-writer")
        writes: dict[int, Future[dict[str, Any]]] = {}
        unchecked: deque[Future[dict[str, Any]]] = deque()
        batch: list[tuple[int, list[ArticleText | ReadFailure]]] = []

        def submit() -> None:
            if not batch:
                return
            # One task a partition, its articles inside it (a dask.bag would make its
            # partitions and their numbers tasks of their own: three a partition for the
            # scheduler to run and release). The key names the run, by its token: two
            # runs of the same corpus on one cluster are two sets of tasks.
            futures = client.compute([
                delayed(read_into)(part, index, digests[index], outdir_seen_by_workers, token,
                                   gazetteer_dir, article_timeout,
                                   dask_key_name=f"geoaleppo-partition-{index:05d}-{token}")
                for index, part in batch])
            for (index, _part), future in zip(batch, futures, strict=True):
                pending[future] = index
                running.add(future)
            batch.clear()

        def collect(limit: int) -> None:
            while len(pending) > limit:
                future = next(running)
                index = pending.pop(future)
                try:
                    result = future.result()
                except Exception as exc:
                    msg = f"partition {index} was lost: {type(exc).__name__}: {exc}"
                    raise BatchError(msg) from exc
                if isinstance(result, PartResult):
                    writes[index] = writer.submit(output.write, index, digests[index], result)
                    unchecked.append(writes[index])
                    # The writer goes in order: stop at the first partition it failed
                    # to write (a full disk), not after reading the rest.
                    while unchecked and unchecked[0].done():
                        unchecked.popleft().result()
                else:  # the worker that read it wrote it: this is its marker
                    markers[index] = result
                if progress:
                    progress(len(markers) + len(writes), None)

        for index, part in enumerate(_partitions(iter_articles(sources), partition_size)):
            count = index + 1
            articles += len(part)
            digests[index] = _digest(part, settings)
            done = output.complete(index, digests[index]) if resume else None
            if done is not None:
                markers[index] = done
                resumed += 1
                continue
            batch.append((index, part))
            if len(batch) >= window:
                submit()
                collect(window)
        submit()
        if progress:
            progress(len(markers) + len(writes), count)
        try:
            collect(0)
        finally:
            writer.shutdown(wait=True)
        markers.update((index, write.result()) for index, write in writes.items())
        if progress:
            progress(len(markers), count)

    # Partitions of an earlier, longer run are not part of this one.
    wanted = {p.name for i in range(count) for p in
              (output.part(i), output.marker(i),
               *(output.sidecar(i, layer) for layer in LAYER_NAMES))}
    output.clear(keep=lambda path: path.name in wanted)

    counts: dict[str, int] = {}
    for layer in LAYER_NAMES:
        summary = _geoparquet.merged_summary(markers[i]["layers"][layer] for i in range(count))
        tables = output.tables(count, layer)
        if layer == "events":
            tables = _numbered(tables)
        counts[layer] = _geoparquet.write_layer(output.outdir / f"{layer}.parquet", layer,
                                                tables, summary)
    _write_timeline(output, count, gazetteer)
    for key in ("unplaced_events", "unplaced_mentions"):
        counts[key] = sum(markers[i]["unplaced"][key] for i in range(count))
    failures = tuple(BatchFailure(error["source"], error["message"])
                     for i in range(count) for error in markers[i]["errors"])
    readings = sum(markers[i]["readings"] for i in range(count))
    _write_manifest(output, files, count, articles, readings, failures, counts)
    return BatchResult(outdir=output.outdir, articles=articles, readings=readings,
                       failures=failures, counts=counts, partitions=count, resumed=resumed,
                       dashboard=link)


def _write_timeline(output: PartFiles, count: int, gazetteer: Path | str | None) -> None:
    """The corpus's fused timeline, from the part files (readings stream through)."""
    from geoaleppo import gazetteer as gz
    from geoaleppo.serialise import dumps, reading_from_json
    from geoaleppo.store import write_atomic
    from geoaleppo.timeline import timeline
    from geoaleppo.timeline_json import timeline_json

    index = gz.load(gazetteer)

    def readings() -> Iterator[Any]:
        for number in range(count):
            with output.part(number).open(encoding="utf-8") as stream:
                for line in stream:
                    yield reading_from_json(json.loads(line), index)

    write_atomic(output.outdir / "timeline.json",
                 dumps(timeline_json(timeline(readings(), index))) + "\n")


def _write_manifest(output: PartFiles, files: list[Path], count: int, articles: int,
                    readings: int, failures: tuple[BatchFailure, ...],
                    counts: dict[str, int]) -> None:
    from geoaleppo.store import write_atomic

    joined = hashlib.sha256()
    for index in range(count):
        joined.update(output.part(index).read_bytes())
    tables = {name: sha256_file(output.outdir / name)
              for name in (*(f"{layer}.parquet" for layer in LAYER_NAMES), "timeline.json")}
    manifest = {
        "geoaleppo": __version__,
        "inputs": [{"path": _label(path), "sha256": sha256_file(path),
                    "bytes": path.stat().st_size} for path in files],
        "articles": articles,
        "readings": readings,
        "failed": len(failures),
        "counts": counts,
        # The part files' split follows --partition-size; their concatenation does not.
        "readings_sha256": joined.hexdigest(),
        "outputs_sha256": tables,
        "errors": [{"source": f.source, "message": f.message} for f in failures],
    }
    write_atomic(output.outdir / "manifest.json",
                 json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
