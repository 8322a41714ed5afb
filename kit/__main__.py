"""Command line: `python -m kit annotate INPUT -o OUTDIR` writes every table as Parquet and CSV;
`python -m kit validate [FOLDER]` scores the annotation against a folder of hand-labelled gold."""

from __future__ import annotations

import argparse
import sys

from kit import __version__
from kit.annotation import load


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kit", description="Arabic news research kit")
    parser.add_argument("--version", action="version", version=__version__)
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("annotate", help="annotate a corpus and write its tables")
    run.add_argument("input", help="folder of .txt files, or a .csv/.tsv/.jsonl/.parquet file with a 'text' column")
    run.add_argument("-o", "--outdir", required=True, help="folder for the Parquet and CSV tables")
    run.add_argument("--no-progress", action="store_true", help="do not show progress bars")
    run.add_argument("--workers", type=int, default=None, help="processes to annotate with (default: every core for 2,000 articles or more)")
    run.add_argument("--no-cache", action="store_true", help="annotate again even if the cache holds this corpus")
    run.add_argument("--cues", default=None, help="an edited copy of kit/data/stance_cues.csv to use instead of the bundled stance lexicon")
    run.add_argument("--extra-actors", action="append", default=[], metavar="CSV", help="your own actors (the columns of kit/data/actors.csv); may be repeated")
    check = commands.add_parser("validate", help="score the annotation against hand-labelled gold (articles/, metadata.csv, gold_*.csv)")
    check.add_argument("folder", nargs="?", default=None, help="gold folder (default: the kit's validation corpus, tests/validation)")
    check.add_argument("--errors-dir", default="reports/validation", help="where every disagreement is written as errors-LAYER.csv")
    check.add_argument("--rules-only", action="store_true", help="score stance from the rule cues alone, without the learned component")
    check.add_argument("--bootstrap", type=int, default=1000, help="bootstrap resamples for the 95%% intervals")
    args = parser.parse_args(argv)
    if args.command == "validate":
        return _validate(args)

    if args.workers is not None and args.workers < 1:
        parser.error("--workers must be at least 1")
    try:
        annotated = load(args.input, workers=args.workers, progress=False if args.no_progress else None, cache=not args.no_cache,
                         cues=args.cues, extra_actors=args.extra_actors)
    except (FileNotFoundError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    written = annotated.save(args.outdir)
    print(annotated)
    for level, count in annotated.errors["level"].value_counts().items():
        print(f"{count} input(s) with level '{level}' listed in {args.outdir}/errors.csv", file=sys.stderr)
    print(f"wrote {len(written)} files to {args.outdir}")
    return 0


def _validate(args) -> int:
    import time

    from kit.analysis.gold import VALIDATION_DIR, GoldError
    from kit.analysis.validation import stance_ablation, validate

    started = time.perf_counter()
    try:
        result = validate(None, args.folder or VALIDATION_DIR, errors_dir=args.errors_dir, n_boot=args.bootstrap, rules_only=args.rules_only)
    except (FileNotFoundError, GoldError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"validation against {args.folder or VALIDATION_DIR} (value [95% bootstrap interval over articles] n = gold items)")
    print(("stance from the rules alone (no learned component)\n" if args.rules_only else "") + str(result))
    if not args.rules_only and len(result.table[result.table["measure"].str.startswith("stance")]):
        ablation = stance_ablation(result.corpus, args.folder or VALIDATION_DIR)
        print("\nstance macro-F1 by component (the learned model was trained on dev: its dev figures are not a measure)")
        print(ablation.pivot(index="variant", columns="split", values=["russia", "west"]).round(3).to_string())
    print(f"\ndisagreements written to {args.errors_dir}/errors-*.csv ({sum(len(f) for f in result.errors.values())} rows); {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
