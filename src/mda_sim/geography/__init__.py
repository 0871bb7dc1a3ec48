"""Geography of the Eastern Caribbean: the planar frame, land by territory and maritime zones.

>>> from mda_sim.geography import load_geography, Zone
>>> geo = load_geography()
>>> zone, territory = geo.waters_lonlat(-61.07, 14.01)  # 5 nm west of Castries
>>> Zone(int(zone)).name, str(territory)
('TERRITORIAL_SEA', 'LCA')
"""

from mda_sim.geography.frame import DEFAULT_FRAME, LocalFrame, geodesic_distance_nm
from mda_sim.geography.geography import Geography, Territory, load_geography
from mda_sim.geography.zones import Zone

__all__ = [
    "DEFAULT_FRAME",
    "Geography",
    "LocalFrame",
    "Territory",
    "Zone",
    "geodesic_distance_nm",
    "load_geography",
]
