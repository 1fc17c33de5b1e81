"""Each eligibility rule passes a qualifying candidate and fails one that breaks only it."""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import replace
from functools import cache

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from merit.dataset import MeritData
from merit.domain.scenario import Constraints, PinnedPlacement, Scenario
from merit.eligibility import FINE_VALUES, RULES, assess_eligibility, check_pairs
from merit.eligibility.prepare import Prepared
from tests.builders import dataset, employee, spell, vacancy

BASE = Scenario(name="rules")


def verdict(data, scenario: Scenario = BASE) -> dict[str, bool]:  # type: ignore[no-untyped-def]
    res = check_pairs(data, scenario, np.array([0]), np.array([0]))
    return {r.code: bool(res[r.code].iloc[0]) for r in RULES}


def fails_only(code: str, data, scenario: Scenario = BASE) -> None:  # type: ignore[no-untyped-def]
    v = verdict(data, scenario)
    assert [c for c, ok in v.items() if not ok] == [code]


def test_the_base_candidate_passes_every_rule() -> None:
    assert all(verdict(dataset([employee()], [vacancy()])).values())


def scenario(**eligibility: object) -> Scenario:
    return BASE.model_copy(update={"eligibility": BASE.eligibility.model_copy(update=eligibility)})


NURSE_POST = vacancy(
    position_level="jf_ahli_muda", jf_family="perawat", education_fields="Keperawatan"
)


def nurse(**kw: object) -> object:
    base = {
        "position_level": "jf_ahli_pertama",
        "jf_family": "perawat",
        "education_field": "Keperawatan",
        "certificates": "STR",
        "leadership_training": "none",
    }
    base.update(kw)
    return employee(**base)


def jpt_candidate(**kw: object) -> object:
    """An administrator for 3 years in social affairs, after 8 years there as pelaksana."""
    base = {
        "position_level": "administrator",
        "position_since": dt.date(2023, 6, 1),
        "duty_field": "sosial",
        "leadership_training": "PKN II",
    }
    base.update(kw)
    return employee(**base)


JPT_POST = vacancy(position_level="jpt_pratama", duty_field="sosial", title="Kepala Dinas")
JPT_HISTORY = [spell("pelaksana", dt.date(2015, 1, 1), dt.date(2023, 5, 31), duty_field="sosial")]


def test_rule_ELIG_ACTIVE() -> None:
    """Only an ASN whose kedudukan hukum is Aktif is placeable."""
    for standing in ("CLTN", "Tugas Belajar", "Pemberhentian Sementara", "Masa Persiapan Pensiun"):
        fails_only("ELIG-ACTIVE", dataset([employee(legal_standing=standing)], [vacancy()]))
    assert verdict(dataset([employee(legal_standing="Aktif")], [vacancy()]))["ELIG-ACTIVE"]


def test_rule_ELIG_STATUS() -> None:
    """Pasal 54 (1) a: berstatus PNS, so a CPNS is refused; Perpres 38/2020: PPPK only in a
    JF open to PPPK, never in a JA post."""
    fails_only("ELIG-STATUS", dataset([employee(status="CPNS")], [vacancy()]))
    fails_only("ELIG-STATUS", dataset([employee(status="PPPK", rank=None)], [vacancy()]))
    pppk_nurse = nurse(status="PPPK", rank=None)
    assert verdict(dataset([pppk_nurse], [NURSE_POST]))["ELIG-STATUS"]
    closed = NURSE_POST.model_copy(update={"open_to_pppk": False})
    assert not verdict(dataset([pppk_nurse], [closed]))["ELIG-STATUS"]
    unknown = NURSE_POST.model_copy(update={"jf_family": "penilai pajak"})  # no basis known
    assert not verdict(dataset([pppk_nurse], [unknown]))["ELIG-STATUS"]


def test_rule_ELIG_RANK_MIN() -> None:
    """Only the post's Anjab sets a minimum golongan; without one any golongan passes."""
    fails_only("ELIG-RANK-MIN", dataset([employee(rank="III/d")], [vacancy(min_rank="IV/a")]))
    assert verdict(dataset([employee(rank="II/a")], [vacancy()]))["ELIG-RANK-MIN"]


def test_rule_ELIG_EDU_MIN() -> None:
    """Pasal 54 (1) b: administrator at least S-1/D-IV; (2) b: pengawas at least D-III."""
    fails_only("ELIG-EDU-MIN", dataset([employee(education_level="D-III")], [vacancy()]))
    assert verdict(dataset([employee(education_level="D-IV")], [vacancy()]))["ELIG-EDU-MIN"]
    staff = employee(position_level="pelaksana", education_level="D-III")
    assert verdict(dataset([staff], [vacancy(position_level="pengawas")]))["ELIG-EDU-MIN"]


def test_rule_ELIG_EDU_FIELD() -> None:
    v = vacancy(education_fields="Kesejahteraan Sosial; Ilmu Pemerintahan")
    assert verdict(dataset([employee()], [v]))["ELIG-EDU-FIELD"]
    fails_only("ELIG-EDU-FIELD", dataset([employee(education_field="Akuntansi")], [v]))


def test_rule_ELIG_PROGRESSION() -> None:
    """Penyetaraan: JF ahli muda = pengawas feeds administrator; JF ahli pertama (= the old
    eselon V) does not; nobody moves down a level."""
    fails_only(
        "ELIG-PROGRESSION",
        dataset([employee(position_level="pelaksana")], [vacancy(min_experience_years=0)]),
    )
    muda = employee(position_level="jf_ahli_muda", leadership_training="none")
    assert verdict(dataset([muda], [vacancy()]))["ELIG-PROGRESSION"]
    pertama = employee(position_level="jf_ahli_pertama")
    assert not verdict(dataset([pertama], [vacancy()]))["ELIG-PROGRESSION"]
    head = employee(position_level="administrator")
    assert not verdict(dataset([head], [vacancy(position_level="pengawas")]))["ELIG-PROGRESSION"]


def test_rule_ELIG_EXPERIENCE() -> None:
    """Pasal 54 (1) d: 3 years as pengawas or JF ahli muda in the post's field of duty; earlier
    posts of the riwayat jabatan count, posts of another field do not."""
    recent = employee(position_since=dt.date(2024, 1, 1), duty_field="sosial")  # 2.5 years
    post = vacancy(duty_field="sosial")
    fails_only("ELIG-EXPERIENCE", dataset([recent], [post]))
    before = spell("pengawas", dt.date(2022, 1, 1), dt.date(2023, 12, 31), duty_field="sosial")
    assert verdict(dataset([recent], [post], history=[before]))["ELIG-EXPERIENCE"]
    elsewhere = before.model_copy(update={"duty_field": "kesehatan"})
    fails_only("ELIG-EXPERIENCE", dataset([recent], [post], history=[elsewhere]))
    # JPT pratama: 2 years as administrator in any field (Pasal 107 (1) c 4)
    finance_head = jpt_candidate(duty_field="keuangan")
    assert all(verdict(dataset([finance_head], [JPT_POST], history=JPT_HISTORY)).values())
    # a nurse manager has no experience in general administration and personnel
    kepegawaian = vacancy(position_level="pengawas", duty_field="administrasi umum")
    ward_head = nurse(
        position_level="pelaksana", duty_field="kesehatan", position_since=dt.date(2015, 1, 1)
    )
    assert not verdict(dataset([ward_head], [kepegawaian]))["ELIG-EXPERIENCE"]


def test_rule_ELIG_FIELD_YEARS() -> None:
    """Pasal 107 (1) c 3: JPT pratama needs 5 years in all in the field of duty."""
    fails_only("ELIG-FIELD-YEARS", dataset([jpt_candidate()], [JPT_POST]))
    assert all(verdict(dataset([jpt_candidate()], [JPT_POST], history=JPT_HISTORY)).values())


def test_rule_ELIG_TENURE() -> None:
    """Pasal 190 (3): a mutation comes at least 2 years after taking up the post."""
    before = spell("pengawas", dt.date(2019, 1, 1), dt.date(2024, 12, 31))
    moved = employee(position_since=dt.date(2025, 1, 1))
    fails_only("ELIG-TENURE", dataset([moved], [vacancy()], history=[before]))
    settled = employee(position_since=dt.date(2024, 6, 1))
    assert verdict(dataset([settled], [vacancy()], history=[before]))["ELIG-TENURE"]
    longer = scenario(min_years_in_post=3)
    assert not verdict(dataset([settled], [vacancy()], history=[before]), longer)["ELIG-TENURE"]
    with pytest.raises(ValueError):
        scenario_with_tenure = BASE.eligibility.model_validate({"min_years_in_post": 1})
        del scenario_with_tenure


def test_rule_ELIG_JF_ENTRY() -> None:
    """A JF takes its own family, or a PNS moving in who passed its uji kompetensi, has 2
    years in its field of duty and is at most 53 (ahli muda)."""
    assert all(verdict(dataset([nurse()], [NURSE_POST])).values())
    teacher = nurse(jf_family="guru")
    fails_only("ELIG-JF-ENTRY", dataset([teacher], [NURSE_POST]))
    mover = nurse(
        position_level="pengawas", jf_family=None, ukom_jf="perawat", duty_field="kesehatan"
    )
    assert verdict(dataset([mover], [NURSE_POST]))["ELIG-JF-ENTRY"]
    no_test = mover.model_copy(update={"ukom_jf": None})
    fails_only("ELIG-JF-ENTRY", dataset([no_test], [NURSE_POST]))
    too_old = mover.model_copy(update={"birth_date": dt.date(1972, 1, 1)})  # 54
    fails_only("ELIG-JF-ENTRY", dataset([too_old], [NURSE_POST]))
    other_field = mover.model_copy(update={"duty_field": "keuangan"})
    fails_only("ELIG-JF-ENTRY", dataset([other_field], [NURSE_POST]))


def test_rule_ELIG_JF_CERTIFICATE() -> None:
    """UU 17/2023 Pasal 260 (1): a nurse needs an STR; UU 14/2005 Pasal 8: a guru a
    sertifikat pendidik."""
    fails_only("ELIG-JF-CERTIFICATE", dataset([nurse(certificates=None)], [NURSE_POST]))
    guru_post = vacancy(position_level="jf_ahli_muda", jf_family="guru")
    guru = nurse(jf_family="guru", certificates="Sertifikat Pendidik", education_field="X")
    assert verdict(dataset([guru], [guru_post]))["ELIG-JF-CERTIFICATE"]
    assert not verdict(dataset([nurse(jf_family="guru")], [guru_post]))["ELIG-JF-CERTIFICATE"]


def test_rule_ELIG_COMPETENCE() -> None:
    """Pasal 54 (1) f: competence per the post's standard; JPM 66.7 % < 68 % fails."""
    fails_only("ELIG-COMPETENCE", dataset([employee()], [vacancy()], levels={"E1": 2}))
    lower = scenario(min_jpm_percent=60)
    assert verdict(dataset([employee()], [vacancy()], levels={"E1": 2}), lower)["ELIG-COMPETENCE"]
    # JF posts have no JPM threshold by default
    assert verdict(dataset([nurse()], [NURSE_POST], levels={"E1": 1}))["ELIG-COMPETENCE"]


def test_rule_ELIG_SKP() -> None:
    weak = {"E1": ["Baik", "Baik", "Butuh Perbaikan"]}
    fails_only("ELIG-SKP", dataset([employee()], [vacancy()], predikat=weak))
    old_weak = {"E1": ["Kurang", "Baik", "Baik"]}  # 2023 is outside the last 2 years
    assert verdict(dataset([employee()], [vacancy()], predikat=old_weak))["ELIG-SKP"]


def test_rule_ELIG_ASSESSED() -> None:
    """An employee without any assessment: lowest JPM by default, or not eligible."""
    data = dataset([employee(), employee(employee_id="E2")], [vacancy()])
    no_e1 = replace(data, competencies=data.competencies[data.competencies["employee_id"] != "E1"])
    strict = scenario(unassessed="ineligible")
    res = check_pairs(no_e1, strict, np.array([0, 1]), np.array([0, 0]))
    assert res["ELIG-ASSESSED"].tolist() == [False, True]
    assert check_pairs(no_e1, BASE, np.array([0]), np.array([0]))["ELIG-ASSESSED"].all()
    # a JF post without a competence threshold: the only rule an unassessed nurse fails
    nurses = replace(no_e1, employees=dataset([nurse()], [NURSE_POST]).employees)
    nurses = replace(nurses, vacancies=dataset([nurse()], [NURSE_POST]).vacancies)
    nurses = replace(nurses, standards=dataset([nurse()], [NURSE_POST]).standards)
    fails_only("ELIG-ASSESSED", nurses, strict)


def test_rule_ELIG_SANCTION() -> None:
    """Peraturan BKN 5/2019 Pasal 3: not serving a sanction of any level."""
    for level in ("ringan", "sedang", "berat"):
        serving = employee(sanction=level, sanction_until=dt.date(2027, 1, 1))
        fails_only("ELIG-SANCTION", dataset([serving], [vacancy()]))
    over = employee(sanction="berat", sanction_until=dt.date(2026, 1, 1))
    assert verdict(dataset([over], [vacancy()]))["ELIG-SANCTION"]


def test_rule_ELIG_RETIREMENT() -> None:
    # BUP 58 reached in March 2027: inside the 12-month window after 2026-07-01
    old = employee(birth_date=dt.date(1969, 3, 1))
    fails_only("ELIG-RETIREMENT", dataset([old], [vacancy()]))
    assert verdict(dataset([old], [vacancy()]), scenario(retirement_window_months=6))[
        "ELIG-RETIREMENT"
    ]
    # a guru retires at 60 (UU 14/2005 Pasal 30 (4)), not 58
    guru_post = vacancy(position_level="jf_ahli_muda", jf_family="guru")
    guru = nurse(jf_family="guru", birth_date=dt.date(1968, 3, 1))
    assert verdict(dataset([guru], [guru_post]))["ELIG-RETIREMENT"]
    assert not verdict(dataset([guru], [NURSE_POST.model_copy(update={"jf_family": "perawat"})]))[
        "ELIG-RETIREMENT"
    ]


def test_rule_ELIG_AGE_LIMIT() -> None:
    """Pasal 107 (1) c 6: JPT pratama at most 56 years old."""
    old = jpt_candidate(birth_date=dt.date(1969, 5, 1))  # 57
    fails_only("ELIG-AGE-LIMIT", dataset([old], [JPT_POST], history=JPT_HISTORY))
    young = jpt_candidate(birth_date=dt.date(1970, 8, 1))  # 55
    assert verdict(dataset([young], [JPT_POST], history=JPT_HISTORY))["ELIG-AGE-LIMIT"]


def test_rule_ELIG_NEPOTISM() -> None:
    boss = employee(employee_id="Z1", position_level="administrator")  # sorts after E1
    post = vacancy(superior_id="Z1")
    data = dataset([employee(), boss], [post], relations=[("Z1", "E1")])
    fails_only("ELIG-NEPOTISM", data)
    assert verdict(data, scenario(nepotism_scope="off"))["ELIG-NEPOTISM"]


def test_nepotism_ignores_a_relation_to_someone_outside_the_table() -> None:
    """A relative who is not in the employees table (library callers may pass one) drops that
    relation only: the others stay paired as given (E2 is related to nobody here)."""
    boss = employee(employee_id="Z1", position_level="administrator")
    data = dataset(
        [employee(), employee(employee_id="E2"), boss],
        [vacancy(superior_id="Z1")],
        relations=[("X9", "E2"), ("Z1", "E1")],
    )
    res = check_pairs(data, BASE, np.array([0, 1]), np.array([0, 0]))
    assert res["ELIG-NEPOTISM"].tolist() == [False, True]


def test_rule_ELIG_OWN_POST() -> None:
    fails_only(
        "ELIG-OWN-POST",
        dataset([employee(position_level="administrator", current_post_id="V1")], [vacancy()]),
    )
    assert verdict(dataset([employee(current_post_id="V9")], [vacancy()]))["ELIG-OWN-POST"]


def test_rule_SCN_FORBIDDEN() -> None:
    sc = BASE.model_copy(
        update={
            "constraints": Constraints(forbidden=(PinnedPlacement(vacancy="V1", employee="E1"),))
        }
    )
    fails_only("SCN-FORBIDDEN", dataset([employee()], [vacancy()]), sc)


def test_rule_SCN_KEEP_FILLED() -> None:
    sc = BASE.model_copy(update={"constraints": Constraints(keep_posts_filled=True)})
    fails_only("SCN-KEEP-FILLED", dataset([employee(current_post_id="POS-1")], [vacancy()]), sc)
    both = dataset([employee(current_post_id="V2")], [vacancy(), vacancy(vacancy_id="V2")])
    res = check_pairs(both, sc, np.array([0]), np.array([0]))
    assert bool(res["SCN-KEEP-FILLED"].iloc[0])  # their own post is in this run


def test_a_candidate_side_rule_cannot_read_an_undeclared_vacancy_value() -> None:
    """Large runs evaluate a candidate-side rule once per group of vacancies that agree on the
    values it declares; reading another value would silently take the first vacancy's."""
    from merit.eligibility.prepare import Pairs, UndeclaredRead
    from merit.eligibility.registry import Rule

    prep = Prepared(dataset([employee()], [vacancy()]), BASE)
    pairs = Pairs(prep, np.array([0]), np.array([0]))
    sneaky = Rule("X", "x", "x", "x", "x", "x", lambda p: (p.vv("bup") > 0, {}), reads=("skp",))
    with pytest.raises(UndeclaredRead, match="bup"):
        sneaky.check(pairs.for_rule(sneaky.reads))
    for r in RULES:  # every registered rule reads only what it declares
        if r.candidate_side:
            r.check(pairs.for_rule(r.reads))


def test_rules_that_ran_state_their_facts_in_both_languages() -> None:
    recent = employee(position_since=dt.date(2024, 1, 1))
    res = check_pairs(dataset([recent], [vacancy()]), BASE, np.array([0]), np.array([0]))
    rule = next(r for r in RULES if r.code == "ELIG-EXPERIENCE")
    facts = {
        k.split(":", 1)[1]: res[k].iloc[0] for k in res.columns if k.startswith(rule.code + ":")
    }
    assert rule.fact(facts, "id") == ("2,5 tahun pada jenjang asal; minimal 3,0 tahun")
    assert rule.fact(facts, "en").startswith("2.5 years at the feeder level")


def test_citations_name_the_law_and_read_in_english() -> None:
    from merit.eligibility.registry import citation_en

    for r in RULES:
        text = f"{r.citation} {r.statement_id} {r.statement_en}"
        assert "verify" not in text.lower() and "DOMAIN" not in text
        assert ("Pasal" in r.citation) or r.citation.startswith("Kebijakan skenario"), r.code
        assert "Pasal" not in r.citation_en
    assert citation_en("PP 11/2017 jo. PP 17/2020 Pasal 54 ayat (1) huruf b") == (
        "PP 11/2017 as amended by PP 17/2020, Article 54(1)(b)"
    )


def test_every_rule_is_registered_documented_cited_and_tested() -> None:
    module = sys.modules[__name__]
    codes = [r.code for r in RULES]
    assert len(codes) == len(set(codes))
    for r in RULES:
        assert r.name_en and r.name_id and r.statement_en and r.statement_id and r.citation
        assert hasattr(module, f"test_rule_{r.code.replace('-', '_')}"), f"{r.code} has no test"


@pytest.mark.parametrize("seed", [1, 2])
def test_detail_and_scale_paths_agree(seed: int) -> None:
    import tempfile
    from pathlib import Path

    from merit.io.read import load
    from merit.io.write import write_tables
    from merit.synth import synthesize

    with tempfile.TemporaryDirectory() as tmp:
        write_tables(synthesize(400, 20, seed), Path(tmp))
        data = load(tmp).merit
    a = assess_eligibility(data, BASE, detail=True)
    b = assess_eligibility(data, BASE, detail=False)
    assert np.array_equal(a.emp, b.emp) and np.array_equal(a.vac, b.vac) and len(a.emp)
    fails = a.failures.assign(rule=a.failures["rules"].str.split(";")).explode("rule")
    counted = fails.groupby(["vac", "rule"]).size()
    vids = data.vacancies["vacancy_id"].to_numpy()
    scaled = b.failures.set_index(["vacancy_id", "rule"])["failures"]
    for (v, rule), n in counted.items():
        if rule in ("ELIG-PROGRESSION",) or (vids[v], rule) not in scaled.index:
            continue
        assert scaled[(vids[v], rule)] <= n


def test_arcs_follow_the_employee_order_given() -> None:
    """Both paths list each vacancy's arcs in the caller's employee order, same pairs."""
    import tempfile
    from pathlib import Path

    from merit.io.read import load
    from merit.io.write import write_tables
    from merit.synth import synthesize

    with tempfile.TemporaryDirectory() as tmp:
        write_tables(synthesize(400, 20, 3), Path(tmp))
        data = load(tmp).merit
    order = np.random.default_rng(5).permutation(len(data.employees))
    position = np.argsort(order)
    plain = assess_eligibility(data, BASE, detail=False)
    for detail in (True, False):
        got = assess_eligibility(data, BASE, detail=detail, employee_order=order)
        assert set(zip(got.vac, got.emp, strict=True)) == set(
            zip(plain.vac, plain.emp, strict=True)
        )
        key = got.vac * len(order) + position[got.emp]
        assert (np.diff(key) > 0).all()


@cache
def _crowded() -> MeritData:
    """A synthetic city where every pair rule fires: holders of run posts, relatives of the
    posts' superiors and unit heads."""
    import tempfile
    from pathlib import Path

    from merit.io.read import load
    from merit.io.write import write_tables
    from merit.synth import synthesize

    with tempfile.TemporaryDirectory() as tmp:
        write_tables(synthesize(300, 15, 7), Path(tmp))
        data = load(tmp).merit
    rng = np.random.default_rng(7)
    emp = data.employees.copy()
    eids = emp["employee_id"].to_numpy(dtype=object)
    vids = data.vacancies["vacancy_id"].to_numpy(dtype=object)
    emp.loc[rng.choice(len(emp), 12, replace=False), "current_post_id"] = rng.choice(vids, 12)
    bosses = pd.concat([data.vacancies["superior_id"], data.vacancies["unit_head_id"]]).dropna()
    extra = pd.DataFrame(
        {
            "employee_id": rng.choice(eids, 20),
            "related_id": rng.choice(bosses.to_numpy(dtype=object), 20),
            "kind": "sibling",
            "source": "test",
            "declared_on": pd.Timestamp("2026-01-15"),
        }
    )
    extra = extra[extra["employee_id"] != extra["related_id"]]
    relations = pd.concat([data.relations, extra], ignore_index=True)
    return replace(data, employees=emp, relations=relations)


@settings(max_examples=12, deadline=None)
@given(
    st.sampled_from(["superior", "superior_and_unit_head", "off"]),
    st.lists(st.tuples(st.integers(0, 299), st.integers(0, 14)), max_size=6),
    st.booleans(),
)
def test_pair_rules_fail_only_at_their_suspects_and_the_paths_count_alike(
    scope: str, forbid: list[tuple[int, int]], keep_filled: bool
) -> None:
    """Outside its suspects a pair rule passes, so the scale path (which checks only there)
    lists the same arcs as the full product and the same failure counts per rule."""
    data = _crowded()
    eids, vids = data.employees["employee_id"], data.vacancies["vacancy_id"]
    sc = BASE.model_copy(
        update={
            "eligibility": BASE.eligibility.model_copy(update={"nepotism_scope": scope}),
            "constraints": Constraints(
                keep_posts_filled=keep_filled,
                forbidden=tuple(
                    PinnedPlacement(employee=eids.iloc[e], vacancy=vids.iloc[v]) for e, v in forbid
                ),
            ),
        }
    )
    n_e, n_v = len(eids), len(vids)
    e, v = np.tile(np.arange(n_e), n_v), np.repeat(np.arange(n_v), n_e)
    res = check_pairs(data, sc, e, v)
    prep = Prepared(data, sc)
    passes_candidate_rules = res[[r.code for r in RULES if r.candidate_side]].all(axis=1)
    coarse = [r.code for r in RULES if r.candidate_side and not set(r.reads) & FINE_VALUES]
    passes_coarse_rules = res[coarse].all(axis=1).to_numpy()
    scaled = assess_eligibility(data, sc, detail=False)
    counted = scaled.failures.set_index(["vacancy_id", "rule"])["failures"]
    for r in RULES:
        failing = ~res[r.code].to_numpy()
        if not r.candidate_side:
            assert r.suspects is not None
            suspects = set(zip(*r.suspects(prep), strict=True))
            assert set(zip(e[failing], v[failing], strict=True)) <= suspects
            failing &= passes_candidate_rules.to_numpy()
        elif set(r.reads) & FINE_VALUES:  # checked, so counted, where the others pass
            failing &= passes_coarse_rules
        want = np.bincount(v[failing], minlength=n_v)
        got = [int(counted.get((vid, r.code), 0)) for vid in vids]
        assert got == want.tolist(), r.code
    full = assess_eligibility(data, sc, detail=True)
    assert np.array_equal(full.emp, scaled.emp) and np.array_equal(full.vac, scaled.vac)


def test_a_pair_rule_must_name_its_suspects() -> None:
    from merit.eligibility.registry import rule

    with pytest.raises(ValueError, match="names suspects"):
        rule("X-NEW", "x", "x", "x", "x", "x", reads=("skp",), suspects=lambda prep: ([], []))(
            lambda p: (p.e > 0, {})
        )


def test_a_pair_two_pair_rules_drop_leaves_the_scale_path_once() -> None:
    """A pair failing two pair rules (forbidden at the post the candidate holds) is dropped
    once; with a shuffled employee order both paths still list the same arcs."""
    data = _crowded()
    base = assess_eligibility(data, BASE, detail=False)
    _, first = np.unique(base.emp, return_index=True)  # one eligible post per employee
    pick = first[:: max(len(first) // 6, 1)]
    e, v = base.emp[pick], base.vac[pick]
    vids = data.vacancies["vacancy_id"].to_numpy(dtype=object)
    emp = data.employees.copy()
    emp.loc[emp.index[e], "current_post_id"] = vids[v]
    data = replace(data, employees=emp)
    forbid = tuple(
        PinnedPlacement(employee=str(emp["employee_id"].iloc[i]), vacancy=str(vids[j]))
        for i, j in zip(e, v, strict=True)
    )
    sc = BASE.model_copy(update={"constraints": Constraints(forbidden=forbid)})
    order = np.random.default_rng(11).permutation(len(emp))
    full = assess_eligibility(data, sc, detail=True, employee_order=order)
    scaled = assess_eligibility(data, sc, detail=False, employee_order=order)
    assert np.array_equal(full.emp, scaled.emp) and np.array_equal(full.vac, scaled.vac)
    assert len(scaled.emp) <= len(base.emp) - len(pick)
    assert scaled.emp.dtype == np.int32 and scaled.vac.dtype == np.int64
    both = scaled.failures[scaled.failures["rule"].isin(["ELIG-OWN-POST", "SCN-FORBIDDEN"])]
    assert both.groupby("vacancy_id")["rule"].nunique().eq(2).any()
    assert scaled.failures.dtypes.astype(str).tolist() == ["object", "object", "int64"]


def test_field_lookup_without_the_table_gives_the_same_answers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Past its size limit ``field_ok`` looks the keys up instead of building the table."""
    import merit.eligibility.prepare as prepare

    data = _crowded()
    n_e, n_v = len(data.employees), len(data.vacancies)
    e, v = np.tile(np.arange(n_e), n_v), np.repeat(np.arange(n_v), n_e)
    table = Prepared(data, BASE).field_ok(e, v)
    monkeypatch.setattr(prepare, "FIELD_TABLE_LIMIT", 0)
    lookup = Prepared(data, BASE)
    assert lookup._field_table is None
    assert np.array_equal(lookup.field_ok(e, v), table) and table.any() and not table.all()
