"""Interactive research kit for Arabic news: actors, stance toward Russia and the West, trade figures.

    import kit
    corpus = kit.load()          # the five bundled seed articles, annotated
    corpus.sentences             # one row per sentence, with its segment (body / related / tags / boilerplate)

Every table is a pandas DataFrame joined by article_id / sentence_id, and every span in it carries
character offsets into the article text.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("arabic-news-kit")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0"

from .actors import Catalogue, actor_counts, cooccurrence, discovered_actors
from .annotation import TABLES, Annotated, annotate, load
from .corpus import Corpus, load_corpus
from .encodings import DecodeError, decode_bytes
from .export import export_chart
from .figures import conflicts, parse_figures
from .lexicons import LexiconError
from .segments import SEGMENTS, Segmenter
from .search import search, search_counts
from .stance import StanceLexicon, aggregate, agreement, evaluate, score
from .text import normalize, normalize_with_offsets, split_sentences, tokenize
from .validation import validate

# The charts, the reader and the dashboards import plotly and ipywidgets (~3 s): they are imported when first
# used (PEP 562), so the annotation workers, which import kit but draw nothing, start without them.
_LAZY = {
    **{module: (module, None) for module in ("charts", "reader", "widgets", "labelling", "label_dashboard", "corpus_picker")},
    "setup_notebook": ("charts", "setup_notebook"),
    "article_html": ("reader", "article_html"),
    "sentence_html": ("reader", "sentence_html"),
    **{name: ("widgets", name) for name in ("ActorsDashboard", "CorpusDashboard", "FiguresDashboard", "SearchDashboard", "StanceDashboard", "describe_figure")},
    "CorpusPicker": ("corpus_picker", "CorpusPicker"),
    "LabelDashboard": ("label_dashboard", "LabelDashboard"),
}


def __getattr__(name: str):
    if name not in _LAZY:
        raise AttributeError(f"module 'kit' has no attribute {name!r}")
    from importlib import import_module

    module, attribute = _LAZY[name]
    found = import_module(f".{module}", __name__)
    value = found if attribute is None else getattr(found, attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


__all__ = [
    "ActorsDashboard",
    "Annotated",
    "Catalogue",
    "Corpus",
    "CorpusDashboard",
    "CorpusPicker",
    "DecodeError",
    "FiguresDashboard",
    "LabelDashboard",
    "LexiconError",
    "SEGMENTS",
    "SearchDashboard",
    "Segmenter",
    "StanceDashboard",
    "StanceLexicon",
    "TABLES",
    "actor_counts",
    "aggregate",
    "agreement",
    "annotate",
    "article_html",
    "charts",
    "conflicts",
    "cooccurrence",
    "decode_bytes",
    "describe_figure",
    "discovered_actors",
    "evaluate",
    "export_chart",
    "load",
    "load_corpus",
    "normalize",
    "normalize_with_offsets",
    "parse_figures",
    "score",
    "search",
    "search_counts",
    "sentence_html",
    "setup_notebook",
    "split_sentences",
    "tokenize",
    "validate",
    "__version__",
]
