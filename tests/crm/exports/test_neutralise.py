"""Formula escaping for exports: payloads neutralised, numbers and phones kept."""

import pytest

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
    ],
)
def test_formula_payloads_are_neutralised(raw):
    assert neutralise(raw) == "'" + raw


@pytest.mark.parametrize(
    "raw", ["-12.5", "+1 (213) 555-0100", "213-555-0100", "42", "Harbor Food Bank", "", None, 7]
)
def test_numbers_phones_and_text_are_kept(raw):
    assert neutralise(raw) == raw
