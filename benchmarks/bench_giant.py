"""Giant single articles: time and peak memory of `kit.load` on one article of a given size, each in a fresh
process (so the peak is that load's own), next to a small article.

    python benchmarks/bench_giant.py --sizes 20 200          # megabytes of UTF-8 Arabic text, one article each
    python benchmarks/bench_giant.py --at-limit               # also an article just under the kit's limit

An article over the limit (`kit.io.records.max_chars()`, $KIT_MAX_CHARS) is refused with an error row naming it,
the rest of the corpus annotated; the file is then never read, so the refusal costs no memory.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SENTENCE = "وقال وزير الخارجية الروسي سيرغي لافروف إن التجارة مع كازاخستان بلغت 28.2 مليار دولار في عام 2022. "

CHILD = """
import json, resource, sys, time
sys.path.insert(0, sys.argv[2])
import kit
started = time.perf_counter()
corpus = kit.load(sys.argv[1], progress=False, cache=False)
print(json.dumps({"seconds": time.perf_counter() - started, "peak_gb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024,
                  "articles": len(corpus.articles), "sentences": len(corpus.sentences),
                  "errors": [r for r in corpus.errors["reason"].astype(str)]}))
"""


def write_article(folder: Path, name: str, megabytes: float) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "small.txt").write_text(SENTENCE * 5, encoding="utf-8")
    path = folder / f"{name}.txt"
    chunk = (SENTENCE * 1000).encode("utf-8")
    target = int(megabytes * 1_000_000)
    with path.open("wb") as out:
        written = 0
        while written < target:
            part = chunk[: target - written] if target - written < len(chunk) else chunk
            part = part.decode("utf-8", "ignore").encode("utf-8")
            out.write(part)
            written += len(part)
            if not part:
                break
    return path


def measure(folder: Path) -> dict:
    result = subprocess.run([sys.executable, "-c", CHILD, str(folder), str(ROOT)], capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=float, nargs="*", default=[20, 200], help="article sizes in MB")
    parser.add_argument("--at-limit", action="store_true", help="also an article just under the kit's character limit")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from kit.io.records import max_chars

    limit = max_chars()
    cases = [(f"{size:g} MB", size) for size in args.sizes]
    if args.at_limit:
        cases.insert(0, (f"at the limit ({limit:,} characters)", limit * len(SENTENCE.encode("utf-8")) / len(SENTENCE) / 1_000_000 * 0.99))
    print(f"giant articles: one article of each size beside a small one, kit.load in a fresh process (limit {limit:,} characters)")
    with tempfile.TemporaryDirectory() as scratch:
        for label, megabytes in cases:
            folder = Path(scratch) / label.split()[0]
            path = write_article(folder, "giant", megabytes)
            found = measure(folder)
            refused = any("over the kit's limit" in r for r in found["errors"])
            what = "refused (an error row), the small article annotated" if refused else f"annotated: {found['sentences']:,} sentences"
            print(f"  {label:<40} {path.stat().st_size / 1e6:8.1f} MB  {found['seconds']:7.1f} s  peak {found['peak_gb']:.2f} GB  {what}")
            path.unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())
