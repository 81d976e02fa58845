"""Who says so: the source a sentence names, and whether it reports a fact or a claim.

"State TV said", "according to the Syrian Observatory", "Malahifji said" (a surname the
article gave in full earlier): the words before a speech verb, or after "according to",
name the source, normalised to a claimant label (:data:`CLAIMANTS`). What the reporting
agency or its own journalists saw is reported as fact; anything attributed to a party, a
monitor or an official is a claim. Where a sentence names no source, the article's
default claimant holds: the agency whose reporting it is, else its outlet.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from geoaleppo.lexicon import (
    Clause,
    Lexicon,
    is_word_character,
    variants,
    word_alternation,
    word_positions,
)
from geoaleppo.text import Sentence


class Claim(NamedTuple):
    """Who a sentence says is its source, and whether it reports a claim (not a fact)."""

    claimant: str
    claimed: bool


# Who says so: the claimant labels, most telling first, and the phrases that name each.
CLAIMANTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Syrian state media", (
        *variants("state", "television|tv|media|news agency"), "sana", "syrian tv",
        "state run")),
    ("Syrian Observatory for Human Rights", (
        "syrian observatory", "sohr", "the observatory", "monitoring group",
        "british based monitor", "britain based")),
    ("Reuters journalists", (
        *variants("reuters", "journalist|journalists|reporter|reporters|witness|witnesses"),)),
    # "the army said", "according to the army": in a report on Syria, the Syrian army.
    ("Syrian army", (
        "army officer", "military source", "army source", "army statement", "army command",
        "general command", "military media", "the army", "syrian army", "the syrian army",
        "syrian arab army", "the military", "army spokesman", "military spokesman",
        "military statement", "military sources", "army sources", "field commander",
        "army commander", "military official", "military officials")),
    ("Russian government", (
        "moscow", "the kremlin", *variants("russian", "defence ministry|defense ministry|"
                                            "foreign ministry|government|military|army"))),
    ("rebel official", variants("rebel|opposition", "official|officials|commander|commanders|"
                                 "spokesman|spokesmen|source|sources|fighter|fighters|group|"
                                 "groups")),
    ("rebels", ("rebels", "insurgents", "opposition")),
    ("opposition official", ("the official",)),
    ("United Nations", ("united nations", "the un", "un aid chief", "un envoy", "un official",
                        "un officials")),
    ("Syria Civil Defence (White Helmets)", ("white helmets", "civil defence", "civil defense")),
    ("medical sources", ("medic", "medics", "doctor", "doctors", "hospital source",
                         "hospital sources")),
    ("residents/activists", ("resident", "residents", "witness", "witnesses", "activist",
                             "activists")),
)
_CLAIMANT_LEXICON = Lexicon(CLAIMANTS)
_CLAIMANT_RANK = {label: rank for rank, (label, _phrases) in enumerate(CLAIMANTS)}
# A speech verb, and the words right before it (back to the last clause mark) name
# the source: "State TV said", "..., the Syrian Observatory says.", "Malahifji said".
_SPEECH_VERBS = frozenset(
    "said says say told tells reported reports announced claimed claims added stated "
    "broadcast aired showed published".split()
)
_ACCORDING_RE = re.compile(r"\baccording to ([^,.;]+)", re.I)
_CLAUSE_MARK_RE = re.compile(r"[,;:\"“”()]")
_AGENCIES = ("Reuters", "AFP", "AP", "Associated Press", "Agence France-Presse", "Xinhua",
             "Anadolu", "Al Jazeera", "SANA", "TASS", "dpa")


_AGENCY_NAMES = "|".join(re.escape(agency) for agency in _AGENCIES)
# Three ways an article names the agency whose reporting it is: "(Reuters)", "told
# Reuters", "Reuters journalists". Each is a pattern of its own that starts with letters
# (a word boundary is tested after the first), which the regex engine skips to over the
# whole text; as three alternatives of one pattern, one starting with a boundary, they
# were tried at every character.
_TOLD = word_alternation(("told", "to", "said to", "speaking to"), word_start=True)
_AGENCY_RES = (
    re.compile(rf"\((?P<name>{_AGENCY_NAMES})\)"),
    re.compile(rf"(?:{_TOLD}) (?P<name>{_AGENCY_NAMES})\b"),
    re.compile(rf"(?P<name>{word_alternation(_AGENCIES, word_start=True)})"
               r" (?:journalists?|reporters?|correspondents?)\b"),
)


# Any agency's name, where it first stands: every way of naming one has it, and no way
# starts further before it than "speaking to ".
_AGENCY_NAME_RE = re.compile(word_alternation(_AGENCIES))
_LONGEST_LEAD = len("speaking to ")


def default_claimant(text: str, outlet: str | None) -> str:
    """The agency whose reporting the article is, when it says so, else its outlet."""
    first = _AGENCY_NAME_RE.search(text)  # the patterns, only from just before it
    start = max(0, first.start() - _LONGEST_LEAD) if first else 0
    # The earliest of the three ways (at one place, the first way).
    found = [(match.start(), way, match) for way, pattern in enumerate(_AGENCY_RES)
             if first and (match := pattern.search(text, start)) is not None]
    if found:
        return min(found, key=lambda item: item[:2])[2].group("name")
    return outlet or "the article"


def _clean_claimant(phrase: str, text: str, lookback: int) -> str:
    phrase = phrase.strip(" ,\"“”'")
    found = _CLAIMANT_LEXICON.labels(phrase)
    if found:
        return min(found, key=_CLAIMANT_RANK.__getitem__)
    # A surname ("Malahifji") → the full name and role the article gave earlier.
    words = phrase.split()
    if words and words[-1][:1].isupper():
        # Look only around the surname's first appearance: a plain find, then the
        # name pattern on a few words before it, not a regex scan of the whole text.
        first = text.find(words[-1], lookback)
        full = None
        if first >= 0:
            around = text[max(0, first - 80) : first + len(words[-1]) + 1]
            full = _full_name_re(words[-1]).search(around)
        if full:
            role = (full.group(1) or "").strip()
            return f"{full.group(2)} ({role})" if role else full.group(2)
        return " ".join(words[-3:])
    return ""


@lru_cache(maxsize=1024)
def _full_name_re(surname: str) -> re.Pattern[str]:
    return re.compile(
        r"\b((?:[a-z]+ ){0,2}(?:official|commander|spokesman|minister|chief|leader|envoy|"
        rf"president)\s+)?((?:[A-Z][\w'’-]+\s+){{1,3}}{re.escape(surname)})\b"
    )


_AUXILIARIES = ("has", "have", "had")


def _without_auxiliary(phrase: str) -> str:
    """``phrase`` (stripped) without a last word "has", "have" or "had" ("the
    Observatory has" said): an end test, not a pattern tried at every character."""
    for auxiliary in _AUXILIARIES:
        if phrase.endswith(auxiliary):
            cut = len(phrase) - len(auxiliary)
            if cut == 0 or not is_word_character(phrase[cut - 1]):
                return phrase[:cut]
    return phrase
# How far back a surname's first, fuller mention is looked for ("rebel official Zakaria
# Malahifji" ... "Malahifji said"): a long report's earlier pages, not the whole file.
_NAME_LOOKBACK = 20_000


def claim_of(sentence: Sentence, clause: Clause, text: str, default: str) -> Claim:
    """Who a sentence of ``text`` says is the source, and whether it is reported as a claim.

    What the reporting agency or its journalists saw is reported as fact; anything
    attributed to a party or a monitor is a claim. A surname alone ("Malahifji said") is
    completed from its first mention in the text before the sentence.
    """
    lookback = max(0, sentence.start - _NAME_LOOKBACK)
    for phrase in _claim_phrases(clause):
        label = _clean_claimant(phrase, text, lookback)
        if label:
            return Claim(label, label not in {"Reuters journalists", default})
    return Claim(default, False)


def _claim_phrases(clause: Clause) -> tuple[str, ...]:
    """The phrases a sentence may name its source in: "according to X", "X said"."""
    sentence = clause.text
    phrases = []
    if "ccording to" in sentence or "CCORDING TO" in sentence:
        phrases = [m.group(1) for m in _ACCORDING_RE.finditer(sentence)]
    verbs = _SPEECH_VERBS.intersection(clause.words)
    if not verbs:
        return tuple(phrases)
    # The verbs as written in lower case, each a whole word: what a pattern of them
    # would find, by a few finds.
    for position, _verb in word_positions(sentence, verbs):
        window = sentence[max(0, position - 90) : position]
        window = _CLAUSE_MARK_RE.split(window)[-1]
        phrases.append(_without_auxiliary(window.strip()))
    return tuple(phrases)


# Places in an attribution ("Reuters journalists in a government-held western district
# said") are where the source stands, not where the event is.
_ATTRIBUTION_CUES = frozenset("journalist journalists reporter reporters correspondent "
                              "correspondents witnesses".split())
_ATTRIBUTION_SOURCE_RE = re.compile(
    r"\b(?:journalists?|reporters?|correspondents?|witnesses)\s+in\b")
_ATTRIBUTION_RE = re.compile(
    rf"{_ATTRIBUTION_SOURCE_RE.pattern}[^,.]*\b(?:said|says|reported)\b")
_CLAUSE_STOP_RE = re.compile(r"[,.]")


def source_position(clause: Clause) -> int | None:
    """Where an attribution that places its source ("journalists in X said") starts."""
    if not _ATTRIBUTION_CUES.intersection(clause.words):
        return None
    # The pattern, tried from each source word, reads on to the next comma or full stop;
    # where it fails at one it fails at every later one before the same stop (the verb
    # it needs is not there), so those are passed over: a long clause of them was
    # quadratic.
    text, stop = clause.text, -1
    for source in _ATTRIBUTION_SOURCE_RE.finditer(text):
        if source.start() < stop:
            continue
        if _ATTRIBUTION_RE.match(text, source.start()):
            return source.start()
        found = _CLAUSE_STOP_RE.search(text, source.end())
        stop = found.start() if found else len(text)
    return None


_ATTRIBUTION_VERBS = frozenset({"said", "says", "told"})


def closing_attribution_start(clause: Clause) -> int:
    """Where a closing attribution (", the Syrian Observatory said.") starts; the end of
    the sentence when it has none."""
    text = clause.text
    verbs = word_positions(text, _ATTRIBUTION_VERBS.intersection(clause.words))
    if not verbs:
        return len(text)
    start, verb = verbs[-1]
    end = start + len(verb)
    if "," in text[end:] or "." in text[end:-1]:
        return len(text)
    comma = text.rfind(",", 0, start)
    return comma if comma > 0 else len(text)
