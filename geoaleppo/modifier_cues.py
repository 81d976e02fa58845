"""The classes of words around a demonym or a place name that say whether it qualifies
a noun (:mod:`geoaleppo.modifiers`): verbs of speaking and reporting, function words,
the last words of the names of organisations, institutions and seas."""

from __future__ import annotations

# Verbs after which a demonym is a language ("spoke Arabic", "translated into Turkish"):
# only verbs that take one, for "said", "wrote" or "learned" come before adjectives too
# ("said Syrian troops"); and nouns of language a demonym may qualify ("French speakers").
SPEAKING = frozenset("""
    speak speaks spoke spoken speaking fluent fluently translate translates translated
    translating dubbed subtitled
""".split())
LANGUAGE_NOUNS = frozenset("""
    language languages speaker speakers speaking translation translations translator
    translators interpreter interpreters dialect dialects subtitles lessons alphabet
    script literature grammar
""".split())
# Languages that are no country's demonym, as they appear in a list with one that is
# ("in English and Spanish").
LANGUAGES = frozenset("english arabic hebrew kurdish persian farsi urdu hindi mandarin "
                      "cantonese latin pashto dari aramaic armenian".split())
# Words after a demonym that show no noun follows it ("in Turkish, and").
FUNCTION_WORDS = frozenset("""
    a an the and or but nor so yet to of in on at by for from with as than that which who
    whom whose while when where after before because if since until about into onto over
    is are was were be been being has have had do does did will would can could should
    may might must not no also too then there here this these those it its he she they we
    you i his her their our my your them us him me
    all any both each every few many more most much several some such other another
    former late senior top now today yesterday earlier later meanwhile however still
    one two three four five six seven eight nine ten dozens hundreds thousands
""".split())
ARTICLES = frozenset({"a", "an", "the"})
# Verbs of reporting, after a demonym that is a person's name ("French said").
REPORTING = frozenset("""
    said says told tells added adds stated announced insisted insists warned denied
    confirmed wrote explained argued asked replied recalled
""".split())
# Endings of adverbs ("The Nigerian successfully scored"), none of a noun's.
ADVERB_ENDINGS = ("fully", "ously", "ively", "edly", "ently", "antly", "ically")
# The last words of the names of companies, clubs, associations, teams and laws: a
# demonym in such a name ("British Airways", "American Board of Radiology", "Egyptian
# Premier League") names the organisation, not the country. A law's ("the Cuban
# Adjustment Act") is the country's own.
ORGANISATION_HEADS = frozenset("""
    Airways Airlines Airline Association Society Board Legion League Cup Club Team
    Bank Group Inc Corp Corporation Company Co Ltd LLC Restaurant Grill Cafe Café
    Marketplace Market Hotel Foundation Institute Academy Fund Trust Championship
    Championships Open Prix
""".split())
# The last words of the names of a city's institutions, offices and papers: the city
# qualifies them ("London Police", "Winnipeg Free Press", "Toronto General Hospital",
# "Montreal Mayor Denis Coderre"), as a broadcaster's call letters do before it ("CBC
# Toronto").
INSTITUTION_HEADS = (
    "Police", "Mayor", "Council", "Press", "Herald", "Times", "Journal", "Post", "Star",
    "Tribune", "Gazette", "Sun", "Hospital", "Airport", "Transit", "Association",
    "Coalition", "Partnership", "Authority", "Board", "Library", "Zoo", "Church",
    "Cathedral", "Service", "Services", "Department", "Centre", "Center", "Chamber",
    "Society", "Symphony", "Marathon", "MLA", "MP", "MPP", "Councillor", "Councilman",
    "Alderman", "Sheriff",
)  # not "University" nor "School": Columbia University, George Washington High School
# The last words of the names of seas, gulfs and the like: "Indian Ocean" is a place
# (one the gazetteer may lack), not India's.
FEATURE_HEADS = frozenset("""
    Ocean Sea Gulf Bay Strait Straits Channel Peninsula Subcontinent Riviera Alps
    Highlands Desert Plateau Basin Islands Archipelago
""".split())
# Arabic articles: a compound that has one is a transliterated name ("al-Bab").
ARABIC_ARTICLES = frozenset("al el as ash ad az at an ar aj ath adh ed es et ez en er".split())
