"""Search a corpus with context: keyword-in-context lines for a word, a phrase or an actor.

`search(corpus, "العقوبات الغربية")` matches in the kit's matching form (no diacritics, any hamza on alef,
ى/ي and ة/ه alike), with the proclitics and the article Arabic writes onto a word — «العقوبات» also finds
«والعقوبات», «بالعقوبات», «للعقوبات» — and, for words of four letters or more, the pronoun suffixes of
data/enclitics.csv («شراكة» finds «شراكتنا»). A query that names an actor of the corpus — its id, or its
English or Arabic name («Vladimir Putin», «بوتين») — lists that actor's mentions instead, with every
spelling the actor layer recognised. Each hit is a row with its offsets into the article text
(`text[start:end] == hit`), its sentence and segment, the words to its left and right, and the article's
source and date; `search_counts` counts hits per source and month. Imports kit.arabic.text and pandas only.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from kit.arabic.text import (
    LETTER_AFTER,
    LETTER_BEFORE,
    normalize,
    normalize_with_offsets,
    split_article,
    with_enclitics,
)

__all__ = ["HIT_COLUMNS", "search", "search_counts"]

CONTEXT = 60  # characters of context on each side of a hit
BATCH = 200  # articles matched at once by a word search
HIT_COLUMNS = ["article_id", "sentence_id", "start", "end", "hit", "left", "right", "source", "published", "segment", "match"]
_PROCLITICS = r"(?:[وف]?[بكل]?|[وف]?[بك]?ال|[وف]?لل)"


def query_pattern(query: str) -> re.Pattern:
    """The words of `query` in the matching form, each with Arabic proclitics before it (و ف ب ك ل, ال,
    لل) and its pronoun suffixes after it, separated by any white space."""
    words = []
    for word in normalize(query).split():
        _, core = split_article(word)
        forms = sorted(set(with_enclitics(core)), key=len, reverse=True)
        words.append(_PROCLITICS + "(?:" + "|".join(re.escape(f) for f in forms) + ")")
    if not words:
        raise ValueError("the search query is empty")
    return re.compile(LETTER_BEFORE + r"\s+".join(words) + LETTER_AFTER, re.IGNORECASE)


def _actor_ids(annotated, query: str) -> list[str]:
    """The actors of the corpus the query names: by id, or by English or Arabic name (case and spelling
    differences of the matching form aside)."""
    mentions = annotated.mentions
    wanted, key = query.strip(), normalize(query.strip()).lower()
    actors = mentions.drop_duplicates("actor_id")[["actor_id", "name_en", "name_ar"]]
    named = [a for a, en, ar in actors.itertuples(index=False)
             if a == wanted or (isinstance(en, str) and en.lower() == wanted.lower()) or (isinstance(ar, str) and normalize(ar).lower() == key)]
    return named


def _sentence_at(sentences: pd.DataFrame, article_ids: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """For each hit (article id, start offset) the row of `sentences` it falls in: the last sentence of its
    article starting at or before it (the first if none does; -1 for an article without sentences). One
    sorted search over all hits, not a scan of the sentences per article."""
    codes = pd.Categorical(np.concatenate([sentences["article_id"].astype("string").to_numpy(dtype=object), article_ids.astype(object)]))
    sentence_codes, hit_codes = codes.codes[: len(sentences)].astype(np.int64), codes.codes[len(sentences):].astype(np.int64)
    span = int(max(sentences["start"].max() if len(sentences) else 0, starts.max() if len(starts) else 0)) + 1
    keys = sentence_codes * span + sentences["start"].to_numpy(dtype=np.int64)
    order = np.argsort(keys, kind="stable")
    keys, sentence_codes = keys[order], sentence_codes[order]
    first = np.searchsorted(sentence_codes, hit_codes, side="left")
    last = np.searchsorted(sentence_codes, hit_codes, side="right")
    at = np.clip(np.searchsorted(keys, hit_codes * span + starts, side="right") - 1, first, np.maximum(last - 1, first))
    return np.where(last > first, order[np.minimum(at, len(order) - 1)] if len(order) else -1, -1)


def _rows(annotated, found: pd.DataFrame, context: int, match: str) -> pd.DataFrame:
    """Hits (article_id, start, end) with their text, context, sentence, segment, source and date."""
    if not len(found):
        return pd.DataFrame({c: pd.Series(dtype="object") for c in HIT_COLUMNS})
    texts = dict(zip(annotated.articles["article_id"].astype("string"), annotated.articles["text"]))
    sentences = annotated.sentences
    ids = found["article_id"].astype("string").to_numpy(dtype=object)
    starts, ends = found["start"].to_numpy(dtype=np.int64), found["end"].to_numpy(dtype=np.int64)
    at = _sentence_at(sentences, ids, starts)
    sentence_ids, segments = sentences["sentence_id"].to_numpy(), sentences["segment"].to_numpy(dtype=object)
    hit, left, right = [], [], []
    for article_id, start, end in zip(ids, starts.tolist(), ends.tolist()):
        text = texts[article_id]
        hit.append(text[start:end])
        left.append(" ".join(text[max(0, start - context):start].split()))
        right.append(" ".join(text[end:end + context].split()))
    rows = pd.DataFrame({
        "article_id": found["article_id"].to_numpy(), "start": starts, "end": ends, "hit": hit, "left": left, "right": right,
        "sentence_id": [None if i < 0 else int(sentence_ids[i]) for i in at.tolist()],
        "segment": [None if i < 0 else segments[i] for i in at.tolist()], "match": match,
    })
    meta = annotated.articles[["article_id", *[c for c in ("source", "published") if c in annotated.articles.columns]]]
    rows = rows.merge(meta, on="article_id", how="left")
    return rows.reindex(columns=HIT_COLUMNS).astype({"start": "int64", "end": "int64"})


def _word_hits(annotated, pattern: re.Pattern) -> pd.DataFrame:
    """(article_id, start, end) of every match of `pattern` in the articles' matching form, mapped back to
    offsets into each article's text. The articles are matched BATCH at a time, joined by a NUL (not a
    letter nor white space, so no match crosses from one article into the next): one normalisation and one
    regular-expression scan per batch instead of per article."""
    ids, texts = annotated.articles["article_id"].to_numpy(dtype=object), annotated.articles["text"].tolist()
    found_ids, found_starts, found_ends = [], [], []
    for first in range(0, len(texts), BATCH):
        chunk = texts[first:first + BATCH]
        bases = np.concatenate([[0], np.cumsum(np.fromiter(map(len, chunk), dtype=np.int64, count=len(chunk)) + 1)[:-1]])
        normalized = normalize_with_offsets("\0".join(chunk))
        matches = [(m.start(), m.end()) for m in pattern.finditer(normalized.text)]
        if not matches:
            continue
        begin, finish = normalized.spans([a for a, _ in matches], [b for _, b in matches])
        which = np.searchsorted(bases, begin, side="right") - 1
        found_ids.append(ids[first + which])
        found_starts.append(begin - bases[which])
        found_ends.append(finish - bases[which])
    if not found_ids:
        return pd.DataFrame({"article_id": pd.Series(dtype="object"), "start": pd.Series(dtype="int64"), "end": pd.Series(dtype="int64")})
    return pd.DataFrame({"article_id": np.concatenate(found_ids), "start": np.concatenate(found_starts), "end": np.concatenate(found_ends)})


def search(annotated, query: str, *, context: int = CONTEXT, segments=("body",), actor: bool | None = None) -> pd.DataFrame:
    """Keyword-in-context hits of `query` in an annotated corpus, one row per hit (see HIT_COLUMNS), in
    article and offset order. `actor`: None reads the query as an actor when it names one of the corpus's
    actors, else as words; True or False forces one reading. `segments`: the segments searched (None: all)."""
    ids = _actor_ids(annotated, query) if actor is not False else []
    if actor is True and not ids:
        raise ValueError(f"no actor of this corpus is named {query!r}")
    if ids:
        found = annotated.mentions[annotated.mentions["actor_id"].isin(ids)][["article_id", "start", "end"]]
        rows = _rows(annotated, found, context, "actor")
    else:
        rows = _rows(annotated, _word_hits(annotated, query_pattern(query)), context, "words")
    if segments is not None and len(rows):
        rows = rows[rows["segment"].isin(list(segments))]
    return rows.sort_values(["article_id", "start"], kind="stable").reset_index(drop=True)


def search_counts(hits: pd.DataFrame) -> pd.DataFrame:
    """Hits per source and month (the month of publication, «2023-11»; undated hits under none)."""
    month = pd.to_datetime(hits["published"]).dt.to_period("M").astype("string")
    return (hits.assign(month=month, source=hits["source"].astype("object"))
            .groupby(["source", "month"], dropna=False).size().rename("hits").reset_index())
