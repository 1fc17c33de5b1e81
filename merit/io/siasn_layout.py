"""Write canonical tables in SIASN's layout (``merit synth --layout siasn``), through the tables.

Headers come from ``bkn_headers.csv`` (``write = yes``) and values from ``bkn_values.csv``
(``write = yes``), so the writer and the reader share one source. A canonical column without
a SIASN form keeps its canonical name (the reader accepts project columns beside SIASN ones);
a table without a SIASN form is written as in the plain layout. The employees sheet also
carries the personal columns a real "Data Utama" export has (NIK, NOMOR_HP, EMAIL, ALAMAT,
NPWP_NOMOR), invented from the NIP, which the reader must keep out of every output.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

import numpy as np
import pandas as pd

from merit.domain.models import TABLES
from merit.io import siasn
from merit.io.frames import columns, format_frame

#: File (sheet) name of each table in the SIASN layout; the reader accepts these names.
SIASN_NAMES = {"employees": "data_utama", "performance": "kinerja"}
_STREETS = ("Jl. El Tari", "Jl. Soeharto", "Jl. Timor Raya", "Jl. Frans Seda", "Jl. Adisucipto")


def _dmy(text: pd.Series) -> pd.Series:
    """ISO text dates -> DD-MM-YYYY as SIASN writes them; empty stays empty."""
    parts = text.str.extract(r"^(\d{4})-(\d{2})-(\d{2})$")
    out = parts[2] + "-" + parts[1] + "-" + parts[0]
    return out.where(parts[0].notna(), text)


def _text(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    model = TABLES[table]
    out = format_frame(model, frame)
    for c in columns(model):
        if c.kind == "date" and c.name in out.columns:
            out[c.name] = _dmy(out[c.name])
    return out


def _renamed(table: str, out: pd.DataFrame) -> pd.DataFrame:
    names = {r.field: r.header for r in siasn.header_rules() if r.table == table and r.write}
    return out.rename(columns={k: v for k, v in names.items() if k in out.columns})


def _translated(field: str, column: str, values: pd.Series) -> pd.Series:
    table = siasn.written(field, column)
    return values.map(lambda v: table.get(v, v))


def _employees(frame: pd.DataFrame, protected: pd.DataFrame | None) -> pd.DataFrame:
    out = _text("employees", frame)
    status = out["status"]
    out["status"] = _translated("status", "JENIS_PEGAWAI_NAMA", status.replace("CPNS", "PNS"))
    flag = siasn.written("status_cpns_pns", "STATUS_CPNS_PNS")
    cpns = status.map({"CPNS": flag["CPNS"], "PNS": flag["PNS"]}).fillna("")
    out.insert(out.columns.get_loc("status") + 1, "status_cpns_pns", cpns)
    out["education_level"] = _translated(
        "education_level", "TINGKAT_PENDIDIKAN_NAMA", out["education_level"]
    )
    prefix = siasn.written("education_prefix", "PENDIDIKAN_NAMA")
    level = frame["education_level"].astype(str).map(prefix)
    study = out["education_field"]
    out["education_field"] = (level + " " + study.str.upper()).where(study != "", "")
    out = _position(out)
    out = _renamed("employees", out)
    if protected is not None:
        out = _personal(out, frame, protected)
    return out


def _position(out: pd.DataFrame) -> pd.DataFrame:
    """position_level + jf_family -> JENIS_JABATAN_NAMA, ESELON, JABATAN_NAMA."""
    kinds = siasn.written("jenis_jabatan", "JENIS_JABATAN_NAMA")
    eselon = siasn.written("eselon", "ESELON")
    jf_level = siasn.written("jf_level", "JABATAN_NAMA")
    level, family = out["position_level"], out["jf_family"]
    is_jf = level.isin(list(jf_level))
    is_struct = level.isin(list(eselon))
    kind = np.where(
        is_jf,
        kinds["fungsional"],
        np.where(is_struct, kinds["struktural"], kinds["pelaksana"]),
    )
    name = np.where(
        is_jf,
        family.str.title() + " " + level.map(jf_level).fillna(""),
        np.where(is_struct, "", "Pelaksana"),
    )
    at = out.columns.get_loc("position_level")
    out = out.drop(columns=["position_level", "jf_family"])
    out.insert(at, "JENIS_JABATAN_NAMA", kind)
    out.insert(at + 1, "ESELON", level.map(eselon).fillna("").to_numpy())
    out.insert(at + 2, "JABATAN_NAMA", name)
    return out


def _digits(nip: str, salt: str, n: int) -> str:
    h = hashlib.sha256(f"{salt}:{nip}".encode()).hexdigest()
    return "".join(str(int(c, 16) % 10) for c in h)[:n]


def _personal(out: pd.DataFrame, frame: pd.DataFrame, protected: pd.DataFrame) -> pd.DataFrame:
    """The protected table's columns under SIASN's headers, plus invented contact columns."""
    prot = _renamed("protected", format_frame(TABLES["protected"], protected))
    prot = prot.loc[:, [c for c in prot.columns if (prot[c] != "").any()]]
    ids = frame["employee_id"].astype(str)
    merged = pd.DataFrame({"employee_id": ids}).merge(
        prot, on="employee_id", how="left", sort=False
    )
    merged = merged.drop(columns=["employee_id"]).fillna("")
    nips = ids.tolist()
    merged["NOMOR_HP"] = ["08" + _digits(x, "hp", 10) for x in nips]
    merged["EMAIL"] = [f"asn.{_digits(x, 'mail', 8)}@mail.example.id" for x in nips]
    merged["ALAMAT"] = [
        f"{_STREETS[int(_digits(x, 'st', 1)) % len(_STREETS)]} No. {int(_digits(x, 'no', 3))}, "
        f"RT {_digits(x, 'rt', 3)}, Kota Kupang"
        for x in nips
    ]
    merged["NPWP_NOMOR"] = [
        "{}.{}.{}.{}-{}.{}".format(
            *(d[i:j] for i, j in ((0, 2), (2, 5), (5, 8), (8, 9), (9, 12), (12, 15)))
        )
        for d in (_digits(x, "npwp", 15) for x in nips)
    ]
    at = 1
    for c in merged.columns:
        out.insert(at, c, merged[c].to_numpy())
        at += 1
    return out


def _performance(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per employee, one SKP column per year, as e-Kinerja recaps are exported."""
    text = _text("performance", frame)
    wide = text.pivot(index="employee_id", columns="year", values="predikat").fillna("")
    wide.columns = [f"SKP_{y}" for y in wide.columns]
    wide = wide.reset_index().rename(columns={"employee_id": "NIP_BARU"})
    return wide.astype(object)


def to_siasn(tables: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Text frames in SIASN's layout, keyed by the file (sheet) name to write."""
    out: dict[str, pd.DataFrame] = {}
    for table, frame in tables.items():
        if table == "protected":
            continue
        if table == "employees":
            out[SIASN_NAMES[table]] = _employees(frame, tables.get("protected"))
        elif table == "performance":
            out[SIASN_NAMES[table]] = _performance(frame)
        else:
            out[table] = frame  # no SIASN form: as in the plain layout
    return out
