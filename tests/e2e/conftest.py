"""Shared by the browser tests: a JupyterLab server (free localhost port, random token, every cell kept in
the DOM by windowingMode "none", the kernel importing this checkout's kit), Debian Chromium driven by
Playwright, and helpers that run a notebook and read its state through JupyterLab's own model."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = os.environ.get("BROWSER_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]

NO_BROWSER = pytest.mark.skipif(
    CHROMIUM is None or not Path(CHROMIUM).exists(),
    reason="no Chromium on this machine: install the Debian package chromium (.ci/run does) or set BROWSER_PATH",
)

# JavaScript run in the page against JupyterLab's own model (exposed by --LabApp.expose_app_in_browser)
NOTEBOOK = "window.jupyterapp.shell.currentWidget"
KERNEL_IDLE = f"() => {{ const nb = {NOTEBOOK}; const k = nb && nb.sessionContext && nb.sessionContext.session && nb.sessionContext.session.kernel; return !!k && k.status === 'idle'; }}"
ALL_RUN = f"""() => {{
  const nb = {NOTEBOOK};
  const k = nb.sessionContext.session.kernel;
  const cells = nb.content.widgets.filter(c => c.model.type === 'code');
  return k.status === 'idle' && cells.every(c => c.model.executionCount !== null);
}}"""
ERRORS = f"""() => {NOTEBOOK}.content.widgets
  .filter(c => c.model.type === 'code')
  .flatMap((c, i) => c.model.outputs.toJSON().filter(o => o.output_type === 'error').map(o => i + ': ' + o.ename + ': ' + o.evalue))"""
PLOTS = f"""() => Array.from({NOTEBOOK}.node.querySelectorAll('.js-plotly-plot'))
  .map(p => JSON.stringify((p.data || []).map(t => [t.name, t.x, t.y])))"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab_root(tmp_path_factory) -> Path:
    """The server's folder: notebooks/ (a copy of the committed notebooks, and any a test writes), settings/."""
    return tmp_path_factory.mktemp("lab")


@pytest.fixture(scope="module")
def lab_environment() -> dict[str, str]:
    """Variables added to the server's (and so its kernels') environment; a test module overrides this
    fixture to give its notebooks, say, a KIT_CACHE of their own."""
    return {}


@pytest.fixture(scope="module")
def lab(lab_root, lab_environment):
    root = lab_root
    shutil.copytree(ROOT / "notebooks", root / "notebooks")  # Run All must not rewrite the committed notebooks
    settings = root / "settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    (settings / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
    news = root / "settings" / "@jupyterlab" / "apputils-extension"
    news.mkdir(parents=True)
    (news / "notification.jupyterlab-settings").write_text(json.dumps({"fetchNews": "false"}))  # no toast over the charts
    token, port = secrets.token_hex(16), free_port()
    command = [
        sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
        f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root / 'notebooks'}",
        f"--LabApp.user_settings_dir={root / 'settings'}", "--LabApp.expose_app_in_browser=True",
    ] + (["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else [])
    log = open(root / "lab.log", "w")
    # the kernel imports this checkout's kit (PYTHONPATH comes before an editable install of another one)
    environment = {**os.environ, "KIT_REPORTS": str(root / "reports"), "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])), **lab_environment}
    server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=environment)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 90
    while True:
        try:
            with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2) as answer:
                if answer.status == 200:
                    break
        except OSError:
            if time.time() > deadline or server.poll() is not None:
                server.kill()
                raise RuntimeError("JupyterLab did not start:\n" + (root / "lab.log").read_text())
            time.sleep(0.5)
    yield base, token
    server.terminate()
    try:
        server.wait(20)
    except subprocess.TimeoutExpired:
        server.kill()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1500, "height": 1100})
    opened = context.new_page()
    yield opened
    context.close()


def run_all(page, lab, name: str) -> None:
    base, token = lab
    workspace = secrets.token_hex(4)  # a fresh workspace: no other notebook restored in a hidden tab
    page.goto(f"{base}/lab/workspaces/{workspace}/tree/{name}?token={token}")
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)
    page.wait_for_function(KERNEL_IDLE, timeout=120_000)
    page.evaluate("window.jupyterapp.commands.execute('notebook:clear-all-cell-outputs')")
    page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
    page.wait_for_function(ALL_RUN, timeout=300_000, polling=500)
    page.wait_for_timeout(1500)  # let plotly finish drawing the last figures


def plots(page) -> list[str]:
    return page.evaluate(PLOTS)


def notebook(page):
    """A locator scoped to the notebook in front (its Lumino node id)."""
    return page.locator("#" + page.evaluate(f"{NOTEBOOK}.node.id"))


def shoot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def shoot_plot(page, index: int, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    chart = notebook(page).locator(".js-plotly-plot").nth(index)
    chart.scroll_into_view_if_needed()
    chart.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def wait_for_change(page, before: list[str]) -> list[str]:
    for _ in range(60):
        after = plots(page)
        if after != before:
            return after
        page.wait_for_timeout(250)
    return plots(page)


