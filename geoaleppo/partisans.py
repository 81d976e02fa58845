"""Which side a source speaks for, so a side's word about its own gains can be told apart.

Wikipedia's Syrian war map editors mark a side's claim about its own gains as claimed
until another source repeats it; this module says who counts as a side. A claimant label
(:data:`geoaleppo.attribution.CLAIMANTS`) or an outlet's name speaks for the government
side (state media, the army, Russian and Iranian state outlets, Hezbollah's channel) or
for the rebels (their officials, the opposition coalition); every other source
(agencies, monitors, the UN, a newspaper of a third country) is independent of both.
"""

from __future__ import annotations

import re

from geoaleppo.model import Side

# Folded words of a source's name (see _words) that make it speak for a side. Outlets
# are matched by their name as corpora spell it ("sana", "Al-Manar", "manar").
_SPOKESMEN: tuple[tuple[Side, frozenset[str]], ...] = (
    (Side.GOVERNMENT, frozenset({
        "syrian state media", "syrian army", "russian government", "sana", "manar",
        "al manar", "alalam", "al alam", "sputnik", "tass", "rt", "al masdar", "almasdar",
        "syrian arab news agency", "syrian tv", "ria novosti", "press tv", "irna",
    })),
    (Side.REBELS, frozenset({
        "rebel official", "rebels", "opposition official", "etilaf",
        "syrian national coalition", "national coalition", "free syrian army",
        "syrian opposition coalition", "qasioun", "orient news", "smart news",
        "halab today", "step news",
    })),
)
_NON_WORD_RE = re.compile(r"[^a-z0-9]+")


def _words(name: str) -> str:
    return _NON_WORD_RE.sub(" ", name.lower()).strip()


def side_of(source: str | None) -> Side | None:
    """The side a claimant or outlet speaks for, or None for an independent source.

    >>> [str(side_of(source)) for source in ("Syrian state media", "etilaf", "Reuters")]
    ['Syrian government forces and allies', 'rebels/opposition', 'None']
    """
    if not source:
        return None
    words = _words(source)
    for side, names in _SPOKESMEN:
        if words in names:
            return side
    return None


def independent(first: str | None, second: str | None) -> bool:
    """Whether ``second`` is a source independent of ``first``: another source, and not
    one that speaks for the same side."""
    if not first or not second or _words(first) == _words(second):
        return False
    side = side_of(first)
    return side is None or side_of(second) != side
