"""Charts: pure functions from the kit's tidy rows to plotly figures, in English or in Arabic.

Every builder takes the rows behind the chart — mentions, stance rows, figures, one per observation with
article ids and offsets — aggregates them itself (the plotly.express way) and returns a `go.Figure`, so
the same rows can be exported next to the picture and every bar traced to its sentences. `labels="en"`
gives English names for English reports; `labels="ar"` gives Arabic names wrapped in Unicode bidi
isolates (U+2067 … U+2069) and set in Noto Naskh Arabic, so they render right-to-left and shaped. Article
text is HTML-escaped before it enters a label or hover text. Traces keep a fixed structure (one per bloc,
one per side) so dashboards can update them in place.

Charts stay readable on large corpora: a chart grouped by article, source or holder draws only the `top`
largest groups and its title says so («the 30 largest of 100,000 groups»). Each builder that aggregates
is also split in two — the aggregation (`stance_shares`, `segment_characters`, `actor_mentions` ...) and
the drawing from the aggregated table (`stance_share_bars`, `segment_bars`, `actor_count_bars` ...) — so
a dashboard that aggregates faster itself (from precomputed integer codes) draws the same chart.

This module only gathers the builders (`kit.charts` is this module): one module per family —
corpus_charts, actor_charts, stance_charts, figure_charts — on what they share (kit.viz.common) and one
theme (kit.viz.theme). Imports those modules only.
"""

from kit.viz.actor_charts import (
    LABEL_PX,
    NETWORK_PX,
    actor_bars,
    actor_count_bars,
    actor_heatmap,
    actor_matrix_heatmap,
    actor_mentions,
    cooccurrence_network,
    cooccurrence_pairs,
    network_chart,
)
from kit.viz.common import (
    TITLE_CHARS,
    actor_labels,
    actor_name,
    article_names,
    bidi,
    countries_label,
    group_label,
    is_empty,
    known_names,
    largest_groups,
    month_name,
    month_ticks,
    plain,
    safe,
    setup_notebook,
    word,
)
from kit.viz.corpus_charts import (
    search_bars,
    segment_bars,
    segment_characters,
    segments_chart,
    timeline,
)
from kit.viz.figure_charts import conflict_labels, conflicts_chart, figure_groups, figures_chart, quantity_labels
from kit.viz.stance_charts import (
    share_table,
    stance_bars,
    stance_month_lines,
    stance_months,
    stance_share_bars,
    stance_shares,
    stance_timeline,
)
from kit.viz.theme import BLOC_COLORS, BLOC_ORDER, FONT, SEGMENT_COLORS, SIDE_COLORS

__all__ = [
    "actor_bars",
    "actor_count_bars",
    "actor_heatmap",
    "actor_matrix_heatmap",
    "actor_mentions",
    "actor_name",
    "article_names",
    "actor_labels",
    "bidi",
    "group_label",
    "largest_groups",
    "is_empty",
    "safe",
    "word",
    "BLOC_COLORS",
    "BLOC_ORDER",
    "FONT",
    "LABEL_PX",
    "NETWORK_PX",
    "SEGMENT_COLORS",
    "SIDE_COLORS",
    "TITLE_CHARS",
    "conflict_labels",
    "conflicts_chart",
    "countries_label",
    "cooccurrence_network",
    "cooccurrence_pairs",
    "figure_groups",
    "figures_chart",
    "known_names",
    "month_name",
    "month_ticks",
    "plain",
    "quantity_labels",
    "network_chart",
    "segment_bars",
    "segment_characters",
    "search_bars",
    "segments_chart",
    "setup_notebook",
    "share_table",
    "stance_bars",
    "stance_month_lines",
    "stance_months",
    "stance_share_bars",
    "stance_shares",
    "stance_timeline",
    "timeline",
]
