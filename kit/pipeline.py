"""The per-article pipeline: what annotation reads from the data files (`Resources`, `Options`), how one
article becomes rows of every table (`annotate_article`: segments, mentions, quotes, figures, stance
evidence), and how a corpus is annotated chunk by chunk in worker processes or on Dask partitions. Pure
per article: the same rows in one process, in a pool or on a cluster. Imports kit.base, kit.arabic,
kit.extract, kit.io (corpus reader, workers) and kit.tables; never the cache, charts or dashboards.
"""

from __future__ import annotations

import bisect
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from kit.arabic.morphology import Morphology, find_database
from kit.arabic.segments import Segmenter, default_segmenter
from kit.arabic.text import normalize_with_offsets
from kit.extract.actors import find_mentions
from kit.extract.catalogue import Catalogue, default_catalogue
from kit.extract.figure_spans import find_figures
from kit.extract.figures import describe, implied_published, settle_article
from kit.extract.holders import holder_of, subject_of
from kit.extract.quotes import SpokenBy, find_quotes
from kit.extract.stance import cue_matches, sentence_evidence
from kit.extract.stance_lexicon import Actor, Evidence, StanceLexicon
from kit.extract.stance_model import StanceModel, learned_evidence
from kit.extract.stance_scores import score
from kit.io.corpus import (
    METADATA_FIELDS,
    Corpus,
    infer_metadata,
    metadata_missing,
    read_corpus,
)
from kit.io.workers import from_ipc, map_chunks, progress_bar, to_ipc
from kit.tables import (
    ARROW_STRINGS,
    HOLDER_COLUMNS,
    INFERRED,
    INFERRED_SCHEMA,
    SCHEMAS,
    Annotated,
    CueRow,
    FigureRow,
    HolderRow,
    MentionRow,
    QuoteRow,
    SentenceRow,
    arrow_table,
    columns_of,
    concat_tables,
    empty_table,
    to_arrow,
    to_pandas,
)

__all__ = ["Options", "Resources", "annotate_article", "annotate_chunk", "annotate_dask", "annotation_tables", "is_dask", "stance_table"]


@dataclass
class Resources:
    """Everything annotation reads from data files, loaded once per process."""

    catalogue: Catalogue
    segmenter: Segmenter
    morphology: object | None = None
    stance: StanceLexicon | None = None
    model: StanceModel | None = None

    def __post_init__(self):
        self.stance = self.stance or StanceLexicon.default()
        self.model = self.model or StanceModel.default()

    @classmethod
    def default(cls, extra_actors=(), use_morphology: bool | None = None, cues=None) -> "Resources":
        morphology = Morphology.installed() if use_morphology in (None, True) else None
        if use_morphology and morphology is None:
            raise RuntimeError("use_morphology=True but no camel-tools morphology database is installed (see README)")
        catalogue = Catalogue.load(extra=extra_actors) if extra_actors else default_catalogue()
        return cls(catalogue, default_segmenter(), morphology, StanceLexicon.load(cues) if cues else None)


def _sentence_index(starts: np.ndarray, positions: np.ndarray) -> np.ndarray:
    return np.searchsorted(starts, positions, side="right") - 1


def annotate_article(article_id: str, text: str, published, resources: Resources, infer: bool = False) -> dict[str, list[tuple]]:
    """Rows of every table for one article (pure: the same inputs give the same rows); `holders` lists the
    sentences that involve Russia or the West, from which `arrow_tables` builds the stance table.
    With `infer`, `inferred` holds the page's own title, source, url and date (read from the same lines),
    and a missing `published` is taken from there."""
    normalized = normalize_with_offsets(text)
    labelled = resources.segmenter.lines(text, normalized)
    rows: dict[str, list[tuple]] = {name: [] for name in (*SCHEMAS, "holders", "inferred")}
    if infer:
        header = resources.segmenter.header(text, labelled)
        rows["inferred"].append((article_id, *(header[field] for field in METADATA_FIELDS)))
        if published is None or pd.isna(published):
            published = header["published"]
    when = (published.date() if hasattr(published, "date") else published) if published is not None and not pd.isna(published) else None
    sentences = resources.segmenter.sentences(text, labelled)
    rows["sentences"] = [
        SentenceRow(article_id, number, s.segment, s.start, s.end, text[s.start : s.end], s.paragraph, s.reason)
        for number, s in enumerate(sentences)
    ]
    if not sentences:
        return rows
    starts = np.array([s.start for s in sentences])
    origins: list = []  # nisbas of origin («البنك المركزي الأوزبكي»): no actor, but a figure's country
    found, discovered = find_mentions(normalized, text, resources.catalogue, when, resources.morphology, origins)
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
                if mention.method == "states":  # «دول آسيا الوسطى»: the states of a region act, as a bloc
                    info = {**info, "actor_type": "bloc"}
                if info["actor_type"] == "person" and mention.actor_id not in roles:
                    roles[mention.actor_id] = catalogue.role_at(mention.actor_id, when)
                role = roles.get(mention.actor_id)
            rows["mentions"].append(
                MentionRow(article_id, sid, mention.actor_id, info["name_en"], info["name_ar"], info["actor_type"], info["country"],
                           info["bloc"], role, text[b:e], b, e, mention.method)
            )
    rows["figures"] = figure_rows(article_id, text, normalized, sentences, rows["mentions"] + _origin_rows(origins, normalized, starts, resources.catalogue), when)
    spoken_by = [SpokenBy(r.start, r.end, r.actor_id, r.actor_type, r.name_en, r.name_ar) for r in rows["mentions"]]
    for quote in find_quotes(text, normalized, [(s.start, s.end, s.paragraph) for s in sentences], spoken_by):
        speaker = quote.speaker
        verb_start, verb_end = quote.verb if quote.verb else (None, None)
        rows["quotes"].append(
            QuoteRow(article_id, quote.sentence, speaker.actor_id if speaker else None, speaker.name_en if speaker else None,
                     text[verb_start:verb_end] if quote.verb else None, verb_start, verb_end, text[quote.start : quote.end],
                     quote.start, quote.end, quote.method, quote.direct)
        )
    stance_rows(article_id, text, normalized, sentences, rows, resources.stance, resources.model)
    return rows


def stance_rows(article_id: str, text: str, normalized, sentences, rows: dict, lexicon: StanceLexicon, model: StanceModel | None = None) -> None:
    """Evidence rows (the cues table) and holder rows for every sentence that involves Russia or the West or
    continues a speaker's quote (one detected, or one left open to the end of its paragraph); with a learned `model`, its cue for each side where it reads a stance (see kit.extract.stance_model)."""
    norm = normalized.text
    starts = np.searchsorted(normalized.index, [r.start for r in rows["mentions"]]).tolist()
    ends = np.searchsorted(normalized.index, [r.end for r in rows["mentions"]]).tolist()
    sides = {"russia": "russia", "west": "west"}
    # places («آسيا الوسطى») are neither sides, holders nor targets: stance reads only actors
    acting = [(a, b, r) for a, b, r in zip(starts, ends, rows["mentions"]) if r.actor_type != "region"]
    actors = [Actor(a, b, r.actor_id, sides.get(r.bloc), r.method, r.actor_type) for a, b, r in acting]
    side_of = {a.actor_id: a.side for a in actors}
    actor_starts = [a.start for a in actors]
    speakers = _speakers(rows["quotes"], sentences)
    matches = cue_matches(lexicon, norm, 0, len(norm))
    match_starts = [m[0] for m in matches]
    bounds = np.searchsorted(normalized.index, [b for s in sentences for b in (s.start, s.end)]).tolist()
    fired: list[tuple[int, list[Evidence]]] = []
    asked: list[tuple[tuple[int, int], list[Actor], list[Evidence]]] = []  # the sentences the model reads
    previous_holder = None
    quoting = None  # the speaker of a quote left open by an earlier sentence (`_open_quote`)
    for number, span in enumerate(zip(bounds[0::2], bounds[1::2])):
        if quoting is not None and "\n" in text[sentences[number - 1].end : sentences[number].start] \
                and not text[sentences[number - 1].start : sentences[number - 1].end].rstrip().endswith(":"):
            quoting = None  # an unclosed quote ends with its paragraph
        if quoting is not None and number not in speakers:
            speakers[number] = quoting
        inside = actors[bisect.bisect_left(actor_starts, span[0]) : bisect.bisect_left(actor_starts, span[1])]
        named = [(a.start, a.end) for a in inside if a.end - a.start > 0]
        # a cue inside an actor's name is part of the name: «منظمة شنغهاي للتعاون», «مجلس الأمن»
        found = [m for m in matches[bisect.bisect_left(match_starts, span[0]) : bisect.bisect_left(match_starts, span[1])]
                 if m[1] <= span[1] and not any(a < m[1] and m[0] < b and (b - a) > (m[1] - m[0]) for a, b in named)]
        sided = any(a.side for a in inside)
        holder, speaking = holder_of(norm, span, inside, speakers.get(number), previous=previous_holder)
        previous_holder = holder
        quoting = _open_quote(text[sentences[number].start : sentences[number].end], holder if speaking else None, quoting)
        # a sentence inside a speaker's quote is their position even with no side named («ننوي التواصل مع زملائنا»)
        if not found and not sided and number not in speakers:
            continue
        # a sentence without an actor subject is the author's, but its cues still lean on its first actor
        holder_side = side_of.get(holder if holder is not None else subject_of(norm, span, inside, reach=None))
        evidence = sentence_evidence(norm, span, inside, holder_side, holder_side if speaking else None, lexicon, found)
        if model is not None and sided:
            asked.append((span, inside, evidence))
        if evidence or sided or number in speakers:
            rows["holders"].append(HolderRow(article_id, number, holder))
            fired.append((number, evidence))
    if asked:  # the model reads all of them at once; its cues follow each sentence's rule cues
        for (_, _, evidence), learned in zip(asked, learned_evidence(model, norm, asked, lexicon.categories)):
            evidence.extend(learned)
    fired = [(number, e) for number, evidence in fired for e in evidence]
    if fired:
        begin, finish = normalized.spans([e.start for _, e in fired], [e.end for _, e in fired])
        for (number, e), b, f in zip(fired, begin.tolist(), finish.tolist()):
            rows["cues"].append(CueRow(article_id, number, e.side, e.pattern, e.category, e.polarity, e.weight, e.negated, b, f))


def _speakers(quotes: list[QuoteRow], sentences) -> dict[int, str]:
    """Sentence number → the speaker of the quote in it; the sentences inside a long direct quote share its
    speaker."""
    sentence_starts = [s.start for s in sentences]
    speakers: dict[int, str] = {}
    for quote in quotes:
        if quote.speaker_id is None:
            continue
        speakers.setdefault(quote.sentence_id, quote.speaker_id)
        for number in range(bisect.bisect_left(sentence_starts, quote.start), len(sentences)):
            if sentences[number].end > quote.end + 2:
                break
            speakers.setdefault(number, quote.speaker_id)
    return speakers


def _open_quote(sentence: str, speaker: str | None, quoting: str | None) -> str | None:
    """Whose quote is still open after `sentence`: a speaker's sentence that ends with a colon or opens a quote
    it does not close («وأردف قائلا: "منذ وصولي إلى السلطة ...» with no closing mark) opens it; inside one,
    a closing mark ends it."""
    straight = sentence.count('"') % 2 == 1
    opened, closed = sentence.count("“") + sentence.count("«"), sentence.count("”") + sentence.count("»")
    if quoting is not None:
        return None if straight or closed > opened else quoting
    if speaker is not None and (sentence.rstrip().endswith(":") or straight or opened > closed):
        return speaker
    return None


def arrow_tables(rows: dict[str, list[tuple]], weights: dict[str, float] | None = None) -> dict[str, pa.Table]:
    """The tables of row lists as Arrow (straight from the rows: no pandas on the way); the stance table is
    scored from the cues with `weights`."""
    tables = {name: arrow_table(name, rows[name]) for name in SCHEMAS if name != "stance"}
    cues = pd.DataFrame(columns_of(rows["cues"], CueRow, ["article_id", "sentence_id", "side", "category", "polarity", "weight"]))
    holders = pd.DataFrame(columns_of(rows["holders"], HolderRow, HOLDER_COLUMNS))
    tables["stance"] = to_arrow("stance", stance_table(cues, holders, weights))
    return tables


def stance_table(cues: pd.DataFrame, holders: pd.DataFrame, weights: dict[str, float] | None = None) -> pd.DataFrame:
    """The stance table: labels and scores from the evidence (the cues table, joined on article_id and
    sentence_id, lists each sentence's cues) and the holder."""
    if holders.empty:
        return empty_table("stance")
    table = holders.merge(score(cues, holders, weights), on=["article_id", "sentence_id"])
    return table[list(SCHEMAS["stance"])].astype(SCHEMAS["stance"])


def _countries(mentions: list[tuple]) -> dict[int, list[str]]:
    """Country codes named in each sentence; neutral international institutions (organisations of bloc
    `other`: UN, IMF, World Bank ...) report or lend and are not a party to a figure."""
    by_sentence: dict[int, list[str]] = {}
    for row in mentions:
        if row.country and not (row.actor_type == "organisation" and row.bloc == "other"):
            codes = by_sentence.setdefault(row.sentence_id, [])
            if row.country not in codes:
                codes.append(row.country)
    return by_sentence


def _origin_rows(origins: list, normalized, starts: np.ndarray, catalogue) -> list[tuple]:
    """Nisbas of origin as mention rows with the fields `_countries` reads (sentence, type, country, bloc)."""
    if not origins:
        return []
    begin, _ = normalized.spans([m.start for m in origins], [m.end for m in origins])
    rows = []
    for mention, sid in zip(origins, _sentence_index(starts, begin).tolist()):
        info = catalogue.info(mention.actor_id)
        rows.append(MentionRow(None, sid, mention.actor_id, None, None, info["actor_type"], info["country"], info["bloc"], None, None, None, None, "origin"))
    return rows


def figure_rows(article_id: str, text: str, normalized, sentences, mentions: list[tuple], when) -> list[tuple]:
    """Rows of the figures table for one article."""
    found = find_figures(normalized.text)
    if not found:
        return []
    when = when or implied_published(normalized.text)  # an undated page that says «عام 2009 الماضي» is of 2010
    bounds = np.searchsorted(normalized.index, [b for s in sentences for b in (s.start, s.end)]).tolist()
    spans = list(zip(bounds[0::2], bounds[1::2]))
    span_starts = np.array(bounds[0::2])
    by_sentence = _countries(mentions)
    body = {number for number, s in enumerate(sentences) if s.segment == "body"}
    counts = Counter(r.country for r in mentions if r.actor_type == "country" and r.sentence_id in body)
    main_pair = sorted(code for code, _ in counts.most_common(2))  # the article's two most mentioned countries
    described = []
    for figure in found:
        sentence = max(0, int(np.searchsorted(span_starts, figure.start, side="right")) - 1)
        countries = by_sentence.get(sentence) or main_pair
        described.append((describe(text, normalized, figure, spans, when, countries, sentence), countries))
    settle_article([d for d, _ in described])
    rows = []
    for d, countries in described:
        rows.append(FigureRow(article_id, d["sentence"], d["surface"], d["start"], d["end"], d["value"], d["value_high"], d["unit"], d["qualifier"],
                              d["value_usd"], d["usd_basis"], d["equivalent_value"], d["equivalent_unit"], d["kind"], d["year"], d["year_basis"],
                              ";".join(sorted(set(countries))) or None, d["flag"]))
    return rows


CHUNK_ARTICLES = 250  # articles per unit of work sent to a worker process


@dataclass(frozen=True)
class Options:
    """What annotation reads besides the articles (hashable: each worker process loads it once)."""

    extra_actors: tuple[str, ...] = ()
    use_morphology: bool | None = None
    cues: str | None = None

    @classmethod
    def of(cls, extra_actors=(), use_morphology=None, cues=None) -> "Options":
        extra = (extra_actors,) if isinstance(extra_actors, (str, Path)) else tuple(extra_actors or ())
        return cls(tuple(str(Path(p).resolve()) for p in extra), use_morphology, str(Path(cues).resolve()) if cues else None)

    def resources(self) -> Resources:
        return _resources(self)

    def key(self) -> str:
        """Hash of every data file these options make annotation read."""
        from kit.base.lexicons import data_hash, file_hash

        database = find_database() if self.use_morphology is not False else None
        parts = [data_hash(), *map(file_hash, self.extra_actors), file_hash(self.cues) if self.cues else "default cues",
                 f"morphology {self.use_morphology}", file_hash(database) if database else "no morphology"]
        return "|".join(parts)


@lru_cache(maxsize=4)
def _resources(options: Options) -> Resources:
    return Resources.default(options.extra_actors, options.use_morphology, options.cues)


def annotate_chunk(articles: pd.DataFrame, options: Options) -> dict[str, pa.Table]:
    """The annotation tables of some articles (article_id, text, published) as Arrow tables."""
    resources = options.resources()
    rows: dict[str, list[tuple]] = {name: [] for name in (*SCHEMAS, "holders", "inferred")}
    missing = metadata_missing(articles)
    for article_id, text, published, infer in zip(articles["article_id"], articles["text"], articles["published"], missing.tolist()):
        for name, table_rows in annotate_article(article_id, text, published, resources, infer).items():
            rows[name].extend(table_rows)
    tables = arrow_tables(rows)
    inferred = pd.DataFrame(rows["inferred"], columns=["article_id", *METADATA_FIELDS])
    inferred["published"] = pd.to_datetime(inferred["published"]).astype("datetime64[ns]")
    return tables | {INFERRED: pa.Table.from_pandas(inferred, schema=INFERRED_SCHEMA, preserve_index=False)}


def _annotate_chunk_ipc(payload: tuple[pd.DataFrame, Options]) -> dict[str, bytes]:
    """annotate_chunk in a worker process: the tables travel back as Arrow IPC streams."""
    return {name: to_ipc(table) for name, table in annotate_chunk(*payload).items()}


def _chunks(articles: pd.DataFrame, size: int):
    for start in range(0, len(articles), size):
        yield articles.iloc[start : start + size][["article_id", "text", *METADATA_FIELDS]]


def annotation_tables(articles: pd.DataFrame, options: Options, workers: int = 1, progress=None, sink=None) -> dict[str, pa.Table]:
    """Every annotation table of `articles`, computed chunk by chunk in `workers` processes. With `sink`,
    each chunk's tables are passed to `sink(tables)` as they arrive instead (a cache entry being written),
    and only the metadata read from the pages is returned."""
    sizes = [min(CHUNK_ARTICLES, len(articles) - start) for start in range(0, len(articles), CHUNK_ARTICLES)]
    bar = progress_bar(len(articles), "annotating", progress)
    parts: dict[str, list[pa.Table]] = {name: [] for name in (*SCHEMAS, INFERRED)}
    if workers == 1:
        results = map_chunks(lambda chunk: annotate_chunk(chunk, options), _chunks(articles, CHUNK_ARTICLES), sizes, progress=bar)
    else:
        chunks = ((chunk, options) for chunk in _chunks(articles, CHUNK_ARTICLES))
        results = ({name: from_ipc(data) for name, data in result.items()} for result in map_chunks(_annotate_chunk_ipc, chunks, sizes, workers=workers, progress=bar))
    for result in results:
        if sink is not None:
            sink({name: table for name, table in result.items() if name != INFERRED})
            result = {INFERRED: result[INFERRED]}
        for name, table in result.items():
            parts[name].append(table)
    return {name: concat_tables(name, tables) for name, tables in parts.items() if sink is None or name == INFERRED}


def corpus_tables(corpus: Corpus) -> dict[str, pa.Table]:
    return {"articles": pa.Table.from_pandas(corpus.articles, preserve_index=False), "errors": pa.Table.from_pandas(corpus.errors, preserve_index=False)}


def with_metadata(corpus: Corpus, inferred: pa.Table) -> Corpus:
    """The corpus with the metadata annotation read from the pages filled in where it was missing."""
    return Corpus(infer_metadata(corpus.articles, inferred.to_pandas(types_mapper=ARROW_STRINGS.get)), corpus.errors, corpus.origin)


def annotated_of(tables: dict[str, pa.Table], corpus: Corpus | None = None) -> Annotated:
    """The Annotated of computed tables; articles and errors from `corpus` when given."""
    frames = {name: to_pandas(name, table) for name, table in tables.items() if name in SCHEMAS}
    if corpus is not None:
        return Annotated(corpus.articles, errors=corpus.errors, **frames)
    return Annotated(to_pandas("articles", tables["articles"]), errors=to_pandas("errors", tables["errors"]), **frames)


def is_dask(collection) -> bool:
    return type(collection).__module__.startswith(("dask.", "dask_expr."))


def annotate_dask(collection, *, extra_actors=(), use_morphology: bool | None = None, cues=None) -> Annotated:
    """Annotate a Dask DataFrame, or a Dask Bag of dicts, of records with `article_id` and `text` (and any
    metadata `load_corpus` reads from a table) on the current Dask scheduler — a `distributed.Client`
    if one is active. Each partition is loaded and annotated where it lives; the tables come back
    concatenated in partition order, the same tables a single process computes. Not cached.
    """
    import dask.bag as db
    import dask.dataframe as dd

    if isinstance(collection, dd.DataFrame):
        if "article_id" not in collection.columns or "text" not in collection.columns:
            raise ValueError(f"a Dask DataFrame to annotate needs 'article_id' and 'text' columns (it has: {', '.join(map(str, collection.columns))})")
        collection = collection.to_bag(index=False, format="dict")
    elif not isinstance(collection, db.Bag):
        raise TypeError(f"annotate_dask takes a dask DataFrame or Bag, not {type(collection).__name__}")
    options = Options.of(extra_actors, use_morphology, cues)
    parts = collection.map_partitions(_annotate_partition, options).compute()
    if not parts:
        corpus = read_corpus(pd.DataFrame({"article_id": [], "text": []}), progress=False)
        tables = annotation_tables(corpus.articles, options)
        return annotated_of(tables, with_metadata(corpus, tables.pop(INFERRED)))
    tables = {name: concat_tables(name, [from_ipc(part[name]) for part in parts]) for name in (*SCHEMAS, "articles", "errors")}
    annotated = annotated_of(tables)
    duplicated = annotated.articles["article_id"].duplicated()
    if duplicated.any():
        raise ValueError(f"article_id must be unique across partitions; repeated: {', '.join(annotated.articles['article_id'][duplicated].unique()[:5])}")
    return annotated


def _annotate_partition(records, options: Options) -> list[dict[str, bytes]]:
    """One partition of records → its articles, errors and annotation tables (Arrow IPC, one dict per partition)."""
    frame = pd.DataFrame(list(records))
    if frame.empty:
        return []
    if "article_id" not in frame.columns or frame["article_id"].isna().any():
        raise ValueError("every record to annotate with Dask needs an 'article_id' (row numbers are not unique across partitions)")
    corpus = read_corpus(frame, progress=False)
    tables = annotate_chunk(corpus.articles, options)
    tables.update(corpus_tables(with_metadata(corpus, tables.pop(INFERRED))))
    return [{name: to_ipc(table) for name, table in tables.items()}]
