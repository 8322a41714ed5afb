"""Worker processes for per-article work: chunks of articles go to a pool, results come back in order.

Annotation is per article and pure, so a corpus is cut into chunks that worker processes annotate while
the parent shows one progress bar (tqdm) and collects the results in chunk order — the tables are the same
whatever the number of workers. Workers start from a `forkserver` that has already imported the kit (no
`fork` of a process that may hold threads, e.g. a Jupyter kernel), and each loads the data files once.
Results travel as Arrow IPC streams, the columnar format the tables are stored in anyway.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Callable, Iterable, Iterator, Sequence, TypeVar

import pyarrow as pa

__all__ = ["auto_workers", "map_chunks", "progress_bar", "to_ipc", "from_ipc", "PROGRESS_MIN_ITEMS"]

T = TypeVar("T")
R = TypeVar("R")
PROGRESS_MIN_ITEMS = 200  # below this many articles a progress bar is noise
PARALLEL_MIN_ITEMS = 2000  # below this, starting processes costs more than it saves


def auto_workers(workers: int | None, items: int) -> int:
    """The number of processes to use: `workers` if given, else every core for a large corpus and one for a small one."""
    if workers is not None:
        if workers < 1:
            raise ValueError(f"workers must be at least 1, not {workers}")
        return workers
    return max(1, os.cpu_count() or 1) if items >= PARALLEL_MIN_ITEMS else 1


def progress_bar(total: int, label: str, progress: bool | None, unit: str = "article"):
    """A tqdm bar (notebook widget in Jupyter, text in a terminal), or None when progress is off or the job is small."""
    if progress is False or (progress is None and total < PROGRESS_MIN_ITEMS):
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=label, unit=unit)


def _context():
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["kit.annotation"])
        return context
    return multiprocessing.get_context("spawn")


def map_chunks(
    function: Callable[[T], R], chunks: Iterable[T], sizes: Sequence[int], *, workers: int = 1, progress=None
) -> Iterator[R]:
    """function(chunk) for every chunk, in order, in `workers` processes (in this one when workers == 1).

    sizes: the number of articles in each chunk, for the progress bar `progress` (see `progress_bar`).
    At most two chunks per worker are in flight, so the parent never holds the whole corpus twice.
    """
    try:
        if workers == 1:
            for chunk, size in zip(chunks, sizes):
                yield function(chunk)
                if progress is not None:
                    progress.update(size)
            return
        with ProcessPoolExecutor(max_workers=workers, mp_context=_context(), initializer=_start_worker) as pool:
            pending: list[tuple[Future, int]] = []
            for chunk, size in zip(chunks, sizes):
                pending.append((pool.submit(function, chunk), size))
                while len(pending) > 2 * workers:
                    yield _collect(pending.pop(0), progress)
            while pending:
                yield _collect(pending.pop(0), progress)
    finally:
        if progress is not None:
            progress.close()


def _start_worker() -> None:
    # A worker allocates many short-lived tuples and no long-lived cycles: leave the imported modules out
    # of garbage collection and collect the young generation less often (about 10% faster annotation).
    gc.freeze()
    gc.set_threshold(100_000, 50, 100)


def _collect(item: tuple[Future, int], progress) -> object:
    future, size = item
    result = future.result()
    if progress is not None:
        progress.update(size)
    return result


def to_ipc(table: pa.Table) -> bytes:
    """An Arrow table as an IPC stream (how workers return tables)."""
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


def from_ipc(data: bytes) -> pa.Table:
    """The Arrow table of an IPC stream written by `to_ipc`."""
    return pa.ipc.open_stream(pa.py_buffer(data)).read_all()
