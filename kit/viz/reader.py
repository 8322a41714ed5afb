"""Article reader: an article as right-to-left HTML with its segments, actor mentions or stance cues marked.

Article text is untrusted input, so every piece of it is HTML-escaped before it is wrapped in markup; the
reader shows exactly the spans the tables report (by their offsets), which is how a researcher checks a
number or a label against its sentence.
"""

from __future__ import annotations

import html
from typing import Iterable

import pandas as pd

from kit.viz.theme import BLOC_COLORS, FONT, MISSING_COLOR, SEGMENT_COLORS

__all__ = ["article_html", "sentence_html"]

_STYLE = f'dir="rtl" lang="ar" style="font-family: {FONT}; font-size: 17px; line-height: 1.9"'


def _marked(text: str, start: int, end: int, spans: Iterable[tuple[int, int, str, str]]) -> str:
    """text[start:end] escaped, with non-overlapping spans (start, end, colour, title) wrapped in <mark>."""
    out, position = [], start
    for span_start, span_end, colour, title in sorted(spans):
        if span_start < position or span_end > end:
            continue  # overlapping or outside: the first span wins
        out.append(html.escape(text[position:span_start]))
        out.append(
            f'<mark style="background:{colour}33; border-bottom: 2px solid {colour}" title="{html.escape(title, quote=True)}">'
            f"{html.escape(text[span_start:span_end])}</mark>"
        )
        position = span_end
    out.append(html.escape(text[position:end]))
    return "".join(out)


def _spans(annotated, article_id: str, highlight: str) -> list[tuple[int, int, str, str]]:
    if highlight == "mentions":
        rows = annotated.mentions[annotated.mentions["article_id"] == article_id]
        return [(r.start, r.end, BLOC_COLORS.get(r.bloc, MISSING_COLOR), f"{r.actor_id} · {r.name_en} · {r.method}") for r in rows.itertuples()]
    if highlight == "cues":
        rows = annotated.cues[annotated.cues["article_id"] == article_id]
        colour = {1: "#2e8b57", -1: "#c0392b"}
        return [(r.start, r.end, colour[r.polarity], f"{r.category} {r.polarity:+d} → {r.side}{' (negated)' if r.negated else ''}") for r in rows.itertuples()]
    if highlight == "figures":
        rows = annotated.figures[annotated.figures["article_id"] == article_id]
        return [(r.start, r.end, "#8e44ad", f"{r.value:,.0f} {r.unit} · {r.kind} · {r.year}") for r in rows.itertuples()]
    return []


def article_html(annotated, article_id: str, highlight: str = "segments", segments: Iterable[str] | None = None,
                 marks: Iterable[tuple[int, int]] = ()) -> str:
    """The article as HTML: one block per paragraph, each sentence tinted by its segment, and the mentions,
    cues or figures (`highlight`) marked with their details on hover; `marks` (start, end) are marked
    instead (a search hit). `segments` limits what is shown."""
    article = annotated.articles.set_index("article_id").loc[article_id]
    text = article["text"]
    sentences = annotated.sentences[annotated.sentences["article_id"] == article_id]
    if segments is not None:
        sentences = sentences[sentences["segment"].isin(list(segments))]
    spans = [(a, b, "#E69F00", "search hit") for a, b in marks] or _spans(annotated, article_id, highlight)
    blocks, paragraph, parts = [], None, []
    for row in sentences.itertuples():
        if row.paragraph != paragraph and parts:
            blocks.append("<p>" + " ".join(parts) + "</p>")
            parts = []
        paragraph = row.paragraph
        inside = [s for s in spans if row.start <= s[0] and s[1] <= row.end]
        colour = SEGMENT_COLORS.get(row.segment, "#b0b0b0")
        reason = f" · {row.reason}" if isinstance(row.reason, str) and row.reason else ""
        parts.append(
            f'<span style="border-right: 3px solid {colour}; padding-right: 4px" title="{html.escape(row.segment + reason, quote=True)}">'
            f"{_marked(text, row.start, row.end, inside)}</span>"
        )
    if parts:
        blocks.append("<p>" + " ".join(parts) + "</p>")
    title = html.escape(str(article["title"]) if pd.notna(article["title"]) else article_id)
    return f"<div {_STYLE}><h3>{title}</h3>{''.join(blocks)}</div>"


def sentence_html(annotated, article_id: str, sentence_id: int, highlight: str = "cues") -> str:
    """One sentence as HTML with its cues (or mentions) marked."""
    text = annotated.articles.set_index("article_id").loc[article_id, "text"]
    row = annotated.sentences[(annotated.sentences["article_id"] == article_id) & (annotated.sentences["sentence_id"] == sentence_id)].iloc[0]
    spans = [s for s in _spans(annotated, article_id, highlight) if row["start"] <= s[0] and s[1] <= row["end"]]
    return f"<div {_STYLE}>{_marked(text, row['start'], row['end'], spans)}</div>"
