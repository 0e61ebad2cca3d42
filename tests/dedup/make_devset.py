"""Write fixtures/dedup_devset.csv: labelled LA-area organization pairs for tuning the matcher.

Deterministic (seeded); run `.venv/bin/python tests/dedup/make_devset.py` to regenerate.
"""

from __future__ import annotations

import csv
import random
import re
from pathlib import Path

OUT = Path(__file__).resolve().parents[2] / "fixtures" / "dedup_devset.csv"
FIELDS = ("name", "website", "ein", "phone", "street", "zip")
COLUMNS = [f"left_{f}" for f in FIELDS] + [f"right_{f}" for f in FIELDS] + ["is_duplicate", "kind"]

# name, website, acronym people use (or "")
ORGS = [
    ("Los Angeles Unified School District", "lausd.net", "LAUSD"),
    ("Los Angeles County Office of Education", "lacoe.edu", "LACOE"),
    ("Los Angeles County Department of Mental Health", "dmh.lacounty.gov", "LACDMH"),
    ("Los Angeles County Department of Public Social Services", "dpss.lacounty.gov", "DPSS"),
    ("Los Angeles Regional Food Bank", "lafoodbank.org", ""),
    ("Boys & Girls Clubs of the Los Angeles Harbor", "bgcharbor.org", ""),
    ("Young Men's Christian Association of Metropolitan Los Angeles", "ymcala.org", ""),
    ("KCRW Foundation", "kcrw.com", ""),
    ("Children's Hospital Los Angeles", "chla.org", "CHLA"),
    ("St. John's Community Health", "sjch.org", ""),
    ("Alliance for Children's Rights", "kids-alliance.org", ""),
    ("Para Los Niños", "paralosninos.org", ""),
    ("Homeboy Industries", "homeboyindustries.org", ""),
    ("Union Rescue Mission", "urm.org", "URM"),
    ("Downtown Women's Center", "downtownwomenscenter.org", "DWC"),
    ("People Assisting The Homeless", "epath.org", "PATH"),
    ("Venice Family Clinic", "venicefamilyclinic.org", ""),
    ("Watts Labor Community Action Committee", "wlcac.org", "WLCAC"),
    ("Communities In Schools of Los Angeles", "cisla.org", "CISLA"),
    ("Big Brothers Big Sisters of Greater Los Angeles", "bbbsla.org", ""),
    ("Heart of Los Angeles Youth", "heartofla.org", "HOLA"),
    ("Inner-City Arts", "inner-cityarts.org", ""),
    ("Los Angeles Conservation Corps", "lacorps.org", ""),
    ("California Community Foundation", "calfund.org", "CCF"),
    ("Weingart Foundation", "weingartfnd.org", ""),
    ("Weingart Center Association", "weingart.org", ""),
    ("The Ahmanson Foundation", "theahmansonfoundation.org", ""),
    ("Annenberg Foundation", "annenberg.org", ""),
    ("University of Southern California", "usc.edu", "USC"),
    ("University of California, Los Angeles", "ucla.edu", "UCLA"),
    ("California State University, Northridge", "csun.edu", "CSUN"),
    ("East Los Angeles College", "elac.edu", "ELAC"),
    ("Los Angeles Trade-Technical College", "lattc.edu", "LATTC"),
    ("Pasadena City College", "pasadena.edu", ""),
    ("City of Long Beach", "longbeach.gov", ""),
    ("City of Pasadena", "cityofpasadena.net", ""),
    ("Long Beach Unified School District", "lbschools.net", "LBUSD"),
    ("Pasadena Unified School District", "pusd.us", "PUSD"),
    ("Montebello Unified School District", "montebello.k12.ca.us", "MUSD"),
    ("AltaMed Health Services Corporation", "altamed.org", ""),
    ("Kaiser Foundation Hospitals", "kp.org", ""),
    ("Northeast Valley Health Corporation", "nevhc.org", ""),
    ("Saint Joseph Center", "stjosephctr.org", ""),
    ("Didi Hirsch Mental Health Services", "didihirsch.org", ""),
    ("Hathaway-Sycamores Child and Family Services", "hathaway-sycamores.org", ""),
    ("El Centro del Pueblo", "ecdpla.org", ""),
    ("Koreatown Youth and Community Center", "kyccla.org", "KYCC"),
    ("Chinatown Service Center", "cscla.org", ""),
    ("Search to Involve Pilipino Americans", "sipa.org", "SIPA"),
    ("Little Tokyo Service Center", "ltsc.org", "LTSC"),
    ("Esperanza Community Housing Corporation", "esperanzacommunityhousing.org", ""),
    ("Coalition for Humane Immigrant Rights", "chirla.org", "CHIRLA"),
    ("Southern California Grantmakers", "socalgrantmakers.org", ""),
    ("United Way of Greater Los Angeles", "unitedwayla.org", ""),
    ("Goodwill Southern California", "goodwillsocal.org", ""),
    ("The Salvation Army Southern California Division", "salvationarmy.org", ""),
    ("Catholic Charities of Los Angeles, Inc.", "catholiccharitiesla.org", ""),
    ("First African Methodist Episcopal Church of Los Angeles", "famechurch.org", "FAME"),
    ("West Angeles Church of God in Christ", "westa.org", ""),
    ("Jewish Family Service LA", "jfsla.org", "JFS"),
    ("Bet Tzedek Legal Services", "bettzedek.org", ""),
    ("Public Counsel", "publiccounsel.org", ""),
    ("Neighborhood Legal Services of Los Angeles County", "nlsla.org", "NLSLA"),
    ("Los Angeles Public Library", "lapl.org", "LAPL"),
    ("Natural History Museum of Los Angeles County", "nhm.org", "NHM"),
    ("Los Angeles Philharmonic Association", "laphil.com", "LA Phil"),
    ("Center Theatre Group", "centertheatregroup.org", "CTG"),
    ("Santa Monica Family YMCA", "ymcasm.org", ""),
    ("Friends of the Los Angeles River", "folar.org", "FoLAR"),
    ("TreePeople", "treepeople.org", ""),
    ("Los Angeles LGBT Center", "lalgbtcenter.org", ""),
    ("Planned Parenthood Los Angeles", "pp.org", "PPLA"),
    ("South Central Family Health Center", "scfhc.org", ""),
    ("Eisner Health", "eisnerhealth.org", ""),
    ("Wesley Health Centers", "jwchinstitute.org", ""),
    ("Southern California Edison", "sce.com", "SCE"),
    ("Southern California Gas Company", "socalgas.com", "SoCalGas"),
    ("Los Angeles Department of Water and Power", "ladwp.com", "LADWP"),
    ("Los Angeles Dodgers Foundation", "dodgers.com", "LADF"),
    ("LA84 Foundation", "la84.org", ""),
    ("Snap Inc.", "snap.com", ""),
    ("Walt Disney Company", "disney.com", ""),
    ("Cedars-Sinai Medical Center", "cedars-sinai.org", ""),
    ("Good Samaritan Hospital", "goodsam.org", ""),
    ("Providence Saint John's Health Center", "providence.org", ""),
    ("Boyle Heights Arts Conservatory", "bhacarts.org", "BHAC"),
    ("Proyecto Pastoral at Dolores Mission", "proyectopastoral.org", ""),
    ("InnerCity Struggle", "innercitystruggle.org", "ICS"),
    ("Youth Policy Institute", "ypiusa.org", "YPI"),
    ("Volunteers of America Los Angeles", "voala.org", "VOALA"),
    ("Shields for Families", "shieldsforfamilies.org", ""),
    ("Children's Institute, Inc.", "childrensinstitute.org", "CII"),
    ("Los Angeles Education Partnership", "laep.org", "LAEP"),
    ("Mount St. Mary's University", "msmu.edu", "MSMU"),
    ("St. Francis Medical Center", "stfrancismedicalcenter.org", ""),
    ("A Place Called Home", "apch.org", "APCH"),
    ("Covenant House California", "covenanthousecalifornia.org", "CHC"),
    ("Jovenes, Inc.", "jovenesinc.org", ""),
    ("The Wooden Floor", "thewoodenfloor.org", ""),
    ("Food Forward", "foodforward.org", ""),
    ("Hollywood Food Coalition", "hollywoodfoodcoalition.org", ""),
    ("Pasadena Humane Society & SPCA", "pasadenahumane.org", ""),
]

ABBREV = [
    ("Center", "Ctr."),
    ("Association", "Assn."),
    ("Services", "Svcs"),
    ("Department", "Dept."),
    ("Los Angeles", "LA"),
    ("Los Angeles", "L.A."),
    ("Saint", "St."),
    ("St.", "Saint"),
    ("University", "Univ."),
    ("International", "Intl"),
    ("Mount", "Mt."),
    ("Corporation", "Corp."),
    ("Company", "Co."),
    (" and ", " & "),
    (" & ", " and "),
]
SUFFIXES = [", Inc.", " Inc", " Incorporated", ", LLC", " Corporation", " Corp.", " Co."]
GENERIC_WEB = ["facebook.com/{s}", "sites.google.com/view/{s}", "linktr.ee/{s}"]
CITIES = [
    "Burbank",
    "Pasadena",
    "Glendale",
    "Long Beach",
    "Santa Monica",
    "Compton",
    "Pomona",
    "Whittier",
    "Inglewood",
    "Torrance",
    "West San Gabriel Valley",
    "Santa Clarita Valley",
    "Hollywood",
    "East Los Angeles",
    "South Bay",
]


def _fake_ein(rng: random.Random) -> str:
    return f"{rng.randint(10, 98)}-{rng.randint(1000000, 9999999)}"


def _fake_phone(rng: random.Random) -> str:
    return f"({rng.choice([213, 310, 323, 562, 626, 818])}) {rng.randint(200, 999)}-{rng.randint(1000, 9999)}"  # noqa: E501


def _fake_street(rng: random.Random) -> tuple[str, str]:
    street = rng.choice(
        [
            "Main St",
            "Figueroa Street",
            "Wilshire Blvd",
            "Olympic Blvd",
            "N Broadway",
            "E Colorado Blvd",
            "Vermont Ave",
        ]
    )
    return f"{rng.randint(100, 9999)} {street}", f"9{rng.randint(1000, 1899):04d}"


def _typo(name: str, rng: random.Random) -> str:
    words = name.split()
    long_words = [i for i, w in enumerate(words) if len(w) >= 6 and w.isalpha()]
    if not long_words:
        return name
    i = rng.choice(long_words)
    w = words[i]
    j = rng.randint(1, len(w) - 3)
    op = rng.choice(["swap", "drop", "double", "sub"])
    if op == "swap":
        w = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
    elif op == "drop":
        w = w[:j] + w[j + 1 :]
    elif op == "double":
        w = w[:j] + w[j] + w[j:]
    else:
        w = w[:j] + rng.choice("aeiourstn") + w[j + 1 :]
    words[i] = w
    return " ".join(words)


def _variant(name: str, acronym: str, rng: random.Random) -> str:
    options = [
        "suffix",
        "typo",
        "case",
        "abbrev",
        "the",
        "tail",
        "dba",
        "paren",
        "reorder",
        "punct",
    ]
    if acronym:
        options += ["acronym", "acronym"]
    for _ in range(6):
        op = rng.choice(options)
        out = name
        if op == "suffix":
            out = re.sub(r",? (Inc\.|Corporation|Company)$", "", name)
            out = out if out != name else name + rng.choice(SUFFIXES)
        elif op == "typo":
            out = _typo(name, rng)
        elif op == "case":
            out = name.upper() if rng.random() < 0.5 else name.lower()
        elif op == "abbrev":
            pairs = [(a, b) for a, b in ABBREV if a in name]
            if pairs:
                a, b = rng.choice(pairs)
                out = name.replace(a, b, 1)
        elif op == "the":
            out = name[4:] if name.startswith("The ") else "The " + name
        elif op == "tail":
            out = name + rng.choice(
                [
                    ", a project of Community Partners",
                    " c/o Accounts Payable",
                    " (fiscally sponsored by Fractured Atlas)",
                ]
            )
        elif op == "dba":
            out = rng.choice(
                [
                    f"{name} dba {name.split()[0]} Programs",
                    f"Friends of {name.split()[0]} Inc. d/b/a {name}",
                ]
            )
        elif op == "paren" and acronym:
            out = f"{name} ({acronym})"
        elif op == "acronym":
            out = acronym if rng.random() < 0.7 else f"{acronym} Inc."
        elif op == "reorder":
            m = re.match(r"^(.*) of (the )?(.+)$", name)
            if m and len(m.group(3).split()) <= 3:
                out = f"{m.group(3)} {m.group(1)}"
        elif op == "punct":
            out = name.replace("'", "").replace(",", "").replace("-", " ").replace(".", "")
        if out != name:
            return out
    return _typo(name, rng) if _typo(name, rng) != name else name + " Inc."


def _fields(rng: random.Random, name: str, website: str) -> dict[str, str]:
    street, zip_code = _fake_street(rng)
    return {
        "name": name,
        "website": website,
        "ein": _fake_ein(rng),
        "phone": _fake_phone(rng),
        "street": street,
        "zip": zip_code,
    }


def _restyle(value: str, field: str, rng: random.Random) -> str:
    if not value:
        return value
    if field == "website":
        return rng.choice(
            [f"https://www.{value}/", f"http://{value}", value, f"www.{value}/about-us"]
        )
    if field == "ein":
        return value.replace("-", "") if rng.random() < 0.5 else value
    if field == "phone":
        digits = re.sub(r"\D", "", value)
        return rng.choice([f"{digits[:3]}-{digits[3:6]}-{digits[6:]}", f"+1 {digits}", value])
    if field == "street":
        return value.replace("Street", "St.").replace("Blvd", "Boulevard") + rng.choice(
            ["", ", Suite 200"]
        )
    return value


def _blank_some(side: dict[str, str], rng: random.Random, keep_name: bool = True) -> dict[str, str]:
    out = dict(side)
    for field in ("website", "ein", "phone", "street", "zip"):
        if rng.random() < 0.45:
            out[field] = ""
    if not out["street"]:
        out["zip"] = ""
    return out


def build(seed: int = 20240701) -> list[dict[str, str]]:
    rng = random.Random(seed)
    rows: list[dict[str, str]] = []
    bases = [(_fields(rng, name, web), acronym) for name, web, acronym in ORGS]

    def emit(left: dict[str, str], right: dict[str, str], dup: bool, kind: str) -> None:
        row = {f"left_{f}": left.get(f, "") for f in FIELDS}
        row.update({f"right_{f}": right.get(f, "") for f in FIELDS})
        row["is_duplicate"] = "1" if dup else "0"
        row["kind"] = kind
        rows.append(row)

    # Positives: each org against two variants, identifiers partly missing or restyled.
    for base, acronym in bases:
        for _ in range(2):
            right = {f: _restyle(v, f, rng) for f, v in base.items()}
            right["name"] = _variant(base["name"], acronym, rng)
            emit(_blank_some(base, rng), _blank_some(right, rng), True, "variant")
    # Positives with a double change (typo + abbreviation) and only one identifier to help.
    for base, _acronym in rng.sample(bases, 40):
        right = dict.fromkeys(FIELDS, "")
        right["name"] = _typo(_variant(base["name"], "", rng), rng)
        field = rng.choice(["website", "phone", "ein", ""])
        if field:
            right[field] = _restyle(base[field], field, rng)
        emit(base, right, True, "double")
    # Rebrands: different name, same website and phone.
    for old, new in [
        ("Los Angeles Child Guidance Clinic", "Children's Bureau LA Child Guidance"),
        ("Shelter Partnership", "Shelter Partnership Inc - LA"),
        ("Girls Inc of Greater Los Angeles", "Girls Incorporated of Greater LA"),
        ("LA Family Housing Corp", "LA Family Housing"),
        ("St. Anne's Maternity Home", "St. Anne's Family Services"),
    ]:
        left = _fields(rng, old, re.sub(r"\W", "", old.lower())[:14] + ".org")
        right = dict(left, name=new, ein="")
        emit(left, right, True, "rebrand")

    # Negatives: branches of one chain, often sharing a domain.
    chains = [
        ("Boys & Girls Club of {c}", "bgca.org"),
        ("YMCA of {c}", "ymca.net"),
        ("Habitat for Humanity {c}", "habitat.org"),
        ("{c} Public Library", ""),
        ("{c} Unified School District", ""),
        ("The Salvation Army {c} Corps", "salvationarmy.org"),
        ("Rotary Club of {c}", "rotary.org"),
        ("Kaiser Permanente {c} Medical Center", "kp.org"),
        ("League of Women Voters of {c}", "lwv.org"),
        ("{c} Chamber of Commerce", ""),
        ("Girl Scouts of {c}", "girlscouts.org"),
        ("NAACP {c} Branch", "naacp.org"),
    ]
    for pattern, domain in chains:
        for _ in range(7):
            c1, c2 = rng.sample(CITIES, 2)
            left = _fields(rng, pattern.format(c=c1), domain)
            right = _fields(rng, pattern.format(c=c2), domain)
            emit(_blank_some(left, rng), _blank_some(right, rng), False, "chain")
    numbered = [
        ("LAUSD Local District {n}", "lausd.net"),
        ("Los Angeles County Fire Station {n}", "fire.lacounty.gov"),
        ("Council District {n} Field Office", "lacity.org"),
        ("Head Start Center #{n}", ""),
        ("Supervisorial District {n}", ""),
    ]
    for pattern, domain in numbered:
        for _ in range(5):
            n1, n2 = rng.sample(range(1, 40), 2)
            left = _fields(rng, pattern.format(n=n1), domain)
            right = _fields(rng, pattern.format(n=n2), domain)
            emit(_blank_some(left, rng), _blank_some(right, rng), False, "numbered")
    # Negatives: fiscally sponsored siblings share the sponsor's EIN, phone and address.
    sponsors = [("Community Partners", "95-4418811"), ("Fractured Atlas", "11-3589487")]
    projects = [
        "Youth Arts Project",
        "Health Access Project",
        "Watts Rising Collaborative",
        "Promesa Boyle Heights",
        "Family Literacy Initiative",
        "Black Infant Health Network",
        "Healthy Eating Active Living",
        "Youth Arts Collective",
    ]
    for sponsor, ein in sponsors:
        street, zip_code = _fake_street(rng)
        phone = _fake_phone(rng)
        for _ in range(10):
            p1, p2 = rng.sample(projects, 2)
            style = rng.choice(["{s} - {p}", "{p}, a project of {s}", "{s} / {p}"])
            left = {
                "name": style.format(s=sponsor, p=p1),
                "website": "",
                "ein": ein,
                "phone": phone,
                "street": street,
                "zip": zip_code,
            }
            right = {
                "name": style.format(s=sponsor, p=p2),
                "website": "",
                "ein": ein,
                "phone": phone,
                "street": street,
                "zip": zip_code,
            }
            emit(_blank_some(left, rng), right, False, "sponsor")
    # Negatives: similar-sounding but different organizations.
    hard = [
        ("First 5 LA", "First 5 California"),
        ("Los Angeles Unified School District", "Los Angeles County Office of Education"),
        ("Weingart Foundation", "Weingart Center Association"),
        (
            "Los Angeles County Department of Mental Health",
            "Los Angeles County Department of Public Health",
        ),
        ("California Community Foundation", "California Endowment"),
        ("Children's Hospital Los Angeles", "Children's Institute"),
        ("St. John's Community Health", "St. Joseph Center"),
        ("Saint John's Health Center", "St. John's Community Health"),
        ("Southern California Edison", "Southern California Gas Company"),
        ("University of Southern California", "University of California, Los Angeles"),
        ("California State University, Northridge", "California State University, Long Beach"),
        ("East Los Angeles College", "Los Angeles City College"),
        ("Los Angeles Regional Food Bank", "Los Angeles Food Policy Council"),
        ("Jewish Family Service LA", "Jewish Vocational Service"),
        ("Los Angeles LGBT Center", "Los Angeles Latino Chamber of Commerce"),
        ("Pasadena City College", "Pasadena City Council"),
        ("City of Long Beach", "Long Beach City College"),
        ("Long Beach Unified School District", "Long Beach Community College District"),
        ("Homeboy Industries", "Homegirl Cafe"),
        ("Venice Family Clinic", "Venice Community Housing"),
        ("South Central Family Health Center", "South Central Los Angeles Regional Center"),
        ("Alliance for Children's Rights", "Alliance for a Better Community"),
        ("Public Counsel", "Public Health Foundation Enterprises"),
        ("Los Angeles Public Library", "Los Angeles County Library"),
        ("Friends of the Los Angeles River", "Friends of Griffith Park"),
        (
            "Big Brothers Big Sisters of Greater Los Angeles",
            "Big Brothers Big Sisters of Orange County",
        ),
        ("United Way of Greater Los Angeles", "United Way of Orange County"),
        ("Goodwill Southern California", "Goodwill Industries of Orange County"),
        ("Catholic Charities of Los Angeles", "Catholic Charities of San Bernardino"),
        ("Didi Hirsch Mental Health Services", "Pacific Clinics Mental Health Services"),
        ("Chinatown Service Center", "Little Tokyo Service Center"),
        ("El Centro del Pueblo", "El Centro de Amistad"),
        ("Mount St. Mary's University", "Loyola Marymount University"),
        ("LA84 Foundation", "LA Care Health Plan"),
        ("Los Angeles Conservation Corps", "California Conservation Corps"),
        ("Youth Policy Institute", "Youth Law Center"),
        ("A Place Called Home", "A Home Within"),
        ("Covenant House California", "Covenant House New York"),
        ("Food Forward", "Food Finders"),
        ("Center Theatre Group", "Center for the Arts Eagle Rock"),
        ("Heart of Los Angeles", "Art of Los Angeles"),
        ("KCRW Foundation", "KPCC Foundation"),
        ("LAUSD", "LBUSD"),
        ("PUSD", "Pomona Unified School District"),
        ("YMCA of Glendale", "YWCA of Glendale"),
        ("Smith Family Foundation", "Smith Family Services"),
        ("Esperanza Community Housing", "Esperanza Elementary School"),
        ("Hollywood Food Coalition", "Hollywood Arts Coalition"),
        ("Inner-City Arts", "InnerCity Struggle"),
        ("Eisner Health", "Eisner Pediatric and Family Medical Center Foundation"),
    ]
    for a, b in hard:
        left = _fields(rng, a, "")
        right = _fields(rng, b, "")
        emit(_blank_some(left, rng), _blank_some(right, rng), False, "similar")
    # Negatives: unrelated tenants of one building share street address and ZIP.
    for _ in range(15):
        (a, _), (b, _) = rng.sample(bases, 2)
        left = _fields(rng, a["name"], a["website"])
        right = _fields(rng, b["name"], b["website"])
        right["street"], right["zip"] = left["street"], left["zip"]
        emit(left, right, False, "same-building")
    # Negatives: the most name-alike pairs of distinct base organizations.
    from rapidfuzz import fuzz

    names = [b["name"] for b, _ in bases]
    scored = sorted(
        ((fuzz.token_set_ratio(x, y), x, y) for i, x in enumerate(names) for y in names[i + 1 :]),
        reverse=True,
    )
    by_name = {b["name"]: b for b, _ in bases}
    for _, x, y in scored[:40]:
        emit(_blank_some(by_name[x], rng), _blank_some(by_name[y], rng), False, "nearest")
    return rows


def main() -> None:
    rows = build()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    dups = sum(r["is_duplicate"] == "1" for r in rows)
    print(f"wrote {len(rows)} pairs ({dups} duplicates) to {OUT}")


if __name__ == "__main__":
    main()
