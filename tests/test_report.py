"""report.html and report.xlsx: content, escaping, no network, and a real headless Chromium."""

from __future__ import annotations

import json
import shutil
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from merit.audit.sayings import sentence
from merit.execute import execute
from merit.io.write import write_tables
from merit.report import write_report
from merit.synth import synthesize
from tests.browser import browser_page

ARTIFACTS = Path(__file__).parent / "artifacts"


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("report")
    write_tables(synthesize(employees=800, vacancies=25, seed=8), root / "data")
    (root / "s.toml").write_text(
        'name = "report-test"\ndata = "data"\nseed = 3\n\n[constraints]\nmax_moves_per_unit = 1\n',
        encoding="utf-8",
    )
    execute(root / "s.toml", root / "run", quiet=True)
    return root / "run"


class Tables(HTMLParser):
    """Body rows per table id (or, for tables without one, per class), and every URL."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, int] = {}
        self.current: str | None = None
        self.in_body = False
        self.urls: list[str] = []
        self.vacancies = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        for key in ("src", "href"):
            if a.get(key) and not str(a[key]).startswith("#"):
                self.urls.append(str(a[key]))
        if tag == "details" and "vac" in (a.get("class") or "").split():
            self.vacancies += 1
        if tag == "table":
            classes = (a.get("class") or "").replace("sortable", "").strip()
            self.current = a.get("id") or classes or None
        elif tag == "tbody":
            self.in_body = True
        elif tag == "tr" and self.in_body and self.current:
            self.rows[self.current] = self.rows.get(self.current, 0) + 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "tbody":
            self.in_body = False


def embedded(path: Path) -> dict[str, Any]:
    html = path.read_text(encoding="utf-8")
    text = html.split("id='merit-data'>", 1)[1].split("</script>", 1)[0]
    doc: dict[str, Any] = json.loads(text.replace("<\\/", "</"))
    return doc


def parse(path: Path) -> Tables:
    p = Tables()
    p.feed(path.read_text(encoding="utf-8"))
    return p


def test_tables_show_the_run(run: Path) -> None:
    t = parse(run / "report.html")
    placements = pd.read_csv(run / "placements.csv")
    audit = json.loads((run / "audit.json").read_text(encoding="utf-8"))
    assert t.rows["placements"] == len(placements) > 0
    assert t.rows["annex-table"] == len(placements)
    assert t.vacancies == len(placements) + len(pd.read_csv(run / "unfilled.csv"))
    data = embedded(run / "report.html")  # each vacancy's detail, drawn when opened
    assert set(data["vac"]) == set(audit["ranked_above"]) | {
        u["vacancy_id"] for u in audit["unfilled"]
    }
    assert sum(len(v["cf"]) for v in data["vac"].values()) == len(audit["counterfactuals"])
    assert not t.urls
    html = (run / "report.html").read_text(encoding="utf-8")
    assert 'lang="id"' in html and 'lang="en"' in html and "Laporan penempatan" in html
    assert "not-proven" not in html
    assert "Lampiran SK" in html and ">Nama<" not in html  # names only by merit release


def test_every_person_ranked_above_an_appointee_is_accounted_for(run: Path) -> None:
    """Each is placed elsewhere (where, with the score there), held back by a named
    constraint with its numbers, lost on a named tie-break key, or needs a chain of moves."""
    audit = json.loads((run / "audit.json").read_text(encoding="utf-8"))
    placed = pd.read_csv(run / "placements.csv", dtype={"employee_id": str, "vacancy_id": str})
    where = dict(zip(placed["employee_id"], placed["vacancy_id"], strict=True))
    score = dict(zip(placed["vacancy_id"], placed["merit_score"], strict=True))
    seen = 0
    for vid, a in audit["ranked_above"].items():
        for e in a["entries"]:
            seen += 1
            assert e["merit_score"] >= score[vid] - 1e-9
            code = e["why"][0]["code"]
            if code == "PLACED_ELSEWHERE":
                assert where[e["employee_id"]] == e["why"][0]["params"]["w"] != vid
            else:
                assert e["employee_id"] not in where
                assert code in {"MOVES_CAP", "BUDGET", "PINNED", "TIE_BREAK", "CHAIN", "CHAIN_OPEN"}
            text = sentence(e, "en", {})
            assert text and "{" not in text
    assert seen  # the fixture has people above some appointee


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
    assert {
        "Ringkasan",
        "Lampiran SK",
        "Penempatan",
        "Tidak terisi",
        "Di atas yang ditempatkan",
        "Kontrafaktual",
        "Kesenjangan",
        "Pemeriksaan",
    } <= set(sheets)
    assert len(sheets["Penempatan"]) == len(pd.read_csv(run / "placements.csv"))
    assert len(sheets["Lampiran SK"]) == len(sheets["Penempatan"])
    assert "Nama" not in sheets["Lampiran SK"].columns
    copy = tmp_path / "run"
    shutil.copytree(run, copy)
    write_report(copy)
    assert (copy / "report.xlsx").read_bytes() == (run / "report.xlsx").read_bytes()
    assert (copy / "report.html").read_bytes() == (run / "report.html").read_bytes()


def test_xlsx_is_for_analysts_and_safe_from_formulas(run: Path, tmp_path: Path) -> None:
    import openpyxl

    copy = tmp_path / "run"
    shutil.copytree(run, copy)
    audit = json.loads((copy / "audit.json").read_text(encoding="utf-8"))
    evil = '=HYPERLINK("http://x","y")'
    audit["annex"][0]["new_unit"] = evil
    (copy / "audit.json").write_text(json.dumps(audit), encoding="utf-8")
    write_report(copy)
    book = openpyxl.load_workbook(copy / "report.xlsx")
    for ws in book.worksheets:
        assert ws.freeze_panes == "A2", ws.title
        assert ws.auto_filter.ref, ws.title
        assert all(c.font.b for c in ws[1]), ws.title
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", (ws.title, c.coordinate, c.value)
    pl = book["Penempatan"]
    assert pl["A1"].value == "Kode jabatan" and pl["C1"].value == "Skor merit"
    assert isinstance(pl["C2"].value, float) and isinstance(pl["D2"].value, int)
    annex = book["Lampiran SK"]
    assert [c.data_type for c in annex["G"] if c.value == evil] == ["s"]  # text, not a formula
    assert pl.column_dimensions["B"].width >= 18  # a NIP fits


@pytest.mark.browser
def test_report_in_headless_chromium(run: Path) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    errors: list[str] = []
    with browser_page() as page:
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto((run / "report.html").resolve().as_uri())
        assert page.locator("h1 [lang=id]").is_visible()
        assert not page.locator("h1 [lang=en]").is_visible()
        page.click("#lang-en")
        assert page.locator("h1 [lang=en]").is_visible()
        assert not page.locator("h1 [lang=id]").is_visible()
        page.click("#opd-sections details.opd > summary >> nth=0")
        first_vac = page.locator("#opd-sections details.vac").first
        first_vac.locator("summary").click()
        first_vac.locator("table").first.wait_for(timeout=5000)  # drawn when opened
        page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
        page.wait_for_function(
            "[...document.querySelectorAll('details.vac')].every(d => d.dataset.drawn)"
        )
        audit = json.loads((run / "audit.json").read_text(encoding="utf-8"))
        above = sum(len(a["entries"]) for a in audit["ranked_above"].values())
        assert page.locator("table.above tbody tr").count() == above > 0
        assert page.locator("table.cf tbody tr").count() == len(audit["counterfactuals"])
        cf = audit["counterfactuals"][0]  # a NIP found only in a vacancy's folded detail
        page.fill("input[data-search-for=opd-sections]", cf["employee_id"])
        shown = page.locator("#opd-sections details.vac:not([hidden])")
        vids = shown.evaluate_all("els => els.map(e => e.dataset.v)")
        assert cf["vacancy_id"] in vids and len(vids) < page.locator("details.vac").count()
        page.fill("input[data-search-for=opd-sections]", "")
        nip = pd.read_csv(run / "placements.csv", dtype=str)["employee_id"].iloc[-1]
        page.fill("input[data-search-for=annex]", nip)
        assert page.locator("#annex tbody tr:not([hidden])").count() == 1
        page.fill("input[data-search-for=annex]", "")
        page.evaluate("document.querySelector('#placements-section details').open = true")
        rows = page.locator("#placements tbody tr")
        total = len(pd.read_csv(run / "placements.csv"))
        assert rows.count() == total
        first = pd.read_csv(run / "placements.csv", dtype=str)["vacancy_id"].iloc[0]
        page.fill("input[data-search-for=placements]", first)
        visible = page.locator("#placements tbody tr:not([hidden])").count()
        assert 1 <= visible < total
        page.fill("input[data-search-for=placements]", "")
        page.click("#placements thead th:nth-child(5)")  # sort by merit score
        scores = page.locator("#placements tbody tr td:nth-child(5)").all_inner_texts()
        values = [float(x.replace(",", "")) for x in scores]
        assert values == sorted(values)
        page.focus("#placements thead th:nth-child(5)")
        page.keyboard.press("Enter")  # sortable from the keyboard
        scores = page.locator("#placements tbody tr td:nth-child(5)").all_inner_texts()
        assert [float(x.replace(",", "")) for x in scores] == sorted(values, reverse=True)
        page.screenshot(path=str(ARTIFACTS / "report.png"), full_page=False)
    assert not errors, errors
