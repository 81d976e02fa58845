"""Name keys: how the spellings of real reporting are folded onto one another.

Reporters romanise Arabic place names in many ways: ``Al Shaar``, ``al-Sha'ar``,
``Ash Sha'ar``, ``Shaar``; ``Karm al-Myassar``, ``Karm al-Maysar``; ``Qadi Askar``,
``Kadi Askar``; ``al-Ashrafiyeh``, ``Ashrafiya``. Rather than type every spelling into the
gazetteer, each name is reduced to *keys* by rules, from strict to loose:

``exact``
    case, diacritics, apostrophes/ayn marks, hyphens and spacing folded.
``variant``
    the Arabic article (``al-``, ``el-``, and its assimilated forms ``ash-``, ``as-``,
    ``ad-``…) dropped wherever it stands, and a leading English ``the`` with it; also
    the article that scraped copy fuses onto its word ("Alqasr", "AlSukkari", and with
    the sun letter doubled, "Assukkari"), and the "ad-Din" that compound names fuse
    ("Salaheddine", "Salahuddin", "Salah Eddin" are all "Salah ad-Din").
``skeleton``
    the variant key reduced to its consonants, with doubled letters merged and
    spelling pairs that transliterations disagree on (q/k, gh/g, ou/u/o, ee/i, final
    -eh/-ah) unified. Matching on skeletons is only used for names
    long enough for it to be safe (see :func:`skeleton_is_safe`).

Arabic script is folded the way Arabic search engines do it: diacritics and tatweel
removed, alef forms unified, taa marbuta read as haa, alef maqsura as yaa, and the
article ``ال`` dropped for the variant key.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Marks that stand for ayn, hamza or an elided vowel in romanised Arabic. They carry no
# information reporters agree on, so they are removed rather than unified.
_APOSTROPHES = "'’‘ʿʾ`´ʼʻ′"
_APOSTROPHE_RE = re.compile(f"[{_APOSTROPHES}]")
_DASHES_RE = re.compile(r"[\-‐‑‒–—_/]+")
_NON_WORD_RE = re.compile(r"[^\w\s]+")
_SPACES_RE = re.compile(r"\s+")

# The Arabic article and its sun-letter assimilations as romanised in news copy.
_ARTICLES = frozenset(
    "al el il ul l a ah an ar as ash at ath ad adh az aj ed en er es esh et ez".split()
)
# Hyphenated or glued article prefixes ("al-", "ash-", "el-").
_ARTICLE_PREFIX_RE = re.compile(
    r"\b(?:al|el|il|ul|an|ar|as|ash|at|ath|ad|adh|az|aj|ed|en|er|es|esh|et|ez)-(?=\w)"
)

# The article fused onto its word by copy that lost the hyphen: "Alqasr", "Elbab",
# "AlShaar", and before a sun letter the assimilated form with the letter written twice
# ("Assukkari", "Arrashidin", "Azzahra"). What is left must be long enough to be a name
# of its own, so "Alma", "Assad" and "Allah" stay whole; "al" before a vowel ("Aleppo",
# "Alexandria") never splits, since reporters write the article before consonants.
_FUSED_AL_RE = re.compile(r"^[ae]l(?=[b-df-hj-np-tv-z][a-z]{3})")
# Inside a name, after its first word, a shorter word may follow the article ("Ayn
# Altal", "Bab Alhadid" is long enough anyway).
_FUSED_AL_INSIDE_RE = re.compile(r"^[ae]l(?=[b-df-hj-np-tv-z][a-z]{2})")
_SUN_LETTERS = ("sh", "th", "dh", "t", "d", "r", "z", "s", "n", "l")
# English words that start like an assimilated article ("Assyrian", "Attorney",
# "Announcement") end like English words; the Arabic names that do are written with
# the hyphen anyway.
_ENGLISH_ENDING_RE = re.compile(r"(?:ians?|ed|ing|ly|ments?|ions?|ance|ence|ants?|ents?|"
                                r"ists?|ive|ure|ory|ery|ies|ess)$")
_CAMEL_ARTICLE_RE = re.compile(r"(?<![^\W\d_])([AE]l|[ae]l)(?=[A-Z][a-z])")
# "ad-Din" fused onto the name before it ("Salaheddine", "Nureddin", "Salahuddin"), or
# written as a word of its own with the article assimilated ("Salah Eddin").
# Written alone it is "Din", "Deen" or "Dine" whatever the vowel.
_FUSED_DIN_RE = re.compile(
    r"^(?:(?P<first>[a-z]{3,}?)(?:[aeu]d|[aeiu]dd)|[aeiu]dd|d)(?:ee|i|e)n{1,2}e?$")


def _unfused(word: str, inside: bool = False) -> str:
    """A word without the article that scraped copy fuses onto it ("Assukkari" → "sukkari");
    ``inside``: the word follows another word of the name."""
    match = (_FUSED_AL_INSIDE_RE if inside else _FUSED_AL_RE).match(word)
    if match:
        return word[2:]
    if word.startswith("a"):
        for letter in _SUN_LETTERS:
            rest = word[1 + len(letter):]
            if (word.startswith(letter, 1) and rest.startswith(letter)
                    and len(rest) >= 4 and not _ENGLISH_ENDING_RE.search(rest)):
                return rest
    return word


def _fused_din_words(word: str) -> list[str]:
    """"salaheddine" → ["salah", "din"]; "eddin" → ["din"]; other words unchanged."""
    match = _FUSED_DIN_RE.match(word)
    if match is None:
        return [word]
    first = match.group("first")
    return [first, "din"] if first else ["din"]


# Words that say what kind of place a name is rather than which place it is; a reporter
# writes "the Al Shaar neighbourhood" and means "Al Shaar". The resolver drops them from
# the end of a query only when the whole query does not match ("Old City" keeps "City").
GENERIC_HEADS = frozenset(
    """
    neighbourhood neighborhood neighbourhoods neighborhoods district districts quarter
    quarters area areas suburb suburbs region city town village complex
    """.split()
)

# Common nouns that never name one place on their own; a query made only of these and
# generic heads is not matched by spelling similarity ("hospital complex").
GENERIC_NOUNS = GENERIC_HEADS | frozenset(
    """
    hospital hospitals mosque mosques school schools market markets souq gate building
    buildings road roads street streets square camp base airport station front line
    frontline centre center military army the of a an
    """.split()
)


def is_generic(name: str) -> bool:
    """Whether ``name`` is made only of common nouns ("the hospital complex")."""
    words = exact_key(name).split()
    return all(word in GENERIC_NOUNS for word in words)


_ARABIC_DIACRITICS_RE = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_ARABIC_FOLD = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ة": "ه",
        "ى": "ي",
        "ؤ": "و",
        "ئ": "ي",
    }
)
_ARABIC_RE = re.compile("[\u0600-\u06ff]")

# Spelling pairs that transliterations of the same Arabic sound disagree on. Applied in
# order to the article-free key before vowels are dropped.
_SKELETON_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"([aeiouy])h\b", r"\1"),  # -iyeh / -iyah / -eh: the final h is a vowel marker
        (r"ou|oo|ow", "u"),
        (r"ee|ei|ey|ai|ay|ie", "i"),
        (r"dh", "z"),
        (r"q", "k"),
        (r"(?<=\w)gh", "g"),  # Aghyor / Agyor: ghain as gh or g (not first: Ghana, Guinea)
        (r"ck", "k"),
        (r"ph", "f"),
        (r"w(?=[^aeiouy]|\b)", "u"),  # Awwad / Auad: a w before a consonant is a vowel
        (r"(\w)\1+", r"\1"),  # doubled letters: Sukkari / Sukari, Myassar / Mayasar
    )
)
_VOWELS_RE = re.compile(r"[aeiouy]")


def is_arabic(text: str) -> bool:
    """Whether ``text`` contains Arabic script."""
    return not text.isascii() and bool(_ARABIC_RE.search(text))


def has_article(key: str) -> bool:
    """Whether an exact key has a word the variant key would drop."""
    words = key.split()
    return bool(words) and (words[0] == "the" or any(w in _ARTICLES for w in words))


def _fold_latin(text: str) -> str:
    # NFKD splits "ā" into "a" + a combining macron, which is then dropped; "ḥ", "ṣ"
    # and "ʿ"-style scholarly marks therefore fold to the plain letters newsrooms use.
    # Turkish dotless ı has no decomposition; it is an i to an English reader.
    decomposed = unicodedata.normalize("NFKD", text.replace("ı", "i"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.casefold()


def _fold_arabic(text: str) -> str:
    # Mixed text ("A؉", "Aleppo حلب") still needs its Latin letters folded.
    text = _fold_latin(unicodedata.normalize("NFKC", text))
    text = _ARABIC_DIACRITICS_RE.sub("", text)
    return text.translate(_ARABIC_FOLD)


@lru_cache(maxsize=65536)
def exact_key(name: str) -> str:
    """Fold case, diacritics, apostrophes, hyphens and spacing.

    >>> exact_key("al-Sha’ar")
    'al sha ar'
    """
    if name.isascii():
        # The common case, and the one the world-city index folds 300,000 times.
        text = name.lower()
        text = _APOSTROPHE_RE.sub(" ", text)
        text = _DASHES_RE.sub(" ", text)
        text = _NON_WORD_RE.sub(" ", text)
        return " ".join(text.split())
    text = _fold_arabic(name) if is_arabic(name) else _fold_latin(name)
    text = _APOSTROPHE_RE.sub(" ", text)
    text = _DASHES_RE.sub(" ", text)
    text = _NON_WORD_RE.sub(" ", text)
    return _SPACES_RE.sub(" ", text).strip()


@lru_cache(maxsize=65536)
def variant_key(name: str) -> str:
    """The exact key without Arabic articles, apostrophes or generic heads.

    >>> variant_key("Ash Sha'ar")
    'shaar'
    >>> variant_key("the Al Shaar")
    'shaar'
    """
    if is_arabic(exact_key(name)):  # Arabic letters, not just an Arabic punctuation mark
        words = exact_key(name).split()
        words = [w[2:] if w.startswith("ال") and len(w) > 3 else w for w in words]
        return " ".join(words)
    # "AlShaar", "ElBab": a capital inside the word shows where the article ends.
    text = _fold_latin(_CAMEL_ARTICLE_RE.sub(r"\1 ", name))
    text = _ARTICLE_PREFIX_RE.sub("", text)
    # Apostrophes inside a word (Sha'ar) are dropped so the word stays whole.
    text = _APOSTROPHE_RE.sub("", text)
    text = _DASHES_RE.sub(" ", text)
    text = _NON_WORD_RE.sub(" ", text)
    words = text.split()
    kept = words[1:] if len(words) > 1 and words[0] == "the" else words
    # A lone article only counts as one when a name follows it ("As Sukkari"), never the
    # last word, so "Bab al" keeps its meaning as a fragment rather than vanishing.
    kept = [w for i, w in enumerate(kept) if not (w in _ARTICLES and i < len(kept) - 1)]
    kept = [part for i, w in enumerate(kept) for part in _fused_din_words(_unfused(w, i > 0))]
    return " ".join(kept or words)


@lru_cache(maxsize=65536)
def skeleton_key(name: str) -> str:
    """The consonant skeleton of the variant key, with spelling pairs unified.

    >>> skeleton_key("Karm al-Myassar") == skeleton_key("Karm Maysar")
    True
    """
    if is_arabic(exact_key(name)):
        return variant_key(name).replace(" ", "")
    words = []
    for word in variant_key(name).split():
        for pattern, replacement in _SKELETON_RULES:
            word = pattern.sub(replacement, word)
        # Keep a leading vowel: "Ansari" and "Nasr" must not meet.
        head, tail = word[:1], _VOWELS_RE.sub("", word[1:])
        words.append(head + tail)
    return "".join(words)


def skeleton_is_safe(name: str) -> bool:
    """Whether the skeleton of ``name`` is distinctive enough to match on.

    Short skeletons collide across unrelated names ("Masr" and "Maysar" share ``msr``),
    so a skeleton counts when it has four letters, or three from a name of six or more.
    """
    skeleton = skeleton_key(name)
    return len(skeleton) >= 4 or (len(skeleton) == 3 and len(variant_key(name)) >= 6)


# A name's first word that reports leave out ("Karm al-Qaterji" is "al-Qaterji"), and the
# words the rest must not be alone: they name a kind of place, not one place.
_DROPPED_HEADS = frozenset({"karm"})
_KIND_WORDS = frozenset(
    """
    jabal tal tall bab ard bustan souq suq sheikh ain ayn jisr qasr hay haret harat
    """.split()
)


def short_form(name: str) -> str | None:
    """The name as reports shorten it ("Karm al-Qaterji" → "al-Qaterji"), if they do.

    >>> short_form("Karm al-Qaterji")
    'al-Qaterji'
    """
    words = name.split()
    if len(words) < 2 or exact_key(words[0]) not in _DROPPED_HEADS:
        return None
    rest = " ".join(words[1:])
    variant = variant_key(rest)
    if len(variant) < 4 or variant.split()[0] in _KIND_WORDS or variant in GENERIC_NOUNS:
        return None
    return rest


def keys(name: str) -> tuple[str, str, str]:
    """The exact, variant and skeleton keys of ``name``."""
    return exact_key(name), variant_key(name), skeleton_key(name)


def glued_article_key(name: str) -> str | None:
    """The exact key with the article glued to its word ("ard alhamra"), if it has one.

    Scraped copy often loses the hyphen: "Ard Alhamra", "Alsukkari".
    """
    words = exact_key(name).split()
    glued: list[str] = []
    changed = False
    for word in words:
        if glued and glued[-1] in {"al", "el"}:
            glued[-1] += word
            changed = True
        else:
            glued.append(word)
    return " ".join(glued) if changed else None
