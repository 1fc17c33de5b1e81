"""report.html and report.xlsx: content, escaping, no network, and a real headless Chromium."""

from __future__ import annotations

import json
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from merit.execute import execute
from merit.io.write import write_tables
from merit.report import write_report
from merit.synth import synthesize

ARTIFACTS = Path(__file__).parent / "artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("report")
    write_tables(synthesize(employees=300, vacancies=12, seed=8), root / "data")
    (root / "s.toml").write_text(
        'name = "report-test"\ndata = "data"\nseed = 3\nshow_names = true\n', encoding="utf-8"
    )
    execute(root / "s.toml", root / "run", quiet=True)
    return root / "run"


class Tables(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, int] = {}
        self.current: str | None = None
        self.in_body = False
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        for key in ("src", "href"):
            if a.get(key):
                self.urls.append(str(a[key]))
        if tag == "table":
            self.current = a.get("id")
        elif tag == "tbody":
            self.in_body = True
        elif tag == "tr" and self.in_body and self.current:
            self.rows[self.current] = self.rows.get(self.current, 0) + 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "tbody":
            self.in_body = False


def parse(path: Path) -> Tables:
    p = Tables()
    p.feed(path.read_text(encoding="utf-8"))
    return p


def test_tables_show_the_run(run: Path) -> None:
    t = parse(run / "report.html")
    placements = pd.read_csv(run / "placements.csv")
    audit = json.loads((run / "audit.json").read_text(encoding="utf-8"))
    assert t.rows["placements"] == len(placements) > 0
    assert t.rows.get("counterfactuals", 0) == len(audit["counterfactuals"])
    assert not [u for u in t.urls if u.startswith(("http:", "https:", "//"))]
    html = (run / "report.html").read_text(encoding="utf-8")
    assert 'lang="id"' in html and 'lang="en"' in html and "Laporan penempatan" in html
    assert "not-proven" not in html
    placed = str(pd.read_csv(run / "placements.csv", dtype=str)["employee_id"].iloc[0])
    assert audit["names"][placed] in html  # show_names = true and the input has names


def test_not_proven_is_said_plainly_and_text_is_escaped(run: Path, tmp_path: Path) -> None:
    copy = tmp_path / "run"
    shutil.copytree(run, copy)
    m = json.loads((copy / "manifest.json").read_text(encoding="utf-8"))
    m["proven_optimal"] = False
    m["solver"]["status"] = "FEASIBLE"
    m["scenario"]["name"] = "<script>alert(1)</script>"
    (copy / "manifest.json").write_text(json.dumps(m), encoding="utf-8")
    write_report(copy)
    html = (copy / "report.html").read_text(encoding="utf-8")
    assert 'id="not-proven"' in html and "NOT proven optimal" in html
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html


def test_report_without_audit_says_so(run: Path, tmp_path: Path) -> None:
    copy = tmp_path / "run"
    shutil.copytree(run, copy)
    (copy / "audit.json").unlink()
    write_report(copy)
    assert "The audit has not run." in (copy / "report.html").read_text(encoding="utf-8")


def test_xlsx_has_the_same_tables_and_is_reproducible(run: Path, tmp_path: Path) -> None:
    sheets = pd.read_excel(run / "report.xlsx", sheet_name=None, dtype=str)
    assert {"summary", "placements", "unfilled", "counterfactuals", "disparity", "checks"} <= set(
        sheets
    )
    assert len(sheets["placements"]) == len(pd.read_csv(run / "placements.csv"))
    copy = tmp_path / "run"
    shutil.copytree(run, copy)
    write_report(copy)
    assert (copy / "report.xlsx").read_bytes() == (run / "report.xlsx").read_bytes()
    assert (copy / "report.html").read_bytes() == (run / "report.html").read_bytes()


@pytest.mark.browser
def test_report_in_headless_chromium(run: Path) -> None:
    assert CHROMIUM, "Debian chromium is missing: run `make test`, which installs it"
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    errors: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        page = browser.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto((run / "report.html").resolve().as_uri())
        assert page.locator("h1 [lang=id]").is_visible()
        assert not page.locator("h1 [lang=en]").is_visible()
        page.click("#lang-en")
        assert page.locator("h1 [lang=en]").is_visible()
        assert not page.locator("h1 [lang=id]").is_visible()
        rows = page.locator("#placements tbody tr")
        total = len(pd.read_csv(run / "placements.csv"))
        assert rows.count() == total
        first = pd.read_csv(run / "placements.csv", dtype=str)["vacancy_id"].iloc[0]
        page.fill("input[data-search-for=placements]", first)
        visible = page.locator("#placements tbody tr:not([hidden])").count()
        assert 1 <= visible < total
        page.fill("input[data-search-for=placements]", "")
        page.click("#placements thead th:nth-child(3)")  # sort by merit score
        page.screenshot(path=str(ARTIFACTS / "report.png"), full_page=False)
        browser.close()
    assert not errors, errors
