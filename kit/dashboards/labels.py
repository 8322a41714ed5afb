"""The labelling dashboard: one stance sentence at a time, labelled with buttons or the keyboard.

`LabelDashboard(annotated, path=...)` shows the sentence the queue (`kit.analysis.labelling`) puts first, right to
left, with the kit's cues marked, the sentences before and after it, and its article's source, date and
title; −1 / 0 / +1 toward Russia and toward the West, a holder picker (the sentence's actors and the
author), Save, Skip and Undo. Every label is written to the label file at once. Keys work while the focus
is anywhere in the dashboard (click the sentence first): a small anywidget front end listens for them,
sends them to Python and keeps JupyterLab's own shortcuts (x cuts a cell, a inserts one ...) out of the
way. Below, the agreement of the kit with the labels so far, updated after each label, with the
disagreements to open again; Retrain refits the learned component with the labels and reports
cross-validated macro-F1 before and after, and Apply gives this session's corpus the refitted model.
"""

from __future__ import annotations

import html
import time
from pathlib import Path
from types import SimpleNamespace

import anywidget
import ipywidgets as W
import pandas as pd
import traitlets

from kit.analysis.labelling import LabelSession
from kit.extract.stance_lexicon import SIDES
from kit.viz.reader import sentence_html

__all__ = ["KEYS", "KeyCard", "LabelDashboard"]

# key → (what it does, its argument)
KEYS = {
    "q": ("russia", -1), "w": ("russia", 0), "e": ("russia", 1),
    "a": ("west", -1), "s": ("west", 0), "d": ("west", 1),
    "Enter": ("save", None), "x": ("skip", None), "z": ("undo", None), "Backspace": ("undo", None),
    **{str(n): ("holder", n - 1) for n in range(1, 10)},
}
HELP = "Keys: q / w / e = Russia −1 / 0 / +1 · a / s / d = West −1 / 0 / +1 · 1–9 = holder · Enter = save and next · x = skip · z or Backspace = undo"

_ESM = """
function render({ model, el }) {
  const card = document.createElement("div");
  card.className = "kit-label-card";
  card.tabIndex = 0;
  card.setAttribute("data-lm-suppress-shortcuts", "true");
  const draw = () => { card.innerHTML = model.get("html"); };
  const root = () => el.closest(".kit-label-dashboard") || el;
  const onKey = (event) => {
    const target = event.target;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.tagName === "SELECT")) return;
    if (!model.get("shortcuts").includes(event.key)) return;
    event.preventDefault();
    event.stopPropagation();
    model.send({ key: event.key, at: Date.now() });
  };
  draw();
  model.on("change:html", () => {
    const inside = root().contains(document.activeElement);
    draw();
    if (inside) card.focus({ preventScroll: true });  // after a button click the keys keep working
  });
  el.appendChild(card);
  // once the dashboard is in the page (its views are attached a few frames later): keys anywhere in it
  // come here, and JupyterLab's own shortcuts (x cuts a cell, a inserts one ...) stay out of it
  let listening = el, frames = 0;
  const attach = () => {
    const found = el.closest(".kit-label-dashboard");
    if (!found && frames++ < 600) { requestAnimationFrame(attach); return; }
    listening = found || el;
    listening.setAttribute("data-lm-suppress-shortcuts", "true");
    listening.addEventListener("keydown", onKey);
    card.focus({ preventScroll: true });
  };
  attach();
  return () => listening.removeEventListener("keydown", onKey);
}
export default { render };
"""

_CSS = """
.kit-label-card { border: 1px solid #c8c8c8; border-radius: 6px; padding: 8px 14px; outline: none; min-height: 120px; }
.kit-label-card:focus { border-color: #1a73e8; box-shadow: 0 0 0 2px #1a73e833; }
.kit-label-card .kit-keys-off { display: block; color: #888; font-size: 12px; }
.kit-label-card:focus .kit-keys-off { visibility: hidden; }  /* not display: none: the buttons below must not move under the pointer */
.kit-label-card .kit-context { color: #888; font-size: 14px; }
.kit-label-card .kit-meta { color: #555; font-size: 13px; direction: rtl; }
"""


class KeyCard(anywidget.AnyWidget):
    """The sentence card: HTML set from Python (escaped there), focusable; it sends the keys of `shortcuts`
    pressed anywhere in the dashboard as {"key": ...} messages."""

    _esm = _ESM
    _css = _CSS
    html = traitlets.Unicode("").tag(sync=True)
    shortcuts = traitlets.List(traitlets.Unicode(), default_value=list(KEYS)).tag(sync=True)


def _signed(value) -> str:
    return "—" if value is None else ("0" if value == 0 else f"{value:+d}")


def _label_buttons(description: str) -> W.ToggleButtons:
    return W.ToggleButtons(options=[("−1", -1), ("0", 0), ("+1", 1)], value=None, description=description,
                           style={"button_width": "48px"})


def _table_html(frame: pd.DataFrame, index: bool = True) -> str:
    return frame.to_html(escape=True, border=0, index=index)


class LabelDashboard:
    """Label stance sentences of `annotated` into the CSV at `path` (created, or reopened where it stopped).

    order: "least_sure" (the kit's score nearest its threshold first) or "random" (with `seed`).
    segments: the segments whose stance sentences are offered (the article bodies by default)."""

    def __init__(self, annotated, *, path: str | Path, order: str = "least_sure", seed: int = 0, segments=("body",), base: str = "bundled"):
        self.session = LabelSession(annotated, path=path, order=order, seed=seed, segments=segments)
        self.base = base
        self.card = KeyCard()
        self.card.on_msg(self._on_message)
        self.russia, self.west = _label_buttons("Russia"), _label_buttons("West")
        self.holder = W.Dropdown(description="Holder", layout={"width": "420px"})
        self.save_button = W.Button(description="Save and next", icon="check", button_style="primary", tooltip="Enter")
        self.skip_button = W.Button(description="Skip", icon="forward", tooltip="x")
        self.undo_button = W.Button(description="Undo", icon="undo", tooltip="z or Backspace")
        self.retrain_button = W.Button(description="Retrain", icon="cogs", tooltip="refit the learned component with your labels")
        self.apply_button = W.Button(description="Apply", icon="play", disabled=True, tooltip="give this session's corpus the refitted model")
        self.progress, self.status, self.agreement, self.report = W.HTML(), W.HTML(), W.HTML(), W.HTML()
        self.disagreements = W.Dropdown(description="Disagreements", layout={"width": "760px"}, style={"description_width": "110px"})
        self.open_button = W.Button(description="Open", icon="folder-open", tooltip="show this sentence again to relabel it")
        self.save_button.on_click(lambda _: self.press("Enter"))
        self.skip_button.on_click(lambda _: self.press("x"))
        self.undo_button.on_click(lambda _: self.press("z"))
        self.retrain_button.on_click(lambda _: self.retrain())
        self.apply_button.on_click(lambda _: self.apply())
        self.open_button.on_click(lambda _: self.open(self.disagreements.value))
        for buttons in (self.russia, self.west):
            buttons.observe(lambda _: self._draw_card(), names="value")
        self.holder.observe(lambda _: self._draw_card(), names="value")
        self.last_agreement = None
        self.widget = W.VBox([
            self.progress, self.card, W.HTML(f"<small>{html.escape(HELP)}</small>"),
            W.HBox([self.russia, self.west]), W.HBox([self.holder, self.save_button, self.skip_button, self.undo_button]),
            self.status, W.HTML("<h4>Agreement of the kit with your labels</h4>"), self.agreement,
            W.HBox([self.disagreements, self.open_button]), W.HBox([self.retrain_button, self.apply_button]), self.report,
        ])
        self.widget.add_class("kit-label-dashboard")
        self._show()
        self._refresh_agreement()

    # --- what is shown

    def _show(self) -> None:
        """Put the current sentence in front, with the researcher's earlier label (if any) chosen."""
        self.item = self.session.item()
        if self.item is None:
            self.holder.options = []
        else:
            previous, offered = self.item.label, [h for _, h in self.item.holders]
            self.holder.options = self.item.holders
            chosen = previous.holder_id if previous else self.item.row["holder_id"]  # the researcher's earlier holder, else the kit's
            self.holder.value = chosen if chosen in offered else offered[0]
        self.russia.value = self.item.label.russia if self.item and self.item.label else None
        self.west.value = self.item.label.west if self.item and self.item.label else None
        self._draw_card()
        store = self.session.store
        self.progress.value = (f"<b>{len(store)} labelled</b> · {self.session.remaining} to go · "
                               f"<code>{html.escape(str(store.path))}</code>")

    def _draw_card(self) -> None:
        item = self.item
        if item is None:
            self.card.html = "<p>Every sentence has a label. Undo (z) brings the last one back.</p>"
            return
        article_id, sentence_id = item.key
        a = item.article
        published = a["published"].strftime("%Y-%m-%d") if pd.notna(a.get("published")) else "no date"
        meta = " · ".join(html.escape(str(v)) for v in (a.get("source") if pd.notna(a.get("source")) else "no source", published,
                                                         a.get("title") if pd.notna(a.get("title")) else article_id))
        view = SimpleNamespace(articles=a.to_frame().T.rename_axis("article_id").reset_index(), sentences=self.session._of("sentences", article_id),
                               cues=self.session._of("cues", article_id))
        chosen = " · ".join(f"{side.title()}: {_signed(v)}" for side, v in (("russia", self.russia.value), ("west", self.west.value)))
        holder = next((label for label, value in item.holders if value == self.holder.value), "—")
        again = "<b>(labelled before: your label is chosen)</b> " if item.label else ""
        self.card.html = (
            f'<div class="kit-meta">{meta} · <bdi dir="ltr"><code>{html.escape(article_id)}:{sentence_id}</code></bdi></div>'
            f'<div class="kit-context" dir="rtl" lang="ar">{html.escape(item.previous)}</div>'
            f'<div style="border-right: 4px solid #1a73e8; padding-right: 6px">{sentence_html(view, article_id, sentence_id, "cues")}</div>'
            f'<div class="kit-context" dir="rtl" lang="ar">{html.escape(item.following)}</div>'
            f'<p class="kit-choice">{again}{html.escape(chosen)} · holder: {html.escape(holder)}</p>'
            '<span class="kit-keys-off">Click the sentence to label with the keys.</span>'
        )

    def _refresh_agreement(self) -> None:
        found = self.last_agreement = self.session.agreement()
        if not found.labels:
            self.agreement.value = "<p>No labels yet.</p>"
            _set_options(self.disagreements, [])
            return
        measures = found.table[["measure", "value", "low", "high", "n"]].round(3)
        matrices = "".join(f"<div style='margin-right:24px'><b>{side}</b> (rows you, columns the kit){_table_html(found.confusion[side])}</div>"
                           for side in SIDES)
        self.agreement.value = (f"<p class='kit-agreement'>{html.escape(str(found))}</p>{_table_html(measures, index=False)}"
                                f"<div style='display:flex'>{matrices}</div>")
        options = [(f"{r.article_id}:{int(r.sentence_id)} · {r.problem} · you {r.gold} · kit {r.predicted}", (r.article_id, int(r.sentence_id)))
                   for r in found.disagreements.itertuples() if pd.notna(r.sentence_id)]
        _set_options(self.disagreements, options)

    # --- actions

    def press(self, key: str) -> None:
        """Do what a key does (the buttons call this too)."""
        action, argument = KEYS.get(key, (None, None))
        if self.item is None and action not in ("undo", None):
            return
        if action in SIDES or action == "holder":
            self.status.value = ""
        if action in SIDES:
            (self.russia if action == "russia" else self.west).value = argument
        elif action == "holder" and argument < len(self.holder.options):
            self.holder.value = self.holder.options[argument][1]
        elif action == "save":
            self.save()
        elif action == "skip":
            self.session.skip()
            self.status.value = "Skipped: it comes back at the end."
            self._show()
        elif action == "undo":
            undone = self.session.undo()
            self.status.value = "Nothing to undo." if undone is None else f"Undone: the {undone[0]} of {html.escape(undone[1][0])}:{undone[1][1]}."
            self._refresh_agreement()
            self._show()

    def save(self) -> None:
        if self.russia.value is None or self.west.value is None:
            missing = " and ".join(side for side, v in (("Russia", self.russia.value), ("West", self.west.value)) if v is None)
            self.status.value = f"<span style='color:#c0392b'>Choose a label for {missing} first.</span>"
            return
        label = self.session.save(self.russia.value, self.west.value, self.holder.value, key=self.item.key)
        self.status.value = f"Saved {html.escape(label.article_id)}:{label.sentence_id}: Russia {_signed(label.russia)} · West {_signed(label.west)}."
        self._refresh_agreement()  # before the progress line moves on: both are up to date when it does
        self._show()

    def open(self, key) -> None:
        if key:
            self.session.open(key)
            self._show()

    def retrain(self) -> None:
        self.report.value = "<p>Retraining: cross-validation over your labels, then the final fit (about a minute) ...</p>"
        try:
            result = self.session.retrain(base=self.base)
        except ValueError as exc:
            self.report.value = f"<p style='color:#c0392b'>{html.escape(str(exc))}</p>"
            return
        self.report.value = f"<pre>{html.escape(str(result))}</pre>"
        self.apply_button.disabled = False

    def apply(self) -> None:
        self.session.apply()
        self.apply_button.disabled = True
        self.report.value += ("<p>Applied: the kit's labels in this session now come from the refitted model. The agreement "
                              "below is now measured on sentences it was trained on; the cross-validated figures above are the fair ones.</p>")
        self._show()
        self._refresh_agreement()

    def _on_message(self, _widget, content, _buffers) -> None:
        started = time.perf_counter()
        self.press(str(content.get("key", "")))
        self.status.value += f" <small>({(time.perf_counter() - started) * 1000:.0f} ms)</small>"

    # --- display

    def summary(self) -> str:
        found = self.last_agreement
        return f"LabelDashboard: {len(self.session.store)} labelled, {self.session.remaining} to go\n{found if found is not None else ''}"

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = self.widget._repr_mimebundle_()
        bundle["text/plain"] = self.summary()
        return bundle


def _set_options(dropdown: W.Dropdown, options: list) -> None:
    dropdown.options = options
    dropdown.value = options[0][1] if options else None
