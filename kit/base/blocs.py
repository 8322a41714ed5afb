"""The blocs actors belong to, in display order, with their colours: read once from kit/data/blocs.csv and
validated (a colour is `#RRGGBB`; a bloc is named once). The catalogue checks its `bloc` column against
BLOCS; kit.viz.theme takes the order and the colours from here. Imports kit.base.lexicons only.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from kit.base.lexicons import Column, LexiconError, data_path, read_table

__all__ = ["Bloc", "BLOCS", "blocs"]

_HEX = re.compile(r"#[0-9A-Fa-f]{6}")


class Bloc(NamedTuple):
    bloc: str
    color: str
    light: str  # the lighter tint for an "anti" share; the colour itself when the file leaves it empty


def _check(row: dict) -> str | None:
    bad = [f"{column} {row[column]!r}" for column in ("color", "light") if row[column] and not _HEX.fullmatch(row[column])]
    return f"not a #RRGGBB colour: {', '.join(bad)}" if bad else None


def blocs(path=None) -> tuple[Bloc, ...]:
    """The rows of blocs.csv (or of `path`), in file order; the bundled file is read once."""
    return _read(path or data_path("blocs.csv"))


@lru_cache(maxsize=4)
def _read(path) -> tuple[Bloc, ...]:
    table = read_table(path, [Column("bloc", required=True), Column("color", required=True), Column("light")], row_check=_check)
    repeated = table["bloc"][table["bloc"].duplicated()]
    if len(repeated):
        raise LexiconError(f"{path}, line {int(table['line'][repeated.index[0]])}: bloc {repeated.iloc[0]!r} is listed twice")
    return tuple(Bloc(r.bloc, r.color, r.light or r.color) for r in table.itertuples())


BLOCS: tuple[str, ...] = tuple(b.bloc for b in blocs())
