"""Optional morphology: camel-tools' analyser for clitic splitting and lemmas, used when its database is installed.

camel-tools' morphological analyser needs a database (calima-msa) that `camel_data -i morphology-db-msa-r13`
downloads; the kit never downloads anything and works without it (rules in `kit.extract.actors` split clitics
then). `find_database()` looks where camel-tools itself looks (`$CAMELTOOLS_DATA` or `~/.camel_tools`)
without importing `camel_tools.data`, which tries to fetch its catalogue from the internet on import.
`Morphology.installed()` returns a wrapper around camel-tools' real `MorphologyDB` / `Analyzer`, or None;
`Morphology.splits(word)` lists the ways the analyser separates proclitics from the stem, each with its
lemma (وبموسكو → و+ب + موسكو; الأوزبك → lemma أوزبكي, so a broken plural still names Uzbekistan).
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from camel_tools.utils.dediac import dediac_ar

from kit.arabic.text import normalize

__all__ = ["Morphology", "Split", "camel_data_dir", "find_database"]


class Split(NamedTuple):
    """One analysis of a word: the first `prefix_length` characters (matching form) are proclitics."""

    prefix_length: int
    stem: str
    lemma: str
    pos: str


def camel_data_dir() -> Path:
    """Where camel-tools keeps its data: $CAMELTOOLS_DATA, else ~/.camel_tools."""
    configured = os.environ.get("CAMELTOOLS_DATA")
    return Path(configured).expanduser().absolute() if configured else Path.home() / ".camel_tools"


def find_database(name: str | None = None) -> Path | None:
    """Path of an installed camel-tools morphology database (the catalogue default, or `name`), else None."""
    catalogue_path = camel_data_dir() / "catalogue.json"
    try:
        catalogue = json.loads(catalogue_path.read_text(encoding="utf-8"))
        component = catalogue["components"]["MorphologyDB"]
        dataset = component["datasets"][name or component["default"]]
    except (OSError, ValueError, KeyError):
        return None
    path = camel_data_dir() / "data" / dataset["path"] / "morphology.db"
    return path if path.is_file() else None


class Morphology:
    """camel-tools' Analyzer over a morphology database, reduced to what actor matching needs."""

    def __init__(self, database: str | Path):
        # Safe only once a catalogue exists (find_database checked): these modules import camel_tools.data.
        from camel_tools.morphology.analyzer import Analyzer
        from camel_tools.morphology.database import MorphologyDB

        self.database = Path(database)
        self.analyzer = Analyzer(MorphologyDB(str(self.database), "a"), cache_size=100_000)

    @staticmethod
    @lru_cache(maxsize=4)
    def installed(name: str | None = None) -> "Morphology | None":
        """The analyser over the installed database, or None when camel-tools' data is not installed."""
        path = find_database(name)
        return Morphology(path) if path is not None else None

    def splits(self, word: str) -> list[Split]:
        """Distinct (proclitics | stem) splits of `word` the analyser proposes, longest prefix first."""
        plain = normalize(word)
        found: dict[tuple[int, str], Split] = {}
        for analysis in self.analyzer.analyze(word):
            stem = normalize(dediac_ar(analysis.get("stem", "")))
            position = plain.find(stem) if stem else -1
            if position < 0:
                continue
            lemma = normalize(dediac_ar(analysis.get("lex", "")))
            found.setdefault((position, lemma), Split(position, stem, lemma, analysis.get("pos", "")))
        return sorted(found.values(), key=lambda split: -split.prefix_length)
