"""Layers only import downward, and the audit never imports the solver (STYLE.md §2)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "merit"

#: Top-level module (or package) of merit -> layer. A module may import its own layer or below.
LAYERS = {
    "errors": 1,
    "domain": 2,
    "view": 2,
    "segments": 2,
    "dataset": 3,
    "io": 3,
    "synth": 3,
    "blinding": 3,
    "eligibility": 3,
    "scoring": 3,
    "audit": 4,
    "solver": 5,
    "explain": 5,
    "report": 6,
    "pipeline": 7,
    "runfolder": 7,
    "compare": 7,
    "verify": 7,
    "release": 7,
    "execute": 7,
    "cli": 8,
    "__init__": 8,
}
#: Imports that may cross upward, each with the reason.
SANCTIONED = {
    # Scenario.from_toml is the public API the issue asks for; it delegates to the reader.
    ("domain", "io"),
}
#: The audit and explanations re-derive everything; they must not see solver internals.
FORBIDDEN = {
    "audit": {"solver", "pipeline", "formulation"},
    "explain": {"solver", "pipeline", "formulation"},
    "eligibility": {"solver"},
    "scoring": {"solver"},
}


def _top(path: Path) -> str:
    rel = path.relative_to(PACKAGE)
    return rel.parts[0].removesuffix(".py")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "merit" and len(parts) > 1:
                out.add(parts[1])
    return out


MODULES = sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_only_look_down(path: Path) -> None:
    src = _top(path)
    assert src in LAYERS, f"merit/{src} has no layer; add it to LAYERS in this test"
    for target in _imports(path):
        assert target in LAYERS, f"{path} imports merit.{target}, which has no layer"
        if (src, target) in SANCTIONED or src == target:
            continue
        assert LAYERS[target] <= LAYERS[src], (
            f"{path.relative_to(PACKAGE)} (layer {LAYERS[src]}) imports merit.{target} "
            f"(layer {LAYERS[target]}): layers only import downward"
        )
        assert target not in FORBIDDEN.get(src, set()), f"merit.{src} must not import {target}"


def test_the_layer_check_catches_an_upward_import(tmp_path: Path) -> None:
    bad = tmp_path / "m.py"
    bad.write_text("from merit.pipeline import place\nimport merit.solver.flow\n")
    assert _imports(bad) == {"pipeline", "solver"}
