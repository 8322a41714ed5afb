"""The frozen dev/test split of the validation corpus, and the hashes that freeze it.

    python tests/validation/split.py            # make split.csv once (refuses to overwrite an existing one)
    python tests/validation/split.py --rehash   # after a deliberate fix of a test article's gold: new hashes, same split

The split is by article and keeps every story carried by several outlets on one side (its reports are near
copies). A few outlets with few articles go to `test` only, so the test split measures outlets never read
while writing rules; the rest is drawn at random (fixed seed) within each topic lane (the letter that starts
an article_id) until a third of each lane is in `test`. `split.csv` records the SHA-256 of each test
article's text and of its gold rows; `tests/test_validation.py` checks them.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from kit.analysis.gold import VALIDATION_DIR, gold_hash, read_gold, text_hash  # noqa: E402

SEED = 20261206
TEST_SHARE = 1 / 3
TEST_ONLY_OUTLETS = 4


def make_split(gold) -> pd.DataFrame:
    rng = random.Random(SEED)
    meta = gold.metadata[["article_id", "source", "story"]].copy()
    meta["group"] = meta["story"].where(meta["story"] != "", meta["article_id"])
    meta["lane"] = meta["article_id"].str[0]
    test: set[str] = set()
    sizes = meta.groupby("source")["article_id"].size()
    small = sorted(sizes[sizes <= 2].index)
    rng.shuffle(small)
    for source in small[:TEST_ONLY_OUTLETS]:
        test |= set(meta.loc[meta["source"] == source, "group"])
    for lane, rows in meta.groupby("lane"):
        groups = sorted(set(rows["group"]) - test)
        rng.shuffle(groups)
        while meta.loc[(meta["lane"] == lane) & meta["group"].isin(test)].shape[0] < TEST_SHARE * len(rows) and groups:
            test.add(groups.pop())
    return pd.DataFrame({"article_id": meta["article_id"], "split": ["test" if g in test else "dev" for g in meta["group"]]})


def with_hashes(split: pd.DataFrame, gold) -> pd.DataFrame:
    is_test = split["split"] == "test"
    split = split[["article_id", "split"]].copy()
    split["sha256_text"] = [text_hash(gold.texts[a]) if t else "" for a, t in zip(split["article_id"], is_test)]
    split["sha256_gold"] = [gold_hash(gold, a) if t else "" for a, t in zip(split["article_id"], is_test)]
    return split


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rehash", action="store_true", help="keep the split, record the test articles' current hashes")
    args = parser.parse_args()
    path = VALIDATION_DIR / "split.csv"
    gold = read_gold(VALIDATION_DIR)
    if args.rehash:
        split = pd.read_csv(path, dtype=str, keep_default_na=False)
    elif path.exists():
        print(f"{path} exists: the split is frozen (use --rehash after a deliberate gold fix)", file=sys.stderr)
        return 1
    else:
        split = make_split(gold)
    with_hashes(split, gold).to_csv(path, index=False)
    counts = split["split"].value_counts()
    print(f"wrote {path}: {counts.get('dev', 0)} dev, {counts.get('test', 0)} test articles")
    return 0


if __name__ == "__main__":
    sys.exit(main())
