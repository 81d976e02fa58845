"""Places named to qualify a noun: "Russian jets", "the Aleppo-based group", "U.S.-backed rebels".

A demonym ("Turkish", "South Korean", "European") or a place name joined by a hyphen to
the next word ("Syria-based", "Moscow-backed", "Russia-Turkey ties", "pro-Russian")
says who or what is meant, not where anything happens. Such a word is a mention of its
own kind, role ``modifier``: a demonym resolves to its country (a continent's adjective
to the continent), a place name to the place. It is reported (JSON, the exports'
mentions layer) and scored by ``evaluate``, but a map, an event or a control claim never
takes it: those take ``location`` mentions only.

A demonym counts where it qualifies a noun ("Turkish officials", "Spanish, French and
Mexican explorers") or names a national ("a 34-year-old German who"). By the class of
the words around it, it does not count as:

- a language: after a verb of speaking or translating ("spoke only French"), before a
  word for a language ("French speakers", "Russian-language"), with no noun after it
  ("shouted in Turkish, and");
- a person's name: before a verb of reporting ("French said");
- part of a longer name: after a capitalised word that is no function word ("Native
  American", "Garlic Malaysian Restaurant"; but "Yesterday Russian jets"), in the name
  of a company, club or association ("British Airways"), or of a sea ("Indian Ocean");
- a word the text also writes in lower case, at the start of a sentence ("Polish the
  brass");
- a plural: "Syrians fleeing" are people, not a qualifier of a noun (TR-News, the corpus
  this follows, never annotates a plural demonym as a toponym; LGL mostly does).

A compound of capitalised parts counts only when each part is a place or one is a
country ("the Canada-EU deal"): "Gilgit-Baltistan", "Montreal-Pierre Elliott Trudeau"
or "Jackson-Lee" is one name.

A city that names an institution, office or paper ("London Police", "the Winnipeg Free
Press", "Montreal Mayor Denis Coderre") or follows a broadcaster's call letters ("CBC
Toronto") is a modifier too: the reader does not take such a name as a place, since a
capitalised word beside a city's name is more often part of a longer one ("Paris
Hilton"). A university or school is left out, being as often named for a person
("George Washington High School") as for its city.
"""

from __future__ import annotations

import re
from functools import lru_cache
from operator import attrgetter

from geoaleppo import modifier_cues as cues
from geoaleppo import names as keys
from geoaleppo import world
from geoaleppo.gazetteer import Gazetteer
from geoaleppo.lexicon import find_word, word_alternation
from geoaleppo.matching import Matcher
from geoaleppo.model import Mention, Place, Role, Unresolved
from geoaleppo.text import Sentence, Spans, sentence_of

ROLE: Role = "modifier"
#: A world city named in a compound ("Seattle-based") must be this large to be read as
#: one: below it, a part of a double name ("Mercedes-Benz") is likelier.
COMPOUND_CITY = 100_000
_DEMONYM_CONFIDENCE = 0.8

# A city's name, up to three capitalised words, then the head of an institution's name
# ("Toronto General Hospital", "Calgary MLA"; see :data:`cues.INSTITUTION_HEADS`).
_INSTITUTION_RE = re.compile(
    r"(?P<city>[A-Z][a-z]+(?: [A-Z][a-z]+)?)(?: [A-Z][\w'’]*){0,3}? "
    rf"(?:{'|'.join(cues.INSTITUTION_HEADS)})\b")
#: A city far from the story's country names an institution only if it is this large:
#: "London Police" in a Kentucky story, not "Commonwealth" (a town of the Philippines).
FAR_CITY = 500_000
# The heads alone, led by their letters (which the regex engine skips to fast): the
# pattern above is tried only just before one.
_INSTITUTION_HEAD_RE = re.compile(
    rf"(?:{word_alternation(cues.INSTITUTION_HEADS, word_start=True)})\b")
_BROADCASTER_RE = re.compile(r"[A-Z](?<![\w][A-Z])[A-Z]{2,3} (?P<city>[A-Z][a-z]+)\b")
# The capitalised words (and the small words inside names) after a demonym.
_CAPITALISED_RUN_RE = re.compile(
    r"(?:\s+(?:of|and|for|the|de)?\s*[A-Z][\w.&'’]*){1,6}")
_NEXT_WORD_RE = re.compile(r"\s*([^\s]+)")
_PLAIN_CAPITALISED_RE = re.compile(r"[A-Z][a-z]+\.?")
# A word with hyphens inside ("Aleppo-based", "U.S.-Russian", "pro-Assad").
# Matched where :func:`_compounds` finds a word's start.
_COMPOUND_RE = re.compile(r"[^\W\d_][\w.'’]*(?:-[^\W\d_][\w.'’]*)+")
_ACRONYM_RE = re.compile(r"(?:[A-Z]\.){2,}")
# A hyphen between a word and a letter; led by the hyphen, which the engine skips to.
_HYPHEN_RE = re.compile(r"-(?<=[\w.'’]-)(?=[^\W\d_])")
# A list's joint and the capitalised words on its far side ("and Sri Lankan").
_JOINT = r"(?:,\s*|,?\s+(?:and|or)\s+)"
_JOINTS_BEFORE = (",", ", ", " and ", " or ")
_JOINTS_AFTER = (",", " and ", " or ")
# What joins a word to the one before into a compound or an acronym.
_JOINING = "-'’."
_LIST_BEFORE_RE = re.compile(rf"(?P<words>(?:[A-Z][a-z]+ ){{0,2}}[A-Z][a-z]+)(?P<joint>{_JOINT})$")
_LIST_AFTER_RE = re.compile(rf"{_JOINT}(?P<words>[A-Z][a-z]+(?: [A-Z][a-z]+){{0,2}})")
# Up to three capitalised words just before a word ("New " of "New York-based").
_NAME_BEFORE_RE = re.compile(r"(?:[A-Z][\w.'’]* ){1,3}$")
_CAPITALISED_WORD_RE = re.compile(r"(?<![\w'’])[A-Z][\w.'’]*")


def find_modifiers(text: str, sentences: list[Sentence], gazetteer: Gazetteer,
                   matcher: Matcher, mentions: list[Mention],
                   context_country: str) -> list[Mention]:
    """``mentions`` with those that qualify a noun ("U.S.-backed") given the modifier
    role, and the demonyms and compound place names no mention covers added, in text
    order."""
    starts = [sentence.start for sentence in sentences]
    countries = demonym_countries(gazetteer)
    mentions = [_as_modifier(text, m, countries, sentences, starts) for m in mentions]
    spans = [(m.start, m.end) for m in mentions]
    found = _compound_parts(text, sentences, starts, gazetteer, matcher, Spans(spans),
                            context_country)
    # A compound's part is read first: "American Samoan-backed" is not "American".
    found += _demonyms(text, sentences, starts, gazetteer,
                       Spans(spans + [(m.start, m.end) for m in found]))
    found += _institutions(text, sentences, starts, matcher, context_country,
                           Spans(spans + [(m.start, m.end) for m in found]))
    if not found:
        return mentions
    return sorted(mentions + found, key=attrgetter("start"))


def places_proper(mentions: list[Mention]) -> list[Mention]:
    """The mentions that are not modifiers."""
    return [m for m in mentions if m.role != ROLE]


def explained_away(unresolved: list[Unresolved], mentions: list[Mention]) -> list[Unresolved]:
    """``unresolved`` less the phrases whose every capitalised word a modifier stands
    in ("Syrian", "Syria-Turkey", "US-led"): nothing in them is left to place. One with
    a word left ("Israeli-occupied Golan") still lacks a place."""
    spans = [(m.start, m.end) for m in mentions if m.role == ROLE]
    if not spans or not unresolved:
        return unresolved
    covered = Spans(spans)

    def explained(phrase: Unresolved) -> bool:
        words = [(phrase.start + w.start(), phrase.start + w.end())
                 for w in _CAPITALISED_WORD_RE.finditer(phrase.text)]
        return bool(words) and all(covered.overlaps(*word) for word in words)
    return [phrase for phrase in unresolved if not explained(phrase)]


def demonym_countries(gazetteer: Gazetteer) -> dict[str, Place]:
    """The place each singular demonym names, by its folded key ("turkish": Turkey);
    see :meth:`Gazetteer.demonym_country`. A continent's adjective is made from its
    name as English makes it ("European", "Asian", "South American"). Kept with the
    gazetteer."""
    def build() -> dict[str, Place]:
        known = world.demonyms()
        found = {}
        for place in gazetteer:
            if place.kind == "region" and not place.country and place.parent is None:
                key = keys.exact_key(place.title)  # a continent
                adjective = key[:-1] + "ean" if key.endswith("e") else f"{key}n"
                if adjective not in known:
                    found[adjective] = place
        for key in known:
            if key.endswith("s") and key[:-1] in known:
                continue  # a plural: people, not a qualifier
            country = gazetteer.demonym_country(key)
            if country is not None:
                found[key] = country
        return found
    return gazetteer.kept("demonym countries", build)


def _demonym_pattern(gazetteer: Gazetteer) -> re.Pattern[str]:
    def build() -> re.Pattern[str]:
        forms = (" ".join(word.capitalize() for word in key.split())
                 for key in demonym_countries(gazetteer))
        # Where one form starts another ("American", "American Samoan") the alternation
        # tries the longer first, and the word end after it settles which one matched.
        # Led by its letters, which the regex engine skips to fast: the test that no
        # word stands before comes after the first letter (and "-" or "." before it is
        # tested on each match).
        alternation = word_alternation(forms, word_start=True).replace(r"\ ", r"\s+")
        return re.compile(rf"(?:{alternation})(?!\w|['’\-]\w)")
    return gazetteer.kept("demonym pattern", build)


def _as_modifier(text: str, mention: Mention, countries: dict[str, Place],
                 sentences: list[Sentence], starts: list[int]) -> Mention:
    """'U.S.-backed', 'U.S.-Russian': a mention joined by a hyphen to the next word; and
    'Thai warplanes': a demonym the gazetteer lists among its country's names."""
    if mention.role == "dateline":
        return mention
    if text.startswith("-", mention.end) and text[mention.end + 1 : mention.end + 2].isalpha():
        return _with_role(mention)
    if mention.place is None or mention.place.kind != "country":
        return mention
    key = keys.exact_key(mention.text)
    country = countries.get(key)
    if (country is None or country.id != mention.place.id
            or key == keys.exact_key(country.title)):
        return mention  # a place's own name ("Djibouti"), not its demonym
    if _is_demonym_here(text, mention.start, mention.end,
                        sentence_of(sentences, starts, mention.start)):
        return _with_role(mention)
    return mention


def _with_role(mention: Mention) -> Mention:
    return Mention(mention.text, mention.start, mention.end, mention.sentence_index,
                   mention.place, ROLE, mention.method, mention.confidence,
                   sentence=mention.sentence)


def _demonyms(text: str, sentences: list[Sentence], starts: list[int],
              gazetteer: Gazetteer, taken: Spans) -> list[Mention]:
    countries = demonym_countries(gazetteer)
    if not countries:
        return []
    found = []
    for match in _demonym_pattern(gazetteer).finditer(text):
        start, end = match.span()
        if (start and text[start - 1] in _JOINING) or taken.overlaps(start, end):
            continue  # "pro-Russian" is a compound's part
        sentence = sentence_of(sentences, starts, start)
        if not _is_demonym_here(text, start, end, sentence):
            continue
        # The forms are ASCII letters and spaces: their key is the lower case.
        country = countries.get(" ".join(match.group().lower().split()))
        if country is None:
            continue
        found.append(Mention(match.group(), start, end, sentence.index, country, ROLE,
                             "demonym", _DEMONYM_CONFIDENCE, sentence=sentence.text))
    return found


def _is_demonym_here(text: str, start: int, end: int, sentence: Sentence) -> bool:
    """Whether the demonym at ``text[start:end]`` qualifies a noun or names a national
    here, not a language, a person or part of a longer name."""
    first, last = _coordinated(text, start, end)
    before = _words_before(text, first)
    if (any(word in cues.SPEAKING for word in before)  # "spoke only French and Farsi"
            or _next_word(text, end).lower().strip(".,;:") in cues.LANGUAGE_NOUNS):
        return False  # a language
    if _inside_a_name(text, start, sentence) or not _qualifies_a_noun(text, last, before):
        return False
    # "Polish the brass": a sentence's first word the text writes in lower case too.
    return not (start == sentence.start and find_word(text, text[start:end].lower()) >= 0)


def _words_before(text: str, start: int) -> list[str]:
    """The two words before ``start``, lower-cased: "spoke only French", "a 34-year-old
    German"."""
    return text[max(0, start - 40) : start].lower().split()[-2:]


def _next_word(text: str, end: int) -> str:
    match = _NEXT_WORD_RE.match(text, end, min(len(text), end + 40))
    return match.group(1) if match else ""


def _qualifies_a_noun(text: str, last: int, before: list[str]) -> bool:
    """Whether the demonym, or the list ending at ``last`` that it stands in ("Spanish,
    French, and Mexican explorers"), is an adjective before a noun or a national ("a
    34-year-old German who"), not a language ("in Turkish, and") nor a person's name
    ("French said"); ``before`` are the two words before the list.

    A noun is a word that is no function word, verb of reporting or adverb; a
    capitalised word, unless the capitalised words that follow make the name of a
    company, a club or an association ("American Heart Association") or the demonym
    names a sea ("Indian Ocean"); or a compound.
    """
    after = _next_word(text, last)
    word = after.lower().strip(".,;:!?\"'’”)")
    if after[:1].isupper():
        if word.capitalize() in cues.FEATURE_HEADS:
            return False
        run = _CAPITALISED_RUN_RE.match(text, last)
        names = run.group().split() if run else []
        return not any(name.strip(".,") in cues.ORGANISATION_HEADS for name in names)
    if after[:1].isalpha() and not (word in cues.FUNCTION_WORDS or word in cues.REPORTING
                                    or word.endswith(cues.ADVERB_ENDINGS)):
        return True
    # No noun follows: a national after an article ("by a Canadian.", "a 34-year-old
    # German who"), else not a demonym at all.
    return word not in cues.REPORTING and any(previous in cues.ARTICLES for previous in before)


def _coordinated(text: str, start: int, end: int) -> tuple[int, int]:
    """The span of a list of languages or demonyms the word stands in ("English and
    Spanish", "South Korean and Sri Lankan"), so what comes before and after the list
    can be read."""
    first, last = start, end
    while text[max(0, first - 6) : first].endswith(_JOINTS_BEFORE):
        match = _LIST_BEFORE_RE.search(text, max(0, first - 60), first)
        words = match.group("words").split() if match else []
        # The shortest run of capitalised words before the joint that is a tongue.
        length = next((n for n in range(1, len(words) + 1)
                       if _is_tongue(" ".join(words[-n:]))), 0)
        if match is None or not length:
            break
        first = match.start("joint") - len(" ".join(words[-length:]))
    while text.startswith(_JOINTS_AFTER, last):
        match = _LIST_AFTER_RE.match(text, last, min(len(text), last + 60))
        words = match.group("words").split() if match else []
        length = next((n for n in range(len(words), 0, -1)
                       if _is_tongue(" ".join(words[:n]))), 0)
        if match is None or not length:
            break
        last = match.start("words") + len(" ".join(words[:length]))
    return first, last


@lru_cache(maxsize=4096)
def _is_tongue(word: str) -> bool:
    """Whether a word is a demonym or a language ("Spanish", "Arabic")."""
    key = keys.exact_key(word)
    return key in cues.LANGUAGES or key in world.demonyms()


def _inside_a_name(text: str, start: int, sentence: Sentence) -> bool:
    """'Native American', 'Garlic Malaysian Restaurant': a capitalised word just before,
    in the sentence, that is neither a function word nor a demonym."""
    if start - 2 < sentence.start or text[start - 1] != " ":
        return False
    word_start = start - 1
    while word_start > sentence.start and (text[word_start - 1].isalnum()
                                           or text[word_start - 1] in _JOINING):
        word_start -= 1
    word = text[word_start : start - 1]
    return (bool(_PLAIN_CAPITALISED_RE.fullmatch(word)) and not word.endswith(".")
            and word.lower() not in cues.FUNCTION_WORDS and not _is_tongue(word))


def _institutions(text: str, sentences: list[Sentence], starts: list[int],
                  matcher: Matcher, context_country: str, taken: Spans) -> list[Mention]:
    """'London Police', 'the Winnipeg Free Press', 'CBC Toronto': a city that names an
    institution, which the reader does not take as a place on its own (a capitalised
    word beside a city's name is likelier part of a longer name)."""
    found = []
    seen: set[int] = set()
    named = [match for head in _INSTITUTION_HEAD_RE.finditer(text)
             for match in _INSTITUTION_RE.finditer(text, max(0, head.start() - 80), head.end())
             if match.end() == head.end()]
    for pattern, matches in ((_INSTITUTION_RE, named), (_BROADCASTER_RE,
                                                        _BROADCASTER_RE.finditer(text))):
        for match in matches:
            start = match.start("city")
            if start in seen or (start and (text[start - 1] in _JOINING
                                            or text[start - 1].isalnum())):
                continue
            sentence = sentence_of(sentences, starts, start)
            if pattern is _INSTITUTION_RE and _inside_a_name(text, start, sentence):
                continue  # "Renee Flourentzou Edmonton": a name, not the city's
            words = match.group("city").split()
            for length in range(len(words), 0, -1):  # "Salt Lake City Council"
                name = " ".join(words[:length])
                end = start + len(name)
                if taken.overlaps(start, end) or name.lower() in cues.FUNCTION_WORDS:
                    continue
                resolved = _compound_place(text, name, matcher, context_country)
                if resolved is None or resolved[0].kind != "city" or (
                        world.is_world_city(resolved[0]) and resolved[0].population < FAR_CITY
                        and not world.near_country(resolved[0].country, context_country)):
                    continue  # "Central", a region's name; "Metro", a town far away
                seen.add(start)
                found.append(Mention(name, start, end, sentence.index, resolved[0], ROLE,
                                     resolved[1], resolved[2], sentence=sentence.text))
                break
    return found


def _compound_parts(text: str, sentences: list[Sentence], starts: list[int],
                    gazetteer: Gazetteer, matcher: Matcher, taken: Spans,
                    context_country: str) -> list[Mention]:
    """'Aleppo-based', 'Russia-Turkey', 'pro-Russian': each part of a hyphenated word
    that names a place or is a demonym."""
    countries = demonym_countries(gazetteer)
    found = []
    for match in _compounds(text):
        parts = _parts(match.group(), match.start())
        if any(part.lower() in cues.ARABIC_ARTICLES or len(part) == 1 for part, _start in parts):
            continue  # "al-Bab", "Al-Qaeda-linked" (a transliterated name); "T-Mobile"
        named = []
        for index, (part, start) in enumerate(parts):
            end = start + len(part)
            if not part[:1].isupper() or taken.overlaps(start, end):
                continue
            following = parts[index + 1][0].lower() if index + 1 < len(parts) else ""
            if following in cues.LANGUAGE_NOUNS:
                continue  # "Russian-language", "French-speaking"
            if index == 0:
                # "New York-based", "American Samoan-backed": the name starts before.
                longer = _longer_name(text, start, end, countries, matcher,
                                      context_country)
                if longer is not None:
                    start, place, method, confidence = longer
                    named.append((text[start:end], start, end, place, method, confidence))
                    continue
                if _inside_a_name(text, start, sentence_of(sentences, starts, start)):
                    continue
            resolved = _part_place(text, part, countries, matcher, context_country)
            if resolved is not None:
                named.append((part, start, end, *resolved))
        if (all(part[:1].isupper() for part, _start in parts) and len(named) < len(parts)
                and not any(place.kind == "country" for *_, place, _m, _c in named)):
            # One name of capitalised parts, not all places nor one a country ("the
            # Canada-EU deal"): a place the gazetteer lacks ("Gilgit-Baltistan",
            # "Miami-Dade"), an airport ("Montreal-Pierre Elliott Trudeau"), a double
            # surname ("Jackson-Lee").
            continue
        for part, start, end, place, method, confidence in named:
            sentence = sentence_of(sentences, starts, start)
            found.append(Mention(part, start, end, sentence.index, place, ROLE, method,
                                 confidence, sentence=sentence.text))
    return found


def _longer_name(text: str, start: int, end: int, countries: dict[str, Place],
                 matcher: Matcher, context_country: str,
                 ) -> tuple[int, Place, str, float] | None:
    """The place named by up to three capitalised words before a compound's first part
    and that part ("New York" of "New York-based"), the longest that names one, and
    where it starts."""
    if start < 2 or text[start - 1] != " " or text[start - 2].isspace():
        return None  # no word just before: nothing to make a longer name with
    before = _NAME_BEFORE_RE.search(text, max(0, start - 60), start)
    if before is None:
        return None
    words = [match.start() for match in re.finditer(r"\S+", before.group())
             if match.group().lower() not in cues.FUNCTION_WORDS]  # not "The New York"
    for offset in words:  # longest first
        name_start = before.start() + offset
        resolved = _part_place(text, text[name_start:end], countries, matcher,
                               context_country)
        if resolved is not None:
            return (name_start, *resolved)
    return None


def _part_place(text: str, name: str, countries: dict[str, Place], matcher: Matcher,
                context_country: str) -> tuple[Place, str, float] | None:
    """The place a compound's part names: a demonym's country, or the place."""
    country = countries.get(keys.exact_key(name))
    if country is not None:
        return country, "demonym", _DEMONYM_CONFIDENCE
    return _compound_place(text, name, matcher, context_country)


def _compounds(text: str) -> list[re.Match[str]]:
    """The hyphenated words of ``text``, found from their hyphens (few in a report)."""
    found = []
    covered = 0
    for hyphen in _HYPHEN_RE.finditer(text):
        if hyphen.start() < covered:
            continue  # a later hyphen of a word already read
        start = hyphen.start()
        while start and (text[start - 1].isalnum() or text[start - 1] in "_.'’-"):
            start -= 1
        while start < hyphen.start() and not text[start].isalpha():
            start += 1  # the word starts with its first letter ("2016-Syria" aside)
        match = _COMPOUND_RE.match(text, start)
        if match is not None:
            found.append(match)
            covered = match.end()
    return found


def _parts(token: str, offset: int) -> list[tuple[str, int]]:
    """The parts of a hyphenated word with their offsets; a sentence's full stop is no
    part of the last ("Aleppo-based."), an acronym's is ("U.S.-backed")."""
    parts = []
    position = offset
    for part in token.split("-"):
        start = position
        position += len(part) + 1
        if part.endswith(".") and not _ACRONYM_RE.fullmatch(part):
            part = part.rstrip(".")
        if part:
            parts.append((part, start))
    return parts

def _compound_place(text: str, part: str, matcher: Matcher,
                    context_country: str) -> tuple[Place, str, float] | None:
    """The place a part of a compound names, if it surely names one: a gazetteer
    entry by its name or spelling, not a loose key; or a large world city by its own
    title, which the text does not write as a word ("mobile")."""
    choice = matcher.best(part, True, context_country)
    if choice is None or choice.word_like:
        return None
    candidate = choice.candidate
    place = candidate.place
    if candidate.method not in {"exact", "variant"}:
        return None
    if part.isupper() and len(part) <= 4 and choice.world_city:
        return None  # an acronym only the gazetteer itself writes ("UK", "US")
    if choice.world_city and (place.population < COMPOUND_CITY
                              or keys.exact_key(place.title) != keys.exact_key(part)
                              or find_word(text, part.lower()) >= 0):
        return None  # "Hamas" is one of Hamm's alternate names; "Agro", Agra's
    return place, candidate.method, choice.confidence
