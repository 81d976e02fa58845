"""geoaleppo batch: a local cluster, a real scheduler and workers, a killed run resumed.

The clusters run on 127.0.0.1 only. The corpus is a handful of short articles written
here, so each run takes seconds; the multi-process tests are marked slow but stay in
``make test``.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from geoaleppo import gazetteer as gz
from geoaleppo.partitions import _Overran, _within
from geoaleppo.reader import read_text
from geoaleppo.serialise import LAYER_FIELDS, reading_from_json, reading_json

BIN = Path(sys.executable).parent
GEOALEPPO = str(BIN / "geoaleppo")
DASK = str(BIN / "dask")

ARTICLES = {
    "01-shelling.txt": "Aleppo shelled\n\nRebels shelled Salaheddine on 3 December 2016, "
                       "killing five civilians.\n",
    "02-capture.txt": "Hanano taken\n\nGovernment forces captured Masaken Hanano on "
                      "26 November 2016.\n",
    "03-clashes.txt": "Clashes in the east\n\nClashes erupted in Bustan al-Qasr on "
                      "28 November 2016 between rebels and the army.\n",
    "04-airstrike.txt": "Air strikes\n\nAir strikes hit al-Shaar on 1 December 2016, "
                        "killing 12 people.\n",
    "05-citadel.txt": "The Old City\n\nThe army said it held the citadel on 5 December 2016.\n",
    "06-bad.txt": "\x00\x01 not an article",
}


def _corpus(directory: Path, copies: int = 1) -> Path:
    directory.mkdir()
    for copy in range(copies):
        for name, text in ARTICLES.items():
            stem, suffix = name.split(".")
            # Each copy differs, so no two articles share an id.
            body = text if stem.endswith("bad") or not copy else text + f"Report {copy}.\n"
            (directory / f"{copy:02d}-{stem}.{suffix}").write_text(body, encoding="utf-8")
    return directory


def _batch(*args: str, cwd: Path, check: int | None = None) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([GEOALEPPO, "batch", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=240, check=False)
    if check is not None:
        assert done.returncode == check, done.stderr
    return done


def _files(outdir: Path) -> dict[str, bytes]:
    """OUTDIR's output, the part files joined: their split follows --partition-size."""
    found = {path.relative_to(outdir).as_posix(): path.read_bytes()
             for path in sorted(outdir.iterdir()) if path.is_file()}
    found["readings"] = b"".join(p.read_bytes()
                                 for p in sorted((outdir / "readings").glob("part-*.jsonl")))
    return found


@pytest.fixture(scope="module")
def local_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One run on a local cluster of two worker processes, a partition per two articles."""
    root = tmp_path_factory.mktemp("local")
    _corpus(root / "corpus")
    _batch("corpus", "-o", "out", "--workers", "2", "--partition-size", "2", cwd=root,
           check=1)
    return root


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list]]:
    """A dask scheduler and two workers, separate processes on 127.0.0.1."""
    root = tmp_path_factory.mktemp("cluster")
    address_file = root / "scheduler.json"
    processes: list[subprocess.Popen[bytes]] = []
    workers: list[subprocess.Popen[bytes]] = []
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    try:
        processes.append(subprocess.Popen(
            [DASK, "scheduler", "--host", "127.0.0.1", "--port", "0",
             "--dashboard-address", "127.0.0.1:0", "--scheduler-file", str(address_file)],
            **quiet))
        deadline = time.monotonic() + 60
        while not address_file.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        address = json.loads(address_file.read_text())["address"]
        assert address.startswith("tcp://127.0.0.1:")
        workers.extend(_worker(address) for _ in range(2))
        yield address, workers
    finally:
        # The workers as they are now (a test may have replaced one it killed), before
        # the scheduler, so none waits on a scheduler that is gone.
        for group in (workers, processes):
            for process in group:
                process.terminate()
            for process in group:
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


def _worker(address: str) -> subprocess.Popen[bytes]:
    # No nanny: the worker is this one process, so killing it kills the worker.
    return subprocess.Popen([DASK, "worker", address, "--nworkers", "1", "--nthreads", "1",
                             "--no-nanny", "--host", "127.0.0.1",
                             "--dashboard-address", "127.0.0.1:0"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


@pytest.mark.slow
def test_local_cluster_reads_everything_and_reports_the_bad_file(local_run: Path) -> None:
    out = local_run / "out"
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["articles"] == 6
    assert manifest["readings"] == 5
    assert manifest["errors"] == [{
        "source": "corpus/00-06-bad.txt",
        "message": "corpus/00-06-bad.txt: binary file, not text (NUL byte at 0)"}]
    assert [item["path"] for item in manifest["inputs"]] == [
        f"corpus/00-{name}" for name in sorted(ARTICLES)]
    assert all(len(item["sha256"]) == 64 for item in manifest["inputs"])
    assert str(local_run) not in (out / "manifest.json").read_text()
    assert set(manifest["outputs_sha256"]) == {"events.parquet", "control.parquet",
                                               "mentions.parquet", "timeline.json"}
    assert isinstance(json.loads((out / "timeline.json").read_text()), dict)
    assert sorted(p.name for p in (out / "readings").iterdir()) == [
        "part-00000.jsonl", "part-00001.jsonl", "part-00002.jsonl"]

    # Each line is the reading parse --jsonl gives, and reads back losslessly.
    index = gz.load()
    lines = _files(out)["readings"].decode().splitlines()
    assert len(lines) == 5
    first = json.loads(lines[0])
    text = (local_run / "corpus" / "00-01-shelling.txt").read_text()
    assert first == reading_json(read_text(text, source="corpus/00-01-shelling.txt",
                                           gazetteer=index))
    assert reading_json(reading_from_json(first, index)) == first


@pytest.mark.slow
def test_tables_are_geoparquet_with_the_layer_columns(local_run: Path) -> None:
    import geopandas as gpd

    manifest = json.loads((local_run / "out" / "manifest.json").read_text())
    for layer in ("events", "control", "mentions"):
        frame = gpd.read_parquet(local_run / "out" / f"{layer}.parquet")
        assert list(frame.columns) == [name for name, _k in LAYER_FIELDS[layer]] + ["geometry"]
        assert frame.crs.to_epsg() == 4326
        assert len(frame) == manifest["counts"][layer] > 0
    events = gpd.read_parquet(local_run / "out" / "events.parquet")
    assert list(events["event_id"]) == [f"GEOALEPPO-{n}" for n in range(1, len(events) + 1)]


@pytest.mark.slow
def test_a_scheduler_and_its_workers_give_the_same_bytes(
        local_run: Path, cluster: tuple[str, list], tmp_path: Path) -> None:
    address, _workers = cluster
    _corpus(tmp_path / "corpus")
    done = _batch("corpus", "-o", "out", "--scheduler", address, "--partition-size", "3",
                  cwd=tmp_path, check=1)
    assert "binary file, not text" in done.stderr
    assert _files(tmp_path / "out") == _files(local_run / "out")


@pytest.mark.slow
@pytest.mark.parametrize("workers_see_outdir", [True, False])
def test_workers_write_what_they_read_when_they_see_outdir(
        local_run: Path, cluster: tuple[str, list], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, workers_see_outdir: bool) -> None:
    """Workers on this machine write their partitions; workers that cannot see OUTDIR
    (told apart by the run's token) send them back, and the bytes are the same."""
    from geoaleppo.batch import run_batch
    from geoaleppo.part_files import PartFiles

    address, _workers = cluster
    corpus = _corpus(tmp_path / "corpus")
    written_here: list[int] = []
    real_write, real_start = PartFiles.write, PartFiles.start_run

    def write(self: PartFiles, index: int, digest: str, result: object) -> dict:
        written_here.append(index)
        return real_write(self, index, digest, result)  # type: ignore[arg-type]

    def start_run(self: PartFiles) -> str:
        token = real_start(self)
        return token if workers_see_outdir else "a token no worker finds"

    monkeypatch.setattr(PartFiles, "write", write)
    monkeypatch.setattr(PartFiles, "start_run", start_run)
    monkeypatch.chdir(tmp_path)
    result = run_batch([corpus.name], Path("out"), scheduler=address, partition_size=2)
    assert result.partitions == 3
    assert sorted(written_here) == ([] if workers_see_outdir else [0, 1, 2])
    assert _files(tmp_path / "out") == _files(local_run / "out")


@pytest.mark.slow
def test_a_killed_run_resumes_to_the_same_output(cluster: tuple[str, list],
                                                 tmp_path: Path) -> None:
    address, workers = cluster
    _corpus(tmp_path / "corpus", copies=2)
    args = ("corpus", "-o", "out", "--scheduler", address, "--partition-size", "1")
    run = subprocess.Popen([GEOALEPPO, "batch", *args], cwd=tmp_path,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    markers = tmp_path / "out" / ".batch"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not list(markers.glob("part-*.json")):
        time.sleep(0.02)
    # A worker and the run itself die mid-run.
    os.kill(workers[0].pid, signal.SIGKILL)
    run.kill()
    run.wait(timeout=20)
    workers[0].wait(timeout=20)
    finished = len(list(markers.glob("part-*.json")))
    assert 0 < finished < 12
    assert not (tmp_path / "out" / "manifest.json").exists()

    workers[0] = _worker(address)
    resumed = _batch(*args, "--resume", cwd=tmp_path, check=1)
    assert " resumed" in resumed.stderr
    whole = tmp_path / "whole"
    _batch(*args[:2], "whole", *args[3:], cwd=tmp_path, check=1)
    assert _files(tmp_path / "out") == _files(whole)


def test_an_article_over_its_budget_is_stopped() -> None:
    def forever() -> None:
        while True:
            pass

    started = time.monotonic()
    with pytest.raises(_Overran):
        _within(0.2, forever)
    assert time.monotonic() - started < 5
    assert _within(5, lambda: 42) == 42
    time.sleep(0.1)  # nothing arrives later


def test_batch_help_does_not_import_dask() -> None:
    code = ("import sys; from geoaleppo.cli import app; "
            "print(any(m.split('.')[0] in {'dask', 'distributed'} for m in sys.modules))")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True).stdout.strip() == "False"
