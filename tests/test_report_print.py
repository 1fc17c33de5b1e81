"""The report in Chromium: printing the annex to A4 PDF, and accessibility checks (WCAG 2.1
AA text contrast, table captions and header scopes, keyboard-sortable headers, text
alternatives of charts, results in words as well as symbols)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from merit.execute import execute
from merit.io.write import write_tables
from merit.synth import synthesize
from tests.browser import browser_page

pytestmark = pytest.mark.browser

#: WCAG 2.1 relative luminance and contrast of every element's own text against the first
#: opaque background behind it; large text (24 px, or 18.66 px bold) needs 3:1, other 4.5:1.
CONTRAST = """() => {
  function rgb(s) { const m = s.match(/[\\d.]+/g).map(Number); return m; }
  function lum(c) { const v = c.slice(0, 3).map(x => { x /= 255;
      return x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4); });
    return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; }
  function bg(el) {
    for (; el; el = el.parentElement) {
      const c = rgb(getComputedStyle(el).backgroundColor);
      if (c.length < 4 || c[3] > 0.5) { return c; }
    }
    return [255, 255, 255];
  }
  const bad = [];
  for (const el of document.querySelectorAll('body *')) {
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own || !el.getClientRects().length) { continue; }
    const st = getComputedStyle(el);
    if (st.visibility === 'hidden' || el.closest('svg')) { continue; }
    const a = lum(rgb(st.color)), b = lum(bg(el));
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const size = parseFloat(st.fontSize), bold = parseInt(st.fontWeight, 10) >= 700;
    const need = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    if (ratio < need) {
      bad.push(el.tagName + ' ' + ratio.toFixed(2) + ' ' + el.textContent.slice(0, 40));
    }
  }
  return bad;
}"""


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("print")
    write_tables(synthesize(employees=400, vacancies=30, seed=4), root / "data")
    (root / "s.toml").write_text(
        'name = "cetak"\ndata = "data"\nseed = 3\n\n[constraints]\nmax_moves_per_unit = 2\n',
        encoding="utf-8",
    )
    execute(root / "s.toml", root / "run", quiet=True)
    return root / "run"


def _pdf(url: str) -> bytes:
    with browser_page(url) as page:
        page.emulate_media(media="print")
        return bytes(page.pdf(prefer_css_page_size=True, print_background=True))


def test_the_annex_prints_on_its_own_on_a4_landscape(run: Path) -> None:
    import pypdf

    uri = (run / "report.html").resolve().as_uri()
    annex = pypdf.PdfReader(io.BytesIO(_pdf(uri + "#print-annex")))
    whole = pypdf.PdfReader(io.BytesIO(_pdf(uri)))
    box = annex.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)  # A4 landscape
    assert 1 <= len(annex.pages) < len(whole.pages)
    text = "\n".join(p.extract_text() for p in annex.pages)
    assert "Daftar usulan / Lampiran SK" in text and "Tanggal penempatan" in text
    assert f"1 / {len(annex.pages)}" in text  # page numbers
    assert "Tim Penilai Kinerja (TPK)" in text  # the signature block
    assert "Penempatan (" not in text and "Kesenjangan antar kelompok" not in text
    for page in annex.pages:  # the column headers repeat on every page with rows
        rows = page.extract_text()
        assert "VAC-" not in rows or "Jabatan baru" in rows


@pytest.mark.parametrize("lang", ["id", "en"])
def test_accessibility(run: Path, lang: str) -> None:
    with browser_page() as page:
        page.goto((run / "report.html").resolve().as_uri())
        page.click(f"#lang-{lang}")
        assert page.evaluate("document.documentElement.lang") == lang
        page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
        page.wait_for_function(
            "[...document.querySelectorAll('details.vac')].every(d => d.dataset.drawn)"
        )
        assert page.evaluate(CONTRAST) == []
        no_caption = page.evaluate(
            "[...document.querySelectorAll('table')].filter(t => !t.caption || "
            "!t.caption.textContent.trim()).length"
        )
        assert no_caption == 0
        assert page.evaluate(
            "[...document.querySelectorAll('thead th')].every(th => th.getAttribute('scope'))"
        )
        assert page.evaluate(
            "[...document.querySelectorAll('table.sortable thead th')].every(th => "
            "th.tabIndex === 0)"
        )
        charts = page.locator("svg[role=img]")
        assert charts.count() > 0
        assert page.evaluate(
            "[...document.querySelectorAll('svg[role=img]')].every(s => s.querySelector('title')"
            " && s.nextElementSibling && s.nextElementSibling.classList.contains('alt'))"
        )
        results = page.locator("#checks tbody td:nth-child(3)").all_inner_texts()
        words = ("lulus", "GAGAL") if lang == "id" else ("passed", "FAILED")
        assert results and all(any(w in r for w in words) for r in results)
        assert all(b.strip() for b in page.locator("button").all_inner_texts())
        page.goto((run / "report.html").resolve().as_uri())
        page.keyboard.press("Tab")  # the first stop is the language switch
        assert page.evaluate("document.activeElement.id") == "lang-id"
