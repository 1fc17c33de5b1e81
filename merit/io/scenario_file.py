"""Read a scenario TOML file into a ``Scenario``, with located errors for every bad key."""

from __future__ import annotations

import hashlib
import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from merit.domain.scenario import Scenario
from merit.errors import Problem, ScenarioError


def read_scenario(path: str | Path) -> Scenario:
    """Parse and validate ``path``; ``data`` is resolved relative to the file's folder.

    Raises ``ScenarioError`` listing every problem (file, key, value, expected).
    """
    path = Path(path)
    shown = str(path)
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise ScenarioError(
            f"{shown}: cannot read the scenario file ({err.strerror}); check the path",
            [
                _problem(
                    shown,
                    None,
                    None,
                    "a readable TOML file",
                    "cannot read the file",
                    "berkas tidak dapat dibaca",
                )
            ],
        ) from None
    try:
        doc = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise ScenarioError(
            f"{shown}: not valid TOML ({err}); see scenarios/merit-only.toml for the format",
            [
                _problem(
                    shown,
                    None,
                    None,
                    "valid UTF-8 TOML",
                    f"not valid TOML: {err}",
                    f"bukan TOML yang sah: {err}",
                )
            ],
        ) from None
    if isinstance(doc.get("data"), str):
        doc["data"] = str((path.parent / doc["data"]).resolve())
    try:
        return Scenario.model_validate(doc)
    except ValidationError as err:
        problems = [_from_pydantic(shown, e, doc) for e in err.errors()]
        lines = "; ".join(p.message for p in problems)
        raise ScenarioError(
            f"{shown}: {len(problems)} problem(s) in the scenario: {lines}", problems
        ) from None


def scenario_sha256(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _from_pydantic(file: str, e: Any, doc: dict[str, Any]) -> Problem:
    key = ".".join(str(x) for x in e["loc"])
    value = e.get("input")
    if e["type"] == "extra_forbidden":
        known = _known_keys(e["loc"][:-1])
        expected = "one of: " + ", ".join(known)
        en = f"unknown key '{key}' (expected {expected})"
        idn = f"kunci '{key}' tidak dikenal (yang diharapkan: {expected})"
        return _problem(file, key, _show(value), expected, en, idn)
    if e["type"] == "missing":
        en = f"required key '{key}' is missing"
        idn = f"kunci wajib '{key}' tidak ada"
        return _problem(file, key, None, "a value", en, idn)
    expected = str(e["msg"])
    en = f"key '{key}' = {_show(value)}: {expected}"
    idn = f"kunci '{key}' = {_show(value)}: nilai tidak sah ({expected})"
    return _problem(file, key, _show(value), expected, en, idn)


def _known_keys(loc: tuple[Any, ...]) -> list[str]:
    model: type[BaseModel] = Scenario
    for part in loc:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(str(part))
        if field is None:
            break
        ann = field.annotation
        inner = getattr(ann, "__args__", (ann,))
        nested = [a for a in inner if isinstance(a, type) and issubclass(a, BaseModel)]
        if not nested:
            break
        model = nested[0]
    return sorted(model.model_fields)


def _show(value: Any) -> str | None:
    if value is None or isinstance(value, dict):
        return None
    return repr(value)


def _problem(
    file: str, key: str | None, value: str | None, expected: str, en: str, idn: str
) -> Problem:
    return Problem(
        file=file,
        sheet=None,
        row=None,
        column=key,
        value=value,
        expected=expected,
        message=en,
        message_id=idn,
        code="SCENARIO",
    )
