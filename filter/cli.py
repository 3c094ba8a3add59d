"""The ``pagefilter`` command line (typer)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from .errors import PageFilterError
from .fixtures import align, fixture_document, iter_fixtures, write_fixture
from .parse import parse_page

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Clean scraped web pages: keep the article body, drop the junk around it.")


@app.command()
def label(
    page: Path = typer.Argument(..., exists=True, dir_okay=False, help="An HTML page as a scraper saved it."),
    output: Path = typer.Option(..., "-o", "--output", help="Where to write the draft fixture (NAME.json beside NAME.html)."),
    url: Optional[str] = typer.Option(None, help="The page's URL, if known."),
    language: str = typer.Option("", help="Language code to record in the fixture."),
) -> None:
    """Write a draft fixture for PAGE, every paragraph labelled 'body', for a person to correct."""
    parsed = parse_page(page.read_bytes(), url)
    write_fixture(output, fixture_document(parsed, ["body"] * len(parsed.blocks), language))
    typer.echo(f"wrote {output}: {len(parsed.blocks)} paragraphs to review", err=True)


@app.command("check-fixtures")
def check_fixtures(directory: Path = typer.Argument(..., exists=True, help="Folder of NAME.html + NAME.json fixtures.")) -> None:
    """Check that every fixture's labels still match what the extractor yields from its page."""
    bad = 0
    for fixture in iter_fixtures(directory):
        try:
            align(fixture.page(), fixture.labels)
        except PageFilterError as exc:
            bad += 1
            typer.echo(f"{fixture.name}: {exc}", err=True)
    raise typer.Exit(1 if bad else 0)
