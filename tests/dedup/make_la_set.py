"""Build fixtures/dedup_la_sites.csv: labelled multi-field records from real LA County schools.

Source: fixtures/la_county_schools.csv (California Department of Education, Public Schools
and Districts Data File, 2018; public information). Every school is one organization (its
cds_code is the cluster); some get extra records as staff would type them (abbreviated or
renamed, compound names, "(ABC)" acronyms, other phone and address formats, missing fields).
Real hard negatives come with the data: schools sharing a campus, a district switchboard or a
district website, and same-named schools in different districts. Added negatives: several
sites of one organization (same name, other address and phone) and bare acronyms that share
an unrelated school's initials. Districts are split in two halves: `dev` (tune on it) and
`heldout` (never tuned on). Run `.venv/bin/python tests/dedup/make_la_set.py`; seeded.
"""

from __future__ import annotations

import csv
import hashlib
import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "fixtures" / "la_county_schools.csv"
OUT = ROOT / "fixtures" / "dedup_la_sites.csv"
SEED = 20261130
HEADER = ("record_id", "cluster_id", "split", "kind", "name", "website", "phone", "street", "zip")

# Organizations that run sites at several schools (real LA County nonprofits and programs).
CHAINS = [
    "YMCA of Metropolitan Los Angeles",
    "Boys & Girls Club",
    "Los Angeles Regional Food Bank",
    "Reading Partners Los Angeles",
    "Communities In Schools of Los Angeles",
    "Big Brothers Big Sisters of Greater Los Angeles",
    "Heart of Los Angeles",
    "LA's BEST After School Enrichment Program",
    "Para Los Ninos",
    "Children's Institute",
    "Tlaloc Youth Arts Collective",
    "St. Joseph Center",
    "Girls Inc. of Greater Los Angeles",
    "Boy Scouts of America Greater Los Angeles Council",
    "Alliance for Children's Rights",
]
PARTNERS = [
    "Heart of Los Angeles",
    "Reading Partners",
    "Families In Schools",
    "City Year Los Angeles",
    "Think Together",
    "Woodcraft Rangers",
]
_ABBREV = [
    ("Elementary", "Elem."),
    ("Elementary", "Elementary School"),
    ("Middle", "Middle School"),
    ("Middle", "MS"),
    ("Senior High", "High School"),
    ("High", "HS"),
    ("Academy", "Acad."),
    ("Charter", "Charter School"),
    ("Avenue", "Ave"),
    ("Saint", "St."),
    ("Preparatory", "Prep"),
    ("Continuation", "Continuation High School"),
    ("Community Day", "Community Day School"),
]
_STREETS = [(" Avenue", " Ave"), (" Street", " St."), (" Boulevard", " Blvd"), (" Road", " Rd")]
_STOP = {"of", "the", "and", "for", "at", "de", "la", "los"}


def _split(district: str) -> str:
    return "dev" if int(hashlib.md5(district.encode()).hexdigest(), 16) % 2 == 0 else "heldout"


def _initials(name: str) -> str:
    return "".join(w[0] for w in re.findall(r"[A-Za-z]+", name) if w.lower() not in _STOP).upper()


def _typo(name: str, rng: random.Random) -> str:
    words = name.split()
    i = max(range(len(words)), key=lambda k: (len(words[k]), rng.random()))
    w = words[i]
    if len(w) > 4:
        j = rng.randint(1, len(w) - 2)
        words[i] = w[:j] + w[j + 1 :]
    return " ".join(words)


def _name_variant(row: dict, rng: random.Random) -> tuple[str, str]:
    name = row["school"]
    op = rng.choice(["abbrev", "abbrev", "typo", "upper", "district", "reorder", "drop", "suffix"])
    if op == "abbrev":
        options = [(a, b) for a, b in _ABBREV if re.search(rf"\b{a}\b", name)]
        if options:
            a, b = rng.choice(options)
            return re.sub(rf"\b{a}\b", b, name, count=1), "abbreviated"
        return name + " School", "renamed"
    if op == "typo":
        return _typo(name, rng), "typo"
    if op == "upper":
        return name.upper(), "case"
    if op == "district":
        district = row["district"].replace(" Unified", " USD").replace(" Elementary", " ESD")
        return f"{district} {name}", "district prefix"
    if op == "reorder" and len(name.split()) >= 3:
        words = name.split()
        return f"{words[1]}, {words[0]} {' '.join(words[2:])}", "reordered"
    if op == "drop" and len(name.split()) >= 3:
        words = name.split()
        return " ".join(words[:1] + words[2:]), "word dropped"
    return f"{name}, Inc.", "legal suffix"


def _phone_variant(phone: str, rng: random.Random) -> str:
    digits = re.sub(r"\D", "", phone)
    if len(digits) != 10 or rng.random() < 0.25:
        return ""
    a, b, c = digits[:3], digits[3:6], digits[6:]
    return rng.choice(
        [f"{a}-{b}-{c}", f"{a}.{b}.{c}", f"+1 {a} {b} {c}", f"({a}) {b}-{c} ext. 1{c[:2]}", phone]
    )


def _street_variant(street: str, rng: random.Random) -> str:
    if rng.random() < 0.25:
        return ""
    for long, short in _STREETS:
        if long in street and rng.random() < 0.6:
            street = street.replace(long, short)
    if rng.random() < 0.2:
        street += rng.choice([", Suite 100", ", Room 12", " Bldg B"])
    return street


def _duplicate(row: dict, rng: random.Random) -> tuple[dict, str]:
    roll = rng.random()
    name, kind = _name_variant(row, rng)
    if roll < 0.12:
        name, kind = f"{row['school']} & {rng.choice(PARTNERS)}", "compound"
    elif roll < 0.18:
        name, kind = f"{row['school']} @ {row['district']}", "compound"
    elif roll < 0.24 and len(_initials(row["school"])) >= 3:
        name, kind = _initials(row["school"]), "acronym"
    website = row["website"] if rng.random() < 0.6 else ""
    if rng.random() < 0.08:
        # The district's site, or an old or program website, typed instead of the school's.
        website = rng.choice(["www.lacoe.edu", f"www.{_initials(row['district']).lower()}.org"])
    if website and rng.random() < 0.5:
        website = "https://" + website.removeprefix("http://").removeprefix("https://")
    phone = _phone_variant(row["phone"], rng)
    street = _street_variant(row["street"], rng)
    if not (phone or street) and kind == "acronym":
        phone = row["phone"]
    zip_code = row["zip"][:5] if rng.random() < 0.5 else row["zip"]
    if phone and rng.random() < 0.08:
        # Another line of the same organization (front office, direct line).
        phone = phone[:-4] + f"{rng.randint(0, 9999):04d}"
    return {
        "name": name,
        "website": website,
        "phone": phone,
        "street": street,
        "zip": zip_code,
    }, kind


def build() -> list[dict]:
    rng = random.Random(SEED)
    with SOURCE.open(encoding="utf-8") as handle:
        schools = list(csv.DictReader(handle))
    rows: list[dict] = []

    def add(cluster: str, split: str, kind: str, fields: dict) -> None:
        rows.append(
            {
                "record_id": f"r{len(rows)}",
                "cluster_id": cluster,
                "split": split,
                "kind": kind,
                **fields,
            }
        )

    for school in schools:
        split = _split(school["district_cds_code"])
        name = school["school"]
        if rng.random() < 0.08 and len(_initials(name)) >= 3:
            # "Full Name (ABC)" names its acronym, which another record may use alone.
            name = f"{name} ({_initials(name)})"
        base = {
            "name": name,
            "website": school["website"],
            "phone": school["phone"],
            "street": school["street"],
            "zip": school["zip"],
        }
        add(school["cds_code"], split, "original", base)
        if rng.random() < 0.3:
            for _ in range(rng.choice([1, 1, 1, 2, 3])):
                fields, kind = _duplicate(school, rng)
                add(school["cds_code"], split, kind, fields)
        if rng.random() < 0.02 and len(_initials(school["school"])) in (3, 4):
            # An unrelated organization whose bare acronym spells this school's initials.
            other = rng.choice(schools)
            add(
                f"acr-{school['cds_code']}",
                split,
                "acronym collision",
                {
                    "name": _initials(school["school"]),
                    "website": "",
                    "phone": other["phone"],
                    "street": other["street"],
                    "zip": other["zip"],
                },
            )
    for k, chain in enumerate(CHAINS):
        for split in ("dev", "heldout"):
            pool = [s for s in schools if _split(s["district_cds_code"]) == split]
            site = f"www.{re.sub(r'[^a-z]', '', chain.lower())[:14]}.org"
            for j, school in enumerate(rng.sample(pool, rng.choice([2, 3, 4]))):
                # Each site is its own partner record: same name, other address and phone.
                add(
                    f"site-{k}-{split}-{j}",
                    split,
                    "chain site",
                    {
                        "name": chain,
                        "website": site if rng.random() < 0.7 else "",
                        "phone": school["phone"],
                        "street": school["street"],
                        "zip": school["zip"],
                    },
                )
    return rows


def main() -> None:
    rows = build()
    with OUT.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=HEADER)
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} records to {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
