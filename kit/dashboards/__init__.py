"""The interactive layer: ipywidgets dashboards that compose the charts, hold their state and export what they
show, the labelling dashboard and the corpus picker. The only place that imports ipywidgets.
"""


from kit import submodules

__getattr__ = submodules(__name__)
