"""Who the actors are, counted: mentions per actor and group, pairs named together, and the people the kit
discovered through titles (ready to paste into an actors CSV). Reads the mentions table; imports pandas only.
"""

from __future__ import annotations

from typing import Sequence

import pandas as pd

__all__ = ["actor_counts", "cooccurrence", "discovered_actors"]


def _body_mentions(annotated, segment: str | None, places: bool = False) -> pd.DataFrame:
    mentions = annotated.mentions
    if not places:  # regions are places, not actors: left out unless asked for
        mentions = mentions[mentions["actor_type"].astype("string") != "region"]
    if segment is None:
        return mentions
    keys = annotated.sentences.loc[annotated.sentences["segment"] == segment, ["article_id", "sentence_id"]]
    return mentions.merge(keys, on=["article_id", "sentence_id"])


def actor_counts(annotated, by: str | Sequence[str] = "article_id", segment: str | None = "body", places: bool = False) -> pd.DataFrame:
    """Mentions per actor and `by` (article_id, source, ...), body only by default; tidy, most frequent first.
    Regions (places such as Central Asia) are counted only with `places=True`."""
    by = [by] if isinstance(by, str) else list(by)
    mentions = _body_mentions(annotated, segment, places)
    extra = [c for c in by if c not in mentions.columns]
    if extra:
        mentions = mentions.merge(annotated.articles[["article_id", *extra]], on="article_id")
    keys = [*by, "actor_id", "name_en", "name_ar", "actor_type", "bloc"]
    counts = mentions.groupby(keys, dropna=False).size().reset_index(name="mentions")
    return counts.sort_values(["mentions", "actor_id"], ascending=[False, True], ignore_index=True)


def cooccurrence(annotated, within: str = "sentence", segment: str | None = "body", places: bool = False) -> pd.DataFrame:
    """Pairs of actors named in the same sentence (or article): actor_a < actor_b, and how often (regions
    only with `places=True`)."""
    keys = ["article_id", "sentence_id"] if within == "sentence" else ["article_id"]
    units = _body_mentions(annotated, segment, places)[[*keys, "actor_id"]].drop_duplicates().astype({"actor_id": "string"})
    pairs = units.merge(units, on=keys, suffixes=("_a", "_b"))
    pairs = pairs[pairs["actor_id_a"] < pairs["actor_id_b"]]
    counted = pairs.groupby(["actor_id_a", "actor_id_b"]).size().reset_index(name="count")
    return counted.sort_values(["count", "actor_id_a", "actor_id_b"], ascending=[False, True, True], ignore_index=True)


def discovered_actors(annotated) -> pd.DataFrame:
    """People found through titles, one row each, in the catalogue's columns: ready to review and paste into
    your own actors CSV (then pass it as `extra_actors`)."""
    found = annotated.mentions[annotated.mentions["method"] == "title"]
    rows = found.drop_duplicates("actor_id")
    return pd.DataFrame(
        {
            "actor_id": rows["actor_id"].str.replace("NEW_", "", n=1),
            "name_en": rows["name_en"],
            "name_ar": rows["name_ar"],
            "aliases": "",
            "nisba": "",
            "metonyms": "",
            "type": "person",
            "country": rows["country"],
            "bloc": rows["bloc"],
            "role": rows["role"],
            "valid_from": "",
            "valid_to": "",
            "seen_in": rows["article_id"],
        }
    ).reset_index(drop=True)
