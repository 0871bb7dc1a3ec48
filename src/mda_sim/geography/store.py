"""The on-disk format of the shipped geography, and its loader.

The data folder (``mda_sim/geography/data``) holds two files written by
``scripts/build_geography.py``:

``index.json``
    Format version, the frame the coordinates are in, the data box, tolerances, sources, the
    territories (code, name, sovereign) in order, and the lengths of the packed arrays.
``geometry.bin.gz``
    For every territory, in index order, its ``land``, ``territorial_sea``, ``contiguous_zone`` and
    ``eez`` as MultiPolygons in the frame [nm], packed as shapely ragged arrays
    (:func:`shapely.to_ragged_array`): coordinates snapped to a grid of ``grid_nm`` and stored as
    int32 steps from the previous vertex, offsets stored as int32 counts, all byte-plane shuffled and
    gzip-compressed (mtime 0, so the same geometries give the same bytes).

Only numpy, shapely and the standard library are needed to read it.
"""

from __future__ import annotations

import gzip
import io
import json
from dataclasses import dataclass
from importlib import resources

import numpy as np
import shapely

__all__ = [
    "DATA_FORMAT_VERSION",
    "GEOMETRY_FIELDS",
    "GEOMETRY_FILE",
    "INDEX_FILE",
    "StoredGeography",
    "decode_geometries",
    "encode_geometries",
    "read_store",
]

DATA_FORMAT_VERSION = 1
INDEX_FILE = "index.json"
GEOMETRY_FILE = "geometry.bin.gz"
#: The geometries stored per territory, in order.
GEOMETRY_FIELDS = ("land", "territorial_sea", "contiguous_zone", "eez")
_ARRAY_NAMES = ("dx", "dy", "ring_counts", "polygon_counts", "geometry_counts")


def _shuffle(a: np.ndarray) -> bytes:
    return np.ascontiguousarray(a.astype("<i4").view(np.uint8).reshape(-1, 4).T).tobytes()


def _unshuffle(b: bytes, n: int) -> np.ndarray:
    planes = np.frombuffer(b, dtype=np.uint8).reshape(4, n)
    return np.ascontiguousarray(planes.T).view("<i4").reshape(n)


def encode_geometries(geoms, grid_nm: float) -> tuple[bytes, dict[str, int]]:
    """Pack polygonal geometries [nm] into the gzip'd blob of ``geometry.bin.gz``.

    Parameters
    ----------
    geoms : sequence of shapely (Multi)Polygon
        Coordinates should already lie on the ``grid_nm`` grid (they are rounded to it).
    grid_nm : float
        Coordinate quantum [nm].

    Returns
    -------
    blob : bytes
        The compressed file content.
    lengths : dict
        Length of each packed array, for the index.
    """
    multi = [g if g.geom_type == "MultiPolygon" else shapely.MultiPolygon([g]) for g in geoms]
    gtype, coords, (ring_off, poly_off, geom_off) = shapely.to_ragged_array(multi)
    if gtype != shapely.GeometryType.MULTIPOLYGON:
        raise ValueError(f"expected MultiPolygons, got {gtype!r}")
    q = np.rint(coords / grid_nm).astype(np.int64)
    steps = np.diff(q, axis=0, prepend=np.zeros((1, 2), np.int64))
    if np.abs(steps).max(initial=0) >= 2**31:
        raise ValueError("coordinate step too large for int32")
    arrays = {
        "dx": steps[:, 0],
        "dy": steps[:, 1],
        "ring_counts": np.diff(ring_off),
        "polygon_counts": np.diff(poly_off),
        "geometry_counts": np.diff(geom_off),
    }
    raw = b"".join(_shuffle(arrays[k]) for k in _ARRAY_NAMES)
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", compresslevel=9, mtime=0, filename="") as f:
        f.write(raw)
    return buf.getvalue(), {k: int(len(arrays[k])) for k in _ARRAY_NAMES}


def decode_geometries(blob: bytes, lengths: dict[str, int], grid_nm: float) -> np.ndarray:
    """Inverse of :func:`encode_geometries`: an object array of MultiPolygons [nm]."""
    raw = gzip.decompress(blob)
    arrays, pos = {}, 0
    for k in _ARRAY_NAMES:
        n = int(lengths[k])
        arrays[k] = _unshuffle(raw[pos : pos + 4 * n], n)
        pos += 4 * n
    if pos != len(raw):
        raise ValueError(f"geometry blob holds {len(raw)} bytes, the index describes {pos}")
    coords = np.column_stack([np.cumsum(arrays["dx"], dtype=np.int64), np.cumsum(arrays["dy"], dtype=np.int64)])
    coords = coords.astype(np.float64) * grid_nm
    offsets = tuple(
        np.concatenate([[0], np.cumsum(arrays[k], dtype=np.int64)])
        for k in ("ring_counts", "polygon_counts", "geometry_counts")
    )
    return shapely.from_ragged_array(shapely.GeometryType.MULTIPOLYGON, coords, offsets)


@dataclass(frozen=True)
class StoredGeography:
    """The shipped data as read from disk: the index and one geometry per territory and field."""

    index: dict
    geometries: dict[str, dict[str, object]]  # code -> field -> MultiPolygon [nm]


def read_store(package: str = "mda_sim.geography", folder: str = "data") -> StoredGeography:
    """Read ``index.json`` and ``geometry.bin.gz`` from the package data folder.

    Raises
    ------
    FileNotFoundError
        If the data files are missing (regenerate with ``scripts/build_geography.py``).
    ValueError
        If the format version is not :data:`DATA_FORMAT_VERSION`.
    """
    root = resources.files(package) / folder
    index = json.loads((root / INDEX_FILE).read_text(encoding="utf-8"))
    if index.get("format_version") != DATA_FORMAT_VERSION:
        raise ValueError(
            f"{folder}/{INDEX_FILE}: format_version = {index.get('format_version')!r}; "
            f"this code reads version {DATA_FORMAT_VERSION} (rebuild with scripts/build_geography.py)"
        )
    geoms = decode_geometries((root / GEOMETRY_FILE).read_bytes(), index["arrays"], index["grid_nm"])
    fields = index["geometry_fields"]
    territories = index["territories"]
    if len(geoms) != len(fields) * len(territories):
        raise ValueError(f"{GEOMETRY_FILE} holds {len(geoms)} geometries; expected {len(fields) * len(territories)}")
    out = {}
    for i, t in enumerate(territories):
        out[t["code"]] = {f: geoms[i * len(fields) + j] for j, f in enumerate(fields)}
    return StoredGeography(index=index, geometries=out)
