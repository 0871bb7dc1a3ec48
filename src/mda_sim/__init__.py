"""mda_sim: a maritime domain awareness simulation and exercise engine.

The package is organised by role; the folder list teaches the domain:

``scenario``   the YAML scenario language, validation and frozen specs
``geography``  land, states and territories, maritime zones, the planar frame
``kinematics`` piecewise constant-velocity motion and intercept geometry (pure)
``sensing``    radar horizon, detection laws, coverage intervals (pure)
``report``     maps and figures (matplotlib; never imported by the core)
``cli``        the ``mda-sim`` command line, a thin layer over library calls
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("mda-sim")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0+unknown"

__all__ = ["__version__"]
