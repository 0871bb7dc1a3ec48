"""Reports: figures and after-action documents drawn from scenario specs and run outputs.

This is the only subpackage that imports matplotlib; the core never imports it.
"""

from mda_sim.report.html import SECTIONS, Report, ReportError, write_report
from mda_sim.report.maps import draw_scenario_map, save_scenario_map

__all__ = ["SECTIONS", "Report", "ReportError", "draw_scenario_map", "save_scenario_map", "write_report"]
