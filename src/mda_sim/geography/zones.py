"""Maritime zones (UNCLOS) as modelled by the shipped geography.

Each zone is measured from the coastline (the normal baseline, UNCLOS Art. 5, approximated by the
GSHHG shoreline); straight and archipelagic baselines (Arts. 7, 47), internal waters (Art. 8) and
negotiated boundaries (e.g. Barbados–SVG 2015, France–Netherlands at Saint Martin 2016) are not
modelled. Between neighbours the zones are split by equidistance (every point of sea belongs to the
territory with the nearest coast). Bays and lakes open to the sea count as territorial sea; lakes
inside an island count as land.
"""

from __future__ import annotations

from enum import IntEnum

__all__ = ["ZONE_BREADTH_NM", "ZONE_FIELDS", "Zone"]


class Zone(IntEnum):
    """The innermost maritime zone a point lies in; a smaller value is nearer the coast.

    The polygons of a territory are nested sets: land ⊂ territorial sea ⊂ contiguous zone ⊂ EEZ, so
    the zone of a point is the smallest value among the polygons containing it.
    """

    #: On land (including lakes and lagoons closed off from the sea in the shoreline data).
    LAND = 0
    #: Territorial sea: within 12 nm of the coast (UNCLOS Art. 3).
    TERRITORIAL_SEA = 1
    #: Contiguous zone: 12–24 nm from the coast (UNCLOS Art. 33).
    CONTIGUOUS_ZONE = 2
    #: Exclusive economic zone: 24–200 nm from the coast (UNCLOS Art. 57).
    EEZ = 3
    #: Beyond every EEZ (or outside the data; see ``Geography.bounds_deg``).
    HIGH_SEAS = 4


#: Outer limit of each zone from the baseline [nm] (land: 0; high seas: unbounded).
ZONE_BREADTH_NM: dict[Zone, float] = {
    Zone.LAND: 0.0,
    Zone.TERRITORIAL_SEA: 12.0,
    Zone.CONTIGUOUS_ZONE: 24.0,
    Zone.EEZ: 200.0,
}

#: The :class:`~mda_sim.geography.geography.Territory` field holding each zone's polygon.
ZONE_FIELDS: dict[Zone, str] = {
    Zone.LAND: "land",
    Zone.TERRITORIAL_SEA: "territorial_sea",
    Zone.CONTIGUOUS_ZONE: "contiguous_zone",
    Zone.EEZ: "eez",
}
