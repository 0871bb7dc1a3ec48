"""`mda-sim report`: the after-action HTML page and its figures, for a run and for a study.

The page is meant to open in a browser, but no headless browser can be installed here: the package
registries this project may use carry the Python drivers (Playwright, Selenium, pyppeteer) but not
the browser binaries, which those drivers download from elsewhere. So the tests check what a browser
would need: the HTML parses (stdlib ``html.parser``) with balanced tags, every section is there,
every image is an embedded PNG that decodes to a real picture, and nothing refers to a resource on
the network (the page must open offline).
"""

from __future__ import annotations

import base64
import io
import re
from html.parser import HTMLParser
from pathlib import Path

import matplotlib.image as mpimg
import pytest

from mda_sim.cli import main
from mda_sim.report.html import SECTIONS, ReportError, load_run_spec, write_report

ROOT = Path(__file__).resolve().parents[2]
SHIPRIDER = ROOT / "scenarios" / "saint_lucia_shiprider.yaml"

#: Elements without an end tag (HTML "void elements").
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
MAIN_TAGS = {"html", "head", "body", "header", "main", "section", "figure", "table", "thead", "tbody", "tr",
             "nav", "ol", "dl", "details", "footer", "style", "title"}


class _Page(HTMLParser):
    """Collects headings, images, links and resource references, and checks tag balance."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.seen: dict[str, int] = {}
        self.images: list[str] = []
        self.refs: list[str] = []
        self.headings: list[str] = []
        self._in_heading = False
        self.style = ""
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self.seen[tag] = self.seen.get(tag, 0) + 1
        attrs = dict(attrs)
        for name in ("src", "href", "srcset", "data", "action", "poster"):
            if attrs.get(name):
                self.refs.append(attrs[name])
        if tag == "img":
            self.images.append(attrs.get("src", ""))
        if tag not in VOID:
            self.stack.append(tag)
        self._in_heading = tag in ("h1", "h2")
        self._in_style = tag == "style"
        if self._in_heading:
            self.headings.append("")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else 'nothing'}>")
            if tag in self.stack:
                while self.stack.pop() != tag:
                    pass
            return
        self.stack.pop()
        self._in_heading = self._in_style = False

    def handle_data(self, data):
        if self._in_heading:
            self.headings[-1] += data
        if self._in_style:
            self.style += data


def _parse(path: Path) -> tuple[str, _Page]:
    text = path.read_text(encoding="utf-8")
    page = _Page()
    page.feed(text)
    page.close()
    return text, page


def _decode_png(uri: str):
    assert uri.startswith("data:image/png;base64,"), uri[:60]
    raw = base64.b64decode(uri.split(",", 1)[1], validate=True)
    assert raw[:8] == b"\x89PNG\r\n\x1a\n"
    return mpimg.imread(io.BytesIO(raw), format="png")


def check_page(path: Path, *, min_images: int, sections=SECTIONS) -> _Page:
    """The structural checks every report page must pass (``sections``: id -> heading of the
    page's kind); returns the parsed page."""
    text, page = _parse(path)
    assert text.lstrip().lower().startswith("<!doctype html>")
    assert not page.errors, page.errors
    assert page.stack == [], f"unclosed tags: {page.stack}"
    for tag in ("html", "head", "body", "main", "title"):
        assert page.seen.get(tag) == 1, f"<{tag}> appears {page.seen.get(tag, 0)} times"
    assert page.seen.get("section") == len(sections)
    for heading in sections.values():
        assert heading in page.headings, f"section heading {heading!r} missing"
    assert len(page.images) >= min_images
    for uri in page.images:
        image = _decode_png(uri)
        assert image.ndim == 3 and image.shape[0] > 100 and image.shape[1] > 100
    # Self-contained: only in-page anchors and data: URIs; no network reference anywhere in markup or style.
    for ref in page.refs:
        assert ref.startswith(("#", "data:")), ref
    assert not re.search(r"(?i)\b(src|href)\s*=\s*[\"']?\s*(https?:)?//", text)
    assert "url(" not in page.style and "@import" not in page.style
    assert "<script" not in text.lower() and "<link" not in text.lower()
    return page


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    """The shiprider scenario's 48 h default: a seizure under the shiprider agreement (a citation),
    misses, and a patrol asset, in about two seconds."""
    from mda_sim.engine.run import run_scenario
    from mda_sim.scenario.loader import load_scenario

    out = tmp_path_factory.mktemp("run") / "shiprider"
    run_scenario(load_scenario(SHIPRIDER), out)
    return out


@pytest.fixture(scope="module")
def run_report(run_dir):
    return write_report(run_dir)


def test_scenario_json_rebuilds_the_spec(run_dir):
    from mda_sim.scenario.loader import load_scenario

    assert load_run_spec(run_dir) == load_scenario(SHIPRIDER).spec


def test_run_report_is_a_self_contained_page_with_every_section(run_report, run_dir):
    assert run_report.kind == "run" and run_report.html == run_dir / "report.html"
    page = check_page(run_report.html, min_images=6)
    assert set(run_report.figures) == {"map", "funnel", "outcomes", "timing", "assets", "legal"}
    for key, png in run_report.figures.items():
        assert png.parent == run_dir and png.name == f"report-{key}.png"
        assert mpimg.imread(png).size > 0
    assert not list(run_dir.glob(".*.partial")), "temporary files must be renamed away"
    # The embedded images are the files written beside the page.
    written = {base64.b64encode(p.read_bytes()).decode() for p in run_report.figures.values()}
    assert {uri.split(",", 1)[1] for uri in page.images} == written


def test_run_report_lists_every_illicit_voyage_with_reason_and_citation(run_report, run_dir):
    from html import escape

    from mda_sim.analysis.outcomes import outcome_rows
    from mda_sim.eventlog import read_events

    text = run_report.html.read_text(encoding="utf-8")
    rows = outcome_rows(read_events(run_dir / "events.jsonl"))
    assert rows and any(r.citation for r in rows), "the fixture should have a cited outcome"
    for r in rows:
        assert escape(r.vessel) in text and escape(r.reason) in text
        if r.citation:
            assert escape(r.citation) in text
    # The scorecard row is coloured by its status.
    assert re.search(r'<tr class="(met|partly|notmet|unscored)"><td>shiprider_use</td>', text)


def test_cli_report_writes_into_the_run_dir_or_output(run_dir, tmp_path, capsys):
    out = tmp_path / "elsewhere"
    assert main(["report", str(run_dir), "-o", str(out), "--dpi", "60"]) == 0
    assert "report.html" in capsys.readouterr().out
    check_page(out / "report.html", min_images=6)
    assert sorted(p.name for p in out.iterdir() if p.suffix == ".png") == [
        "report-assets.png", "report-funnel.png", "report-legal.png", "report-map.png", "report-outcomes.png",
        "report-timing.png"]


def test_cli_report_defaults_to_the_run_dir(tmp_path):
    from mda_sim.engine.run import run_scenario
    from mda_sim.scenario.loader import load_scenario

    run = tmp_path / "short"
    run_scenario(load_scenario(SHIPRIDER, ["run.duration_h=6"]), run)
    assert main(["report", str(run), "--dpi", "50"]) == 0
    check_page(run / "report.html", min_images=4)


def test_cli_report_refuses_a_directory_that_is_not_a_run(tmp_path):
    with pytest.raises(SystemExit, match="not a run directory"):
        main(["report", str(tmp_path)])
    with pytest.raises(ReportError):
        write_report(tmp_path)


def test_study_report_has_intervals_and_the_study_scorecard(tmp_path):
    import json

    from mda_sim.study import run_replications

    study = tmp_path / "study"
    run_replications(SHIPRIDER, study, 2, duration_h=24)
    report = write_report(study, dpi=60)
    assert report.kind == "study" and report.html == study / "report.html"
    check_page(report.html, min_images=4)
    assert set(report.figures) >= {"map", "funnel", "outcomes", "timing"}
    text = report.html.read_text(encoding="utf-8")
    summary = json.loads((study / "summary.json").read_text())
    assert "Student t" in text and "2 replications" in text
    for name in summary["metrics"]:  # every metric, with mean, half width, low, high and n
        assert re.search(rf"<tr><td>{name}</td>(<td class=\"num\">[^<]*</td>){{5}}</tr>", text), name
    for score in summary["scorecard"]:
        assert f"<td>{score['objective']}</td>" in text
    if summary["metrics"]["n_illicit"]["mean"]:  # rows of the pooled voyage table name their replication
        assert re.search(r'<tr><td class="num">[01]</td><td>', text)


def test_the_page_checks_can_fail(run_report, tmp_path):
    """A page with a network image or an unclosed section fails the checks."""
    text = run_report.html.read_text(encoding="utf-8")
    for bad in (text.replace("</main>", '<img src="https://example.org/x.png"></main>'),
                text.replace("</section>", "", 1)):
        page = tmp_path / "bad.html"
        page.write_text(bad, encoding="utf-8")
        with pytest.raises(AssertionError):
            check_page(page, min_images=1)
