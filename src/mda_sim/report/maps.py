"""Scenario maps: land, maritime zones, the operating area, sensor coverage, bases and regions.

Plot functions take data and an optional ``ax`` and return the :class:`~matplotlib.figure.Figure`;
they never touch global state (no ``pyplot`` state machine, no rcParams changes). Files are written
with the Agg canvas, so no display is needed.

Maps are drawn in longitude/latitude with the axis aspect set to ``1 / cos(latitude)`` at the centre,
which is how a planner reads a chart of a region this size; the planar frame [nm] is only used to
build geometry (coverage circles are true-range circles in the frame, unprojected for drawing).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np
import shapely
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, PathPatch
from matplotlib.path import Path as MplPath

from mda_sim.eventlog import atomic_file
from mda_sim.geography import Geography, load_geography
from mda_sim.scenario.regions import region_polygon_lonlat
from mda_sim.scenario.specs import ScenarioSpec
from mda_sim.sensing.footprint import fixed_sensor_reach_nm

__all__ = ["draw_scenario_map", "save_scenario_map"]

LAND_COLOUR = "#d9cfb8"
COAST_COLOUR = "#6b5e45"
TS_COLOUR = "#b8d4ea"
EEZ_COLOUR = "#5b7fa6"
AREA_COLOUR = "#333333"
RADAR_COLOUR = "#c0392b"
AIS_COLOUR = "#8e44ad"
BASE_COLOURS = {"port": "#1f618d", "airfield": "#117a65", "port_airfield": "#b9770e"}
REGION_COLOUR = "#7d6608"

#: Representative target height for drawing radar coverage on the map [m]: a go-fast's hull and
#: crew above the water (estimate; the simulation uses each vessel type's own height).
MAP_TARGET_HEIGHT_M = 2.0


def _geometry_path(geom) -> MplPath | None:
    """A matplotlib path for a (multi)polygon with holes, or None if empty."""
    polys = [g for g in shapely.get_parts(geom) if g.geom_type == "Polygon" and not g.is_empty]
    if not polys:
        return None
    vertices, codes = [], []
    for poly in polys:
        for ring in (poly.exterior, *poly.interiors):
            xy = np.asarray(ring.coords)
            vertices.append(xy)
            c = np.full(len(xy), MplPath.LINETO, dtype=np.uint8)
            c[0], c[-1] = MplPath.MOVETO, MplPath.CLOSEPOLY
            codes.append(c)
    return MplPath(np.concatenate(vertices), np.concatenate(codes))


def _add_geometry(ax: Axes, geom, **style) -> None:
    path = _geometry_path(geom)
    if path is not None:
        ax.add_patch(PathPatch(path, **style))


def _to_lonlat(geo: Geography, geom_nm):
    return shapely.transform(geom_nm, geo.frame.transform_coords_to_lonlat)


def _lines(ax: Axes, geom, **style) -> None:
    for part in shapely.get_parts(shapely.boundary(geom) if geom.geom_type.endswith("Polygon") else geom):
        for line in shapely.get_parts(part):
            xy = np.asarray(line.coords)
            if len(xy):
                ax.plot(xy[:, 0], xy[:, 1], **style)


def _clip_box(spec: ScenarioSpec, margin_deg: float):
    a = spec.area
    return shapely.box(
        a.lon_min_deg - margin_deg, a.lat_min_deg - margin_deg, a.lon_max_deg + margin_deg, a.lat_max_deg + margin_deg
    )


class _LabelPlacer:
    """Greedy label thinning: a label is written only if its (estimated) box overlaps none written
    before, so a busy scenario stays readable. Boxes are estimated from the font size (6 pt,
    0.6 em per character) and the figure and map extents, in degrees."""

    def __init__(self, spec: ScenarioSpec, margin_deg: float, fig: Figure) -> None:
        a = spec.area
        width_in, height_in = fig.get_size_inches()
        span_x = a.lon_max_deg - a.lon_min_deg + 2 * margin_deg
        span_y = a.lat_max_deg - a.lat_min_deg + 2 * margin_deg
        self.char_w = span_x * 6 * 0.6 / (72.0 * width_in * 0.85)
        self.line_h = span_y * 6 * 1.2 / (72.0 * height_in * 0.85)
        self.boxes: list[tuple[float, float, float, float]] = []

    def free(self, text: str, x: float, y: float, *, centred: bool) -> bool:
        w = self.char_w * len(text)
        x0 = x - w / 2 if centred else x
        box = (x0, y, x0 + w, y + self.line_h)
        if any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in self.boxes):
            return False
        self.boxes.append(box)
        return True


def draw_scenario_map(
    spec: ScenarioSpec,
    geo: Geography | None = None,
    *,
    ax: Axes | None = None,
    margin_deg: float = 0.5,
    target_height_m: float = MAP_TARGET_HEIGHT_M,
    labels: bool = True,
) -> Figure:
    """Draw a scenario on a chart and return the figure.

    Parameters
    ----------
    spec
        The validated scenario.
    geo
        The geography (default: the shipped data, :func:`mda_sim.geography.load_geography`).
    ax
        Axes to draw on; a new figure is made when omitted.
    margin_deg
        Extra longitude/latitude shown around the operating area [deg].
    target_height_m
        Target height for the radar coverage rings [m] (horizon from antenna and target heights).
    labels
        Write base and region names on the map.

    Returns
    -------
    matplotlib.figure.Figure
        The figure holding ``ax``.
    """
    geo = geo if geo is not None else load_geography()
    if ax is None:
        fig = Figure(figsize=(12, 10), layout="constrained")
        ax = fig.add_subplot()
    fig = ax.figure
    clip = _clip_box(spec, margin_deg)

    territories = [t for t in geo.territories.values()]
    for t in territories:
        eez = _to_lonlat(geo, t.eez).intersection(clip)
        _lines(ax, eez, color=EEZ_COLOUR, linewidth=0.6, linestyle=(0, (4, 3)), zorder=2)
        ts = _to_lonlat(geo, t.territorial_sea).intersection(clip)
        _add_geometry(ax, ts, facecolor=TS_COLOUR, edgecolor="none", zorder=1)
    for t in territories:
        land = _to_lonlat(geo, t.land).intersection(clip)
        _add_geometry(ax, land, facecolor=LAND_COLOUR, edgecolor=COAST_COLOUR, linewidth=0.4, zorder=3)

    a = spec.area
    ax.plot(
        [a.lon_min_deg, a.lon_max_deg, a.lon_max_deg, a.lon_min_deg, a.lon_min_deg],
        [a.lat_min_deg, a.lat_min_deg, a.lat_max_deg, a.lat_max_deg, a.lat_min_deg],
        color=AREA_COLOUR, linewidth=1.2, linestyle="--", zorder=4,
    )

    placer = _LabelPlacer(spec, margin_deg, fig)
    for base in spec.bases:  # bases first: their names win over region ids where they collide
        if labels and placer.free(base.name, base.lon_deg, base.lat_deg, centred=False):
            ax.annotate(base.name, (base.lon_deg, base.lat_deg), xytext=(4, 3), textcoords="offset points",
                        fontsize=6, color=BASE_COLOURS[base.kind], zorder=9)
    for region in spec.regions:
        poly = region_polygon_lonlat(region)
        _lines(ax, poly, color=REGION_COLOUR, linewidth=0.9, linestyle=":", zorder=5)
        c = poly.representative_point()
        if labels and placer.free(region.id, c.x, c.y, centred=True):
            ax.annotate(region.id, (c.x, c.y), fontsize=6, color=REGION_COLOUR, ha="center", zorder=9)

    for sensor in spec.sensors:
        stype = spec.sensor_type(sensor.type)
        reach_nm = fixed_sensor_reach_nm(stype, sensor.antenna_height_m, target_height_m)
        x, y = geo.frame.to_xy(sensor.lon_deg, sensor.lat_deg)
        ring = _to_lonlat(geo, shapely.Point(float(x), float(y)).buffer(reach_nm, quad_segs=32))
        colour = AIS_COLOUR if stype.kind == "ais_receiver" else RADAR_COLOUR
        _add_geometry(ax, ring, facecolor=colour, alpha=0.07, edgecolor=colour, linewidth=0.8, zorder=6)
        ax.plot(sensor.lon_deg, sensor.lat_deg, marker="^", color=colour, markersize=5, zorder=8)

    for base in spec.bases:
        ax.plot(base.lon_deg, base.lat_deg, marker="s", color=BASE_COLOURS[base.kind], markersize=5,
                markeredgecolor="white", markeredgewidth=0.5, zorder=8)

    lat_mid = 0.5 * (a.lat_min_deg + a.lat_max_deg)
    ax.set_aspect(1.0 / np.cos(np.radians(lat_mid)))
    ax.set_xlim(a.lon_min_deg - margin_deg, a.lon_max_deg + margin_deg)
    ax.set_ylim(a.lat_min_deg - margin_deg, a.lat_max_deg + margin_deg)
    ax.set_facecolor("#f4f8fb")
    ax.set_xlabel("longitude [deg E]")
    ax.set_ylabel("latitude [deg N]")
    ax.grid(True, linewidth=0.3, color="#999999", alpha=0.5)
    ax.set_title(f"{spec.name} — {spec.area.name}")
    ax.legend(handles=_legend_handles(target_height_m), loc="lower left", fontsize=7, framealpha=0.9)
    ax.annotate(
        "Coastlines: GSHHG (LGPL-3.0); territories: Natural Earth. Zones from the coastline (normal "
        "baseline), split by equidistance: an approximation, not legal boundaries.",
        (0.0, -0.06), xycoords="axes fraction", fontsize=6, color="#555555", va="top",
    )
    return fig


def _legend_handles(target_height_m: float) -> Iterable:
    return [
        Patch(facecolor=LAND_COLOUR, edgecolor=COAST_COLOUR, label="land"),
        Patch(facecolor=TS_COLOUR, label="territorial sea (12 nm)"),
        Line2D([], [], color=EEZ_COLOUR, linestyle=(0, (4, 3)), label="EEZ limits (200 nm, equidistance)"),
        Line2D([], [], color=AREA_COLOUR, linestyle="--", label="operating area"),
        Patch(facecolor=RADAR_COLOUR, alpha=0.25, edgecolor=RADAR_COLOUR,
              label=f"radar coverage (target {target_height_m:g} m)"),
        Patch(facecolor=AIS_COLOUR, alpha=0.25, edgecolor=AIS_COLOUR, label="AIS receiver reach"),
        *(Line2D([], [], marker="s", linestyle="none", color=c, label=f"base: {k.replace('_', ' + ')}")
          for k, c in BASE_COLOURS.items()),
        Line2D([], [], color=REGION_COLOUR, linestyle=":", label="scenario region"),
    ]


def save_scenario_map(spec: ScenarioSpec, path: str | Path, dpi: int = 150, **kwargs) -> Path:
    """Draw :func:`draw_scenario_map` and write it to ``path`` (format from the suffix).

    The file is written to a temporary name and renamed, so an interrupted write never leaves a
    half-written image under the final name.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig = draw_scenario_map(spec, **kwargs)
    FigureCanvasAgg(fig)
    with atomic_file(path) as tmp:
        fig.savefig(tmp, dpi=dpi, format=path.suffix.lstrip(".") or "png")
    return path
