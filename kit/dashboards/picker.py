"""Open a corpus without code: the picker in the first cell of every notebook.

`CorpusPicker(CORPUS)` shows a path box with the folders and files under it that the kit can read (folders
of .txt files, .csv/.tsv/.jsonl/.parquet tables), an upload for a CSV, JSONL or Parquet file or a ZIP of
.txt files, and a Load button; loading shows a progress bar, then the corpus summary and `corpus.errors`.
It loads `CORPUS` (None: the bundled seed articles) at once, so Run All works; `picker.corpus` is the
annotated corpus the cells below read. An uploaded ZIP is unpacked into a new folder — only its `.txt`
members, never outside that folder. Imports ipywidgets and kit.annotation.
"""

from __future__ import annotations

import html
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

import ipywidgets as W

from kit.annotation import load

__all__ = ["READABLE", "CorpusPicker", "readable_entries", "unpack_upload"]

READABLE = (".csv", ".tsv", ".jsonl", ".parquet", ".txt")
LISTED = 200  # entries listed under a folder


def readable_entries(folder: str | Path) -> list[Path]:
    """The sub-folders and readable files of `folder` (hidden ones left out), folders first, by name."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    entries = [p for p in folder.iterdir() if not p.name.startswith(".") and (p.is_dir() or p.suffix.lower() in READABLE)]
    return sorted(entries, key=lambda p: (not p.is_dir(), p.name.lower()))[:LISTED]


def unpack_upload(name: str, content: bytes, into: str | Path) -> Path:
    """Write an uploaded file under `into` and return what to load: the file itself, or for a ZIP the
    folder its `.txt` members were unpacked into (members with absolute paths or «..» are skipped)."""
    into = Path(into)
    into.mkdir(parents=True, exist_ok=True)
    safe_name = PurePosixPath(name.replace("\\", "/")).name or "upload"
    target = into / safe_name
    target.write_bytes(content)
    if target.suffix.lower() != ".zip":
        return target
    folder = into / target.stem
    folder.mkdir(exist_ok=True)
    with zipfile.ZipFile(target) as archive:
        for member in archive.infolist():
            parts = PurePosixPath(member.filename).parts
            if member.is_dir() or not member.filename.lower().endswith(".txt") or member.filename.startswith("/") or ".." in parts:
                continue
            destination = folder.joinpath(*parts)
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_bytes(archive.read(member))
    return folder


class CorpusPicker:
    """A path box, the entries it can read, an upload, a Load button with a progress bar, and the summary
    of the loaded corpus with its errors."""

    def __init__(self, corpus=None, *, progress: bool | None = None):
        self.path = W.Text(value="" if corpus is None else str(corpus), placeholder="empty: the bundled seed articles",
                           description="Corpus", layout={"width": "520px"}, continuous_update=False)
        self.entries = W.Select(options=[], rows=6, description="Contains", layout={"width": "520px"})
        self.upload = W.FileUpload(accept=".csv,.tsv,.jsonl,.parquet,.zip", multiple=False, description="Upload")
        self.button = W.Button(description="Load", button_style="primary", icon="folder-open")
        self.log = W.Output()
        self.summary = W.HTML()
        self.corpus = None
        self.path.observe(lambda _: self._list(), names="value")
        self.entries.observe(self._enter, names="value")
        self.upload.observe(self._uploaded, names="value")
        self.button.on_click(lambda _: self._clicked())
        self.widget = W.VBox([W.HBox([self.path, self.button, self.upload]), self.entries, self.log, self.summary])
        self._progress = progress
        self._list()
        self.load()

    def _list(self) -> None:
        text = self.path.value.strip()
        folder = Path(text) if text and Path(text).is_dir() else (Path(text).parent if text else Path("."))
        self.entries.options = [(f"{p.name}/" if p.is_dir() else p.name, str(p)) for p in readable_entries(folder)]

    def _enter(self, change) -> None:
        if change["new"]:
            self.path.value = change["new"]

    def _uploaded(self, change) -> None:
        files = change["new"]
        if not files:
            return
        upload = files[0]
        where = Path(tempfile.mkdtemp(prefix="kit-upload-"))
        self.path.value = str(unpack_upload(upload["name"], bytes(upload["content"]), where))
        self._clicked()

    def _clicked(self) -> None:
        """Load from the button: the progress bars render inside the picker (a callback has no cell output),
        for a corpus of any size (a click deserves an answer), unless the picker was made with progress=False."""
        self.log.clear_output()
        with self.log:
            self.load(progress=self._progress is not False)

    def load(self, progress: bool | None = None):
        """Load and annotate what the path box names (empty: the seeds); show the summary and errors.
        `progress`: show progress bars (None: the picker's own setting)."""
        text = self.path.value.strip()
        try:
            self.corpus = load(text or None, progress=self._progress if progress is None else progress)
        except (FileNotFoundError, ValueError) as exc:
            self.summary.value = f"<p style='color:#D55E00'>{html.escape(str(exc))}</p>"
            return None
        self.summary.value = _summary_html(self.corpus, text or "the bundled seed articles")
        return self.corpus

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = self.widget._repr_mimebundle_()
        bundle["text/plain"] = f"CorpusPicker: {self.corpus!r}"
        return bundle


def _summary_html(corpus, origin: str) -> str:
    articles = corpus.articles
    dates = articles["published"].dropna()
    span = f"{dates.min():%Y-%m-%d} – {dates.max():%Y-%m-%d}" if len(dates) else "no dates"
    sources = articles["source"].nunique()
    errors = corpus.errors
    lines = [f"<p><b>{len(articles):,}</b> articles from {html.escape(origin)} · {sources:,} sources · {span} · "
             f"{len(corpus.sentences):,} sentences · {len(errors):,} inputs not read or with warnings</p>"]
    if len(errors):
        shown = errors.head(20)
        rows = "".join("<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in r) + "</tr>" for r in shown.itertuples(index=False))
        head = "".join(f"<th>{html.escape(str(c))}</th>" for c in shown.columns)
        lines.append(f"<table><tr>{head}</tr>{rows}</table>")
    return "".join(lines)
