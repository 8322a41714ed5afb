"""Worker processes for per-article work: chunks of articles go to a pool, results come back in order.

Annotation is per article and pure, so a corpus is cut into chunks that worker processes annotate while
the parent shows one progress bar (tqdm) and collects the results in chunk order — the tables are the same
whatever the number of workers. Workers start from a `forkserver` that has already imported the kit (no
`fork` of a process that may hold threads, e.g. a Jupyter kernel), and each loads the data files once.
Results travel as Arrow IPC streams, the columnar format the tables are stored in anyway. A worker imports
the script that started it again (as every start method but `fork` does): a script without an
`if __name__ == "__main__":` block would run whole in every worker, so for such a script the work is done in
one process with a warning; workers that die anyway stop the run with one paragraph saying why.
"""

from __future__ import annotations

import ast
import gc
import multiprocessing
import os
import sys
import threading
import warnings
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Callable, Iterable, Iterator, Sequence, TypeVar

import pyarrow as pa

__all__ = ["auto_workers", "map_chunks", "unguarded_main", "WorkersFailed", "progress_bar", "to_ipc", "from_ipc", "PROGRESS_MIN_ITEMS"]

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
    script = unguarded_main() if workers > 1 else None
    if script is not None:
        warnings.warn(
            f"{script}: the kit is called outside an `if __name__ == \"__main__\":` block, so every worker process would "
            f"run this code again; annotating in this one process instead. To use {workers} processes, put the script's code under "
            f"`if __name__ == \"__main__\":`.",
            RuntimeWarning,
            stacklevel=_caller_level(),
        )
        workers = 1
    try:
        if workers == 1:
            for chunk, size in zip(chunks, sizes):
                yield function(chunk)
                if progress is not None:
                    progress.update(size)
            return
        try:
            with ProcessPoolExecutor(max_workers=workers, mp_context=_context(), initializer=_start_worker) as pool:
                pending: list[tuple[Future, int]] = []
                for chunk, size in zip(chunks, sizes):
                    pending.append((pool.submit(function, chunk), size))
                    while len(pending) > 2 * workers:
                        yield _collect(pending.pop(0), progress)
                while pending:
                    yield _collect(pending.pop(0), progress)
        except BrokenProcessPool:
            raise WorkersFailed(
                f"a worker process stopped abruptly, so the {workers} processes could not finish. Usual causes: the "
                "machine ran out of memory (use fewer workers, e.g. workers=1), the process was killed, or a script "
                "calls kit.annotate / kit.load outside an `if __name__ == \"__main__\":` block, which every worker "
                "runs again (put that code under the block)."
            ) from None
    finally:
        if progress is not None:
            progress.close()


class WorkersFailed(RuntimeError):
    """The worker processes died before finishing; the message says what to do."""


def unguarded_main() -> str | None:
    """Where the script this process runs calls the kit from its top level outside an
    `if __name__ == "__main__":` block ("script.py, line 3": workers would run that code again), else None
    (a notebook, `python -c`, a call under the block)."""
    main = sys.modules.get("__main__")
    path = getattr(main, "__file__", None)
    if not path or multiprocessing.parent_process() is not None:
        return None
    try:
        with open(path, "rb") as handle:
            tree = ast.parse(handle.read())
    except (OSError, SyntaxError, ValueError):
        return None
    guards = [(node.body[0].lineno, node.body[-1].end_lineno) for node in tree.body if isinstance(node, ast.If) and _tests_main(node.test)]
    frame = sys._getframe(1)
    while frame is not None and not (frame.f_code.co_name == "<module>" and frame.f_globals is vars(main)):
        frame = frame.f_back
    if frame is None:  # not called while the script's top level runs (a thread, a callback): any block will do
        return None if guards else path
    return None if any(first <= frame.f_lineno <= last for first, last in guards) else f"{path}, line {frame.f_lineno}"


def _caller_level() -> int:
    """The stacklevel of a warning from this module's caller that names the first frame outside the kit."""
    frame, level, kit = sys._getframe(1), 1, os.path.dirname(os.path.dirname(__file__)) + os.sep
    while frame is not None and frame.f_code.co_filename.startswith(kit):
        frame, level = frame.f_back, level + 1
    return level


def _tests_main(test: ast.expr) -> bool:
    """Whether an `if` tests `__name__ == "__main__"` (either way round)."""
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.Eq)):
        return False
    sides = {type(side).__name__: side for side in (test.left, test.comparators[0])}
    name, constant = sides.get("Name"), sides.get("Constant")
    return name is not None and constant is not None and name.id == "__name__" and constant.value == "__main__"


def _start_worker() -> None:
    _exit_with_parent()
    # A worker allocates many short-lived tuples and no long-lived cycles: leave the imported modules out
    # of garbage collection and collect the young generation less often (about 10% faster annotation).
    gc.freeze()
    gc.set_threshold(100_000, 50, 100)


def _exit_with_parent() -> None:
    """End this worker when the process that started it dies (a killed Jupyter kernel): a worker waiting for
    work holds both ends of its queue, so it would never see the parent go. With the workers gone, the
    forkserver and the resource tracker (whose pipes the workers hold) end too."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        parent.join()  # waits on the parent's sentinel, which closes when the parent dies
        os._exit(1)

    threading.Thread(target=watch, name="kit-exit-with-parent", daemon=True).start()


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
