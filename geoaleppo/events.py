"""Events in a sentence: what happened, where, when, who did it, who says so, how many.

Rules over the words of a sentence, with lexicons for each outlet's vocabulary ("rebels",
"insurgents", "terrorists", "regime", "liberated"). Event types follow ACLED's (see
:data:`EVENT_TYPES`); actors are normalised to sides (:data:`SIDES`). A sentence in the
conditional or future ("would cut", "will support") reports no event.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass, replace
from operator import attrgetter
from typing import NamedTuple

from geoaleppo import event_rules
from geoaleppo.attribution import Claim, closing_attribution_start, source_position
from geoaleppo.lexicon import Clause, Lexicon, as_clause, word_alternation
from geoaleppo.model import Article, Event, EventType, Mention, Place, Side
from geoaleppo.sides import SIDES, acting_sides, acting_sides_in, sides_in
from geoaleppo.text import DateExpression, Sentence, relative_dates

__all__ = ["SIDES", "Context", "casualties", "event_types", "extract", "reports_events",
           "sides_in"]
_GOVERNMENT, _REBELS = Side.GOVERNMENT, Side.REBELS

# Trigger phrases (see :mod:`geoaleppo.lexicon`), most specific type first: where two
# types share a phrase, the first keeps it.
_TRIGGERS: tuple[tuple[EventType, tuple[str, ...]], ...] = tuple(
    (EventType(kind), tuple(phrases.split(",")))
    for kind, phrases in (
        ("capture", "seize,seizes,seized,captured,capture,captures,took control,taken control,"
                    "recaptured,retook,retaken,took over,takeover,overran,overrun,liberat*,"
                    "fell to,fallen to,regained control,full control,restored security,"
                    "restored stability,restored calm,cleared,cleansed,drove out,driven out,"
                    "expelled,stormed,complete control,total control,"
                    "secured,securing,taking control,take control,reclaim,reclaimed,capturing,"
                    "seizing,recapture"),
        ("counter-attack", "counter attack,counter attacks,counterattack,counterattacks,"
                           "counter offensive,counter offensives,counteroffensive,"
                           "counteroffensives,take back,retake,recovering ground,"
                           "regain ground,regained ground"),
        ("advance", "advance,advances,advanced,advancing,pushed into,push deeper,pushed deeper,"
                    "push further,pushed further,made gains,gained ground,progress in,"
                    "progressed in"),
        ("shelling", "shell,shelling,shellings,shelled,shells,mortar,mortars,artillery,rocket,"
                     "rockets,missile,missiles,gas cylinder,gas cylinders,hell cannon"),
        ("air strike", "airstrike,airstrikes,air strike,air strikes,air raid,air raids,warplane,"
                       "warplanes,jets,helicopter,helicopters,bombers,sorties,barrel bomb,"
                       "barrel bombs,bombing raid,bombing raids,aerial"),
        ("bombardment", "bombardment,bombardments,bombed,bombing,pounded,pounding"),
        ("clash", "clash,clashes,clashed,fighting,fought,firefight,firefights,gunfire,skirmish,"
                  "skirmishes,battles,battling,combat,street battles,exchange of fire,"
                  "exchanges of fire,repelled,repulsed,thwarted,foiled"),
        ("attack", "attack,attacks,attacked,assault,assaults,ambush,ambushed,raid,raids,"
                   "suicide bomb*,massacre,massacres,targeted,targeting,chlorine,gas attack,"
                   "gas attacks,cluster bombs,cluster munitions,sniper,snipers,car bomb*,"
                   "offensive"),
        ("evacuation", "evacuat*,fled,fleeing,displaced,exodus,withdraw*,withdrew*"),
        ("negotiations", "talks,negotiat*,ceasefire,cease fire,truce,agreement,deal"),
        ("casualties", "killed,dead,died,wounded,injured"),
    )
)
_TRIGGER_LEXICON = Lexicon(_TRIGGERS)
# Capture words of everyday English too: a capture only where the clause names a side.
_EVERYDAY_CAPTURES = frozenset({"secured", "securing", "taking control", "take control",
                                "complete control", "total control", "capturing", "seizing",
                                "reclaim", "reclaimed"})
# Later, more general triggers give way to an earlier one in the same sentence.
_SUBSUMED: dict[str, frozenset[str]] = {
    "attack": frozenset({"clash", "shelling", "air strike", "bombardment", "counter-attack"}),
    "casualties": frozenset(EventType) - {"casualties"},
    "clash": frozenset({"counter-attack", "shelling"}),
    "advance": frozenset({"capture"}),
    "bombardment": frozenset({"air strike"}),
}

# Matched in lower-cased text, like the background pattern below.
_HYPOTHETICAL_RE = re.compile(
    r"\b(?:would|will|may|might|should|could(?! be (?:heard|seen))|plans? to|"
    r"threatens? to|expected to|if)\b"
)
# Words each pattern needs (this one and the next), so most sentences skip them after a
# set look-up.
_HYPOTHETICAL_CUES = frozenset("would will may might should could plan plans threaten "
                               "threatens expected if".split())
_BACKGROUND_CUES = frozenset("years months decades fighting past since".split())
# Habitual or background statements ("fought for years", "destroyed in the fighting")
# describe the war, not an event.
_BACKGROUND_RE = re.compile(
    r"\bfor (?:years|months|decades)\b|\bin the fighting\b|\bin the past year\b|"
    r"\bsince (?:the (?:start|beginning) of|20\d\d)\b"
)


_GOVERNMENT, _REBELS = Side.GOVERNMENT, Side.REBELS

_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90, "a hundred": 100, "hundred": 100, "dozens": 12,
    "a dozen": 12, "dozen": 12,
}
# Word lists as factored alternations (see lexicon.word_alternation): these patterns are
# tried at every word of a sentence that reports deaths.
# A comma inside a figure groups thousands ("1,200"); any other ends it ("in 2016, killing
# five" counts five, not 2016).
_NUMBER = rf"(\d{{1,3}}(?:,\d{{3}})++(?![\d,]\d)|\d++|{word_alternation(tuple(_NUMBER_WORDS))})"
# The spaces are taken whole (possessive): a bound word and a number start with neither,
# and "\s+" then "\s*" would share a long run of spaces in every split, quadratically.
_BOUND_WORDS = ("more than", "over", "at least", "upwards of", "nearly", "almost", "about",
                "around", "some")
_BOUND = rf"({'|'.join(_BOUND_WORDS)})?\s*+"
# Where a number may start: a figure, or a number word (inside a word too: a bound word
# may run into it). The number-first pattern starts with no letter the regex engine could
# skip to; it is tried from before the first such place on (see _number_first_from).
_NUMBER_START_RE = re.compile(rf"\d|{word_alternation(tuple(_NUMBER_WORDS))}")
_LONGEST_BOUND = max(map(len, _BOUND_WORDS))
# A figure longer than this is no count (a serial number, a scraped table). Masked before
# the patterns run, as a run of "1,1,1,…" is otherwise read again from each comma on, and
# int() refuses more than 4,300 digits.
_LONGEST_FIGURE = 40
# (A digit with no digit before it: the test comes after it, so the pattern starts with
# a character class the regex engine skips to.)
_LONG_FIGURE_RE = re.compile(rf"\d(?<!\d\d)[\d,]{{{_LONGEST_FIGURE},}}")
_LOWER_BOUNDS = {"more than", "over", "at least", "upwards of"}
# Counts that are lower bounds as written: "dozens" is at least twelve (ACLED codes the
# lowest figure a report supports).
_AT_LEAST_WORDS = frozenset({"dozens"})


# A day of the month is no count: "on 5 December killed 12" counts twelve.
_MONTH_WORDS = word_alternation((
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec"))


def _count_patterns(verbs: tuple[str, ...], states: tuple[str, ...]
                   ) -> tuple[re.Pattern[str], re.Pattern[str]]:
    # "killed seven people" (verb first) and "300 people have been killed" (number first);
    # in both, group 1 is the bound word and group 2 the number. Both are matched in
    # lower-cased text; the first starts with its verbs, which the regex engine skips to.
    # A number comes first only before what was done to the people counted ("killed",
    # "dead"): before "killing" it counts something else ("on 3 December 2016 killing
    # five", "two rockets killing").
    verb_first = re.compile(
        rf"(?:{word_alternation(verbs, word_start=True)})\s++{_BOUND}{_NUMBER}\b")
    number_first = re.compile(
        rf"\b{_BOUND}{_NUMBER}\s++(?!{_MONTH_WORDS}\b)(?:(?!and\b|or\b)[a-z-]++\s++){{0,3}}"
        rf"(?:have been |had been |were |was |are |have |had )?(?:{'|'.join(states)})\b"
    )
    return verb_first, number_first


# State media's "claiming the lives of 15 people" is a verb of killing too.
_LIVES_VERBS = tuple(f"{verb} the lives of" for verb in (
    "claiming", "claimed", "claims", "taking", "took", "takes", "costing", "cost"))
_KILLED = _count_patterns(("killed", "killing", "kills", "dead", "died", *_LIVES_VERBS),
                          ("killed", "dead", "died"))
_INJURED = _count_patterns(("wounded", "wounding", "injured", "injuring"),
                           ("wounded", "injured"))


@dataclass(frozen=True, slots=True)
class Context:
    """What the events of one article share."""

    published: dt.date | None
    default_claimant: str
    default_place: Place | None
    text: str
    article: Article | None = None


def _number(text: str) -> int:
    word = text.lower().replace(",", "")
    return int(word) if word.isdigit() else _NUMBER_WORDS[word]


_NUMBER_WORD_SET = frozenset(word.split()[-1] for word in _NUMBER_WORDS)
_DIGIT_RE = re.compile(r"\d")


def _count(clause: Clause, patterns: tuple[re.Pattern[str], re.Pattern[str]]
           ) -> tuple[int | None, str, bool]:
    """The first count in a clause, the words that qualify it ("at least", ""), and
    whether it is a lower bound."""
    if _NUMBER_WORD_SET.isdisjoint(clause.words) and not _DIGIT_RE.search(clause.text):
        return None, "", False  # no number to count
    lowered, number = clause.once(_countable)
    if number is None:
        return None, "", False
    # Only the earliest count is told, so each pattern's first match is all it need find
    # (on a tie, the earlier pattern's).
    verb_first, number_first = patterns
    matches = [m for m in (verb_first.search(lowered),
                           number_first.search(lowered, _number_first_from(lowered, number)))
               if m is not None]
    if not matches:
        return None, "", False
    first = min(matches, key=lambda m: m.start())
    qualifier = first.group(1) or ""
    lower_bound = qualifier in _LOWER_BOUNDS or first.group(2) in _AT_LEAST_WORDS
    return _number(first.group(2)), qualifier, lower_bound


def _countable(clause: Clause) -> tuple[str, re.Match[str] | None]:
    """The clause as its counts are read, in lower case with over-long figures masked,
    and where a number may first start in it: the same for the dead and the injured."""
    lowered = clause.text.lower()
    if _LONG_FIGURE_RE.search(lowered):
        lowered = _LONG_FIGURE_RE.sub(_masked, lowered)
    return lowered, _NUMBER_START_RE.search(lowered)


def _number_first_from(lowered: str, number: re.Match[str]) -> int:
    """Where no number-first count can start before, given the first place a number may
    start: a count starts at its number, or at the spaces before it, or at the bound word
    before those ("at least  5"), and every later number's spaces start after this one."""
    start = number.start()
    while start and lowered[start - 1].isspace():
        start -= 1
    return max(0, start - _LONGEST_BOUND)


def _masked(figure: re.Match[str]) -> str:
    # Word characters for digits, so the words around keep their boundaries.
    return _DIGIT_RE.sub("_", figure.group())


class Casualties(NamedTuple):
    """The deaths and injuries a clause reports, with the words that qualify the deaths."""

    fatalities: int | None
    lower_bound: bool
    injured: int | None
    qualifier: str = ""


def casualties(sentence: Clause | str) -> Casualties:
    """Fatalities (with whether the figure is a lower bound, and how the text put it)
    and injured.

    >>> casualties("a rebel attack killed one Russian medic and wounded two others")
    Casualties(fatalities=1, lower_bound=False, injured=2, qualifier='')
    >>> casualties("More than 300 people have been killed")
    Casualties(fatalities=300, lower_bound=True, injured=None, qualifier='more than')
    """
    clause = as_clause(sentence)
    lowered = clause.text.lower()
    fatalities, qualifier, lower_bound, injured = None, "", False, None
    if any(word in lowered for word in ("kill", "dead", "died", "lives of")):
        fatalities, qualifier, lower_bound = _count(clause, _KILLED)
    if "wound" in lowered or "injur" in lowered:
        injured, _, _ = _count(clause, _INJURED)
    return Casualties(fatalities, lower_bound, injured, qualifier)


def _modal(clause: Clause) -> bool:
    if _HYPOTHETICAL_CUES.isdisjoint(clause.words):
        return False
    return bool(_HYPOTHETICAL_RE.search(_outside_quotes(clause.text).lower()))


_TRUCE_WORDS = ("ceasefire", "cease-fire", "truce", "evacuat", "withdrawal", "surrender",
                "humanitarian")
_QUOTED_RE = re.compile(r"[\"“][^\"”]*[\"”]")


def _outside_quotes(sentence: str) -> str:
    if '"' not in sentence and "“" not in sentence:
        return sentence
    # No quotation closes after the last closing mark: past it, each opening mark would
    # read on to the end of the sentence in vain (quadratic in a run of them).
    end = max(sentence.rfind('"'), sentence.rfind("”")) + 1
    return _QUOTED_RE.sub(" ", sentence[:end]) + sentence[end:]


def event_types(sentence: Clause | str) -> tuple[tuple[EventType, str], ...]:
    """(type, trigger word) pairs found, with more general types dropped for specific ones."""
    return as_clause(sentence).once(_event_types)


def _event_types(clause: Clause) -> tuple[tuple[EventType, str], ...]:
    first = {hit.label: clause.text[hit.start : hit.end]
             for hit in _TRIGGER_LEXICON.first_hits(clause)}
    if not first:
        return ()  # most clauses that report nothing: no trigger at all
    found = [(kind, first[kind]) for kind, _ in _TRIGGERS if kind in first]
    kinds = set(first)
    return tuple((k, w) for k, w in found if not (_SUBSUMED.get(k, frozenset()) & kinds))


# ", and 70 have died ...": a new clause with its own count or subject.
_CLAUSE_RE = re.compile(
    r",\s+(?:and|while|whereas)\s+(?=(?:more than |at least )?\d|\w+ (?:have|had|were))|;\s+"
)


_TAKE_WORDS = frozenset({"took", "take", "takes", "taken", "taking"})


def _side_took(clause: Clause) -> str | None:
    """The "took" of a side taking a place ("Government forces also took al-Sukkari")."""
    if _TAKE_WORDS.isdisjoint(clause.words) or not sides_in(clause):
        return None
    return clause.once(_took_of)


def _took_of(clause: Clause) -> str | None:
    return event_rules.side_took(clause.text, acting_sides_in)


def reports_events(clause: Clause) -> bool:
    """Whether a sentence can report events: a trigger word, neither conditional nor
    background ("fought for years")."""
    return bool(
        (event_types(clause) or _side_took(clause))
        and not _modal(clause)
        and (_BACKGROUND_CUES.isdisjoint(clause.words)
             or not _BACKGROUND_RE.search(clause.text.lower()))
    )


def extract(
    sentence: Sentence,
    clause: Clause,
    mentions: list[Mention],
    previous_locations: list[Mention],
    previous_sides: tuple[Side, ...],
    context: Context,
    claim: Claim,
    *,
    dates: tuple[DateExpression, ...] | None = None,
) -> list[Event]:
    """The events one sentence reports, clause by clause (see :func:`reports_events`).

    "More than 300 killed in government bombardments ..., and 70 have died in rebel
    shellings" reports two events; each clause is read on its own, sharing the
    sentence's source (``claim``) and dates. ``clause`` is the whole sentence.
    ``dates`` are the sentence's dates as the narrative has them (see
    :class:`geoaleppo.dates.Narrative`; offsets into the sentence); by default, the days
    it names relative to publication.
    """
    text = sentence.text
    sentence_dates = relative_dates(clause, context.published) if dates is None else dates
    events: list[Event] = []
    cursor = 0
    bounds = [match.start() for match in _CLAUSE_RE.finditer(text)] + [len(text)]
    # Each clause takes its mentions by bisection: a long sentence of many clauses and
    # places would otherwise test every mention in every clause.
    mentions = sorted(mentions, key=attrgetter("start"))
    starts = [m.start for m in mentions]
    for number, end in enumerate(bounds):
        part = clause if (cursor, end) == (0, len(text)) else Clause(text[cursor:end])
        start = sentence.start + cursor
        in_clause = mentions[bisect.bisect_left(starts, start):
                             bisect.bisect_left(starts, sentence.start + end)]
        inherited = previous_locations if number == 0 else []
        part_dates = sentence_dates if part is clause else tuple(
            replace(d, offset=d.offset - cursor) for d in sentence_dates
            if cursor <= d.offset < end)
        events.extend(
            _clause_events(part, start, sentence, in_clause, inherited, previous_sides,
                           context, claim, part_dates or sentence_dates)
        )
        cursor = end
    return events


def _clause_events(
    clause: Clause,
    clause_start: int,
    sentence: Sentence,
    mentions: list[Mention],
    previous_locations: list[Mention],
    previous_sides: tuple[Side, ...],
    context: Context,
    claim: Claim,
    dates: tuple[DateExpression, ...],
) -> list[Event]:
    text = clause.text
    kinds = event_types(clause)
    if not any(kind == "capture" for kind, _ in kinds):
        took = _side_took(clause)
        if took:  # "Government forces also took al-Sukkari"
            kinds = ((EventType.CAPTURE, took),
                     *((k, w) for k, w in kinds if k != EventType.ADVANCE))
    if any(kind == "negotiations" for kind, _ in kinds) and not (
        any(word in text.lower() for word in _TRUCE_WORDS) or sides_in(clause)
    ):
        # "Exxon signed a deal": talks count only about the war (a truce, or the sides).
        kinds = tuple((kind, word) for kind, word in kinds if kind != "negotiations")
    if any(word.lower() in _EVERYDAY_CAPTURES for _kind, word in kinds) and not (
            sides_in(clause) or previous_sides):
        # "secured a deal", "capturing the title": these take ground only where a side is
        # named (in the clause, or the sentence before for "they had secured the district").
        kinds = tuple((k, w) for k, w in kinds if w.lower() not in _EVERYDAY_CAPTURES)
    if not kinds:
        return []
    locations = [m for m in mentions if m.role == "location" and m.place is not None
                 and m.place.kind not in {"country"}]
    # Places in the attribution ("Reuters journalists in a government-held western
    # district said") are where the source stands, not where the event is.
    attribution = source_position(clause)
    if attribution is not None:
        cut = clause_start + attribution
        locations = [m for m in locations if m.start < cut] or locations
    if not locations:
        # A sentence that names no place continues the paragraph's ("But rebels said
        # they had mounted a counter-attack on Monday" — in Al Shaar).
        locations = previous_locations[:1]
    sides = acting_sides(clause, closing_attribution_start(clause)) or previous_sides
    fatalities, lower_bound, injured, qualifier = casualties(clause)
    victims = (fatalities is not None or injured is not None) and event_rules.civilian_victims(
        clause.lowered)
    events = []
    for kind, trigger in event_rules.with_later_advance(kinds, text, clause_start, locations):
        targets: list[Mention | None] = list(
            event_rules.targets(kind, trigger, text, clause_start, locations)) or [None]
        date, date_end, precision = _date_for(dates, trigger, text, context.published)
        actors = _actors(kind, sides, clause, trigger)
        if victims and kind in event_rules.VIOLENT and actors:
            # "rebel shelling killed seven people": the people were its target.
            # Its allies stay with it; the sides it fights were not this attack's target.
            actors = [actors[0], Side.CIVILIANS,
                      *(a for a in actors[1:] if a in _ALLIES.get(actors[0], ()))]
        for number, target in enumerate(targets):
            # A clause's count is told once, at its first place.
            dead, hurt = (fatalities, injured) if number == 0 else (None, None)
            place = target.place if target else context.default_place
            derived = target.derived if target else None
            events.append(
                Event(
                    type=kind,
                    sentence=text,
                    sentence_index=sentence.index,
                    place=place,
                    date=date,
                    date_end=date_end,
                    time_precision=precision,
                    geo_precision=_geo_precision(place, derived is not None, target is None),
                    actors=tuple(actors),
                    claimant=claim.claimant,
                    claimed=claim.claimed,
                    fatalities=dead if kind not in {"negotiations", "evacuation"} else None,
                    fatalities_lower_bound=lower_bound and dead is not None,
                    fatalities_qualifier=(qualifier if dead is not None
                                          and kind not in {"negotiations", "evacuation"} else ""),
                    injured=hurt if kind not in {"negotiations", "evacuation"} else None,
                    derived=derived,
                    trigger=trigger,
                    article=context.article,
                )
            )
    return events


def _date_for(dates: tuple[DateExpression, ...], trigger: str, text: str, published: dt.date | None
              ) -> tuple[str | None, str | None, int]:
    if not dates:
        return (published.isoformat() if published else None), None, 1 if published else 3
    # The date expression nearest the trigger word belongs to it.
    position = text.lower().find(trigger.lower())
    best = min(dates, key=lambda d: abs(d.offset - position))
    end = best.end.isoformat() if best.end else None
    return best.start.isoformat(), end, best.precision


def _doer(text: str, trigger: str) -> Side | None:
    """The side doing a capture or advance: "regime took", "advances by government forces"."""
    position = text.lower().find(trigger.lower())
    if position < 0:
        return None
    after = re.match(r"\s+(?:\w+\s+){0,2}by\s+(.{0,60})", text[position + len(trigger):], re.I)
    window = (after.group(1) if after else "") or ""
    before = text[max(0, position - 30) : position + len(trigger)]
    for candidate in (window, before):
        found = sides_in(candidate)
        if found:
            return found[0] if candidate is window else found[-1]
    return None


_ALLIES = {Side.GOVERNMENT: (Side.RUSSIA,), Side.RUSSIA: (Side.GOVERNMENT,),
           Side.REBELS: (Side.JIHADISTS,), Side.JIHADISTS: (Side.REBELS,)}
_FROM_REBELS_RE = re.compile(r"\bfrom (?:the )?(?:rebels|insurgents|opposition|terrorists)\b",
                             re.I)


def _actors(kind: EventType, sides: tuple[Side, ...], clause: Clause, trigger: str
            ) -> list[Side]:
    text = clause.text
    actors = list(sides)
    if kind in {"capture", "advance"}:
        doer = _doer(text, trigger)
        if doer:
            actors = [doer] + [a for a in actors if a != doer]
    if "from" in clause.words and _FROM_REBELS_RE.search(text):
        # "seized from rebels": the other side did the seizing.
        actors = [_GOVERNMENT] + [a for a in actors if a != _GOVERNMENT]
    if kind in {"clash", "counter-attack"} and len(actors) == 1 and actors[0] in {
        _GOVERNMENT, _REBELS
    }:
        # A clash has two sides; in Aleppo in 2016 the other one is the main opponent.
        actors.append(_REBELS if actors[0] == _GOVERNMENT else _GOVERNMENT)
    return actors


def _geo_precision(place: Place | None, derived: bool, fallback: bool) -> int:
    """ACLED geo-precision: 1 the exact site, 2 the district around it, 3 the city or wider."""
    if place is None or fallback:
        return 3
    if derived:
        return 2
    return {"site": 1, "landmark": 1, "district": 2, "area": 2}.get(place.precision, 3)
