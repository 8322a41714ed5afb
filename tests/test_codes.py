"""kit.base.codes: integer codes that group and order rows as pandas does, on the seeds' tables and on random columns."""

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from kit.base.codes import array_codes, column_codes, sort_codes

VALUES = st.lists(st.sampled_from(["روسيا", "فرنسا", "KAZ", "", None]), min_size=1, max_size=30)


def test_column_codes_group_the_seed_mentions_as_groupby_does(annotated):
    mentions = annotated.mentions
    columns = ["actor_id", "bloc", "sentence_id"]
    codes = column_codes(mentions, columns)
    groups = mentions.groupby(columns, dropna=False, observed=True).ngroup().to_numpy()
    assert len(np.unique(codes)) == len(np.unique(groups)) > 10
    # equal codes exactly where groupby puts rows together
    assert len(np.unique(np.c_[codes, groups], axis=0)) == len(np.unique(groups))


@settings(max_examples=200, deadline=None)
@given(VALUES, st.booleans())
def test_sort_codes_order_rows_as_sort_values(values, categorical):
    series = pd.Series(values, dtype="category" if categorical else "string")
    codes, size = sort_codes(series)
    assert codes.min() >= 0 and codes.max() < size
    by_codes = series.iloc[np.argsort(codes, kind="stable")].reset_index(drop=True)
    expected = series.sort_values(kind="stable", na_position="last").reset_index(drop=True)
    pd.testing.assert_series_equal(by_codes, expected)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 40)), max_size=30))
def test_array_codes_are_equal_exactly_for_equal_rows(rows):
    a, b = (np.array([r[i] for r in rows], dtype=np.int64) for i in (0, 1))
    codes = array_codes(a, b)
    for i in range(len(rows)):
        for j in range(len(rows)):
            assert (codes[i] == codes[j]) == (rows[i] == rows[j])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["روسيا", "فرنسا", None]), st.sampled_from(["KAZ", "", None])), min_size=1, max_size=30))
def test_column_codes_keep_missing_values_apart_from_every_other_value(rows):
    frame = pd.DataFrame(rows, columns=["a", "b"], dtype="string")
    codes = column_codes(frame, ["a", "b"])
    for i in range(len(rows)):
        for j in range(len(rows)):
            assert (codes[i] == codes[j]) == (rows[i] == rows[j])
