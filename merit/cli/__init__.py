"""The ``merit`` command: a thin shell over the library (parse, call, render).

Only ``MeritError`` is caught, here, and mapped to its exit code: 2 bad input or scenario,
3 infeasible, 4 solver failure, 1 audit finding. Each command lives in a small module.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any

import click

from merit.errors import MeritError
from merit.io.grouped import group


class _MeritGroup(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except MeritError as err:
            render_error(err, as_json=bool(ctx.meta.get("merit.json")))
            ctx.exit(err.exit_code)


def render_error(err: MeritError, as_json: bool = False) -> None:
    """Print an error and every located problem it carries (English, then Indonesian)."""
    if as_json:
        click.echo(json.dumps([p.to_dict() for p in err.problems], ensure_ascii=False, indent=2))
        return
    click.secho(f"error: {err}", fg="red", err=True)
    for g in group(err.problems):  # one line per (file, column, problem), not per cell
        click.echo(f"  - {g.render('en')}", err=True)
        click.echo(f"    {g.render('id')}", err=True)


@click.group(cls=_MeritGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="merit")
def main() -> None:
    """merit: place civil servants (ASN) into vacant positions by merit alone, and prove it."""


def command(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Register a command module's function on the group (kept for symmetry)."""
    return fn


# Command modules register themselves on ``main`` when imported.
from merit.cli import (  # noqa: E402
    audit_commands,
    data_commands,
    rules_command,
    run_commands,
    synth_command,
)

__all__ = [
    "audit_commands",
    "data_commands",
    "main",
    "render_error",
    "rules_command",
    "run_commands",
    "synth_command",
]


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
