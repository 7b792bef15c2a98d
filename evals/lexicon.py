"""Hand-written word lists used by the checks (kept apart so they can grow without touching logic)."""

from __future__ import annotations

NUMBER_WORDS: dict[str, int] = {
    # "one" is left out on purpose: "one of the", "no one" would flood the number check.
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12, "half": 0.5, "pair": 2,
}
SCALES: dict[str, float] = {
    "": 1.0, "hundred": 1e2, "thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "billion": 1e9, "bn": 1e9,
    "trillion": 1e12,
}
MONTHS: dict[str, str] = {
    "january": "january", "jan": "january", "february": "february", "feb": "february", "march": "march",
    "april": "april", "apr": "april", "may": "may", "june": "june", "july": "july", "august": "august",
    "aug": "august", "september": "september", "sept": "september", "sep": "september", "october": "october",
    "oct": "october", "november": "november", "nov": "november", "december": "december", "dec": "december",
}
WEEKDAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
RELATIVE_TIME: dict[str, str] = {
    "yesterday": "yesterday", "today": "today", "tonight": "today", "tomorrow": "tomorrow",
    "overnight": "today",
}
# (word, antonym) in both directions; checked on crude stems, so list base forms.
_PAIRS = [
    ("increase", "decrease"), ("increase", "cut"), ("rise", "fall"), ("rise", "drop"), ("rose", "fell"),
    ("grow", "shrink"), ("gain", "loss"), ("win", "lose"), ("won", "lost"), ("accept", "reject"),
    ("approve", "reject"), ("more", "less"), ("more", "fewer"), ("higher", "lower"), ("above", "below"),
    ("support", "oppose"), ("allow", "ban"), ("allow", "forbid"), ("allow", "prohibit"), ("legal", "illegal"),
    ("guilty", "innocent"), ("acquit", "convict"), ("before", "after"), ("open", "close"), ("start", "end"),
    ("begin", "end"), ("hire", "fire"), ("buy", "sell"), ("bought", "sold"), ("import", "export"),
    ("strengthen", "weaken"), ("raise", "lower"), ("expand", "reduce"), ("success", "failure"),
    ("succeed", "fail"), ("victory", "defeat"), ("best", "worst"), ("largest", "smallest"),
    ("highest", "lowest"), ("first", "last"), ("alive", "dead"), ("survive", "die"), ("agree", "disagree"),
    ("praise", "criticise"), ("praise", "criticize"), ("majority", "minority"), ("increase", "reduce"),
    ("up", "down"), ("arrive", "depart"), ("include", "exclude"), ("male", "female"), ("wife", "husband"),
    ("older", "younger"), ("north", "south"), ("east", "west"), ("boost", "cut"), ("release", "arrest"),
    # actions and their reversal, as news reports them
    ("sign", "veto"), ("sign", "reject"), ("approve", "veto"), ("approve", "deny"), ("pass", "block"),
    ("follow", "violate"), ("comply", "violate"), ("obey", "violate"), ("respect", "violate"), ("acknowledge", "ignore"),
    ("heed", "ignore"), ("accept", "refuse"), ("accept", "decline"), ("confirm", "deny"), ("admit", "deny"),
    ("grant", "deny"), ("grant", "refuse"), ("adopt", "reject"), ("endorse", "oppose"), ("favor", "oppose"),
    ("favour", "oppose"), ("welcome", "condemn"), ("praise", "condemn"), ("encourage", "discourage"),
    ("overturn", "uphold"), ("reverse", "uphold"), ("lift", "impose"), ("ease", "tighten"), ("loosen", "tighten"),
    ("relax", "tighten"), ("join", "leave"), ("join", "quit"), ("enter", "exit"), ("add", "remove"), ("include", "omit"),
    ("attack", "defend"), ("withdraw", "deploy"), ("release", "detain"), ("free", "detain"), ("reopen", "close"),
    ("resume", "halt"), ("resume", "suspend"), ("continue", "halt"), ("continue", "stop"), ("start", "stop"),
    ("launch", "cancel"), ("remain", "leave"), ("stay", "leave"), ("keep", "drop"), ("keep", "remove"),
    ("mandatory", "optional"), ("required", "optional"), ("raise", "cut"), ("raise", "reduce"), ("hike", "cut"),
    ("expand", "shrink"), ("borrow", "lend"), ("lead", "trail"), ("ahead", "behind"), ("blame", "credit"),
    ("trust", "distrust"), ("save", "doom"), ("save", "sink"),
    # states and qualities
    ("close", "far"), ("near", "far"), ("winner", "loser"), ("profit", "loss"), ("surplus", "deficit"),
    ("positive", "negative"), ("optimistic", "pessimistic"), ("strong", "weak"), ("rich", "poor"),
    ("wealthy", "poor"), ("safe", "dangerous"), ("easy", "difficult"), ("early", "late"), ("earlier", "later"),
    ("temporary", "permanent"), ("public", "private"), ("domestic", "foreign"), ("partial", "full"),
    ("maximum", "minimum"), ("upgrade", "downgrade"), ("surge", "plunge"), ("soar", "plunge"), ("climb", "fall"),
    ("most", "least"), ("many", "few"), ("ally", "enemy"), ("friend", "enemy"), ("peace", "war"),
    ("present", "absent"), ("accurate", "false"), ("true", "false"), ("calm", "violent"), ("peaceful", "violent"),
]
ANTONYMS: list[tuple[str, str]] = _PAIRS + [(b, a) for a, b in _PAIRS]

# Titles and roles written before a name; dropped when names are compared ("Sen. Sanders" is Sanders).
TITLES = {
    "mr", "mrs", "ms", "miss", "dr", "prof", "professor", "sir", "dame", "lord", "lady", "sen", "senator", "rep",
    "representative", "congressman", "congresswoman", "gov", "governor", "lt", "lieutenant", "gen", "general", "col",
    "colonel", "maj", "major", "capt", "captain", "adm", "admiral", "sgt", "sergeant", "cmdr", "commander", "pres",
    "president", "vice", "vp", "prime", "minister", "pm", "secretary", "sec", "chancellor", "mayor", "judge", "justice",
    "chief", "attorney", "ag", "speaker", "leader", "former", "ex", "late", "king", "queen",
    "prince", "princess", "pope", "rev", "reverend", "father", "sister", "st", "saint", "hon", "honorable", "ambassador",
    "officer", "deputy", "assistant", "acting", "interim", "councillor", "councilor", "councilman", "councilwoman",
    "alderman", "commissioner", "superintendent", "trooper", "detective", "inspector", "sheriff", "dean", "rabbi",
    "imam", "bishop", "cardinal", "archbishop", "coach", "chairman", "chairwoman", "chair", "director", "spokesman",
    "spokeswoman", "spokesperson",
}

# Names that stand for one another in news copy: a country's short and long names, its people and
# its government's usual metonyms; institutions and their everyday names. Compared after the same
# normalisation as names (lower case, no dots), so "U.S." is "us".
NAME_ALIASES: list[set[str]] = [
    # the country, and its government by its usual metonyms
    {"us", "usa", "united states", "united states of america", "america", "american", "americans", "washington",
     "white house", "administration", "oval office"},
    {"uk", "united kingdom", "britain", "great britain", "british", "london", "downing street", "whitehall"},
    {"russia", "russian", "russians", "russian federation", "moscow", "kremlin"},
    {"china", "chinese", "prc", "people's republic of china", "beijing"},
    {"ukraine", "ukrainian", "ukrainians", "kyiv", "kiev"},
    {"france", "french", "paris", "elysee"},
    {"germany", "german", "germans", "berlin"},
    {"japan", "japanese", "tokyo"},
    {"india", "indian", "indians", "new delhi", "delhi"},
    {"israel", "israeli", "israelis", "jerusalem"},
    {"iran", "iranian", "iranians", "tehran", "islamic republic"},
    {"north korea", "dprk", "north korean", "north koreans", "pyongyang"},
    {"south korea", "republic of korea", "rok", "south korean", "south koreans", "seoul"},
    {"netherlands", "holland", "dutch", "the hague", "amsterdam"},
    {"turkey", "turkiye", "turkish", "ankara"},
    {"saudi arabia", "saudi", "saudis", "riyadh", "ksa"},
    {"mexico", "mexican", "mexicans", "mexico city"},
    {"canada", "canadian", "canadians", "ottawa"},
    {"syria", "syrian", "syrians", "damascus"},
    {"afghanistan", "afghan", "afghans", "kabul"},
    {"italy", "italian", "italians", "rome"},
    {"spain", "spanish", "madrid"},
    {"taiwan", "taiwanese", "taipei"},
    {"european union", "eu", "brussels"},
    {"united nations", "un"},
    {"north atlantic treaty organization", "nato"},
    # "r" and "d" as in "Sen. Rand Paul (R-Ky.)"
    {"republican", "republicans", "gop", "republican party", "grand old party", "r"},
    {"democrat", "democrats", "democratic party", "dems", "democratic", "d"},
    {"defense department", "department of defense", "pentagon", "dod", "defence ministry"},
    {"state department", "department of state", "foggy bottom"},
    {"justice department", "department of justice", "doj"},
    {"homeland security", "department of homeland security", "dhs"},
    {"congress", "capitol hill", "lawmakers"},
    {"supreme court", "scotus", "high court", "justices"},
    {"federal bureau of investigation", "fbi"},
    {"central intelligence agency", "cia"},
    {"new york city", "nyc", "big apple", "new york"},
    # cities by their usual nicknames
    {"detroit", "motor city", "motown"}, {"chicago", "windy city"}, {"new orleans", "big easy", "nola"},
    {"las vegas", "vegas", "sin city"}, {"philadelphia", "philly"}, {"atlanta", "atl"},
    {"los angeles", "la"},
    {"washington dc", "washington d c", "dc", "district of columbia"},
    {"sweden", "swedish", "swede", "swedes", "stockholm"},
    {"poland", "polish", "poles", "warsaw"},
    {"ireland", "irish", "dublin"},
    {"switzerland", "swiss", "geneva", "bern"},
    {"greece", "greek", "greeks", "athens"},
    {"philippines", "filipino", "filipinos", "manila"},
    {"pakistan", "pakistani", "pakistanis", "islamabad"},
    {"egypt", "egyptian", "egyptians", "cairo"},
    {"brazil", "brazilian", "brazilians", "brasilia"},
    {"australia", "australian", "australians", "canberra"},
    {"vatican", "holy see"},
    {"cuba", "cuban", "cubans", "havana"},
    {"venezuela", "venezuelan", "venezuelans", "caracas"},
    {"iraq", "iraqi", "iraqis", "baghdad"},
    {"lebanon", "lebanese", "beirut"},
    {"jordan", "jordanian", "amman"},
    {"qatar", "qatari", "doha"},
    {"yemen", "yemeni", "sanaa"},
    {"libya", "libyan", "tripoli"},
    {"nigeria", "nigerian", "abuja"},
    {"kenya", "kenyan", "nairobi"},
    {"south africa", "south african", "pretoria"},
    {"ethiopia", "ethiopian", "addis ababa"},
    {"belarus", "belarusian", "minsk"},
    {"hungary", "hungarian", "budapest"},
    {"austria", "austrian", "vienna"},
    {"belgium", "belgian"},
    {"denmark", "danish", "copenhagen"},
    {"norway", "norwegian", "oslo"},
    {"finland", "finnish", "helsinki"},
    {"portugal", "portuguese", "lisbon"},
    {"argentina", "argentine", "argentinian", "buenos aires"},
    {"colombia", "colombian", "bogota"},
    {"chile", "chilean", "santiago"},
    {"peru", "peruvian", "lima"},
    {"vietnam", "vietnamese", "hanoi"},
    {"thailand", "thai", "bangkok"},
    {"indonesia", "indonesian", "jakarta"},
    {"north macedonia", "macedonia", "skopje"},
    {"new zealand", "wellington"},
    {"hong kong", "hk"},
    {"myanmar", "burma", "burmese"},
    {"iran nuclear deal", "jcpoa"},
    {"centers for disease control and prevention", "cdc", "centers for disease control"},
]
# US states and their AP abbreviations ("R-W.Va.", "D-Calif."): one alias group each.
US_STATES = {
    "alabama": "ala", "arizona": "ariz", "arkansas": "ark", "california": "calif", "colorado": "colo",
    "connecticut": "conn", "delaware": "del", "florida": "fla", "georgia": "ga", "illinois": "ill", "indiana": "ind",
    "kansas": "kan", "kentucky": "ky", "louisiana": "la", "maryland": "md", "massachusetts": "mass", "michigan": "mich",
    "minnesota": "minn", "mississippi": "miss", "missouri": "mo", "montana": "mont", "nebraska": "neb", "nevada": "nev",
    "new hampshire": "nh", "new jersey": "nj", "new mexico": "nm", "new york": "ny", "north carolina": "nc",
    "north dakota": "nd", "oklahoma": "okla", "oregon": "ore", "pennsylvania": "pa", "rhode island": "ri",
    "south carolina": "sc", "south dakota": "sd", "tennessee": "tenn", "texas": "tex", "vermont": "vt",
    "virginia": "va", "washington state": "wash", "west virginia": "wva", "wisconsin": "wis", "wyoming": "wyo",
}
# Postal codes, as in "(R-TX)", where they cannot be read as an English word or a title ("in", "or", "me", "ms", ...).
US_POSTAL = {
    "alaska": "ak", "arizona": "az", "arkansas": "ar", "california": "ca", "connecticut": "ct", "florida": "fl",
    "georgia": "ga", "iowa": "ia", "illinois": "il", "kansas": "ks", "kentucky": "ky", "louisiana": "la",
    "maryland": "md", "michigan": "mi", "minnesota": "mn", "missouri": "mo", "montana": "mt", "nevada": "nv",
    "new hampshire": "nh", "new jersey": "nj", "new mexico": "nm", "new york": "ny", "north carolina": "nc",
    "north dakota": "nd", "pennsylvania": "pa", "rhode island": "ri", "south carolina": "sc", "south dakota": "sd",
    "tennessee": "tn", "texas": "tx", "utah": "ut", "vermont": "vt", "virginia": "va", "washington state": "wa",
    "west virginia": "wv", "wisconsin": "wi", "wyoming": "wy",
}
# States by their usual nicknames.
STATE_NICKNAMES = {
    "new york": "empire state",    "california": "golden state", "texas": "lone star state", "florida": "sunshine state",
    "kentucky": "bluegrass state", "pennsylvania": "keystone state", "georgia": "peach state",
    "michigan": "great lakes state", "new jersey": "garden state", "virginia": "old dominion",
    "massachusetts": "bay state", "illinois": "prairie state", "ohio": "buckeye state", "arizona": "grand canyon state",
}
NAME_ALIASES += [{state, abbr} | ({US_POSTAL[state]} if state in US_POSTAL else set())
                 | ({STATE_NICKNAMES[state]} if state in STATE_NICKNAMES else set()) for state, abbr in US_STATES.items()]
NAME_ALIASES += [{state, nickname} for state, nickname in STATE_NICKNAMES.items() if state not in US_STATES]
NAME_ALIASES += [{state, code} for state, code in US_POSTAL.items() if state not in US_STATES]
