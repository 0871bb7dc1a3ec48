"""Argument parsing and dispatch for ``mda-sim``."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from mda_sim import __version__
from mda_sim.scenario import ScenarioError

EPILOG = """\
examples:
  mda-sim validate scenarios/eastern_caribbean.yaml
  mda-sim validate scenarios/eastern_caribbean.yaml --set assets.uscg_frc.count=8
  mda-sim map scenarios/eastern_caribbean.yaml -o map.png
  mda-sim schema -o docs/scenario-reference.md
  mda-sim sweep configs/baseline_sweep.yaml --dry-run
  mda-sim sweep configs/baseline_sweep.yaml --out runs/sweep --workers 2

Settings in a scenario can be overridden with --set KEY.PATH=VALUE (repeatable). A path
names mapping keys, list items by id or [index]: run.seed=7, assets.uscg_frc.count=8,
legal.treaty_of_san_jose.parties[0].art16_boarding=express_consent. Overrides go through
the same validation as the file.
"""


def _add_scenario_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("scenario", type=Path, help="scenario YAML file")
    p.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="KEY.PATH=VALUE",
        help="override one setting (repeatable); validated like the file",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mda-sim",
        description="Maritime domain awareness simulation and exercise engine for the Eastern Caribbean.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"mda-sim {__version__}")
    verbs = parser.add_subparsers(dest="verb", metavar="VERB", required=True)

    p = verbs.add_parser(
        "validate",
        help="check a scenario and print a summary",
        description="Check a scenario file (and what it extends) and print a summary; on problems, "
        "list each as FILE:LINE: key.path: message and exit 1.",
    )
    _add_scenario_args(p)
    p.add_argument("--no-geography", action="store_true", help="skip checks against the map (faster)")
    p.set_defaults(func=_cmd_validate)

    p = verbs.add_parser(
        "map",
        help="draw a scenario's map (land, zones, sensors, bases)",
        description="Draw land, territorial seas, EEZ boundaries, sensor coverage, bases and regions.",
    )
    _add_scenario_args(p)
    p.add_argument("-o", "--output", type=Path, default=Path("map.png"), help="image file (.png, .pdf, .svg); default map.png")
    p.add_argument("--dpi", type=int, default=150, help="resolution of raster output [dots per inch]")
    p.set_defaults(func=_cmd_map)

    p = verbs.add_parser(
        "run",
        help="run a scenario once and write a run directory",
        description="Simulate a scenario and write manifest.json, scenario.json, events.jsonl and summary.txt.",
    )
    _add_scenario_args(p)
    p.add_argument("--seed", type=int, help="run seed (default: the scenario's run.seed)")
    p.add_argument("--duration", type=float, metavar="HOURS", help="simulated time [h] (default: run.duration_h)")
    p.add_argument("--out", type=Path, help="run directory (default: runs/<scenario file stem>-seed<N>)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.add_argument("--replications", type=int, metavar="N",
                   help="run N seeds derived from --seed (or run.seed) and report every metric with a "
                        "95%% Student-t interval; writes rep-NNNN/, metrics.csv, summary.json, summary.txt")
    p.add_argument("--workers", type=int, default=1, metavar="K", help="local processes for replications (default 1)")
    p.set_defaults(func=_cmd_run)

    p = verbs.add_parser(
        "compare",
        help="paired comparison of a baseline and an excursion over replications",
        description="Run BASE and EXCURSION with the same replication seeds (common random numbers) and "
                    "report every metric's difference with a paired-t interval (the unpaired Welch interval beside it).",
    )
    p.add_argument("base", type=Path, help="baseline scenario file")
    p.add_argument("excursion", type=Path, help="excursion scenario file")
    p.add_argument("--replications", type=int, default=10, metavar="N", help="replications of each (default 10)")
    p.add_argument("--workers", type=int, default=1, metavar="K", help="local processes (default 1)")
    p.add_argument("--seed", type=int, help="base seed (default: the baseline's run.seed)")
    p.add_argument("--duration", type=float, metavar="HOURS", help="simulated time [h] (default: run.duration_h)")
    p.add_argument("--out", type=Path, help="study directory (default: runs/compare-<base>-<excursion>)")
    p.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY.PATH=VALUE",
                   help="override applied to both scenarios")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(func=_cmd_compare)

    p = verbs.add_parser(
        "sweep",
        help="run a parameter sweep (design points x replications) into a resumable results store",
        description="Run every design point of SWEEP.yaml with its replications (replication i of every point "
                    "uses the same seed) on local processes or a Dask cluster, recording each run in "
                    "DIR/results.sqlite as it finishes. Re-running the same command resumes: finished runs "
                    "are skipped, failed runs retried.",
    )
    p.add_argument("sweep", type=Path, metavar="SWEEP.yaml", help="sweep file (see configs/)")
    p.add_argument("--out", type=Path, metavar="DIR", help="sweep directory (default: runs/sweep-<name>)")
    p.add_argument("--workers", type=int, metavar="K",
                   help="local worker processes (default: every CPU; 1 runs in this process)")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="Dask distributed scheduler address (e.g. tcp://10.0.0.5:8786) to run on instead of "
                        "local processes; overrides the sweep file's 'scheduler'")
    p.add_argument("--dry-run", action="store_true", help="print the design and the number of runs; run nothing")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(func=_cmd_sweep)

    p = verbs.add_parser(
        "report",
        help="write the after-action report (figures and one HTML page) of a run, study or sweep",
        description="Read a run directory (mda-sim run), a replication study directory (mda-sim run "
                    "--replications) or a sweep directory (mda-sim sweep) and write report-*.png and a "
                    "self-contained report.html.",
    )
    p.add_argument("run_dir", type=Path, metavar="RUN_DIR", help="run, study or sweep directory")
    p.add_argument("-o", "--output", type=Path, metavar="OUT_DIR", help="output directory (default: RUN_DIR)")
    p.add_argument("--dpi", type=int, default=110, help="resolution of the figures [dots per inch]")
    p.set_defaults(func=_cmd_report)

    p = verbs.add_parser(
        "schema",
        help="print the scenario-language reference",
        description="Print (or write) the Markdown reference of every scenario key, generated from the code.",
    )
    p.add_argument("-o", "--output", type=Path, help="write to this file instead of standard output")
    p.set_defaults(func=_cmd_schema)
    return parser


def _load(args):
    from mda_sim.scenario import load_scenario

    return load_scenario(args.scenario, args.overrides, geography=not getattr(args, "no_geography", False))


def _cmd_validate(args) -> int:
    from mda_sim.scenario.summary import scenario_summary

    scenario = _load(args)
    print(f"{args.scenario}: valid")
    print(scenario_summary(scenario))
    return 0


def _cmd_map(args) -> int:
    from mda_sim.report.maps import save_scenario_map

    scenario = _load(args)
    save_scenario_map(scenario.spec, args.output, dpi=args.dpi)
    print(f"map written to {args.output}")
    return 0


def _cmd_run(args) -> int:
    from mda_sim.engine.run import run_scenario

    scenario = _load(args)
    seed = scenario.spec.run.seed if args.seed is None else args.seed
    if args.seed is not None and args.seed < 0:
        raise SystemExit(f"--seed {args.seed}: must be a non-negative integer")
    if args.duration is not None and not args.duration > 0:
        raise SystemExit(f"--duration {args.duration}: must be > 0 hours")
    if args.replications is not None:
        return _run_replications(args, seed)
    out = args.out or Path("runs") / f"{Path(args.scenario).stem}-seed{seed}"
    result = run_scenario(scenario, out, seed=seed, duration_h=args.duration,
                          progress=not args.no_progress and sys.stderr.isatty())
    print(result.summary)
    print(f"\n{len(result.log)} events; run directory {out}")
    return 0


def _run_replications(args, seed: int) -> int:
    from mda_sim.study import run_replications, study_text

    if args.replications < 1 or args.workers < 1:
        raise SystemExit(f"--replications {args.replications}, --workers {args.workers}: both must be >= 1")
    out = args.out or Path("runs") / f"{Path(args.scenario).stem}-seed{seed}-x{args.replications}"
    study = run_replications(args.scenario, out, args.replications, overrides=args.overrides, workers=args.workers,
                             base_seed=seed, duration_h=args.duration,
                             progress=not args.no_progress and sys.stderr.isatty())
    print(study_text(study))
    print(f"\n{args.replications} replications (base seed {seed}); study directory {out}")
    return 0


def _cmd_compare(args) -> int:
    from mda_sim.study import compare, comparison_table

    if args.replications < 2 or args.workers < 1:
        raise SystemExit(f"--replications {args.replications}: must be >= 2 for an interval; --workers >= 1")
    out = args.out or Path("runs") / f"compare-{args.base.stem}-{args.excursion.stem}"
    comp = compare(args.base, args.excursion, out, args.replications, workers=args.workers, base_seed=args.seed,
                   duration_h=args.duration, overrides=args.overrides,
                   progress=not args.no_progress and sys.stderr.isatty())
    print(comparison_table(comp))
    print(f"\nstudy directory {out}")
    return 0


def _cmd_sweep(args) -> int:
    from mda_sim.study.store import ResultsStore, SweepMismatchError
    from mda_sim.study.sweep import STORE_NAME, design_table, run_sweep
    from mda_sim.study.sweepfile import load_sweep

    if args.workers is not None and args.workers < 1:
        raise SystemExit(f"--workers {args.workers}: must be >= 1")
    sweep = load_sweep(args.sweep)  # every problem, located, before anything runs
    if args.workers is not None and (args.scheduler or sweep.scheduler):
        print("note: --workers is ignored with a Dask scheduler (the cluster's workers run the sweep)",
              file=sys.stderr)
    out = args.out or Path("runs") / f"sweep-{sweep.name}"
    if args.dry_run:
        print(design_table(sweep))
        store = out / STORE_NAME
        if store.exists():
            with ResultsStore(store) as s:
                left = len(s.pending(sweep.jobs()))
            print(f"{out}: {sweep.n_runs - left} of these runs already finished; {left} to run")
        return 0
    try:
        outcome = run_sweep(sweep, out, workers=args.workers, scheduler=args.scheduler,
                            progress=not args.no_progress and sys.stderr.isatty())
    except SweepMismatchError as exc:
        raise SystemExit(str(exc)) from None
    except KeyboardInterrupt:
        print(f"interrupted: every finished run is in {out / STORE_NAME}; run the same command to resume",
              file=sys.stderr)
        return 130
    from mda_sim.study.sweep import summarise_sweep

    print(summarise_sweep(out))
    print(f"\n{outcome.ok} runs finished, {outcome.failed} failed, {outcome.skipped} already done "
          f"({outcome.wall_s:.0f} s on {outcome.slots} slot(s)); sweep directory {out}")
    return 0 if outcome.failed == 0 else 2


def _cmd_report(args) -> int:
    from mda_sim.report.html import ReportError, write_report

    if args.dpi < 10:
        raise SystemExit(f"--dpi {args.dpi}: must be >= 10")
    try:
        report = write_report(args.run_dir, args.output, dpi=args.dpi)
    except ReportError as exc:
        raise SystemExit(str(exc)) from None
    print(f"{report.kind} report written to {report.html} ({len(report.figures)} figures)")
    return 0


def _cmd_schema(args) -> int:
    from mda_sim.scenario.reference import schema_reference

    text = schema_reference()
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text, encoding="utf-8")
        print(f"reference written to {args.output}")
    else:
        sys.stdout.write(text)
    return 0


#: Exit status when standard output was closed early (``mda-sim ... | head -1``): 128 + SIGPIPE,
#: what the shell reports for a tool killed by SIGPIPE, and distinct from 1 (problems found).
EXIT_BROKEN_PIPE = 141


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``mda-sim`` console script; returns the exit status.

    If the reader of standard output goes away (``| head -1``), stop quietly with status
    141, as the Python documentation's note on SIGPIPE advises: no traceback, and no
    "Exception ignored" message when the interpreter flushes stdout on exit.
    """
    try:
        try:
            status = _main(argv)
        except SystemExit:  # --help, --version, usage errors: their output is buffered too
            sys.stdout.flush()
            raise
        sys.stdout.flush()  # a closed pipe shows up here, not at interpreter exit
        return status
    except BrokenPipeError:
        _stdout_to_devnull()
        return EXIT_BROKEN_PIPE


def _stdout_to_devnull() -> None:
    """Point the stdout file descriptor at devnull so the final flush at exit cannot fail."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # replaced by a test harness: nothing to do
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fd)
    os.close(devnull)


def _main(argv: Sequence[str] | None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except ScenarioError as exc:
        print(f"{len(exc.problems)} problem{'s' if len(exc.problems) != 1 else ''} found:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
