"""Segments: which sentences of an article are its body and which are related stories, tags or boilerplate.

Scraped news pages carry page furniture around the article: date and source lines, `كلمات دلالية:` tag lists,
`[ad_1]` markers, embedded tweets, after `مقالات مشابهة` or the source line whole unrelated stories, and
inside the body `اقرأ أيضاً` links (the marker and the headline it links are `related`; the body goes on). Analyses
default to the body, so every sentence gets one of `body`, `related`, `tags`, `boilerplate` and a `reason`.
The markers are rules in `data/segments.csv`; the code adds four mechanisms that need no vocabulary: the
first body line is the title, a repeated line is boilerplate (seed 001 repeats its title), a line that is
only a date is boilerplate, and short unpunctuated lines at the end of the body are boilerplate (page
widgets). `Segmenter.header` reads the metadata those lines carry: title, source, url, publication date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import numpy as np

from kit.arabic.dates import find_dates
from kit.arabic.text import (
    Normalized,
    lines,
    mark_class,
    normalize_with_offsets,
    punctuation,
    split_sentences,
)
from kit.base.lexicons import Column, data_path, read_table

__all__ = ["SEGMENTS", "Segmenter", "SegmentedSentence", "default_segmenter"]

SEGMENTS = ("body", "related", "tags", "boilerplate")
ACTIONS = ("label", "prefix", "ends_body", "source", "published", "link")
_MARKER_ONLY_RE = re.compile(r"[\s:：\-–—.…]*$")  # what may follow «اقرأ أيضا» when its headline is on the next line
_URL_RE = re.compile(r"^(https?://|www\.)\S+$")
_WORD_RE = re.compile(r"[^\W\d_]{2,}")
_DIGIT_RE = re.compile(r"\d")
TRAILING_LINE_WORDS = 8


@lru_cache(maxsize=1)
def _terminal_re() -> re.Pattern:
    """A line that ends with a sentence-ending mark (data/punctuation.csv), closing marks after it allowed."""
    marks = punctuation()
    return re.compile(rf"{mark_class(marks.sentence_end)}{mark_class(marks.closing)}*\s*$")


class SegmentedSentence(NamedTuple):
    """One sentence of an article: offsets, segment, the line (paragraph) it is on and why it got its label."""

    start: int
    end: int
    segment: str
    paragraph: int
    reason: str


@dataclass(frozen=True)
class Rule:
    name: str
    pattern: re.Pattern
    action: str
    segment: str


@dataclass
class _Line:
    start: int
    end: int
    norm: str
    segment: str
    reason: str
    prefix_end: int | None = None
    dates: list = field(default_factory=list)


class Segmenter:
    """Labels the lines and sentences of an article with the rules of a segments file."""

    def __init__(self, rules_path: str | Path | None = None):
        self.rules_path = Path(rules_path) if rules_path else data_path("segments.csv")
        rows = read_table(
            self.rules_path,
            [
                Column("name", required=True),
                Column("pattern", "regex", required=True),
                Column("action", "choice", required=True, choices=ACTIONS),
                Column("segment", "choice", required=True, choices=SEGMENTS),
                Column("note"),
            ],
        )
        self.rules = [
            Rule(name, re.compile(pattern, re.IGNORECASE), action, segment)
            for name, pattern, action, segment in zip(rows["name"], rows["pattern"], rows["action"], rows["segment"])
        ]

    # ---- lines -------------------------------------------------------------------------------------
    def _rule_for(self, norm: str) -> tuple[Rule, re.Match] | None:
        for rule in self.rules:
            match = rule.pattern.search(norm)
            if match:
                return rule, match
        return None

    @staticmethod
    def _date_only(text: str, start: int, end: int) -> list:
        """Dates of a line that holds nothing but a date (and at most two label words)."""
        if end - start > 80 or not _DIGIT_RE.search(text, start, end):
            return []
        found = find_dates(text[start:end])
        if not found:
            return []
        rest = text[start:end]
        for date in reversed(found):
            rest = rest[: date.start] + " " + rest[date.end :]
        return found if len(_WORD_RE.findall(rest)) <= 2 else []

    def lines(self, text: str, normalized: Normalized | None = None) -> list[_Line]:
        """Every non-empty line with its segment and reason (before sentence splitting); `normalized` is
        `normalize_with_offsets(text)` when the caller has it already."""
        labelled: list[_Line] = []
        mode, mode_reason = "body", ""
        body_started = False
        link_line: int | None = None  # the «اقرأ أيضا» line whose headline is the next line
        seen: dict[str, int] = {}
        spans = []
        for start, end in lines(text):
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            if start < end:
                spans.append((start, end))
        # the matching form of every line, cut from one normalisation of the whole text (it maps character by character)
        whole = normalized if normalized is not None else normalize_with_offsets(text)
        bounds = np.searchsorted(whole.index, [b for span in spans for b in span]).tolist()
        for (start, end), norm_start, norm_end in zip(spans, bounds[0::2], bounds[1::2]):
            norm = whole.text[norm_start:norm_end]
            line = _Line(start, end, norm, mode, mode_reason)
            found = self._rule_for(norm)
            linked, link_line = link_line, None
            if linked is not None and not found and mode == "body" and not _terminal_re().search(norm):
                line.segment, line.reason = "related", f"headline linked by line {linked}"
            elif found:
                rule, match = found
                line.segment, line.reason = rule.segment, rule.name
                if rule.action == "prefix":
                    normalized = normalize_with_offsets(text[start:end])
                    line.prefix_end = start + normalized.span(0, match.end())[1]
                    line.segment, line.reason = mode, mode_reason
                if rule.action in ("ends_body", "source") and body_started and mode == "body":
                    mode, mode_reason = "related", f"after '{text[start:end][:40]}' (line {len(labelled)})"
                if rule.action == "published":
                    line.dates = find_dates(text[start:end])
                if rule.action == "link" and _MARKER_ONLY_RE.match(norm, match.end()):
                    link_line = len(labelled)
            elif dates := self._date_only(text, start, end):
                line.segment, line.reason, line.dates = "boilerplate", "date line", dates
            elif norm in seen:
                line.segment, line.reason = "boilerplate", f"repeat of line {seen[norm]}"
            if line.segment == "body" and _terminal_re().search(norm):
                body_started = True
            seen.setdefault(norm, len(labelled))
            labelled.append(line)
        self._mark_title(labelled)
        self._mark_trailing(labelled)
        return labelled

    @staticmethod
    def _mark_title(labelled: list[_Line]) -> None:
        for line in labelled:
            if line.segment == "body" and line.prefix_end is None:
                line.reason = "title"
                return

    @staticmethod
    def _mark_trailing(labelled: list[_Line]) -> None:
        """Short unpunctuated body lines at the very end are page widgets, not article text."""
        for line in reversed(labelled):
            if line.segment != "body" or line.reason == "title":
                continue
            if _terminal_re().search(line.norm) or len(line.norm.split()) >= TRAILING_LINE_WORDS:
                return
            line.segment, line.reason = "boilerplate", "trailing line without sentence punctuation"

    # ---- sentences ---------------------------------------------------------------------------------
    def sentences(self, text: str, labelled: list[_Line] | None = None) -> list[SegmentedSentence]:
        """Sentences of the article, in order, each with its segment, paragraph number and reason
        (`labelled`: the article's `lines`, when they were already computed)."""
        result: list[SegmentedSentence] = []
        for paragraph, line in enumerate(self.lines(text) if labelled is None else labelled):
            start = line.start
            if line.prefix_end is not None:
                for span in split_sentences(text, start, line.prefix_end):
                    result.append(SegmentedSentence(span.start, span.end, "boilerplate", paragraph, "embedded prefix"))
                start = line.prefix_end
            for span in split_sentences(text, start, line.end):
                result.append(SegmentedSentence(span.start, span.end, line.segment, paragraph, line.reason))
        return result

    # ---- metadata ----------------------------------------------------------------------------------
    def header(self, text: str, labelled: list[_Line] | None = None) -> dict:
        """title, source, url and published (datetime.date or None) as the page's own lines state them."""
        labelled = self.lines(text) if labelled is None else labelled
        info: dict = {"title": None, "source": None, "url": None, "published": None}
        first_paragraph_seen = False
        fallback_date = None
        for line in labelled:
            if line.reason == "title" and info["title"] is None:
                info["title"] = text[line.start : line.end]
            if line.segment == "body" and _terminal_re().search(line.norm):
                first_paragraph_seen = True
            rule = self._rule_named(line.reason)
            if rule is not None and rule.action == "published" and info["published"] is None:
                info["published"] = next((d.date for d in line.dates if d.date), None)
            if line.reason == "date line" and not first_paragraph_seen and fallback_date is None:
                fallback_date = next((d.date for d in line.dates if d.date), None)
            if rule is not None and rule.action == "source" and line.segment != "related":
                self._read_source(text[line.start : line.end], info)
        info["published"] = info["published"] or fallback_date
        return info

    def _rule_named(self, name: str) -> Rule | None:
        return next((rule for rule in self.rules if rule.name == name), None)

    @staticmethod
    def _read_source(line: str, info: dict) -> None:
        _, _, value = line.partition(":")
        value = value.strip()
        if not value:
            return
        if _URL_RE.match(value):
            info["url"] = info["url"] or value
        else:
            info["source"] = info["source"] or value


@lru_cache(maxsize=1)
def default_segmenter() -> Segmenter:
    """The segmenter with the bundled rules (built once per process)."""
    return Segmenter()
