"""The ``mda-sim`` command line: parse arguments, call the library, print results.

Every verb is a library call a user can also make from Python (STYLE: the CLI only parses).
"""

from mda_sim.cli.main import main

__all__ = ["main"]
