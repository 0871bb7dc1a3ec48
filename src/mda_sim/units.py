"""Unit conversion factors: the one module that owns them (STYLE habit 4).

Quantities carry their unit in their name (``speed_kn``, ``range_nm``, ``height_m``).
Convert only through these constants.
"""

#: metres in one international nautical mile [m/nm] (exact, by definition)
M_PER_NM = 1852.0
#: kilometres in one nautical mile [km/nm]
KM_PER_NM = M_PER_NM / 1000.0
#: nautical miles in one kilometre [nm/km]
NM_PER_KM = 1000.0 / M_PER_NM
#: metres in one international foot [m/ft] (exact)
M_PER_FT = 0.3048
#: statute miles to nautical miles [nm/mi]
NM_PER_MI = 1609.344 / M_PER_NM
#: knots to metres per second [(m/s)/kn]
MPS_PER_KN = M_PER_NM / 3600.0
#: seconds in one hour [s/h]
S_PER_H = 3600.0
#: hours in one day [h/d]
H_PER_DAY = 24.0
#: mean Earth radius [m] (IUGG mean radius R1, as used in the 4/3-earth horizon formula)
EARTH_RADIUS_M = 6_371_000.0
