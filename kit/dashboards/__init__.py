"""The interactive layer — ipywidgets controls wired to plotly FigureWidgets that update in place, with an Export button: one module per dashboard (corpus, search, actors, stance, figures) on a shared base, the labelling dashboard (labels) and the corpus picker (picker). The only layer that imports ipywidgets.

A dashboard holds the state — the annotated corpus, the filters, the rows behind each chart — and
composes the pure chart builders of `kit.viz.charts` and the reader of `kit.viz.reader`. Changing a control
recomputes the rows and updates the existing traces of each FigureWidget (no output is re-rendered).
The Export button writes the chosen chart with its rows through `kit.io.export.export_chart`. In a notebook a
dashboard displays as its widgets, with a plain-text summary of what the charts show (trace names, bar
counts, totals), which is what nbval compares.

Dashboards stay responsive on large corpora (100,000 articles, millions of sentences and mentions): at
construction each table row gets integer codes — its article, sentence, segment, source, actor — so a
control change filters with boolean arrays and aggregates with `np.bincount`, never grouping strings
again; stance is re-scored with a precomputed `kit.extract.stance_scores.Scorer`. Charts grouped by article, source or
holder draw the largest groups only (and say so), pickers list a bounded number of articles (any other
can be opened by its id), and the rows behind a chart are assembled only when they are exported.
The first dashboard made in a process freezes the objects alive at that moment out of the garbage
collector's sight (see `kit.dashboards.base.freeze_imported`), so a full collection does not pause a widget update for ~200 ms;
importing the kit or this module changes nothing.
"""

from kit import submodules

__getattr__ = submodules(__name__)
