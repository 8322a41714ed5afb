"""kit.io.workers: how many processes, chunks mapped in order in worker processes, Arrow tables across
processes, and the warning for a script whose top level would run again in every worker."""

import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pytest

from kit.io import workers

ROOT = Path(__file__).resolve().parents[1]


def test_auto_workers_uses_one_process_for_a_small_corpus_and_refuses_zero():
    assert workers.auto_workers(None, workers.PARALLEL_MIN_ITEMS - 1) == 1
    assert workers.auto_workers(3, 10) == 3
    with pytest.raises(ValueError, match="at least 1"):
        workers.auto_workers(0, 10)


def test_chunks_come_back_in_order_from_worker_processes():
    tables = [pa.table({"n": list(range(i, i + 3))}) for i in range(0, 30, 3)]
    back = list(workers.map_chunks(workers.to_ipc, tables, [3] * len(tables), workers=2))
    assert [workers.from_ipc(data).column("n").to_pylist() for data in back] == [t.column("n").to_pylist() for t in tables]


def test_a_progress_bar_only_for_work_worth_one():
    assert workers.progress_bar(10, "annotating", None) is None
    assert workers.progress_bar(10_000, "annotating", False) is None
    bar = workers.progress_bar(10, "annotating", True)
    assert bar is not None and bar.total == 10
    bar.close()


def run_script(tmp_path, code: str) -> str:
    script = tmp_path / "script.py"
    script.write_text(code, encoding="utf-8")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, cwd=tmp_path, timeout=120,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_a_script_calling_at_its_top_level_is_named_with_its_line(tmp_path):
    said = run_script(tmp_path, "from kit.io.workers import unguarded_main\n\nprint(unguarded_main())\n")
    assert said == f"{tmp_path / 'script.py'}, line 3"


def test_a_script_calling_under_its_main_guard_is_fine(tmp_path):
    said = run_script(tmp_path, "from kit.io.workers import unguarded_main\n\nif __name__ == '__main__':\n    print(unguarded_main())\n")
    assert said == "None"
