"""Region geometry in the planar frame (pure: shapely and numpy only)."""

from __future__ import annotations

import numpy as np
import shapely
from shapely.geometry import Point as ShapelyPoint
from shapely.geometry import Polygon

from mda_sim.scenario.specs import Region

#: Segments per quarter circle when a circular region becomes a polygon.
CIRCLE_QUAD_SEGS = 16


def region_polygon_xy(region: Region, frame) -> Polygon:
    """The region as a shapely polygon in the planar frame [nm]."""
    if region.circle is not None:
        c = region.circle
        x, y = frame.to_xy(np.array([c.lon_deg]), np.array([c.lat_deg]))
        return ShapelyPoint(float(x[0]), float(y[0])).buffer(c.radius_nm, quad_segs=CIRCLE_QUAD_SEGS)
    lon = np.array([p.lon_deg for p in region.polygon])
    lat = np.array([p.lat_deg for p in region.polygon])
    x, y = frame.to_xy(lon, lat)
    return Polygon(np.column_stack([x, y]))


def region_polygon_lonlat(region: Region) -> Polygon:
    """The region in lon/lat degrees (for maps); circles are drawn via a local approximation."""
    if region.polygon is not None:
        return Polygon([(p.lon_deg, p.lat_deg) for p in region.polygon])
    c = region.circle
    angle = np.linspace(0.0, 2.0 * np.pi, 4 * CIRCLE_QUAD_SEGS + 1)
    dlat = c.radius_nm / 60.0 * np.cos(angle)
    dlon = c.radius_nm / (60.0 * np.cos(np.radians(c.lat_deg))) * np.sin(angle)
    return Polygon(np.column_stack([c.lon_deg + dlon, c.lat_deg + dlat]))


__all__ = ["region_polygon_lonlat", "region_polygon_xy", "shapely"]
