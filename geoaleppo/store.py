"""Reading and writing gazetteer files: deterministic text, atomic replacement, a lock.

A gazetteer file is a GeoJSON FeatureCollection whose features follow the World
Historical Gazetteer's Linked Places Format. The text is made to diff well: features
sorted by id, keys sorted, one property per line, coordinates rounded to six decimals
(about 0.1 m) and each ring of a geometry kept on one line, so adding an entry shows in
``git diff`` as that entry alone.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import secrets
import stat
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from geoaleppo.errors import GazetteerError

COORDINATE_DECIMALS = 6
_GEOMETRY_PLACEHOLDER = "\u0000geometry\u0000"
LOCK_FILE = ".geoaleppo.lock"
#: How long a waiter lets one holder keep the lock before it gives up. The lock goes to
#: each writer in turn, so a long queue only waits longer; a process that dies lets go
#: at once; only a live holder stuck this long is an error.
LOCK_STALL_S = 60.0


def read_text(path: Path, *, regular: bool = False) -> str:
    """Read a UTF-8 file, turning decoding and I/O failures into one-line errors.

    With ``regular``, anything but a regular file is refused: a FIFO or a device named
    like a gazetteer file would block the read or never end it.
    """
    try:
        if regular and not stat.S_ISREG(path.stat().st_mode):
            msg = f"{path}: not a regular file"
            raise GazetteerError(msg)
        data = path.read_bytes()
    except OSError as exc:
        msg = f"{path}: cannot read: {exc.strerror or exc}"
        raise GazetteerError(msg) from exc
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        msg = f"{path}: not UTF-8 text (byte {exc.start})"
        raise GazetteerError(msg) from exc


class _NonFinite:
    """Where JSON text had NaN or Infinity, which Python's json reads but RFC 8259 forbids."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


def _refuse_constant(text: str) -> Any:
    raise _NonFiniteError(text)


class _NonFiniteError(Exception):
    pass


def load_json(path: Path, text: str) -> Any:
    """Parse gazetteer JSON strictly: finite numbers only, no nesting too deep to read.

    Python's json accepts ``NaN`` and ``Infinity``, which then break every writer
    downstream (an export would write invalid JSON); they are refused here, naming the
    entry and field. (``1e999`` reads as infinity too; checking every float for it
    would slow each load, so the entry checks refuse it in the fields that are read.)
    """
    try:
        return json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        msg = f"{path}: not valid JSON at line {exc.lineno} column {exc.colno} ({exc.msg})"
        raise GazetteerError(msg) from exc
    except RecursionError as exc:
        msg = f"{path}: not readable: arrays or objects nested too deeply"
        raise GazetteerError(msg) from exc
    except _NonFiniteError as exc:
        where = _non_finite_field(text)
        msg = (f"{path}: {where + ': ' if where else ''}{exc} is not a number JSON allows "
               "(write a finite number, or leave the field out)")
        raise GazetteerError(msg) from None


def _non_finite_field(text: str) -> str:
    """``entry: field.path`` of the first NaN or infinity in ``text`` (the error path only).

    Empty when the parsed document no longer holds it (a later duplicate key won).
    """
    document = json.loads(text, parse_constant=_NonFinite)
    features = document.get("features") if isinstance(document, dict) else None
    if isinstance(features, list):
        for index, feature in enumerate(features):
            found = _path_to_non_finite(feature)
            if found is not None:
                entry = feature.get("id") if isinstance(feature, dict) else None
                label = entry if isinstance(entry, str) and entry else f"feature {index}"
                return f"{label}: {found or 'the entry'}"
    return _path_to_non_finite(document) or ""


def _path_to_non_finite(value: Any) -> str | None:
    # Iterative: the document parsed, but may still be deeper than Python's recursion limit.
    stack: list[tuple[Any, str]] = [(value, "")]
    while stack:
        item, where = stack.pop()
        if isinstance(item, _NonFinite):
            return where
        if isinstance(item, dict):
            stack.extend((v, f"{where}.{k}" if where else str(k)) for k, v in item.items())
        elif isinstance(item, list):
            stack.extend((v, f"{where}[{i}]") for i, v in enumerate(item))
    return None


def read_collection(path: Path) -> dict[str, Any]:
    """Parse one gazetteer file into its FeatureCollection mapping."""
    document = load_json(path, read_text(path, regular=True))
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        msg = f"{path}: not a GeoJSON FeatureCollection"
        raise GazetteerError(msg)
    if not isinstance(document.get("features"), list):
        msg = f"{path}: 'features' is not a list"
        raise GazetteerError(msg)
    return document


def round_coordinates(value: Any) -> Any:
    """Round every number of a GeoJSON coordinates array to six decimals."""
    if isinstance(value, list | tuple):
        if value and isinstance(value[0], float | int):  # a position: its numbers
            return [_rounded(number) for number in value]
        return [round_coordinates(item) for item in value]
    return _rounded(value)


def _rounded(value: Any) -> Any:
    if isinstance(value, float):
        rounded = round(value, COORDINATE_DECIMALS)
        return 0.0 if rounded == 0 else rounded
    if isinstance(value, list | tuple):  # not a position after all
        return round_coordinates(value)
    return value


def _geometry_text(geometry: dict[str, Any] | None, indent: str) -> str:
    if geometry is None:
        return "null"
    coordinates = round_coordinates(geometry["coordinates"])
    compact = json.dumps(coordinates, separators=(",", ":"))
    if len(compact) <= 120:
        body = compact
    else:
        # One ring (or one polygon's rings) a line keeps long outlines readable in a diff.
        parts = [json.dumps(part, separators=(",", ":")) for part in coordinates]
        inner = f",\n{indent}    ".join(parts)
        body = f"[\n{indent}    {inner}\n{indent}  ]"
    return (
        f'{{\n{indent}  "type": {json.dumps(geometry["type"])},\n'
        f'{indent}  "coordinates": {body}\n{indent}}}'
    )


# Top-level keys of a feature in reading order; anything else follows, sorted.
_FEATURE_ORDER = ("type", "id", "properties", "names", "links", "sources", "geometry")


def _sorted_deep(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _sorted_deep(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [_sorted_deep(item) for item in value]
    return value


def dump_feature(feature: dict[str, Any], indent: str = "    ") -> str:
    """Serialise one feature deterministically (fixed key order, fixed precision)."""
    keys = [k for k in _FEATURE_ORDER if k in feature] + sorted(
        k for k in feature if k not in _FEATURE_ORDER
    )
    shell = {key: _sorted_deep(feature[key]) for key in keys}
    geometry = shell.pop("geometry", None)
    shell["geometry"] = _GEOMETRY_PLACEHOLDER
    text = json.dumps(shell, ensure_ascii=False, indent=2)
    text = "\n".join(indent + line if line else line for line in text.splitlines())
    return text.replace(
        json.dumps(_GEOMETRY_PLACEHOLDER), _geometry_text(geometry, indent + "  ")
    ).lstrip()


def dump_collection(features: list[dict[str, Any]], metadata: dict[str, Any]) -> str:
    """Serialise a FeatureCollection: metadata keys, then features sorted by id."""
    ordered = sorted(features, key=lambda feature: str(feature.get("id", "")))
    head = {"type": "FeatureCollection", **metadata}
    lines = ["{"]
    for key in sorted(head):
        # A table (the additions' sources) one item a line, so an addition diffs as such.
        value = json.dumps(head[key], ensure_ascii=False, indent=2, sort_keys=True)
        lines.append(f"  {json.dumps(key)}: {value.replace(chr(10), chr(10) + '  ')},")
    if ordered:
        lines.append('  "features": [')
        body = ",\n".join("    " + dump_feature(feature) for feature in ordered)
        lines.append(body)
        lines.append("  ]")
    else:
        lines.append('  "features": []')
    lines.append("}")
    return "\n".join(lines) + "\n"


def _mode_for(path: Path) -> int:
    # A new file gets the mode an ordinary open() would have given it; a replaced file
    # keeps its own.
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _is_special(path: Path) -> bool:
    """Whether ``path`` names an existing device or pipe (``/dev/full``, a FIFO).

    Such a target cannot be renamed over (that would replace the device node with a
    file), so it is written straight through.
    """
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def _write_through(path: Path, data: bytes) -> None:
    descriptor = os.open(path, os.O_WRONLY)
    with os.fdopen(descriptor, "wb") as stream:
        stream.write(data)


def publish(temporary: Path, path: Path) -> None:
    """Move a finished ``temporary`` file (in ``path``'s directory) into place as ``path``."""
    if _is_special(path):
        try:
            _write_through(path, temporary.read_bytes())
        finally:
            temporary.unlink(missing_ok=True)
        return
    temporary.chmod(_mode_for(path))
    temporary.replace(path)


def write_atomic(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` (UTF-8, "\n" line ends); see :func:`write_bytes_atomic`."""
    write_bytes_atomic(path, text.encode("utf-8"))


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` so readers see the old file or the new, never half.

    The data goes to a file in the same directory that has no name while it is written
    (``O_TMPFILE``; a named temporary where the file system lacks it), is flushed to
    disk, and only then gets a temporary name and is renamed over the target. A failure
    leaves the old file untouched and nothing behind; a ``kill -9`` can leave a
    temporary name only in the instant between naming and renaming (the gazetteer's
    writer sweeps those, see :func:`sweep_temporaries`). A device or pipe (``-o
    /dev/stdout``) is written straight through.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    if _is_special(path):
        _write_through(path, data)
        return
    if _write_unnamed(path, data):
        return
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        publish(Path(temporary), path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _sync_directory(path.parent)


# Errors with which open(O_TMPFILE) says the file system cannot make unnamed files.
_NO_TMPFILE = {errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL, errno.ENOENT}


def _write_unnamed(path: Path, data: bytes) -> bool:
    """Write through an unnamed file; False when this system cannot (nothing is written)."""
    flag = getattr(os, "O_TMPFILE", 0)
    if not flag or not Path("/proc/self/fd").is_dir():
        return False
    try:
        descriptor = os.open(path.parent, flag | os.O_WRONLY, 0o600)
    except OSError as exc:
        if exc.errno in _NO_TMPFILE:
            return False
        raise
    with os.fdopen(descriptor, "wb") as stream:
        stream.write(data)
        stream.flush()
        os.fsync(descriptor)
        os.fchmod(descriptor, _mode_for(path))
        temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
        try:
            _link_open_file(descriptor, temporary)
        except OSError:
            # Some sandboxes refuse linking through /proc; a named temporary will say
            # whether the directory itself is the problem.
            return False
    try:
        temporary.replace(path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _sync_directory(path.parent)
    return True


def _link_open_file(descriptor: int, name: Path) -> None:
    # os.link() alone calls link(2), which links the /proc symlink itself (and fails);
    # a dir_fd makes it linkat(2) with AT_SYMLINK_FOLLOW, which links the open file.
    directory = os.open(name.parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.link(f"/proc/self/fd/{descriptor}", name.name, dst_dir_fd=directory,
                follow_symlinks=True)
    finally:
        os.close(directory)


def _sync_directory(directory: Path) -> None:
    # The rename is only durable once the directory is; the data is already in place,
    # so a failure here is not a failed write.
    with contextlib.suppress(OSError):
        descriptor = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def sweep_temporaries(path: Path) -> list[Path]:
    """Remove temporaries of ``path`` that a killed writer left; returns those removed.

    Only safe under the lock every writer of ``path`` holds: then no live writer owns one.
    """
    pattern = re.compile(rf"\.{re.escape(path.name)}\.[A-Za-z0-9_]{{6,}}")
    removed = []
    for candidate in path.parent.glob(f".{path.name}.*"):
        if pattern.fullmatch(candidate.name):
            with contextlib.suppress(FileNotFoundError):
                candidate.unlink()
                removed.append(candidate)
    return removed


def _holder(descriptor: int) -> bytes:
    with contextlib.suppress(OSError):
        return os.pread(descriptor, 64, 0)
    return b""


def _claim(descriptor: int) -> None:
    # Waiters read who holds the lock to tell a moving queue from a stuck holder; a
    # fresh token each time makes the same process taking it again count as progress.
    with contextlib.suppress(OSError):
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, f"{os.getpid()} {secrets.token_hex(4)}\n".encode(), 0)


def write_failure(path: Path, exc: OSError) -> str:
    """Why writing ``path`` failed, in words a user can act on.

    The system's reason, except where it misleads: creating a file under ``/proc``
    fails with "No such file or directory" although the directory is there, because
    such file systems take no new files; that is said instead.
    """
    reason = exc.strerror or str(exc) or type(exc).__name__
    if exc.errno != errno.ENOENT:
        return reason
    try:
        if not path.parent.is_dir():
            return reason
    except OSError:
        return reason
    kind = _file_system_type(path.parent)
    where = f"{path.parent} (a {kind} file system)" if kind else str(path.parent)
    return f"{where} does not take new files"


def _file_system_type(directory: Path) -> str | None:
    """The type of the file system ``directory`` is on (Linux only; else None)."""
    try:
        target = str(directory.resolve())
        lines = Path("/proc/self/mountinfo").read_text("utf-8", "replace").splitlines()
    except OSError:
        return None
    best, kind = "", None
    for line in lines:
        fields, _separator, tail = line.partition(" - ")
        parts = fields.split()
        if len(parts) < 5 or not tail:
            continue
        # Mount points escape spaces and the like as octal (\040).
        mount = re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), parts[4])
        inside = target == mount or target.startswith(mount.rstrip("/") + "/")
        if inside and len(mount) >= len(best):
            best, kind = mount, tail.split()[0]
    return kind


@contextlib.contextmanager
def locked(directory: Path, *, stall: float = LOCK_STALL_S) -> Iterator[None]:
    """Hold the gazetteer directory's lock, so concurrent writers take turns.

    A waiter waits as long as the lock keeps changing hands, however long the queue;
    it gives up only when one holder has kept the lock for ``stall`` seconds. The lock
    is ``flock`` on ``.geoaleppo.lock``: the kernel drops it when its holder dies.
    """
    import fcntl
    import random

    try:
        descriptor = os.open(directory / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as exc:
        msg = f"{directory}: cannot write to the gazetteer: {exc.strerror or exc}"
        raise GazetteerError(msg) from exc
    try:
        holder, since = _holder(descriptor), time.monotonic()
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                pass
            current, now = _holder(descriptor), time.monotonic()
            if current != holder:
                holder, since = current, now
            elif now - since > stall:
                pid = holder.split(b" ")[0].decode("ascii", "replace") or "unknown"
                msg = (f"{directory}: process {pid} has held the gazetteer lock for over "
                       f"{stall:g} s; if it is stuck, stop it and try again")
                raise GazetteerError(msg)
            time.sleep(random.uniform(0.02, 0.08))
        _claim(descriptor)
        try:
            yield
        finally:
            fcntl.flock(descriptor, fcntl.LOCK_UN)
    finally:
        os.close(descriptor)
