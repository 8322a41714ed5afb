"""Turn the hand-written gold_spec.txt into gold_figures.csv (the validation columns and guidelines).

Each spec line names a figure by its surface and which occurrence of that surface in the article it is;
this script only finds the character offsets of that occurrence (text[start:end] == surface). The values,
units, kinds, countries and years were written by reading the articles, not by running the kit.
Run: python tests/tuning_figures/build_gold.py
"""
import csv
from pathlib import Path

HERE = Path(__file__).parent
COLUMNS = ["article_id", "start", "end", "surface", "value", "value_high", "unit", "kind", "countries", "year", "note"]


def occurrence(text: str, surface: str, n: int) -> int:
    start = -1
    for _ in range(n):
        start = text.find(surface, start + 1)
        if start < 0:
            raise ValueError(f"occurrence {n} of {surface!r} not found")
    return start


def main() -> None:
    rows = []
    for line in (HERE / "gold_spec.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        article_id, surface, n, value, high, unit, kind, countries, year, note = [p.strip() for p in line.split("|")]
        text = (HERE / "articles" / f"{article_id}.txt").read_text(encoding="utf-8")
        start = occurrence(text, surface, int(n))
        rows.append([article_id, start, start + len(surface), surface, value, high, unit, kind, countries, year, note])
    with open(HERE / "gold_figures.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        writer.writerows(rows)
    print(f"{len(rows)} figures written")


if __name__ == "__main__":
    main()
