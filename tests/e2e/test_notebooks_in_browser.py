"""The notebooks in a real browser: JupyterLab + Debian Chromium driven by Playwright.

Each notebook is opened in JupyterLab (on a free localhost port, with a random token, every cell kept in
the DOM by windowingMode "none"), run from scratch with Run All, and checked: no cell ends in an error, the
plotly charts are drawn, and in the stance and figures notebooks moving a control changes the data of a
chart. Screenshots go to tests/e2e/artifacts/.
"""

from __future__ import annotations

import pytest

from .conftest import (
    ARTIFACTS,
    ERRORS,
    NO_BROWSER,
    notebook,
    plots,
    run_all,
    shoot,
    shoot_plot,
    wait_for_change,
)

NOTEBOOKS = ["01_corpus.ipynb", "02_actors.ipynb", "03_stance.ipynb", "04_trade_figures.ipynb"]

pytestmark = NO_BROWSER


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_run_all_has_no_errors_and_draws_the_charts(page, lab, name):
    run_all(page, lab, name)
    assert page.evaluate(ERRORS) == []
    drawn = notebook(page).locator(".js-plotly-plot .main-svg")
    assert drawn.count() >= 4, f"only {drawn.count()} plotly charts drawn"
    shoot(page, name.replace(".ipynb", ""))
    shoot_plot(page, 0, name.replace(".ipynb", "") + "-first-chart")


def test_moving_a_stance_weight_rescores_the_chart(page, lab):
    run_all(page, lab, "03_stance.ipynb")
    before = plots(page)
    readout = notebook(page).locator(".widget-slider:has(label:text-is('partnership')) .widget-readout")
    readout.scroll_into_view_if_needed()
    readout.click()
    page.keyboard.press("Control+A")
    page.keyboard.type("0")
    page.keyboard.press("Enter")
    after = wait_for_change(page, before)
    assert after != before, "the stance chart did not change after moving the partnership weight"
    grouping = notebook(page).locator(".widget-dropdown:has(label:text-is('Group by')) select")
    grouping.select_option(label="Source")
    regrouped = wait_for_change(page, after)
    assert regrouped != after
    shoot(page, "03_stance-after-moving-weights")


def test_filtering_figures_and_switching_to_arabic_labels(page, lab):
    run_all(page, lab, "04_trade_figures.ipynb")
    before = plots(page)
    kinds = notebook(page).locator(".widget-select-multiple:has(label:text-is('Kinds')) select")
    kinds.scroll_into_view_if_needed()
    kinds.select_option(label=["aid"])  # with the notebook's years (2022) the trade bars must go
    after = wait_for_change(page, before)
    assert after != before, "the figures chart did not change after filtering the kinds"
    notebook(page).locator(".widget-toggle-buttons button:text-is('العربية')").last.click()
    arabic = wait_for_change(page, after)
    assert any("\u2067" in plot for plot in arabic), "no Arabic (bidi-isolated) labels after switching"
    shoot(page, "04_trade_figures-arabic-labels")


def test_arabic_actor_labels_render_in_the_browser(page, lab):
    run_all(page, lab, "02_actors.ipynb")
    before = plots(page)
    notebook(page).locator(".widget-toggle-buttons button:text-is('العربية')").last.click()
    after = wait_for_change(page, before)
    assert any("روسيا" in plot for plot in after)
    widget_plots = notebook(page).locator(".widget-vbox .js-plotly-plot")
    widget_plots.first.scroll_into_view_if_needed()
    page.wait_for_timeout(1000)
    widget_plots.first.screenshot(path=str(ARTIFACTS / "02_actors-arabic-labels.png"))
