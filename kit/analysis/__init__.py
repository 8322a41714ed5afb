"""Questions asked of annotated tables: validation against hand gold, training the learned stance component,
labelling sessions and agreement, and keyword-in-context search. Imports the layers below and kit.annotation,
never the charts or dashboards.
"""


from kit import submodules

__getattr__ = submodules(__name__)
