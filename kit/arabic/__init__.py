"""The offset-keeping Arabic layer: normalisation and tokenisation that map back to the original text, sentence
splitting and segments, dates in the Gregorian and Hijri calendars, and the optional camel-tools morphology.
Imports kit.base only.
"""


from kit import submodules

__getattr__ = submodules(__name__)
