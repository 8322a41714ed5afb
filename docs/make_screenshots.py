"""Screenshots of every dashboard's charts on the bundled seeds, with Arabic and with English labels.

Builds each dashboard as the notebooks do (`kit.load()` of the seeds), switches its Labels control to
Arabic and to English, and writes every chart with kaleido (plotly `write_image`, Chromium through
`BROWSER_PATH` or the PATH) into docs/screenshots/ as DASHBOARD-CHART-LANG.png, about 900 px wide.

    .venv/bin/python docs/make_screenshots.py            # every dashboard
    .venv/bin/python docs/make_screenshots.py stance     # only some
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio

import kit
from kit.io.export import find_browser

OUT = Path(__file__).resolve().parent / "screenshots"
WIDTH = 900
DASHBOARDS = {
    "corpus": lambda corpus: kit.CorpusDashboard(corpus),
    "search": lambda corpus: kit.SearchDashboard(corpus, query="العقوبات"),
    "actors": lambda corpus: kit.ActorsDashboard(corpus),
    "stance": lambda corpus: kit.StanceDashboard(corpus),
    "figures": lambda corpus: kit.FiguresDashboard(corpus),
}
# the stance chart is drawn once per grouping
GROUPINGS = ("article_id", "source", "holder_id", "month")


def _charts(name: str, board) -> list[tuple[str, go.Figure]]:
    if name != "stance":
        return [(chart, go.Figure(widget)) for chart, widget in board.charts.items()]
    drawn = []
    for by in GROUPINGS:
        board.by.value = by
        drawn.append((f"by_{by.removesuffix('_id')}", go.Figure(board.charts["by_group"])))
    drawn.append(("timeline", go.Figure(board.charts["timeline"])))
    board.by.value = GROUPINGS[0]
    return drawn


def main(names: list[str]) -> list[Path]:
    browser = find_browser()
    if browser is None:
        raise SystemExit("no Chromium found: install chromium or set BROWSER_PATH")
    os.environ.setdefault("BROWSER_PATH", browser)
    OUT.mkdir(parents=True, exist_ok=True)
    corpus = kit.load()
    figures, paths = [], []
    for name in names or list(DASHBOARDS):
        board = DASHBOARDS[name](corpus)
        for labels in ("ar", "en"):
            board.labels.value = labels
            for chart, figure in _charts(name, board):
                figures.append(figure)
                paths.append(OUT / f"{name}-{chart}-{labels}.png")
    heights = [int(min(figure.layout.height or 500, 900)) for figure in figures]
    pio.write_images(figures, paths, format="png", scale=1, width=[WIDTH] * len(figures), height=heights)  # one browser for them all
    for path in paths:
        print(path.relative_to(OUT.parent.parent), f"{path.stat().st_size // 1024} KB")
    return paths


if __name__ == "__main__":
    main(sys.argv[1:])
