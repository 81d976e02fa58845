"""The files a batch run writes for each partition, and how a finished one is known.

Under OUTDIR, partition N is ``readings/part-NNNNN.jsonl``, one Arrow sidecar a layer
and a marker, ``.batch/part-NNNNN.json``, written last. Each file is written under a
temporary name and renamed (:func:`geoaleppo.store.write_bytes_atomic`), so a partition
whose marker matches its inputs' digest and its part file is complete, whoever wrote it:
the client, or a worker that sees OUTDIR itself (:mod:`geoaleppo.partitions`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geoaleppo.errors import BatchError

if TYPE_CHECKING:
    import pyarrow as pa

    from geoaleppo.partitions import PartResult

LAYER_NAMES = ("events", "control", "mentions")
MARKERS = ".batch"
# Holds the run's token: a worker that reads it back sees OUTDIR as the client does.
RUN_FILE = "run"


def sees_run(outdir: str | Path, token: str) -> bool:
    """Whether this process sees the OUTDIR of the run with ``token`` (see
    :meth:`PartFiles.start_run`), as a worker of a local cluster or on a shared file
    system does; it creates nothing when it does not."""
    try:
        return (Path(outdir) / MARKERS / RUN_FILE).read_text(encoding="utf-8") == token
    except (OSError, UnicodeDecodeError):
        return False


def sha256_file(path: Path) -> str:
    """The hex SHA-256 of a file, read a megabyte at a time."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class PartFiles:
    """OUTDIR's files: part files, their markers and Arrow sidecars, the tables."""

    def __init__(self, outdir: Path) -> None:
        self.outdir = outdir
        self.readings = outdir / "readings"
        self.markers = outdir / MARKERS
        try:
            self.readings.mkdir(parents=True, exist_ok=True)
            self.markers.mkdir(exist_ok=True)
        except OSError as exc:
            msg = f"{outdir}: cannot write here ({exc.strerror or exc})"
            raise BatchError(msg) from exc

    def start_run(self) -> str:
        """A new run's token, written where workers that see OUTDIR will find it."""
        import secrets

        from geoaleppo.store import write_bytes_atomic

        token = secrets.token_hex(16)
        write_bytes_atomic(self.markers / RUN_FILE, token.encode())
        return token

    def part(self, index: int) -> Path:
        return self.readings / f"part-{index:05d}.jsonl"

    def marker(self, index: int) -> Path:
        return self.markers / f"part-{index:05d}.json"

    def sidecar(self, index: int, layer: str) -> Path:
        return self.markers / f"part-{index:05d}.{layer}.arrow"

    def clear(self, keep: Callable[[Path], bool] = lambda _p: False) -> None:
        for directory in (self.readings, self.markers):
            for path in directory.iterdir():
                if path.is_file() and not keep(path):
                    path.unlink()

    def complete(self, index: int, digest: str) -> dict[str, Any] | None:
        """The marker of partition ``index`` if it and its files match ``digest``."""
        try:
            marker = json.loads(self.marker(index).read_text(encoding="utf-8"))
            if marker["digest"] != digest or marker["sha256"] != sha256_file(self.part(index)):
                return None
        except (OSError, ValueError, KeyError):
            return None
        if not all(self.sidecar(index, layer).is_file() for layer in LAYER_NAMES):
            return None
        return dict(marker)

    def write(self, index: int, digest: str, result: PartResult) -> dict[str, Any]:
        import pyarrow as pa

        from geoaleppo.store import write_bytes_atomic

        for layer in LAYER_NAMES:
            sink = pa.BufferOutputStream()
            table = result.tables[layer]
            with pa.ipc.new_file(sink, table.schema) as writer:
                writer.write_table(table)
            write_bytes_atomic(self.sidecar(index, layer), sink.getvalue().to_pybytes())
        data = result.lines.encode("utf-8", "surrogatepass")
        write_bytes_atomic(self.part(index), data)
        marker = {
            "digest": digest,
            "sha256": hashlib.sha256(data).hexdigest(),
            "readings": result.readings,
            "errors": [{"source": f.source, "message": f.message} for f in result.failures],
            "unplaced": result.unplaced,
            "layers": result.summaries,
        }
        # The marker last: a partition counts as done only once everything else is on disk.
        write_bytes_atomic(self.marker(index), json.dumps(marker, sort_keys=True).encode())
        return marker

    def tables(self, index_count: int, layer: str) -> Iterator[pa.Table]:
        import pyarrow as pa

        for index in range(index_count):
            with pa.memory_map(str(self.sidecar(index, layer))) as source:
                yield pa.ipc.open_file(source).read_all()
