"""Word tables of name normalization: stopwords, legal forms, abbreviations, number words."""

from __future__ import annotations

__all__ = [
    "ABBREVIATIONS",
    "COUNTY_CONTEXT",
    "LA_CONTEXT",
    "LEGAL_SUFFIXES",
    "NUMBER_WORDS",
    "STOPWORDS",
    "WEAK_TOKENS",
]

# Words that carry no identity; ignored by acronyms and by the "what differs" check.
STOPWORDS = frozenset({"of", "the", "and", "for", "in", "at", "a", "an", "on", "to", "de", "del"})

# Legal-form words, stripped only at the end of a name (so "Company of Angels" survives).
LEGAL_SUFFIXES: tuple[tuple[str, ...], ...] = (
    ("a", "california", "nonprofit", "corporation"),
    ("a", "nonprofit", "corporation"),
    ("nonprofit", "corporation"),
    ("non", "profit"),
    ("incorporated",),
    ("inc",),
    ("llc",),
    ("corporation",),
    ("corp",),
    ("company",),
    ("co",),
    ("ltd",),
    ("limited",),
    ("nv",),
    ("bv",),
    ("sa",),
    ("ag",),
    ("gmbh",),
    ("srl",),
    ("sarl",),
    ("spa",),
    ("pty",),
    ("pc",),
    ("pllc",),
    ("llp",),
    ("lp",),
    ("pbc",),
    ("plc",),
    ("nfp",),
    ("nonprofit",),
    ("501c3",),
)

# Words that often get dropped or added without changing which org is meant.
WEAK_TOKENS = frozenset({"foundation", "fund", "fdn"})

ABBREVIATIONS = {
    "ctr": "center",
    "cntr": "center",
    "cent": "center",
    "centre": "center",
    "assn": "association",
    "assoc": "association",
    "asso": "association",
    "assocation": "association",
    "svcs": "services",
    "svc": "services",
    "srvcs": "services",
    "servs": "services",
    "dept": "department",
    "dpt": "department",
    "univ": "university",
    "intl": "international",
    "natl": "national",
    "cmty": "community",
    "comty": "community",
    "mt": "mount",
    "ft": "fort",
    "hosp": "hospital",
    "hlth": "health",
    "med": "medical",
    "sch": "school",
    "schl": "school",
    "dist": "district",
    "elem": "elementary",
    "mgmt": "management",
    "prog": "program",
    "inst": "institute",
    "fndn": "foundation",
    "fdtn": "foundation",
    "coll": "college",
    "bros": "brothers",
    "socal": "southern california",
    "calif": "california",
    "cal": "california",
    "ca": "california",
    "usd": "unified school district",
    "ymca": "ymca",
    "dev": "development",
    "edu": "education",
    "educ": "education",
    "gov": "government",
    "govt": "government",
    "mtn": "mountain",
    "hts": "heights",
    "vly": "valley",
    "twp": "township",
    "n": "north",
    "s": "south",
    "e": "east",
    "w": "west",
}

NUMBER_WORDS = {
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
    "ten": "10",
    "eleven": "11",
    "twelve": "12",
    "first": "1st",
    "second": "2nd",
    "third": "3rd",
    "fourth": "4th",
    "fifth": "5th",
}

# Place words after which "Co" means County, not Company ("L.A. Co. Dept of ...").
COUNTY_CONTEXT = frozenset(
    {"la", "angeles", "orange", "ventura", "riverside", "bernardino", "kern", "barbara", "diego"}
)
# Words after "LA" that show it means Los Angeles when case is no help ("la county").
LA_CONTEXT = frozenset(
    {
        "county",
        "city",
        "unified",
        "community",
        "regional",
        "area",
        "metro",
        "food",
        "mission",
        "family",
        "youth",
        "public",
        "school",
        "schools",
        "dept",
        "department",
        "chamber",
        "works",
        "conservation",
        "commission",
        "co",
        "college",
    }
)

# Street words as the Postal Service abbreviates them, shared by the plain street key and the
# parsed address (crm.dedup.identifiers, crm.dedup.fields).
STREET_TYPES = {
    "street": "st",
    "avenue": "ave",
    "av": "ave",
    "boulevard": "blvd",
    "road": "rd",
    "drive": "dr",
    "place": "pl",
    "lane": "ln",
    "court": "ct",
    "highway": "hwy",
    "parkway": "pkwy",
    "square": "sq",
    "terrace": "ter",
    "circle": "cir",
    "way": "way",
}
DIRECTIONS = {"north": "n", "south": "s", "east": "e", "west": "w"}
ORDINALS = {
    "first": "1st",
    "second": "2nd",
    "third": "3rd",
    "fourth": "4th",
    "fifth": "5th",
    "sixth": "6th",
    "seventh": "7th",
    "eighth": "8th",
    "ninth": "9th",
    "tenth": "10th",
}
