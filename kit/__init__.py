"""Interactive research kit for Arabic news: actors, stance toward Russia and the West, trade figures.

    import kit
    corpus = kit.load()          # the five bundled seed articles, annotated
    corpus.sentences             # one row per sentence, with its segment (body / related / tags / boilerplate)

Every table is a pandas DataFrame joined by article_id / sentence_id, and every span in it carries
character offsets into the article text.

`import kit` imports nothing but this file: every public name below is imported from its module when
first used (PEP 562), so the command line and the annotation workers never load plotly or ipywidgets.
The layers, each a subpackage that imports only the ones before it: kit.base (data files, encodings,
integer codes) <- kit.arabic (text, segments, dates, morphology) <- kit.extract (actors, quotes, figures,
stance) <- kit.pipeline <- kit.annotation (load, annotate, cache); kit.io (corpus, cache, export,
workers); kit.tables (the table contract); kit.analysis, kit.viz and kit.dashboards sit on the tables.
"""

from importlib import import_module
from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("arabic-news-kit")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0"

# public name -> the module that defines it
_PUBLIC = {
    "kit.annotation": ("annotate", "load"),
    "kit.tables": ("Annotated", "TABLES", "in_context"),
    "kit.io.corpus": ("Corpus", "load_corpus"),
    "kit.io.export": ("default_outdir", "export_chart"),
    "kit.base.encodings": ("DecodeError", "decode_bytes"),
    "kit.base.lexicons": ("LexiconError",),
    "kit.arabic.segments": ("SEGMENTS", "Segmenter"),
    "kit.arabic.text": ("normalize", "normalize_with_offsets", "split_sentences", "tokenize"),
    "kit.extract.catalogue": ("Catalogue",),
    "kit.extract.figures": ("parse_figures",),
    "kit.extract.stance_lexicon": ("StanceLexicon",),
    "kit.extract.stance_scores": ("score",),
    "kit.analysis.actor_counts": ("actor_counts", "cooccurrence", "discovered_actors"),
    "kit.analysis.aggregation": ("aggregate", "agreement", "evaluate"),
    "kit.analysis.conflicts": ("conflicts",),
    "kit.analysis.search": ("search", "search_counts"),
    "kit.analysis.validation": ("validate",),
    "kit.viz.describe": ("describe_figure",),
    "kit.viz.reader": ("article_html", "sentence_html"),
    "kit.dashboards.corpus": ("CorpusDashboard",),
    "kit.dashboards.search": ("SearchDashboard",),
    "kit.dashboards.actors": ("ActorsDashboard",),
    "kit.dashboards.stance": ("StanceDashboard",),
    "kit.dashboards.figures": ("FiguresDashboard",),
    "kit.dashboards.labels": ("LabelDashboard",),
    "kit.dashboards.picker": ("CorpusPicker",),
    "kit.dashboards.base": ("setup_notebook",),
}
_LAZY = {name: module for module, names in _PUBLIC.items() for name in names}
# modules reachable as attributes: the subpackages, and short names for the chart builders and labelling
_MODULES = {
    **{name: f"kit.{name}" for name in ("base", "arabic", "extract", "io", "analysis", "viz", "dashboards", "tables", "pipeline", "annotation")},
    "charts": "kit.viz.charts",
    "labelling": "kit.analysis.labelling",
}


def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(import_module(_LAZY[name]), name)
    elif name in _MODULES:
        value = import_module(_MODULES[name])
    else:
        raise AttributeError(f"module 'kit' has no attribute {name!r}")
    globals()[name] = value
    return value


def submodules(package: str):
    """A module `__getattr__` for a subpackage: `kit.viz.charts` works without importing it first."""

    def attribute(name: str):
        try:
            return import_module(f"{package}.{name}")
        except ModuleNotFoundError as error:
            if error.name != f"{package}.{name}":
                raise
            raise AttributeError(f"module {package!r} has no attribute {name!r}") from None

    return attribute


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY, *_MODULES})


__all__ = sorted([*_LAZY, "charts", "__version__"])
