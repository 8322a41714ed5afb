"""Shared fixtures: the bundled seed corpus, loaded and annotated once per test session."""

from pathlib import Path

import pandas as pd
import pytest

import kit

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
GOLD = Path(__file__).resolve().parent / "gold"
SEED_IDS = sorted(p.stem for p in SEEDS.glob("*.txt"))


@pytest.fixture(scope="session")
def seed_texts() -> dict[str, str]:
    """article_id -> text exactly as the loader stores it."""
    corpus = kit.load_corpus()
    return dict(zip(corpus.articles["article_id"], corpus.articles["text"]))


@pytest.fixture(scope="session")
def annotated() -> kit.Annotated:
    return kit.load()


def read_gold(name: str) -> pd.DataFrame:
    return pd.read_csv(GOLD / name, dtype=str, keep_default_na=False)


# Evaluation figures tests measure (precision/recall, F1) are printed at the end of the run.
MEASURED: list[str] = []


def report(line: str) -> None:
    MEASURED.append(line)


def pytest_terminal_summary(terminalreporter):
    if MEASURED:
        terminalreporter.section("measured against the hand-labelled gold files")
        for line in MEASURED:
            terminalreporter.write_line(line)
