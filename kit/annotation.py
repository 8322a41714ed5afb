"""The annotated corpus: a handful of tidy tables joined by article_id / sentence_id.

`annotate(corpus)` runs every layer on every article and returns an `Annotated` with pandas DataFrames:
`articles` (one row per article), `sentences` (one per sentence, with its segment), `mentions` (one per actor
mention), `quotes` (one per attributed statement), `figures` (one per reported number) and `stance` (one per
body sentence that involves Russia or the West). Every span carries offsets into `articles.text`.
Annotation is per article and pure, so it runs the same in one process, in a pool of workers, or on Dask.
"""

from __future__ import annotations

import bisect
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .actors import Catalogue, default_catalogue, find_mentions
from .corpus import Corpus, load_corpus
from .figures import describe, find_figures
from .morphology import Morphology
from .quotes import SpokenBy, find_quotes
from .segments import Segmenter, default_segmenter
from .stance import Actor, StanceLexicon, cue_matches, holder_of, score, sentence_evidence
from .text import normalize_with_offsets

__all__ = ["Annotated", "annotate", "load", "TABLES", "SCHEMAS"]

TABLES = ("articles", "sentences", "mentions", "quotes", "figures", "stance", "cues")

# Column → dtype of every table the annotation produces (articles come from kit.corpus).
SCHEMAS: dict[str, dict[str, str]] = {
    "sentences": {
        "article_id": "string",
        "sentence_id": "int64",
        "segment": "string",
        "start": "int64",
        "end": "int64",
        "text": "string",
        "paragraph": "int64",
        "reason": "string",
    },
    "mentions": {
        "article_id": "string",
        "sentence_id": "int64",
        "actor_id": "string",
        "name_en": "string",
        "name_ar": "string",
        "actor_type": "string",
        "country": "string",
        "bloc": "string",
        "role": "string",
        "surface": "string",
        "start": "int64",
        "end": "int64",
        "method": "string",
    },
    "quotes": {
        "article_id": "string",
        "sentence_id": "int64",
        "speaker_id": "string",
        "speaker_en": "string",
        "verb": "string",
        "verb_start": "Int64",
        "verb_end": "Int64",
        "quote": "string",
        "start": "int64",
        "end": "int64",
        "method": "string",
        "direct": "bool",
    },
    "figures": {
        "article_id": "string",
        "sentence_id": "int64",
        "surface": "string",
        "start": "int64",
        "end": "int64",
        "value": "float64",
        "value_high": "float64",
        "unit": "string",
        "qualifier": "string",
        "value_usd": "float64",
        "usd_basis": "string",
        "equivalent_value": "float64",
        "equivalent_unit": "string",
        "kind": "string",
        "year": "Int64",
        "year_basis": "string",
        "countries": "string",
    },
    "stance": {
        "article_id": "string",
        "sentence_id": "int64",
        "holder_id": "string",
        "russia": "int64",
        "west": "int64",
        "russia_score": "float64",
        "west_score": "float64",
        "cues": "object",
    },
    "cues": {
        "article_id": "string",
        "sentence_id": "int64",
        "side": "string",
        "pattern": "string",
        "category": "string",
        "polarity": "int64",
        "weight": "float64",
        "negated": "bool",
        "start": "int64",
        "end": "int64",
    },
}
# Sentences that involve Russia or the West, with their holder: the keys of the stance table.
_HOLDERS = ("article_id", "sentence_id", "holder_id")


def empty_table(name: str) -> pd.DataFrame:
    """An empty table with the columns and dtypes of `name`."""
    return pd.DataFrame({column: pd.Series(dtype=dtype) for column, dtype in SCHEMAS[name].items()})


def table_from_rows(name: str, rows: list[tuple]) -> pd.DataFrame:
    """A typed table from row tuples in schema column order."""
    columns = list(SCHEMAS[name])
    frame = pd.DataFrame.from_records(rows, columns=columns) if rows else empty_table(name)
    return frame.astype(SCHEMAS[name])


@dataclass
class Annotated:
    """The annotated corpus: tidy tables joined by article_id and sentence_id."""

    articles: pd.DataFrame
    sentences: pd.DataFrame
    mentions: pd.DataFrame = field(default_factory=lambda: empty_table("mentions"))
    quotes: pd.DataFrame = field(default_factory=lambda: empty_table("quotes"))
    figures: pd.DataFrame = field(default_factory=lambda: empty_table("figures"))
    stance: pd.DataFrame = field(default_factory=lambda: empty_table("stance"))
    cues: pd.DataFrame = field(default_factory=lambda: empty_table("cues"))
    errors: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table by name, errors included."""
        return {name: getattr(self, name) for name in TABLES} | {"errors": self.errors}

    def body(self) -> pd.DataFrame:
        """The sentences of the article bodies (what analyses use by default)."""
        return self.sentences[self.sentences["segment"] == "body"]

    def save(self, outdir: str | Path) -> list[Path]:
        """Write every table as Parquet and as CSV (UTF-8 with BOM, for Excel); return the paths."""
        from .export import write_table

        written: list[Path] = []
        for name, table in self.tables.items():
            written.extend(write_table(table, Path(outdir) / name))
        return written

    def __repr__(self) -> str:
        sizes = ", ".join(f"{name}={len(table)}" for name, table in self.tables.items())
        return f"Annotated({sizes})"


@dataclass
class Resources:
    """Everything annotation reads from data files, loaded once per process."""

    catalogue: Catalogue
    segmenter: Segmenter
    morphology: object | None = None
    stance: StanceLexicon | None = None

    def __post_init__(self):
        self.stance = self.stance or StanceLexicon.default()

    @classmethod
    def default(cls, extra_actors=(), use_morphology: bool | None = None, cues=None) -> "Resources":
        morphology = Morphology.installed() if use_morphology in (None, True) else None
        if use_morphology and morphology is None:
            raise RuntimeError("use_morphology=True but no camel-tools morphology database is installed (see README)")
        catalogue = Catalogue.load(extra=extra_actors) if extra_actors else default_catalogue()
        return cls(catalogue, default_segmenter(), morphology, StanceLexicon.load(cues) if cues else None)


def _sentence_index(starts: np.ndarray, positions: np.ndarray) -> np.ndarray:
    return np.searchsorted(starts, positions, side="right") - 1


def annotate_article(article_id: str, text: str, published, resources: Resources) -> dict[str, list[tuple]]:
    """Rows of every table for one article (pure: the same inputs give the same rows); `holders` lists the
    sentences that involve Russia or the West, from which `tables_from_rows` builds the stance table."""
    when = published.date() if published is not None and not pd.isna(published) else None
    sentences = resources.segmenter.sentences(text)
    rows: dict[str, list[tuple]] = {name: [] for name in (*SCHEMAS, "holders")}
    rows["sentences"] = [
        (article_id, number, s.segment, s.start, s.end, text[s.start : s.end], s.paragraph, s.reason)
        for number, s in enumerate(sentences)
    ]
    if not sentences:
        return rows
    starts = np.array([s.start for s in sentences])
    normalized = normalize_with_offsets(text)
    found, discovered = find_mentions(normalized, text, resources.catalogue, when, resources.morphology)
    if found:
        begin, finish = normalized.spans([m.start for m in found], [m.end for m in found])
        sentence_ids = _sentence_index(starts, begin)
        people = {person.actor_id: person for person in discovered}
        for person in discovered:  # the title as written in the article, not in matching form
            person.role = text[slice(*normalized.span(*person.role_span))]
        catalogue = resources.catalogue
        roles: dict[str, str | None] = {}
        for mention, b, e, sid in zip(found, begin.tolist(), finish.tolist(), sentence_ids.tolist()):
            if mention.actor_id in people:
                p = people[mention.actor_id]
                info = {"name_en": p.name_en, "name_ar": p.name_ar, "actor_type": "person", "country": p.country, "bloc": p.bloc}
                role = p.role
            else:
                info = catalogue.info(mention.actor_id)
                if info["actor_type"] == "person" and mention.actor_id not in roles:
                    roles[mention.actor_id] = catalogue.role_at(mention.actor_id, when)
                role = roles.get(mention.actor_id)
            rows["mentions"].append(
                (article_id, sid, mention.actor_id, info["name_en"], info["name_ar"], info["actor_type"], info["country"],
                 info["bloc"], role, text[b:e], b, e, mention.method)
            )
    rows["figures"] = figure_rows(article_id, text, normalized, sentences, rows["mentions"], when)
    spoken_by = [SpokenBy(r[10], r[11], r[2], r[5], r[3], r[4]) for r in rows["mentions"]]
    for quote in find_quotes(text, normalized, [(s.start, s.end, s.paragraph) for s in sentences], spoken_by):
        speaker = quote.speaker
        verb_start, verb_end = quote.verb if quote.verb else (None, None)
        rows["quotes"].append(
            (article_id, quote.sentence, speaker.actor_id if speaker else None, speaker.name_en if speaker else None,
             text[verb_start:verb_end] if quote.verb else None, verb_start, verb_end, text[quote.start : quote.end],
             quote.start, quote.end, quote.method, quote.direct)
        )
    stance_rows(article_id, text, normalized, sentences, rows, resources.stance)
    return rows


def stance_rows(article_id: str, text: str, normalized, sentences, rows: dict, lexicon: StanceLexicon) -> None:
    """Evidence rows (the cues table) and holder rows for every sentence that involves Russia or the West."""
    norm = normalized.text
    starts = np.searchsorted(normalized.index, [r[10] for r in rows["mentions"]]).tolist()
    ends = np.searchsorted(normalized.index, [r[11] for r in rows["mentions"]]).tolist()
    sides = {"russia": "russia", "west": "west"}
    actors = [Actor(a, b, r[2], sides.get(r[7]), r[12]) for a, b, r in zip(starts, ends, rows["mentions"])]
    side_of = {a.actor_id: a.side for a in actors}
    actor_starts = [a.start for a in actors]
    sentence_starts = [s.start for s in sentences]
    speakers: dict[int, str] = {}
    for quote in rows["quotes"]:
        if quote[2] is None:
            continue
        speakers.setdefault(quote[1], quote[2])
        # sentences inside a long direct quote share its speaker
        for number in range(bisect.bisect_left(sentence_starts, quote[8]), len(sentences)):
            if sentences[number].end > quote[9] + 2:
                break
            speakers.setdefault(number, quote[2])
    matches = cue_matches(lexicon, norm, 0, len(norm))
    match_starts = [m[0] for m in matches]
    bounds = np.searchsorted(normalized.index, [b for s in sentences for b in (s.start, s.end)]).tolist()
    fired: list[tuple[int, Evidence]] = []
    for number, span in enumerate(zip(bounds[0::2], bounds[1::2])):
        found = [m for m in matches[bisect.bisect_left(match_starts, span[0]) : bisect.bisect_left(match_starts, span[1])] if m[1] <= span[1]]
        inside = actors[bisect.bisect_left(actor_starts, span[0]) : bisect.bisect_left(actor_starts, span[1])]
        sided = any(a.side for a in inside)
        if not found and not sided:
            continue
        holder, speaking = holder_of(norm, span, inside, speakers.get(number))
        holder_side = side_of.get(holder)
        evidence = sentence_evidence(norm, span, inside, holder_side, holder_side if speaking else None, lexicon, found)
        if evidence or sided:
            rows["holders"].append((article_id, number, holder))
            fired.extend((number, e) for e in evidence)
    if fired:
        begin, finish = normalized.spans([e.start for _, e in fired], [e.end for _, e in fired])
        for (number, e), b, f in zip(fired, begin.tolist(), finish.tolist()):
            rows["cues"].append((article_id, number, e.side, e.pattern, e.category, e.polarity, e.weight, e.negated, b, f))


def tables_from_rows(rows: dict[str, list[tuple]], weights: dict[str, float] | None = None) -> dict[str, pd.DataFrame]:
    """Typed tables from row lists; the stance table is scored from the cues with `weights`."""
    tables = {name: table_from_rows(name, rows[name]) for name in SCHEMAS if name != "stance"}
    tables["stance"] = stance_table(tables["cues"], pd.DataFrame(rows["holders"], columns=list(_HOLDERS)), weights)
    return tables


def stance_table(cues: pd.DataFrame, holders: pd.DataFrame, weights: dict[str, float] | None = None) -> pd.DataFrame:
    """The stance table: labels and scores from the evidence, the holder, and each sentence's cues as a list."""
    if holders.empty:
        return empty_table("stance")
    scored = score(cues, holders, weights)
    fields = ["pattern", "category", "polarity", "side", "negated", "start", "end"]
    by_sentence: dict[tuple, list[dict]] = {}
    for key, record in zip(zip(cues["article_id"], cues["sentence_id"]), cues[fields].to_dict("records")):
        by_sentence.setdefault(key, []).append(record)
    lists = pd.DataFrame({"article_id": [k[0] for k in by_sentence], "sentence_id": [k[1] for k in by_sentence], "cues": list(by_sentence.values())})
    table = holders.merge(scored, on=["article_id", "sentence_id"]).merge(lists, on=["article_id", "sentence_id"], how="left")
    table["cues"] = table["cues"].map(lambda value: value if isinstance(value, list) else [])
    return table[list(SCHEMAS["stance"])].astype({k: v for k, v in SCHEMAS["stance"].items() if k != "cues"})


def _countries(mentions: list[tuple]) -> dict[int, list[str]]:
    """Country codes named in each sentence; neutral international institutions (organisations of bloc
    `other`: UN, IMF, World Bank ...) report or lend and are not a party to a figure."""
    by_sentence: dict[int, list[str]] = {}
    for row in mentions:
        sid, actor_type, country, bloc = row[1], row[5], row[6], row[7]
        if country and not (actor_type == "organisation" and bloc == "other"):
            codes = by_sentence.setdefault(sid, [])
            if country not in codes:
                codes.append(country)
    return by_sentence


def figure_rows(article_id: str, text: str, normalized, sentences, mentions: list[tuple], when) -> list[tuple]:
    """Rows of the figures table for one article."""
    found = find_figures(normalized.text)
    if not found:
        return []
    bounds = np.searchsorted(normalized.index, [b for s in sentences for b in (s.start, s.end)]).tolist()
    spans = list(zip(bounds[0::2], bounds[1::2]))
    span_starts = np.array(bounds[0::2])
    by_sentence = _countries(mentions)
    body = {number for number, s in enumerate(sentences) if s.segment == "body"}
    counts = Counter(r[6] for r in mentions if r[5] == "country" and r[1] in body)
    main_pair = sorted(code for code, _ in counts.most_common(2))  # the article's two most mentioned countries
    rows = []
    for figure in found:
        sentence = max(0, int(np.searchsorted(span_starts, figure.start, side="right")) - 1)
        countries = by_sentence.get(sentence) or main_pair
        d = describe(text, normalized, figure, spans, when, countries, sentence)
        rows.append(
            (article_id, d["sentence"], d["surface"], d["start"], d["end"], d["value"], d["value_high"], d["unit"], d["qualifier"],
             d["value_usd"], d["usd_basis"], d["equivalent_value"], d["equivalent_unit"], d["kind"], d["year"], d["year_basis"],
             ";".join(sorted(set(countries))) or None)
        )
    return rows


def annotate(corpus: Corpus | pd.DataFrame | str | Path | None = None, *, extra_actors=(), use_morphology: bool | None = None, cues=None) -> Annotated:
    """Annotate a corpus (a Corpus, a path `load_corpus` accepts, or None for the bundled seeds).

    extra_actors: your own actor CSVs (same columns as kit/data/actors.csv), added to the catalogue.
    use_morphology: None uses camel-tools' analyser when its database is installed, False never, True requires it.
    cues: an edited copy of kit/data/stance_cues.csv to use instead of the bundled stance lexicon.
    """
    if not isinstance(corpus, Corpus):
        corpus = load_corpus(corpus)
    resources = Resources.default(extra_actors, use_morphology, cues)
    rows: dict[str, list[tuple]] = {name: [] for name in (*SCHEMAS, "holders")}
    articles = corpus.articles
    for article_id, text, published in zip(articles["article_id"], articles["text"], articles["published"]):
        for name, table_rows in annotate_article(article_id, text, published, resources).items():
            rows[name].extend(table_rows)
    return Annotated(articles, errors=corpus.errors, **tables_from_rows(rows))


def load(path: str | Path | None = None, **options) -> Annotated:
    """`annotate(load_corpus(path))`: with no argument, the bundled seed articles annotated."""
    return annotate(load_corpus(path), **options)
