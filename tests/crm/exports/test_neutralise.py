"""Formula escaping for exports: payloads and arithmetic neutralised, numbers and phones kept
readable (a phone that starts with "+" behind a "'")."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crm.exports import neutralise


@pytest.mark.parametrize(
    "raw",
    [
        '=HYPERLINK("http://x","y")',
        "+cmd|' /C calc'!A0",
        "-2+3+cmd|' /C calc'!A0",
        "@SUM(A1:A2)",
        "\t=1+1",
        "\r=1+1",
        "   =1+1",
        "  @foo",
        # Arithmetic only: a spreadsheet computes these, too.
        "-2-3-4-5",
        "-(1)-(2)",
        "+1+1",
        "=1",
        "-1*2",
        "+(3)",
        "- 1",
        "-1-213-555-0100",
        "+1-213-555-0100",
        "+1 (213) 555-0100",
        "\n=1+1",
        "\u00a0=1+1",
        "-1e5",
        "+.5.5",
    ],
)
def test_formula_payloads_are_neutralised(raw):
    assert neutralise(raw) == "'" + raw


@pytest.mark.parametrize(
    "raw",
    ["-12.5", "+42", "-1,000.50", ".5", "213-555-0100", "(213) 555-0100", "42", "Harbor", "", None],
)
def test_numbers_phones_and_text_are_kept(raw):
    assert neutralise(raw) == raw


def test_non_text_values_pass_through():
    assert neutralise(7) == 7


ARITHMETIC = st.text(alphabet="0123456789+-*/^()., %", min_size=1, max_size=20)


@given(sign=st.sampled_from("=+-@"), rest=ARITHMETIC)
def test_any_signed_arithmetic_is_neutralised_unless_a_plain_number(sign, rest):
    raw = sign + rest
    plain_number = re.fullmatch(r"[+-]\d+(?:,\d{3})*(?:\.\d+)?|[+-]\.\d+", raw)
    assert neutralise(raw) == (raw if plain_number else "'" + raw)


def test_control_characters_are_dropped():
    assert neutralise("Bell\x07 Esc\x1b[31m\x00") == "Bell Esc[31m"
    assert neutralise("\x07=1+1") == "'=1+1"


@given(st.text(alphabet=st.characters(blacklist_categories=["Cc"]), max_size=40))
def test_neutralising_is_lossless_and_leaves_no_live_start(raw):
    out = neutralise(raw)
    assert out in (raw, "'" + raw)
    start = out.lstrip()[:1]
    if out == raw and start in {"=", "+", "-", "@"}:
        assert re.fullmatch(r"[+-]?(?:\d+(?:,\d{3})*(?:\.\d+)?|\.\d+)", out.strip())
    assert not out.startswith(("\t", "\r")) or out.startswith("'")
