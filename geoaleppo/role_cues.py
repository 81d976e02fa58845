"""The words that make a government's place an actor (see :mod:`geoaleppo.roles`).

Built from classes of verbs and nouns, not from single phrases: verbs of speech,
decision, diplomacy and force, each in all its forms ("warn", "warns", "warned",
"warning"); nouns of relations ("talks", "sanctions", "intentions"); the adjectives a
government can be ("responsible", "ready"). All patterns are matched in lower-cased text:
``right`` starts right after the place's name, ``left`` ends right before it.
"""

from __future__ import annotations

import re

from geoaleppo.lexicon import word_alternation

# Verbs whose subject acts: speech, decision, diplomacy, force, trade, sport.
_SUBJECT_VERBS = """
say tell announce accuse deny warn demand back support want insist urge call condemn
reject veto agree propose refuse send deploy hope expect believe claim pledge vow threaten
respond welcome seek plan intend intervene blame state confirm report release sign strike
launch bomb pound recognise recognize negotiate declare decide order approve authorise
authorize impose lift ban expel summon recall retaliate protest complain dismiss oppose
push press pressure ask invite offer promise vote boycott suspend withdraw join help fund
finance arm train supply sell buy fire shell attack invade occupy annex raid target seize
capture win lose beat defeat score draw follow guard work act move meet tighten ease raise
cut continue try fail manage need admit acknowledge argue assert note suggest stress
emphasise emphasize express voice reiterate repeat reaffirm reply retort counter question
doubt fear worry consider view see concede comply cooperate coordinate collaborate mediate
broker guarantee sponsor accept endorse adopt enact invest spend pay give lend retaliate
react apologise apologize thank praise criticise criticize slam denounce rebuke
congratulate station mobilise mobilize dispatch evacuate close open sever restore resume
normalise normalize break halt stop end start begin lead take make keep hold insist
prove hit shoot arrest detain charge sue fine deport host hand respond seem appear
maintain place persist export unveil appreciate advocate issue highlight strengthen lack
engage reduce increase boost step escalate retreat backtrack recognise insist
""".split()
# Verbs whose object is acted on as a government: "accused Ankara", "warned Moscow".
_OBJECT_VERBS = """
accuse blame warn urge tell ask call criticise criticize condemn praise thank slam denounce
rebuke press pressure persuade convince invite congratulate remind challenge defy snub
threaten sanction punish support back help join oppose recognise recognize trust distrust
engage allow force push encourage lobby court beat defeat deter contain isolate reassure
assure inform notify sue provoke antagonise antagonize appease placate arm fund accuse
implore reprimand chastise caution advise thwart outplay overtake trail lead bring order
want see give sell fight charge persuade require oblige let
""".split()
_IRREGULAR = {
    "say": ("said",), "tell": ("told",), "send": ("sent",), "seek": ("sought",),
    "strike": ("struck", "stricken"), "withdraw": ("withdrew", "withdrawn"),
    "sell": ("sold",), "buy": ("bought",), "win": ("won",), "lose": ("lost",),
    "beat": ("beaten",), "draw": ("drew", "drawn"), "meet": ("met",),
    "see": ("saw", "seen"), "pay": ("paid",), "give": ("gave", "given"), "lend": ("lent",),
    "break": ("broke", "broken"), "begin": ("began", "begun"), "lead": ("led",),
    "take": ("took", "taken"), "make": ("made",), "keep": ("kept",), "hold": ("held",),
    "hit": ("hit",), "cut": ("cut",), "shoot": ("shot",), "bring": ("brought",),
    "fight": ("fought",),
}
_DOUBLED = {"ban", "slam", "snub", "plan", "stop", "drop", "bar", "hit", "cut", "shut",
            "win", "begin", "set", "put", "fit", "rebut", "commit", "regret", "abet"}


def forms(bases: list[str]) -> tuple[str, ...]:
    """Every form of each verb: base, third person, past and participle, gerund."""
    found: set[str] = set()
    for base in bases:
        irregular = _IRREGULAR.get(base)
        consonant_y = base.endswith("y") and base[-2:-1] not in set("aeiou")
        stem = base + base[-1] if base in _DOUBLED else base
        found.add(base)
        if consonant_y:
            found.update({base[:-1] + "ies", base[:-1] + "ied"})
        elif base.endswith(("s", "sh", "ch", "x", "z", "o")):
            found.add(base + "es")
        else:
            found.add(base + "s")
        if irregular is not None:
            found.update(irregular)
        elif base.endswith("e"):
            found.add(base + "d")
        elif not consonant_y:
            found.add(stem + "ed")
        if base.endswith("e") and not base.endswith("ee"):
            found.add(base[:-1] + "ing")
        else:
            found.add(stem + "ing")
    return tuple(sorted(found))


# Words between a subject and its verb: adverbs, auxiliaries, modals, negation.
_GAP = (r"(?:on\s+(?:\w+day|\w+\s+\d+)|in\s+\w+\s+\d{4}|last\s+\w+|this\s+\w+|"
        r"yesterday|today|\w+ly|also|then|again|already|now|still|not|never|even|just|once|soon|long|"
        r"too|itself|alone|first|later|has|have|had|does|did|do|can|cannot|"
        r"(?:does|did|do|has|have|had|is|was|are|were|would|could|should|wo|ca)n['’]?t)")
_SUBJECT_VERB_RE = re.compile(
    # "Russia and the Syrian regime rejected": a coordinated noun phrase first.
    r"^(?:\s+and\s+(?:the\s+)?[\w'’-]+(?:\s+[\w'’-]+){0,2}?)?"
    rf"(?:\s*,[^,.;]{{1,60}},)?(?:\s+{_GAP})*\s+"
    rf"(?:will|would|could|should|must|may|might|{word_alternation(forms(_SUBJECT_VERBS))})"
    r"\b(?!\s+by\s+(?!\w+ing\b)|-)")
# "Tunisia has strengthened", "Azerbaijan had mined": an active perfect ("Syria has been
# locked in war", "has seen years of war": the place is where things happened).
_PERFECT_RE = re.compile(
    rf"^(?:\s*,[^,.;]{{1,60}},)?(?:\s+{_GAP})*?\s+(?:has|have|had)(?:\s+{_GAP})*\s+"
    r"(?!been\b|seen\b|witnessed\b|suffered\b|endured\b|become\b)"
    r"(?:\w+ed|\w+en|a\s+(?:track record|history|policy|right|duty))\b(?!\s+by\b)")
# "Russia is not genuine", "Moscow was responsible", "the US is bombing".
_COPULA_RE = re.compile(
    r"^\s+(?:is|was|are|were|has been|had been|have been|remains|remained|seems|appears)"
    r"(?:\s+(?:not|also|now|still|clearly|increasingly|already|itself|no longer))*\s+"
    r"(?:responsible|ready|willing|unwilling|prepared|determined|keen|eager|reluctant|"
    r"committed|opposed|concerned|worried|confident|aware|genuine|serious|sincere|adamant|"
    r"firm|interested|involved|complicit|guilty|right|wrong|behind|against|unlikely|likely|"
    r"able|unable|free|happy|unhappy|satisfied|dissatisfied|angry|furious|alarmed|"
    r"expected|poised|set|due|accused|alleged|blamed|critici[sz]ed|condemned|urged|asked|"
    r"pressed|pressured|warned|sanctioned|invited|required|obliged|forced|called on|"
    r"a (?:party|sponsor|guarantor|backer|signatory|mediator)|"
    r"(?!being\b|facing\b|suffering\b|experiencing\b|bleeding\b|burning\b|home\b)\w+ing)\b")
# "Russia to start talks", "pretext for Russia to carpet bomb": an infinitive's subject.
_INFINITIVE_RE = re.compile(
    r"^\s+to\s+(?!(?:the|a|an|its|their|his|her|this|that|these|those|our|my|your|some|"
    r"all|each|every|both|and|or|be|date|rest|north|south|east|west|\d)\b)[a-z]{2,}\b")
# Nouns a government's name qualifies: "US officials", "a US plea", "Russia's army".
_AGENT_NOUNS = (
    r"officials?|envoys?|forces|troops|government|administration|military|diplomats?|"
    r"diplomacy|president|secretary of state|ambassadors?|warplanes|jets|aircraft|army|navy|"
    r"air force|defen[cs]e ministry|foreign ministry|state department|special forces|"
    r"authorities|leaders?|leadership|delegation|negotiators?|spokesman|spokeswoman|"
    r"pleas?|proposals?|plans?|initiative|decisions?|moves?|requests?|demands?|offers?|"
    r"statements?|stance|position|policy|policies|response|sanctions|tariffs|pressure|"
    r"support|backing|intervention|drones?|bombers|marines|soldiers|intelligence|spies|"
    r"allies|ally|veto|embargo|practices|counterparts?|lawmakers|prosecutors|investigators|regime|"
    r"minister|ministry|premier|prime minister|foreign minister|defen[cs]e minister|"
    r"team|squad|coach|manager|captain|side|national team|threats?|warnings?|accusations?|"
    r"allegations?|objections?|refusal|approval|consent|veto|insistence|efforts?|role|"
    r"strategy|intentions?|ultimatum|retaliation|crackdown|invasion|occupation|"
    r"involvement|interference|meddling|aggression|campaign|offensive"
)
_AGENT_NOUN_RE = re.compile(rf"^\s+(?:{_AGENT_NOUNS})\b")
# A possessive makes an actor unless what follows is the place's ground, people or rank:
# "Syria's second city", "Russia's far east", "China's population" stay locations.
_POSSESSIVE_RE = re.compile(r"^['’]s?\s+(?P<word>[\w-]+)")
_GROUND_WORDS = frozenset("""
second third largest biggest oldest capital city cities town towns village villages
north south east west northern southern eastern western central northeast northwest
southeast southwest northeastern northwestern southeastern southwestern far border
borders coast coastal coastline territory territories soil airspace waters province
provinces region regions district districts neighbourhood neighbourhoods neighborhood
neighborhoods streets street population people residents inhabitants citizens
countryside mountains mountain hills desert rivers river lakes lake islands island
shores beaches weather climate landscape heartland interior hinterland outskirts
suburbs centre center old historic ancient famous main largest-ever only airport
airports port ports hospitals hospital schools universities museums landmarks heritage
skyline children women refugees poor poorest richest rural urban map
""".split())
# The verbs and nouns before an object that a government is: "accused Ankara of",
# "talks with Tehran", "sanctions against Iran", "brokered by the US".
_OBJECT_VERB_RE = re.compile(
    rf"\b(?:{word_alternation(forms(_OBJECT_VERBS))})(?:\s+on|\s+upon)?\s+(?:the\s+)?$")
_RELATION_NOUNS = (
    r"talks|negotiations|relations|relationships?|ties|deals?|agreements?|dialogue|"
    r"cooperation|contacts|meeting|meetings|pressure|support|backing|comments?|criticism|"
    r"condemnation|statements?|requests?|demands?|help|aid|assistance|offers?|warnings?|"
    r"calls|response|reaction|sanctions|envoys?|officials?|accord|consultations|disputes?|"
    r"tensions?|rift|row|spat|feud|rapprochement|alliance|partnership|summit|treaty|pact|"
    r"negotiators|intentions?|role|policy|policies|position|stance|efforts?|decisions?|"
    r"proposals?|pleas?|appeals?|assurances|guarantees|commitments?|threats?|objections?|"
    r"protests?|complaints?|accusations|allegations|charges|claims|measures|actions?|"
    r"retaliation|independence|attitude|approach|strategy|involvement|interference|"
    r"meddling|intervention|aggression|loans|investment|representatives?|delegates?|"
    r"delegation|counterparts?|government|leadership|leaders?|authorities|ambassadors?|"
    r"ministers?|spokesm[ae]n|behalf|permission|success|image|comparisons?|dignity|"
    r"interests?|solidarity|trust|favour|favor|confidence|friendship|hostility|tariffs|duties|embargo|"
    r"ultimatum|apology|letter|message|questions|concessions|overtures?|ally|allies|"
    r"partners?|rivals?|enemies|enemy|backers?|patrons?|sponsors?|veto|vote|approval|"
    r"programm?es?|programs"
)
# What may stand between such a noun and its preposition: a phrase of time or place
# ("talks in Geneva with Moscow", "talks last week with Tehran"), not another noun
# ("tariffs hit imports from China").
_BETWEEN_WORDS = r"(?:\s+(?:in|on|over|at|about|last|this|next|held|planned)\s+[\w'’-]+)?"
_RELATION_RE = re.compile(
    rf"\b(?:{_RELATION_NOUNS}){_BETWEEN_WORDS}\s+"
    r"(?:with|from|by|between|of|against)\s+(?:the\s+)?$")
# "at war with Damascus", "the standoff between Moscow and Washington" (not "monitors
# the conflict from Britain").
_HOSTILITY_RE = re.compile(
    r"\b(?:wars?|conflict|confrontation|standoff|stand-off|hostilities)\s+"
    r"(?:with|against|between)\s+(?:the\s+)?$")
# Nouns aimed at a government: "an apology to France", "pressure on Georgia",
# "tariffs on China", "its policy towards Iran" (not "aid to Syria": that reaches the
# country).
_DIRECTED_RE = re.compile(
    r"\b(?:apology|apologi[sz]ed|letter|message|note|questions|ultimatum|warnings?|appeals?|"
    r"overtures?|concessions|threats?|pressure|sanctions|tariffs|duties|embargo|attitude|"
    r"polic(?:y|ies)|stance|approach|hostility|commitment|obligations?|loyalty|"
    rf"sold|sells?|selling|sales?){_BETWEEN_WORDS}\s+"
    r"(?:to|on|toward|towards|upon)\s+(?:the\s+)?$")
# "a truce declared by Moscow", "ignored for years by Washington", "backed by ally
# Russia": a passive's agent (not "surrounded by", "bordered by": those are ground).
_AGENT_RE = re.compile(
    r"\b(?!(?:surrounded|bordered|flanked|separated|divided|encircled|bounded|ringed|"
    r"enclosed|dwarfed|crossed|dominated|overlooked|followed)\b)"
    rf"(?:\w+ed|\w+en|{word_alternation(forms(_SUBJECT_VERBS))})"
    r"(?:\s+[\w'’-]+){0,3}?\s+by\s+(?:the\s+)?(?:(?:its|their|key|close|main)\s+)?"
    r"(?:(?:ally|allies|partner|partners|patron|backer|rival|neighbour|neighbor)\s+)?$")
# "Russia-backed", "Russia, backed by Iran,": the place backs, or is backed, as a side.
_APPOSITION_RE = re.compile(
    r"^(?:-(?:backed|led|sponsored|allied|brokered|supported|funded|armed)\b|\s*,\s*backed\b)")
# "Russia, which has vetoed", "Ankara, who says": a relative clause whose verb it is.
_RELATIVE_RE = re.compile(r"^\s*,\s*(?:which|who)\b")
# A place after one of these is where something is, never a subject: "the war in Syria
# has killed", "people in Russia say", "an attack in central Syria".
_PLACE_PREPOSITIONS = frozenset("""
in at to into from near across around through inside outside toward towards via over
within throughout of on between under beyond along off onto upon about like across
for with without against among amid past
central north south east west northern southern eastern western northeast northwest
southeast southwest northeastern northwestern southeastern southwestern rural
""".split())
# "for Russia to carpet bomb", "of Moscow to": an infinitive's subject after these.
_INFINITIVE_PREPOSITIONS = frozenset({"for", "of"})


def actor_on_right(right: str, left: str) -> bool:
    """Whether the words after the place (``right``, as written) make it act; ``left``:
    the words before it, as written."""
    lowered = right.lower()
    if _AGENT_NOUN_RE.match(lowered) or _APPOSITION_RE.match(lowered):
        return True
    possessive = _POSSESSIVE_RE.match(lowered)
    if possessive:
        return possessive.group("word") not in _GROUND_WORDS
    # An infinitive's subject ("for Russia to carpet bomb"): the verb is in lower case,
    # where a place would not be ("from Damascus to Aleppo").
    infinitive = bool(_INFINITIVE_RE.match(right))
    previous = _word_before_list(left, bool(_LIST_GOES_ON_RE.match(right)))
    if previous in _PLACE_PREPOSITIONS and _word_before_list(left, stop=True) != previous \
            and _SAID_RE.match(lowered):
        # "Fighting raged in Aleppo and Moscow said": a new clause, whose subject it is.
        return True
    if previous in _PLACE_PREPOSITIONS:
        return previous in _INFINITIVE_PREPOSITIONS and infinitive
    relative = _RELATIVE_RE.match(lowered)
    if relative:
        clause = lowered[relative.end() :]
        return bool(_SUBJECT_VERB_RE.match(clause) or _PERFECT_RE.match(clause)
                    or _COPULA_RE.match(clause))
    return bool(infinitive or _SUBJECT_VERB_RE.match(lowered) or _PERFECT_RE.match(lowered)
                or _COPULA_RE.match(lowered))


def actor_on_left(left: str) -> bool:
    """Whether the words before the place (``left``, in lower case) make it act on or be
    acted on as a government: an object, an agent, a partner in relations."""
    if not left[-1:].isspace():
        return False
    # Each pattern ends in a word of its own: most places have none of them before.
    words = left.split()[-3:]
    while words and words[-1] in {"the", "its", "their", "key", "close", "main", "ally",
                                  "allies", "partner", "partners", "patron", "backer",
                                  "rival", "neighbour", "neighbor", "on", "upon"}:
        words.pop()
    last = words[-1] if words else ""
    return bool((last in _OBJECT_VERB_FORMS and _OBJECT_VERB_RE.search(left))
                or (last in _RELATION_PREPOSITIONS and (_RELATION_RE.search(left)
                                                        or _HOSTILITY_RE.search(left)))
                or (last in _DIRECTED_PREPOSITIONS and _DIRECTED_RE.search(left))
                or (last == "by" and _AGENT_RE.search(left)))


_OBJECT_VERB_FORMS = frozenset(forms(_OBJECT_VERBS))
_RELATION_PREPOSITIONS = frozenset({"with", "from", "by", "between", "of", "against"})
_DIRECTED_PREPOSITIONS = frozenset({"to", "on", "toward", "towards", "upon"})


# A list member before the place: "such as Germany or", "in Russia and", "in Iraq,"
# (", and" may as well begin a new clause: "imports from China, and China retaliated").
_LIST_MEMBER_RE = re.compile(
    r"(?:^|(?<=\s))(?:the\s+)?(?:[A-Z][\w'’.-]*\s+){0,2}[A-Z][\w'’.-]*"
    r"(?:\s*,|\s+(?:and|or))\s*$")


_LIST_GOES_ON_RE = re.compile(r"\s*(?:,|and\b|or\b)")


def after_preposition(left: str) -> bool:
    """Whether the place (``left``: the words before it, as written) stands in a phrase
    of place ("in Russia", "imports from China", "such as Germany or Sweden")."""
    return _word_before_list(left, True) in _PLACE_PREPOSITIONS


_SAID_RE = re.compile(r"\s+(?:said|says|told|announced|warned|added|stated|declared)\b")


def _word_before_list(left: str, continues: bool = False, *, stop: bool = False) -> str:
    """The word before the place, or before the list it ends ("in Russia and China"), in
    lower case and past a final "the"; "such as" counts as a preposition. ``continues``:
    whether the list goes on after the place (", Iran and"); ``stop``: the word right
    before the place, not past a list."""
    in_list = continues
    for _member in range(0 if stop else 4):
        end = left.rstrip()
        joined = end.endswith((" and", " or"))
        # A comma alone parts list members only in a list ("Iraq, Syria and Lebanon"),
        # not a fronted phrase from its subject ("Along with Russia, Iran backs").
        if not (joined or (in_list and end.endswith(","))):
            break  # no list before the place: the usual case, without the pattern
        in_list = True
        member = _LIST_MEMBER_RE.search(left)
        if member is None:
            break
        left = left[: member.start()] + " "
    words = left.lower().split()
    if words and words[-1] == "the":
        words.pop()
    if len(words) > 1 and words[-2:] == ["such", "as"]:
        return "of"
    return words[-1].strip("\"“”'’(,") if words else ""
