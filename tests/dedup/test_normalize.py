"""Normalization of names, websites, EINs, phones and addresses."""

import pytest

from crm.dedup import (
    acronym_of,
    normalize_ein,
    normalize_name,
    normalize_phone,
    normalize_street,
    normalize_zip,
    tokens,
    website_domain,
)
from crm.dedup.normalize import name_forms


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("The Boys & Girls Club of Burbank, Inc.", "boys and girls club of burbank"),
        ("Boys + Girls Club of Burbank LLC", "boys and girls club of burbank"),
        ("ACME CORPORATION", "acme"),
        ("Acme L.L.C.", "acme"),
        ("Acme Co.", "acme"),
        ("Company of Angels", "company of angels"),
        ("Café Ñandú Corp.", "cafe nandu"),
        ("St. John's Well Child & Family Ctr", "saint johns well child and family center"),
        ("L.A. Co. Dept. of Mental Health", "los angeles county department of mental health"),
        ("LA County DMH", "los angeles county dmh"),
        ("la county dmh", "los angeles county dmh"),
        ("La Casa de San Gabriel", "la casa de san gabriel"),
        ("First Five LA", "1st 5 los angeles"),
        ("First 5 L.A.", "1st 5 los angeles"),
        ("AT&T Foundation", "att foundation"),
        ("Youth Arts Project, a project of Community Partners", "youth arts project"),
        ("Youth Arts Project (fiscally sponsored by Fractured Atlas)", "youth arts project"),
        ("Homeboy Industries c/o Accounts Payable", "homeboy industries"),
        ("Mt. Sinai Natl. Assn.", "mount sinai national association"),
        ("Burbank USD", "burbank unified school district"),
        ("Walt Disney Cmopany", "walt disney"),
        ("  Multiple\n  spaces\tand\nnewlines ", "multiple spaces and newlines"),
        ("Boys & Girls Club (Pasadena)", "boys and girls club pasadena"),
        ("Los Angeles Unified School District (LAUSD)", "los angeles unified school district"),
        ("Inc.", "inc"),
        ("La", "los angeles"),
        ("Heart of La", "heart of los angeles"),
        ("Friends of La Habra", "friends of la habra"),
        ("FRIENDS OF LA HABRA", "friends of la habra"),
        ("EAST LA COLLEGE", "east los angeles college"),
        ("la co library", "los angeles county library"),
    ],
)
def test_normalize_name(raw: str, expected: str) -> None:
    assert normalize_name(raw) == expected
    assert normalize_name(expected) == expected


@pytest.mark.parametrize(
    ("raw", "forms"),
    [
        ("Acme LLC dba Sunrise Kids", ["acme", "sunrise kids"]),
        ("Acme d/b/a Sunrise Kids", ["acme", "sunrise kids"]),
        (
            "Los Angeles Unified School District (LAUSD)",
            ["los angeles unified school district", "lausd"],
        ),
        (
            "People Assisting The Homeless (formerly PATH Partners)",
            ["people assisting the homeless", "path partners"],
        ),
    ],
)
def test_name_forms_split_alternate_names(raw: str, forms: list[str]) -> None:
    assert [f.norm for f in name_forms(raw)] == forms


@pytest.mark.parametrize(
    ("name", "acronym"),
    [
        ("Los Angeles Unified School District", "lausd"),
        ("Young Men's Christian Association", "ymca"),
        ("Los Angeles County Department of Mental Health", "lacdmh"),
        ("LA County DMH", "lacdmh"),
        ("Los Angeles County Office of Education", "lacoe"),
    ],
)
def test_acronym_of(name: str, acronym: str) -> None:
    assert acronym_of(name) == acronym


def test_tokens() -> None:
    assert tokens("The KCRW Foundation, Inc.") == ("kcrw", "foundation")


@pytest.mark.parametrize(
    ("url", "domain"),
    [
        ("https://www.bgcla.org/about?x=1", "bgcla.org"),
        ("HTTP://WWW.LACOE.EDU", "lacoe.edu"),
        ("lausd.net", "lausd.net"),
        ("info@kcrw.org", "kcrw.org"),
        ("https://give.kcrw.org/donate", "kcrw.org"),
        ("dmh.lacounty.gov", "dmh.lacounty.gov"),
        ("https://dpss.lacounty.gov/en.html", "dpss.lacounty.gov"),
        ("www.burbankusd.k12.ca.us", "burbankusd.k12.ca.us"),
        ("https://facebook.com/bgcburbank", ""),
        ("https://sites.google.com/view/youth-arts", ""),
        ("linktr.ee/youtharts", ""),
        ("someone@gmail.com", ""),
        ("myorg.wixsite.com/home", "myorg.wixsite.com"),
        ("", ""),
        ("n/a", ""),
    ],
)
def test_website_domain(url: str, domain: str) -> None:
    assert website_domain(url) == domain


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("95-4418811", "954418811"),
        ("954418811", "954418811"),
        ("00-0000000", ""),
        ("123", ""),
        ("", ""),
    ],
)
def test_normalize_ein(raw: str, expected: str) -> None:
    assert normalize_ein(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("(213) 555-1234", "2135551234"),
        ("+1 213.555.1234", "2135551234"),
        ("1-213-555-1234 ext. 12", "2135551234"),
        ("213-555-1234 x5", "2135551234"),
        ("555-1234", ""),
        ("000-000-0000", ""),
    ],
)
def test_normalize_phone(raw: str, expected: str) -> None:
    assert normalize_phone(raw) == expected


def test_street_and_zip() -> None:
    assert normalize_street("123 North Main Street, Suite 200") == "123 n main st"
    assert normalize_street("123 N. Main St. #200") == "123 n main st"
    assert normalize_zip("90012-1234") == "90012"
    assert normalize_zip("9001") == ""
