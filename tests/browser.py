"""Headless Debian Chromium for the browser tests (a test helper, not a test module)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
#: Chromium's flags on this closed network (no background traffic, no first-run work).
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@contextmanager
def browser_page(url: str | None = None) -> Iterator[Any]:
    """A new page of a headless Chromium (at ``url`` when given), closed on the way out."""
    assert CHROMIUM, "Debian chromium is missing: run `make test`, which installs it"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            page = browser.new_page()
            if url is not None:
                page.goto(url)
            yield page
        finally:
            browser.close()
