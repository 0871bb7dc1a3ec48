"""``python -m mda_sim`` runs the command line."""

import sys

from mda_sim.cli import main

sys.exit(main())
