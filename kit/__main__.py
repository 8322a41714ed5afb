"""Command line: `python -m kit annotate INPUT -o OUTDIR` writes every table as Parquet and CSV."""

from __future__ import annotations

import argparse
import sys

from . import __version__
from .annotation import annotate
from .corpus import load_corpus


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kit", description="Arabic news research kit")
    parser.add_argument("--version", action="version", version=__version__)
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("annotate", help="annotate a corpus and write its tables")
    run.add_argument("input", help="folder of .txt files, or a .csv/.tsv/.jsonl/.parquet file with a 'text' column")
    run.add_argument("-o", "--outdir", required=True, help="folder for the Parquet and CSV tables")
    run.add_argument("--no-progress", action="store_true", help="do not show progress bars")
    args = parser.parse_args(argv)

    try:
        corpus = load_corpus(args.input, progress=False if args.no_progress else None)
    except (FileNotFoundError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    annotated = annotate(corpus)
    written = annotated.save(args.outdir)
    print(annotated)
    for level, count in corpus.errors["level"].value_counts().items():
        print(f"{count} input(s) with level '{level}' listed in {args.outdir}/errors.csv", file=sys.stderr)
    print(f"wrote {len(written)} files to {args.outdir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
