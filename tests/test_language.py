"""Each view speaks one language: no words of the other language in the Indonesian or the
English view of the report (as Chromium shows it) and of `merit explain`; one number format
per language; never "verify" or an internal file name."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from merit.compare import compare_runs
from merit.domain.enums import Golongan
from merit.execute import execute
from merit.explain import explain_employee, explain_pair, explain_vacancy
from merit.io.write import write_tables
from merit.synth import synthesize
from tests.browser import browser_page

#: Words that give away English text in the Indonesian view.
ENGLISH = [
    "the",
    "and",
    "of",
    "with",
    "which",
    "would",
    "score",
    "scores",
    "placed",
    "unfilled",
    "vacancy",
    "vacancies",
    "employee",
    "eligible",
    "budget",
    "moves",
    "tie-break",
    "seed",
    "run",
    "summary",
    "search",
    "passed",
    "failed",
    "method",
    "rank",
    "rules",
    "candidate",
    "candidates",
    "post",
    "posts",
    "filled",
    "report",
    "placement",
    "proven",
    "rate",
    "group",
    "flag",
    "reason",
    "not",
    "none",
    "nobody",
    "none",
    "above",
    "below",
    "used",
    "limit",
]
#: Words that give away Indonesian text in the English view.
INDONESIAN = [
    "dan",
    "yang",
    "dari",
    "skor",
    "jabatan",
    "pegawai",
    "terisi",
    "ditempatkan",
    "syarat",
    "anggaran",
    "mutasi",
    "peringkat",
    "ringkasan",
    "cari",
    "lulus",
    "gagal",
    "untuk",
    "dengan",
    "tidak",
    "kandidat",
    "laporan",
    "tingkat",
    "kelompok",
    "tanda",
    "alasan",
    "batas",
    "terpakai",
    "lebih",
    "rendah",
    "tinggi",
    "sama",
]
#: Never in text a user reads.
INTERNAL = ("verify", "DOMAIN", ".md")


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("language")
    write_tables(synthesize(employees=300, vacancies=12, seed=8), root / "data")
    (root / "s.toml").write_text(
        'name = "bahasa"\ndata = "data"\nseed = 3\nplacement_date = 2026-07-01\n\n'
        "[constraints]\nmax_moves_per_unit = 1\nbudget = 50_000_000\n",
        encoding="utf-8",
    )
    execute(root / "s.toml", root / "run", quiet=True)
    return root / "run"


def _data_strings(run: Path) -> list[str]:
    """Text that comes from the data or the scenario, not from merit's own words: unit and
    post names, group labels, ids. (Citations are merit's words: each view shows its own
    language's form, so they are scanned like everything else.)"""
    data = run.parent / "data"
    vac = pd.read_csv(data / "vacancies.csv", dtype=str, keep_default_na=False)
    emp = pd.read_csv(data / "employees.csv", dtype=str, keep_default_na=False)
    audit = json.loads((run / "audit.json").read_text(encoding="utf-8"))
    out = set(vac["title"]) | set(vac["unit"]) | set(emp["unit"])
    out |= {str(g["group"]) for a in audit["disparity"]["attributes"] for g in a["groups"]}
    out |= {audit["blindness"]["statement_id"].split(": ", 1)[1].split(". ", 1)[0]}
    out |= {"Job Person Match", "SolverView", "OR-Tools", "CP-SAT"}
    out |= {g.pangkat for g in Golongan}  # civil-service titles stay as they are (STYLE.md)
    manifest = json.loads((run / "manifest.json").read_text(encoding="utf-8"))
    out |= {i["file"] for i in manifest["data"]["inputs"]}
    out |= {manifest["merit_version"], manifest["ortools_version"]}
    return sorted((s for s in out if s), key=len, reverse=True)


def _offending(text: str, words: list[str], data: list[str]) -> list[str]:
    for s in data:
        text = text.replace(s, " ")
    found = []
    for word in words:
        for m in re.finditer(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text, re.IGNORECASE):
            found.append(text[max(0, m.start() - 40) : m.end() + 40].replace("\n", " "))
    return found


def _numbers_ok(text: str, lang: str, data: list[str]) -> list[str]:
    """4-decimal numbers in the other language's format (12.3456 in id, 12,3456 in en)."""
    for s in data:
        text = text.replace(s, " ")
    wrong = r"\b\d+\.\d{4}\b" if lang == "id" else r"\b\d+,\d{4}\b"
    return re.findall(wrong, text)


def _explain_texts(run: Path, lang: str) -> str:
    rankings = pd.read_csv(run / "rankings.csv", dtype=str)
    failed = pd.read_csv(run / "eligibility.csv", dtype=str)
    audit = json.loads((run / "audit.json").read_text(encoding="utf-8"))
    vids = [e["vacancy_id"] for e in audit["explanations"]] + [
        u["vacancy_id"] for u in audit["unfilled"]
    ]
    texts = [explain_vacancy(run, v, lang) for v in vids]
    people = list(rankings["employee_id"].unique()[:40]) + list(failed["employee_id"][:20])
    texts += [explain_employee(run, e, lang) for e in people]
    texts += [
        explain_pair(run, r.vacancy_id, r.employee_id, lang) for r in rankings[:30].itertuples()
    ]
    texts += [
        explain_pair(run, r.vacancy_id, r.employee_id, lang) for r in failed[:10].itertuples()
    ]
    return "\n".join(texts)


@pytest.mark.parametrize(("lang", "words"), [("id", ENGLISH), ("en", INDONESIAN)])
def test_explain_speaks_one_language(run: Path, lang: str, words: list[str]) -> None:
    text = _explain_texts(run, lang)
    data = _data_strings(run)
    assert not _offending(text, words, data)
    assert not _offending(text, list(INTERNAL), [])
    assert not _numbers_ok(text, lang, data)


@pytest.mark.browser
@pytest.mark.parametrize(("lang", "words"), [("id", ENGLISH), ("en", INDONESIAN)])
def test_report_speaks_one_language(run: Path, lang: str, words: list[str]) -> None:
    with browser_page((run / "report.html").resolve().as_uri()) as page:
        page.click(f"#lang-{lang}")
        page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
        page.wait_for_function("document.querySelectorAll('details.vac template').length === 0")
        text = page.inner_text("body")
    data = _data_strings(run)
    assert not _offending(text, words, data)
    assert not _offending(text, list(INTERNAL), [])
    assert not _numbers_ok(text, lang, data)


@pytest.mark.parametrize(("lang", "words"), [("id", ENGLISH), ("en", INDONESIAN)])
def test_compare_speaks_one_language(
    run: Path, tmp_path_factory: pytest.TempPathFactory, lang: str, words: list[str]
) -> None:
    root = run.parent
    other = root / "other"
    if not other.exists():
        (root / "t.toml").write_text(
            'name = "bahasa-dua"\ndata = "data"\nseed = 3\nplacement_date = 2026-07-01\n\n'
            "[constraints]\nmax_moves_per_unit = 2\n",
            encoding="utf-8",
        )
        execute(root / "t.toml", other, quiet=True)
    text = compare_runs(run, other).render(lang)
    data = [*_data_strings(run), "constraints.max_moves_per_unit", "constraints.budget"]
    assert not _offending(text, words, data)
    assert not _numbers_ok(text, lang, data)
