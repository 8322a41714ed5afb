"""One theme for every chart and the reader: the font stack that shapes Arabic, the blocs' order and
colours (from kit/data/blocs.csv through kit.base.blocs), the colours of the stance sides and of the
segments. Change a colour here or in blocs.csv, never in a chart. Imports kit.base only.
"""

from __future__ import annotations

from kit.base.blocs import BLOCS, blocs

__all__ = ["FONT", "BLOC_ORDER", "BLOC_COLORS", "SIDE_COLORS", "SEGMENT_COLORS", "MISSING_COLOR"]

FONT = "Noto Naskh Arabic, Noto Sans Arabic, DejaVu Sans, Arial, sans-serif"
BLOC_ORDER: tuple[str, ...] = BLOCS
BLOC_COLORS: dict[str, str] = {b.bloc: b.color for b in blocs()}
_LIGHT = {b.bloc: b.light for b in blocs()}
# a side's "pro" share in its bloc's colour, its "anti" share in the lighter tint
SIDE_COLORS: dict[str, str] = {f"{stance}_{side}": (BLOC_COLORS if stance == "pro" else _LIGHT)[side] for side in ("russia", "west") for stance in ("pro", "anti")}
SEGMENT_COLORS = {"body": "#2e6db4", "related": "#d4a017", "tags": "#8e44ad", "boilerplate": "#b0b0b0"}
MISSING_COLOR = "#8c8c8c"  # an actor whose bloc is not in blocs.csv
