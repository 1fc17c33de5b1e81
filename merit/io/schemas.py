"""JSON Schemas of every input table (one row each) and of the scenario, from the models."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from merit.domain.models import TABLES
from merit.domain.scenario import Scenario


def table_schemas() -> dict[str, dict[str, Any]]:
    """File name -> schema. A table schema describes one row; protected columns carry
    ``"x-protected": true`` and every column lists its accepted header aliases."""
    out: dict[str, dict[str, Any]] = {}
    for name, model in TABLES.items():
        schema = model.model_json_schema()
        schema["$id"] = f"https://merit.example/schemas/{name}.schema.json"
        schema["x-table"] = name
        schema["x-key"] = list(model.key)
        out[f"{name}.schema.json"] = schema
    scenario = Scenario.model_json_schema()
    scenario["$id"] = "https://merit.example/schemas/scenario.schema.json"
    out["scenario.schema.json"] = scenario
    return out


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_schemas(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, schema in table_schemas().items():
        p = folder / name
        p.write_text(render(schema), encoding="utf-8")
        paths.append(p)
    return paths
