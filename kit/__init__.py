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

from . import charts
from .actors import Catalogue, actor_counts, cooccurrence, discovered_actors
from .annotation import TABLES, Annotated, annotate, load
from .corpus import Corpus, load_corpus
from .corpus_picker import CorpusPicker
from .charts import setup_notebook
from .encodings import DecodeError, decode_bytes
from .export import export_chart
from .figures import conflicts, parse_figures
from .label_dashboard import LabelDashboard
from .lexicons import LexiconError
from .segments import SEGMENTS, Segmenter
from .reader import article_html, sentence_html
from .search import search, search_counts
from .stance import StanceLexicon, aggregate, agreement, evaluate, score
from .text import normalize, normalize_with_offsets, split_sentences, tokenize
from .validation import validate
from .widgets import ActorsDashboard, CorpusDashboard, FiguresDashboard, SearchDashboard, StanceDashboard, describe_figure

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
