"""The latency test at 10,000 articles: the four notebooks opened on a synthetic corpus of 10,000 articles
in the real browser, every control moved as on the seeds, and the settling times printed as a table.

The corpus is built once per session by the benchmark's builder (`benchmarks/bench_annotate.py`,
`build_corpus`, fixed seed: seed sentences arranged like seed pages) into a temporary folder and annotated
once with `kit.load(folder, workers=2)` into a cache in the test's temporary folder, whose path the
JupyterLab server (and so its kernels) gets as KIT_CACHE: the notebooks open it from the warm cache, as a
researcher reopening an annotated corpus would. Each notebook is copied into the lab's folder with its
`CORPUS` parameter set to the corpus folder. Speed is printed, not asserted (shared machines are noisy);
that every control changed what the page shows is asserted.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import nbformat
import pytest

from .conftest import ERRORS, NO_BROWSER, ROOT, notebook, run_all
from .test_control_latency_in_browser import CONTROLS, measure, print_table

pytestmark = NO_BROWSER

ARTICLES, SEED = 10_000, 7  # the benchmark's default seed
# the controls are those of the seeds test (CONTROLS), moved in the same order from the same states
# Controls that cannot change anything at this size, moved and timed all the same: every actor of the
# synthetic corpus has hundreds of mentions in any source and segment, and the slider stops at 20.
CANNOT_MATTER = {("02_actors.ipynb", "Min mentions")}
PATIENCE = 120  # seconds a control may take to settle before it counts as having changed nothing


def _builder():
    spec = importlib.util.spec_from_file_location("bench_annotate", ROOT / "benchmarks" / "bench_annotate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.build_corpus


@pytest.fixture(scope="session")
def corpus_10k(tmp_path_factory) -> tuple[Path, Path]:
    """(the corpus folder, its warm cache): built and annotated once per session."""
    import kit

    root = tmp_path_factory.mktemp("corpus_10k")
    folder, cache = root / "articles", root / "cache"
    _builder()(folder, ARTICLES, SEED)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KIT_CACHE", str(cache))
        annotated = kit.load(folder, workers=2, progress=False)
    assert len(annotated.articles) == ARTICLES
    return folder, cache


@pytest.fixture(scope="module")
def lab_environment(corpus_10k) -> dict[str, str]:
    return {"KIT_CACHE": str(corpus_10k[1])}


def _copy_with_corpus(name: str, into: Path, corpus: Path) -> str:
    """Write notebooks/NAME into the lab's folder as 10k_NAME with its parameters cell's CORPUS set to `corpus`."""
    book = nbformat.read(ROOT / "notebooks" / name, as_version=4)
    cell = next(c for c in book.cells if "parameters" in c.metadata.get("tags", []))
    lines = cell.source.splitlines()
    assert any(line.startswith("CORPUS = ") for line in lines), "the parameters cell no longer sets CORPUS"
    cell.source = "\n".join(f"CORPUS = {str(corpus)!r}" if line.startswith("CORPUS = ") else line for line in lines)
    nbformat.write(book, into / f"10k_{name}")
    return f"10k_{name}"


@pytest.mark.parametrize("name", list(CONTROLS))
def test_at_10000_articles_every_control_changes_something_and_its_settling_time_is_printed(page, lab, lab_root, corpus_10k, name, capsys):
    copy = _copy_with_corpus(name, lab_root / "notebooks", corpus_10k[0])
    run_all(page, lab, copy)
    assert page.evaluate(ERRORS) == []
    summary = notebook(page).locator(".widget-html-content:has-text('articles from')").first.inner_text()
    assert f"{ARTICLES:,} articles from {corpus_10k[0]}" in summary, summary  # the notebook opened the large corpus
    timings = measure(page, CONTROLS[name], PATIENCE)
    with capsys.disabled():  # the table is the point of the test: shown in every run, not only on failure
        print_table(name, timings, f"{ARTICLES:,} articles")
    dead = [label for label, ms, changed in timings if (ms is None or not changed) and (name, label) not in CANNOT_MATTER]
    assert not dead, f"controls that changed nothing on the page: {dead}"
