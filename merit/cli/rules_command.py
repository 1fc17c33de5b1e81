"""``merit rules``: the eligibility rules with their statements and legal sources."""

from __future__ import annotations

import click

from merit.cli import main
from merit.eligibility import rules_table


@main.command("rules")
@click.option("--lang", type=click.Choice(["id", "en"]), default="id", show_default=True)
@click.option("--markdown", is_flag=True, help="Print a Markdown table (as in README.md).")
def rules_command(lang: str, markdown: bool) -> None:
    """List every eligibility rule: code, name, what it requires, and its legal source."""
    rows = rules_table(lang)
    if markdown:
        head = (
            ("Kode", "Aturan", "Syarat", "Dasar hukum")
            if lang == "id"
            else (
                "Code",
                "Rule",
                "Requirement",
                "Legal source",
            )
        )
        click.echo("| " + " | ".join(head) + " |")
        click.echo("|" + "---|" * len(head))
        for r in rows:
            cells = (r["code"], r["name"], r["statement"], r["citation"])
            click.echo("| " + " | ".join(c.replace("|", "/") for c in cells) + " |")
        return
    for r in rows:
        click.secho(f"{r['code']}  {r['name']}", bold=True)
        click.echo(f"    {r['statement']}")
        click.echo(f"    {'Dasar hukum' if lang == 'id' else 'Legal source'}: {r['citation']}")
