"""Every control of every dashboard, moved in the real browser: something visibly changes, and how long the
page takes to settle — from the change to the last chart redrawn (plotly's `plotly_afterplot`) or table
rewritten — is printed as a table (speed is reported, not asserted: these machines are noisy).
"""

from __future__ import annotations

import pytest

from .conftest import KERNEL_IDLE, NO_BROWSER, NOTEBOOK, notebook, run_all

pytestmark = NO_BROWSER

# After a change: the last time a plotly chart finished drawing or a widget's HTML changed (performance.now()).
WATCH = """() => {
  window.__kitLast = window.__kitLast || 0;
  const mark = () => { window.__kitLast = performance.now(); };
  document.querySelectorAll('.js-plotly-plot').forEach(gd => {
    if (!gd.__kitWatched && gd.on) { gd.on('plotly_afterplot', mark); gd.__kitWatched = true; }
  });
  if (!window.__kitObserver) {
    window.__kitObserver = new MutationObserver(mark);
    document.querySelectorAll('.jp-Notebook').forEach(n => window.__kitObserver.observe(n, {subtree: true, childList: true, characterData: true}));
  }
}"""
# What the page shows: every plotly chart's traces and title and notes, and the text of every HTML widget
# (tables, summaries, messages); a control that changed something changes this.
SHOWN = f"""() => {{
  const nb = {NOTEBOOK}.node;
  const charts = Array.from(nb.querySelectorAll('.js-plotly-plot')).map(gd => JSON.stringify([gd.data || [],
    gd.layout ? [gd.layout.title, gd.layout.annotations] : null]));
  const texts = Array.from(nb.querySelectorAll('.widget-html-content')).map(h => h.innerHTML);
  return JSON.stringify([charts, texts]);
}}"""
SETTLED_MS = 600  # no redraw for this long: the change has settled

# notebook → (control label, kind, value, which of the controls of that label: 0 the first, -1 the last), each
# moved from a state where it matters (the figures' Segments before Kinds narrows them to trade, which has
# no figure outside the body)
CONTROLS = {
    "01_corpus.ipynb": [("Search", "text", "روسيا", 0), ("Segments", "dropdown", 1, 0), ("Source", "dropdown", 1, 0), ("Segments", "dropdown", 0, -1)],
    "02_actors.ipynb": [("Segments", "dropdown", 2, 0), ("Source", "dropdown", 1, 0), ("Min mentions", "slider", "3", 0), ("Links", "slider", "10", 0)],
    "03_stance.ipynb": [("Group by", "dropdown", 2, 0), ("Min. n", "text", "10", 0), ("Threshold", "slider", "1.2", 0), ("partnership", "slider", "0", 0),
                        ("Segments", "dropdown", 1, 0)],
    "04_trade_figures.ipynb": [("Segments", "dropdown", 2, 0), ("Kinds", "multiple", "trade", 0), ("Tolerance", "slider", "0.3", 0)],
}


def _move(page, label: str, kind: str, value, which: int) -> None:
    scope = notebook(page)
    pick = (lambda found: found.first) if which == 0 else (lambda found: found.last)
    if kind == "dropdown":
        select = pick(scope.locator(f".widget-dropdown:has(label:text-is('{label}')) select"))
        select.scroll_into_view_if_needed()
        select.select_option(index=value)
    elif kind == "multiple":
        select = pick(scope.locator(f".widget-select-multiple:has(label:text-is('{label}')) select"))
        select.scroll_into_view_if_needed()
        select.select_option(label=[value])
    elif kind == "slider":
        readout = pick(scope.locator(f".widget-slider:has(label:text-is('{label}')) .widget-readout"))
        readout.scroll_into_view_if_needed()
        readout.click()
        page.keyboard.press("Control+A")
        page.keyboard.type(value)
        page.keyboard.press("Enter")
    else:  # a text box
        box = pick(scope.locator(f".widget-text:has(label:text-is('{label}')) input"))
        box.scroll_into_view_if_needed()
        box.fill(value)
        box.press("Enter")


def _settle(page, started: float, patience: float = 10) -> float | None:
    """Milliseconds from `started` to the last redraw once nothing has been redrawn for SETTLED_MS and the
    kernel is idle (a large corpus can keep it busy for longer than that pause) (None: nothing was redrawn
    within `patience` seconds)."""
    for _ in range(int(patience * 10)):
        page.wait_for_timeout(100)
        now, last, idle = page.evaluate(f"[performance.now(), window.__kitLast, ({KERNEL_IDLE})()]")
        if last > started and now - last > SETTLED_MS and idle:
            return last - started
    return None


def measure(page, controls, patience: float = 10) -> list[tuple[str, float | None, bool]]:
    """Move each control (label, kind, value, which) in turn, once the page has settled from the last one;
    return (label, milliseconds to settle or None: nothing was redrawn within `patience` seconds, whether
    what the page shows changed)."""
    page.evaluate(WATCH)
    timings = []
    for label, kind, value, which in controls:
        page.wait_for_timeout(SETTLED_MS)
        page.evaluate(WATCH)  # charts drawn since (a new widget view) are watched too
        before = page.evaluate(SHOWN)
        started = page.evaluate("performance.now()")
        _move(page, label, kind, value, which)
        settled = _settle(page, started, patience)
        timings.append((label, settled, page.evaluate(SHOWN) != before))
    return timings


def print_table(name: str, timings, corpus: str) -> None:
    print(f"\n{name}: from a control's change to the page settled ({corpus}, real browser)")
    for label, ms, changed in timings:
        print(f"  {label:<16} {'no redraw' if ms is None else f'{ms:6.0f} ms'}{'' if changed else '   (nothing shown changed)'}")


@pytest.mark.parametrize("name", list(CONTROLS))
def test_every_control_changes_something_and_its_settling_time_is_printed(page, lab, name, capsys):
    run_all(page, lab, name)
    timings = measure(page, CONTROLS[name])
    with capsys.disabled():  # the table is the point of the test: shown in every run, not only on failure
        print_table(name, timings, "seeds")
    assert all(ms is not None and changed for _, ms, changed in timings), f"controls that changed nothing on the page: {[l for l, ms, changed in timings if ms is None or not changed]}"
