"""Pictures of the tables: the plotly chart builders (pure DataFrame -> go.Figure functions), one theme for
blocs, colours and order, and the HTML reader of articles. Imports the tables and kit.base, never the pipeline
or ipywidgets.
"""


from kit import submodules

__getattr__ = submodules(__name__)
