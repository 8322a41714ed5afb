"""Benchmark: annotate a synthetic corpus of N articles made of the seed articles' sentences, and print figures.

    python benchmarks/bench_annotate.py --articles 100000 --workers 2      # what `make bench` runs

Each synthetic article is built like a seed page (fixed random seed): a title, a publication-date line,
body paragraphs of seed body sentences (as many as a seed article has), a source line and, for half of
them, a tags line and a "read also" block of related stories. The articles are written as a folder of
.txt files — the form researchers have — and the benchmark measures, in one run on the same text:

* camel-tools' `simple_word_tokenize` alone over every article, in one process (the baseline);
* `kit.load(folder, workers=W)` with an empty cache: reading, decoding, metadata, annotation, cache write;
* peak memory of the process and its workers (sum of their proportional set sizes, PSS, sampled every
  0.5 s; the summed RSS, which counts the pages the workers share once per process, is printed beside it);
* reopening the annotated corpus from the cache in a new Python process (`kit.load(folder)` again), until
  it returns and until every table has been read (tables are read on first use);
* one widget update on the large corpus: a StanceDashboard weight slider moved (re-score + redraw);
  and every control of every dashboard changed a few times (the median and the slowest update of each,
  and how much of the slowest was a full garbage collection of the whole process);
* how much of the machine's CPU time the hypervisor took for other guests ("steal", from /proc/stat)
  while the corpus was annotated and while the dashboards were timed: on a shared virtual machine the
  same run is slower when it is high.

Nothing here is asserted: the machines are noisy; the printed figures go into the README.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil
from camel_tools.tokenizers.word import simple_word_tokenize

import kit

TARGETS = {"minutes": 5.0, "memory_gb": 4.0, "reopen_s": 3.0, "widget_ms": 200.0, "ratio": 3.0}
ARABIC_MONTHS = ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"]


class SeedParts:
    """The pieces synthetic articles are made of, taken from the annotated seed articles."""

    def __init__(self) -> None:
        seeds = kit.load(cache=False)
        sentences = seeds.sentences
        self.body = sentences[(sentences["segment"] == "body") & (sentences["reason"] != "title")]["text"].tolist()
        self.titles = sentences[sentences["reason"] == "title"]["text"].tolist()
        self.related = sentences[sentences["segment"] == "related"]["text"].tolist()
        self.tags = sentences[sentences["segment"] == "tags"]["text"].tolist()
        self.sources = [s for s in seeds.articles["source"].dropna().tolist()] or ["وكالة"]
        self.body_counts = sentences[(sentences["segment"] == "body") & (sentences["reason"] != "title")].groupby("article_id").size().tolist()

    def article(self, rng: random.Random) -> str:
        body = rng.sample(self.body, min(len(self.body), rng.choice(self.body_counts)))
        paragraphs, i = [], 0
        while i < len(body):
            k = rng.randint(1, 3)
            paragraphs.append(" ".join(body[i : i + k]))
            i += k
        day = dt.date(2022, 1, 1) + dt.timedelta(days=rng.randrange(3 * 365))
        lines = [rng.choice(self.titles), f"تاريخ النشر: {day.day} {ARABIC_MONTHS[day.month - 1]} {day.year}", *paragraphs, f"المصدر: {rng.choice(self.sources)}"]
        if rng.random() < 0.5:
            lines += [rng.choice(self.tags), "إقرأ أيضاً:", *rng.sample(self.related, rng.randint(3, min(8, len(self.related))))]
        return "\n\n".join(lines) + "\n"


def build_corpus(folder: Path, articles: int, seed: int) -> tuple[int, float]:
    """Write the synthetic articles (100 per subfolder); return their characters and camel-tools' tokenising time."""
    parts, rng = SeedParts(), random.Random(seed)
    characters, tokenizing = 0, 0.0
    for number in range(articles):
        text = parts.article(rng)
        start = time.perf_counter()
        simple_word_tokenize(text)
        tokenizing += time.perf_counter() - start
        characters += len(text)
        sub = folder / f"{number // 100:04d}"
        if number % 100 == 0:
            sub.mkdir(parents=True, exist_ok=True)
        (sub / f"{number:06d}.txt").write_text(text, encoding="utf-8")
    return characters, tokenizing


class PeakMemory:
    """Peak memory of this process and its children, sampled in a thread: the sum of their proportional set
    sizes (PSS: a page shared by the worker processes, such as the modules they were forked with, counts
    once in total) and, for comparison, the sum of their resident sizes (RSS, which counts it in each)."""

    def __init__(self, interval: float = 0.5) -> None:
        self.interval, self.peak, self.peak_rss, self._stop = interval, 0, 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            pss = rss = 0
            for process in [me, *me.children(recursive=True)]:
                try:
                    info = process.memory_full_info()
                    pss, rss = pss + info.pss, rss + info.rss
                except psutil.Error:
                    pass
            self.peak, self.peak_rss = max(self.peak, pss), max(self.peak_rss, rss)
            self._stop.wait(self.interval)

    def __enter__(self) -> "PeakMemory":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def reopen_seconds(folder: Path) -> tuple[float, float, str]:
    """Time `import kit` and kit.load(folder) in a fresh Python process (the cache is shared through KIT_CACHE):
    until it returns (tables are read on first use), and until every table has been read. The import is
    counted because `import kit` loads nothing: the libraries a corpus needs are imported by kit.load."""
    code = (
        "import time, json\n"
        "start = time.perf_counter(); import kit\n"
        f"annotated = kit.load({str(folder)!r}, progress=False)\n"
        "opened = time.perf_counter() - start; annotated.tables; read = time.perf_counter() - start\n"
        "print(json.dumps({'opened': opened, 'read': read, 'repr': repr(annotated)}))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    found = json.loads(result.stdout.strip().splitlines()[-1])
    return found["opened"], found["read"], found["repr"]


class FullCollections:
    """Milliseconds Python's garbage collector spends in full (generation 2) collections. One scans every
    object made since kit was imported (what the imports built is frozen out of it: see
    `kit.dashboards.base.freeze_imported`) and lands on whichever update happens to allocate past the collector's
    threshold."""

    def __init__(self) -> None:
        self.ms, self._start = 0.0, None

    def __call__(self, phase: str, info: dict) -> None:
        if info["generation"] != 2:
            return
        if phase == "start":
            self._start = time.perf_counter()
        elif self._start is not None:
            self.ms += (time.perf_counter() - self._start) * 1000
            self._start = None

    def __enter__(self) -> "FullCollections":
        gc.callbacks.append(self)
        return self

    def __exit__(self, *exc) -> None:
        gc.callbacks.remove(self)


class CpuSteal:
    """The share of the machine's CPU time stolen by the hypervisor while the block runs (Linux /proc/stat;
    None elsewhere)."""

    def __enter__(self) -> "CpuSteal":
        self.share, self._start = None, self._ticks()
        return self

    def __exit__(self, *exc) -> None:
        end = self._ticks()
        if self._start and end and sum(end) > sum(self._start):
            steal = end[7] - self._start[7] if len(end) > 7 else 0
            self.share = steal / (sum(end[:8]) - sum(self._start[:8]))

    @staticmethod
    def _ticks() -> list[int] | None:
        try:
            return [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
        except (OSError, ValueError, IndexError):
            return None

    def __str__(self) -> str:
        return "n/a" if self.share is None else f"{self.share:.0%}"


def slider_update_ms(dashboard: kit.StanceDashboard, values=(0.3, 1.7, 0.0, 1.2, 0.6)) -> float:
    """The median milliseconds of one weight change on a StanceDashboard (re-score + redraw)."""
    slider = dashboard.weights[next(iter(dashboard.weights))]
    timings = []
    for value in values:
        start = time.perf_counter()
        slider.value = value
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def control_changes(dashboard) -> list[tuple[str, object, list]]:
    """(name, control, values) of the controls a researcher changes on each dashboard, a few values each."""
    values_of = lambda options: [o[1] if isinstance(o, tuple) else o for o in options]  # noqa: E731
    changes = [("labels", dashboard.labels, ["ar", "en"])]
    if hasattr(dashboard, "source"):
        sources = [v for v in values_of(dashboard.source.options) if v is not None][:2]
        changes.append(("source", dashboard.source, [*sources, None]))
    if hasattr(dashboard, "segments"):
        segments = values_of(dashboard.segments.options)
        changes.append(("segments", dashboard.segments, [*segments[1:], segments[0]]))
    if isinstance(dashboard, kit.ActorsDashboard):
        changes += [("minimum", dashboard.minimum, [3, 1]), ("types", dashboard.types, [("person",), tuple(dashboard.types.options)])]
    if isinstance(dashboard, kit.StanceDashboard):
        changes += [("threshold", dashboard.threshold, [0.7, 0.5]), ("by", dashboard.by, ["source", "article_id"])]
    if isinstance(dashboard, kit.FiguresDashboard):
        low, high = dashboard.years.value
        changes += [("tolerance", dashboard.tolerance, [0.1, 0.02]), ("years", dashboard.years, [(low + 1, high), (low, high)])]
    return changes


def dashboard_updates_ms(annotated) -> tuple[list[tuple[str, float, float, float, str, float, float]], float]:
    """For each dashboard: seconds to build it; the median and the slowest milliseconds of one control
    change (re-count + redraw) over its controls, with the name of the slowest control and how much of it
    was a full garbage collection; and the slowest change without its full collections. Also the median
    milliseconds of a stance weight change (`slider_update_ms`, before the StanceDashboard's other controls move)."""
    found, slider = [], float("nan")
    for cls in (kit.CorpusDashboard, kit.ActorsDashboard, kit.StanceDashboard, kit.FiguresDashboard):
        start = time.perf_counter()
        dashboard = cls(annotated, outdir=tempfile.mkdtemp())
        built = time.perf_counter() - start
        if isinstance(dashboard, kit.StanceDashboard):
            slider = slider_update_ms(dashboard)
        timings = []
        with FullCollections() as collections:
            for name, control, values in control_changes(dashboard):
                for value in values:
                    start, collected = time.perf_counter(), collections.ms
                    control.value = value
                    timings.append(((time.perf_counter() - start) * 1000, name, collections.ms - collected))
        slowest = max(timings)
        without = max(total - collected for total, _, collected in timings)
        found.append((cls.__name__, built, statistics.median(t for t, _, _ in timings), slowest[0], slowest[1], slowest[2], without))
    return found, slider


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--dir", type=Path, default=None, help="where to write the corpus and the cache (default: a temporary folder, removed)")
    args = parser.parse_args()

    work = args.dir or Path(tempfile.mkdtemp(prefix="kit-bench-"))
    folder, cache = work / "corpus", work / "cache"
    shutil.rmtree(cache, ignore_errors=True)
    os.environ["KIT_CACHE"] = str(cache)
    try:
        print(f"machine: {os.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GB; Python {sys.version.split()[0]}; kit {kit.__version__}")
        print(f"building {args.articles:,} synthetic articles in {folder} (seed {args.seed}) ...", flush=True)
        shutil.rmtree(folder, ignore_errors=True)
        characters, tokenizing = build_corpus(folder, args.articles, args.seed)
        print(f"corpus: {args.articles:,} articles, {characters:,} characters ({characters / args.articles:,.0f} per article)")

        kit.setup_notebook()  # as every notebook does before its corpus is loaded (the renderer, the one-time gc freeze)
        with PeakMemory() as memory, CpuSteal() as stolen:
            start = time.perf_counter()
            annotated = kit.load(folder, workers=args.workers, progress=True)
            annotating = time.perf_counter() - start
        print(annotated)
        reopen, read_all, reopened = reopen_seconds(folder)
        assert reopened == repr(annotated), (reopened, repr(annotated))
        with CpuSteal() as stolen_later:
            dashboards, update = dashboard_updates_ms(annotated)

        rows = [
            ("annotate (kit.load, empty cache)", f"{annotating:,.1f} s = {annotating / 60:.2f} min", f"< {TARGETS['minutes']:g} min", annotating / 60 < TARGETS["minutes"]),
            ("  articles per second", f"{args.articles / annotating:,.0f}", "", None),
            ("  characters per second", f"{characters / annotating:,.0f}", "", None),
            ("  CPU time taken by the hypervisor meanwhile (steal)", str(stolen), "", None),
            ("camel-tools simple_word_tokenize alone (1 process)", f"{tokenizing:,.1f} s, {characters / tokenizing:,.0f} chars/s", "", None),
            (f"annotation time / tokenisation time", f"{annotating / tokenizing:.2f}x", f"<= {TARGETS['ratio']:g}x", annotating / tokenizing <= TARGETS["ratio"]),
            ("peak memory (process + workers, PSS)", f"{memory.peak / 2**30:.2f} GB", f"< {TARGETS['memory_gb']:g} GB", memory.peak / 2**30 < TARGETS["memory_gb"]),
            ("  summed RSS (shared pages counted in each process)", f"{memory.peak_rss / 2**30:.2f} GB", "", None),
            ("reopen from cache (new process: import kit + kit.load returns)", f"{reopen:.2f} s", f"< {TARGETS['reopen_s']:g} s", reopen < TARGETS["reopen_s"]),
            ("  and every table read into memory", f"{read_all:.2f} s", "", None),
            ("one widget update (weight slider: re-score + redraw)", f"{update:.0f} ms", f"< {TARGETS['widget_ms']:g} ms", update < TARGETS["widget_ms"]),
        ]
        for name, built, median, slowest, control, collected, without in dashboards:
            rows.append((f"{name}: every control (median, slowest)", f"{median:.0f} ms, {slowest:.0f} ms ({control})", f"< {TARGETS['widget_ms']:g} ms", slowest < TARGETS["widget_ms"]))
            rows.append(("  of the slowest, a full garbage collection", f"{collected:.0f} ms", "", None))
            rows.append(("  slowest without full garbage collections", f"{without:.0f} ms", "", None))
            rows.append(("  built in", f"{built:.1f} s", "", None))
        rows.append(("CPU steal while the dashboards were timed", str(stolen_later), "", None))
        print(f"\nresults: {args.articles:,} articles, workers={args.workers}")
        width = max(len(r[0]) for r in rows)
        for name, value, target, met in rows:
            verdict = "" if met is None else ("met" if met else "MISSED")
            print(f"  {name:<{width}}  {value:>32}  {target:>10}  {verdict}")
    finally:
        if args.dir is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
