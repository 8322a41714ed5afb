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


def _rows(annotated, found: pd.DataFrame, context: int, match: str) -> pd.DataFrame:
    """Hits (article_id, start, end) with their text, context, sentence, segment, source and date."""
    if not len(found):
        return pd.DataFrame({c: pd.Series(dtype="object") for c in HIT_COLUMNS})
    texts = annotated.articles.set_index("article_id")["text"]
    sentences = annotated.sentences.sort_values(["article_id", "start"])
    out = []
    for article_id, hits in found.groupby("article_id", sort=False, observed=True):
        text = texts[article_id]
        own = sentences[sentences["article_id"] == article_id]
        starts = own["start"].to_numpy()
        place = np.clip(np.searchsorted(starts, hits["start"].to_numpy(), side="right") - 1, 0, max(len(own) - 1, 0))
        for (start, end), at in zip(zip(hits["start"], hits["end"]), place):
            sentence = own.iloc[at] if len(own) else None
            out.append({
                "article_id": article_id, "sentence_id": None if sentence is None else int(sentence["sentence_id"]),
                "start": int(start), "end": int(end), "hit": text[start:end],
                "left": " ".join(text[max(0, start - context):start].split()), "right": " ".join(text[end:end + context].split()),
                "segment": None if sentence is None else sentence["segment"], "match": match,
            })
    rows = pd.DataFrame(out)
    meta = annotated.articles[["article_id", *[c for c in ("source", "published") if c in annotated.articles.columns]]]
    rows = rows.merge(meta, on="article_id", how="left")
    return rows.reindex(columns=HIT_COLUMNS).astype({"start": "int64", "end": "int64"})


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
        pattern = query_pattern(query)
        probe = max((w for w in normalize(query).split()), key=len)  # a cheap test before the offsets
        probe = split_article(probe)[1][:4]
        hits = []
        for article_id, text in zip(annotated.articles["article_id"], annotated.articles["text"]):
            if probe.lower() not in normalize(text).lower():
                continue
            normalized = normalize_with_offsets(text)
            matches = list(pattern.finditer(normalized.text))
            if matches:
                begin, finish = normalized.spans([m.start() for m in matches], [m.end() for m in matches])
                hits.extend((article_id, int(b), int(f)) for b, f in zip(begin.tolist(), finish.tolist()))
        rows = _rows(annotated, pd.DataFrame(hits, columns=["article_id", "start", "end"]), context, "words")
    if segments is not None and len(rows):
        rows = rows[rows["segment"].isin(list(segments))]
    return rows.sort_values(["article_id", "start"], kind="stable").reset_index(drop=True)


def search_counts(hits: pd.DataFrame) -> pd.DataFrame:
    """Hits per source and month (the month of publication, «2023-11»; undated hits under none)."""
    month = pd.to_datetime(hits["published"]).dt.to_period("M").astype("string")
    return (hits.assign(month=month, source=hits["source"].astype("object"))
            .groupby(["source", "month"], dropna=False).size().rename("hits").reset_index())
