"""The ENGINE against theory: a World built from a small scenario is run and its event log is
compared with closed forms (reference ``shared/reference/theory-and-calibration.md``).

Geometry is pinned by tiny circular origin/destination regions (radius 0.01 nm) in open water of the
Caribbean Sea around 14.0 N, 66.5 W (more than 90 nm from any land, so routes are straight lines and
there is no land shadow), with scheduled departures. The expected values are computed from the
*logged* legs (``leg_started``: position and velocity in the planar frame) and the sensor's frame
position, with closed forms written out in this file (not the engine's own coverage code). Sea
state 1 and ``always_day`` make every degradation factor 1 (``sea_state_factor`` is 1 below 2 ft of
seas), and each test defines its own catalog sensor type so the law is known exactly.

Statistical tolerances are four standard errors (two-sided false-failure rate ~6e-5 per check under
a normal approximation; the seeds are fixed, so a pass is reproducible) or, for distribution checks,
a Kolmogorov-Smirnov distance below ``sqrt(ln(2/alpha) / 2) / sqrt(n)`` with ``alpha = 1e-4``.
``MDA_SIM_FULL_STATS=1`` raises the sample sizes about tenfold.

Determinism (same seed, same log; other seed, other log) is covered in ``test_world.py``.
"""

from __future__ import annotations

import math
from collections import defaultdict

import numpy as np
import pytest
import shapely

from mda_sim.engine.world import World
from mda_sim.geography import load_geography
from mda_sim.sensing.laws import ConstantRate
from tests.conftest import FULL_STATS
from tests.engine.kit import (
    DEG_PER_NM,
    LAT0,
    LON0,
    _circle,
    _events,
    _flow,
    _lanes,
    _legs,
    _load,
    _scenario,
    _sensor,
    _vessel_type,
)

#: Kolmogorov-Smirnov critical value for alpha = 1e-4 (asymptotic: P(sqrt(n) D > x) ~ 2 exp(-2x^2)).
KS_CRIT = math.sqrt(math.log(2.0 / 1e-4) / 2.0)  # 2.225


@pytest.fixture(scope="module")
def geo():
    return load_geography()


def _closed_form_interval(p0, v, c, R, t0, t1):
    """[enter, exit] [h] of |p0 + v (t - t0) - c| <= R within [t0, t1] (NaN, NaN if never):
    the quadratic |w|^2 tau^2 + 2 (d.w) tau + |d|^2 - R^2 = 0 (DESIGN.md §3)."""
    d = np.asarray(p0, float) - np.asarray(c, float)
    a, b, cc = float(v @ v), float(d @ v), float(d @ d) - R * R
    disc = b * b - a * cc
    if a == 0.0:
        return (t0, t1) if cc <= 0 else (math.nan, math.nan)
    if disc < 0:
        return math.nan, math.nan
    lo, hi = (-b - math.sqrt(disc)) / a, (-b + math.sqrt(disc)) / a
    lo, hi = max(t0 + lo, t0), min(t0 + hi, t1)
    return (lo, hi) if lo <= hi else (math.nan, math.nan)


def _min_distance(p0, v, c, t0, t1):
    d = np.asarray(p0, float) - np.asarray(c, float)
    a = float(v @ v)
    tau = 0.0 if a == 0 else min(max(-float(d @ v) / a, 0.0), t1 - t0)
    return float(np.hypot(*(d + v * tau)))


def _ks_distance(sample, cdf) -> float:
    """Kolmogorov-Smirnov distance sup |F_n - F| of a sample against a continuous CDF."""
    x = np.sort(np.asarray(sample, float))
    n = x.size
    F = cdf(x)
    i = np.arange(1, n + 1)
    return float(max(np.max(i / n - F), np.max(F - (i - 1) / n)))


# ================================================================== a. definite-range crossings
def test_definite_range_detects_at_the_entry_time(tmp_path, geo):
    """Definite range (cookie cutter, reference §2.2: p(r) = 1 for r <= R, else 0).

    Vessels on straight lanes at north offsets 0-14 nm cross a fixed sensor with R = 10 nm
    (instrumented range 40 nm, horizon 2.2256 (sqrt 30 + sqrt 2) = 15.3 nm > R, so the footprint
    is R). Expected from the logged leg: entry/exit by the relative-motion quadratic. Every vessel
    whose closest approach is within R gets ``coverage_entered`` and its first ``detected`` at the
    entry time and ``coverage_left`` at the exit time, to 1e-6 h (the engine's EPS_H, 3.6 ms; the
    arithmetic itself agrees to ~1e-12 h), at a logged range of R to 1e-6 nm; every other vessel
    has no sensing event at all. Deterministic: no tolerance is statistical.
    """
    R = 10.0
    offsets = [-14.0, -10.4, -9.6, -5.0, 0.0, 0.3, 3.0, 9.6, 10.4, 14.0]
    regions, flows = _lanes(offsets, 0.5, [0.0, 0.7, 1.4, 2.1])
    doc = _scenario(
        regions=regions, flows=flows,
        sensors=[_sensor("cookie", "cookie_radar", LAT0, LON0)],
        sensor_types=[{"id": "cookie_radar", "name": "cookie cutter", "kind": "surface_radar",
                       "instrumented_range_nm": 40.0,
                       "detection": {"model": "definite_range", "range_nm": R}}],
        duration_h=6.0,
    )
    log = list(World(_load(doc, tmp_path)).run())
    c = np.array(geo.frame.to_xy(LON0, LAT0), dtype=float)
    legs = _legs(log)
    entered, left = _events(log, "coverage_entered", "cookie"), _events(log, "coverage_left", "cookie")
    detected = _events(log, "detected", "cookie")
    assert len(legs) == len(offsets) * 4
    n_hit = n_miss = 0
    for vessel, vlegs in legs.items():
        assert len(vlegs) == 1, "open water: the route is one straight leg"
        t0, p0, v, t1, _ = vlegs[0]
        enter, leave = _closed_form_interval(p0, v, c, R, t0, t1)
        if math.isnan(enter):
            n_miss += 1
            assert _min_distance(p0, v, c, t0, t1) > R
            assert not entered[vessel] and not left[vessel] and not detected[vessel], vessel
            continue
        n_hit += 1
        assert [e.t_h for e in entered[vessel]] == pytest.approx([enter], abs=1e-6)
        assert [e.t_h for e in left[vessel]] == pytest.approx([leave], abs=1e-6)
        assert len(detected[vessel]) == 1  # held in contact until it leaves
        det = detected[vessel][0]
        assert det.t_h == pytest.approx(enter, abs=1e-6)
        assert det.range_nm == pytest.approx(R, abs=1e-6)
        # the law's p at the detection range: 1 inside a cookie cutter (at the edge, rounding can
        # put r 1e-15 nm outside R; the record must still say 1)
        assert det.p_detect == 1.0
        assert entered[vessel][0].range_nm == pytest.approx(R, abs=1e-6)
        assert left[vessel][0].range_nm == pytest.approx(R, abs=1e-6)
    assert n_hit >= 20 and n_miss >= 12  # both sides of R are exercised, near the edge too


# ================================================================== b. glimpse law over a pass
GLIMPSE = {"scan_period_s": 240.0, "p_max": 0.5, "r50_nm": 2.0, "steepness": 4.0}
GLIMPSE_RANGE_NM = 8.0


def _p_scan(r):
    g = GLIMPSE
    return g["p_max"] / (1.0 + (np.asarray(r) / g["r50_nm"]) ** g["steepness"])


def _p_pass_phase_averaged(pa, v, c, D, n_phase=256):
    """Reference §2.6: P = 1 - prod_j (1 - p(r_j)) over the scans at a + phase + j T in the
    coverage interval [a, a + D] (``pa``: position at ``a``), averaged over a uniform scan phase
    (midpoint grid of n_phase values)."""
    T = GLIMPSE["scan_period_s"] / 3600.0
    d = pa - c
    ph = (np.arange(n_phase) + 0.5) / n_phase * T
    j = np.arange(math.floor(D / T) + 2)
    t = ph[:, None] + T * j[None, :]
    on = t <= D + 1e-9 * T  # the scans phase + j T in [0, D] (Glimpse._scans' rounding allowance)
    r = np.hypot(d[0] + v[0] * t, d[1] + v[1] * t)
    miss = np.where(on, 1.0 - _p_scan(r), 1.0)
    return float(np.mean(1.0 - np.prod(miss, axis=1)))


def test_glimpse_pass_detected_fraction_matches_cumulative_scans(tmp_path, geo):
    """Cumulative detection over independent scans (reference §2.6):
    ``P = 1 - prod_j (1 - p(r_j))``, ``p(r) = p_max / (1 + (r / r50)^4)`` per scan.

    The engine draws a uniform scan phase for each coverage interval (``Glimpse._invert`` with no
    phase given) and then places the scans exactly -- it does *not* use the continuous-rate
    approximation ``gamma = -ln(1 - p) / T`` of §2.6. So the expected P of each vessel is the
    product over its scans, averaged over the phase (256-point midpoint grid; with 240 s scans at
    20 kn -- 1.3 nm between scans -- the phase-averaged value and the continuous-rate value differ
    by < 1e-4 here, far below the statistical tolerance, so both readings of §2.6 agree).
    Lanes at offsets 1.5, 2.5 and 3.5 nm give P ~ 0.72, 0.39, 0.18.

    Tolerance: the detected count is a sum of independent Bernoulli(P_i):
    ``|mean(hit) - mean(P)| <= 4 sqrt(sum P_i (1 - P_i)) / N`` (N = 300 by default, se ~ 0.027;
    3,000 with MDA_SIM_FULL_STATS=1). Checked per lane too, so a range-dependent error shows.
    """
    n_per_lane = 1_000 if FULL_STATS else 100
    spacing_h = 0.05
    times = spacing_h * np.arange(n_per_lane)
    offsets = [1.5, 2.5, 3.5]
    regions, flows = _lanes(offsets, 0.2, times)
    doc = _scenario(
        regions=regions, flows=flows,
        sensors=[_sensor("scan", "scanner", LAT0, LON0)],
        sensor_types=[{"id": "scanner", "name": "coarse scanner", "kind": "surface_radar",
                       "instrumented_range_nm": GLIMPSE_RANGE_NM,
                       "detection": {"model": "glimpse", **GLIMPSE}}],
        duration_h=float(times[-1] + 2.0),
    )
    log = list(World(_load(doc, tmp_path)).run())
    c = np.array(geo.frame.to_xy(LON0, LAT0), dtype=float)
    legs = _legs(log)
    detected = _events(log, "detected", "scan")
    by_lane: dict[str, list[tuple[bool, float]]] = defaultdict(list)
    for vessel, vlegs in legs.items():
        assert len(vlegs) == 1
        t0, p0, v, t1, _ = vlegs[0]
        a, b = _closed_form_interval(p0, v, c, GLIMPSE_RANGE_NM, t0, t1)
        assert not math.isnan(a)
        P = _p_pass_phase_averaged(p0 + v * (a - t0), v, c, b - a)
        dets = detected[vessel]
        assert len(dets) <= 1
        if dets:  # detections happen on scans inside the footprint
            assert a - 1e-9 <= dets[0].t_h <= b + 1e-9
            assert dets[0].p_detect == pytest.approx(float(_p_scan(dets[0].range_nm)), rel=1e-9)
        by_lane[vessel.split("#")[0]].append((bool(dets), P))
    assert len(by_lane) == 3 and all(len(x) == n_per_lane for x in by_lane.values())

    def check(rows):
        hit = np.array([h for h, _ in rows], float)
        P = np.array([p for _, p in rows])
        se = math.sqrt(float(np.sum(P * (1.0 - P)))) / len(rows)
        assert abs(hit.mean() - P.mean()) <= 4.0 * se, (hit.mean(), P.mean(), se)
        return P.mean()

    means = [check(rows) for _, rows in sorted(by_lane.items())]
    assert means[0] > 0.6 and means[2] < 0.3  # the lanes really span the curve
    check([row for rows in by_lane.values() for row in rows])


# ================================================================== c. time to detect, loitering
def _loiter_doc(n: int, range_nm: float, stype: dict, loiter_h: float) -> dict:
    lat = LAT0 + range_nm * DEG_PER_NM
    return _scenario(
        regions=[_circle("spot", lat, LON0)],
        flows=[_flow("loiterers", "spot", "spot", 0.001 * np.arange(n), behaviour="loiter",
                     loiter_h={"dist": "fixed", "value": loiter_h},
                     speed_kn={"dist": "fixed", "value": 30.0})],
        sensors=[_sensor("watch", stype["id"], LAT0, LON0)],
        sensor_types=[stype],
        duration_h=0.001 * n + loiter_h + 1.0,
    )


def _times_from_loiter_start(log, sensor: str):
    """Detection delay [h] after the loiter leg starts, and the loiter position [nm], for vessels
    not detected before it (by memorylessness of the hazard, and the fresh scan phase drawn at each
    new leg, these delays have the law's distribution from the loiter start); NaN if never."""
    legs = _legs(log)
    detected = _events(log, "detected", sensor)
    tau, where = [], []
    for vessel, vlegs in legs.items():
        loiter = [leg for leg in vlegs if leg[4] == "loiter"]
        assert len(loiter) == 1
        t_loiter = loiter[0][0]
        dets = [e.t_h for e in detected[vessel]]
        assert len(dets) <= 1
        if dets and dets[0] < t_loiter:
            continue
        tau.append(dets[0] - t_loiter if dets else math.nan)
        where.append(loiter[0][1])
    return np.array(tau), np.array(where)


def test_constant_rate_time_to_detect_is_exponential(tmp_path, geo):
    """Constant-rate law (reference §2.1: P(t) = 1 - exp(-gamma t), detections Poisson): a vessel
    loitering at a fixed range inside the footprint is detected after Exp(gamma), mean 1/gamma.

    The scenario language has no ``constant_rate`` model (catalog laws are definite_range and
    glimpse), so the catalog sensor is built as usual and its law object is replaced by
    ``ConstantRate(gamma = 2/h, R = 20 nm)`` before the run; everything else -- coverage,
    scheduling, rescheduling at the loiter leg, the event log -- is the engine's.

    Tolerances: |mean - 1/gamma| <= 4 (1/gamma) / sqrt(n) (the exponential's sd equals its mean);
    KS distance to 1 - exp(-gamma t) below 2.225 / sqrt(n) (alpha = 1e-4). n ~ 400 by default
    (4,000 with MDA_SIM_FULL_STATS=1); loitering lasts 12 h, so a miss has probability e^-24.
    """
    gamma = 2.0
    n = 4_000 if FULL_STATS else 400
    stype = {"id": "rate_sensor", "name": "rate sensor", "kind": "surface_radar",
             "instrumented_range_nm": 20.0, "detection": {"model": "definite_range", "range_nm": 20.0}}
    world = World(_load(_loiter_doc(n, 5.0, stype, 12.0), tmp_path))
    world.detection.sensors["watch"]._base_law = ConstantRate(rate_per_h=gamma, range_nm=20.0)
    tau, _ = _times_from_loiter_start(list(world.run()), "watch")
    assert tau.size >= 0.95 * n and not np.any(np.isnan(tau))
    assert np.all(tau >= 0.0)
    mean = 1.0 / gamma
    assert abs(tau.mean() - mean) <= 4.0 * mean / math.sqrt(tau.size), tau.mean()
    ks = _ks_distance(tau, lambda t: -np.expm1(-gamma * t))
    assert ks <= KS_CRIT / math.sqrt(tau.size), ks


def test_glimpse_time_to_detect_on_a_loiterer_is_scan_geometric(tmp_path, geo):
    """Glimpse law on a target at fixed range r (reference §2.6: independent scans, P_cum(n) =
    1 - (1 - p)^n; rate gamma = -ln(1 - p) / T). With the engine's uniform scan phase U, the
    delay is ``U + (G - 1) T``, G ~ Geometric(p), so

        E = T/2 + T (1 - p) / p,   Var = T^2 / 12 + T^2 (1 - p) / p^2,
        F(t) = 1 - (1 - p)^k + (1 - p)^k p (t - kT) / T,  k = floor(t / T).

    Here T = 30 s and r ~ 4.98 nm (the frame puts the 0.01 nm loiter circle 4.97-4.99 nm from the
    sensor; each vessel's own r and p are used), p = 0.6 / (1 + (r/4)^4) ~ 0.176, E ~ 0.0432 h
    (the continuous-rate reading 1/gamma of §2.6 differs from E by only ~1e-4 h at this p, but the
    CDF checked below is the exact lattice one, with its steps of p at every scan).
    The mean is checked against the mean of the per-vessel expectations (se from the per-vessel
    variances) and the KS test is applied to the probability integral transforms u_i = F_i(tau_i).
    Tolerances: 4 standard errors on the mean; KS distance below 2.225 / sqrt(n) (alpha = 1e-4).
    n ~ 400 by default, 4,000 with MDA_SIM_FULL_STATS=1.
    """
    n = 4_000 if FULL_STATS else 400
    T = 30.0 / 3600.0
    law = {"model": "glimpse", "scan_period_s": 30.0, "p_max": 0.6, "r50_nm": 4.0, "steepness": 4.0}
    stype = {"id": "lookout", "name": "scanning lookout", "kind": "surface_radar",
             "instrumented_range_nm": 12.0, "detection": law}
    log = list(World(_load(_loiter_doc(n, 5.0, stype, 3.0), tmp_path)).run())
    c = np.array(geo.frame.to_xy(LON0, LAT0), dtype=float)
    tau, where = _times_from_loiter_start(log, "watch")
    assert tau.size >= 0.9 * n and not np.any(np.isnan(tau))  # P(miss in 3 h) = (1-p)^360 ~ 1e-30
    # each vessel's own loiter range (the region has radius 0.01 nm; r = 4.97-4.99 nm): its own p
    p = _p_generic(np.hypot(where[:, 0] - c[0], where[:, 1] - c[1]), law)
    assert np.all(np.abs(p - 0.176) < 0.003)
    mean = T / 2.0 + T * (1.0 - p) / p
    var = T * T / 12.0 + T * T * (1.0 - p) / (p * p)
    se = math.sqrt(float(var.sum())) / tau.size
    assert abs(tau.mean() - mean.mean()) <= 4.0 * se, (tau.mean(), mean.mean(), se)
    # probability integral transform: u_i = F_i(tau_i) is Uniform(0, 1) under the model
    k = np.floor(tau / T)
    q = (1.0 - p) ** k
    u = 1.0 - q + q * p * (tau - k * T) / T
    ks = _ks_distance(u, lambda x: np.clip(x, 0.0, 1.0))
    assert ks <= KS_CRIT / math.sqrt(tau.size), ks


def _p_generic(r, law):
    return law["p_max"] / (1.0 + (np.asarray(r) / law["r50_nm"]) ** law["steepness"])


# ================================================================== d. radar horizon
def _horizon_nm(h1_m: float, h2_m: float) -> float:
    """Reference §2.4: d = sqrt(2 k R_e h1) + sqrt(2 k R_e h2), k = 4/3, R_e = 6,371 km, in nm."""
    c = math.sqrt(2.0 * (4.0 / 3.0) * 6_371_000.0)  # 4,121.8 m / sqrt(m)
    return c * (math.sqrt(h1_m) + math.sqrt(h2_m)) / 1852.0


def test_coverage_starts_at_the_four_thirds_earth_horizon(tmp_path, geo):
    """Radar horizon, 4/3 earth (reference §2.4): ``d = 4,121.8 (sqrt h_a + sqrt h_t) m``, i.e.
    ``2.2256 (sqrt h_a + sqrt h_t)`` nm (the reference rounds the constant to 2.23).

    A 30 m antenna, instrumented range 48 nm, against targets 3 m high (16.04 nm, the reference's
    worked example) and 12 m high (19.91 nm): ``coverage_entered`` and ``coverage_left`` are logged
    at the horizon range (to 1e-6 nm: the log's range is computed from the positions at the entry
    time). A second sensor with instrumented range 12 nm < horizon covers at 12 nm. Deterministic.
    """
    doc_regions, flows = [], []
    for i, off in enumerate([0.0, 6.0]):
        lat = LAT0 + off * DEG_PER_NM
        doc_regions += [_circle(f"w{i}", lat, LON0 - 0.5), _circle(f"e{i}", lat, LON0 + 0.5)]
        flows.append(_flow(f"low{i}", f"w{i}", f"e{i}", [0.0, 1.0], "low_boat"))
        flows.append(_flow(f"tall{i}", f"w{i}", f"e{i}", [0.5, 1.5], "tall_ship"))
    st_long = {"id": "long_radar", "name": "long radar", "kind": "surface_radar",
               "instrumented_range_nm": 48.0, "detection": {"model": "definite_range", "range_nm": 48.0}}
    st_short = {"id": "short_radar", "name": "short radar", "kind": "surface_radar",
                "instrumented_range_nm": 12.0, "detection": {"model": "definite_range", "range_nm": 48.0}}
    doc = _scenario(
        regions=doc_regions, flows=flows,
        sensors=[_sensor("long", "long_radar", LAT0, LON0, 30.0),
                 _sensor("short", "short_radar", LAT0, LON0, 30.0)],
        sensor_types=[st_long, st_short],
        vessel_types=[_vessel_type("low_boat", 3.0), _vessel_type("tall_ship", 12.0)],
        duration_h=6.0,
    )
    log = list(World(_load(doc, tmp_path)).run())
    assert _horizon_nm(30.0, 3.0) == pytest.approx(16.04, abs=5e-3)  # reference worked example
    c = np.array(geo.frame.to_xy(LON0, LAT0), dtype=float)
    legs = _legs(log)
    seen = set()
    for sensor, instrumented in (("long", 48.0), ("short", 12.0)):
        entered, left = _events(log, "coverage_entered", sensor), _events(log, "coverage_left", sensor)
        for vessel, vlegs in legs.items():
            height = 3.0 if vessel.startswith("low") else 12.0
            reach = min(instrumented, _horizon_nm(30.0, height))
            assert reach == pytest.approx(min(instrumented, 2.23 * (math.sqrt(30) + math.sqrt(height))),
                                          rel=3e-3)
            t0, p0, v, t1, _ = vlegs[0]
            enter, _ = _closed_form_interval(p0, v, c, reach, t0, t1)
            assert not math.isnan(enter)
            assert [e.range_nm for e in entered[vessel]] == pytest.approx([reach], abs=1e-6)
            assert [e.range_nm for e in left[vessel]] == pytest.approx([reach], abs=1e-6)
            assert [e.t_h for e in entered[vessel]] == pytest.approx([enter], abs=1e-6)
            seen.add((sensor, height))
    assert len(seen) == 4


# ================================================================== e. land shadow
#: A radar on a platform 8 nm east of Mona Island (Mona Passage), a lane running north-south 6 nm
#: west of the island: the island hides part of the lane.
MONA_RADAR = (18.08, -67.70)
MONA_LANE_LON = -68.05
MONA_LANE_LAT = (17.85, 18.35)


def _sight_blocked(geo, site):
    """A function of points: True where the sight line from the site crosses land (any land
    farther than 1 nm from the site: the engine's rule for a site's own island)."""
    s = shapely.Point(site)
    parts = [g for g in shapely.get_parts(geo.land_nm.intersection(s.buffer(40.0))) if g.distance(s) > 1.0]
    obstacle = shapely.union_all(parts)
    shapely.prepare(obstacle)

    def blocked(pts):
        pts = np.atleast_2d(pts)
        rays = shapely.linestrings(np.stack([np.broadcast_to(site, pts.shape), pts], axis=1))
        return shapely.intersects(obstacle, rays)

    return blocked


def test_no_detection_in_land_shadow(tmp_path, geo):
    """Land shadow: a fixed site does not see a vessel whose sight line crosses land.

    Geometry: definite-range radar (R = 22 nm; antenna 200 m, so the horizon, 34.6 nm, does not
    bind) on a platform 8 nm east of Mona Island; vessels run north along 68.05 W, 6 nm west of the
    island (Mona and Monito between them and the radar: one or more shadow stretches).
    Independently of the engine, the shadow along the lane is
    found by casting the exact sight line to each point (shapely, bisection to 1e-7 h). The engine
    casts 720 rays (0.5 deg apart) and joins their ends, so each shadow edge may be off by up to one
    ray spacing: tolerance ``r * (2 pi / 720) / (|v| sin(angle between lane and sight line))`` h,
    plus 1e-6 h. The rim of that polygon is a 720-gon inscribed in the footprint circle, so the
    outer entry and exit may be late/early by ``R (1 - cos(pi / 720)) / |dr/dt|`` (2e-4 nm radially;
    ~2e-5 h here) instead of the open-water 1e-6 h. Expected log per vessel: entered (footprint),
    then left/entered at each shadow edge, left (footprint); a definite-range detection at each
    visible entry and none in shadow.
    """
    R = 22.0
    lat0, lat1 = MONA_LANE_LAT
    doc = _scenario(
        regions=[_circle("south", lat0, MONA_LANE_LON), _circle("north", lat1, MONA_LANE_LON)],
        flows=[_flow("northbound", "south", "north", [0.0, 0.4, 0.8])],
        sensors=[_sensor("mona", "cookie_radar", *MONA_RADAR, antenna_height_m=200.0)],
        sensor_types=[{"id": "cookie_radar", "name": "cookie cutter", "kind": "surface_radar",
                       "instrumented_range_nm": 40.0,
                       "detection": {"model": "definite_range", "range_nm": R}}],
        area=(-69.0, -66.5, 17.3, 19.0),
        duration_h=4.0,
    )
    log = list(World(_load(doc, tmp_path)).run())
    site = np.array(geo.frame.to_xy(MONA_RADAR[1], MONA_RADAR[0]), dtype=float)
    blocked = _sight_blocked(geo, site)
    legs = _legs(log)
    entered, left = _events(log, "coverage_entered", "mona"), _events(log, "coverage_left", "mona")
    detected = _events(log, "detected", "mona")
    assert len(legs) == 3
    n_stretches = []
    for vessel, vlegs in legs.items():
        assert len(vlegs) == 1, "the lane is clear of land: one straight leg"
        t0, p0, v, t1, _ = vlegs[0]
        a, b = _closed_form_interval(p0, v, site, R, t0, t1)
        assert not math.isnan(a)

        def pos(t, p0=p0, t0=t0, v=v):  # bound now: used only within this iteration
            return p0 + np.multiply.outer(np.asarray(t) - t0, v)

        grid = np.linspace(a, b, 2001)
        shadow = blocked(pos(grid))
        assert shadow.any() and not shadow[0] and not shadow[-1]
        flips = np.flatnonzero(np.diff(shadow.astype(int)))
        assert len(flips) % 2 == 0 and len(flips) >= 2
        edges = []
        for k in flips:  # bisection on the exact sight line
            lo, hi = grid[k], grid[k + 1]
            s_lo = shadow[k]
            while hi - lo > 1e-7:
                mid = 0.5 * (lo + hi)
                if blocked(pos([mid]))[0] == s_lo:
                    lo = mid
                else:
                    hi = mid
            edges.append(0.5 * (lo + hi))

        def tol(t, v=v):
            d = pos(t) - site
            r = float(np.hypot(*d))
            sin = abs(float(d[0] * v[1] - d[1] * v[0])) / (r * float(np.hypot(*v)))
            return r * (2.0 * math.pi / 720.0) / (float(np.hypot(*v)) * sin) + 1e-6

        def tol_rim(t, v=v):  # the visible polygon's rim is a 720-gon inscribed in the footprint circle
            d = pos(t) - site
            radial_kn = abs(float(d @ v)) / float(np.hypot(*d))
            return R * (1.0 - math.cos(math.pi / 720.0)) / radial_kn + 1e-6

        # visible stretches: [a, e1], [e2, e3], ..., [e_last, b]
        want_in, want_out = [a, *edges[1::2]], [*edges[0::2], b]
        got_in = [e.t_h for e in entered[vessel]]
        got_out = [e.t_h for e in left[vessel]]
        assert len(got_in) == len(want_in) and len(got_out) == len(want_out), (got_in, want_in)
        assert got_in[0] == pytest.approx(a, abs=tol_rim(a))
        assert got_out[-1] == pytest.approx(b, abs=tol_rim(b))
        for got, want in zip(got_in[1:] + got_out[:-1], want_in[1:] + want_out[:-1]):
            assert got == pytest.approx(want, abs=tol(want))
        n_stretches.append(len(flips) // 2)
        dets = [e.t_h for e in detected[vessel]]
        assert dets == pytest.approx(got_in, abs=1e-6)  # cookie cutter: at each visible entry
        # nothing is detected while the sight line crosses land
        assert not np.any(blocked(pos(np.array(dets))))
    assert min(n_stretches) >= 1
