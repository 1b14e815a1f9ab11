"""A headless Chromium for the dashboard's end-to-end tests, driven by Playwright.

The browser is Debian's `chromium` package (`.ci/run` installs it where it is missing):
Playwright's own browser download is never used, only its driver, through
`executable_path`. Screenshots go to `tests/artifacts/dashboard/` (or
`$MKCTL_TEST_ARTIFACTS/dashboard/`), which git ignores.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import Mkctl

REPO = Path(__file__).resolve().parents[2]
URL = re.compile(r"(http://\S+/dashboard/\S+)")


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def artifacts() -> Path:
    where = Path(os.environ.get("MKCTL_TEST_ARTIFACTS") or REPO / "tests" / "artifacts")
    folder = where / "dashboard"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@contextmanager
def headless_chromium() -> Iterator[Any]:
    """A Playwright browser: headless Chromium, or a skip saying what is missing."""
    executable = chromium_path()
    if executable is None:
        pytest.skip("no chromium on PATH (Debian: apt-get install -y chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            yield browser
        finally:
            browser.close()


def new_page(browser: Any, color_scheme: str = "light") -> Any:
    """A page in a context of its own (its own sessionStorage); `page.errors` collects the
    page's uncaught JavaScript errors."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, color_scheme=color_scheme
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors
    return page


def dashboard_url(mk: Mkctl, *args: str) -> str:
    """The URL `mkctl dashboard --no-open` prints (starting a daemon if none runs)."""
    result = mk("dashboard", "--no-open", "--speed", "20", *args)
    assert result.code == 0, result.err
    found = URL.search(result.out)
    assert found, result.out
    return found.group(1)


def screenshot(page: Any, name: str) -> None:
    path = artifacts() / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    print(f"screenshot: {path}")
