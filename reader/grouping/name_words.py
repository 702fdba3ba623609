"""Word lists the name extractor reads: words that look like names but are not, and the small
words that join or end names. Plain data, one list per question the extractor asks."""

from __future__ import annotations

# Words that start with a capital letter but are not names (or not on their own).
COMMON = frozenset(
    [
        "a", "an", "the", "this", "that", "these", "those", "it", "its", "he", "she", "they",
        "we", "i", "you", "his", "her", "their", "our", "my", "your", "and", "or", "but", "nor",
        "so", "yet", "for", "of", "in", "on", "at", "to", "by", "from", "with", "without", "as",
        "if", "when", "while", "after", "before", "since", "until", "during", "amid", "amidst",
        "despite", "although", "though", "because", "however", "meanwhile", "furthermore",
        "moreover", "additionally", "also", "still", "then", "there", "here", "where", "what",
        "which", "who", "whom", "whose", "why", "how", "all", "any", "each", "every", "both",
        "either", "neither", "no", "not", "none", "some", "such", "many", "much", "more",
        "most", "other", "another", "one", "two", "three", "four", "five", "six", "seven",
        "eight", "nine", "ten", "first", "second", "third", "last", "new", "former", "latest",
        "recent", "key", "details", "conclusion", "overview", "summary", "context", "update",
        "breaking", "report", "reports", "according", "analysts", "officials", "experts",
        "sources", "witnesses", "critics", "observers", "residents", "authorities", "police",
        "troops", "forces", "government", "state", "mr", "mrs", "ms", "dr", "sir", "madam",
        "lord", "lady", "president", "vice", "prime", "minister", "ministers", "secretary",
        "chancellor", "governor", "senator", "mayor", "spokesperson", "spokesman",
        "spokeswoman", "spokespeople", "chief", "head", "leader", "director", "general", "ceo",
        "cfo", "chairman", "chairwoman", "chair", "deputy", "ambassador", "envoy", "aide",
        "adviser", "advisor", "commander", "colonel", "captain", "lieutenant", "sergeant",
        "king", "queen", "prince", "princess", "pope", "judge", "justice", "prosecutor",
        "attorney", "professor", "foreign", "defense", "defence", "interior", "finance",
        "economy", "emergency", "emergencies", "health", "justice", "affairs", "minister",
        "ministry", "january", "february", "march", "april", "may", "june", "july", "august",
        "september", "october", "november", "december", "jan", "feb", "mar", "apr", "jun",
        "jul", "aug", "sep", "sept", "oct", "nov", "dec", "monday", "tuesday", "wednesday",
        "thursday", "friday", "saturday", "sunday", "today", "yesterday", "tomorrow", "am",
        "pm", "tv", "gmt", "utc", "bc", "ad", "pdt", "est", "edt", "cet",
    ]
)

# Nationality adjectives: stripped from the front of a name run ("Russian President ..."),
# never a name on their own.
DEMONYMS = frozenset(
    [
        "russian", "ukrainian", "american", "british", "english", "french", "german", "chinese",
        "iranian", "israeli", "polish", "syrian", "european", "western", "eastern", "northern",
        "southern", "soviet", "azerbaijani", "hungarian", "turkish", "georgian", "belarusian",
        "japanese", "korean", "indian", "pakistani", "afghan", "iraqi", "saudi", "egyptian",
        "italian", "spanish", "dutch", "swedish", "finnish", "norwegian", "danish", "canadian",
        "mexican", "brazilian", "african", "asian", "arab", "palestinian", "lebanese", "kazakh",
        "armenian", "moldovan", "romanian", "czech", "slovak", "serbian", "croatian", "greek",
        "estonian", "latvian", "lithuanian", "australian",
    ]
)

# Last words that make a multi-word name a place or organisation, never a surname
# ("Dorrel Falls", "Tessaline Energy": not people called Falls or Energy).
HEAD_NOUNS = frozenset(
    [
        "strait", "straits", "sea", "ocean", "river", "lake", "gulf", "bay", "island",
        "islands", "peninsula", "mountains", "mountain", "valley", "spit", "region", "province",
        "oblast", "district", "city", "town", "village", "county", "state", "states",
        "republic", "kingdom", "union", "federation", "council", "ministry", "department",
        "agency", "service", "services", "committee", "court", "party", "group", "bank", "fund",
        "company", "corporation", "university", "college", "creek", "canyon", "hollow", "ridge",
        "institute", "center", "centre", "school", "academy", "army", "navy", "forces", "force",
        "guard", "police", "office", "commission", "parliament", "assembly", "duma", "senate",
        "house", "agreement", "treaty", "pipeline", "airlines", "airport", "port", "station",
        "plant", "refinery", "bridge", "road", "highway", "street", "square", "park", "media",
        "news", "times", "post", "journal", "network", "alliance", "organization",
        "organisation", "association", "foundation", "index", "security", "intelligence",
        "administration", "situations", "operation", "forum", "summit", "conference",
        "ministry", "media", "falls", "springs", "heights", "hills", "beach", "harbour",
        "harbor", "energy", "capital", "partners", "systems", "labs", "solutions", "resources",
        "minerals", "mining", "power", "works", "shipping", "logistics", "telecom",
    ]
)

# First words that make a two-word name a place ("North Korea", "New York"), not a person.
PLACE_MODIFIERS = frozenset(
    [
        "north", "south", "east", "west", "new", "upper", "lower", "central", "greater",
        "northern", "southern", "eastern", "western", "saint", "st", "san", "santa", "los",
        "las", "el", "al", "le", "la",
    ]
)

CONNECTORS = frozenset(
    [
        "of", "the", "de", "du", "da", "al", "bin", "von", "van", "for",
    ]
)

# Surname particles: part of the surname, whatever their case ("Sanne de Vries", "De Vries
# said", "Prime Minister van Dam"), so the surname key is "de vries" in every position.
PARTICLES = frozenset(
    [
        "de", "van", "von", "der", "den", "da", "di", "du", "le", "la", "al", "bin", "ter",
        "del", "della", "dos", "das",
    ]
)

# Last words that say what kind of thing a name is (an event, a company) and that rewrites
# drop or change ("the Cedar Ridge Fire" / "the Cedar Ridge blaze", "Korvan Motors" /
# "Korvan"): never a surname, and left out of the matching key, so "X Fire" and "Y Fire"
# do not share the key "fire" and "Korvan Motors" matches "Korvan".
DESCRIPTORS = frozenset(
    [
        "fire", "fires", "wildfire", "blaze", "storm", "hurricane", "typhoon", "cyclone",
        "flood", "floods", "earthquake", "quake", "motors", "motor", "records", "inc", "corp",
        "ltd", "plc", "llc", "holdings", "industries", "technologies", "airways",
        "pharmaceuticals", "entertainment",
    ]
)

# Generational suffixes that end a person's name ("Arcade Joseph Comeaux Jr."): rewrites
# write the name with or without it, and with it a three-word name became four words and
# was keyed by its initials ("ajcj"), matching no rewrite. Left off the name, so it is the
# person "Arcade Joseph Comeaux" (key "comeaux"). Only Jr and Sr: "II" and "III" also end
# names of events and works ("World War II").
GENERATIONAL = frozenset(["Jr", "Sr"])
