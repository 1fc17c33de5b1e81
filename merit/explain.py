"""Render the audit's explanation of one vacancy or one person, in Indonesian or English."""

from __future__ import annotations

from typing import Any

from merit.errors import RunFolderError

_T = {
    "placed": ("Ditempatkan", "Placed"),
    "score": ("Skor merit", "Merit score"),
    "rank": ("peringkat", "rank"),
    "breakdown": ("Rincian skor", "Score breakdown"),
    "rules": ("Syarat yang dipenuhi", "Rules passed"),
    "runner": ("Kandidat berikutnya", "Runner-up"),
    "margin": ("selisih", "margin"),
    "exact": ("kenaikan skor minimum agar mendapat jabatan ini", "smallest score rise to win it"),
    "none_runner": (
        "Tidak ada kandidat lain yang memenuhi syarat.",
        "No other eligible candidate.",
    ),
    "unfilled": ("Tidak terisi", "Unfilled"),
    "nearest": (
        "Kandidat terdekat dan syarat yang gagal",
        "Nearest candidates and the rules they fail",
    ),
    "cf": ("Kontrafaktual", "Counterfactuals"),
    "unreachable": (
        "tidak tercapai dengan skor (mengurangi jabatan terisi)",
        "not reachable by score (would leave a post empty)",
    ),
    "gap": ("menutup kesenjangan kompetensi", "closing competency gaps"),
    "not_found": ("tidak ditemukan dalam run ini", "not found in this run"),
}


def _t(key: str, lang: str) -> str:
    return _T[key][0 if lang == "id" else 1]


def _name(doc: dict[str, Any], eid: str) -> str:
    names = doc.get("names") or {}
    return f"{eid} ({names[eid]})" if eid in names else eid


def _placement(doc: dict[str, Any], e: dict[str, Any], lang: str) -> list[str]:
    n = "name_id" if lang == "id" else "name_en"
    lines = [
        f"{e['vacancy_id']} {e['title']} — {e['unit']}",
        f"  {_t('placed', lang)}: {_name(doc, e['employee_id'])}; {_t('score', lang)} "
        f"{e['merit_score']:.4f} ({_t('rank', lang)} {e['rank_in_vacancy']})",
        f"  {_t('breakdown', lang)}:",
    ]
    for c in e["components"]:
        lines.append(
            f"    {c[n]:<34} {c['value']:>8.4f} x {c['weight']:.4f} = {c['contribution']:>8.4f}"
        )
    lines.append(f"  {_t('rules', lang)}:")
    for r in e["rules_passed"]:
        lines.append(f"    {r['code']:<18} {r[n]} [{r['citation']}]")
    ru = e.get("runner_up")
    if ru is None:
        lines.append(f"  {_t('runner', lang)}: {_t('none_runner', lang)}")
    else:
        why = ru["reason_id"] if lang == "id" else ru["reason_en"]
        lines.append(
            f"  {_t('runner', lang)}: {_name(doc, ru['employee_id'])} "
            f"{ru['merit_score']:.4f} ({_t('margin', lang)} {ru['margin']:.4f}): {why}"
        )
        if ru.get("exact_margin") is not None:
            lines.append(f"    {_t('exact', lang)}: {ru['exact_margin']:.4f}")
    return lines


def _counterfactual(doc: dict[str, Any], c: dict[str, Any], lang: str) -> str:
    if not c["reachable"]:
        return f"    {c['vacancy_id']}: {_t('unreachable', lang)}"
    text = f"    {c['vacancy_id']}: +{c['margin']:.4f}"
    gap = c.get("competency_gap")
    if gap:
        plan = ", ".join(f"{k} +{v}" for k, v in gap["plan"].items())
        text += f" ({_t('gap', lang)}: {plan})"
    return text


def explain_vacancy(doc: dict[str, Any], vacancy_id: str, lang: str = "id") -> str:
    for e in doc["explanations"]:
        if e["vacancy_id"] == vacancy_id:
            lines = _placement(doc, e, lang)
            cfs = [c for c in doc["counterfactuals"] if c["vacancy_id"] == vacancy_id]
            if cfs:
                lines.append(f"  {_t('cf', lang)}:")
                lines += [
                    f"  {_name(doc, c['employee_id'])}" + _counterfactual(doc, c, lang)[3:]
                    for c in cfs
                ]
            return "\n".join(lines)
    for u in doc["unfilled"]:
        if u["vacancy_id"] == vacancy_id:
            why = u["reason_id"] if lang == "id" else u["reason_en"]
            lines = [f"{vacancy_id} {u['title']} — {u['unit']}", f"  {_t('unfilled', lang)}: {why}"]
            if u["nearest"]:
                lines.append(f"  {_t('nearest', lang)}:")
                lines += [
                    f"    {_name(doc, n['employee_id'])}: {', '.join(n['failed_rules'])}"
                    for n in u["nearest"]
                ]
            return "\n".join(lines)
    raise RunFolderError(
        f"vacancy {vacancy_id} {_t('not_found', 'en')}; check the id in "
        "placements.csv or unfilled.csv"
    )


def explain_employee(doc: dict[str, Any], employee_id: str, lang: str = "id") -> str:
    lines = []
    for e in doc["explanations"]:
        if e["employee_id"] == employee_id:
            lines += _placement(doc, e, lang)
    cfs = [c for c in doc["counterfactuals"] if c["employee_id"] == employee_id]
    if cfs:
        lines.append(f"{_name(doc, employee_id)} — {_t('cf', lang)}:")
        lines += [_counterfactual(doc, c, lang) for c in cfs]
    if not lines:
        raise RunFolderError(
            f"employee {employee_id} {_t('not_found', 'en')} (not placed and not "
            "among the listed counterfactuals)"
        )
    return "\n".join(lines)
