"""A real gateway (uvicorn on a free loopback port) and a real headless chromium for the pages.

The browser is Debian's ``chromium`` driven by Playwright; nothing is downloaded. Without
chromium the tests fail with a message saying how to install it: they never skip.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import BrowserContext, Page, Playwright, sync_playwright

from defa.service.auth import create_tenant
from defa.service.db import Database

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-quic",
    "--disable-sync",
]


@dataclass(frozen=True)
class Gateway:
    """A running gateway: its base URL, database URL and one tenant's API key."""

    url: str
    database_url: str
    api_key: str
    other_key: str  # a second tenant's key, to see that tenants are kept apart


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _wait_until_up(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"the gateway exited at start-up:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    pytest.fail(f"the gateway did not answer within 60 s:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="session")
def gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Gateway]:
    folder = tmp_path_factory.mktemp("gateway")
    database_url = f"sqlite:///{folder}/defa.db"
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "DEFA_DATABASE_URL": database_url, "DEFA_WEB_SECRET": "test-secret"}
    log = folder / "server.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "defa.service.app:create_app",
                "--factory",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--log-level",
                "warning",
            ],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_up(url, server, log)
        db = Database(database_url)  # the server migrated it at start-up
        with db.transaction() as session:
            _, key = create_tenant(session, "Harbourfront Supplies")
            _, other = create_tenant(session, "Kallang Traders")
        db.dispose()
        yield Gateway(url, database_url, key, other)
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    if shutil.which("chromium") is None:
        pytest.fail(
            "the browser tests need Debian's chromium: run `bash .ci/setup-browser.sh` "
            "(apt-get install -y chromium)"
        )
    with sync_playwright() as p:
        yield p


@pytest.fixture
def browser(playwright: Playwright, tmp_path: Path) -> Iterator[BrowserContext]:
    """A fresh browser profile (own --user-data-dir) for each test: no cookies carried over."""
    context = playwright.chromium.launch_persistent_context(
        str(tmp_path / "profile"),
        executable_path=shutil.which("chromium"),
        headless=True,
        args=CHROMIUM_FLAGS,
    )
    context.set_default_timeout(20_000)
    try:
        yield context
    finally:
        context.close()


@pytest.fixture
def page(browser: BrowserContext) -> Page:
    return browser.pages[0] if browser.pages else browser.new_page()
