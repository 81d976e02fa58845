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
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from geoaleppo.errors import GazetteerError

COORDINATE_DECIMALS = 6
_GEOMETRY_PLACEHOLDER = "\u0000geometry\u0000"


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
        return [round_coordinates(item) for item in value]
    if isinstance(value, float):
        rounded = round(value, COORDINATE_DECIMALS)
        return 0.0 if rounded == 0 else rounded
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


def _publish(temporary: Path, path: Path) -> None:
    # mkstemp creates files readable by the owner only; give the result the mode an
    # ordinary open() would have had, or keep the mode of the file being replaced.
    try:
        mode = path.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    temporary.chmod(mode)
    temporary.replace(path)


def write_atomic(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` (UTF-8, "\n" line ends); see :func:`write_bytes_atomic`."""
    write_bytes_atomic(path, text.encode("utf-8"))


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` so readers see the old file or the new, never half.

    The data goes to a temporary file in the same directory, is flushed to disk, and is
    renamed over the target; an interruption leaves the old file untouched and no
    temporary file behind.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        _publish(Path(temporary), path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


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
def locked(directory: Path, timeout: float = 30.0) -> Iterator[None]:
    """Hold the gazetteer directory's lock, so concurrent writers take turns."""
    from filelock import FileLock, Timeout

    lock = FileLock(str(directory / ".geoaleppo.lock"), timeout=timeout)
    try:
        with lock:
            yield
    except Timeout as exc:
        msg = f"{directory}: another geoaleppo process holds the gazetteer lock"
        raise GazetteerError(msg) from exc
