"""What the kit finds in one article: actor mentions and their catalogue, quotes and who spoke them, trade and
money figures, and stance toward Russia and the West with its evidence. Each module offers find_* functions
over text; imports kit.base and kit.arabic only.
"""


from kit import submodules

__getattr__ = submodules(__name__)
