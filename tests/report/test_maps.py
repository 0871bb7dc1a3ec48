"""The scenario map: written as a real image, drawn from the real coastline."""

from __future__ import annotations

from pathlib import Path

import matplotlib.image as mpimg
import numpy as np
import pytest

from mda_sim.cli import main
from mda_sim.scenario.loader import load_scenario

ROOT = Path(__file__).resolve().parents[2]
SMALL = ROOT / "scenarios" / "mona_passage_small.yaml"


@pytest.fixture(scope="module")
def small_spec():
    return load_scenario(SMALL).spec


def test_cli_map_writes_a_png_that_decodes(tmp_path):
    out = tmp_path / "sub" / "map.png"
    assert main(["map", str(SMALL), "-o", str(out), "--dpi", "60"]) == 0
    image = mpimg.imread(out)
    assert image.ndim == 3 and image.shape[0] > 200 and image.shape[1] > 200
    # Not a blank canvas: land, sea and annotations give many distinct colours.
    assert len(np.unique(image.reshape(-1, image.shape[-1]), axis=0)) > 50
    assert not list(out.parent.glob(".*.partial")), "the temporary file must be renamed away"


def test_map_draws_land_in_land_colour_where_the_island_is(small_spec):
    """A pixel over Mona Island (18.09 N, 67.89 W) is land-coloured; open sea west of it is not."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.colors import to_rgb

    from mda_sim.report.maps import LAND_COLOUR, draw_scenario_map

    fig = draw_scenario_map(small_spec, labels=False)
    ax = fig.axes[0]
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    rgba = np.asarray(canvas.buffer_rgba())[..., :3] / 255.0
    height = rgba.shape[0]

    def colour_at(lon, lat):
        px, py = ax.transData.transform((lon, lat))
        return rgba[int(round(height - py)), int(round(px))]

    land = np.array(to_rgb(LAND_COLOUR))
    assert np.abs(colour_at(-67.89, 18.085) - land).max() < 0.05
    assert np.abs(colour_at(-68.3, 17.5) - land).max() > 0.1


def test_map_with_given_axes_returns_its_figure(small_spec):
    from matplotlib.figure import Figure

    from mda_sim.report.maps import draw_scenario_map

    fig = Figure()
    ax = fig.add_subplot()
    assert draw_scenario_map(small_spec, ax=ax, labels=False) is fig
    assert len(ax.patches) > 0
